/**
 * Code generation for one instruction, shared by both tiers.
 *
 * Instruction semantics (sem/*.ts) are written once, against `Gen`: they
 * read and write operands, registers, memory and flags through it and get
 * AST back. Two tiers implement the few things that differ:
 *
 *  - `InterpGen` builds a tier-1 handler `(cpu, i) => void` for one
 *    instruction *form* (row, sizes, register-or-memory, addressing form,
 *    segment): register numbers, immediates and displacements are read from
 *    the decoded `Insn` at run time, so one handler serves every instruction
 *    of its form. Registers and flags live in the CPU object.
 *  - `JitGen` emits the instruction inline into a tier-2 block function:
 *    every decoded field is a constant, registers and lazy flags are locals
 *    of the block, and the last flag-setting operation is known statically
 *    so conditions compile to direct comparisons.
 *
 * Conventions: every value is a JavaScript int32; byte and word values are
 * zero-extended. A memory access that cannot take the inline TLB path calls
 * the CPU's slow path with the instruction's index in its block, which is
 * how faults find the faulting instruction. Semantics never write a register
 * or the flags before the last access that can fault, so a fault leaves the
 * instruction without effect.
 */
import {
  bin,
  call,
  cond as cnd,
  constv,
  i32,
  id,
  intId,
  isInt32,
  ifs,
  index,
  letv,
  lit,
  method,
  num,
  op2,
  prop,
  set,
  stmt,
  zext,
  type Expr,
  type Stmt,
} from './ast.js';
import { CC, CF, OF } from './flags.js';
import { A, DS, ES, FS, GS, SS, type Insn, type OperandSpec } from './decode.js';
import type { CC_SLOT } from './state.js';

/** hflags: the CPU state a translation depends on (part of every block's key). */
export const HF = {
  CS32: 1,
  SS32: 2,
  PE: 4,
  CPL_SHIFT: 3,
  CPL_MASK: 3 << 3,
  /** Some of DS/ES/SS has a non-zero base (always in real mode): add segment bases. */
  ADDSEG: 1 << 5,
  VM86: 1 << 6,
  /** EFLAGS.TF: one instruction per block, then #DB. */
  TF: 1 << 7,
  /** Long mode active (EFER.LMA): 64-bit or compatibility-mode code. */
  LMA: 1 << 8,
  /** 64-bit code (LMA and CS.L). */
  CS64: 1 << 9,
} as const;

/** The names generated code may use besides `cpu` and `i`: runtime helpers and hoisted views. */
export const RUNTIME = ['R', 'RH', 'CC', 'SB', 'FG', 'TR', 'TW', 'TT', 'TTW', 'M8', 'M16', 'M32'] as const;
export type RuntimeLocal = (typeof RUNTIME)[number];

/** Pure helpers generated code calls (passed in as closure parameters). */
export const HELPER_NAMES = ['testCond', 'computeArith', 'computeCarry', 'Fault'] as const;

/** A lazy-flag field of the CPU state (its slot in `cpu.cc`: CC_SLOT). */
export type CcField = keyof typeof CC_SLOT;

/** A 64-bit value as two int32 halves. */
export interface Q {
  readonly lo: Expr;
  readonly hi: Expr;
}

/**
 * A linear address for a memory access: an int32 below long mode, an exact number in long mode,
 * or (64-bit code with 64-bit addresses) its int32 halves, which the TLB's fast path takes as they
 * are: V8 compiles int32 arithmetic to machine integers in every tier, while a number past 2^31
 * is a double its baseline code boxes.
 */
export type Lin = Expr | LinQ;
export interface LinQ extends Q {
  readonly halves: true;
}

function isHalves(a: Lin): a is LinQ {
  return (a as LinQ).halves === true;
}

/** A 64-bit value in halves as an exact signed number (addresses for the calls that take one). */
export function exactQ(q: Q): Expr {
  return op2('+', op2('*', q.hi, num(4294967296)), op2('>>>', q.lo, num(0)));
}

const INT32_MIN = -2147483648;

/**
 * a < b (`ule`: a <= b) as unsigned 32-bit values, compared as signed values with the sign bit
 * flipped: int32 arithmetic throughout, where `>>> 0` makes a number past 2^31 that V8's baseline
 * code boxes.
 */
export function ult(a: Expr, b: Expr): Expr {
  return bin('<', flipSign(a), flipSign(b));
}
export function ule(a: Expr, b: Expr): Expr {
  return bin('<=', flipSign(a), flipSign(b));
}
/** An int32 with its sign bit flipped (unsigned order as signed order); a constant folded. */
function flipSign(e: Expr): Expr {
  return e.k === 'num' ? num(e.v ^ INT32_MIN) : op2('^', e, num(INT32_MIN));
}

export abstract class Gen {
  readonly out: Stmt[] = [];
  private stack: Stmt[][] = [];
  protected tmpCount = 0;
  /** Runtime locals the generated code referenced (for the prologue). */
  readonly usedEnv = new Set<RuntimeLocal>();

  constructor(
    readonly i: Insn,
    readonly hf: number,
    protected prefix: string,
  ) {}

  get osize(): number {
    return this.i.osize;
  }
  get asize(): number {
    return this.i.asize;
  }
  get code16(): boolean {
    return !(this.hf & (HF.CS32 | HF.CS64));
  }
  /** 64-bit code. */
  get mode64(): boolean {
    return (this.hf & HF.CS64) !== 0;
  }
  /** Long mode (64-bit or compatibility code): 32-bit register writes clear the high halves; addresses are doubles. */
  get lma(): boolean {
    return (this.hf & HF.LMA) !== 0;
  }
  get ops(): readonly OperandSpec[] {
    return this.i.entry.operands;
  }

  // ---- tier-specific --------------------------------------------------------

  /** A decoded field of the instruction: a constant in the JIT, `i.field` in tier 1. */
  abstract field(name: 'imm' | 'immHi' | 'imm2' | 'disp' | 'gReg' | 'gSh' | 'eReg' | 'eSh' | 'zReg' | 'zSh' | 'base' | 'index' | 'next' | 'eip' | 'k' | 'ripLo' | 'ripHi'): Expr;
  /** The full 32-bit value of register `idx` (`idx` is a field expression or a constant). */
  abstract reg(idx: Expr): Expr;
  abstract setReg(idx: Expr, v: Expr): void;
  /** The high 32 bits of register `idx` (long mode). */
  abstract regHi(idx: Expr): Expr;
  abstract setRegHi(idx: Expr, v: Expr): void;
  /** A lazy-flags cell (assignable). */
  abstract cc(name: CcField): Expr;
  /** Statically known lazy-flags operation at this point, if any. */
  abstract knownCcOp(): number | undefined;
  protected abstract noteCcOp(op: number | undefined): void;
  /** Writes registers and flags held in locals back to the CPU object (before calling a state helper). */
  abstract sync(): void;
  /** Reloads locals from the CPU object (after a state helper changed it). */
  abstract reload(): void;
  /** Ends the block: the next instruction is at EIP `target` (an expression). */
  abstract exit(target: Expr): void;
  /** Ends the block after a helper already set cpu.eip (or raised). */
  abstract exitToCpuEip(): void;

  // ---- emission ---------------------------------------------------------------

  emit(s: Stmt): void {
    (this.stack[this.stack.length - 1] ?? this.out).push(s);
  }

  /** The statement list code is being emitted into. */
  current(): readonly Stmt[] {
    return this.stack[this.stack.length - 1] ?? this.out;
  }

  /** Runs `f` collecting its statements into a list (for the arms of an `if`). */
  nest(f: () => void): Stmt[] {
    const body: Stmt[] = [];
    this.stack.push(body);
    try {
      f();
    } finally {
      this.stack.pop();
    }
    return body;
  }

  /** Emits `const tN = e` (or `let` when `mutable`) and returns the name; constants and names pass through. */
  tmp(e: Expr, mutable = false): Expr {
    if (!mutable && (e.k === 'num' || (e.k === 'id' && e.name.startsWith(this.prefix)))) return e;
    const name = `${this.prefix}${this.tmpCount++}`;
    this.emit(mutable ? letv(name, e) : constv(name, e));
    return !mutable && isInt32(e) ? intId(name) : id(name);
  }

  env(name: RuntimeLocal): Expr {
    this.usedEnv.add(name);
    return id(name);
  }

  cpu(field: string): Expr {
    return prop('cpu', field);
  }

  /** Calls a CPU method (a tier keeping CPU state in locals hands over what the method may read). */
  cpuMethod(name: string, ...args: Expr[]): Expr {
    return method('cpu', name, ...args);
  }

  /** Calls a CPU method with the instruction index appended (so faults and time know where they are). */
  cpuCall(name: string, ...args: Expr[]): Expr {
    return this.cpuMethod(name, ...args, this.field('k'));
  }

  /** Calls a CPU method that reads or writes whole CPU state: locals are synced around it. */
  stateCall(name: string, ...args: Expr[]): void {
    this.sync();
    this.emit(this.guardStateCall(stmt(this.cpuCall(name, ...args))));
    this.reload();
    this.noteCcOp(undefined);
  }

  /**
   * The statement of a state call as emitted. A tier holding registers in
   * locals wraps it: the helper may change registers and then raise (a REP
   * string instruction commits every iteration before a page fault), and the
   * CPU object then holds the state to keep, not the locals synced before it.
   */
  protected guardStateCall(call: Stmt): Stmt {
    return call;
  }

  // ---- registers ----------------------------------------------------------------

  /** Register `idx` at `width` bytes; `sh` is the byte-register shift (8 for AH..BH). */
  readReg(idx: Expr, width: number, sh: Expr = num(0)): Expr {
    const full = this.reg(idx);
    if (width === 4) return full;
    if (width === 2) return op2('&', full, num(0xffff));
    if (sh.k === 'num' && sh.v === 0) return op2('&', full, num(0xff));
    return op2('&', op2('>>', full, sh), num(0xff));
  }

  writeReg(idx: Expr, width: number, v: Expr, sh: Expr = num(0)): void {
    if (width === 8) throw new Error('64-bit register writes go through writeRegQ');
    if (width === 4) {
      this.setReg(idx, i32(v));
      if (this.lma) this.setRegHi(idx, num(0));
      return;
    }
    const full = this.reg(idx);
    if (width === 2) return this.setReg(idx, op2('|', op2('&', full, num(0xffff0000 | 0)), op2('&', v, num(0xffff))));
    if (sh.k === 'num' && sh.v === 0) return this.setReg(idx, op2('|', op2('&', full, num(~0xff)), op2('&', v, num(0xff))));
    this.setReg(idx, op2('|', op2('&', full, un32(op2('<<', num(0xff), sh))), op2('<<', op2('&', v, num(0xff)), sh)));
  }

  readRegQ(idx: Expr): Q {
    return { lo: this.reg(idx), hi: this.regHi(idx) };
  }

  writeRegQ(idx: Expr, q: Q): void {
    const lo = this.tmp(q.lo);
    const hi = this.tmp(q.hi);
    this.setReg(idx, i32(lo));
    this.setRegHi(idx, i32(hi));
  }

  // ---- operands -----------------------------------------------------------------

  /** Width in bytes of operand `n`. */
  width(n: number): number {
    return specWidth(this.ops[n]!, this.osize);
  }

  isMem(n: number): boolean {
    const o = this.ops[n]!;
    return o.kind === 'M' || o.kind === 'O' || (o.kind === 'E' && this.i.mod !== 3);
  }

  /**
   * The offset (effective address) of the instruction's memory operand,
   * wrapped to the address size: an int32 below 64 bits, an exact number
   * (wrapped to 64 bits) for 64-bit addressing.
   */
  ea(): Expr {
    const i = this.i;
    if (this.asize === 8) return exactQ(this.eaHalves());
    if (i.entry.operands.some((o) => o.kind === 'O')) return this.asize === 2 ? op2('&', this.field('disp'), num(0xffff)) : this.field('disp');
    let e: Expr = this.field('disp');
    if (i.index >= 0) {
      const x = this.reg(this.field('index'));
      e = op2('+', e, i.scale ? op2('<<', x, num(i.scale)) : x);
    }
    if (i.base >= 0) {
      const b = this.reg(this.field('base'));
      e = op2('+', i.base === 4 && this.espBias ? op2('+', b, num(this.espBias)) : b, e);
    }
    return this.asize === 2 ? op2('&', e, num(0xffff)) : i32(e);
  }

  /**
   * The 64-bit effective address in halves: base, scaled index and displacement added with
   * carries (wrapping at 2^64, as the sum of the halves does); RIP-relative and absolute ones are
   * the decoder's constant halves.
   */
  eaHalves(): Q {
    const i = this.i;
    if (i.base === -2 || i.entry.operands.some((o) => o.kind === 'O')) {
      if (this.isInterp) return { lo: this.field('ripLo'), hi: this.field('ripHi') };
      return { lo: num(i.ripLo | 0), hi: num(i.ripHi | 0) };
    }
    let sum: Q | undefined = i.index >= 0 ? this.shlQ(this.readRegQ(this.field('index')), i.scale) : undefined;
    if (i.base >= 0) {
      let base = this.readRegQ(this.field('base'));
      if (i.base === 4 && this.espBias) base = this.addQ32(base, num(this.espBias));
      sum = sum ? this.addQQ(base, sum) : base;
    }
    const disp = this.field('disp');
    return sum ? this.addQ32(sum, disp) : { lo: disp, hi: op2('>>', disp, num(31)) };
  }

  /** Tier 1 reads fields at run time; the JIT has them as constants. */
  protected get isInterp(): boolean {
    return this.prefix === 't';
  }

  /** Linear address of `off` in segment `seg` (statically known). */
  linear(seg: number, off: Expr): Expr {
    if (this.mode64) {
      // 64-bit code: only FS and GS have bases.
      if (seg === 4 || seg === 5) return call('wrap64', op2('+', index(this.env('SB'), num(seg)), off));
      return off;
    }
    if (this.lma) {
      // Compatibility mode: 32-bit linear addresses, zero-extended.
      if (!(this.hf & HF.ADDSEG) && (seg === DS || seg === ES || seg === SS)) return op2('>>>', off, num(0));
      return op2('>>>', op2('+', index(this.env('SB'), num(seg)), off), num(0));
    }
    if (!(this.hf & HF.ADDSEG) && (seg === DS || seg === ES || seg === SS)) return i32(off);
    return i32(op2('+', index(this.env('SB'), num(seg)), off));
  }

  /** Emit a plugin memory hook after every access (instructions a plugin watches). */
  memHooks = false;

  private memHook(la: Expr, width: number, write: boolean): void {
    if (this.memHooks) this.emit(stmt(this.cpuMethod('memHook', this.field('k'), la, num(width), lit(write))));
  }

  /**
   * The inline TLB test: entry, physical offset and whether the fast path
   * applies. `la` is an int32 in legacy mode; in long mode an exact number
   * whose page must also match the entry's tag. Only bank-0 entries (bit 0
   * set) are served inline; entries of other RAM banks go to the call.
   */
  private tlbProbe(la: Lin, width: number, write: boolean): { l: Expr; lo: Expr; e: Expr; ok: Expr; phys: Expr } {
    const halves = isHalves(la) ? { lo: this.tmp(la.lo), hi: this.tmp(la.hi), halves: true as const } : undefined;
    // (In halves, the exact number is made only on the slow path, which takes it.)
    const l = halves ? exactQ(halves) : this.tmp(la as Expr);
    const lo = halves ? halves.lo : this.lma ? this.tmp(i32(l)) : l;
    const page = this.tmp(op2('>>>', lo, num(12)));
    const e = this.tmp(index(this.env(write ? 'TW' : 'TR'), page));
    const phys = op2('^', op2('&', e, num(-4096)), lo);
    let ok: Expr = bin('!==', op2('&', e, num(1)), num(0));
    if (width > 1) ok = bin('&&', ok, bin('===', op2('&', lo, num(width - 1)), num(0)));
    if (this.lma) {
      // The tag is the address's high half.
      const hi = halves ? halves.hi : i32(call(prop('Math', 'floor'), op2('/', l, num(4294967296))));
      ok = bin('&&', ok, bin('===', index(this.env(write ? 'TTW' : 'TT'), page), hi));
    }
    return { l, lo, e, ok, phys };
  }

  private fastCell(phys: Expr, width: number): Expr {
    return width === 1 ? index(this.env('M8'), op2('>>>', phys, num(0))) : width === 2 ? index(this.env('M16'), op2('>>>', phys, num(1))) : index(this.env('M32'), op2('>>>', phys, num(2)));
  }

  /** Reads `width` (1, 2, 4) bytes at a linear address (zero-extended below 4 bytes). */
  load(la: Lin, width: number): Expr {
    if (width === 8) throw new Error('64-bit loads go through loadQ');
    const t = this.tlbProbe(la, width, false);
    const v = this.tmp(cnd(t.ok, this.fastCell(t.phys, width), this.cpuCall(`rd${width * 8}`, t.l)));
    this.memHook(t.l, width, false);
    return v;
  }

  store(la: Lin, width: number, v: Expr): void {
    if (width === 8) throw new Error('64-bit stores go through storeQ');
    const t = this.tlbProbe(la, width, true);
    this.emit(ifs(t.ok, [set(this.fastCell(t.phys, width), v)], [stmt(this.cpuCall(`wr${width * 8}`, t.l, v))]));
    this.memHook(t.l, width, true);
  }

  /** Reads 8 bytes (two dwords; one fast test when the quadword is aligned). */
  loadQ(la: Lin): Q {
    const t = this.tlbProbe(la, 8, false);
    const lo = this.tmp(letInit(), true);
    const hi = this.tmp(letInit(), true);
    const base = op2('>>>', t.phys, num(2));
    this.emit(
      ifs(
        t.ok,
        [set(lo, index(this.env('M32'), base)), set(hi, index(this.env('M32'), op2('+', base, num(1))))],
        [set(lo, this.cpuCall('rd64', t.l)), set(hi, prop('cpu', 'hi64'))],
      ),
    );
    this.memHook(t.l, 8, false);
    return { lo, hi };
  }

  storeQ(la: Lin, q: Q): void {
    const t = this.tlbProbe(la, 8, true);
    const base = op2('>>>', t.phys, num(2));
    this.emit(
      ifs(
        t.ok,
        [set(index(this.env('M32'), base), q.lo), set(index(this.env('M32'), op2('+', base, num(1))), q.hi)],
        [stmt(this.cpuCall('wr64', t.l, q.lo, q.hi))],
      ),
    );
    this.memHook(t.l, 8, true);
  }

  /** Memory operand address of the instruction (segment and offset resolved). */
  memLinear(): Expr {
    return this.tmp(this.linear(this.i.seg, this.ea()));
  }

  /** The memory operand's linear address in halves (64-bit code with 64-bit addresses), else undefined. */
  private memHalves(): LinQ | undefined {
    const i = this.i;
    if (!this.mode64 || this.asize !== 8) return undefined;
    const off = this.eaHalves();
    if (i.seg !== FS && i.seg !== GS) return { ...off, halves: true };
    // FS and GS have bases in 64-bit code (the kernel's per-CPU data, a thread's TLS).
    const at = 2 * (i.seg - FS);
    const base = { lo: index(this.env('FG'), num(at)), hi: index(this.env('FG'), num(at + 1)) };
    return { ...this.addQQ(base, off), halves: true };
  }

  protected memCache: Expr | undefined;
  private memLinCache: Lin | undefined;
  protected memCacheReset(): void {
    this.memCache = undefined;
    this.memLinCache = undefined;
  }

  /** The memory operand's address for a load or store through the TLB, computed once per instruction. */
  memLin(): Lin {
    this.memLinCache ??= this.memHalves() ?? this.memAddr();
    return this.memLinCache;
  }
  /** LOCK is valid only with a memory destination. */
  isMemForLock(): boolean {
    return this.ops.length > 0 && this.isMem(0);
  }
  /** The linear address of the memory operand, computed once per instruction. */
  memAddr(): Expr {
    const h = this.memLinCache;
    this.memCache ??= h !== undefined && isHalves(h) ? this.tmp(exactQ(h)) : this.memLinear();
    return this.memCache;
  }

  /** The value of operand `n` (zero-extended). */
  read(n: number): Expr {
    const o = this.ops[n]!;
    const w = this.width(n);
    switch (o.kind) {
      case 'E':
        if (this.i.mod === 3) return this.readReg(this.field('eReg'), w, this.field('eSh'));
        return this.load(this.memLin(), w);
      case 'M':
      case 'O':
        return this.load(this.memLin(), w);
      case 'G':
        return this.readReg(this.field('gReg'), w, this.field('gSh'));
      case 'R':
        return this.readReg(this.field('eReg'), w);
      case 'Z':
        return this.readReg(this.field('zReg'), w, this.field('zSh'));
      case 'reg':
        return this.readReg(num(o.reg), w);
      case 'I':
        return this.field(n === 0 || !this.ops.slice(0, n).some((p) => p.kind === 'I') ? 'imm' : 'imm2');
      case 'J':
        return this.field('imm');
      case 'one':
        return num(1);
      case 'seg':
        return zext(index(this.cpu('segSel'), num(o.reg)), 2);
    }
    throw new Error(`operand kind ${o.kind} is not a value`);
  }

  /** Stores `v` to operand `n` (truncated to its width). */
  write(n: number, v: Expr): void {
    const o = this.ops[n]!;
    const w = this.width(n);
    switch (o.kind) {
      case 'E':
        if (this.i.mod === 3) return this.writeReg(this.field('eReg'), w, v, this.field('eSh'));
        return this.store(this.memLin(), w, v);
      case 'M':
      case 'O':
        return this.store(this.memLin(), w, v);
      case 'G':
        return this.writeReg(this.field('gReg'), w, v, this.field('gSh'));
      case 'R':
        return this.writeReg(this.field('eReg'), w, v);
      case 'Z':
        return this.writeReg(this.field('zReg'), w, v, this.field('zSh'));
      case 'reg':
        return this.writeReg(num(o.reg), w, v);
    }
    throw new Error(`operand kind ${o.kind} is not writable`);
  }

  /** Operand `n` as a 64-bit value (64-bit operand size). */
  readQ(n: number): Q {
    const o = this.ops[n]!;
    switch (o.kind) {
      case 'E':
        if (this.i.mod === 3) return this.readRegQ(this.field('eReg'));
        return this.loadQ(this.memLin());
      case 'M':
      case 'O':
        return this.loadQ(this.memLin());
      case 'G':
        return this.readRegQ(this.field('gReg'));
      case 'R':
        return this.readRegQ(this.field('eReg'));
      case 'Z':
        return this.readRegQ(this.field('zReg'));
      case 'reg':
        return this.readRegQ(num(o.reg));
      case 'I': {
        const first = n === 0 || !this.ops.slice(0, n).some((p) => p.kind === 'I');
        if (!first) return { lo: this.field('imm2'), hi: num(0) };
        return { lo: this.field('imm'), hi: this.field('immHi') };
      }
    }
    throw new Error(`operand kind ${o.kind} has no 64-bit value`);
  }

  writeQ(n: number, q: Q): void {
    const o = this.ops[n]!;
    switch (o.kind) {
      case 'E':
        if (this.i.mod === 3) return this.writeRegQ(this.field('eReg'), q);
        return this.storeQ(this.memLin(), q);
      case 'M':
      case 'O':
        return this.storeQ(this.memLin(), q);
      case 'G':
        return this.writeRegQ(this.field('gReg'), q);
      case 'R':
        return this.writeRegQ(this.field('eReg'), q);
      case 'Z':
        return this.writeRegQ(this.field('zReg'), q);
      case 'reg':
        return this.writeRegQ(num(o.reg), q);
    }
    throw new Error(`operand kind ${o.kind} is not writable`);
  }

  /** Records a 64-bit flag-setting operation. */
  setFlagsQ(family: number, dst: Q, src: Q, src2?: Expr): void {
    const op = family + 3;
    this.emit(set(this.cc('ccOp'), num(op)));
    this.emit(set(this.cc('ccDst'), dst.lo));
    this.emit(set(this.cc('ccDstHi'), dst.hi));
    this.emit(set(this.cc('ccSrc'), src.lo));
    this.emit(set(this.cc('ccSrcHi'), src.hi));
    if (src2) this.emit(set(this.cc('ccSrc2'), src2));
    this.noteCcOp(op);
  }

  // ---- flags --------------------------------------------------------------------

  /**
   * Records a flag-setting operation: family + size, result, source, carry-in. A SUB (CMP) also
   * hands over its first operand, `minuend` (a value the code has computed: a temporary, a
   * constant), which a condition tested while this operation is the known one compares directly.
   */
  setFlags(family: number, width: number, dst: Expr, src: Expr, src2?: Expr, minuend?: Expr): void {
    const op = family + sizeIdx(width);
    this.emit(set(this.cc('ccOp'), num(op)));
    this.emit(set(this.cc('ccDst'), dst));
    this.emit(set(this.cc('ccSrc'), src));
    if (src2) this.emit(set(this.cc('ccSrc2'), src2));
    if (family === CC.SUB) this.noteMinuend(minuend ?? op2('+', dst, src));
    this.noteCcOp(op);
  }

  /**
   * Where a code generator keeps the first operand of each SUB (CMP) for the conditions that
   * follow it in the same code (`minuend()`); tier 1, one instruction per handler, keeps none.
   */
  protected noteMinuend(_a: Expr): void {}
  /** The first operand of the last SUB, when the generator keeps it (valid while a SUB is the known operation). */
  protected minuend(): Expr | undefined {
    return undefined;
  }

  /** Replaces the lazy state with materialised flags `f` (the six arithmetic bits). */
  setEflagsArith(f: Expr): void {
    this.emit(set(this.cc('ccSrc'), f));
    this.emit(set(this.cc('ccOp'), num(CC.EFLAGS)));
    this.noteCcOp(CC.EFLAGS);
  }

  private ccArgs(): Expr[] {
    return [this.cc('ccOp'), this.cc('ccDst'), this.cc('ccSrc'), this.cc('ccSrc2'), this.cc('ccDstHi'), this.cc('ccSrcHi')];
  }

  /** OSZAPC, materialised. */
  arith(): Expr {
    if (this.knownCcOp() === CC.EFLAGS) return op2('&', this.cc('ccSrc'), num(0x8d5));
    return this.tmp(call('computeArith', ...this.ccArgs()));
  }

  /** CF as 0 or 1. */
  carry(): Expr {
    const op = this.knownCcOp();
    if (op === CC.EFLAGS) return op2('&', this.cc('ccSrc'), num(1));
    if (op !== undefined && op >= CC.LOGIC && op < CC.LOGIC + 4) return num(0);
    return this.tmp(call('computeCarry', ...this.ccArgs()));
  }

  /**
   * The condition a Jcc, SETcc or CMOVcc tests (its opcode's low four bits): a constant in
   * compiled code; read from the instruction in tier 1, whose handler serves all sixteen opcodes.
   */
  testEntry(): Expr {
    if (this.isInterp) return call('testCond', ...this.ccArgs(), prop(prop('i', 'entry'), 'low'));
    return this.test(this.i.entry.low);
  }

  /** Whether condition code `ccode` (0-15) holds, as a boolean expression. */
  test(ccode: number): Expr {
    const op = this.knownCcOp();
    if (op !== undefined && (op & 3) === 3 && op < CC.CLR) {
      const base = ccode & ~1;
      const inv = (ccode & 1) !== 0;
      const dl = this.cc('ccDst');
      const dh = this.cc('ccDstHi');
      let c: Expr | undefined;
      if (base === 4) c = bin('===', op2('|', dl, dh), num(0));
      else if (base === 8 && op !== CC.EFLAGS) c = bin('<', dh, num(0));
      else if (op === CC.SUB + 3 || op === CC.LOGIC + 3) c = this.test64(op, base, dl, dh);
      if (c) return inv ? { k: 'un', op: '!', a: c } : c;
    }
    // (8-, 16- and 32-bit operations; the rest of the 64-bit ones go through testCond)
    if (op !== undefined && op >= CC.SUB && op < CC.SUB + 3) {
      const direct = subCondition(op - CC.SUB, ccode, this.cc('ccDst'), this.cc('ccSrc'), this.minuend());
      if (direct) return direct;
    }
    if (op !== undefined && op >= CC.LOGIC && op < CC.LOGIC + 3) {
      const direct = logicCondition(op - CC.LOGIC, ccode, this.cc('ccDst'));
      if (direct) return direct;
    }
    if (op !== undefined && op >= CC.MUL && op < CC.CLR && (op & 3) !== 3) {
      const direct = resultCondition(op & ~3, op & 3, ccode, this.cc('ccDst'), this.cc('ccSrc'));
      if (direct) return direct;
    }
    return call('testCond', ...this.ccArgs(), num(ccode));
  }

  /**
   * B, BE, L or LE (`base`) after a known 64-bit SUB (CMP) or logic operation, from the halves of
   * its result (`dl`, `dh`) and, for SUB, its subtrahend: the minuend is their sum.
   */
  private test64(op: number, base: number, dl: Expr, dh: Expr): Expr | undefined {
    const zero = () => bin('===', op2('|', dl, dh), num(0));
    if (op === CC.LOGIC + 3) {
      // CF and OF clear: B never holds, BE is E, L is S.
      if (base === 2) return bin('!==', num(0), num(0));
      if (base === 6) return zero();
      if (base === 12) return bin('<', dh, num(0));
      if (base === 14) return bin('||', zero(), bin('<', dh, num(0)));
      return undefined;
    }
    if (base !== 2 && base !== 6 && base !== 12 && base !== 14) return undefined;
    const sl = this.cc('ccSrc');
    const sh = this.cc('ccSrcHi');
    const al = this.tmp(i32(op2('+', dl, sl)));
    const ah = this.tmp(i32(op2('+', op2('+', dh, sh), cnd(ult(al, dl), num(1), num(0)))));
    // Minuend below subtrahend: unsigned for B and BE, signed (the high halves) for L and LE.
    const below = cnd(bin('===', ah, sh), ult(al, sl), base >= 12 ? bin('<', ah, sh) : ult(ah, sh));
    return base === 2 || base === 12 ? below : bin('||', below, zero());
  }

  // ---- stack ----------------------------------------------------------------------

  /** Stack pointer width (SS.B). */
  get ssize(): number {
    return this.hf & HF.SS32 ? 4 : 2;
  }

  /** Linear address of the stack pointer plus `off` bytes (`sp` is the pointer read once). */
  private stackAddr(sp: Expr | Q, off: number): Lin {
    if ('lo' in sp) return off === 0 ? { lo: sp.lo, hi: sp.hi, halves: true } : { ...this.addQ32(sp, num(off)), halves: true };
    const o = num(off);
    const a = this.ssize === 4 ? i32(op2('+', sp, o)) : op2('&', op2('+', sp, o), num(0xffff));
    return this.linear(SS, a);
  }

  /** The stack pointer as stackAddr() wants it: RSP in halves in 64-bit code, else ESP's int32. */
  private spValue(): Expr | Q {
    if (this.mode64) return { lo: this.tmp(this.reg(num(4))), hi: this.tmp(this.regHi(num(4))) };
    return this.tmp(this.reg(num(4)));
  }

  /** Pushes `vals` (each `width` bytes, 2 or 4) in order; the stack pointer is updated after all stores. */
  push(width: number, ...vals: Expr[]): void {
    const sp = this.spValue();
    let off = 0;
    for (const v of vals) {
      off -= width;
      this.store(this.stackAddr(sp, off), width, v);
    }
    this.adjustSp(off);
  }

  /** Pushes 64-bit values (64-bit code). */
  pushQ(...vals: Q[]): void {
    const sp = this.spValue();
    let off = 0;
    for (const v of vals) {
      off -= 8;
      this.storeQ(this.stackAddr(sp, off), v);
    }
    this.adjustSp(off);
  }

  /** Reads `count` values of `width` bytes (2 or 4) from the top of the stack (without popping). */
  peek(width: number, count = 1, skip = 0): Expr[] {
    const sp = this.spValue();
    const out: Expr[] = [];
    for (let n = 0; n < count; n++) out.push(this.load(this.stackAddr(sp, skip + n * width), width));
    return out;
  }

  peekQ(count = 1, skip = 0): Q[] {
    const sp = this.spValue();
    const out: Q[] = [];
    for (let n = 0; n < count; n++) out.push(this.loadQ(this.stackAddr(sp, skip + n * 8)));
    return out;
  }

  /** Adds `delta` (a small signed number or int32 expression) to the stack pointer at its width. */
  adjustSp(delta: Expr | number): void {
    const d = typeof delta === 'number' ? num(delta) : delta;
    if (this.mode64) {
      const q = this.addQ32(this.readRegQ(num(4)), d);
      this.writeRegQ(num(4), q);
      return;
    }
    this.setSp(op2('+', this.reg(num(4)), d));
  }

  setSp(v: Expr): void {
    if (this.mode64) throw new Error('64-bit stack pointer writes go through adjustSp/writeRegQ');
    if (this.ssize === 4) this.setReg(num(4), i32(v));
    else this.writeReg(num(4), 2, v);
  }

  /** The sum of two 64-bit values. */
  addQQ(a: Q, b: Q): Q {
    const alo = this.tmp(a.lo);
    const lo = this.tmp(i32(op2('+', alo, b.lo)));
    const carry = cnd(ult(lo, alo), num(1), num(0));
    return { lo, hi: this.tmp(i32(op2('+', op2('+', a.hi, b.hi), carry))) };
  }

  /** A 64-bit value shifted left by `s` (0-3: an index's scale). */
  shlQ(q: Q, s: number): Q {
    if (s === 0) return q;
    const lo = this.tmp(q.lo);
    return { lo: this.tmp(op2('<<', lo, num(s))), hi: this.tmp(op2('|', op2('<<', q.hi, num(s)), op2('>>>', lo, num(32 - s)))) };
  }

  /** A 64-bit value plus a sign-extended int32 `d`. */
  addQ32(q: Q, d: Expr): Q {
    if (d.k === 'num' && d.v === 0) return q;
    const lo0 = this.tmp(q.lo);
    const lo = this.tmp(i32(op2('+', lo0, d)));
    let adj: Expr;
    // Adding n > 0 carries when the sum's low half (unsigned) is below the one before, or below n
    // when n is a constant; adding -n borrows when the low half before is below the sum's, or
    // below n (compares with a constant fold its sign flip: ult).
    if (d.k !== 'num') adj = cnd(bin('<', d, num(0)), cnd(ult(lo0, lo), num(-1), num(0)), cnd(ult(lo, lo0), num(1), num(0)));
    else if (d.v < 0) adj = cnd(ult(lo0, num(-d.v)), num(-1), num(0));
    else adj = cnd(ult(lo, d), num(1), num(0));
    return { lo, hi: this.tmp(i32(op2('+', q.hi, adj))) };
  }

  /** Forgets the statically known flags operation (after code that sets flags conditionally). */
  forgetCc(): void {
    this.noteCcOp(undefined);
  }

  /**
   * Emits `body` where the masked shift or rotate count `cnt` is not 0 (flags change only then)
   * and `otherwise`, if given, where it is: at translation time for a constant count, else in
   * a branch, after which the flags' operation is no longer known statically.
   */
  whenCount(cnt: Expr, body: () => void, otherwise?: () => void): void {
    if (cnt.k === 'num') {
      if (cnt.v !== 0) body();
      else otherwise?.();
      return;
    }
    this.emit(ifs(bin('!==', cnt, num(0)), this.nest(body), otherwise && this.nest(otherwise)));
    this.forgetCc();
  }

  /**
   * ROL/ROR's C and O from the result (the other flags as they were): `hi` holds its top bit at
   * bit `top`, `lo` its bottom bit (QEMU gen_rot_rm_*).
   */
  setRotateFlags(right: boolean, hi: Expr, lo: Expr, top: number): void {
    const msb = op2('&', op2('>>>', hi, num(top)), num(1));
    const cf = right ? msb : op2('&', lo, num(1));
    const of = right ? op2('^', msb, op2('&', op2('>>>', hi, num(top - 1)), num(1))) : op2('^', msb, op2('&', lo, num(1)));
    const f = this.tmp(this.arith());
    this.setEflagsArith(op2('|', op2('|', op2('&', f, num(~(CF | OF))), cf), op2('<<', of, num(11))));
  }

  /** Added to ESP as a base register while computing an address (POP to memory). */
  espBias = 0;

  /**
   * A 16-bit value (selector, MSW) to an Ew destination the way SMSW, SLDT,
   * STR and MOV from a segment register store it: 16 bits to memory, the
   * whole operand size (zero-extended) to a register.
   */
  writeSelectorLike(v: Expr): void {
    if (this.isMem(0)) this.store(this.memLin(), 2, op2('&', v, num(0xffff)));
    else if (this.osize === 8) this.writeRegQ(this.field('eReg'), { lo: v, hi: num(0) });
    else this.writeReg(this.field('eReg'), this.osize, this.osize === 2 ? op2('&', v, num(0xffff)) : v);
  }

  /**
   * Flags after BT/BTS/BTR/BTC (QEMU 7.2): CF is the tested bit. When the
   * last operation keeps its result in ccDst (MUL to SAR families), ccDst is
   * left alone and the operation becomes a SAR of the same size, so ZF, SF
   * and PF stay what they were; otherwise the flags are materialised and CF
   * replaced.
   */
  btFlags(shifted: Expr): void {
    const op = this.knownCcOp();
    const sar = (opExpr: Expr) => {
      this.emit(set(this.cc('ccSrc'), shifted));
      this.emit(set(this.cc('ccOp'), opExpr));
    };
    const eflags = () => {
      const f = this.tmp(call('computeArith', ...this.ccArgs()));
      this.emit(set(this.cc('ccSrc'), op2('|', op2('&', f, num(~1)), op2('&', shifted, num(1)))));
      this.emit(set(this.cc('ccOp'), num(CC.EFLAGS)));
    };
    if (op !== undefined) {
      if (op >= CC.MUL && op < CC.BMILG && (op & 3) !== 3) {
        sar(num(CC.SAR + (op & 3)));
        this.noteCcOp(CC.SAR + (op & 3));
      } else {
        eflags();
        this.noteCcOp(CC.EFLAGS);
      }
      return;
    }
    const s = this.tmp(shifted);
    shifted = s;
    const ccOp = this.cc('ccOp');
    this.emit(
      ifs(
        bin('&&', bin('&&', bin('>=', ccOp, num(CC.MUL)), bin('<', ccOp, num(CC.BMILG))), bin('!==', op2('&', ccOp, num(3)), num(3))),
        this.nest(() => sar(op2('+', num(CC.SAR), op2('&', ccOp, num(3))))),
        this.nest(eflags),
      ),
    );
    this.noteCcOp(undefined);
  }

  /** Ends the block at `t` when `c` holds, else at `f`. */
  abstract branch(c: Expr, t: Expr, f: Expr): void;

  /** Ends the block at the next instruction. */
  fallthrough(): void {
    this.exit(this.field('next'));
  }

  /** Raises an exception now: `cpu.raise(vector, errorCode, k)`. */
  raise(vector: number, code = -1): void {
    this.emit(stmt(this.cpuCall('raise', num(vector), num(code))));
  }

  /** True when the row has attribute `a`. */
  has(a: number): boolean {
    return (this.i.entry.attrs & a) !== 0;
  }
}

function letInit(): Expr {
  return { k: 'num', v: 0 };
}

function un32(e: Expr): Expr {
  return e.k === 'num' ? num(~e.v) : { k: 'un', op: '~', a: e };
}

export function specWidth(o: OperandSpec, osize: number): number {
  switch (o.size) {
    case 'b':
      return 1;
    case 'w':
      return 2;
    case 'd':
      return 4;
    case 'q':
      return 8;
    case 'z':
      return osize === 2 ? 2 : 4;
    case 'y':
      return osize === 8 ? 8 : 4;
    case 'o':
      return 16;
    case 's':
    case 'v':
      return osize;
    default:
      return osize;
  }
}

export function sizeIdx(width: number): number {
  return width === 1 ? 0 : width === 2 ? 1 : width === 4 ? 2 : 3;
}

/** `e`'s low bits of an 8-, 16- or 32-bit operation (`size` 0-2), unsigned (a 32-bit value as it is). */
function narrow(size: number, e: Expr): Expr {
  return size === 2 ? e : op2('&', e, num(size === 0 ? 0xff : 0xffff));
}

/** `e`'s low bits of an 8-, 16- or 32-bit operation (`size` 0-2), sign-extended to an int32. */
function narrowSigned(size: number, e: Expr): Expr {
  const sh = 32 - [8, 16, 32][size]!;
  return size === 2 ? i32(e) : op2('>>', op2('<<', e, num(sh)), num(sh));
}

/** Condition `c` for an even condition code, negated for the odd one after it. */
function sense(ccode: number, c: Expr | undefined): Expr | undefined {
  return c && ccode & 1 ? { k: 'un', op: '!', a: c } : c;
}

/**
 * Condition `ccode` after a SUB (CMP) of `size` whose result is `dst` and second operand `src`.
 * With the first operand at hand (`minuend`) the comparison is direct; else it is `dst + src`.
 */
function subCondition(size: number, ccode: number, dst: Expr, src: Expr, minuend?: Expr): Expr | undefined {
  const a = () => narrow(size, minuend ?? op2('+', dst, src));
  switch (ccode & ~1) {
    case 4: // E
      return sense(ccode, bin('===', narrow(size, dst), num(0)));
    case 2: // B: a < b unsigned
      return sense(ccode, size === 2 ? ult(a(), src) : bin('<', a(), narrow(size, src)));
    case 6: // BE
      return sense(ccode, size === 2 ? ule(a(), src) : bin('<=', a(), narrow(size, src)));
    case 8: // S
      return sense(ccode, bin('<', narrowSigned(size, dst), num(0)));
    case 12: // L
      return sense(ccode, bin('<', narrowSigned(size, minuend ?? op2('+', dst, src)), narrowSigned(size, src)));
    case 14: // LE
      return sense(ccode, bin('<=', narrowSigned(size, minuend ?? op2('+', dst, src)), narrowSigned(size, src)));
  }
  return undefined;
}

/** Condition `ccode` after a logic operation (AND, OR, XOR, TEST) of `size`: CF and OF clear. */
function logicCondition(size: number, ccode: number, dst: Expr): Expr | undefined {
  const d = narrowSigned(size, dst);
  switch (ccode & ~1) {
    case 0:
    case 2:
      return sense(ccode, bin('!==', num(0), num(0)));
    case 4:
    case 6:
      return sense(ccode, bin('===', d, num(0)));
    case 8:
    case 12:
      return sense(ccode, bin('<', d, num(0)));
    case 14:
      return sense(ccode, bin('<=', d, num(0)));
  }
  return undefined;
}

/**
 * E and S after an 8-, 16- or 32-bit operation of `family` (any but SUB and logic, which have
 * their own): every one takes ZF and SF from its result; and B after an ADD, whose carry out
 * leaves the result below the operand added.
 */
function resultCondition(family: number, size: number, ccode: number, dst: Expr, src: Expr): Expr | undefined {
  switch (ccode & ~1) {
    case 4:
      return sense(ccode, bin('===', narrow(size, dst), num(0)));
    case 8:
      return sense(ccode, bin('<', narrowSigned(size, dst), num(0)));
    case 2:
      if (family !== CC.ADD) return undefined;
      return sense(ccode, size === 2 ? ult(dst, src) : bin('<', narrow(size, dst), narrow(size, src)));
  }
  return undefined;
}

/**
 * The high half of the 64-bit product of two values that fit in 32 bits (`a` and `b`, numbers
 * from -2^31 to 2^32 - 1), whose low half `lo` Math.imul gave exactly: the product's double is
 * within 2^12 of the exact product (below 2^64), so it less the low half is within 2^-20 of the
 * high half times 2^32, which rounding finds. A number, beyond int32 for a product from 2^63 up.
 */
export function productHigh(a: Expr, b: Expr, lo: Expr): Expr {
  return call(prop('Math', 'round'), op2('/', op2('-', op2('*', a, b), op2('>>>', lo, num(0))), num(2 ** 32)));
}

export { A, FS };
