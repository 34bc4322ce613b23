/**
 * Intel 82576, igb (8086:10c9, rev 1; QEMU 8.0+, hw/net/igb.c), with SR-IOV:
 * BAR0 128 KiB registers, BAR1 128 KiB flash, BAR2 32-byte IO, BAR3 64-bit
 * 16 KiB MSI-X (10 vectors). Chain: PM 0x40, MSI (64-bit, per-vector mask)
 * 0x50, MSI-X 0x70, PCIe 0xa0; AER v1 (0x40 bytes) at 0x100, ARI at 0x150,
 * SR-IOV at 0x160: 8 VFs (igbvf, 8086:10ca) at First VF Offset 0x80, VF
 * Stride 2, each with 16 KiB 64-bit prefetchable BAR0 (registers) and BAR3
 * (MSI-X, 3 vectors).
 *
 * QEMU 7.2 has no igb. The machine type decides two registers (compat):
 * ARI Next Function Number 1 (x-pcie-ari-nextfn-1, up to pc-q35-8.0; 0 on
 * later machine types) and Function Level Reset (x-pcie-flr-init, off up to
 * pc-q35-8.1), as tests/fixtures/captures/qemu-10.0/igb-sriov shows.
 *
 * The PF's MAC (core.ts) is behind BAR0 and, through IOADDR/IODATA, BAR2;
 * the flash BAR reads zeros (the PF's BARs and its wiring to the MAC:
 * ../intel-nic/function.ts). Each enabled VF's BAR0 is its window onto
 * the same MAC (its queues, interrupt registers and mailbox), its BAR3 its
 * MSI-X table; its DMA is its own, through its routing ID.
 */
import type { Width } from '../../bus/types.js';
import { MsiCapability, MsixCapability } from '../../pci/caps.js';
import { AerCapability, AriCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import { SriovCapability, VirtualFunction } from '../../pci/sriov.js';
import type { BarSpec, BusKind } from '../catalog.js';
import { catalogIdentity, catalogModel, endpointType, macBytes } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';
import { IntelNicFunction, nicPmCapability } from '../intel-nic/function.js';
import { readLanes, writeLanes } from '../intel-nic/mac.js';
import { IgbCore } from './core.js';

export interface IgbParams {
  readonly bus: BusKind;
  readonly mac?: string;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

const MSIX_VECTORS = 10;
const VF_MSIX_VECTORS = 3;
const AER_V1_SIZE = 0x40;

export class Igb extends IntelNicFunction {
  readonly sriov: SriovCapability;
  readonly msix: MsixCapability;
  readonly msi: MsiCapability;
  readonly core: IgbCore;

  constructor(params: IgbParams) {
    const model = catalogModel('igb');
    const id = catalogIdentity('igb', params.bus);
    super('igb', id, { configSize: 4096, multifunction: params.multifunction });
    const compat = params.compat ?? DEFAULT_COMPAT;
    const flr = compat.igbFlr;
    this.core = new IgbCore(
      {
        ...this.macHost(),
        numVfs: () => this.sriov.enabledVfs,
        vfDma: (n) => {
          const vf = this.sriov.vfs[n];
          return vf && { dmaRead: (a, into) => vf.dmaRead(a, into), dmaWrite: (a, data) => vf.dmaWrite(a, data), busMaster: () => vf.busMaster };
        },
        notifyVf: (n, vector) => void this.sriov.vfs[n]?.notifyMsi(vector),
      },
      macBytes(params.mac ?? '52:54:00:12:34:56'),
      id.deviceId,
    );
    this.registerMacBars(id, this.core);
    this.addCapability(new PcieCapability({ version: 2, type: endpointType(params.bus), flr, extTag: compat.pcieExtTag }), 0xa0);
    this.msix = this.addMsixTable(id, MSIX_VECTORS, 0x70);
    this.msi = this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: true }), 0x50);
    this.addCapability(nicPmCapability(), 0x40);
    this.addExtCapability(new AerCapability({ version: 1, size: AER_V1_SIZE, multiHeader: false, uncMask: compat.aerUncMask }), 0x100);
    const nextFn = compat.ariNextFn1 ? 1 : 0;
    this.addExtCapability(new AriCapability(nextFn), 0x150);
    const spec = model.sriov!;
    const total = spec.defaultTotalVfs!;
    this.sriov = this.addExtCapability(
      new SriovCapability(this, { totalVfs: total, initialVfs: total, offset: spec.offset, stride: spec.stride, vfDeviceId: spec.vfDeviceId, vfBars: spec.vfBars }),
      0x160,
    );
    for (let i = 0; i < total; i++) this.sriov.vfs.push(new IgbVf(this, i, { compat, vfBars: spec.vfBars, type: endpointType(params.bus) }));
  }

  /** VF `n` (0-based); it answers config cycles only while enabled. */
  vf(n: number): IgbVf {
    const vf = this.sriov.vfs[n];
    if (!vf) throw new RangeError(`${this.label} has no VF ${n}`);
    return vf as IgbVf;
  }
}

/** igbvf: what each VF shows (QEMU hw/net/igbvf.c): MSI-X at 0x70, PCIe at 0xa0, AER v1, ARI. */
export class IgbVf extends VirtualFunction {
  constructor(pf: Igb, index: number, opts: { compat: DeviceCompat; vfBars: readonly BarSpec[]; type: number }) {
    const id = catalogIdentity('igb', 'pcie-link');
    super('igbvf', pf, pf.sriov, index, { revision: id.revision, classCode: id.classCode, subsystemVendorId: id.subsystemVendorId, subsystemId: id.subsystemId, pin: 0 });
    const [bar0, bar3] = [opts.vfBars.find((b) => b.index === 0)!, opts.vfBars.find((b) => b.index === 3)!];
    const vfn = index;
    this.setVfRegion(bar0, {
      read: (off: number, width: Width) => readLanes(pf.core.vfRead(vfn, off & ~3), off, width),
      write: (off: number, width: Width, value: number) => pf.core.vfWrite(vfn, off & ~3, writeLanes(off, width, value)),
    });
    const msix = this.addCapability(new MsixCapability({ vectors: VF_MSIX_VECTORS, tableBar: 3, tableOffset: 0, pbaBar: 3, pbaOffset: 0x2000 }), 0x70);
    this.setVfRegion(bar3, msix.barRegion());
    const { compat } = opts;
    this.addCapability(new PcieCapability({ version: 2, type: opts.type, flr: compat.igbFlr, extTag: compat.pcieExtTag }), 0xa0);
    this.addExtCapability(new AerCapability({ version: 1, size: AER_V1_SIZE, multiHeader: false, uncMask: compat.aerUncMask }), 0x100);
    this.addExtCapability(new AriCapability(compat.ariNextFn1 ? 1 : 0), 0x150);
  }
}
