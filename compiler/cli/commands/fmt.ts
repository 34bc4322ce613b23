/**
 * `machc fmt FILE...`: print the canonical form (one file), `--check` (exit 1
 * and a unified diff for each file that would change), or `--write` (rewrite
 * in place, atomically). Files that cannot be formatted get diagnostics and
 * exit 2; the others are still processed.
 */
import { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { Diag } from '../../diagnostics/catalog.js';
import { formatMachine } from '../../fmt/format.js';
import { unifiedDiff } from '../../fmt/unified.js';
import { SourceFile } from '../../source/source-file.js';
import { MAX_FILE_BYTES, readBounded } from '../../source/load.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { renderText } from '../../diagnostics/render.js';
import type { Io } from '../io.js';
import { UsageError } from '../main.js';
import { writeOrUsageError } from '../output.js';

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

export const FMT_OK = 0;
export const FMT_WOULD_CHANGE = 1;
export const FMT_ERROR = 2;

function readBytes(path: string, diags: DiagnosticBag): Uint8Array | undefined {
  const r = readBounded(path);
  if (r.ok) return r.bytes;
  const at = new SourceFile(path, '').span(0, 0);
  if (r.tooLarge !== undefined) diags.report(Diag.fileTooLarge, at, { size: r.tooLarge, limit: MAX_FILE_BYTES, stream: r.stream });
  else diags.report(Diag.fileUnreadable, at, { reason: r.reason });
  return undefined;
}

export async function runFmt(io: Io, files: string[], opts: FmtOptions): Promise<number> {
  if (files.length === 0) throw new UsageError('fmt needs at least one machine file');
  if (opts.check && opts.write) throw new UsageError('--check and --write exclude each other: --check reports, --write rewrites');
  if (!opts.check && !opts.write && files.length > 1) throw new UsageError('fmt prints one file; use --write or --check for several');
  let failed = false;
  let changed = 0;
  for (const path of files) {
    const diags = new DiagnosticBag();
    const bytes = readBytes(path, diags);
    const result = bytes ? formatMachine(path, bytes) : undefined;
    const all = [...diags.items, ...(result?.diagnostics.items ?? [])];
    if (!result || result.text === undefined) {
      failed = true;
      const source = result?.source;
      io.err(renderText(all, (f) => (source && f === source.path ? source : undefined), { color: io.colorErr }));
      continue;
    }
    const original = Buffer.from(bytes!).toString('utf8');
    const same = original === result.text;
    if (opts.check) {
      if (!same) {
        changed++;
        io.out(unifiedDiff(original, result.text, `${path}`, `${path} (formatted)`));
      }
    } else if (opts.write) {
      if (!same && writeOrUsageError(path, () => writeFileAtomic(path, result.text!))) {
        changed++;
        io.err(`formatted ${path}\n`);
      }
    } else io.out(result.text);
  }
  if (opts.check && changed > 0) io.err(`${changed} file${changed === 1 ? '' : 's'} would be reformatted (run machc fmt --write)\n`);
  if (failed) return FMT_ERROR;
  return opts.check && changed > 0 ? FMT_WOULD_CHANGE : FMT_OK;
}
