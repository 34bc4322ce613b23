/**
 * `machc diff` as a library: compile both sides (each with its lockfile when
 * one is in force), compare, and hand back the MachineDiff, or the compile
 * results that failed.
 */
import type { CompileResult } from '../driver.js';
import { diffAcpi, type AcpiTables } from './acpi/index.js';
import { diffMachines } from './compare.js';
import type { DiffSide } from './side.js';
import type { MachineDiff } from './types.js';

export type { MachineDiff } from './types.js';
export { diffMachines } from './compare.js';

/** A compiled side, or undefined when it did not compile. */
export function sideOf(r: CompileResult, acpi?: AcpiTables): DiffSide | undefined {
  if (!r.machine || !r.description || !r.source || r.diagnostics.hasErrors) return undefined;
  return { machine: r.machine, description: r.description, source: r.source, acpi };
}

export interface DiffOptions {
  /** Builds the ACPI tables of a machine; absent when this build has no generator. */
  readonly acpiTables?: ((side: DiffSide) => AcpiTables | undefined) | undefined;
}

export function diffSides(a: DiffSide, b: DiffSide, options: DiffOptions = {}): MachineDiff {
  const ta = options.acpiTables?.(a);
  const tb = options.acpiTables?.(b);
  const acpi = ta && tb ? diffAcpi(a, ta, b, tb) : undefined;
  return diffMachines(a, b, acpi);
}
