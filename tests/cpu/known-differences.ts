/**
 * Differences between machc's CPU and QEMU that the tests know about, each with its reason
 * (issue 10, Done-when 3: every difference fixed or listed). `open` ones are CPU work still to
 * do: the tests print them and pass, but fail when one no longer occurs (so a fix removes its
 * entry here) and on every difference not listed. `accepted` ones are differences kept on
 * purpose.
 */
import type { Mismatch } from './random/run.js';

export type DifferenceStatus = 'open' | 'accepted';

export interface KnownDifference {
  readonly id: string;
  readonly status: DifferenceStatus;
  /** What differs and why. */
  readonly reason: string;
  readonly matches: (m: Mismatch) => boolean;
}

/** Random sequences (random.test.ts, random/fuzz.ts). */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'undefined-flags',
    status: 'open',
    reason:
      'flags the Intel SDM leaves undefined are computed differently from QEMU 7.2 (OF and AF after bt/bts/btr/btc, ' +
      'cmps/scas/lods with REP, DAS/AAS/AAA, multi-bit shifts and rotates, shld/shrd), and so is everything that reads ' +
      'them afterwards (jcc, setcc, cmovcc, adc/sbb, pushf, lahf, into); the tests compare them as QEMU computes them',
    matches: (m) => m.difference.undefinedFlagsOnly || m.difference.flags.undefinedReads.length > 0,
  },
  {
    id: 'icebp',
    status: 'accepted',
    reason: 'INT1 (ICEBP, F1) raises #DB (vector 1), as on hardware; QEMU 7.2 raises #UD (it builds without WANT_ICEBP)',
    matches: (m) => m.qemu.vector === 6 && m.ours.vector === 1 && m.seq.items.some((it) => it.text.startsWith('int1')),
  },
];

export function knownDifference(m: Mismatch): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(m));
}

export interface KnownCorpusDifference {
  readonly status: DifferenceStatus;
  readonly reason: string;
}

/** Corpus programs (corpus.test.ts) whose records differ, by program. */
export const KNOWN_CORPUS_DIFFERENCES: Readonly<Record<string, KnownCorpusDifference>> = {};
