/**
 * The 82574L (e1000e) driven the way Linux 6.1's e1000e driver drives it
 * (drivers/net/ethernet/intel/e1000e: probe reads the NVM through EERD and
 * checks its sum, the PHY ID through MDIC; reset with CTRL.RST; auto-
 * negotiation restarted through the PHY; rings, RFCTL.EXTEN, RSS with
 * PCSD, receive checksum offload; MSI-X through IVAR with EIAC auto-clear,
 * or MSI/INTx with IAME), against guest RAM through the bus-master DMA
 * path, with two NICs exchanging frames through the in-process switch.
 */
import { describe, expect, it } from 'vitest';
import { E1000e, type Q35Machine } from '../../../runtime/index.js';
import * as E from '../../../runtime/devices/e1000e/regs.js';
import { BMSR_AN_COMP, MII } from '../../../runtime/devices/intel-nic/phy.js';
import { segment, toeplitz, parseFrame } from '../../../runtime/devices/intel-nic/packet.js';
import * as R from '../../../runtime/pci/registers.js';
import { captureMsi, GuestView, mapBar } from './guest.js';
import { BROADCAST, checksumsValid, ipFrame, prefillPseudoHeader, rawFrame } from './frames.js';
import { IntelNicDriver, nicMachine, probedNic, probedPair, RSS_KEY, type NicKind } from './intel-nic-driver.js';

const RING = 16;
const BUF = 2048;

type Mode = 'msix' | 'msi' | 'intx';

/** A small e1000e driver: Linux's probe, reset, link setup, ring configuration and data path. */
class E1000eDriver extends IntelNicDriver<E1000e> {
  readonly io: number;
  tx = 0;
  txTail = 0;
  rx = 0;
  rxNext = 0;
  readonly rxBufs: number[] = [];

  constructor(
    m: Q35Machine,
    nic: E1000e,
    g: GuestView,
    slot: number,
    readonly mode: Mode = 'msix',
    readonly extended = true,
  ) {
    super(m, nic, g, slot, false);
    this.io = 0xc000 + slot * 0x100;
    mapBar(nic, 2, this.io, { io: true });
  }

  /** e1000_probe up to e1000e_reset and e1000_open: returns the MAC it read from the NVM. */
  probe(): number[] {
    const words = this.nvmWords();
    this.mac = [words[0]! & 0xff, words[0]! >> 8, words[1]! & 0xff, words[1]! >> 8, words[2]! & 0xff, words[2]! >> 8];
    // e1000_reset_hw_82571: quiesce, then the global reset.
    this.w(E.IMC, 0xffff_ffff);
    this.w(E.RCTL, 0);
    this.w(E.TCTL, E.TCTL_PSP);
    this.w(E.CTRL, this.r(E.CTRL) | E.CTRL_RST);
    expect(this.r(E.EECD) & E.EECD_AUTO_RD).toBeTruthy();
    this.w(E.IMC, 0xffff_ffff);
    this.r(E.ICR);
    // e1000_init_phy_params_82571: the BME1000 PHY.
    expect([this.phyRead(MII.PHYID1), this.phyRead(MII.PHYID2)]).toEqual([0x0141, 0x0cb1]);
    return this.mac;
  }

  /** e1000e_phy_setup_autoneg + restart; the link is up 500 ms of guest time later. */
  linkUp(): void {
    this.restartAutonegotiation();
    expect(this.r(E.STATUS) & E.STATUS_LU).toBe(E.STATUS_LU);
    expect(this.phyRead(MII.BMSR) & BMSR_AN_COMP).toBe(BMSR_AN_COMP);
  }

  /** e1000_configure_tx / _rx / _msix and e1000_irq_enable, then e1000_alloc_rx_buffers. */
  configure(rxBuffers = RING - 1): void {
    const g = this.g;
    this.tx = g.alloc(RING * 16, 128);
    this.setRing(E.TDBAL, this.tx, RING * 16);
    this.w(E.TIDV, 8);
    this.w(E.TADV, 32);
    this.w(E.TCTL, E.TCTL_EN | E.TCTL_PSP | (0xf << 4) | (0x3f << 12));
    this.rx = g.alloc(RING * 16, 128);
    this.setRing(E.RDBAL0, this.rx, RING * 16);
    this.w(E.RDTR, 0);
    this.w(E.RADV, 8);
    if (this.extended) this.w(E.RFCTL, this.r(E.RFCTL) | E.RFCTL_EXTEN);
    this.w(E.RXCSUM, this.r(E.RXCSUM) | E.RXCSUM_TUOFLD);
    // e1000e_setup_rss_hash: the key, RETA all queue 0, PCSD so the hash is written back.
    this.writeRssKey();
    for (let i = 0; i < 32; i++) this.w(E.RETA + 4 * i, 0);
    if (this.extended) {
      this.w(E.RXCSUM, this.r(E.RXCSUM) | E.RXCSUM_PCSD);
      this.w(E.MRQC, E.MRQC_RSS_ENABLE | E.MRQC_TCPIPV4 | E.MRQC_IPV4 | E.MRQC_TCPIPV6 | E.MRQC_IPV6);
    }
    // Auto-mask interrupts upon ICR access.
    this.w(E.CTRL_EXT, this.r(E.CTRL_EXT) | E.CTRL_EXT_IAME);
    this.w(E.IAM, 0xffff_ffff);
    this.w(E.RCTL, E.RCTL_EN | E.RCTL_BAM | E.RCTL_SECRC | (0 << E.RCTL_BSIZE_SHIFT));
    if (this.mode === 'msix') {
      this.w(E.RFCTL, this.r(E.RFCTL) | E.RFCTL_ACK_DIS);
      this.w(E.IVAR, (E.IVAR_ENTRY_VALID | 0) | ((E.IVAR_ENTRY_VALID | 1) << 8) | ((E.IVAR_ENTRY_VALID | 2) << 16) | E.IVAR_TX_INT_EVERY_WB);
      this.w(E.CTRL_EXT, (this.r(E.CTRL_EXT) & ~E.CTRL_EXT_IAME) | E.CTRL_EXT_PBA_CLR | E.CTRL_EXT_EIAME);
      this.enableMsix(3, 0x40);
      this.w(E.EIAC, E.ICR_RXQ0 | E.ICR_TXQ0);
      this.w(E.IMS, E.ICR_RXQ0 | E.ICR_TXQ0 | E.ICR_OTHER | E.ICR_LSC);
    } else {
      if (this.mode === 'msi') this.enableMsi();
      this.w(E.IMS, E.ICR_TXDW | E.ICR_LSC | E.ICR_RXSEQ | E.ICR_RXDMT0 | E.ICR_RXT0 | E.ICR_RXO);
    }
    for (let i = 0; i < rxBuffers; i++) this.postRx();
  }

  postRx(): void {
    const i = this.rxTailIndex();
    const buf = this.rxBufs[i] ?? this.g.alloc(BUF, 64);
    this.rxBufs[i] = buf;
    this.g.w64(this.rx + 16 * i, buf);
    this.g.w64(this.rx + 16 * i + 8, 0);
    this.w(E.RDT0, (i + 1) % RING);
  }

  private rxTailIndex(): number {
    return this.r(E.RDT0);
  }

  /** Frames received since the last call, with their descriptor's status/error dword (and RSS hash when extended). */
  received(): { frame: Uint8Array; status: number; rss: number; vlan: number }[] {
    const out: { frame: Uint8Array; status: number; rss: number; vlan: number }[] = [];
    for (;;) {
      const d = this.rx + 16 * this.rxNext;
      const status = this.extended ? this.g.r32(d + 8) : this.g.r8(d + 12) | (this.g.r8(d + 13) << 24);
      if (!(status & E.RXD_STAT_DD)) break;
      expect(status & E.RXD_STAT_EOP).toBeTruthy();
      const len = this.g.r16(d + (this.extended ? 12 : 8));
      out.push({ frame: this.g.read(this.rxBufs[this.rxNext]!, len), status, rss: this.extended ? this.g.r32(d + 4) : 0, vlan: this.g.r16(d + 14) });
      this.rxNext = (this.rxNext + 1) % RING;
      this.postRx();
    }
    return out;
  }

  /** e1000_xmit_frame: an optional context descriptor, then one data descriptor; returns the descriptors written back. */
  send(frame: Uint8Array, offload: { csum?: boolean; tso?: { mss: number } } = {}): void {
    const g = this.g;
    const l4 = 34;
    if (offload.csum || offload.tso) {
      // e1000_tx_csum / e1000_tso: the context descriptor.
      const c = this.tx + 16 * this.txTail;
      g.write(c, new Uint8Array(16));
      g.w8(c, 14); // ipcss
      g.w8(c + 1, 24); // ipcso
      g.w16(c + 2, l4 - 1); // ipcse
      g.w8(c + 4, l4); // tucss
      g.w8(c + 5, l4 + (frame[23] === 17 ? 6 : 16)); // tucso
      const tso = offload.tso;
      const hdr = l4 + (frame[23] === 17 ? 8 : (frame[l4 + 12]! >> 4) * 4);
      g.w32(c + 8, (tso ? frame.length - hdr : 0) | E.TXD_CMD_DEXT | (tso ? E.TXD_CMD_TSE | E.TXD_CMD_IP | E.TXD_CMD_TCP : 0));
      g.w8(c + 13, tso ? hdr : 0);
      g.w16(c + 14, tso?.mss ?? 0);
      this.txTail = (this.txTail + 1) % RING;
    }
    const buf = g.alloc(frame.length, 16);
    g.write(buf, frame);
    const d = this.tx + 16 * this.txTail;
    g.w64(d, buf);
    let lower = frame.length | E.TXD_CMD_EOP | E.TXD_CMD_IFCS | E.TXD_CMD_RS | E.TXD_CMD_IDE;
    let upper = 0;
    if (offload.csum || offload.tso) {
      lower |= E.TXD_CMD_DEXT | E.TXD_DTYP_D | (offload.tso ? E.TXD_CMD_TSE : 0);
      upper |= (E.TXD_POPTS_TXSM | (offload.tso ? E.TXD_POPTS_IXSM : 0)) << 8;
    }
    g.w32(d + 8, lower);
    g.w32(d + 12, upper);
    this.txTail = (this.txTail + 1) % RING;
    this.w(E.TDT, this.txTail);
    expect(this.r(E.TDH)).toBe(this.txTail);
    expect(g.r8(d + 12) & E.TXD_STAT_DD).toBe(E.TXD_STAT_DD);
  }
}

const E1000E_NIC: NicKind<E1000e, E1000eDriver> = {
  nic: (i) => new E1000e({ bus: 'pcie-root', mac: `52:54:00:00:00:${(0x10 + i).toString(16)}` }),
  driver: (m, nic, g, slot) => new E1000eDriver(m, nic, g, slot),
};

describe('packet helpers', () => {
  it('the Toeplitz hash matches the RSS verification suite (IPv4 and IPv4/TCP)', () => {
    const key = Uint8Array.from(RSS_KEY);
    // 66.9.149.187:2794 -> 161.142.100.80:1766
    const addrs = [66, 9, 149, 187, 161, 142, 100, 80];
    expect(toeplitz(key, Uint8Array.from(addrs)).toString(16)).toBe('323e8fc2');
    expect(toeplitz(key, Uint8Array.from([...addrs, 2794 >> 8, 2794 & 0xff, 1766 >> 8, 1766 & 0xff])).toString(16)).toBe('51ccc178');
  });

  it('segmentation keeps the headers, advances sequence numbers and IP IDs, and checksums every piece', () => {
    const payload = Uint8Array.from({ length: 2500 }, (_, i) => i & 0xff);
    const f = ipFrame({ dst: BROADCAST, src: [2, 0, 0, 0, 0, 1], proto: 'tcp', payload, seq: 0xffff_fff0, ipId: 7 });
    const segs = segment(f, 1000);
    expect(segs.map((s) => s.length)).toEqual([54 + 1000, 54 + 1000, 54 + 500]);
    segs.forEach((s, i) => {
      const v = new DataView(s.buffer);
      expect(checksumsValid(s)).toEqual({ ip: true, l4: true });
      expect(v.getUint16(16)).toBe(s.length - 14);
      expect(v.getUint16(18)).toBe(7 + i);
      expect(v.getUint32(38)).toBe((0xffff_fff0 + 1000 * i) >>> 0);
      expect(s[47]! & 0x08).toBe(i === 2 ? 0x08 : 0); // PSH only on the last
      expect(s.subarray(54)).toEqual(payload.subarray(1000 * i, 1000 * i + s.length - 54));
    });
    // Truncated and non-IP frames parse without throwing.
    for (let n = 0; n < 80; n++) parseFrame(f.subarray(0, n));
  });
});

describe('e1000e: Linux e1000e on the in-process switch', () => {
  it('probe: NVM through EERD (sum 0xbaba, MAC, device ID), RAL/RAH, PHY ID through MDIC, IOADDR/IODATA, reset values', () => {
    const { m, d, mac } = probedNic(E1000E_NIC);
    expect(mac).toEqual([0x52, 0x54, 0, 0, 0, 0x10]);
    expect(d.nvm(0x0b)).toBe(0x10d3);
    expect(d.nvm(0x0d)).toBe(0x10d3);
    // Past the 64-word NVM: no DONE.
    d.w(E.EERD, (64 << 2) | 1);
    expect(d.r(E.EERD) & 2).toBe(0);
    expect([d.r(E.RA), d.r(E.RA + 4)]).toEqual([0x0000_5452, 0x8000_1000]);
    expect(d.r(E.STATUS)).toBe(E.STATUS_FD | E.STATUS_LU | E.STATUS_SPEED_1000 | E.STATUS_ASDV_1000 | E.STATUS_GIO_MASTER_ENABLE);
    expect(d.r(E.PBA)).toBe(0x0014_0014);
    // The IO BAR: IOADDR selects, IODATA reads and writes.
    m.io.write(d.io, 4, E.STATUS);
    expect(m.io.read(d.io + 4, 4) >>> 0).toBe(d.r(E.STATUS));
    m.io.write(d.io, 4, E.RDTR);
    m.io.write(d.io + 4, 4, 0x1_0005);
    expect(d.r(E.RDTR)).toBe(5);
    // A PHY address other than 1, and a register the PHY lacks, report MDIC.ERROR.
    d.w(E.MDIC, (2 << 16) | (2 << 21) | E.MDIC_OP_READ);
    expect(d.r(E.MDIC) & E.MDIC_ERROR).toBeTruthy();
    d.w(E.MDIC, (0x0c << 16) | (1 << 21) | E.MDIC_OP_READ);
    expect(d.r(E.MDIC) & E.MDIC_ERROR).toBeTruthy();
    // SWSM.SMBI is taken by reading it.
    expect(d.r(E.SWSM) & 1).toBe(1);
  });

  it('link: restarting auto-negotiation takes the link down for 500 ms of guest time, then Link Status Change on the Other vector', () => {
    const { m, d } = probedNic(E1000E_NIC);
    d.configure();
    const msi = captureMsi(m);
    d.linkUp();
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x42, rid: 0x20 }]);
    // e1000_msix_other reads ICR (not cleared under MSI-X) and re-enables Other.
    expect(d.r(E.ICR) & (E.ICR_LSC | E.ICR_OTHER)).toBe(E.ICR_LSC | E.ICR_OTHER);
    d.w(E.ICR, E.ICR_OTHER);
    expect(d.r(E.ICR) & E.ICR_LSC).toBe(0);
    // Autonegotiation completed: flow control on.
    expect(d.r(E.CTRL) & (E.CTRL_RFCE | E.CTRL_TFCE)).toBe(E.CTRL_RFCE | E.CTRL_TFCE);
  });

  it('two NICs exchange frames through the switch: MSI-X, extended descriptors, RSS hash, checksum offload both ways', () => {
    const { m, a, b, macA, macB } = probedPair(E1000E_NIC);
    const msi = captureMsi(m);
    a.configure();
    b.configure();
    a.linkUp();
    b.linkUp();
    msi.length = 0;
    // A broadcast from A reaches B (and not A itself).
    const hello = rawFrame(BROADCAST, macA, 'who has 10.0.0.2');
    a.send(hello);
    expect(b.received().map((r) => r.frame)).toEqual([hello]);
    expect(a.received()).toEqual([]);
    // Delivery happens inside A's transmit: B's RXQ0 vector, then A's TXQ0 vector; EIAC auto-cleared both causes.
    expect(msi).toEqual([
      { address: 0xfee0_0000, data: 0x40, rid: 0x28 },
      { address: 0xfee0_0000, data: 0x41, rid: 0x20 },
    ]);
    expect(b.r(E.ICR) & E.ICR_RXQ0).toBe(0);
    expect(b.r(E.IMS) & E.ICR_RXQ0).toBe(0); // auto-masked until the driver re-enables it
    b.w(E.IMS, E.ICR_RXQ0);
    // B answers A with UDP, asking for the checksum: it arrives valid, with IPCS/TCPCS/UDPCS and the RSS hash.
    const udp = ipFrame({ dst: macA, src: macB, proto: 'udp', payload: new TextEncoder().encode('10.0.0.2 is at B'), srcIp: 2, dstIp: 1 });
    prefillPseudoHeader(udp);
    // The IP header checksum is the stack's (Linux checksums IP headers itself for non-TSO frames).
    udp.set(ipHeaderWithChecksum(udp), 14);
    b.send(udp, { csum: true });
    const got = a.received();
    expect(got.length).toBe(1);
    expect(checksumsValid(got[0]!.frame)).toEqual({ ip: true, l4: true });
    // Frames shorter than 60 bytes arrive padded with zeros (the 82574 pads short frames, as QEMU does).
    expect(got[0]!.frame.length).toBe(60);
    expect(got[0]!.frame.subarray(42, udp.length)).toEqual(udp.subarray(42));
    const st = got[0]!.status;
    expect(st & (E.RXD_STAT_IPCS | E.RXD_STAT_TCPCS | E.RXD_STAT_UDPCS)).toBe(E.RXD_STAT_IPCS | E.RXD_STAT_TCPCS | E.RXD_STAT_UDPCS);
    expect(st & (E.RXDEXT_ERR_IPE | E.RXDEXT_ERR_TCPE)).toBe(0);
    expect((st >>> E.RXD_PKT_TYPE_SHIFT) & 0xf).toBe(E.RXD_PKT.IP4_XDP);
    // The RSS hash of 10.0.0.2 -> 10.0.0.1 under the programmed key (IPv4 type: UDP ports are not hashed).
    const key = Uint8Array.from(RSS_KEY);
    expect(got[0]!.rss).toBe(toeplitz(key, Uint8Array.from([10, 0, 0, 2, 10, 0, 0, 1])));
    // A corrupted checksum is reported, not dropped.
    const bad = ipFrame({ dst: macA, src: macB, proto: 'tcp', payload: new Uint8Array(10), checksums: true });
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    b.send(bad);
    const badGot = a.received()[0]!;
    expect(badGot.status & E.RXDEXT_ERR_TCPE).toBeTruthy();
    expect(badGot.status & E.RXDEXT_ERR_IPE).toBe(0);
    // Statistics: A received 2 good frames (clear on read).
    expect(a.r(E.GPRC)).toBe(2);
    expect(a.r(E.GPRC)).toBe(0);
    expect(b.r(E.GPTC)).toBe(2);
  });

  it('TSO: one 4000-byte TCP send arrives as MSS-sized segments with valid checksums and consecutive sequence numbers', () => {
    const { a, b, macA, macB } = probedPair(E1000E_NIC);
    a.configure();
    b.configure();
    const payload = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7) & 0xff);
    const f = ipFrame({ dst: macB, src: macA, proto: 'tcp', payload, seq: 5000 });
    prefillPseudoHeader(f, true);
    a.send(f, { tso: { mss: 1448 } });
    const segs = b.received();
    expect(segs.map((s) => s.frame.length)).toEqual([54 + 1448, 54 + 1448, 54 + 1104]);
    let at = 0;
    for (const s of segs) {
      expect(checksumsValid(s.frame)).toEqual({ ip: true, l4: true });
      expect(new DataView(s.frame.buffer).getUint32(38)).toBe(5000 + at);
      expect(s.frame.subarray(54)).toEqual(payload.subarray(at, at + s.frame.length - 54));
      at += s.frame.length - 54;
      expect(s.status & (E.RXDEXT_ERR_TCPE | E.RXDEXT_ERR_IPE)).toBe(0);
    }
    expect(b.r(E.TSCTC)).toBe(0); // counted by QEMU only with a vnet peer
  });

  it('MSI and INTx: legacy descriptors, ICR cleared on read, TIDV delays transmit interrupts in guest time, ITR throttles', () => {
    const { m, nics, g } = nicMachine(2, E1000E_NIC.nic);
    m.connectNetwork();
    const msi = captureMsi(m);
    const a = new E1000eDriver(m, nics[0]!, g, 0, 'msi', false);
    const b = new E1000eDriver(m, nics[1]!, g, 1, 'intx', false);
    const macA = a.probe();
    b.probe();
    a.configure();
    b.configure();
    msi.length = 0;
    const f = rawFrame(BROADCAST, macA, 'legacy');
    a.send(f);
    // B (INTx): its receive raised the pin; reading ICR clears it and drops the pin.
    expect(nics[1]!.intxAsserted).toBe(true);
    const icr = b.r(E.ICR);
    expect((icr & (E.ICR_RXT0 | E.ICR_ASSERTED)) >>> 0).toBe((E.ICR_RXT0 | E.ICR_ASSERTED) >>> 0);
    expect(b.r(E.ICR)).toBe(0);
    expect(nics[1]!.intxAsserted).toBe(false);
    const got = b.received();
    expect(got.map((x) => x.frame)).toEqual([f]);
    expect(got[0]!.status & 0xff).toBe(E.RXD_STAT_DD | E.RXD_STAT_EOP);
    // A (MSI): the transmit completion asked for a delay (IDE), so no message until TIDV (8 x 1.024 us) passed.
    expect(msi).toEqual([]);
    m.clock.advanceTo(m.clock.now() + 8 * 1024);
    m.clock.runDue();
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x61, rid: 0x20 }]);
    expect(a.r(E.ICR) & E.ICR_TXDW).toBe(E.ICR_TXDW);
    // Outside MSI-X the read clears ICR before IAME is looked at (QEMU 7.2's order): IMS stays as it was.
    expect(a.r(E.IMS)).toBe(E.ICR_TXDW | E.ICR_LSC | E.ICR_RXDMT0 | E.ICR_RXO | E.ICR_RXT0);
    // ITR: that message started a throttling interval (QEMU's minimum, 500 x 256 ns); once it is over,
    // a cause goes out at once and a second one within the new interval waits for its end.
    m.clock.advanceTo(m.clock.now() + 500 * 256);
    m.clock.runDue();
    a.w(E.ITR, 1000);
    expect(a.r(E.ITR)).toBe(1000);
    msi.length = 0;
    a.w(E.ICS, E.ICR_LSC);
    expect(msi.length).toBe(1);
    a.r(E.ICR);
    a.w(E.ICS, E.ICR_LSC);
    expect(msi.length).toBe(1);
    m.clock.advanceTo(m.clock.now() + 1000 * 256);
    m.clock.runDue();
    expect(msi.length).toBe(2);
  });

  it('filters: another unicast address is dropped, promiscuous mode takes it, multicast through the MTA, VLAN tags stripped and inserted', () => {
    const { g, sw, a, b, macA, macB } = probedPair(E1000E_NIC);
    a.configure();
    b.configure();
    const stranger = [0x52, 0x54, 0, 0, 0, 0x99];
    // Unknown destination: the switch floods it, B's filter drops it.
    a.send(rawFrame(stranger, macA, 'not for B'));
    expect(b.received()).toEqual([]);
    b.w(E.RCTL, b.r(E.RCTL) | E.RCTL_UPE);
    a.send(rawFrame(stranger, macA, 'promiscuous'));
    expect(b.received().length).toBe(1);
    b.w(E.RCTL, b.r(E.RCTL) & ~E.RCTL_UPE);
    // Multicast 01:00:5e:00:00:fb through the MTA (MO 0: bits 47:36 of the address).
    const mc = [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb];
    a.send(rawFrame(mc, macA, 'mdns'));
    expect(b.received()).toEqual([]);
    const bit = ((mc[5]! << 8) | mc[4]!) >>> 4;
    b.w(E.MTA + 4 * (bit >>> 5), 1 << (bit & 31));
    a.send(rawFrame(mc, macA, 'mdns'));
    expect(b.received().length).toBe(1);
    // VLAN: A inserts tag 5 (VLE), B strips it (CTRL.VME) and reports it in the descriptor.
    for (const d of [a, b]) {
      d.w(E.VET, 0x8100);
      d.w(E.CTRL, d.r(E.CTRL) | E.CTRL_VME);
    }
    const seen: Uint8Array[] = [];
    sw.attach('tap').receive = (fr) => seen.push(fr);
    const plain = rawFrame(macB, macA, 'tagged');
    const t = a.tx + 16 * a.txTail;
    const buf = g.alloc(plain.length);
    g.write(buf, plain);
    g.w64(t, buf);
    g.w32(t + 8, plain.length | E.TXD_CMD_EOP | E.TXD_CMD_RS | E.TXD_CMD_VLE);
    g.w32(t + 12, 5 << 16);
    a.txTail = (a.txTail + 1) % RING;
    a.w(E.TDT, a.txTail);
    expect(seen.length).toBe(1);
    expect([...seen[0]!.subarray(12, 16)]).toEqual([0x81, 0x00, 0x00, 0x05]);
    const got = b.received();
    expect(got.map((x) => x.frame)).toEqual([plain]);
    expect(got[0]!.status & E.RXD_STAT_VP).toBeTruthy();
    expect(got[0]!.vlan).toBe(5);
  });

  it('a receive ring without free descriptors holds frames until RDT moves; RXO when one does not fit', () => {
    const { a, b, macA, macB } = probedPair(E1000E_NIC);
    a.configure();
    b.configure(0);
    a.send(rawFrame(macB, macA, 'early'));
    expect(b.received()).toEqual([]);
    b.postRx();
    expect(b.received().map((x) => new TextDecoder().decode(x.frame.subarray(14, 19)))).toEqual(['early']);
  });

  it('a hostile guest: random register writes, rings outside RAM, huge descriptors and Bus Master off never throw', () => {
    const { m, nics, a, b } = probedPair(E1000E_NIC);
    a.configure();
    b.configure();
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20000; i++) {
      const nic = i & 1 ? a : b;
      const off = (rnd() % 0x20000) & ~3;
      if (off === E.CTRL || off === E.CTRL_DUP) continue; // keep the rings in place most of the time
      nic.w(off, rnd());
      if (i % 97 === 0) nic.w(E.TDT, rnd() & 0xf);
      if (i % 89 === 0) nic.w(E.RDT0, rnd() & 0xffff);
      if (i % 101 === 0) m.memory.read(nic.bar0 + (rnd() % 0x20000), 2);
    }
    // Rings based past the end of RAM and past 4 GiB; lengths of the maximum.
    a.w(E.TDBAL, 0xffff_fff0);
    a.w(E.TDBAH, 0xffff_ffff);
    a.w(E.TDLEN, 0xfff80);
    a.w(E.TCTL, E.TCTL_EN);
    a.w(E.TDT, 0x1fff);
    nics[0]!.configWrite(R.COMMAND, 2, R.CMD_MEMORY);
    a.w(E.TDT, 3);
    expect(nics[0]!.core.dropped).toBeGreaterThanOrEqual(0);
  });
});

/** The IPv4 header of `f` with its checksum filled (what Linux's stack does before handing the frame to the driver). */
function ipHeaderWithChecksum(f: Uint8Array): Uint8Array {
  const h = f.slice(14, 34);
  h[10] = h[11] = 0;
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += (h[i]! << 8) | h[i + 1]!;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  const c = ~s & 0xffff;
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return h;
}
