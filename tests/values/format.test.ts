import { describe, expect, it } from 'vitest';
import { formatBdf, formatHex, formatMac, formatSize, parseValue } from '../../compiler/values/index.js';

const MiB = 2 ** 20;

describe('formatSize', () => {
  const cases: [number, string][] = [
    [536870912, '512 MiB'],
    [1536 * MiB, '1536 MiB'],
    [4096, '4 KiB'],
    [100, '100 B'],
    [0, '0 B'],
    [1025, '1025 B'],
    [2 ** 30, '1 GiB'],
    [3 * 2 ** 40, '3 TiB'],
    [2 ** 50, '1 PiB'],
    [7 * 2 ** 50, '7 PiB'],
    [2 ** 53, '8 PiB'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991 B'],
    [-4096, '-4 KiB'],
  ];
  it.each(cases)('%d -> %s', (n, text) => expect(formatSize(n)).toBe(text));
});

describe('formatHex', () => {
  const cases: [number, number | undefined, string][] = [
    [0xfebf0000, undefined, '0xfebf0000'],
    [2 ** 40 + 1, undefined, '0x10000000001'],
    [2 ** 32, undefined, '0x100000000'],
    [2 ** 32 + 0xabc, 12, '0x000100000abc'],
    [Number.MAX_SAFE_INTEGER, undefined, '0x1fffffffffffff'],
    [2 ** 53, undefined, '0x20000000000000'],
    [0x1f, 4, '0x001f'],
    [0, undefined, '0x0'],
    [0, 2, '0x00'],
    [0xdeadbeef, 4, '0xdeadbeef'],
  ];
  it.each(cases)('%d width %s -> %s', (n, width, text) => expect(formatHex(n, width)).toBe(text));
});

describe('formatBdf and formatMac', () => {
  it.each([
    [0, 0x1c, 2, '00:1c.2'],
    [0xff, 0x1f, 7, 'ff:1f.7'],
    [1, 0, 0, '01:00.0'],
  ])('%d %d %d -> %s', (bus, device, fn, text) => {
    expect(formatBdf(bus, device, fn)).toBe(text);
    expect(parseValue(text, 'bdf')).toEqual({ ok: true, value: { kind: 'bdf', segment: 0, bus, device, fn } });
  });

  it('formats a MAC address that parses back', () => {
    const bytes = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
    expect(formatMac(bytes)).toBe('52:54:00:12:34:56');
    expect(formatMac([0xde, 0xad, 0xbe, 0xef, 0x0, 0x1])).toBe('de:ad:be:ef:00:01');
    expect(parseValue(formatMac(bytes), 'mac')).toEqual({ ok: true, value: { kind: 'mac', bytes } });
  });
});
