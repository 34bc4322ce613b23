/**
 * How commands get the machine they work on: the file given (or the built-in
 * default machine), compiled with its lockfile, diagnostics printed.
 */
import { existsSync } from 'node:fs';
import { compileMachine, type CompileResult } from '../driver.js';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { TargetVersion } from '../model/target.js';
import type { ResolvedMachine } from '../model/topology.js';
import { lockPathFor, readLock } from '../resolve/lock.js';
import type { MachineModule } from '../emit/typescript/load.js';
import { printDiagnostics, type Io } from './io.js';
import { DEFAULT_MACHINE, displayPath } from './paths.js';

/** Compiles one file, with its lockfile when one is in force. */
export function compileWithLock(path: string, opts: { useLock: boolean; relock?: boolean; qemu?: TargetVersion | undefined }): CompileResult {
  const lockPath = lockPathFor(path);
  if (!opts.useLock || opts.relock || !existsSync(lockPath)) return compileMachine(path, { qemu: opts.qemu });
  const lockDiags = new DiagnosticBag();
  const lock = readLock(lockPath, lockDiags);
  const result = compileMachine(path, { lock, qemu: opts.qemu });
  for (const d of lockDiags.items) result.diagnostics.items.push(d);
  return result;
}

export interface CommandMachine {
  readonly path: string;
  readonly result: CompileResult;
  /** Undefined when the file has errors (they have been printed). */
  readonly machine: ResolvedMachine | undefined;
}

/**
 * The machine for a command: `file`, or the default machine. Errors are
 * printed (as JSON with `json`); warnings are printed without a summary.
 */
export function commandMachine(io: Io, file: string | undefined, opts: { lockfile?: boolean; json?: boolean; qemu?: TargetVersion }): CommandMachine {
  const path = file ?? displayPath(DEFAULT_MACHINE);
  const result = compileWithLock(path, { useLock: opts.lockfile !== false, qemu: opts.qemu });
  if (!result.machine || result.diagnostics.hasErrors) {
    printDiagnostics(io, [result], Boolean(opts.json));
    return { path, result, machine: undefined };
  }
  printDiagnostics(io, [result], false, true);
  return { path, result, machine: result.machine };
}

/**
 * Compiles the machine file's ASL (device `asl:` blocks, `ssdts:`) when it
 * has any; problems go into the result's diagnostics. The ASL compiler is
 * loaded only for machines that have ASL.
 */
export async function machineAsl(result: CompileResult, creationOrder?: readonly string[]): Promise<import('../asl/machine.js').MachineAsl | undefined> {
  const d = result.description;
  if (!d || !result.machine || !result.source || result.diagnostics.hasErrors) return undefined;
  if (d.ssdts.length === 0 && !d.devices.some((x) => x.asl !== undefined)) return undefined;
  const { compileMachineAsl } = await import('../asl/machine.js');
  return compileMachineAsl(d, result.machine, result.source, result.diagnostics, { creationOrder });
}

/**
 * The machine's generated module, loaded in memory against the runtime
 * machc itself carries. Only `run` and `lspci` come here.
 */
export async function loadGeneratedModule(machine: ResolvedMachine, path: string): Promise<MachineModule> {
  const [{ loadMachine }, runtime] = await Promise.all([import('../emit/typescript/load.js'), import('../../runtime/index.js')]);
  return loadMachine(machine, runtime, { sourceName: displayPath(path) });
}
