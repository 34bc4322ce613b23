/**
 * The OVMF models without booting: how OVMF installs machc's tables
 * (compiler/emit/firmware/ovmf-loader.ts) and where it places PCI resources
 * (compiler/resolve/firmware-plan-ovmf.ts), on the rules the real boots in
 * tests/interop/ovmf-boot.test.ts confirmed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { runOvmfLoader } from '../../compiler/emit/firmware/ovmf-loader.js';
import { byteSum } from '../../compiler/emit/firmware/seabios-loader.js';
import { ovmfMmio64, ovmfPlan, ovmfPlanLines } from '../../compiler/resolve/firmware-plan-ovmf.js';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import { loadGenerated } from '../codegen/support.js';
import { build } from '../interop/machine-boot.js';

const GiB = 2 ** 30;

function machine(text: string) {
  const r = compileMachine('t.yaml', { text });
  expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.machine!;
}

describe('OVMF installs the loader\'s tables one by one', async () => {
  const b = await build('machines/q35-default.yaml', readFileSync('machines/q35-default.yaml', 'utf8'));
  const file = (name: string) => b.file_(`fw_cfg/${name}`);
  const fwCfg = new Map([[ACPI_TABLES_FILE, file(ACPI_TABLES_FILE)], [ACPI_RSDP_FILE, file(ACPI_RSDP_FILE)]]);
  const at: Record<string, number> = { FACS: 0x7f00_0000, DSDT: 0x7e00_0000, FACP: 0x7d00_0000, APIC: 0x7c00_0000, HPET: 0x7b00_0000, MCFG: 0x7a00_0000, WAET: 0x7900_0000 };
  const run = runOvmfLoader(file(TABLE_LOADER_FILE), fwCfg, (sig) => at[sig] ?? 0x7000_0000);

  it('every table the pointers reach but RSDT and RSDP, each checksummed', () => {
    expect(run.errors).toEqual([]);
    expect(run.tables.map((t) => t.signature).sort()).toEqual(['APIC', 'DSDT', 'FACP', 'FACS', 'HPET', 'MCFG', 'WAET']);
    for (const t of run.tables) if (t.signature !== 'FACS') expect(byteSum(t.bytes), t.signature).toBe(0);
  });

  it('links the FADT to the installed FACS and DSDT (32-bit FIRMWARE_CTRL, X_FIRMWARE_CTRL cleared, X_DSDT set)', () => {
    const facp = Buffer.from(run.tables.find((t) => t.signature === 'FACP')!.bytes);
    expect(facp.readUInt32LE(36)).toBe(at['FACS']);
    expect(facp.readUInt32LE(40)).toBe(at['DSDT']);
    expect(facp.readBigUInt64LE(132)).toBe(0n);
    expect(facp.readBigUInt64LE(140)).toBe(BigInt(at['DSDT']!));
  });

  it('leaves the other tables as machc wrote them (but for the checksum the loader fills in)', () => {
    const blob = Buffer.from(file(ACPI_TABLES_FILE));
    for (const t of run.tables.filter((x) => x.signature !== 'FACP')) {
      const ours = Buffer.from(blob.subarray(t.offset, t.offset + t.bytes.length));
      const installed = Buffer.from(t.bytes);
      if (t.signature !== 'FACS') ours[9] = installed[9] = 0;
      expect(installed.equals(ours), t.signature).toBe(true);
    }
  });
});

describe('OVMF\'s PCI apertures and placement', () => {
  it('64-bit aperture: the top eighth of a trusted 40-bit address space, else 32 GiB after RAM, naturally aligned', () => {
    expect(ovmfMmio64(6 * GiB)).toEqual({ base: 0xe0_0000_0000, size: 128 * GiB });
    expect(ovmfMmio64(6 * GiB, { physBits: 0 })).toEqual({ base: 32 * GiB, size: 32 * GiB });
    expect(ovmfMmio64(4 * GiB, { physBits: 0, mmio64Mb: 2048 })).toEqual({ base: 4 * GiB, size: 2 * GiB });
  });

  // (The BARs as a real boot of machines/q35-default.yaml placed them; the root IO request is rounded to 4 KiB.)
  it('q35 default: IO from 0x6000, MEM from 0xc0000000 with the shared option ROM range, equal alignments latest first', () => {
    expect(ovmfPlanLines(ovmfPlan(machine('chipset: q35\n')))).toEqual([
      'io 6000-6fff',
      'mem c0000000-c10fffff',
      'mem64 none',
      '00:1f.3 bar 4 io 6000-603f',
      '00:1f.2 bar 4 io 6040-605f',
      '00:01.0 bar 0 prefmem c0000000-c0ffffff',
      '00:1f.2 bar 5 mem c1010000-c1010fff',
      '00:01.0 bar 2 mem c1011000-c1011fff',
    ]);
  });

  it('an empty hot-plug root port gets padding: 4 KiB IO, 2 MiB MEM, 512 MiB 64-bit prefetchable', () => {
    const lines = ovmfPlanLines(ovmfPlan(machine('chipset: q35\ndevices:\n  - { id: rp0, model: pcie-root-port, chassis: 1 }\n')));
    expect(lines.filter((l) => l.startsWith('bus 01'))).toEqual([
      'bus 01 window io 6000-6fff (rp0)',
      'bus 01 window mem c1000000-c11fffff (rp0)',
      'bus 01 window prefmem64 e000000000-e01fffffff (rp0)',
    ]);
  });

  it('QEMU\'s resource reserve capability replaces the defaults (io-reserve 0: no IO window)', () => {
    const text = 'chipset: q35\ndevices:\n  - { id: rp0, model: pcie-root-port, chassis: 1, io-reserve: 0, mem-reserve: 8M, pref64-reserve: 64M }\n';
    expect(ovmfPlanLines(ovmfPlan(machine(text))).filter((l) => l.startsWith('bus 01'))).toEqual([
      'bus 01 window mem c1000000-c17fffff (rp0)',
      'bus 01 window prefmem64 e000000000-e003ffffff (rp0)',
    ]);
  });

  // (As a real boot of tests/fixtures/machines/cap-pxb-switch.yaml under OVMF placed them.)
  it('an expander bus is a root bridge of its own: its resources follow pcie.0\'s in the apertures they share', () => {
    const lines = ovmfPlanLines(ovmfPlan(compileMachine('tests/fixtures/machines/cap-pxb-switch.yaml').machine!));
    expect(lines.slice(0, 6)).toEqual([
      'io 6000-6fff',
      'mem c0000000-c12fffff',
      'mem64 000000e000000000-000000e01fffffff',
      'root 20 io 7000-9fff',
      'root 20 mem c1400000-c1afffff',
      'root 20 mem64 000000e020000000-000000e07fffffff',
    ]);
    expect(lines.filter((l) => /^bus (21|25) /.test(l) || l.startsWith('20:'))).toEqual([
      'bus 21 window io 8000-9fff (rp1)',
      'bus 21 window mem c1600000-c19fffff (rp1)',
      'bus 21 window prefmem64 e020000000-e05fffffff (rp1)',
      'bus 25 window io 7000-7fff (rp2)',
      'bus 25 window mem c1400000-c15fffff (rp2)',
      'bus 25 window prefmem64 e060000000-e07fffffff (rp2)',
      '20:01.0 bar 0 mem c1a40000-c1a40fff',
      '20:00.0 bar 0 mem c1a41000-c1a41fff',
    ]);
  });

  // (As a real boot of machines/virt-install-server.yaml under OVMF placed them: 14 hot-plug ports want 56 KiB of IO, OVMF has 40.)
  it('an aperture that runs out: OVMF drops the padding of its largest consumer, the last port first, until everything fits', () => {
    const plan = ovmfPlan(compileMachine('machines/virt-install-server.yaml').machine!);
    expect(plan.failure).toBeUndefined();
    const withIo = plan.windows.filter((w) => w.region === 'io').map((w) => w.key);
    expect(withIo.sort()).toEqual(['rp5', 'rp6', 'rp7', 'rp8', 'rp9', 'rp10', 'rp11', 'rp12', 'rp13', 'rp14'].sort());
    // All of a port's padding goes: rp4 (only a 64-bit prefetchable BAR below it) keeps no memory window either.
    expect(plan.windows.filter((w) => w.key === 'rp4').map((w) => `${w.region} ${w.size.toString(16)}`)).toEqual(['prefmem 100000']);
    expect(plan.windows.filter((w) => w.key === 'rp5').map((w) => `${w.region} ${w.size.toString(16)}`)).toEqual(['io 1000', 'mem 200000', 'prefmem 20000000']);
  });

  it('an OVMF build: each expander\'s _CRS holds what OVMF placed on its root bus', async () => {
    const path = 'tests/fixtures/machines/cap-pxb-switch.yaml';
    const b = await build(path, readFileSync(path, 'utf8'), undefined, 'ovmf');
    const dsl = Buffer.from(b.file_('acpi/DSDT.dsl')).toString('utf8');
    const pc20 = dsl.slice(dsl.indexOf('Device (PC20)'));
    const ranges = [...pc20.slice(0, pc20.indexOf('WordBusNumber')).matchAll(/(0x[0-9A-F]+), \/\/ Range Minimum\n\s*(0x[0-9A-F]+), \/\/ Range Maximum/g)].map((m) => `${m[1]}-${m[2]}`);
    expect(ranges).toEqual(['0x00007000-0x00009FFF', '0xC1400000-0xC19FFFFF', '0xC1A40000-0xC1A41FFF', '0x000000E020000000-0x000000E07FFFFFFF']);
  });

  it('machc show --firmware-plan --firmware ovmf prints the plan', async () => {
    const io = bufferIo();
    expect(await main(['show', '--firmware-plan', '--firmware', 'ovmf', 'machines/q35-default.yaml'], io)).toBe(0);
    expect(io.stdout).toBe(`${ovmfPlanLines(ovmfPlan(compileMachine('machines/q35-default.yaml').machine!)).join('\n')}\n`);
  });

  it('show --iomem and --ioports under OVMF: a usage error that says why, and nothing on standard output', async () => {
    for (const flag of ['--iomem', '--ioports']) {
      const io = bufferIo();
      expect(await main(['show', flag, '--firmware', 'ovmf', 'machines/q35-default.yaml'], io)).toBe(2);
      expect(io.stdout).toBe('');
      expect(io.stderr).toContain("the RAM lines are OVMF's UEFI memory map");
    }
  });

  // The runtime's boot sizes every BAR through config space and places them with the same planner: so machc lspci --firmware ovmf shows the plan.
  for (const file of ['machines/switch-mixed.yaml', 'machines/sriov-nvme.yaml', 'machines/nested-switch-pcipci.yaml', 'tests/fixtures/machines/cap-pxb-switch.yaml']) {
    it(`lspci --firmware ovmf programs ${file} as the plan says`, async () => {
      const m = compileMachine(file).machine!;
      const { firmware } = bootGuest(m, await loadGenerated(m), { firmware: 'ovmf' });
      const plan = ovmfPlan(m);
      const key = (b: { bdf: string; bar: number; address: number; size: number }) => `${b.bdf} ${b.bar} ${b.address.toString(16)} ${b.size.toString(16)}`;
      // (VF BARs are the guest's to place once it enables VFs: the runtime boot has none.)
      expect(firmware.placement.bars.map(key).sort()).toEqual(plan.bars.filter((b) => b.bar < 7).map(key).sort());
      const bdfOf = new Map(m.pci.functions.map((f) => [f.key, f.bdf]));
      const win = (w: { secondary: number; region: string; base: number; size: number }) => `${w.secondary} ${w.region} ${w.base.toString(16)} ${w.size.toString(16)}`;
      expect(firmware.placement.windows.map(win).sort()).toEqual(plan.windows.map(win).sort());
      expect(new Set(firmware.placement.windows.map((w) => w.key))).toEqual(new Set(plan.windows.map((w) => bdfOf.get(w.key))));
    });
  }

  it('lspci lists the functions of expander buses too (the guest finds their root buses through the DSDT), under either firmware', async () => {
    for (const firmware of ['seabios', 'ovmf']) {
      const io = bufferIo();
      expect(await main(['lspci', '-n', '--firmware', firmware, 'tests/fixtures/machines/cap-pxb-switch.yaml'], io)).toBe(0);
      const m = compileMachine('tests/fixtures/machines/cap-pxb-switch.yaml').machine!;
      expect(io.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(m.pci.functions.map((f) => f.bdf));
    }
  });
});

describe('machc build --firmware ovmf', () => {
  it('the DSDT\'s 64-bit window holds what OVMF places above 4 GiB; the launcher boots OVMF unless FIRMWARE says otherwise', async () => {
    const text = readFileSync('machines/switch-mixed.yaml', 'utf8');
    const seabios = await build('machines/switch-mixed.yaml', text);
    const ovmf = await build('machines/switch-mixed.yaml', text, undefined, 'ovmf');
    const window = (b: typeof seabios) => {
      const dsl = Buffer.from(b.file_('acpi/DSDT.dsl')).toString('utf8');
      const m = /QWordMemory \([^\n]*\n\s*0x[0-9A-F]+, \/\/ Granularity\n\s*(0x[0-9A-F]+), \/\/ Range Minimum\n\s*(0x[0-9A-F]+), \/\/ Range Maximum/.exec(dsl)!;
      return [Number(m[1]), Number(m[2])];
    };
    const [lo, hi] = window(ovmf);
    const plan = ovmfPlan(seabios.machine);
    for (const w of plan.windows.filter((x) => x.base >= 4 * GiB)) expect(w.base >= lo! && w.base + w.size - 1 <= hi!, w.key).toBe(true);
    expect(window(seabios)[1]).toBeLessThan(plan.mem64!.base);
    expect(Buffer.from(ovmf.file_('run-qemu.sh')).toString('utf8')).toContain('case ${FIRMWARE:-ovmf} in');
    expect(Buffer.from(seabios.file_('run-qemu.sh')).toString('utf8')).toContain('case ${FIRMWARE:-seabios} in');
  });
});
