/** Random edits of machine files for fuzz tests: they keep a file mostly YAML. */
import fc from 'fast-check';

/** Drop, insert, duplicate, or change characters and lines. */
export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(':', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '\t', '\n', '0x', '-1', '99999999999999999999', ' GiB', '..', '#', '\u00e9', '\u0000', '!tag ')) }),
  fc.record({ kind: fc.constant('dupline' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swaplines' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.oneof(fc.integer(), fc.constantFrom('0', '-5', '1e400', '0b2', '0xZZ', '3.7', '1/0', '2^64')) }),
);

export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

export function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'dupline': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swaplines': {
      const i = m.at % lines.length;
      const j = m.other % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 'number': {
      const matches = [...text.matchAll(/\d+/g)];
      if (matches.length === 0) return text;
      const hit = matches[m.at % matches.length]!;
      return text.slice(0, hit.index) + String(m.value) + text.slice(hit.index! + hit[0].length);
    }
  }
}
