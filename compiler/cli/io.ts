/** Terminal output for the CLI: colour decisions and diagnostic printing. */
import type { CompileResult } from '../driver.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { omittedLine, renderText, summaryLine, toJson } from '../diagnostics/render.js';
import { readOpen, type ReadResult } from '../source/load.js';
import type { SourceFile } from '../source/source-file.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, read whole for `-` as a file name (a bounded read, as for files). */
  stdin(limit: number): ReadResult;
  /** Raw bytes to standard output / error (a guest's console); text outputs fall back to Latin-1. */
  outBytes?(bytes: Uint8Array): void;
  errBytes?(bytes: Uint8Array): void;
  /** Whether to colour standard output and standard error (`--color`, NO_COLOR, FORCE_COLOR, a terminal). */
  colorOut: boolean;
  colorErr: boolean;
}

export type ColorMode = 'auto' | 'always' | 'never';

/** Applies `--color`: always and never override what the environment and the terminal decided. */
export function applyColor(io: Io, mode: ColorMode): void {
  if (mode === 'auto') return;
  io.colorOut = mode === 'always';
  io.colorErr = mode === 'always';
}

function wantsColor(stream: NodeJS.WriteStream): boolean {
  if ('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] && process.env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * Output to a reader that went away (`machc show | head`) is not an error:
 * machc stops quietly, with the exit code it had so far, like a program
 * killed by SIGPIPE but without the signal.
 */
function stopOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

export function processIo(): Io {
  stopOnClosedPipe(process.stdout);
  stopOnClosedPipe(process.stderr);
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    stdin: (limit) => readOpen(0, limit),
    outBytes: (b) => void process.stdout.write(b),
    errBytes: (b) => void process.stderr.write(b),
    colorOut: wantsColor(process.stdout),
    colorErr: wantsColor(process.stderr),
  };
}

/** An Io that collects output, for tests and in-process use. */
export function bufferIo(input: string | Uint8Array = ''): Io & { stdout: string; stderr: string } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const io = {
    stdout: '',
    stderr: '',
    colorOut: false,
    colorErr: false,
    stdin: (limit: number): ReadResult => (bytes.length > limit ? { ok: false, tooLarge: bytes.length, stream: true } : { ok: true, bytes }),
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
