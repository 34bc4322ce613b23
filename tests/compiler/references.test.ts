/**
 * Resolution against real boots: for every reference and capture topology,
 * on every target it was captured on (the machine file built for that
 * target), the functions Linux found (pci.txt: BDF, vendor, device, class,
 * TotalVFs) and the bus numbers SeaBIOS assigned (seabios.log) equal machc's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import type { TargetVersion } from '../../compiler/model/target.js';
import { ourBuses, ourPciTxt, seabiosBuses } from '../support/topology.js';
import { captureCases } from '../build/machines.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CAPTURES = join(ROOT, 'tests', 'fixtures', 'captures');

/** Each capture folder (QEMU 7.2's and those of the other targets) with the machine file describing the same topology and its target. */
function cases(): { name: string; dir: string; machine: string; target: TargetVersion | undefined }[] {
  return captureCases()
    .filter((c) => existsSync(join(c.dir, 'pci.txt')) && existsSync(c.machine))
    .map((c) => ({ name: c.name.replace(/^(reference|capture)s?\//, '$1 '), dir: c.dir, machine: c.machine, target: c.target }));
}

function resolve(path: string, target: TargetVersion | undefined): ResolvedMachine {
  const r = compileMachine(path, { qemu: target });
  // Warnings (a device newer than QEMU 7.2) are allowed; the machine must compile.
  expect(r.diagnostics.items.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.machine!;
}

describe('resolution matches real QEMU + SeaBIOS + Linux', () => {
  const all = cases();
  it('has the reference and capture topologies to compare against', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });
  for (const c of all) {
    it(`${c.name}: the functions Linux enumerated`, () => {
      const m = resolve(c.machine, c.target);
      const theirs = readFileSync(join(c.dir, 'pci.txt'), 'utf8').split('\n').map((l) => l.trimEnd()).filter(Boolean);
      expect(ourPciTxt(m)).toEqual(theirs);
    });
    it(`${c.name}: SeaBIOS's bus numbers`, () => {
      const log = readFileSync(join(c.dir, 'seabios.log'), 'utf8');
      expect(ourBuses(resolve(c.machine, c.target))).toEqual(seabiosBuses(log));
    });
  }
});

describe('the memory map matches QEMU', () => {
  for (const [name, machine] of [
    ['default', 'machines/q35-default.yaml'],
    ['bigmem-4g', 'tests/fixtures/machines/cap-bigmem-4g.yaml'],
    ['numa2', 'tests/fixtures/machines/cap-numa2.yaml'],
  ] as const) {
    it(`${name}: etc/e820 as QEMU wrote it`, () => {
      const raw = readFileSync(join(CAPTURES, name, 'fw_cfg', 'etc_e820'));
      const theirs: string[] = [];
      for (let o = 0; o + 20 <= raw.length; o += 20) {
        theirs.push(`${raw.readBigUInt64LE(o).toString(16)} ${raw.readBigUInt64LE(o + 8).toString(16)} ${raw.readUInt32LE(o + 16)}`);
      }
      const m = resolve(join(ROOT, machine), undefined);
      const types = { ram: 1, reserved: 2, acpi: 3, nvs: 4, unusable: 5 } as const;
      expect(m.memory.e820Qemu.map((e) => `${e.base.toString(16)} ${e.size.toString(16)} ${types[e.type]}`)).toEqual(theirs);
    });
  }

  // The map Linux printed: QEMU's, changed by SeaBIOS (EBDA, BIOS area, and the top of low RAM it keeps
  // for the ACPI tables and its disk drivers: nvme, virtio-blk, AHCI in various numbers and mixes).
  // acpi-off-default is left out: with no tables from QEMU, SeaBIOS builds smaller ones of its own.
  for (const c of cases().filter((c) => !c.name.includes('acpi-off'))) {
    const dmesg = join(c.dir, 'dmesg.txt');
    if (!existsSync(dmesg)) continue;
    it(`${c.name}: the e820 map the OS got`, () => {
      const theirs = [...readFileSync(dmesg, 'utf8').matchAll(/BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (usable|reserved)/g)].map((x) => `${BigInt(x[1]!).toString(16)}-${(BigInt(x[2]!) + 1n).toString(16)} ${x[3]}`);
      expect(theirs.length).toBeGreaterThan(4);
      const m = resolve(c.machine, c.target);
      expect(m.memory.e820.map((e) => `${e.base.toString(16)}-${(e.base + e.size).toString(16)} ${e.type === 'ram' ? 'usable' : 'reserved'}`)).toEqual(theirs);
    });
  }
});

// The boot order QEMU wrote (fw_cfg bootorder): the capture harness's kernel ROM first, then the devices with a bootindex,
// which are machc's boot entries with the paths it computes (disks on PCI, SATA, SCSI and USB controllers).
describe('boot paths match QEMU', () => {
  for (const c of cases()) {
    const file = join(c.dir, 'fw_cfg', 'bootorder');
    if (!existsSync(file)) continue;
    it(`${c.name}: bootorder`, () => {
      const theirs = readFileSync(file, 'latin1').replace(/\0$/, '').split('\n').filter((l) => l !== '' && !l.startsWith('/rom@'));
      expect(resolve(c.machine, c.target).boot.map((b) => b.path)).toEqual(theirs);
    });
  }
});
