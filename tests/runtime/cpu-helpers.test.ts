/**
 * The 64-bit multiply and divide helpers of the translator (runtime/cpu/helpers.ts), which work on
 * int32 halves in doubles, against BigInt arithmetic: MUL/IMUL's 128-bit product, IMUL's truncated
 * product and overflow, DIV/IDIV's quotient, remainder and #DE, signed and unsigned, on values
 * chosen at the edges (the limbs' carries, the sign bits, the double-precision bound of the
 * division's fast path) and at random. And what generated code does inline instead of calling
 * them (conditions from the lazy flags, IMUL r64 and 32-bit MUL/IMUL), in both tiers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { div128, imul64, mul64, OUT } from '../../runtime/cpu/helpers.js';
import { arithOf, carryOf, CC, condOf } from '../../runtime/cpu/flags.js';
import { HF } from '../../runtime/cpu/gen.js';
import { compileBlock, handlerFor } from '../../runtime/cpu/tiers.js';
import { blockCpu, decodeAll } from './cpu-blocks.js';

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

  it('on a 64-bit dividend by a divisor under 2^32 (the double-precision long division), at the edges and at random', () => {
    const divisors = [1n, 2n, 3n, 10n, 0xffffn, 0x1_0000n, 1_000_000_000n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_fffen, 0xffff_ffffn];
    const dividends = [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 52n) + 1n, (1n << 63n) - 1n, 1n << 63n, M64 - 1n, M64];
    for (const n of dividends) for (const d of divisors) checkDiv(n, d);
    fc.assert(fc.property(u64, fc.bigInt({ min: 1n, max: 0xffff_ffffn }), (n, d) => checkDiv(n, d)), { numRuns: 20_000 });
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

describe('conditions after 8-, 16- and 32-bit operations that are not CMP or TEST', () => {
  // Every operation from MUL to BMILG takes ZF and SF from its result: condOf answers E and S
  // from it, without computing the other flags.
  const ZF = 0x40;
  const SF = 0x80;
  const ops = Array.from({ length: CC.CLR - CC.MUL }, (_, n) => CC.MUL + n).filter((op) => (op & 3) !== 3);
  const int32 = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, 1, -1, 0x80, 0xff, 0x100, 0x8000, 0xffff, 0x1_0000, -(2 ** 31)));

  it('condOf answers E, NE, S and NS as the flags computed in full do', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ops), int32, int32, fc.integer({ min: 0, max: 1 }), (op, dst, src, src2) => {
        const f = arithOf(op, dst, src, src2, 0, 0);
        for (const [cc, want] of [[4, (f & ZF) !== 0], [8, (f & SF) !== 0]] as const) {
          expect(condOf(op, dst, src, src2, 0, 0, cc), `op ${op} cc ${cc}: ${dst} ${src}`).toBe(want);
          expect(condOf(op, dst, src, src2, 0, 0, cc + 1), `op ${op} cc ${cc + 1}: ${dst} ${src}`).toBe(!want);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('64-bit lazy flags against BigInt', () => {
  const CF = 0x01;
  const PF = 0x04;
  const AF = 0x10;
  const ZF = 0x40;
  const SF = 0x80;
  const OF = 0x800;
  const sign = (v: bigint): boolean => (v >> 63n) === 1n;
  const zsp = (r: bigint): number => {
    let ones = 0;
    for (let b = Number(r & 0xffn); b; b >>= 1) ones += b & 1;
    return (r === 0n ? ZF : 0) | (sign(r) ? SF : 0) | (ones % 2 === 0 ? PF : 0);
  };
  /** What arithOf makes of the lazy state of a 64-bit operation with result r, source s and carry in c. */
  const lazy = (op: number, r: bigint, s: bigint, c: number): number => arithOf(op + 3, lo(r), lo(s), c, hi(r), hi(s));

  it('ADD, ADC, SUB and SBB: all six flags, for the carry in 0 and 1', () => {
    fc.assert(
      fc.property(u64, u64, fc.constantFrom(0, 1), (a, s, c) => {
        const sum = a + s + BigInt(c);
        const r = sum & M64;
        const add = (sum > M64 ? CF : 0) | ((a ^ s ^ r) & 0x10n ? AF : 0) | (sign(a) === sign(s) && sign(r) !== sign(a) ? OF : 0) | zsp(r);
        expect(lazy(c ? CC.ADC : CC.ADD, r, s, c)).toBe(add);
        const d = (a - s - BigInt(c)) & M64;
        const sub = (a < s + BigInt(c) ? CF : 0) | ((a ^ s ^ d) & 0x10n ? AF : 0) | (sign(a) !== sign(s) && sign(d) !== sign(a) ? OF : 0) | zsp(d);
        expect(lazy(c ? CC.SBB : CC.SUB, d, s, c)).toBe(sub);
      }),
      { numRuns: 3000 },
    );
  });

  it('INC and DEC: the carry kept from before, the rest from the operand', () => {
    fc.assert(
      fc.property(u64, fc.constantFrom(0, 1), (a, cfBefore) => {
        const inc = (a + 1n) & M64;
        expect(lazy(CC.INC, inc, BigInt(cfBefore), 0)).toBe(cfBefore | ((a ^ 1n ^ inc) & 0x10n ? AF : 0) | (a === (1n << 63n) - 1n ? OF : 0) | zsp(inc));
        const dec = (a - 1n) & M64;
        expect(lazy(CC.DEC, dec, BigInt(cfBefore), 0)).toBe(cfBefore | ((a ^ 1n ^ dec) & 0x10n ? AF : 0) | (a === 1n << 63n ? OF : 0) | zsp(dec));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compiled code against the lazy flags it leaves', () => {
  const HF32 = HF.PE | HF.CS32 | HF.SS32;
  // An operation on EAX and EBX (CL for shifts) at each width, then `jcc +0x10`.
  const OPS: [string, number[]][] = [
    ['add al, bl', [0x00, 0xd8]],
    ['add ax, bx', [0x66, 0x01, 0xd8]],
    ['add eax, ebx', [0x01, 0xd8]],
    ['adc eax, ebx', [0x11, 0xd8]],
    ['inc ax', [0x66, 0x40]],
    ['dec eax', [0x48]],
    ['shl eax, cl', [0xd3, 0xe0]],
    ['sar bl, 1', [0xd0, 0xfb]],
    ['imul eax, ebx', [0x0f, 0xaf, 0xc3]],
    ['neg al', [0xf6, 0xd8]],
  ];
  const ZF = 0x40;
  const SF = 0x80;
  const CF = 0x01;

  it.each(OPS)('%s, then E, NE, S, NS, B and AE: the branch goes where the flags say', (_, op) => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (a, b, cl, carry) => {
        for (const cc of [2, 3, 4, 5, 8, 9]) {
          const bytes = [...op, 0x70 + cc, 0x10];
          const c = compileBlock(decodeAll(bytes, 32), HF32, 'b');
          const cpu = blockCpu();
          cpu.r.set([a, cl, 0, b]);
          // A carry in (for ADC) from a known state: EFLAGS held whole.
          cpu.cc.set([CC.EFLAGS, 0, carry ? CF : 0]);
          c.fn(cpu);
          const [ccOp, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi] = cpu.cc;
          const f = arithOf(ccOp!, ccDst!, ccSrc!, ccSrc2!, ccDstHi!, ccSrcHi!);
          const bit = cc >> 1 === 1 ? CF : cc >> 1 === 2 ? ZF : SF;
          const holds = ((f & bit) !== 0) !== ((cc & 1) === 1);
          expect(cpu.eip, `${_} ${a} ${b} cl=${cl} cc ${cc}`).toBe(bytes.length + (holds ? 0x10 : 0));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('IMUL r64 in compiled code and in tier 1 against BigInt', () => {
  const HF64 = HF.PE | HF.LMA | HF.CS64;
  const M64 = (1n << 64n) - 1n;
  /** RAX = RDX x src (`imul rax, rdx, imm` when `imm` is given, else `imul rax, rdx` with RAX = src first), then `jmp $`. */
  function run(tier: 1 | 2, rdx: bigint, src: bigint, imm?: number): { rax: bigint; ovf: number } {
    const code = imm === undefined ? [0x48, 0x0f, 0xaf, 0xc2] : [0x48, 0x69, 0xc2, imm & 0xff, (imm >> 8) & 0xff, (imm >> 16) & 0xff, (imm >>> 24) & 0xff];
    const insns = decodeAll([...code, 0xeb, 0xfe], 64);
    const cpu = blockCpu();
    cpu.r[2] = lo(rdx);
    cpu.rh[2] = hi(rdx);
    cpu.r[0] = lo(src);
    cpu.rh[0] = hi(src);
    if (tier === 2) compileBlock(insns, HF64, 'b').fn(cpu);
    else handlerFor(insns[0]!, HF64)(cpu, insns[0]!);
    const rax = (BigInt(cpu.rh[0]! >>> 0) << 32n) | BigInt(cpu.r[0]! >>> 0);
    // OF (= CF) from the lazy state IMUL left.
    const [ccOp, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi] = cpu.cc;
    return { rax, ovf: (arithOf(ccOp!, ccDst!, ccSrc!, ccSrc2!, ccDstHi!, ccSrcHi!) >> 11) & 1 };
  }
  const expected = (x: bigint, y: bigint) => {
    const p = signed64(x) * signed64(y);
    return { rax: p & M64, ovf: signed64(p) === p ? 0 : 1 };
  };
  // Factors on both sides of int32 and uint32 (the inline case), products around 2^53 and 2^63
  // (0xffff_ffff x 0x8000_0001 = 2^63 + 2^31 - 1 overflows).
  const factors = [0n, 1n, 3n, 0x7fff_ffffn, 0x8000_0000n, 0x8000_0001n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 22n) - 1n, 1n << 22n, 94906265n, 94906266n, 1n << 62n];
  const values = factors.flatMap((v) => [v, (-v) & M64]);
  const imms = [0, 1, -1, 0x38, 0x3f_ffff, 0x40_0000, -0x40_0000, 0x7fff_ffff, -(2 ** 31), 0x6b43_a9b5];

  it('two registers, at the edges', () => {
    for (const tier of [1, 2] as const) for (const a of values) for (const b of values) expect(run(tier, a, b), `tier ${tier}: ${a} x ${b}`).toEqual(expected(a, b));
  });

  it('a register and an immediate, at the edges', () => {
    for (const tier of [1, 2] as const) for (const a of values) for (const imm of imms) expect(run(tier, a, 0n, imm), `tier ${tier}: ${a} x ${imm}`).toEqual(expected(a, BigInt(imm) & M64));
  });

  it('at random', () => {
    fc.assert(
      fc.property(u64, u64, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (a, b, imm) => {
        for (const tier of [1, 2] as const) {
          expect(run(tier, a, b)).toEqual(expected(a, b));
          expect(run(tier, a, 0n, imm)).toEqual(expected(a, BigInt(imm) & M64));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('32-bit MUL and IMUL in compiled code and in tier 1 against BigInt', () => {
  const HF32 = HF.PE | HF.CS32 | HF.SS32;
  const M32 = 0xffff_ffffn;
  /** `code` (on EAX and EBX) then `jmp $`: EDX:EAX, or EAX for the two-operand IMUL, and CF. */
  function run(tier: 1 | 2, code: number[], eax: number, ebx: number): { eax: number; edx: number; cf: number } {
    const insns = decodeAll([...code, 0xeb, 0xfe], 32);
    const cpu = blockCpu();
    cpu.r.set([eax, 0, 0, ebx]);
    if (tier === 2) compileBlock(insns, HF32, 'b').fn(cpu);
    else handlerFor(insns[0]!, HF32)(cpu, insns[0]!);
    const [ccOp, ccDst, ccSrc, ccSrc2, ccDstHi, ccSrcHi] = cpu.cc;
    return { eax: cpu.r[0]!, edx: cpu.r[2]!, cf: arithOf(ccOp!, ccDst!, ccSrc!, ccSrc2!, ccDstHi!, ccSrcHi!) & 1 };
  }
  const s32 = (v: number) => BigInt(v | 0);
  const u32 = (v: number) => BigInt(v >>> 0);
  const check = (eax: number, ebx: number) => {
    const pu = u32(eax) * u32(ebx);
    const ps = s32(eax) * s32(ebx);
    const w = (p: bigint) => ({ eax: Number(p & M32) | 0, edx: Number((p >> 32n) & M32) | 0 });
    for (const tier of [1, 2] as const) {
      expect(run(tier, [0xf7, 0xe3], eax, ebx), `tier ${tier} mul ${eax} ${ebx}`).toEqual({ ...w(pu), cf: pu >> 32n === 0n ? 0 : 1 });
      expect(run(tier, [0xf7, 0xeb], eax, ebx), `tier ${tier} imul ${eax} ${ebx}`).toEqual({ ...w(ps), cf: BigInt.asIntN(32, ps) === ps ? 0 : 1 });
      const two = run(tier, [0x0f, 0xaf, 0xc3], eax, ebx);
      expect({ eax: two.eax, cf: two.cf }, `tier ${tier} imul eax, ebx: ${eax} ${ebx}`).toEqual({ eax: w(ps).eax, cf: BigInt.asIntN(32, ps) === ps ? 0 : 1 });
    }
  };
  const EDGE32 = [0, 1, 2, 3, 0xffff, 0x1_0000, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_ffff, 0xffff_fffe, 0x1234_5678, 94906265, 94906266];

  it('at the edges (every pair)', () => EDGE32.forEach((a) => EDGE32.forEach((b) => check(a, b))));

  it('at random', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 0xffff_ffff }), (a, b) => check(a, b)), { numRuns: 500 });
  });
});
