/**
 * The Standard Hot-Plug Controller (PCI SHPC 1.0): a register file reached
 * through a BAR and through the SHPC capability's DWORD select / data
 * window (§5.1). Reset values as QEMU 7.2 sets them for 31 slots (devices
 * 1-31 of the secondary bus): each occupied slot enabled with its power
 * LED on, each empty slot disabled with the MRL open. Register writes go
 * through write and write-1-to-clear masks; hot-plug commands are not
 * carried out.
 */
import type { RegionHandler, Width } from '../bus/types.js';
import type { PciBus } from './bus.js';
import { Capability } from './capability.js';
import { readLe, writeLe } from './caps.js';
import type { ConfigSpace } from './config-space.js';
import * as R from './registers.js';

const SLOTS = 31;
const SLOTS_33 = 0x04;
const NSLOTS = 0x0c;
const FIRST_DEV = 0x0d;
const PHYS_SLOT = 0x0e;
const PROG_IFC = 0x13;
const CMD_CODE = 0x14;
const CMD_TRGT = 0x15;
const INT_LOCATOR = 0x18;
const SERR_INT = 0x20;
const SERR_INT_DEFAULT = 0x1 | 0x2 | 0x4 | 0x8;
const SERR_INT_W1C = 0x30000;
const slotReg = (i: number) => 0x24 + 4 * i;
/** Size of the register file: SHPC_SLOT_REG(nslots). */
export const SHPC_SIZE = slotReg(SLOTS);

export class ShpcRegisters implements RegionHandler {
  readonly regs = new Uint8Array(SHPC_SIZE);
  private readonly wmask = new Uint8Array(SHPC_SIZE);
  private readonly w1cmask = new Uint8Array(SHPC_SIZE);

  constructor(private readonly secondary: PciBus) {
    this.wmask[CMD_CODE] = 0xff;
    this.wmask[CMD_TRGT] = 0x1f;
    writeLe(this.wmask, SERR_INT, 4, SERR_INT_DEFAULT);
    writeLe(this.w1cmask, SERR_INT, 4, SERR_INT_W1C);
    for (let i = 0; i < SLOTS; i++) {
      this.wmask[slotReg(i) + 3] = 0x7f;
      this.w1cmask[slotReg(i) + 2] = 0x1f;
    }
    this.reset();
  }

  reset(): void {
    const r = this.regs;
    r.fill(0);
    r[NSLOTS] = SLOTS;
    writeLe(r, SLOTS_33, 4, SLOTS);
    r[FIRST_DEV] = 1;
    writeLe(r, PHYS_SLOT, 2, 1 | 0x2000 | 0x4000 | 0x8000);
    writeLe(r, SERR_INT, 4, SERR_INT_DEFAULT);
    r[PROG_IFC] = 1;
    for (let i = 0; i < SLOTS; i++) {
      r[slotReg(i) + 3] = 0x7f;
      const occupied = this.secondary.slots[(i + 1) * 8] !== undefined;
      // Slot status: state, power LED, MRL, presence (7.5 W or empty).
      writeLe(r, slotReg(i), 2, occupied ? 0x2 | (0x1 << 2) : 0x3 | (0x3 << 2) | 0x100 | (0x3 << 10));
    }
    this.updateInterrupts();
  }

  read(offset: number, width: Width): number {
    if (offset >= SHPC_SIZE) return 0;
    return readLe(this.regs, offset, Math.min(width, SHPC_SIZE - offset));
  }

  write(offset: number, width: Width, value: number): void {
    for (let i = 0; i < width && offset + i < SHPC_SIZE; i++) {
      const o = offset + i;
      const v = (value >>> (8 * i)) & 0xff;
      this.regs[o] = ((this.regs[o]! & ~this.wmask[o]!) | (v & this.wmask[o]!)) & ~(v & this.w1cmask[o]!);
    }
    this.updateInterrupts();
  }

  /** The interrupt locator: one bit per slot with an unmasked event, bit 0 for a command completion. */
  private updateInterrupts(): void {
    let locator = 0;
    for (let i = 0; i < SLOTS; i++) {
      const latch = this.regs[slotReg(i) + 2]!;
      const disable = this.regs[slotReg(i) + 3]!;
      if (latch & ~disable) locator |= 1 << (i + 1);
    }
    const serr = readLe(this.regs, SERR_INT, 4);
    if (serr & 0x10000 && !(serr & 0x4)) locator |= 1;
    writeLe(this.regs, INT_LOCATOR, 4, locator >>> 0);
  }
}

/** The SHPC capability: DWORD select (offset 2) and DWORD data (offset 4) reach the register file. */
export class ShpcCapability extends Capability {
  readonly id = R.CAP_ID_SHPC;
  readonly size = R.SHPC_CAP_LENGTH;

  constructor(readonly registers: ShpcRegisters) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.setWmask8(this.offset + R.SHPC_CAP_DWORD_SELECT, 0xff);
    cs.setWmask32(this.offset + R.SHPC_CAP_DWORD_DATA, 0xffff_ffff);
  }

  override reset(cs: ConfigSpace): void {
    this.registers.reset();
    cs.set8(this.offset + R.SHPC_CAP_DWORD_SELECT, 0);
    cs.set32(this.offset + R.SHPC_CAP_DWORD_DATA, 0);
  }

  override afterWrite(cs: ConfigSpace, addr: number, width: number): void {
    if (!this.covers(addr, width, 0, this.size)) return;
    const select = cs.get8(this.offset + R.SHPC_CAP_DWORD_SELECT);
    if (this.covers(addr, width, R.SHPC_CAP_DWORD_DATA, 4)) this.registers.write(select * 4, 4, cs.get32(this.offset + R.SHPC_CAP_DWORD_DATA));
    // The data register shows the selected dword for the next read.
    cs.set32(this.offset + R.SHPC_CAP_DWORD_DATA, this.registers.read(select * 4, 4));
  }
}
