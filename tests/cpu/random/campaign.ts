/**
 * A run of many random sequences on QEMU and (when given) machc's CPU: generation, batches on
 * both sides, comparison, minimisation of the first mismatches and their reports. Shared by
 * tests/cpu/random.test.ts and the fuzz.ts script.
 */
import { knownDifference, type KnownDifference } from '../known-differences.js';
import type { SeqResult } from './batch.js';
import { compareResults } from './compare.js';
import type { Mode } from './operands.js';
import { formatMismatch } from './report.js';
import { type Mismatch, minimise, runAll, type Side } from './run.js';
import { generateSequence, type Sequence } from './sequence.js';

export interface CampaignOptions {
  readonly seed: number;
  /** First index (default 0) and how many. */
  readonly start?: number;
  readonly count: number;
  /** Sequences per -bios image (default 10,000). */
  readonly batch?: number;
  readonly mode?: Mode;
  /** How many mismatches to minimise and report (default 5). */
  readonly minimise?: number;
  readonly log?: (line: string) => void;
}

export interface CampaignResult {
  readonly sequences: readonly Sequence[];
  readonly qemu: readonly (SeqResult | undefined)[];
  readonly ours?: readonly (SeqResult | undefined)[];
  /** Sequences a side could not finish. */
  readonly failures: readonly { readonly side: string; readonly seq: Sequence; readonly error: string }[];
  readonly mismatches: readonly Mismatch[];
  /** Mismatches a known difference accepts. */
  readonly accepted: readonly { readonly mismatch: Mismatch; readonly known: KnownDifference }[];
  /** Reports of the first mismatches not accepted, minimised. */
  readonly reports: readonly string[];
  readonly generateMs: number;
  readonly qemuMs: number;
  readonly oursMs?: number;
}

export async function campaign(qemu: Side, ours: Side | undefined, opts: CampaignOptions): Promise<CampaignResult> {
  const log = opts.log ?? (() => {});
  const start = opts.start ?? 0;
  const t0 = performance.now();
  const sequences = Array.from({ length: opts.count }, (_, i) => generateSequence(opts.seed, start + i, opts.mode ? { mode: opts.mode } : {}));
  const generateMs = performance.now() - t0;
  const batch = opts.batch ?? 10_000;
  const q = await runAll(qemu, sequences, batch);
  log(`${qemu.name}: ${sequences.length} sequences in ${(q.ms / 1000).toFixed(1)} s`);
  const failures = q.failures.map((f) => ({ side: qemu.name, seq: sequences[f.position]!, error: f.error }));
  if (!ours) return { sequences, qemu: q.results, failures, mismatches: [], accepted: [], reports: [], generateMs, qemuMs: q.ms };
  const o = await runAll(ours, sequences, batch);
  log(`${ours.name}: ${sequences.length} sequences in ${(o.ms / 1000).toFixed(1)} s`);
  failures.push(...o.failures.map((f) => ({ side: ours.name, seq: sequences[f.position]!, error: f.error })));
  const mismatches: Mismatch[] = [];
  sequences.forEach((seq, i) => {
    const qr = q.results[i];
    const or = o.results[i];
    if (!qr || !or) return;
    const difference = compareResults(seq, qr, or);
    if (difference) mismatches.push({ seq, qemu: qr, ours: or, difference });
  });
  const accepted: { mismatch: Mismatch; known: KnownDifference }[] = [];
  const open: Mismatch[] = [];
  for (const m of mismatches) {
    const known = knownDifference(m);
    if (known) accepted.push({ mismatch: m, known });
    else open.push(m);
  }
  const reports: string[] = [];
  for (const m of open.slice(0, opts.minimise ?? 5)) {
    const small = await minimise(m, qemu, ours, log);
    reports.push(formatMismatch(small, small.seq.items.length < m.seq.items.length ? `minimised from ${m.seq.items.length} to ${small.seq.items.length} instructions` : '', ours.name));
  }
  return { sequences, qemu: q.results, ours: o.results, failures, mismatches, accepted, reports, generateMs, qemuMs: q.ms, oursMs: o.ms };
}

/** Counts of the vectors that ended sequences ('none' when they ran to the end). */
export function vectorCounts(results: readonly (SeqResult | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (!r) continue;
    const k = r.vector === undefined ? 'none' : r.vector < 32 ? `#${r.vector}` : 'int n';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export function summary(r: CampaignResult): string {
  const lines = [`${r.sequences.length} sequences (generated in ${(r.generateMs / 1000).toFixed(1)} s); QEMU ${(r.qemuMs / 1000).toFixed(1)} s${r.oursMs !== undefined ? `, the other side ${(r.oursMs / 1000).toFixed(1)} s` : ''}`];
  const v = vectorCounts(r.qemu);
  lines.push(`ended by: ${[...v].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (r.ours) {
    const undef = r.mismatches.filter((m) => m.difference.undefinedFlagsOnly).length;
    lines.push(`${r.mismatches.length} differ (${undef} only in undefined flags), ${r.accepted.length} of them known differences`);
  }
  for (const f of r.failures) lines.push(`${f.side} did not finish sequence ${f.seq.seed}:${f.seq.index}: ${f.error}`);
  return lines.join('\n');
}
