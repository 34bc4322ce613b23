/**
 * The value language: scalars in machine files (sizes, addresses, PCI
 * addresses, MACs, ranges) are parsed from their raw source text, so errors
 * point at the exact column inside the YAML scalar.
 *
 *   parseValue('2 GiB + 512 MiB', 'size')  -> { ok: true, value: { kind: 'int', value: 2684354560 } }
 *   parseValue('00:1c.2', 'bdf')           -> { ok: true, value: { kind: 'bdf', segment: 0, bus: 0, device: 28, fn: 2 } }
 *   parseValue('512 MB', 'size')           -> { ok: false, error: { code: 'syntax', offset: 4, length: 2, ... } }
 *
 * Plain literals (`2 GiB`, `0xfebf0000`, `00:1c.2`) are read by fast.ts; the
 * rest goes through the grammar (grammar.ts).
 */
import { parseLiteral } from './fast.js';
import { parseWithGrammar } from './grammar.js';
import type { ValueKind, ValueResult } from './types.js';

export type { Value, ValueError, ValueErrorCode, ValueKind, ValueResult } from './types.js';
export { formatBdf, formatHex, formatMac, formatSize } from './format.js';
export { parseWithGrammar };

/**
 * Parses the raw text of a scalar as the given kind of value. Never throws for
 * bad input; error offsets are UTF-16 offsets into `text` as given.
 */
export function parseValue(text: string, kind: ValueKind): ValueResult {
  const literal = parseLiteral(text, kind);
  if (literal) return { ok: true, value: literal };
  return parseWithGrammar(text, kind);
}
