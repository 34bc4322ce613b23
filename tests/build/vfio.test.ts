/**
 * vfio-pci cannot be captured (there is no host function to pass through
 * here), so its planning is tested directly: the function has the IDs,
 * class and BARs the file gives, SeaBIOS's replayed placement puts every
 * BAR inside its port's window at its natural alignment, the windows above
 * are sized for them (the 8 GiB prefetchable BAR pushes the prefetchable
 * window above 4 GiB), and qemu.args opens the host function at the
 * resolved address.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';

const MACHINE = join(import.meta.dirname, '..', 'fixtures', 'machines', 'vfio-passthrough.yaml');
const MiB = 2 ** 20;

function machine(): ResolvedMachine {
  const r = compileMachine(MACHINE);
  expect(r.diagnostics.items.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.machine!;
}

describe('vfio-pci: a passed-through function is planned from the file', () => {
  it('has the host function identity and BARs', () => {
    const gpu = machine().pci.functions.find((f) => f.key === 'gpu0')!;
    expect([gpu.bdf, gpu.vendorId, gpu.deviceId, gpu.classCode, gpu.romSize]).toEqual(['01:00.0', 0x10de, 0x1eb8, 0x030200, 512 * 1024]);
    expect(gpu.bars.map((b) => `${b.index} ${b.kind}${b.prefetchable ? ' pref' : ''} ${b.size}`)).toEqual(['0 mem32 16777216', '1 mem64 pref 8589934592', '3 mem64 pref 33554432', '5 io 128']);
  });

  it('places every BAR in its window, aligned, and sizes the windows for them', () => {
    const m = machine();
    const windows = m.firmware.windows.filter((w) => w.key === 'rp0');
    const win = (region: string) => windows.find((w) => w.region === region)!;
    for (const p of m.firmware.bars.filter((b) => b.key === 'gpu0' || b.key === 'vf0')) {
      expect(p.address % p.size, `${p.key} BAR${p.bar}`).toBe(0);
      const w = m.firmware.windows.find((x) => x.key === (p.key === 'gpu0' ? 'rp0' : 'rp1') && x.region === p.region)!;
      expect(p.address >= w.base && p.address + p.size <= w.base + w.size, `${p.key} BAR${p.bar} in its window`).toBe(true);
    }
    // 8 GiB + 32 MiB of prefetchable memory behind rp0: a 64-bit window above 4 GiB.
    expect(win('prefmem').size).toBeGreaterThanOrEqual(8 * 1024 * MiB + 32 * MiB);
    expect(win('prefmem').base).toBeGreaterThanOrEqual(2 ** 32);
    expect(win('prefmem').is64).toBe(true);
    // The 16 MiB BAR and the 512 KiB ROM in the non-prefetchable window, the 128-byte IO BAR in a 4 KiB IO window.
    expect(win('mem').size).toBeGreaterThanOrEqual(16 * MiB + 512 * 1024);
    expect(win('io').size).toBe(4096);
    // The NIC function has no IO BAR: its port gets no IO window.
    expect(m.firmware.windows.find((w) => w.key === 'rp1' && w.region === 'io')?.size ?? 0).toBe(0);
  });

  it('opens the host function at the resolved address in qemu.args', () => {
    const lines = qemuCommand(machine()).options.filter((o) => o.value?.startsWith('vfio-pci')).map((o) => `${o.option} ${o.value}`);
    expect(lines).toEqual(['-device vfio-pci,host=0000:65:00.0,id=gpu0,bus=rp0,addr=0x0', '-device vfio-pci,host=0000:3b:02.1,id=vf0,bus=rp1,addr=0x0']);
  });
});
