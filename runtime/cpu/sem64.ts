/**
 * Semantics of instructions with a 64-bit operand size (REX.W, and the
 * near branches and stack operations that default to 64 bits in 64-bit
 * code). Values are pairs of int32 halves (`Q`); flags go through the same
 * lazy model with high halves. Instructions whose 64-bit form is the same
 * as their 32-bit one are not here (generate() falls back to sem.ts).
 */
import { bin, call, cond, i32, id, ifs, index, lit, num, op2, prop, set, stmt, un, type Expr } from './ast.js';
import { CC, CF } from './flags.js';
import { exactQ, productHigh, ult, type Gen, type Q } from './gen.js';

type Sem = (g: Gen) => void;

const RAX = num(0);
const RCX = num(1);
const RDX = num(2);
const RSP = num(4);
const RBP = num(5);

// ---- pair arithmetic ------------------------------------------------------------------

function addQ(g: Gen, a: Q, b: Q, carryIn?: Expr): Q {
  const al = g.tmp(a.lo);
  const bl = g.tmp(b.lo);
  const s1 = g.tmp(i32(op2('+', al, bl)));
  let lo = s1;
  let carry: Expr = cond(ult(s1, al), num(1), num(0));
  if (carryIn) {
    lo = g.tmp(i32(op2('+', s1, carryIn)));
    carry = op2('+', carry, cond(ult(lo, s1), num(1), num(0)));
  }
  return { lo, hi: g.tmp(i32(op2('+', op2('+', a.hi, b.hi), carry))) };
}

function subQ(g: Gen, a: Q, b: Q, borrowIn?: Expr): Q {
  const al = g.tmp(a.lo);
  const bl = g.tmp(b.lo);
  const d1 = g.tmp(i32(op2('-', al, bl)));
  let lo = d1;
  let borrow: Expr = cond(ult(al, bl), num(1), num(0));
  if (borrowIn) {
    lo = g.tmp(i32(op2('-', d1, borrowIn)));
    borrow = op2('+', borrow, cond(ult(d1, borrowIn), num(1), num(0)));
  }
  return { lo, hi: g.tmp(i32(op2('-', op2('-', a.hi, b.hi), borrow))) };
}

function bitQ(g: Gen, op: '&' | '|' | '^', a: Q, b: Q): Q {
  return { lo: g.tmp(op2(op, a.lo, b.lo)), hi: g.tmp(op2(op, a.hi, b.hi)) };
}

const ZERO: Q = { lo: num(0), hi: num(0) };

function tmpQ(g: Gen, q: Q): Q {
  return { lo: g.tmp(q.lo), hi: g.tmp(q.hi) };
}

/** Calls a helper returning the low half with the high half in OUT[0]. */
function helperQ(g: Gen, name: string, ...args: Expr[]): Q {
  const lo = g.tmp(call(name, ...args));
  const hi = g.tmp(index('OUT', num(0)));
  return { lo, hi };
}

/**
 * A Q as an exact signed number (branch targets): the low half itself when the high half is its
 * sign (the kernel's text and a static program's), which V8's baseline code need not box.
 */
function qNum(q: Q): Expr {
  return cond(bin('===', q.hi, op2('>>', q.lo, num(31))), q.lo, exactQ(q));
}

// ---- ALU ------------------------------------------------------------------------------------

function alu(family: number, f: (g: Gen, a: Q, b: Q) => Q, store = true): Sem {
  return (g) => {
    const a = tmpQ(g, g.readQ(0));
    const b = tmpQ(g, g.readQ(1));
    const r = f(g, a, b);
    if (store) g.writeQ(0, r);
    g.setFlagsQ(family, r, family === CC.LOGIC ? ZERO : b);
  };
}

function carryAlu(family: number, sub: boolean): Sem {
  return (g) => {
    const c = g.tmp(g.carry());
    const a = tmpQ(g, g.readQ(0));
    const b = tmpQ(g, g.readQ(1));
    const r = sub ? subQ(g, a, b, c) : addQ(g, a, b, c);
    g.writeQ(0, r);
    g.setFlagsQ(family, r, b, c);
  };
}

function incDec(inc: boolean): Sem {
  return (g) => {
    const c = g.tmp(g.carry());
    const a = tmpQ(g, g.readQ(0));
    const r = inc ? addQ(g, a, { lo: num(1), hi: num(0) }) : subQ(g, a, { lo: num(1), hi: num(0) });
    g.writeQ(0, r);
    g.setFlagsQ(inc ? CC.INC : CC.DEC, r, { lo: c, hi: num(0) });
  };
}

// ---- shifts ------------------------------------------------------------------------------------

function shift(kind: 'shl' | 'shr' | 'sar'): Sem {
  return (g) => {
    const cnt = g.tmp(op2('&', g.read(1), num(0x3f)));
    const v = tmpQ(g, g.readQ(0));
    const fn = kind === 'shl' ? 'shl64' : kind === 'shr' ? 'shr64' : 'sar64';
    const r = helperQ(g, fn, v.lo, v.hi, cnt);
    g.writeQ(0, r);
    g.whenCount(cnt, () => {
      const m1 = helperQ(g, fn, v.lo, v.hi, op2('-', cnt, num(1)));
      g.setFlagsQ(kind === 'shl' ? CC.SHL : CC.SAR, r, m1);
    });
  };
}

function rotate(right: boolean): Sem {
  return (g) => {
    const cnt = g.tmp(op2('&', g.read(1), num(0x3f)));
    const v = tmpQ(g, g.readQ(0));
    const r = helperQ(g, 'rot64', v.lo, v.hi, cnt, lit(right));
    g.writeQ(0, r);
    g.whenCount(cnt, () => g.setRotateFlags(right, r.hi, r.lo, 31));
  };
}

function rotateCarry(right: boolean): Sem {
  return (g) => {
    const f = g.tmp(g.arith());
    const v = tmpQ(g, g.readQ(0));
    const lo = g.tmp(call('rc64', v.lo, v.hi, g.read(1), f, lit(right)));
    const hi = g.tmp(index('OUT', num(0)));
    const nf = g.tmp(index('OUT', num(1)));
    g.writeQ(0, { lo, hi });
    g.setEflagsArith(nf);
  };
}

function doubleShift(right: boolean): Sem {
  return (g) => {
    const cnt = g.tmp(op2('&', g.read(2), num(0x3f)));
    const d = tmpQ(g, g.readQ(0));
    const s = tmpQ(g, g.readQ(1));
    const body = () => {
      // dest:src shifted as 128 bits; the result is the top (SHLD) or bottom (SHRD) 64.
      const a = helperQ(g, right ? 'shr64' : 'shl64', d.lo, d.hi, cnt);
      const b = helperQ(g, right ? 'shl64' : 'shr64', s.lo, s.hi, op2('&', op2('-', num(64), cnt), num(63)));
      const r = bitQ(g, '|', a, b);
      const a1 = helperQ(g, right ? 'shr64' : 'shl64', d.lo, d.hi, op2('-', cnt, num(1)));
      const b1 = helperQ(g, right ? 'shl64' : 'shr64', s.lo, s.hi, op2('&', op2('-', num(65), cnt), num(63)));
      const m1 = g.tmp(bin('===', cnt, num(1)));
      const r1: Q = { lo: g.tmp(cond(m1, d.lo, op2('|', a1.lo, b1.lo))), hi: g.tmp(cond(m1, d.hi, op2('|', a1.hi, b1.hi))) };
      g.writeQ(0, r);
      g.setFlagsQ(right ? CC.SAR : CC.SHL, r, r1);
    };
    g.whenCount(cnt, body, () => g.writeQ(0, d));
  };
}

// ---- multiply and divide ----------------------------------------------------------------------

function mulAcc(signed: boolean): Sem {
  return (g) => {
    const src = tmpQ(g, g.readQ(0));
    const a = g.readRegQ(RAX);
    const lo = g.tmp(call('mul64', a.lo, a.hi, src.lo, src.hi, lit(signed)));
    const hi = g.tmp(index('OUT', num(1)));
    const lo2 = g.tmp(index('OUT', num(2)));
    const hi2 = g.tmp(index('OUT', num(3)));
    g.writeRegQ(RAX, { lo, hi });
    g.writeRegQ(RDX, { lo: lo2, hi: hi2 });
    if (signed) {
      // CF=OF when the high half is not the sign extension of the low half.
      const s = g.tmp(op2('>>', hi, num(31)));
      g.setFlagsQ(CC.MUL, { lo, hi }, { lo: g.tmp(op2('^', lo2, s)), hi: g.tmp(op2('^', hi2, s)) });
    } else g.setFlagsQ(CC.MUL, { lo, hi }, { lo: lo2, hi: hi2 });
  };
}

function imulN(three: boolean): Sem {
  return (g) => {
    const a = tmpQ(g, g.readQ(1));
    const b = three ? tmpQ(g, g.readQ(2)) : tmpQ(g, g.readQ(0));
    const { lo, hi, ovf } = imulQ(g, a, b);
    g.writeQ(0, { lo, hi });
    g.setFlagsQ(CC.MUL, { lo, hi }, { lo: ovf, hi: num(0) });
  };
}

/**
 * The truncated signed product of `a` and `b` and whether it overflowed (0 or 1). Most of what
 * Linux multiplies has factors that fit in 32 bits, signed or unsigned (an index times a size,
 * multi-word arithmetic in 32-bit limbs): that case is inline (productHigh), the rest calls imul64.
 */
function imulQ(g: Gen, a: Q, b: Q): { lo: Expr; hi: Expr; ovf: Expr } {
  // Whether a factor fits in 32 bits and its value then (the int32 low half, or the low half
  // unsigned); for a constant (an immediate) both are known.
  const known = (q: Q) => (q.hi.k === 'num' && q.lo.k === 'num' ? { hi: q.hi.v, lo: q.lo.v } : undefined);
  const int32 = (q: Q) => bin('===', q.hi, op2('>>', q.lo, num(31)));
  const fits = (q: Q): Expr | boolean => {
    const c = known(q);
    return c ? c.hi === c.lo >> 31 || c.hi === 0 : bin('||', int32(q), bin('===', q.hi, num(0)));
  };
  const value = (q: Q): Expr => {
    const c = known(q);
    return c ? num(c.hi === c.lo >> 31 ? c.lo : c.lo >>> 0) : cond(int32(q), q.lo, op2('>>>', q.lo, num(0)));
  };
  const fa = fits(a);
  const fb = fits(b);
  if (fa === false || fb === false) {
    const lo = g.tmp(call('imul64', a.lo, a.hi, b.lo, b.hi));
    return { lo, hi: g.tmp(index('OUT', num(0))), ovf: g.tmp(index('OUT', num(1))) };
  }
  const checks = [fa, fb].filter((f): f is Expr => f !== true);
  const fast = g.tmp(checks.length === 0 ? bin('===', num(0), num(0)) : checks.reduce((x, y) => bin('&&', x, y)));
  const lo = g.tmp(cond(fast, call(prop('Math', 'imul'), a.lo, b.lo), call('imul64', a.lo, a.hi, b.lo, b.hi)));
  const high = g.tmp(cond(fast, productHigh(value(a), value(b), lo), num(0)));
  const hi = g.tmp(cond(fast, i32(high), index('OUT', num(0))));
  // (Factors from -2^31 to 2^32 - 1 multiply to more than -2^63: only a product from 2^63 up overflows.)
  const ovf = g.tmp(cond(fast, cond(bin('>=', high, num(2 ** 31)), num(1), num(0)), index('OUT', num(1))));
  return { lo, hi, ovf };
}

function divide(signed: boolean): Sem {
  return (g) => {
    const d = tmpQ(g, g.readQ(0));
    const a = g.readRegQ(RAX);
    const x = g.readRegQ(RDX);
    const ok = g.tmp(call('div128', a.lo, a.hi, x.lo, x.hi, d.lo, d.hi, lit(signed)));
    g.emit(ifs({ k: 'un', op: '!', a: ok }, [stmt(g.cpuCall('raise', num(0), num(-1)))]));
    const q: Q = { lo: g.tmp(index('OUT', num(0))), hi: g.tmp(index('OUT', num(1))) };
    const r: Q = { lo: g.tmp(index('OUT', num(2))), hi: g.tmp(index('OUT', num(3))) };
    g.writeRegQ(RAX, q);
    g.writeRegQ(RDX, r);
  };
}

// ---- bits -----------------------------------------------------------------------------------------

function bitTest(kind: 'bt' | 'bts' | 'btr' | 'btc'): Sem {
  return (g) => {
    const immForm = g.ops[1]!.kind === 'I';
    const offQ = immForm ? { lo: g.read(1), hi: num(0) } : tmpQ(g, g.readQ(1));
    const bit = g.tmp(op2('&', offQ.lo, num(63)));
    let v: Q;
    let la: Expr | undefined;
    if (g.isMem(0)) {
      let addr = g.ea();
      if (!immForm) addr = call('wrap64', op2('+', addr, op2('*', call(prop('Math', 'floor'), op2('/', op2('+', op2('*', offQ.hi, num(4294967296)), op2('>>>', offQ.lo, num(0))), num(64))), num(8))));
      la = g.tmp(g.linear(g.i.seg, addr));
      v = tmpQ(g, g.loadQ(la));
    } else v = tmpQ(g, g.readQ(0));
    const inHi = g.tmp(bin('>=', bit, num(32)));
    const word = g.tmp(cond(inHi, v.hi, v.lo));
    const b5 = g.tmp(op2('&', bit, num(31)));
    if (kind !== 'bt') {
      const mask = op2('<<', num(1), b5);
      const nw = kind === 'bts' ? op2('|', word, mask) : kind === 'btr' ? op2('&', word, un('~', mask)) : op2('^', word, mask);
      const nwt = g.tmp(nw);
      const nv: Q = { lo: g.tmp(cond(inHi, v.lo, nwt)), hi: g.tmp(cond(inHi, nwt, v.hi)) };
      if (la) g.storeQ(la, nv);
      else g.writeQ(0, nv);
    }
    const f = g.tmp(g.arith());
    g.setEflagsArith(op2('|', op2('&', f, num(~CF)), op2('&', op2('>>>', word, b5), num(1))));
  };
}

function bitScan(reverse: boolean): Sem {
  return (g) => {
    const v = tmpQ(g, g.readQ(1));
    const old = g.readQ(0);
    const r = g.tmp(call(reverse ? 'bsr64' : 'bsf64', v.lo, v.hi, num(-1)));
    g.emit(ifs(bin('!==', r, num(-1)), g.nest(() => g.writeQ(0, { lo: r, hi: num(0) }))));
    void old;
    g.setFlagsQ(CC.LOGIC, v, ZERO);
  };
}

// ---- moves, stack, branches ------------------------------------------------------------------

const mov: Sem = (g) => g.writeQ(0, g.readQ(1));

const movx =
  (signed: boolean): Sem =>
  (g) => {
    const w = g.width(1);
    const v = g.tmp(g.read(1));
    const lo = signed ? (w === 1 ? op2('>>', op2('<<', v, num(24)), num(24)) : w === 2 ? op2('>>', op2('<<', v, num(16)), num(16)) : i32(v)) : v;
    const l = g.tmp(lo);
    g.writeQ(0, { lo: l, hi: signed ? op2('>>', l, num(31)) : num(0) });
  };

const xchg: Sem = (g) => {
  const a = tmpQ(g, g.readQ(0));
  const b = tmpQ(g, g.readQ(1));
  g.writeQ(0, b);
  g.writeQ(1, a);
};

const lea: Sem = (g) => {
  // A 64-bit result, or the low 32 bits zero-extended, or the low 16 bits merged into the register.
  const put = (lo: Expr, hi: () => Expr): void => {
    if (g.osize === 8) g.writeQ(0, { lo, hi: hi() });
    else if (g.osize === 4) g.writeQ(0, { lo, hi: num(0) });
    else g.write(0, lo);
  };
  if (g.asize !== 8) {
    put(g.tmp(g.ea()), () => num(0));
    return;
  }
  // LEA is arithmetic too: the exact 64-bit sum in halves (addresses as numbers lose bits past 2^53).
  const q = g.eaHalves();
  put(g.tmp(q.lo), () => q.hi);
};

const pushf: Sem = (g) => {
  g.sync();
  const v = g.tmp(g.cpuCall('pushfValue'));
  g.pushQ({ lo: v, hi: num(0) });
};

const push: Sem = (g) => {
  const o = g.ops[0]!;
  if (o.kind === 'seg') {
    g.pushQ({ lo: op2('&', index(g.cpu('segSel'), num(o.reg)), num(0xffff)), hi: num(0) });
    return;
  }
  g.pushQ(tmpQ(g, g.readQ(0)));
};

const pop: Sem = (g) => {
  const o = g.ops[0]!;
  if (o.kind === 'seg') {
    const [v] = g.peekQ();
    g.stateCall('loadSegment', num(o.reg), v!.lo);
    g.adjustSp(8);
    return;
  }
  const [v] = g.peekQ();
  const val = tmpQ(g, v!);
  if (g.isMem(0)) {
    g.espBias = 8;
    g.writeQ(0, val);
    g.espBias = 0;
    g.adjustSp(8);
  } else {
    g.adjustSp(8);
    g.writeQ(0, val);
  }
};

const leave: Sem = (g) => {
  const bp = tmpQ(g, g.readRegQ(RBP));
  const la = g.tmp(op2('+', op2('*', bp.hi, num(4294967296)), op2('>>>', bp.lo, num(0))));
  const v = tmpQ(g, g.loadQ(la));
  g.writeRegQ(RSP, g.addQ32(bp, num(8)));
  g.writeRegQ(RBP, v);
};

const cbw: Sem = (g) => {
  const l = g.tmp(g.reg(RAX));
  g.writeRegQ(RAX, { lo: l, hi: op2('>>', l, num(31)) });
};

const cwd: Sem = (g) => {
  const h = g.tmp(op2('>>', g.regHi(RAX), num(31)));
  g.writeRegQ(RDX, { lo: h, hi: h });
};

const nextQ = (g: Gen): Q => {
  if (g.field('next').k === 'num') {
    const n = g.i.next;
    return { lo: num(n % 4294967296 | 0), hi: num(Math.floor(n / 4294967296) | 0) };
  }
  return { lo: i32(g.field('next')), hi: call(prop('Math', 'floor'), op2('/', g.field('next'), num(4294967296))) };
};

const call_: Sem = (g) => {
  g.pushQ(nextQ(g));
  g.exit(g.field('imm'));
};

const calli: Sem = (g) => {
  const t = tmpQ(g, g.readQ(0));
  g.pushQ(nextQ(g));
  g.exit(qNum(t));
};

const jmpi: Sem = (g) => g.exit(qNum(g.readQ(0)));

const ret: Sem = (g) => {
  const [v] = g.peekQ();
  const t = tmpQ(g, v!);
  g.adjustSp(g.ops.length ? op2('+', g.field('imm'), num(8)) : 8);
  g.exit(qNum(t));
};

function loopOp(kind: 'loop' | 'loopz' | 'loopnz' | 'jcxz'): Sem {
  return (g) => {
    const c = tmpQ(g, g.asize === 8 ? g.readRegQ(RCX) : { lo: g.reg(RCX), hi: num(0) });
    if (kind === 'jcxz') {
      g.branch(bin('===', op2('|', c.lo, c.hi), num(0)), g.field('imm'), g.field('next'));
      return;
    }
    const n = subQ(g, c, { lo: num(1), hi: num(0) });
    if (g.asize === 8) g.writeRegQ(RCX, n);
    else g.writeReg(RCX, 4, n.lo);
    let t: Expr = bin('!==', op2('|', n.lo, g.asize === 8 ? n.hi : num(0)), num(0));
    if (kind === 'loopz') t = bin('&&', t, g.test(4));
    if (kind === 'loopnz') t = bin('&&', t, g.test(5));
    g.branch(t, g.field('imm'), g.field('next'));
  };
}

const cmovcc: Sem = (g) => {
  const v = tmpQ(g, g.readQ(1));
  const c = g.tmp(g.testEntry());
  const old = tmpQ(g, g.readQ(0));
  g.writeQ(0, { lo: cond(c, v.lo, old.lo), hi: cond(c, v.hi, old.hi) });
};

const xadd: Sem = (g) => {
  const d = tmpQ(g, g.readQ(0));
  const s = tmpQ(g, g.readQ(1));
  const r = addQ(g, d, s);
  if (g.isMem(0)) {
    g.writeQ(0, r);
    g.writeQ(1, d);
  } else {
    g.writeQ(1, d);
    g.writeQ(0, r);
  }
  g.setFlagsQ(CC.ADD, r, s);
};

const cmpxchg: Sem = (g) => {
  const old = tmpQ(g, g.readQ(0));
  const acc = tmpQ(g, g.readRegQ(RAX));
  const eq = g.tmp(bin('&&', bin('===', acc.lo, old.lo), bin('===', acc.hi, old.hi)));
  const src = tmpQ(g, g.readQ(1));
  const nv: Q = { lo: g.tmp(cond(eq, src.lo, old.lo)), hi: g.tmp(cond(eq, src.hi, old.hi)) };
  if (g.isMem(0)) {
    g.writeQ(0, nv);
    g.writeRegQ(RAX, old);
  } else {
    g.writeRegQ(RAX, old);
    g.writeQ(0, nv);
  }
  g.setFlagsQ(CC.SUB, subQ(g, acc, old), old);
};

const bswap: Sem = (g) => {
  const v = tmpQ(g, g.readQ(0));
  g.writeQ(0, { lo: call('bswap', v.hi), hi: call('bswap', v.lo) });
};

const movsxd: Sem = (g) => {
  const v = g.tmp(g.read(1));
  g.writeQ(0, { lo: v, hi: op2('>>', v, num(31)) });
};

const neg: Sem = (g) => {
  const a = tmpQ(g, g.readQ(0));
  const r = subQ(g, ZERO, a);
  g.writeQ(0, r);
  g.setFlagsQ(CC.SUB, r, a);
};

const not: Sem = (g) => {
  const a = g.readQ(0);
  g.writeQ(0, { lo: un('~', a.lo), hi: un('~', a.hi) });
};

export const SEMANTICS_64: Record<string, Sem> = {
  add: alu(CC.ADD, (g, a, b) => addQ(g, a, b)),
  or: alu(CC.LOGIC, (g, a, b) => bitQ(g, '|', a, b)),
  adc: carryAlu(CC.ADC, false),
  sbb: carryAlu(CC.SBB, true),
  and: alu(CC.LOGIC, (g, a, b) => bitQ(g, '&', a, b)),
  sub: alu(CC.SUB, (g, a, b) => subQ(g, a, b)),
  xor: alu(CC.LOGIC, (g, a, b) => bitQ(g, '^', a, b)),
  cmp: alu(CC.SUB, (g, a, b) => subQ(g, a, b), false),
  test: alu(CC.LOGIC, (g, a, b) => bitQ(g, '&', a, b), false),
  inc: incDec(true),
  dec: incDec(false),
  neg,
  not,
  shl: shift('shl'),
  sal: shift('shl'),
  shr: shift('shr'),
  sar: shift('sar'),
  rol: rotate(false),
  ror: rotate(true),
  rcl: rotateCarry(false),
  rcr: rotateCarry(true),
  shld: doubleShift(false),
  shrd: doubleShift(true),
  mul: mulAcc(false),
  imul1: mulAcc(true),
  imul2: imulN(false),
  imul3: imulN(true),
  div: divide(false),
  idiv: divide(true),
  bt: bitTest('bt'),
  bts: bitTest('bts'),
  btr: bitTest('btr'),
  btc: bitTest('btc'),
  bsf: bitScan(false),
  bsr: bitScan(true),
  mov,
  movzx: movx(false),
  movsx: movx(true),
  movsxd,
  xchg,
  lea,
  push,
  pop,
  pushf,
  leave,
  cbw,
  cwd,
  call: call_,
  calli,
  jmpi,
  ret,
  loop: loopOp('loop'),
  loopz: loopOp('loopz'),
  loopnz: loopOp('loopnz'),
  jcxz: loopOp('jcxz'),
  cmovcc,
  xadd,
  cmpxchg,
  bswap,
};

export { id, set };
