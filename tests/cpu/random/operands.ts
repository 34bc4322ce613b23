/**
 * Operands for the instruction templates: registers, immediates and memory operands whose
 * effective address always lands in the scratch area, whatever the addressing form. A memory
 * operand comes with `mov`s that set its base and index registers (a mov changes no flag, so
 * the flags still flow from one template to the next).
 */
import type { Rng } from './prng.js';

export type Mode = 'real' | 'pm16' | 'pm32';
export const MODES: readonly Mode[] = ['real', 'pm16', 'pm32'];
export type Bits = 8 | 16 | 32;

/** The scratch area the driver fills and compares (random/driver.s): segment offsets 0..SCRATCH_LEN. */
export const SCRATCH_LEN = 0x800;
/** Memory operands address [0, DATA_LIMIT) of their segment; the segments' bases add at most 0x300. */
export const DATA_LIMIT = 0x400;
/** The sequences' initial ESP (an offset in SS, whose base is the scratch area's). */
export const SP_INIT = 0x7c0;
/** The stack stays in [SP_LOW, SCRATCH_LEN). */
export const SP_LOW = 0x400;

export const FLAG = { CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, TF: 0x100, IF: 0x200, DF: 0x400, OF: 0x800 } as const;
export const ARITH = FLAG.CF | FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.OF;

export const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'] as const;
export const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;
export const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

export const regName = (gpr: number, bits: Bits): string => `%${(bits === 8 ? R8 : bits === 16 ? R16 : R32)[gpr]!}`;
/** The GPR an 8-bit register name index belongs to (AH is part of EAX). */
const gprOf = (index: number, bits: Bits): number => (bits === 8 ? index & 3 : index);

export const sfx = (bits: Bits): string => (bits === 8 ? 'b' : bits === 16 ? 'w' : 'l');
export const hex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
export const maskOf = (bits: Bits): number => (bits === 32 ? 0xffffffff : (1 << bits) - 1);

/** Base of each data segment relative to DS in every mode (driver.s: DS=SS, ES +0x100, FS +0x200, GS +0x300). */
const SEGMENTS = ['ds', 'es', 'fs', 'gs', 'ss'] as const;

export interface MemOperand {
  readonly setup: string[];
  readonly op: string;
  /** The offset it addresses, before the segment's base. */
  readonly ea: number;
}

export interface MemOptions {
  /** Allow a CS override (reads only; real mode and pm16, where CS is the code area). */
  readonly readOnly?: boolean;
  /** Highest offset + size the access may reach (default DATA_LIMIT). */
  readonly limit?: number;
  /** Lowest offset (default 0). */
  readonly low?: number;
  /** No segment override (string and stack forms choose their own). */
  readonly noSegment?: boolean;
}

/** Operand choices for one template instance; registers it fixes are reserved against clobbering setups. */
export class Operands {
  readonly code: 16 | 32;
  private reserved = new Set<number>();
  private labels = 0;

  constructor(
    readonly rng: Rng,
    readonly mode: Mode,
    private readonly labelPrefix: string,
    /** The stack pointer before this instance (tracked statically). */
    readonly sp: number,
    /** The label at the start of the sequence's code (far transfers compute offsets from it). */
    readonly codeStart: string,
  ) {
    this.code = mode === 'pm32' ? 32 : 16;
  }

  /** A fresh local label. */
  label(): string {
    return `.L${this.labelPrefix}_${this.labels++}`;
  }

  reserve(...gprs: number[]): void {
    for (const g of gprs) this.reserved.add(g);
  }

  isReserved(gpr: number): boolean {
    return this.reserved.has(gpr);
  }

  /** Operand size of a template: 16/32 mostly at the code's size, 8 when allowed. */
  size(allow8 = true): Bits {
    const other: Bits = this.code === 16 ? 32 : 16;
    return this.rng.weighted<Bits>([
      [allow8 ? 3 : 0, 8],
      [4, this.code],
      [2, other],
    ]);
  }

  /** A register to read (ESP included). */
  src(bits: Bits): string {
    return regName(this.rng.int(0, 7), bits);
  }

  /** A register index to write: never ESP/SP; optionally not a reserved one. */
  dstIndex(bits: Bits, avoidReserved = false): number {
    for (;;) {
      const i = this.rng.int(0, 7);
      if (bits !== 8 && i === ESP) continue;
      if (avoidReserved && this.reserved.has(gprOf(i, bits))) continue;
      return i;
    }
  }

  dst(bits: Bits, avoidReserved = false): string {
    return regName(this.dstIndex(bits, avoidReserved), bits);
  }

  /** A register that will be set by a setup mov: not reserved, then reserved. */
  setupReg(bits: Bits, exclude: readonly number[] = []): number {
    for (;;) {
      const i = this.rng.int(0, 7);
      const g = gprOf(i, bits);
      if (g === ESP || this.reserved.has(g) || exclude.includes(g)) continue;
      this.reserved.add(g);
      return i;
    }
  }

  imm(bits: Bits): string {
    return `$${hex(this.rng.value(bits))}`;
  }

  /** mov of a constant into a register (changes no flag). */
  static set(gpr: number, bits: Bits, value: number): string {
    return `mov${sfx(bits)} $${hex(value >>> 0)}, ${regName(gpr, bits)}`;
  }

  /** A memory operand of `bits` (64 for cmpxchg8b/bound pairs) in the scratch area. */
  mem(bits: Bits | 48 | 64, opts: MemOptions = {}): MemOperand {
    const r = this.rng;
    const size = bits / 8;
    const low = opts.low ?? 0;
    const limit = opts.limit ?? DATA_LIMIT;
    const ea = r.int(low, limit - size);
    let seg = '';
    if (!opts.noSegment && r.chance(0.4)) {
      const choices: string[] = [...SEGMENTS];
      if (opts.readOnly && this.mode !== 'pm32') choices.push('cs');
      seg = `%${r.pick(choices)}:`;
    }
    const addr32 = this.code === 32 ? r.chance(0.85) : r.chance(0.25);
    const setup: string[] = [];
    let op: string;
    if (addr32) {
      const form = r.weighted<string>([
        [1, 'disp'],
        [2, 'base'],
        [2, 'base+disp8'],
        [1, 'base+disp32'],
        [3, 'sib'],
        [1, 'index'],
        [this.reserved.has(ESP) ? 0 : 1, 'esp'],
      ]);
      if (form === 'disp') op = `${seg}${hex(ea)}`;
      else if (form === 'esp') op = `${seg}${hex(ea - this.sp)}(%esp)`;
      else {
        const disp = form === 'base' || form === 'index' ? 0 : form === 'base+disp8' ? r.int(-128, 127) : (r.u32() | 0) % 0x100000;
        const scale = form === 'sib' || form === 'index' ? r.pick([1, 2, 4, 8]) : 1;
        let base = -1;
        let index = -1;
        let indexValue = 0;
        if (form !== 'index') base = this.setupReg(32);
        if (form === 'sib' || form === 'index') {
          index = this.setupReg(32, [base]);
          indexValue = r.chance(0.5) ? r.int(0, 64) : r.u32();
          setup.push(Operands.set(index, 32, indexValue));
        }
        const rest = (ea - disp - Math.imul(indexValue, scale)) >>> 0;
        if (base >= 0) setup.unshift(Operands.set(base, 32, rest));
        const d = form === 'index' ? hex(rest) : disp ? hex(disp) : '';
        const inner = [base >= 0 ? regName(base, 32) : '', ...(index >= 0 ? [regName(index, 32), String(scale)] : [])].join(',');
        op = `${seg}${d}(${inner})`;
      }
    } else {
      const pairs: [number, number][] = [[EBX, -1], [ESI, -1], [EDI, -1], [EBP, -1], [EBX, ESI], [EBX, EDI], [EBP, ESI], [EBP, EDI], [-1, -1]];
      const usable = pairs.filter(([b, i]) => (b < 0 || !this.reserved.has(b)) && (i < 0 || !this.reserved.has(i)));
      const [b, i] = r.pick(usable.length ? usable : [[-1, -1] as [number, number]]);
      if (b < 0 && i < 0) op = `${seg}${hex(ea)}`;
      else {
        const disp = r.weighted<number>([
          [b === EBP && i < 0 ? 0 : 2, 0],
          [2, r.int(-128, 127)],
          [1, r.int(0, 0xffff)],
        ]);
        const iv = i >= 0 ? r.int(0, 0xffff) : 0;
        const bv = (ea - disp - iv) & 0xffff;
        if (i >= 0) {
          this.reserved.add(i);
          setup.push(Operands.set(i, 16, iv));
        }
        this.reserved.add(b);
        setup.unshift(Operands.set(b, 16, bv));
        op = `${seg}${disp ? hex(disp) : ''}(${regName(b, 16)}${i >= 0 ? `,${regName(i, 16)}` : ''})`;
      }
    }
    return { setup, op, ea };
  }
}
