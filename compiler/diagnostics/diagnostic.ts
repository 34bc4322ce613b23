/**
 * The one diagnostic shape every pass reports: a stable code from the catalog,
 * a location, notes that carry their own locations, and an optional fix.
 */
import type { Span } from '../source/source-file.js';
import type { CatalogEntry } from './catalog.js';

export type Severity = 'error' | 'warning';

export interface DiagnosticNote {
  readonly message: string;
  readonly span?: Span;
}

/** A suggested change: a sentence, and where it is mechanical, the replacement text for a span. */
export interface DiagnosticFix {
  readonly message: string;
  readonly replace?: { readonly span: Span; readonly text: string };
}

export interface Diagnostic {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where the problem is. Absent for problems with no position: those about a whole file name `file`. */
  readonly span?: Span;
  /** The file a problem without a position is about (a file that cannot be read, or is too large). */
  readonly file?: string;
  readonly notes: readonly DiagnosticNote[];
  readonly fix?: DiagnosticFix;
}

export interface ReportExtras {
  notes?: DiagnosticNote[];
  fix?: DiagnosticFix;
}

/** Diagnostics kept for one file; past this they are only counted ("and N more"), so a hostile file stays fast to diagnose. */
export const DIAGNOSTIC_LIMIT = 200;

/** Collects diagnostics from every pass; passes never throw for bad input. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  /** Diagnostics reported past the limit: counted, not kept. */
  readonly omitted = { errors: 0, warnings: 0 };

  constructor(readonly limit = DIAGNOSTIC_LIMIT) {}

  /** Whether the bag keeps no more diagnostics (passes may stop looking). */
  get full(): boolean {
    return this.items.length >= this.limit;
  }

  /** Counts a diagnostic that is not kept. */
  omit(severity: Severity, count = 1): void {
    if (severity === 'error') this.omitted.errors += count;
    else this.omitted.warnings += count;
  }

  report<A>(entry: CatalogEntry<A>, span: Span | undefined, args: A, extras: ReportExtras = {}): Diagnostic {
    const d: Diagnostic = {
      code: entry.code,
      name: entry.name,
      severity: entry.severity,
      message: entry.message(args),
      ...(span ? { span } : {}),
      notes: extras.notes ?? [],
      ...(extras.fix ? { fix: extras.fix } : {}),
    };
    if (this.full) this.omit(d.severity);
    else this.items.push(d);
    return d;
  }

  /** A problem about a whole file, with no position in it (it cannot be read, it is too large). */
  reportFile<A>(entry: CatalogEntry<A>, file: string, args: A): Diagnostic {
    const d: Diagnostic = { code: entry.code, name: entry.name, severity: entry.severity, message: entry.message(args), file, notes: [] };
    this.items.push(d);
    return d;
  }

  get errorCount(): number {
    let n = this.omitted.errors;
    for (const d of this.items) if (d.severity === 'error') n++;
    return n;
  }

  get hasErrors(): boolean {
    return this.omitted.errors > 0 || this.items.some((d) => d.severity === 'error');
  }

  /** Diagnostics in source order (file, offset), then by code: stable output for the same input. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(compareDiagnostics);
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? a.file ?? '';
  const fb = b.span?.file ?? b.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const oa = a.span?.offset ?? -1;
  const ob = b.span?.offset ?? -1;
  if (oa !== ob) return oa - ob;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
