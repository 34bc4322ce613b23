/**
 * End to end: every example machine in machines/ is built by machc and booted
 * in the QEMU it targets (7.2, or 10.0 / 11.1 from tests/interop/qemu10.sh)
 * + SeaBIOS 1.16.2 + Linux 6.1 (TCG) with QEMU's own ACPI off
 * (`-machine pc-q35-V,acpi=off`) and machc's etc/table-loader,
 * etc/acpi/tables and etc/acpi/rsdp in their place, on machc's qemu.args.
 * Then:
 *
 * - Linux boots and logs no ACPI error, ACPI warning or firmware bug;
 * - it enumerates exactly the PCI functions machc resolved (BDF, vendor,
 *   device, class), VFs included, after enabling the VFs the machine asks for;
 * - /sys/firmware/acpi/tables/* equal machc's tables relocated to where
 *   SeaBIOS put them (machc's loader script replayed at the guest's address);
 * - SeaBIOS's PCI placement equals `machc show --firmware-plan`, QEMU's
 *   etc/e820 equals machc's, QEMU's bootorder is machc's after -kernel's
 *   option ROM, and the guest read machc's fw_cfg files unchanged;
 * - the e820 map Linux got equals machc's e820.txt entry for entry;
 * - /proc/iomem and /proc/ioports equal `machc show --iomem/--ioports`
 *   outside the lines tests/support/proc-maps.ts leaves to the kernel.
 *
 * Without the target's QEMU the test says why in its name and is skipped,
 * except in CI, which must have them all (.ci/run unpacks 10.0 and 11.1).
 * Test machines that only a newer QEMU runs (EXTRA) are listed here too.
 * (tests/interop/targets.test.ts boots machines on QEMU's own tables and
 * compares those with machc's.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { needTools } from '../support/tools.js';
import { bootArgs, build, expectGuestSawMachine, qemuForMachine, tcgFriendly, vfRequests, writeFwCfgFiles } from './machine-boot.js';
import { BootError, bootLinux, QEMU, qemuAvailable } from './qemu.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
/** Test machines booted like the examples: devices only a newer QEMU has. */
const EXTRA = ['tests/fixtures/machines/cap-virtio-net-sriov.yaml'];
/**
 * The capture machines of the device models beyond the examples' (ioh3420, the virtio console,
 * balloon, RNG and GPU, bochs-display, pvpanic-pci, virtio-scsi, qemu-xhci, virtio-vga, ich9-intel-hda, pxb-pcie), booted the same way in the slower suite
 * (MACHC_BOOT_CAPTURES=1): CI boots the examples, whose virt-install-server.yaml covers the virtio ones.
 */
const CAPTURE_MACHINES =
  process.env['MACHC_BOOT_CAPTURES'] === '1'
    ? ['cap-ioh3420.yaml', 'cap-virtio-devices.yaml', 'cap-display-bochs.yaml', 'cap-pvpanic-bochs.yaml', 'cap-virtio-scsi.yaml', 'cap-usb-xhci.yaml', 'cap-display-virtio-vga.yaml', 'cap-pxb-numa2.yaml', 'cap-pxb-switch.yaml'].map((f) => `tests/fixtures/machines/${f}`)
    : [];

const canBoot = needTools('qemu-system-x86_64', 'qemu-img') && qemuAvailable().ok;

const work = mkdtempSync(join(tmpdir(), 'machc-boot-machines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files = [
  ...readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(MACHINES, f)),
  ...[...EXTRA, ...CAPTURE_MACHINES].map((f) => join(ROOT, f)),
];

describe.skipIf(!canBoot)('example machines boot in the QEMU they target with machc\'s firmware files', () => {
  for (const path of files) {
    const name = relative(ROOT, path);
    const original = readFileSync(path, 'utf8');
    const { text, note } = tcgFriendly(original);
    const compiled = compileMachine(path, { text }).machine;
    const qemu = canBoot && compiled ? qemuForMachine(compiled.qemu) : { path: QEMU, version: '' };
    const runnable = !('skip' in qemu);
    const on = compiled ? ` on QEMU ${compiled.qemu.version} (${compiled.qemu.machineType})` : '';
    const title = runnable
      ? `${name}${note}${on}: boots, enumerates the resolved functions, sees machc's ACPI tables with no ACPI errors`
      : `${name}: boot skipped: ${qemu.skip}`;
    // TCG on a shared 2-core machine: enabling many VFs can take minutes under load.
    it.skipIf(!runnable)(title, { timeout: 480_000 }, async () => {
      if ('skip' in qemu) return;
      const b = await build(path, text);
      const dir = join(work, basename(name).replace(/\.yaml$/, ''));
      mkdirSync(dir, { recursive: true });
      const fwCfgPaths = writeFwCfgFiles(b, dir);
      const enableVfs = vfRequests(b);
      // A large kernel log buffer keeps the early lines (the e820 map) on machines with hundreds of functions.
      const boot = () => bootLinux({ qemu: qemu.path, args: bootArgs(b, dir), fwCfgFiles: fwCfgPaths, enableVfs, workDir: dir, append: 'log_buf_len=8M', timeoutMs: 420_000 });
      // QEMU 7.2's TCG has been seen to abort (SIGABRT), crash (SIGSEGV) or hang now and then while
      // SeaBIOS sets up VGA ("set VGA mode 3"); that is QEMU failing, not a verdict on machc's
      // files: boot once more.
      const guest = await boot().catch((e: unknown) => {
        if (e instanceof BootError && (e.kind === 'stall' || (e.kind === 'qemu' && /QEMU exited with SIG(ABRT|SEGV)/.test(e.message)))) return boot();
        throw e;
      });

      expectGuestSawMachine(b, guest, basename(path));
    });
  }
});
