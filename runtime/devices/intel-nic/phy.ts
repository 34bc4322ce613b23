/**
 * The copper PHY behind an Intel gigabit MAC, reached through MDIC (IEEE
 * 802.3 clause 22 management registers plus the vendor's paged ones).
 * Auto-negotiation takes 500 ms of guest time, as QEMU models it
 * (e1000x_restart_autoneg): restarting it takes the link down, and when it
 * completes the link comes up with Link Partner Ability acknowledged and
 * Auto-Negotiation Complete set, and the MAC raises Link Status Change.
 */
import type { Timer, VirtualClock } from '../../time/clock.js';

// IEEE 802.3 §22.2.4 registers and bits.
export const MII = { BMCR: 0x00, BMSR: 0x01, PHYID1: 0x02, PHYID2: 0x03, ANAR: 0x04, ANLPAR: 0x05, ANER: 0x06, ANNP: 0x07, ANLPRNP: 0x08, CTRL1000: 0x09, STAT1000: 0x0a, EXTSTAT: 0x0f } as const;
export const BMCR_RESET = 0x8000;
export const BMCR_LOOPBACK = 0x4000;
export const BMCR_AUTOEN = 0x1000;
export const BMCR_ANRESTART = 0x0200;
export const BMCR_FD = 0x0100;
export const BMCR_SPEED1000 = 0x0040;
export const BMSR_EXTCAP = 0x0001;
export const BMSR_LINK_ST = 0x0004;
export const BMSR_AUTONEG = 0x0008;
export const BMSR_AN_COMP = 0x0020;
export const BMSR_MFPS = 0x0040;
export const BMSR_EXTSTAT = 0x0100;
export const BMSR_10T_HD = 0x0800;
export const BMSR_10T_FD = 0x1000;
export const BMSR_100TX_HD = 0x2000;
export const BMSR_100TX_FD = 0x4000;
export const ANLPAR_ACK = 0x4000;

/** Auto-negotiation time (QEMU's autoneg timer). */
export const AUTONEG_NS = 500_000_000;

export type PhyAccess = 'r' | 'rw';

export interface PhyModel {
  /** Number of register pages (1 without a page register). */
  readonly pages: number;
  /** The page-select register (any page), if the PHY has one. */
  readonly pageRegister?: number;
  /** Which pages' registers a register number reaches: every page (clause 22 registers) or the current one. */
  access(page: number, reg: number): PhyAccess | undefined;
  /** Registers' reset values by page. */
  readonly init: readonly (Readonly<Record<number, number>> | undefined)[];
  /** Bits of BMCR that clear themselves (reset, restart auto-negotiation) and reserved low bits. */
  readonly bmcrVolatile: number;
  /** A vendor register whose write of `bit` restarts auto-negotiation (82574's OEM bits, bit 10). */
  readonly restartRegister?: { readonly page: number; readonly reg: number; readonly bit: number };
}

export interface PhyHost {
  /** The link went down (auto-negotiation restarted). */
  linkDown(): void;
  /** Auto-negotiation completed: the link is up. */
  linkUp(): void;
  /** Guest time; undefined while the NIC is not in a machine (auto-negotiation then completes at once). */
  clock(): VirtualClock | undefined;
}

export class Phy {
  readonly regs: Uint16Array[];
  private timer: Timer | undefined;
  private timerClock: VirtualClock | undefined;

  constructor(
    private readonly model: PhyModel,
    private readonly host: PhyHost,
  ) {
    this.regs = Array.from({ length: model.pages }, () => new Uint16Array(32));
    this.reset();
  }

  reset(): void {
    this.timer?.clear();
    this.regs.forEach((page, p) => {
      page.fill(0);
      for (const [reg, v] of Object.entries(this.model.init[p] ?? {})) page[Number(reg)] = v;
    });
  }

  get page(): number {
    return this.model.pageRegister === undefined ? 0 : this.regs[0]![this.model.pageRegister]!;
  }

  /** The page register `reg` reaches now, when the access is allowed (QEMU e1000e_phy_reg_check_cap). */
  private resolve(reg: number, write: boolean): number | undefined {
    if (reg < 0 || reg >= 32) return undefined;
    const page = this.model.access(0, reg) && this.anyPage(reg) ? 0 : this.page;
    if (page >= this.model.pages) return undefined;
    const a = this.model.access(page, reg);
    if (!a || (write && a !== 'rw')) return undefined;
    return page;
  }

  private anyPage(reg: number): boolean {
    return reg <= MII.EXTSTAT || reg === this.model.pageRegister;
  }

  /** A management read: the value, or undefined for a register the PHY does not have. */
  read(reg: number): number | undefined {
    const page = this.resolve(reg, false);
    return page === undefined ? undefined : this.regs[page]![reg]!;
  }

  /** A management write; false for a register the PHY does not have or that is read-only. */
  write(reg: number, value: number): boolean {
    const page = this.resolve(reg, true);
    if (page === undefined) return false;
    value &= 0xffff;
    const regs = this.regs[page]!;
    if (page === 0 && reg === MII.BMCR) {
      regs[reg] = value & ~this.model.bmcrVolatile;
      if (value & BMCR_ANRESTART && this.autonegEnabled) this.restartAutoneg();
      return true;
    }
    if (page === 0 && reg === this.model.pageRegister) {
      regs[reg] = value & 0x7f;
      return true;
    }
    const r = this.model.restartRegister;
    if (r && page === r.page && reg === r.reg) {
      regs[reg] = value & ~r.bit;
      if (value & r.bit) this.restartAutoneg();
      return true;
    }
    regs[reg] = value;
    return true;
  }

  get autonegEnabled(): boolean {
    return (this.regs[0]![MII.BMCR]! & BMCR_AUTOEN) !== 0;
  }

  get autonegComplete(): boolean {
    return (this.regs[0]![MII.BMSR]! & BMSR_AN_COMP) !== 0;
  }

  get loopback(): boolean {
    return (this.regs[0]![MII.BMCR]! & BMCR_LOOPBACK) !== 0;
  }

  /** Restarts auto-negotiation: link down now, up after AUTONEG_NS. */
  restartAutoneg(): void {
    this.setLinkDown();
    this.host.linkDown();
    const clock = this.host.clock();
    if (!clock) {
      this.autonegDone();
      return;
    }
    if (this.timerClock !== clock) {
      this.timer = clock.timer('phy autoneg', () => this.autonegDone());
      this.timerClock = clock;
    }
    this.timer!.set(clock.now() + AUTONEG_NS);
  }

  /** PHY bits for a link that went down (QEMU e1000x_update_regs_on_link_down). */
  setLinkDown(): void {
    const r = this.regs[0]!;
    r[MII.BMSR] = r[MII.BMSR]! & ~(BMSR_LINK_ST | BMSR_AN_COMP);
    r[MII.ANLPAR] = r[MII.ANLPAR]! & ~ANLPAR_ACK;
  }

  private autonegDone(): void {
    const r = this.regs[0]!;
    r[MII.BMSR] = r[MII.BMSR]! | BMSR_LINK_ST | BMSR_AN_COMP;
    r[MII.ANLPAR] = r[MII.ANLPAR]! | ANLPAR_ACK;
    this.host.linkUp();
  }
}
