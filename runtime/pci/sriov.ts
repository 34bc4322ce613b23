/**
 * Single Root I/O Virtualization (PCIe SR-IOV 1.1 §3.3). The PF's SR-IOV
 * capability holds TotalVFs, NumVFs, First VF Offset, VF Stride, the VF
 * Device ID and the VF BARs. Setting VF Enable makes NumVFs VFs answer at
 * routing IDs PF + First VF Offset + n * VF Stride (possibly on the next
 * buses); clearing it removes them. VF BARs decode only while VF Memory
 * Space Enable is set: BAR b of VF n sits at the PF's VF BAR b + n * size.
 * A VF's Vendor and Device ID read 0xffff, its BAR registers read 0 and its
 * Memory Space Enable is hardwired to 0 (§3.4.1.1, §3.4.1.2, §3.4.1.11).
 */
import type { RegionHandler } from '../bus/types.js';
import type { BarSpec } from '../devices/catalog.js';
import { Capability } from './capability.js';
import type { ConfigSpace } from './config-space.js';
import { barTypeBits, MAX_PHYS_ADDR, PciFunction, type FunctionIdentity } from './function.js';
import * as R from './registers.js';

export interface SriovOptions {
  readonly totalVfs: number;
  readonly initialVfs: number;
  readonly offset: number;
  readonly stride: number;
  readonly vfDeviceId: number;
  readonly vfBars: readonly BarSpec[];
}

export class SriovCapability extends Capability {
  readonly id = R.EXT_CAP_ID_SRIOV;
  override readonly extended = true;
  override readonly version = 1;
  readonly size = R.SRIOV_SIZEOF;
  readonly vfs: VirtualFunction[] = [];
  /** VFs brought up by the last VF Enable (NumVFs at that moment). */
  enabledVfs = 0;

  constructor(
    readonly pf: PciFunction,
    readonly opts: SriovOptions,
  ) {
    super();
  }

  layout(cs: ConfigSpace): void {
    const o = this.offset;
    cs.set16(o + R.SRIOV_VF_OFFSET, this.opts.offset);
    cs.set16(o + R.SRIOV_VF_STRIDE, this.opts.stride);
    cs.set32(o + R.SRIOV_SUP_PGSIZE, R.SRIOV_SUP_PGSIZE_MINREQ);
    cs.set32(o + R.SRIOV_SYS_PGSIZE, 0x1);
    cs.set16(o + R.SRIOV_VF_DID, this.opts.vfDeviceId);
    cs.set16(o + R.SRIOV_INITIAL_VF, this.opts.initialVfs);
    cs.set16(o + R.SRIOV_TOTAL_VF, this.opts.totalVfs);
    cs.set16(o + R.SRIOV_NUM_VF, 0);
    cs.setWmask16(o + R.SRIOV_CTRL, R.SRIOV_CTRL_VFE | R.SRIOV_CTRL_MSE | R.SRIOV_CTRL_ARI);
    cs.setWmask16(o + R.SRIOV_NUM_VF, 0xffff);
    cs.setWmask16(o + R.SRIOV_SYS_PGSIZE, R.SRIOV_SUP_PGSIZE_MINREQ);
    for (const b of this.opts.vfBars) {
      const off = o + R.SRIOV_BAR + 4 * b.index;
      cs.set32(off, barTypeBits(b.kind, b.prefetchable));
      if (b.kind === 'mem64') {
        cs.setWmask32(off, b.size >= 2 ** 32 ? 0 : ~(b.size - 1) >>> 0);
        cs.setWmask32(off + 4, b.size > 2 ** 32 ? ~(b.size / 2 ** 32 - 1) >>> 0 : 0xffff_ffff);
      } else cs.setWmask32(off, ~(b.size - 1) >>> 0);
    }
  }

  get control(): number {
    return this.pf.config.get16(this.offset + R.SRIOV_CTRL);
  }

  get numVfs(): number {
    return this.pf.config.get16(this.offset + R.SRIOV_NUM_VF);
  }

  get vfOffset(): number {
    return this.pf.config.get16(this.offset + R.SRIOV_VF_OFFSET);
  }

  get vfStride(): number {
    return this.pf.config.get16(this.offset + R.SRIOV_VF_STRIDE);
  }

  /** The routing ID of VF `n` with the PF's current bus number. */
  vfRid(n: number): number {
    return this.pf.rid + this.vfOffset + n * this.vfStride;
  }

  /** The enabled VF answering routing ID `rid`, if any. */
  vfAt(rid: number): VirtualFunction | undefined {
    if (!this.enabledVfs) return undefined;
    const first = this.pf.rid + this.vfOffset;
    const stride = this.vfStride;
    const d = rid - first;
    if (d < 0) return undefined;
    const n = stride ? d / stride : d === 0 ? 0 : -1;
    if (!Number.isInteger(n) || n < 0 || n >= this.enabledVfs) return undefined;
    return this.vfs[n];
  }

  /** Where BAR `index` of VF `n` decodes, or undefined (VF Enable and VF MSE both needed). */
  vfBarAddress(index: number, n: number, spec: BarSpec): number | undefined {
    const ctrl = this.control;
    if (!(ctrl & R.SRIOV_CTRL_VFE) || !(ctrl & R.SRIOV_CTRL_MSE)) return undefined;
    const cs = this.pf.config;
    const off = this.offset + R.SRIOV_BAR + 4 * index;
    const lo = cs.get32(off);
    const hi = spec.kind === 'mem64' ? cs.get32(off + 4) : 0;
    if (hi >= MAX_PHYS_ADDR / 2 ** 32) return undefined;
    const raw = hi * 2 ** 32 + lo;
    const base = raw - (raw % spec.size);
    const addr = base + n * spec.size;
    const last = addr + spec.size - 1;
    if (base === 0 || last >= MAX_PHYS_ADDR) return undefined;
    if (spec.kind !== 'mem64' && last >= 0xffff_ffff) return undefined;
    return addr;
  }

  override afterWrite(cs: ConfigSpace, addr: number, width: number): void {
    if (!this.covers(addr, width, 0, this.size)) return;
    if (this.covers(addr, width, R.SRIOV_CTRL, 1)) {
      const enable = (cs.get16(this.offset + R.SRIOV_CTRL) & R.SRIOV_CTRL_VFE) !== 0;
      if (enable && !this.enabledVfs) {
        const n = this.numVfs;
        // NumVFs above TotalVFs is invalid: no VFs appear.
        this.enabledVfs = n <= this.opts.totalVfs ? n : 0;
        this.pf.bus?.host?.busesChanged();
      } else if (!enable && this.enabledVfs) {
        this.enabledVfs = 0;
        for (const vf of this.vfs) vf.reset();
        this.pf.bus?.host?.busesChanged();
      }
    }
    this.owner.mappingsChanged();
  }

  override reset(cs: ConfigSpace): void {
    const o = this.offset;
    const was = this.enabledVfs;
    cs.set16(o + R.SRIOV_CTRL, 0);
    cs.set16(o + R.SRIOV_NUM_VF, 0);
    cs.set32(o + R.SRIOV_SYS_PGSIZE, 0x1);
    for (const b of this.opts.vfBars) {
      const off = o + R.SRIOV_BAR + 4 * b.index;
      cs.set32(off, barTypeBits(b.kind, b.prefetchable));
      if (b.kind === 'mem64') cs.set32(off + 4, 0);
    }
    this.enabledVfs = 0;
    if (was) {
      for (const vf of this.vfs) vf.reset();
      this.pf.bus?.host?.busesChanged();
    }
  }
}

/**
 * A virtual function. It sits on its PF's bus for forwarding purposes and
 * answers config cycles at its own routing ID while enabled.
 */
export class VirtualFunction extends PciFunction {
  readonly pf: PciFunction;
  readonly sriov: SriovCapability;
  readonly index: number;

  constructor(model: string, pf: PciFunction, sriov: SriovCapability, index: number, id: Omit<FunctionIdentity, 'vendorId' | 'deviceId'>) {
    super(model, { ...id, vendorId: 0xffff, deviceId: 0xffff }, { configSize: 4096 });
    this.pf = pf;
    this.sriov = sriov;
    this.index = index;
    // Memory and IO Space Enable do not apply to VFs (SR-IOV 1.1 §3.4.1.3).
    this.config.setWmask16(R.COMMAND, R.CMD_MASTER | R.CMD_INTX_DISABLE | R.CMD_SERR);
  }

  override get present(): boolean {
    return this.index < this.sriov.enabledVfs;
  }

  override get isVirtualFunction(): boolean {
    return true;
  }

  override get rid(): number {
    return this.sriov.vfRid(this.index);
  }

  /** The VF's BARs: sizes from the PF's VF BAR description, handlers from the device. */
  protected setVfRegion(spec: BarSpec, handler: RegionHandler): void {
    this.regions[spec.index] = { spec, handler };
  }

  override barAddress(index: number): number | undefined {
    const r = this.regions[index];
    if (!r) return undefined;
    return this.sriov.vfBarAddress(index, this.index, r.spec);
  }

  override mappingsChanged(): void {
    this.pf.bus?.host?.remap(this);
  }
}
