/**
 * The 82576 MAC behind igb's BAR0, as QEMU 8.0+'s igb presents it
 * (hw/net/igb_core.c) to Linux's igb driver: the register file with its
 * read and write semantics, the NVM through EERD, the IGP03 PHY through
 * MDIC, interrupt causes (ICR/IMS legacy causes; EICR/EIMS extended causes
 * routed to MSI-X vectors through IVAR and IVAR_MISC, with EIAC auto-clear
 * and EIAM auto-mask), 16 receive and 16 transmit queues with advanced
 * descriptors (one buffer per descriptor, frames spanning several),
 * RSS over the queues through RETA, receive checksum reporting, VLAN
 * stripping and insertion, transmit checksum insertion and TCP
 * segmentation. Frames go to and come from a NetPort.
 *
 * With SR-IOV (§7.8, §7.10): VMDq pools (a frame's pools from the
 * receive address's pool bits, VMOLR, VFRE and the default pool; pool p
 * receives on queue p), the transmit switch between pools (DTXSWC), each
 * VF's register window onto its queues (vfn and vfn + 8), interrupt
 * registers and mailbox, the PF/VF mailbox handshake (VMBMEM, P2VMAILBOX,
 * V2PMAILBOX, MBVFICR, VFLRE, ICR.VMMB) and VF resets.
 *
 * Not modelled: interrupt throttling (EITR is stored; every interrupt is
 * sent at once), RSS inside a pool, anti-spoofing, time sync, header split,
 * legacy receive descriptors.
 *
 * Section numbers are the 82576EB datasheet's.
 */
import { MAX_FRAME } from '../../backends/net.js';
import { multicastTableIndex, receiveAddressFor, receiveAddressMatches } from '../intel-nic/filter.js';
import { DESC, IntelMac, MAX_TX_PACKET, mdicResult, receiveChecksumBits, type MacHost, type Ring } from '../intel-nic/mac.js';
import { IGB_NVM_WORDS, IGB_TEMPLATE, nvmImage } from '../intel-nic/nvm.js';
import {
  concat, fillIpv4Checksum, fillL4Checksum, insertVlan, padFrame, parseFrame, segment, stripVlan,
} from '../intel-nic/packet.js';
import { BMCR_AUTOEN, BMCR_FD, BMCR_SPEED1000, BMSR_AUTONEG, BMSR_EXTCAP, BMSR_EXTSTAT, BMSR_LINK_ST, BMSR_MFPS, BMSR_10T_FD, BMSR_10T_HD, BMSR_100TX_FD, BMSR_100TX_HD, MII, Phy, type PhyModel } from '../intel-nic/phy.js';
import * as G from './regs.js';

/** A function's bus-master path: the PF's, or a VF's for the queues of its pool. */
export interface IgbDma {
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, data: Uint8Array): boolean;
  busMaster(): boolean;
}

/** What the MAC needs from its PCI function: the 82574's needs, the VFs enabled, and each VF's DMA and MSI-X. */
export type IgbHost = MacHost & {
  numVfs?(): number;
  vfDma?(vfn: number): IgbDma | undefined;
  notifyVf?(vfn: number, vector: number): void;
};

const PF_MSIX_VECTORS = 10;

/** IGP03's registers beyond clause 22 (Linux e1000_phy.h). */
const IGP = { PORT_CONFIG: 0x10, PORT_STATUS: 0x11, PORT_CTRL: 0x12, LINK_HEALTH: 0x13, POWER_MGMT: 0x19, PAGE_SELECT: 0x1f } as const;
const PHY_ACCESS: Readonly<Record<number, 'r' | 'rw'>> = {
  [MII.BMCR]: 'rw', [MII.BMSR]: 'r', [MII.PHYID1]: 'r', [MII.PHYID2]: 'r', [MII.ANAR]: 'rw', [MII.ANLPAR]: 'r', [MII.ANER]: 'r', [MII.ANNP]: 'rw',
  [MII.ANLPRNP]: 'r', [MII.CTRL1000]: 'rw', [MII.STAT1000]: 'r', [MII.EXTSTAT]: 'r',
  [IGP.PORT_CONFIG]: 'rw', [IGP.PORT_STATUS]: 'r', [IGP.PORT_CTRL]: 'rw', [IGP.LINK_HEALTH]: 'r', [IGP.POWER_MGMT]: 'rw',
  // Page select is write-only on the part; reading it back is harmless.
  [IGP.PAGE_SELECT]: 'rw',
};
/** The 82576's IGP03 PHY as QEMU initialises it (igb_phy_reg_init, igb_phy_regcap). */
export const IGB_PHY: PhyModel = {
  pages: 1,
  access: (page, reg) => (page === 0 ? PHY_ACCESS[reg] : undefined),
  init: [
    {
      [MII.BMCR]: BMCR_SPEED1000 | BMCR_FD | BMCR_AUTOEN,
      [MII.BMSR]: BMSR_EXTCAP | BMSR_LINK_ST | BMSR_AUTONEG | BMSR_MFPS | BMSR_EXTSTAT | BMSR_10T_HD | BMSR_10T_FD | BMSR_100TX_HD | BMSR_100TX_FD,
      [MII.PHYID1]: G.PHY_ID >>> 16,
      [MII.PHYID2]: G.PHY_ID & 0xffff,
      [MII.ANAR]: 0x0de1,
      [MII.ANLPAR]: 0x07e0,
      [MII.ANER]: 0x0005,
      [MII.ANNP]: 0x2001,
      [MII.CTRL1000]: 0x0f00,
      [MII.STAT1000]: 0x3c00,
      [MII.EXTSTAT]: 0x3000,
      [IGP.PORT_CONFIG]: (1 << 5) | (1 << 8),
      [IGP.PORT_STATUS]: 0xc000,
      [IGP.POWER_MGMT]: (1 << 0) | (1 << 3) | (1 << 2) | (1 << 7),
    },
  ],
  bmcrVolatile: 0x3f | 0x8000 | 0x0200,
};

const TXCTL_RESET = (1 << 13) | (1 << 11) | (1 << 9);
/** Register values after power-up (QEMU igb_mac_reg_init). */
const RESET_VALUES: readonly (readonly [number, number])[] = [
  [G.LEDCTL, 2 | (3 << 8) | (1 << 15) | (6 << 16) | (7 << 24)],
  [G.EEMNGCTL, 1 << 31],
  [G.TXQ_BASE + G.Q_DCTL, G.DCTL_QUEUE_ENABLE],
  ...Array.from({ length: G.QUEUES }, (_, q): [number, number] => [G.RXQ_BASE + q * G.QUEUE_STRIDE + G.Q_DCTL, (q === 0 ? G.DCTL_QUEUE_ENABLE : 0) | (1 << 16)]),
  ...Array.from({ length: G.QUEUES }, (_, q): [number, number] => [G.TXQ_BASE + q * G.QUEUE_STRIDE + 0x14 /* DCA_TXCTRL */, TXCTL_RESET]),
  [G.TIPG, 0x08 | (0x04 << 10) | (0x06 << 20)],
  [G.CTRL, G.CTRL_FD | G.CTRL_LRST | G.CTRL_SPD_1000 | G.CTRL_ADVD3WUC],
  [G.STATUS, G.STATUS_PHYRA | (1 << 31)],
  [G.EECD, G.EECD_FWE_DIS | G.EECD_PRES | (2 << G.EECD_SIZE_EX_SHIFT)],
  [G.GCR, (1 << 9) | (1 << 16) | (1 << 18) | (1 << 23) | (1 << 25) | (1 << 26)],
  [G.RXCSUM, G.RXCSUM_IPOFLD | G.RXCSUM_TUOFLD],
  [0x03404 /* TXPBS */, 0x28],
  [0x02404 /* RXPBS */, 0x40],
  [G.TCTL, G.TCTL_PSP | (0xf << 4) | (0x40 << 12) | (1 << 26) | (0xa << 28)],
  [0x00404 /* TCTL_EXT */, 0x40 | (0x42 << 10)],
  [G.VET, 0x8100 | (0x8100 << 16)],
  [G.MBVFIMR, 0xff],
  [G.VFRE, 0xff],
  [G.VFTE, 0xff],
  ...Array.from({ length: 8 }, (_, p): [number, number] => [G.VMOLR + 4 * p, 0x2600 | (1 << 31)]),
  [0x05af0 /* RPLOLR */, 1 << 31],
  [0x05004 /* RLPML */, 0x2600],
];
/** Registers a software reset (CTRL.RST) keeps: the packet buffer sizes and the throttling intervals. */
const KEPT_BY_SOFTWARE_RESET = [0x02404, 0x03404, ...Array.from({ length: G.EITR_COUNT }, (_, i) => G.EITR + 4 * i)];
/** Statistics that clear when read; the 64-bit ones clear both halves on the high one. */
const CLEAR_ON_READ_HIGH = new Set<number>([G.TORH, G.TOTH, G.GORCH, G.GOTCH]);

/** The register a legacy 82574-compatible queue offset (0x2800/0x3800 + 0x100 n, n < 4) stands for. */
export function canonicalOffset(r: number): number {
  for (const [legacy, base] of [[0x02800, G.RXQ_BASE], [0x03800, G.TXQ_BASE]] as const) {
    if (r >= legacy && r < legacy + 0x400 && (r & 0xff) < G.QUEUE_STRIDE) return base + ((r - legacy) >> 8) * G.QUEUE_STRIDE + (r & 0x3f);
  }
  return r;
}

interface TxContext {
  vlanMacIp: number;
  tucmd: number;
  mssL4: number;
}

interface TxState {
  ctx: [TxContext, TxContext];
  /** cmd_type_len and olinfo_status of the packet's first data descriptor (undefined between packets). */
  firstCmd: number | undefined;
  firstOlinfo: number;
  parts: Uint8Array[];
  bytes: number;
}

const newCtx = (): TxContext => ({ vlanMacIp: 0, tucmd: 0, mssL4: 0 });
const newTx = (): TxState => ({ ctx: [newCtx(), newCtx()], firstCmd: undefined, firstOlinfo: 0, parts: [], bytes: 0 });

export class IgbCore extends IntelMac {
  readonly phy: Phy;
  private readonly eitrGuest = new Array<number>(G.EITR_COUNT).fill(0);
  private readonly tx: TxState[] = Array.from({ length: G.QUEUES }, newTx);
  /** Guards against a transmit that loops back into a receive that transmits (MAC loopback). */
  private transmitting = false;

  constructor(
    private readonly host: IgbHost,
    readonly permanentMac: readonly number[],
    deviceId: number,
  ) {
    super(nvmImage(permanentMac, deviceId, IGB_TEMPLATE, IGB_NVM_WORDS));
    this.phy = new Phy(IGB_PHY, {
      linkDown: () => (this.regs[G.STATUS >> 2]! &= ~G.STATUS_LU),
      linkUp: () => {
        this.regs[G.STATUS >> 2]! |= G.STATUS_LU;
        this.raise(G.ICR, G.ICR_LSC);
        this.drainBacklog();
      },
      clock: () => this.host.clock(),
    });
    this.reset();
  }

  /** Power-on reset (and CTRL.RST, `software`, which keeps the packet buffer sizes and EITR; QEMU igb_reset). */
  reset(software = false): void {
    const kept = KEPT_BY_SOFTWARE_RESET.map((r) => this.reg(r));
    const keptGuest = [...this.eitrGuest];
    this.phy.reset();
    this.regs.fill(0);
    for (const [r, v] of RESET_VALUES) this.set(r, v);
    if (software) {
      KEPT_BY_SOFTWARE_RESET.forEach((r, i) => this.set(r, kept[i]!));
      keptGuest.forEach((v, i) => (this.eitrGuest[i] = v));
    } else this.eitrGuest.fill(0);
    const [ral, rah] = receiveAddressFor(this.permanentMac);
    this.set(G.RA, ral);
    this.set(G.RA + 4, rah);
    // A PF reset is in progress until the driver sets CTRL_EXT.PFRSTD.
    for (let n = 0; n < 8; n++) this.set(G.V2PMAILBOX + 4 * n, G.V2P_RSTI);
    for (let i = 0; i < this.tx.length; i++) this.tx[i] = newTx();
    this.clearBacklog();
    this.host.setIntx(false);
  }

  // ---- register access ----------------------------------------------------------------------

  protected override decode(offset: number): number {
    return canonicalOffset(offset);
  }

  protected readRegister(r: number): number {
    const general = this.readGeneral(r);
    if (general !== undefined) return general;
    switch (r) {
      case G.STATUS: return this.status();
      case G.ICR: return this.readIcr();
      case G.IMC: return this.reg(G.IMS);
      case G.EICR: {
        const v = this.reg(G.EICR);
        this.set(G.EICR, 0);
        return v;
      }
      case G.EICS: case G.EIMC: return 0;
      default: break;
    }
    if (r >= G.EITR && r < G.EITR + 4 * G.EITR_COUNT) return this.eitrGuest[(r - G.EITR) >> 2]!;
    if (r >= G.STATS_START && r < G.STATS_END) {
      const v = this.reg(r);
      this.set(r, 0);
      if (CLEAR_ON_READ_HIGH.has(r)) this.set(r - 4, 0);
      return v;
    }
    return this.reg(r);
  }

  protected writeRegister(r: number, v: number): void {
    if (this.writeGeneral(r, v)) return;
    switch (r) {
      case G.MDIC: return this.writeMdic(v);
      case G.CTRL_EXT:
        this.set(G.CTRL_EXT, v & ~(G.CTRL_EXT_ASDCHK | G.CTRL_EXT_EE_RST));
        // The PF finished its reset: the VFs see RSTD instead of RSTI in their mailboxes.
        if (v & G.CTRL_EXT_PFRSTD) for (let n = 0; n < 8; n++) this.set(G.V2PMAILBOX + 4 * n, (this.reg(G.V2PMAILBOX + 4 * n) & ~G.V2P_RSTI) | G.V2P_RSTD);
        return;
      case G.MBVFICR: case G.VFLRE: return this.set(r, this.reg(r) & ~v);
      case G.V2PMAILBOX: case G.V2PMAILBOX + 4: case G.V2PMAILBOX + 8: case G.V2PMAILBOX + 12:
      case G.V2PMAILBOX + 16: case G.V2PMAILBOX + 20: case G.V2PMAILBOX + 24: case G.V2PMAILBOX + 28:
        return;
      case G.ICR:
        this.clearOnAcknowledge();
        return this.lower(G.ICR, v);
      case G.ICS: return this.raise(G.ICR, v);
      case G.IMS: return this.raise(G.IMS, v & G.IMS_VALID);
      case G.IMC: return this.lower(G.IMS, v);
      case G.EICR: return this.lower(G.EICR, v & this.eicrMask());
      case G.EICS: return this.raise(G.EICR, v & this.eicrMask());
      case G.EIMS: return this.raise(G.EIMS, v & this.eicrMask());
      case G.EIMC: return this.lower(G.EIMS, v & this.eicrMask());
      case G.EIAC: case G.EIAM: return this.set(r, v & this.eicrMask());
      case G.RCTL:
        this.set(G.RCTL, v);
        return this.drainBacklog();
      case G.TCTL:
        this.set(G.TCTL, v);
        for (let q = 0; q < G.QUEUES; q++) this.transmit(q);
        return;
      default: break;
    }
    if (r >= G.P2VMAILBOX && r < G.P2VMAILBOX + 32) return this.writePfMailbox((r - G.P2VMAILBOX) >> 2, v);
    if (r >= G.EITR && r < G.EITR + 4 * G.EITR_COUNT) {
      this.eitrGuest[(r - G.EITR) >> 2] = v & ~(1 << 31);
      return this.set(r, v & 0x7ffe);
    }
    if (r >= G.STATS_START && r < G.STATS_END) return;
    const q = queueRegister(r);
    if (q) {
      switch (q.reg) {
        case G.Q_LEN: return this.set(r, v & 0xffff0);
        case G.Q_BAL: return this.set(r, v & 0xffff_fff0);
        case G.Q_HEAD: return this.set(r, v & 0xffff);
        case G.Q_TAIL:
          this.set(r, v & 0xffff);
          if (q.tx) this.transmit(q.index);
          else this.drainBacklog();
          return;
        case G.Q_DCTL:
          this.set(r, v);
          if (q.tx) this.transmit(q.index);
          else this.drainBacklog();
          return;
        default: return this.set(r, v);
      }
    }
    this.set(r, v);
  }

  // ---- general registers ----------------------------------------------------------------------

  /** STATUS as read (QEMU igb_get_status): duplex, speed, the VFs enabled, GIO master enable. */
  private status(): number {
    const ctrl = this.reg(G.CTRL);
    let v = this.reg(G.STATUS) | this.duplexAndSpeed();
    const vfs = this.host.numVfs?.() ?? 0;
    if (vfs) v |= (vfs << G.STATUS_NUM_VFS_SHIFT) | G.STATUS_IOV_MODE;
    if (!(ctrl & G.CTRL_GIO_MASTER_DISABLE) && !(ctrl & G.CTRL_LRST)) v |= G.STATUS_GIO_MASTER_ENABLE;
    return v >>> 0;
  }

  /** MDIC (§8.2.4): the opcode field read as a whole (a reserved opcode does nothing); MDAC when the written value has INT_EN. */
  private writeMdic(v: number): void {
    const op = v & (G.MDIC_OP_READ | G.MDIC_OP_WRITE);
    this.set(G.MDIC, mdicResult(this.phy, v, this.reg(G.MDIC), op === G.MDIC_OP_READ ? 'read' : op === G.MDIC_OP_WRITE ? 'write' : undefined));
    if (v & G.MDIC_INT_EN) this.raise(G.ICR, G.ICR_MDAC);
  }

  // ---- interrupts -----------------------------------------------------------------------------

  private msixMode(): boolean {
    return (this.reg(G.GPIE) & G.GPIE_MSIX_MODE) !== 0;
  }

  private eicrMask(): number {
    return this.msixMode() ? G.EICR_MSIX_MASK : G.EICR_LEGACY_MASK;
  }

  /**
   * Sets `causes` in ICR, IMS, EICR or EIMS and signals what became both
   * pending and enabled (§7.3): in MSI-X mode legacy causes reach EICR
   * through IVAR_MISC and each EICR bit is a vector; otherwise ICR drives
   * the one MSI-X vector, MSI or INTx.
   */
  private raise(reg: number, causes: number): void {
    const oldCauses = this.reg(G.ICR) & this.reg(G.IMS);
    const oldExtended = this.reg(G.EICR) & this.reg(G.EIMS);
    this.set(reg, this.reg(reg) | causes);
    if (this.msixMode()) {
      const raised = this.reg(G.ICR) & this.reg(G.IMS) & ~oldCauses;
      const misc = this.reg(G.IVAR_MISC);
      if (raised & G.ICR_DRSTA && misc & G.IVAR_VALID) this.set(G.EICR, this.reg(G.EICR) | (1 << (misc & 0x1f)));
      if (raised & ~G.ICR_DRSTA && (misc >>> 8) & G.IVAR_VALID) this.set(G.EICR, this.reg(G.EICR) | (1 << ((misc >>> 8) & 0x1f)));
      const fire = this.reg(G.EICR) & this.reg(G.EIMS) & ~oldExtended;
      for (let v = 0; v < 32; v++) if (fire & (1 << v)) this.sendVector(v);
      return;
    }
    this.fixAsserted();
    const raised = this.reg(G.ICR) & this.reg(G.IMS) & ~oldCauses;
    if (!raised) return;
    this.set(G.EICR, this.reg(G.EICR) | (raised & G.ICR_DRSTA) | G.EICR_OTHER);
    if (this.host.msixEnabled() || this.host.msiEnabled()) this.host.notify(0);
    else this.host.setIntx(true);
  }

  private lower(reg: number, causes: number): void {
    this.set(reg, this.reg(reg) & ~causes);
    if (reg === G.ICR) this.fixAsserted();
    if (!(this.reg(G.ICR) & this.reg(G.IMS)) && !this.msixMode()) {
      this.set(G.EICR, this.reg(G.EICR) & ~G.EICR_OTHER);
      if (!this.host.msixEnabled() && !this.host.msiEnabled()) this.host.setIntx(false);
    }
  }

  /** ICR.INT_ASSERTED follows whether any cause is set (outside MSI-X mode). */
  private fixAsserted(): void {
    if (this.msixMode()) return;
    const icr = this.reg(G.ICR) & ~G.ICR_INT_ASSERTED;
    this.set(G.ICR, icr ? icr | G.ICR_INT_ASSERTED : 0);
  }

  /** MSI-X vector `v` goes out; EIAC clears its cause, EIAM (with GPIE.EIAME) masks it until software re-enables it. */
  private sendVector(v: number): void {
    // The top causes belong to the enabled VFs, three each (QEMU igb_msix_notify).
    const vfn = 8 - Math.floor((v + 2) / 3);
    if (vfn >= 0 && vfn < this.numVfs()) this.host.notifyVf?.(vfn, (v + 2) % 3);
    else if (v < PF_MSIX_VECTORS) this.host.notify(v);
    else return;
    const bit = 1 << v;
    this.set(G.EICR, this.reg(G.EICR) & ~(this.reg(G.EIAC) & bit));
    if (this.reg(G.GPIE) & G.GPIE_EIAME) this.set(G.EIMS, this.reg(G.EIMS) & ~(this.reg(G.EIAM) & bit));
  }

  /** Reading ICR (QEMU igb_mac_icr_read): it clears under GPIE.NSICR, with IMS empty, with INT_ASSERTED, or outside MSI-X. */
  private readIcr(): number {
    const v = this.reg(G.ICR);
    // IAM applies to the interrupt being acknowledged: judged before ICR clears (§8.8.9).
    this.clearOnAcknowledge();
    if (this.reg(G.GPIE) & G.GPIE_NSICR || this.reg(G.IMS) === 0 || v & G.ICR_INT_ASSERTED || !this.host.msixEnabled()) this.lower(G.ICR, 0xffff_ffff);
    return v;
  }

  /** IAM (§8.8.9): acknowledging ICR clears the IMS bits it names, under NSICR or a real interrupt. */
  private clearOnAcknowledge(): void {
    if (this.reg(G.GPIE) & G.GPIE_NSICR || (this.reg(G.IMS) && this.reg(G.ICR) & G.ICR_INT_ASSERTED)) this.lower(G.IMS, this.reg(G.IAM));
  }

  /** A receive (`tx` false) or transmit queue's writeback interrupt (§7.3.1: IVAR in MSI-X mode, RXDW/TXDW otherwise). */
  private queueInterrupt(q: number, tx: boolean): void {
    if (!this.msixMode()) return this.raise(G.ICR, tx ? G.ICR_TXDW : G.ICR_RXDW);
    const entry = (this.reg(G.IVAR0 + 4 * (q & 7)) >>> (((q & 8) << 1) + (tx ? 8 : 0))) & 0xff;
    if (entry & G.IVAR_VALID) this.raise(G.EICR, 1 << (entry & 0x1f));
  }

  // ---- rings ----------------------------------------------------------------------------------

  private ring(tx: boolean, q: number): Ring {
    return this.ringAt((tx ? G.TXQ_BASE : G.RXQ_BASE) + q * G.QUEUE_STRIDE);
  }

  /** Whose bus-master path queue `q` uses: its pool's VF while VMDq is on and the VF enabled, else the PF's. */
  private dmaOf(q: number): IgbDma {
    const pool = q & 7;
    if (this.vmdq() && pool < this.numVfs()) return this.host.vfDma?.(pool) ?? this.host;
    return this.host;
  }

  private dmaRead(dma: IgbDma, address: number, length: number): Uint8Array | undefined {
    const b = new Uint8Array(length);
    return dma.dmaRead(address, b) ? b : undefined;
  }

  // ---- transmit -------------------------------------------------------------------------------

  /** Processes queue `q`'s descriptors from head to tail (§7.2). */
  private transmit(q: number): void {
    const dma = this.dmaOf(q);
    if (!(this.reg(G.TCTL) & G.TCTL_EN) || !dma.busMaster()) return;
    if (this.vmdq() && (q & 7) < this.numVfs() && !(this.reg(G.VFTE) & (1 << (q & 7)))) return;
    const r = this.ring(true, q);
    if (!(this.reg(r.at + G.Q_DCTL) & G.DCTL_QUEUE_ENABLE) || r.count === 0) return;
    let head = r.head % r.count;
    let wrote = false;
    for (let guard = 0; head !== r.tail % r.count && guard < r.count; guard++) {
      const at = r.base + head * DESC;
      const d = this.dmaRead(dma, at, DESC);
      if (!d) break;
      const dv = new DataView(d.buffer);
      const cmd = dv.getUint32(8, true);
      const olinfo = dv.getUint32(12, true);
      const dtyp = (cmd >>> G.TXD_DTYP_SHIFT) & 0xf;
      if (cmd & G.TXD_CMD_DEXT && dtyp === G.TXD_DTYP_CTXT) {
        const idx = (dv.getUint32(12, true) >>> G.TXD_IDX_SHIFT) & 1;
        this.tx[q]!.ctx[idx] = { vlanMacIp: dv.getUint32(0, true), tucmd: cmd, mssL4: dv.getUint32(12, true) };
      } else {
        const address = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
        this.gather(q, dma, address, cmd & 0xffff, cmd, olinfo);
      }
      if (cmd & G.TXD_CMD_RS) {
        const wb = new Uint8Array(16);
        new DataView(wb.buffer).setUint32(12, G.TXD_STAT_DD, true);
        dma.dmaWrite(at + 12, wb.subarray(12));
        wrote = true;
      }
      head = (head + 1) % r.count;
      this.set(r.at + G.Q_HEAD, head);
    }
    const wbal = this.reg(r.at + G.Q_TDWBAL);
    if (wbal & 1) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, head, true);
      dma.dmaWrite((wbal & ~3) + this.reg(r.at + G.Q_TDWBAH) * 2 ** 32, b);
    }
    if (wrote) this.queueInterrupt(q, true);
  }

  private gather(q: number, dma: IgbDma, address: number, length: number, cmd: number, olinfo: number): void {
    const t = this.tx[q]!;
    if (t.firstCmd === undefined) {
      t.firstCmd = cmd;
      t.firstOlinfo = olinfo;
    }
    if (length > 0 && t.bytes + length <= MAX_TX_PACKET) {
      const part = this.dmaRead(dma, address, length);
      if (part) {
        t.parts.push(part);
        t.bytes += length;
      }
    }
    if (!(cmd & G.TXD_CMD_EOP)) return;
    const frame = concat(t.parts, t.bytes);
    const first = t.firstCmd;
    const firstOlinfo = t.firstOlinfo;
    t.parts = [];
    t.bytes = 0;
    t.firstCmd = undefined;
    const advanced = (first & G.TXD_CMD_DEXT) !== 0;
    const ctx = t.ctx[(firstOlinfo >>> G.TXD_IDX_SHIFT) & 1]!;
    let frames: Uint8Array[];
    if (advanced && first & G.TXD_CMD_TSE) {
      const macLen = (ctx.vlanMacIp >>> 9) & 0x7f;
      const ipLen = ctx.vlanMacIp & 0x1ff;
      const l4Len = (ctx.mssL4 >>> 8) & 0xff;
      frames = segment(frame, ctx.mssL4 >>> 16, macLen + ipLen + l4Len);
    } else {
      if (advanced && firstOlinfo & (G.TXD_POPTS_TXSM | G.TXD_POPTS_IXSM)) {
        const layout = parseFrame(frame);
        if (firstOlinfo & G.TXD_POPTS_IXSM) fillIpv4Checksum(frame, layout);
        if (firstOlinfo & G.TXD_POPTS_TXSM) fillL4Checksum(frame, layout);
      }
      frames = [frame];
    }
    const tag = advanced && first & G.TXD_CMD_VLE ? ctx.vlanMacIp >>> 16 : -1;
    for (const f of frames) this.send(tag < 0 ? f : insertVlan(f, this.reg(G.VET) & 0xffff, tag), q);
  }

  private send(frame: Uint8Array, q: number): void {
    if (frame.length > MAX_FRAME) return;
    const f = this.reg(G.TCTL) & G.TCTL_PSP ? padFrame(frame) : frame;
    this.bump(G.GPTC);
    this.bump(G.TPT);
    this.add64(G.GOTCL, f.length + 4);
    if (this.loopback()) {
      if (this.transmitting) return;
      this.transmitting = true;
      try {
        this.deliver(f);
      } finally {
        this.transmitting = false;
      }
      return;
    }
    // Transmit switching (§7.10.3.6): with VMDq and DTXSWC.Loopback_en, frames for the other pools stay inside.
    if (this.vmdq() && this.reg(G.DTXSWC) & G.DTXSWC_LOOPBACK_EN) {
      const pools = this.poolsFor(f) & ~(1 << (q & 7));
      if (pools) this.receive(f, pools);
      if (!(f[0]! & 1) && pools) return;
    }
    this.toNetwork(f);
  }

  // ---- receive --------------------------------------------------------------------------------

  protected canReceive(): boolean {
    if (!(this.reg(G.STATUS) & G.STATUS_LU) || !(this.reg(G.RCTL) & G.RCTL_EN)) return false;
    for (let q = 0; q < G.QUEUES; q++) if (this.freeDescriptors(q) > 0) return true;
    return false;
  }

  private freeDescriptors(q: number): number {
    const r = this.ring(false, q);
    if (r.count === 0 || !(this.reg(r.at + G.Q_DCTL) & G.DCTL_QUEUE_ENABLE) || !this.dmaOf(q).busMaster()) return 0;
    const head = r.head % r.count;
    const tail = r.tail % r.count;
    return head <= tail ? tail - head : r.count + tail - head;
  }

  /** Destination filtering (§7.1.1): exact addresses, multicast table, broadcast, promiscuous modes. */
  private accept(frame: Uint8Array): boolean {
    const rctl = this.reg(G.RCTL);
    const group = (frame[0]! & 1) !== 0;
    if (!group) {
      if (rctl & G.RCTL_UPE) return true;
      for (let i = 0; i < 24; i++) {
        const at = i < 16 ? G.RA + 8 * i : G.RA2 + 8 * (i - 16);
        if (receiveAddressMatches(this.reg(at), this.reg(at + 4), frame)) return true;
      }
      return false;
    }
    if (frame.subarray(0, 6).every((b) => b === 0xff) && rctl & G.RCTL_BAM) return true;
    if (rctl & G.RCTL_MPE) return true;
    const bit = multicastTableIndex(frame, rctl);
    return ((this.reg(G.MTA + 4 * (bit >>> 5)) >>> (bit & 31)) & 1) === 1;
  }

  /** The queue RSS picks (§7.1.2.9) and the hash and type the descriptor reports. */
  private classify(frame: Uint8Array): { queue: number; hash: number; type: number } {
    const mrqc = this.reg(G.MRQC);
    if ((mrqc & G.MRQC_MODE_MASK) !== G.MRQC_RSS) return { queue: 0, hash: 0, type: G.RSS_TYPE.NONE };
    const layout = parseFrame(frame);
    let type: number = G.RSS_TYPE.NONE;
    if (layout.ipv4) type = layout.tcp && mrqc & G.MRQC_TCPIPV4 ? G.RSS_TYPE.IPV4TCP : mrqc & G.MRQC_IPV4 ? G.RSS_TYPE.IPV4 : type;
    else if (layout.ipv6) type = layout.tcp && mrqc & (G.MRQC_TCPIPV6 | G.MRQC_TCPIPV6EX) ? G.RSS_TYPE.IPV6TCP : mrqc & (G.MRQC_IPV6 | G.MRQC_IPV6EX) ? G.RSS_TYPE.IPV6 : type;
    if (type === G.RSS_TYPE.NONE) return { queue: 0, hash: 0, type };
    const hash = this.rssHash(frame, layout, type === G.RSS_TYPE.IPV4TCP || type === G.RSS_TYPE.IPV6TCP);
    // RETA: the low 4 bits of the entry the hash selects are the queue.
    return { queue: this.retaEntry(hash) & 0xf, hash, type };
  }

  /** A frame into the queues: the pools' (VMDq, `pools` when the transmit switch already chose them) or the RSS queue. */
  protected receive(input: Uint8Array, pools?: number): void {
    const frame = padFrame(input);
    const rctl = this.reg(G.RCTL);
    if (frame.length > 1522 && !(rctl & G.RCTL_LPE) && !(rctl & G.RCTL_SBP)) {
      this.bump(G.ROC);
      return;
    }
    if (this.vmdq()) {
      const targets = pools ?? this.poolsFor(frame);
      for (let p = 0; p < 8; p++) if (targets & (1 << p)) this.receiveInto(p, frame, { hash: 0, type: G.RSS_TYPE.NONE });
      return;
    }
    if (!this.accept(frame)) return;
    const info = this.classify(this.untagged(frame).frame);
    const queue = this.freeDescriptors(info.queue) > 0 ? info.queue : this.firstQueueWithBuffers();
    if (queue < 0) {
      this.bump(G.MPC);
      return;
    }
    this.receiveInto(queue, frame, info);
  }

  /** The frame without its 802.1Q tag when CTRL.VME strips it, and the tag (-1: none). */
  private untagged(frame: Uint8Array): { frame: Uint8Array; vlan: number } {
    return this.reg(G.CTRL) & G.CTRL_VME ? stripVlan(frame, this.reg(G.VET) & 0xffff) : { frame, vlan: -1 };
  }

  private receiveInto(queue: number, tagged: Uint8Array, info: { hash: number; type: number }): void {
    const { frame, vlan } = this.untagged(tagged);
    if (this.freeDescriptors(queue) === 0) {
      this.bump(G.MPC);
      return;
    }
    this.writeFrame(queue, frame, { ...info, vlan });
  }

  // ---- virtualisation: pools, VFs, mailboxes --------------------------------------------------

  private numVfs(): number {
    return this.host.numVfs?.() ?? 0;
  }

  /** MRQC selects VMDq (with or without RSS): receive queues are chosen by pool (§7.10.3). */
  private vmdq(): boolean {
    const mode = this.reg(G.MRQC) & G.MRQC_MODE_MASK;
    return mode === G.MRQC_VMDQ || mode === G.MRQC_VMDQ_RSS;
  }

  /**
   * The pools a frame goes to (§7.10.3.4): a unicast address's RAH pool
   * bits, else the default pool; broadcasts to pools with VMOLR.BAM,
   * multicasts to pools with VMOLR.MPME or (on an MTA hit) ROMPE; a pool
   * of an enabled VF only while VFRE lets it receive. Without replication
   * (VT_CTL.REPL_EN) only the lowest pool gets it.
   */
  private poolsFor(frame: Uint8Array): number {
    let pools = 0;
    const group = (frame[0]! & 1) !== 0;
    if (!group) {
      for (let i = 0; i < 24; i++) {
        const at = i < 16 ? G.RA + 8 * i : G.RA2 + 8 * (i - 16);
        const rah = this.reg(at + 4);
        if (receiveAddressMatches(this.reg(at), rah, frame)) pools |= (rah >>> G.RAH_POOL_SHIFT) & 0xff;
      }
      const vtctl = this.reg(G.VT_CTL);
      if (!pools && !(vtctl & G.VT_CTL_DIS_DEF_POOL)) {
        if (!(this.reg(G.RCTL) & G.RCTL_UPE)) return 0;
        pools = 1 << ((vtctl >>> G.VT_CTL_DEF_POOL_SHIFT) & 7);
      }
    } else {
      const broadcast = frame.subarray(0, 6).every((b) => b === 0xff);
      const bit = multicastTableIndex(frame, this.reg(G.RCTL));
      const mta = ((this.reg(G.MTA + 4 * (bit >>> 5)) >>> (bit & 31)) & 1) === 1;
      for (let p = 0; p < 8; p++) {
        const vmolr = this.reg(G.VMOLR + 4 * p);
        if (broadcast ? vmolr & G.VMOLR_BAM : vmolr & G.VMOLR_MPME || (mta && vmolr & G.VMOLR_ROMPE)) pools |= 1 << p;
      }
    }
    const vfs = this.numVfs();
    for (let p = 0; p < vfs; p++) if (!(this.reg(G.VFRE) & (1 << p))) pools &= ~(1 << p);
    if (!(this.reg(G.VT_CTL) & G.VT_CTL_REPL_EN)) pools &= -pools;
    return pools;
  }

  /** The 3 EICR bits (vectors 0-2) of VF `vfn`: the top of the 25 causes, three per VF (as QEMU lays them out). */
  private vfCauseShift(vfn: number): number {
    return 22 - 3 * vfn;
  }

  /** Interrupts for VF `vfn`'s mailbox (VTIVAR_MISC's vector). */
  private mailboxToVf(vfn: number): void {
    const ent = this.reg(G.VTIVAR_MISC + 4 * vfn);
    if (ent & G.IVAR_VALID) this.raise(G.EICR, 1 << (this.vfCauseShift(vfn) + (ent & 3)));
  }

  private mailboxToPf(): void {
    this.raise(G.ICR, G.ICR_VMMB);
  }

  /** A VF's reset (its CTRL.RST, or FLR): its queues stop, VFRE/VFTE clear, VFLRE tells the PF (§7.8.2.3). */
  resetVf(vfn: number): void {
    for (const q of [vfn, vfn + 8]) {
      for (const base of [G.RXQ_BASE, G.TXQ_BASE]) {
        const r = base + q * G.QUEUE_STRIDE + G.Q_DCTL;
        this.set(r, this.reg(r) & ~G.DCTL_QUEUE_ENABLE);
      }
    }
    this.set(G.VFRE, this.reg(G.VFRE) & ~(1 << vfn));
    this.set(G.VFTE, this.reg(G.VFTE) & ~(1 << vfn));
    this.set(G.VFLRE, this.reg(G.VFLRE) | (1 << vfn));
    this.mailboxToPf();
  }

  private writePfMailbox(vfn: number, v: number): void {
    const p2v = G.P2VMAILBOX + 4 * vfn;
    const v2p = G.V2PMAILBOX + 4 * vfn;
    if (v & G.P2V_STS) {
      this.set(v2p, this.reg(v2p) | G.V2P_PFSTS);
      this.mailboxToVf(vfn);
    }
    if (v & G.P2V_ACK) {
      this.set(v2p, this.reg(v2p) | G.V2P_PFACK);
      this.mailboxToVf(vfn);
    }
    // The PF takes the buffer only while the VF does not hold it.
    if (v & G.P2V_PFU) {
      if (!(this.reg(p2v) & G.P2V_VFU)) {
        this.set(p2v, this.reg(p2v) | G.P2V_PFU);
        this.set(v2p, this.reg(v2p) | G.V2P_PFU);
      }
    } else {
      this.set(p2v, this.reg(p2v) & ~G.P2V_PFU);
      this.set(v2p, this.reg(v2p) & ~G.V2P_PFU);
    }
    if (v & G.P2V_RVFU) {
      this.set(v2p, this.reg(v2p) & ~G.V2P_VFU);
      this.set(G.MBVFICR, this.reg(G.MBVFICR) & ~((0x10001 << vfn) >>> 0));
    }
  }

  private writeVfMailbox(vfn: number, v: number): void {
    const p2v = G.P2VMAILBOX + 4 * vfn;
    const v2p = G.V2PMAILBOX + 4 * vfn;
    if (v & G.V2P_REQ) {
      this.set(G.MBVFICR, this.reg(G.MBVFICR) | (1 << vfn));
      this.mailboxToPf();
    }
    if (v & G.V2P_ACK) {
      this.set(G.MBVFICR, this.reg(G.MBVFICR) | (1 << (16 + vfn)));
      this.mailboxToPf();
    }
    if (v & G.V2P_VFU) {
      if (!(this.reg(v2p) & G.V2P_PFU)) {
        this.set(v2p, this.reg(v2p) | G.V2P_VFU);
        this.set(p2v, this.reg(p2v) | G.P2V_VFU);
      }
    } else {
      this.set(v2p, this.reg(v2p) & ~G.V2P_VFU);
      this.set(p2v, this.reg(p2v) & ~G.P2V_VFU);
    }
  }

  /**
   * VF `vfn`'s register window (its BAR0, §8.26): the registers it has of
   * its own (CTRL, the interrupt registers, IVAR, the mailbox and its
   * memory, queues 0 and 1, which are the PF's queues vfn and vfn + 8) and
   * STATUS, read through; anything else reads 0 and ignores writes.
   */
  vfRead(vfn: number, offset: number): number {
    const r = offset & 0x3ffc;
    if (r === G.EICR) {
      const shift = this.vfCauseShift(vfn);
      const v = (this.reg(G.EICR) >>> shift) & 7;
      this.set(G.EICR, this.reg(G.EICR) & ~(7 << shift));
      return v;
    }
    if (r === G.EIMS || r === G.EIMC) return (this.reg(G.EIMS) >>> this.vfCauseShift(vfn)) & 7;
    if (r === G.EIAC) return (this.reg(G.EIAC) >>> this.vfCauseShift(vfn)) & 7;
    // IVAR0 and IVAR_MISC read back as written (igbvf updates them read-modify-write).
    if (r === G.IVAR0) return this.reg(G.VTIVAR + 4 * vfn);
    if (r === G.IVAR_MISC) return this.reg(G.VTIVAR_MISC + 4 * vfn);
    if (r === G.EIAM) return (this.reg(G.EIAM) >>> this.vfCauseShift(vfn)) & 7;
    if (r === G.V2PMAILBOX) {
      const at = G.V2PMAILBOX + 4 * vfn;
      const v = this.reg(at);
      this.set(at, v & ~(G.V2P_PFSTS | G.V2P_PFACK | G.V2P_RSTD));
      return v;
    }
    const pf = this.vfToPf(vfn, r);
    return pf === undefined ? 0 : this.readRegister(pf);
  }

  vfWrite(vfn: number, offset: number, value: number): void {
    const r = offset & 0x3ffc;
    const v = value >>> 0;
    const shift = this.vfCauseShift(vfn);
    const bits = ((v & 7) << shift) >>> 0;
    switch (r) {
      case G.CTRL: case 0x00004:
        if (v & G.CTRL_RST) this.resetVf(vfn);
        return;
      case G.EICS: return this.raise(G.EICR, bits);
      case G.EIMS: return this.raise(G.EIMS, bits);
      case G.EIMC: return this.lower(G.EIMS, bits);
      case G.EICR: return this.lower(G.EICR, bits);
      case G.EIAC: case G.EIAM: return this.set(r, (this.reg(r) & ~(7 << shift)) | bits);
      case G.IVAR0: return this.writeVtivar(vfn, v);
      case G.IVAR_MISC: return this.set(G.VTIVAR_MISC + 4 * vfn, v);
      case G.V2PMAILBOX: return this.writeVfMailbox(vfn, v);
      case G.STATUS: return;
      default: break;
    }
    const pf = this.vfToPf(vfn, r);
    if (pf !== undefined) this.writeRegister(pf, v);
  }

  /** VTIVAR (§8.26.2): the VF's queue 0 vectors, recorded in the PF's IVAR entries for queue vfn. */
  private writeVtivar(vfn: number, v: number): void {
    this.set(G.VTIVAR + 4 * vfn, v);
    const shift = this.vfCauseShift(vfn);
    const ivar = G.IVAR0 + 4 * (vfn & 7);
    let cur = this.reg(ivar);
    for (const [byte, ent] of [[0, v & 0xff], [8, (v >>> 8) & 0xff]] as const) {
      cur &= ~(0xff << byte);
      if (ent & G.IVAR_VALID) cur |= (G.IVAR_VALID | (shift + (ent & 3))) << byte;
    }
    this.set(ivar, cur);
  }

  /** The PF register a VF offset stands for (queues 0 and 1 at the 82574-compatible offsets, the mailbox memory, EITR 0-2). */
  private vfToPf(vfn: number, r: number): number | undefined {
    if (r === G.STATUS) return G.STATUS;
    if (r >= G.VMBMEM && r < G.VMBMEM + 0x40) return r + 0x40 * vfn;
    if (r >= G.EITR && r < G.EITR + 12) return G.EITR + 4 * (this.vfCauseShift(vfn)) + (r - G.EITR);
    for (const [legacy, base] of [[0x02800, G.RXQ_BASE], [0x03800, G.TXQ_BASE]] as const) {
      if (r >= legacy && r < legacy + 0x200 && (r & 0xff) < G.QUEUE_STRIDE) {
        const q = ((r - legacy) >> 8) * 8 + vfn;
        return base + q * G.QUEUE_STRIDE + (r & 0x3f);
      }
    }
    return undefined;
  }

  private firstQueueWithBuffers(): number {
    for (let q = 0; q < G.QUEUES; q++) if (this.freeDescriptors(q) > 0) return q;
    return -1;
  }

  /** Writes `frame` into queue `q`'s buffers, one advanced descriptor per buffer (§7.1.5), the last with EOP. */
  private writeFrame(q: number, frame: Uint8Array, info: { hash: number; type: number; vlan: number }): void {
    const r = this.ring(false, q);
    const srrctl = this.reg(r.at + G.Q_SRRCTL);
    const bufSize = (srrctl & G.SRRCTL_BSIZEPKT_MASK) * 1024 || 2048;
    const needed = Math.max(1, Math.ceil(frame.length / bufSize));
    if (this.freeDescriptors(q) < needed) {
      this.bump(G.MPC);
      return;
    }
    const status = this.receiveStatus(frame);
    const dma = this.dmaOf(q);
    let head = r.head % r.count;
    for (let i = 0, at = 0; i < needed; i++, at += bufSize) {
      const da = r.base + head * DESC;
      const d = this.dmaRead(dma, da, DESC);
      if (!d) return;
      const buf = new DataView(d.buffer).getUint32(0, true) + new DataView(d.buffer).getUint32(4, true) * 2 ** 32;
      const piece = frame.subarray(at, Math.min(frame.length, at + bufSize));
      dma.dmaWrite(buf, piece);
      const last = i === needed - 1;
      const wb = new Uint8Array(DESC);
      const v = new DataView(wb.buffer);
      v.setUint32(0, (info.type & 0xf) | (status.pktType << 4), true);
      v.setUint32(4, info.hash, true);
      v.setUint32(8, (last ? status.bits | G.RXD_STAT_EOP : 0) | G.RXD_STAT_DD | (last && info.vlan >= 0 ? G.RXD_STAT_VP : 0), true);
      v.setUint16(12, piece.length, true);
      v.setUint16(14, info.vlan >= 0 ? info.vlan : 0, true);
      dma.dmaWrite(da, wb);
      head = (head + 1) % r.count;
    }
    this.set(r.at + G.Q_HEAD, head);
    this.bump(G.GPRC);
    this.bump(G.TPR);
    this.add64(G.GORCL, frame.length + 4);
    this.queueInterrupt(q, false);
  }

  /** The packet type (§7.1.5.2) and checksum status and errors the last descriptor reports. */
  private receiveStatus(frame: Uint8Array): { pktType: number; bits: number } {
    const layout = parseFrame(frame);
    const pktType = (layout.ipv4 ? G.RXDADV_PKT_IPV4 : 0) | (layout.ipv6 ? G.RXDADV_PKT_IPV6 : 0) | (layout.tcp ? G.RXDADV_PKT_TCP : 0) | (layout.udp ? G.RXDADV_PKT_UDP : 0);
    const bits = receiveChecksumBits(frame, layout, this.reg(G.RXCSUM), layout.tcp ? G.RXD_STAT_TCPCS : G.RXD_STAT_UDPCS);
    return { pktType: pktType >>> 4, bits };
  }

  // ---- statistics -----------------------------------------------------------------------------

  private add64(low: number, n: number): void {
    const sum = this.reg(low) + n;
    this.set(low, sum % 2 ** 32);
    if (sum >= 2 ** 32) this.set(low + 4, this.reg(low + 4) + 1);
  }
}

/** Which queue register an offset is, for the 16 receive and 16 transmit blocks. */
function queueRegister(r: number): { tx: boolean; index: number; reg: number } | undefined {
  for (const [base, tx] of [[G.RXQ_BASE, false], [G.TXQ_BASE, true]] as const) {
    if (r >= base && r < base + G.QUEUES * G.QUEUE_STRIDE) return { tx, index: (r - base) / G.QUEUE_STRIDE | 0, reg: r & (G.QUEUE_STRIDE - 1) };
  }
  return undefined;
}
