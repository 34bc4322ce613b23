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
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { encodeBootorder } from '../../compiler/emit/firmware/bootorder.js';
import { firmwarePlanLog, planLinesOfLog } from '../../compiler/emit/firmware/seabios-log.js';
import { renderProcMap } from '../../compiler/query/address-map.js';
import { kept } from '../support/proc-maps.js';
import { needTools } from '../support/tools.js';
import { bootArgs, build, expectCleanBoot, expectResolvedFunctions, qemuForMachine, relocatedTables, tcgFriendly, vfRequests, writeFwCfgFiles } from './machine-boot.js';
import { bootLinux, QEMU, qemuAvailable } from './qemu.js';

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

/**
 * Machines whose top of low RAM varies with the host's timing by up to this many pages: SeaBIOS
 * sets up xHCI controllers in threads that wait on the host's clock under TCG, and where an empty
 * controller's freed rings fall among the others' allocations decides whether one more page stays
 * reserved (usb-xhci: 2 pages in the capture and alone on an idle host, 1 on a loaded one).
 * Everything else in the map must still be exact.
 */
const E820_THREAD_SLACK: Record<string, number> = { 'cap-usb-xhci.yaml': 1 };

/**
 * What Linux shows of a machine's own ASL (machines/asl-methods.yaml): the
 * NIC's _SUN as slot 7, its _DSM label, and of the SSDT's two devices only
 * the one whose _STA says present (status 15) becomes a device (a physical
 * node); the other, _STA 0, stays hidden. Nothing for other machines.
 */
const AFTER_BOOT: Record<string, readonly string[]> = {
  'asl-methods.yaml': [
    'acpi-slot: 7 0000:00:05',
    'acpi-label: 0000:00:05.0 machc onboard LAN',
    'acpi-device: MCHC0001:00 status=0 physical=no',
    'acpi-device: MCHC0002:00 status=15 physical=yes',
  ],
};

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
      // QEMU 7.2's TCG has been seen to abort (SIGABRT) now and then while SeaBIOS sets up VGA on this
      // large machine; that is QEMU's crash, not a verdict on machc's files: boot once more.
      const guest = await boot().catch((e: unknown) => {
        if (e instanceof Error && /SIGABRT/.test(e.message)) return boot();
        throw e;
      });

      expectCleanBoot(guest);
      expectResolvedFunctions(b, guest);

      // The guest's ACPI tables are ours, byte for byte, at the addresses SeaBIOS chose.
      const ours = relocatedTables(b, guest);
      const theirs = new Map([...guest.tables].filter(([k]) => !k.startsWith('dynamic/') && !k.startsWith('data/')));
      expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
      for (const [sig, bytes] of ours) expect(Buffer.from(theirs.get(sig)!).equals(Buffer.from(bytes)), `${sig} differs`).toBe(true);

      // SeaBIOS placed every BAR where machc's plan says.
      expect(planLinesOfLog(guest.seabiosLog)).toEqual(firmwarePlanLog(b.machine));

      // The memory map the OS got is e820.txt, entry for entry, including the pages at the top of
      // low RAM that SeaBIOS keeps for the ACPI tables and its disk drivers.
      const e820 = guest.dmesg.split('\n').map((l) => /BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\S+(?: data| NVS)?)/.exec(l)).filter((m) => m !== null)
        .map((m) => ({ base: Number(m[1]), end: Number(m[2]) + 1, type: m[3]! }));
      const kernelType = { ram: 'usable', reserved: 'reserved', acpi: 'ACPI data', nvs: 'ACPI NVS', unusable: 'unusable' } as const;
      const planned = b.machine.memory.e820.map((e) => ({ base: e.base, end: e.base + e.size, type: kernelType[e.type] as string }));
      const slack = (E820_THREAD_SLACK[basename(path)] ?? 0) * 4096;
      // The usable RAM below the ACPI tables and the reserved block above it share one boundary; only it may move.
      const boundary = planned.findIndex((e, i) => e.type === 'usable' && planned[i + 1]?.type === 'reserved' && planned[i + 1]!.base === e.end && e.end < 2 ** 32 && e.base >= 0x10_0000);
      const moved = boundary >= 0 && e820.length === planned.length ? e820[boundary]!.end - planned[boundary]!.end : 0;
      if (slack > 0 && Math.abs(moved) <= slack && e820[boundary]!.end === e820[boundary + 1]!.base) {
        planned[boundary] = { ...planned[boundary]!, end: planned[boundary]!.end + moved };
        planned[boundary + 1] = { ...planned[boundary + 1]!, base: planned[boundary + 1]!.base + moved };
      }
      expect(e820).toEqual(planned);

      // The address map Linux built is the one machc prints.
      expect(kept(guest.iomem ?? ''), 'iomem').toEqual(kept(renderProcMap(b.machine, 'mem')));
      expect(kept(guest.ioports ?? ''), 'ioports').toEqual(kept(renderProcMap(b.machine, 'io')));

      // fw_cfg: QEMU served our files unchanged; its e820 and bootorder are ours.
      for (const f of [TABLE_LOADER_FILE, ACPI_TABLES_FILE, ACPI_RSDP_FILE, 'etc/e820']) {
        expect(Buffer.from(guest.fwCfg.get(f) ?? []).equals(Buffer.from(b.file_(`fw_cfg/${f}`))), f).toBe(true);
      }
      const bootorder = encodeBootorder(['/rom@genroms/linuxboot_dma.bin', ...b.machine.boot.map((e) => e.path)]);
      expect(Buffer.from(guest.fwCfg.get('bootorder') ?? []).toString('latin1')).toBe(Buffer.from(bootorder).toString('latin1'));

      // Machines with their own ASL: Linux evaluated the methods (guest-init.sh logs what it made of them).
      const seen = guest.initLog.split('\n').filter((l) => /acpi-(slot|label|device):/.test(l)).map((l) => l.replace(/^machc: /, ''));
      expect(seen).toEqual(AFTER_BOOT[basename(path)] ?? []);
    });
  }
});
