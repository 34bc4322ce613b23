/**
 * Pure arithmetic the generated code calls for what is awkward to inline:
 * 64-bit products and quotients, double shifts, rotates through carry,
 * bit scans and BCD adjustments. Each follows what QEMU 7.2's TCG does
 * (target/i386/tcg/translate.c and its helpers), including the values it
 * gives flags the SDM leaves undefined. Results are int32; where an
 * operation has two results the second goes to `OUT[0]`.
 */
import { AF, CF, OF, PARITY, SF, ZF } from './flags.js';

/** Second results (high halves, remainders, flags) of the helpers below. */
export const OUT = new Int32Array(4);

const MASKS = [0, 0xff, 0xffff, 0, 0xffff_ffff];
const BITS = [0, 8, 16, 0, 32];

/** Wraps an exact integer to the signed 64-bit range (64-bit address arithmetic). */
export function wrap64(v: number): number {
  if (v >= 9223372036854775808) return v - 18446744073709551616;
  if (v < -9223372036854775808) return v + 18446744073709551616;
  return v;
}

/** Unsigned 32x32 -> 64: returns the low half, the high half in OUT[0]. */
export function mulu32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  OUT[0] = hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16);
  return Math.imul(a, b);
}

/**
 * Unsigned 64/32 division of hi:lo by d: returns the quotient, remainder in
 * OUT[0]; returns undefined for #DE (divide by zero or a quotient that does
 * not fit 32 bits).
 */
export function divu64(hi: number, lo: number, d: number): number | undefined {
  const h = hi >>> 0;
  const l = lo >>> 0;
  const dv = d >>> 0;
  if (dv === 0 || h >= dv) return undefined;
  if (h === 0) {
    OUT[0] = l % dv;
    return Math.floor(l / dv) | 0;
  }
  // Long division, 16 bits at a time: every partial dividend stays below 2^48.
  let rem = h;
  let q = 0;
  for (let s = 16; s >= 0; s -= 16) {
    const cur = rem * 65536 + ((l >>> s) & 0xffff);
    const qd = Math.floor(cur / dv);
    rem = cur - qd * dv;
    q = q * 65536 + qd;
  }
  OUT[0] = rem | 0;
  return q | 0;
}

/** Signed 64/32 division (truncating): quotient, remainder in OUT[0]; undefined for #DE. */
export function divs64(hi: number, lo: number, d: number): number | undefined {
  if (d === 0) return undefined;
  const neg = hi < 0;
  let h = hi >>> 0;
  let l = lo >>> 0;
  if (neg) {
    l = (~l + 1) >>> 0;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  const dneg = d < 0;
  const dv = dneg ? -d >>> 0 : d >>> 0;
  if (h >= dv) return undefined;
  const q = divu64(h, l, dv);
  if (q === undefined) return undefined;
  const uq = q >>> 0;
  const r = OUT[0]! >>> 0;
  const qneg = neg !== dneg;
  if (qneg ? uq > 0x8000_0000 : uq > 0x7fff_ffff) return undefined;
  OUT[0] = neg ? -r | 0 : r | 0;
  return qneg ? -uq | 0 : uq | 0;
}

/** SHLD at `width` bytes (count already masked to 0-31): the result; the value shifted by count-1 in OUT[0]. */
export function shld(width: number, d: number, s: number, c: number): number {
  if (width === 4) {
    OUT[0] = c === 1 ? d : (d << (c - 1)) | (s >>> (33 - c));
    return (d << c) | (s >>> (32 - c));
  }
  // 16 bits: Intel's behaviour for counts above 16 shifts dest:src:dest.
  const v = (d & 0xffff) * 2 ** 32 + (s & 0xffff) * 65536 + (d & 0xffff);
  OUT[0] = Math.floor(v / 2 ** (33 - c)) & 0xffff;
  return Math.floor(v / 2 ** (32 - c)) & 0xffff;
}

/** SHRD at `width` bytes (count 1-31): the result; the value shifted by count-1 in OUT[0]. */
export function shrd(width: number, d: number, s: number, c: number): number {
  if (width === 4) {
    OUT[0] = c === 1 ? d : (d >>> (c - 1)) | (s << (33 - c));
    return (d >>> c) | (s << (32 - c));
  }
  const v = (d & 0xffff) * 2 ** 32 + (s & 0xffff) * 65536 + (d & 0xffff);
  OUT[0] = Math.floor(v / 2 ** (c - 1)) & 0xffff;
  return Math.floor(v / 2 ** c) & 0xffff;
}

/** RCL at `width` bytes: count is the raw count; `flags` the materialised arithmetic flags. New flags in OUT[0]. */
export function rcl(width: number, v: number, count: number, flags: number): number {
  const bits = BITS[width]!;
  let c = count & 0x1f;
  if (bits === 16) c %= 17;
  else if (bits === 8) c %= 9;
  OUT[0] = flags;
  if (c === 0) return v;
  const t0 = (v & MASKS[width]!) >>> 0;
  let res = c === 32 ? 0 : (t0 << c) >>> 0;
  res = (res | ((flags & CF) << (c - 1))) >>> 0;
  if (c > 1) res = (res | (t0 >>> (bits + 1 - c))) >>> 0;
  res = (res & MASKS[width]!) >>> 0;
  const of = lshiftOf(t0 ^ res, bits);
  const cf = (t0 >>> (bits - c)) & CF;
  OUT[0] = (flags & ~(CF | OF)) | of | cf;
  return res | 0;
}

export function rcr(width: number, v: number, count: number, flags: number): number {
  const bits = BITS[width]!;
  let c = count & 0x1f;
  if (bits === 16) c %= 17;
  else if (bits === 8) c %= 9;
  OUT[0] = flags;
  if (c === 0) return v;
  const t0 = (v & MASKS[width]!) >>> 0;
  let res = (t0 >>> c) >>> 0;
  res = (res | (bits - c === 32 ? 0 : (flags & CF) << (bits - c))) >>> 0;
  if (c > 1) res = (res | (t0 << (bits + 1 - c))) >>> 0;
  res = (res & MASKS[width]!) >>> 0;
  const of = lshiftOf(t0 ^ res, bits);
  const cf = (t0 >>> (c - 1)) & CF;
  OUT[0] = (flags & ~(CF | OF)) | of | cf;
  return res | 0;
}

/** lshift(x, 11 - (bits - 1)) & OF: the top bit of a `bits`-wide value moved to OF. */
function lshiftOf(x: number, bits: number): number {
  return ((x >>> (bits - 1)) & 1) << 11;
}

/** BSF: index of the lowest set bit, or `old` when v is 0. */
export function bsf(v: number, old: number): number {
  if (v === 0) return old;
  return 31 - Math.clz32(v & -v);
}

/** BSR: index of the highest set bit, or `old` when v is 0. */
export function bsr(v: number, old: number): number {
  if (v === 0) return old;
  return 31 - Math.clz32(v);
}

export function bswap(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** DAA on AL with flags: returns the new AL; the new flags in OUT[0] (QEMU's helper_daa: OF cleared). */
export function daa(al: number, flags: number): number {
  const cf0 = flags & CF;
  const af0 = flags & AF;
  let eflags = 0;
  let a = al & 0xff;
  const old = a;
  if ((a & 0x0f) > 9 || af0) {
    a = (a + 6) & 0xff;
    eflags |= AF;
  }
  if (old > 0x99 || cf0) {
    a = (a + 0x60) & 0xff;
    eflags |= CF;
  }
  eflags |= (a === 0 ? ZF : 0) | PARITY[a]! | (a & 0x80);
  OUT[0] = eflags;
  return a;
}

/** DAS (QEMU's helper_das). */
export function das(al: number, flags: number): number {
  const cf0 = flags & CF;
  const af0 = flags & AF;
  let eflags = 0;
  let a = al & 0xff;
  const old = a;
  if ((a & 0x0f) > 9 || af0) {
    eflags |= AF;
    if (a < 6 || cf0) eflags |= CF;
    a = (a - 6) & 0xff;
  }
  if (old > 0x99 || cf0) {
    a = (a - 0x60) & 0xff;
    eflags |= CF;
  }
  eflags |= (a === 0 ? ZF : 0) | PARITY[a]! | (a & 0x80);
  OUT[0] = eflags;
  return a;
}

/** AAA on AX (QEMU's helper_aaa): the new AX; flags in OUT[0]. */
export function aaa(ax: number, flags: number): number {
  let al = ax & 0xff;
  let ah = (ax >> 8) & 0xff;
  const icarry = al > 0xf9 ? 1 : 0;
  let f = flags;
  if ((al & 0x0f) > 9 || f & AF) {
    al = (al + 6) & 0x0f;
    ah = (ah + 1 + icarry) & 0xff;
    f |= CF | AF;
  } else {
    f &= ~(CF | AF);
    al &= 0x0f;
  }
  OUT[0] = f;
  return (ah << 8) | al;
}

/** AAS (QEMU's helper_aas). */
export function aas(ax: number, flags: number): number {
  let al = ax & 0xff;
  let ah = (ax >> 8) & 0xff;
  const icarry = al < 6 ? 1 : 0;
  let f = flags;
  if ((al & 0x0f) > 9 || f & AF) {
    al = (al - 6) & 0x0f;
    ah = (ah - 1 - icarry) & 0xff;
    f |= CF | AF;
  } else {
    f &= ~(CF | AF);
    al &= 0x0f;
  }
  OUT[0] = f;
  return (ah << 8) | al;
}

/** SF, ZF and PF of a byte result (AAM/AAD set flags as a logic op on AL). */
export function szp8(v: number): number {
  const b = v & 0xff;
  return (b === 0 ? ZF : 0) | (b & 0x80 ? SF : 0) | PARITY[b]!;
}

// ---- 64-bit operations on int32 halves (results: low half returned, high half in OUT[0]) -------

const B32 = 0x1_0000_0000n;
const toBigU = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** Shift left by 0-63. */
export function shl64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    OUT[0] = hi;
    return lo;
  }
  if (c < 32) {
    OUT[0] = (hi << c) | (lo >>> (32 - c));
    return lo << c;
  }
  OUT[0] = lo << (c - 32);
  return 0;
}

/** Logical shift right by 0-63. */
export function shr64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    OUT[0] = hi;
    return lo;
  }
  if (c < 32) {
    OUT[0] = hi >>> c;
    return (lo >>> c) | (hi << (32 - c));
  }
  OUT[0] = 0;
  return (hi >>> (c - 32)) | 0;
}

/** Arithmetic shift right by 0-63. */
export function sar64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    OUT[0] = hi;
    return lo;
  }
  if (c < 32) {
    OUT[0] = hi >> c;
    return (lo >>> c) | (hi << (32 - c));
  }
  OUT[0] = hi >> 31;
  return hi >> (c - 32);
}

/** Rotate by 0-63 (left when `right` is false). */
export function rot64(lo: number, hi: number, c: number, right: boolean): number {
  c &= 63;
  if (right) c = (64 - c) & 63;
  if (c === 0) {
    OUT[0] = hi;
    return lo;
  }
  const l1 = shl64(lo, hi, c);
  const h1 = OUT[0]!;
  const l2 = shr64(lo, hi, 64 - c);
  const h2 = OUT[0]!;
  OUT[0] = h1 | h2;
  return l1 | l2;
}

/**
 * 64x64 -> 128 (signed or not): OUT = [lo, hi, lo2, hi2] of the product; returns OUT[0].
 * Schoolbook on 16-bit limbs in doubles (a column sums at most four 32-bit products and a
 * carry, well inside 2^53; `& 0xffff` takes a column's low limb, the rest is an exact division
 * by a power of two): Linux multiplies 64-bit values all the time (hashes, clock scaling,
 * division by constants), and the BigInt arithmetic this replaced cost 6% of its boot.
 */
export function mul64(al: number, ah: number, bl: number, bh: number, signed: boolean): number {
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  let v = a0 * b0;
  const r0 = v & 0xffff;
  v = (v - r0) / 0x1_0000 + a0 * b1 + a1 * b0;
  const r1 = v & 0xffff;
  v = (v - r1) / 0x1_0000 + a0 * b2 + a1 * b1 + a2 * b0;
  const r2 = v & 0xffff;
  v = (v - r2) / 0x1_0000 + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const r3 = v & 0xffff;
  v = (v - r3) / 0x1_0000 + a1 * b3 + a2 * b2 + a3 * b1;
  const r4 = v & 0xffff;
  v = (v - r4) / 0x1_0000 + a2 * b3 + a3 * b2;
  const r5 = v & 0xffff;
  v = (v - r5) / 0x1_0000 + a3 * b3;
  let lo2 = r4 | (r5 << 16);
  let hi2 = v | 0;
  if (signed) {
    // Two's complement: a negative factor contributes -(the other) x 2^64 to the product.
    if (ah < 0) {
      const sub = sub64(lo2, hi2, bl, bh);
      hi2 = OUT[0]!;
      lo2 = sub;
    }
    if (bh < 0) {
      const sub = sub64(lo2, hi2, al, ah);
      hi2 = OUT[0]!;
      lo2 = sub;
    }
  }
  OUT[0] = r0 | (r1 << 16);
  OUT[1] = r2 | (r3 << 16);
  OUT[2] = lo2;
  OUT[3] = hi2;
  return OUT[0]!;
}

/** (hi:lo) - (yh:yl) mod 2^64: returns the low half, the high half in OUT[0]. */
function sub64(lo: number, hi: number, yl: number, yh: number): number {
  const l = (lo >>> 0) - (yl >>> 0);
  OUT[0] = (hi - yh - (l < 0 ? 1 : 0)) | 0;
  return l | 0;
}

/**
 * 128/64 division of RDX:RAX by a 64-bit divisor: OUT = [qlo, qhi, rlo, rhi];
 * returns false for #DE (divide by zero, quotient out of range).
 */
export function div128(al: number, ah: number, dl: number, dh: number, xl: number, xh: number, signed: boolean): boolean {
  if (smallDiv(al, ah, dl, dh, xl, xh, signed)) return true;
  // A 64-bit dividend by a divisor under 2^32 (for IDIV, a dividend under 2^63): the kernel's do_div.
  if ((dl | dh | xh) === 0 && xl !== 0 && (!signed || ah >= 0)) return div64by32(al, ah, xl >>> 0);
  let n = (toBigU(dl, dh) << 64n) | toBigU(al, ah);
  let d = toBigU(xl, xh);
  if (signed) {
    if (n >= 1n << 127n) n -= 1n << 128n;
    if (d >= 1n << 63n) d -= 1n << 64n;
  }
  if (d === 0n) return false;
  let q = n / d;
  let r = n % d;
  if (signed ? q > (1n << 63n) - 1n || q < -(1n << 63n) : q >= 1n << 64n) return false;
  if (q < 0n) q += 1n << 64n;
  if (r < 0n) r += 1n << 64n;
  OUT[0] = Number(q & 0xffff_ffffn) | 0;
  OUT[1] = Number(q >> 32n) | 0;
  OUT[2] = Number(r & 0xffff_ffffn) | 0;
  OUT[3] = Number(r >> 32n) | 0;
  return true;
}

/**
 * An unsigned 64-bit dividend (`ah`:`al`) by a divisor `d` under 2^32, in doubles, by long
 * division in a 32-bit and two 16-bit digits: each partial dividend is under 2^48 (the remainder
 * before it is under d), where the truncated quotient of doubles is exact (see smallDiv), and
 * the two low digits of the quotient are each under 2^16.
 */
function div64by32(al: number, ah: number, d: number): true {
  const n1 = ah >>> 0;
  const q1 = Math.floor(n1 / d);
  const n2 = (n1 - q1 * d) * 0x1_0000 + (al >>> 16);
  const q2 = Math.floor(n2 / d);
  const n3 = (n2 - q2 * d) * 0x1_0000 + (al & 0xffff);
  const q3 = Math.floor(n3 / d);
  OUT[0] = (q2 * 0x1_0000 + q3) | 0;
  OUT[1] = q1 | 0;
  OUT[2] = (n3 - q3 * d) | 0;
  OUT[3] = 0;
  return true;
}

/**
 * div128 for a dividend and a divisor both under 2^52 in magnitude (the dividend's high half
 * only its sign), in doubles. Truncating the rounded quotient is exact there: a quotient that is
 * not an integer lies at least 1/|d| from one, and rounding moves it by at most |a/d| x 2^-53,
 * less than that while |a| < 2^53; the remainder a - q x d is then exact too. Returns false to
 * leave the rest, and every #DE, to the exact path.
 */
function smallDiv(al: number, ah: number, dl: number, dh: number, xl: number, xh: number, signed: boolean): boolean {
  const small = (hi: number) => (signed ? hi >= -0x10_0000 && hi < 0x10_0000 : hi >>> 0 < 0x10_0000);
  const ext = signed ? ah >> 31 : 0;
  if (dl !== ext || dh !== ext || !small(ah) || !small(xh) || (xl | xh) === 0) return false;
  const a = (signed ? ah : ah >>> 0) * 0x1_0000_0000 + (al >>> 0);
  const d = (signed ? xh : xh >>> 0) * 0x1_0000_0000 + (xl >>> 0);
  const q = Math.trunc(a / d);
  const r = a - q * d;
  OUT[0] = q | 0;
  OUT[1] = Math.floor(q / 0x1_0000_0000) | 0;
  OUT[2] = r | 0;
  OUT[3] = Math.floor(r / 0x1_0000_0000) | 0;
  return true;
}

/** Signed 64-bit product truncated to 64 bits (returns low, high in OUT[0]) and whether it overflowed in OUT[1]. */
export function imul64(al: number, ah: number, bl: number, bh: number): number {
  if (ah === al >> 31 && bh === bl >> 31) {
    // Two int32 factors (most of what Linux multiplies): a product under 2^53 is exact in a double.
    const p = al * bl;
    if (p < 0x20_0000_0000_0000 && p > -0x20_0000_0000_0000) {
      OUT[0] = Math.floor(p / 0x1_0000_0000) | 0;
      OUT[1] = 0;
      return p | 0;
    }
  }
  if (ah === 0 && bh === 0) {
    // Two unsigned 32-bit factors (multi-word arithmetic in 32-bit limbs: Linux's RSA checks of
    // its X.509 certificates): the product is below 2^64, and fits when it is below 2^63.
    const lo = mulu32(al, bl);
    const hi = OUT[0]!;
    OUT[1] = hi < 0 ? 1 : 0;
    return lo;
  }
  const lo = mul64(al, ah, bl, bh, true);
  const hi = OUT[1]!;
  // The product fits in 64 bits when its upper half is the sign extension of the lower.
  const ext = hi >> 31;
  OUT[0] = hi;
  OUT[1] = OUT[2] === ext && OUT[3] === ext ? 0 : 1;
  return lo;
}

export function bsf64(lo: number, hi: number, old: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 63 - Math.clz32(hi & -hi);
  return old;
}

export function bsr64(lo: number, hi: number, old: number): number {
  if (hi !== 0) return 63 - Math.clz32(hi);
  if (lo !== 0) return 31 - Math.clz32(lo);
  return old;
}

/** RCL/RCR on 64 bits (count masked to 6 bits): result low (high in OUT[0]), new flags in OUT[1]. */
export function rc64(lo: number, hi: number, count: number, flags: number, right: boolean): number {
  const c = count & 63;
  OUT[0] = hi;
  OUT[1] = flags;
  if (c === 0) return lo;
  const v = toBigU(lo, hi);
  const cf = BigInt(flags & CF);
  const mask = (1n << 64n) - 1n;
  let res: bigint;
  let newCf: bigint;
  if (!right) {
    res = ((v << BigInt(c)) | (cf << BigInt(c - 1)) | (c > 1 ? v >> BigInt(65 - c) : 0n)) & mask;
    newCf = (v >> BigInt(64 - c)) & 1n;
  } else {
    res = ((v >> BigInt(c)) | (cf << BigInt(64 - c)) | (c > 1 ? v << BigInt(65 - c) : 0n)) & mask;
    newCf = (v >> BigInt(c - 1)) & 1n;
  }
  const of = ((v ^ res) >> 63n) & 1n;
  OUT[0] = Number(res >> 32n) | 0;
  OUT[1] = (flags & ~(CF | OF)) | (Number(of) << 11) | Number(newCf);
  return Number(res & 0xffff_ffffn) | 0;
}

void B32;
