/**
 * `machc where FILE THING [--json]`: the YAML lines behind a BDF, an ACPI
 * path, an address, a QEMU id or a name in machine.ts, with the resolution
 * chain. Exit 0 found, 1 for diagnostics or when nothing matches, 2 usage.
 */
import { WhereEngine, renderWhere } from '../../query/where.js';
import type { TargetVersion } from '../../model/target.js';
import { printDiagnostics, type Io } from '../io.js';
import { compileWithLock, failureExit } from '../machine.js';

export interface WhereOptions {
  json?: boolean;
  lockfile?: boolean;
  qemu?: TargetVersion;
}

export async function runWhere(io: Io, file: string, thing: string, opts: WhereOptions): Promise<number> {
  const result = compileWithLock(file, { useLock: opts.lockfile !== false, io, qemu: opts.qemu });
  if (!result.machine || !result.description || !result.source) {
    printDiagnostics(io, [result], Boolean(opts.json));
    return failureExit([result]);
  }
  printDiagnostics(io, [result], false, true);
  const answer = new WhereEngine({ machine: result.machine, description: result.description, source: result.source }).query(thing);
  if ('error' in answer) {
    if (opts.json) io.out(`${JSON.stringify({ query: thing, error: answer.error }, null, 2)}\n`);
    else io.err(`machc: ${answer.error}\n`);
    return 1;
  }
  if (opts.json) io.out(`${JSON.stringify({ file: result.source.path, ...answer }, null, 2)}\n`);
  else io.out(renderWhere(answer, result.source.path));
  return 0;
}
