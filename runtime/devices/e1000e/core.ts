/**
 * The 82574L MAC behind BAR0, as QEMU 7.2's e1000e presents it
 * (hw/net/e1000e_core.c) to Linux's e1000e driver: the register file with
 * its read and write semantics, the NVM read through EERD, the PHY through
 * MDIC, interrupt causes with masking, auto-masking and auto-clear, MSI-X
 * routing through IVAR, interrupt throttling (ITR/EITR) and delays
 * (RDTR/RADV/TIDV/TADV) in guest time, receive and transmit rings with
 * legacy, extended and packet-split receive descriptors, destination and
 * VLAN filtering, RSS, receive checksum reporting, and transmit checksum
 * insertion and TCP segmentation. Frames go to and come from a NetPort.
 *
 * Section numbers are the 82574 GbE Controller Family datasheet's.
 */
import { MAX_FRAME } from '../../backends/net.js';
import type { Timer, VirtualClock } from '../../time/clock.js';
import { multicastTableIndex, receiveAddressFor, receiveAddressMatches } from '../intel-nic/filter.js';
import { DESC, IntelMac, MAX_TX_PACKET, mdicResult, receiveChecksumBits, type MacHost, type Ring } from '../intel-nic/mac.js';
import { EERW_DONE, nvmImage } from '../intel-nic/nvm.js';
import {
  concat, fillIpv4Checksum, fillL4Checksum, insertVlan, MIN_WIRE_FRAME, packetKind, padFrame, parseFrame, segment, stripVlan, type FrameLayout,
} from '../intel-nic/packet.js';
import { BMCR_AUTOEN, BMCR_FD, BMCR_SPEED1000, BMSR_AUTONEG, BMSR_EXTCAP, BMSR_EXTSTAT, BMSR_LINK_ST, BMSR_MFPS, BMSR_10T_FD, BMSR_10T_HD, BMSR_100TX_FD, BMSR_100TX_HD, MII, Phy, type PhyModel } from '../intel-nic/phy.js';
import * as E from './regs.js';

/** 82574's PHY (Intel's BME1000) as QEMU initialises it (e1000e_phy_reg_init, e1000e_phy_regcap). */
export const PHY_ID2_82574 = 0x0cb1;
const P = { COPPER_CTRL1: 0x10, COPPER_STAT1: 0x11, COPPER_INT_ENABLE: 0x12, COPPER_STAT2: 0x13, COPPER_CTRL3: 0x14, RX_ERR_CNTR: 0x15, PAGE: 0x16, OEM_BITS: 0x19, COPPER_CTRL2: 0x1a, BIAS_1: 0x1d, BIAS_2: 0x1e } as const;
const PHY_ACCESS: readonly Readonly<Record<number, 'r' | 'rw'>>[] = [
  {
    [MII.BMCR]: 'rw', [MII.BMSR]: 'r', [MII.PHYID1]: 'r', [MII.PHYID2]: 'r', [MII.ANAR]: 'rw', [MII.ANLPAR]: 'r', [MII.ANER]: 'r', [MII.ANNP]: 'rw',
    [MII.ANLPRNP]: 'r', [MII.CTRL1000]: 'rw', [MII.STAT1000]: 'r', [MII.EXTSTAT]: 'r', [P.PAGE]: 'rw',
    [P.COPPER_CTRL1]: 'rw', [P.COPPER_STAT1]: 'r', [P.COPPER_CTRL3]: 'rw', [P.RX_ERR_CNTR]: 'r', [P.OEM_BITS]: 'rw', [P.BIAS_1]: 'rw', [P.BIAS_2]: 'rw',
    [P.COPPER_INT_ENABLE]: 'rw', [P.COPPER_STAT2]: 'r', [P.COPPER_CTRL2]: 'rw',
  },
  {},
  { 0x10: 'rw', 0x12: 'rw', 0x13: 'r', 0x15: 'rw' },
  { 0x10: 'rw', 0x11: 'rw', 0x12: 'rw', 0x13: 'rw' },
  {},
  { 0x14: 'r', 0x15: 'r' },
  { 0x11: 'r' },
];
export const E1000E_PHY: PhyModel = {
  pages: 7,
  pageRegister: P.PAGE,
  access: (page, reg) => PHY_ACCESS[page]?.[reg],
  init: [
    {
      [MII.BMCR]: BMCR_SPEED1000 | BMCR_FD | BMCR_AUTOEN,
      [MII.BMSR]: BMSR_EXTCAP | BMSR_LINK_ST | BMSR_AUTONEG | BMSR_MFPS | BMSR_EXTSTAT | BMSR_10T_HD | BMSR_10T_FD | BMSR_100TX_HD | BMSR_100TX_FD,
      [MII.PHYID1]: 0x0141,
      [MII.PHYID2]: PHY_ID2_82574,
      [MII.ANAR]: 0x0de1,
      [MII.ANLPAR]: 0x07e0,
      [MII.ANER]: 1 << 2,
      [MII.ANNP]: (1 << 0) | (1 << 13),
      [MII.CTRL1000]: (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11),
      [MII.STAT1000]: 0x3c00,
      [MII.EXTSTAT]: (1 << 12) | (1 << 13),
      [P.COPPER_CTRL1]: (1 << 5) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 12) | (1 << 13),
      [P.COPPER_STAT1]: (1 << 3) | (1 << 10) | (1 << 11) | (1 << 13) | (1 << 15),
    },
    undefined,
    { 0x10: (1 << 3) | (1 << 7), 0x15: (1 << 1) | (1 << 2) | (1 << 6) | (1 << 12) },
    { 0x12: (1 << 0) | (1 << 2) | (1 << 14) },
  ],
  // Bits 0-5 are reserved; reset and restart auto-negotiation clear themselves.
  bmcrVolatile: 0x3f | 0x8000 | 0x0200,
  restartRegister: { page: 0, reg: P.OEM_BITS, bit: 1 << 10 },
};

/** Register values after power-up (QEMU e1000e_mac_reg_init). */
const RESET_VALUES: readonly (readonly [number, number])[] = [
  [E.PBA, 0x0014_0014],
  [E.LEDCTL, (1 << 1) | (1 << 8) | (1 << 9) | (1 << 15) | (1 << 17) | (1 << 18)],
  [E.EXTCNF_CTRL, 1 << 3],
  [E.EEMNGCTL, 1 << 31],
  [E.FLASHT, 0x2],
  [E.FLSWCTL, (1 << 30) | (1 << 31)],
  [E.FLOL, 1 << 0],
  [E.RXDCTL, 1 << 16],
  [E.RXDCTL + E.QUEUE_STRIDE, 1 << 16],
  [E.TIPG, 0x8 | (0x8 << 10) | (0x6 << 20)],
  [E.CTRL, E.CTRL_FD | E.CTRL_SWDPIN0 | E.CTRL_ADVD3WUC | E.CTRL_SPD_1000 | E.CTRL_SLU],
  [E.STATUS, E.STATUS_ASDV_1000 | E.STATUS_LU],
  [E.PSRCTL, (2 << 0) | (4 << E.PSRCTL_BSIZE1_SHIFT) | (4 << E.PSRCTL_BSIZE2_SHIFT)],
  [E.TARC0, 0x3 | E.TARC_ENABLE],
  [E.TARC0 + E.QUEUE_STRIDE, 0x3 | E.TARC_ENABLE],
  [E.EECD, E.EECD_AUTO_RD | E.EECD_PRES],
  [E.EERD, EERW_DONE],
  [E.EEWR, EERW_DONE],
  [E.GCR, (1 << 9) | (1 << 23) | (1 << 25) | (1 << 26)],
  [E.POEMB, 0x30d],
  [E.PBS, 0x028],
  [E.MANC, 1 << 13],
  [E.FACTPS, (1 << 0) | 0x2000_0000],
  [E.SWSM, 1],
  [E.RXCSUM, E.RXCSUM_IPOFLD | E.RXCSUM_TUOFLD],
  [E.ITR, E.MIN_XITR],
  ...Array.from({ length: E.MSIX_VECTORS }, (_, i): [number, number] => [E.EITR + 4 * i, E.MIN_XITR]),
];
/** GCR bits software cannot change. */
const GCR_RO = (1 << 23) | (1 << 25) | (1 << 26);
/** Registers a software reset (CTRL.RST) keeps. */
const KEPT_BY_SOFTWARE_RESET = [E.PBA, E.PBS, E.FLA];

/** Registers that read and write as plain storage (the rest of QEMU's e1000e_macreg_readops/writeops). */
const PLAIN = new Set<number>([
  E.FLA, E.FCAL, E.FCTTV, E.LEDCTL, E.EXTCNF_CTRL, E.EXTCNF_SIZE, E.PBA, E.PBS, E.EEMNGCTL, E.FLSWCTL, E.FLSWDATA, E.FLSWCNT, E.FLOP, E.FLOL,
  E.POEMB, E.GCR2, E.FACTPS, E.FUNCTAG, E.IAM, E.EIAC, E.IVAR, E.TIPG, E.AIT, E.TXDCTL, E.TXDCTL + E.QUEUE_STRIDE, E.TARC0, E.TARC0 + E.QUEUE_STRIDE,
  E.RDBAH0, E.RDBAH0 + E.QUEUE_STRIDE, E.TDBAH, E.TDBAH + E.QUEUE_STRIDE, E.MRQC, E.WUC, E.WUFC, E.WUS, E.MANC, E.MANC2H,
  E.TIMINCA, E.SYSTIML, E.SYSTIMH, 0x05838 /* IPAV */, 0x05b54 /* FWSM reads 0 */,
]);
/** Register arrays of plain storage: [first offset, count]. */
const PLAIN_ARRAYS: readonly (readonly [number, number])[] = [
  [E.MTA, E.MTA_ENTRIES], [E.VFTA, 128], [E.RA + 8, 2 * E.RA_ENTRIES - 2], [E.RETA, 32], [E.RSSRK, 10],
  [0x05840, 7] /* IP4AT */, [0x05880, 4] /* IP6AT */, [0x05a00, 32] /* WUPM */, [0x05f00, 11] /* FFLT */,
];
/** Statistics registers that clear when read (QEMU e1000e_mac_read_clr4); the 64-bit ones clear both halves on reading the high one. */
const CLEAR_ON_READ = new Set<number>([
  0x0405c, 0x04060, 0x04064, 0x04068, 0x0406c, 0x04070, 0x040d8, 0x040dc, 0x040e0, 0x040e4, 0x040e8, 0x040ec,
  E.GPRC, E.GPTC, E.TPR, E.TPT, E.RUC, E.ROC, E.BPRC, E.MPRC, E.BPTC, E.MPTC, E.TSCTC, E.IAC,
]);
const CLEAR_ON_READ_HIGH = new Set<number>([E.TORH, E.TOTH, E.GORCH, E.GOTCH]);

/** A delay or throttling timer (QEMU E1000IntrDelayTimer): the register holding its interval and its unit. */
class DelayTimer {
  running = false;
  pending = false;
  private timer: Timer | undefined;
  private clockOf: VirtualClock | undefined;
  constructor(
    readonly reg: number,
    readonly unitNs: number,
    private readonly fire: () => void,
  ) {}

  /** Arms the timer for the register's interval; false when there is no guest time to wait in. */
  arm(core: E1000eCore, clock: VirtualClock | undefined): boolean {
    if (!clock) return false;
    if (this.clockOf !== clock) {
      this.timer = clock.timer(`e1000e ${this.reg.toString(16)}`, () => {
        this.running = false;
        this.fire();
      });
      this.clockOf = clock;
    }
    this.timer!.set(clock.now() + core.reg(this.reg) * this.unitNs);
    this.running = true;
    return true;
  }

  stop(): void {
    if (this.running) this.timer?.clear();
    this.running = false;
    this.pending = false;
  }
}

interface TxContext {
  mss: number;
  hdrLen: number;
  tse: boolean;
}

interface TxState {
  ctx: TxContext;
  /** POPTS of the packet being gathered. */
  sumNeeded: number;
  /** The packet asks for segmentation (TSE in its data descriptor). */
  cptse: boolean;
  parts: Uint8Array[];
  bytes: number;
  skip: boolean;
}

export class E1000eCore extends IntelMac {
  readonly phy: Phy;
  private itrGuest = 0;
  private readonly eitrGuest = new Array<number>(E.MSIX_VECTORS).fill(0);
  private delayedCauses = 0;
  private msiCausesPending = 0;
  private readonly rdtr: DelayTimer;
  private readonly radv: DelayTimer;
  private readonly raid: DelayTimer;
  private readonly tidv: DelayTimer;
  private readonly tadv: DelayTimer;
  private readonly itr: DelayTimer;
  private readonly eitr: DelayTimer[];
  private readonly tx: TxState[] = [newTx(), newTx()];

  constructor(
    private readonly host: MacHost,
    readonly permanentMac: readonly number[],
    deviceId: number,
  ) {
    super(nvmImage(permanentMac, deviceId));
    this.phy = new Phy(E1000E_PHY, {
      linkDown: () => (this.regs[E.STATUS >> 2]! &= ~E.STATUS_LU),
      linkUp: () => this.autonegDone(),
      clock: () => this.host.clock(),
    });
    const fireDelayed = () => this.setInterruptCause(0);
    this.rdtr = new DelayTimer(E.RDTR, E.DELAY_UNIT_NS, fireDelayed);
    this.radv = new DelayTimer(E.RADV, E.DELAY_UNIT_NS, fireDelayed);
    this.raid = new DelayTimer(E.RAID, E.DELAY_UNIT_NS, fireDelayed);
    this.tidv = new DelayTimer(E.TIDV, E.DELAY_UNIT_NS, fireDelayed);
    this.tadv = new DelayTimer(E.TADV, E.DELAY_UNIT_NS, fireDelayed);
    this.itr = new DelayTimer(E.ITR, E.THROTTLE_UNIT_NS, () => {
      if (!this.itr.pending) return;
      this.itr.pending = false;
      // The postponed message must go out even though its causes are already counted as sent.
      if (this.host.msiEnabled()) this.msiCausesPending = 0;
      this.setInterruptCause(0);
    });
    this.eitr = Array.from({ length: E.MSIX_VECTORS }, (_, i) => {
      const t: DelayTimer = new DelayTimer(E.EITR + 4 * i, E.THROTTLE_UNIT_NS, () => {
        if (!t.pending) return;
        t.pending = false;
        this.host.notify(i);
      });
      return t;
    });
    this.reset();
  }

  /** Power-on reset (and CTRL.RST, `software`, which keeps PBA, PBS and FLA; QEMU e1000e_reset). */
  reset(software = false): void {
    for (const t of [this.rdtr, this.radv, this.raid, this.tidv, this.tadv, this.itr, ...this.eitr]) t.stop();
    this.delayedCauses = 0;
    this.msiCausesPending = 0;
    const kept = KEPT_BY_SOFTWARE_RESET.map((r) => this.reg(r));
    this.phy.reset();
    this.regs.fill(0);
    for (const [r, v] of RESET_VALUES) this.set(r, v);
    if (software) KEPT_BY_SOFTWARE_RESET.forEach((r, i) => this.set(r, kept[i]!));
    this.itrGuest = 0;
    this.eitrGuest.fill(0);
    this.resetReceiveAddress();
    for (let i = 0; i < this.tx.length; i++) this.tx[i] = newTx();
    this.clearBacklog();
    this.host.setIntx(false);
  }

  private resetReceiveAddress(): void {
    const [ral, rah] = receiveAddressFor(this.permanentMac);
    this.set(E.RA, ral);
    this.set(E.RA + 4, rah);
  }

  // ---- register access ----------------------------------------------------------------------

  protected readRegister(r: number): number {
    const general = this.readGeneral(r);
    if (general !== undefined) return general;
    switch (r) {
      case E.STATUS: return this.status();
      case E.EECD: case E.EERD: case E.EEWR: case E.MDIC: case E.CTRL_EXT: case E.FCAH: case E.FCT: case E.VET: case E.FCRTL: case E.FCRTH: case E.FCRTV:
      case E.RCTL: case E.TCTL: case E.PSRCTL: case E.RXCSUM: case E.RFCTL: case E.RSRPD: case E.RAID: case E.RDTR: case E.RADV: case E.TIDV: case E.TADV:
      case E.GCR: case E.PBACLR: case E.FLASHT: case E.IAM:
        return this.reg(r);
      case E.ICR: return this.readIcr();
      case E.ICS: case E.IMS: return this.reg(r);
      case E.ITR: return this.itrGuest;
      case E.TARC0: case E.TARC0 + E.QUEUE_STRIDE: return this.reg(r) & ((1 << 11) - 1 | (0xf << 27));
      case E.RA: case E.RA + 4: return this.reg(r);
      default: break;
    }
    if (r >= E.EITR && r < E.EITR + 4 * E.MSIX_VECTORS) return this.eitrGuest[(r - E.EITR) >> 2]!;
    const q = ringQueue(r);
    if (q) return this.reg(r);
    if (r >= E.STATS_START && r < E.STATS_END) {
      const v = this.reg(r);
      if (CLEAR_ON_READ.has(r)) this.set(r, 0);
      else if (CLEAR_ON_READ_HIGH.has(r)) {
        this.set(r, 0);
        this.set(r - 4, 0);
      }
      return v;
    }
    if (PLAIN.has(r) || inArrays(r)) return this.reg(r);
    return 0;
  }

  protected writeRegister(r: number, v: number): void {
    if (this.writeGeneral(r, v)) return;
    switch (r) {
      case E.EEWR: return this.writeEewr(v);
      case E.MDIC: return this.writeMdic(v);
      case E.CTRL_EXT: return this.set(E.CTRL_EXT, v & ~(E.CTRL_EXT_ASDCHK | E.CTRL_EXT_EE_RST));
      case E.ICR: return this.writeIcr(v);
      case E.ICS: return this.setInterruptCause(v);
      case E.IMS: return this.writeIms(v);
      case E.IMC:
        this.set(E.IMS, this.reg(E.IMS) & ~v);
        return this.updateInterruptState();
      case E.RCTL: return this.writeRctl(v);
      case E.TCTL:
        this.set(E.TCTL, v);
        for (const q of [0, 1]) if (this.reg(E.TARC0 + q * E.QUEUE_STRIDE) & E.TARC_ENABLE) this.transmit(q);
        return;
      case E.ITR:
        this.itrGuest = v & 0xffff;
        return this.set(E.ITR, Math.max(v & 0xffff, E.MIN_XITR));
      case E.RDTR:
        this.set(r, v & 0xffff);
        if (v & E.DELAY_FPD && this.rdtr.running) this.setInterruptCause(0);
        return;
      case E.TIDV:
        this.set(r, v & 0xffff);
        if (v & E.DELAY_FPD && this.tidv.running) this.setInterruptCause(0);
        return;
      case E.RADV: case E.TADV: case E.RAID: case E.FCAH: case E.FCT: case E.FCTTV: case E.FCRTV: case E.FLASHT:
        return this.set(r, v & 0xffff);
      case E.RSRPD: return this.set(r, v & 0xfff);
      case E.FCRTH: return this.set(r, v & 0xfff8);
      case E.FCRTL: return this.set(r, v & 0x8000_fff8);
      case E.VET: return this.set(r, v & 0xffff);
      case E.RXDCTL: case E.RXDCTL + E.QUEUE_STRIDE:
        this.set(E.RXDCTL, v);
        return this.set(E.RXDCTL + E.QUEUE_STRIDE, v);
      case E.PSRCTL: return this.set(r, v);
      case E.RXCSUM: case E.RFCTL: return this.set(r, v);
      case E.GCR: return this.set(r, (v & ~GCR_RO) | (this.reg(E.GCR) & GCR_RO));
      case E.PBACLR: return this.writePbaclr(v);
      case E.RA: case E.RA + 4: return this.set(r, v);
      case E.SWSM: return this.set(r, v);
      default: break;
    }
    if (r >= E.EITR && r < E.EITR + 4 * E.MSIX_VECTORS) {
      this.eitrGuest[(r - E.EITR) >> 2] = v & 0xffff;
      return this.set(r, Math.max(v & 0xffff, E.MIN_XITR));
    }
    const q = ringQueue(r);
    if (q) {
      switch (q.reg) {
        case 'len': return this.set(r, v & E.XDLEN_MASK);
        case 'bal': return this.set(r, v & E.XDBAL_MASK);
        case 'bah': return this.set(r, v);
        case 'head': return this.set(r, v & 0xffff);
        case 'tail':
          this.set(r, v & 0xffff);
          if (q.tx) {
            if (this.reg(E.TARC0 + q.index * E.QUEUE_STRIDE) & E.TARC_ENABLE) this.transmit(q.index);
          } else this.drainBacklog();
          return;
      }
    }
    if (PLAIN.has(r) || inArrays(r)) this.set(r, v);
  }

  // ---- general registers ----------------------------------------------------------------------

  /** STATUS as read (QEMU e1000e_get_status): GIO master, duplex and speed follow CTRL. */
  private status(): number {
    let s = this.reg(E.STATUS) | this.duplexAndSpeed();
    if (!(this.reg(E.CTRL) & E.CTRL_GIO_MASTER_DISABLE)) s |= E.STATUS_GIO_MASTER_ENABLE;
    return s >>> 0;
  }

  private writeEewr(v: number): void {
    const addr = (v >>> 2) & ((1 << 14) - 1);
    let done = 0;
    if (v & 1 && addr < this.nvm.length) {
      this.nvm[addr] = v >>> 16;
      done = EERW_DONE;
    }
    this.set(E.EERD, done | (addr << 2) | (v & 0xffff_0000));
  }

  /** MDIC (§10.2.2.7): with both opcode bits set it reads, as QEMU's e1000e decodes the opcode; MDAC when what MDIC holds after has INT_EN. */
  private writeMdic(v: number): void {
    const mdic = mdicResult(this.phy, v, this.reg(E.MDIC), v & E.MDIC_OP_READ ? 'read' : v & E.MDIC_OP_WRITE ? 'write' : undefined);
    this.set(E.MDIC, mdic);
    if (mdic & E.MDIC_INT_EN) this.setInterruptCause(E.ICR_MDAC);
  }

  private autonegDone(): void {
    this.set(E.STATUS, this.reg(E.STATUS) | E.STATUS_LU);
    // Flow control is on after a completed auto-negotiation (QEMU e1000e_update_flowctl_status).
    if (this.phy.autonegEnabled && this.phy.autonegComplete) this.set(E.CTRL, this.reg(E.CTRL) | E.CTRL_TFCE | E.CTRL_RFCE);
    this.drainBacklog();
    this.setInterruptCause(E.ICR_LSC);
  }

  private writeRctl(v: number): void {
    this.set(E.RCTL, v);
    if (v & E.RCTL_EN) this.drainBacklog();
  }

  private writePbaclr(v: number): void {
    this.set(E.PBACLR, v & 0x1f);
    if (!this.host.msixEnabled()) return;
    for (let i = 0; i < E.MSIX_VECTORS; i++) if (v & (1 << i)) this.host.msixClearPending(i);
  }

  // ---- interrupts (§7.4) ---------------------------------------------------------------------

  /** ICR read (QEMU 7.2): cleared with IMS 0 or outside MSI-X; with IAME an asserted ICR clears and masks IAM's causes. */
  private readIcr(): number {
    const v = this.reg(E.ICR);
    if (this.reg(E.IMS) === 0 || !this.host.msixEnabled()) this.set(E.ICR, 0);
    if (this.reg(E.ICR) & E.ICR_ASSERTED && this.reg(E.CTRL_EXT) & E.CTRL_EXT_IAME) {
      this.set(E.ICR, 0);
      this.set(E.IMS, this.reg(E.IMS) & ~this.reg(E.IAM));
    }
    this.updateInterruptState();
    return v;
  }

  private writeIcr(v: number): void {
    if (this.reg(E.ICR) & E.ICR_ASSERTED && this.reg(E.CTRL_EXT) & E.CTRL_EXT_IAME) this.set(E.IMS, this.reg(E.IMS) & ~this.reg(E.IAM));
    let icr = this.reg(E.ICR) & ~v;
    // Clearing Other clears the causes it stands for.
    if (v & E.ICR_OTHER) icr &= ~E.ICR_OTHER_CAUSES;
    this.set(E.ICR, icr);
    this.updateInterruptState();
  }

  private writeIms(v: number): void {
    const valid = v & E.IMS_VALID;
    this.set(E.IMS, this.reg(E.IMS) | valid);
    if (valid & E.IMS_EXTENDED && this.reg(E.CTRL_EXT) & E.CTRL_EXT_PBA_CLR && this.host.msixEnabled()) {
      for (const [cause, entry] of this.ivarEntries()) if (valid & cause && entry & E.IVAR_ENTRY_VALID) this.host.msixClearPending(entry & E.IVAR_ENTRY_VECTOR);
    }
    if (valid === E.IMS_VALID && this.reg(E.CTRL_EXT) & E.CTRL_EXT_INT_TIMERS_CLEAR_ENA) this.fireAllTimers();
    this.updateInterruptState();
  }

  private fireAllTimers(): void {
    this.set(E.ICR, this.reg(E.ICR) | this.collectDelayedCauses());
    if (this.itr.running) {
      this.itr.stop();
      this.setInterruptCause(0);
    }
    this.eitr.forEach((t, i) => {
      if (!t.running) return;
      t.stop();
      this.host.notify(i);
    });
  }

  /** The IVAR entries: cause, 4-bit entry. */
  private ivarEntries(): [number, number][] {
    const ivar = this.reg(E.IVAR);
    return [
      [E.ICR_RXQ0, ivar & 0xf],
      [E.ICR_RXQ1, (ivar >>> 4) & 0xf],
      [E.ICR_TXQ0, (ivar >>> 8) & 0xf],
      [E.ICR_TXQ1, (ivar >>> 12) & 0xf],
      [E.ICR_OTHER, (ivar >>> 16) & 0xf],
    ];
  }

  /** Adds causes to ICR (with the delayed ones) and signals what IMS lets through. */
  setInterruptCause(causes: number): void {
    causes |= this.collectDelayedCauses();
    this.set(E.ICR, this.reg(E.ICR) | causes);
    this.updateInterruptState();
  }

  private collectDelayedCauses(): number {
    if (this.host.msixEnabled()) return 0;
    const v = this.delayedCauses;
    this.delayedCauses = 0;
    for (const t of [this.rdtr, this.radv, this.raid, this.tidv, this.tadv]) t.stop();
    return v;
  }

  private updateInterruptState(): void {
    const msix = this.host.msixEnabled();
    let icr = this.reg(E.ICR);
    if (msix && icr & E.ICR_OTHER_CAUSES) icr |= E.ICR_OTHER;
    icr = (icr & ~E.ICR_ASSERTED) >>> 0;
    if (icr) icr |= E.ICR_ASSERTED;
    this.set(E.ICR, icr);
    // ICS reads as ICR without clearing it (§10.2.4.2, as QEMU keeps them equal).
    this.set(E.ICS, icr);
    const pending = (this.reg(E.IMS) & icr) !== 0;
    if (!pending) this.msiCausesPending = 0;
    if (msix || this.host.msiEnabled()) {
      if (pending) this.sendMsi(msix);
    } else if (pending) {
      if (!this.postpone(this.itr)) this.host.setIntx(true);
    } else this.host.setIntx(false);
  }

  /** Whether throttling holds this interrupt back (QEMU e1000e_postpone_interrupt); arms the throttle otherwise. */
  private postpone(t: DelayTimer): boolean {
    if (t.running) {
      t.pending = true;
      return true;
    }
    if (this.reg(t.reg) !== 0) t.arm(this, this.host.clock());
    return false;
  }

  private sendMsi(msix: boolean): void {
    let causes = this.reg(E.ICR) & this.reg(E.IMS) & ~E.ICR_ASSERTED;
    this.msiCausesPending &= causes;
    causes ^= this.msiCausesPending;
    if (causes === 0) return;
    this.msiCausesPending |= causes;
    if (msix) {
      for (const [cause, entry] of this.ivarEntries()) if (causes & cause) this.msixNotifyOne(cause, entry);
    } else if (!this.postpone(this.itr)) this.host.notify(0);
  }

  /** One MSI-X cause through its IVAR entry, then EIAC auto-clear and auto-mask (§7.4.3). */
  private msixNotifyOne(cause: number, entry: number): void {
    if (entry & E.IVAR_ENTRY_VALID) {
      const vec = entry & E.IVAR_ENTRY_VECTOR;
      if (vec < E.MSIX_VECTORS && !this.postpone(this.eitr[vec]!)) this.host.notify(vec);
    }
    if (this.reg(E.CTRL_EXT) & E.CTRL_EXT_EIAME) this.set(E.IAM, this.reg(E.IAM) & ~cause);
    const clear = this.reg(E.EIAC) & cause;
    this.set(E.ICR, this.reg(E.ICR) & ~clear);
    this.msiCausesPending &= ~clear;
    if (!(this.reg(E.CTRL_EXT) & E.CTRL_EXT_IAME)) this.set(E.IMS, this.reg(E.IMS) & ~clear);
  }

  /** Receive causes wait for RDTR/RADV (not in MSI-X mode, §7.4.4). True when all were held back. */
  private delayRx(causes: { v: number }): boolean {
    if (this.host.msixEnabled()) return false;
    let delayable = E.ICR_RXQ0 | E.ICR_RXQ1 | E.ICR_RXT0;
    if (!(this.reg(E.RFCTL) & E.RFCTL_ACK_DIS)) delayable |= E.ICR_ACK;
    this.delayedCauses |= causes.v & delayable;
    causes.v &= ~delayable;
    if (this.reg(E.RDTR) === 0 || causes.v !== 0) return false;
    if (this.reg(E.RAID) === 0 && this.delayedCauses & E.ICR_ACK) return false;
    const clock = this.host.clock();
    if (!this.rdtr.arm(this, clock)) return false;
    if (!this.radv.running && this.reg(E.RADV) !== 0) this.radv.arm(this, clock);
    if (!this.raid.running && this.delayedCauses & E.ICR_ACK) this.raid.arm(this, clock);
    return true;
  }

  /** Transmit causes wait for TIDV/TADV when the descriptor asked for a delay (IDE). */
  private delayTx(causes: { v: number }): boolean {
    if (this.host.msixEnabled()) return false;
    const delayable = E.ICR_TXQ0 | E.ICR_TXQ1 | E.ICR_TXQE | E.ICR_TXDW;
    this.delayedCauses |= causes.v & delayable;
    causes.v &= ~delayable;
    if (causes.v !== 0) return false;
    const clock = this.host.clock();
    if (!this.tidv.arm(this, clock)) return false;
    if (!this.tadv.running && this.reg(E.TADV) !== 0) this.tadv.arm(this, clock);
    return true;
  }

  // ---- rings ------------------------------------------------------------------------------

  private ring(tx: boolean, q: number): Ring {
    return this.ringAt((tx ? E.TDBAL : E.RDBAL0) + q * E.QUEUE_STRIDE);
  }

  private advanceHead(at: number, count: number, by: number): void {
    let h = this.reg(at + E.Q_HEAD) + by;
    if (h >= count) h = 0;
    this.set(at + E.Q_HEAD, h);
  }

  // ---- transmit (§7.2) --------------------------------------------------------------------------

  private transmit(q: number): void {
    if (!(this.reg(E.TCTL) & E.TCTL_EN)) return;
    const causes = { v: E.ICR_TXQE };
    let ide = false;
    const desc = new Uint8Array(DESC);
    const dv = new DataView(desc.buffer);
    // Each pass consumes one descriptor; a guest that keeps moving the tail still ends within the ring's length.
    for (let guard = 0; guard < 65536; guard++) {
      const r = this.ring(true, q);
      if (r.head === r.tail || r.tail >= r.count || r.count === 0) break;
      const at = r.base + r.head * DESC;
      if (!this.host.dmaRead(at, desc)) desc.fill(0);
      const lower = dv.getUint32(8, true);
      this.processTxDescriptor(q, desc, dv);
      if (lower & E.TXD_CMD_RS || this.reg(E.IVAR) & E.IVAR_TX_INT_EVERY_WB) {
        ide = (lower & E.TXD_CMD_IDE) !== 0;
        const upper = new Uint8Array(4);
        new DataView(upper.buffer).setUint32(0, dv.getUint32(12, true) | E.TXD_STAT_DD, true);
        this.host.dmaWrite(at + 12, upper);
        causes.v |= this.host.msixEnabled() ? (q === 0 ? E.ICR_TXQ0 : E.ICR_TXQ1) : E.ICR_TXDW;
      }
      this.advanceHead(r.at, r.count, 1);
    }
    if (!ide || !this.delayTx(causes)) this.setInterruptCause(causes.v);
  }

  private processTxDescriptor(q: number, desc: Uint8Array, dv: DataView): void {
    const tx = this.tx[q]!;
    const lower = dv.getUint32(8, true);
    const dtype = lower & (E.TXD_CMD_DEXT | E.TXD_DTYP_D);
    if (dtype === E.TXD_CMD_DEXT) {
      // Context descriptor (§7.2.4): the offload parameters of the packets that follow.
      tx.ctx = { mss: dv.getUint16(14, true), hdrLen: desc[13]!, tse: (lower & E.TXD_CMD_TSE) !== 0 };
      return;
    }
    if (dtype === (E.TXD_CMD_DEXT | E.TXD_DTYP_D)) {
      tx.sumNeeded = (dv.getUint32(12, true) >>> 8) & 0xff;
      tx.cptse = (lower & E.TXD_CMD_TSE) !== 0;
    } else tx.cptse = false;
    const length = lower & E.TXD_LENGTH_MASK;
    const addr = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
    if (!tx.skip && length > 0) {
      if (tx.bytes + length > MAX_TX_PACKET) tx.skip = true;
      else {
        const part = new Uint8Array(length);
        if (!this.host.dmaRead(addr, part)) tx.skip = true;
        tx.parts.push(part);
        tx.bytes += length;
      }
    }
    if (!(lower & E.TXD_CMD_EOP)) return;
    if (!tx.skip && tx.bytes > 0) {
      let frame = concat(tx.parts, tx.bytes);
      // A frame shorter than its addresses goes out untagged.
      if (this.reg(E.CTRL) & E.CTRL_VME && lower & E.TXD_CMD_VLE && frame.length >= 12) frame = insertVlan(frame, this.reg(E.VET), dv.getUint16(14, true));
      this.sendWithOffloads(frame, tx);
    }
    this.tx[q] = { ...newTx(), ctx: tx.ctx };
  }

  private sendWithOffloads(frame: Uint8Array, tx: TxState): void {
    let frames: Uint8Array[];
    if (tx.ctx.tse && tx.cptse) frames = segment(frame, tx.ctx.mss, tx.ctx.hdrLen);
    else {
      const layout = parseFrame(frame, this.reg(E.VET) || 0x8100);
      if (tx.sumNeeded & E.TXD_POPTS_TXSM) fillL4Checksum(frame, layout);
      if (tx.sumNeeded & E.TXD_POPTS_IXSM) fillIpv4Checksum(frame, layout);
      frames = [frame];
    }
    for (const f of frames) {
      if (f.length > MAX_FRAME) continue;
      this.countTx(f);
      if (this.loopback()) this.deliver(f.slice());
      else this.toNetwork(f);
    }
  }

  private countTx(f: Uint8Array): void {
    const len = f.length + 4;
    this.bump(E.TPT);
    this.bump(E.GPTC);
    this.add64(E.TOTL, len);
    this.add64(E.GOTCL, len);
    const kind = packetKind(f);
    if (kind === 'broadcast') this.bump(E.BPTC);
    else if (kind === 'multicast') this.bump(E.MPTC);
    this.bump(E.PTC64 + 4 * sizeBucket(len));
  }

  private add64(lo: number, n: number): void {
    const v = this.reg(lo) + this.reg(lo + 4) * 2 ** 32 + n;
    if (v >= 2 ** 64) return;
    this.set(lo, v % 2 ** 32);
    this.set(lo + 4, Math.floor(v / 2 ** 32));
  }

  // ---- receive (§7.1) ----------------------------------------------------------------------------

  protected canReceive(): boolean {
    if (!(this.reg(E.STATUS) & E.STATUS_LU) || !(this.reg(E.RCTL) & E.RCTL_EN) || !this.host.busMaster()) return false;
    for (const q of [0, 1]) {
      const r = this.ring(false, q);
      if (r.count > 0 && this.freeDescriptors(r) >= this.descriptorUnits()) return true;
    }
    return false;
  }

  private freeDescriptors(r: { head: number; tail: number; count: number }): number {
    return r.head <= r.tail ? r.tail - r.head : r.count + r.tail - r.head;
  }

  /** Receive descriptors are 16 bytes, packet-split ones 32 (two ring slots). */
  private descriptorUnits(): number {
    return this.psDescriptors() ? 2 : 1;
  }

  private extended(): boolean {
    return (this.reg(E.RFCTL) & E.RFCTL_EXTEN) !== 0;
  }

  private psDescriptors(): boolean {
    return this.extended() && (this.reg(E.RCTL) & E.RCTL_DTYP_PS) !== 0;
  }

  /** The buffer sizes of one descriptor (§10.2.5.1 BSIZE/BSEX/FLXBUF, §10.2.5.3 PSRCTL). */
  private bufferSizes(): number[] {
    const rctl = this.reg(E.RCTL);
    if (rctl & E.RCTL_DTYP_MASK) {
      const ps = this.reg(E.PSRCTL);
      return [(ps & E.PSRCTL_BSIZE0_MASK) * 128, ((ps >>> 8) & 0x3f) * 1024, ((ps >>> 16) & 0x3f) * 1024, ((ps >>> 24) & 0x3f) * 1024];
    }
    if (rctl & E.RCTL_FLXBUF_MASK) return [((rctl & E.RCTL_FLXBUF_MASK) >>> E.RCTL_FLXBUF_SHIFT) * 1024];
    const sz = (rctl >>> E.RCTL_BSIZE_SHIFT) & 3;
    if (rctl & E.RCTL_BSEX) return [[2048, 16384, 8192, 4096][sz]!];
    return [[2048, 1024, 512, 256][sz]!];
  }

  protected receive(input: Uint8Array): void {
    let frame = input;
    if (frame.length < MIN_WIRE_FRAME) {
      frame = padFrame(frame);
      this.bump(E.RUC);
    }
    const rctl = this.reg(E.RCTL);
    // Oversized frames (§7.1.1.4): past 1522 bytes without LPE, past 16 KiB with it, unless SBP.
    if ((frame.length > 16384 - 4 || (frame.length > 1522 && !(rctl & E.RCTL_LPE))) && !(rctl & E.RCTL_SBP)) {
      this.bump(E.ROC);
      return;
    }
    if (!this.accept(frame)) return;
    let vlan = -1;
    if (this.reg(E.CTRL) & E.CTRL_VME) ({ frame, vlan } = stripVlan(frame, this.reg(E.VET)));
    const layout = parseFrame(frame);
    const rss = this.rss(frame, layout);
    const q = rss.queue;
    const fcs = rctl & E.RCTL_SECRC ? 0 : 4;
    const total = frame.length + fcs;
    const r = this.ring(false, q);
    const sizes = this.bufferSizes();
    const perDesc = sizes.reduce((a, b) => a + b, 0);
    const units = this.descriptorUnits();
    const causes = { v: 0 };
    if (r.count > 0 && perDesc > 0 && total <= Math.floor(this.freeDescriptors(r) / units) * perDesc) {
      this.writePacket(frame, layout, r, sizes, perDesc, fcs, rss, vlan);
      this.countRx(frame);
      if (total < this.reg(E.RSRPD)) causes.v |= E.ICR_SRPD;
      const ack = layout.tcp && this.isTcpAck(frame, layout);
      if (!(this.reg(E.RFCTL) & E.RFCTL_ACK_DIS) && ack) causes.v |= E.ICR_ACK;
      const after = this.ring(false, q);
      const shift = ((rctl >>> E.RCTL_RDMTS_SHIFT) & 3) + 1;
      const thresholdHit = this.freeDescriptors(after) === after.count >> shift;
      causes.v |= this.host.msixEnabled() ? (q === 0 ? E.ICR_RXQ0 : E.ICR_RXQ1) : E.ICR_RXT0 | (thresholdHit ? E.ICR_RXDMT0 : 0);
    } else causes.v |= E.ICR_RXO;
    if (!this.delayRx(causes)) this.setInterruptCause(causes.v);
  }

  /** Destination, VLAN and promiscuous filtering (§7.1.1). */
  private accept(frame: Uint8Array): boolean {
    const rctl = this.reg(E.RCTL);
    const vet = this.reg(E.VET);
    if (rctl & E.RCTL_VFE && frame.length >= 18 && ((frame[12]! << 8) | frame[13]!) === vet) {
      const vid = ((frame[14]! << 8) | frame[15]!) & 0xfff;
      if (!(this.reg(E.VFTA + 4 * (vid >>> 5)) & (1 << (vid & 31)))) return false;
    }
    const kind = packetKind(frame);
    if (kind === 'unicast' && rctl & E.RCTL_UPE) return true;
    if (kind === 'broadcast' && rctl & E.RCTL_BAM) return true;
    if (kind === 'multicast' && rctl & E.RCTL_MPE) return true;
    for (let i = 0; i < E.RA_ENTRIES; i++) if (receiveAddressMatches(this.reg(E.RA + 8 * i), this.reg(E.RA + 8 * i + 4), frame)) return true;
    const bit = multicastTableIndex(frame, rctl);
    return (this.reg(E.MTA + 4 * (bit >>> 5)) & (1 << (bit & 31))) !== 0;
  }

  /** RSS (§7.1.9): enabled by MRQC with extended descriptors and PCSD; the hash type, hash and queue. */
  private rss(frame: Uint8Array, l: FrameLayout): { enabled: boolean; type: number; hash: number; queue: number } {
    const mrqc = this.reg(E.MRQC);
    const off = { enabled: false, type: 0, hash: 0, queue: 0 };
    if ((mrqc & E.MRQC_ENABLE_MASK) !== E.MRQC_RSS_ENABLE || !(this.reg(E.RXCSUM) & E.RXCSUM_PCSD) || !this.extended()) return off;
    let type: number = E.RSS_TYPE.NONE;
    if (l.ipv4) {
      if (!l.fragment && l.tcp && mrqc & E.MRQC_TCPIPV4) type = E.RSS_TYPE.IPV4TCP;
      else if (mrqc & E.MRQC_IPV4) type = E.RSS_TYPE.IPV4;
    } else if (l.ipv6) {
      if (l.tcp && !l.fragment && mrqc & E.MRQC_TCPIPV6) type = E.RSS_TYPE.IPV6TCP;
      else if (mrqc & E.MRQC_IPV6EX) type = E.RSS_TYPE.IPV6EX;
      else if (mrqc & E.MRQC_IPV6) type = E.RSS_TYPE.IPV6;
    }
    if (type === E.RSS_TYPE.NONE) return { ...off, enabled: true };
    const hash = this.rssHash(frame, l, type === E.RSS_TYPE.IPV4TCP || type === E.RSS_TYPE.IPV6TCP);
    // RETA: bit 7 of the entry the hash selects is the queue (§10.2.5.21).
    return { enabled: true, type, hash, queue: this.retaEntry(hash) >>> 7 };
  }

  private isTcpAck(frame: Uint8Array, l: FrameLayout): boolean {
    if (!(frame[l.l4 + 13]! & 0x10)) return false;
    if (this.reg(E.RFCTL) & E.RFCTL_ACK_DATA_DIS) return l.l5 >= l.ipEnd;
    return true;
  }

  private writePacket(
    frame: Uint8Array, l: FrameLayout, r: Ring, sizes: number[], perDesc: number, fcs: number,
    rss: { enabled: boolean; type: number; hash: number; queue: number }, vlan: number,
  ): void {
    const data = new Uint8Array(frame.length + fcs);
    data.set(frame);
    const ps = this.psDescriptors();
    const descLen = ps ? 32 : DESC;
    // Packet split (§7.1.5.2): the headers in buffer 0 of the first descriptor when they fit.
    let hdrLen = 0;
    if (ps && (l.ipv4 || l.ipv6) && !(l.fragment && this.reg(E.RFCTL) & (1 << 14))) {
      hdrLen = !l.fragment && (l.tcp || l.udp) ? l.l5 : l.l4;
      if (hdrLen <= 0 || hdrLen > sizes[0]! || hdrLen > frame.length) hdrLen = 0;
    }
    let offset = 0;
    let first = true;
    const desc = new Uint8Array(descLen);
    const dv = new DataView(desc.buffer);
    for (let guard = 0; guard < r.count; guard++) {
      const head = this.reg(r.at + E.Q_HEAD);
      const at = r.base + head * DESC;
      if (!this.host.dmaRead(at, desc)) desc.fill(0);
      const addrs = ps ? [0, 1, 2, 3].map((i) => dv.getUint32(8 * i + 4, true) * 2 ** 32 + dv.getUint32(8 * i, true)) : [dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true)];
      const written = [0, 0, 0, 0];
      let last = false;
      if (addrs[0]) {
        let chunk = Math.min(perDesc, data.length - offset);
        let buf = 0;
        if (ps && hdrLen > 0) {
          if (first) {
            this.host.dmaWrite(addrs[0]!, data.subarray(0, hdrLen));
            written[0] = hdrLen;
            offset += hdrLen;
            chunk -= hdrLen;
          }
          buf = 1; // buffer 0 of later descriptors stays empty (§7.1.5.1)
        }
        first = false;
        while (chunk > 0 && buf < sizes.length) {
          const n = Math.min(chunk, sizes[buf]! - written[buf]!);
          if (n > 0) {
            this.host.dmaWrite(addrs[buf]! + written[buf]!, data.subarray(offset, offset + n));
            written[buf] = written[buf]! + n;
            offset += n;
            chunk -= n;
          }
          buf++;
        }
        if (offset >= data.length) last = true;
      }
      this.writeRxDescriptor(desc, dv, ps, last, frame, l, rss, vlan, written, hdrLen);
      this.host.dmaWrite(at, desc);
      this.advanceHead(r.at, r.count, descLen / DESC);
      if (last) return;
    }
  }

  private writeRxDescriptor(
    desc: Uint8Array, dv: DataView, ps: boolean, last: boolean, frame: Uint8Array, l: FrameLayout,
    rss: { enabled: boolean; type: number; hash: number }, vlan: number, written: number[], hdrLen: number,
  ): void {
    const m = last ? this.metadata(frame, l, rss, vlan) : { status: E.RXD_STAT_DD, rss: 0, mrq: 0, ipId: 0, vlan: 0 };
    desc.fill(0);
    if (!this.extended()) {
      // Legacy (§7.1.4): length, checksum 0, status, errors, VLAN tag.
      dv.setUint16(8, written[0]!, true);
      desc[12] = m.status & 0xff;
      desc[13] = m.status >>> 24;
      dv.setUint16(14, m.vlan, true);
      return;
    }
    dv.setUint32(0, m.mrq, true);
    if (m.rss || rss.enabled) dv.setUint32(4, m.rss, true);
    else dv.setUint16(4, m.ipId, true);
    dv.setUint32(8, m.status >>> 0, true);
    if (!ps) {
      dv.setUint16(12, written[0]!, true);
      dv.setUint16(14, m.vlan, true);
      return;
    }
    // Packet-split write-back (§7.1.5.3): header length and split status, then the four buffer lengths.
    dv.setUint16(12, written[0]!, true);
    dv.setUint16(14, m.vlan, true);
    dv.setUint16(16, hdrLen | (hdrLen ? E.RXDPS_HDRSTAT_HDRSP : 0), true);
    for (let i = 0; i < 3; i++) dv.setUint16(18 + 2 * i, written[i + 1]!, true);
  }

  /** Status, errors and the RSS or IP ID field of a packet's last descriptor (QEMU e1000e_build_rx_metadata). */
  private metadata(frame: Uint8Array, l: FrameLayout, rss: { enabled: boolean; type: number; hash: number; queue?: number }, vlan: number) {
    let status = E.RXD_STAT_DD | E.RXD_STAT_EOP;
    let rssOut = 0;
    let mrq = 0;
    let ipId = 0;
    if (vlan >= 0) status |= E.RXD_STAT_VP;
    if (this.reg(E.RXCSUM) & E.RXCSUM_PCSD) {
      if (rss.enabled) {
        rssOut = rss.hash;
        mrq = rss.type | ((rss.queue ?? 0) << 8);
      }
    } else if (l.ipv4) {
      status |= E.RXD_STAT_IPIDV;
      ipId = (frame[l.l3 + 4]! << 8) | frame[l.l3 + 5]!;
    }
    if (l.tcp && this.isTcpAck(frame, l)) status |= E.RXD_STAT_ACK;
    const rfctl = this.reg(E.RFCTL);
    let type: number = E.RXD_PKT.MAC;
    if (l.ipv6 && rfctl & E.RFCTL_IPV6_DIS) type = E.RXD_PKT.MAC;
    else if (l.tcp || l.udp) type = l.ipv4 ? E.RXD_PKT.IP4_XDP : E.RXD_PKT.IP6_XDP;
    else if (l.ipv4 || l.ipv6) type = l.ipv4 ? E.RXD_PKT.IP4 : E.RXD_PKT.IP6;
    status |= type << E.RXD_PKT_TYPE_SHIFT;
    // A UDP checksum reports both TCPCS and UDPCS (QEMU e1000e_build_rx_metadata).
    if (!(l.ipv6 && rfctl & E.RFCTL_IPV6_XSUM_DIS)) status |= receiveChecksumBits(frame, l, this.reg(E.RXCSUM), E.RXD_STAT_TCPCS | (l.udp ? E.RXD_STAT_UDPCS : 0));
    return { status: status >>> 0, rss: rssOut >>> 0, mrq, ipId, vlan: vlan >= 0 ? vlan : 0 };
  }

  private countRx(frame: Uint8Array): void {
    const len = frame.length + 4;
    this.bump(E.TPR);
    this.bump(E.GPRC);
    this.add64(E.TORL, len);
    this.add64(E.GORCL, len);
    const kind = packetKind(frame);
    if (kind === 'broadcast') this.bump(E.BPRC);
    else if (kind === 'multicast') this.bump(E.MPRC);
    this.bump(E.PRC64 + 4 * sizeBucket(len));
  }
}

function newTx(): TxState {
  return { ctx: { mss: 0, hdrLen: 0, tse: false }, sumNeeded: 0, cptse: false, parts: [], bytes: 0, skip: false };
}

/** Which 64/127/255/511/1023/1522 size counter a frame (with FCS) counts in. */
function sizeBucket(len: number): number {
  if (len > 1023) return 5;
  if (len > 511) return 4;
  if (len > 255) return 3;
  if (len > 127) return 2;
  if (len > 64) return 1;
  return 0;
}

/** A receive or transmit ring register: which queue and which of its registers. */
function ringQueue(r: number): { tx: boolean; index: number; reg: 'bal' | 'bah' | 'len' | 'head' | 'tail' } | undefined {
  for (const [base, tx] of [[E.RDBAL0, false], [E.TDBAL, true]] as const) {
    for (const index of [0, 1]) {
      const rel = r - base - index * E.QUEUE_STRIDE;
      const reg = rel === 0 ? 'bal' : rel === 4 ? 'bah' : rel === 8 ? 'len' : rel === 0x10 ? 'head' : rel === 0x18 ? 'tail' : undefined;
      if (reg) return { tx, index, reg };
    }
  }
  return undefined;
}

function inArrays(r: number): boolean {
  for (const [first, count] of PLAIN_ARRAYS) if (r >= first && r < first + 4 * count) return true;
  return false;
}
