// machc's firmware files against the ones QEMU generated for the same machine,
// for every capture (each under the QEMU release it was taken on): the fw_cfg
// files etc/acpi/tables, etc/acpi/rsdp and etc/table-loader byte for byte, and,
// after the table-loader has run at the addresses SeaBIOS used, every table
// byte for byte against what Linux read from /sys/firmware/acpi/tables (the
// shared references have only the latter). A difference prints table by table.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { buildFirmwareFiles, type FirmwareFiles } from '../../compiler/emit/firmware/index.js';
import { runTableLoader } from '../../compiler/emit/firmware/seabios-loader.js';
import type { AcpiTable, AcpiTableSet } from '../../compiler/emit/acpi/index.js';
import { captureCases, fwCfgFile } from '../build/machines.js';
import { buildAcpiTables, fileName } from './support.js';

const hex = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, '0');

/**
 * Byte differences between one of our tables and QEMU's, named by the field
 * each falls in (from our table's listing; AML tables by offset).
 */
export function tableDiff(ours: AcpiTable, theirs: Uint8Array): string[] {
  const fields = ours.asl
    .split('\n')
    .map((l) => /^\[([0-9A-F]+)h \d+ +(\d+)\] +(.*?) : /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ offset: parseInt(m[1]!, 16), size: Number(m[2]), label: m[3]! }));
  const out: string[] = [];
  if (ours.bytes.length !== theirs.length) out.push(`length: ours ${ours.bytes.length}, QEMU ${theirs.length}`);
  const seen = new Set<number>();
  for (let i = 0; i < Math.max(ours.bytes.length, theirs.length) && out.length < 12; i++) {
    if (ours.bytes[i] === theirs[i]) continue;
    const f = fields.find((x) => i >= x.offset && i < x.offset + x.size && x.label !== 'AML');
    const key = f ? f.offset : i;
    if (seen.has(key)) continue;
    seen.add(key);
    const [start, size] = f ? [f.offset, f.size] : [i, 16];
    const bytes = (b: Uint8Array) => Array.from(b.subarray(start, start + size), (x) => hex(x, 2)).join(' ');
    out.push(`[${hex(start, 4)}h] ${f?.label ?? 'bytes'}: ours ${bytes(ours.bytes)} | QEMU ${bytes(theirs)}`);
    if (!f) break;
  }
  return out;
}

/** Our etc/acpi/tables and QEMU's, compared table by table through our layout. */
function blobDiff(set: AcpiTableSet, fw: FirmwareFiles, blob: Uint8Array): string[] {
  const out: string[] = [];
  fw.acpi.placed.forEach((p, i) => {
    const ours = { ...set.tables[i]!, bytes: fw.acpi.tables.subarray(p.offset, p.offset + p.length) };
    const theirLength = p.signature === 'FACS' ? 64 : new DataView(blob.buffer, blob.byteOffset + p.offset + 4, 4).getUint32(0, true);
    const d = tableDiff(ours, blob.subarray(p.offset, p.offset + Math.min(theirLength, blob.length - p.offset)));
    if (d.length > 0) out.push(`${p.signature} at 0x${p.offset.toString(16)}:`, ...d.map((l) => `  ${l}`));
  });
  return out;
}

// acpi-off-default boots with acpi=off: the tables Linux read are SeaBIOS's own, not QEMU's.
const cases = captureCases().filter((c) => !readFileSync(join(c.dir, 'qemu.args'), 'utf8').includes('acpi=off'));

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const r = compileMachine(c.machine, { qemu: c.target });
  const machine = r.machine;
  if (!machine) {
    // Only the topology where SeaBIOS runs out of IO space (and stops before any tables) has none.
    it('has no tables to compare because firmware stops on it', () => expect(c.name).toMatch(/many-rootports-16$/));
    return;
  }
  const set = buildAcpiTables(machine);
  const fw = buildFirmwareFiles(machine, set);
  const file = (name: string) => fw.files.find((f) => f.name === name)!.bytes;
  const captured = (name: string) => (existsSync(fwCfgFile(c.dir, name)) ? readFileSync(fwCfgFile(c.dir, name)) : undefined);

  it.runIf(captured(ACPI_TABLES_FILE) !== undefined)(`etc/acpi/tables equals QEMU ${machine.qemu.version}'s byte for byte`, () => {
    const theirs = captured(ACPI_TABLES_FILE)!;
    const diff = blobDiff(set, fw, theirs);
    expect(diff, diff.join('\n')).toEqual([]);
    expect(Buffer.compare(file(ACPI_TABLES_FILE), theirs)).toBe(0);
  });

  it.runIf(captured(TABLE_LOADER_FILE) !== undefined)('etc/acpi/rsdp and etc/table-loader equal QEMU\'s byte for byte', () => {
    expect(Buffer.from(file(ACPI_RSDP_FILE)).toString('hex')).toBe(captured(ACPI_RSDP_FILE)!.toString('hex'));
    expect(Buffer.compare(file(TABLE_LOADER_FILE), captured(TABLE_LOADER_FILE)!)).toBe(0);
  });

  it('after the table-loader, every table equals what Linux read from /sys/firmware/acpi/tables', () => {
    const sysfs = join(c.dir, 'acpi');
    const names = readdirSync(sysfs).filter((n) => !n.includes('.'));
    // Where SeaBIOS put etc/acpi/tables: the FADT's DSDT pointer less the DSDT's offset in the file.
    const facp = readFileSync(join(sysfs, 'FACP'));
    const dsdtAt = new DataView(facp.buffer, facp.byteOffset).getUint32(40, true);
    const base = dsdtAt - fw.acpi.placed.find((p) => p.signature === 'DSDT')!.offset;
    const run = runTableLoader(file(TABLE_LOADER_FILE), new Map(fw.files.map((f) => [f.name, f.bytes])), (name) => (name === ACPI_TABLES_FILE ? base : 0xf_5000));
    expect(run.errors).toEqual([]);
    const loaded = run.files.get(ACPI_TABLES_FILE)!.data;
    const ours = new Map(fw.acpi.placed.map((p, i) => [fileName(p.signature) + (p.instance > 0 ? String(p.instance + 1) : ''), { p, table: set.tables[i]! }]));
    const problems: string[] = [];
    for (const n of names) {
      const mine = ours.get(n);
      if (!mine) {
        problems.push(`${n}: QEMU has it, we do not`);
        continue;
      }
      const theirs = readFileSync(join(sysfs, n));
      const patched = loaded.subarray(mine.p.offset, mine.p.offset + mine.p.length);
      if (Buffer.compare(patched, theirs) !== 0) problems.push(`${n}:`, ...tableDiff({ ...mine.table, bytes: patched }, theirs).map((l) => `  ${l}`));
    }
    for (const [n] of ours) if (!['RSDT', 'XSDT'].includes(n) && !names.includes(n)) problems.push(`${n}: we have it, QEMU does not`);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(names.length).toBeGreaterThanOrEqual(6);
  });
});

describe('the comparison', () => {
  it('covers every capture with fw_cfg files, for every target captured', () => {
    const withBlob = cases.filter((c) => existsSync(fwCfgFile(c.dir, ACPI_TABLES_FILE)));
    expect(withBlob.length).toBeGreaterThanOrEqual(22);
  });

  it('names the table and field of a difference', () => {
    const machine = compileMachine(join(import.meta.dirname, '../../machines/q35-default.yaml')).machine!;
    const set = buildAcpiTables(machine);
    const madt = set.tables.find((t) => t.signature === 'APIC')!;
    const changed = Uint8Array.from(madt.bytes);
    changed[8] = 5;
    expect(tableDiff(madt, changed)).toEqual([`[0008h] Revision: ours 01 | QEMU 05`]);
  });
});
