/**
 * `machc show --iomem` / `--ioports` against the /proc/iomem and /proc/ioports
 * Linux 6.1 printed in every captured boot (tests/fixtures/captures), compiled
 * for the capture's target. Lines that depend on the kernel image, on which
 * drivers bound, or on the option ROM images are left out of the comparison,
 * with everything nested under them; IGNORED lists them, each with its reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { renderProcMap } from '../../compiler/query/address-map.js';
import { captureCases } from '../build/machines.js';

/** Names in the captures machc does not print, and why. */
export const IGNORED: readonly [RegExp, string][] = [
  [/^Kernel (code|rodata|data|bss)$/, 'where the kernel image sits in RAM: the kernel build, not the machine'],
  [/^(Video ROM|Adapter ROM)$/, 'option ROMs SeaBIOS copied below 1 MiB: their sizes are the ROM images (vgabios, iPXE) after initialisation'],
  [/^pnp \d\d:\d\d$/, "Linux's PnP layer claiming motherboard resources: names in its enumeration order"],
  [/^(rtc0|rtc_cmos)$/, 'the RTC driver (its range is 2 or 8 ports depending on how it bound)'],
  [/^(vga\+|cga)$/, 'the VGA console driver'],
  [/^serial$/, 'the 8250 serial driver'],
  [/^QEMU0002:00$/, "the fw_cfg driver's ACPI device (and fw_cfg_io under it)"],
];

/** Captures whose boot did not use the tables machc builds for the machine. */
const SKIPPED = new Map([
  ['acpi-off-default', 'booted with QEMU acpi=off: no _CRS, so Linux makes up its own root windows and PMBASE'],
  ['many-rootports-16', 'SeaBIOS stops (out of IO space): Linux never booted'],
]);

function kept(text: string): string[] {
  const out: string[] = [];
  let skipBelow = -1;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const depth = (line.length - line.trimStart().length) / 2;
    if (skipBelow >= 0 && depth > skipBelow) continue;
    skipBelow = -1;
    const name = line.slice(line.indexOf(' : ') + 3);
    if (IGNORED.some(([re]) => re.test(name))) {
      skipBelow = depth;
      continue;
    }
    out.push(line);
  }
  return out;
}

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
