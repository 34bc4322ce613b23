/** Terminal output for the CLI: colour decisions and diagnostic printing. */
import type { CompileResult } from '../driver.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { omittedLine, renderText, summaryLine, toJson } from '../diagnostics/render.js';
import type { SourceFile } from '../source/source-file.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly colorOut: boolean;
  readonly colorErr: boolean;
}

function wantsColor(stream: NodeJS.WriteStream): boolean {
  if ('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] && process.env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    colorOut: wantsColor(process.stdout),
    colorErr: wantsColor(process.stderr),
  };
}

/** An Io that collects output, for tests and in-process use. */
export function bufferIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    colorOut: false,
    colorErr: false,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

export function sourceLookup(results: readonly CompileResult[]): (file: string) => SourceFile | undefined {
  const map = new Map<string, SourceFile>();
  for (const r of results) if (r.source) map.set(r.source.path, r.source);
  return (file) => map.get(file);
}

/** Prints the diagnostics of some compiled files, as text (stderr) or JSON (stdout). */
export function printDiagnostics(io: Io, results: readonly CompileResult[], json: boolean, quietSummary = false): void {
  const all: Diagnostic[] = results.flatMap((r) => r.diagnostics.sorted());
  const omitted = { errors: 0, warnings: 0 };
  for (const r of results) {
    omitted.errors += r.diagnostics.omitted.errors;
    omitted.warnings += r.diagnostics.omitted.warnings;
  }
  if (json) {
    const more = omitted.errors + omitted.warnings > 0 ? { omitted } : {};
    io.out(`${JSON.stringify({ files: results.map((r) => r.path), diagnostics: all.map(toJson), ...more }, null, 2)}\n`);
    return;
  }
  if (all.length > 0) io.err(renderText(all, sourceLookup(results), { color: io.colorErr }));
  for (const r of results) io.err(omittedLine(r.path, r.diagnostics.omitted, r.diagnostics.items.length));
  if (!quietSummary && all.length > 0) io.err(`${summaryLine(all, results.length, omitted)}\n`);
}
