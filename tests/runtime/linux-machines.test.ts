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
 * (`npm run test:linux`) boots every example machine and the test fixture
 * machines of FIXTURES.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootArgs, build, type Built, expectGuestSawMachine, qemuForMachine, tcgFriendly, vfRequests, writeFwCfgFiles } from '../interop/machine-boot.js';
import { type BootResult, bootLinux, qemuAvailable } from '../interop/qemu.js';
import { bootLinuxOnRuntime } from '../interop/runtime-boot.js';
import { requireBuiltCli } from '../support/cli.js';
import { compareKernelLogs } from '../support/kernel-log.js';
import { needTools } from '../support/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
/**
 * Test fixture machines booted with the example machines (`npm run test:linux`) for what no
 * example machine has: cap-virtio-net-sriov, a virtio-net PF with user-created VFs (QEMU 11.1).
 */
const FIXTURES_DIR = join(ROOT, 'tests', 'fixtures', 'machines');
const FIXTURES = ['cap-virtio-net-sriov.yaml'];
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
interface GuestDrivers {
  readonly loadModules: string[];
  /** PFs (device ids) given to pci-pf-stub before the modules load. */
  readonly stub: string[];
  /** The functions (device ids) whose interfaces ping each other: a PF and one of its VFs. */
  readonly ping?: readonly [string, string];
  /** An nvme PF and one of its VFs (device ids): the VF brought online, bound to nvme, blocks moved both ways. */
  readonly nvmeVf?: readonly [string, string];
  /** The PCI drivers expected on the PF and on the VF of the ping or nvmeVf. */
  readonly drivers: { readonly pf: string; readonly vf: string };
  /**
   * The QEMU boot joins the machine's netdevs in one hub (QEMU gives each NIC a user-mode
   * network of its own, where machc's runtime puts every NIC of the machine on one in-process
   * switch): for functions whose frames only meet outside the device.
   */
  readonly qemuHub?: boolean;
  /**
   * The VF's MAC is the machine's (virtio-net's VFs: QEMU's defaults), so both boots print the same
   * ping line; igbvf makes one up.
   */
  readonly vfMacFromMachine?: boolean;
}
/**
 * What a machine's guest does beyond the harness's default (pci-pf-stub takes every PF that asks
 * for VFs; no other driver binds), by device id. sriov-igb: Linux's igb driver takes uplink0 and
 * enables its 4 VFs through its own sriov_configure; igbvf binds to VF 0 once the PF's interface is
 * up, and the two ping each other through the 82576's switch. uplink1 keeps pci-pf-stub: the igb
 * driver offers 7 VFs (the eighth pool is the PF's) and the machine enables all 8 there.
 * cap-virtio-net-sriov: virtio_pci and virtio_net take the PF, which offers VIRTIO_F_SR_IOV, so
 * virtio_pci's sriov_configure enables the 4 VFs; VF 0, a virtio-net of its own, binds to virtio_pci
 * too and pings the PF, the frames going out of one function and into the other through the network
 * both are attached to (no switch in the device, as in QEMU).
 * sriov-nvme: nvme takes the PF and enables its 8 VFs through its sriov_configure; the guest gives
 * secondary controller 1 (VF 0's) 2 queues and 1 vector and brings it online with Virtualization
 * Management (tests/interop/nvme-virt.c), binds VF 0 to nvme, writes a block through the VF's disk
 * and reads it through the PF's, then the reverse (nvme_core.multipath=N: one disk per controller).
 */
const GUEST_DRIVERS: Readonly<Record<string, GuestDrivers>> = {
  'sriov-igb.yaml': { loadModules: ['igb', 'igbvf'], stub: ['uplink1'], ping: ['uplink0', 'uplink0/vf0'], drivers: { pf: 'igb', vf: 'igbvf' } },
  'cap-virtio-net-sriov.yaml': { loadModules: ['virtio_pci', 'virtio_net'], stub: [], ping: ['vnet0', 'vnet0/vf0'], drivers: { pf: 'virtio-pci', vf: 'virtio-pci' }, qemuHub: true, vfMacFromMachine: true },
  'sriov-nvme.yaml': { loadModules: ['nvme'], stub: [], nvmeVf: ['nvme0', 'nvme0/vf0'], drivers: { pf: 'nvme', vf: 'nvme' } },
};
/** MACHC_LINUX_MACHINES: `all`, or a comma-separated list of machine names (`sriov-igb,switch-mixed`). */
const chosen = process.env['MACHC_LINUX_MACHINES'];
const wanted = (f: string): boolean => (chosen === 'all' ? true : chosen ? chosen.split(',').some((n) => `${n.trim().replace(/\.yaml$/, '')}.yaml` === f) : REPRESENTATIVE.includes(f));
const machineFiles = [
  ...readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: f, path: join(MACHINES, f) })),
  ...FIXTURES.map((f) => ({ file: f, path: join(FIXTURES_DIR, f) })),
];
const files = machineFiles.filter((m) => wanted(m.file));
if (chosen && chosen !== 'all') {
  const known = machineFiles.map((m) => m.file.replace(/\.yaml$/, ''));
  const unknown = chosen.split(',').map((n) => n.trim().replace(/\.yaml$/, '')).filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`MACHC_LINUX_MACHINES names no example or fixture machine: ${unknown.join(', ')} (machines/ and the fixtures have ${known.join(', ')})`);
}

const ready = needTools('qemu-img', '/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin') && qemuAvailable().ok;
const work = mkdtempSync(join(tmpdir(), 'machc-linux-machines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(ready)('example machines boot Linux 6.1 on machc\'s runtime', () => {
  for (const { file, path } of files) {
    const { text, note } = tcgFriendly(readFileSync(path, 'utf8'));
    const limit = RUNTIME_LIMIT_MS[file] ?? 1_700_000;
    it(`${file}${note}: boots, enables its VFs, enumerates the resolved functions, sees machc's tables, placement and maps, and logs what Linux logs on QEMU`, { timeout: limit + 700_000 }, async () => {
      requireBuiltCli();
      const b = await build(path, text);
      const dir = join(work, basename(file, '.yaml'));
      // bootArgs makes the machine's images (empty, 64 MiB) under dir, where its file names them.
      bootArgs(b, dir);
      const drivers = GUEST_DRIVERS[file];
      const bdfOf = (key: string): string => `0000:${b.machine.pci.functions.find((f) => f.key === key)!.bdf}`;
      const guestOpts = {
        enableVfs: vfRequests(b),
        append: 'log_buf_len=8M',
        ...(drivers ? { loadModules: drivers.loadModules, stubPfs: drivers.stub.map(bdfOf) } : {}),
        ...(drivers?.ping ? { ping: [bdfOf(drivers.ping[0]), bdfOf(drivers.ping[1])] as const } : {}),
        ...(drivers?.nvmeVf ? { nvmeVf: [bdfOf(drivers.nvmeVf[0]), bdfOf(drivers.nvmeVf[1])] as const } : {}),
      };
      const guest = await bootLinuxOnRuntime({ text, workDir: dir, ...guestOpts, timeoutMs: limit });
      expect(guest.summary).toMatch(/the guest powered off/);
      expectGuestSawMachine(b, guest, file);
      if (drivers) expectDriversAndPing(b, guest, drivers, bdfOf);
      if (drivers?.nvmeVf) expectNvmeVfIo(guest, drivers.nvmeVf.map(bdfOf) as [string, string]);

      // The same boot on QEMU: the kernel logs agree outside the legitimate differences.
      const qemu = qemuForMachine(b.machine.qemu);
      if ('skip' in qemu) {
        // (CI fails here instead: qemuForMachine throws.)
        console.warn(`${file}: the runtime's boot passed; the comparison with QEMU is skipped: ${qemu.skip}`);
        return;
      }
      const qdir = join(dir, 'qemu');
      const qargs = drivers?.qemuHub ? oneHub(bootArgs(b, qdir)) : bootArgs(b, qdir);
      const reference = await bootLinux({ qemu: qemu.path, args: qargs, fwCfgFiles: writeFwCfgFiles(b, qdir), ...guestOpts, workDir: qdir, timeoutMs: 420_000 });
      if (drivers) expectDriversAndPing(b, reference, drivers, bdfOf);
      if (drivers?.nvmeVf) expectNvmeVfIo(reference, drivers.nvmeVf.map(bdfOf) as [string, string]);
      // Both guests saw the same secondary controller and disks.
      if (drivers?.nvmeVf) expect(nvmeVfLines(guest)).toEqual(nvmeVfLines(reference));
      // Both guests saw the same interfaces with the same MACs.
      if (drivers?.vfMacFromMachine) expect(pingLine(guest)).toBe(pingLine(reference));
      // The wall time of each boot, for the README's figures (npm run test:linux prints it).
      console.log(`${file}: runtime boot ${(guest.bootMs / 1000).toFixed(0)} s, QEMU ${qemu.version} boot ${(reference.bootMs / 1000).toFixed(0)} s`);
      const logs = compareKernelLogs(reference.dmesg, guest.dmesg);
      expect({ onlyOnQemu: logs.onlyReference, onlyOnMachc: logs.onlyMachc }).toEqual({ onlyOnQemu: [], onlyOnMachc: [] });
    });
  }
});

/**
 * The drivers of GUEST_DRIVERS bound where they were meant to (the ping's or nvmeVf's functions to
 * theirs, the stubbed PFs to pci-pf-stub) and the ping got every reply: the VF's interface (in a
 * network namespace of its own) received and sent them.
 */
function expectDriversAndPing(b: Built, guest: BootResult, drivers: GuestDrivers, bdfOf: (key: string) => string): void {
  const driverOf = (key: string) => guest.functions.find((f) => f.bdf === bdfOf(key))?.driver;
  const modelDriver = (key: string) => (b.machine.pci.functions.find((f) => f.key === key)!.role === 'vf' ? drivers.drivers.vf : drivers.drivers.pf);
  const pair = drivers.ping ?? drivers.nvmeVf!;
  expect(pair.map(driverOf), guest.initLog).toEqual(pair.map(modelDriver));
  expect(drivers.stub.map(driverOf)).toEqual(drivers.stub.map(() => 'pci-pf-stub'));
  if (!drivers.ping) return;
  const [a, v] = drivers.ping.map(bdfOf);
  // The whole init log is what a failure shows: the ping's line, or what the ping said went wrong.
  expect(guest.initLog).toMatch(new RegExp(`^machc: ping: ${a} \\(eth\\d+, [0-9a-f:]{17}\\) -> ${v} \\(eth\\d+, [0-9a-f:]{17}\\): 3 packets transmitted, 3 packets received, 0% packet loss$`, 'm'));
  const counters = /^machc: ping: eth\d+ rx=(\d+) tx=(\d+)$/m.exec(guest.initLog);
  expect(counters, guest.initLog).not.toBeNull();
  expect(Number(counters![1])).toBeGreaterThanOrEqual(3);
  expect(Number(counters![2])).toBeGreaterThanOrEqual(3);
}

/**
 * The guest found VF 0's secondary controller offline with no resources, had it online with the 2
 * queues and 1 vector it assigned, and a block written through either controller's disk read back
 * the same through the other's.
 */
function expectNvmeVfIo(guest: BootResult, [pf, vf]: [string, string]): void {
  const lines = nvmeVfLines(guest);
  expect(lines, guest.initLog).toEqual([
    expect.stringMatching(new RegExp(`^machc: nvmevf: ${pf} \\(nvme\\d+\\) VF ${vf}: scid=1 pcid=0 scs=0 vfn=1 nvq=0 nvi=0$`)),
    'machc: nvmevf: after online: scid=1 pcid=0 scs=1 vfn=1 nvq=2 nvi=1',
    expect.stringMatching(new RegExp(`^machc: nvmevf: ${vf} driver=nvme disk=nvme\\d+n1; ${pf} disk=nvme\\d+n1$`)),
    expect.stringMatching(/^machc: nvmevf: (nvme\d+n1) -> (?!\1)nvme\d+n1 sector 4096: same$/),
    expect.stringMatching(/^machc: nvmevf: (nvme\d+n1) -> (?!\1)nvme\d+n1 sector 4097: same$/),
  ]);
  // The first block went from the VF's disk to the PF's, the second back.
  const [vdisk, pdisk] = /driver=nvme disk=(nvme\d+n1); \S+ disk=(nvme\d+n1)$/.exec(lines[2] ?? '')!.slice(1);
  expect(lines.slice(3).map((l) => /: (\S+) -> (\S+) /.exec(l)!.slice(1, 3))).toEqual([[vdisk, pdisk], [pdisk, vdisk]]);
}

/** The init log's lines of machc.nvmevf. */
function nvmeVfLines(guest: BootResult): string[] {
  return guest.initLog.split('\n').filter((l) => l.startsWith('machc: nvmevf: '));
}

/** QEMU arguments with every user-mode netdev made a port of hub 0 (ids kept, so the NICs still name them). */
function oneHub(args: string[]): string[] {
  const joined = args.map((a, i) => (args[i - 1] === '-netdev' ? a.replace(/^user,id=([^,]+)$/, 'hubport,id=$1,hubid=0') : a));
  expect(joined.filter((a, i) => args[i - 1] === '-netdev' && !a.startsWith('hubport,')), 'netdevs left out of the hub').toEqual([]);
  return joined;
}

/** The init log's line with the ping's result. */
function pingLine(guest: BootResult): string | undefined {
  return guest.initLog.split('\n').find((l) => /^machc: ping: \S+ \(/.test(l));
}
