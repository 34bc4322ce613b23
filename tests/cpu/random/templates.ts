/**
 * The instruction templates of the random sequences: one entry per instruction family, each
 * producing assembly (GNU as, AT&T) with random operands in the current mode, the EFLAGS bits
 * it writes, those the Intel SDM leaves undefined, those it reads, and its effect on the stack
 * pointer (tracked so the stack stays in the scratch area).
 */
import { ARITH, EAX, EBP, EBX, ECX, EDI, EDX, ESI, FLAG, hex, maskOf, type Bits, type Mode, Operands, regName, sfx } from './operands.js';

const { CF, PF, AF, ZF, SF, OF, DF } = FLAG;

export interface StackEffect {
  /** The stack pointer is set to this first (leave), else it is the incoming one. */
  readonly set?: number;
  /** Change after the instruction, from the (set or incoming) stack pointer. */
  readonly delta: number;
  /** Range touched relative to that pointer: [low, high). */
  readonly low: number;
  readonly high: number;
}

export interface Item {
  readonly template: string;
  /** Setup movs, then the instruction(s) under test. */
  readonly lines: readonly string[];
  /** The instruction(s) under test, for reports. */
  readonly text: string;
  /** EFLAGS bits it may change, those left undefined by the SDM, those it reads. */
  readonly writes: number;
  readonly undef: number;
  readonly reads: number;
  readonly stack: StackEffect;
  /** It always ends the sequence (a software interrupt or an instruction that always faults). */
  readonly ends?: boolean;
}

type Body = Omit<Item, 'template' | 'stack' | 'writes' | 'undef' | 'reads'> & Partial<Pick<Item, 'stack' | 'writes' | 'undef' | 'reads'>>;

export interface Template {
  readonly name: string;
  readonly weight: number;
  readonly modes?: readonly Mode[];
  readonly gen: (o: Operands) => Body;
}

const push = (n: number): StackEffect => ({ delta: -n, low: -n, high: 0 });

/** Condition codes and the flags each reads. */
const CONDITIONS: readonly [string, number][] = [
  ['o', OF], ['no', OF], ['b', CF], ['ae', CF], ['e', ZF], ['ne', ZF], ['be', CF | ZF], ['a', CF | ZF],
  ['s', SF], ['ns', SF], ['p', PF], ['np', PF], ['l', SF | OF], ['ge', SF | OF], ['le', ZF | SF | OF], ['g', ZF | SF | OF],
];

function body(lines: string[], text: string, f: Partial<Pick<Item, 'writes' | 'undef' | 'reads' | 'stack' | 'ends'>> = {}): Body {
  return { lines, text, ...f };
}

/** Instruction lines of a template: setups first, then `insn`. */
function withSetup(setups: readonly string[], insn: string | readonly string[]): string[] {
  return [...setups, ...(typeof insn === 'string' ? [insn] : insn)];
}

/** An optional lock prefix for a read-modify-write memory destination. */
const lockPrefix = (o: Operands): string => (o.rng.chance(0.2) ? 'lock ' : '');

// ---------------------------------------------------------------- arithmetic and logic

const ALU2: readonly [string, number, number][] = [
  // name, flags read, flags undefined
  ['add', 0, 0], ['adc', CF, 0], ['sub', 0, 0], ['sbb', CF, 0], ['cmp', 0, 0],
  ['and', 0, AF], ['or', 0, AF], ['xor', 0, AF], ['test', 0, AF],
];

function alu2(o: Operands): Body {
  const [op, reads, undef] = o.rng.pick(ALU2);
  const bits = o.size();
  const s = sfx(bits);
  const form = o.rng.pick(op === 'test' ? ['rr', 'ir', 'rm', 'im'] : ['rr', 'ir', 'mr', 'rm', 'im', 'ia']);
  const fl = { writes: ARITH, undef, reads };
  switch (form) {
    case 'rr':
      return body([`${op}${s} ${o.src(bits)}, ${o.dst(bits)}`], `${op}${s} reg, reg`, fl);
    case 'ir':
    case 'ia': {
      const d = form === 'ia' ? regName(EAX, bits) : o.dst(bits);
      const line = `${op}${s} ${o.imm(bits)}, ${d}`;
      return body([line], line, fl);
    }
    case 'mr': {
      const m = o.mem(bits, { readOnly: true });
      const d = o.dst(bits);
      return body(withSetup(m.setup, `${op}${s} ${m.op}, ${d}`), `${op}${s} mem, ${d}`, fl);
    }
    case 'rm': {
      const m = o.mem(bits, { readOnly: op === 'cmp' || op === 'test' });
      const lock = op === 'cmp' || op === 'test' ? '' : lockPrefix(o);
      const line = `${lock}${op}${s} ${o.src(bits)}, ${m.op}`;
      return body(withSetup(m.setup, line), line, fl);
    }
    default: {
      const m = o.mem(bits, { readOnly: op === 'cmp' || op === 'test' });
      const lock = op === 'cmp' || op === 'test' ? '' : lockPrefix(o);
      const line = `${lock}${op}${s} ${o.imm(bits)}, ${m.op}`;
      return body(withSetup(m.setup, line), line, fl);
    }
  }
}

function alu1(o: Operands): Body {
  const op = o.rng.pick(['inc', 'dec', 'neg', 'not']);
  const bits = o.size();
  const s = sfx(bits);
  const writes = op === 'not' ? 0 : op === 'neg' ? ARITH : ARITH & ~CF;
  if (o.rng.chance(0.5)) {
    const line = `${op}${s} ${o.dst(bits)}`;
    return body([line], line, { writes });
  }
  const m = o.mem(bits);
  const line = `${lockPrefix(o)}${op}${s} ${m.op}`;
  return body(withSetup(m.setup, line), line, { writes });
}

/** A count for shifts and rotates: the edges of every operand size, and anything up to 255. */
function shiftCount(o: Operands): number {
  return o.rng.weighted<number>([
    [4, o.rng.pick([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33])],
    [2, o.rng.int(0, 40)],
    [1, o.rng.int(0, 255)],
  ]);
}

function shift(o: Operands): Body {
  const op = o.rng.pick(['rol', 'ror', 'rcl', 'rcr', 'shl', 'sal', 'shr', 'sar']);
  const bits = o.size();
  const s = sfx(bits);
  const form = o.rng.pick(['one', 'imm', 'cl']);
  const count = form === 'one' ? 1 : shiftCount(o);
  const setups: string[] = [];
  let countOp = '';
  if (form === 'imm') countOp = `$${count}, `;
  if (form === 'cl') {
    o.reserve(ECX);
    countOp = '%cl, ';
  }
  const useMem = o.rng.chance(0.35);
  const m = useMem ? o.mem(bits) : undefined;
  const target = m ? m.op : o.dst(bits);
  if (form === 'cl') setups.push(Operands.set(ECX, 8, count));
  const line = `${op}${s} ${countOp}${target}`;
  const text = m ? `${op}${s} ${countOp}mem` : line;
  const c = count & 31;
  let writes = 0;
  let undef = 0;
  const rotate = op.startsWith('ro') || op.startsWith('rc');
  if (c !== 0) {
    if (rotate) {
      writes = CF | OF;
      undef = c === 1 ? 0 : OF;
    } else {
      writes = ARITH;
      undef = AF | (c === 1 ? 0 : OF) | ((op === 'shl' || op === 'sal' || op === 'shr') && c >= bits ? CF : 0);
    }
  }
  const reads = op === 'rcl' || op === 'rcr' ? CF : 0;
  return body(withSetup([...(m?.setup ?? []), ...setups], line), text, { writes, undef, reads });
}

function shiftDouble(o: Operands): Body {
  const op = o.rng.pick(['shld', 'shrd']);
  const bits: Bits = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const useCl = o.rng.chance(0.5);
  // counts above 16 leave a 16-bit result undefined: keep them to 0..16 there
  let count = shiftCount(o);
  if (bits === 16) count = (count & 31) > 16 ? o.rng.int(0, 16) : count;
  if (useCl) o.reserve(ECX);
  const m = o.rng.chance(0.35) ? o.mem(bits) : undefined;
  const target = m ? m.op : o.dst(bits);
  const src = o.src(bits);
  const setups = [...(m?.setup ?? []), ...(useCl ? [Operands.set(ECX, 8, count)] : [])];
  const line = `${op}${s} ${useCl ? '%cl' : `$${count}`}, ${src}, ${target}`;
  const c = count & 31;
  return body(withSetup(setups, line), line, { writes: c ? ARITH : 0, undef: c ? AF | (c === 1 ? 0 : OF) : 0 });
}

function mulDiv(o: Operands): Body {
  const op = o.rng.pick(['mul', 'imul', 'div', 'idiv']);
  const bits = o.size();
  const s = sfx(bits);
  const divide = op.endsWith('div');
  o.reserve(EAX, EDX);
  const setups: string[] = [];
  let operand: string;
  // idiv always divides a sign-extended dividend: QEMU 7.2 dies (SIGFPE) on idivw/idivl of the
  // most negative dividend by -1 instead of raising #DE, and a random high half can be that
  if (op === 'idiv' || (divide && o.rng.chance(0.85))) {
    // a divisor and a high half below it: no overflow for div (idiv still may), or zero: #DE
    const divisor = o.rng.chance(0.05) ? 0 : o.rng.value(bits) || 1;
    const reg = o.setupReg(bits, [EAX, EDX]);
    setups.push(Operands.set(reg, bits, divisor));
    if (op === 'idiv') {
      // the dividend sign-extended from its low half: only MIN / -1 overflows
      setups.push(bits === 8 ? 'cbtw' : bits === 16 ? 'cwtd' : 'cltd');
    } else {
      const high = divisor === 0 ? 0 : o.rng.int(0, divisor - 1) & maskOf(bits);
      setups.push(bits === 8 ? `movb $${hex(high)}, %ah` : Operands.set(EDX, bits, high));
    }
    operand = regName(reg, bits);
  } else if (o.rng.chance(0.6)) {
    operand = o.src(bits);
  } else {
    const m = o.mem(bits, { readOnly: true });
    setups.push(...m.setup);
    operand = m.op;
  }
  const line = `${op}${s} ${operand}`;
  return body(withSetup(setups, line), line, { writes: ARITH, undef: divide ? ARITH : SF | ZF | AF | PF });
}

function imulMulti(o: Operands): Body {
  const bits: Bits = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const form = o.rng.pick(['rr', 'mr', 'irr', 'imr']);
  const m = form.includes('m') ? o.mem(bits, { readOnly: true }) : undefined;
  const src = m ? m.op : o.src(bits);
  const d = o.dst(bits);
  const line = form.startsWith('i') ? `imul${s} ${o.imm(bits)}, ${src}, ${d}` : `imul${s} ${src}, ${d}`;
  return body(withSetup(m?.setup ?? [], line), line, { writes: ARITH, undef: SF | ZF | AF | PF });
}

function bitTest(o: Operands): Body {
  const op = o.rng.pick(['bt', 'bts', 'btr', 'btc']);
  const bits: Bits = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const form = o.rng.pick(['rr', 'ir', 'im', 'rm']);
  const fl = { writes: CF | OF | SF | AF | PF, undef: OF | SF | AF | PF };
  const lock = op === 'bt' ? '' : lockPrefix(o);
  if (form === 'rr') return body([`${op}${s} ${o.src(bits)}, ${o.dst(bits)}`], `${op}${s} reg, reg`, fl);
  if (form === 'ir') {
    const line = `${op}${s} $${o.rng.int(0, 255)}, ${o.dst(bits)}`;
    return body([line], line, fl);
  }
  if (form === 'im') {
    const m = o.mem(bits, { readOnly: op === 'bt' });
    const line = `${lock}${op}${s} $${o.rng.int(0, 255)}, ${m.op}`;
    return body(withSetup(m.setup, line), line, fl);
  }
  // a register bit offset reaches below or above the operand: +-255 bits, +-32 bytes
  const reg = o.setupReg(bits);
  const offset = o.rng.int(-255, 255);
  const m = o.mem(bits, { readOnly: op === 'bt', low: 0x40, limit: 0x3c0 });
  const line = `${lock}${op}${s} ${regName(reg, bits)}, ${m.op}`;
  return body(withSetup([Operands.set(reg, bits, offset & maskOf(bits)), ...m.setup], line), line, fl);
}

function bitScan(o: Operands): Body {
  const op = o.rng.pick(['bsf', 'bsr']);
  const bits: Bits = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const m = o.rng.chance(0.3) ? o.mem(bits, { readOnly: true }) : undefined;
  const line = `${op}${s} ${m ? m.op : o.src(bits)}, ${o.dst(bits)}`;
  return body(withSetup(m?.setup ?? [], line), line, { writes: ARITH, undef: CF | OF | SF | AF | PF });
}

function bcd(o: Operands): Body {
  const op = o.rng.pick(['daa', 'das', 'aaa', 'aas', 'aam', 'aad']);
  const reads = op === 'aam' || op === 'aad' ? 0 : AF | CF;
  const undef = op === 'daa' || op === 'das' ? OF : op === 'aaa' || op === 'aas' ? OF | SF | ZF | PF : OF | AF | CF;
  const line = op === 'aam' || op === 'aad' ? `${op} $${o.rng.pick([0, 10, 10, 10, 16, 16, 7, 7, 2, 1, 255, o.rng.int(0, 255)])}` : op;
  return body([line], line, { writes: ARITH, undef, reads });
}

function exchangeAdd(o: Operands): Body {
  const op = o.rng.pick(['xadd', 'cmpxchg', 'xchg']);
  const bits = o.size();
  const s = sfx(bits);
  const fl = op === 'xchg' ? {} : { writes: ARITH };
  if (op === 'cmpxchg') o.reserve(EAX);
  const setups: string[] = [];
  let target: string;
  let lock = '';
  if (o.rng.chance(0.5)) {
    const m = o.mem(bits);
    setups.push(...m.setup);
    target = m.op;
    lock = lockPrefix(o);
  } else {
    const d = o.dstIndex(bits, true);
    target = regName(d, bits);
    // make the comparison succeed half the time
    if (op === 'cmpxchg' && o.rng.chance(0.5)) setups.push(`mov${s} ${target}, ${regName(EAX, bits)}`);
  }
  const line = `${lock}${op}${s} ${o.dst(bits)}, ${target}`;
  return body(withSetup(setups, line), line, fl);
}

/**
 * Not in TEMPLATES: QEMU 7.2 computes cmpxchg8b's EFLAGS from stale lazy-flag state, so after
 * add/sub/cmp/imul/xadd (and others) register contents leak into EFLAGS, TF and IF included
 * (tests/cpu/README.md). corpus/bits.s tests it after flags QEMU holds as EFLAGS.
 */
export function cmpxchg8b(o: Operands): Body {
  o.reserve(EAX, EDX, EBX, ECX);
  const m = o.mem(64);
  const line = `${lockPrefix(o)}cmpxchg8b ${m.op}`;
  return body(withSetup(m.setup, line), line, { writes: ZF });
}

function bswap(o: Operands): Body {
  const line = `bswap ${o.dst(32)}`;
  return body([line], line);
}

function setcc(o: Operands): Body {
  const [cc, reads] = o.rng.pick(CONDITIONS);
  if (o.rng.chance(0.6)) {
    const line = `set${cc} ${o.dst(8)}`;
    return body([line], line, { reads });
  }
  const m = o.mem(8);
  const line = `set${cc} ${m.op}`;
  return body(withSetup(m.setup, line), line, { reads });
}

function cmovcc(o: Operands): Body {
  const [cc, reads] = o.rng.pick(CONDITIONS);
  const bits: Bits = o.rng.pick([16, 32] as const);
  const m = o.rng.chance(0.4) ? o.mem(bits, { readOnly: true }) : undefined;
  const line = `cmov${cc}${sfx(bits)} ${m ? m.op : o.src(bits)}, ${o.dst(bits)}`;
  return body(withSetup(m?.setup ?? [], line), line, { reads });
}

function flagOps(o: Operands): Body {
  const op = o.rng.pick(['clc', 'stc', 'cmc', 'cld', 'std', 'lahf', 'sahf', 'salc']);
  switch (op) {
    case 'clc':
    case 'stc':
      return body([op], op, { writes: CF });
    case 'cmc':
      return body([op], op, { writes: CF, reads: CF });
    case 'cld':
    case 'std':
      return body([op], op, { writes: DF });
    case 'lahf':
      return body([op], op, { reads: SF | ZF | AF | PF | CF });
    case 'sahf':
      return body([op], op, { writes: SF | ZF | AF | PF | CF });
    default:
      return body(['.byte 0xd6'], 'salc', { reads: CF });
  }
}

/** pushf / popf: popf loads arithmetic flags, DF, IOPL, NT, AC and ID at random; never TF or IF. */
function pushPopFlags(o: Operands): Body {
  const bits: 16 | 32 = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const w = bits / 8;
  if (o.rng.chance(0.4)) {
    const d = o.dst(bits);
    const lines = [`pushf${s}`, `pop${s} ${d}`];
    return body(lines, lines.join('; '), { reads: ARITH | DF });
  }
  const value = (o.rng.u32() & (ARITH | DF | 0x3000 | 0x4000 | 0x40000 | 0x200000) & maskOf(bits)) >>> 0;
  const lines = [`push${s} $${hex(value)}`, `popf${s}`];
  return body(lines, lines.join('; '), { writes: ARITH | DF, stack: { delta: 0, low: -w, high: 0 } });
}

// ---------------------------------------------------------------- data movement

function mov(o: Operands): Body {
  const bits = o.size();
  const s = sfx(bits);
  const form = o.rng.pick(['ir', 'rr', 'mr', 'rm', 'im']);
  if (form === 'ir' || form === 'rr') {
    const line = `mov${s} ${form === 'ir' ? o.imm(bits) : o.src(bits)}, ${o.dst(bits)}`;
    return body([line], line);
  }
  const m = o.mem(bits, { readOnly: form === 'mr' });
  const line = form === 'mr' ? `mov${s} ${m.op}, ${o.dst(bits)}` : `mov${s} ${form === 'rm' ? o.src(bits) : o.imm(bits)}, ${m.op}`;
  return body(withSetup(m.setup, line), line);
}

function extend(o: Operands): Body {
  const [op, from, to] = o.rng.pick([
    ['movzbw', 8, 16], ['movzbl', 8, 32], ['movzwl', 16, 32], ['movsbw', 8, 16], ['movsbl', 8, 32], ['movswl', 16, 32],
  ] as const);
  const m = o.rng.chance(0.4) ? o.mem(from, { readOnly: true }) : undefined;
  const line = `${op} ${m ? m.op : o.src(from)}, ${o.dst(to)}`;
  return body(withSetup(m?.setup ?? [], line), line);
}

function convert(o: Operands): Body {
  const op = o.rng.pick(['cbtw', 'cwtl', 'cwtd', 'cltd']);
  return body([op], op);
}

function lea(o: Operands): Body {
  // any address (no access): registers keep their random values
  const bits: Bits = o.rng.pick([16, 32] as const);
  const addr32 = o.code === 32 ? o.rng.chance(0.8) : o.rng.chance(0.3);
  let operand: string;
  if (addr32) {
    const base = o.rng.int(0, 7);
    const index = o.rng.int(0, 7);
    const disp = o.rng.pick([0, o.rng.int(-128, 127), o.rng.u32() | 0]);
    operand = index === 4 ? `${hex(disp)}(${regName(base, 32)})` : `${hex(disp)}(${regName(base, 32)},${regName(index, 32)},${o.rng.pick([1, 2, 4, 8])})`;
  } else {
    const [b, i] = o.rng.pick([['bx', 'si'], ['bx', 'di'], ['bp', 'si'], ['bp', 'di'], ['bx', ''], ['si', ''], ['di', ''], ['bp', '']]);
    operand = `${hex(o.rng.int(-128, 0xffff))}(%${b}${i ? `,%${i}` : ''})`;
  }
  const line = `lea${sfx(bits)} ${operand}, ${o.dst(bits)}`;
  return body([line], line);
}

function xlat(o: Operands): Body {
  o.reserve(EAX, EBX);
  const al = o.rng.int(0, 255);
  const ea = o.rng.int(0, 0x3ff - 255);
  const addr32 = o.code === 32 ? o.rng.chance(0.8) : o.rng.chance(0.2);
  const seg = o.rng.chance(0.4) ? `%${o.rng.pick(['es', 'fs', 'gs', 'ss'])}:` : '';
  const lines = [Operands.set(EAX, 8, al), Operands.set(EBX, addr32 ? 32 : 16, ea), `xlat ${seg}(${addr32 ? '%ebx' : '%bx'})`];
  return body(lines, lines[2]!);
}

function segmentRead(o: Operands): Body {
  const seg = o.rng.pick(['cs', 'ds', 'es', 'fs', 'gs', 'ss']);
  if (o.rng.chance(0.7)) {
    const bits: Bits = o.rng.pick([16, 32] as const);
    const line = `mov${sfx(bits)} %${seg}, ${o.dst(bits)}`;
    return body([line], line);
  }
  const m = o.mem(16);
  const line = `movw %${seg}, ${m.op}`;
  return body(withSetup(m.setup, line), line);
}

// ---------------------------------------------------------------- stack

function pushPop(o: Operands): Body {
  const bits: 16 | 32 = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const w = bits / 8;
  const form = o.rng.pick(['pushr', 'pushi', 'pushm', 'popr', 'popm', 'pushseg', 'pair']);
  switch (form) {
    case 'pushr': {
      const line = `push${s} ${o.src(bits)}`;
      return body([line], line, { stack: push(w) });
    }
    case 'pushi': {
      const line = `push${s} ${o.rng.chance(0.5) ? `$${hex(o.rng.int(-128, 127) & maskOf(bits))}` : o.imm(bits)}`;
      return body([line], line, { stack: push(w) });
    }
    case 'pushm': {
      const m = o.mem(bits, { readOnly: true });
      const line = `push${s} ${m.op}`;
      return body(withSetup(m.setup, line), line, { stack: push(w) });
    }
    case 'popr': {
      const line = `pop${s} ${o.dst(bits)}`;
      return body([line], line, { stack: { delta: w, low: 0, high: w } });
    }
    case 'popm': {
      o.reserve(4);
      const m = o.mem(bits);
      const line = `pop${s} ${m.op}`;
      return body(withSetup(m.setup, line), line, { stack: { delta: w, low: 0, high: w } });
    }
    case 'pushseg': {
      // a segment register through the stack into ES, FS or GS (DS and SS stay as the driver set them)
      const from = o.rng.pick(['ds', 'es', 'fs', 'gs', 'ss']);
      const to = o.rng.pick(['es', 'fs', 'gs']);
      const lines = [`push${s} %${from}`, `pop${s} %${to}`];
      return body(lines, lines.join('; '), { stack: { delta: 0, low: -w, high: 0 } });
    }
    default: {
      const lines = [`push${s} ${o.src(bits)}`, `pop${s} ${o.dst(bits)}`];
      return body(lines, lines.join('; '), { stack: { delta: 0, low: -w, high: 0 } });
    }
  }
}

function pushaPopa(o: Operands): Body {
  const bits: 16 | 32 = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const n = bits / 2;
  if (o.rng.chance(0.5)) return body([`pusha${s}`], `pusha${s}`, { stack: push(n) });
  return body([`popa${s}`], `popa${s}`, { stack: { delta: n, low: 0, high: n } });
}

function enterLeave(o: Operands): Body {
  const bits: 16 | 32 = o.rng.pick([16, 32] as const);
  const s = sfx(bits);
  const w = bits / 8;
  o.reserve(EBP);
  if (o.rng.chance(0.5)) {
    const size = o.rng.pick([0, 4, 8, o.rng.int(0, 64)]);
    const level = o.rng.pick([0, 0, 1, 2, 3]);
    // the enclosing frame pointers it copies come from below EBP: keep EBP in the scratch area
    const ebp = o.rng.int(0x100, 0x3f0);
    const lines = [Operands.set(EBP, 32, ebp), `enter${s} $${size}, $${level}`];
    const pushed = w + (level > 0 ? w * level : 0);
    return body(lines, `enter${s} $${size}, $${level}`, { stack: { delta: -(pushed + size), low: -(pushed + size), high: 0 } });
  }
  // leave: ESP = EBP, then pop EBP; EBP near the current stack
  const ebp = Math.max(0x500, Math.min(0x7f0, o.sp + o.rng.int(-64, 16))) & ~1;
  const lines = [Operands.set(EBP, 32, ebp), `leave${s}`];
  return body(lines, `leave${s}`, { stack: { set: ebp, delta: w, low: 0, high: w } });
}

// ---------------------------------------------------------------- control transfer

/** A flag-setting filler instruction to jump over (no memory, no stack). */
function filler(o: Operands): string {
  const bits = o.size();
  return `${o.rng.pick(['add', 'sub', 'xor', 'and', 'or', 'adc', 'sbb', 'cmp'])}${sfx(bits)} ${o.imm(bits)}, ${o.dst(bits)}`;
}

function jcc(o: Operands): Body {
  const [cc, reads] = o.rng.pick(CONDITIONS);
  const l = o.label();
  const near = o.rng.chance(0.2);
  const lines = [`j${cc} ${l}`, filler(o), ...(near ? ['.fill 130, 1, 0x90'] : []), `${l}:`];
  // the filler may or may not run: its flags count as undefined-or-unchanged
  return body(lines, `j${cc}${near ? ' (near)' : ''}`, { reads, undef: AF });
}

function loops(o: Operands): Body {
  const op = o.rng.pick(['loop', 'loope', 'loopne', 'jcxz', 'jecxz']);
  const l = o.label();
  // loop* count with CX or ECX: the address size (an addr16/addr32 prefix flips it)
  const flip = op.startsWith('loop') && o.rng.chance(0.3);
  const prefix = flip ? (o.code === 16 ? 'addr32 ' : 'addr16 ') : '';
  const reads = op === 'loope' || op === 'loopne' ? ZF : 0;
  const lines = [`${prefix}${op} ${l}`, filler(o), `${l}:`];
  return body(lines, `${prefix}${op}`, { reads, undef: AF });
}

/** The code segment's selector and the code's base in this mode (random/driver.s). */
function codeSegment(mode: Mode): { sel: number; base: number } {
  return mode === 'real' ? { sel: 0x2000, base: 0 } : mode === 'pm16' ? { sel: 0x28, base: 0 } : { sel: 0x30, base: 0x20000 };
}

function callRet(o: Operands): Body {
  // 16-bit calls in 32-bit code truncate EIP to 16 bits, and the code is above 64 KiB there
  const bits: 16 | 32 = o.code === 32 ? 32 : o.rng.pick([16, 16, 32] as const);
  const s = sfx(bits);
  const w = bits / 8;
  const sub = o.label();
  const after = o.label();
  // near call through a register or memory needs the target's offset: relative to the code's start
  const form = o.rng.pick(['pop', 'ret', 'retn', 'far', 'farn', 'indirect']);
  const { sel, base } = codeSegment(o.mode);
  const offset = (label: string): string => `${label} - ${o.codeStart} + ${hex(base)}`;
  switch (form) {
    case 'pop': {
      const d = o.dst(bits);
      const lines = [`call${s} ${sub}`, filler(o), `${sub}:`, `pop${s} ${d}`];
      return body(lines, `call${s}; pop${s} ${d}`, { stack: { delta: 0, low: -w, high: 0 } });
    }
    case 'ret':
    case 'retn': {
      const n = form === 'retn' ? o.rng.pick([2, 4, 8]) : 0;
      const lines = [`call${s} ${sub}`, `jmp ${after}`, `${sub}:`, filler(o), n ? `ret${s} $${n}` : `ret${s}`, `${after}:`];
      return body(lines, `call${s}; ret${s}${n ? ` $${n}` : ''}`, { writes: ARITH, stack: { delta: n, low: -w, high: n } });
    }
    case 'far':
    case 'farn': {
      const n = form === 'farn' ? o.rng.pick([2, 4, 8]) : 0;
      const lines = [`lcall${s} $${hex(sel)}, $(${offset(sub)})`, `jmp ${after}`, `${sub}:`, filler(o), n ? `lret${s} $${n}` : `lret${s}`, `${after}:`];
      return body(lines, `lcall${s}; lret${s}${n ? ` $${n}` : ''}`, { writes: ARITH, stack: { delta: n, low: -2 * w, high: n } });
    }
    default: {
      const r = o.setupReg(bits);
      const lines = [`mov${s} $(${offset(sub)}), ${regName(r, bits)}`, `call${s} *${regName(r, bits)}`, `jmp ${after}`, `${sub}:`, `ret${s}`, `${after}:`];
      return body(lines, `call${s} *reg; ret${s}`, { stack: { delta: 0, low: -w, high: 0 } });
    }
  }
}

function farJump(o: Operands): Body {
  const { sel, base } = codeSegment(o.mode);
  const l = o.label();
  const s = o.mode === 'pm32' ? 'l' : o.rng.pick(['w', 'l']);
  const lines = [`ljmp${s} $${hex(sel)}, $(${l} - ${o.codeStart} + ${hex(base)})`, filler(o), `${l}:`];
  return body(lines, `ljmp${s}`);
}

function interrupts(o: Operands): Body {
  const form = o.rng.weighted<string>([
    [3, 'int'], [2, 'int3'], [1, 'int $3'], [3, 'into'], [3, 'bound'], [1, 'int1'], [1, 'ud2'], [1, 'lock'],
  ]);
  switch (form) {
    case 'int': {
      const line = `int $${hex(o.rng.int(0x20, 0xff))}`;
      return body([line], line, { ends: true });
    }
    case 'int3':
      return body(['int3'], 'int3', { ends: true });
    case 'int $3':
      return body(['.byte 0xcd, 0x03'], 'int $3 (CD 03)', { ends: true });
    case 'int1':
      return body(['int1'], 'int1 (F1)', { ends: true });
    case 'ud2':
      return body(['ud2'], 'ud2', { ends: true });
    case 'lock': {
      // lock on a register destination: #UD
      const line = `lock; addl ${o.src(32)}, ${o.dst(32)}`;
      return body([line], line, { ends: true });
    }
    case 'into':
      return body(['into'], 'into', { reads: OF });
    default: {
      const bits: 16 | 32 = o.rng.pick([16, 32] as const);
      const m = o.mem(bits === 16 ? 32 : 64, { readOnly: true });
      const line = `bound${sfx(bits)} ${o.src(bits)}, ${m.op}`;
      return body(withSetup(m.setup, line), line);
    }
  }
}

function descriptorOps(o: Operands): Body {
  const op = o.rng.pick(['lar', 'lsl', 'verr', 'verw', 'smsw', 'sgdt', 'sidt', 'str', 'sldt']);
  const selector = o.rng.pick([0, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x48, 0x58, 0x70, 0x78, 0x80, 0x3b, o.rng.int(0, 0xffff)]);
  if (op === 'lar' || op === 'lsl') {
    const bits: Bits = o.rng.pick([16, 32] as const);
    const r = o.setupReg(16);
    const line = `${op}${sfx(bits)} ${regName(r, bits)}, ${o.dst(bits)}`;
    return body([Operands.set(r, 16, selector), line], line, { writes: ZF });
  }
  if (op === 'verr' || op === 'verw') {
    const r = o.setupReg(16);
    const line = `${op} ${regName(r, 16)}`;
    return body([Operands.set(r, 16, selector), line], line, { writes: ZF });
  }
  if (op === 'sgdt' || op === 'sidt') {
    const m = o.mem(48);
    const line = `${op}${o.rng.pick(['w', 'l'])} ${m.op}`;
    return body(withSetup(m.setup, line), line);
  }
  const bits: Bits = op === 'smsw' ? o.rng.pick([16, 32] as const) : 16;
  const line = `${op}${sfx(bits)} ${o.dst(bits)}`;
  return body([line], line);
}

// ---------------------------------------------------------------- strings

function strings(o: Operands): Body {
  const op = o.rng.pick(['movs', 'cmps', 'scas', 'lods', 'stos']);
  const bits = o.size();
  const s = sfx(bits);
  const prefix = o.rng.weighted<string>([[3, ''], [3, 'rep '], [2, 'repe '], [2, 'repne ']]);
  const addr32 = o.code === 32 ? o.rng.chance(0.75) : o.rng.chance(0.3);
  const aw: 16 | 32 = addr32 ? 32 : 16;
  o.reserve(ESI, EDI, ECX);
  const count = o.rng.pick([0, 1, 2, 3, 5, 8]);
  // both pointers start in the middle so either direction stays in the area
  const si = o.rng.int(0x60, 0x3a0);
  const di = o.rng.int(0x60, 0x3a0);
  // with 16-bit addresses the upper halves are random: they must stay untouched
  const high = (): number => (addr32 ? 0 : o.rng.u32() & 0xffff0000);
  const setups = [Operands.set(ESI, 32, (high() | si) >>> 0), Operands.set(EDI, 32, (high() | di) >>> 0)];
  if (prefix) setups.push(Operands.set(ECX, 32, ((addr32 ? 0 : o.rng.u32() & 0xffff0000) | count) >>> 0));
  const srcSeg = o.rng.chance(0.35) ? `%${o.rng.pick(o.mode === 'pm32' ? ['es', 'fs', 'gs', 'ss'] : ['es', 'fs', 'gs', 'ss', 'cs'])}:` : '';
  const srcOp = `${srcSeg}(${addr32 ? '%esi' : '%si'})`;
  const dstOp = `%es:(${addr32 ? '%edi' : '%di'})`;
  const operands = op === 'movs' ? `${srcOp}, ${dstOp}` : op === 'cmps' ? `${dstOp}, ${srcOp}` : op === 'lods' ? srcOp : dstOp;
  const line = `${prefix}${op}${s} ${operands}`;
  // with a REP prefix and a zero count nothing runs: the flags keep what they were (undefined ones stay undefined)
  const writes = (op === 'cmps' || op === 'scas') && !(prefix && count === 0) ? ARITH : 0;
  return body(withSetup(setups, line), `${prefix}${op}${s}${srcSeg ? ` (${srcSeg.slice(0, -1)})` : ''}${addr32 === (o.code === 32) ? '' : ` addr${aw}`}`, { writes, reads: DF });
}

function nops(o: Operands): Body {
  const line = o.rng.pick(['nop', 'xchgw %ax, %ax', 'pause', '.byte 0x0f, 0x1f, 0x00', '.byte 0x66, 0x90', '.byte 0x3e, 0x90']);
  return body([line], line);
}

export const TEMPLATES: readonly Template[] = [
  { name: 'alu2', weight: 14, gen: alu2 },
  { name: 'alu1', weight: 5, gen: alu1 },
  { name: 'shift', weight: 9, gen: shift },
  { name: 'shiftDouble', weight: 3, gen: shiftDouble },
  { name: 'mulDiv', weight: 5, gen: mulDiv },
  { name: 'imulMulti', weight: 2, gen: imulMulti },
  { name: 'bitTest', weight: 3, gen: bitTest },
  { name: 'bitScan', weight: 2, gen: bitScan },
  { name: 'bcd', weight: 3, gen: bcd },
  { name: 'exchangeAdd', weight: 3, gen: exchangeAdd },
  { name: 'bswap', weight: 1, gen: bswap },
  { name: 'setcc', weight: 3, gen: setcc },
  { name: 'cmovcc', weight: 3, gen: cmovcc },
  { name: 'flagOps', weight: 3, gen: flagOps },
  { name: 'pushPopFlags', weight: 2, gen: pushPopFlags },
  { name: 'mov', weight: 4, gen: mov },
  { name: 'extend', weight: 2, gen: extend },
  { name: 'convert', weight: 1, gen: convert },
  { name: 'lea', weight: 2, gen: lea },
  { name: 'xlat', weight: 1, gen: xlat },
  { name: 'segmentRead', weight: 1, gen: segmentRead },
  { name: 'pushPop', weight: 4, gen: pushPop },
  { name: 'pushaPopa', weight: 1, gen: pushaPopa },
  { name: 'enterLeave', weight: 1, gen: enterLeave },
  { name: 'jcc', weight: 3, gen: jcc },
  { name: 'loops', weight: 2, gen: loops },
  { name: 'callRet', weight: 2, gen: callRet },
  { name: 'farJump', weight: 1, gen: farJump },
  { name: 'interrupts', weight: 0.5, gen: interrupts },
  { name: 'descriptorOps', weight: 1, modes: ['pm16', 'pm32'], gen: descriptorOps },
  { name: 'realDescriptorOps', weight: 0.2, modes: ['real'], gen: descriptorOps },
  { name: 'strings', weight: 5, gen: strings },
  { name: 'nops', weight: 1, gen: nops },
];

export function templatesFor(mode: Mode): readonly Template[] {
  return TEMPLATES.filter((t) => !t.modes || t.modes.includes(mode));
}

