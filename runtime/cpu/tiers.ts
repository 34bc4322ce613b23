/**
 * The two execution tiers.
 *
 * Tier 1 (`handlerFor`): a decoded instruction runs through a small
 * function compiled once per instruction *form* and shared by every
 * instruction of that form; a block is an array of decoded instructions
 * the dispatcher walks. Cheap to build, so code that runs once (most of a
 * BIOS) costs little.
 *
 * Tier 2 (`compileBlock`): a block that keeps running is compiled into one
 * JavaScript function with registers and lazy flags in locals, every field a
 * constant and conditions after a compare turned into direct comparisons.
 */
import { assign, bin, constv, i32, id, ifs, index, letv, method, num, printStmts, prop, ret, set, stmt, visitIds, type Expr, type Stmt } from './ast.js';
import { A, type Insn } from './decode.js';
import { computeArith, computeCarry, testCond } from './flags.js';
import { Gen, HELPER_NAMES, RUNTIME, type CcField, type RuntimeLocal } from './gen.js';
import * as H from './helpers.js';
import { SEMANTICS } from './sem.js';
import { SEMANTICS_64 } from './sem64.js';
import type { BlockInstr } from './plugins.js';

/** Mnemonics whose semantics read ModRM.reg (or rm) at translation time: their forms include it. */
const STATIC_REG = new Set(['movseg', 'movfromseg', 'movtocr', 'movfromcr', 'movtodr', 'movfromdr', 'lar', 'lsl', 'grp7reg', 'fpu']);
const STRING = new Set(['movs', 'cmps', 'stos', 'lods', 'scas', 'ins', 'outs']);

/** Everything generated code may reference besides `cpu` and `i`. */
const HELPERS: Record<string, unknown> = {
  testCond: (op: number, dst: number, src: number, src2: number, dh: number, sh: number, cc: number) => testCond({ ccOp: op, ccDst: dst, ccSrc: src, ccSrc2: src2, ccDstHi: dh, ccSrcHi: sh }, cc),
  computeArith: (op: number, dst: number, src: number, src2: number, dh: number, sh: number) => computeArith({ ccOp: op, ccDst: dst, ccSrc: src, ccSrc2: src2, ccDstHi: dh, ccSrcHi: sh }),
  computeCarry: (op: number, dst: number, src: number, src2: number, dh: number, sh: number) => computeCarry({ ccOp: op, ccDst: dst, ccSrc: src, ccSrc2: src2, ccDstHi: dh, ccSrcHi: sh }),
  Fault: undefined,
  OUT: H.OUT,
  wrap64: H.wrap64,
  shl64: H.shl64,
  shr64: H.shr64,
  sar64: H.sar64,
  rot64: H.rot64,
  mul64: H.mul64,
  div128: H.div128,
  imul64: H.imul64,
  bsf64: H.bsf64,
  bsr64: H.bsr64,
  rc64: H.rc64,
  mulu32: H.mulu32,
  muls32: H.muls32,
  divu64: H.divu64,
  divs64: H.divs64,
  shld: H.shld,
  shrd: H.shrd,
  rcl: H.rcl,
  rcr: H.rcr,
  bsf: H.bsf,
  bsr: H.bsr,
  bswap: H.bswap,
  daa: H.daa,
  das: H.das,
  aaa: H.aaa,
  aas: H.aas,
};
void HELPER_NAMES;
const HELPER_KEYS = Object.keys(HELPERS);
const HELPER_VALUES = HELPER_KEYS.map((k) => HELPERS[k]);

/** The prologue statements that bind the runtime locals generated code used. */
function envPrologue(used: ReadonlySet<RuntimeLocal>): Stmt[] {
  const src: Record<RuntimeLocal, Expr> = {
    R: prop('cpu', 'r'),
    RH: prop('cpu', 'rh'),
    SB: prop('cpu', 'segBase'),
    TR: prop('cpu', 'tlbR'),
    TW: prop('cpu', 'tlbW'),
    TT: prop('cpu', 'tlbRTag'),
    TTW: prop('cpu', 'tlbWTag'),
    M8: prop('cpu', 'm8'),
    M16: prop('cpu', 'm16'),
    M32: prop('cpu', 'm32'),
  };
  return RUNTIME.filter((n) => used.has(n)).map((n) => constv(n, src[n]));
}

// ---- tier 1 ------------------------------------------------------------------------

class InterpGen extends Gen {
  private known: number | undefined;
  constructor(i: Insn, hf: number) {
    super(i, hf, 't');
  }
  field(name: string): Expr {
    return prop('i', name);
  }
  reg(idx: Expr): Expr {
    return index(this.env('R'), idx);
  }
  setReg(idx: Expr, v: Expr): void {
    this.emit(set(index(this.env('R'), idx), v));
  }
  regHi(idx: Expr): Expr {
    return index(this.env('RH'), idx);
  }
  setRegHi(idx: Expr, v: Expr): void {
    this.emit(set(index(this.env('RH'), idx), v));
  }
  cc(name: CcField): Expr {
    return prop('cpu', name);
  }
  knownCcOp(): number | undefined {
    return this.known;
  }
  protected noteCcOp(op: number | undefined): void {
    this.known = op;
  }
  sync(): void {}
  reload(): void {}
  exit(target: Expr): void {
    this.emit(set(prop('cpu', 'eip'), target.k === 'num' && !this.mode64 ? num(target.v >>> 0) : target));
  }
  exitToCpuEip(): void {}
  branch(c: Expr, t: Expr, f: Expr): void {
    this.emit(ifs(c, [set(prop('cpu', 'eip'), t)], [set(prop('cpu', 'eip'), f)]));
  }
}

/** The key of an instruction's form: everything its tier-1 handler is specialised on. */
export function formKey(i: Insn, hf: number): string {
  const e = i.entry;
  let k = `${e.id}.${i.osize}${i.asize}.${hf & 0x367 /* CS32 SS32 PE ADDSEG VM86 LMA CS64 */}${i.lock ? 'L' : ''}`;
  if (e.modrm && i.mod !== 3) k += `m${i.seg}${i.base >= 0 ? (i.base === 4 ? 's' : 'b') : i.base === -2 ? 'r' : ''}${i.index >= 0 ? 'i' + i.scale : ''}`;
  else if (e.operands.some((o) => o.kind === 'O')) k += `o${i.seg}`;
  if (STATIC_REG.has(e.mnemonic)) k += `r${i.reg}.${i.rm}.${e.mnemonic === 'fpu' ? i.modrm : ''}${i.mod === 3 ? 'R' : ''}`;
  if (STRING.has(e.mnemonic)) k += `s${i.segOvr}${i.rep}`;
  if (e.mnemonic === 'xlat') k += `x${i.seg}`;
  return k;
}

const handlers = new Map<string, (cpu: unknown, i: Insn) => void>();

/** The tier-1 handler for an instruction (compiled on first use of its form); `memHooks` for plugin-watched instructions. */
export function handlerFor(i: Insn, hf: number, memHooks = false): (cpu: unknown, i: Insn) => void {
  const key = formKey(i, hf) + (memHooks ? 'M' : '');
  let h = handlers.get(key);
  if (!h) {
    const g = new InterpGen(i, hf);
    g.memHooks = memHooks;
    generate(g);
    const body = [...envPrologue(g.usedEnv), ...g.out];
    const src = printStmts(body, '  ');
    h = new Function(...HELPER_KEYS, `return function ${fnName(i)}(cpu, i) {\n${src}};`)(...HELPER_VALUES) as (cpu: unknown, i: Insn) => void;
    handlers.set(key, h);
  }
  return h;
}

export function handlerCount(): number {
  return handlers.size;
}

function fnName(i: Insn): string {
  return `x86_${i.entry.mnemonic}`;
}

/** Runs an instruction's semantics into a generator, checking privilege and LOCK rules first. */
function generate(g: Gen): void {
  const e = g.i.entry;
  if (g.i.lock && !(e.attrs & A.lock && g.isMemForLock())) {
    g.raise(6);
    g.exitToCpuEip();
    return;
  }
  if (e.attrs & A.priv) g.emit(ifs(assignlessCplCheck(), [stmt(g.cpuCall('raise', num(13), num(0)))]));
  // 64-bit operands take the 64-bit semantics; so does LEA with 64-bit addressing, whose sum is data, exact to the bit.
  const wide = g.osize === 8 || (g.asize === 8 && e.mnemonic === 'lea');
  const sem = (wide ? SEMANTICS_64[e.mnemonic] : undefined) ?? SEMANTICS[e.mnemonic];
  if (!sem) throw new Error(`no semantics for ${e.mnemonic}`);
  sem(g);
}

function assignlessCplCheck(): Expr {
  return { k: 'bin', op: '!==', a: prop('cpu', 'cpl'), b: num(0) };
}

// ---- tier 2 ------------------------------------------------------------------------

const CC_FIELDS: readonly CcField[] = ['ccOp', 'ccDst', 'ccSrc', 'ccSrc2', 'ccDstHi', 'ccSrcHi'];

class JitGen extends Gen {
  private known: number | undefined = undefined;
  readonly dirty = new Set<number>();
  readonly dirtyHi = new Set<number>();
  /** From a first pass: every register any member writes (exits write them all back). */
  forcedDirty: ReadonlySet<number> = new Set();
  forcedDirtyHi: ReadonlySet<number> = new Set();
  ccDirty = false;
  forcedCcDirty = false;
  /** From a first pass: the flag fields the block assigns (the others never need writing back). */
  ccWritten: readonly CcField[] | undefined = undefined;
  k = 0;
  /** Region members by their first instruction's EIP: an exit to one continues inside the function. */
  members = new Map<number, number>();
  /** The member being generated. */
  current_ = 0;
  looped = false;
  /** Members that branch to themselves (their body is wrapped in a loop of its own). */
  readonly selfLoops = new Set<number>();
  constructor(i: Insn, hf: number, readonly block: { exits: number; count: number }) {
    super(i, hf, 'v');
  }
  /** Moves on to the next instruction of the block (keeps temporaries numbered apart). */
  next(i: Insn, k: number): void {
    (this as { i: Insn }).i = i;
    this.k = k;
    this.memCacheReset();
  }
  /** Starts a region member: nothing is known about the flags on entry. */
  startMember(): void {
    this.known = undefined;
  }
  field(name: string): Expr {
    if (name === 'k') return num(this.k);
    const v = (this.i as unknown as Record<string, number>)[name]!;
    return num(v);
  }
  reg(idx: Expr): Expr {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    return id(`r${idx.v}`);
  }
  setReg(idx: Expr, v: Expr): void {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    this.dirty.add(idx.v);
    this.emit(set(id(`r${idx.v}`), v));
  }
  regHi(idx: Expr): Expr {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    return id(`h${idx.v}`);
  }
  setRegHi(idx: Expr, v: Expr): void {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    this.dirtyHi.add(idx.v);
    this.emit(set(id(`h${idx.v}`), v));
  }
  cc(name: CcField): Expr {
    return id(name);
  }
  knownCcOp(): number | undefined {
    return this.known;
  }
  protected noteCcOp(op: number | undefined): void {
    this.known = op;
    this.ccDirty = true;
  }
  private writeBackAll(): void {
    for (const r of union(this.dirty, this.forcedDirty)) this.emit(set(index(this.env('R'), num(r)), id(`r${r}`)));
    for (const r of union(this.dirtyHi, this.forcedDirtyHi)) this.emit(set(index(this.env('RH'), num(r)), id(`h${r}`)));
    if (this.ccDirty || this.forcedCcDirty) for (const f of this.ccWritten ?? CC_FIELDS) this.emit(set(prop('cpu', f), id(f)));
  }
  sync(): void {
    this.writeBackAll();
  }
  reload(): void {
    for (let r = 0; r < this.nregs; r++) this.emit(set(id(`r${r}`), index(this.env('R'), num(r))));
    if (this.lma) for (let r = 0; r < this.nregs; r++) this.emit(set(id(`h${r}`), index(this.env('RH'), num(r))));
    for (const f of CC_FIELDS) this.emit(set(id(f), prop('cpu', f)));
    this.ccDirty = true;
  }
  /** Some state call is guarded: the function keeps `sy`, set when one raised. */
  guarded = false;
  protected override guardStateCall(call: Stmt): Stmt {
    this.guarded = true;
    return { k: 'try', body: [call], param: 'e', handler: [set(id('sy'), num(1)), { k: 'throw', e: id('e') }] };
  }
  /** Registers the block keeps in locals: 16 in long mode, 8 otherwise. */
  get nregs(): number {
    return this.lma ? 16 : 8;
  }
  /** Write-back, count, and leave with exit number `n` (or -1: no chaining). */
  private leave(eip: Expr | undefined, chain: boolean, counted = false): void {
    this.writeBackAll();
    if (eip) this.emit(set(prop('cpu', 'eip'), eip.k === 'num' && !this.mode64 ? num(eip.v >>> 0) : eip));
    this.emit(stmt(assign(prop('cpu', 'icount'), counted ? id('ic') : bin('+', id('ic'), num(this.k + 1)), '+=')));
    this.emit(ret(num(chain ? this.block.exits++ : -1)));
  }
  exit(target: Expr): void {
    const t = target.k === 'num' ? (this.mode64 ? target.v : target.v >>> 0) : undefined;
    const j = t === undefined ? undefined : this.members.get(t);
    if (j !== undefined) {
      // To a block of this region: go on inside the function while the budget lasts, nothing is pending and the block is still valid.
      this.looped = true;
      this.emit(set(id('ic'), bin('+', id('ic'), num(this.k + 1))));
      // (only while a whole pass fits in the run's budget: the budget ends on an instruction, not after it)
      let go: Expr = bin('&&', bin('<=', id('ic'), bin('-', id('lim'), num(this.block.count))), { k: 'un', op: '!', a: prop('cpu', 'pendingCheck') });
      // Round its own loop (the only member): a running block is valid unless a write restarts it.
      this.selfLoops.add(j);
      this.emit(ifs(go, [{ k: 'continue', label: `M${j}` }]));
      this.leave(target, true, true);
      return;
    }
    this.leave(target, target.k === 'num');
  }
  exitToCpuEip(): void {
    this.leave(undefined, false);
  }
  branch(c: Expr, t: Expr, f: Expr): void {
    const thenS = this.nest(() => this.exit(t));
    const elseS = this.nest(() => this.exit(f));
    this.emit(ifs(c, thenS, elseS));
  }
}

/** Flag fields a generated body assigns (as locals, not as `cpu.` properties). */
function assignedCcFields(bodies: readonly Stmt[][]): CcField[] {
  const assigned = new Set<string>();
  for (const b of bodies) visitIds(b, (name, isTarget) => void (isTarget && assigned.add(name)));
  return CC_FIELDS.filter((f) => assigned.has(f));
}

/** Register and flag locals (`r3`, `h3`, `ccDst`...) the statements name, read or written. */
function usedLocals(body: readonly Stmt[]): Set<string> {
  const used = new Set<string>();
  visitIds(body, (name) => {
    if (/^[rh]\d+$/.test(name) || (CC_FIELDS as readonly string[]).includes(name)) used.add(name);
  });
  return used;
}

function union<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  const u = new Set(a);
  for (const x of b) u.add(x);
  return u;
}

export interface CompiledBlock {
  readonly fn: (cpu: unknown) => number;
  /** Static targets of the chaining exits, by exit number. */
  readonly targets: number[];
  readonly source: string;
}

/** A block of a region: its decoded instructions and the object whose `valid` the code checks. */
export interface RegionMember {
  readonly insns: readonly Insn[];
  readonly valid: boolean;
}

/**
 * Compiles a block (tier 2) into one function whose locals hold registers
 * and flags; a branch back to its start loops inside the function. (Taking
 * the hot blocks a block branches to into the same function, as a `switch`
 * in a loop, measured slower on V8 than chaining single-block functions,
 * so blocks are compiled one by one.) Plugin instrumentation is inlined.
 */
export function compileBlock(insns: readonly Insn[], hf: number, name: string, instr?: BlockInstr): CompiledBlock {
  const members: RegionMember[] = [{ insns, valid: true }];
  // First pass: which registers and flags any member writes, so every exit writes them all back.
  const first = generateRegion(members, hf, instr, new Set(), new Set(), false);
  const ccWritten = assignedCcFields(first.bodies);
  const g = generateRegion(members, hf, instr, union(first.g.dirty, new Set()), union(first.g.dirtyHi, new Set()), first.g.ccDirty, ccWritten);
  const stateWriteBack: Stmt[] = [
    ...[...g.g.dirty].map((r) => set(index('R', num(r)), id(`r${r}`))),
    ...[...g.g.dirtyHi].map((r) => set(index('RH', num(r)), id(`h${r}`))),
    ...ccWritten.map((f) => set(prop('cpu', f), id(f))),
  ];
  const writeBack: Stmt[] = [...stateWriteBack, stmt(assign(prop('cpu', 'icount'), id('ic'), '+='))];
  // On a fault, the locals go back to the CPU object, unless a state call raised: the
  // locals were synced before it, and what it left in the CPU object is the state to keep.
  const faultWriteBack: Stmt[] = g.g.guarded
    ? [ifs(bin('===', id('sy'), num(0)), stateWriteBack), stmt(assign(prop('cpu', 'icount'), id('ic'), '+='))]
    : writeBack;
  // Locals are loaded only for the registers and flag fields the code names: a block
  // touching three registers does not pay for loading all sixteen (and their high halves).
  const used = usedLocals([...g.bodies[0]!, ...writeBack]);
  const regs = Array.from({ length: g.g.nregs }, (_, r) => r);
  const prologue: Stmt[] = [
    ...envPrologue(new Set<RuntimeLocal>(['R', ...(g.g.lma ? (['RH'] as const) : []), ...g.g.usedEnv])),
    ...regs.filter((r) => used.has(`r${r}`)).map((r) => letv(`r${r}`, index('R', num(r)))),
    ...(g.g.lma ? regs.filter((r) => used.has(`h${r}`)).map((r) => letv(`h${r}`, index('RH', num(r)))) : []),
    ...CC_FIELDS.filter((f) => used.has(f)).map((f) => letv(f, prop('cpu', f))),
    letv('ic', num(0)),
    ...(g.g.guarded ? [letv('sy', num(0))] : []),
  ];
  if (g.g.looped) prologue.push(constv('lim', bin('-', prop('cpu', 'runEnd'), prop('cpu', 'icount'))));
  const main: Stmt[] = g.g.selfLoops.has(0) ? [{ k: 'loop', label: 'M0', body: g.bodies[0]! }] : g.bodies[0]!;
  const body: Stmt[] = [...prologue, { k: 'try', body: main, param: 'e', handler: [...faultWriteBack, { k: 'throw', e: id('e') }] }];
  const src = printStmts(body, '  ');
  const counterNames = g.counters.map((_, n) => `PC${n}`);
  const fn = new Function(...HELPER_KEYS, ...counterNames, `return function ${name}(cpu) {\n${src}};`)(...HELPER_VALUES, ...g.counters) as (cpu: unknown) => number;
  return { fn, targets: g.targets, source: src };
}

function generateRegion(
  members: readonly RegionMember[],
  hf: number,
  instr: BlockInstr | undefined,
  forcedDirty: ReadonlySet<number>,
  forcedDirtyHi: ReadonlySet<number>,
  forcedCc: boolean,
  ccWritten?: readonly CcField[],
): { g: JitGen; bodies: Stmt[][]; targets: number[]; counters: Float64Array[] } {
  const meta = { exits: 0, count: members[0]!.insns.length };
  const g = new JitGen(members[0]!.insns[0]!, hf, meta);
  g.forcedDirty = forcedDirty;
  g.forcedDirtyHi = forcedDirtyHi;
  g.forcedCcDirty = forcedCc;
  g.ccWritten = ccWritten;
  members.forEach((m, j) => {
    const e = m.insns[0]!.eip;
    g.members.set(g.mode64 ? e : e >>> 0, j);
  });
  const targets: number[] = [];
  const origExit = g.exit.bind(g);
  g.exit = (t: Expr) => {
    if (t.k === 'num') targets.push(g.mode64 ? t.v : t.v >>> 0);
    origExit(t);
  };
  // Inline counters become adds on Float64Arrays bound to the function.
  const counters: Float64Array[] = [];
  const counterRef = (values: Float64Array): Expr => {
    let n = counters.indexOf(values);
    if (n < 0) n = counters.push(values) - 1;
    return id(`PC${n}`);
  };
  const inlineAdds = (list: readonly { values: Float64Array; slot: number; n: number }[]) => {
    for (const c of list) g.emit(stmt(assign(index(counterRef(c.values), num(c.slot)), num(c.n), '+=')));
  };
  const bodies: Stmt[][] = [];
  for (const [j, m] of members.entries()) {
    const insns = m.insns;
    g.current_ = j;
    bodies.push(
      g.nest(() => {
        g.startMember();
        if (instr) {
          inlineAdds(instr.inline);
          if (instr.exec.length) {
            g.sync();
            g.emit(stmt(method('cpu', 'pluginBlock')));
          }
        }
        let ended = false;
        for (let k = 0; k < insns.length; k++) {
          const i = insns[k]!;
          g.next(i, k);
          const slot = instr?.insns[k];
          if (slot) {
            inlineAdds(slot.inline);
            if (slot.exec.length) {
              g.sync();
              g.emit(set(prop('cpu', 'eip'), num(i.eip >>> 0)));
              g.emit(stmt(method('cpu', 'pluginInsn', num(k))));
              if (slot.exec.some((e) => e.write)) g.reload();
            }
            g.memHooks = slot.mem.length > 0;
          }
          generate(g);
          const e = i.entry;
          if (e.attrs & (A.branch | A.end) || k === insns.length - 1) {
            if (!(e.attrs & A.branch) && !endsItself(g)) g.exit(num(i.next));
            ended = true;
            break;
          }
        }
        if (!ended) throw new Error('block without an end');
      }),
    );
  }
  return { g, bodies, targets, counters };
}

/** Whether the last instruction generated already left the block (a state branch). */
function endsItself(g: JitGen): boolean {
  const cur = g.current();
  const last = cur[cur.length - 1];
  return last?.k === 'return' || (last?.k === 'if' && last.then[last.then.length - 1]?.k === 'return' && last.else?.[last.else.length - 1]?.k === 'return');
}

export { i32 };
