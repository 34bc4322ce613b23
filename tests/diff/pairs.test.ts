/**
 * Realistic change pairs (tests/fixtures/diff/<case>/old.yaml -> new.yaml):
 * each test asserts the consequences a reviewer must see, then checks the
 * text and Markdown renderings against goldens (read them when they change:
 * `npx vitest run tests/diff -u`, then review the files under __snapshots__).
 */
import { describe, expect, it } from 'vitest';
import { renderMachineMarkdown } from '../../compiler/diff/render-markdown.js';
import { renderText } from '../../compiler/diff/render-text.js';
import type { MachineDiff } from '../../compiler/diff/types.js';
import { compileMachine } from '../../compiler/driver.js';
import { diffSides, sideOf } from '../../compiler/diff/index.js';
import { compileSide, diffPair } from './support.js';

const OLD = (c: string) => `tests/fixtures/diff/${c}/old.yaml`;
const NEW = (c: string) => `tests/fixtures/diff/${c}/new.yaml`;

const device = (d: MachineDiff, id: string) => d.devices.find((x) => x.id === id);
const bus = (d: MachineDiff, name: string) => d.consequences.buses.find((b) => b.name === name);
const untouched = (d: MachineDiff, id: string) => d.consequences.untouched.find((u) => u.id === id);
const rename = (d: MachineDiff, id: string) => d.consequences.names.find((n) => n.id === id);
const budget = (d: MachineDiff, what: string) => d.consequences.budgets.find((b) => b.what === what);

async function goldens(name: string, d: MachineDiff): Promise<void> {
  await expect(renderText(d, { color: false })).toMatchFileSnapshot(`__snapshots__/${name}.txt`);
  await expect(renderMachineMarkdown(d)).toMatchFileSnapshot(`__snapshots__/${name}.md`);
}

describe('add a switch downstream port', () => {
  const d = diffPair('switch-port');

  it('lists the new port and the NIC behind it, with their lines', () => {
    expect(device(d, 'sw0-p3')).toMatchObject({ status: 'added', model: 'xio3130-downstream', address: { new: '02:03.0' }, bus: { new: 'sw0' }, at: { new: { file: NEW('switch-port'), line: 41 } } });
    expect(device(d, 'lan1')).toMatchObject({ status: 'added', address: { new: '06:00.0' }, names: { new: ['enp6s0'] }, at: { new: { line: 56 } } });
    expect(d.devices).toHaveLength(2);
  });

  it('renumbers the buses after the switch and says why', () => {
    expect(bus(d, 'rp2')).toMatchObject({ old: { number: 6 }, new: { number: 7 }, cause: 'sw0-p3 was added', at: { old: { file: OLD('switch-port'), line: 13 }, new: { line: 14 } } });
    expect(bus(d, 'rp3')).toMatchObject({ old: { number: 7 }, new: { number: 8 } });
    expect(bus(d, 'rp1')).toMatchObject({ old: { number: 1, subordinate: 5 }, new: { number: 1, subordinate: 6 }, cause: 'sw0-p3 was added' });
  });

  it('reports devices nobody touched that move, and their guest names', () => {
    expect(untouched(d, 'wan0')?.effects).toEqual([expect.objectContaining({ property: 'bdf', old: '06:00.0', new: '07:00.0' })]);
    expect(untouched(d, 'wan0')?.cause).toContain('bus rp2 is renumbered 6 → 7');
    expect(untouched(d, 'boot0')?.effects[0]).toMatchObject({ old: '07:00.0', new: '08:00.0' });
    expect(rename(d, 'wan0')).toMatchObject({ kind: 'nic', old: 'enp6s0', new: 'enp7s0', touched: false });
    expect(untouched(d, 'lan0')).toBeUndefined();
  });

  it('counts bus numbers and grows the windows above the switch', () => {
    expect(budget(d, 'bus numbers')).toMatchObject({ what: 'bus numbers', old: 8, new: 9, limit: 256, at: { old: { line: 8 }, new: { line: 9 } } });
    const rp1 = d.resources.windows.filter((w) => w.bridge === 'rp1');
    expect(rp1.map((w) => [w.kind, w.old, w.new])).toEqual([['io', 0x1000, 0x2000], ['mem', 6 << 20, 8 << 20], ['prefmem', 6 << 20, 8 << 20]]);
    expect(d.resources.root.find((r) => r.what === 'IO space needed')).toMatchObject({ old: '4.1 KiB (0x1060)', new: '8.1 KiB (0x2060)' });
  });

  it('matches the goldens', async () => {
    await goldens('switch-port', d);
    await expect(`${JSON.stringify(d, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/switch-port.json');
  });
});

describe('raise VFs 4 -> 8 and reserve a bus number behind their port', () => {
  const d = diffPair('vfs-bus-shift');

  it('shows the edits with the lines on each side', () => {
    const pf = device(d, 'uplink0')!;
    expect(pf.status).toBe('changed');
    expect(pf.changes).toEqual([{ property: 'sriov.vfs', old: '4', new: '8', at: { old: { file: OLD('vfs-bus-shift'), line: 33 }, new: { file: NEW('vfs-bus-shift'), line: 35 } } }]);
    expect(pf.effects.find((e) => e.property === 'vfs')).toMatchObject({ old: '4 at 02:1f.0..02:1f.3', new: '8 at 02:1f.0..02:1f.7' });
    expect(device(d, 'rp2')?.changes).toEqual([expect.objectContaining({ property: 'bus-reserve', old: undefined, new: '1' })]);
  });

  it('shifts the bus numbers after the PF and renames the NIC there', () => {
    expect(bus(d, 'rp2')).toMatchObject({ old: { number: 2, subordinate: 2 }, new: { number: 2, subordinate: 3 } });
    expect(bus(d, 'rp3')).toMatchObject({ old: { number: 3 }, new: { number: 4 } });
    expect(bus(d, 'rp3')?.cause).toBe('bus-reserve of rp2 went from unset to 1');
    expect(untouched(d, 'mgmt0')?.effects[0]).toMatchObject({ property: 'bdf', old: '03:00.0', new: '04:00.0' });
    expect(rename(d, 'mgmt0')).toMatchObject({ old: 'enp3s0', new: 'enp4s0', touched: false });
  });

  it('reports the VF and bus-number budgets', () => {
    expect(budget(d, 'VFs enabled')).toMatchObject({ what: 'VFs enabled', old: 4, new: 8, limit: 8 });
    expect(budget(d, 'bus numbers')).toMatchObject({ old: 4, new: 5, limit: 256 });
    expect(budget(d, 'PCI functions')).toMatchObject({ old: 15, new: 19 });
  });

  it('matches the goldens', async () => {
    await goldens('vfs-bus-shift', d);
  });
});

describe('move a NIC to another root port', () => {
  const d = diffPair('nic-move');

  it('reports the move with old and new BDF and bus', () => {
    const nic = device(d, 'nic0')!;
    expect(nic).toMatchObject({ status: 'moved', address: { old: '01:00.0', new: '03:00.0' }, bus: { old: 'rp1', new: 'rp3' }, names: { old: ['enp1s0'], new: ['enp3s0'] } });
    expect(nic.changes).toEqual([{ property: 'bus', old: 'rp1', new: 'rp3', at: { old: { file: OLD('nic-move'), line: 23 }, new: { file: NEW('nic-move'), line: 24 } } }]);
    expect(nic.effects.find((e) => e.property === 'boot-path')).toMatchObject({ old: '/pci@i0cf8/pci-bridge@2/ethernet@0/ethernet-phy@0', new: '/pci@i0cf8/pci-bridge@2,2/ethernet@0/ethernet-phy@0' });
    expect(nic.effects.some((e) => e.property === 'bdf')).toBe(false);
  });

  it('says that the untouched boot disk changes its name', () => {
    expect(rename(d, 'disk0')).toMatchObject({ kind: 'disk', old: 'vda', new: 'vdb', touched: false });
    expect(rename(d, 'data0')).toMatchObject({ old: 'vdb', new: 'vda', touched: true });
    expect(d.consequences.buses).toEqual([]);
  });

  it('moves the IO window with the NIC', () => {
    expect(d.resources.windows.map((w) => [w.bridge, w.kind, w.old, w.new])).toEqual([['rp1', 'io', 0x1000, 0], ['rp3', 'io', 0, 0x1000]]);
  });

  it('matches the goldens', async () => {
    await goldens('nic-move', d);
  });
});

describe('grow memory across the 4 GiB split', () => {
  const d = diffPair('memory-4g');

  it('reports the edit and the split it causes', () => {
    expect(d.machine).toEqual([{ property: 'memory.size', old: '2560 MiB', new: '4 GiB', at: { old: { file: OLD('memory-4g'), line: 6 }, new: { file: NEW('memory-4g'), line: 6 } } }]);
    const layout = Object.fromEntries(d.memory.layout.map((r) => [r.what, [r.old, r.new]]));
    expect(layout['RAM below 4 GiB']).toEqual(['2560 MiB', '2 GiB']);
    expect(layout['RAM above 4 GiB']).toEqual(['none', '2 GiB at 0x100000000']);
    expect(layout['64-bit PCI hole']).toEqual(['0x100000000-0x8ffffffff (32 GiB)', '0x180000000-0x97fffffff (32 GiB)']);
  });

  it('shows the e820 entries that change', () => {
    const at = { old: { file: OLD('memory-4g'), line: 6 }, new: { file: NEW('memory-4g'), line: 6 } };
    expect(d.memory.e820).toEqual([
      { op: '-', entry: '0x100000-0x9ffd6fff ram (RAM)', at },
      { op: '+', entry: '0x100000-0x7ffd6fff ram (RAM)', at },
      { op: '+', entry: '0x7ffd7000-0x7fffffff reserved (firmware: ACPI tables and driver buffers)', at },
      { op: '-', entry: '0x9ffd7000-0x9fffffff reserved (firmware: ACPI tables and driver buffers)', at },
      { op: '+', entry: '0x100000000-0x17fffffff ram (RAM above 4 GiB)', at },
    ]);
    expect(d.devices).toEqual([]);
    expect(d.consequences.untouched).toEqual([]);
  });

  it('matches the goldens', async () => {
    await goldens('memory-4g', d);
  });
});

describe('turn hotplug on', () => {
  const d = diffPair('hotplug-on');

  it('reports the edited port and nothing that did not change', () => {
    expect(d.devices).toEqual([expect.objectContaining({ id: 'rp2', status: 'changed', changes: [expect.objectContaining({ property: 'hotplug', old: 'false', new: 'true' })], effects: [] })]);
    expect(d.consequences.untouched).toEqual([]);
    expect(d.consequences.names).toEqual([]);
  });

  it('matches the goldens', async () => {
    await goldens('hotplug-on', d);
  });
});

describe('built-in functions and SATA drives', () => {
  it('turning built-ins off removes their functions, located at their builtins switch', () => {
    const d = diffSides(compileSide('machines/q35-default.yaml'), compileSide('tests/fixtures/machines/cap-no-builtins.yaml'));
    expect(d.devices.map((x) => [x.id, x.status, x.address.old, x.at.old?.line])).toEqual([
      ['vga', 'removed', '00:01.0', 13],
      ['ahci', 'removed', '00:1f.2', 14],
      ['smbus', 'removed', '00:1f.3', 15],
    ]);
    const dsdt = d.acpi.tables.find((t) => t.signature === 'DSDT')!;
    expect(dsdt.entries.find((e) => e.what === 'Device(\\_SB.PCI0.S08)')).toMatchObject({ op: '-', at: { old: { line: 13 } } });
  });

  it('a SATA disk on a lower port renames the others (sda -> sdb)', () => {
    const base = 'chipset: q35\ndevices:\n  - { id: data, model: sata-disk, port: 2, image: d.raw }\n';
    const a = sideOf(compileMachine('a.yaml', { text: base }))!;
    const b = sideOf(compileMachine('b.yaml', { text: `${base}  - { id: os, model: sata-disk, port: 0, image: os.raw }\n` }))!;
    const d = diffSides(a, b, { acpiTables: null });
    expect(d.devices).toEqual([expect.objectContaining({ id: 'os', status: 'added', address: { new: 'ahci port 0' }, names: { new: ['sda'] } })]);
    expect(d.consequences.names).toEqual([expect.objectContaining({ id: 'data', kind: 'disk', old: 'sda', new: 'sdb', touched: false })]);
  });
});
