/**
 * Example machines booting Linux on machc's runtime, held to the checks the
 * QEMU boots of tests/interop/boot-machines.test.ts pass: the same kernel,
 * initramfs and command line (tests/interop/guest-init.sh loads no drivers
 * unless asked, enables the VFs the machine asks for through sysfs, dumps
 * what the guest saw and powers off), booted by `machc run --kernel`. The
 * guest must see exactly the functions machc resolved, machc's tables byte
 * for byte, SeaBIOS's placement, the e820 map, /proc/iomem and /proc/ioports.
 *
 * The same machine then boots on QEMU 7.2 with the same files, and the two
 * kernel logs must agree outside the written list of lines that legitimately
 * differ (tests/support/kernel-log.ts, each with its reason).
 *
 * CI boots REPRESENTATIVE (a few minutes each); MACHC_LINUX_MACHINES=all
 * (`npm run test:linux`) boots every example machine.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootArgs, build, expectGuestSawMachine, qemuForMachine, tcgFriendly, vfRequests, writeFwCfgFiles } from '../interop/machine-boot.js';
import { bootLinux, qemuAvailable } from '../interop/qemu.js';
import { bootLinuxOnRuntime } from '../interop/runtime-boot.js';
import { requireBuiltCli } from '../support/cli.js';
import { compareKernelLogs } from '../support/kernel-log.js';
import { needTools } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
/**
 * Booted in CI: two cores in one socket, four root ports in one multifunction slot, e1000e,
 * virtio-net, virtio-blk and NVMe (sriov-nvme.yaml, two sockets and NVMe VFs, in `npm run test:linux`).
 */
const REPRESENTATIVE = ['multifunction-rootports.yaml'];
/**
 * Wall-clock limits of the runtime's boot, by machine (28 minutes otherwise): large-fabric's
 * 64 GiB, 64 VFs and the init's walk over its 360 functions take about 38 minutes on a loaded
 * 2-core host.
 */
const RUNTIME_LIMIT_MS: Readonly<Record<string, number>> = { 'large-fabric.yaml': 3_300_000 };
/** MACHC_LINUX_MACHINES: `all`, or a comma-separated list of machine names (`sriov-igb,switch-mixed`). */
const chosen = process.env['MACHC_LINUX_MACHINES'];
const wanted = (f: string): boolean => (chosen === 'all' ? true : chosen ? chosen.split(',').some((n) => `${n.trim().replace(/\.yaml$/, '')}.yaml` === f) : REPRESENTATIVE.includes(f));
const files = readdirSync(MACHINES).filter((f) => f.endsWith('.yaml') && wanted(f)).sort();
if (chosen && chosen !== 'all') {
  const known = readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
  const unknown = chosen.split(',').map((n) => n.trim().replace(/\.yaml$/, '')).filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`MACHC_LINUX_MACHINES names no example machine: ${unknown.join(', ')} (machines/ has ${known.join(', ')})`);
}

const ready = needTools('qemu-img', '/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin') && qemuAvailable().ok;
const work = mkdtempSync(join(tmpdir(), 'machc-linux-machines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(ready)('example machines boot Linux 6.1 on machc\'s runtime', () => {
  for (const file of files) {
    const path = join(MACHINES, file);
    const { text, note } = tcgFriendly(readFileSync(path, 'utf8'));
    const limit = RUNTIME_LIMIT_MS[file] ?? 1_700_000;
    it(`${file}${note}: boots, enables its VFs, enumerates the resolved functions, sees machc's tables, placement and maps, and logs what Linux logs on QEMU`, { timeout: limit + 700_000 }, async () => {
      requireBuiltCli();
      const b = await build(path, text);
      const dir = join(work, basename(file, '.yaml'));
      // bootArgs makes the machine's images (empty, 64 MiB) under dir, where its file names them.
      bootArgs(b, dir);
      const guest = await bootLinuxOnRuntime({ text, workDir: dir, enableVfs: vfRequests(b), append: 'log_buf_len=8M', timeoutMs: limit });
      expect(guest.summary).toMatch(/the guest powered off/);
      expectGuestSawMachine(b, guest, file);

      // The same boot on QEMU: the kernel logs agree outside the legitimate differences.
      const qemu = qemuForMachine(b.machine.qemu);
      if ('skip' in qemu) return;
      const qdir = join(dir, 'qemu');
      const reference = await bootLinux({ qemu: qemu.path, args: bootArgs(b, qdir), fwCfgFiles: writeFwCfgFiles(b, qdir), enableVfs: vfRequests(b), workDir: qdir, append: 'log_buf_len=8M', timeoutMs: 420_000 });
      const logs = compareKernelLogs(reference.dmesg, guest.dmesg);
      expect({ onlyOnQemu: logs.onlyReference, onlyOnMachc: logs.onlyMachc }).toEqual({ onlyOnQemu: [], onlyOnMachc: [] });
    });
  }
});
