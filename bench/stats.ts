/** Small timing helpers shared by the benchmarks. */
import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of `fn` in milliseconds, after warming up (at least 20 runs and 300 ms) so the JIT has settled. */
export function timeIt(fn: () => void, runs: number): number {
  const start = performance.now();
  for (let i = 0; i < 20 || performance.now() - start < 300; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Median wall time of a whole process in milliseconds. Throws if it fails. */
export function timeProcess(cmd: string, args: string[], runs: number, cwd?: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const dt = performance.now() - t;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    if (i > 0) times.push(dt);
  }
  return median(times);
}

/**
 * Whole-process wall times of several commands, interleaved run by run so
 * every command sees the same machine load; one discarded warm-up run each.
 * `before` runs ahead of each run of its command, untimed.
 * Returns the median of each, in milliseconds, in the order given.
 */
export function timeProcesses(commands: readonly { cmd: string; args: string[]; cwd?: string; before?: () => void }[], runs: number): number[] {
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs + 1; i++) {
    commands.forEach((c, j) => {
      c.before?.();
      const t = performance.now();
      const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const dt = performance.now() - t;
      if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} failed (${r.status}): ${r.stderr}`);
      if (i > 0) times[j]!.push(dt);
    });
  }
  return times.map(median);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line(r.map(String)))].join('\n');
}
