/**
 * `machc run FILE`: compiles the machine to its TypeScript module, loads it
 * in memory against the built runtime and instantiates it (power-on state).
 * For now it prints what was built; a CPU will start here.
 */
import { humanSize } from '../../util/format.js';
import type { Io } from '../io.js';
import { commandMachine, loadGeneratedModule } from '../machine.js';
import { displayPath } from '../paths.js';
import type { TargetVersion } from '../../model/target.js';

export interface RunOptions {
  lockfile?: boolean;
  qemu?: TargetVersion;
  json?: boolean;
}

export async function runRun(io: Io, file: string | undefined, opts: RunOptions): Promise<number> {
  const { path, machine: resolved, failure } = commandMachine(io, file, opts);
  if (!resolved) return failure;
  const mod = await loadGeneratedModule(resolved, path);
  const { machine } = mod.createMachine();
  const all = machine.pci.allFunctions();
  const present = all.filter((f) => f.present);
  const vfs = all.length - present.length;
  const enabled = resolved.pci.functions.filter((f) => f.role === 'vf').length;
  const buses = machine.buses().length;
  const mem = resolved.memory;
  const ram = mem.above4g > 0 ? `${humanSize(mem.ramSize)} (${humanSize(mem.below4g)} below 4 GiB, ${humanSize(mem.above4g)} above)` : humanSize(mem.ramSize);
  if (opts.json) {
    const summary = {
      machine: resolved.name,
      source: displayPath(path),
      vcpus: machine.cpus,
      ram: { size: mem.ramSize, below4g: mem.below4g, above4g: mem.above4g },
      pci: { functions: present.length, buses, vfs: { possible: vfs, forTheGuest: enabled } },
    };
    io.out(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${resolved.name}: Q35 machine instantiated from ${displayPath(path)} (no CPU yet)`,
    `  vCPUs: ${machine.cpus}`,
    `  RAM:   ${ram}`,
    `  PCI:   ${present.length} functions on ${buses} bus${buses === 1 ? '' : 'es'}${vfs ? `, ${vfs} VFs behind SR-IOV (${enabled} for the guest to enable)` : ''}`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
