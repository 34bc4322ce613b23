/**
 * `machc graph FILE --format mermaid|dot|svg [--vfs folded|expanded] [-o OUT]`:
 * a picture of the resolved topology. Exit 0, 1 for diagnostics (like check
 * and show), 2 for usage errors.
 */
import { renderGraph, type GraphFormat, type VfMode } from '../../graph/index.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { Io } from '../io.js';
import { commandMachine } from '../machine.js';
import { checkOutputFile, writeOrUsageError } from '../output.js';
import { lockPathFor } from '../../resolve/lock.js';
import type { TargetVersion } from '../../model/target.js';

export interface GraphOptions {
  format?: GraphFormat;
  vfs?: VfMode;
  output?: string;
  lockfile?: boolean;
  qemu?: TargetVersion;
}

export async function runGraph(io: Io, file: string | undefined, opts: GraphOptions): Promise<number> {
  const { path, machine, failure } = commandMachine(io, file, opts);
  if (!machine) return failure;
  // -o - is standard output, as for most Unix tools.
  const output = opts.output === '-' ? undefined : opts.output;
  if (output !== undefined) checkOutputFile('-o', output, [path, lockPathFor(path)]);
  const text = await renderGraph(machine, opts.format ?? 'mermaid', opts.vfs ?? 'folded');
  if (output !== undefined) {
    const wrote = writeOrUsageError(`-o ${output}`, () => writeFileAtomic(output, text));
    io.err(`${output}: ${wrote ? 'written' : 'up to date'}\n`);
  } else io.out(text);
  return 0;
}
