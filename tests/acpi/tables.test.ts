// Every table of every example and test machine: well formed (length,
// checksums, pointer fields), disassembled by iasl without errors or
// warnings, and loaded and evaluated by ACPICA's acpiexec.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteSum } from '../../compiler/emit/acpi/sink.js';
import { needTools } from '../support/tools.js';
import { acpiexec, buildAcpiTables, disassemble, fileName, loadMachine, machineFiles, probeSsdt, writeTables } from './support.js';

const files = machineFiles();
const haveTools = needTools('iasl', 'acpiexec');

describe.each(files.map((f) => [basename(f), f]))('%s', async (_n, file) => {
  const machine = await loadMachine(file);
  if (!machine) {
    // Only the machine whose IO windows exhaust SeaBIOS's IO space is expected not to resolve.
    it('does not resolve because firmware would run out of IO space: no tables', () => expect(basename(file)).toBe('cap-many-rootports-16.yaml'));
    return;
  }
  const set = buildAcpiTables(machine);
  const all = [...set.tables, set.rsdp];

  it('every table checksums to zero, with its length in the header and pointer fields 0', () => {
    for (const t of all) {
      for (const c of t.checksums) expect(byteSum(t.bytes, c.start, c.length), `${t.signature} checksum at ${c.offset}`).toBe(0);
      if (t.signature !== 'RSD PTR ') {
        expect(new DataView(t.bytes.buffer).getUint32(4, true), `${t.signature} length`).toBe(t.bytes.length);
        expect(String.fromCharCode(...t.bytes.subarray(0, 4))).toBe(t.signature);
      }
      for (const p of t.pointers) {
        expect(Array.from(t.bytes.subarray(p.offset, p.offset + p.size)).every((b) => b === 0)).toBe(true);
        expect(all.some((x) => x.signature === p.target), `${t.signature} points at ${p.target}`).toBe(true);
      }
    }
    expect(set.tables[0]!.signature).toBe('FACS');
    expect(set.tables[0]!.checksum).toBeUndefined();
    // Revision 0 (20 bytes, one checksum) as QEMU gives firmware; revision 2 (36 bytes) with an XSDT.
    expect(set.rsdp.checksums.map((c) => c.length)).toEqual(machine.acpi.xsdt ? [20, 36] : [20]);
    expect(set.rsdp.bytes.length).toBe(machine.acpi.xsdt ? 36 : 20);
  });

  it('RSDT (and the XSDT when chosen) list the tables, FADT points at FACS and DSDT', () => {
    const rsdt = set.tables.find((t) => t.signature === 'RSDT')!;
    const xsdt = set.tables.find((t) => t.signature === 'XSDT');
    expect(xsdt !== undefined).toBe(machine.acpi.xsdt);
    expect(rsdt.pointers.map((p) => p.size)).toEqual(rsdt.pointers.map(() => 4));
    expect(rsdt.pointers.map((p) => p.target)).toEqual(set.tables.filter((t) => !['FACS', 'DSDT', 'RSDT', 'XSDT'].includes(t.signature)).map((t) => t.signature));
    if (xsdt) {
      expect(xsdt.pointers.map((p) => p.target)).toEqual(rsdt.pointers.map((p) => p.target));
      expect(xsdt.pointers.map((p) => p.size)).toEqual(xsdt.pointers.map(() => 8));
    }
    const fadt = set.tables.find((t) => t.signature === 'FACP')!;
    expect(fadt.pointers).toEqual([
      { offset: 36, size: 4, target: 'FACS' },
      { offset: 40, size: 4, target: 'DSDT' },
      { offset: 140, size: 8, target: 'DSDT' },
    ]);
    expect(set.rsdp.pointers).toEqual([{ offset: 16, size: 4, target: 'RSDT' }, ...(xsdt ? [{ offset: 24, size: 8, target: 'XSDT' }] : [])]);
    expect(set.tables.some((t) => t.signature === 'SRAT')).toBe(machine.numa.length > 0);
  });

  it.runIf(haveTools)('iasl -d disassembles every table without errors or warnings', async () => {
    const dir = writeTables(set);
    for (const t of set.tables) {
      const r = await disassemble(dir, `${fileName(t.signature)}.aml`);
      expect(r.status, r.out).toBe(0);
      expect(r.out).not.toMatch(/error|warning/i);
      expect(r.dsl).not.toMatch(/\*\*\*\* Unknown|Unresolved|External \(/);
    }
  });

  it.runIf(haveTools)('acpiexec loads the tables and evaluates _CRS, _PRT (PIC and APIC mode), _OSC and the links', async () => {
    const dir = writeTables(set);
    writeFileSync(join(dir, 'PROBE.aml'), probeSsdt());
    const rows = machine.interrupts.rootTable;
    const chunks = [...Array(Math.ceil(rows.length / 16)).keys()];
    const cmds = [
      'evaluate \\_SB.PCI0._CRS',
      ...chunks.map((i) => `evaluate \\TPRT ${i}`),
      'evaluate \\_PIC 1',
      ...chunks.map((i) => `evaluate \\TPRT ${i}`),
      'evaluate \\TOSC',
      'evaluate \\_SB.LNKA._CRS',
      'evaluate \\_SB.GSIA._CRS',
      'evaluate \\_SB.CPUS.C000._STA',
    ];
    const tables = ['DSDT', 'PROBE', ...set.tables.filter((t) => !['DSDT', 'RSDT', 'XSDT', 'FACS'].includes(t.signature)).map((t) => fileName(t.signature))];
    const r = await acpiexec(dir, cmds, tables.map((t) => `${t}.aml`));
    const problems = r.out.split('\n').filter((l) => /ACPI (Error|Exception|Warning)|failed with status/i.test(l));
    expect(problems, r.out.slice(0, 4000)).toEqual([]);
    const got = [...r.out.matchAll(/\[Package\] Contains 4 Elements:\n\s*\[Integer\] = ([0-9A-F]+)\n\s*\[Integer\] = ([0-9A-F]+)\n\s*\[Object Reference\][^\n]*Name (\w+) Device/g)].map((m) => ({
      address: parseInt(m[1]!, 16),
      pin: parseInt(m[2]!, 16),
      link: m[3]!,
    }));
    const want = (apic: boolean) => rows.map((x) => ({ address: x.slot * 0x10000 + 0xffff, pin: x.pin, link: apic ? x.link.replace('LNK', 'GSI') : x.link }));
    expect(got).toEqual([...want(false), ...want(true)]);
    // _OSC grants what was asked for except native PCIe hot-plug, and says it masked something.
    expect(r.out).toMatch(/\[Buffer\] Length 0C =\s+0000: 10 00 00 00 1F 00 00 00 1E 00 00 00/);
    expect(r.out).toMatch(/Evaluation of \\_SB\.PCI0\._CRS returned/);
  });
});

