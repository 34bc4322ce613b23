/** Compiling machines to modules and loading them in tests (through vitest, against the runtime sources). */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileMachine } from '../../compiler/driver.js';
import { emitMachineModule } from '../../compiler/emit/typescript/index.js';
import type { MachineModule } from '../../compiler/emit/typescript/load.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import type { TargetVersion } from '../../compiler/model/target.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RUNTIME_SOURCE = join(ROOT, 'runtime/index.ts');

/** The example machines and the test machines that resolve (every file in machines/ and tests/fixtures/machines/). */
export function exampleMachines(): string[] {
  return readdirSync(join(ROOT, 'machines'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(ROOT, 'machines', f));
}

export function testMachines(): string[] {
  return readdirSync(join(ROOT, 'tests/fixtures/machines'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(ROOT, 'tests/fixtures/machines', f));
}

export function resolveMachine(path: string, qemu?: TargetVersion): ResolvedMachine {
  const r = compileMachine(path, { qemu });
  if (!r.machine) throw new Error(`${path}: ${r.diagnostics.sorted().map((d) => d.message).join('; ')}`);
  return r.machine;
}

const dir = join(tmpdir(), `machc-codegen-${process.pid}`);

/** Emits the module with the runtime import pointing at the sources, writes it to a temp file and imports it. */
export async function loadGenerated(machine: ResolvedMachine): Promise<MachineModule> {
  const source = emitMachineModule(machine, { runtimeImport: RUNTIME_SOURCE });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${machine.name}-${createHash('sha1').update(source).digest('hex').slice(0, 10)}.ts`);
  writeFileSync(file, source);
  try {
    return (await import(/* @vite-ignore */ file)) as MachineModule;
  } finally {
    // Imported once, the module lives in memory: its file is not needed any more (nor the folder, once empty).
    rmSync(file, { force: true });
    try {
      rmdirSync(dir);
    } catch {
      // another module is being loaded from it
    }
  }
}
