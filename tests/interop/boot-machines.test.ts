/**
 * End to end: every example machine in machines/ is built by machc and booted
 * in real QEMU 7.2 + SeaBIOS 1.16.2 + Linux 6.1 (TCG) with QEMU's own ACPI
 * off (`-machine q35,acpi=off`) and machc's etc/table-loader, etc/acpi/tables
 * and etc/acpi/rsdp in their place, on machc's qemu.args. Then:
 *
 * - Linux boots and logs no ACPI error, ACPI warning or firmware bug;
 * - it enumerates exactly the PCI functions machc resolved (BDF, vendor,
 *   device, class), VFs included, after enabling the VFs the machine asks for;
 * - /sys/firmware/acpi/tables/* equal machc's tables relocated to where
 *   SeaBIOS put them (machc's loader script replayed at the guest's address);
 * - SeaBIOS's PCI placement equals `machc show --firmware-plan`, QEMU's
 *   etc/e820 equals machc's, QEMU's bootorder is machc's after -kernel's
 *   option ROM, and the guest read machc's fw_cfg files unchanged;
 * - the e820 map Linux got equals machc's e820.txt entry for entry.
 *
 * A machine the system QEMU is too old for (igb needs 8.0) boots on the
 * private QEMU 10 of tests/interop/qemu10.sh, as the machine type machc
 * models, pc-q35-7.2 (`-machine pc-q35-7.2,acpi=off`): the same checks
 * apply. Without a new enough QEMU the test says why in its name and is
 * skipped, except in CI, which must have the private QEMU (.ci/run makes it).
 * Test machines that only a newer QEMU runs (EXTRA) are listed here too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { buildMachine, tableFileNames, type BuildArtifacts } from '../../compiler/cli/commands/build.js';
import { machineAsl } from '../../compiler/cli/machine.js';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { walkAcpi } from '../../compiler/emit/firmware/acpi-walk.js';
import { encodeBootorder } from '../../compiler/emit/firmware/bootorder.js';
import { firmwarePlanLog, planLinesOfLog } from '../../compiler/emit/firmware/seabios-log.js';
import { runTableLoader } from '../../compiler/emit/firmware/seabios-loader.js';
import { parseQemuArgs, qemuCommand } from '../../compiler/emit/qemu/args.js';
import { formatVersion, type QemuVersion } from '../../compiler/emit/qemu/version.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { inCi, needTools } from '../support/tools.js';
import { bootLinux, Q35_MACHINE, QEMU, qemu10Prefix, qemuAvailable, qemuFor, type BootResult } from './qemu.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
/** Test machines booted like the examples: devices only a newer QEMU has. */
const EXTRA = ['tests/fixtures/machines/cap-virtio-net-sriov.yaml'];
/**
 * The capture machines of the device models beyond the examples' (ioh3420, the virtio console,
 * balloon, RNG and GPU, bochs-display, pvpanic-pci), booted the same way in the slower suite
 * (MACHC_BOOT_CAPTURES=1): CI boots the examples, whose virt-install-server.yaml covers the virtio ones.
 */
const CAPTURE_MACHINES =
  process.env['MACHC_BOOT_CAPTURES'] === '1'
    ? ['cap-ioh3420.yaml', 'cap-virtio-devices.yaml', 'cap-display-bochs.yaml', 'cap-pvpanic-bochs.yaml'].map((f) => `tests/fixtures/machines/${f}`)
    : [];

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

/** Kernel log lines that mean the tables or the firmware are wrong. */
export const ACPI_PROBLEM = /ACPI Error|ACPI BIOS Error|ACPI Warning|\[Firmware Bug\]|ACPI: .*failed/;

const canBoot = needTools('qemu-system-x86_64', 'qemu-img') && qemuAvailable().ok;

/** The QEMU to boot a machine needing `min` on, or why there is none (in CI: the suite fails). */
function qemuForMachine(min: QemuVersion): { path: string; version: string } | { skip: string } {
  const q = qemuFor(formatVersion(min));
  if ('skip' in q && inCi() && !existsSync(join(qemu10Prefix(), 'bin', 'qemu-system-x86_64'))) {
    throw new Error(`CI must boot every example machine, but ${q.skip}`);
  }
  return q;
}
const work = mkdtempSync(join(tmpdir(), 'machc-boot-machines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Built {
  readonly file: string;
  readonly machine: ResolvedMachine;
  readonly artifacts: BuildArtifacts;
  readonly file_: (path: string) => Uint8Array;
}

async function build(file: string, text: string): Promise<Built> {
  const r = compileMachine(file, { text });
  expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const machine = r.machine!;
  // The machine file's own ASL (device asl: blocks, ssdts), compiled as `machc build` does.
  const asl = await machineAsl(r, qemuCommand(machine).deviceOrder);
  expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const artifacts = await buildMachine(machine, { file: file.split('/').pop()!, bytes: new TextEncoder().encode(text) }, { ts: false, asl });
  const file_ = (path: string) => {
    const f = artifacts.files.find((x) => x.path === path);
    if (!f) throw new Error(`build has no ${path}`);
    return f.bytes;
  };
  return { file, machine, artifacts, file_ };
}

/**
 * qemu.args as argv for the boot: our ACPI instead of QEMU's, images in a
 * scratch folder, RAM not reserved. qemu.args names the machine type
 * (pc-q35-7.2), so every QEMU emulates the q35 machine machc models.
 */
function bootArgs(b: Built, dir: string): string[] {
  const argv = parseQemuArgs(Buffer.from(b.file_('qemu.args')).toString('utf8'));
  const out = argv.map((v, i) => {
    if (argv[i - 1] === '-machine') return v.replace(/^pc-q35-7\.2/, 'pc-q35-7.2,acpi=off');
    if (argv[i - 1] === '-drive') return v.replace(/(^|,)file=((?:[^,]|,,)+)/, (_, pre: string, p: string) => `${pre}file=${join(dir, p.replace(/,,/g, ','))}`);
    // RAM larger than this host's is fine for a guest that touches little of it: do not reserve it up front.
    if (argv[i - 1] === '-object' && v.startsWith('memory-backend-ram,')) return `${v},reserve=off`;
    return v;
  });
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1] !== '-drive') continue;
    const file = /(?:^|,)file=([^,]+)/.exec(out[i]!)![1]!;
    const format = /(?:^|,)format=(\w+)/.exec(out[i]!)![1]!;
    mkdirSync(dirname(file), { recursive: true });
    execFileSync('qemu-img', ['create', '-q', '-f', format, file, '64M']);
  }
  return out;
}

/** Our tables as the guest must see them: the loader replayed with etc/acpi/tables where SeaBIOS put it. */
function relocatedTables(b: Built, guest: BootResult): Map<string, Uint8Array> {
  const facp = guest.tables.get('FACP');
  if (!facp) throw new Error(`the guest has no FACP (tables: ${[...guest.tables.keys()].join(' ')})`);
  const dsdtAddress = facp.readUInt32LE(40) || Number(facp.readBigUInt64LE(140));
  const dsdtOffset = findTable(b.file_(`fw_cfg/${ACPI_TABLES_FILE}`), 'DSDT');
  const base = dsdtAddress - dsdtOffset;
  const files = new Map([[ACPI_TABLES_FILE, b.file_(`fw_cfg/${ACPI_TABLES_FILE}`)], [ACPI_RSDP_FILE, b.file_(`fw_cfg/${ACPI_RSDP_FILE}`)]]);
  const run = runTableLoader(b.file_(`fw_cfg/${TABLE_LOADER_FILE}`), files, (file) => (file === ACPI_TABLES_FILE ? base : 0xf_0000));
  expect(run.errors).toEqual([]);
  const walk = walkAcpi(run.files.values());
  expect(walk.errors).toEqual([]);
  const listed = walk.tables.filter((t) => t.signature !== 'RSDT' && t.signature !== 'XSDT');
  const names = tableFileNames(listed.map((t) => t.signature));
  return new Map(listed.map((t, i) => [names[i]!, t.bytes]));
}

function findTable(blob: Uint8Array, signature: string): number {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let at = 0; at + 8 <= blob.length; ) {
    const sig = Buffer.from(blob.subarray(at, at + 4)).toString('latin1');
    if (sig === signature) return at;
    const len = v.getUint32(at + 4, true);
    if (len === 0) break;
    at += len;
  }
  throw new Error(`no ${signature} in etc/acpi/tables`);
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/**
 * No more vCPUs than the host has cores: under TCG, more vCPU threads than
 * cores starve the guest's timers on a busy 2-core host (RCU stalls, a hung
 * boot), and many take minutes to bring up.
 */
const TCG_MAX_CPUS = 2;

/**
 * The machine as booted: unchanged, unless it has more vCPUs than
 * TCG_MAX_CPUS; then one vCPU per socket (or NUMA node), everything
 * else (PCI fabric, memory, NUMA memory ranges) as the file says.
 */
function tcgFriendly(text: string): { text: string; note: string } {
  const doc = parseYaml(text) as { cpus?: unknown; numa?: { cpus?: unknown }[] };
  const probe = compileMachine('probe.yaml', { text }).machine;
  if (!probe || probe.cpus.count <= TCG_MAX_CPUS) return { text, note: '' };
  const nodes = doc.numa?.length ?? 0;
  const sockets = Math.min(TCG_MAX_CPUS, Math.max(1, nodes || probe.cpus.sockets));
  doc.cpus = { sockets, cores: 1, threads: 1 };
  doc.numa?.forEach((n, i) => (n.cpus = i < sockets ? [i] : []));
  return { text: stringifyYaml(doc), note: ` (with ${sockets} vCPU${sockets === 1 ? '' : 's'} instead of ${probe.cpus.count}: TCG on this host's cores)` };
}

const files = [
  ...readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(MACHINES, f)),
  ...[...EXTRA, ...CAPTURE_MACHINES].map((f) => join(ROOT, f)),
];

describe.skipIf(!canBoot)('example machines boot in QEMU (7.2, or pc-q35-7.2 on a newer one) with machc\'s firmware files', () => {
  for (const path of files) {
    const name = relative(ROOT, path);
    const original = readFileSync(path, 'utf8');
    const { text, note } = tcgFriendly(original);
    const compiled = compileMachine(path, { text }).machine;
    const cmd = compiled ? qemuCommand(compiled) : undefined;
    const qemu = canBoot && cmd ? qemuForMachine(cmd.minVersion) : { path: QEMU, version: '' };
    const runnable = !('skip' in qemu);
    const on = runnable && qemu.path !== QEMU ? ` on QEMU ${qemu.version} (${Q35_MACHINE})` : '';
    const title = runnable
      ? `${name}${note}${on}: boots, enumerates the resolved functions, sees machc's ACPI tables with no ACPI errors`
      : `${name}: boot skipped, ${cmd!.versionReasons.join('; ')}; ${qemu.skip}`;
    // TCG on a shared 2-core machine: enabling many VFs can take minutes under load.
    it.skipIf(!runnable)(title, { timeout: 480_000 }, async () => {
      if ('skip' in qemu) return;
      const b = await build(path, text);
      const dir = join(work, basename(name).replace(/\.yaml$/, ''));
      mkdirSync(dir, { recursive: true });
      const fwCfgPaths: Record<string, string> = {};
      for (const f of [TABLE_LOADER_FILE, ACPI_TABLES_FILE, ACPI_RSDP_FILE]) {
        const target = join(dir, 'fw_cfg', f);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, b.file_(`fw_cfg/${f}`));
        fwCfgPaths[f] = target;
      }
      const enableVfs: Record<string, number> = {};
      for (const f of b.machine.pci.functions) if (f.sriov && f.sriov.numVfs > 0) enableVfs[`0000:${f.bdf}`] = f.sriov.numVfs;
      // A large kernel log buffer keeps the early lines (the e820 map) on machines with hundreds of functions.
      const boot = () => bootLinux({ qemu: qemu.path, args: bootArgs(b, dir), fwCfgFiles: fwCfgPaths, enableVfs, workDir: dir, append: 'log_buf_len=8M', timeoutMs: 420_000 });
      // QEMU 7.2's TCG has been seen to abort (SIGABRT) now and then while SeaBIOS sets up VGA on this
      // large machine; that is QEMU's crash, not a verdict on machc's files: boot once more.
      const guest = await boot().catch((e: unknown) => {
        if (e instanceof Error && /SIGABRT/.test(e.message)) return boot();
        throw e;
      });

      // Linux booted, with nothing to say about the tables or the firmware.
      expect(guest.dmesg).toMatch(/Linux version 6\.1/);
      expect(guest.dmesg.split('\n').filter((l) => ACPI_PROBLEM.test(l))).toEqual([]);
      expect(guest.dmesg).toMatch(/ACPI: Interpreter enabled/);
      expect(guest.initLog).not.toMatch(/failed|not present/);

      // Exactly the functions machc resolved, VFs included.
      const want = b.machine.pci.functions.map((f) => `0000:${f.bdf} ${hex4(f.vendorId)}:${hex4(f.deviceId)} ${f.classCode.toString(16).padStart(6, '0')}`);
      const got = guest.functions.map((f) => `${f.bdf} ${hex4(f.vendor)}:${hex4(f.device)} ${f.classCode.toString(16).padStart(6, '0')}`);
      expect(got).toEqual(want);
      for (const f of b.machine.pci.functions) {
        const g = guest.functions.find((x) => x.bdf === `0000:${f.bdf}`)!;
        if (f.sriov) expect({ total: g.sriovTotalVfs, enabled: g.sriovNumVfs }, f.key).toEqual({ total: f.sriov.totalVfs, enabled: f.sriov.numVfs });
        if (f.physfn) expect(g.physfn, f.key).toBe(`0000:${b.machine.pci.functions.find((p) => p.key === f.physfn)!.bdf}`);
      }

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
      expect(e820).toEqual(b.machine.memory.e820.map((e) => ({ base: e.base, end: e.base + e.size, type: kernelType[e.type] as string })));

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
