/** Compiling fixture pairs for diff tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMachine } from '../../compiler/driver.js';
import { diffSides, sideOf, type DiffOptions } from '../../compiler/diff/index.js';
import type { DiffSide } from '../../compiler/diff/side.js';
import type { MachineDiff } from '../../compiler/diff/types.js';

export const PAIRS_DIR = 'tests/fixtures/diff';

export function compileSide(path: string): DiffSide {
  const r = compileMachine(path);
  const side = sideOf(r);
  if (!side) throw new Error(`${path} does not compile: ${r.diagnostics.items.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return side;
}

/** Diffs tests/fixtures/diff/<name>/old.yaml against new.yaml. */
export function diffPair(name: string, options: DiffOptions = { acpiTables: null }): MachineDiff {
  return diffSides(compileSide(join(PAIRS_DIR, name, 'old.yaml')), compileSide(join(PAIRS_DIR, name, 'new.yaml')), options);
}

/** QEMU 7.2's own ACPI tables from a capture, as a diff side's tables. */
export function capturedTables(capture: string): { signature: string; bytes: Uint8Array }[] {
  const dir = join('tests/fixtures/captures', capture, 'acpi');
  return readdirSync(dir)
    .filter((f) => /^[A-Z]{4}$/.test(f))
    .sort()
    .map((f) => ({ signature: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}
