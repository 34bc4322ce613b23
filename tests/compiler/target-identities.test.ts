/**
 * Device identities that differ per target: from 10.0's machine type a
 * virtio-balloon-pci has 2 MSI-X vectors (QEMU's `vectors`, 0 under
 * hw_compat_9_2), so it gains an MSI-X BAR1 of 4 KiB that the resolver must
 * place; under 7.2 it has none. The captures prove the bytes
 * (captures/qemu-V/pvpanic-bochs); this pins the rule on both kinds of
 * placement (transitional on pcie.0, modern behind a root port).
 */
import { describe, expect, it } from 'vitest';
import type { TargetVersion } from '../../compiler/model/target.js';
import { compileText, render } from './helpers.js';

const machine = (target: TargetVersion) =>
  [
    'chipset: q35',
    `qemu: "${target}"`,
    'devices:',
    '  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1, addr: 10.0 }',
    '  - { id: balloon0, model: virtio-balloon, bus: rp1 }',
  ].join('\n') + '\n';

function bars(target: TargetVersion, key: string, text = machine(target)): string[] {
  const r = compileText(text);
  expect(r.machine, render(r)).toBeDefined();
  const f = r.machine!.pci.functions.find((x) => x.key === key)!;
  return f.bars.map((b) => `${b.index} ${b.kind} ${b.size.toString(16)}`);
}

describe('virtio-balloon per target', () => {
  it('7.2: no MSI-X BAR (BAR4 only behind a port)', () => {
    expect(bars('7.2', 'balloon0')).toEqual(['4 mem64 4000']);
  });

  for (const t of ['10.0', '11.1'] as const) {
    it(`${t}: an MSI-X BAR1 of 4 KiB before BAR4, placed by the firmware plan`, () => {
      expect(bars(t, 'balloon0')).toEqual(['1 mem32 1000', '4 mem64 4000']);
      const r = compileText(machine(t));
      const placed = r.machine!.firmware.bars.filter((b) => b.key === 'balloon0').map((b) => `${b.bar} ${b.size.toString(16)}`);
      expect(placed).toEqual(expect.arrayContaining(['1 1000', '4 4000']));
    });
  }

  it('transitional on pcie.0: the legacy IO BAR0, then BAR1 only from 10.0', () => {
    const text = (t: TargetVersion) => `chipset: q35\nqemu: "${t}"\ndevices:\n  - { id: balloon0, model: virtio-balloon, addr: 7.0 }\n`;
    expect(bars('7.2', 'balloon0', text('7.2'))).toEqual(['0 io 40', '4 mem64 4000']);
    expect(bars('10.0', 'balloon0', text('10.0'))).toEqual(['0 io 40', '1 mem32 1000', '4 mem64 4000']);
  });
});
