/**
 * QEMU's NVMe controller, nvme (1b36:0010, rev 2, class 01 08 02), as in
 * QEMU 7.2 (hw/nvme/ctrl.c): one 64-bit BAR0 holding the registers, the
 * doorbells and the MSI-X table and PBA; MSI-X at 0x40, PM at 0x60 (No Soft
 * Reset), PCIe at 0x80 (FLR). With SR-IOV: ARI at 0x100 (Next Function 1)
 * and SR-IOV at 0x120 (First VF Offset 1, VF Stride 1, VF Device ID 0x0010,
 * one 64-bit VF BAR0), and the PF reports only the MSI-X vectors it keeps
 * (msix_qsize - sriov_vi_flexible). The PF's registers, queues and
 * namespaces are in controller.ts. The PF is the primary controller
 * (virtualization.ts): its Virtualization Management command assigns
 * flexible queues and vectors to VF n's secondary controller (CNTLID n + 1)
 * and brings it online; each VF's BAR0 is then a controller of its own
 * with those resources, the PF's namespaces (shared in the subsystem QEMU
 * needs for SR-IOV), and DMA and MSI-X through the VF.
 */
import type { DriveSpec } from '../../backends/block.js';
import { Drive, type DriveOwner } from '../../backends/drive.js';
import { MsixCapability, PmCapability } from '../../pci/caps.js';
import { AriCapability } from '../../pci/ext-caps.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { SriovCapability, VirtualFunction } from '../../pci/sriov.js';
import { nvmeBudget, nvmePfBar0, nvmeVfBar0, type BarSpec, type BusKind } from '../catalog.js';
import { catalogIdentity, catalogModel, endpointType } from '../common.js';
import { NvmeController, type NvmeHost } from './controller.js';
import { NvmePrimaryController, NvmeSecondaryManagement, type SecondaryController } from './virtualization.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

export interface NvmeSriovParams {
  readonly totalVfs: number;
  /** QEMU sriov_vq_flexible: queues handed to VFs (default 2 per VF). */
  readonly vqFlexible?: number;
  /** QEMU sriov_vi_flexible: interrupt vectors handed to VFs (default 1 per VF). */
  readonly viFlexible?: number;
}

export interface NvmeParams {
  readonly bus: BusKind;
  readonly serial: string;
  /** QEMU max_ioqpairs and msix_qsize (defaults 64 and 65, or the least SR-IOV needs: catalog nvmeBudget). */
  readonly maxIoqpairs?: number;
  readonly msixQsize?: number;
  readonly sriov?: NvmeSriovParams;
  readonly multifunction?: boolean;
  /** Namespaces and their images (QEMU nvme-ns devices, or the controller's own drive as namespace 1). */
  readonly namespaces?: readonly { readonly nsid: number; readonly drive: DriveSpec }[];
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

const PM_OFFSET = 0x60;
const EXP_OFFSET = 0x80;
const ARI_OFFSET = 0x100;
const SRIOV_OFFSET = 0x120;


export class Nvme extends PciFunction implements DriveOwner {
  readonly params: NvmeParams;
  readonly msix: MsixCapability;
  readonly sriov: SriovCapability | undefined;
  readonly controller: NvmeController;
  /** The primary controller's flexible resources and secondary controllers (one per VF). */
  readonly primary: NvmePrimaryController;
  readonly namespaces: readonly { readonly nsid: number; readonly drive: Drive }[];
  /** VFs brought up by the last VF Enable (to notice the next one). */
  private vfsUp = 0;

  constructor(params: NvmeParams) {
    const model = catalogModel('nvme');
    const id = catalogIdentity('nvme', params.bus);
    super('nvme', id, { configSize: 4096, multifunction: params.multifunction });
    this.params = params;
    const compat = params.compat ?? DEFAULT_COMPAT;
    const total = params.sriov?.totalVfs ?? 0;
    const budget = nvmeBudget(total, { maxIoqpairs: params.maxIoqpairs, msixQsize: params.msixQsize, vqFlexible: params.sriov?.vqFlexible, viFlexible: params.sriov?.viFlexible });
    const qsize = budget.msixQsize;
    this.addCapability(
      new PmCapability({ pmc: R.PM_CAP_VER_1_2, pmcsr: R.PM_CTRL_NO_SOFT_RESET, pmcsrWmask: R.PM_CTRL_STATE_MASK }),
      PM_OFFSET,
    );
    this.addCapability(new PcieCapability({ version: 2, type: endpointType(params.bus), flr: true, extTag: compat.pcieExtTag }), EXP_OFFSET);
    if (total > 0) this.addExtCapability(new AriCapability(compat.ariNextFn1 ? 1 : 0), ARI_OFFSET);
    const layout = nvmePfBar0(budget);
    this.msix = this.addCapability(new MsixCapability({ vectors: qsize, tableBar: 0, tableOffset: layout.tableOffset, pbaBar: 0, pbaOffset: layout.pbaOffset }));
    this.namespaces = (params.namespaces ?? []).map((ns) => ({ nsid: ns.nsid, drive: new Drive(ns.drive, `namespace ${ns.nsid}`) }));
    const primary = new NvmePrimaryController(budget, {
      vfPresent: (i) => this.sriov?.vfs[i]?.present ?? false,
      resetVf: (i) => this.vf(i).resetController(),
    });
    this.primary = primary;
    // After a reset the primary holds none of the flexible resources (virtualization.ts).
    const vectors = primary.viprt;
    this.controller = new NvmeController(
      {
        ...functionWiring(this, this.msix),
        vectors,
        resources: () => primary.functionReset(),
        management: primary,
      },
      {
        serial: params.serial, maxIoQueuePairs: primary.vqprt - 1, vendorId: id.vendorId, subsystemVendorId: id.subsystemVendorId,
        controllerId: primary.cntlid, multiController: total > 0,
      },
      this.namespaces,
    );
    this.registerBar({ index: 0, kind: 'mem64', prefetchable: false, size: layout.size }, this.msix.barRegion().add(0, layout.tableOffset, this.controller));
    if (total > 0) {
      this.msix.setReportedVectors(this.config, vectors);
      const spec = model.sriov!;
      const vfBar = nvmeVfBar0(budget);
      this.sriov = this.addExtCapability(
        new SriovCapability(this, { totalVfs: total, initialVfs: total, offset: spec.offset, stride: spec.stride, vfDeviceId: spec.vfDeviceId, vfBars: [vfBar] }),
        SRIOV_OFFSET,
      );
      for (let i = 0; i < total; i++) {
        this.sriov.vfs.push(new NvmeVf(this, i, { layout, qsize, type: endpointType(params.bus), vfBar, compat, secondary: primary.secondaries[i]! }));
      }
    } else this.sriov = undefined;
  }

  get drives(): readonly Drive[] {
    return this.namespaces.map((n) => n.drive);
  }

  /** Function reset: the secondaries go offline, the primary's pending allocation applies, its MSI-X Table Size follows (QEMU nvme_ctrl_reset). */
  protected override resetDevice(): void {
    if (!this.controller) return;
    this.controller.reset();
    this.msix.setReportedVectors(this.config, this.controller.vectors);
    this.vfsUp = 0;
  }

  /**
   * SR-IOV Control written: clearing VF Enable takes the secondaries of the
   * NumVFs VFs offline (QEMU does so on every such write, releasing their
   * resources); setting it creates the VFs afresh.
   */
  protected override onConfigWrite(offset: number, width: number, _value: number): void {
    const sriov = this.sriov;
    if (!sriov) return;
    const ctrl = sriov.offset + R.SRIOV_CTRL;
    if (offset > ctrl || offset + width <= ctrl) return;
    if (!(sriov.control & R.SRIOV_CTRL_VFE)) this.primary.offlineAll(sriov.numVfs);
    if (sriov.enabledVfs && !this.vfsUp) for (let i = 0; i < sriov.enabledVfs; i++) this.vf(i).resetController(true);
    this.vfsUp = sriov.enabledVfs;
  }

  /** VF `n` (0-based); it answers config cycles only while enabled. */
  vf(n: number): NvmeVf {
    const vf = this.sriov?.vfs[n];
    if (!vf) throw new RangeError(`${this.label} has no VF ${n}`);
    return vf as NvmeVf;
  }
}

/** A controller's DMA and interrupts through function `fn` (the PF, or a VF of its own), MSI-X through `msix`. */
function functionWiring(fn: PciFunction, msix: MsixCapability): Pick<NvmeHost, 'dmaRead' | 'dmaWrite' | 'msixEnabled' | 'notifyMsi' | 'setIntx'> {
  return {
    dmaRead: (a, into) => fn.dmaRead(a, into),
    dmaWrite: (a, data) => fn.dmaWrite(a, data),
    msixEnabled: () => msix.enabled(fn.config),
    notifyMsi: (v) => fn.notifyMsi(v),
    setIntx: (level) => fn.setIntx(level),
  };
}

/**
 * An nvme VF (QEMU 7.2 realizes VFs as nvme devices with the PF's
 * parameters): MSI-X at 0x40 reporting one vector until the PF assigns
 * interrupt resources, PM at 0x60, PCIe at 0x80 (FLR), ARI at 0x100. Its
 * BAR0 holds a controller of its own (CNTLID: its secondary controller's
 * SCID) that serves only while that secondary controller is online, with
 * the queues (NVQ, the admin queue included) and vectors (NVI) assigned
 * at its last reset, the PF's namespaces, and DMA and MSI-X through the VF.
 */
export class NvmeVf extends VirtualFunction {
  readonly controller: NvmeController;
  readonly secondary: SecondaryController;
  private readonly msix: MsixCapability;

  constructor(
    pf: Nvme,
    index: number,
    opts: { layout: { tableOffset: number; pbaOffset: number }; qsize: number; type: number; vfBar: BarSpec; compat: DeviceCompat; secondary: SecondaryController },
  ) {
    const id = catalogIdentity('nvme', 'pcie-link');
    const { compat } = opts;
    // QEMU 7.2 realizes a VF as an nvme device that keeps INTA in Interrupt Pin; later releases report 0, as SR-IOV 1.1 §3.4.1.13 says.
    const pin = compat.nvmeVfPinZero ? 0 : 1;
    super('nvme', pf, pf.sriov!, index, { revision: id.revision, classCode: id.classCode, subsystemVendorId: id.subsystemVendorId, subsystemId: id.subsystemId, pin });
    this.addCapability(
      new PmCapability({ pmc: R.PM_CAP_VER_1_2, pmcsr: R.PM_CTRL_NO_SOFT_RESET, pmcsrWmask: R.PM_CTRL_STATE_MASK }),
      PM_OFFSET,
    );
    this.addCapability(new PcieCapability({ version: 2, type: opts.type, flr: true, extTag: compat.pcieExtTag }), EXP_OFFSET);
    this.addExtCapability(new AriCapability(compat.ariNextFn1 ? 1 : 0), ARI_OFFSET);
    const msix = this.addCapability(
      new MsixCapability({ vectors: opts.qsize, tableBar: 0, tableOffset: opts.layout.tableOffset, pbaBar: 0, pbaOffset: opts.layout.pbaOffset }),
    );
    msix.setReportedVectors(this.config, 1);
    this.msix = msix;
    const secondary = opts.secondary;
    this.secondary = secondary;
    // QEMU conf_ioqpairs / conf_msix_qsize of a VF: NVQ less the admin queue, NVI, at least one vector.
    const resources = () => ({ ioQueuePairs: secondary.nvq ? secondary.nvq - 1 : 0, vectors: secondary.nvi || 1 });
    const controller: NvmeController = new NvmeController(
      {
        ...functionWiring(this, msix),
        vectors: 1,
        resources,
        online: () => secondary.online,
        management: new NvmeSecondaryManagement(secondary.scid, () => ({ ioQueuePairs: controller.ioQueuePairs, vectors: controller.vectors })),
      },
      {
        serial: pf.params.serial, maxIoQueuePairs: 0, vendorId: id.vendorId, subsystemVendorId: id.subsystemVendorId,
        controllerId: secondary.scid, multiController: true,
      },
      pf.namespaces,
    );
    this.controller = controller;
    this.setVfRegion(opts.vfBar, msix.barRegion().add(0, opts.layout.tableOffset, controller));
  }

  /**
   * The VF's controller reset (FLR, VF Enable cleared, its secondary going
   * online or offline): queues and vectors from its entry, the MSI-X Table
   * Size with them. `created`: the VF was just enabled.
   */
  resetController(created = false): void {
    this.controller.reset(created);
    this.msix.setReportedVectors(this.config, this.controller.vectors);
  }

  protected override resetDevice(): void {
    if (this.controller) this.resetController();
  }
}
