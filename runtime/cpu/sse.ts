/**
 * SSE and SSE2 (and the x87/SSE state instructions FXSAVE, FXRSTOR,
 * LDMXCSR, STMXCSR) on the CPU's XMM register file. Each instruction is a
 * small function of the decoded ModRM fields; generated code calls them
 * through `cpu.sse(id, reg, rm, la, imm, osize, k)` with `rm` = -1 for a
 * memory operand at linear address `la`. Scalar floating point uses
 * JavaScript doubles (round to nearest; truncating conversions truncate).
 */
import type { Cpu } from './cpu.js';
import { VEC } from './errors.js';
import { CF, PF, ZF } from './flags.js';

export class XmmFile {
  readonly buffer = new ArrayBuffer(16 * 16);
  readonly i32 = new Int32Array(this.buffer);
  readonly u8 = new Uint8Array(this.buffer);
  readonly u16 = new Uint16Array(this.buffer);
  readonly i16 = new Int16Array(this.buffer);
  readonly i8 = new Int8Array(this.buffer);
  readonly f32 = new Float32Array(this.buffer);
  readonly f64 = new Float64Array(this.buffer);
  mxcsr = 0x1f80;
}

/** A 128-bit scratch value (memory operands are loaded here). */
const TMP = new ArrayBuffer(16);
const T32 = new Int32Array(TMP);
const T8 = new Uint8Array(TMP);
const T16 = new Uint16Array(TMP);
const TI16 = new Int16Array(TMP);
const TI8 = new Int8Array(TMP);
const TF32 = new Float32Array(TMP);
const TF64 = new Float64Array(TMP);
const R = new ArrayBuffer(16);
const R32 = new Int32Array(R);

type Op = (cpu: Cpu, reg: number, rm: number, la: number, imm: number, osize: number, k: number) => void;

function next(cpu: Cpu, la: number, n: number): number {
  return cpu.longMode ? la + n : (la + n) | 0;
}

/** Loads `bytes` of the source operand into the scratch (16 bytes: aligned if `aligned`). */
function loadSrc(cpu: Cpu, rm: number, la: number, bytes: number, aligned: boolean, k: number): void {
  const x = cpu.xmm;
  if (rm >= 0) {
    for (let n = 0; n < 4; n++) T32[n] = x.i32[rm * 4 + n]!;
    return;
  }
  if (aligned && la % 16 !== 0) cpu.raise(VEC.GP, 0, k);
  T32.fill(0);
  for (let n = 0; n < bytes / 4; n++) T32[n] = cpu.rd32(next(cpu, la, 4 * n), k);
}

function storeMem(cpu: Cpu, la: number, src: Int32Array, off: number, bytes: number, aligned: boolean, k: number): void {
  if (aligned && la % 16 !== 0) cpu.raise(VEC.GP, 0, k);
  // Check every page first so a fault leaves memory untouched.
  cpu.translate(la, 1, cpu.cpl === 3, k);
  cpu.translate(next(cpu, la, bytes - 1), 1, cpu.cpl === 3, k);
  for (let n = 0; n < bytes / 4; n++) cpu.wr32(next(cpu, la, 4 * n), src[off + n]!, k);
}

/** A lane-wise operation on dst (xmm reg) and the loaded source. */
function lanes(fn: (x: XmmFile, d: number) => void, bytes = 16): Op {
  return (cpu, reg, rm, la, _imm, _os, k) => {
    loadSrc(cpu, rm, la, bytes, rm < 0 && bytes === 16, k);
    fn(cpu.xmm, reg * 4);
  };
}

function bytes(f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 16; n++) x.u8[d * 4 + n] = f(x.u8[d * 4 + n]!, T8[n]!);
  });
}
function sbytes(f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 16; n++) x.i8[d * 4 + n] = f(x.i8[d * 4 + n]!, TI8[n]!);
  });
}
function words(f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 8; n++) x.u16[d * 2 + n] = f(x.u16[d * 2 + n]!, T16[n]!);
  });
}
function swords(f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 8; n++) x.i16[d * 2 + n] = f(x.i16[d * 2 + n]!, TI16[n]!);
  });
}
function dwords(f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 4; n++) x.i32[d + n] = f(x.i32[d + n]!, T32[n]!);
  });
}
function qwords(f: (al: number, ah: number, bl: number, bh: number) => [number, number]): Op {
  return lanes((x, d) => {
    for (let n = 0; n < 2; n++) {
      const [l, h] = f(x.i32[d + 2 * n]!, x.i32[d + 2 * n + 1]!, T32[2 * n]!, T32[2 * n + 1]!);
      x.i32[d + 2 * n] = l;
      x.i32[d + 2 * n + 1] = h;
    }
  });
}

const satU8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
const satS8 = (v: number) => (v < -128 ? -128 : v > 127 ? 127 : v);
const satU16 = (v: number) => (v < 0 ? 0 : v > 65535 ? 65535 : v);
const satS16 = (v: number) => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);

/** A shift count from an XMM source (low 64 bits, saturating) or an immediate. */
function shiftCount(): number {
  return T32[1] !== 0 || T32[0]! >>> 0 > 255 ? 255 : T32[0]!;
}

function shiftOp(kind: 'l' | 'r' | 'a', size: 16 | 32 | 64, imm: boolean): Op {
  return (cpu, reg, rm, la, immv, _os, k) => {
    let c: number;
    let d: number;
    if (imm) {
      c = immv & 0xff;
      d = rm * 4;
    } else {
      loadSrc(cpu, rm, la, 16, rm < 0, k);
      c = shiftCount();
      d = reg * 4;
    }
    const x = cpu.xmm;
    if (size === 16) {
      for (let n = 0; n < 8; n++) {
        const v = x.u16[d * 2 + n]!;
        x.u16[d * 2 + n] = kind === 'a' ? (((v << 16) >> 16) >> Math.min(c, 15)) & 0xffff : c > 15 ? 0 : kind === 'l' ? v << c : v >>> c;
      }
    } else if (size === 32) {
      for (let n = 0; n < 4; n++) {
        const v = x.i32[d + n]!;
        x.i32[d + n] = kind === 'a' ? v >> Math.min(c, 31) : c > 31 ? 0 : kind === 'l' ? v << c : v >>> c;
      }
    } else {
      for (let n = 0; n < 2; n++) {
        const lo = x.i32[d + 2 * n]!;
        const hi = x.i32[d + 2 * n + 1]!;
        let l = 0;
        let h = 0;
        if (c === 0) [l, h] = [lo, hi];
        else if (c < 32) [l, h] = kind === 'l' ? [lo << c, (hi << c) | (lo >>> (32 - c))] : [(lo >>> c) | (hi << (32 - c)), hi >>> c];
        else if (c < 64) [l, h] = kind === 'l' ? [0, lo << (c - 32)] : [hi >>> (c - 32), 0];
        x.i32[d + 2 * n] = l;
        x.i32[d + 2 * n + 1] = h;
      }
    }
  };
}

function byteShift(left: boolean): Op {
  return (cpu, _reg, rm, _la, imm) => {
    const x = cpu.xmm;
    const c = Math.min(imm & 0xff, 16);
    const src = x.u8.slice(rm * 16, rm * 16 + 16);
    for (let n = 0; n < 16; n++) {
      const from = left ? n - c : n + c;
      x.u8[rm * 16 + n] = from >= 0 && from < 16 ? src[from]! : 0;
    }
  };
}

/** Interleaves the low or high halves of dst and src at `size` bytes. */
function unpack(size: 1 | 2 | 4 | 8, high: boolean): Op {
  return lanes((x, d) => {
    const dst = x.u8.slice(d * 4, d * 4 + 16);
    const base = high ? 8 : 0;
    for (let n = 0; n < 16 / (2 * size); n++) {
      for (let b = 0; b < size; b++) {
        x.u8[d * 4 + 2 * n * size + b] = dst[base + n * size + b]!;
        x.u8[d * 4 + (2 * n + 1) * size + b] = T8[base + n * size + b]!;
      }
    }
  });
}

function pack(from: 2 | 4, sat: (v: number) => number, signedIn: boolean): Op {
  return lanes((x, d) => {
    const out: number[] = [];
    const read = (arr: 'dst' | 'src', n: number) => {
      if (from === 2) return arr === 'dst' ? (signedIn ? x.i16[d * 2 + n]! : x.u16[d * 2 + n]!) : signedIn ? TI16[n]! : T16[n]!;
      return arr === 'dst' ? x.i32[d + n]! : T32[n]!;
    };
    const count = 16 / from;
    for (let n = 0; n < count; n++) out.push(sat(read('dst', n)));
    for (let n = 0; n < count; n++) out.push(sat(read('src', n)));
    if (from === 2) for (let n = 0; n < 16; n++) x.u8[d * 4 + n] = out[n]! & 0xff;
    else for (let n = 0; n < 8; n++) x.u16[d * 2 + n] = out[n]! & 0xffff;
  });
}

function movFull(aligned: boolean): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, 16, aligned, k);
    cpu.xmm.i32.set(T32, reg * 4);
  };
}

function storeFull(aligned: boolean): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    const x = cpu.xmm;
    if (rm >= 0) x.i32.copyWithin(rm * 4, reg * 4, reg * 4 + 4);
    else storeMem(cpu, la, x.i32, reg * 4, 16, aligned, k);
  };
}

/** Low `n` dwords of dst from the source; with memory the rest are zeroed (MOVSS/MOVSD/MOVQ semantics differ by form). */
function movLow(dwords: number, zeroRestFromMem: boolean, zeroAlways = false): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, dwords * 4, false, k);
    const x = cpu.xmm;
    for (let n = 0; n < dwords; n++) x.i32[reg * 4 + n] = T32[n]!;
    if ((rm < 0 && zeroRestFromMem) || zeroAlways) for (let n = dwords; n < 4; n++) x.i32[reg * 4 + n] = 0;
  };
}

function storeLow(dwords: number, offset = 0): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    const x = cpu.xmm;
    if (rm >= 0) for (let n = 0; n < dwords; n++) x.i32[rm * 4 + n] = x.i32[reg * 4 + offset + n]!;
    else storeMem(cpu, la, x.i32, reg * 4 + offset, dwords * 4, false, k);
  };
}

/** Scalar float ops on the low lane. */
function scalar(double: boolean, f: (a: number, b: number) => number): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, double ? 8 : 4, false, k);
    const x = cpu.xmm;
    if (double) x.f64[reg * 2] = f(x.f64[reg * 2]!, TF64[0]!);
    else x.f32[reg * 4] = f(x.f32[reg * 4]!, TF32[0]!);
  };
}

function compare(double: boolean): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, double ? 8 : 4, false, k);
    const x = cpu.xmm;
    const a = double ? x.f64[reg * 2]! : x.f32[reg * 4]!;
    const b = double ? TF64[0]! : TF32[0]!;
    const f = Number.isNaN(a) || Number.isNaN(b) ? ZF | PF | CF : a > b ? 0 : a < b ? CF : ZF;
    cpu.setArithFlags(f);
  };
}

/** Writes a GPR (32 bits zero-extend in long mode, 64 with osize 8). */
function setGpr(cpu: Cpu, r: number, lo: number, hi: number, osize: number): void {
  cpu.r[r] = lo;
  if (osize === 8 || cpu.longMode) cpu.rh[r] = osize === 8 ? hi : 0;
}

function toInt(v: number, osize: number, truncate: boolean): [number, number] {
  const t = truncate ? Math.trunc(v) : roundEven(v);
  if (osize === 8) {
    if (!Number.isFinite(t) || t >= 2 ** 63 || t < -(2 ** 63)) return [0, 0x8000_0000 | 0];
    const big = BigInt.asUintN(64, BigInt(t));
    return [Number(big & 0xffff_ffffn) | 0, Number(big >> 32n) | 0];
  }
  if (!Number.isFinite(t) || t >= 2 ** 31 || t < -(2 ** 31)) return [0x8000_0000 | 0, 0];
  return [t | 0, 0];
}

function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gprSource(cpu: Cpu, rm: number, la: number, osize: number, k: number): number {
  if (rm >= 0) return osize === 8 ? cpu.rh[rm]! * 4294967296 + (cpu.r[rm]! >>> 0) : cpu.r[rm]!;
  if (osize === 8) return cpu.rd32(next(cpu, la, 4), k) * 4294967296 + (cpu.rd32(la, k) >>> 0);
  return cpu.rd32(la, k);
}

/** Packed float ops (ps: four singles, pd: two doubles). */
function packed(double: boolean, f: (a: number, b: number) => number): Op {
  return lanes((x, d) => {
    if (double) for (let n = 0; n < 2; n++) x.f64[d / 2 + n] = f(x.f64[d / 2 + n]!, TF64[n]!);
    else for (let n = 0; n < 4; n++) x.f32[d + n] = f(x.f32[d + n]!, TF32[n]!);
  });
}

/** CMPPS/CMPPD/CMPSS/CMPSD predicate (imm & 7): EQ LT LE UNORD NEQ NLT NLE ORD. */
function cmpPred(a: number, b: number, p: number): boolean {
  const un = Number.isNaN(a) || Number.isNaN(b);
  switch (p & 7) {
    case 0:
      return !un && a === b;
    case 1:
      return !un && a < b;
    case 2:
      return !un && a <= b;
    case 3:
      return un;
    case 4:
      return un || a !== b;
    case 5:
      return un || !(a < b);
    case 6:
      return un || !(a <= b);
    default:
      return !un;
  }
}

function cmpOp(double: boolean, scalarOnly: boolean): Op {
  return (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, scalarOnly ? (double ? 8 : 4) : 16, !scalarOnly && rm < 0, k);
    const x = cpu.xmm;
    if (double) {
      for (let n = 0; n < (scalarOnly ? 1 : 2); n++) {
        const t = cmpPred(x.f64[reg * 2 + n]!, TF64[n]!, imm) ? -1 : 0;
        x.i32[reg * 4 + 2 * n] = t;
        x.i32[reg * 4 + 2 * n + 1] = t;
      }
    } else for (let n = 0; n < (scalarOnly ? 1 : 4); n++) x.i32[reg * 4 + n] = cmpPred(x.f32[reg * 4 + n]!, TF32[n]!, imm) ? -1 : 0;
  };
}

/** Packed conversions: `count` lanes from the loaded source through `f` into dst lanes of `outDouble`. */
function convert(count: number, srcKind: 'i32' | 'f32' | 'f64', outKind: 'i32' | 'f32' | 'f64', srcBytes: number, f: (v: number) => number): Op {
  return (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, srcBytes, srcBytes === 16 && rm < 0, k);
    const src = srcKind === 'i32' ? T32 : srcKind === 'f32' ? TF32 : TF64;
    const vals = Array.from({ length: count }, (_, n) => f(src[n]!));
    const x = cpu.xmm;
    for (let n = 0; n < 4; n++) x.i32[reg * 4 + n] = 0;
    for (let n = 0; n < count; n++) {
      if (outKind === 'i32') x.i32[reg * 4 + n] = vals[n]!;
      else if (outKind === 'f32') x.f32[reg * 4 + n] = vals[n]!;
      else x.f64[reg * 2 + n] = vals[n]!;
    }
  };
}

const cvtI32 = (truncate: boolean) => (v: number) => toInt(v, 4, truncate)[0];

export const SSE_OPS: Record<string, Op> = {
  addps: packed(false, (a, b) => Math.fround(a + b)),
  addpd: packed(true, (a, b) => a + b),
  subps: packed(false, (a, b) => Math.fround(a - b)),
  subpd: packed(true, (a, b) => a - b),
  mulps: packed(false, (a, b) => Math.fround(a * b)),
  mulpd: packed(true, (a, b) => a * b),
  divps: packed(false, (a, b) => Math.fround(a / b)),
  divpd: packed(true, (a, b) => a / b),
  minps: packed(false, (a, b) => (a < b ? a : b)),
  minpd: packed(true, (a, b) => (a < b ? a : b)),
  maxps: packed(false, (a, b) => (a > b ? a : b)),
  maxpd: packed(true, (a, b) => (a > b ? a : b)),
  sqrtps: packed(false, (_a, b) => Math.fround(Math.sqrt(b))),
  sqrtpd: packed(true, (_a, b) => Math.sqrt(b)),
  minss: scalar(false, (a, b) => (a < b ? a : b)),
  maxss: scalar(false, (a, b) => (a > b ? a : b)),
  cmpps: cmpOp(false, false),
  cmppd: cmpOp(true, false),
  cmpss: cmpOp(false, true),
  cmpsd: cmpOp(true, true),
  cvtdq2pd: convert(2, 'i32', 'f64', 8, (v) => v),
  cvtdq2ps: convert(4, 'i32', 'f32', 16, (v) => v),
  cvtps2pd: convert(2, 'f32', 'f64', 8, (v) => v),
  cvtpd2ps: convert(2, 'f64', 'f32', 16, (v) => v),
  cvttps2dq: convert(4, 'f32', 'i32', 16, cvtI32(true)),
  cvtps2dq: convert(4, 'f32', 'i32', 16, cvtI32(false)),
  cvttpd2dq: convert(2, 'f64', 'i32', 16, cvtI32(true)),
  cvtpd2dq: convert(2, 'f64', 'i32', 16, cvtI32(false)),
  movups: movFull(false),
  movupd: movFull(false),
  movdqu: movFull(false),
  movaps: movFull(true),
  movdqa: movFull(true),
  movups_st: storeFull(false),
  movupd_st: storeFull(false),
  movdqu_st: storeFull(false),
  movaps_st: storeFull(true),
  movdqa_st: storeFull(true),
  movss: movLow(1, true),
  movsd: movLow(2, true),
  movq: movLow(2, true, true),
  movss_st: storeLow(1),
  movsd_st: storeLow(2),
  movq_st: (cpu, reg, rm, la, imm, os, k) => {
    if (rm >= 0) {
      const x = cpu.xmm;
      x.i32[rm * 4] = x.i32[reg * 4]!;
      x.i32[rm * 4 + 1] = x.i32[reg * 4 + 1]!;
      x.i32[rm * 4 + 2] = 0;
      x.i32[rm * 4 + 3] = 0;
    } else storeLow(2)(cpu, reg, rm, la, imm, os, k);
  },
  movlps: (cpu, reg, rm, la, _i, _o, k) => {
    // With a register source this is MOVHLPS: the source's high half to the low half.
    loadSrc(cpu, rm, la, rm >= 0 ? 16 : 8, false, k);
    const x = cpu.xmm;
    const from = rm >= 0 ? 2 : 0;
    x.i32[reg * 4] = T32[from]!;
    x.i32[reg * 4 + 1] = T32[from + 1]!;
  },
  movlpd: movLow(2, false),
  movlps_st: storeLow(2),
  movhps: (cpu, reg, rm, la, _i, _o, k) => {
    // With a register source this is MOVLHPS: the source's low half to the high half.
    loadSrc(cpu, rm, la, 8, false, k);
    const x = cpu.xmm;
    x.i32[reg * 4 + 2] = T32[0]!;
    x.i32[reg * 4 + 3] = T32[1]!;
  },
  movhpd: (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, 8, false, k);
    cpu.xmm.i32[reg * 4 + 2] = T32[0]!;
    cpu.xmm.i32[reg * 4 + 3] = T32[1]!;
  },
  movhps_st: storeLow(2, 2),
  movd: (cpu, reg, rm, la, _i, osize, k) => {
    const x = cpu.xmm;
    if (rm >= 0) {
      x.i32[reg * 4] = cpu.r[rm]!;
      x.i32[reg * 4 + 1] = osize === 8 ? cpu.rh[rm]! : 0;
    } else {
      x.i32[reg * 4] = cpu.rd32(la, k);
      x.i32[reg * 4 + 1] = osize === 8 ? cpu.rd32(next(cpu, la, 4), k) : 0;
    }
    x.i32[reg * 4 + 2] = 0;
    x.i32[reg * 4 + 3] = 0;
  },
  movd_st: (cpu, reg, rm, la, _i, osize, k) => {
    const x = cpu.xmm;
    if (rm >= 0) setGpr(cpu, rm, x.i32[reg * 4]!, x.i32[reg * 4 + 1]!, osize);
    else storeMem(cpu, la, x.i32, reg * 4, osize === 8 ? 8 : 4, false, k);
  },
  movnti: (cpu, reg, _rm, la, _i, osize, k) => {
    if (osize === 8) cpu.wr64(la, cpu.r[reg]!, cpu.rh[reg]!, k);
    else cpu.wr32(la, cpu.r[reg]!, k);
  },
  movmskps: (cpu, reg, rm) => {
    const x = cpu.xmm;
    let m = 0;
    for (let n = 0; n < 4; n++) if (x.i32[rm * 4 + n]! < 0) m |= 1 << n;
    setGpr(cpu, reg, m, 0, 4);
  },
  movmskpd: (cpu, reg, rm) => {
    const x = cpu.xmm;
    setGpr(cpu, reg, (x.i32[rm * 4 + 1]! < 0 ? 1 : 0) | (x.i32[rm * 4 + 3]! < 0 ? 2 : 0), 0, 4);
  },
  pmovmskb: (cpu, reg, rm) => {
    const x = cpu.xmm;
    let m = 0;
    for (let n = 0; n < 16; n++) if (x.u8[rm * 16 + n]! & 0x80) m |= 1 << n;
    setGpr(cpu, reg, m, 0, 4);
  },
  pand: dwords((a, b) => a & b),
  pandn: dwords((a, b) => ~a & b),
  por: dwords((a, b) => a | b),
  pxor: dwords((a, b) => a ^ b),
  paddb: bytes((a, b) => a + b),
  paddw: words((a, b) => a + b),
  paddd: dwords((a, b) => (a + b) | 0),
  paddq: qwords((al, ah, bl, bh) => {
    const l = (al + bl) | 0;
    return [l, (ah + bh + (l >>> 0 < al >>> 0 ? 1 : 0)) | 0];
  }),
  psubb: bytes((a, b) => a - b),
  psubw: words((a, b) => a - b),
  psubd: dwords((a, b) => (a - b) | 0),
  psubq: qwords((al, ah, bl, bh) => [(al - bl) | 0, (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0]),
  paddusb: bytes((a, b) => satU8(a + b)),
  paddusw: words((a, b) => satU16(a + b)),
  psubusb: bytes((a, b) => satU8(a - b)),
  psubusw: words((a, b) => satU16(a - b)),
  paddsb: sbytes((a, b) => satS8(a + b)),
  paddsw: swords((a, b) => satS16(a + b)),
  psubsb: sbytes((a, b) => satS8(a - b)),
  psubsw: swords((a, b) => satS16(a - b)),
  pcmpeqb: bytes((a, b) => (a === b ? 0xff : 0)),
  pcmpeqw: words((a, b) => (a === b ? 0xffff : 0)),
  pcmpeqd: dwords((a, b) => (a === b ? -1 : 0)),
  pcmpgtb: sbytes((a, b) => (a > b ? -1 : 0)),
  pcmpgtw: swords((a, b) => (a > b ? -1 : 0)),
  pcmpgtd: dwords((a, b) => (a > b ? -1 : 0)),
  pminub: bytes((a, b) => Math.min(a, b)),
  pmaxub: bytes((a, b) => Math.max(a, b)),
  pminsw: swords((a, b) => Math.min(a, b)),
  pmaxsw: swords((a, b) => Math.max(a, b)),
  pavgb: bytes((a, b) => (a + b + 1) >> 1),
  pavgw: words((a, b) => (a + b + 1) >> 1),
  pmullw: swords((a, b) => Math.imul(a, b)),
  pmulhw: swords((a, b) => (a * b) >> 16),
  pmulhuw: words((a, b) => Math.floor((a * b) / 65536)),
  pmuludq: lanes((x, d) => {
    for (let n = 0; n < 2; n++) {
      const p = BigInt(x.i32[d + 2 * n]! >>> 0) * BigInt(T32[2 * n]! >>> 0);
      x.i32[d + 2 * n] = Number(p & 0xffff_ffffn) | 0;
      x.i32[d + 2 * n + 1] = Number(p >> 32n) | 0;
    }
  }),
  pmaddwd: lanes((x, d) => {
    for (let n = 0; n < 4; n++) x.i32[d + n] = (x.i16[d * 2 + 2 * n]! * TI16[2 * n]! + x.i16[d * 2 + 2 * n + 1]! * TI16[2 * n + 1]!) | 0;
  }),
  psadbw: lanes((x, d) => {
    for (let h = 0; h < 2; h++) {
      let sum = 0;
      for (let n = 0; n < 8; n++) sum += Math.abs(x.u8[d * 4 + 8 * h + n]! - T8[8 * h + n]!);
      x.i32[d + 2 * h] = sum;
      x.i32[d + 2 * h + 1] = 0;
    }
  }),
  punpcklbw: unpack(1, false),
  punpcklwd: unpack(2, false),
  punpckldq: unpack(4, false),
  punpcklqdq: unpack(8, false),
  punpckhbw: unpack(1, true),
  punpckhwd: unpack(2, true),
  punpckhdq: unpack(4, true),
  punpckhqdq: unpack(8, true),
  unpcklps: unpack(4, false),
  unpckhps: unpack(4, true),
  unpcklpd: unpack(8, false),
  unpckhpd: unpack(8, true),
  packsswb: pack(2, satS8, true),
  packuswb: pack(2, satU8, true),
  packssdw: pack(4, satS16, true),
  pshufd: (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, 16, rm < 0, k);
    for (let n = 0; n < 4; n++) R32[n] = T32[(imm >> (2 * n)) & 3]!;
    cpu.xmm.i32.set(R32, reg * 4);
  },
  pshuflw: (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, 16, rm < 0, k);
    const w = T16.slice();
    for (let n = 0; n < 4; n++) w[n] = T16[(imm >> (2 * n)) & 3]!;
    for (let n = 0; n < 8; n++) cpu.xmm.u16[reg * 8 + n] = w[n]!;
  },
  pshufhw: (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, 16, rm < 0, k);
    const w = T16.slice();
    for (let n = 0; n < 4; n++) w[4 + n] = T16[4 + ((imm >> (2 * n)) & 3)]!;
    for (let n = 0; n < 8; n++) cpu.xmm.u16[reg * 8 + n] = w[n]!;
  },
  shufps: (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, 16, rm < 0, k);
    const x = cpu.xmm;
    const d = x.i32.slice(reg * 4, reg * 4 + 4);
    x.i32[reg * 4] = d[imm & 3]!;
    x.i32[reg * 4 + 1] = d[(imm >> 2) & 3]!;
    x.i32[reg * 4 + 2] = T32[(imm >> 4) & 3]!;
    x.i32[reg * 4 + 3] = T32[(imm >> 6) & 3]!;
  },
  shufpd: (cpu, reg, rm, la, imm, _o, k) => {
    loadSrc(cpu, rm, la, 16, rm < 0, k);
    const x = cpu.xmm;
    const d = x.i32.slice(reg * 4, reg * 4 + 4);
    const lo = imm & 1 ? 2 : 0;
    const hi = imm & 2 ? 2 : 0;
    x.i32[reg * 4] = d[lo]!;
    x.i32[reg * 4 + 1] = d[lo + 1]!;
    x.i32[reg * 4 + 2] = T32[hi]!;
    x.i32[reg * 4 + 3] = T32[hi + 1]!;
  },
  pinsrw: (cpu, reg, rm, la, imm, _o, k) => {
    const v = rm >= 0 ? cpu.r[rm]! & 0xffff : cpu.rd16(la, k);
    cpu.xmm.u16[reg * 8 + (imm & 7)] = v;
  },
  pextrw: (cpu, reg, rm, _la, imm) => setGpr(cpu, reg, cpu.xmm.u16[rm * 8 + (imm & 7)]!, 0, 4),
  psrlw: shiftOp('r', 16, false),
  psrld: shiftOp('r', 32, false),
  psrlq: shiftOp('r', 64, false),
  psraw: shiftOp('a', 16, false),
  psrad: shiftOp('a', 32, false),
  psllw: shiftOp('l', 16, false),
  pslld: shiftOp('l', 32, false),
  psllq: shiftOp('l', 64, false),
  psrlw_i: shiftOp('r', 16, true),
  psrld_i: shiftOp('r', 32, true),
  psrlq_i: shiftOp('r', 64, true),
  psraw_i: shiftOp('a', 16, true),
  psrad_i: shiftOp('a', 32, true),
  psllw_i: shiftOp('l', 16, true),
  pslld_i: shiftOp('l', 32, true),
  psllq_i: shiftOp('l', 64, true),
  psrldq: byteShift(false),
  pslldq: byteShift(true),
  addsd: scalar(true, (a, b) => a + b),
  subsd: scalar(true, (a, b) => a - b),
  mulsd: scalar(true, (a, b) => a * b),
  divsd: scalar(true, (a, b) => a / b),
  minsd: scalar(true, (a, b) => (a < b ? a : b)),
  maxsd: scalar(true, (a, b) => (a > b ? a : b)),
  sqrtsd: scalar(true, (_a, b) => Math.sqrt(b)),
  addss: scalar(false, (a, b) => Math.fround(a + b)),
  subss: scalar(false, (a, b) => Math.fround(a - b)),
  mulss: scalar(false, (a, b) => Math.fround(a * b)),
  divss: scalar(false, (a, b) => Math.fround(a / b)),
  sqrtss: scalar(false, (_a, b) => Math.fround(Math.sqrt(b))),
  cvtsd2ss: (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, 8, false, k);
    cpu.xmm.f32[reg * 4] = TF64[0]!;
  },
  cvtss2sd: (cpu, reg, rm, la, _i, _o, k) => {
    loadSrc(cpu, rm, la, 4, false, k);
    cpu.xmm.f64[reg * 2] = TF32[0]!;
  },
  cvtsi2sd: (cpu, reg, rm, la, _i, osize, k) => {
    cpu.xmm.f64[reg * 2] = gprSource(cpu, rm, la, osize, k);
  },
  cvtsi2ss: (cpu, reg, rm, la, _i, osize, k) => {
    cpu.xmm.f32[reg * 4] = gprSource(cpu, rm, la, osize, k);
  },
  cvttsd2si: (cpu, reg, rm, la, _i, osize, k) => {
    loadSrc(cpu, rm, la, 8, false, k);
    const [l, h] = toInt(TF64[0]!, osize, true);
    setGpr(cpu, reg, l, h, osize);
  },
  cvtsd2si: (cpu, reg, rm, la, _i, osize, k) => {
    loadSrc(cpu, rm, la, 8, false, k);
    const [l, h] = toInt(TF64[0]!, osize, false);
    setGpr(cpu, reg, l, h, osize);
  },
  cvttss2si: (cpu, reg, rm, la, _i, osize, k) => {
    loadSrc(cpu, rm, la, 4, false, k);
    const [l, h] = toInt(TF32[0]!, osize, true);
    setGpr(cpu, reg, l, h, osize);
  },
  cvtss2si: (cpu, reg, rm, la, _i, osize, k) => {
    loadSrc(cpu, rm, la, 4, false, k);
    const [l, h] = toInt(TF32[0]!, osize, false);
    setGpr(cpu, reg, l, h, osize);
  },
  ucomisd: compare(true),
  comisd: compare(true),
  ucomiss: compare(false),
  comiss: compare(false),
};

export const SSE_NAMES = Object.keys(SSE_OPS);
export const SSE_LIST: readonly Op[] = SSE_NAMES.map((n) => SSE_OPS[n]!);

/** FXSAVE: the 512-byte x87/SSE state image (legacy x87 area with the raw register bytes, MXCSR, XMM). */
export function fxsave(cpu: Cpu, la: number, k: number): void {
  if (la % 16 !== 0) cpu.raise(VEC.GP, 0, k);
  const img = new Uint8Array(512);
  const dv = new DataView(img.buffer);
  dv.setUint16(0, cpu.fpuControl, true);
  dv.setUint16(2, cpu.fpuStatus, true);
  img[4] = cpu.fpuTagAbridged;
  dv.setUint32(24, cpu.xmm.mxcsr, true);
  dv.setUint32(28, 0xffbf, true);
  img.set(cpu.fpuRegs, 32);
  const xmmCount = cpu.hflags & 0x200 ? 16 : 8;
  img.set(cpu.xmm.u8.subarray(0, xmmCount * 16), 160);
  cpu.translate(la, 1, cpu.cpl === 3, k);
  cpu.translate(la + 511, 1, cpu.cpl === 3, k);
  for (let n = 0; n < 512; n += 4) cpu.wr32(next(cpu, la, n), dv.getInt32(n, true), k);
}

export function fxrstor(cpu: Cpu, la: number, k: number): void {
  if (la % 16 !== 0) cpu.raise(VEC.GP, 0, k);
  const img = new Uint8Array(512);
  const dv = new DataView(img.buffer);
  for (let n = 0; n < 512; n += 4) dv.setInt32(n, cpu.rd32(next(cpu, la, n), k), true);
  const mxcsr = dv.getUint32(24, true);
  if (mxcsr & ~0xffff) cpu.raise(VEC.GP, 0, k);
  cpu.fpuControl = dv.getUint16(0, true);
  cpu.fpuStatus = dv.getUint16(2, true);
  cpu.fpuTagAbridged = img[4]!;
  cpu.xmm.mxcsr = mxcsr;
  cpu.fpuRegs.set(img.subarray(32, 160));
  const xmmCount = cpu.hflags & 0x200 ? 16 : 8;
  cpu.xmm.u8.set(img.subarray(160, 160 + xmmCount * 16));
}

export function ldmxcsr(cpu: Cpu, la: number, k: number): void {
  const v = cpu.rd32(la, k);
  if (v & ~0xffff) cpu.raise(VEC.GP, 0, k);
  cpu.xmm.mxcsr = v;
}

export function stmxcsr(cpu: Cpu, la: number, k: number): void {
  cpu.wr32(la, cpu.xmm.mxcsr, k);
}
