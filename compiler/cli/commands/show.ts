import { stringify } from 'yaml';
import { UsageError } from '../main.js';
import { printDiagnostics, type Io } from '../io.js';
import { DEFAULT_MACHINE, displayPath } from '../paths.js';
import { toCanonical } from '../../view/canonical.js';
import { renderTree } from '../../view/tree.js';
import { compileWithLock, failureExit } from '../machine.js';
import type { TargetVersion } from '../../model/target.js';

export interface ShowOptions {
  format?: 'tree' | 'json' | 'yaml';
  json?: boolean;
  yaml?: boolean;
  canonical?: boolean;
  vfs?: boolean;
  lockfile?: boolean;
  firmwarePlan?: boolean;
  iomem?: boolean;
  ioports?: boolean;
  firmware?: 'seabios' | 'ovmf';
  qemu?: TargetVersion;
}

export async function runShow(io: Io, file: string | undefined, opts: ShowOptions): Promise<number> {
  const path = file ?? displayPath(DEFAULT_MACHINE);
  const result = compileWithLock(path, { useLock: opts.lockfile !== false, io, qemu: opts.qemu });
  const format = opts.json ? 'json' : opts.yaml || opts.canonical ? 'yaml' : (opts.format ?? 'tree');
  if (!result.machine) {
    printDiagnostics(io, [result], false);
    // As a git textconv driver, a file that does not compile is shown as written, so `git log -p` goes on.
    if (opts.canonical && result.source) {
      io.out(`# machc: this file does not compile (${result.diagnostics.errorCount} errors); shown as written\n${result.source.text}`);
      return 0;
    }
    return failureExit([result]);
  }
  printDiagnostics(io, [result], false, true);
  const m = result.machine;
  if (opts.firmwarePlan && opts.firmware === 'ovmf') {
    const { ovmfPlan, ovmfPlanLines } = await import('../../resolve/firmware-plan-ovmf.js');
    io.out(`${ovmfPlanLines(ovmfPlan(m)).join('\n')}\n`);
    return 0;
  }
  if (opts.firmwarePlan) {
    const { firmwarePlanLog } = await import('../../emit/firmware/seabios-log.js');
    io.out(`${firmwarePlanLog(m).join('\n')}\n`);
    return 0;
  }
  if ((opts.iomem || opts.ioports) && opts.firmware === 'ovmf') {
    // The map is Linux's after SeaBIOS placed the BARs. Under OVMF the RAM lines come from OVMF's UEFI memory map (its own
    // allocations) and Linux places the option ROM BARs OVMF leaves disabled: README, UEFI (OVMF).
    throw new UsageError(
      "--iomem and --ioports show the address map of a SeaBIOS boot; under OVMF it is not modelled (the RAM lines are OVMF's UEFI memory map, the option ROM BARs Linux's to place): --firmware-plan --firmware ovmf shows where OVMF puts every BAR and window",
    );
  }
  if (opts.iomem || opts.ioports) {
    const { renderProcMap } = await import('../../query/address-map.js');
    if (opts.iomem) io.out(renderProcMap(m, 'mem'));
    if (opts.ioports) io.out(renderProcMap(m, 'io'));
    return 0;
  }
  if (format === 'json') io.out(`${JSON.stringify(toCanonical(m, { withSource: true }), null, 2)}\n`);
  else if (format === 'yaml') io.out(stringify(toCanonical(m, { withSource: !opts.canonical, omitDerivedName: Boolean(opts.canonical) }), { lineWidth: 0 }));
  else io.out(renderTree(m, { vfs: Boolean(opts.vfs) }));
  return 0;
}
