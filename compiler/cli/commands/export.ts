/**
 * `machc export libvirt FILE [-o OUT]`: the resolved machine as libvirt domain
 * XML (compiler/emit/libvirt), on standard output or written atomically.
 * Exit 0, 1 for diagnostics (like show), 2 for usage errors.
 */
import { libvirtDomain } from '../../emit/libvirt/domain.js';
import type { TargetVersion } from '../../model/target.js';
import { lockPathFor } from '../../resolve/lock.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { Io } from '../io.js';
import { commandMachine } from '../machine.js';
import { UsageError } from '../main.js';
import { checkOutputFile, writeOrUsageError } from '../output.js';

export interface ExportOptions {
  output?: string;
  lockfile?: boolean;
  qemu?: TargetVersion;
}

export async function runExport(io: Io, format: string, file: string | undefined, opts: ExportOptions): Promise<number> {
  if (format !== 'libvirt') throw new UsageError(`export: the format is libvirt, not '${format}'`);
  const { path, machine, result, failure } = commandMachine(io, file, opts);
  if (!machine) return failure;
  const output = opts.output === '-' ? undefined : opts.output;
  if (output !== undefined) checkOutputFile('-o', output, [path, lockPathFor(path)]);
  const text = libvirtDomain(machine, result.description?.ssdts ?? [], path);
  if (output !== undefined) {
    const wrote = writeOrUsageError(`-o ${output}`, () => writeFileAtomic(output, text));
    io.err(`${output}: ${wrote ? 'written' : 'up to date'}\n`);
  } else io.out(text);
  return 0;
}
