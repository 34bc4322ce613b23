/**
 * Which machine file has the topology of each real capture, for tests that
 * compare machc's output with what QEMU 7.2 / SeaBIOS 1.16.2 / Linux 6.1 did.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
}

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
    if (existsSync(join(dir, 'qemu.args'))) out.push({ name: `captures/${name}`, dir, machine: machineFor('cap', name) });
  }
  if (existsSync(REFERENCES)) {
    for (const name of readdirSync(REFERENCES).sort()) {
      out.push({ name: `reference/${name}`, dir: join(REFERENCES, name), machine: machineFor('ref', name) });
    }
  }
  return out;
}
