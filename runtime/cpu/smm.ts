/**
 * System Management Mode as QEMU 7.2's x86_64 TCG enters and leaves it
 * (target/i386/tcg/sysemu/smm_helper.c): an SMI saves the CPU's state in
 * the AMD64-format save map at SMBASE+0xfe00..0xffff (revision 0x20064,
 * SMBASE relocation supported) and starts 16-bit code at SMBASE+0x8000 with
 * 4 GiB flat segments; RSM reloads everything from the map, SMBASE included.
 * While the CPU is in SMM its platform shows it SMRAM (`setSmm`), and NMIs
 * wait until RSM.
 *
 * QEMU enters SMM on an SMI whatever the machine's smm property says (only
 * SMRAM decoding depends on it); SeaBIOS's bios-256k.bin relies on that to
 * relocate SMBASE and for its 32-bit calls through SMM.
 */
import type { Cpu } from './cpu.js';
import { CS, DS, ES, FS, GS, SS } from './decode.js';
import { VEC } from './errors.js';
import { CR0, DESC, LDTR, TR } from './state.js';
import { setCpl } from './protected.js';

export const SMM_REVISION = 0x0002_0064;
/** Revision bit: the save map's SMBASE field is reloaded by RSM. */
const REV_SMBASE_RELOCATION = 0x2_0000;

/** Save-map offsets from SMBASE+0x8000 (the AMD64 layout QEMU uses). */
const MAP = {
  SEGS: 0x7e00, // ES, CS, SS, DS, FS, GS: selector, attributes, limit, base (16 bytes each)
  GDT_LIMIT: 0x7e64,
  GDT_BASE: 0x7e68,
  LDT: 0x7e70, // selector; attributes at +2, limit at +4, base at +8
  IDT_LIMIT: 0x7e84,
  IDT_BASE: 0x7e88,
  TR: 0x7e90,
  EFER: 0x7ed0,
  REVISION: 0x7efc,
  SMBASE: 0x7f00,
  CR4: 0x7f48,
  CR3: 0x7f50,
  CR0: 0x7f58,
  DR7: 0x7f60,
  DR6: 0x7f68,
  EFLAGS: 0x7f70,
  RIP: 0x7f78,
  /** RAX at 0x7ff8, then each register 8 bytes below the previous (RCX, RDX, ... R15). */
  RAX: 0x7ff8,
} as const;

const TWO32 = 2 ** 32;

function st64(cpu: Cpu, addr: number, v: number): void {
  const u = BigInt.asUintN(64, BigInt(Math.trunc(v)));
  cpu.physWrite(addr, 4, Number(u & 0xffff_ffffn));
  cpu.physWrite(addr + 4, 4, Number(u >> 32n));
}

/** A 64-bit field as the CPU keeps addresses: an exact signed number (canonical addresses are exact). */
function ld64(cpu: Cpu, addr: number): number {
  return (cpu.physRead(addr + 4, 4) | 0) * TWO32 + (cpu.physRead(addr, 4) >>> 0);
}

/** Attributes as the save map holds them (descriptor bits 8-15 and 20-23). */
const packAttr = (attr: number): number => (attr >>> 8) & 0xf0ff;
const unpackAttr = (v: number): number => (v & 0xf0ff) << 8;

/** A segment register slot of the save map (QEMU's order is the segment register number). */
const SEG_ORDER = [ES, CS, SS, DS, FS, GS] as const;

/** An SMI: saves the state at SMBASE and enters SMM (QEMU do_smm_enter). */
export function enterSmm(cpu: Cpu): void {
  const map = cpu.smbase + 0x8000;
  cpu.inSmm = true;
  cpu.platform.setSmm?.(true);
  // (What is plain memory changes with SMRAM: cached answers go with the TLB.)
  cpu.mapChanged();

  for (let i = 0; i < 6; i++) {
    const s = SEG_ORDER[i]!;
    const at = map + MAP.SEGS + i * 16;
    cpu.physWrite(at, 2, cpu.segSel[s]!);
    cpu.physWrite(at + 2, 2, packAttr(cpu.segAttr[s]!));
    cpu.physWrite(at + 4, 4, cpu.segLimit[s]! | 0);
    st64(cpu, at + 8, cpu.segBase[s]!);
  }
  st64(cpu, map + MAP.GDT_BASE, cpu.gdtBase);
  cpu.physWrite(map + MAP.GDT_LIMIT, 4, cpu.gdtLimit);
  for (const [slot, at] of [
    [LDTR, MAP.LDT],
    [TR, MAP.TR],
  ] as const) {
    cpu.physWrite(map + at, 2, cpu.segSel[slot]!);
    cpu.physWrite(map + at + 2, 2, packAttr(cpu.segAttr[slot]!));
    cpu.physWrite(map + at + 4, 4, cpu.segLimit[slot]! | 0);
    st64(cpu, map + at + 8, cpu.segBase[slot]!);
  }
  st64(cpu, map + MAP.IDT_BASE, cpu.idtBase);
  cpu.physWrite(map + MAP.IDT_LIMIT, 4, cpu.idtLimit);
  st64(cpu, map + MAP.EFER, cpu.efer);

  for (let i = 0; i < 16; i++) {
    cpu.physWrite(map + MAP.RAX - i * 8, 4, cpu.r[i]!);
    cpu.physWrite(map + MAP.RAX - i * 8 + 4, 4, cpu.rh[i]!);
  }
  st64(cpu, map + MAP.RIP, cpu.eip);
  cpu.physWrite(map + MAP.EFLAGS, 4, cpu.eflags);
  cpu.physWrite(map + MAP.DR6, 4, cpu.dr[6]! | 0);
  cpu.physWrite(map + MAP.DR7, 4, cpu.dr[7]! | 0);
  cpu.physWrite(map + MAP.CR4, 4, cpu.cr4);
  st64(cpu, map + MAP.CR3, cpu.cr3Hi * TWO32 + (cpu.cr3 >>> 0));
  cpu.physWrite(map + MAP.CR0, 4, cpu.cr0);
  cpu.physWrite(map + MAP.REVISION, 4, SMM_REVISION);
  cpu.physWrite(map + MAP.SMBASE, 4, cpu.smbase);

  // The SMM entry state: real-mode-like 16-bit code with 4 GiB limits.
  cpu.efer = 0;
  cpu.eflags = 2;
  cpu.eip = 0x8000;
  cpu.cr0 &= ~(CR0.PE | CR0.EM | CR0.TS | CR0.PG);
  cpu.cr4 = 0;
  cpu.dr[7] = 0x400;
  const flat = DESC.P | DESC.S | DESC.W | DESC.G | DESC.A;
  cpu.setSeg(CS, (cpu.smbase >>> 4) & 0xffff, cpu.smbase, 0xffff_ffff, flat);
  for (const s of [DS, ES, SS, FS, GS]) cpu.setSeg(s, 0, 0, 0xffff_ffff, flat);
  setCpl(cpu, 0);
  cpu.halted = false;
  cpu.flushTlb();
}

/** RSM: reloads the state from the save map and leaves SMM (QEMU helper_rsm); #UD outside SMM. */
export function rsm(cpu: Cpu, k: number): void {
  if (!cpu.inSmm) cpu.raise(VEC.UD, -1, k);
  const map = cpu.smbase + 0x8000;
  cpu.efer = cpu.physRead(map + MAP.EFER, 4) & 0xd01;
  cpu.gdtBase = ld64(cpu, map + MAP.GDT_BASE);
  cpu.gdtLimit = cpu.physRead(map + MAP.GDT_LIMIT, 4) >>> 0;
  for (const [slot, at] of [
    [LDTR, MAP.LDT],
    [TR, MAP.TR],
  ] as const) {
    cpu.setSeg(slot, cpu.physRead(map + at, 2), ld64(cpu, map + at + 8), cpu.physRead(map + at + 4, 4) >>> 0, unpackAttr(cpu.physRead(map + at + 2, 2)));
  }
  cpu.idtBase = ld64(cpu, map + MAP.IDT_BASE);
  cpu.idtLimit = cpu.physRead(map + MAP.IDT_LIMIT, 4) >>> 0;
  for (let i = 0; i < 16; i++) {
    cpu.r[i] = cpu.physRead(map + MAP.RAX - i * 8, 4);
    cpu.rh[i] = cpu.physRead(map + MAP.RAX - i * 8 + 4, 4);
  }
  const rip = ld64(cpu, map + MAP.RIP);
  cpu.eflags = cpu.physRead(map + MAP.EFLAGS, 4) >>> 0;
  cpu.dr[6] = cpu.physRead(map + MAP.DR6, 4) >>> 0;
  cpu.dr[7] = cpu.physRead(map + MAP.DR7, 4) >>> 0;
  cpu.cr4 = cpu.physRead(map + MAP.CR4, 4) & 0x7ff;
  cpu.cr3 = cpu.physRead(map + MAP.CR3, 4);
  cpu.cr3Hi = cpu.physRead(map + MAP.CR3 + 4, 4) & 0xf_ffff;
  cpu.cr0 = cpu.physRead(map + MAP.CR0, 4);
  for (let i = 0; i < 6; i++) {
    const at = map + MAP.SEGS + i * 16;
    cpu.setSeg(SEG_ORDER[i]!, cpu.physRead(at, 2), ld64(cpu, at + 8), cpu.physRead(at + 4, 4) >>> 0, unpackAttr(cpu.physRead(at + 2, 2)));
  }
  if (cpu.physRead(map + MAP.REVISION, 4) & REV_SMBASE_RELOCATION) cpu.smbase = cpu.physRead(map + MAP.SMBASE, 4) >>> 0;
  // Outside long mode RIP is a 32-bit offset.
  cpu.eip = cpu.longMode ? rip : rip >>> 0;
  // QEMU takes CPL from SS's DPL when it loads SS's cache.
  setCpl(cpu, (cpu.segAttr[SS]! >>> DESC.DPL_SHIFT) & 3);
  cpu.inSmm = false;
  cpu.platform.setSmm?.(false);
  cpu.mapChanged();
  // An SMI or NMI that arrived meanwhile is taken now.
  cpu.pendingCheck = true;
}
