/**
 * `machc diff` as a library: compile both sides (each with its lockfile when
 * one is in force), compare, and hand back the MachineDiff, or the compile
 * results that failed.
 */
import type { CompileResult } from '../driver.js';
import { buildAcpiTables } from '../emit/acpi/index.js';
import { diffAcpi, type AcpiTables } from './acpi/index.js';
import { diffMachines } from './compare.js';
import type { DiffSide } from './side.js';
import type { AcpiDiff, MachineDiff } from './types.js';

export type { MachineDiff } from './types.js';
export { diffMachines } from './compare.js';

/** A compiled side, or undefined when it did not compile. */
export function sideOf(r: CompileResult, acpi?: AcpiTables): DiffSide | undefined {
  if (!r.machine || !r.description || !r.source || r.diagnostics.hasErrors) return undefined;
  return { machine: r.machine, description: r.description, source: r.source, acpi };
}

export interface DiffOptions {
  /** Builds the ACPI tables of a machine (default: machc's generator); null leaves ACPI out. */
  readonly acpiTables?: ((side: DiffSide) => AcpiTables | undefined) | null;
}

/** The tables machc generates for a machine (the RSDP is a pointer structure, not a table). */
export function generatedTables(side: DiffSide): AcpiTables {
  return side.acpi ?? buildAcpiTables(side.machine).tables.map((t) => ({ signature: t.signature, bytes: t.bytes }));
}

export function diffSides(a: DiffSide, b: DiffSide, options: DiffOptions = {}): MachineDiff {
  const build = options.acpiTables === undefined ? generatedTables : options.acpiTables;
  let acpi: AcpiDiff | undefined;
  try {
    const ta = build?.(a);
    const tb = build?.(b);
    acpi = ta && tb ? diffAcpi(a, ta, b, tb) : undefined;
  } catch (e) {
    // A generator failure is a bug elsewhere; the rest of the review is still worth having.
    acpi = { available: false, tables: [], note: `the ACPI table generator failed: ${(e as Error).message}` };
  }
  return diffMachines(a, b, acpi);
}
