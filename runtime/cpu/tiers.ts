/**
 * The two execution tiers.
 *
 * Tier 1 (`setHandlers`): a decoded instruction runs through a small
 * function compiled once per instruction *form* and shared by every
 * instruction of that form; a block is an array of decoded instructions
 * the dispatcher walks. Cheap to build, so code that runs once (most of a
 * BIOS) costs little.
 *
 * Tier 2 (`compileBlock`): a block that keeps running is compiled into one
 * JavaScript function with registers and lazy flags in locals, every field a
 * constant and conditions after a compare turned into direct comparisons.
 */
import { assign, bin, cond, constv, i32, id, ifs, index, intId, letv, lit, mapCalls, num, printStmts, prop, ret, seq, set, stmt, visitIds, type Expr, type Stmt } from './ast.js';
import { A, TABLES, type Handler, type Insn } from './decode.js';
import { arithOf, carryOf, condOf } from './flags.js';
import { Gen, HELPER_NAMES, RUNTIME, type CcField, type RuntimeLocal } from './gen.js';
import * as H from './helpers.js';
import { SEMANTICS } from './sem.js';
import { SEMANTICS_64 } from './sem64.js';
import type { BlockInstr } from './plugins.js';
import { CC_SLOT } from './state.js';
import type { StoredHandler, TranslationStore } from './store.js';

/** Mnemonics whose semantics read ModRM.reg (or rm) at translation time: their forms include it. */
const STATIC_REG = new Set(['movseg', 'movfromseg', 'movtocr', 'movfromcr', 'movtodr', 'movfromdr', 'lar', 'lsl', 'grp7reg', 'fpu']);
const STRING = new Set(['movs', 'cmps', 'stos', 'lods', 'scas', 'ins', 'outs']);

/** Everything generated code may reference besides `cpu` and `i`. */
const HELPERS: Record<string, unknown> = {
  testCond: condOf,
  computeArith: arithOf,
  computeCarry: carryOf,
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
/** The names generated functions have the helpers by, and the helpers (the translation store's scripts bind them too). */
export const HELPER_KEYS = Object.keys(HELPERS);
export const HELPER_VALUES = HELPER_KEYS.map((k) => HELPERS[k]);

/** The prologue statements that bind the runtime locals generated code used. */
function envPrologue(used: ReadonlySet<RuntimeLocal>): Stmt[] {
  const src: Record<RuntimeLocal, Expr> = {
    R: prop('cpu', 'r'),
    RH: prop('cpu', 'rh'),
    CC: prop('cpu', 'cc'),
    SB: prop('cpu', 'segBase'),
    FG: prop('cpu', 'fsGsHalves'),
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
    return index(this.env('CC'), num(CC_SLOT[name]));
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

/** What besides its sizes, mode and memory operand an entry's forms are specialised on (by entry id). */
const FORM_MOFFS = 1;
const FORM_STATIC_REG = 2;
const FORM_STRING = 4;
const FORM_XLAT = 8;
const FORM_FPU = 16;
/** Every entry the decoder returns is in the table (its id is its index there). */
const FORM_KIND = Uint8Array.from(TABLES.entries, (e) =>
  (e.operands.some((o) => o.kind === 'O') ? FORM_MOFFS : 0) |
  (STATIC_REG.has(e.mnemonic) ? FORM_STATIC_REG : 0) |
  (STRING.has(e.mnemonic) ? FORM_STRING : 0) |
  (e.mnemonic === 'xlat' ? FORM_XLAT : 0) |
  (e.mnemonic === 'fpu' ? FORM_FPU : 0),
);

/**
 * The entry whose handlers serve an entry's: the first of its row for the eight opcodes of a
 * `+r` row (the register is the instruction's `zReg`) and the sixteen of a `+cc` row (tier 1
 * reads the condition from the instruction, Gen.testEntry), the entry itself otherwise.
 */
const FORM_ENTRY = Uint16Array.from(TABLES.entries, (e) => (e.plusR || e.opcode.endsWith('+cc') ? e.id - e.low : e.id));

/** The key of an instruction's form: everything its tier-1 handler is specialised on. */
export function formKey(i: Insn, hf: number): string {
  const e = i.entry;
  const kind = FORM_KIND[e.id]!;
  let k = `${FORM_ENTRY[e.id]}.${i.osize}${i.asize}.${hf & 0x367 /* CS32 SS32 PE ADDSEG VM86 LMA CS64 */}${i.lock ? 'L' : ''}`;
  if (e.modrm && i.mod !== 3) k += `m${i.seg}${i.base >= 0 ? (i.base === 4 ? 's' : 'b') : i.base === -2 ? 'r' : ''}${i.index >= 0 ? 'i' + i.scale : ''}`;
  else if (kind & FORM_MOFFS) k += `o${i.seg}`;
  if (kind & FORM_STATIC_REG) k += `r${i.reg}.${i.rm}.${kind & FORM_FPU ? i.modrm : ''}${i.mod === 3 ? 'R' : ''}`;
  if (kind & FORM_STRING) k += `s${i.segOvr}${i.rep}`;
  if (kind & FORM_XLAT) k += `x${i.seg}`;
  return k;
}

const handlers = new Map<string, Handler>();
/** Scripts compiled for tier-1 handlers (one per block that brought new forms). */
let handlerScripts = 0;

/**
 * The tier-1 handler for an instruction, which it also gets as `i.h` (compiled on first use of
 * its form, or taken from `store`, which also keeps the forms this run used); `memHooks` for
 * plugin-watched instructions.
 */
export function handlerFor(i: Insn, hf: number, memHooks = false, store?: TranslationStore): Handler {
  setHandlers([i], hf, memHooks, store);
  return i.h!;
}

/**
 * Gives each of a block's instructions `insns` its tier-1 handler (`i.h`), the forms no earlier
 * block used compiled together: one `new Function` for the block instead of one per form (each
 * costs V8 a script of its own; SeaBIOS's boot makes about 500 forms).
 */
export function setHandlers(insns: readonly Insn[], hf: number, memHooks = false, store?: TranslationStore): void {
  const keys: string[] = [];
  let fresh: { key: string; i: Insn }[] | undefined;
  for (const i of insns) {
    const key = formKey(i, hf) + (memHooks ? 'M' : '');
    keys.push(key);
    if (handlers.has(key)) continue;
    const stored = store?.handler(key) as Handler | undefined;
    if (stored) handlers.set(key, stored);
    else if (!fresh?.some((f) => f.key === key)) (fresh ??= []).push({ key, i });
  }
  if (fresh) {
    const made = generateHandlers(fresh.map((f) => f.i), hf, memHooks);
    for (let n = 0; n < fresh.length; n++) handlers.set(fresh[n]!.key, made[n]!);
  }
  for (let n = 0; n < insns.length; n++) {
    const h = handlers.get(keys[n]!)!;
    insns[n]!.h = h;
    store?.addHandler(keys[n]!, h as StoredHandler);
  }
}

/** Handlers for the forms of `insns`, compiled in one script. */
function generateHandlers(insns: readonly Insn[], hf: number, memHooks: boolean): Handler[] {
  let list = '';
  for (const i of insns) {
    const g = new InterpGen(i, hf);
    g.memHooks = memHooks;
    generate(g);
    const body = [...envPrologue(g.usedEnv), ...g.out];
    // (In parentheses, V8 compiles the function at once instead of scanning it now and parsing it
    // again at its first call: a third less time for a tier-2 function.)
    list += `(function ${fnName(i)}(cpu, i) {\n${printStmts(body, '  ')}}),\n`;
  }
  handlerScripts++;
  return new Function(...HELPER_KEYS, `return [\n${list}];`)(...HELPER_VALUES) as Handler[];
}

/** The tier-1 handler forms this process has, and the scripts that compiled them. */
export function handlerStats(): { forms: number; scripts: number } {
  return { forms: handlers.size, scripts: handlerScripts };
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

const CC_FIELDS = Object.keys(CC_SLOT) as readonly CcField[];
/**
 * `cpu.icRel = ic`: a compiled function's instruction count handed to the CPU (JitGen.cpuMethod).
 * Compiled code counts relative to the run's start (`icRel`, a small integer; state.ts).
 */
const PUBLISH_COUNT = assign(prop('cpu', 'icRel'), id('ic'));

class JitGen extends Gen {
  private known: number | undefined = undefined;
  readonly dirty = new Set<number>();
  readonly dirtyHi = new Set<number>();
  ccDirty = false;
  /**
   * The write-backs of the locals emitted so far (before state calls and in the exits' tail),
   * each holding what was dirty where it stands. A loop may come back to one after code further
   * on wrote more: completeWriteBacks widens them once the whole function is generated.
   */
  private readonly writeBacks: { readonly body: Stmt[]; readonly dirty: ReadonlySet<number>; readonly dirtyHi: ReadonlySet<number>; readonly cc: boolean }[] = [];
  k = 0;
  /** The blocks whose code the function holds, the compiled block first; a fault's index says which (`k` + 64 x member). */
  readonly region: RegionMember[] = [];
  /** The member being generated (its index in `region`). */
  member = 0;
  /**
   * The members from the compiled block down to the one being generated, each a labeled loop an
   * exit to its start continues (a loop in the guest's code stays inside the function).
   */
  readonly path: { readonly eip: number; readonly label: string; readonly count: number; used: boolean }[] = [];
  /** The blocks an exit may go on into (decided by the dispatcher), and how many instructions may still be taken in. */
  inliner: ((eip: number) => RegionMember | undefined) | undefined = undefined;
  inlineBudget = 0;
  private labels = 0;
  looped = false;
  /** Static targets of the chaining exits, by exit number. */
  readonly targets: number[] = [];
  constructor(i: Insn, hf: number, readonly block: { exits: number }) {
    super(i, hf, 'v');
  }
  /** A new label for a member's loop. */
  label(): string {
    return `M${this.labels++}`;
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
    if (name === 'k') return num(this.member * 64 + this.k);
    const v = (this.i as unknown as Record<string, number>)[name]!;
    return num(v);
  }
  reg(idx: Expr): Expr {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    return intId(`r${idx.v}`);
  }
  setReg(idx: Expr, v: Expr): void {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    this.dirty.add(idx.v);
    this.emit(set(id(`r${idx.v}`), v));
  }
  regHi(idx: Expr): Expr {
    if (idx.k !== 'num') throw new Error('JIT register index must be constant');
    return intId(`h${idx.v}`);
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
  /** The first operand of each SUB (CMP) goes to the local `ccA`, for the conditions after it. */
  protected override noteMinuend(a: Expr): void {
    this.emit(set(id('ccA'), i32(a)));
  }
  protected override minuend(): Expr | undefined {
    return intId('ccA');
  }
  private writeBackAll(): void {
    const site = { body: [] as Stmt[], dirty: new Set(this.dirty), dirtyHi: new Set(this.dirtyHi), cc: this.ccDirty };
    this.fillWriteBack(site.body, site.dirty, site.dirtyHi, site.cc ? CC_FIELDS : []);
    this.writeBacks.push(site);
    this.emit({ k: 'group', body: site.body });
  }
  private fillWriteBack(body: Stmt[], regs: Iterable<number>, his: Iterable<number>, cc: readonly CcField[]): void {
    body.length = 0;
    for (const r of regs) body.push(set(index(this.env('R'), num(r)), id(`r${r}`)));
    for (const r of his) body.push(set(index(this.env('RH'), num(r)), id(`h${r}`)));
    for (const f of cc) body.push(set(index(this.env('CC'), num(CC_SLOT[f])), id(f)));
  }
  /**
   * Once the function is generated: every write-back stores every register any member writes,
   * and the flag fields in `ccWritten` (the ones the code assigns) if any member sets flags.
   */
  completeWriteBacks(ccWritten: readonly CcField[]): void {
    for (const w of this.writeBacks) {
      this.fillWriteBack(w.body, union(w.dirty, this.dirty), union(w.dirtyHi, this.dirtyHi), w.cc || this.ccDirty ? ccWritten : []);
    }
  }
  sync(): void {
    this.writeBackAll();
  }
  reload(): void {
    this.emit(set(id('ic'), prop('cpu', 'icRel')));
    for (let r = 0; r < this.nregs; r++) this.emit(set(id(`r${r}`), index(this.env('R'), num(r))));
    if (this.lma) for (let r = 0; r < this.nregs; r++) this.emit(set(id(`h${r}`), index(this.env('RH'), num(r))));
    for (const f of CC_FIELDS) this.emit(set(id(f), index(this.env('CC'), num(CC_SLOT[f]))));
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
  /**
   * The instruction count lives in the local `ic` while the function runs (a store to the CPU
   * object at every pass round a loop was a tenth of a tight loop's time). It is exact at the
   * start of each member, and goes to the CPU (`cpu.icRel`, PUBLISH_COUNT) with every call into
   * it, whose devices read the clock there (`icount` plus the instruction's index), and at every
   * way out.
   */
  override cpuMethod(name: string, ...args: Expr[]): Expr {
    return seq(PUBLISH_COUNT, super.cpuMethod(name, ...args));
  }
  /**
   * Leaves with exit number `n` (or -1: no chaining) for EIP `eip` (or the EIP a helper set).
   * Every exit goes through one tail after the function's body (`break X`), which writes the
   * locals back, sets EIP and counts: the exits themselves only set three locals, so an exit
   * first taken after V8 optimized the function finds the tail's stores already warm.
   */
  private leave(eip: Expr | undefined, chain: boolean, counted = false): void {
    this.emit(set(id('ne'), eip ? (eip.k === 'num' && !this.mode64 ? num(eip.v >>> 0) : eip) : prop('cpu', 'eip')));
    this.emit(set(id('kk'), num(counted ? 0 : this.k + 1)));
    if (chain && eip?.k === 'num') this.targets.push(this.mode64 ? eip.v : eip.v >>> 0);
    this.emit(set(id('ex'), num(chain ? this.block.exits++ : -1)));
    this.emit({ k: 'break', label: 'X' });
  }
  /** The exits' common tail. */
  tail(): void {
    this.writeBackAll();
    this.emit(set(prop('cpu', 'eip'), id('ne')));
    this.emit(set(prop('cpu', 'icRel'), bin('+', id('ic'), id('kk'))));
    this.emit(ret(id('ex')));
  }
  /**
   * Counts the member just passed (the instructions up to this exit) into `ic`, so that the
   * count is exact at the start of every member.
   */
  private countPassed(): void {
    // (`| 0`: int32 arithmetic, which V8 compiles without an overflow check; a run covers at
    // most 2^30 instructions, `Cpu.run`, so nothing wraps.)
    this.emit(set(id('ic'), bin('|', bin('+', id('ic'), num(this.k + 1)), num(0))));
  }
  /**
   * Whether the run may go on into a member of `count` instructions inside the function: a whole
   * pass fits in the run's budget (the budget ends on an instruction, not after it), nothing is
   * pending (as between blocks: `lim` is lowered when a call out of the function leaves
   * `pendingCheck` set, see `watchPending`) and the mode the code was compiled for still holds. A
   * member is valid while the function runs: a write into one restarts the writing instruction.
   *
   * Only an instruction that ends its block (`end`: a segment load, a control register or EFLAGS
   * write, a far transfer) can change the mode; every other one keeps it, so after a plain branch
   * or a block cut for length the mode needs no check (a branch back round a loop was a tenth of
   * a tight loop's time with it). Events that change it from outside (interrupts, SMIs, INIT)
   * are delivered by the dispatcher, which `pendingCheck` sends the run back to.
   */
  private goOn(count: number): Expr {
    const go = bin('<=', id('ic'), bin('|', bin('-', id('lim'), num(count)), num(0)));
    return this.i.entry.attrs & A.end ? bin('&&', go, bin('===', prop('cpu', 'hflags'), num(this.hf))) : go;
  }
  exit(target: Expr): void {
    const t = target.k === 'num' ? (this.mode64 ? target.v : target.v >>> 0) : undefined;
    if (t === undefined) return this.leave(target, false);
    let at: (typeof this.path)[number] | undefined;
    for (let n = this.path.length - 1; n >= 0 && !at; n--) if (this.path[n]!.eip === t) at = this.path[n];
    if (at) {
      // Back to a member on the way here: round its loop.
      at.used = true;
      this.looped = true;
      this.countPassed();
      this.emit(ifs(this.goOn(at.count), [{ k: 'continue', label: at.label }]));
      return this.leave(target, true, true);
    }
    const m = this.inliner?.(t);
    if (m && m.insns.length <= this.inlineBudget && (this.region.includes(m) || this.region.length < 32)) {
      // On into another block the dispatcher would run next: its code goes here.
      this.looped = true;
      this.inlineBudget -= m.insns.length;
      this.countPassed();
      const body = this.inlined(t, m);
      this.emit(ifs(this.goOn(m.insns.length), body));
      return this.leave(target, true, true);
    }
    this.leave(target, true);
  }
  /** Generates member `m` (at EIP `eip`) in place, as a labeled loop if an exit further in comes back to it. */
  private inlined(eip: number, m: RegionMember): Stmt[] {
    const saved = { i: this.i, k: this.k, known: this.known, member: this.member, memHooks: this.memHooks };
    let j = this.region.indexOf(m);
    if (j < 0) j = this.region.push(m) - 1;
    const entry = { eip, label: this.label(), count: m.insns.length, used: false };
    this.path.push(entry);
    const body = this.nest(() => {
      this.member = j;
      this.startMember();
      this.memberBody(m.insns, m.instr);
    });
    this.path.pop();
    (this as { i: Insn }).i = saved.i;
    this.k = saved.k;
    this.known = saved.known;
    this.member = saved.member;
    this.memHooks = saved.memHooks;
    this.memCacheReset();
    return entry.used ? [{ k: 'loop', label: entry.label, body }] : body;
  }
  /** A member's instructions, up to its exit (plugin work around them for the compiled block). */
  memberBody(insns: readonly Insn[], instr: BlockInstr | undefined): void {
    const inlineAdds = (list: readonly { values: Float64Array; slot: number; n: number }[]) => {
      for (const c of list) this.emit(stmt(assign(index(this.counterRef(c.values), num(c.slot)), num(c.n), '+=')));
    };
    if (instr) {
      inlineAdds(instr.inline);
      if (instr.exec.length) {
        this.sync();
        this.emit(stmt(this.cpuMethod('pluginBlock')));
      }
    }
    for (let k = 0; k < insns.length; k++) {
      const i = insns[k]!;
      this.next(i, k);
      const slot = instr?.insns[k];
      if (slot) {
        inlineAdds(slot.inline);
        if (slot.exec.length) {
          this.sync();
          this.emit(set(prop('cpu', 'eip'), num(i.eip >>> 0)));
          this.emit(stmt(this.cpuMethod('pluginInsn', num(k))));
          if (slot.exec.some((e) => e.write)) this.reload();
        }
        this.memHooks = slot.mem.length > 0;
      }
      generate(this);
      const e = i.entry;
      if (e.attrs & (A.branch | A.end) || k === insns.length - 1) {
        if (!(e.attrs & A.branch) && !endsItself(this)) this.exit(num(i.next));
        return;
      }
    }
    throw new Error('block without an end');
  }
  /** Inline counters: Float64Arrays bound to the function as PC0, PC1... */
  readonly counters: Float64Array[] = [];
  private counterRef(values: Float64Array): Expr {
    let n = this.counters.indexOf(values);
    if (n < 0) n = this.counters.push(values) - 1;
    return id(`PC${n}`);
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

/** What `lim` becomes when something is pending: no member fits (`ic` counts up from 0 in a run). */
const NOTHING_FITS = -0x4000_0000;
/**
 * Whether something is pending (`pendingCheck`), compared with true: a bare truth test of the
 * field is about ten instructions in V8's optimized code, a comparison one. (`true` is printed as
 * a name; the AST has no boolean literal.)
 */
const PENDING = bin('===', prop('cpu', 'pendingCheck'), lit(true));

/**
 * The body with every call that can reach the CPU (a method of it or of an object it holds, or
 * a helper it or such an object is passed to; the other helpers are arithmetic)
 * followed by a look at `pendingCheck`: an interrupt, a stop request or an SMI that the call
 * raised lowers `lim`, so the function leaves at the next member as the dispatcher would. The
 * look costs nothing where no call is made (a loop's fast paths), against a load and a branch at
 * every member before (a sixth of a tight loop's time).
 */
function watchPending(body: readonly Stmt[]): readonly Stmt[] {
  const ofCpu = (e: Expr): boolean => {
    while (e.k === 'prop' || e.k === 'index') e = e.o;
    return e.k === 'id' && e.name === 'cpu';
  };
  const reachesCpu = (c: Expr & { k: 'call' }): boolean => (c.f.k === 'prop' && ofCpu(c.f.o)) || c.args.some(ofCpu);
  return mapCalls(body, (c) =>
    reachesCpu(c) ? seq(assign(id('tq'), c), bin('&&', PENDING, assign(id('lim'), num(NOTHING_FITS))), id('tq')) : undefined,
  );
}

/** Flag fields a generated body assigns (as locals, not as `cpu.` properties). */
function assignedCcFields(bodies: readonly Stmt[][]): CcField[] {
  const assigned = new Set<string>();
  for (const b of bodies) visitIds(b, (name, isTarget) => void (isTarget && assigned.add(name)));
  return CC_FIELDS.filter((f) => assigned.has(f));
}

/** How many names (locals, helpers) the statements mention: a measure of the code's size. */
function namesIn(body: readonly Stmt[]): number {
  let n = 0;
  visitIds(body, () => void n++);
  return n;
}

/** Register and flag locals (`r3`, `h3`, `ccDst`...) the statements name, read or written. */
function usedLocals(body: readonly Stmt[]): Set<string> {
  const used = new Set<string>();
  visitIds(body, (name) => {
    if (/^[rh]\d+$/.test(name) || name === 'ccA' || (CC_FIELDS as readonly string[]).includes(name)) used.add(name);
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
  /** The blocks whose code the function holds, the compiled one first (a fault's member index counts in it). */
  readonly region: RegionMember[];
}

/** A block whose code a compiled function holds: its decoded instructions and plugin counters. */
export interface RegionMember {
  readonly insns: readonly Insn[];
  readonly instr?: BlockInstr;
}

/** Whether a block's plugin work is inline counters only (so its code may run inside another block's function). */
export function countersOnly(instr: BlockInstr | undefined): boolean {
  return !instr || (instr.exec.length === 0 && !instr.anyMem && instr.insns.every((s) => s.exec.length === 0 && s.mem.length === 0));
}

/** How many instructions of other blocks one compiled function may take in. */
const INLINE_INSNS = 160;
/**
 * How large (in names the code mentions, about 25 bytes of source each) a function taking in
 * other blocks may grow; past it, the budget of instructions is halved until it fits. V8's
 * optimizing compiler spends time on a function faster than linearly in its size: Linux's
 * decompressor, 64-bit code with many exits, made functions of 100 KB that each took it half a
 * second, and the first 4e8 instructions of a boot 2.7 times as long as with no blocks taken in.
 */
const INLINE_SIZE = 640;

/**
 * Compiles a block (tier 2) into one function whose locals hold registers
 * and flags. Where the block's direct exits go to blocks `inliner` offers
 * (hot blocks of its page, decided by the dispatcher), their code follows in
 * place, and so on down to a budget of instructions: an exit back to a
 * block on the way there rounds a labeled loop, so a loop of several blocks
 * runs inside the function, and registers and flags stay in locals across
 * it. (Members reached in a `switch` inside one loop measured slower on V8
 * than chained functions; nested code keeps each transition a direct jump.)
 * Plugin instrumentation is inlined; a block with plugin callbacks (not
 * only inline counters) takes in no other and is taken in by none.
 */
export function compileBlock(
  insns: readonly Insn[],
  hf: number,
  name: string,
  instr?: BlockInstr,
  head: RegionMember = { insns },
  inliner?: (eip: number) => RegionMember | undefined,
): CompiledBlock {
  const into = countersOnly(instr) ? inliner : undefined;
  let budget = into ? INLINE_INSNS : 0;
  let g = generateRegion(head, hf, instr, into, budget);
  while (g.g.region.length > 1 && namesIn(g.body) > INLINE_SIZE) {
    // A budget no smaller than what this pass took in makes the same choices, so the same
    // function: halve past those without generating them.
    const used = budget - g.g.inlineBudget;
    do budget = budget >= 8 ? budget >> 1 : 0;
    while (budget >= used && budget > 0);
    g = generateRegion(head, hf, instr, into, budget);
  }
  // Which registers and flags any member writes is known now: every exit writes them all back.
  const ccWritten = assignedCcFields([g.body]);
  g.g.completeWriteBacks(ccWritten);
  const stateWriteBack: Stmt[] = [
    ...[...g.g.dirty].map((r) => set(index('R', num(r)), id(`r${r}`))),
    ...[...g.g.dirtyHi].map((r) => set(index('RH', num(r)), id(`h${r}`))),
    ...ccWritten.map((f) => set(index(id('CC'), num(CC_SLOT[f])), id(f))),
  ];
  // On a fault, the locals go back to the CPU object, unless a state call raised: the
  // locals were synced before it, and what it left in the CPU object is the state to keep
  // (with the instruction count: a REP counts the iterations it completed before its fault).
  const faultState: Stmt[] = [...stateWriteBack, stmt(PUBLISH_COUNT)];
  const faultWriteBack: Stmt[] = g.g.guarded ? [ifs(bin('===', id('sy'), num(0)), faultState)] : faultState;
  // Locals are loaded only for the registers and flag fields the code names: a block
  // touching three registers does not pay for loading all sixteen (and their high halves).
  const used = usedLocals([...g.body, ...stateWriteBack]);
  const regs = Array.from({ length: g.g.nregs }, (_, r) => r);
  const prologue: Stmt[] = [
    ...envPrologue(new Set<RuntimeLocal>(['R', ...(g.g.lma ? (['RH'] as const) : []), ...(CC_FIELDS.some((f) => used.has(f)) ? (['CC'] as const) : []), ...g.g.usedEnv])),
    ...regs.filter((r) => used.has(`r${r}`)).map((r) => letv(`r${r}`, index('R', num(r)))),
    ...(g.g.lma ? regs.filter((r) => used.has(`h${r}`)).map((r) => letv(`h${r}`, index('RH', num(r)))) : []),
    ...CC_FIELDS.filter((f) => used.has(f)).map((f) => letv(f, index(id('CC'), num(CC_SLOT[f])))),
    ...(used.has('ccA') ? [letv('ccA', num(0))] : []),
    letv('ne', num(0)),
    letv('kk', num(0)),
    letv('ex', num(0)),
    letv('ic', prop('cpu', 'icRel')),
    ...(g.g.guarded ? [letv('sy', num(0))] : []),
  ];
  // Where something is pending at entry, no member fits: the function leaves after its first, as
  // the dispatcher would have left after that block.
  if (g.g.looped) prologue.push(letv('lim', cond(PENDING, num(NOTHING_FITS), prop('cpu', 'runLim'))), letv('tq'));
  const code = g.g.looped ? watchPending(g.body) : g.body;
  const body: Stmt[] = [...prologue, { k: 'try', body: code, param: 'e', handler: [...faultWriteBack, { k: 'throw', e: id('e') }] }];
  const src = printStmts(body, '  ');
  const counterNames = g.g.counters.map((_, n) => `PC${n}`);
  // (Parenthesised to be compiled at once: generateHandlers.)
  const fn = new Function(...HELPER_KEYS, ...counterNames, `return (function ${name}(cpu) {\n${src}});`)(...HELPER_VALUES, ...g.g.counters) as (cpu: unknown) => number;
  return { fn, targets: g.g.targets, source: src, region: g.g.region };
}

function generateRegion(
  head: RegionMember,
  hf: number,
  instr: BlockInstr | undefined,
  inliner: ((eip: number) => RegionMember | undefined) | undefined,
  budget: number,
): { g: JitGen; body: Stmt[] } {
  const insns = head.insns;
  const g = new JitGen(insns[0]!, hf, { exits: 0 });
  g.inliner = inliner;
  g.inlineBudget = budget;
  g.region.push(head);
  const first = insns[0]!.eip;
  const entry = { eip: g.mode64 ? first : first >>> 0, label: g.label(), count: insns.length, used: false };
  g.path.push(entry);
  const body = g.nest(() => {
    g.startMember();
    g.memberBody(insns, instr);
  });
  const tail = g.nest(() => g.tail());
  return { g, body: [{ k: 'block', label: 'X', body: entry.used ? [{ k: 'loop', label: entry.label, body }] : body }, ...tail] };
}

/** Whether the last instruction generated already left the block (a state branch). */
function endsItself(g: JitGen): boolean {
  const cur = g.current();
  const last = cur[cur.length - 1];
  const leaves = (s: Stmt | undefined): boolean => s?.k === 'return' || (s?.k === 'break' && s.label === 'X');
  return leaves(last) || (last?.k === 'if' && leaves(last.then[last.then.length - 1]) && leaves(last.else?.[last.else.length - 1]));
}

export { i32 };
