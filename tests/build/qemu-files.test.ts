/**
 * The fw_cfg files QEMU provides by itself (SMBIOS tables and anchor,
 * etc/boot-fail-wait, etc/system-states, the SMI feature files,
 * bios-geometry), as machc generates them for the runtime machine:
 *
 * - byte for byte against the files Linux read in every capture, each built
 *   for the QEMU target it was taken on (CPU counts and sockets, NUMA, RAM
 *   above 4 GiB; the machine type and processor family per release);
 * - and against a live QEMU 7.2 for machines no capture covers (odd CPU
 *   and socket counts, every CPU model, 20 GiB of RAM in two DIMMs),
 *   its whole fw_cfg directory read through qtest: the file set of
 *   machc's machine (its build plus these plus kvmvapic.bin) is exactly
 *   QEMU's, with the same sizes and, for these, the same bytes.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { buildAcpiTables } from '../../compiler/emit/acpi/index.js';
import { buildFirmwareFiles } from '../../compiler/emit/firmware/index.js';
import { qemuProvidedFiles } from '../../compiler/emit/firmware/qemu-files.js';
import { buildSmbios } from '../../compiler/emit/firmware/smbios.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { qemuFwCfgFiles } from '../support/qemu-fwcfg.js';
import { needTools } from '../support/tools.js';
import { hexRows } from './bytes.js';
import { captureCases, DEFAULT_MACHINE } from './machines.js';

const fwCfgFile = (dir: string, name: string) => join(dir, 'fw_cfg', name.replace(/\//g, '_'));

/** Every capture with the files, each under the QEMU target it was taken on. */
const withSmbios = captureCases().filter((c) => existsSync(fwCfgFile(c.dir, 'etc/smbios/smbios-tables')));

describe('SMBIOS as the target QEMU builds it', () => {
  it('has captures to compare with, on every target', () => {
    expect(withSmbios.length).toBeGreaterThanOrEqual(60);
    expect(new Set(withSmbios.map((c) => c.target ?? '7.2'))).toEqual(new Set(['7.2', '10.0', '11.1']));
  });
  for (const c of withSmbios) {
    it(`tables and anchor equal the capture: ${c.name}`, () => {
      const m = compileMachine(c.machine, { qemu: c.target }).machine!;
      const s = buildSmbios(m);
      expect(hexRows(s.tables)).toEqual(hexRows(readFileSync(fwCfgFile(c.dir, 'etc/smbios/smbios-tables'))));
      expect(hexRows(s.anchor)).toEqual(hexRows(readFileSync(fwCfgFile(c.dir, 'etc/smbios/smbios-anchor'))));
    });
  }

  for (const c of withSmbios.filter((x) => /\/default$/.test(x.name))) {
    it(`the other QEMU files equal the default capture: ${c.name}`, () => {
      const m = compileMachine(DEFAULT_MACHINE, { qemu: c.target }).machine!;
      for (const f of qemuProvidedFiles(m)) {
        if (f.name.startsWith('etc/smbios')) continue;
        expect(hexRows(f.bytes), f.name).toEqual(hexRows(readFileSync(fwCfgFile(c.dir, f.name))));
      }
    });
  }

  for (const c of captureCases().filter((x) => existsSync(fwCfgFile(x.dir, 'etc/extra-pci-roots')) || /pxb/.test(x.name))) {
    it(`etc/extra-pci-roots equals the capture's: ${c.name}`, () => {
      const m = compileMachine(c.machine, { qemu: c.target }).machine!;
      const ours = qemuProvidedFiles(m).find((f) => f.name === 'etc/extra-pci-roots');
      expect(ours, 'machc has the file').toBeDefined();
      expect(hexRows(ours!.bytes)).toEqual(hexRows(readFileSync(fwCfgFile(c.dir, 'etc/extra-pci-roots'))));
    });
  }

  it('etc/extra-pci-roots only with expander bridges (QEMU adds it for them alone)', () => {
    const without = captureCases().filter((x) => existsSync(fwCfgFile(x.dir, 'etc/boot-fail-wait')) && !existsSync(fwCfgFile(x.dir, 'etc/extra-pci-roots')));
    expect(without.length).toBeGreaterThan(20);
    for (const c of without) {
      const m = compileMachine(c.machine, { qemu: c.target }).machine!;
      expect(qemuProvidedFiles(m).map((f) => f.name), c.name).not.toContain('etc/extra-pci-roots');
    }
  });

  it('the target shows in the tables: its machine type, and from 10.0 processor family 0xFE', () => {
    const text = (t: '7.2' | '10.0' | '11.1') => Buffer.from(buildSmbios(compileMachine(DEFAULT_MACHINE, { qemu: t }).machine!).tables);
    expect(text('7.2').includes('pc-q35-7.2')).toBe(true);
    expect(text('11.1').includes('pc-q35-11.1')).toBe(true);
    expect(text('11.1').includes('pc-q35-7.2')).toBe(false);
    // Type 4: the family byte at offset 6 of the structure.
    const family = (t: '7.2' | '10.0') => { const b = text(t); const at = b.indexOf(Buffer.from([4, 0x2a, 0, 4])); return b[at + 6]; };
    expect([family('7.2'), family('10.0')]).toEqual([0x01, 0xfe]);
  });
});

/** A machine file in a temporary folder, resolved. */
function resolveYaml(dir: string, name: string, yaml: string): ResolvedMachine {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, yaml);
  const r = compileMachine(path);
  if (!r.machine) throw new Error(`${name}: ${r.diagnostics.sorted().map((d) => d.message).join('; ')}`);
  return r.machine;
}

describe.runIf(needTools('qemu-system-x86_64'))('the whole fw_cfg file set equals a live QEMU 7.2', () => {
  const cases: [string, string][] = [
    ['q35-default', readFileSync(DEFAULT_MACHINE, 'utf8')],
    ['odd-smp', 'name: odd-smp\nchipset: q35\ncpus: { count: 3, max: 6 }\nmemory: 3000 MiB\n'],
    ['sockets', 'name: sockets\nchipset: q35\ncpus: { count: 6, sockets: 3, cores: 2, threads: 1 }\nmemory: 1 GiB\n'],
    ['epyc', 'name: epyc\nchipset: q35\ncpus: { count: 2, model: EPYC }\nmemory: 1 GiB\n'],
    ['skylake', 'name: skylake\nchipset: q35\ncpus: { count: 1, model: Skylake-Server }\nmemory: 1 GiB\n'],
    ['max', 'name: max\nchipset: q35\ncpus: { count: 1, model: max }\nmemory: 1 GiB\n'],
    ['big', 'name: big\nchipset: q35\ncpus: 2\nmemory: 20 GiB\n'],
  ];
  for (const [name, yaml] of cases) {
    it(`${name}: the same files, sizes and QEMU-provided bytes`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'machc-fwcfg-'));
      try {
        const m = resolveYaml(dir, name, yaml);
        const fw = buildFirmwareFiles(m, buildAcpiTables(m));
        for (const f of fw.files) writeFileSync(join(dir, f.name.replace(/\//g, '_')), f.bytes);
        // QEMU as machc's qemu.args runs it, with machc's ACPI files (acpi=off) and SMM off, as the runtime machine.
        const args = qemuCommand(m)
          .options.filter((o) => o.option !== '-machine')
          .flatMap((o) => (o.value === undefined ? [o.option] : [o.option, o.value]));
        const qemu = qemuFwCfgFiles([
          '-machine',
          'pc-q35-7.2,acpi=off,smm=off',
          ...args,
          ...['etc/table-loader', 'etc/acpi/tables', 'etc/acpi/rsdp'].flatMap((n) => ['-fw_cfg', `name=${n},file=${join(dir, n.replace(/\//g, '_'))}`]),
        ]);
        const ours = new Map([...fw.files, ...qemuProvidedFiles(m)].map((f) => [f.name, f.bytes]));
        ours.set('genroms/kvmvapic.bin', new Uint8Array(9216));
        expect(qemu.map((f) => `${f.name} ${f.bytes.length}`)).toEqual([...ours].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, b]) => `${n} ${b.length}`));
        for (const f of qemuProvidedFiles(m)) expect(hexRows(f.bytes), f.name).toEqual(hexRows(qemu.find((q) => q.name === f.name)!.bytes));
        for (const n of ['etc/e820', 'bootorder']) expect(hexRows(ours.get(n)!), n).toEqual(hexRows(qemu.find((q) => q.name === n)!.bytes));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
