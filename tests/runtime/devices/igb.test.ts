/**
 * The 82576 (igb) PF driven the way Linux 6.1's igb driver drives it
 * (drivers/net/ethernet/intel/igb: probe reads the NVM through EERD and
 * checks its sum, the MAC from RAL0/RAH0, the IGP03 PHY ID through MDIC;
 * reset with CTRL.RST; auto-negotiation restarted through the PHY; MSI-X
 * with GPIE, IVAR/IVAR_MISC, EIAC and EIAM; 4 queue pairs with SRRCTL and
 * advanced descriptors, RSS through RETA), against guest RAM through the
 * bus-master DMA path, with two NICs exchanging frames through the
 * in-process switch, and an igb and an e1000e on one switch.
 */
import { describe, expect, it } from 'vitest';
import { E1000e, Igb, type Q35Machine } from '../../../runtime/index.js';
import * as G from '../../../runtime/devices/igb/regs.js';
import { canonicalOffset } from '../../../runtime/devices/igb/core.js';
import { MII } from '../../../runtime/devices/intel-nic/phy.js';
import { toeplitz } from '../../../runtime/devices/intel-nic/packet.js';
import * as R from '../../../runtime/pci/registers.js';
import { captureMsi, type GuestView, mapBar } from './guest.js';
import { BROADCAST, checksumsValid, ipFrame, prefillPseudoHeader, rawFrame } from './frames.js';
import { IntelNicDriver, nicMachine, probedNic, probedPair, programMsixTable, RSS_KEY, type NicKind } from './intel-nic-driver.js';

const RING = 16;
const BUF = 2048;
const QUEUES = 4;

const rxq = (q: number, reg: number): number => G.RXQ_BASE + q * G.QUEUE_STRIDE + reg;
const txq = (q: number, reg: number): number => G.TXQ_BASE + q * G.QUEUE_STRIDE + reg;

interface Received {
  frame: Uint8Array;
  queue: number;
  status: number;
  info: number;
  rss: number;
  vlan: number;
  descriptors: number;
}

/** A small igb driver: igb_probe, igb_reset_hw_82575, link setup, igb_configure and the data path. */
class IgbDriver extends IntelNicDriver<Igb> {
  readonly tx: number[] = [];
  readonly txTail = new Array<number>(QUEUES).fill(0);
  readonly rx: number[] = [];
  readonly rxNext = new Array<number>(QUEUES).fill(0);
  readonly rxBufs: number[][] = Array.from({ length: QUEUES }, () => []);

  constructor(
    m: Q35Machine,
    nic: Igb,
    g: GuestView,
    slot: number,
    readonly msix = true,
  ) {
    super(m, nic, g, slot, true);
  }

  /** igb_probe up to igb_reset: the NVM sum, the MAC from RAL0/RAH0, the reset, the PHY ID. */
  probe(): number[] {
    this.nvmWords();
    const ral = this.r(G.RA);
    const rah = this.r(G.RA + 4);
    this.mac = [ral & 0xff, (ral >>> 8) & 0xff, (ral >>> 16) & 0xff, ral >>> 24, rah & 0xff, (rah >>> 8) & 0xff];
    // igb_reset_hw_82575: master disable, quiesce, global reset.
    this.w(G.CTRL, this.r(G.CTRL) | G.CTRL_GIO_MASTER_DISABLE);
    expect(this.r(G.STATUS) & G.STATUS_GIO_MASTER_ENABLE).toBe(0);
    this.w(G.IMC, 0xffff_ffff);
    this.w(G.RCTL, 0);
    this.w(G.TCTL, G.TCTL_PSP);
    this.w(G.CTRL, this.r(G.CTRL) | G.CTRL_RST);
    this.w(G.IMC, 0xffff_ffff);
    this.r(G.ICR);
    expect([this.phyRead(MII.PHYID1), this.phyRead(MII.PHYID2)]).toEqual([0x02a8, 0x0391]);
    return this.mac;
  }

  /** igb_setup_copper_link_82575: SLU, then auto-negotiation restarted; the link is up 500 ms of guest time later. */
  linkUp(): void {
    this.w(G.CTRL, (this.r(G.CTRL) | G.CTRL_SLU) & ~(G.CTRL_FRCSPD | G.CTRL_FRCDPX));
    this.restartAutonegotiation();
    expect(this.r(G.STATUS) & (G.STATUS_LU | G.STATUS_FD | G.STATUS_SPEED_1000)).toBe(G.STATUS_LU | G.STATUS_FD | G.STATUS_SPEED_1000);
  }

  /** igb_configure: igb_configure_msix, RSS (igb_setup_mrqc), rings, igb_irq_enable, buffers. */
  configure(): void {
    const g = this.g;
    if (this.msix) {
      // Vector q serves queue pair q; vector 4 is Other.
      this.w(G.GPIE, G.GPIE_MSIX_MODE | G.GPIE_PBA | G.GPIE_EIAME | G.GPIE_NSICR);
      for (let q = 0; q < QUEUES; q++) {
        const ivar = this.r(G.IVAR0 + 4 * q) & ~0xffff;
        this.w(G.IVAR0 + 4 * q, ivar | ((G.IVAR_VALID | q) << 0) | ((G.IVAR_VALID | q) << 8));
      }
      this.w(G.IVAR_MISC, (G.IVAR_VALID | QUEUES) << 8);
      this.enableMsix(QUEUES + 1, 0x40);
    } else this.enableMsi();
    this.writeRssKey();
    // The indirection table spreads the 128 entries over the queues (entry i -> queue i % 4).
    for (let i = 0; i < 32; i++) this.w(G.RETA + 4 * i, 0x03020100);
    this.w(G.RXCSUM, this.r(G.RXCSUM) | G.RXCSUM_PCSD | G.RXCSUM_TUOFLD);
    this.w(G.MRQC, G.MRQC_RSS | G.MRQC_TCPIPV4 | G.MRQC_IPV4 | G.MRQC_TCPIPV6 | G.MRQC_IPV6);
    this.w(G.TCTL, G.TCTL_EN | G.TCTL_PSP | (0xf << 4) | (0x3f << 12));
    for (let q = 0; q < QUEUES; q++) {
      this.tx[q] = g.alloc(RING * 16, 128);
      this.w(txq(q, G.Q_DCTL), 0);
      this.setRing(txq(q, 0), this.tx[q]!, RING * 16);
      this.w(txq(q, G.Q_DCTL), G.DCTL_QUEUE_ENABLE | (1 << 16) | (1 << 8) | 8);
      this.rx[q] = g.alloc(RING * 16, 128);
      this.w(rxq(q, G.Q_DCTL), 0);
      this.setRing(rxq(q, 0), this.rx[q]!, RING * 16);
      this.w(rxq(q, G.Q_SRRCTL), (BUF / 1024) | (1 << G.SRRCTL_DESCTYPE_SHIFT) | G.SRRCTL_DROP_EN);
      this.w(rxq(q, G.Q_DCTL), G.DCTL_QUEUE_ENABLE | (1 << 16) | (8 << 8) | 8);
    }
    this.w(G.RCTL, G.RCTL_EN | G.RCTL_BAM | G.RCTL_SECRC | G.RCTL_LPE);
    // igb_irq_enable.
    if (this.msix) {
      const all = (1 << (QUEUES + 1)) - 1;
      this.w(G.EIAC, this.r(G.EIAC) | all);
      this.w(G.EIAM, this.r(G.EIAM) | all);
      this.w(G.EIMS, all);
      this.w(G.IMS, G.ICR_LSC | G.ICR_DRSTA);
    } else {
      this.w(G.IMS, G.ICR_LSC | G.ICR_RXDW | G.ICR_TXDW);
      this.w(G.IAM, G.ICR_LSC | G.ICR_RXDW | G.ICR_TXDW);
    }
    for (let q = 0; q < QUEUES; q++) for (let i = 0; i < RING - 1; i++) this.postRx(q);
  }

  postRx(q: number): void {
    const i = this.r(rxq(q, G.Q_TAIL));
    const buf = this.rxBufs[q]![i] ?? this.g.alloc(BUF, 64);
    this.rxBufs[q]![i] = buf;
    this.g.w64(this.rx[q]! + 16 * i, buf);
    this.g.w64(this.rx[q]! + 16 * i + 8, 0);
    this.w(rxq(q, G.Q_TAIL), (i + 1) % RING);
  }

  /** igb_clean_rx_irq over every queue: frames (joined across descriptors up to EOP) with their write-back fields. */
  received(): Received[] {
    const out: Received[] = [];
    for (let q = 0; q < QUEUES; q++) {
      let parts: Uint8Array[] = [];
      for (;;) {
        const d = this.rx[q]! + 16 * this.rxNext[q]!;
        const status = this.g.r32(d + 8);
        if (!(status & G.RXD_STAT_DD)) break;
        const len = this.g.r16(d + 12);
        parts.push(this.g.read(this.rxBufs[q]![this.rxNext[q]!]!, len));
        if (status & G.RXD_STAT_EOP) {
          const frame = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            frame.set(p, at);
            at += p.length;
          }
          out.push({ frame, queue: q, status, info: this.g.r32(d), rss: this.g.r32(d + 4), vlan: this.g.r16(d + 14), descriptors: parts.length });
          parts = [];
        }
        this.rxNext[q] = (this.rxNext[q]! + 1) % RING;
        this.postRx(q);
      }
    }
    return out;
  }

  /** igb_xmit_frame_ring on queue `q`: a context descriptor when offloading, then the data descriptors (split at `split`). */
  send(frame: Uint8Array, opts: { q?: number; csum?: boolean; tso?: { mss: number }; vlan?: number; split?: number } = {}): void {
    const g = this.g;
    const q = opts.q ?? 0;
    const base = this.tx[q]!;
    const isUdp = frame[23] === 17;
    const l4len = isUdp ? 8 : (frame[34 + 12]! >> 4) * 4;
    const offload = opts.csum || opts.tso || opts.vlan !== undefined;
    if (offload) {
      const c = base + 16 * this.txTail[q]!;
      g.w32(c, 20 | (14 << 9) | ((opts.vlan ?? 0) << 16)); // IPLEN, MACLEN, VLAN
      g.w32(c + 4, 0);
      g.w32(c + 8, G.TXD_CMD_DEXT | (G.TXD_DTYP_CTXT << G.TXD_DTYP_SHIFT) | (1 << 10) /* IPV4 */ | (isUdp ? 0 : 1 << 11) /* L4T TCP */);
      g.w32(c + 12, ((opts.tso?.mss ?? 0) << 16) | (l4len << 8));
      this.txTail[q] = (this.txTail[q]! + 1) % RING;
    }
    const pieces = opts.split ? [frame.subarray(0, opts.split), frame.subarray(opts.split)] : [frame];
    const hdr = 14 + 20 + l4len;
    let last = 0;
    pieces.forEach((p, i) => {
      const buf = g.alloc(p.length, 16);
      g.write(buf, p);
      const d = base + 16 * this.txTail[q]!;
      g.w64(d, buf);
      const eop = i === pieces.length - 1;
      let cmd = p.length | G.TXD_CMD_DEXT | (G.TXD_DTYP_DATA << G.TXD_DTYP_SHIFT) | G.TXD_CMD_IFCS | (eop ? G.TXD_CMD_EOP | G.TXD_CMD_RS : 0);
      if (opts.tso) cmd |= G.TXD_CMD_TSE;
      if (opts.vlan !== undefined) cmd |= G.TXD_CMD_VLE;
      const paylen = opts.tso ? frame.length - hdr : frame.length;
      const popts = opts.tso ? G.TXD_POPTS_TXSM | G.TXD_POPTS_IXSM : opts.csum ? G.TXD_POPTS_TXSM : 0;
      g.w32(d + 8, cmd);
      g.w32(d + 12, i === 0 ? (paylen << 14) | popts : 0);
      last = d;
      this.txTail[q] = (this.txTail[q]! + 1) % RING;
    });
    this.w(txq(q, G.Q_TAIL), this.txTail[q]!);
    expect(this.r(txq(q, G.Q_HEAD))).toBe(this.txTail[q]);
    expect(g.r32(last + 12) & G.TXD_STAT_DD).toBe(G.TXD_STAT_DD);
  }
}

const IGB_NIC: NicKind<Igb, IgbDriver> = {
  nic: (i) => new Igb({ bus: 'pcie-root', mac: `52:54:00:30:00:${(0x10 + i).toString(16)}` }),
  driver: (m, nic, g, slot) => new IgbDriver(m, nic, g, slot),
};

/** `n` igb PFs and, with `e1000e`, an e1000e in the slot after them. */
function machineWith(n: number, e1000e = false): { m: Q35Machine; nics: Igb[]; e1000e?: E1000e; g: GuestView } {
  let other: E1000e | undefined;
  const made = nicMachine(n, IGB_NIC.nic, (m) => {
    if (e1000e) other = m.attach(m.root, 0x04 + n, 0, new E1000e({ bus: 'pcie-root', mac: '52:54:00:12:34:56' }));
  });
  return { ...made, ...(other ? { e1000e: other } : {}) };
}

describe('igb: Linux igb on the in-process switch', () => {
  it('probe: NVM through EERD (sum 0xbaba, MAC, device IDs), RAL0/RAH0, the IGP03 PHY, reset values, MDIC errors, IOADDR/IODATA', () => {
    const { m, nics, d, mac } = probedNic(IGB_NIC);
    expect(mac).toEqual([0x52, 0x54, 0, 0x30, 0, 0x10]);
    expect([d.nvm(0), d.nvm(1), d.nvm(2)]).toEqual([0x5452, 0x3000, 0x1000]);
    expect([d.nvm(0x0b), d.nvm(0x0d), d.nvm(0x11), d.nvm(0x26)]).toEqual([0x10c9, 0x10c9, 0x10c9, 0x10ca]);
    // The 82576 NVM is 1024 words: words past QEMU's template read as zero (Linux reads 0x42, the eTrack ID).
    expect(d.nvm(0x42)).toBe(0);
    d.w(G.EERD, (1024 << 2) | 1);
    expect(d.r(G.EERD) & 2).toBe(0);
    expect(d.r(G.EECD) & (G.EECD_PRES | G.EECD_SIZE_EX_MASK)).toBe(G.EECD_PRES | (2 << G.EECD_SIZE_EX_SHIFT));
    // After the reset: no link until auto-negotiation, full duplex and 1000 Mb/s reported, PHY reset asserted.
    expect(d.r(G.STATUS)).toBe((G.STATUS_FD | G.STATUS_SPEED_1000 | G.STATUS_PHYRA | (1 << 31)) >>> 0);
    expect(d.r(rxq(0, G.Q_DCTL))).toBe(G.DCTL_QUEUE_ENABLE | (1 << 16));
    expect(d.r(rxq(1, G.Q_DCTL))).toBe(1 << 16);
    // Queues 0-3 are also reached at the 82574's offsets.
    expect(canonicalOffset(0x02818)).toBe(rxq(0, G.Q_TAIL));
    expect(canonicalOffset(0x03928)).toBe(txq(1, G.Q_DCTL));
    d.w(0x02b0c, 0x4000_0002); // SRRCTL(3)
    expect(d.r(rxq(3, G.Q_SRRCTL))).toBe(0x4000_0002);
    // MDIC: another PHY address, and a register the IGP03 lacks, set ERROR.
    d.w(G.MDIC, (2 << 16) | (2 << 21) | G.MDIC_OP_READ);
    expect(d.r(G.MDIC) & G.MDIC_ERROR).toBeTruthy();
    d.w(G.MDIC, (0x0c << 16) | (1 << 21) | G.MDIC_OP_READ);
    expect(d.r(G.MDIC) & G.MDIC_ERROR).toBeTruthy();
    expect(d.phyRead(0x11)).toBe(0xc000); // IGP01E1000_PHY_PORT_STATUS: 1000 Mb/s
    // SWSM.SMBI is taken by reading it.
    expect(d.r(G.SWSM) & 1).toBe(0);
    expect(d.r(G.SWSM) & 1).toBe(1);
    // The IO BAR: IOADDR selects, IODATA reads and writes.
    mapBar(nics[0]!, 2, 0xc000, { io: true });
    m.io.write(0xc000, 4, G.STATUS);
    expect(m.io.read(0xc004, 4) >>> 0).toBe(d.r(G.STATUS));
    m.io.write(0xc000, 4, G.IVAR_MISC);
    m.io.write(0xc004, 4, 0x8400);
    expect(d.r(G.IVAR_MISC)).toBe(0x8400);
  });

  it('link: auto-negotiation takes 500 ms of guest time, then Link Status Change on the Other vector (IVAR_MISC), re-armed through EIMS', () => {
    const { m, d } = probedNic(IGB_NIC);
    d.configure();
    const msi = captureMsi(m);
    d.linkUp();
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x44, rid: 0x20 }]);
    // igb_msix_other: ICR (cleared on read under GPIE.NSICR), then EIMS re-enables Other.
    expect(d.r(G.ICR) & G.ICR_LSC).toBe(G.ICR_LSC);
    expect(d.r(G.ICR)).toBe(0);
    // Other was auto-masked (EIAM): a second cause stays pending until the driver re-enables it.
    expect(d.r(G.EIMS) & (1 << 4)).toBe(0);
    d.w(G.ICS, G.ICR_LSC);
    expect(msi.length).toBe(1);
    d.w(G.EIMS, 1 << 4);
    expect(msi.length).toBe(2);
  });

  it('two PFs exchange frames through the switch: MSI-X per queue, RSS over 4 queues, checksum offload both ways, frames spanning descriptors', () => {
    const { m, a, b, macA, macB } = probedPair(IGB_NIC);
    const msi = captureMsi(m);
    a.configure();
    b.configure();
    a.linkUp();
    b.linkUp();
    a.r(G.ICR);
    b.r(G.ICR);
    msi.length = 0;
    // A broadcast from A reaches B (not A): no IP, so RSS puts it on queue 0; B's vector 0, then A's vector 0 (TX of pair 0).
    const hello = rawFrame(BROADCAST, macA, 'who has 10.0.0.2');
    a.send(hello);
    const got = b.received();
    expect(got.map((r) => [r.queue, r.frame])).toEqual([[0, hello]]);
    expect(a.received()).toEqual([]);
    expect(msi).toEqual([
      { address: 0xfee0_0000, data: 0x40, rid: 0x28 },
      { address: 0xfee0_0000, data: 0x40, rid: 0x20 },
    ]);
    // EIAC cleared the causes; EIAM masked the vectors until igb_ring_irq_enable writes EIMS.
    expect(b.r(G.EICR)).toBe(0);
    expect(b.r(G.EIMS) & 1).toBe(0);
    b.w(G.EIMS, 1);
    a.w(G.EIMS, 1);
    // TCP from B to A on B's queue 2 with checksum offload: it arrives valid on the queue RSS picks from the hash.
    const key = Uint8Array.from(RSS_KEY);
    const tcp = ipFrame({ dst: macA, src: macB, proto: 'tcp', payload: new TextEncoder().encode('10.0.0.2 is at B'), srcIp: 2, dstIp: 1 });
    prefillPseudoHeader(tcp);
    b.send(tcp, { q: 2, csum: true });
    const [r1] = a.received();
    const hash = toeplitz(key, Uint8Array.from([10, 0, 0, 2, 10, 0, 0, 1, 4000 >> 8, 4000 & 0xff, 5000 >> 8, 5000 & 0xff]));
    expect(r1!.rss).toBe(hash);
    expect(r1!.queue).toBe(hash % 4);
    expect(r1!.info & 0xf).toBe(G.RSS_TYPE.IPV4TCP);
    expect((r1!.info >>> 4) & 0x1fff).toBe((G.RXDADV_PKT_IPV4 | G.RXDADV_PKT_TCP) >>> 4);
    expect(checksumsValid(r1!.frame)).toEqual({ ip: false, l4: true }); // the stack checksums IP headers itself
    expect(r1!.status & (G.RXD_STAT_IPCS | G.RXD_STAT_TCPCS)).toBe(G.RXD_STAT_IPCS | G.RXD_STAT_TCPCS);
    expect(r1!.status & G.RXDEXT_ERR_IPE).toBeTruthy();
    expect(r1!.status & G.RXDEXT_ERR_TCPE).toBe(0);
    // A 3000-byte UDP datagram (jumbo-ish, LPE) takes two 2 KiB buffers; the data arrives whole, split in two descriptors.
    const big = ipFrame({ dst: macB, src: macA, proto: 'udp', payload: Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff), checksums: true });
    a.send(big, { q: 1, split: 100 });
    const [r2] = b.received();
    expect(r2!.descriptors).toBe(2);
    expect(r2!.frame).toEqual(big);
    expect(r2!.status & (G.RXD_STAT_IPCS | G.RXD_STAT_UDPCS)).toBe(G.RXD_STAT_IPCS | G.RXD_STAT_UDPCS);
    // Frames to another unicast address are filtered out; promiscuous mode takes them.
    a.send(rawFrame([2, 0, 0, 0, 0, 9], macA, 'not for B'));
    expect(b.received()).toEqual([]);
    b.w(G.RCTL, b.r(G.RCTL) | G.RCTL_UPE);
    a.send(rawFrame([2, 0, 0, 0, 0, 9], macA, 'promiscuous'));
    expect(b.received().length).toBe(1);
    // Statistics clear on read.
    expect(b.r(0x04074)).toBe(3); // GPRC: hello, the UDP datagram, the promiscuous frame
    expect(b.r(0x04074)).toBe(0);
  });

  it('TSO and VLAN insertion and stripping: a 4000-byte TCP send arrives as MSS-sized segments, tagged frames lose their tag with VP set', () => {
    const { a, b, macA, macB } = probedPair(IGB_NIC);
    a.configure();
    b.configure();
    a.linkUp();
    b.linkUp();
    const payload = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7) & 0xff);
    const f = ipFrame({ dst: macB, src: macA, proto: 'tcp', payload, seq: 5000 });
    prefillPseudoHeader(f, true);
    a.send(f, { tso: { mss: 1448 }, q: 3 });
    const segs = b.received();
    // RSS keeps one flow on one queue, in order.
    expect(new Set(segs.map((s) => s.queue)).size).toBe(1);
    expect(segs.map((s) => s.frame.length)).toEqual([54 + 1448, 54 + 1448, 54 + 1104]);
    let at = 0;
    for (const s of segs) {
      expect(checksumsValid(s.frame)).toEqual({ ip: true, l4: true });
      expect(new DataView(s.frame.buffer).getUint32(38)).toBe(5000 + at);
      expect(s.frame.subarray(54)).toEqual(payload.subarray(at, at + s.frame.length - 54));
      at += s.frame.length - 54;
    }
    // VLAN 5 inserted by A; B strips it (CTRL.VME) and reports it in the descriptor.
    b.w(G.CTRL, b.r(G.CTRL) | G.CTRL_VME);
    const tagged = rawFrame(macB, macA, 'vlan 5');
    a.send(tagged, { vlan: 5 });
    const [v] = b.received();
    expect(v!.status & G.RXD_STAT_VP).toBeTruthy();
    expect(v!.vlan).toBe(5);
    expect(v!.frame).toEqual(tagged);
  });

  it('MSI: ICR causes RXDW/TXDW, IAM clears IMS on acknowledge; an igb and an e1000e share a switch', () => {
    const { m, nics, g, e1000e } = machineWith(1, true);
    m.connectNetwork();
    const msi = captureMsi(m);
    const a = new IgbDriver(m, nics[0]!, g, 0, false);
    const macA = a.probe();
    a.configure();
    a.linkUp();
    // igb_intr_msi: ICR read (the link change), IAM took the causes out of IMS; igb_irq_enable puts them back.
    expect(a.r(G.ICR) & G.ICR_LSC).toBe(G.ICR_LSC);
    expect(a.r(G.IMS)).toBe(0);
    a.w(G.IMS, G.ICR_LSC | G.ICR_RXDW | G.ICR_TXDW);
    // The e1000e's RAL0/RAH0 hold its MAC; it is up once its link is; its receive is enabled with one buffer.
    const peer = 0xfe80_0000;
    mapBar(e1000e!, 0, peer);
    const rxRing = g.alloc(16 * 8, 128);
    const rxBuf = g.alloc(2048, 64);
    g.w64(rxRing, rxBuf);
    m.memory.write(peer + 0x2800, 4, rxRing);
    m.memory.write(peer + 0x2808, 4, 128); // RDLEN: 128-byte units
    m.memory.write(peer + 0x2818, 4, 1);
    m.memory.write(peer + 0x100, 4, (1 << 1) | (1 << 15));
    msi.length = 0;
    const arp = rawFrame(BROADCAST, macA, 'to everyone');
    a.send(arp);
    expect(g.read(rxBuf, arp.length)).toEqual(arp);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x61, rid: 0x20 }]);
    const icr = a.r(G.ICR);
    expect((icr & (G.ICR_TXDW | G.ICR_INT_ASSERTED)) >>> 0).toBe((G.ICR_TXDW | G.ICR_INT_ASSERTED) >>> 0);
    expect(a.r(G.ICR)).toBe(0);
    // ICR read with INT_ASSERTED: IAM's causes left IMS until the driver re-enables them.
    expect(a.r(G.IMS) & (G.ICR_RXDW | G.ICR_TXDW)).toBe(0);
    a.w(G.IMS, G.ICR_RXDW | G.ICR_TXDW);
    // A frame from the e1000e side reaches the igb: RXDW through MSI.
    const fromPeer = rawFrame(macA, [0x52, 0x54, 0, 0x12, 0x34, 0x56], 'hello igb');
    const tdRing = g.alloc(16 * 8, 128);
    const tdBuf = g.alloc(fromPeer.length, 16);
    g.write(tdBuf, fromPeer);
    g.w64(tdRing, tdBuf);
    g.w32(tdRing + 8, fromPeer.length | (1 << 24) | (1 << 25) | (1 << 27));
    m.memory.write(peer + 0x3800, 4, tdRing);
    m.memory.write(peer + 0x3808, 4, 128);
    m.memory.write(peer + 0x400, 4, 1 << 1);
    m.memory.write(peer + 0x3818, 4, 1);
    expect(a.received().map((r) => r.frame)).toEqual([fromPeer]);
    expect(msi.length).toBe(2);
    expect(a.r(G.ICR) & G.ICR_RXDW).toBe(G.ICR_RXDW);
  });
});

/** Where the test maps VF n's BAR0 (registers) and BAR3 (MSI-X): 16 KiB apart, as the SR-IOV VF BARs lay them out. */
const VF_BAR0 = 0xf000_0000;
const VF_BAR3 = 0xf100_0000;
const VF_MAC = [0x52, 0x54, 0, 0x30, 0x0f, 0x00];

/**
 * Linux igb with VFs (igb_enable_sriov, igb_vmm_control, igb_setup_mrqc:
 * VMDq, the PF in the pool after the VFs, transmit loopback, replication)
 * and igbvf (the VF resets itself, waits for the PF's reset done, asks the
 * PF for its MAC through the mailbox, sets up its queue pair and MSI-X).
 */
describe('igb SR-IOV: igbvf through the PF mailbox, VMDq pools and the transmit switch', () => {
  function sriovMachine(): { m: Q35Machine; pf: IgbDriver; ext: IgbDriver; g: GuestView; msi: { address: number; data: number; rid: number }[] } {
    const { m, nics, g } = machineWith(2);
    m.connectNetwork();
    const msi = captureMsi(m);
    const pf = new IgbDriver(m, nics[0]!, g, 0);
    const ext = new IgbDriver(m, nics[1]!, g, 1);
    pf.probe();
    ext.probe();
    ext.configure();
    ext.linkUp();
    // igb_enable_sriov: two VFs, their BARs, VF Enable and VF MSE.
    const sriov = nics[0]!.sriov.offset;
    nics[0]!.configWrite(sriov + 0x10, 2, 2);
    nics[0]!.configWrite(sriov + 0x24, 4, VF_BAR0);
    nics[0]!.configWrite(sriov + 0x28, 4, 0);
    nics[0]!.configWrite(sriov + 0x30, 4, VF_BAR3);
    nics[0]!.configWrite(sriov + 0x34, 4, 0);
    nics[0]!.configWrite(sriov + 0x08, 2, R.SRIOV_CTRL_VFE | R.SRIOV_CTRL_MSE);
    return { m, pf, ext, g, msi };
  }

  it('the handshake: VF reset reaches the PF (VFLRE, ICR.VMMB), RSTD after PFRSTD, a message each way through VMBMEM, then frames between VF, PF and the wire', () => {
    const { m, pf, ext, g, msi } = sriovMachine();
    const pfNic = pf.nic;
    const vf = pfNic.vf(0);
    expect(pf.r(G.STATUS) & (G.STATUS_IOV_MODE | (0xf << G.STATUS_NUM_VFS_SHIFT))).toBe(G.STATUS_IOV_MODE | (2 << G.STATUS_NUM_VFS_SHIFT));
    const vr = (reg: number): number => m.memory.read(VF_BAR0 + reg, 4) >>> 0;
    const vw = (reg: number, v: number): void => m.memory.write(VF_BAR0 + reg, 4, v >>> 0);
    vf.configWrite(R.COMMAND, 2, R.CMD_MASTER);

    // The PF: MSI-X vector 0 for its queue (pool 2, queue 2), vector 1 for Other; VMDq with the PF in pool 2.
    pf.w(G.GPIE, G.GPIE_MSIX_MODE | G.GPIE_PBA | G.GPIE_EIAME | G.GPIE_NSICR);
    pf.w(G.IVAR0 + 8, (G.IVAR_VALID | 0) | ((G.IVAR_VALID | 0) << 8));
    pf.w(G.IVAR_MISC, (G.IVAR_VALID | 1) << 8);
    pf.enableMsix(2, 0x50);
    pf.w(G.MRQC, G.MRQC_VMDQ);
    pf.w(G.VT_CTL, (2 << G.VT_CTL_DEF_POOL_SHIFT) | G.VT_CTL_REPL_EN);
    pf.w(G.RA + 4, pf.r(G.RA + 4) | (1 << (G.RAH_POOL_SHIFT + 2)));
    pf.w(G.DTXSWC, G.DTXSWC_LOOPBACK_EN);
    for (let p = 0; p < 3; p++) pf.w(G.VMOLR + 4 * p, pf.r(G.VMOLR + 4 * p) | G.VMOLR_BAM);
    pf.w(G.VFRE, 0);
    pf.w(G.VFTE, 0);
    pf.w(G.EIAC, 3);
    pf.w(G.EIAM, 3);
    pf.w(G.EIMS, 3);
    pf.w(G.IMS, G.ICR_LSC | G.ICR_VMMB);
    pf.linkUp();
    pf.r(G.ICR);
    pf.w(G.EIMS, 3);

    // Before the PF's driver finished its reset the VF sees RSTI; after CTRL_EXT.PFRSTD, RSTD (cleared on read).
    expect(vr(G.V2PMAILBOX) & (G.V2P_RSTI | G.V2P_RSTD)).toBe(G.V2P_RSTI);
    pf.w(G.CTRL_EXT, pf.r(G.CTRL_EXT) | G.CTRL_EXT_PFRSTD);
    expect(vr(G.V2PMAILBOX) & (G.V2P_RSTI | G.V2P_RSTD)).toBe(G.V2P_RSTD);
    expect(vr(G.V2PMAILBOX) & G.V2P_RSTD).toBe(0);

    // igbvf_reset: CTRL.RST through the VF's window: its queues stop, VFLRE and VMMB on the PF's Other vector.
    msi.length = 0;
    vw(G.CTRL, G.CTRL_RST);
    expect(pf.r(G.VFLRE)).toBe(1);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x51, rid: 0x20 }]);
    expect(pf.r(G.ICR) & G.ICR_VMMB).toBe(G.ICR_VMMB);
    pf.w(G.VFLRE, 1);
    expect(pf.r(G.VFLRE)).toBe(0);
    pf.w(G.EIMS, 2);
    // E1000_VF_RESET: the VF takes the buffer, writes the message, raises REQ.
    vw(G.V2PMAILBOX, G.V2P_VFU);
    vw(G.VMBMEM, 0x0001);
    vw(G.V2PMAILBOX, G.V2P_REQ | G.V2P_VFU);
    expect(pf.r(G.MBVFICR)).toBe(1);
    expect(pf.r(G.VMBMEM)).toBe(0x0001);
    // The PF: takes its side (PFU) only once the VF released it, answers with ACK and the MAC, STS.
    pf.w(G.P2VMAILBOX, G.P2V_PFU);
    expect(pf.r(G.P2VMAILBOX) & G.P2V_PFU).toBe(0);
    vw(G.V2PMAILBOX, 0);
    pf.w(G.MBVFICR, 1);
    pf.w(G.P2VMAILBOX, G.P2V_PFU);
    expect(pf.r(G.P2VMAILBOX) & G.P2V_PFU).toBe(G.P2V_PFU);
    pf.w(G.VMBMEM, 0x8000_0001);
    pf.w(G.VMBMEM + 4, VF_MAC[0]! | (VF_MAC[1]! << 8) | (VF_MAC[2]! << 16) | (VF_MAC[3]! << 24));
    pf.w(G.VMBMEM + 8, VF_MAC[4]! | (VF_MAC[5]! << 8));
    pf.w(G.P2VMAILBOX, G.P2V_STS);
    // VF 1's mailbox memory is its own 64 bytes further on.
    expect(m.memory.read(VF_BAR0 + 0x4000 + G.VMBMEM, 4)).toBe(0);
    expect(vr(G.V2PMAILBOX) & G.V2P_PFSTS).toBe(G.V2P_PFSTS);
    expect([vr(G.VMBMEM), vr(G.VMBMEM + 4), vr(G.VMBMEM + 8) & 0xffff]).toEqual([0x8000_0001, 0x3000_5452, 0x000f]);
    // igb_vf_reset_msg: the PF lets VF 0 receive and transmit, its MAC in RAR 1 for pool 0.
    pf.w(G.VFRE, 1);
    pf.w(G.VFTE, 1);
    pf.w(G.RA + 8, VF_MAC[0]! | (VF_MAC[1]! << 8) | (VF_MAC[2]! << 16) | (VF_MAC[3]! << 24));
    pf.w(G.RA + 12, (VF_MAC[4]! | (VF_MAC[5]! << 8) | (1 << G.RAH_POOL_SHIFT) | 0x8000_0000) >>> 0);

    // igbvf_configure: queue pair 0 through the VF's window, its MSI-X (rx vector 0, tx vector 1, other 2).
    const ring = (): number => g.alloc(RING * 16, 128);
    const vrx = ring();
    const vtx = ring();
    vw(0x02800, vrx);
    vw(0x02804, 0);
    vw(0x02808, RING * 16);
    vw(0x0280c, (BUF / 1024) | (1 << G.SRRCTL_DESCTYPE_SHIFT));
    vw(0x02828, G.DCTL_QUEUE_ENABLE);
    vw(0x03800, vtx);
    vw(0x03804, 0);
    vw(0x03808, RING * 16);
    vw(0x03828, G.DCTL_QUEUE_ENABLE);
    // The VF's queue 0 is the PF's queue 0 (pool 0).
    expect(pf.r(rxq(0, G.Q_BAL))).toBe(vrx);
    expect(pf.r(txq(0, G.Q_LEN))).toBe(RING * 16);
    // igbvf_assign_vector: TX first, then RX, each a read-modify-write of IVAR0.
    vw(G.IVAR0, vr(G.IVAR0) | ((G.IVAR_VALID | 1) << 8));
    vw(G.IVAR0, vr(G.IVAR0) | (G.IVAR_VALID | 0));
    expect(vr(G.IVAR0)).toBe((G.IVAR_VALID | 0) | ((G.IVAR_VALID | 1) << 8));
    vf.configWrite(0x72, 2, 0x8000);
    programMsixTable(m, VF_BAR3, 3, 0x60);
    vw(G.EIAC, 7);
    vw(G.EIMS, 7);
    expect(vr(G.EIMS)).toBe(7);
    const vbufs: number[] = [];
    for (let i = 0; i < RING - 1; i++) {
      vbufs.push(g.alloc(BUF, 64));
      g.w64(vrx + 16 * i, vbufs[i]!);
    }
    vw(0x02818, RING - 1);
    // The PF's own queue (2): one ring.
    const prx = ring();
    const pbuf = g.alloc(BUF, 64);
    g.w64(prx, pbuf);
    pf.w(rxq(2, G.Q_BAL), prx);
    pf.w(rxq(2, G.Q_LEN), RING * 16);
    pf.w(rxq(2, G.Q_SRRCTL), BUF / 1024);
    pf.w(rxq(2, G.Q_DCTL), G.DCTL_QUEUE_ENABLE);
    pf.w(rxq(2, G.Q_TAIL), 1);
    pf.w(G.RCTL, G.RCTL_EN | G.RCTL_BAM | G.RCTL_SECRC);
    pf.w(G.TCTL, G.TCTL_EN | G.TCTL_PSP);

    // A frame from the wire to the VF's MAC: pool 0, the VF's queue, the VF's own MSI-X vector 0 (its routing ID).
    msi.length = 0;
    const fromWire = rawFrame(VF_MAC, ext.mac, 'to the VF');
    ext.send(fromWire);
    expect(g.read(vbufs[0]!, fromWire.length)).toEqual(fromWire);
    expect(g.r32(vrx + 8) & (G.RXD_STAT_DD | G.RXD_STAT_EOP)).toBe(G.RXD_STAT_DD | G.RXD_STAT_EOP);
    expect(msi).toContainEqual({ address: 0xfee0_0000, data: 0x60, rid: vf.rid });
    expect(vr(G.EICR)).toBe(0); // EIAC cleared it
    // Nothing reached the PF's pool.
    expect(g.r32(prx + 8) & G.RXD_STAT_DD).toBe(0);

    // The VF sends to the PF's MAC: the transmit switch keeps it inside (pool 2), the wire never sees it.
    const toPf = rawFrame(pf.mac, VF_MAC, 'VF to PF');
    const vbuf = g.alloc(toPf.length, 16);
    g.write(vbuf, toPf);
    g.w64(vtx, vbuf);
    g.w32(vtx + 8, toPf.length | G.TXD_CMD_DEXT | (G.TXD_DTYP_DATA << G.TXD_DTYP_SHIFT) | G.TXD_CMD_EOP | G.TXD_CMD_IFCS | G.TXD_CMD_RS);
    g.w32(vtx + 12, toPf.length << 14);
    msi.length = 0;
    vw(0x03818, 1);
    expect(g.r32(vtx + 12) & G.TXD_STAT_DD).toBe(G.TXD_STAT_DD);
    expect(g.read(pbuf, toPf.length)).toEqual(toPf);
    expect(msi).toContainEqual({ address: 0xfee0_0000, data: 0x50, rid: 0x20 }); // the PF's queue vector
    expect(msi).toContainEqual({ address: 0xfee0_0000, data: 0x61, rid: vf.rid }); // the VF's TX vector
    expect(ext.received()).toEqual([]);

    // A broadcast from the VF: replicated to the PF's pool (VMOLR.BAM) and out on the wire.
    const bcast = rawFrame(BROADCAST, VF_MAC, 'VF broadcast');
    g.write(vbuf, bcast);
    g.w32(vtx + 16 + 0, vbuf);
    g.w32(vtx + 16 + 4, 0);
    g.w32(vtx + 16 + 8, bcast.length | G.TXD_CMD_DEXT | (G.TXD_DTYP_DATA << G.TXD_DTYP_SHIFT) | G.TXD_CMD_EOP | G.TXD_CMD_IFCS | G.TXD_CMD_RS);
    g.w32(vtx + 16 + 12, bcast.length << 14);
    pf.w(rxq(2, G.Q_TAIL), 2);
    const pbuf2 = g.alloc(BUF, 64);
    g.w64(prx + 16, pbuf2);
    vw(0x03818, 2);
    expect(g.read(pbuf2, bcast.length)).toEqual(bcast);
    expect(ext.received().map((r) => r.frame)).toEqual([bcast]);

    // A PF message for the VF: STS raises the VF's mailbox vector (its IVAR_MISC: vector 2, as igbvf_configure_msix sets it).
    vw(G.IVAR_MISC, G.IVAR_VALID | 2);
    msi.length = 0;
    pf.w(G.P2VMAILBOX, G.P2V_STS);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x62, rid: vf.rid }]);
    expect(vr(G.V2PMAILBOX) & G.V2P_PFSTS).toBe(G.V2P_PFSTS);

    // With VFRE cleared (the PF stopped the VF) frames for it are not delivered.
    pf.w(G.VFRE, 0);
    ext.send(rawFrame(VF_MAC, ext.mac, 'dropped'));
    expect(g.r32(vrx + 16 + 8) & G.RXD_STAT_DD).toBe(0);
  });
});
