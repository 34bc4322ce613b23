/**
 * The monitor end to end with Linux on the runtime: Debian's 6.1 kernel
 * boots to a busybox shell on a machine with a root port below a pxb-pcie
 * expander (whose host bridge's _OSC grants the OS native PCIe hot-plug, so
 * Linux's pciehp owns that slot, as on QEMU) and one on pcie.0 (ACPI PCI
 * hot-plug, QEMU's default there). Through the monitor: query-status and
 * query-pci, stop, registers and a page-table walk of RIP through guest
 * memory, cont, device_add into the native slot (the resolver decides the
 * address), and the guest's pciehp enumerates the device, which appears in
 * /sys/bus/pci/devices; query-pci shows the BARs Linux gave it; device_add
 * without a bus into the free slot on pcie.0, which ACPI hot-plug serves
 * (acpiphp enumerates it); quit.
 *
 * A boot is minutes of CPU: this runs in `npm run test:linux`
 * (MACHC_LINUX_MACHINES=all), not in `npm test`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli } from '../support/cli.js';
import { flattenPci, type PciDev, QmpClient } from '../support/qmp.js';
import { BUSYBOX, SHELL_PROMPT, writeShellInitramfs } from '../support/shell-initramfs.js';
import { needTools } from '../support/tools.js';

const kernel = existsSync('/boot') ? readdirSync('/boot').filter((f) => /^vmlinuz-6\.1\./.test(f)).sort().at(-1) : undefined;
const slow = process.env['MACHC_LINUX_MACHINES'] === 'all';
const ready = slow && needTools('/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin', BUSYBOX, ...(kernel ? [] : ['/boot/vmlinuz-6.1 (linux-image-amd64)']));
/** Made when the Linux test runs (a skipped file leaves nothing behind). */
let tmp = '';

const MACHINE = `chipset: q35
memory: 512 MiB
devices:
  - { id: pxb0, model: pxb-pcie, bus-nr: 0x20 }
  - { id: hp0, model: pcie-root-port, bus: pxb0, chassis: 2, slot: 1 }
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
`;



/** Walks the 4-level page tables at `cr3` for `va` with pmem-read; the physical address. */
async function translate(qmp: QmpClient, cr3: bigint, va: bigint): Promise<bigint> {
  let table = cr3 & 0x000f_ffff_ffff_f000n;
  for (const [level, shift] of [[4, 39n], [3, 30n], [2, 21n], [1, 12n]] as const) {
    const index = (va >> shift) & 511n;
    const { data } = await qmp.ok<{ data: string }>('pmem-read', { address: `0x${(table + index * 8n).toString(16)}`, size: 8 });
    const entry = Buffer.from(data, 'hex').readBigUInt64LE();
    expect(entry & 1n, `level ${level} entry present`).toBe(1n);
    const frame = entry & 0x000f_ffff_ffff_f000n;
    // A large page (PS) at levels 3 and 2 ends the walk.
    if (level > 1 && level < 4 && entry & 0x80n) {
      const mask = (1n << shift) - 1n;
      return (frame & ~mask) | (va & mask);
    }
    if (level === 1) return frame | (va & 0xfffn);
    table = frame;
  }
  throw new Error('unreachable');
}

describe.runIf(ready)('the monitor with Linux 6.1 on the runtime', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'machc-linux-monitor-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it('queries, stops, reads registers and memory, continues, hot-plugs a device the guest enumerates through pciehp, and quits', { timeout: 2_400_000 }, async () => {
    requireBuiltCli();
    const file = join(tmp, 'hotplug.yaml');
    writeFileSync(file, MACHINE);
    const sock = join(tmp, 'qmp.sock');
    const args = [BIN, 'run', file, '-i', '--monitor', `unix:${sock}`, '--kernel', `/boot/${kernel}`, '--initrd', writeShellInitramfs(tmp), '--append', 'console=ttyS0 nokaslr', '--max-insns', '40000000000'];
    const p = spawn(process.execPath, args, { timeout: 2_300_000, killSignal: 'SIGKILL', stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    const exited = new Promise<number | null>((r) => p.on('close', r));
    const waitOut = async (text: string, from: number, ms: number): Promise<number> => {
      const end = Date.now() + ms;
      for (;;) {
        const at = out.indexOf(text, from);
        if (at >= 0) return at + text.length;
        if (Date.now() > end || p.exitCode !== null) throw new Error(`no ${JSON.stringify(text)} on the console\n${err}\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const qmp = await QmpClient.open(sock);
    try {
      await qmp.ok('qmp_capabilities');
      let at = await waitOut(SHELL_PROMPT, 0, 2_000_000);
      expect(out).toContain('acpi PNP0A08:01: _OSC: OS now controls [PCIeHotplug');
      expect(out).toMatch(/pcieport 0000:20:00\.0: pciehp: Slot #1 AttnBtn\+ PwrCtrl\+/);

      expect(await qmp.ok('query-status')).toEqual({ running: true, singlestep: false, status: 'running' });
      // query-pci: the ports as Linux left them; the expander's root bus is a root of its own.
      const before = await qmp.ok<{ bus: number; devices: PciDev[] }[]>('query-pci');
      expect(before.map((b) => b.bus)).toEqual([0, 0x20]);
      const hp0 = before[1]!.devices.find((d) => d.qdev_id === 'hp0')!;
      expect(hp0).toMatchObject({ bus: 0x20, slot: 0, function: 0, id: { vendor: 0x1b36, device: 0x000c } });
      expect(hp0.pci_bridge!.bus).toMatchObject({ secondary: 0x21, subordinate: 0x21 });
      expect(hp0.pci_bridge!.devices).toEqual([]);

      // Stopped: guest state holds still; RIP is kernel text, and walking the page tables from CR3 through
      // guest memory lands where the kernel is loaded (nokaslr: __START_KERNEL_map maps physical 0).
      await qmp.ok('stop');
      await qmp.event('STOP', 10_000);
      const regs = await qmp.ok<Record<string, string>>('query-registers');
      expect(regs['mode']).toBe('long');
      const rip = BigInt(regs['rip']!);
      expect(rip >> 31n).toBe(0x1_ffff_ffffn);
      expect(await qmp.ok('query-registers')).toEqual(regs);
      expect(await translate(qmp, BigInt(regs['cr3']!), rip)).toBe(rip - 0xffff_ffff_8000_0000n);
      await qmp.ok('cont');
      await qmp.event('RESUME', 10_000);

      // The native slot takes the device, at the address the resolver gives.
      expect((await qmp.execute('device_add', { driver: 'virtio-rng', id: 'hp0' })).error?.desc).toBe("Duplicate device ID 'hp0'");
      const events = qmp.events.length;
      await qmp.ok('device_add', { driver: 'virtio-rng', id: 'rng0', bus: 'hp0' });
      const added = await qmp.event('DEVICE_ADDED', 10_000, events);
      expect(added['data']).toEqual({ device: 'rng0', bus: 'hp0', bdf: '21:00.0' });

      // The guest's pciehp saw the slot events, powered the slot and enumerated the device.
      const sysfs = '/sys/bus/pci/devices/0000:21:00.0';
      p.stdin.write(`for i in 1 2 3 4 5 6 7 8 9 10; do [ -e ${sysfs} ] && break; sleep 1; done; echo "hot=$(cat ${sysfs}/vendor):$(cat ${sysfs}/device)"\n`);
      at = await waitOut('hot=0x1af4:0x1044', at, 300_000);
      expect(out).toMatch(/pcieport 0000:20:00\.0: pciehp: Slot\([\w-]+\): Attention button pressed/);
      expect(out).toMatch(/pcieport 0000:20:00\.0: pciehp: Slot\([\w-]+\): Card present/);
      expect(out).toMatch(/pci 0000:21:00\.0: \[1af4:1044\] type 00 class 0x00ff00/);

      // query-pci: the device behind hp0, its memory BAR where Linux put it, inside the port's windows.
      const after = flattenPci((await qmp.ok<{ bus: number; devices: PciDev[] }[]>('query-pci'))[1]!.devices);
      const port = after.find((d) => d.qdev_id === 'hp0')!;
      const rng = after.find((d) => d.qdev_id === 'rng0')!;
      expect(rng).toMatchObject({ bus: 0x21, slot: 0, function: 0, id: { vendor: 0x1af4, device: 0x1044 } });
      const windows = [port.pci_bridge!.bus.memory_range, port.pci_bridge!.bus.prefetchable_range];
      const mem = rng.regions.filter((r) => r.type === 'memory');
      expect(mem.length).toBeGreaterThan(0);
      for (const r of mem) expect(windows.some((w) => r.address >= w.base && r.address + r.size - 1 <= w.limit), `BAR ${r.bar} at 0x${r.address.toString(16)}`).toBe(true);

      // A port on pcie.0: ACPI PCI hot-plug, QEMU's default there (GPE, the DSDT's _E01 notifies the slot, acpiphp scans it).
      const before2 = qmp.events.length;
      await qmp.ok('device_add', { driver: 'virtio-rng', id: 'rng1' });
      expect((await qmp.event('DEVICE_ADDED', 10_000, before2))['data']).toEqual({ device: 'rng1', bus: 'rp1', bdf: '01:00.0' });
      const sysfs2 = '/sys/bus/pci/devices/0000:01:00.0';
      p.stdin.write(`for i in 1 2 3 4 5 6 7 8 9 10; do [ -e ${sysfs2} ] && break; sleep 1; done; echo "acpi=$(cat ${sysfs2}/vendor):$(cat ${sysfs2}/device)"\n`);
      at = await waitOut('acpi=0x1af4:0x1044', at, 300_000);

      await qmp.ok('quit');
      expect((await qmp.event('SHUTDOWN', 10_000))['data']).toMatchObject({ guest: false, reason: 'host-qmp-quit' });
      expect(await exited, err).toBe(0);
    } finally {
      qmp.close();
      p.kill('SIGKILL');
    }
  });
});
