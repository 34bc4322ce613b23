/**
 * How commands get the machine they work on: the file given (or the built-in
 * default machine), compiled with its lockfile, diagnostics printed.
 */
import { existsSync } from 'node:fs';
import { compileMachine, type CompileResult } from '../driver.js';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { TargetVersion } from '../model/target.js';
import { MAX_FILE_BYTES, readSourceBytes, reportUnread, STDIN_PATH, unreadable } from '../source/load.js';
import type { ResolvedMachine } from '../model/topology.js';
import { lockPathFor, readLock } from '../resolve/lock.js';
import type { MachineModule } from '../emit/typescript/load.js';
import { printDiagnostics, type Io } from './io.js';
import { UsageError } from './main.js';
import { DEFAULT_MACHINE, displayPath } from './paths.js';

/** The file name that means standard input, as for most Unix tools. */
export const STDIN_ARG = '-';

/**
 * Compiles one file, with its lockfile when one is in force. `-` reads the
 * machine from standard input (`io` is needed then; no lockfile applies).
 */
export function compileWithLock(path: string, opts: { useLock: boolean; relock?: boolean; io?: Io; checkImages?: boolean; qemu?: TargetVersion | undefined; text?: string }): CompileResult {
  const images = { checkImages: opts.checkImages === true, qemu: opts.qemu, ...(opts.text !== undefined ? { text: opts.text } : {}) };
  if (path === STDIN_ARG) return compileStdin(opts.io, images);
  const lockPath = lockPathFor(path);
  if (!opts.useLock || opts.relock || !existsSync(lockPath)) return compileMachine(path, images);
  const lockDiags = new DiagnosticBag();
  const lock = readLock(lockPath, lockDiags);
  const result = compileMachine(path, { lock, ...images });
  for (const d of lockDiags.items) result.diagnostics.items.push(d);
  return result;
}

function compileStdin(io: Io | undefined, options: { checkImages: boolean; qemu?: TargetVersion | undefined }): CompileResult {
  if (!io) throw new UsageError('this command cannot read standard input (-)');
  const diagnostics = new DiagnosticBag();
  const { bytes } = readInput(io, STDIN_ARG, diagnostics);
  if (bytes) return compileMachine(STDIN_PATH, { text: bytes, ...options });
  return { path: STDIN_PATH, source: undefined, bytes: undefined, diagnostics, description: undefined, machine: undefined };
}

/** A command's input file, read whole: `-` is standard input (named `<stdin>`); problems go to `diags` (MD0001, MD0004). */
export function readInput(io: Io, path: string, diags: DiagnosticBag): { name: string; bytes: Uint8Array | undefined } {
  if (path !== STDIN_ARG) return { name: path, bytes: readSourceBytes(path, diags) };
  const r = io.stdin(MAX_FILE_BYTES);
  if (r.ok) return { name: STDIN_PATH, bytes: r.bytes };
  reportUnread(r, STDIN_PATH, diags);
  return { name: STDIN_PATH, bytes: undefined };
}

/** Refuses `-` more than once among a command's inputs: standard input can be read only once. */
export function checkStdinOnce(files: readonly string[]): void {
  if (files.filter((f) => f === STDIN_ARG).length > 1) throw new UsageError('standard input (-) can be given only once');
}

/** The exit code for compiled files that failed: 2 when a file could not be read at all (a bad argument), else 1. */
export function failureExit(results: readonly CompileResult[]): number {
  return results.some((r) => unreadable(r.diagnostics)) ? 2 : 1;
}

export interface CommandMachine {
  readonly path: string;
  readonly result: CompileResult;
  /** Undefined when the file has errors (they have been printed). */
  readonly machine: ResolvedMachine | undefined;
  /** What the command exits with when `machine` is undefined (see failureExit). */
  readonly failure: number;
}

/**
 * The machine for a command: `file`, or the default machine. Errors are
 * printed (as JSON with `json`); warnings are printed without a summary.
 */
export function commandMachine(io: Io, file: string | undefined, opts: { lockfile?: boolean; json?: boolean; checkImages?: boolean; qemu?: TargetVersion }): CommandMachine {
  const path = file ?? displayPath(DEFAULT_MACHINE);
  const result = compileWithLock(path, { useLock: opts.lockfile !== false, io, checkImages: opts.checkImages, qemu: opts.qemu });
  const failure = failureExit([result]);
  if (!result.machine || result.diagnostics.hasErrors) {
    printDiagnostics(io, [result], Boolean(opts.json));
    return { path: result.path, result, machine: undefined, failure };
  }
  printDiagnostics(io, [result], false, true);
  return { path: result.path, result, machine: result.machine, failure };
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
