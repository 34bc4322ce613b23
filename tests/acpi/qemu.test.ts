// Our tables against the ones QEMU 7.2 built for the same topologies
// (reference captures and tests/fixtures/captures). Data tables are compared
// byte for byte except OEM ids, checksums and table addresses; the DSDT is
// compared by namespace: devices with their identifying names, the _PRT
// packages and the host bridge's _CRS. Differences print as a readable list.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AcpiTable } from '../../compiler/emit/acpi/index.js';
import { needTools } from '../support/tools.js';
import { buildAcpiTables, disassemble, dslDevices, dslResourceTemplate, dslRoutingTable, loadMachine, ROOT, writeTables } from './support.js';

const CAPTURES = join(ROOT, 'tests/fixtures/captures');

/** Machine file -> directory of QEMU's tables for the same topology. */
const PAIRS: [string, string][] = [
  ['machines/q35-default.yaml', join(CAPTURES, 'default/acpi')],
  ...['bigmem-4g', 'rootport-e1000e', 'hotplug-off-rootport', 'ioh3420', 'many-rootports', 'multifunction-rootports', 'nested-switch-pcipci', 'no-builtins', 'numa2', 'pcie-rciep', 'smp4', 'sriov-nvme', 'sriov-nvme-ari', 'switch-mixed', 'virtio-devices', 'display-bochs', 'pvpanic-bochs'].map(
    (c): [string, string] => [`tests/fixtures/machines/cap-${c}.yaml`, join(CAPTURES, c, 'acpi')],
  ),
];

const hex = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, '0');

/**
 * Byte differences between our table and QEMU's, named by the field each
 * falls in (from our table's listing). OEM ids, checksum and pointer fields
 * are skipped.
 */
export function tableDiff(ours: AcpiTable, theirs: Uint8Array, alsoIgnore: readonly number[] = []): string[] {
  const ignore = new Set<number>([9, ...Array.from({ length: 26 }, (_v, i) => 10 + i), ...alsoIgnore]);
  for (const p of ours.pointers) for (let i = 0; i < p.size; i++) ignore.add(p.offset + i);
  const fields = ours.asl
    .split('\n')
    .map((l) => /^\[([0-9A-F]+)h \d+ +(\d+)\] +(.*?) : /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ offset: parseInt(m[1]!, 16), size: Number(m[2]), label: m[3]! }));
  const out: string[] = [];
  if (ours.bytes.length !== theirs.length) out.push(`length: ours ${ours.bytes.length}, QEMU ${theirs.length}`);
  const seen = new Set<number>();
  for (let i = 0; i < Math.max(ours.bytes.length, theirs.length); i++) {
    if (ignore.has(i) || ours.bytes[i] === theirs[i]) continue;
    const f = fields.find((x) => i >= x.offset && i < x.offset + x.size);
    const key = f ? f.offset : i;
    if (seen.has(key)) continue;
    seen.add(key);
    const [start, size] = f ? [f.offset, f.size] : [i, 1];
    const bytes = (b: Uint8Array) => Array.from(b.subarray(start, start + size), (x) => hex(x, 2)).join(' ');
    out.push(`[${hex(start, 3)}h] ${f?.label ?? 'beyond our table'}: ours ${bytes(ours.bytes)}, QEMU ${bytes(theirs)}`);
  }
  return out;
}

const haveIasl = needTools('iasl');

describe.each(PAIRS)('%s vs QEMU 7.2', async (file, qemuDir) => {
  const machine = await loadMachine(join(ROOT, file));
  if (!machine || !existsSync(qemuDir)) {
    // Only the topology where SeaBIOS runs out of IO space (and stops before any tables) has none.
    it('has no tables to compare because firmware stops on it', () => expect(file).toMatch(/cap-many-rootports-16\.yaml$/));
    return;
  }
  const set = buildAcpiTables(machine);
  const ours = (sig: string) => set.tables.find((t) => t.signature === sig);

  it.each(['FACP', 'APIC', 'HPET', 'MCFG', 'WAET', 'SRAT'])('%s matches field by field', (sig) => {
    const path = join(qemuDir, sig);
    const mine = ours(sig);
    expect(mine !== undefined, `${sig}: ours ${mine ? 'present' : 'absent'}, QEMU ${existsSync(path) ? 'present' : 'absent'}`).toBe(existsSync(path));
    if (!mine) return;
    // MADT revision: 5 here (Online Capable flag defined), 1 in QEMU 7.2.
    const diff = tableDiff(mine, readFileSync(path), sig === 'APIC' ? [8] : []);
    expect(diff, diff.join('\n')).toEqual([]);
  });

  it.runIf(haveIasl)('DSDT has the same devices, _PRT and host bridge _CRS', async () => {
    const dir = writeTables(set);
    const mine = (await disassemble(dir, 'DSDT.aml')).dsl;
    const qemu = readFileSync(join(qemuDir, 'DSDT.dsl'), 'utf8');

    expect(dslRoutingTable(mine, 'PRTP')).toEqual(dslRoutingTable(qemu, 'PRTP'));
    expect(dslRoutingTable(mine, 'PRTA')).toEqual(dslRoutingTable(qemu, 'PRTA'));
    expect(dslRoutingTable(mine, 'PRTP')).toHaveLength(128);

    const crs = (dsl: string) => dslResourceTemplate(dsl.slice(dsl.indexOf('WordBusNumber') - 400), 'Name (_CRS');
    expect(crs(mine)).toEqual(crs(qemu));

    // Names that identify a device; ASUN (QEMU's acpi-index slot numbers) is not described here.
    const KEYS = ['_ADR', '_HID', '_CID', '_UID', '_SUN', 'BSEL', '_STA', '_PXM'];
    const summary = (dsl: string) => {
      const out = new Map<string, string>();
      for (const [path, obj] of dslDevices(dsl)) {
        const names = KEYS.filter((k) => obj.names[k] !== undefined).map((k) => `${k}=${obj.names[k]}`);
        // QEMU declares CPUs with Processor (); here they are Device (ACPI0007) with _HID and _UID.
        const isCpu = /^\\_SB\.CPUS\.C[0-9A-F]{3}$/.test(path);
        out.set(path, isCpu ? 'CPU' : names.join(' '));
      }
      return out;
    };
    const a = summary(mine);
    const b = summary(qemu);
    const diff: string[] = [];
    for (const [p, v] of b) if (!a.has(p)) diff.push(`- ${p} (${v}) only in QEMU`);
    else if (a.get(p) !== v) diff.push(`~ ${p}: ours ${a.get(p)}, QEMU ${v}`);
    for (const [p, v] of a) if (!b.has(p)) diff.push(`+ ${p} (${v}) only here`);
    expect(diff, diff.join('\n')).toEqual([]);
  });
});
