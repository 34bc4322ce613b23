/**
 * Building an example machine with machc and booting it in its target QEMU:
 * helpers shared by tests/interop/boot-machines.test.ts (machc's tables fed
 * to QEMU) and tests/interop/targets.test.ts (QEMU's own tables compared
 * with machc's).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { buildMachine, tableFileNames, type BuildArtifacts } from '../../compiler/cli/commands/build.js';
import { machineAsl } from '../../compiler/cli/machine.js';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { encodeBootorder } from '../../compiler/emit/firmware/bootorder.js';
import { firmwarePlanLog, planLinesOfLog } from '../../compiler/emit/firmware/seabios-log.js';
import { renderProcMap } from '../../compiler/query/address-map.js';
import { kept } from '../support/proc-maps.js';
import { walkAcpi } from '../../compiler/emit/firmware/acpi-walk.js';
import { runOvmfLoader } from '../../compiler/emit/firmware/ovmf-loader.js';
import { runTableLoader } from '../../compiler/emit/firmware/seabios-loader.js';
import { parseQemuArgs, qemuCommand } from '../../compiler/emit/qemu/args.js';
import type { QemuTarget, TargetVersion } from '../../compiler/model/target.js';
import type { FirmwarePlan, ResolvedMachine } from '../../compiler/model/topology.js';
import { inCi } from '../support/tools.js';
import { qemuForTarget, type BootResult } from './qemu.js';

/** Kernel log lines that mean the tables or the firmware are wrong. */
export const ACPI_PROBLEM = /ACPI Error|ACPI BIOS Error|ACPI Warning|\[Firmware Bug\]|ACPI: .*failed/;


/** The QEMU of a machine's target, or why there is none (in CI: the suite fails). */
export function qemuForMachine(target: QemuTarget): { path: string; version: string } | { skip: string } {
  const q = qemuForTarget(target);
  if ('skip' in q && inCi()) throw new Error(`CI must boot every example machine, but ${q.skip}`);
  return q;
}

export interface Built {
  readonly file: string;
  readonly machine: ResolvedMachine;
  readonly artifacts: BuildArtifacts;
  readonly file_: (path: string) => Uint8Array;
}

export async function build(file: string, text: string, qemu?: TargetVersion, firmware: 'seabios' | 'ovmf' = 'seabios'): Promise<Built> {
  const r = compileMachine(file, { text, qemu });
  expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const machine = r.machine!;
  // The machine file's own ASL (device asl: blocks, ssdts), compiled as `machc build` does.
  const asl = await machineAsl(r, qemuCommand(machine).deviceOrder);
  expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const artifacts = await buildMachine(machine, { file: file.split('/').pop()!, bytes: new TextEncoder().encode(text) }, { ts: false, asl, firmware });
  const file_ = (path: string) => {
    const f = artifacts.files.find((x) => x.path === path);
    if (!f) throw new Error(`build has no ${path}`);
    return f.bytes;
  };
  return { file, machine, artifacts, file_ };
}

/**
 * qemu.args as argv for the boot: our ACPI instead of QEMU's (unless
 * `ownAcpi`), images in a scratch folder, RAM not reserved.
 */
export function bootArgs(b: Built, dir: string, ownAcpi = false): string[] {
  const argv = parseQemuArgs(Buffer.from(b.file_('qemu.args')).toString('utf8'));
  const out = argv.map((v, i) => {
    if (argv[i - 1] === '-machine' && !ownAcpi) return v.replace(/^(pc-q35-[\d.]+)/, '$1,acpi=off');
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

/** machc's etc/table-loader, etc/acpi/tables and etc/acpi/rsdp written under `dir`, as -fw_cfg name=path pairs. */
export function writeFwCfgFiles(b: Built, dir: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const f of [TABLE_LOADER_FILE, ACPI_TABLES_FILE, ACPI_RSDP_FILE]) {
    const target = join(dir, 'fw_cfg', f);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, b.file_(`fw_cfg/${f}`));
    paths[f] = target;
  }
  return paths;
}

/** The VFs the machine enables, per PF ('0000:01:00.0' -> count). */
export function vfRequests(b: Built): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of b.machine.pci.functions) if (f.sriov && f.sriov.numVfs > 0) out[`0000:${f.bdf}`] = f.sriov.numVfs;
  return out;
}

/** `BDF vendor:device class` of every function machc resolved, and of every function the guest enumerated. */
export function resolvedFunctionLines(b: Built): string[] {
  return b.machine.pci.functions.map((f) => `0000:${f.bdf} ${hex4(f.vendorId)}:${hex4(f.deviceId)} ${f.classCode.toString(16).padStart(6, '0')}`);
}
export function guestFunctionLines(guest: BootResult): string[] {
  return guest.functions.map((f) => `${f.bdf} ${hex4(f.vendor)}:${hex4(f.device)} ${f.classCode.toString(16).padStart(6, '0')}`);
}

/** Linux booted with nothing to say about the tables or the firmware. */
export function expectCleanBoot(guest: BootResult): void {
  expect(guest.dmesg).toMatch(/Linux version 6\.1/);
  expect(guest.dmesg.split('\n').filter((l) => ACPI_PROBLEM.test(l))).toEqual([]);
  expect(guest.dmesg).toMatch(/ACPI: Interpreter enabled/);
  expect(guest.initLog).not.toMatch(/failed|not present/);
}

/** The guest enumerated exactly the functions machc resolved, VFs included, each VF under its PF. */
export function expectResolvedFunctions(b: Built, guest: BootResult): void {
  expect(guestFunctionLines(guest)).toEqual(resolvedFunctionLines(b));
  for (const f of b.machine.pci.functions) {
    const g = guest.functions.find((x) => x.bdf === `0000:${f.bdf}`)!;
    // Linux's igb driver offers 7 of the 82576's 8 VFs (pci_sriov_set_totalvfs: the eighth pool is the PF's).
    const total = g.driver === 'igb' ? Math.min(7, f.sriov?.totalVfs ?? 0) : f.sriov?.totalVfs;
    if (f.sriov) expect({ total: g.sriovTotalVfs, enabled: g.sriovNumVfs }, f.key).toEqual({ total, enabled: f.sriov.numVfs });
    if (f.physfn) expect(g.physfn, f.key).toBe(`0000:${b.machine.pci.functions.find((p) => p.key === f.physfn)!.bdf}`);
  }
}

/** Where the guest kernel found each ACPI table ("ACPI: SSDT 0x000000001F778000 ..."), per signature in its order. */
export function guestTableAddresses(dmesg: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of dmesg.matchAll(/ACPI: (\S{4}) 0x([0-9A-F]{16}) [0-9A-F]{6}/g)) {
    const list = out.get(m[1]!) ?? [];
    list.push(Number.parseInt(m[2]!, 16));
    out.set(m[1]!, list);
  }
  return out;
}

/**
 * Our tables as OVMF installs them (compiler/emit/firmware/ovmf-loader.ts):
 * each table copied where the guest kernel found it, pointers aimed at the
 * copies, keyed by sysfs name.
 */
export function ovmfInstalledTables(b: Built, guest: BootResult): Map<string, Uint8Array> {
  const addresses = guestTableAddresses(guest.dmesg);
  const files = new Map([[ACPI_TABLES_FILE, b.file_(`fw_cfg/${ACPI_TABLES_FILE}`)], [ACPI_RSDP_FILE, b.file_(`fw_cfg/${ACPI_RSDP_FILE}`)]]);
  const run = runOvmfLoader(b.file_(`fw_cfg/${TABLE_LOADER_FILE}`), files, (signature, index) => {
    const at = addresses.get(signature)?.[index];
    if (at === undefined) throw new Error(`the guest kernel lists no ${signature} #${index + 1}`);
    return at;
  });
  expect(run.errors).toEqual([]);
  const names = tableFileNames(run.tables.map((t) => t.signature));
  return new Map(run.tables.map((t, i) => [names[i]!, t.bytes]));
}

/** Our tables as the guest must see them: the loader replayed with etc/acpi/tables where SeaBIOS put it. */
export function relocatedTables(b: Built, guest: BootResult): Map<string, Uint8Array> {
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

export function findTable(blob: Uint8Array, signature: string): number {
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

export const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/**
 * The machine without its own ASL (device `asl:` blocks, `ssdts:`): what
 * QEMU itself can generate tables for. Unchanged when it has none.
 */
export function withoutOwnAsl(text: string): { text: string; note: string } {
  const doc = parseYaml(text) as { ssdts?: unknown; devices?: { asl?: unknown }[] };
  if (doc.ssdts === undefined && !doc.devices?.some((d) => d.asl !== undefined)) return { text, note: '' };
  delete doc.ssdts;
  for (const d of doc.devices ?? []) delete d.asl;
  return { text: stringifyYaml(doc), note: ' (without its own ASL, which QEMU cannot generate)' };
}

/**
 * No more vCPUs than the host has cores: under TCG, more vCPU threads than
 * cores starve the guest's timers on a busy 2-core host (RCU stalls, a hung
 * boot), and many take minutes to bring up.
 */
export const TCG_MAX_CPUS = 2;

/**
 * The machine as booted: unchanged, unless it has more vCPUs than
 * TCG_MAX_CPUS; then one vCPU per socket (or NUMA node), everything
 * else (PCI fabric, memory, NUMA memory ranges) as the file says.
 */
export function tcgFriendly(text: string, qemu?: TargetVersion): { text: string; note: string } {
  const doc = parseYaml(text) as { cpus?: unknown; numa?: { cpus?: unknown }[] };
  const probe = compileMachine('probe.yaml', { text, qemu }).machine;
  if (!probe || probe.cpus.count <= TCG_MAX_CPUS) return { text, note: '' };
  const nodes = doc.numa?.length ?? 0;
  const sockets = Math.min(TCG_MAX_CPUS, Math.max(1, nodes || probe.cpus.sockets));
  doc.cpus = { sockets, cores: 1, threads: 1 };
  doc.numa?.forEach((n, i) => (n.cpus = i < sockets ? [i] : []));
  return { text: stringifyYaml(doc), note: ` (with ${sockets} vCPU${sockets === 1 ? '' : 's'} instead of ${probe.cpus.count}: TCG on this host's cores)` };
}

/**
 * Where the firmware left every BAR, VF BAR and bridge window, as Linux
 * read them from config space when it first probed each function (the
 * kernel log's `pci BDF: BAR 4 [mem 0x...-0x... 64bit pref]` and
 * `pci BDF:   bridge window [io  0x7000-0xafff]` lines, before Linux
 * claims or moves anything): `BDF bar N BASE-LIMIT`, `BDF vf-bar N
 * BASE-LIMIT`, `BDF window REGION BASE-LIMIT`. ROM BARs are left out.
 */
export function guestPlacementLines(dmesg: string): string[] {
  const seen = new Map<string, string>();
  for (const line of dmesg.split('\n')) {
    const m = /\] pci 0000:(\S+): +(VF )?(BAR (\d+)|bridge window) \[(io|mem) +0x([0-9a-f]+)-0x([0-9a-f]+)( 64bit)?( pref)?\]$/.exec(line);
    if (!m) continue;
    const [, bdf, vf, what, index, space, base, limit, , pref] = m;
    const key = what!.startsWith('BAR') ? `${bdf} ${vf ? 'vf-bar' : 'bar'} ${index}` : `${bdf} window ${space === 'io' ? 'io' : pref ? 'prefmem' : 'mem'}`;
    if (!seen.has(key)) seen.set(key, `${key} ${BigInt(`0x${base}`).toString(16)}-${BigInt(`0x${limit}`).toString(16)}`);
  }
  return [...seen.values()].sort();
}

/** The same lines from a firmware plan (VF BAR n is bar 7 + n there). */
export function planPlacementLines(plan: FirmwarePlan, machine: ResolvedMachine): string[] {
  const hex = (n: number) => n.toString(16);
  const bdfOf = new Map(machine.pci.functions.map((f) => [f.key, f.bdf]));
  const vfs = new Map(machine.pci.functions.map((f) => [f.key, f.sriov?.initialVfs ?? 1]));
  const lines: string[] = [];
  for (const b of plan.bars) {
    // Linux logs a VF BAR as the first VF's: the region's base, one VF's size.
    if (b.bar >= 7) lines.push(`${b.bdf} vf-bar ${b.bar - 7} ${hex(b.address)}-${hex(b.address + b.size / vfs.get(b.key)! - 1)}`);
    else lines.push(`${b.bdf} bar ${b.bar} ${hex(b.address)}-${hex(b.address + b.size - 1)}`);
  }
  for (const w of plan.windows) if (w.size > 0) lines.push(`${bdfOf.get(w.key)} window ${w.region} ${hex(w.base)}-${hex(w.base + w.size - 1)}`);
  return lines.sort();
}

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

/**
 * Everything the guest saw of the machine is what machc built, whoever ran it
 * (QEMU or machc's runtime): a clean boot, exactly the resolved functions,
 * machc's tables byte for byte where SeaBIOS put them, SeaBIOS's placement,
 * the e820 map, /proc/iomem and /proc/ioports, the fw_cfg files, and what
 * Linux made of the machine's own ASL. `name` is the machine file's name.
 */
export function expectGuestSawMachine(b: Built, guest: BootResult, name: string): void {
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
  const slack = (E820_THREAD_SLACK[name] ?? 0) * 4096;
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
  expect(seen).toEqual(AFTER_BOOT[name] ?? []);
}
