/**
 * The NVMe controller behind BAR0 (NVM Express 1.4), as QEMU 7.2's nvme
 * presents it to a driver: the controller registers (§3.1: CAP, VS,
 * INTMS/INTMC, CC, CSTS, AQA, ASQ, ACQ), doorbells at 0x1000 with a stride
 * of 4, the admin command set a driver needs to bring the controller up
 * (Identify, Create/Delete I/O Submission and Completion Queue, Get/Set
 * Features, Get Log Page, Asynchronous Event Request, Abort, Keep Alive)
 * and the NVM command set's Read, Write, Flush, Write Zeroes and Dataset
 * Management, with data through PRPs (§4.3) and the function's bus-master
 * DMA. Completions post to the queue's completion queue with the phase
 * tag, interrupting through MSI-X (the CQ's vector) or INTx (masked by
 * INTMS). Commands run when their submission queue's tail doorbell is
 * written; when a completion queue is full the rest wait for its head
 * doorbell.
 *
 * With SR-IOV the same controller serves the PF and each VF: the host
 * gives it the queue pairs and vectors it has after each reset (the PF's
 * private ones, a VF's assigned ones), whether it is online (a VF's
 * registers read 0 and ignore writes, CSTS aside, while its secondary
 * controller is offline, as in QEMU 7.2) and the virtualization management
 * it answers (Identify CNS 14h/15h, Virtualization Management:
 * virtualization.ts).
 *
 * Left out: SGLs (SGLS 0: drivers use PRPs), namespace management and
 * formatting, the controller memory buffer.
 */
import type { Drive } from '../../backends/drive.js';
import type { RegionHandler, Width } from '../../bus/types.js';

export const NVME_REG = { CAP: 0x00, VS: 0x08, INTMS: 0x0c, INTMC: 0x10, CC: 0x14, CSTS: 0x1c, NSSR: 0x20, AQA: 0x24, ASQ: 0x28, ACQ: 0x30 } as const;
export const DOORBELL_BASE = 0x1000;
export const NVME_VERSION_1_4 = 0x0001_0400;

// CC and CSTS bits (§3.1.5, §3.1.6).
export const CC_EN = 1 << 0;
export const CC_SHN_MASK = 3 << 14;
export const CSTS_RDY = 1 << 0;
export const CSTS_CFS = 1 << 1;
export const CSTS_SHST_COMPLETE = 2 << 2;

/** CAP as QEMU 7.2 sets it: MQES 2047, CQR, TO 7.5 s, CSS NVM + I/O command sets + admin only, MPSMAX 64 KiB. */
export const NVME_CAP = 0x7ffn | (1n << 16n) | (0xfn << 24n) | (0xc1n << 37n) | (4n << 52n);
const MQES = 0x7ff;

// Admin opcodes (§5).
export const ADMIN = {
  DELETE_SQ: 0x00, CREATE_SQ: 0x01, GET_LOG_PAGE: 0x02, DELETE_CQ: 0x04, CREATE_CQ: 0x05, IDENTIFY: 0x06, ABORT: 0x08,
  SET_FEATURES: 0x09, GET_FEATURES: 0x0a, ASYNC_EVENT: 0x0c, KEEP_ALIVE: 0x18, VIRT_MGMT: 0x1c,
} as const;
// NVM opcodes (NVM command set §6).
export const NVM = { FLUSH: 0x00, WRITE: 0x01, READ: 0x02, WRITE_ZEROES: 0x08, DSM: 0x09 } as const;
// Status: (SCT << 8) | SC (§4.6.1.2).
export const SC = {
  SUCCESS: 0x000, INVALID_OPCODE: 0x001, INVALID_FIELD: 0x002, DATA_TRANSFER_ERROR: 0x004, INTERNAL: 0x006,
  INVALID_NSID: 0x00b, LBA_RANGE: 0x080,
  CQ_INVALID: 0x100, INVALID_QID: 0x101, INVALID_QSIZE: 0x102, INVALID_VECTOR: 0x108, INVALID_QUEUE_DELETION: 0x10c,
  INVALID_CTRL_ID: 0x11f, INVALID_SEC_CTRL_STATE: 0x120, INVALID_NUM_RESOURCES: 0x121, INVALID_RESOURCE_ID: 0x122,
  WRITE_FAULT: 0x280, UNRECOVERED_READ: 0x281,
} as const;
const DNR = 0x4000;
/** Number of Queues feature (§5.21.1.7) and the others the driver reads. */
const FEATURE_NUMBER_OF_QUEUES = 0x07;

/** QEMU's namespace limit (NVME_MAX_NAMESPACES): what Identify Controller reports in NN. */
export const MAX_NAMESPACES = 256;
/** MDTS 7: 2^7 minimum pages (512 KiB) per command, as QEMU's default mdts. */
const MDTS = 7;
const PAGE = 4096;
const SQE_SIZE = 64;
const CQE_SIZE = 16;

export interface NvmeHost {
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, data: Uint8Array): boolean;
  msixEnabled(): boolean;
  notifyMsi(vector: number): boolean;
  setIntx(level: boolean): void;
  /** Interrupt vectors the controller has (Create I/O CQ refuses others) until a reset says otherwise (`resources`). */
  readonly vectors: number;
  /** The I/O queue pairs and vectors from a function reset on (QEMU conf_ioqpairs/conf_msix_qsize); unchanged when absent. */
  resources?(): { readonly ioQueuePairs: number; readonly vectors: number };
  /** False while a VF's secondary controller is offline; absent: always online. */
  online?(): boolean;
  /** Identify CNS 14h/15h and Virtualization Management; absent: refused as an invalid field / opcode. */
  readonly management?: NvmeManagement;
}

/** What a controller answers about NVMe virtualization (virtualization.ts). */
export interface NvmeManagement {
  /** Identify data for CNS 14h/15h (`cntid`: CDW10 CNTID), or undefined for another CNS. */
  identify(cns: number, cntid: number): Uint8Array | undefined;
  /** Virtualization Management (opcode 1Ch). */
  manage(dw10: number, dw11: number): NvmeCompletion;
  /** The controller was reset by CC.EN 1 -> 0. */
  controllerReset(): void;
}

export interface NvmeNamespace {
  readonly nsid: number;
  readonly drive: Drive;
}

export interface NvmeIdentity {
  readonly serial: string;
  readonly maxIoQueuePairs: number;
  /** PCI IDs for Identify Controller's VID/SSVID. */
  readonly vendorId: number;
  readonly subsystemVendorId: number;
  readonly controllerId: number;
  /** In an NVM subsystem with other controllers (SR-IOV): CMIC reports several controllers, namespaces are shared (NMIC). */
  readonly multiController?: boolean;
}

interface Sq {
  readonly id: number;
  readonly base: number;
  readonly size: number;
  readonly cqid: number;
  head: number;
  tail: number;
}

interface Cq {
  readonly id: number;
  readonly base: number;
  readonly size: number;
  readonly ien: boolean;
  readonly vector: number;
  head: number;
  tail: number;
  phase: number;
}

export interface NvmeCompletion {
  status: number;
  result?: number;
}
type Completion = NvmeCompletion;

export class NvmeController implements RegionHandler {
  private cc = 0;
  private csts = 0;
  private aqa = 0;
  private asq = 0;
  private acq = 0;
  private intms = 0;
  private sqs: (Sq | undefined)[] = [];
  private cqs: (Cq | undefined)[] = [];
  private readonly namespaces = new Map<number, NvmeNamespace>();
  /** Features the driver set (by feature identifier). */
  private features = new Map<number, number>();
  /** I/O queue pairs and interrupt vectors the controller has (QEMU conf_ioqpairs, conf_msix_qsize). */
  private conf: { ioQueuePairs: number; vectors: number };

  constructor(
    private readonly host: NvmeHost,
    private readonly id: NvmeIdentity,
    namespaces: readonly NvmeNamespace[],
  ) {
    for (const ns of namespaces) this.namespaces.set(ns.nsid, ns);
    this.conf = { ioQueuePairs: id.maxIoQueuePairs, vectors: host.vectors };
  }

  /** I/O queue pairs the controller has now. */
  get ioQueuePairs(): number {
    return this.conf.ioQueuePairs;
  }

  /** Interrupt vectors the controller has now (the MSI-X Table Size its function reports). */
  get vectors(): number {
    return this.conf.vectors;
  }

  private get online(): boolean {
    return this.host.online?.() ?? true;
  }

  get ready(): boolean {
    return (this.csts & CSTS_RDY) !== 0;
  }

  /**
   * Function reset: queues deleted, registers back to their reset values,
   * the resources the host gives from now on. An offline VF's controller
   * reads CSTS.CFS after a reset; a VF just created (`created`, VF Enable)
   * reads 0 until one, as QEMU realizes it without a reset.
   */
  reset(created = false): void {
    this.resetQueues();
    this.cc = 0;
    this.csts = created || this.online ? 0 : CSTS_CFS;
    this.aqa = this.asq = this.acq = 0;
    this.intms = 0;
    const r = this.host.resources?.();
    if (r) this.conf = { ioQueuePairs: r.ioQueuePairs, vectors: r.vectors };
  }

  private resetQueues(): void {
    this.sqs = [];
    this.cqs = [];
    this.features.clear();
    this.host.setIntx(false);
  }

  // ---- registers ----------------------------------------------------------------------

  read(offset: number, width: Width): number {
    if ((offset & ~3) !== NVME_REG.CSTS && !this.online) return 0; // an offline VF (QEMU: ignored MMIO)
    const dword = this.readDword(offset & ~3);
    const v = dword >>> ((offset & 3) * 8);
    return width === 4 ? v >>> 0 : width === 2 ? v & 0xffff : v & 0xff;
  }

  private readDword(offset: number): number {
    switch (offset) {
      case NVME_REG.CAP: return Number(NVME_CAP & 0xffff_ffffn);
      case NVME_REG.CAP + 4: return Number(NVME_CAP >> 32n);
      case NVME_REG.VS: return NVME_VERSION_1_4;
      case NVME_REG.INTMS: case NVME_REG.INTMC: return this.intms >>> 0;
      case NVME_REG.CC: return this.cc >>> 0;
      case NVME_REG.CSTS: return this.csts;
      case NVME_REG.AQA: return this.aqa;
      case NVME_REG.ASQ: return this.asq % 2 ** 32;
      case NVME_REG.ASQ + 4: return Math.floor(this.asq / 2 ** 32);
      case NVME_REG.ACQ: return this.acq % 2 ** 32;
      case NVME_REG.ACQ + 4: return Math.floor(this.acq / 2 ** 32);
      default: return 0; // doorbells are write-only
    }
  }

  write(offset: number, width: Width, value: number): void {
    if (width !== 4 || offset & 3) return; // registers are written as dwords (§3.1)
    if (!this.online) return; // an offline VF ignores writes (CSTS is read-only anyway)
    value >>>= 0;
    if (offset >= DOORBELL_BASE) return this.doorbell(offset - DOORBELL_BASE, value);
    const setLo = (cur: number) => Math.floor(cur / 2 ** 32) * 2 ** 32 + value;
    const setHi = (cur: number) => value * 2 ** 32 + (cur % 2 ** 32);
    switch (offset) {
      case NVME_REG.INTMS:
        this.intms = (this.intms | value) >>> 0;
        this.updateIntx();
        break;
      case NVME_REG.INTMC:
        this.intms = (this.intms & ~value) >>> 0;
        this.updateIntx();
        break;
      case NVME_REG.CC: this.writeCc(value); break;
      case NVME_REG.AQA: if (!this.ready) this.aqa = value & 0x0fff_0fff; break;
      case NVME_REG.ASQ: if (!this.ready) this.asq = setLo(this.asq) - (value % PAGE); break;
      case NVME_REG.ASQ + 4: if (!this.ready) this.asq = setHi(this.asq); break;
      case NVME_REG.ACQ: if (!this.ready) this.acq = setLo(this.acq) - (value % PAGE); break;
      case NVME_REG.ACQ + 4: if (!this.ready) this.acq = setHi(this.acq); break;
      default: break;
    }
  }

  private writeCc(value: number): void {
    const was = this.cc;
    this.cc = value;
    if (value & CC_EN && !(was & CC_EN)) this.enable();
    else if (!(value & CC_EN) && was & CC_EN) {
      this.host.management?.controllerReset();
      this.resetQueues();
      this.csts = 0;
    }
    if (value & CC_SHN_MASK && !(was & CC_SHN_MASK)) this.csts = (this.csts & ~(3 << 2)) | CSTS_SHST_COMPLETE;
    else if (!(value & CC_SHN_MASK)) this.csts &= ~(3 << 2);
  }

  /** CC.EN 0 -> 1 (§7.6.1): the admin queues from AQA/ASQ/ACQ; a bad setting is a Controller Fatal Status. */
  private enable(): void {
    const sqSize = (this.aqa & 0xfff) + 1;
    const cqSize = ((this.aqa >>> 16) & 0xfff) + 1;
    const mps = (this.cc >>> 7) & 0xf;
    const css = (this.cc >>> 4) & 7;
    if (!this.asq || !this.acq || sqSize < 2 || cqSize < 2 || mps !== 0 || (css !== 0 && css !== 6)) {
      this.csts = CSTS_CFS;
      return;
    }
    this.cqs[0] = { id: 0, base: this.acq, size: cqSize, ien: true, vector: 0, head: 0, tail: 0, phase: 1 };
    this.sqs[0] = { id: 0, base: this.asq, size: sqSize, cqid: 0, head: 0, tail: 0 };
    this.csts = CSTS_RDY;
  }

  private doorbell(rel: number, value: number): void {
    if (!this.ready || rel % 4) return;
    const index = rel / 4;
    const qid = index >> 1;
    if (index & 1) {
      const cq = this.cqs[qid];
      if (!cq || value >= cq.size) return;
      cq.head = value;
      this.updateIntx();
      // Room again: submission queues waiting on this completion queue go on.
      for (const sq of this.sqs) if (sq && sq.cqid === qid) this.process(sq);
    } else {
      const sq = this.sqs[qid];
      if (!sq || value >= sq.size) return;
      sq.tail = value;
      this.process(sq);
    }
  }

  // ---- command processing ---------------------------------------------------------------

  private process(sq: Sq): void {
    const entry = new Uint8Array(SQE_SIZE);
    while (sq.head !== sq.tail && this.ready && this.sqs[sq.id] === sq) {
      const cq = this.cqs[sq.cqid];
      if (!cq || (cq.tail + 1) % cq.size === cq.head) return; // completion queue full: wait for its head doorbell
      const ok = this.host.dmaRead(sq.base + sq.head * SQE_SIZE, entry);
      sq.head = (sq.head + 1) % sq.size;
      const v = new DataView(entry.buffer);
      const cid = v.getUint16(2, true);
      if (!ok) {
        this.complete(sq, cq, cid, { status: SC.DATA_TRANSFER_ERROR | DNR });
        continue;
      }
      const r = sq.id === 0 ? this.admin(v) : this.io(v);
      if (r) this.complete(sq, cq, cid, r);
    }
  }

  private complete(sq: Sq, cq: Cq, cid: number, r: Completion): void {
    const e = new Uint8Array(CQE_SIZE);
    const v = new DataView(e.buffer);
    v.setUint32(0, (r.result ?? 0) >>> 0, true);
    v.setUint16(8, sq.head, true);
    v.setUint16(10, sq.id, true);
    v.setUint16(12, cid, true);
    v.setUint16(14, ((r.status & 0x7fff) << 1) | cq.phase, true);
    if (!this.host.dmaWrite(cq.base + cq.tail * CQE_SIZE, e)) {
      this.csts |= CSTS_CFS;
      return;
    }
    cq.tail = (cq.tail + 1) % cq.size;
    if (cq.tail === 0) cq.phase ^= 1;
    if (!cq.ien) return;
    if (this.host.msixEnabled()) this.host.notifyMsi(cq.vector);
    else this.updateIntx();
  }

  /** INTx: asserted while an interrupt-enabled completion queue holds entries and vector 0 is not masked (§7.5.1). */
  private updateIntx(): void {
    if (this.host.msixEnabled()) return;
    const pending = this.cqs.some((cq) => cq && cq.ien && cq.head !== cq.tail);
    this.host.setIntx(pending && !(this.intms & 1));
  }

  // ---- admin commands -----------------------------------------------------------------

  private admin(c: DataView): Completion | undefined {
    const dw10 = c.getUint32(40, true);
    const dw11 = c.getUint32(44, true);
    const nsid = c.getUint32(4, true);
    switch (c.getUint8(0)) {
      case ADMIN.IDENTIFY: return this.identify(c, dw10, nsid);
      case ADMIN.CREATE_CQ: return this.createCq(c, dw10, dw11);
      case ADMIN.CREATE_SQ: return this.createSq(c, dw10, dw11);
      case ADMIN.DELETE_SQ: {
        const qid = dw10 & 0xffff;
        if (qid === 0 || !this.sqs[qid]) return { status: SC.INVALID_QID | DNR };
        this.sqs[qid] = undefined;
        return { status: SC.SUCCESS };
      }
      case ADMIN.DELETE_CQ: {
        const qid = dw10 & 0xffff;
        if (qid === 0 || !this.cqs[qid]) return { status: SC.INVALID_QID | DNR };
        if (this.sqs.some((s) => s && s.cqid === qid)) return { status: SC.INVALID_QUEUE_DELETION | DNR };
        this.cqs[qid] = undefined;
        this.updateIntx();
        return { status: SC.SUCCESS };
      }
      case ADMIN.GET_FEATURES: return this.getFeature(dw10 & 0xff);
      case ADMIN.SET_FEATURES: {
        const fid = dw10 & 0xff;
        if (fid === FEATURE_NUMBER_OF_QUEUES) {
          if ((dw11 & 0xffff) === 0xffff || dw11 >>> 16 === 0xffff) return { status: SC.INVALID_FIELD | DNR };
          return this.getFeature(fid);
        }
        this.features.set(fid, dw11);
        return { status: SC.SUCCESS };
      }
      case ADMIN.GET_LOG_PAGE: {
        // Every log page reads as zeros (no errors, no health events, no changed namespaces).
        const numd = ((dw10 >>> 16) | ((c.getUint32(44, true) & 0xffff) << 16)) + 1;
        return this.transferOut(c, new Uint8Array(Math.min(numd * 4, 1 << 20)));
      }
      case ADMIN.ASYNC_EVENT:
        return undefined; // held until an event occurs (none are generated)
      case ADMIN.ABORT:
        return { status: SC.SUCCESS, result: 1 }; // the command was not aborted
      case ADMIN.KEEP_ALIVE:
        return { status: SC.SUCCESS };
      case ADMIN.VIRT_MGMT:
        return this.host.management ? this.host.management.manage(dw10, dw11) : { status: SC.INVALID_OPCODE | DNR };
      default:
        return { status: SC.INVALID_OPCODE | DNR };
    }
  }

  private getFeature(fid: number): Completion {
    if (fid === FEATURE_NUMBER_OF_QUEUES) {
      const n = this.conf.ioQueuePairs - 1;
      return { status: SC.SUCCESS, result: ((n << 16) | n) >>> 0 };
    }
    if (fid === 0 || fid > 0x7f) return { status: SC.INVALID_FIELD | DNR };
    return { status: SC.SUCCESS, result: this.features.get(fid) ?? 0 };
  }

  private createCq(c: DataView, dw10: number, dw11: number): Completion {
    const qid = dw10 & 0xffff;
    const size = (dw10 >>> 16) + 1;
    const vector = dw11 >>> 16;
    const base = prp1(c);
    if (qid === 0 || qid > this.conf.ioQueuePairs || this.cqs[qid]) return { status: SC.INVALID_QID | DNR };
    if (size < 2 || size > MQES + 1) return { status: SC.INVALID_QSIZE | DNR };
    if (!(dw11 & 1) || base === 0 || base % PAGE) return { status: SC.INVALID_FIELD | DNR };
    if (vector >= this.conf.vectors) return { status: SC.INVALID_VECTOR | DNR };
    this.cqs[qid] = { id: qid, base, size, ien: (dw11 & 2) !== 0, vector, head: 0, tail: 0, phase: 1 };
    return { status: SC.SUCCESS };
  }

  private createSq(c: DataView, dw10: number, dw11: number): Completion {
    const qid = dw10 & 0xffff;
    const size = (dw10 >>> 16) + 1;
    const cqid = dw11 >>> 16;
    const base = prp1(c);
    if (qid === 0 || qid > this.conf.ioQueuePairs || this.sqs[qid]) return { status: SC.INVALID_QID | DNR };
    if (cqid === 0 || !this.cqs[cqid]) return { status: SC.CQ_INVALID | DNR };
    if (size < 2 || size > MQES + 1) return { status: SC.INVALID_QSIZE | DNR };
    if (!(dw11 & 1) || base === 0 || base % PAGE) return { status: SC.INVALID_FIELD | DNR };
    this.sqs[qid] = { id: qid, base, size, cqid, head: 0, tail: 0 };
    return { status: SC.SUCCESS };
  }

  private identify(c: DataView, dw10: number, nsid: number): Completion {
    const cns = dw10 & 0xff;
    switch (cns) {
      case 0x00: {
        // Identify Namespace: zeros for an inactive but valid NSID (§5.15.2.1).
        if (nsid === 0 || (nsid > MAX_NAMESPACES && nsid !== 0xffff_ffff)) return { status: SC.INVALID_NSID | DNR };
        return this.transferOut(c, this.identifyNamespace(this.namespaces.get(nsid)));
      }
      case 0x01:
        return this.transferOut(c, this.identifyController());
      case 0x02: {
        // Active namespace IDs above NSID, ascending.
        const list = new Uint8Array(PAGE);
        const v = new DataView(list.buffer);
        [...this.namespaces.keys()].filter((n) => n > nsid).sort((a, b) => a - b).slice(0, 1024).forEach((n, i) => v.setUint32(4 * i, n, true));
        return this.transferOut(c, list);
      }
      case 0x03: {
        const ns = this.namespaces.get(nsid);
        if (!ns) return { status: SC.INVALID_NSID | DNR };
        // A namespace UUID descriptor (NIDT 3), derived from the serial and NSID so runs agree, then the
        // command set identifier (NIDT 4: NVM), which a host that enabled I/O command sets (CC.CSS 6) requires.
        const list = new Uint8Array(PAGE);
        list[0] = 3;
        list[1] = 16;
        list.set(uuidFor(`${this.id.serial}/${nsid}`), 4);
        list[20] = 4;
        list[21] = 1;
        list[24] = 0; // CSI: NVM command set
        return this.transferOut(c, list);
      }
      case 0x14:
      case 0x15: {
        // Primary Controller Capabilities, Secondary Controller List (from CDW10.CNTID on).
        const data = this.host.management?.identify(cns, dw10 >>> 16);
        return data ? this.transferOut(c, data) : { status: SC.INVALID_FIELD | DNR };
      }
      default:
        return { status: SC.INVALID_FIELD | DNR };
    }
  }

  /** Identify Controller (§5.15.2.2) with the fields QEMU 7.2 fills that drivers read. */
  identifyController(): Uint8Array {
    const b = new Uint8Array(PAGE);
    const v = new DataView(b.buffer);
    v.setUint16(0, this.id.vendorId, true);
    v.setUint16(2, this.id.subsystemVendorId, true);
    ascii(b, 4, 20, this.id.serial);
    ascii(b, 24, 40, 'QEMU NVMe Ctrl');
    ascii(b, 64, 8, '1.0');
    b[72] = 6; // RAB
    b[73] = 0x00;
    b[74] = 0x54;
    b[75] = 0x52; // IEEE OUI 52:54:00
    if (this.id.multiController) b[76] = 1 << 1; // CMIC: the subsystem may hold several controllers
    b[77] = MDTS;
    v.setUint16(78, this.id.controllerId, true);
    v.setUint32(80, NVME_VERSION_1_4, true);
    v.setUint32(92, 1 << 8, true); // OAES: namespace attribute notices
    b[111] = 1; // CNTRLTYPE: I/O controller
    b[258] = 3; // ACL
    b[259] = 3; // AERL
    b[260] = 0x03; // FRMW
    b[261] = 0x07; // LPA
    b[262] = 0; // ELPE
    v.setUint16(266, 0x0157, true); // WCTEMP 343 K
    v.setUint16(268, 0x0175, true); // CCTEMP 373 K
    b[512] = 0x66; // SQES: 64 bytes
    b[513] = 0x44; // CQES: 16 bytes
    v.setUint32(516, MAX_NAMESPACES, true); // NN
    v.setUint16(520, (1 << 2) | (1 << 3), true); // ONCS: DSM, Write Zeroes
    b[525] = 1; // VWC present
    // SUBNQN is a NUL-terminated UTF-8 string (Linux rejects one that fills the field, as space padding would).
    const nqn = `nqn.2019-08.org.qemu:${this.id.serial}`;
    for (let i = 0; i < nqn.length && i < 255; i++) b[768 + i] = nqn.charCodeAt(i) & 0x7f;
    // Power state 0: 25 W.
    v.setUint16(2048, 0x09c4, true);
    v.setUint32(2052, 0x10, true);
    v.setUint32(2056, 0x4, true);
    return b;
  }

  /** Identify Namespace (NVM §4.1.5.1): eight LBA formats as QEMU offers them, format 0 (512 bytes) in use. */
  private identifyNamespace(ns: NvmeNamespace | undefined): Uint8Array {
    const b = new Uint8Array(PAGE);
    if (!ns) return b;
    const v = new DataView(b.buffer);
    const blocks = Math.floor(ns.drive.size / 512);
    for (const off of [0, 8, 16]) {
      v.setUint32(off, blocks % 2 ** 32, true);
      v.setUint32(off + 4, Math.floor(blocks / 2 ** 32), true);
    }
    b[24] = 1 << 2; // NSFEAT: deallocated blocks read as zeros
    b[25] = 7; // NLBAF: 8 formats
    b[26] = 0; // FLBAS
    b[27] = 0x03; // MC
    b[28] = 0x1f; // DPC
    if (this.id.multiController) b[30] = 1; // NMIC: shared namespace
    b[33] = 0x0f; // DLFEAT
    const formats: [number, number][] = [[0, 9], [8, 9], [16, 9], [64, 9], [0, 12], [8, 12], [16, 12], [64, 12]];
    formats.forEach(([ms, lbads], i) => {
      v.setUint16(128 + 4 * i, ms, true);
      b[128 + 4 * i + 2] = lbads;
    });
    return b;
  }

  // ---- I/O commands -------------------------------------------------------------------------

  private io(c: DataView): Completion {
    const opcode = c.getUint8(0);
    const nsid = c.getUint32(4, true);
    const ns = this.namespaces.get(nsid);
    if (opcode === NVM.FLUSH) {
      if (nsid === 0xffff_ffff) return { status: [...this.namespaces.values()].every((n) => n.drive.flush()) ? SC.SUCCESS : SC.WRITE_FAULT };
      if (!ns) return { status: SC.INVALID_NSID | DNR };
      return { status: ns.drive.flush() ? SC.SUCCESS : SC.WRITE_FAULT };
    }
    if (opcode !== NVM.READ && opcode !== NVM.WRITE && opcode !== NVM.WRITE_ZEROES && opcode !== NVM.DSM) return { status: SC.INVALID_OPCODE | DNR };
    if (!ns) return { status: SC.INVALID_NSID | DNR };
    if (opcode === NVM.DSM) return { status: SC.SUCCESS }; // deallocation is advisory
    const slba = c.getUint32(40, true) + c.getUint32(44, true) * 2 ** 32;
    const nlb = (c.getUint32(48, true) & 0xffff) + 1;
    const blocks = Math.floor(ns.drive.size / 512);
    if (slba + nlb > blocks) return { status: SC.LBA_RANGE | DNR };
    const bytes = nlb * 512;
    if (opcode === NVM.WRITE_ZEROES) {
      if (ns.drive.readOnly) return { status: SC.WRITE_FAULT | DNR };
      return { status: ns.drive.write(slba * 512, new Uint8Array(bytes)) ? SC.SUCCESS : SC.WRITE_FAULT };
    }
    if (bytes > (1 << MDTS) * PAGE) return { status: SC.INVALID_FIELD | DNR };
    if (opcode === NVM.READ) {
      const data = new Uint8Array(bytes);
      if (!ns.drive.read(slba * 512, data)) return { status: SC.UNRECOVERED_READ };
      return this.transferOut(c, data);
    }
    if (ns.drive.readOnly) return { status: SC.WRITE_FAULT | DNR };
    const data = new Uint8Array(bytes);
    const status = this.transfer(c, data, false);
    if (status !== SC.SUCCESS) return { status };
    return { status: ns.drive.write(slba * 512, data) ? SC.SUCCESS : SC.WRITE_FAULT };
  }

  /** Data from the controller to the host through the command's PRPs. */
  private transferOut(c: DataView, data: Uint8Array): Completion {
    return { status: this.transfer(c, data, true) };
  }

  /** Moves `data` to (toHost) or from host memory through the command's PRPs; the status. */
  private transfer(c: DataView, data: Uint8Array, toHost: boolean): number {
    const regions = this.prps(c, data.length);
    if (!regions) return SC.DATA_TRANSFER_ERROR | DNR;
    let at = 0;
    for (const r of regions) {
      const part = data.subarray(at, at + r.length);
      if (!(toHost ? this.host.dmaWrite(r.address, part) : this.host.dmaRead(r.address, part))) return SC.DATA_TRANSFER_ERROR;
      at += r.length;
    }
    return SC.SUCCESS;
  }

  /**
   * The memory regions PRP1/PRP2 describe for `length` bytes (§4.3): PRP1
   * with its offset, then PRP2 as the second page or as a PRP list whose
   * last entry chains to the next list page. Undefined when an entry is
   * not page-aligned or a list cannot be read.
   */
  private prps(c: DataView, length: number): { address: number; length: number }[] | undefined {
    const out: { address: number; length: number }[] = [];
    const p1 = prp1(c);
    const p2 = c.getUint32(32, true) + c.getUint32(36, true) * 2 ** 32;
    const first = Math.min(length, PAGE - (p1 % PAGE));
    out.push({ address: p1, length: first });
    let left = length - first;
    if (left === 0) return out;
    if (left <= PAGE) {
      if (p2 % PAGE) return undefined;
      out.push({ address: p2, length: left });
      return out;
    }
    // A PRP list (its pointer may carry an offset inside the page, §4.3); every step consumes a page or follows a chain.
    let list = p2;
    const entry = new Uint8Array(8);
    const ev = new DataView(entry.buffer);
    for (let chains = 0; left > 0; chains++) {
      if (list % 8 || chains > length / PAGE + 1) return undefined;
      const slots = (PAGE - (list % PAGE)) / 8;
      let next = -1;
      for (let i = 0; i < slots && left > 0; i++) {
        if (!this.host.dmaRead(list + 8 * i, entry)) return undefined;
        const addr = ev.getUint32(0, true) + ev.getUint32(4, true) * 2 ** 32;
        if (i === slots - 1 && left > PAGE) {
          next = addr; // the last entry of a list page points at the next list page
          break;
        }
        if (addr % PAGE) return undefined;
        const n = Math.min(left, PAGE);
        out.push({ address: addr, length: n });
        left -= n;
      }
      if (left > 0 && next < 0) return undefined;
      list = next;
    }
    return out;
  }
}

function prp1(c: DataView): number {
  return c.getUint32(24, true) + c.getUint32(28, true) * 2 ** 32;
}

function ascii(b: Uint8Array, at: number, length: number, text: string): void {
  for (let i = 0; i < length; i++) b[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/** A version-4-shaped UUID from a name (FNV-1a over the text, spread over 16 bytes): the same name, the same UUID. */
function uuidFor(name: string): Uint8Array {
  const out = new Uint8Array(16);
  let h = 0x811c9dc5;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    new DataView(out.buffer).setUint32(4 * round, h);
  }
  out[6] = (out[6]! & 0x0f) | 0x40;
  out[8] = (out[8]! & 0x3f) | 0x80;
  return out;
}
