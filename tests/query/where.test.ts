/**
 * `machc where` over every example machine: every function's BDF (VFs
 * included), every Device of the DSDT machc builds, both ends of every BAR
 * and VF BAR, and every e820 entry must lead back to the right line. The
 * expected lines are found in the YAML text itself (the line with `id: X`,
 * the `vfs:` line of the PF, the `memory:` line), not through the spans the
 * engine reads.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNamespace } from '../../compiler/diff/acpi/aml-namespace.js';
import { compileMachine } from '../../compiler/driver.js';
import { buildAcpiTables } from '../../compiler/emit/acpi/index.js';
import type { PciFunction } from '../../compiler/model/topology.js';
import { smbusIoBase, vfBarRanges } from '../../compiler/query/address-map.js';
import { WhereEngine, type WhereAnswer } from '../../compiler/query/where.js';
import { main } from '../../compiler/cli/main.js';

const MACHINES = join(import.meta.dirname, '..', '..', 'machines');
const files = readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort();

/** The 1-based line of the first match at or after `from`. */
function lineOf(text: string[], re: RegExp, from = 1): number {
  for (let i = from - 1; i < text.length; i++) if (re.test(text[i]!)) return i + 1;
  throw new Error(`no line matches ${re}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(files)('where: machines/%s', (file) => {
  const path = join(MACHINES, file);
  const r = compileMachine(path);
  const m = r.machine!;
  const engine = new WhereEngine({ machine: m, description: r.description!, source: r.source! });
  const text = r.source!.text.split(/\r?\n/);
  const idLine = (id: string) => lineOf(text, new RegExp(`(^|[\\s{,-])id:\\s*${escape(id)}\\s*($|[,}\\s])`));
  const chipsetLine = () => lineOf(text, /^chipset:/);
  /** The line that answers for a function: its own, its PF's `vfs:`, or the chipset's. */
  const expectedLine = (f: PciFunction): number => {
    if (f.role === 'vf') return lineOf(text, /(^|[\s{,])vfs:/, idLine(f.physfn!));
    if (r.description!.devices.some((d) => d.id === f.key)) return idLine(f.key);
    const builtin = { vga: 'display', ahci: 'sata', smbus: 'smbus' }[f.key];
    const b = builtin ? text.findIndex((l) => new RegExp(`\\b${builtin}:`).test(l) && /builtins|^\s/.test(l)) : -1;
    return b >= 0 ? b + 1 : chipsetLine();
  };
  const ask = (q: string): WhereAnswer => {
    const a = engine.query(q);
    if ('error' in a) throw new Error(`${q}: ${a.error}`);
    return a;
  };

  it('every BDF names its device line, the bus chain down to bus 0', () => {
    expect(m.pci.functions.length).toBeGreaterThan(3);
    for (const f of m.pci.functions) {
      const a = ask(`0000:${f.bdf}`);
      expect(a.function, f.bdf).toBe(f.key);
      expect(a.lines[0]?.line, `${f.bdf} ${f.key}`).toBe(expectedLine(f));
      expect(a.chain.at(-1)).toBe('bus 0 is the root complex, pcie.0');
      if (f.bus > 0) expect(a.chain.some((c) => c.startsWith(`bus ${f.bus} because `)), f.bdf).toBe(true);
    }
  });

  it('every ACPI device path', () => {
    const dsdt = buildAcpiTables(m).tables.find((t) => t.signature === 'DSDT')!;
    const ns = readNamespace(dsdt.bytes);
    const adr = new Map(ns.objects.filter((o) => o.path.endsWith('._ADR')).map((o) => [o.path.slice(0, -5), Number(o.value)]));
    const devices = ns.objects.filter((o) => o.kind === 'Device');
    expect(devices.length).toBeGreaterThan(10);
    for (const d of devices) {
      const a = ask(d.path);
      expect(a.lines.length, d.path).toBeGreaterThan(0);
      const pci = /\.S[0-9A-F]{2}$/.test(d.path) && d.path.startsWith('\\_SB.PCI0.') && adr.has(d.path);
      if (!pci) continue;
      const f = m.pci.functions.find((x) => x.key === a.function);
      expect(f, d.path).toBeDefined();
      if (a.summary.includes('empty hot-plug slot') || a.summary.includes('does not enable')) {
        // The slot's port (the bridge in front of its bus), or the PF of a VF the guest leaves disabled.
        expect(a.lines.map((l) => l.line)).toContain(expectedLine(f!));
        continue;
      }
      expect((f!.device << 16) | f!.fn, d.path).toBe(adr.get(d.path));
      expect(a.lines[0]?.line, d.path).toBe(expectedLine(f!));
    }
  });

  it('both ends of every BAR and VF BAR name the function', () => {
    const check = (q: string, key: string) => {
      const a = ask(q);
      expect(a.function, q).toBe(key);
      expect(a.lines[0]?.line, q).toBe(expectedLine(m.pci.functions.find((f) => f.key === key)!));
    };
    for (const b of m.firmware.bars) {
      const f = m.pci.functions.find((x) => x.key === b.key)!;
      const base = b.region === 'io' && f.key === 'smbus' ? smbusIoBase(m) : b.address;
      const size = b.bar === 6 ? f.romSize : f.bars.find((x) => x.index === b.bar)!.size;
      const p = b.region === 'io' ? 'io:' : '';
      check(`${p}0x${base.toString(16)}`, b.key);
      check(`${p}0x${(base + size - 1).toString(16)}`, b.key);
    }
    for (const v of vfBarRanges(m)) if (v.owner.kind === 'vf-bar') check(`0x${v.base.toString(16)}`, v.owner.fn);
  });

  it('every e820 entry', () => {
    m.memory.e820.forEach((e, i) => {
      for (const at of [e.base, e.base + e.size - 1]) {
        const a = ask(`0x${at.toString(16)}`);
        expect(a.chain.some((c) => c.includes(`e820 entry ${i} (${e.type}`)), `${i} at ${at}`).toBe(true);
        const want = e.type === 'ram' || e.what.startsWith('firmware') ? lineOf(text, /^memory:/) : chipsetLine();
        expect(a.lines.map((l) => l.line), `${i} at ${at}`).toContain(want);
      }
    });
  });

  it('QEMU ids and machine.ts names lead to the device', () => {
    for (const d of r.description!.devices) {
      const a = ask(d.id);
      expect(a.lines[0]?.line).toBe(idLine(d.id));
    }
  });
});

describe('where: answers and failures', () => {
  const file = join(MACHINES, 'switch-mixed.yaml');
  const r = compileMachine(file);
  const engine = new WhereEngine({ machine: r.machine!, description: r.description!, source: r.source! });

  it('explains a bus number through the bridges before it and bus-reserve', () => {
    const text = `name: x\nchipset: q35\nmemory: 1 GiB\ndevices:\n  - { id: rp0, model: pcie-root-port, chassis: 1, slot: 1, bus-reserve: 2 }\n  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 2 }\n  - { id: sw0, model: x3130-upstream, bus: rp1 }\n  - { id: sw0-p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }\n  - { id: sw0-p1, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 1 }\n  - { id: nic0, model: e1000e, bus: sw0-p1 }\n`;
    const c = compileMachine('x.yaml', { text });
    const e = new WhereEngine({ machine: c.machine!, description: c.description!, source: c.source! });
    const a = e.query('nic0');
    if ('error' in a) throw new Error(a.error);
    expect(a.summary).toBe('0000:07:00.0 is nic0 (e1000e)');
    expect(a.chain).toEqual([
      "device.function 00.0 chosen by machc (no addr:): device 0 on the port's link",
      "bus 7 because sw0-p1 (line 9) is the second bridge on sw0 (bus 5) in device.function order: the bus after sw0-p0's buses 6-6",
      'bus 5 because sw0 (line 7) is the first bridge on rp1 (bus 4) in device.function order: the first bus after 4',
      "bus 4 because rp1 (line 6) is the second bridge on pcie.0 (bus 0) in device.function order: the bus after rp0's buses 1-3, of which bus-reserve 2 on rp0 (line 5)",
      'bus 0 is the root complex, pcie.0',
    ]);
    expect(a.lines.map((l) => l.line)).toEqual([10, 9, 8, 7, 6, 5].filter((l) => l !== 8));
  });

  it('reports what it cannot find', () => {
    for (const q of ['0000:7f:00.0', '0001:00:00.0', 'nosuch', '0xfffffffffff', 'io:0x10000', '\\_SB.PCI0.S80.S00.S08.S00.S00']) {
      expect('error' in engine.query(q), q).toBe(true);
    }
  });

  it('machc where prints the lines, --json the same answer', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s), stdin: () => { throw new Error('no stdin'); }, colorOut: false, colorErr: false } as never;
    expect(await main(['where', file, '0000:03:00.0'], io)).toBe(0);
    expect(out.join('')).toMatch(/^0000:03:00.0 is nic0 \(e1000e\)\n.*switch-mixed.yaml:\d+: .*id: nic0/);
    out.length = 0;
    expect(await main(['where', file, '0000:03:00.0', '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ kind: 'function', function: 'nic0' });
    out.length = 0;
    expect(await main(['where', file, 'nosuch'], io)).toBe(1);
    expect(out.join('')).toMatch(/^machc: nosuch is not/);
  });
});
