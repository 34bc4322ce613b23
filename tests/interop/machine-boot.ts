/**
 * Building an example machine with machc and booting it in its target QEMU:
 * helpers shared by tests/interop/boot-machines.test.ts (machc's tables fed
 * to QEMU) and tests/interop/targets.test.ts (QEMU's own tables compared
 * with machc's).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { buildMachine, tableFileNames, type BuildArtifacts } from '../../compiler/cli/commands/build.js';
import { machineAsl } from '../../compiler/cli/machine.js';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { walkAcpi } from '../../compiler/emit/firmware/acpi-walk.js';
import { runTableLoader } from '../../compiler/emit/firmware/seabios-loader.js';
import { parseQemuArgs, qemuCommand } from '../../compiler/emit/qemu/args.js';
import type { QemuTarget, TargetVersion } from '../../compiler/model/target.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
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

export async function build(file: string, text: string, qemu?: TargetVersion): Promise<Built> {
  const r = compileMachine(file, { text, qemu });
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
