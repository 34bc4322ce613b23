/**
 * Which machine file has the topology of each real capture, for tests that
 * compare machc's output with what QEMU / SeaBIOS 1.16.2 / Linux 6.1 did.
 * Captures in tests/fixtures/captures/NAME were taken on the QEMU their
 * machine file names (7.2 unless it says otherwise); those in
 * tests/fixtures/captures/qemu-V/NAME on QEMU V with its own machine type, of
 * the same machine file built for target V.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isTargetVersion, type TargetVersion } from '../../compiler/model/target.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CAPTURES = join(ROOT, 'tests', 'fixtures', 'captures');
/** The shared reference captures, when this checkout has them beside it (the repository's own captures cover the same topologies). */
export const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'qemu-7.2-q35');
export const DEFAULT_MACHINE = join(ROOT, 'machines', 'q35-default.yaml');

export interface CaptureCase {
  /** 'captures/switch-mixed', 'reference/02-rootport-e1000e'. */
  readonly name: string;
  readonly dir: string;
  readonly machine: string;
  /** The QEMU target to build the machine for (undefined: the machine file's own). */
  readonly target: TargetVersion | undefined;
}

/** A capture's copy of fw_cfg file `name` ('/' written as '_'). */
export const fwCfgFile = (dir: string, name: string): string => join(dir, 'fw_cfg', name.replace(/\//g, '_'));

function machineFor(kind: 'cap' | 'ref', name: string): string {
  if (name === 'default' || name === 'acpi-off-default' || name === '01-default') return DEFAULT_MACHINE;
  if (name === '02-rootport-e1000e') return join(ROOT, 'tests', 'fixtures', 'machines', 'cap-rootport-e1000e.yaml');
  return join(ROOT, 'tests', 'fixtures', 'machines', `${kind}-${name}.yaml`);
}

/** Every capture and reference directory with the machine file of its topology. */
export function captureCases(): CaptureCase[] {
  const out: CaptureCase[] = [];
  for (const name of readdirSync(CAPTURES).sort()) {
    const dir = join(CAPTURES, name);
    if (existsSync(join(dir, 'qemu.args'))) out.push({ name: `captures/${name}`, dir, machine: machineFor('cap', name), target: undefined });
  }
  for (const sub of readdirSync(CAPTURES).sort()) {
    const target = sub.replace(/^qemu-/, '');
    if (!sub.startsWith('qemu-') || !isTargetVersion(target)) continue;
    for (const name of readdirSync(join(CAPTURES, sub)).sort()) {
      const dir = join(CAPTURES, sub, name);
      if (existsSync(join(dir, 'qemu.args'))) out.push({ name: `captures/${sub}/${name}`, dir, machine: machineFor('cap', name), target });
    }
  }
  if (existsSync(REFERENCES)) {
    for (const name of readdirSync(REFERENCES).sort()) {
      out.push({ name: `reference/${name}`, dir: join(REFERENCES, name), machine: machineFor('ref', name), target: undefined });
    }
  }
  return out;
}
