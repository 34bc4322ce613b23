/**
 * Instruction semantics, one entry per mnemonic of the opcode table,
 * written once against `Gen` (gen.ts) and used by both tiers. Flag
 * behaviour follows QEMU 7.2's translator (target/i386/tcg/translate.c):
 * the lazy-flags operation each instruction records, and what it does to
 * flags the SDM leaves undefined.
 *
 * Instructions that change whole-CPU state (far transfers, interrupts,
 * system registers, string instructions, port IO) call CPU methods with
 * their decoded fields; the JIT writes its register locals back around them.
 */
import { bin, call, cond, constv, i32, ifs, index, lit, num, op2, prop, set, sext, stmt, un, zext, type Expr } from './ast.js';
import { A, CS, SS } from './decode.js';
import { AF, CC, CF, DF, OF } from './flags.js';
import { HF, productHigh, type Gen } from './gen.js';
import { SSE_NAMES } from './sse.js';

type Sem = (g: Gen) => void;

const EAX = num(0);
const ECX = num(1);
const EDX = num(2);
const ESP = num(4);
const EBP = num(5);

// ---- ALU --------------------------------------------------------------------

function binaryAlu(family: number, f: (a: Expr, b: Expr) => Expr, store = true): Sem {
  return (g) => {
    const w = g.width(0);
    const b = g.tmp(g.read(1));
    // (After the second operand, as the result computed it: a SUB's conditions compare it to b.)
    const a = family === CC.SUB ? g.tmp(g.read(0)) : g.read(0);
    const r = g.tmp(i32(f(a, b)));
    if (store) g.write(0, r);
    g.setFlags(family, w, r, family === CC.LOGIC ? num(0) : b, undefined, family === CC.SUB ? a : undefined);
  };
}

function carryAlu(family: number, sign: '+' | '-'): Sem {
  return (g) => {
    const w = g.width(0);
    const c = g.tmp(g.carry());
    const a = g.read(0);
    const b = g.tmp(g.read(1));
    const r = g.tmp(i32(op2(sign, op2(sign, a, b), c)));
    g.write(0, r);
    g.setFlags(family, w, r, b, c);
  };
}

function incDec(family: number, sign: '+' | '-'): Sem {
  return (g) => {
    const w = g.width(0);
    const c = g.tmp(g.carry());
    const r = g.tmp(i32(op2(sign, g.read(0), num(1))));
    g.write(0, r);
    g.setFlags(family, w, r, c);
  };
}

// ---- shifts and rotates ---------------------------------------------------------

const MASK = [0, 0xff, 0xffff, 0, -1];
const BITS = [0, 8, 16, 0, 32];

/** SHL/SHR/SAR: count masked to 5 bits; flags only when the count is not 0 (QEMU gen_shift_rm_T1 / _im). */
function shift(kind: 'shl' | 'shr' | 'sar'): Sem {
  return (g) => {
    const w = g.width(0);
    const cnt = g.tmp(op2('&', g.read(1), num(0x1f)));
    let v = g.read(0);
    if (kind === 'sar') v = sext(v, w);
    v = g.tmp(v);
    const opShift: '<<' | '>>' | '>>>' = kind === 'shl' ? '<<' : kind === 'sar' ? '>>' : '>>>';
    const r = g.tmp(i32(op2(opShift, v, cnt)));
    g.write(0, r);
    const fam = kind === 'shl' ? CC.SHL : CC.SAR;
    g.whenCount(cnt, () => g.setFlags(fam, w, r, i32(op2(opShift, v, op2('-', cnt, num(1))))));
  };
}

/** ROL/ROR: result rotated within the operand; C and O from the result (QEMU gen_rot_rm_*). */
function rotate(right: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const bits = BITS[w]!;
    const raw = g.tmp(op2('&', g.read(1), num(0x1f)));
    const v = g.tmp(g.read(0));
    const c = g.tmp(op2('&', raw, num(bits - 1)));
    const r = g.tmp(
      op2(
        '&',
        op2('|', op2(right ? '>>>' : '<<', v, c), op2(right ? '<<' : '>>>', v, op2('&', op2('-', num(bits), c), num(bits - 1)))),
        num(MASK[w]!),
      ),
    );
    // A rotate by 0 mod the width must not pull the value in twice: `v << 0 | v >>> 0` is v, fine.
    g.write(0, r);
    g.whenCount(raw, () => g.setRotateFlags(right, r, r, bits - 1));
  };
}

function rotateCarry(right: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const f = g.tmp(g.arith());
    const r = g.tmp(call(right ? 'rcr' : 'rcl', num(w), g.read(0), g.read(1), f));
    const nf = g.tmp(index('OUT', num(0)));
    g.write(0, r);
    g.setEflagsArith(nf);
  };
}

function doubleShift(right: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const cnt = g.tmp(op2('&', g.read(2), num(0x1f)));
    const d = g.tmp(g.read(0));
    const s = g.tmp(g.read(1));
    const body = () => {
      const r = g.tmp(call(right ? 'shrd' : 'shld', num(w), d, s, cnt));
      const m1 = g.tmp(index('OUT', num(0)));
      g.write(0, r);
      g.setFlags(right ? CC.SAR : CC.SHL, w, r, m1);
    };
    g.whenCount(cnt, body, () => g.write(0, d));
  };
}

// ---- multiply and divide ----------------------------------------------------------

/** The 64-bit product of two 32-bit values, unsigned or `signed`, in halves, inline (Linux's timekeeping multiplies with MUL r32 at every clock read). */
function mul32(g: Gen, a: Expr, b: Expr, signed: boolean): { lo: Expr; hi: Expr } {
  const lo = g.tmp(call(prop('Math', 'imul'), a, b));
  const value = (e: Expr) => (signed ? i32(e) : op2('>>>', e, num(0)));
  return { lo, hi: g.tmp(i32(productHigh(value(a), value(b), lo))) };
}

const mul1: Sem = (g) => {
  const w = g.width(0);
  const src = g.tmp(g.read(0));
  if (w === 1) {
    const r = g.tmp(op2('*', g.readReg(EAX, 1), src));
    g.writeReg(EAX, 2, r);
    g.setFlags(CC.MUL, 1, r, op2('&', r, num(0xff00)));
  } else if (w === 2) {
    const r = g.tmp(op2('*', g.readReg(EAX, 2), src));
    const hi = g.tmp(op2('>>>', r, num(16)));
    g.writeReg(EAX, 2, r);
    g.writeReg(EDX, 2, hi);
    g.setFlags(CC.MUL, 2, r, hi);
  } else {
    const { lo, hi } = mul32(g, g.reg(EAX), src, false);
    g.setReg(EAX, lo);
    g.setReg(EDX, hi);
    g.setFlags(CC.MUL, 4, lo, hi);
  }
};

const imul1: Sem = (g) => {
  const w = g.width(0);
  const src = g.tmp(sext(g.read(0), w));
  if (w === 1) {
    const r = g.tmp(i32(op2('*', sext(g.readReg(EAX, 1), 1), src)));
    g.writeReg(EAX, 2, r);
    g.setFlags(CC.MUL, 1, r, op2('-', r, sext(r, 1)));
  } else if (w === 2) {
    const r = g.tmp(i32(op2('*', sext(g.readReg(EAX, 2), 2), src)));
    g.writeReg(EAX, 2, r);
    g.writeReg(EDX, 2, op2('>>', r, num(16)));
    g.setFlags(CC.MUL, 2, r, op2('-', r, sext(r, 2)));
  } else {
    const { lo, hi } = mul32(g, g.reg(EAX), src, true);
    g.setReg(EAX, lo);
    g.setReg(EDX, hi);
    g.setFlags(CC.MUL, 4, lo, i32(op2('-', hi, op2('>>', lo, num(31)))));
  }
};

/** IMUL r, r/m[, imm]: truncated product, CF=OF when it does not fit. */
function imulN(three: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const a = g.tmp(sext(g.read(1), w));
    const b = g.tmp(sext(three ? g.read(2) : g.read(0), w));
    if (w === 4) {
      const { lo, hi } = mul32(g, a, b, true);
      g.write(0, lo);
      g.setFlags(CC.MUL, 4, lo, i32(op2('-', hi, op2('>>', lo, num(31)))));
    } else {
      const r = g.tmp(i32(op2('*', a, b)));
      g.write(0, r);
      g.setFlags(CC.MUL, w, r, op2('-', r, sext(r, w)));
    }
  };
}

function divide(signed: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const d = g.tmp(signed ? sext(g.read(0), w) : g.read(0));
    if (w === 4) {
      const q = g.tmp(call(signed ? 'divs64' : 'divu64', g.reg(EDX), g.reg(EAX), d));
      g.emit(ifs(bin('===', q, lit(undefined)), [stmt(g.cpuCall('raise', num(0), num(-1)))]));
      const r = g.tmp(index('OUT', num(0)));
      g.setReg(EAX, q);
      g.setReg(EDX, r);
      return;
    }
    const dividend = g.tmp(
      w === 1
        ? signed
          ? sext(g.readReg(EAX, 2), 2)
          : g.readReg(EAX, 2)
        : signed
          ? i32(op2('|', op2('<<', g.readReg(EDX, 2), num(16)), g.readReg(EAX, 2)))
          : op2('>>>', op2('|', op2('<<', g.readReg(EDX, 2), num(16)), g.readReg(EAX, 2)), num(0)),
    );
    g.emit(ifs(bin('===', d, num(0)), [stmt(g.cpuCall('raise', num(0), num(-1)))]));
    const q = g.tmp(signed ? call(prop('Math', 'trunc'), op2('/', dividend, d)) : call(prop('Math', 'floor'), op2('/', dividend, d)));
    const lim = w === 1 ? (signed ? [-128, 127] : [0, 255]) : signed ? [-32768, 32767] : [0, 65535];
    g.emit(ifs(bin('||', bin('<', q, num(lim[0]!)), bin('>', q, num(lim[1]!))), [stmt(g.cpuCall('raise', num(0), num(-1)))]));
    const r = g.tmp(i32(op2('-', dividend, op2('*', q, d))));
    if (w === 1) g.writeReg(EAX, 2, op2('|', op2('&', q, num(0xff)), op2('<<', op2('&', r, num(0xff)), num(8))));
    else {
      g.writeReg(EAX, 2, q);
      g.writeReg(EDX, 2, r);
    }
  };
}

// ---- bit tests and scans -------------------------------------------------------------

/** BT/BTS/BTR/BTC. A register bit offset addresses memory beyond the operand (signed, in operand-size units). */
function bitTest(kind: 'bt' | 'bts' | 'btr' | 'btc'): Sem {
  return (g) => {
    const w = g.width(0);
    const bits = w * 8;
    const immForm = g.ops[1]!.kind === 'I';
    const off = g.tmp(g.read(1));
    const bit = g.tmp(op2('&', off, num(bits - 1)));
    let val: Expr;
    let la: Expr | undefined;
    if (g.isMem(0)) {
      // A register bit offset moves the operand in operand-size units before the address is wrapped (QEMU: gen_lea_modrm_1 + disp).
      let off2 = g.ea();
      if (!immForm) {
        const moved = op2('+', off2, op2('<<', op2('>>', sext(off, w), num(w === 2 ? 4 : 5)), num(w === 2 ? 1 : 2)));
        off2 = g.asize === 2 ? op2('&', moved, num(0xffff)) : i32(moved);
      }
      la = g.tmp(g.linear(g.i.seg, off2));
      val = g.tmp(g.load(la, w));
    } else val = g.tmp(g.read(0));
    const mask = op2('<<', num(1), bit);
    if (kind !== 'bt') {
      const nv = kind === 'bts' ? op2('|', val, mask) : kind === 'btr' ? op2('&', val, un('~', mask)) : op2('^', val, mask);
      if (la) g.store(la, w, zext(nv, w));
      else g.write(0, nv);
    }
    const shifted = op2('>>>', val, bit);
    g.btFlags(shifted);
  };
}

function bitScan(reverse: boolean): Sem {
  return (g) => {
    const w = g.width(0);
    const v = g.tmp(g.read(1));
    const old = g.read(0);
    g.write(0, call(reverse ? 'bsr' : 'bsf', v, old));
    g.setFlags(CC.LOGIC, w, v, num(0));
  };
}

// ---- data movement ---------------------------------------------------------------------

const mov: Sem = (g) => g.write(0, g.read(1));

const xchg: Sem = (g) => {
  const a = g.tmp(g.read(0));
  const b = g.tmp(g.read(1));
  g.write(0, b);
  g.write(1, a);
};

const movx =
  (signed: boolean): Sem =>
  (g) => {
    const v = g.read(1);
    g.write(0, signed ? sext(v, g.width(1)) : v);
  };

const push: Sem = (g) => {
  const o = g.ops[0]!;
  const w = o.kind === 'seg' ? g.osize : g.width(0);
  g.push(w, g.tmp(g.read(0)));
};

const pop: Sem = (g) => {
  const o = g.ops[0]!;
  if (o.kind === 'seg') {
    const [v] = g.peek(g.osize);
    g.stateCall('loadSegment', num(o.reg), v!);
    g.adjustSp(g.osize);
    if (o.reg === SS) g.emit(set(g.cpu('inhibitIrq'), lit(true)));
    return;
  }
  const w = g.width(0);
  const [v] = g.peek(w);
  const val = g.tmp(v!);
  if (g.isMem(0)) {
    // The address uses ESP as it is after the pop (SDM: POP [ESP] and QEMU's popl_esp_hack).
    g.espBias = w;
    g.write(0, val);
    g.espBias = 0;
    g.adjustSp(w);
  } else {
    g.adjustSp(w);
    g.write(0, val);
  }
};

const pusha: Sem = (g) => {
  const w = g.osize;
  const vals = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => g.tmp(g.readReg(num(r), w)));
  g.push(w, ...vals);
};

const popa: Sem = (g) => {
  const w = g.osize;
  const vals = g.peek(w, 8).map((v) => g.tmp(v));
  for (let n = 0; n < 8; n++) if (7 - n !== 4) g.writeReg(num(7 - n), w, vals[n]!);
  g.adjustSp(8 * w);
};

const enter: Sem = (g) => {
  g.stateCall('enter', num(g.osize), g.field('imm'), g.field('imm2'));
};

const leave: Sem = (g) => {
  const bp = g.ssize === 4 ? g.reg(EBP) : g.readReg(EBP, 2);
  const sp = g.tmp(bp);
  const v = g.tmp(g.load(g.linear(SS, sp), g.osize));
  g.setSp(op2('+', sp, num(g.osize)));
  g.writeReg(EBP, g.osize, v);
};

const lea: Sem = (g) => g.write(0, g.ea());

const cbw: Sem = (g) => {
  if (g.osize === 2) g.writeReg(EAX, 2, sext(g.readReg(EAX, 1), 1));
  else g.setReg(EAX, sext(g.readReg(EAX, 2), 2));
};

const cwd: Sem = (g) => {
  if (g.osize === 2) g.writeReg(EDX, 2, op2('>>', sext(g.readReg(EAX, 2), 2), num(15)));
  else g.setReg(EDX, op2('>>', g.reg(EAX), num(31)));
};

// ---- control flow -----------------------------------------------------------------------

const ipMask = (g: Gen): Expr => num(g.osize === 2 ? 0xffff : -1);
const target = (g: Gen, e: Expr): Expr => (g.osize === 2 ? op2('&', e, num(0xffff)) : op2('>>>', e, num(0)));

const jmp: Sem = (g) => g.exit(g.field('imm'));

const jcc: Sem = (g) => {
  const c = g.testEntry();
  g.branch(c, g.field('imm'), g.field('next'));
};

const call_: Sem = (g) => {
  g.push(g.osize, g.field('next'));
  g.exit(g.field('imm'));
};

const calli: Sem = (g) => {
  const t = g.tmp(g.read(0));
  g.push(g.osize, g.field('next'));
  g.exit(target(g, t));
};

const jmpi: Sem = (g) => g.exit(target(g, g.read(0)));

const ret: Sem = (g) => {
  const [v] = g.peek(g.osize);
  const t = g.tmp(v!);
  g.adjustSp(g.ops.length ? op2('+', g.field('imm'), num(g.osize)) : g.osize);
  g.exit(target(g, t));
};

function loopOp(kind: 'loop' | 'loopz' | 'loopnz' | 'jcxz'): Sem {
  return (g) => {
    const aw = g.asize;
    if (kind === 'jcxz') {
      g.branch(bin('===', g.readReg(ECX, aw), num(0)), g.field('imm'), g.field('next'));
      return;
    }
    const c = g.tmp(op2('-', g.readReg(ECX, aw), num(1)));
    g.writeReg(ECX, aw, c);
    let t: Expr = bin('!==', aw === 2 ? op2('&', c, num(0xffff)) : i32(c), num(0));
    if (kind === 'loopz') t = bin('&&', t, g.test(4));
    if (kind === 'loopnz') t = bin('&&', t, g.test(5));
    g.branch(t, g.field('imm'), g.field('next'));
  };
}

/** Far transfers and interrupts: whole-state CPU methods that set EIP themselves. */
function stateBranch(name: string, args: (g: Gen) => Expr[]): Sem {
  return (g) => {
    g.stateCall(name, ...args(g));
    g.exitToCpuEip();
  };
}

// ---- flags -------------------------------------------------------------------------------

function setCarry(f: (cf: Expr) => Expr): Sem {
  return (g) => {
    const fl = g.tmp(g.arith());
    g.setEflagsArith(op2('|', op2('&', fl, num(~CF)), f(op2('&', fl, num(CF)))));
  };
}

const lahf: Sem = (g) => {
  const fl = g.arith();
  g.writeReg(EAX, 1, op2('|', op2('&', fl, num(0xd5)), num(2)), num(8));
};

const sahf: Sem = (g) => {
  const fl = g.tmp(g.arith());
  const ah = op2('&', op2('>>', g.reg(EAX), num(8)), num(0xd5));
  g.setEflagsArith(op2('|', op2('&', fl, num(OF)), ah));
};

const setcc: Sem = (g) => g.write(0, cond(g.testEntry(), num(1), num(0)));

const cmovcc: Sem = (g) => {
  const v = g.tmp(g.read(1));
  const c = g.testEntry();
  if (g.width(0) === 4) g.write(0, cond(c, v, g.read(0)));
  else g.emit(ifs(c, g.nest(() => g.write(0, v))));
};

// ---- BCD ------------------------------------------------------------------------------------

function bcd(name: 'daa' | 'das' | 'aaa' | 'aas'): Sem {
  return (g) => {
    const f = g.tmp(g.arith());
    const wide = name === 'aaa' || name === 'aas';
    const r = g.tmp(call(name, g.readReg(EAX, wide ? 2 : 1), f));
    const nf = g.tmp(index('OUT', num(0)));
    g.writeReg(EAX, wide ? 2 : 1, r);
    g.setEflagsArith(nf);
  };
}

const aam: Sem = (g) => {
  const base = g.field('imm');
  g.emit(ifs(bin('===', base, num(0)), [stmt(g.cpuCall('raise', num(0), num(-1)))]));
  const al = g.tmp(g.readReg(EAX, 1));
  const q = g.tmp(call(prop('Math', 'floor'), op2('/', al, base)));
  const r = g.tmp(i32(op2('-', al, op2('*', q, base))));
  g.writeReg(EAX, 2, op2('|', op2('<<', op2('&', q, num(0xff)), num(8)), r));
  g.setFlags(CC.LOGIC, 1, r, num(0));
};

const aad: Sem = (g) => {
  const al = g.tmp(op2('&', op2('+', op2('*', g.readReg(EAX, 1, num(8)), g.field('imm')), g.readReg(EAX, 1)), num(0xff)));
  g.writeReg(EAX, 2, al);
  g.setFlags(CC.LOGIC, 1, al, num(0));
};

// ---- strings and IO --------------------------------------------------------------------------

function stringOp(name: string): Sem {
  return (g) => {
    const w = g.ops.find((o) => o.kind === 'X' || o.kind === 'Y') ? g.width(g.ops.findIndex((o) => o.kind === 'X' || o.kind === 'Y')) : g.osize;
    const seg = g.i.segOvr >= 0 ? g.i.segOvr : 3;
    const rep = g.has(A.rep) || g.has(A.repcc) ? g.i.rep : 0;
    g.stateCall(name, num(w), num(g.asize), num(seg), num(rep), g.field('eip'), g.field('next'));
    if (rep) g.exitToCpuEip();
  };
}

function portIn(g: Gen): void {
  const w = g.width(0);
  const port = g.ops[1]!.kind === 'I' ? g.field('imm') : g.readReg(EDX, 2);
  const v = g.tmp(g.cpuCall('ioIn', port, num(w)));
  g.write(0, v);
}

function portOut(g: Gen): void {
  const w = g.width(1);
  const port = g.ops[0]!.kind === 'I' ? g.field('imm') : g.readReg(EDX, 2);
  g.emit(stmt(g.cpuCall('ioOut', port, num(w), g.read(1))));
}

// ---- system --------------------------------------------------------------------------------

/** A whole-state CPU method with the instruction's fields, then the block ends if the row says so. */
function system(name: string, args: (g: Gen) => Expr[] = () => []): Sem {
  return (g) => {
    g.stateCall(name, ...args(g));
    if (g.has(A.branch)) g.exitToCpuEip();
  };
}

/** A value-returning CPU method written to operand 0. */
function systemRead(name: string, args: (g: Gen) => Expr[] = () => []): Sem {
  return (g) => {
    const v = g.tmp(g.cpuCall(name, ...args(g)));
    g.write(0, v);
  };
}

/** An SSE instruction: ModRM.reg, ModRM.rm (or -1 and the memory operand's address) and the immediate to cpu.sse(). */
function sseSem(name: string): Sem {
  const id = SSE_NAMES.indexOf(name);
  return (g) => {
    const mem = g.i.mod !== 3 && g.ops.some((o) => o.kind === 'W' || o.kind === 'E' || o.kind === 'M');
    const la = mem ? g.memAddr() : num(0);
    const imm = g.ops.some((o) => o.kind === 'I') ? g.field('imm') : num(0);
    g.stateCall('sse', num(id), g.field('gReg'), mem ? num(-1) : g.field('eReg'), la, imm, num(g.osize));
  };
}

const SSE_SEMANTICS: Record<string, Sem> = Object.fromEntries(SSE_NAMES.map((n) => [n, sseSem(n)]));

/** ARPL, SLDT and STR raise #UD in real and virtual-8086 mode (the hflags are part of the form's key). */
function udOutsideProtectedMode(g: Gen): boolean {
  if (g.hf & HF.PE && !(g.hf & HF.VM86)) return false;
  g.raise(6);
  g.exitToCpuEip();
  return true;
}

export const SEMANTICS: Record<string, Sem> = {
  ...SSE_SEMANTICS,
  fxsave: system('fxsave', (g) => [g.memAddr()]),
  fxrstor: system('fxrstor', (g) => [g.memAddr()]),
  ldmxcsr: system('ldmxcsr', (g) => [g.memAddr()]),
  stmxcsr: system('stmxcsr', (g) => [g.memAddr()]),
  add: binaryAlu(CC.ADD, (a, b) => op2('+', a, b)),
  or: binaryAlu(CC.LOGIC, (a, b) => op2('|', a, b)),
  adc: carryAlu(CC.ADC, '+'),
  sbb: carryAlu(CC.SBB, '-'),
  and: binaryAlu(CC.LOGIC, (a, b) => op2('&', a, b)),
  sub: binaryAlu(CC.SUB, (a, b) => op2('-', a, b)),
  xor: binaryAlu(CC.LOGIC, (a, b) => op2('^', a, b)),
  cmp: binaryAlu(CC.SUB, (a, b) => op2('-', a, b), false),
  test: binaryAlu(CC.LOGIC, (a, b) => op2('&', a, b), false),
  inc: incDec(CC.INC, '+'),
  dec: incDec(CC.DEC, '-'),
  neg: (g) => {
    const w = g.width(0);
    const a = g.tmp(g.read(0));
    const r = g.tmp(i32(un('-', a)));
    g.write(0, r);
    g.setFlags(CC.SUB, w, r, a, undefined, num(0));
  },
  not: (g) => g.write(0, un('~', g.read(0))),
  rol: rotate(false),
  ror: rotate(true),
  rcl: rotateCarry(false),
  rcr: rotateCarry(true),
  shl: shift('shl'),
  sal: shift('shl'),
  shr: shift('shr'),
  sar: shift('sar'),
  shld: doubleShift(false),
  shrd: doubleShift(true),
  mul: mul1,
  imul1,
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
  bswap: (g) => g.write(0, g.osize === 2 ? num(0) : call('bswap', g.read(0))),
  xadd: (g) => {
    const w = g.width(0);
    const d = g.tmp(g.read(0));
    const s = g.tmp(g.read(1));
    const r = g.tmp(i32(op2('+', d, s)));
    if (g.isMem(0)) {
      g.write(0, r);
      g.write(1, d);
    } else {
      g.write(1, d);
      g.write(0, r);
    }
    g.setFlags(CC.ADD, w, r, s);
  },
  cmpxchg: (g) => {
    const w = g.width(0);
    const old = g.tmp(g.read(0));
    const acc = g.tmp(g.readReg(EAX, w));
    const eq = g.tmp(bin('===', acc, old));
    const nv = g.tmp(cond(eq, g.read(1), old));
    // QEMU's order: memory, then the accumulator; a register destination after the accumulator.
    if (g.isMem(0)) {
      g.write(0, nv);
      g.writeReg(EAX, w, old);
    } else {
      g.writeReg(EAX, w, old);
      g.write(0, nv);
    }
    g.setFlags(CC.SUB, w, i32(op2('-', acc, old)), old, undefined, acc);
  },
  cmpxchg8b: system('cmpxchg8b', (g) => [g.memAddr(), num(g.osize)]),
  mov,
  movzx: movx(false),
  movsx: movx(true),
  xchg,
  lea,
  push,
  pop,
  pusha,
  popa,
  enter,
  leave,
  cbw,
  cwd,
  xlat: (g) => {
    const bx = g.asize === 2 ? g.readReg(num(3), 2) : g.reg(num(3));
    const off = g.asize === 2 ? op2('&', op2('+', bx, g.readReg(EAX, 1)), num(0xffff)) : i32(op2('+', bx, g.readReg(EAX, 1)));
    g.writeReg(EAX, 1, g.load(g.linear(g.i.seg, off), 1));
  },
  nop: () => undefined,
  fwait: system('fwait'),
  jmp,
  jcc,
  call: call_,
  calli,
  jmpi,
  ret,
  loop: loopOp('loop'),
  loopz: loopOp('loopz'),
  loopnz: loopOp('loopnz'),
  jcxz: loopOp('jcxz'),
  jmpf: stateBranch('farJump', (g) => [g.field('imm2'), g.field('imm'), num(g.osize), g.field('next')]),
  callf: stateBranch('farCall', (g) => [g.field('imm2'), g.field('imm'), num(g.osize), g.field('next')]),
  jmpfi: stateBranch('farJumpIndirect', (g) => [g.memAddr(), num(g.osize), g.field('next')]),
  callfi: stateBranch('farCallIndirect', (g) => [g.memAddr(), num(g.osize), g.field('next')]),
  retf: stateBranch('farReturn', (g) => [num(g.osize), g.ops.length ? g.field('imm') : num(0)]),
  iret: stateBranch('iret', (g) => [num(g.osize)]),
  int: stateBranch('softInt', (g) => [g.field('imm'), g.field('next')]),
  int3: stateBranch('softInt', (g) => [num(3), g.field('next')]),
  int1: stateBranch('int1', (g) => [g.field('next')]),
  into: stateBranch('into', (g) => [g.field('next')]),
  ud: (g) => {
    g.raise(6);
    g.exitToCpuEip();
  },
  ud2: (g) => {
    g.raise(6);
    g.exitToCpuEip();
  },
  hlt: stateBranch('hlt', (g) => [g.field('next')]),
  pause: stateBranch('pause', (g) => [g.field('next')]),
  clc: setCarry(() => num(0)),
  stc: setCarry(() => num(CF)),
  cmc: setCarry((cf) => op2('^', cf, num(CF))),
  cld: (g) => g.emit(set(g.cpu('flags'), op2('&', g.cpu('flags'), num(~DF)))),
  std: (g) => g.emit(set(g.cpu('flags'), op2('|', g.cpu('flags'), num(DF)))),
  cli: system('cli'),
  sti: system('sti'),
  lahf,
  sahf,
  salc: (g) => g.writeReg(EAX, 1, cond(bin('!==', g.carry(), num(0)), num(0xff), num(0))),
  pushf: (g) => {
    g.sync();
    const v = g.tmp(g.cpuCall('pushfValue'));
    g.push(g.osize, v);
  },
  popf: system('popf', (g) => [num(g.osize)]),
  setcc,
  cmovcc,
  daa: bcd('daa'),
  das: bcd('das'),
  aaa: bcd('aaa'),
  aas: bcd('aas'),
  aam,
  aad,
  bound: system('bound', (g) => [g.memAddr(), num(g.osize), g.read(0)]),
  arpl: (g) => {
    if (udOutsideProtectedMode(g)) return;
    const dst = g.tmp(g.read(0));
    const src = g.tmp(g.read(1));
    const adj = g.tmp(bin('<', op2('&', dst, num(3)), op2('&', src, num(3))));
    g.write(0, cond(adj, op2('|', op2('&', dst, num(~3)), op2('&', src, num(3))), dst));
    const f = g.tmp(g.arith());
    g.setEflagsArith(cond(adj, op2('|', f, num(0x40)), op2('&', f, num(~0x40))));
  },
  movs: stringOp('movs'),
  cmps: stringOp('cmps'),
  stos: stringOp('stos'),
  lods: stringOp('lods'),
  scas: stringOp('scas'),
  ins: stringOp('ins'),
  outs: stringOp('outs'),
  in: portIn,
  out: portOut,
  movseg: (g) => {
    const reg = g.i.reg;
    if (reg === CS || reg > 5) {
      g.raise(6);
      g.exitToCpuEip();
      return;
    }
    g.stateCall('loadSegment', num(reg), g.read(1));
    if (reg === SS) g.emit(set(g.cpu('inhibitIrq'), lit(true)));
  },
  movfromseg: (g) => {
    const reg = g.i.reg;
    if (reg > 5) {
      g.raise(6);
      g.exitToCpuEip();
      return;
    }
    g.writeSelectorLike(op2('&', index(g.cpu('segSel'), num(reg)), num(0xffff)));
  },
  lfp: (g) => {
    const seg = g.ops[0]!.reg;
    const w = g.osize;
    const la = g.memAddr();
    const off = g.tmp(g.load(la, w));
    const sel = g.tmp(g.load(i32(op2('+', la, num(w))), 2));
    g.stateCall('loadSegment', num(seg), sel);
    g.writeReg(g.field('gReg'), w, off);
    if (seg === SS) g.emit(set(g.cpu('inhibitIrq'), lit(true)));
  },
  cpuid: system('cpuid'),
  rdtsc: system('rdtsc'),
  rdpmc: system('rdpmc'),
  emms: system('emms'),
  rdmsr: system('rdmsr'),
  wrmsr: system('wrmsr'),
  movtocr: system('movToCr', (g) => [num(g.i.reg), g.reg(g.field('eReg')), g.lma ? g.regHi(g.field('eReg')) : num(0)]),
  movfromcr: (g) => {
    const v = g.tmp(g.cpuCall('movFromCr', num(g.i.reg)));
    if (g.mode64) g.writeRegQ(g.field('eReg'), { lo: v, hi: g.tmp(g.cpuCall('movFromCrHi', num(g.i.reg))) });
    else g.write(0, v);
  },
  movtodr: system('movToDr', (g) => [num(g.i.reg), g.reg(g.field('eReg'))]),
  movfromdr: systemRead('movFromDr', (g) => [num(g.i.reg)]),
  clts: system('clts'),
  invd: () => undefined,
  wbinvd: () => undefined,
  clflush: (g) => void g.memAddr(),
  invlpg: system('invlpg', (g) => [g.memAddr()]),
  lgdt: system('loadDescriptorTable', (g) => [num(0), g.memAddr(), num(g.mode64 ? 8 : g.osize)]),
  lidt: system('loadDescriptorTable', (g) => [num(1), g.memAddr(), num(g.mode64 ? 8 : g.osize)]),
  sgdt: system('storeDescriptorTable', (g) => [num(0), g.memAddr(), num(g.mode64 ? 8 : g.osize)]),
  sidt: system('storeDescriptorTable', (g) => [num(1), g.memAddr(), num(g.mode64 ? 8 : g.osize)]),
  lldt: system('lldt', (g) => [g.read(0)]),
  ltr: system('ltr', (g) => [g.read(0)]),
  sldt: (g) => {
    if (!udOutsideProtectedMode(g)) g.writeSelectorLike(op2('&', index(g.cpu('segSel'), num(6)), num(0xffff)));
  },
  str: (g) => {
    if (!udOutsideProtectedMode(g)) g.writeSelectorLike(op2('&', index(g.cpu('segSel'), num(7)), num(0xffff)));
  },
  smsw: (g) => g.writeSelectorLike(g.cpu('cr0')),
  lmsw: system('lmsw', (g) => [g.read(0)]),
  lar: system('lar', (g) => [g.read(1), num(g.i.reg), num(g.osize)]),
  lsl: system('lsl', (g) => [g.read(1), num(g.i.reg), num(g.osize)]),
  verr: system('verify', (g) => [g.read(0), num(0)]),
  verw: system('verify', (g) => [g.read(0), num(1)]),
  grp7reg: system('group7Register', (g) => [num(g.i.reg), num(g.i.rm), g.field('next')]),
  syscall: system('syscall', (g) => [g.field('next')]),
  sysret: system('sysret', (g) => [num(g.osize)]),
  sysenter: system('sysenter'),
  sysexit: system('sysexit', (g) => [num(g.osize)]),
  rsm: system('rsm'),
  fpu: system('fpu', (g) => [num(g.i.entry.low), num(g.i.modrm), g.i.mod === 3 ? num(0) : g.memAddr(), num(g.i.mod === 3 ? 1 : 0)]),
};

export { AF, CS, constv, prop, ipMask, EAX, ECX, ESP };
