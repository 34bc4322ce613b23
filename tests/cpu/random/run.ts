/**
 * Running random sequences on both sides, in batches: QEMU (results read from guest RAM) and
 * machc's CPU through runBareMetal (results streamed to the debug console); comparing them;
 * minimising a sequence that differs.
 */
import { runQemuBareMetal } from '../lib/qemu.js';
import type { RunBareMetal } from '../runner.js';
import { buildBatch, decodeResults, MEMORY_MIB, OUT_BUF, resultWindow, type SeqResult } from './batch.js';
import { compareResults, sameFailure, type SeqDifference } from './compare.js';
import { type Sequence, stackTrace } from './sequence.js';

export interface Side {
  readonly name: string;
  /** Results of `seqs`, in order, as far as the run got; `error` says why it stopped early. */
  run(seqs: readonly Sequence[]): Promise<{ results: SeqResult[]; error?: string; ms: number }>;
}

export function qemuSide(qemu?: string): Side {
  return {
    name: 'QEMU',
    async run(seqs) {
      const { image } = buildBatch(seqs, false);
      const r = await runQemuBareMetal(image, {
        ...(qemu ? { qemu } : {}),
        memoryMiB: MEMORY_MIB,
        ram: { address: OUT_BUF, length: resultWindow(seqs.length) },
        timeoutMs: 60_000 + seqs.length * 20,
      });
      const decoded = r.ram ? decodeResults(r.ram) : { results: [], error: 'no RAM read back' };
      const error = r.error ?? decoded.error;
      return { results: decoded.results, ...(error ? { error } : {}), ms: r.wallMs };
    },
  };
}

export function runtimeSideOf(run: RunBareMetal): Side {
  return {
    name: 'machc',
    async run(seqs) {
      const { image } = buildBatch(seqs, true);
      const start = performance.now();
      // the driver spends about 15,000 instructions around each sequence
      const r = await run(image, { memoryMiB: MEMORY_MIB, maxInstructions: 1_000_000 + seqs.length * 60_000 });
      const ms = performance.now() - start;
      const decoded = decodeResults(r.debugcon, 'debugcon');
      const error = r.error ?? (r.exitCode === 0x10 ? decoded.error : `exit code ${r.exitCode}`);
      return { results: decoded.results, ...(error ? { error } : {}), ms };
    },
  };
}

export interface SideRun {
  /** Results by position in the input. */
  readonly results: (SeqResult | undefined)[];
  /** Sequences the side could not finish: position and why. */
  readonly failures: { readonly position: number; readonly error: string }[];
  readonly ms: number;
}

/** Runs `seqs` in batches; when a batch stops early, the sequence it stopped at is a failure and the rest run again. */
export async function runAll(side: Side, seqs: readonly Sequence[], batchSize: number): Promise<SideRun> {
  const results: (SeqResult | undefined)[] = new Array(seqs.length).fill(undefined);
  const failures: { position: number; error: string }[] = [];
  let ms = 0;
  let pos = 0;
  while (pos < seqs.length) {
    const batch = seqs.slice(pos, pos + batchSize);
    const r = await side.run(batch);
    ms += r.ms;
    let done = 0;
    for (const res of r.results) {
      if (res.index !== done) break;
      results[pos + done] = res;
      done++;
    }
    if (done < batch.length) {
      failures.push({ position: pos + done, error: r.error ?? `${side.name} returned ${done} of ${batch.length} results` });
      done++;
    }
    pos += done;
  }
  return { results, failures, ms };
}

export interface Mismatch {
  readonly seq: Sequence;
  readonly qemu: SeqResult;
  readonly ours: SeqResult;
  readonly difference: SeqDifference;
}

/** Removes template instances from `seq` while the same difference remains; each round is one batch per side. */
export async function minimise(mismatch: Mismatch, qemu: Side, ours: Side, log: (s: string) => void = () => {}): Promise<Mismatch> {
  let best = mismatch;
  let chunk = Math.max(1, best.seq.items.length >> 1);
  while (chunk >= 1) {
    const items = best.seq.items;
    const candidates: Sequence[] = [];
    for (let start = 0; start < items.length; start += chunk) {
      const kept = [...items.slice(0, start), ...items.slice(start + chunk)];
      if (kept.length === 0 || !stackTrace(kept)) continue;
      candidates.push({ ...best.seq, items: kept });
    }
    let improved = false;
    if (candidates.length) {
      const [q, o] = [await qemu.run(candidates), await ours.run(candidates)];
      for (let i = 0; i < candidates.length; i++) {
        const qr = q.results[i];
        const or = o.results[i];
        if (!qr || !or || qr.index !== i || or.index !== i) continue;
        const d = compareResults(candidates[i]!, qr, or);
        if (d && sameFailure(best.difference, d)) {
          best = { seq: candidates[i]!, qemu: qr, ours: or, difference: d };
          improved = true;
          log(`minimise: ${best.seq.items.length} instructions`);
          break;
        }
      }
    }
    if (!improved) chunk = chunk === 1 ? 0 : Math.max(1, chunk >> 1);
    else chunk = Math.min(chunk, Math.max(1, best.seq.items.length >> 1));
  }
  return best;
}
