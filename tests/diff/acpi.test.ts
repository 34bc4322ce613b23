/**
 * The ACPI part of the diff: the AML namespace reader against QEMU 7.2's own
 * DSDTs (every capture, counted against `iasl -d`), table diffs between two
 * captures (QEMU's bytes, not ours), and the diff of machc's generated tables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eisaIdText, readNamespace } from '../../compiler/diff/acpi/aml-namespace.js';
import { tableFields } from '../../compiler/diff/acpi/fields.js';
import { diffSides } from '../../compiler/diff/index.js';
import { capturedTables, compileSide, diffPair } from './support.js';

const CAPTURES = 'tests/fixtures/captures';
const captures = readdirSync(CAPTURES).filter((c) => {
  try {
    return readdirSync(join(CAPTURES, c, 'acpi')).includes('DSDT');
  } catch {
    return false;
  }
});

/**
 * Counts the declarations of a kind in `iasl -d` output that belong to the
 * static namespace: not inside a Method, If, Else or While block.
 */
function declaredOutsideMethods(dsl: string): (kind: string) => number {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let pending: string | undefined;
  for (const line of dsl.split('\n')) {
    const t = line.trim();
    const head = /^(\w+)\s*\(/.exec(t)?.[1];
    if (t === '{') {
      stack.push(pending ?? '');
      pending = undefined;
      continue;
    }
    if (t.startsWith('}')) {
      stack.pop();
      continue;
    }
    if (!head) continue;
    const dynamic = stack.some((k) => ['Method', 'If', 'Else', 'While'].includes(k));
    if (!dynamic) counts.set(head, (counts.get(head) ?? 0) + 1);
    pending = head;
  }
  return (kind) => counts.get(kind) ?? 0;
}

describe('AML namespace reader on QEMU DSDTs', () => {
  it.each(captures)('%s: reads every object iasl shows', (c) => {
    const ns = readNamespace(new Uint8Array(readFileSync(join(CAPTURES, c, 'acpi', 'DSDT'))));
    const dsl = readFileSync(join(CAPTURES, c, 'acpi', 'DSDT.dsl'), 'utf8');
    expect(ns.complete).toBe(true);
    const dslCount = declaredOutsideMethods(dsl);
    for (const kind of ['Device', 'Method', 'Name', 'Processor', 'OperationRegion'] as const) {
      expect(ns.objects.filter((o) => o.kind === kind), kind).toHaveLength(dslCount(kind));
    }
  });

  it('gives full paths, values and EISA ids as iasl does', () => {
    const ns = readNamespace(new Uint8Array(readFileSync(join(CAPTURES, 'switch-mixed', 'acpi', 'DSDT'))));
    const get = (path: string) => ns.objects.find((o) => o.path === path);
    expect(get('\\_SB.PCI0')).toMatchObject({ kind: 'Device' });
    expect(get('\\_SB.PCI0._HID')).toMatchObject({ kind: 'Name', value: 'EisaId("PNP0A08")' });
    expect(get('\\_SB.PCI0.S80._ADR')).toMatchObject({ value: '0x100000' });
    // root port 00:10.0 -> switch upstream -> downstream port 0 -> slot 0: the hot-plug slot of the NIC.
    expect(get('\\_SB.PCI0.S80.S00.S00.S00._SUN')).toMatchObject({ kind: 'Name', value: '0x0' });
    expect(get('\\_SB.PCI0.S80.S00.S00.S00._EJ0')).toMatchObject({ kind: 'Method', value: '1 arg, 12 bytes' });
    expect(get('\\_SB.HPET')).toMatchObject({ kind: 'Device' });
    expect(get('\\DBG')).toMatchObject({ kind: 'OperationRegion', value: 'SystemIO 0x402, 0x1' });
    expect(eisaIdText(0x030ad041)).toBe('PNP0A03');
  });

  it('survives truncated and garbage input without throwing', () => {
    const dsdt = new Uint8Array(readFileSync(join(CAPTURES, 'default', 'acpi', 'DSDT')));
    for (const cut of [36, 37, 100, 1000, dsdt.length - 1]) {
      const t = dsdt.slice(0, cut);
      new DataView(t.buffer).setUint32(4, dsdt.length, true);
      expect(() => readNamespace(t)).not.toThrow();
    }
    const noise = new Uint8Array(400).map((_, i) => (i * 37 + 11) & 0xff);
    new DataView(noise.buffer).setUint32(4, 400, true);
    expect(readNamespace(noise).complete).toBe(false);
  });
});

describe('table fields of QEMU tables', () => {
  it('decodes MCFG, HPET and the MADT of the default machine', () => {
    const t = Object.fromEntries(capturedTables('default').map((x) => [x.signature, x.bytes]));
    expect(tableFields('MCFG', t['MCFG']!)?.get('segment 0 buses 0-255')).toBe('ECAM at 0xb0000000');
    expect(tableFields('HPET', t['HPET']!)?.get('Base address')).toBe('SystemMemory 0xfed00000 (0 bits, access 0)');
    const madt = tableFields('APIC', t['APIC']!)!;
    expect(madt.get('Local APIC uid 0')).toBe('APIC ID 0, enabled');
    expect(madt.get('I/O APIC id 0')).toBe('at 0xfec00000, GSI base 0');
    expect(madt.get('Interrupt override IRQ 0')).toBe('GSI 2, flags 0x0');
    expect(tableFields('FACP', t['FACP']!)?.get('SCI interrupt')).toBe('0x9');
  });
});

describe('diff of two machines with QEMU tables', () => {
  it('1 CPU -> 4 CPUs: MADT entries and processor devices, pointing at the cpus line', () => {
    const a = { ...compileSide('machines/q35-default.yaml'), acpi: capturedTables('default') };
    const b = { ...compileSide('tests/fixtures/machines/cap-smp4.yaml'), acpi: capturedTables('smp4') };
    const d = diffSides(a, b);
    const madt = d.acpi.tables.find((t) => t.signature === 'APIC')!;
    expect(madt.status).toBe('changed');
    for (const uid of [1, 2, 3]) {
      expect(madt.entries).toContainEqual(expect.objectContaining({ op: '+', what: `Local APIC uid ${uid}`, new: `APIC ID ${uid}, enabled` }));
    }
    const cpusLine = b.description.cpus.spans['$']!.line;
    expect(madt.entries.find((e) => e.what === 'Local APIC uid 3')?.at.new?.line).toBe(cpusLine);
    const dsdt = d.acpi.tables.find((t) => t.signature === 'DSDT')!;
    const cpu3 = dsdt.entries.find((e) => e.what === 'Processor(\\_SB.CPUS.C003)');
    expect(cpu3).toMatchObject({ op: '+' });
    expect(cpu3?.new).toMatch(/^id 3, PBLK 0x0\+0, .*methods .*_STA/);
    // The processor's children are part of its entry, not entries of their own.
    expect(dsdt.entries.some((e) => e.what.startsWith('Method(\\_SB.CPUS.C003.'))).toBe(false);
    expect(dsdt.entries.find((e) => e.what === 'Processor(\\_SB.CPUS.C003)')?.at.new?.line).toBe(cpusLine);
  });
});

describe('diff with machc-generated tables', () => {
  it('hotplug on: the port gains a hot-plug slot in the DSDT', () => {
    const d = diffPair('hotplug-on', {});
    expect(d.acpi.available).toBe(true);
    const dsdt = d.acpi.tables.find((t) => t.signature === 'DSDT')!;
    const added = dsdt.entries.filter((e) => e.op === '+').map((e) => e.what);
    expect(added).toContain('Device(\\_SB.PCI0.S11.S00)');
    expect(added).toContain('Name(\\_SB.PCI0.S11.BSEL)');
    const slot = dsdt.entries.find((e) => e.what === 'Device(\\_SB.PCI0.S11.S00)')!;
    expect(slot.new).toContain('_EJ0');
    expect(slot.at.new).toEqual({ file: 'tests/fixtures/diff/hotplug-on/new.yaml', line: 12 });
    expect(d.same).toBe(false);
  });

  it('switch port added: a new device object under the switch', () => {
    const d = diffPair('switch-port', {});
    const dsdt = d.acpi.tables.find((t) => t.signature === 'DSDT')!;
    const port = dsdt.entries.find((e) => e.what === 'Device(\\_SB.PCI0.S10.S00.S18)');
    expect(port).toMatchObject({ op: '+', at: { new: { line: 41 } } });
    expect(port?.new).toContain('_ADR=0x30000');
  });

  it('memory across 4 GiB: the root bridge _CRS changes', () => {
    const d = diffPair('memory-4g', {});
    const dsdt = d.acpi.tables.find((t) => t.signature === 'DSDT')!;
    expect(dsdt.entries).toContainEqual(expect.objectContaining({ op: '~', what: 'Name(\\_SB.PCI0._CRS)' }));
  });
});

describe('when the table generator fails', () => {
  it('the rest of the review is still given, with a note', () => {
    const d = diffPair('nic-move', { acpiTables: () => { throw new Error('no DSDT today'); } });
    expect(d.acpi).toEqual({ available: false, tables: [], note: 'the ACPI table generator failed: no DSDT today' });
    expect(d.devices.map((x) => x.id)).toEqual(['nic0', 'data0']);
  });
});
