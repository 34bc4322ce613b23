/**
 * ASL problems as machc diagnostics (catalog MD15xx), placed in the file the
 * ASL came from: an `.asl` file, or a YAML block scalar whose lines sit at
 * an indentation inside the machine file (`toFile` maps offsets).
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import type { AslProblem, AslProblemKind } from './problems.js';

const ENTRIES = {
  syntax: Diag.aslSyntax,
  'undefined-name': Diag.aslUndefinedName,
  'argument-count': Diag.aslArgumentCount,
  type: Diag.aslType,
  'duplicate-name': Diag.aslDuplicateName,
  'invalid-value': Diag.aslInvalidValue,
  uninitialized: Diag.aslUninitialized,
  'definition-block': Diag.aslDefinitionBlock,
  unsupported: Diag.aslUnsupported,
} as const satisfies Record<AslProblemKind, unknown>;

/** Reports problems into `bag`, located in `source` (offsets mapped through `toFile`). */
export function reportAslProblems(bag: DiagnosticBag, problems: readonly AslProblem[], source: SourceFile, toFile: (offset: number) => number = (o) => o): void {
  const span = (r: { start: number; end: number }) => {
    const start = toFile(r.start);
    const end = toFile(Math.max(r.start, r.end));
    return source.span(start, Math.max(1, end - start));
  };
  for (const p of problems) {
    const notes = p.related ? [{ message: p.related.message, span: span(p.related.range) }] : [];
    bag.report(ENTRIES[p.kind], span(p.range), { detail: p.message }, { notes });
  }
}
