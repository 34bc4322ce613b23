/**
 * Conventional capabilities: Power Management, MSI, MSI-X, bridge Subsystem
 * ID, vendor-specific, SATA. (The PCI Express capability is in pcie-cap.ts,
 * SHPC in shpc.ts, extended capabilities in ext-caps.ts and sriov.ts.)
 */
import { CompositeRegion, type RegionHandler, type Width } from '../bus/types.js';
import { Capability } from './capability.js';
import type { ConfigSpace } from './config-space.js';
import * as R from './registers.js';

/** PCI Power Management Interface 1.2 §3.2. */
export class PmCapability extends Capability {
  readonly id = R.CAP_ID_PM;
  readonly size = R.PM_SIZEOF;

  constructor(
    /** `resetPmcsr`: reset puts PMCSR back to its initial value (QEMU's virtio-pci does; most devices keep it). */
    private readonly opts: { pmc: number; pmcsr?: number; pmcsrWmask?: number; pmcsrW1c?: number; resetPmcsr?: boolean },
  ) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set16(this.offset + R.PM_PMC, this.opts.pmc);
    cs.set16(this.offset + R.PM_CTRL, this.opts.pmcsr ?? 0);
    cs.setWmask16(this.offset + R.PM_CTRL, this.opts.pmcsrWmask ?? 0);
    cs.setW1c16(this.offset + R.PM_CTRL, this.opts.pmcsrW1c ?? 0);
  }

  override reset(cs: ConfigSpace): void {
    if (this.opts.resetPmcsr) cs.set16(this.offset + R.PM_CTRL, this.opts.pmcsr ?? 0);
  }
}

/** MSI (PCI 3.0 §6.8.1): 32- or 64-bit address, optional per-vector masking. */
export class MsiCapability extends Capability {
  readonly id = R.CAP_ID_MSI;
  readonly size: number;
  private readonly order: number;

  constructor(private readonly opts: { vectors: number; is64: boolean; perVectorMask: boolean }) {
    super();
    this.order = Math.log2(opts.vectors);
    this.size = opts.is64 ? (opts.perVectorMask ? 0x18 : 0x0e) : opts.perVectorMask ? 0x14 : 0x0a;
  }

  private get dataOff(): number {
    return this.offset + (this.opts.is64 ? 0x0c : 0x08);
  }

  private get maskOff(): number {
    return this.offset + (this.opts.is64 ? 0x10 : 0x0c);
  }

  layout(cs: ConfigSpace): void {
    const o = this.offset;
    let flags = this.order << 1;
    if (this.opts.is64) flags |= R.MSI_FLAGS_64BIT;
    if (this.opts.perVectorMask) flags |= R.MSI_FLAGS_MASKBIT;
    cs.set16(o + R.MSI_FLAGS, flags);
    cs.setWmask16(o + R.MSI_FLAGS, R.MSI_FLAGS_QSIZE | R.MSI_FLAGS_ENABLE);
    cs.setWmask32(o + R.MSI_ADDRESS_LO, R.MSI_ADDRESS_LO_MASK);
    if (this.opts.is64) cs.setWmask32(o + 8, 0xffff_ffff);
    cs.setWmask16(this.dataOff, 0xffff);
    if (this.opts.perVectorMask) cs.setWmask32(this.maskOff, 0xffff_ffff >>> (32 - this.opts.vectors));
  }

  override reset(cs: ConfigSpace): void {
    const o = this.offset;
    cs.update16(o + R.MSI_FLAGS, R.MSI_FLAGS_QSIZE | R.MSI_FLAGS_ENABLE, 0);
    cs.set32(o + R.MSI_ADDRESS_LO, 0);
    if (this.opts.is64) cs.set32(o + 8, 0);
    cs.set16(this.dataOff, 0);
    if (this.opts.perVectorMask) {
      cs.set32(this.maskOff, 0);
      cs.set32(this.maskOff + 4, 0);
    }
  }

  /**
   * Multiple Message Enable cannot exceed what the function supports
   * (applied while MSI is enabled); unmasking a vector with its pending bit
   * set sends it (QEMU msi_write_config).
   */
  override afterWrite(cs: ConfigSpace, addr: number, width: number): void {
    if (!this.covers(addr, width, 0, this.size)) return;
    const flags = cs.get16(this.offset + R.MSI_FLAGS);
    if (!(flags & R.MSI_FLAGS_ENABLE)) return;
    if ((flags & R.MSI_FLAGS_QSIZE) >> 4 > this.order) cs.set16(this.offset + R.MSI_FLAGS, (flags & ~R.MSI_FLAGS_QSIZE) | (this.order << 4));
    if (!this.opts.perVectorMask) return;
    const n = this.enabledVectors(cs);
    const pending = (cs.get32(this.pendingOff) & (n >= 32 ? 0xffff_ffff : (1 << n) - 1)) >>> 0;
    cs.set32(this.pendingOff, pending);
    for (let v = 0; v < n; v++) {
      if (!(pending & (1 << v)) || this.masked(cs, v)) continue;
      cs.set32(this.pendingOff, cs.get32(this.pendingOff) & ~(1 << v));
      this.notify(cs, v);
    }
  }

  private get pendingOff(): number {
    return this.maskOff + 4;
  }

  /** MSI Enable. */
  enabled(cs: ConfigSpace): boolean {
    return (cs.get16(this.offset + R.MSI_FLAGS) & R.MSI_FLAGS_ENABLE) !== 0;
  }

  /** Vectors software enabled (Multiple Message Enable). */
  enabledVectors(cs: ConfigSpace): number {
    return 1 << ((cs.get16(this.offset + R.MSI_FLAGS) & R.MSI_FLAGS_QSIZE) >> 4);
  }

  private masked(cs: ConfigSpace, vector: number): boolean {
    return this.opts.perVectorMask && (cs.get32(this.maskOff) & (1 << vector)) !== 0;
  }

  /**
   * The message for `vector` (PCI 3.0 §6.8.1.6): the programmed address, and
   * the data with its low bits replaced by the vector when several are
   * enabled (QEMU msi_get_message).
   */
  message(cs: ConfigSpace, vector: number): { address: number; data: number } {
    const lo = cs.get32(this.offset + R.MSI_ADDRESS_LO);
    const address = this.opts.is64 ? cs.get32(this.offset + 8) * 2 ** 32 + lo : lo;
    const n = this.enabledVectors(cs);
    let data = cs.get16(this.dataOff);
    if (n > 1) data = (data & ~(n - 1)) | vector;
    return { address, data };
  }

  /** Signals `vector` (QEMU msi_notify): pending while masked, else the message goes out. */
  notify(cs: ConfigSpace, vector: number): void {
    if (vector >= this.enabledVectors(cs)) return;
    if (this.masked(cs, vector)) {
      cs.set32(this.pendingOff, (cs.get32(this.pendingOff) | (1 << vector)) >>> 0);
      return;
    }
    const m = this.message(cs, vector);
    this.owner.sendMessage(m.address, m.data);
  }
}

/**
 * MSI-X (PCI 3.0 §6.8.2). The table and PBA live in a BAR: `tableRegion` and
 * `pbaRegion` are the handlers the device places there. Every vector starts
 * masked.
 */
export class MsixCapability extends Capability {
  readonly id = R.CAP_ID_MSIX;
  readonly size = R.MSIX_CAP_LENGTH;
  readonly table: Uint8Array;
  readonly pba: Uint8Array;
  readonly tableRegion: RegionHandler;
  readonly pbaRegion: RegionHandler;
  /** Table size as reported (devices may report fewer vectors than they have, e.g. nvme with SR-IOV). */
  reportedVectors: number;

  constructor(readonly opts: { vectors: number; tableBar: number; tableOffset: number; pbaBar: number; pbaOffset: number }) {
    super();
    this.reportedVectors = opts.vectors;
    this.table = new Uint8Array(opts.vectors * R.MSIX_ENTRY_SIZE);
    this.pba = new Uint8Array(Math.ceil(opts.vectors / 64) * 8);
    this.maskAll();
    const table = this.table;
    const pba = this.pba;
    this.tableRegion = {
      read: (off: number, width: Width) => readLe(table, off, width),
      write: (off: number, width: Width, value: number) => {
        const vector = Math.floor(off / R.MSIX_ENTRY_SIZE);
        const cs = this.owner?.config;
        const was = cs ? this.masked(cs, vector) : true;
        writeLe(table, off, width, value);
        if (cs) this.maskUpdated(cs, vector, was);
      },
    };
    this.pbaRegion = { read: (off: number, width: Width) => readLe(pba, off, width), write: () => undefined };
  }

  get tableSize(): number {
    return this.table.length;
  }

  get pbaSize(): number {
    return this.pba.length;
  }

  /** A BAR holding both the table and the PBA at their offsets; the rest of it reads zeros. */
  barRegion(): CompositeRegion {
    return new CompositeRegion().add(this.opts.tableOffset, this.tableSize, this.tableRegion).add(this.opts.pbaOffset, this.pbaSize, this.pbaRegion);
  }

  layout(cs: ConfigSpace): void {
    const o = this.offset;
    cs.set16(o + R.MSIX_FLAGS, this.reportedVectors - 1);
    cs.set32(o + R.MSIX_TABLE, (this.opts.tableOffset | this.opts.tableBar) >>> 0);
    cs.set32(o + R.MSIX_PBA, (this.opts.pbaOffset | this.opts.pbaBar) >>> 0);
    cs.setWmask8(o + 3, (R.MSIX_FLAGS_ENABLE | R.MSIX_FLAGS_MASKALL) >> 8);
  }

  /** Changes the Table Size field (QEMU nvme reports the vectors assigned to the PF). */
  setReportedVectors(cs: ConfigSpace, n: number): void {
    this.reportedVectors = n;
    cs.update16(this.offset + R.MSIX_FLAGS, R.MSIX_FLAGS_QSIZE, (n - 1) & R.MSIX_FLAGS_QSIZE);
  }

  override reset(cs: ConfigSpace): void {
    cs.set8(this.offset + 3, cs.get8(this.offset + 3) & ~cs.wmask[this.offset + 3]!);
    this.table.fill(0);
    this.pba.fill(0);
    this.maskAll();
  }

  /** MSI-X Enable. */
  enabled(cs: ConfigSpace): boolean {
    return (cs.get16(this.offset + R.MSIX_FLAGS) & R.MSIX_FLAGS_ENABLE) !== 0;
  }

  /** Disabled or Function Mask set: every vector is masked (PCI 3.0 §6.8.2.3). */
  private functionMasked(cs: ConfigSpace): boolean {
    const flags = cs.get16(this.offset + R.MSIX_FLAGS);
    return !(flags & R.MSIX_FLAGS_ENABLE) || (flags & R.MSIX_FLAGS_MASKALL) !== 0;
  }

  private vectorCount(): number {
    return this.table.length / R.MSIX_ENTRY_SIZE;
  }

  /** Whether `vector` is masked, by the function or by its own Vector Control. */
  masked(cs: ConfigSpace, vector: number): boolean {
    if (this.functionMasked(cs)) return true;
    return (this.table[vector * R.MSIX_ENTRY_SIZE + R.MSIX_ENTRY_VECTOR_CTRL]! & R.MSIX_ENTRY_CTRL_MASKBIT) !== 0;
  }

  /** The address and data in `vector`'s table entry (PCI 3.0 §6.8.2.6-8). */
  message(vector: number): { address: number; data: number } {
    const at = vector * R.MSIX_ENTRY_SIZE;
    const lo = readLe(this.table, at, 4);
    const hi = readLe(this.table, at + 4, 4);
    return { address: hi * 2 ** 32 + lo, data: readLe(this.table, at + 8, 4) };
  }

  /** Whether `vector`'s Pending Bit is set. */
  pending(vector: number): boolean {
    return (this.pba[vector >> 3]! & (1 << (vector & 7))) !== 0;
  }

  /** Clears `vector`'s Pending Bit (QEMU msix_clr_pending: devices whose registers can). */
  clearPending(vector: number): void {
    if (vector >= 0 && vector < this.vectorCount()) this.setPending(vector, false);
  }

  private setPending(vector: number, on: boolean): void {
    const i = vector >> 3;
    this.pba[i] = on ? this.pba[i]! | (1 << (vector & 7)) : this.pba[i]! & ~(1 << (vector & 7));
  }

  /** Signals `vector` (QEMU msix_notify): its Pending Bit while masked, else the message goes out. */
  notify(cs: ConfigSpace, vector: number): void {
    if (vector < 0 || vector >= this.vectorCount()) return;
    if (this.masked(cs, vector)) {
      this.setPending(vector, true);
      return;
    }
    const m = this.message(vector);
    this.owner.sendMessage(m.address, m.data);
  }

  /** A vector that became unmasked with its Pending Bit set is sent now (QEMU msix_handle_mask_update). */
  private maskUpdated(cs: ConfigSpace, vector: number, wasMasked: boolean): void {
    if (vector >= this.vectorCount() || !wasMasked || this.masked(cs, vector) || !this.pending(vector)) return;
    this.setPending(vector, false);
    this.notify(cs, vector);
  }

  private wasFunctionMasked = true;

  override beforeWrite(cs: ConfigSpace, addr: number, width: number): void {
    if (this.covers(addr, width, R.MSIX_FLAGS, 2)) this.wasFunctionMasked = this.functionMasked(cs);
  }

  override afterWrite(cs: ConfigSpace, addr: number, width: number): void {
    if (!this.covers(addr, width, R.MSIX_FLAGS, 2) || !this.wasFunctionMasked || this.functionMasked(cs)) return;
    for (let v = 0; v < this.vectorCount(); v++) {
      const own = (this.table[v * R.MSIX_ENTRY_SIZE + R.MSIX_ENTRY_VECTOR_CTRL]! & R.MSIX_ENTRY_CTRL_MASKBIT) !== 0;
      if (!own) this.maskUpdated(cs, v, true);
    }
  }

  private maskAll(): void {
    for (let v = 0; v * R.MSIX_ENTRY_SIZE < this.table.length; v++) {
      const at = v * R.MSIX_ENTRY_SIZE + R.MSIX_ENTRY_VECTOR_CTRL;
      this.table[at] = this.table[at]! | R.MSIX_ENTRY_CTRL_MASKBIT;
    }
  }
}

/** The Subsystem Vendor ID capability bridges carry instead of header fields. */
export class SsvidCapability extends Capability {
  readonly id = R.CAP_ID_SSVID;
  readonly size = R.SSVID_SIZEOF;

  constructor(private readonly svid: number, private readonly ssid: number) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set16(this.offset + R.SSVID_VENDOR_ID, this.svid);
    cs.set16(this.offset + R.SSVID_DEVICE_ID, this.ssid);
  }
}

/** A vendor-specific capability (ID 0x09): bytes after the two header bytes, and their write mask. */
export class VendorCapability extends Capability {
  readonly id = R.CAP_ID_VNDR;
  readonly size: number;

  /** `body` starts at capability offset 2 (the length byte). */
  constructor(readonly body: Uint8Array, private readonly wmask?: Uint8Array) {
    super();
    this.size = body.length + 2;
  }

  layout(cs: ConfigSpace): void {
    cs.bytes.set(this.body, this.offset + 2);
    if (this.wmask) cs.wmask.set(this.wmask, this.offset + 2);
  }
}

/** SATA capability (AHCI 1.3 §2.3): revision 1.0, where the index/data pair lives. */
export class SataCapability extends Capability {
  readonly id = R.CAP_ID_SATA;
  readonly size = R.SATA_CAP_SIZE;

  constructor(private readonly barLocation: number, private readonly barOffsetDwords: number) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set16(this.offset + R.SATA_CAP_REV, 0x10);
    cs.set32(this.offset + R.SATA_CAP_BAR, this.barLocation | (this.barOffsetDwords << 4));
  }
}

export function readLe(bytes: Uint8Array, off: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v |= (off + i >= 0 && off + i < bytes.length ? bytes[off + i]! : 0) << (8 * i);
  return v >>> 0;
}

export function writeLe(bytes: Uint8Array, off: number, width: number, value: number): void {
  for (let i = 0; i < width; i++) if (off + i >= 0 && off + i < bytes.length) bytes[off + i] = (value >>> (8 * i)) & 0xff;
}
