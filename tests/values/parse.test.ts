import { describe, expect, it } from 'vitest';
import { parseValue, type Value, type ValueErrorCode, type ValueKind } from '../../compiler/values/index.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;
const PiB = 2 ** 50;
const MAX = Number.MAX_SAFE_INTEGER;

const int = (value: number): Value => ({ kind: 'int', value });
const bdf = (bus: number, device: number, fn: number, segment = 0): Value => ({ kind: 'bdf', segment, bus, device, fn });
const slotfn = (device: number, fn: number): Value => ({ kind: 'slotfn', device, fn });
const mac = (...bytes: number[]): Value => ({ kind: 'mac', bytes });
const range = (first: number, last: number): Value => ({ kind: 'range', first, last });

describe('valid values', () => {
  const cases: [ValueKind, string, Value][] = [
    // integers
    ['int', '42', int(42)],
    ['int', '1_000_000', int(1_000_000)],
    ['int', '0x2A', int(42)],
    ['int', '0X2a', int(42)],
    ['int', '0xfebf_0000', int(0xfebf0000)],
    ['int', '0b1010', int(10)],
    ['int', '0b1_0000', int(16)],
    ['int', '0', int(0)],
    ['int', '007', int(7)],
    ['int', '  42  ', int(42)],
    ['int', '\t7\n', int(7)],
    ['int', '9007199254740991', int(MAX)],
    ['int', '0x1f_ffff_ffff_ffff', int(MAX)],
    // arithmetic
    ['int', '2 + 3 * 4', int(14)],
    ['int', '(2 + 3) * 4', int(20)],
    ['int', '10 - 2 - 3', int(5)],
    ['int', '24 / 4 / 2', int(3)],
    ['int', '-(2 - 5)', int(3)],
    ['int', '- -3', int(3)],
    ['int', '1 - 2 + 3', int(2)],
    ['int', '2*(3+4)', int(14)],
    ['int', '0x10 * 0b10', int(32)],
    ['int', '9007199254740990 + 1', int(MAX)],
    // sizes
    ['size', '512 MiB', int(512 * MiB)],
    ['size', '512MiB', int(512 * MiB)],
    ['size', '2 GiB + 512 MiB', int(2 * GiB + 512 * MiB)],
    ['size', '4G', int(4 * GiB)],
    ['size', '4 K', int(4 * KiB)],
    ['size', '4k', int(4 * KiB)],
    ['size', '4 KiB', int(4 * KiB)],
    ['size', '3 M', int(3 * MiB)],
    ['size', '1 T', int(TiB)],
    ['size', '1 TiB', int(TiB)],
    ['size', '1 P', int(PiB)],
    ['size', '1 PiB', int(PiB)],
    ['size', '1 B', int(1)],
    ['size', '100B', int(100)],
    ['size', '0x10 MiB', int(16 * MiB)],
    ['size', '0', int(0)],
    ['size', '2 * 512 MiB', int(GiB)],
    ['size', '512 MiB * 2', int(GiB)],
    ['size', '1 GiB / 4', int(256 * MiB)],
    ['size', '3 GiB - 1 GiB', int(2 * GiB)],
    ['size', '(1 GiB + 1 GiB) * 2', int(4 * GiB)],
    ['size', '4 PiB - 1 B + 4 PiB', int(MAX)],
    // fractional sizes
    ['size', '1.5 GiB', int(1.5 * GiB)],
    ['size', '1.5GiB', int(1.5 * GiB)],
    ['size', '0.5 KiB', int(512)],
    ['size', '1.25 MiB', int(1.25 * MiB)],
    ['size', '2.0 GiB', int(2 * GiB)],
    ['size', '0.25 GiB + 0.75 GiB', int(GiB)],
    // addresses
    ['address', '0xfe000000', int(0xfe000000)],
    ['address', '4 GiB + 0x1000', int(4 * GiB + 0x1000)],
    ['address', '4 GiB - 4096', int(4 * GiB - 4096)],
    ['address', '1 GiB', int(GiB)],
    // bdf
    ['bdf', '00:1c.2', bdf(0, 0x1c, 2)],
    ['bdf', ' 00:1c.2 ', bdf(0, 0x1c, 2)],
    ['bdf', '0000:00:1c.2', bdf(0, 0x1c, 2)],
    ['bdf', 'ff:1f.7', bdf(0xff, 0x1f, 7)],
    ['bdf', 'FF:1F.7', bdf(0xff, 0x1f, 7)],
    ['bdf', '0001:02:03.4', bdf(2, 3, 4, 1)],
    ['bdf', 'ffff:00:00.0', bdf(0, 0, 0, 0xffff)],
    ['bdf', '0a:00.0', bdf(0x0a, 0, 0)],
    ['bdf', '0b:0b.1', bdf(0x0b, 0x0b, 1)],
    ['bdf', '1B:10.0', bdf(0x1b, 0x10, 0)],
    ['bdf', 'e0:1e.3', bdf(0xe0, 0x1e, 3)],
    // slot.function
    ['slotfn', '10.0', slotfn(0x10, 0)],
    ['slotfn', '1c.2', slotfn(0x1c, 2)],
    ['slotfn', '1C.2', slotfn(0x1c, 2)],
    ['slotfn', '3', slotfn(3, 0)],
    ['slotfn', '1f.7', slotfn(0x1f, 7)],
    ['slotfn', '0x1c', slotfn(0x1c, 0)],
    ['slotfn', '0a', slotfn(0x0a, 0)],
    ['slotfn', 'b.1', slotfn(0x0b, 1)],
    ['slotfn', '1e', slotfn(0x1e, 0)],
    // mac
    ['mac', '52:54:00:12:34:56', mac(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)],
    ['mac', '52-54-00-12-34-56', mac(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)],
    ['mac', 'DE:AD:BE:EF:00:01', mac(0xde, 0xad, 0xbe, 0xef, 0x00, 0x01)],
    ['mac', 'de:ad:0b:1B:e0:ff', mac(0xde, 0xad, 0x0b, 0x1b, 0xe0, 0xff)],
    // ranges
    ['range', '0..7', range(0, 7)],
    ['range', '3', range(3, 3)],
    ['range', '0 .. 7', range(0, 7)],
    ['range', '5..5', range(5, 5)],
    ['range', '2*2..8-1', range(4, 7)],
    ['range', '0x10..0x1f', range(16, 31)],
  ];

  it.each(cases)('%s %j', (kind, text, value) => {
    expect(parseValue(text, kind)).toEqual({ ok: true, value });
  });
});

/** [kind, text, code, offset, culprit (the text the error points at), message fragment] */
type ErrorCase = [ValueKind, string, ValueErrorCode, number, string, string?];

function expectError([kind, text, code, offset, culprit, message]: ErrorCase): void {
  const r = parseValue(text, kind);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  expect({ offset: r.error.offset, culprit: text.slice(r.error.offset, r.error.offset + r.error.length) })
    .toEqual({ offset, culprit });
  if (message !== undefined) expect(r.error.message).toContain(message);
  expect(r.error.message).not.toMatch(/\.$/);
  expect(r.error.message[0]).toBe(r.error.message[0]?.toLowerCase());
}

describe('syntax errors', () => {
  const cases: ErrorCase[] = [
    ['int', '', 'syntax', 0, '', 'expected a whole number'],
    ['size', '   ', 'syntax', 0, '', 'expected a size'],
    ['int', '2 +', 'syntax', 2, '+', "expected a number after '+'"],
    ['int', '2 + * 3', 'syntax', 4, '*', "expected a number after '+'"],
    ['int', '2 * (3 + ', 'syntax', 7, '+', "expected a number after '+'"],
    ['int', '(2', 'syntax', 0, '(', "unclosed '('"],
    ['int', '((2) + 1', 'syntax', 0, '(', "unclosed '('"],
    ['int', '2)', 'syntax', 1, ')', "unexpected ')'"],
    ['int', '2 3', 'syntax', 2, '3', "unexpected '3'"],
    ['int', '2 % 3', 'syntax', 2, '%', "unexpected '%'"],
    ['int', '0x', 'syntax', 0, '0x', "expected hex digits after '0x'"],
    ['int', '0b', 'syntax', 0, '0b', "expected binary digits after '0b'"],
    ['int', '0b12', 'syntax', 0, '0b12', 'not a binary number'],
    ['int', '1__0', 'syntax', 0, '1__0', "'_' must sit between digits"],
    ['int', '1_', 'syntax', 0, '1_', "'_' must sit between digits"],
    ['int', '0x_1', 'syntax', 0, '0x_1', "'_' must sit between digits"],
    ['int', '_1', 'syntax', 0, '_1', "unexpected '_1'"],
    ['int', '1c', 'syntax', 0, '1c', 'write hex as 0x1c'],
    ['int', '0x1g', 'syntax', 3, 'g', "'g' is not a hex digit"],
    ['size', '512 MB', 'syntax', 4, 'MB', 'use MiB: sizes are binary'],
    ['size', '1GB', 'syntax', 1, 'GB', 'use GiB: sizes are binary'],
    ['size', '4 kB', 'syntax', 2, 'kB', 'use KiB: sizes are binary'],
    ['size', '4 KB', 'syntax', 2, 'KB', 'use KiB: sizes are binary'],
    ['size', '1 TB', 'syntax', 2, 'TB', 'use TiB: sizes are binary'],
    ['size', '1 gib', 'syntax', 2, 'gib', 'use GiB'],
    ['size', '1 XB', 'syntax', 2, 'XB', "unknown unit 'XB'"],
    ['size', '1.5', 'syntax', 0, '1.5', 'a fraction needs a unit'],
    ['size', '1 .5 GiB', 'syntax', 1, ' ', 'unexpected space'],
    ['size', '0x1.5 GiB', 'syntax', 0, '0x1', 'only decimal numbers can have a fraction'],
    ['size', '(1 + 1) GiB', 'syntax', 8, 'GiB', 'a unit must follow a number'],
    ['size', '5B GiB', 'syntax', 3, 'GiB', "unexpected 'GiB'"],
    ['int', '2 $ 3', 'syntax', 2, '$', "unexpected '$'"],
    ['int', '('.repeat(300) + '1' + ')'.repeat(300), 'syntax', 200, '(', 'too deeply nested'],
    ['bdf', '00:1c', 'syntax', 3, '1c', "expected '.' after '1c'"],
    ['bdf', '00:.2', 'syntax', 3, '.', "expected hex digits after ':'"],
    ['bdf', '00 : 1c.2', 'syntax', 2, ' ', 'unexpected space in a PCI address'],
    ['bdf', '0x00:1c.2', 'syntax', 0, '0x00', "without '0x'"],
    ['bdf', '00:1g.2', 'syntax', 4, 'g', "unexpected 'g'"],
    ['slotfn', '1c.', 'syntax', 2, '.', "expected hex digits after '.'"],
    ['slotfn', '1c.2.3', 'syntax', 4, '.', "unexpected '.'"],
    ['mac', '52:54:00:12:34', 'syntax', 0, '52:54:00:12:34', 'a MAC address has 6 groups, not 5'],
    ['mac', '52:54:00-12:34:56', 'syntax', 8, '-', "mixed ':' and '-'"],
    ['mac', '52:54:0:12:34:56', 'syntax', 6, '0', "'0' is not two hex digits"],
    ['mac', '52:54:00:12:34:5g', 'syntax', 16, 'g', "unexpected 'g'"],
    ['range', '0..', 'syntax', 1, '..', "expected a number after '..'"],
    ['range', '0...3', 'syntax', 3, '.', "expected a number after '..'"],
  ];
  it.each(cases)('%s %j', (...c) => expectError(c));
});

describe('too large (above 2^53 - 1)', () => {
  const cases: ErrorCase[] = [
    ['int', '9007199254740992', 'too-large', 0, '9007199254740992', 'the limit is 2^53 - 1'],
    ['int', '99999999999999999999', 'too-large', 0, '99999999999999999999'],
    ['int', '0x20_0000_0000_0000', 'too-large', 0, '0x20_0000_0000_0000'],
    ['int', '9007199254740991 + 1', 'too-large', 0, '9007199254740991 + 1', 'the result is too large'],
    ['int', '1 + 9007199254740991 * 2', 'too-large', 4, '9007199254740991 * 2'],
    ['int', '9007199254740991 + 1 - 1', 'too-large', 0, '9007199254740991 + 1'],
    ['int', '-9007199254740991 - 1', 'too-large', 0, '-9007199254740991 - 1'],
    ['size', '8 PiB', 'too-large', 0, '8 PiB', '8 PiB is too large'],
    ['size', '1 GiB + 8 PiB', 'too-large', 8, '8 PiB'],
    ['size', '4 PiB + 4 PiB', 'too-large', 0, '4 PiB + 4 PiB'],
    ['address', '0x20000000000000', 'too-large', 0, '0x20000000000000'],
    ['range', '0..9007199254740992', 'too-large', 3, '9007199254740992'],
  ];
  it.each(cases)('%s %j', (...c) => expectError(c));
});

describe('negative', () => {
  const cases: ErrorCase[] = [
    ['int', '-1', 'negative', 0, '-1', 'negative (-1)'],
    ['int', ' 1 - 2 ', 'negative', 1, '1 - 2'],
    ['size', '1 GiB - 2 GiB', 'negative', 0, '1 GiB - 2 GiB', 'negative (-1 GiB)'],
    ['address', '-0x10', 'negative', 0, '-0x10'],
    ['range', '-1..3', 'negative', 0, '-1'],
    ['range', '0..-1', 'negative', 3, '-1'],
  ];
  it.each(cases)('%s %j', (...c) => expectError(c));
});

describe('arithmetic', () => {
  const cases: ErrorCase[] = [
    ['int', '7 / 2', 'arithmetic', 2, '/', '7 / 2 is not a whole number'],
    ['int', '1 / 0', 'arithmetic', 4, '0', 'division by zero'],
    ['int', '1 / (2 - 2)', 'arithmetic', 4, '(2 - 2)', 'division by zero'],
    ['size', '1 GiB / 3', 'arithmetic', 6, '/', 'not a whole number'],
    ['size', '2 GiB + 5', 'arithmetic', 8, '5', 'a size and a plain number cannot be added'],
    ['size', '5 - 1 GiB', 'arithmetic', 0, '5', 'cannot be subtracted'],
    ['size', '1 GiB * 1 GiB', 'arithmetic', 6, '*', 'two sizes cannot be multiplied'],
    ['size', '4 / 1 KiB', 'arithmetic', 2, '/', 'a plain number cannot be divided by a size'],
    ['size', '1.3 KiB', 'arithmetic', 0, '1.3 KiB', 'not a whole number of bytes'],
    ['size', '0.5 B', 'arithmetic', 0, '0.5 B', 'not a whole number of bytes'],
    ['size', '0.5B', 'arithmetic', 0, '0.5B', 'not a whole number of bytes'],
  ];
  it.each(cases)('%s %j', (...c) => expectError(c));
});

describe('out of range', () => {
  const cases: ErrorCase[] = [
    ['bdf', '00:20.0', 'out-of-range', 3, '20', '0x20 is not a device number (0 to 0x1f)'],
    ['bdf', '00:1f.8', 'out-of-range', 6, '8', '8 is not a function number (0 to 7)'],
    ['bdf', '100:00.0', 'out-of-range', 0, '100', '0x100 is not a bus number (0 to 0xff)'],
    ['bdf', '10000:00:00.0', 'out-of-range', 0, '10000', 'not a segment number (0 to 0xffff)'],
    ['slotfn', '20.0', 'out-of-range', 0, '20', '0x20 is not a device number'],
    ['slotfn', '1f.8', 'out-of-range', 3, '8'],
    ['slotfn', '0x20', 'out-of-range', 0, '0x20'],
    ['range', '7..3', 'out-of-range', 0, '7..3', 'the range starts after it ends (7 > 3)'],
  ];
  it.each(cases)('%s %j', (...c) => expectError(c));
});

describe('wrong kind', () => {
  /** [kind, text, offset, culprit, expected, found] */
  const cases: [ValueKind, string, number, string, string, string][] = [
    ['size', '512', 0, '512', 'a size with a unit, e.g. 512 MiB', 'the number 512'],
    ['size', '  16 ', 2, '16', 'a size with a unit, e.g. 512 MiB', 'the number 16'],
    ['size', '2 GiB / 1 MiB', 0, '2 GiB / 1 MiB', 'a size with a unit, e.g. 512 MiB', 'the number 2 GiB / 1 MiB'],
    ['size', ' 00:1c.2', 1, '00:1c.2', 'a size with a unit, e.g. 512 MiB', 'the PCI address 00:1c.2'],
    ['int', '2 GiB', 0, '2 GiB', 'a whole number such as 16', 'the size 2 GiB'],
    ['int', '1 + 2GiB', 4, '2GiB', 'a whole number such as 16', 'the size 2GiB'],
    ['int', '1.5', 0, '1.5', 'a whole number such as 16', 'the fraction 1.5'],
    ['int', '00:1c.2', 0, '00:1c.2', 'a whole number such as 16', 'the PCI address 00:1c.2'],
    ['int', '1c.2', 0, '1c.2', 'a whole number such as 16', 'the device and function 1c.2'],
    ['int', '1..5', 0, '1..5', 'a whole number such as 16', 'the range 1..5'],
    ['bdf', '3', 0, '3', 'a PCI address such as 00:1c.2', 'the number 3'],
    ['bdf', '512 MiB', 0, '512 MiB', 'a PCI address such as 00:1c.2', 'the size 512 MiB'],
    ['bdf', '1c.2', 0, '1c.2', 'a PCI address such as 00:1c.2', 'the device and function 1c.2'],
    ['bdf', '52:54:00:12:34:56', 0, '52:54:00:12:34:56', 'a PCI address such as 00:1c.2', 'the MAC address 52:54:00:12:34:56'],
    ['slotfn', '00:1c.2', 0, '00:1c.2', 'a device and function such as 1c.2', 'the PCI address 00:1c.2'],
    ['slotfn', '0..7', 0, '0..7', 'a device and function such as 1c.2', 'the range 0..7'],
    ['slotfn', '1.5 GiB', 0, '1.5 GiB', 'a device and function such as 1c.2', 'the size 1.5 GiB'],
    ['mac', '00:1c.2', 0, '00:1c.2', 'a MAC address such as 52:54:00:12:34:56', 'the PCI address 00:1c.2'],
    ['mac', '42', 0, '42', 'a MAC address such as 52:54:00:12:34:56', 'the number 42'],
    ['range', '2 GiB', 0, '2 GiB', 'a range such as 0..7', 'the size 2 GiB'],
    ['address', '52:54:00:12:34:56', 0, '52:54:00:12:34:56', 'an address such as 0xfebf0000', 'the MAC address 52:54:00:12:34:56'],
  ];
  it.each(cases)('%s %j', (kind, text, offset, culprit, expected, found) => {
    expectError([kind, text, 'kind', offset, culprit, `expected `]);
    const r = parseValue(text, kind);
    expect(r.ok ? undefined : { expected: r.error.expected, found: r.error.found }).toEqual({ expected, found });
  });

  it('words the message from expected and found', () => {
    const r = parseValue('512', 'size');
    expect(r.ok ? '' : r.error.message).toBe('expected a size such as 512 MiB, found the number 512');
  });
});
