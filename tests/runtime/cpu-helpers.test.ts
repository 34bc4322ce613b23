/**
 * The 64-bit multiply and divide helpers of the translator (runtime/cpu/helpers.ts), which work on
 * int32 halves in doubles, against BigInt arithmetic: MUL/IMUL's 128-bit product, IMUL's truncated
 * product and overflow, DIV/IDIV's quotient, remainder and #DE, signed and unsigned, on values
 * chosen at the edges (the limbs' carries, the sign bits, the double-precision bound of the
 * division's fast path) and at random.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { div128, imul64, mul64, OUT } from '../../runtime/cpu/helpers.js';
import { carryOf, CC, condOf } from '../../runtime/cpu/flags.js';

const M64 = (1n << 64n) - 1n;
const lo = (v: bigint): number => Number(v & 0xffff_ffffn) | 0;
const hi = (v: bigint): number => Number((v >> 32n) & 0xffff_ffffn) | 0;
const signed64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Values a carry or a sign goes wrong on, and the division's 2^52 bound on either side. */
const EDGES: bigint[] = [0n, 1n, 2n, 3n, 0xffffn, 0x1_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x7fff_ffffn, 0x8000_0000n, (1n << 52n) - 1n, 1n << 52n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, M64, M64 - 1n, 0x1234_5678_9abc_def0n];
const edges = EDGES.flatMap((v) => [v, (-v) & M64]);
const u64 = fc.oneof(
  fc.constantFrom(...edges),
  fc.bigInt({ min: 0n, max: M64 }),
  fc.bigInt({ min: 0n, max: (1n << 54n) - 1n }),
  // unsigned 32-bit values (IMUL's shortcut for two of them, multi-word arithmetic in 32-bit limbs)
  fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
  // int32 values sign-extended (IMUL's shortcut for two of them)
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => BigInt(v) & M64),
);
const all = <T>(xs: T[], f: (a: T, b: T) => void) => xs.forEach((a) => xs.forEach((b) => f(a, b)));

function checkMul(a: bigint, b: bigint): void {
  for (const signed of [false, true]) {
    const x = signed ? signed64(a) : a;
    const y = signed ? signed64(b) : b;
    const p = (x * y) & ((1n << 128n) - 1n);
    mul64(lo(a), hi(a), lo(b), hi(b), signed);
    expect([...OUT], `${signed ? 'i' : ''}mul ${a} ${b}`).toEqual([lo(p), hi(p), lo(p >> 64n), hi(p >> 64n)]);
  }
  const p = signed64(a) * signed64(b);
  const t = signed64(p);
  const low = imul64(lo(a), hi(a), lo(b), hi(b));
  expect([low, OUT[0], OUT[1]], `imul ${a} ${b}`).toEqual([lo(t), hi(t), t === p ? 0 : 1]);
}

function checkDiv(n: bigint, d: bigint): void {
  for (const signed of [false, true]) {
    // The dividend's high half as the instruction sees RDX: zero, or the sign of RAX for IDIV (CQO).
    const nHi = signed && n >= 1n << 63n ? M64 : 0n;
    const x = signed ? signed64(n) : n;
    const y = signed ? signed64(d) : d;
    const ok = div128(lo(n), hi(n), lo(nHi), hi(nHi), lo(d), hi(d), signed);
    if (y === 0n) {
      expect(ok).toBe(false);
      continue;
    }
    const q = x / y;
    const r = x % y;
    const fits = signed ? q >= -(1n << 63n) && q < 1n << 63n : q <= M64;
    expect(ok, `${signed ? 'i' : ''}div ${x} / ${y}`).toBe(fits);
    if (fits) expect([...OUT], `${signed ? 'i' : ''}div ${x} / ${y}`).toEqual([lo(q & M64), hi(q & M64), lo(r & M64), hi(r & M64)]);
  }
}

describe('64-bit multiply and divide helpers agree with BigInt', () => {
  it('on every pair of edge values', () => {
    all(edges, checkMul);
    all(edges, checkDiv);
  });

  it('on random values', () => {
    fc.assert(fc.property(u64, u64, (a, b) => checkMul(a, b)), { numRuns: 20_000 });
    fc.assert(fc.property(u64, u64, (n, d) => checkDiv(n, d)), { numRuns: 20_000 });
  });

  it('on a dividend whose high half is set (RDX not just the sign), where the quotient overflows or not', () => {
    const big = (1n << 100n) + 12345n;
    for (const d of [3n, 1n << 40n, M64]) {
      const ok = div128(lo(big), hi(big), lo(big >> 64n), hi(big >> 64n), lo(d), hi(d), false);
      const q = big / d;
      expect(ok).toBe(q <= M64);
      if (ok) expect([OUT[0], OUT[1], OUT[2], OUT[3]]).toEqual([lo(q), hi(q), lo(big % d), hi(big % d)]);
    }
  });
});

describe('conditions and CF after 64-bit CMP/SUB, ADD and TEST, from the lazy state, agree with BigInt', () => {
  // The x86 conditions (even codes; the odd ones are their negations) from the operands.
  const conditions = (flags: { cf: boolean; zf: boolean; sf: boolean; of: boolean; pf: boolean }): boolean[] => {
    const { cf, zf, sf, of, pf } = flags;
    return [of, cf, zf, cf || zf, sf, pf, sf !== of, zf || sf !== of];
  };
  const parity = (v: bigint) => {
    let n = 0;
    for (let b = 0n; b < 8n; b++) n += Number((v >> b) & 1n);
    return n % 2 === 0;
  };
  function check(op: number, a: bigint, b: bigint): void {
    const kind = op - 3;
    const d = (kind === CC.SUB ? a - b : kind === CC.ADD ? a + b : a & b) & M64;
    const sa = signed64(a);
    const sb = signed64(b);
    const exact = kind === CC.SUB ? sa - sb : sa + sb;
    const flags = {
      cf: kind === CC.SUB ? a < b : kind === CC.ADD ? a + b > M64 : false,
      zf: d === 0n,
      sf: d >> 63n === 1n,
      of: kind === CC.LOGIC ? false : exact !== signed64(exact),
      pf: parity(d),
    };
    // TEST keeps its result alone; SUB and ADD the result and the second operand.
    const src = kind === CC.LOGIC ? 0n : b;
    const want = conditions(flags);
    for (let cc = 0; cc < 16; cc++) {
      expect(condOf(op, lo(d), lo(src), 0, hi(d), hi(src), cc), `op ${op} cc ${cc}: ${a} ${b}`).toBe(want[cc >> 1] !== ((cc & 1) === 1));
    }
    expect(carryOf(op, lo(d), lo(src), 0, hi(d), hi(src)), `CF op ${op}: ${a} ${b}`).toBe(flags.cf ? 1 : 0);
  }
  const ops = [CC.SUB + 3, CC.ADD + 3, CC.LOGIC + 3];

  it('at the edges (every pair)', () => all(edges, (a, b) => ops.forEach((op) => check(op, a, b))));

  it('at random', () => {
    fc.assert(fc.property(u64, u64, (a, b) => ops.forEach((op) => check(op, a, b))), { numRuns: 3000 });
  });
});
