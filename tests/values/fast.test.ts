/**
 * The literal fast path agrees with the chevrotain parser on every input it
 * accepts, and accepts the common forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLiteral } from '../../compiler/values/fast.js';
import { parseWithGrammar, type ValueKind } from '../../compiler/values/index.js';

const KINDS: ValueKind[] = ['int', 'size', 'address', 'bdf', 'slotfn', 'mac', 'range'];

/** Strings shaped like values: digits, hex, units, separators. */
const valueLike = fc
  .array(fc.constantFrom('0', '1', '7', '9', '10', '1c', '1f', '20', 'ff', '0x', 'x', ':', '.', '..', ' ', 'B', 'K', 'k', 'KiB', 'M', 'MiB', 'G', 'GiB', 'T', 'TiB', 'P', 'PiB', 'KB', '_', '-', '+', '00', '52', '99999999999'), { maxLength: 8 })
  .map((parts) => parts.join(''));

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
/** Well-formed literals with random numbers, boundaries included. */
const literal = fc.oneof(
  fc.tuple(fc.oneof(fc.nat(), fc.integer({ min: 2 ** 40, max: 2 ** 53 + 10 }), fc.constantFrom(0, 1, 1023, 1024)), fc.constantFrom('', ' ', ''), fc.constantFrom('', 'B', 'K', 'k', 'KiB', 'M', 'MiB', 'G', 'GiB', 'T', 'TiB', 'P', 'PiB')).map(([n, sp, u]) => `${n}${u ? sp : ''}${u}`),
  fc.nat().map((n) => `0x${n.toString(16)}`),
  fc.tuple(fc.integer({ min: 0, max: 0x2f }), fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([d, f, withFn]) => (withFn ? `${hex(d, d > 15 ? 2 : 1)}.${f}` : hex(d, 2))),
  fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0x2f }), fc.integer({ min: 0, max: 8 })).map(([b, d, f]) => `${hex(b, 2)}:${hex(d, 2)}.${f}`),
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((bs) => bs.map((b) => hex(b, 2)).join(':')),
  fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 })).map(([a, b]) => `${a}..${b}`),
);

describe('literal fast path', () => {
  it('accepts the common forms', () => {
    expect(parseLiteral('512 MiB', 'size')).toEqual({ kind: 'int', value: 512 * 2 ** 20 });
    expect(parseLiteral('4G', 'size')).toEqual({ kind: 'int', value: 4 * 2 ** 30 });
    expect(parseLiteral('0xfebf0000', 'address')).toEqual({ kind: 'int', value: 0xfebf0000 });
    expect(parseLiteral('10.0', 'slotfn')).toEqual({ kind: 'slotfn', device: 0x10, fn: 0 });
    expect(parseLiteral('00:1c.2', 'bdf')).toEqual({ kind: 'bdf', segment: 0, bus: 0, device: 0x1c, fn: 2 });
    expect(parseLiteral('52:54:00:12:34:56', 'mac')).toEqual({ kind: 'mac', bytes: [0x52, 0x54, 0, 0x12, 0x34, 0x56] });
    expect(parseLiteral('0..3', 'range')).toEqual({ kind: 'range', first: 0, last: 3 });
  });

  it('leaves everything else to the parser', () => {
    for (const [text, kind] of [['2 GiB + 1 MiB', 'size'], ['512', 'size'], ['1_000', 'int'], ['20.0', 'slotfn'], ['3..1', 'range'], ['512 MB', 'size']] as const) {
      expect(parseLiteral(text, kind)).toBeUndefined();
    }
  });

  it('agrees with the chevrotain parser wherever it answers (20,000 inputs)', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(literal, valueLike), fc.constantFrom(...KINDS), (text, kind) => {
        const fast = parseLiteral(text, kind);
        if (fast === undefined) return;
        answered++;
        const full = parseWithGrammar(text, kind);
        expect(full).toEqual({ ok: true, value: fast });
      }),
      { numRuns: 20_000 },
    );
    // The property must not hold vacuously: a good share of the inputs are literals the fast path reads.
    expect(answered).toBeGreaterThan(1_500);
  });
});
