/**
 * A fast path for the literal forms most values take (`512 MiB`, `0x10`,
 * `1c.2`, `00:1c.2`, a MAC, `0..3`): recognised with a regular expression and
 * read directly, so a typical machine file never needs the full parser (whose
 * construction costs more than checking the whole file). Anything else, and
 * every error, goes to the chevrotain parser, which defines the language; a
 * property test checks that both agree on every input the fast path accepts.
 */
import type { Value, ValueKind } from './types.js';

const UNIT_SHIFT: Record<string, number> = {
  B: 0, K: 10, k: 10, KiB: 10, M: 20, MiB: 20, G: 30, GiB: 30, T: 40, TiB: 40, P: 50, PiB: 50,
};

const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
const HEX = /^0[xX][0-9a-fA-F]{1,13}$/;
const SIZE = /^(0|[1-9][0-9]{0,9}) ?(B|K|k|KiB|M|MiB|G|GiB|T|TiB|P|PiB)$/;
const SLOTFN = /^([0-9a-fA-F]{1,2})(?:\.([0-7]))?$/;
const BDF = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;
const MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
const RANGE = /^(0|[1-9][0-9]{0,5})(?:\.\.(0|[1-9][0-9]{0,5}))?$/;

function integer(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  if (HEX.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
}

function size(text: string): number | undefined {
  if (text === '0') return 0;
  const m = SIZE.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * 2 ** UNIT_SHIFT[m[2]!]!;
  return bytes <= Number.MAX_SAFE_INTEGER ? bytes : undefined;
}

/** The value when `text` is a plain literal of the kind; undefined means "ask the parser". */
export function parseLiteral(text: string, kind: ValueKind): Value | undefined {
  switch (kind) {
    case 'int': {
      const n = integer(text);
      return n === undefined ? undefined : { kind: 'int', value: n };
    }
    case 'size': {
      const n = size(text);
      return n === undefined ? undefined : { kind: 'int', value: n };
    }
    case 'address': {
      const n = integer(text) ?? size(text);
      return n === undefined ? undefined : { kind: 'int', value: n };
    }
    case 'slotfn': {
      const m = SLOTFN.exec(text);
      if (!m) return undefined;
      const device = parseInt(m[1]!, 16);
      return device <= 0x1f ? { kind: 'slotfn', device, fn: m[2] ? Number(m[2]) : 0 } : undefined;
    }
    case 'bdf': {
      const m = BDF.exec(text);
      if (!m) return undefined;
      const device = parseInt(m[3]!, 16);
      if (device > 0x1f) return undefined;
      return { kind: 'bdf', segment: m[1] ? parseInt(m[1], 16) : 0, bus: parseInt(m[2]!, 16), device, fn: Number(m[4]) };
    }
    case 'mac':
      return MAC.test(text) ? { kind: 'mac', bytes: text.split(':').map((b) => parseInt(b, 16)) } : undefined;
    case 'range': {
      const m = RANGE.exec(text);
      if (!m) return undefined;
      const first = Number(m[1]);
      const last = m[2] === undefined ? first : Number(m[2]);
      return first <= last ? { kind: 'range', first, last } : undefined;
    }
  }
}
