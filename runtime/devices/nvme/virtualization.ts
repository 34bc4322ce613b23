/**
 * NVMe virtualization enhancements (NVM Express 1.4 §8.26) as QEMU 7.2's
 * nvme implements them for SR-IOV (hw/nvme/ctrl.c): the primary
 * controller's flexible queue (VQ) and interrupt (VI) resources, the
 * secondary controller list (one secondary controller per VF, SCID = the
 * PF's CNTLID + 1 + VF index, as an nvme-subsys of its own reserves them),
 * Identify CNS 14h (Primary Controller Capabilities) and 15h (Secondary
 * Controller List) and the Virtualization Management command (1Ch):
 * Primary Flexible Allocation (taking effect at the PF's next function
 * reset), Secondary Assign, Online and Offline, with QEMU's checks and
 * status codes.
 *
 * After a reset the primary holds none of the flexible resources (QEMU
 * applies a pending primary allocation, zero unless the host asked for
 * more, at every function reset), so the PF keeps max_ioqpairs -
 * sriov_vq_flexible I/O queue pairs and msix_qsize - sriov_vi_flexible
 * vectors and the rest waits to be assigned.
 */
import { SC, type NvmeCompletion, type NvmeManagement } from './controller.js';

const DNR = 0x4000;
/** Virtualization Management actions (§5.22, Figure 212). */
export const VIRT_ACTION = { PRIMARY_ALLOCATE: 0x1, SECONDARY_OFFLINE: 0x7, SECONDARY_ASSIGN: 0x8, SECONDARY_ONLINE: 0x9 } as const;
/** Resource types: 0 VQ, 1 VI. */
export const VIRT_RESOURCE = { QUEUE: 0, INTERRUPT: 1 } as const;
/** Controller Resource Types (CRT): VQ and VI supported. */
const CRT_VQ_VI = 0x3;
/** QEMU's NVME_VF_RES_GRANULARITY. */
const GRANULARITY = 1;
const PAGE = 4096;

/** A Virtualization Management command's fields: CDW10 ACT[3:0], RT[10:8], CNTLID[31:16]; CDW11 NR[15:0]. */
interface VirtCommand {
  readonly act: number;
  readonly rt: number;
  readonly cntlid: number;
  readonly nr: number;
}

/** Decodes a Virtualization Management command, or the status for a resource type other than VQ and VI. */
function decodeManage(dw10: number, dw11: number): VirtCommand | NvmeCompletion {
  const rt = (dw10 >>> 8) & 0x7;
  if (rt !== VIRT_RESOURCE.QUEUE && rt !== VIRT_RESOURCE.INTERRUPT) return { status: SC.INVALID_RESOURCE_ID | DNR };
  return { act: dw10 & 0xf, rt, cntlid: dw10 >>> 16, nr: dw11 & 0xffff };
}

/** Identify CNS 14h's page with the fields every controller fills: its CNTLID and the resource types (Figure 251). */
function capabilitiesPage(cntlid: number): { b: Uint8Array; v: DataView } {
  const b = new Uint8Array(PAGE);
  const v = new DataView(b.buffer);
  v.setUint16(0, cntlid, true);
  b[4] = CRT_VQ_VI;
  return { b, v };
}

/** One secondary controller entry (§5.15.2.x, Figure 252). */
export interface SecondaryController {
  readonly scid: number;
  readonly vfn: number;
  online: boolean;
  /** Flexible queues assigned (the admin queue included) and interrupt vectors. */
  nvq: number;
  nvi: number;
}

export interface NvmeVirtualizationHost {
  /** Whether VF `index` exists now (VF Enable set and index < NumVFs). */
  vfPresent(index: number): boolean;
  /** Function reset of VF `index`'s controller: its queues and vectors follow its entry. */
  resetVf(index: number): void;
}

export interface NvmeVirtualizationParams {
  readonly totalVfs: number;
  readonly maxIoqpairs: number;
  readonly msixQsize: number;
  readonly vqFlexible: number;
  readonly viFlexible: number;
}

/** The primary controller (the PF): its capabilities and its secondary controllers. */
export class NvmePrimaryController implements NvmeManagement {
  readonly cntlid = 0;
  readonly secondaries: SecondaryController[];
  /** Flexible resources allocated to the primary now (VQRFAP/VIRFAP) and from its next function reset on. */
  private vqrfap = 0;
  private virfap = 0;
  private nextVqrfap = 0;
  private nextVirfap = 0;

  constructor(
    private readonly p: NvmeVirtualizationParams,
    private readonly host: NvmeVirtualizationHost,
  ) {
    this.secondaries = Array.from({ length: p.totalVfs }, (_, i) => ({ scid: this.cntlid + 1 + i, vfn: i + 1, online: false, nvq: 0, nvi: 0 }));
  }

  /** VQPRT/VIPRT: the private (non-flexible) resources of the primary, its admin queue included. */
  get vqprt(): number {
    return 1 + this.p.maxIoqpairs - this.p.vqFlexible;
  }
  get viprt(): number {
    return this.p.msixQsize - this.p.viFlexible;
  }
  /** VQFRSM/VIFRSM: the most flexible resources one secondary may hold. */
  get vqfrsm(): number {
    return Math.floor(this.p.vqFlexible / Math.max(this.p.totalVfs, 1));
  }
  get vifrsm(): number {
    return Math.floor(this.p.viFlexible / Math.max(this.p.totalVfs, 1));
  }
  /** Resources assigned to secondaries (VQRFA/VIRFA). */
  get vqrfa(): number {
    return this.secondaries.reduce((n, s) => n + s.nvq, 0);
  }
  get virfa(): number {
    return this.secondaries.reduce((n, s) => n + s.nvi, 0);
  }

  /**
   * The PF's function reset: every secondary goes offline (releasing its
   * resources) and the pending primary allocation takes effect. Returns the
   * PF's I/O queue pairs and vectors from now on.
   */
  functionReset(): { ioQueuePairs: number; vectors: number } {
    this.offlineAll(this.secondaries.length);
    this.vqrfap = this.nextVqrfap;
    this.virfap = this.nextVirfap;
    return { ioQueuePairs: this.vqprt + this.vqrfap - 1, vectors: this.viprt + this.virfap };
  }

  /** A controller reset of the PF (CC.EN 1 -> 0) takes every secondary offline too. */
  controllerReset(): void {
    this.offlineAll(this.secondaries.length);
  }

  /** The first `count` secondaries offline (VF Enable cleared: QEMU does it for NumVFs of them). */
  offlineAll(count: number): void {
    for (const s of this.secondaries.slice(0, count)) this.setState(s.scid, false);
  }

  identify(cns: number, cntid: number): Uint8Array | undefined {
    if (cns === 0x14) return this.primaryCapabilities();
    if (cns === 0x15) return this.secondaryList(cntid);
    return undefined;
  }

  /** Identify CNS 14h (Figure 251). */
  primaryCapabilities(): Uint8Array {
    const { b, v } = capabilitiesPage(this.cntlid);
    v.setUint32(32, this.p.vqFlexible, true); // VQFRT
    v.setUint32(36, this.vqrfa, true);
    v.setUint16(40, this.vqrfap, true);
    v.setUint16(42, this.vqprt, true);
    v.setUint16(44, this.vqfrsm, true);
    v.setUint16(46, GRANULARITY, true);
    v.setUint32(64, this.p.viFlexible, true); // VIFRT
    v.setUint32(68, this.virfa, true);
    v.setUint16(72, this.virfap, true);
    v.setUint16(74, this.viprt, true);
    v.setUint16(76, this.vifrsm, true);
    v.setUint16(78, GRANULARITY, true);
    return b;
  }

  /** Identify CNS 15h: the entries from the first whose SCID >= `minId` (Figure 252). */
  secondaryList(minId: number): Uint8Array {
    const b = new Uint8Array(PAGE);
    const v = new DataView(b.buffer);
    const first = this.secondaries.findIndex((s) => s.scid >= minId);
    if (first < 0) return b;
    const list = this.secondaries.slice(first);
    b[0] = list.length;
    list.forEach((s, i) => {
      const o = 32 + 32 * i;
      v.setUint16(o, s.scid, true);
      v.setUint16(o + 2, this.cntlid, true);
      b[o + 4] = s.online ? 1 : 0;
      v.setUint16(o + 8, s.vfn, true);
      v.setUint16(o + 10, s.nvq, true);
      v.setUint16(o + 12, s.nvi, true);
    });
    return b;
  }

  /** Virtualization Management (opcode 1Ch). */
  manage(dw10: number, dw11: number): NvmeCompletion {
    const c = decodeManage(dw10, dw11);
    if ('status' in c) return c;
    const { act, rt, cntlid, nr } = c;
    switch (act) {
      case VIRT_ACTION.SECONDARY_ASSIGN: return this.assignSecondary(cntlid, rt, nr);
      case VIRT_ACTION.PRIMARY_ALLOCATE: return this.allocatePrimary(cntlid, rt, nr);
      case VIRT_ACTION.SECONDARY_ONLINE: return { status: this.setState(cntlid, true) };
      case VIRT_ACTION.SECONDARY_OFFLINE: return { status: this.setState(cntlid, false) };
      default: return { status: SC.INVALID_FIELD | DNR };
    }
  }

  /** Of resource type `rt`: the flexible total, what the primary and the secondaries hold, the most one secondary may hold. */
  private counts(rt: number): { total: number; primary: number; secondary: number; perSecondary: number } {
    return rt === VIRT_RESOURCE.INTERRUPT
      ? { total: this.p.viFlexible, primary: this.virfap, secondary: this.virfa, perSecondary: this.vifrsm }
      : { total: this.p.vqFlexible, primary: this.vqrfap, secondary: this.vqrfa, perSecondary: this.vqfrsm };
  }

  private allocatePrimary(cntlid: number, rt: number, nr: number): NvmeCompletion {
    if (cntlid !== this.cntlid) return { status: SC.INVALID_CTRL_ID | DNR };
    const { total, secondary } = this.counts(rt);
    if (nr > total) return { status: SC.INVALID_NUM_RESOURCES | DNR };
    if (nr > total - secondary) return { status: SC.INVALID_RESOURCE_ID | DNR };
    if (rt === VIRT_RESOURCE.INTERRUPT) this.nextVirfap = nr;
    else this.nextVqrfap = nr;
    return { status: SC.SUCCESS, result: nr };
  }

  private assignSecondary(cntlid: number, rt: number, nr: number): NvmeCompletion {
    const s = this.secondaries.find((e) => e.scid === cntlid);
    if (!s) return { status: SC.INVALID_CTRL_ID | DNR };
    if (s.online) return { status: SC.INVALID_SEC_CTRL_STATE | DNR };
    const { total, primary, secondary, perSecondary } = this.counts(rt);
    if (nr > perSecondary) return { status: SC.INVALID_NUM_RESOURCES | DNR };
    const held = rt === VIRT_RESOURCE.INTERRUPT ? s.nvi : s.nvq;
    if (nr - held > total - primary - secondary) return { status: SC.INVALID_RESOURCE_ID | DNR };
    if (rt === VIRT_RESOURCE.INTERRUPT) s.nvi = nr;
    else s.nvq = nr;
    return { status: SC.SUCCESS, result: nr };
  }

  /**
   * Online needs an interrupt, the admin queue plus one I/O queue and the
   * VF present; offline releases the resources. A change resets the VF's
   * controller (which then serves, or reads CSTS.CFS).
   */
  private setState(cntlid: number, online: boolean): number {
    const index = this.secondaries.findIndex((e) => e.scid === cntlid);
    const s = this.secondaries[index];
    if (!s) return SC.INVALID_CTRL_ID | DNR;
    const present = this.host.vfPresent(s.vfn - 1);
    if (online) {
      if (!s.nvi || s.nvq < 2 || !present) return SC.INVALID_SEC_CTRL_STATE | DNR;
      if (!s.online) {
        s.online = true;
        this.host.resetVf(s.vfn - 1);
      }
    } else {
      s.nvi = 0;
      s.nvq = 0;
      if (s.online) {
        s.online = false;
        if (present) this.host.resetVf(s.vfn - 1);
      }
    }
    return SC.SUCCESS;
  }
}

/**
 * What a VF's own controller answers: Primary Controller Capabilities with
 * its CNTLID, the resource types and the queues and vectors it has; an
 * empty secondary list; Virtualization Management finds no secondary
 * controller (and the VF has no flexible resources of its own).
 */
export class NvmeSecondaryManagement implements NvmeManagement {
  constructor(
    private readonly cntlid: number,
    private readonly resources: () => { ioQueuePairs: number; vectors: number },
  ) {}

  identify(cns: number): Uint8Array | undefined {
    if (cns === 0x15) return new Uint8Array(PAGE);
    if (cns !== 0x14) return undefined;
    const { b, v } = capabilitiesPage(this.cntlid);
    const r = this.resources();
    v.setUint16(42, r.ioQueuePairs + 1, true);
    v.setUint16(74, r.vectors, true);
    return b;
  }

  manage(dw10: number, dw11: number): NvmeCompletion {
    const c = decodeManage(dw10, dw11);
    if ('status' in c) return c;
    const { act, cntlid, nr } = c;
    switch (act) {
      case VIRT_ACTION.PRIMARY_ALLOCATE:
        if (cntlid !== this.cntlid) return { status: SC.INVALID_CTRL_ID | DNR };
        return nr > 0 ? { status: SC.INVALID_NUM_RESOURCES | DNR } : { status: SC.SUCCESS, result: 0 };
      case VIRT_ACTION.SECONDARY_ASSIGN:
      case VIRT_ACTION.SECONDARY_ONLINE:
      case VIRT_ACTION.SECONDARY_OFFLINE:
        return { status: SC.INVALID_CTRL_ID | DNR };
      default:
        return { status: SC.INVALID_FIELD | DNR };
    }
  }

  controllerReset(): void {}
}
