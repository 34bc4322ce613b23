import { basename } from 'node:path';
import type { CompileResult } from '../../driver.js';
import { lockPathFor, renderLock } from '../../resolve/lock.js';
import { qemuCommand } from '../../emit/qemu/args.js';
import { checkStdinOnce, compileWithLock, failureExit, machineAsl, STDIN_ARG } from '../machine.js';
import type { TargetVersion } from '../../model/target.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { printDiagnostics, type Io } from '../io.js';
import { UsageError } from '../main.js';
import { checkOutputFile, writeOrUsageError } from '../output.js';
import { DEFAULT_MACHINE, displayPath } from '../paths.js';

export interface CheckOptions {
  json?: boolean;
  lock?: boolean;
  relock?: boolean;
  lockfile?: boolean;
  qemu?: TargetVersion;
}

export async function runCheck(io: Io, files: string[], opts: CheckOptions): Promise<number> {
  const paths = files.length > 0 ? files : [displayPath(DEFAULT_MACHINE)];
  checkStdinOnce(paths);
  if (opts.lock && paths.includes(STDIN_ARG)) throw new UsageError('--lock writes a lockfile next to the machine file; standard input (-) has none');
  const results: CompileResult[] = [];
  const notes: string[] = [];
  for (const path of paths) {
    if (opts.lock) checkOutputFile('--lock', lockPathFor(path), [path]);
    const result = compileWithLock(path, { useLock: opts.lockfile !== false, relock: opts.relock, io, checkImages: true, qemu: opts.qemu });
    if (result.machine) await machineAsl(result, qemuCommand(result.machine).deviceOrder);
    results.push(result);
    if (opts.lock && result.machine && !result.diagnostics.hasErrors) {
      const lockPath = lockPathFor(path);
      const wrote = writeOrUsageError(`--lock ${lockPath}`, () => writeFileAtomic(lockPath, renderLock(result.machine!, basename(path))));
      notes.push(`${displayPath(lockPath)}: ${wrote ? 'written' : 'up to date'}`);
    }
  }
  printDiagnostics(io, results, Boolean(opts.json));
  const failed = results.some((r) => r.diagnostics.hasErrors);
  if (!opts.json) {
    for (const r of results) {
      if (!r.machine || r.diagnostics.hasErrors) continue;
      const fns = r.machine.pci.functions.length;
      const buses = r.machine.pci.buses.length;
      io.err(`${r.path}: ok, ${fns} PCI function${fns === 1 ? '' : 's'} on ${buses} bus${buses === 1 ? '' : 'es'}\n`);
    }
    for (const n of notes) io.err(`${n}\n`);
  }
  return failed ? failureExit(results.filter((r) => r.diagnostics.hasErrors)) : 0;
}
