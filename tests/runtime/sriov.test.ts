/**
 * SR-IOV as the PCIe SR-IOV 1.1 specification says, through config writes
 * only: VFs appear at PF + First VF Offset + n * VF Stride when VF Enable is
 * set (NumVFs of them, never more than TotalVFs), read 0xffff as Vendor and
 * Device ID, decode their BARs at the PF's VF BAR + n * size only while VF
 * MSE is set, and disappear when VF Enable is cleared. The enabled VFs of
 * the sriov-nvme captures are what Linux listed on QEMU 7.2.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import { ecamAccess, extCapabilities, capabilities } from '../../runtime/guest/config-access.js';
import { enableVfs } from '../../runtime/guest/firmware.js';
import { findFunctions } from '../../runtime/guest/lspci.js';
import { Igb, Nvme, PcieRootPort, type PciFunction, Q35Machine } from '../../runtime/index.js';
import { loadGenerated, resolveMachine, ROOT } from '../codegen/support.js';
import { ecamRead, ecamWrite, enableEcam } from './support.js';
import { deviceCompat } from '../../runtime/devices/compat.js';
import type { TargetVersion } from '../../compiler/model/target.js';

const SRIOV = 0x120;

/** q35 + a root port at 00:10.0 (buses 1-1) with `endpoint` at 01:00.0; ECAM on. */
function behindRootPort(endpoint: PciFunction): Q35Machine {
  const m = new Q35Machine({ ram: { below4g: 256 * 2 ** 20 } });
  const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
  rp.secondary.attach(0, 0, endpoint);
  m.reset();
  enableEcam(m);
  ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
  return m;
}

/** behindRootPort with an nvme PF with `total` VFs, the root port's memory window open. */
function nvmeMachine(total: number): { m: Q35Machine; pf: Nvme } {
  const pf = new Nvme({ bus: 'pcie-link', serial: 'x', sriov: { totalVfs: total } });
  const m = behindRootPort(pf);
  // Root port: memory window 0xfe000000-0xfe7fffff, memory decoding on.
  ecamWrite(m, 0, 0x80, 0x20, 4, 0xfe70_fe00);
  ecamWrite(m, 0, 0x80, 0x04, 2, 0x0006);
  return { m, pf };
}

describe('SR-IOV through config space', () => {
  it('VFs appear at First VF Offset + n * VF Stride only while VF Enable is set, up to NumVFs', () => {
    const { m } = nvmeMachine(8);
    expect(ecamRead(m, 1, 0, SRIOV, 4) & 0xffff).toBe(0x0010);
    expect(ecamRead(m, 1, 0, SRIOV + 0x0e, 2)).toBe(8); // TotalVFs
    expect(ecamRead(m, 1, 0, SRIOV + 0x14, 4)).toBe(0x0001_0001); // First VF Offset 1, VF Stride 1
    expect(ecamRead(m, 1, 1, 0, 4)).toBe(0xffff_ffff);
    ecamWrite(m, 1, 0, SRIOV + 0x10, 2, 3); // NumVFs
    expect(ecamRead(m, 1, 1, 0, 4)).toBe(0xffff_ffff);
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0001); // VF Enable
    for (const devfn of [1, 2, 3]) {
      expect(ecamRead(m, 1, devfn, 0x00, 4), `VF at devfn ${devfn}`).toBe(0xffff_ffff); // Vendor/Device read 0xffff
      expect(ecamRead(m, 1, devfn, 0x08, 4) >>> 8).toBe(0x010802);
      expect(ecamRead(m, 1, devfn, 0x10, 4)).toBe(0); // VF BARs read 0
    }
    expect(ecamRead(m, 1, 4, 0x08, 4)).toBe(0xffff_ffff); // only NumVFs VFs
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0000);
    expect(ecamRead(m, 1, 1, 0x08, 4)).toBe(0xffff_ffff);
  });

  it('NumVFs above TotalVFs brings up no VF', () => {
    const { m } = nvmeMachine(4);
    ecamWrite(m, 1, 0, SRIOV + 0x10, 2, 5);
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0001);
    expect(ecamRead(m, 1, 1, 0x08, 4)).toBe(0xffff_ffff);
  });

  it('VF BARs decode at VF BAR + n * size while VF MSE is set, inside the bridge window', () => {
    const { m, pf } = nvmeMachine(4);
    // Sizing the VF BAR through the SR-IOV capability: 64-bit, 16 KiB per VF.
    ecamWrite(m, 1, 0, SRIOV + 0x24, 4, 0xffff_ffff);
    expect(ecamRead(m, 1, 0, SRIOV + 0x24, 4)).toBe(0xffff_c004);
    ecamWrite(m, 1, 0, SRIOV + 0x24, 4, 0xfe10_0000);
    ecamWrite(m, 1, 0, SRIOV + 0x28, 4, 0);
    ecamWrite(m, 1, 0, SRIOV + 0x10, 2, 4);
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0001); // VFE without MSE: nothing decodes
    expect(m.memory.mmio.find(0xfe10_0000)).toBeUndefined();
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0009); // VFE + VF MSE
    for (let n = 0; n < 4; n++) {
      const region = m.memory.mmio.find(0xfe10_0000 + n * 0x4000);
      expect(region?.name, `VF ${n}`).toBe(`${pf.vf(n).label} BAR0`);
      expect(region?.base).toBe(0xfe10_0000 + n * 0x4000);
    }
    // The MSI-X table of VF 2 (BAR0 + 0x2000 with the PF's layout): vector 0 starts masked.
    expect(m.memory.read(0xfe10_0000 + 2 * 0x4000 + 0x2000 + 12, 4)).toBe(1);
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0001); // clear VF MSE
    expect(m.memory.mmio.find(0xfe10_0000)).toBeUndefined();
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0x0009);
    ecamWrite(m, 0, 0x80, 0x04, 2, 0x0000); // the port stops forwarding memory: unclaimed, reads 0
    expect(m.memory.read(0xfe10_0000 + 0x2000 + 12, 4)).toBe(0);
  });

  it('ARI Capable Hierarchy is writable in the PF; VF Migration is not', () => {
    const { m } = nvmeMachine(2);
    ecamWrite(m, 1, 0, SRIOV + 0x08, 2, 0xffff);
    expect(ecamRead(m, 1, 0, SRIOV + 0x08, 2)).toBe(0x0019);
  });

  it('igb VFs sit at PF + 0x80 + 2n (QEMU hw/net/igb.c: IGB_VF_OFFSET 0x80, IGB_VF_STRIDE 2)', () => {
    const m = behindRootPort(new Igb({ bus: 'pcie-link' }));
    const sriov = 0x160;
    ecamWrite(m, 1, 0, sriov + 0x10, 2, 8);
    ecamWrite(m, 1, 0, sriov + 0x08, 2, 0x0011);
    const answering = [];
    for (let devfn = 0; devfn < 256; devfn++) if (ecamRead(m, 1, devfn, 0x08, 4) !== 0xffff_ffff) answering.push(devfn);
    expect(answering).toEqual([0x00, 0x80, 0x82, 0x84, 0x86, 0x88, 0x8a, 0x8c, 0x8e]);
  });
});

/**
 * A compiled machine routes configuration cycles through its flat dispatch
 * table, which lists the VFs of the PFs whose `sriov:` the machine file
 * declares. An igb always has its SR-IOV capability (the 82576 offers its 8
 * VFs whatever the file says), so a guest can enable VFs the table does not
 * list: Linux's igb driver did on a machine whose igb had no `sriov:`, and
 * its config reads of the new VF (05:10.0) came back all ones ("unknown
 * header type 7f"). An enabled VF answers wherever the hierarchy routes its
 * routing ID, listed or not.
 */
describe('VFs the compiled dispatch table does not list', () => {
  it('igb without sriov: in the file: the VFs the guest enables answer at PF + 0x80 + 2n, and are gone after VF Enable clears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-sriov-'));
    try {
      const file = join(dir, 'igb-undeclared.yaml');
      writeFileSync(
        file,
        [
          'name: igb-undeclared',
          'chipset: q35',
          'qemu: "10.0"',
          'memory: 512 MiB',
          'devices:',
          '  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }',
          '  - { id: nic0, model: igb, bus: rp1, mac: 52:54:00:0e:00:01 }',
          '',
        ].join('\n'),
      );
      const resolved = resolveMachine(file);
      const pf = resolved.pci.functions.find((f) => f.key === 'nic0')!;
      expect([pf.bdf, pf.sriov]).toEqual(['01:00.0', undefined]);
      const boot = bootGuest(resolved, await loadGenerated(resolved));
      const m = boot.machine;
      expect(boot.vfs).toEqual([]);
      expect(m.pci.dispatchTableActive).toBe(true);
      const [enabled] = enableVfs(m, boot.firmware.ecamBase, [{ bus: 1, devfn: 0, numVfs: 3 }]);
      expect(enabled!.vfs).toEqual(['01:10.0', '01:10.2', '01:10.4']);
      for (const devfn of [0x80, 0x82, 0x84]) {
        // What Linux's pci_setup_device reads first: the header type (0 for an endpoint, 0xff from nobody).
        expect(ecamRead(m, 1, devfn, 0x0e, 1), `01:${(devfn >> 3).toString(16)}.${devfn & 7} header type`).toBe(0x00);
        expect(ecamRead(m, 1, devfn, 0x08, 4) >>> 8).toBe(0x020000);
      }
      expect(ecamRead(m, 1, 0x86, 0x0e, 1)).toBe(0xff); // only NumVFs VFs
      // The table still serves every other cycle: the VFs did not switch it off.
      expect(m.pci.dispatchTableActive).toBe(true);
      expect(findFunctions(m, boot.firmware.ecamBase).map((f) => f.bdf).filter((b) => b.startsWith('01:'))).toEqual(['01:00.0', '01:10.0', '01:10.2', '01:10.4']);
      ecamWrite(m, 1, 0, 0x160 + 0x08, 2, 0x0000);
      expect(ecamRead(m, 1, 0x80, 0x0e, 1)).toBe(0xff);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * igb exists only in QEMU 8.0 and later: the layout below was read from
 * QEMU's hw/net/igb.c and hw/net/igbvf.c and is checked as the capability
 * chains a guest walks; the registers a machine type selects follow the
 * device compat (ARI Next Function 1 and no FLR up to pc-q35-8.0/8.1), as
 * QEMU 10.0 and 11.1 show them in tests/fixtures/captures/qemu-V/igb-sriov
 * (compared whole in captures.test.ts).
 */
describe('igb and igbvf layout (from QEMU hw/net/igb.c, igbvf.c)', () => {
  it('PF: PM 0x40, MSI 0x50, MSI-X 0x70 (10 vectors in BAR3), PCIe 0xa0; AER v1, ARI, SR-IOV', () => {
    const m = behindRootPort(new Igb({ bus: 'pcie-link' }));
    const cfg = ecamAccess(m, 0xb000_0000);
    expect(ecamRead(m, 1, 0, 0, 4)).toBe(0x10c9_8086);
    expect(ecamRead(m, 1, 0, 0x2c, 4)).toBe(0x1100_1af4);
    expect(capabilities(cfg, 1, 0)).toEqual([
      [0x40, 0x01],
      [0x50, 0x05],
      [0x70, 0x11],
      [0xa0, 0x10],
    ]);
    expect(extCapabilities(cfg, 1, 0)).toEqual([
      [0x100, 0x0001, 1],
      [0x150, 0x000e, 1],
      [0x160, 0x0010, 1],
    ]);
    expect(ecamRead(m, 1, 0, 0x42, 2)).toBe(0x0022); // PMC: PM 1.1 + DSI
    expect(ecamRead(m, 1, 0, 0x52, 2)).toBe(0x0180); // MSI: 64-bit, per-vector mask, 1 vector
    expect(ecamRead(m, 1, 0, 0x70, 4)).toBe(0x0009_a011); // MSI-X: 10 vectors
    expect(ecamRead(m, 1, 0, 0x74, 4)).toBe(0x0000_0003); // table in BAR3 at 0
    expect(ecamRead(m, 1, 0, 0x78, 4)).toBe(0x0000_2003); // PBA in BAR3 at 0x2000
    expect(ecamRead(m, 1, 0, 0xa4, 4)).toBe(0x0000_8000); // DevCap: RBER, no FLR (x-pcie-flr-init off up to pc-q35-8.1)
    expect(ecamRead(m, 1, 0, 0x154, 4)).toBe(0x0000_0100); // ARI Next Function 1 (x-pcie-ari-nextfn-1 on up to pc-q35-8.0)
    expect(ecamRead(m, 1, 0, 0x16c, 4)).toBe(0x0008_0008); // Initial VFs 8, Total VFs 8
    expect(ecamRead(m, 1, 0, 0x174, 4)).toBe(0x0002_0080); // First VF Offset 0x80, VF Stride 2
    expect(ecamRead(m, 1, 0, 0x178, 4) >>> 16).toBe(0x10ca); // VF Device ID
    expect(ecamRead(m, 1, 0, 0x184, 4)).toBe(0x0000_000c); // VF BAR0: 64-bit prefetchable
    expect(ecamRead(m, 1, 0, 0x190, 4)).toBe(0x0000_000c); // VF BAR3: 64-bit prefetchable
  });

  it('later machine types (pc-q35-10.0): FLR on the PF and VFs, ARI Next Function 0', () => {
    const m = new Q35Machine({ ram: { below4g: 256 * 2 ** 20 } });
    const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
    rp.secondary.attach(0, 0, new Igb({ bus: 'pcie-link', compat: deviceCompat('10.0') }));
    m.reset();
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(m, 1, 0, 0x170, 2, 1);
    ecamWrite(m, 1, 0, 0x168, 2, 0x0001);
    for (const devfn of [0, 0x80]) {
      expect(ecamRead(m, 1, devfn, 0xa4, 4)).toBe(0x1000_8020); // DevCap: RBER + FLR + Extended Tag
      expect(ecamRead(m, 1, devfn, 0x154, 4)).toBe(0);
    }
  });

  it('VF: MSI-X 0x70 (3 vectors), PCIe 0xa0; AER v1 0x100, ARI 0x150; no PM, no MSI', () => {
    const m = behindRootPort(new Igb({ bus: 'pcie-link' }));
    ecamWrite(m, 1, 0, 0x170, 2, 1);
    ecamWrite(m, 1, 0, 0x168, 2, 0x0001);
    const cfg = ecamAccess(m, 0xb000_0000);
    expect(ecamRead(m, 1, 0x80, 0, 4)).toBe(0xffff_ffff);
    expect(capabilities(cfg, 1, 0x80)).toEqual([
      [0xa0, 0x10],
      [0x70, 0x11],
    ]);
    expect(extCapabilities(cfg, 1, 0x80)).toEqual([
      [0x100, 0x0001, 1],
      [0x150, 0x000e, 1],
    ]);
    expect(ecamRead(m, 1, 0x80, 0x70, 4) >>> 16).toBe(0x0002);
  });
});

describe('VFs as Linux saw them (nvme on QEMU 7.2, 10.0 and 11.1; igb on 10.0 and 11.1; virtio-net on 11.1)', () => {
  const cases: [string, TargetVersion][] = [
    ['sriov-nvme', '7.2'], ['sriov-nvme-ari', '7.2'], ['nvme-budget', '7.2'],
    ['qemu-10.0/sriov-nvme-ari', '10.0'], ['qemu-11.1/sriov-nvme-ari', '11.1'],
    ['qemu-10.0/igb-sriov', '10.0'], ['qemu-11.1/igb-sriov', '11.1'], ['qemu-11.1/virtio-net-sriov', '11.1'],
  ];
  for (const [name, target] of cases) {
    it(`${name}: VF addresses and IDs equal pci.txt and sriov.txt`, async () => {
      const dir = join(ROOT, 'tests/fixtures/captures', name);
      const resolved = resolveMachine(join(ROOT, 'tests/fixtures/machines', `cap-${name.replace(/^qemu-[\d.]+\//, '')}.yaml`), target);
      const boot = bootGuest(resolved, await loadGenerated(resolved));
      const listed = findFunctions(boot.machine, boot.firmware.ecamBase).map((f) => {
        const classCode = ecamRead(boot.machine, f.bus, f.devfn, 0x08, 4) >>> 8;
        return `0000:${f.bdf} 0x${f.vendorId.toString(16).padStart(4, '0')} 0x${f.deviceId.toString(16).padStart(4, '0')} 0x${classCode.toString(16).padStart(6, '0')}`;
      });
      const pciTxt = readFileSync(join(dir, 'pci.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.trim().split(' ').slice(0, 4).join(' '));
      expect(listed).toEqual(pciTxt);
      const vfLines = readFileSync(join(dir, 'sriov.txt'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.includes(' VF '))
        .map((l) => l.split(' driver=')[0]);
      expect(boot.vfs.flatMap((pf) => pf.vfs.map((v) => `0000:${v} VF physfn=0000:${pf.pf}`))).toEqual(vfLines);
    });
  }
});
