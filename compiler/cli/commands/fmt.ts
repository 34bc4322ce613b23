/**
 * `machc fmt FILE...`: print the canonical form (one file), `--check` (exit 1
 * and a unified diff for each file that would change), or `--write` (rewrite
 * in place, atomically). Files that cannot be formatted get diagnostics and
 * exit 2; the others are still processed.
 */
import { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { formatMachine } from '../../fmt/format.js';
import { unifiedDiff } from '../../fmt/unified.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { renderText, toJson, type JsonDiagnostic } from '../../diagnostics/render.js';
import type { Io } from '../io.js';
import { UsageError } from '../main.js';
import { checkStdinOnce, readInput, STDIN_ARG } from '../machine.js';
import { writeOrUsageError } from '../output.js';

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
  json?: boolean;
}

export const FMT_OK = 0;
export const FMT_WOULD_CHANGE = 1;
export const FMT_ERROR = 2;

/** One file's outcome, as `--json` prints it. */
interface FmtFileResult {
  file: string;
  status: 'formatted' | 'would-change' | 'rewritten' | 'error';
  diff?: string;
  diagnostics?: JsonDiagnostic[];
}

export async function runFmt(io: Io, files: string[], opts: FmtOptions): Promise<number> {
  if (files.length === 0) throw new UsageError('fmt needs at least one machine file (- for standard input)');
  if (opts.check && opts.write) throw new UsageError('--check and --write exclude each other: --check reports, --write rewrites');
  if (!opts.check && !opts.write && files.length > 1) throw new UsageError('fmt prints one file; use --write or --check for several');
  if (opts.json && !opts.check && !opts.write) throw new UsageError('--json reports what --check or --write did; without them fmt prints the formatted file');
  if (opts.write && files.includes(STDIN_ARG)) throw new UsageError('--write rewrites files in place; standard input (-) has no file to rewrite (use machc fmt - to print the formatted text)');
  checkStdinOnce(files);
  let failed = false;
  let changed = 0;
  const report: FmtFileResult[] = [];
  for (const path of files) {
    const diags = new DiagnosticBag();
    const input = readInput(io, path, diags);
    const result = input.bytes ? formatMachine(input.name, input.bytes) : undefined;
    const all = [...diags.items, ...(result?.diagnostics.items ?? [])];
    if (!result || result.text === undefined) {
      failed = true;
      const source = result?.source;
      if (opts.json) report.push({ file: input.name, status: 'error', diagnostics: all.map(toJson) });
      else io.err(renderText(all, (f) => (source && f === source.path ? source : undefined), { color: io.colorErr }));
      continue;
    }
    const original = Buffer.from(input.bytes!).toString('utf8');
    const same = original === result.text;
    if (opts.check) {
      if (!same) {
        changed++;
        const diff = unifiedDiff(original, result.text, input.name, `${input.name} (formatted)`);
        if (opts.json) report.push({ file: input.name, status: 'would-change', diff });
        else io.out(diff);
      } else if (opts.json) report.push({ file: input.name, status: 'formatted' });
    } else if (opts.write) {
      const wrote = !same && writeOrUsageError(path, () => writeFileAtomic(path, result.text!));
      if (wrote) {
        changed++;
        if (!opts.json) io.err(`formatted ${path}\n`);
      }
      if (opts.json) report.push({ file: input.name, status: wrote ? 'rewritten' : 'formatted' });
    } else io.out(result.text);
  }
  if (opts.json) io.out(`${JSON.stringify({ files: report }, null, 2)}\n`);
  else if (opts.check && changed > 0) io.err(`${changed} file${changed === 1 ? '' : 's'} would be reformatted (run machc fmt --write)\n`);
  if (failed) return FMT_ERROR;
  return opts.check && changed > 0 ? FMT_WOULD_CHANGE : FMT_OK;
}
