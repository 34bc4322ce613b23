/**
 * The NVMe controller driven as SeaBIOS 1.16.2's nvme driver drives it
 * (src/hw/nvme.c: disable, admin queues, enable, Identify Controller, I/O
 * queue pair 1, Identify Namespace for every NSID up to NN, reads through
 * PRP1/PRP2/PRP lists) and as Linux's does (Set Features Number of Queues,
 * several queue pairs, MSI-X and INTx interrupts), against guest RAM
 * through the bus-master DMA path; and with SR-IOV, the PF assigning
 * queues and vectors to a VF's secondary controller, which then serves
 * I/O on the PF's namespace (QEMU 7.2's virtualization management).
 */
import { describe, expect, it } from 'vitest';
import { memoryDrive } from '../../../runtime/backends/drive.js';
import { ADMIN, CC_EN, CSTS_CFS, CSTS_RDY, DOORBELL_BASE, NVM, NVME_REG, SC } from '../../../runtime/devices/nvme/controller.js';
import { Nvme, PcieRootPort, Q35Machine } from '../../../runtime/index.js';
import * as R from '../../../runtime/pci/registers.js';
import { captureMsi, firstDifference, GuestView, mapBar } from './guest.js';
import { ecamWrite, enableEcam } from '../support.js';

const MiB = 1024 * 1024;
const BAR0 = 0xfe00_0000;

function pattern(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 29 + seed + (i >> 9)) & 0xff;
  return b;
}

function setup(namespaces: { nsid: number; bytes: Uint8Array }[]): { m: Q35Machine; nvme: Nvme; g: GuestView } {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
  const spec = { image: 'unused.raw', format: 'raw' as const, readonly: false };
  const nvme = m.attach(m.root, 0x05, 0, new Nvme({ bus: 'pcie-root', serial: 'MACHC0001', namespaces: namespaces.map((n) => ({ nsid: n.nsid, drive: spec })) }));
  m.reset();
  namespaces.forEach((n, i) => nvme.namespaces[i]!.drive.attach(memoryDrive(n.bytes)));
  mapBar(nvme, 0, BAR0, { mem64: true });
  return { m, nvme, g: new GuestView(m) };
}

interface Queue {
  sq: number;
  cq: number;
  size: number;
  tail: number;
  head: number;
  phase: number;
  qid: number;
}

/** A small NVMe driver: queues in guest RAM, one command at a time, polling the phase tag. */
class NvmeDriver {
  readonly admin: Queue;
  readonly log: string[] = [];
  private cid = 0;

  constructor(
    readonly m: Q35Machine,
    readonly g: GuestView,
    readonly base = BAR0,
  ) {
    this.w(NVME_REG.CC, 0);
    expect(this.r(NVME_REG.CSTS) & CSTS_RDY).toBe(0);
    this.admin = this.queue(0, 32);
    this.w(NVME_REG.AQA, ((32 - 1) << 16) | (32 - 1));
    this.w(NVME_REG.ASQ, this.admin.sq);
    this.w(NVME_REG.ASQ + 4, 0);
    this.w(NVME_REG.ACQ, this.admin.cq);
    this.w(NVME_REG.ACQ + 4, 0);
    this.w(NVME_REG.CC, CC_EN | (4 << 20) | (6 << 16));
    expect(this.r(NVME_REG.CSTS) & CSTS_RDY).toBe(CSTS_RDY);
  }

  r(reg: number): number {
    return this.m.memory.read(this.base + reg, 4) >>> 0;
  }
  w(reg: number, v: number): void {
    this.m.memory.write(this.base + reg, 4, v >>> 0);
  }

  queue(qid: number, size: number): Queue {
    return { sq: this.g.alloc(size * 64, 4096), cq: this.g.alloc(size * 16, 4096), size, tail: 0, head: 0, phase: 1, qid };
  }

  /** Submits one command and waits for its completion; returns status (SCT << 8 | SC) and DW0. */
  submit(q: Queue, opcode: number, f: { nsid?: number; prp1?: number; prp2?: number; cdw?: number[] } = {}): { status: number; result: number } {
    const g = this.g;
    const e = q.sq + q.tail * 64;
    g.write(e, new Uint8Array(64));
    const cid = (this.cid = (this.cid + 1) & 0xffff);
    g.w32(e, opcode | (cid << 16));
    g.w32(e + 4, f.nsid ?? 0);
    g.w64(e + 24, f.prp1 ?? 0);
    g.w64(e + 32, f.prp2 ?? 0);
    (f.cdw ?? []).forEach((v, i) => g.w32(e + 40 + 4 * i, v));
    q.tail = (q.tail + 1) % q.size;
    this.w(DOORBELL_BASE + 8 * q.qid, q.tail);
    const c = q.cq + q.head * 16;
    const sts = g.r16(c + 14);
    expect(sts & 1).toBe(q.phase); // done synchronously: the entry is there with the current phase
    expect(g.r16(c + 12)).toBe(cid);
    const result = g.r32(c);
    q.head = (q.head + 1) % q.size;
    if (q.head === 0) q.phase ^= 1;
    this.w(DOORBELL_BASE + 8 * q.qid + 4, q.head);
    return { status: sts >> 1, result };
  }

  /** SeaBIOS's nvme_controller_enable after the admin queues: identify, I/O queue pair 1, every namespace. */
  probe(serial = 'MACHC0001'): { io: Queue; namespaces: { nsid: number; blocks: number; blockSize: number }[] } {
    const g = this.g;
    const buf = g.alloc(4096, 4096);
    expect(this.submit(this.admin, ADMIN.IDENTIFY, { prp1: buf, cdw: [1] }).status).toBe(0);
    const nn = g.r32(buf + 516);
    const mdts = g.r8(buf + 77);
    expect(new TextDecoder().decode(g.read(buf + 24, 40)).trimEnd()).toBe('QEMU NVMe Ctrl');
    expect(new TextDecoder().decode(g.read(buf + 4, 20)).trimEnd()).toBe(serial);
    const io = this.queue(1, 64);
    expect(this.submit(this.admin, ADMIN.CREATE_CQ, { prp1: io.cq, cdw: [((io.size - 1) << 16) | 1, 1] }).status).toBe(0);
    expect(this.submit(this.admin, ADMIN.CREATE_SQ, { prp1: io.sq, cdw: [((io.size - 1) << 16) | 1, (1 << 16) | 1] }).status).toBe(0);
    const namespaces: { nsid: number; blocks: number; blockSize: number }[] = [];
    for (let nsid = 1; nsid <= nn; nsid++) {
      expect(this.submit(this.admin, ADMIN.IDENTIFY, { nsid, prp1: buf, cdw: [0] }).status).toBe(0);
      const nsze = g.r32(buf) + g.r32(buf + 4) * 2 ** 32;
      if (!nsze) continue;
      const flbas = g.r8(buf + 26) & 0xf;
      const lbads = g.r8(buf + 128 + 4 * flbas + 2);
      const ms = g.r16(buf + 128 + 4 * flbas);
      const blockSize = 2 ** lbads;
      this.log.push(`NVME NS ${nsid} max request size: ${((1 << mdts) * 4096) / blockSize} sectors`);
      this.log.push(`NVMe NS ${nsid}: ${Math.floor((nsze * blockSize) / MiB)} MiB (${nsze} ${blockSize}-byte blocks + ${ms}-byte metadata)`);
      namespaces.push({ nsid, blocks: nsze, blockSize });
    }
    return { io, namespaces };
  }

  read(io: Queue, nsid: number, lba: number, count: number, buf: number, prp2 = 0): number {
    return this.submit(io, NVM.READ, { nsid, prp1: buf, prp2, cdw: [lba, 0, count - 1] }).status;
  }

  /** Identify with CNS `cns` (and CDW10.CNTID) into a fresh page; the page. */
  identify(cns: number, cntid = 0): { status: number; page: number } {
    const page = this.g.alloc(4096, 4096);
    return { status: this.submit(this.admin, ADMIN.IDENTIFY, { prp1: page, cdw: [(cntid << 16) | cns] }).status, page };
  }

  /** Virtualization Management: action, resource type, controller, number of resources; status and result. */
  virt(act: number, rt: number, cntlid: number, nr = 0): { status: number; result: number } {
    return this.submit(this.admin, ADMIN.VIRT_MGMT, { cdw: [act | (rt << 8) | (cntlid << 16), nr] });
  }
}

describe('NVMe: SeaBIOS 1.16.2', () => {
  it('brings the controller up, finds the active namespaces among NN = 256 and reads through PRPs', () => {
    const ns1 = pattern(64 * MiB, 1);
    const ns3 = pattern(2 * MiB, 3);
    const { m, g } = setup([
      { nsid: 1, bytes: ns1 },
      { nsid: 3, bytes: ns3 },
    ]);
    const d = new NvmeDriver(m, g);
    expect(d.r(NVME_REG.VS)).toBe(0x10400);
    expect(d.r(NVME_REG.CAP + 4) >>> 5 & 1).toBe(1); // CSS: NVM command set
    const { io, namespaces } = d.probe();
    expect(namespaces).toEqual([
      { nsid: 1, blocks: 131072, blockSize: 512 },
      { nsid: 3, blocks: 4096, blockSize: 512 },
    ]);
    expect(d.log).toEqual([
      'NVME NS 1 max request size: 1024 sectors',
      'NVMe NS 1: 64 MiB (131072 512-byte blocks + 0-byte metadata)',
      'NVME NS 3 max request size: 1024 sectors',
      'NVMe NS 3: 2 MiB (4096 512-byte blocks + 0-byte metadata)',
    ]);
    // One page through PRP1 with an offset, two pages through PRP1+PRP2, 64 pages through a PRP list.
    const page = g.alloc(8192, 4096);
    expect(d.read(io, 1, 5, 1, page + 512)).toBe(SC.SUCCESS);
    expect(firstDifference(g.read(page + 512, 512), ns1.subarray(5 * 512, 6 * 512))).toBe(-1);
    const a = g.alloc(4096, 4096);
    const b = g.alloc(4096, 4096);
    expect(d.read(io, 3, 8, 16, a, b)).toBe(SC.SUCCESS);
    expect(firstDifference(new Uint8Array([...g.read(a, 4096), ...g.read(b, 4096)]), ns3.subarray(8 * 512, 24 * 512))).toBe(-1);
    const big = g.alloc(64 * 4096, 4096);
    const list = g.alloc(4096, 4096);
    for (let i = 1; i < 64; i++) g.w64(list + 8 * (i - 1), big + 4096 * i);
    expect(d.read(io, 1, 1000, 512, big, list)).toBe(SC.SUCCESS);
    expect(firstDifference(g.read(big, 64 * 4096), ns1.subarray(1000 * 512, 1512 * 512))).toBe(-1);
    // Errors: past the end, an inactive namespace, an unknown opcode.
    expect(d.read(io, 3, 4095, 2, page) & 0xfff).toBe(SC.LBA_RANGE);
    expect(d.read(io, 2, 0, 1, page) & 0xfff).toBe(SC.INVALID_NSID);
    expect(d.submit(io, 0x7f, { nsid: 1 }).status & 0xfff).toBe(SC.INVALID_OPCODE);
  });

  it('a controller without namespaces reports none (the disk-controllers capture registers no drive for it)', () => {
    const { m, g } = setup([]);
    const d = new NvmeDriver(m, g);
    expect(d.probe().namespaces).toEqual([]);
  });
});

describe('NVMe: what Linux does', () => {
  it('Number of Queues, writes then reads on queue pair 2, MSI-X per completion queue, then INTx with INTMS', () => {
    const { m, nvme, g } = setup([{ nsid: 1, bytes: new Uint8Array(4 * MiB) }]);
    const d = new NvmeDriver(m, g);
    const q = d.submit(d.admin, ADMIN.SET_FEATURES, { cdw: [0x07, (3 << 16) | 3] });
    expect(q).toEqual({ status: 0, result: (63 << 16) | 63 });
    // MSI-X: enable, program vector 2.
    const msi = captureMsi(m);
    nvme.configWrite(nvme.msix.offset + 2, 2, 0x8000);
    const table = BAR0 + 0x2000; // nvmeBar0Layout(64, 65).tableOffset
    m.memory.write(table + 2 * 16, 4, 0xfee0_0000);
    m.memory.write(table + 2 * 16 + 8, 4, 0x45);
    m.memory.write(table + 2 * 16 + 12, 4, 0);
    const io = d.queue(2, 16);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: io.cq, cdw: [((16 - 1) << 16) | 2, (2 << 16) | 3] }).status).toBe(0);
    expect(d.submit(d.admin, ADMIN.CREATE_SQ, { prp1: io.sq, cdw: [((16 - 1) << 16) | 2, (2 << 16) | 1] }).status).toBe(0);
    msi.length = 0;
    const buf = g.alloc(4096, 4096);
    const data = pattern(4096, 7);
    g.write(buf, data);
    expect(d.submit(io, NVM.WRITE, { nsid: 1, prp1: buf, cdw: [64, 0, 7] }).status).toBe(0);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x45, rid: 0x28 }]);
    g.write(buf, new Uint8Array(4096));
    expect(d.read(io, 1, 64, 8, buf)).toBe(0);
    expect(firstDifference(g.read(buf, 4096), data)).toBe(-1);
    expect(d.submit(io, NVM.FLUSH, { nsid: 1 }).status).toBe(0);

    // INTx: MSI-X off; a completion asserts the pin until the driver consumes it; INTMS masks it.
    nvme.configWrite(nvme.msix.offset + 2, 2, 0);
    const e = io.sq + io.tail * 64;
    g.write(e, new Uint8Array(64));
    g.w32(e, NVM.FLUSH | (99 << 16));
    g.w32(e + 4, 1);
    io.tail = (io.tail + 1) % io.size;
    d.w(DOORBELL_BASE + 8 * 2, io.tail);
    expect(nvme.intxAsserted).toBe(true);
    d.w(NVME_REG.INTMS, 1);
    expect(nvme.intxAsserted).toBe(false);
    d.w(NVME_REG.INTMC, 1);
    expect(nvme.intxAsserted).toBe(true);
    io.head = (io.head + 1) % io.size;
    d.w(DOORBELL_BASE + 8 * 2 + 4, io.head);
    expect(nvme.intxAsserted).toBe(false);
  });

  it('queue creation checks: bad QID, size, vector, missing CQ, deleting a CQ still in use', () => {
    const { m, g } = setup([{ nsid: 1, bytes: new Uint8Array(MiB) }]);
    const d = new NvmeDriver(m, g);
    const cq = g.alloc(4096, 4096);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 0, 1] }).status & 0x7ff).toBe(SC.INVALID_QID);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 65, 1] }).status & 0x7ff).toBe(SC.INVALID_QID);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(0x7ff << 16) + (1 << 27) | 1, 1] }).status & 0x7ff).toBe(SC.INVALID_QSIZE);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 1, (200 << 16) | 3] }).status & 0x7ff).toBe(SC.INVALID_VECTOR);
    expect(d.submit(d.admin, ADMIN.CREATE_SQ, { prp1: cq, cdw: [(15 << 16) | 1, (1 << 16) | 1] }).status & 0x7ff).toBe(SC.CQ_INVALID);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 1, 1] }).status).toBe(0);
    const sq = g.alloc(4096, 4096);
    expect(d.submit(d.admin, ADMIN.CREATE_SQ, { prp1: sq, cdw: [(15 << 16) | 1, (1 << 16) | 1] }).status).toBe(0);
    expect(d.submit(d.admin, ADMIN.DELETE_CQ, { cdw: [1] }).status & 0x7ff).toBe(SC.INVALID_QUEUE_DELETION);
    expect(d.submit(d.admin, ADMIN.DELETE_SQ, { cdw: [1] }).status).toBe(0);
    expect(d.submit(d.admin, ADMIN.DELETE_CQ, { cdw: [1] }).status).toBe(0);
  });
});

describe('NVMe: a misbehaving guest', () => {
  it('a PRP list that chains to itself, unaligned entries and a full completion queue end cleanly', () => {
    const { m, g } = setup([{ nsid: 1, bytes: new Uint8Array(MiB) }]);
    const d = new NvmeDriver(m, g);
    const { io } = d.probe();
    const list = g.alloc(4096, 4096);
    g.w64(list + 4088, list + 4088); // last slot chains to itself
    expect(d.read(io, 1, 0, 256, g.alloc(4096, 4096), list + 4088) & 0x7ff).toBe(SC.DATA_TRANSFER_ERROR);
    expect(d.read(io, 1, 0, 16, g.alloc(4096, 4096), list + 3) & 0x7ff).toBe(SC.DATA_TRANSFER_ERROR);
    // A completion queue of 2 entries holds one completion; the second command waits for the head doorbell.
    const cq = g.alloc(4096, 4096);
    const sq = g.alloc(4096, 4096);
    expect(d.submit(d.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(1 << 16) | 2, 1] }).status).toBe(0);
    expect(d.submit(d.admin, ADMIN.CREATE_SQ, { prp1: sq, cdw: [(7 << 16) | 2, (2 << 16) | 1] }).status).toBe(0);
    for (let i = 0; i < 2; i++) {
      g.w32(sq + 64 * i, NVM.FLUSH | ((10 + i) << 16));
      g.w32(sq + 64 * i + 4, 1);
    }
    d.w(DOORBELL_BASE + 16, 2);
    expect(g.r16(cq + 12)).toBe(10);
    expect(g.r16(cq + 16 + 12)).toBe(0);
    d.w(DOORBELL_BASE + 16 + 4, 1);
    expect(g.r16(cq + 16 + 12)).toBe(11);
  });

  it('enabling with no admin queues is a controller fatal status; random register writes never throw', () => {
    const { m } = setup([{ nsid: 1, bytes: new Uint8Array(MiB) }]);
    m.memory.write(BAR0 + NVME_REG.CC, 4, CC_EN);
    expect(m.memory.read(BAR0 + NVME_REG.CSTS, 4)).toBe(CSTS_CFS);
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 5000; i++) {
      const w = ([1, 2, 4] as const)[rnd() % 3]!;
      expect(() => m.memory.write(BAR0 + (rnd() % 0x1100), w, rnd())).not.toThrow();
      expect(() => m.memory.read(BAR0 + (rnd() % 0x4000), w)).not.toThrow();
    }
  });
});

describe('NVMe SR-IOV: a VF serves I/O once the PF assigns it resources (QEMU 7.2 virtualization management)', () => {
  const PF_BAR = 0xfe00_0000;
  const VF_BAR = 0xfe40_0000;
  const SRIOV = 0x120;
  const ACT = { PRIMARY: 0x1, OFFLINE: 0x7, ASSIGN: 0x8, ONLINE: 0x9 };
  const VQ = 0;
  const VI = 1;
  const DNR = 0x4000;

  /** q35, a root port at 00:10.0, the PF at 01:00.0 with two VFs and 8 flexible queues, 4 flexible vectors; namespace 1 of 1 MiB. */
  function sriovSetup(): { m: Q35Machine; pf: Nvme; g: GuestView; disk: Uint8Array } {
    const m = new Q35Machine({ ram: { below4g: 256 * MiB } });
    const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
    const spec = { image: 'unused.raw', format: 'raw' as const, readonly: false };
    const pf = rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 'SRIOV0001', sriov: { totalVfs: 2, vqFlexible: 8, viFlexible: 4 }, namespaces: [{ nsid: 1, drive: spec }] }));
    m.reset();
    const disk = new Uint8Array(MiB);
    pf.namespaces[0]!.drive.attach(memoryDrive(disk));
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100); // buses 1-1
    ecamWrite(m, 0, 0x80, 0x20, 4, 0xfe70_fe00); // memory window 0xfe000000-0xfe7fffff
    ecamWrite(m, 0, 0x80, 0x04, 2, R.CMD_MEMORY | R.CMD_MASTER);
    mapBar(pf, 0, PF_BAR, { mem64: true });
    return { m, pf, g: new GuestView(m), disk };
  }

  /** What a driver's sriov_enable does: NumVFs, the VF BAR, VF Enable + VF MSE; then Bus Master Enable in each VF. */
  function enableVfs(pf: Nvme, n: number): void {
    pf.configWrite(SRIOV + 0x10, 2, n);
    pf.configWrite(SRIOV + 0x24, 4, VF_BAR);
    pf.configWrite(SRIOV + 0x28, 4, 0);
    pf.configWrite(SRIOV + 0x08, 2, 0x0009);
    for (let i = 0; i < n; i++) pf.vf(i).configWrite(R.COMMAND, 2, R.CMD_MASTER);
  }

  const msixTableSize = (f: Nvme | ReturnType<Nvme['vf']>) => (f.configRead(0x40 + 2, 2) & 0x7ff) + 1;

  it('Identify CNS 14h/15h with QEMU values, assign, online, enable the VF, I/O both ways through VF and PF, MSI-X from the VF', () => {
    const { m, pf, g, disk } = sriovSetup();
    const d = new NvmeDriver(m, g, PF_BAR);
    // Primary Controller Capabilities: the flexible resources are all free after reset; the PF keeps the rest.
    const cap = d.identify(0x14);
    expect(cap.status).toBe(0);
    const capFields = (p: number) => ({
      cntlid: g.r16(p), crt: g.r8(p + 4),
      vqfrt: g.r32(p + 32), vqrfa: g.r32(p + 36), vqrfap: g.r16(p + 40), vqprt: g.r16(p + 42), vqfrsm: g.r16(p + 44), vqgran: g.r16(p + 46),
      vifrt: g.r32(p + 64), virfa: g.r32(p + 68), virfap: g.r16(p + 72), viprt: g.r16(p + 74), vifrsm: g.r16(p + 76), vigran: g.r16(p + 78),
    });
    expect(capFields(cap.page)).toEqual({
      cntlid: 0, crt: 3,
      vqfrt: 8, vqrfa: 0, vqrfap: 0, vqprt: 1 + 64 - 8, vqfrsm: 4, vqgran: 1,
      vifrt: 4, virfa: 0, virfap: 0, viprt: 65 - 4, vifrsm: 2, vigran: 1,
    });
    // The PF's own queues and vectors: max_ioqpairs - vq_flexible pairs, msix_qsize - vi_flexible vectors.
    expect(d.submit(d.admin, ADMIN.GET_FEATURES, { cdw: [0x07] }).result).toBe((55 << 16) | 55);
    expect(msixTableSize(pf)).toBe(61);
    // Secondary Controller List: one per VF, SCID 1 and 2; from CNTID 2 on, one.
    const list = (p: number) => ({
      n: g.r8(p),
      entries: Array.from({ length: g.r8(p) }, (_, i) => {
        const e = p + 32 + 32 * i;
        return { scid: g.r16(e), pcid: g.r16(e + 2), scs: g.r8(e + 4), vfn: g.r16(e + 8), nvq: g.r16(e + 10), nvi: g.r16(e + 12) };
      }),
    });
    expect(list(d.identify(0x15).page)).toEqual({
      n: 2,
      entries: [
        { scid: 1, pcid: 0, scs: 0, vfn: 1, nvq: 0, nvi: 0 },
        { scid: 2, pcid: 0, scs: 0, vfn: 2, nvq: 0, nvi: 0 },
      ],
    });
    expect(list(d.identify(0x15, 2).page).entries.map((e) => e.scid)).toEqual([2]);

    enableVfs(pf, 2);
    const vf = pf.vf(0);
    expect(msixTableSize(vf)).toBe(1);
    // Queues (the admin queue and two I/O queues) and two vectors to secondary controller 1, then online.
    expect(d.virt(ACT.ASSIGN, VQ, 1, 3)).toEqual({ status: 0, result: 3 });
    expect(d.virt(ACT.ASSIGN, VI, 1, 2)).toEqual({ status: 0, result: 2 });
    expect(d.virt(ACT.ONLINE, VQ, 1)).toEqual({ status: 0, result: 0 });
    expect(list(d.identify(0x15).page).entries[0]).toEqual({ scid: 1, pcid: 0, scs: 1, vfn: 1, nvq: 3, nvi: 2 });
    expect(capFields(d.identify(0x14).page)).toMatchObject({ vqrfa: 3, virfa: 2 });
    expect(msixTableSize(vf)).toBe(2);

    // The VF's controller: enabled like any controller, CNTLID 1 in a multi-controller subsystem, its two queue pairs.
    const v = new NvmeDriver(m, g, VF_BAR);
    const id = v.identify(0x01);
    expect(g.r16(id.page + 78)).toBe(1);
    expect(g.r8(id.page + 76) & 2).toBe(2);
    expect(v.submit(v.admin, ADMIN.GET_FEATURES, { cdw: [0x07] }).result).toBe((1 << 16) | 1);
    const cq = g.alloc(4096, 4096);
    expect(v.submit(v.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 3, 1] }).status & 0x7ff).toBe(SC.INVALID_QID);
    expect(v.submit(v.admin, ADMIN.CREATE_CQ, { prp1: cq, cdw: [(15 << 16) | 1, (2 << 16) | 3] }).status & 0x7ff).toBe(SC.INVALID_VECTOR);
    // MSI-X in the VF (its table at BAR0 + 0x2000), vector 1 for I/O queue pair 1.
    const msi = captureMsi(m);
    vf.configWrite(0x40 + 2, 2, 0x8000);
    m.memory.write(VF_BAR + 0x2000 + 16, 4, 0xfee0_0000);
    m.memory.write(VF_BAR + 0x2000 + 16 + 8, 4, 0x51);
    m.memory.write(VF_BAR + 0x2000 + 16 + 12, 4, 0);
    const io = v.queue(1, 16);
    expect(v.submit(v.admin, ADMIN.CREATE_CQ, { prp1: io.cq, cdw: [(15 << 16) | 1, (1 << 16) | 3] }).status).toBe(0);
    expect(v.submit(v.admin, ADMIN.CREATE_SQ, { prp1: io.sq, cdw: [(15 << 16) | 1, (1 << 16) | 1] }).status).toBe(0);
    msi.length = 0;
    const buf = g.alloc(8192, 4096);
    const viaVf = pattern(4096, 11);
    g.write(buf, viaVf);
    expect(v.submit(io, NVM.WRITE, { nsid: 1, prp1: buf, cdw: [100, 0, 7] }).status).toBe(0);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x51, rid: vf.rid }]);
    expect(vf.rid).toBe(0x0101);
    expect(firstDifference(disk.subarray(100 * 512, 108 * 512), viaVf)).toBe(-1);

    // The PF reads what the VF wrote, and writes what the VF then reads: one namespace.
    const { io: pfIo } = d.probe('SRIOV0001');
    g.write(buf, new Uint8Array(4096));
    expect(d.read(pfIo, 1, 100, 8, buf)).toBe(0);
    expect(firstDifference(g.read(buf, 4096), viaVf)).toBe(-1);
    const viaPf = pattern(4096, 23);
    g.write(buf + 4096, viaPf);
    expect(d.submit(pfIo, NVM.WRITE, { nsid: 1, prp1: buf + 4096, cdw: [300, 0, 7] }).status).toBe(0);
    msi.length = 0;
    expect(v.read(io, 1, 300, 8, buf)).toBe(0);
    expect(firstDifference(g.read(buf, 4096), viaPf)).toBe(-1);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x51, rid: 0x0101 }]);

    // DMA is the VF's: without its Bus Master Enable the command is not even fetched.
    vf.configWrite(R.COMMAND, 2, 0);
    const before = g.read(io.cq, 256);
    const e = io.sq + io.tail * 64;
    g.write(e, new Uint8Array(64));
    g.w32(e, NVM.FLUSH | (77 << 16));
    g.w32(e + 4, 1);
    v.w(DOORBELL_BASE + 8, (io.tail + 1) % io.size);
    expect(firstDifference(g.read(io.cq, 256), before)).toBe(-1);
    expect(msi).toHaveLength(1);

    // FLR of the VF: its controller resets, still online with its resources.
    vf.configWrite(0x80 + 8, 2, 0x8000);
    expect(v.r(NVME_REG.CC)).toBe(0);
    expect(v.r(NVME_REG.CSTS)).toBe(0);
    expect(msixTableSize(vf)).toBe(2);
    vf.configWrite(R.COMMAND, 2, R.CMD_MASTER); // the FLR cleared Bus Master Enable
    const again = new NvmeDriver(m, g, VF_BAR);
    expect(again.submit(again.admin, ADMIN.GET_FEATURES, { cdw: [0x07] }).result).toBe((1 << 16) | 1);

    // Offline through the PF: resources released, the VF's registers read 0 but CSTS, which says fatal.
    expect(d.virt(ACT.OFFLINE, VQ, 1).status).toBe(0);
    expect(v.r(NVME_REG.CSTS)).toBe(CSTS_CFS);
    expect(v.r(NVME_REG.VS)).toBe(0);
    expect(msixTableSize(vf)).toBe(1);
    expect(list(d.identify(0x15).page).entries[0]).toEqual({ scid: 1, pcid: 0, scs: 0, vfn: 1, nvq: 0, nvi: 0 });
    expect(capFields(d.identify(0x14).page)).toMatchObject({ vqrfa: 0, virfa: 0 });
  });

  it('refuses: CC.EN before online, online without resources, more than the flexible resources, unknown controllers; VF Enable cleared releases', () => {
    const { m, pf, g } = sriovSetup();
    const d = new NvmeDriver(m, g, PF_BAR);
    enableVfs(pf, 2);
    // CC.EN on an offline VF: ignored (QEMU drops MMIO to an offline VF but CSTS), never ready.
    const vfReg = (reg: number) => m.memory.read(VF_BAR + reg, 4) >>> 0;
    const aq = g.alloc(8192, 4096);
    m.memory.write(VF_BAR + NVME_REG.AQA, 4, (31 << 16) | 31);
    m.memory.write(VF_BAR + NVME_REG.ASQ, 4, aq);
    m.memory.write(VF_BAR + NVME_REG.ACQ, 4, aq + 4096);
    m.memory.write(VF_BAR + NVME_REG.CC, 4, CC_EN | (4 << 20) | (6 << 16));
    expect(vfReg(NVME_REG.CC)).toBe(0);
    expect(vfReg(NVME_REG.CSTS) & CSTS_RDY).toBe(0);
    expect(vfReg(NVME_REG.AQA)).toBe(0);
    expect(vfReg(NVME_REG.VS)).toBe(0);
    // Online needs NVI >= 1 and NVQ >= 2 (the admin queue and one I/O queue).
    expect(d.virt(ACT.ONLINE, VQ, 1).status).toBe(SC.INVALID_SEC_CTRL_STATE | DNR);
    expect(d.virt(ACT.ASSIGN, VQ, 1, 1).status).toBe(0);
    expect(d.virt(ACT.ASSIGN, VI, 1, 1).status).toBe(0);
    expect(d.virt(ACT.ONLINE, VQ, 1).status).toBe(SC.INVALID_SEC_CTRL_STATE | DNR);
    // More than VQFRSM (8 / 2 VFs) or VIFRSM (4 / 2) per secondary.
    expect(d.virt(ACT.ASSIGN, VQ, 1, 5).status).toBe(SC.INVALID_NUM_RESOURCES | DNR);
    expect(d.virt(ACT.ASSIGN, VI, 1, 3).status).toBe(SC.INVALID_NUM_RESOURCES | DNR);
    // Unknown controller, resource type, action.
    expect(d.virt(ACT.ASSIGN, VQ, 3, 1).status).toBe(SC.INVALID_CTRL_ID | DNR);
    expect(d.virt(ACT.ONLINE, VQ, 0).status).toBe(SC.INVALID_CTRL_ID | DNR);
    expect(d.virt(ACT.ASSIGN, 2, 1, 1).status).toBe(SC.INVALID_RESOURCE_ID | DNR);
    expect(d.virt(0x3, VQ, 1, 1).status).toBe(SC.INVALID_FIELD | DNR);
    // The primary's flexible allocation is for its own CNTLID and no more than what secondaries leave.
    expect(d.virt(ACT.PRIMARY, VQ, 1, 0).status).toBe(SC.INVALID_CTRL_ID | DNR);
    expect(d.virt(ACT.PRIMARY, VQ, 0, 9).status).toBe(SC.INVALID_NUM_RESOURCES | DNR);
    expect(d.virt(ACT.PRIMARY, VQ, 0, 8).status).toBe(SC.INVALID_RESOURCE_ID | DNR); // secondary 1 holds one
    // Once online, assignments to it are refused; a second VF's share is still free.
    expect(d.virt(ACT.ASSIGN, VQ, 1, 4).status).toBe(0);
    expect(d.virt(ACT.ONLINE, VQ, 1).status).toBe(0);
    expect(d.virt(ACT.ASSIGN, VQ, 1, 2).status).toBe(SC.INVALID_SEC_CTRL_STATE | DNR);
    expect(d.virt(ACT.ASSIGN, VQ, 2, 4)).toEqual({ status: 0, result: 4 });
    // A VF's own controller has no secondaries to manage.
    const v = new NvmeDriver(m, g, VF_BAR);
    expect(v.virt(ACT.ASSIGN, VQ, 2, 1).status).toBe(SC.INVALID_CTRL_ID | DNR);
    expect(v.identify(0x15).status).toBe(0);
    // Clearing VF Enable takes the secondaries offline and releases their resources (QEMU nvme_sriov_pre_write_ctrl).
    pf.configWrite(SRIOV + 0x08, 2, 0);
    const entries = (p: number) => [0, 1].map((i) => [g.r8(p + 32 + 32 * i + 4), g.r16(p + 32 + 32 * i + 10), g.r16(p + 32 + 32 * i + 12)]);
    expect(entries(d.identify(0x15).page)).toEqual([[0, 0, 0], [0, 0, 0]]);
    // With VFs disabled a secondary cannot come online even with resources.
    expect(d.virt(ACT.ASSIGN, VQ, 1, 2).status).toBe(0);
    expect(d.virt(ACT.ASSIGN, VI, 1, 1).status).toBe(0);
    expect(d.virt(ACT.ONLINE, VQ, 1).status).toBe(SC.INVALID_SEC_CTRL_STATE | DNR);
    // A controller reset of the PF (CC.EN 1 -> 0) takes every secondary offline too.
    enableVfs(pf, 2);
    expect(d.virt(ACT.ONLINE, VQ, 1).status).toBe(0);
    d.w(NVME_REG.CC, 0);
    const d2 = new NvmeDriver(m, g, PF_BAR);
    expect(entries(d2.identify(0x15).page)).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(vfReg(NVME_REG.CSTS)).toBe(CSTS_CFS);
  });
});
