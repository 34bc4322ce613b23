/**
 * Differences from QEMU that are accepted, each with its reason (issue 10, Done-when 3: every
 * difference fixed or listed). The random-sequence test and tests/cpu/random/fuzz.ts count a
 * mismatch these match as accepted rather than failed, and say which entry matched.
 */
import type { Mismatch } from './random/run.js';

export interface KnownDifference {
  readonly id: string;
  /** Why the difference is acceptable. */
  readonly reason: string;
  readonly matches: (m: Mismatch) => boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];

export function knownDifference(m: Mismatch): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(m));
}
