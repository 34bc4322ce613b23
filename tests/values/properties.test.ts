import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatBdf, formatHex, formatMac, formatSize, parseValue, type ValueErrorCode, type ValueKind, type ValueResult,
} from '../../compiler/values/index.js';

const KINDS: ValueKind[] = ['int', 'size', 'address', 'bdf', 'slotfn', 'mac', 'range'];
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function wellFormed(text: string, r: ValueResult): void {
  if (r.ok) return;
  const { offset, length } = r.error;
  expect(Number.isInteger(offset) && Number.isInteger(length)).toBe(true);
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(length).toBeGreaterThanOrEqual(0);
  expect(offset + length).toBeLessThanOrEqual(text.length);
  expect(r.error.message.length).toBeGreaterThan(0);
}

/** Text made of the language's own pieces, so most inputs get deep into the parser. */
const pieces = fc.constantFrom(
  '0', '1', '7', '9', '00', '1c', '1f', 'a', 'fe', 'B', 'x', '0x', '0b', '_', ' ', '.', '..', ':', '-', '+', '*', '/',
  '(', ')', 'KiB', 'MiB', 'GiB', 'G', 'k', 'MB', 'PiB', '9007199254740991', '%', '\t', 'é',
);
const languageText = fc.array(pieces, { maxLength: 16 }).map((p) => p.join(''));

describe('parseValue never throws and errors point inside the text', () => {
  it('for text made of the language pieces', () => {
    fc.assert(fc.property(languageText, fc.constantFrom(...KINDS), (text, kind) => {
      wellFormed(text, parseValue(text, kind));
    }), { numRuns: 5000 });
  });

  it('for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...KINDS), (text, kind) => {
      wellFormed(text, parseValue(text, kind));
    }), { numRuns: 2000 });
  });
});

describe('integers', () => {
  const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

  it('read back in decimal, hex and binary', () => {
    fc.assert(fc.property(safe, (n) => {
      for (const text of [String(n), formatHex(n), `0b${n.toString(2)}`, formatHex(n).toUpperCase().replace('0X', '0x')]) {
        expect(parseValue(text, 'int')).toEqual({ ok: true, value: { kind: 'int', value: n } });
      }
    }));
  });

  it('past 2^53 - 1 are too large', () => {
    fc.assert(fc.property(fc.bigInt({ min: MAX + 1n, max: MAX * 1000n }), (n) => {
      const r = parseValue(n.toString(), 'int');
      expect(r.ok ? undefined : r.error.code).toBe('too-large');
    }));
  });
});

type Expr = { lit: bigint } | { op: '+' | '-' | '*' | '/'; l: Expr; r: Expr } | { neg: Expr };

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.bigInt({ min: 0n, max: 20n }),
      fc.bigInt({ min: 0n, max: MAX }),
    ).map((lit) => ({ lit })),
    fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), l: tie('expr'), r: tie('expr') }),
    tie('expr').map((e) => ({ neg: e })),
  ),
})).expr;

function show(e: Expr): string {
  if ('lit' in e) return e.lit.toString();
  if ('neg' in e) return `-(${show(e.neg)})`;
  return `(${show(e.l)} ${e.op} ${show(e.r)})`;
}

/** The reference semantics: BigInt, left to right, every intermediate within ±(2^53 - 1), exact division. */
function reference(e: Expr): bigint | ValueErrorCode {
  if ('lit' in e) return e.lit;
  if ('neg' in e) {
    const v = reference(e.neg);
    return typeof v === 'bigint' ? -v : v;
  }
  const l = reference(e.l);
  if (typeof l !== 'bigint') return l;
  const r = reference(e.r);
  if (typeof r !== 'bigint') return r;
  let v: bigint;
  switch (e.op) {
    case '+': v = l + r; break;
    case '-': v = l - r; break;
    case '*': v = l * r; break;
    case '/':
      if (r === 0n || l % r !== 0n) return 'arithmetic';
      v = l / r;
  }
  return v > MAX || v < -MAX ? 'too-large' : v;
}

describe('expressions', () => {
  it('agree with a BigInt reference', () => {
    fc.assert(fc.property(exprArb, (e) => {
      const text = show(e);
      const expected = reference(e);
      const r = parseValue(text, 'int');
      wellFormed(text, r);
      if (typeof expected === 'bigint' && expected >= 0n) {
        expect(r).toEqual({ ok: true, value: { kind: 'int', value: Number(expected) } });
      } else {
        expect(r.ok ? 'ok' : r.error.code).toBe(typeof expected === 'bigint' ? 'negative' : expected);
      }
    }), { numRuns: 2000 });
  });
});

describe('round trips', () => {
  it('formatSize output parses back to the same size', () => {
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.tuple(fc.integer({ min: 1, max: 8191 }), fc.constantFrom(10, 20, 30, 40)).map(([n, shift]) => n * 2 ** shift),
    );
    fc.assert(fc.property(sizes, (n) => {
      expect(parseValue(formatSize(n), 'size')).toEqual({ ok: true, value: { kind: 'int', value: n } });
    }));
  });

  it('formatBdf and formatMac output parses back', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0, max: 7 }),
      (bus, device, fn) => {
        expect(parseValue(formatBdf(bus, device, fn), 'bdf')).toEqual({ ok: true, value: { kind: 'bdf', segment: 0, bus, device, fn } });
      }));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xff }), { minLength: 6, maxLength: 6 }), (bytes) => {
      expect(parseValue(formatMac(bytes), 'mac')).toEqual({ ok: true, value: { kind: 'mac', bytes } });
    }));
  });
});
