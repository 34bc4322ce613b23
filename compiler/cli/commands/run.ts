/**
 * `machc run FILE`: compiles the machine to its TypeScript module, loads it
 * in memory against the built runtime and instantiates it (power-on state).
 * For now it prints what was built; a CPU will start here.
 */
import { humanSize } from '../../util/format.js';
import { printDiagnostics, type Io } from '../io.js';
import { UsageError } from '../main.js';
import { DEFAULT_MACHINE, PACKAGE_ROOT, displayPath } from '../paths.js';
import { compileWithLock } from './check.js';

export interface RunOptions {
  lockfile?: boolean;
}

export async function runRun(io: Io, file: string | undefined, opts: RunOptions): Promise<number> {
  const path = file ?? displayPath(DEFAULT_MACHINE);
  const result = compileWithLock(path, { useLock: opts.lockfile !== false });
  if (!result.machine || result.diagnostics.hasErrors) {
    printDiagnostics(io, [result], false);
    return 1;
  }
  printDiagnostics(io, [result], false, true);
  const resolved = result.machine;
  const { emitMachineModule } = await import('../../emit/typescript/index.js');
  const { builtRuntimeUrl, loadMachineModule } = await import('../../emit/typescript/load.js');
  const runtime = builtRuntimeUrl(PACKAGE_ROOT);
  if (!runtime) throw new UsageError('the runtime is not built (dist/runtime/index.js is missing); run `npm run build` in the machc folder');
  const mod = await loadMachineModule(emitMachineModule(resolved, { sourceName: displayPath(path) }), runtime);
  const { machine } = mod.createMachine();
  const all = machine.pci.allFunctions();
  const present = all.filter((f) => f.present);
  const vfs = all.length - present.length;
  const enabled = resolved.pci.functions.filter((f) => f.role === 'vf').length;
  const buses = machine.buses().length;
  const mem = resolved.memory;
  const ram = mem.above4g > 0 ? `${humanSize(mem.ramSize)} (${humanSize(mem.below4g)} below 4 GiB, ${humanSize(mem.above4g)} above)` : humanSize(mem.ramSize);
  const lines = [
    `${resolved.name}: Q35 machine instantiated from ${displayPath(path)} (no CPU yet)`,
    `  vCPUs: ${machine.cpus}`,
    `  RAM:   ${ram}`,
    `  PCI:   ${present.length} functions on ${buses} bus${buses === 1 ? '' : 'es'}${vfs ? `, ${vfs} VFs behind SR-IOV (${enabled} enabled at boot)` : ''}`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
