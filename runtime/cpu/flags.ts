/**
 * Lazy arithmetic flags, in QEMU's CC_OP model (target/i386/cpu.h,
 * cc_helper_template.h): an instruction that sets flags records what it did
 * (the operation and operand size in `ccOp`, the result in `ccDst`, an
 * operand in `ccSrc`, a carry-in in `ccSrc2`) and OF/SF/ZF/AF/PF/CF are
 * computed only when something reads them. Following QEMU's model to the
 * letter also gives the flags the Intel SDM leaves undefined the values
 * QEMU gives them, which is what the differential tests compare against.
 *
 * Values are held as JavaScript int32s; the size of the operation decides
 * which bits count.
 */

export const CF = 0x0001;
export const PF = 0x0004;
export const AF = 0x0010;
export const ZF = 0x0040;
export const SF = 0x0080;
export const TF = 0x0100;
export const IF = 0x0200;
export const DF = 0x0400;
export const OF = 0x0800;
export const IOPL = 0x3000;
export const NT = 0x4000;
export const RF = 0x1_0000;
export const VM = 0x2_0000;
export const AC = 0x4_0000;
export const VIF = 0x8_0000;
export const VIP = 0x10_0000;
export const ID = 0x20_0000;
/** The six arithmetic flags the lazy model computes. */
export const ARITH = OF | SF | ZF | AF | PF | CF;

/**
 * Operation families; the operand size is added to the family: +0 byte,
 * +1 word, +2 dword, +3 qword (e.g. `CC.ADD + 2` is a 32-bit add).
 */
export const CC = {
  /** ccSrc holds the six flags themselves. */
  EFLAGS: 0,
  MUL: 4,
  ADD: 8,
  ADC: 12,
  SUB: 16,
  SBB: 20,
  LOGIC: 24,
  INC: 28,
  DEC: 32,
  SHL: 36,
  SAR: 40,
  /** ccDst = result; CF, OF undefined -> computed as for a logic op except CF from ccSrc bit. */
  BMILG: 44,
  /** ZF and PF set, everything else clear (xor r, r). */
  CLR: 48,
  /** ZF from ccSrc == 0, everything else clear. */
  POPCNT: 49,
} as const;

/** Size index for a width in bytes: 1 -> 0, 2 -> 1, 4 -> 2, 8 -> 3. */
export function sizeIndex(width: number): number {
  return width === 1 ? 0 : width === 2 ? 1 : width === 4 ? 2 : 3;
}

/** Parity flag of the low byte: set when it has an even number of ones. */
export const PARITY = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let n = 0;
    for (let b = i; b; b >>= 1) n += b & 1;
    t[i] = n & 1 ? 0 : PF;
  }
  return t;
})();

const BITS = [8, 16, 32, 32];
const MASK = [0xff, 0xffff, 0xffff_ffff, 0xffff_ffff];
const SIGN = [0x80, 0x8000, 0x8000_0000, 0x8000_0000];

/** The lazy state a flag computation reads (64-bit operations keep high halves too). */
export interface LazyFlags {
  ccOp: number;
  ccDst: number;
  ccSrc: number;
  ccSrc2: number;
  ccDstHi: number;
  ccSrcHi: number;
}

/** Shifts `x` left by `n` bits (right when negative), as QEMU's lshift(). */
function lshift(x: number, n: number): number {
  return n >= 0 ? x << n : x >>> -n;
}

/** OSZAPC as QEMU's cc_compute_all() gives them. */
export function computeArith(s: LazyFlags): number {
  return arithOf(s.ccOp, s.ccDst, s.ccSrc, s.ccSrc2, s.ccDstHi, s.ccSrcHi);
}

/** computeArith on the lazy state's fields themselves (what compiled code passes: no object to build). */
export function arithOf(op: number, ccDst: number, ccSrc: number, ccSrc2: number, ccDstHi: number, ccSrcHi: number): number {
  if (op === CC.EFLAGS) return ccSrc & ARITH;
  if (op === CC.CLR) return ZF | PF;
  if (op === CC.POPCNT) return ccSrc === 0 && ccSrcHi === 0 ? ZF : 0;
  const size = op & 3;
  if (size === 3) return computeArith64(op - 3, ccDst, ccDstHi, ccSrc, ccSrcHi, ccSrc2);
  const family = op - size;
  const mask = MASK[size]!;
  const sign = SIGN[size]!;
  const dst = (ccDst & mask) >>> 0;
  const src = (ccSrc & mask) >>> 0;
  const zfsfpf = (dst === 0 ? ZF : 0) | (dst & sign ? SF : 0) | PARITY[dst & 0xff]!;
  const ofShift = 12 - BITS[size]!;
  switch (family) {
    case CC.MUL: {
      const cf = ccSrc !== 0 ? CF : 0;
      return cf | zfsfpf | (cf ? OF : 0);
    }
    case CC.ADD: {
      const src1 = (dst - src) & mask;
      const cf = dst < src1 >>> 0 ? CF : 0;
      const af = (dst ^ src1 ^ src) & AF;
      const of = lshift(~(src1 ^ src) & (src1 ^ dst) & sign, ofShift) & OF;
      return cf | af | of | zfsfpf;
    }
    case CC.ADC: {
      const src3 = ccSrc2 & 1;
      const src1 = (dst - src - src3) & mask;
      const cf = (src3 ? dst <= src1 >>> 0 : dst < src1 >>> 0) ? CF : 0;
      const af = (dst ^ src1 ^ src) & AF;
      const of = lshift(~(src1 ^ src) & (src1 ^ dst) & sign, ofShift) & OF;
      return cf | af | of | zfsfpf;
    }
    case CC.SUB: {
      const src1 = (dst + src) & mask;
      const cf = src1 >>> 0 < src ? CF : 0;
      const af = (dst ^ src1 ^ src) & AF;
      const of = lshift((src1 ^ src) & (src1 ^ dst) & sign, ofShift) & OF;
      return cf | af | of | zfsfpf;
    }
    case CC.SBB: {
      const src3 = ccSrc2 & 1;
      const src1 = (dst + src + src3) & mask;
      const cf = (src3 ? src1 >>> 0 <= src : src1 >>> 0 < src) ? CF : 0;
      const af = (dst ^ src1 ^ src) & AF;
      const of = lshift((src1 ^ src) & (src1 ^ dst) & sign, ofShift) & OF;
      return cf | af | of | zfsfpf;
    }
    case CC.LOGIC:
      return zfsfpf;
    case CC.INC: {
      const cf = ccSrc & CF;
      const src1 = (dst - 1) & mask;
      const af = (dst ^ src1 ^ 1) & AF;
      const of = dst === sign ? OF : 0;
      return cf | af | of | zfsfpf;
    }
    case CC.DEC: {
      const cf = ccSrc & CF;
      const src1 = (dst + 1) & mask;
      const af = (dst ^ src1 ^ 1) & AF;
      const of = dst === sign - 1 ? OF : 0;
      return cf | af | of | zfsfpf;
    }
    case CC.SHL: {
      const cf = (src >>> (BITS[size]! - 1)) & CF;
      const of = lshift(dst ^ src, ofShift) & OF;
      return cf | of | zfsfpf;
    }
    case CC.SAR: {
      const cf = src & CF;
      const of = lshift(dst ^ src, ofShift) & OF;
      return cf | of | zfsfpf;
    }
    case CC.BMILG: {
      const cf = src === 0 ? CF : 0;
      return cf | (dst === 0 ? ZF : 0) | (dst & sign ? SF : 0);
    }
  }
  throw new Error(`bad lazy flags operation ${op}`);
}

// ---- 64-bit operations, on int32 halves ---------------------------------------------------------

const u = (x: number): number => x >>> 0;
/** a < b for unsigned 64-bit pairs. */
function ltu64(ah: number, al: number, bh: number, bl: number): boolean {
  return u(ah) < u(bh) || (ah === bh && u(al) < u(bl));
}

/**
 * The arithmetic flags of a 64-bit operation from its lazy state (result and source in halves).
 * ADD/SUB recover their first operand inline: a helper returning `[hi, lo]` allocated an array at
 * each call, a fifth of all the bytes the Linux boot allocates.
 */
function computeArith64(family: number, dl: number, dh: number, sl: number, sh: number, src2: number): number {
  const zfsfpf = (dl === 0 && dh === 0 ? ZF : 0) | (dh < 0 ? SF : 0) | PARITY[dl & 0xff]!;
  switch (family) {
    case CC.MUL: {
      const cf = sl !== 0 || sh !== 0 ? CF : 0;
      return cf | zfsfpf | (cf ? OF : 0);
    }
    case CC.ADD:
    case CC.ADC: {
      const c3 = family === CC.ADC ? src2 & 1 : 0;
      // The first operand, d - s - c3 (l above -2^33: one borrow at most).
      const l = u(dl) - u(sl) - c3;
      const al = l | 0;
      const ah = (dh - sh - (l < 0 ? 1 : 0)) | 0;
      const cf = (c3 ? !ltu64(ah, al, dh, dl) : ltu64(dh, dl, ah, al)) ? CF : 0;
      const af = (dl ^ al ^ sl) & AF;
      const of = (~(ah ^ sh) & (ah ^ dh)) < 0 ? OF : 0;
      return cf | af | of | zfsfpf;
    }
    case CC.SUB:
    case CC.SBB: {
      const c3 = family === CC.SBB ? src2 & 1 : 0;
      // The first operand, d + s + c3 (l below 2^33: one carry at most).
      const l = u(dl) + u(sl) + c3;
      const al = l | 0;
      const ah = (dh + sh + (l >= 0x1_0000_0000 ? 1 : 0)) | 0;
      const cf = (c3 ? !ltu64(sh, sl, ah, al) : ltu64(ah, al, sh, sl)) ? CF : 0;
      const af = (dl ^ al ^ sl) & AF;
      const of = ((ah ^ sh) & (ah ^ dh)) < 0 ? OF : 0;
      return cf | af | of | zfsfpf;
    }
    case CC.LOGIC:
      return zfsfpf;
    case CC.INC: {
      const al = (dl - 1) | 0;
      const of = dh === (0x8000_0000 | 0) && dl === 0 ? OF : 0;
      return (sl & CF) | ((dl ^ al ^ 1) & AF) | of | zfsfpf;
    }
    case CC.DEC: {
      const al = (dl + 1) | 0;
      const of = dh === 0x7fff_ffff && dl === -1 ? OF : 0;
      return (sl & CF) | ((dl ^ al ^ 1) & AF) | of | zfsfpf;
    }
    case CC.SHL:
      return (sh < 0 ? CF : 0) | ((dh ^ sh) < 0 ? OF : 0) | zfsfpf;
    case CC.SAR:
      return (sl & 1 ? CF : 0) | ((dh ^ sh) < 0 ? OF : 0) | zfsfpf;
    case CC.BMILG:
      return (sl === 0 && sh === 0 ? CF : 0) | (dl === 0 && dh === 0 ? ZF : 0) | (dh < 0 ? SF : 0);
  }
  throw new Error(`bad 64-bit lazy flags operation ${family}`);
}

/**
 * CF alone, as QEMU's cc_compute_c(): cheaper than all six for ADC/SBB/RCL and friends. Takes
 * the lazy state's fields themselves, as compiled code passes them.
 */
export function carryOf(op: number, ccDst: number, ccSrc: number, ccSrc2: number, ccDstHi: number, ccSrcHi: number): number {
  if (op === CC.EFLAGS) return ccSrc & CF;
  if (op === CC.CLR || op === CC.POPCNT) return 0;
  const size = op & 3;
  if (size === 3) {
    // CMP/SUB: the minuend (result + subtrahend) below the subtrahend; ADD: the result below an addend.
    if (op === CC.SUB + 3) return minuendBelow(ccDst, ccDstHi, ccSrc, ccSrcHi) ? 1 : 0;
    if (op === CC.ADD + 3) return ltu64(ccDstHi, ccDst, ccSrcHi, ccSrc) ? 1 : 0;
    return arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi) & CF;
  }
  const family = op - size;
  const mask = MASK[size]!;
  switch (family) {
    case CC.ADD: {
      const dst = (ccDst & mask) >>> 0;
      return dst < ((ccDst - ccSrc) & mask) >>> 0 ? 1 : 0;
    }
    case CC.SUB: {
      const src = (ccSrc & mask) >>> 0;
      return ((ccDst + ccSrc) & mask) >>> 0 < src ? 1 : 0;
    }
    case CC.LOGIC:
      return 0;
    case CC.INC:
    case CC.DEC:
      return ccSrc & CF;
    case CC.MUL:
      return ccSrc !== 0 ? 1 : 0;
    case CC.SAR:
      return ccSrc & 1;
  }
  return arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi) & CF;
}

/** The x86 condition codes (the low nibble of Jcc/SETcc/CMOVcc). */
export const enum Cond {
  O = 0,
  NO,
  B,
  AE,
  E,
  NE,
  BE,
  A,
  S,
  NS,
  P,
  NP,
  L,
  GE,
  LE,
  G,
}

/**
 * Whether condition `cc` holds: fast for compare/test/arith, else through the flags. Takes the
 * lazy state's fields themselves, as compiled code passes them.
 */
export function condOf(op: number, ccDst: number, ccSrc: number, ccSrc2: number, ccDstHi: number, ccSrcHi: number, cc: number): boolean {
  const family = op & ~3;
  const invert = (cc & 1) !== 0;
  const base = cc & ~1;
  let r: boolean;
  if ((op & 3) === 3 && op < CC.CLR) r = cond64(family, ccDst, ccDstHi, ccSrc, ccSrcHi, base) ?? testFlags(arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi), base);
  else if (family === CC.SUB && op !== CC.EFLAGS && op < CC.CLR) {
    const size = op & 3;
    const bits = BITS[size]!;
    const mask = MASK[size]!;
    const b = (ccSrc & mask) >>> 0;
    const a = ((ccDst + ccSrc) & mask) >>> 0;
    const sh = 32 - bits;
    switch (base) {
      case Cond.B:
        r = a < b;
        break;
      case Cond.E:
        r = a === b;
        break;
      case Cond.BE:
        r = a <= b;
        break;
      case Cond.L:
        r = (a << sh) >> sh < (b << sh) >> sh;
        break;
      case Cond.LE:
        r = (a << sh) >> sh <= (b << sh) >> sh;
        break;
      case Cond.S:
        r = ((ccDst << sh) >> sh) < 0;
        break;
      default:
        r = testFlags(arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi), base);
    }
  } else if (family === CC.LOGIC && op < CC.CLR) {
    const size = op & 3;
    const sh = 32 - BITS[size]!;
    const d = (ccDst << sh) >> sh;
    switch (base) {
      case Cond.O:
      case Cond.B:
        r = false;
        break;
      case Cond.E:
        r = d === 0;
        break;
      case Cond.BE:
        r = d === 0;
        break;
      case Cond.S:
        r = d < 0;
        break;
      case Cond.L:
        r = d < 0;
        break;
      case Cond.LE:
        r = d <= 0;
        break;
      default:
        r = testFlags(arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi), base);
    }
  } else if (op >= CC.MUL && op < CC.CLR && (base === Cond.E || base === Cond.S)) {
    // Every other operation takes ZF and SF from its result (a loop's `add r, 1; jne`).
    const sh = 32 - BITS[op & 3]!;
    const d = (ccDst << sh) >> sh;
    r = base === Cond.E ? d === 0 : d < 0;
  } else r = testFlags(arithOf(op, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi), base);
  return r !== invert;
}

/**
 * For a 64-bit SUB (CMP) whose lazy state holds result `d` and subtrahend `s` (int32 halves):
 * whether the minuend, d + s, is below s, unsigned (CF, B) or `signed` (L).
 */
function minuendBelow(dl: number, dh: number, sl: number, sh: number, signed = false): boolean {
  const al = (dl + sl) | 0;
  const ah = (dh + sh + (al >>> 0 < dl >>> 0 ? 1 : 0)) | 0;
  return signed ? ah < sh || (ah === sh && al >>> 0 < sl >>> 0) : ltu64(ah, al, sh, sl);
}

/**
 * Even condition `base` after a 64-bit SUB (CMP) or logic operation (TEST, AND...) straight from
 * the lazy state, as Linux's compares need them; undefined for the rest (O, P, other families),
 * which go through the materialised flags.
 */
function cond64(family: number, dl: number, dh: number, sl: number, sh: number, base: number): boolean | undefined {
  const zero = dl === 0 && dh === 0;
  if (family === CC.SUB) {
    switch (base) {
      case Cond.B:
        return minuendBelow(dl, dh, sl, sh);
      case Cond.E:
        return zero;
      case Cond.BE:
        return zero || minuendBelow(dl, dh, sl, sh);
      case Cond.S:
        return dh < 0;
      case Cond.L:
        return minuendBelow(dl, dh, sl, sh, true);
      case Cond.LE:
        return zero || minuendBelow(dl, dh, sl, sh, true);
    }
    return undefined;
  }
  if (family === CC.LOGIC) {
    // CF and OF are clear: B is never, BE is E, L is S.
    switch (base) {
      case Cond.O:
      case Cond.B:
        return false;
      case Cond.E:
      case Cond.BE:
        return zero;
      case Cond.S:
      case Cond.L:
        return dh < 0;
      case Cond.LE:
        return zero || dh < 0;
    }
  }
  return undefined;
}

/** Evaluates an even condition code against materialised flags. */
export function testFlags(f: number, base: number): boolean {
  switch (base) {
    case Cond.O:
      return (f & OF) !== 0;
    case Cond.B:
      return (f & CF) !== 0;
    case Cond.E:
      return (f & ZF) !== 0;
    case Cond.BE:
      return (f & (CF | ZF)) !== 0;
    case Cond.S:
      return (f & SF) !== 0;
    case Cond.P:
      return (f & PF) !== 0;
    case Cond.L:
      return ((f & SF) !== 0) !== ((f & OF) !== 0);
    default:
      return (f & ZF) !== 0 || ((f & SF) !== 0) !== ((f & OF) !== 0);
  }
}
