/**
 * MD1304: VFs past device 0 of a PCIe link need ARI in both the PF and the
 * port above. Every SR-IOV device QEMU models has ARI and every port forwards
 * it, so this case needs a PF without ARI: the catalog is replaced here by one
 * whose igb lacks the ARI capability.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../runtime/devices/catalog.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../runtime/devices/catalog.js')>();
  return {
    ...real,
    deviceModel: (name: string) => {
      const m = real.deviceModel(name);
      return m && name === 'igb' ? { ...m, ari: 'never' } : m;
    },
  };
});

const { compileText, findDiag, locateMark, render } = await import('./helpers.js');

describe('VFs past device 0 without ARI', () => {
  it('MD1304 at the vfs count', () => {
    const { text, line, column } = locateMark(
      'chipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }\n  - { id: nic0, model: igb, bus: rp1, sriov: { vfs: »2 } }\n',
    );
    const r = compileText(text);
    const d = findDiag(r, 'MD1304');
    expect(d, render(r)).toBeDefined();
    expect([d!.span?.line, d!.span?.column]).toEqual([line, column]);
    expect(d!.message).toBe('the VFs of nic0 reach 01:10.0, past device 0, which needs ARI in the device and the port above it');
  });

  it('the same VFs fit on the root bus, where there is no link', () => {
    const r = compileText('chipset: q35\ndevices:\n  - { id: nic0, model: igb, addr: 4.0, sriov: { vfs: 2 } }\n');
    expect(r.diagnostics.items.map((d) => d.code)).toEqual(['MD1225']);
    expect(r.machine!.pci.functions.filter((f) => f.physfn).map((f) => f.bdf)).toEqual(['00:14.0', '00:14.2']);
  });
});
