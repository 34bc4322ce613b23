/**
 * ASL in machine files: a device's `asl:` block compiled into its scope in
 * the DSDT, `ssdts:` entries (inline or .asl files beside the machine) as
 * tables of their own listed in the RSDT/XSDT, and every ASL problem located
 * at its line and column inside the block scalar or the .asl file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { machineAsl } from '../../compiler/cli/machine.js';
import { compileMachine } from '../../compiler/driver.js';
import { buildAcpiTables } from '../../compiler/emit/acpi/index.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import { walkAcpi } from '../../compiler/emit/firmware/acpi-walk.js';
import { runTableLoader } from '../../compiler/emit/firmware/seabios-loader.js';
import { buildMachine } from '../../compiler/cli/commands/build.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { needTools } from '../support/tools.js';
import { machc, requireBuiltCli } from '../support/cli.js';
import { ROOT } from './machines.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-asl-machine-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => requireBuiltCli());

const EXAMPLE = join(ROOT, 'machines', 'asl-methods.yaml');

async function compiled(path: string, text?: string) {
  const r = compileMachine(path, text === undefined ? {} : { text });
  const asl = r.machine ? await machineAsl(r, qemuCommand(r.machine).deviceOrder) : undefined;
  return { r, asl };
}

const errors = (r: ReturnType<typeof compileMachine>) => r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);

const MACHINE = (asl: string, extra = '') => `name: t
chipset: q35
devices:
  - id: nic0
    model: e1000e
    addr: 05.0
    asl: |
${asl.split('\n').map((l) => `      ${l}`).join('\n')}
${extra}`;

describe('ASL in machine files', () => {
  it('the example: the NIC\'s methods go into its Device in the DSDT, the SSDT becomes a table', async () => {
    const { r, asl } = await compiled(EXAMPLE);
    expect(errors(r)).toEqual([]);
    const set = buildAcpiTables(r.machine!, { creationOrder: qemuCommand(r.machine!).deviceOrder, asl });
    const dsdt = set.tables.find((t) => t.signature === 'DSDT')!;
    expect(dsdt.asl).toContain('Scope (\\_SB.PCI0.S28)\n    {\n        Name (_SUN, 0x07)\n        Method (_DSM, 4, Serialized)');
    // The device \_SB.PCI0.S28 is the NIC's (00:05.0) in machc's own DSDT.
    expect(dsdt.asl).toMatch(/Device \(S28\)\s*\{\s*Name \(_ADR, 0x00050000\)/);
    const ssdts = set.tables.filter((t) => t.signature === 'SSDT');
    expect(ssdts).toHaveLength(1);
    // The SSDT is exactly what machc's ASL compiler makes of the inline source.
    const text = readFileSync(EXAMPLE, 'utf8');
    const inline = text.slice(text.indexOf('DefinitionBlock')).split('\n').map((l) => l.replace(/^ {6}/, '')).join('\n');
    expect(ssdts[0]!.bytes).toEqual(compileAsl(inline, 'inline.asl').tables[0]!.bytes);
  });

  it('the SSDT is placed by the table-loader and listed by RSDT and XSDT', async () => {
    const { r, asl } = await compiled(EXAMPLE);
    const a = await buildMachine(r.machine!, { file: 'asl-methods.yaml', bytes: readFileSync(EXAMPLE) }, { ts: false, asl });
    const file = (p: string) => a.files.find((f) => f.path === p)!.bytes;
    const files = new Map([[ACPI_TABLES_FILE, file(`fw_cfg/${ACPI_TABLES_FILE}`)], [ACPI_RSDP_FILE, file(`fw_cfg/${ACPI_RSDP_FILE}`)]]);
    const run = runTableLoader(file(`fw_cfg/${TABLE_LOADER_FILE}`), files, (f) => (f === ACPI_TABLES_FILE ? 0x7ff_0000 : 0xf_0000));
    expect(run.errors).toEqual([]);
    const walk = walkAcpi(run.files.values());
    expect(walk.errors).toEqual([]);
    expect(walk.tables.map((t) => t.signature)).toContain('SSDT');
    expect(a.files.map((f) => f.path)).toContain('acpi/SSDT.aml');
  });

  it.runIf(needTools('iasl'))('iasl disassembles the DSDT and the SSDT without errors', async () => {
    const { r, asl } = await compiled(EXAMPLE);
    const set = buildAcpiTables(r.machine!, { asl });
    const { spawnSync } = await import('node:child_process');
    for (const t of set.tables.filter((x) => x.signature === 'DSDT' || x.signature === 'SSDT')) {
      const f = join(tmp, `${t.signature}.aml`);
      writeFileSync(f, t.bytes);
      const d = spawnSync('iasl', ['-d', f], { cwd: tmp, encoding: 'utf8' });
      expect(d.status, d.stdout + d.stderr).toBe(0);
      expect(readFileSync(join(tmp, `${t.signature}.dsl`), 'utf8')).toMatch(t.signature === 'DSDT' ? /Method \(_DSM, 4, Serialized\)/ : /Name \(_HID, "MCHC0001"\)/);
    }
  });

  it('errors point inside the block scalar', async () => {
    const { r } = await compiled(join(tmp, 'bad.yaml'), MACHINE('Name (_ADR, 7)\nMethod (_STA) { Return (NOPE) }\nName (X, (1 + )'));
    expect(errors(r)).toEqual(["10:21 MD1501 ASL syntax error: unexpected ')'"]);
    const { r: r2 } = await compiled(join(tmp, 'bad2.yaml'), MACHINE('Name (_ADR, 7)\nMethod (_STA) { Return (NOPE) }'));
    expect(errors(r2)).toEqual([
      '8:13 MD1505 Name \\_SB.PCI0.S28._ADR is already declared',
      "9:31 MD1502 'NOPE' is not declared (searched from \\_SB.PCI0.S28._STA)",
    ]);
  });

  it('ASL goes to any function with a Device object (a bridge\'s function 1 has one); a SATA disk has none', async () => {
    const text = `name: t\nchipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1, addr: 02.0 }\n  - { id: rp2, model: pcie-root-port, chassis: 1, slot: 2, addr: 02.1, asl: 'Name (ABCD, 1)' }\n`;
    const { r } = await compiled(join(tmp, 'fn1.yaml'), text);
    expect(errors(r)).toEqual([]);
    const sata = `name: t\nchipset: q35\ndevices:\n  - { id: d0, model: sata-disk, image: a.raw, asl: 'Name (ABCD, 1)' }\n`;
    const { r: r2 } = await compiled(join(tmp, 'sata.yaml'), sata);
    expect(errors(r2).join('\n')).toMatch(/^4:\d+ MD1504 d0 has no Device object in the DSDT/);
  });

  it('ssdts from .asl files beside the machine; a missing file or a bad table is located', async () => {
    writeFileSync(join(tmp, 'extra.asl'), 'DefinitionBlock ("", "SSDT", 2, "MACHC", "EXTRA", 1)\n{\n    Name (\\XTRA, 1)\n    Name (\\XTRB, NOPE)\n}\n');
    const base = `name: t\nchipset: q35\nssdts:\n  - file: extra.asl\n  - file: missing.asl\n  - asl: 'DefinitionBlock ("", "DSDT", 2, "M", "T", 1) { }'\n`;
    const { r } = await compiled(join(tmp, 'ext.yaml'), base);
    const d = r.diagnostics.sorted().map((x) => `${x.span?.file.split('/').pop()}:${x.span?.line}:${x.span?.column} ${x.code}`);
    expect(d).toEqual(['ext.yaml:5:11 MD1508', 'ext.yaml:6:11 MD1508', 'extra.asl:4:18 MD1502']);
    writeFileSync(join(tmp, 'extra.asl'), 'DefinitionBlock ("", "SSDT", 2, "MACHC", "EXTRA", 1)\n{\n    Name (\\XTRA, 1)\n}\n');
    const { r: ok, asl } = await compiled(join(tmp, 'ok.yaml'), `name: t\nchipset: q35\nssdts:\n  - file: extra.asl\n`);
    expect(errors(ok)).toEqual([]);
    expect(asl!.ssdts.map((t) => t.bytes)).toEqual([compileAsl(readFileSync(join(tmp, 'extra.asl'), 'utf8'), 'extra.asl').tables[0]!.bytes]);
    expect(asl!.ssdts[0]!.bytes.length).toBe(36 + 7); // header + Name (\XTRA, One)
  });

  it('machc build writes the SSDT; with ASL errors it writes nothing and exits 1', () => {
    const out = join(tmp, 'out');
    const good = machc(['build', EXAMPLE, '-o', out, '--no-ts']);
    expect(good.code, good.stderr).toBe(0);
    expect(existsSync(join(out, 'acpi', 'SSDT.aml'))).toBe(true);
    writeFileSync(join(tmp, 'broken.yaml'), MACHINE('Method (_STA) { Return (NOPE) }'));
    const bad = machc(['build', join(tmp, 'broken.yaml'), '-o', join(tmp, 'out2'), '--no-ts']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("broken.yaml:8:31 error MD1502: 'NOPE' is not declared");
    expect(existsSync(join(tmp, 'out2'))).toBe(false);
    const check = machc(['check', join(tmp, 'broken.yaml')]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('MD1502');
  });
});
