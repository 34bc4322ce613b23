/**
 * `machc asl FILE.asl|FILE.dsl [-o OUT.aml]`: machc's ASL compiler on its
 * own, as iasl is used. Writes nothing when there are errors.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { compileAsl } from '../../asl/index.js';
import { reportAslProblems } from '../../asl/diagnostics.js';
import { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { Diag } from '../../diagnostics/catalog.js';
import { SourceFile } from '../../source/source-file.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { CompileResult } from '../../driver.js';
import { printDiagnostics, type Io } from '../io.js';
import { UsageError } from '../main.js';

export interface AslOptions {
  output?: string;
  json?: boolean;
  creatorId?: string;
  creatorRevision?: string;
  print?: boolean;
  externalsInMethods?: boolean;
}

export async function runAsl(io: Io, file: string, opts: AslOptions): Promise<number> {
  const bag = new DiagnosticBag();
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (e) {
    // About the whole file (no position in it); a file that cannot be read exits 2, as in every command.
    bag.reportFile(Diag.fileUnreadable, file, { reason: (e as NodeJS.ErrnoException).code ?? String(e) });
    printDiagnostics(io, [result(file, undefined, bag)], Boolean(opts.json));
    return 2;
  }
  let creatorRevision: number | undefined;
  if (opts.creatorRevision !== undefined) {
    creatorRevision = Number(opts.creatorRevision);
    if (!Number.isInteger(creatorRevision) || creatorRevision < 0 || creatorRevision > 0xffff_ffff) throw new UsageError(`--creator-revision must be a 32-bit number, not '${opts.creatorRevision}'`);
  }
  if (opts.creatorId !== undefined && !/^[\x20-\x7e]{1,4}$/.test(opts.creatorId)) throw new UsageError(`--creator-id must be 1-4 printable characters, not '${opts.creatorId}'`);
  const source = new SourceFile(file, text);
  const r = compileAsl(text, file, {
    ...(opts.creatorId !== undefined ? { creatorId: opts.creatorId.padEnd(4, ' ') } : {}),
    ...(creatorRevision !== undefined ? { creatorRevision } : {}),
    externalsInMethods: opts.externalsInMethods === true,
  });
  reportAslProblems(bag, r.problems, source);
  printDiagnostics(io, [result(file, source, bag)], Boolean(opts.json));
  if (bag.hasErrors) return 1;
  const base = opts.output ?? join(dirname(file), `${basename(file, extname(file))}.aml`);
  r.tables.forEach((t, i) => {
    const path = i === 0 ? base : base.replace(/(\.aml)?$/, `.${i}.aml`);
    writeFileAtomic(path, t.bytes);
    if (!opts.json) io.err(`${path}: ${t.signature}, ${t.bytes.length} bytes\n`);
  });
  if (opts.print) for (const t of r.tables) io.out(`${t.terms.map((x) => x.toAsl()).join('\n')}\n`);
  return 0;
}

function result(path: string, source: SourceFile | undefined, diagnostics: DiagnosticBag): CompileResult {
  return { path, source, bytes: undefined, diagnostics, description: undefined, machine: undefined };
}
