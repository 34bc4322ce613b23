/**
 * What the e1000e and igb test drivers share, as Linux's e1000e and igb
 * drivers do it alike: BAR0 and the MSI-X BAR mapped where the slot puts
 * them, register access, the NVM read word by word through EERD with its
 * 0xbaba sum, the PHY's registers through MDIC at address 1, the RSS key,
 * the MSI-X table and MSI programmed, and the link brought up by
 * restarting auto-negotiation and waiting for it in guest time. Each test
 * file's driver adds its part's rings, descriptors and interrupts.
 */
import { expect } from 'vitest';
import type { EthernetSwitch } from '../../../runtime/backends/net.js';
import { Q35Machine, type PciFunction } from '../../../runtime/index.js';
import type { MsiCapability, MsixCapability } from '../../../runtime/pci/caps.js';
import * as C from '../../../runtime/devices/intel-nic/regs.js';
import { AUTONEG_NS, BMCR_ANRESTART, BMCR_AUTOEN, MII } from '../../../runtime/devices/intel-nic/phy.js';
import * as R from '../../../runtime/pci/registers.js';
import { GuestView, mapBar } from './guest.js';

const MiB = 1024 * 1024;

/** The key of Microsoft's RSS verification suite, which Linux's drivers also program. */
export const RSS_KEY = [
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
  0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
];

/** A NIC function as the drivers see it. */
type Nic = PciFunction & { readonly msix: MsixCapability; readonly msi: MsiCapability };

/** A machine with 512 MiB of RAM and `make(i)` for each i < n at pcie.0 slots 4, 5, ...; `more` attaches other functions before the reset. */
export function nicMachine<T extends PciFunction>(n: number, make: (i: number) => T, more?: (m: Q35Machine) => void): { m: Q35Machine; nics: T[]; g: GuestView } {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
  const nics = Array.from({ length: n }, (_, i) => m.attach(m.root, 0x04 + i, 0, make(i)));
  more?.(m);
  m.reset();
  return { m, nics, g: new GuestView(m) };
}

/** A NIC model as a test file makes it: the function for the i-th slot, and its driver. */
export interface NicKind<N extends Nic, D extends IntelNicDriver<N>> {
  nic(i: number): N;
  driver(m: Q35Machine, nic: N, g: GuestView, slot: number): D;
}

/** One NIC of `kind` in a machine, its driver, probed (the MAC it found: `mac`). */
export function probedNic<N extends Nic, D extends IntelNicDriver<N>>(kind: NicKind<N, D>): { m: Q35Machine; nics: N[]; g: GuestView; d: D; mac: number[] } {
  const machine = nicMachine(1, kind.nic);
  const d = kind.driver(machine.m, machine.nics[0]!, machine.g, 0);
  return { ...machine, d, mac: d.probe() };
}

/** Two NICs of `kind` on the in-process switch (`sw`), a driver each, both probed (their MACs `macA`, `macB`). */
export function probedPair<N extends Nic, D extends IntelNicDriver<N>>(
  kind: NicKind<N, D>,
): { m: Q35Machine; nics: N[]; g: GuestView; sw: EthernetSwitch; a: D; b: D; macA: number[]; macB: number[] } {
  const { m, nics, g } = nicMachine(2, kind.nic);
  const sw = m.connectNetwork();
  const a = kind.driver(m, nics[0]!, g, 0);
  const b = kind.driver(m, nics[1]!, g, 1);
  const macA = a.probe();
  const macB = b.probe();
  return { m, nics, g, sw, a, b, macA, macB };
}

/** Writes MSI-X table entries 0 to `count` - 1 at `bar`: address 0xfee00000, data `firstData` + n, unmasked. */
export function programMsixTable(m: Q35Machine, bar: number, count: number, firstData: number): void {
  for (let v = 0; v < count; v++) {
    m.memory.write(bar + 16 * v, 4, 0xfee0_0000);
    m.memory.write(bar + 16 * v + 8, 4, firstData + v);
    m.memory.write(bar + 16 * v + 12, 4, 0);
  }
}

export abstract class IntelNicDriver<N extends Nic> {
  readonly bar0: number;
  readonly msixBar: number;
  mac: number[] = [];

  constructor(
    readonly m: Q35Machine,
    readonly nic: N,
    readonly g: GuestView,
    slot: number,
    msixBar64: boolean,
  ) {
    this.bar0 = 0xfe00_0000 + slot * 0x10_0000;
    this.msixBar = 0xfd00_0000 + slot * 0x10_0000;
    mapBar(nic, 0, this.bar0);
    mapBar(nic, 3, this.msixBar, msixBar64 ? { mem64: true } : {});
  }

  r(reg: number): number {
    return this.m.memory.read(this.bar0 + reg, 4) >>> 0;
  }
  w(reg: number, v: number): void {
    this.m.memory.write(this.bar0 + reg, 4, v >>> 0);
  }

  /** The driver's probe up to the reset: returns the MAC address it found. */
  abstract probe(): number[];

  /** The ring whose registers start at `at` (Q_BAL to Q_TAIL): at guest address `base`, `bytes` long, head and tail 0. */
  setRing(at: number, base: number, bytes: number): void {
    this.w(at + C.Q_BAL, base);
    this.w(at + C.Q_BAH, 0);
    this.w(at + C.Q_LEN, bytes);
    this.w(at + C.Q_HEAD, 0);
    this.w(at + C.Q_TAIL, 0);
  }

  /** e1000e_read_nvm_eerd, igb_read_nvm_eerd: one word. */
  nvm(word: number): number {
    this.w(C.EERD, (word << 2) | 1);
    const v = this.r(C.EERD);
    expect(v & 2).toBe(2); // DONE
    return v >>> 16;
  }

  /** The first 64 NVM words, checked as e1000e_validate_nvm_checksum_generic and igb_validate_nvm_checksum do (sum 0xbaba). */
  nvmWords(): number[] {
    const words = Array.from({ length: 64 }, (_, i) => this.nvm(i));
    expect(words.reduce((sum, w) => (sum + w) & 0xffff, 0)).toBe(0xbaba);
    return words;
  }

  /** The PHY register `reg` through MDIC at PHY address 1 (e1000e_read_phy_reg_mdic, igb_read_phy_reg_mdic). */
  phyRead(reg: number): number {
    this.w(C.MDIC, (reg << 16) | (1 << 21) | C.MDIC_OP_READ);
    const v = this.r(C.MDIC);
    expect(v & (C.MDIC_READY | C.MDIC_ERROR)).toBe(C.MDIC_READY);
    return v & 0xffff;
  }
  phyWrite(reg: number, value: number): void {
    this.w(C.MDIC, (reg << 16) | (1 << 21) | C.MDIC_OP_WRITE | value);
    expect(this.r(C.MDIC) & (C.MDIC_READY | C.MDIC_ERROR)).toBe(C.MDIC_READY);
  }

  /** RSSRK from RSS_KEY (byte 0 lowest in the first register). */
  writeRssKey(): void {
    for (let i = 0; i < RSS_KEY.length; i += 4) this.w(C.RSSRK + i, RSS_KEY[i]! | (RSS_KEY[i + 1]! << 8) | (RSS_KEY[i + 2]! << 16) | (RSS_KEY[i + 3]! << 24));
  }

  /** MSI-X enabled, entries 0 to `count` - 1 sending data `firstData` + n. */
  enableMsix(count: number, firstData: number): void {
    this.nic.configWrite(this.nic.msix.offset + 2, 2, 0x8000);
    programMsixTable(this.m, this.msixBar, count, firstData);
  }

  /** MSI enabled: address 0xfee00000, data 0x61. */
  enableMsi(): void {
    const cap = this.nic.msi.offset;
    this.nic.configWrite(cap + R.MSI_ADDRESS_LO, 4, 0xfee0_0000);
    this.nic.configWrite(cap + 0x0c, 2, 0x61);
    this.nic.configWrite(cap + R.MSI_FLAGS, 2, R.MSI_FLAGS_ENABLE);
  }

  /** Auto-negotiation restarted through the PHY: the link is down until 500 ms of guest time have passed. */
  restartAutonegotiation(): void {
    this.phyWrite(MII.BMCR, this.phyRead(MII.BMCR) | BMCR_AUTOEN | BMCR_ANRESTART);
    expect(this.r(C.STATUS) & C.STATUS_LU).toBe(0);
    this.m.clock.advanceTo(this.m.clock.now() + AUTONEG_NS);
    this.m.clock.runDue();
  }
}
