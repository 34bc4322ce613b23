/**
 * The address lockfile keeps guest-visible addresses stable: with it, adding
 * or removing devices never moves the others.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { readLock, renderLock } from '../../compiler/resolve/lock.js';

const dir = mkdtempSync(join(tmpdir(), 'machc-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'm.yaml');
const lockFile = `${file}.lock`;

function machine(ports: string[], extra = ''): string {
  const lines = ['chipset: q35', 'devices:'];
  for (const p of ports) {
    lines.push(`  - { id: ${p}, model: pcie-root-port, chassis: 1, slot: ${p.slice(2)} }`);
    lines.push(`  - { id: nic-${p}, model: virtio-net, bus: ${p} }`);
  }
  return `${lines.join('\n')}\n${extra}`;
}

function resolve(text: string, useLock: boolean): ResolvedMachine {
  writeFileSync(file, text);
  const lock = useLock ? readLock(lockFile, new DiagnosticBag()) : undefined;
  const r = compileMachine(file, { lock });
  expect(r.diagnostics.items.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.machine!;
}

const bdfOf = (m: ResolvedMachine, id: string) => m.pci.functions.find((f) => f.key === id)!.bdf;

describe('address lockfile', () => {
  const original = resolve(machine(['rp1', 'rp2', 'rp3']), false);
  writeFileSync(lockFile, renderLock(original, 'm.yaml'));

  it('records every device and bridge bus number', () => {
    expect(bdfOf(original, 'nic-rp3')).toBe('03:00.0');
    const lock = readLock(lockFile, new DiagnosticBag())!;
    expect(lock.devices.get('rp3')).toMatchObject({ bus: 'pcie.0', addr: { device: 2, fn: 2 }, secondary: 3 });
    expect(lock.devices.get('nic-rp3')).toMatchObject({ bus: 'rp3', addr: { device: 0, fn: 0 } });
  });

  it('without the lock, removing a port renames the devices after it', () => {
    const m = resolve(machine(['rp1', 'rp3']), false);
    expect(bdfOf(m, 'rp3')).toBe('00:02.1');
    expect(bdfOf(m, 'nic-rp3')).toBe('02:00.0');
  });

  it('with the lock, removing a port moves nothing: the previous port reserves its bus number', () => {
    const m = resolve(machine(['rp1', 'rp3']), true);
    expect(bdfOf(m, 'rp3')).toBe('00:02.2');
    expect(bdfOf(m, 'nic-rp3')).toBe('03:00.0');
    const rp1 = m.pci.functions.find((f) => f.key === 'rp1')!;
    expect(rp1.bridge).toMatchObject({ secondary: 1, subordinate: 2, busReserve: 1 });
  });

  it('with the lock, a new port goes after the locked ones', () => {
    const m = resolve(machine(['rp4', 'rp1', 'rp2', 'rp3']), true);
    expect(['rp1', 'rp2', 'rp3', 'rp4'].map((id) => bdfOf(m, id))).toEqual(['00:02.0', '00:02.1', '00:02.2', '00:02.3']);
    expect(['nic-rp1', 'nic-rp2', 'nic-rp3', 'nic-rp4'].map((id) => bdfOf(m, id))).toEqual(['01:00.0', '02:00.0', '03:00.0', '04:00.0']);
  });

  it('the lockfile text is stable', () => {
    expect(renderLock(resolve(machine(['rp1', 'rp2', 'rp3']), true), 'm.yaml')).toBe(renderLock(original, 'm.yaml'));
  });
});
