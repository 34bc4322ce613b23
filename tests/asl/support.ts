// Helpers for the ASL compiler tests: run iasl next to machc's compiler on
// the same source and compare the tables byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileAsl, type AslCompileOptions, type AslResult } from '../../compiler/asl/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** iasl's header: Creator ID "INTL" and its version as the creator revision (e.g. 0x20200925). */
let creator: { creatorId: string; creatorRevision: number } | undefined;

export function iaslCreator(): { creatorId: string; creatorRevision: number } {
  if (creator) return creator;
  const r = spawnSync('iasl', ['-v'], { encoding: 'utf8' });
  const m = /version (\d{8})/.exec(r.stdout + r.stderr);
  if (!m) throw new Error(`cannot read iasl's version from: ${r.stdout}`);
  creator = { creatorId: 'INTL', creatorRevision: parseInt(m[1]!, 16) };
  return creator;
}

/** Runs iasl in `dir`; returns its exit status and output. */
export function iasl(dir: string, args: readonly string[]): { status: number; out: string } {
  const r = spawnSync('iasl', [...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export function machc(text: string, file: string, options: AslCompileOptions = {}): AslResult {
  return compileAsl(text, file, { ...options, ...iaslCreator() });
}

/** A hex dump that shows where two byte strings part (for failure messages). */
export function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return 'identical';
  const hex = (x: Uint8Array) => Array.from(x.subarray(Math.max(0, i - 8), i + 16), (v) => v.toString(16).padStart(2, '0')).join(' ');
  return `lengths ${a.length} vs ${b.length}; first difference at byte ${i}:\n  machc ${hex(a)}\n  iasl  ${hex(b)}`;
}

/**
 * Every DSDT and SSDT QEMU produced: every capture of every target folder in
 * tests/fixtures/captures (`NAME/acpi`, `qemu-V/NAME/acpi`) and every
 * topology of the shared reference (`../shared/reference/*` beside this
 * checkout, or /work/shared/reference), each named by its path below its root.
 */
export function capturedAmlTables(): { name: string; file: string; siblings: string[] }[] {
  const out: { name: string; file: string; siblings: string[] }[] = [];
  const roots: [string, string][] = [
    ['capture', join(ROOT, 'tests', 'fixtures', 'captures')],
    ['reference', join(ROOT, '..', 'shared', 'reference')],
    ['reference', '/work/shared/reference'],
  ];
  const seen = new Set<string>();
  const walk = (label: string, dir: string, rel: string): void => {
    const acpi = join(dir, 'acpi');
    if (existsSync(acpi) && statSync(acpi).isDirectory()) {
      const tables = readdirSync(acpi).filter((f) => f === 'DSDT' || /^SSDT\d*$/.test(f)).sort();
      for (const t of tables) out.push({ name: `${label}/${rel}/${t}`, file: join(acpi, t), siblings: tables.filter((x) => x !== t).map((x) => join(acpi, x)) });
      return;
    }
    for (const c of readdirSync(dir).sort()) {
      const sub = join(dir, c);
      if (statSync(sub).isDirectory()) walk(label, sub, rel === '' ? c : `${rel}/${c}`);
    }
  };
  for (const [label, root] of roots) {
    if (!existsSync(root)) continue;
    const real = realpathSync(root);
    if (seen.has(real)) continue;
    seen.add(real);
    walk(label, root, '');
  }
  return out;
}

export const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
