/** groupThousands prints whole numbers as toLocaleString('en') does (machc run's summary), without ICU. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands } from '../../compiler/util/format.js';

describe('groupThousands', () => {
  it('groups as toLocaleString("en") does', () => {
    for (const n of [0, 1, 12, 999, 1000, 1234, 999_999, 1_000_000, 1_234_567, 300_000_000, -1, -1234, Number.MAX_SAFE_INTEGER]) {
      expect(groupThousands(n), String(n)).toBe(n.toLocaleString('en'));
    }
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => groupThousands(n) === n.toLocaleString('en')));
  });
});
