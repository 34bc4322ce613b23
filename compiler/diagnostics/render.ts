/**
 * Diagnostics for people (a rustc-like excerpt with a caret under the span)
 * and for tools (JSON lines with line/column and the fix).
 */
import type { SourceFile, Span } from '../source/source-file.js';
import type { Diagnostic } from './diagnostic.js';

export interface RenderOptions {
  color: boolean;
}

const ansi = {
  bold: '\x1b[1m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  reset: '\x1b[0m',
};

export type SourceLookup = (file: string) => SourceFile | undefined;

const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g;
const LONG_LINE = 160;

/** Text from a file inside a message: control characters written as \uXXXX, never sent to the terminal. */
function printable(s: string): string {
  return s.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function location(span: Span): string {
  return `${printable(span.file)}:${span.line}:${span.column}`;
}

/** The excerpt lines for a span: gutter, the source line, and a marker line. */
function excerpt(span: Span, source: SourceFile | undefined, marker: string, paint: (s: string) => string, dim: (s: string) => string): string[] {
  if (!source || span.line > source.lineCount) return [];
  // Control characters from the file (an escape sequence would drive the terminal) show as U+FFFD, one for one.
  let text = source.lineText(span.line).replace(/\t/g, ' ').replace(CONTROLS, '\ufffd');
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  let start = span.column - 1;
  if (text.length > LONG_LINE) {
    // A very long line (minified YAML, a hostile file): a window around the span.
    const from = Math.max(0, start - 40);
    const to = Math.min(text.length, Math.max(from + LONG_LINE - 40, start + 40));
    text = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
    start = start - from + (from > 0 ? 1 : 0);
  }
  const available = Math.max(1, text.length - start);
  const width = Math.max(1, Math.min(span.length, available));
  return [
    `${dim(`${pad} |`)}`,
    `${dim(`${gutter} |`)} ${text}`,
    `${dim(`${pad} |`)} ${' '.repeat(Math.max(0, start))}${paint(marker.repeat(width))}`,
  ];
}

export function renderText(diagnostics: readonly Diagnostic[], lookup: SourceLookup, options: RenderOptions): string {
  const c = (code: string) => (s: string) => (options.color ? `${code}${s}${ansi.reset}` : s);
  const bold = c(ansi.bold);
  const dim = c(ansi.blue);
  const out: string[] = [];
  for (const d of diagnostics) {
    const sev = d.severity === 'error' ? c(ansi.bold + ansi.red)('error') : c(ansi.bold + ansi.yellow)('warning');
    const where = d.span ? `${bold(location(d.span))} ` : d.file !== undefined ? `${bold(`${printable(d.file)}:`)} ` : '';
    out.push(`${where}${sev} ${bold(d.code)}: ${bold(printable(d.message))}`);
    if (d.span) out.push(...excerpt(d.span, lookup(d.span.file), '^', c(d.severity === 'error' ? ansi.red : ansi.yellow), dim));
    for (const note of d.notes) {
      const at = note.span ? `${location(note.span)}: ` : '';
      out.push(`  ${c(ansi.bold + ansi.cyan)('note')}: ${at}${printable(note.message)}`);
      if (note.span) out.push(...excerpt(note.span, lookup(note.span.file), '-', c(ansi.cyan), dim).map((l) => `  ${l}`));
    }
    if (d.fix) {
      out.push(`  ${c(ansi.bold + ansi.green)('help')}: ${printable(d.fix.message)}`);
      if (d.fix.replace) out.push(`        replace with: ${printable(d.fix.replace.text)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number, omitted = { errors: 0, warnings: 0 }): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length + omitted.errors;
  const warnings = diagnostics.length + omitted.errors + omitted.warnings - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

/** '... and 12 more errors and 3 more warnings in x.yaml (the first 200 are shown)', or '' when none were left out. */
export function omittedLine(file: string, omitted: { readonly errors: number; readonly warnings: number }, shown: number): string {
  const parts: string[] = [];
  if (omitted.errors > 0) parts.push(`${omitted.errors} more error${omitted.errors === 1 ? '' : 's'}`);
  if (omitted.warnings > 0) parts.push(`${omitted.warnings} more warning${omitted.warnings === 1 ? '' : 's'}`);
  return parts.length === 0 ? '' : `... and ${parts.join(' and ')} in ${file} (the first ${shown} are shown)\n`;
}

export interface JsonDiagnostic {
  code: string;
  name: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  offset?: number;
  length?: number;
  notes: { message: string; file?: string; line?: number; column?: number }[];
  fix?: { message: string; replace?: { file: string; line: number; column: number; offset: number; length: number; text: string } };
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  const loc = (s: Span | undefined) => (s ? { file: s.file, line: s.line, column: s.column } : {});
  return {
    code: d.code,
    name: d.name,
    severity: d.severity,
    message: d.message,
    ...(d.span ? { ...loc(d.span), offset: d.span.offset, length: d.span.length } : d.file !== undefined ? { file: d.file } : {}),
    notes: d.notes.map((n) => ({ message: n.message, ...loc(n.span) })),
    ...(d.fix
      ? {
          fix: {
            message: d.fix.message,
            ...(d.fix.replace
              ? { replace: { ...loc(d.fix.replace.span), offset: d.fix.replace.span.offset, length: d.fix.replace.span.length, text: d.fix.replace.text } as NonNullable<JsonDiagnostic['fix']>['replace'] }
              : {}),
          },
        }
      : {}),
  };
}
