/**
 * One side of a diff: a compiled machine, its description, and its source text
 * (to tell a property edited in the file from one that changed by default).
 */
import type { MachineDescription, Spans } from '../model/description.js';
import type { ResolvedMachine } from '../model/topology.js';
import type { SourceFile, Span } from '../source/source-file.js';
import type { Loc, Where } from './types.js';

export interface DiffSide {
  readonly machine: ResolvedMachine;
  readonly description: MachineDescription;
  readonly source: SourceFile;
  /** ACPI tables of the machine, when the generator is available: signature and bytes. */
  readonly acpi?: readonly { readonly signature: string; readonly bytes: Uint8Array }[] | undefined;
}

export function loc(span: Span | undefined): Loc | undefined {
  return span ? { file: span.file, line: span.line } : undefined;
}

export function where(oldSpan: Span | undefined, newSpan: Span | undefined): Where {
  const o = loc(oldSpan);
  const n = loc(newSpan);
  return { ...(o ? { old: o } : {}), ...(n ? { new: n } : {}) };
}

/** The source text of a span (what the file says there). */
export function spanText(side: DiffSide, span: Span | undefined): string | undefined {
  return span ? side.source.text.slice(span.offset, span.offset + span.length) : undefined;
}

/** A property's span, or the object's own span when the property is not written. */
export function propSpan(spans: Spans | undefined, key: string): Span | undefined {
  return spans?.[key];
}

/** Built-in chipset functions and the `builtins` property that turns each on. */
export const BUILTIN_SWITCH: Readonly<Record<string, string>> = { vga: 'display', ahci: 'sata', smbus: 'smbus' };

/** Where the file decides a built-in function: its `builtins` switch, or the builtins block. */
export function builtinSpan(side: DiffSide, key: string): Span | undefined {
  const b = side.description.builtins.spans;
  const sw = BUILTIN_SWITCH[key];
  return (sw ? b[sw] : undefined) ?? b['$'];
}
