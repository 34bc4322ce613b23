/**
 * `machc show --iomem` / `--ioports` against the /proc/iomem and /proc/ioports
 * Linux 6.1 printed in every captured boot (tests/fixtures/captures), compiled
 * for the capture's target. Lines that depend on the kernel image, on which
 * drivers bound, or on the option ROM images are left out of the comparison,
 * with everything nested under them; tests/support/proc-maps.ts lists them, each with its reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { renderProcMap } from '../../compiler/query/address-map.js';
import { captureCases } from '../build/machines.js';
import { kept } from '../support/proc-maps.js';

/** Captures whose boot did not use the tables machc builds for the machine. */
const SKIPPED = new Map([
  ['acpi-off-default', 'booted with QEMU acpi=off: no _CRS, so Linux makes up its own root windows and PMBASE'],
  ['many-rootports-16', 'SeaBIOS stops (out of IO space): Linux never booted'],
]);

const cases = captureCases().filter((c) => existsSync(join(c.dir, 'iomem.txt')) && existsSync(c.machine) && !SKIPPED.has(c.name.split('/').pop()!));

describe('show --iomem and --ioports equal what Linux listed', () => {
  it('covers the captures', () => {
    expect(cases.length).toBeGreaterThan(60);
  });
  for (const c of cases) {
    it(c.name, () => {
      const r = compileMachine(c.machine, { qemu: c.target });
      expect(r.machine, c.machine).toBeDefined();
      expect(kept(renderProcMap(r.machine!, 'mem'))).toEqual(kept(readFileSync(join(c.dir, 'iomem.txt'), 'utf8')));
      expect(kept(renderProcMap(r.machine!, 'io'))).toEqual(kept(readFileSync(join(c.dir, 'ioports.txt'), 'utf8')));
    });
  }
});
