/** A compiled machine module hands each storage device the drives its machine file names; the run opens them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../../compiler/driver.js';
import type { Q35Machine, VirtioBlk } from '../../../runtime/index.js';
import { loadGenerated } from '../../codegen/support.js';

const dir = mkdtempSync(join(tmpdir(), 'machc-wiring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(text: string): Promise<{ machine: Q35Machine; devices: Record<string, unknown> }> {
  const r = compileMachine(join(dir, 'm.yaml'), { text });
  if (!r.machine) throw new Error(r.diagnostics.sorted().map((d) => d.message).join('; '));
  const mod = await loadGenerated(r.machine);
  return mod.createMachine() as unknown as { machine: Q35Machine; devices: Record<string, unknown> };
}

describe('drives from the machine file', () => {
  it('SATA drives replace the default CD-ROM; virtio-blk gets its image; openDrives opens them relative to the machine file', async () => {
    writeFileSync(join(dir, 'os.raw'), new Uint8Array(1024 * 1024));
    writeFileSync(join(dir, 'data.raw'), new Uint8Array(2 * 1024 * 1024));
    const { machine, devices } = await build(
      [
        'name: wiring',
        'chipset: q35',
        'devices:',
        '  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }',
        '  - { id: os, model: sata-disk, port: 0, image: os.raw }',
        '  - { id: vd, model: virtio-blk, bus: rp1, image: data.raw, readonly: true }',
        '',
      ].join('\n'),
    );
    expect(machine.ahci!.sata.map((s) => s?.kind)).toEqual(['disk', undefined, undefined, undefined, undefined, undefined]);
    expect(machine.drives().every((d) => !d.present)).toBe(true);
    expect(machine.openDrives({ baseDir: dir })).toEqual([]);
    expect(machine.ahci!.sata[0]!.drive.size).toBe(1024 * 1024);
    const vd = devices['vd'] as VirtioBlk;
    expect(vd.drive.size).toBe(2 * 1024 * 1024);
    expect(vd.drive.readOnly).toBe(true);
  });

  it('a machine without SATA drives keeps QEMU\'s empty CD-ROM on port 2', async () => {
    const { machine } = await build('name: plain\nchipset: q35\n');
    expect(machine.ahci!.sata.map((s) => s?.kind)).toEqual([undefined, undefined, 'cdrom', undefined, undefined, undefined]);
    expect(machine.openDrives({ baseDir: dir })).toEqual([]);
    expect(machine.ahci!.sata[2]!.drive.present).toBe(false);
  });
});
