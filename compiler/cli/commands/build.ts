/**
 * `machc build FILE -o DIR`: everything a machine's firmware needs, in QEMU
 * 7.2's formats, plus the QEMU command line for the same machine.
 *
 *   DIR/fw_cfg/bootorder, etc/acpi/tables, etc/acpi/rsdp, etc/e820, etc/table-loader
 *                                        (what qemu.args gives QEMU), and bios-geometry,
 *                                        etc/boot-fail-wait, etc/smbios/*, etc/smi/*,
 *                                        etc/system-states (what QEMU adds itself; the
 *                                        runtime machine serves the whole folder)
 *   DIR/acpi/<SIG>.aml and <SIG>.dsl     each table as built, and its ASL
 *   DIR/e820.txt                         the memory map the OS will see
 *   DIR/qemu.args                        QEMU options, one per line
 *   DIR/run-qemu.sh                      boots the machine in QEMU with the files above (executable)
 *   DIR/guest/enable-vfs.sh, guest/sriov-vfs.rules   for the guest to enable the VFs the file asks for (when it does)
 *   DIR/machine.ts                       the machine as a TypeScript module for the runtime (not with --no-ts)
 *   DIR/manifest.json                    every file above with size and sha256
 *
 * The directory is written atomically, its folders and files with the
 * permissions the umask gives, and its bytes depend only on the machine
 * file (and its lockfile) and, for run-qemu.sh's image paths, where the
 * machine file is relative to DIR.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { AcpiSetInput, AcpiTableInput } from '../../emit/firmware/acpi-layout.js';
import { e820Listing } from '../../emit/firmware/e820.js';
import { buildFirmwareFiles } from '../../emit/firmware/index.js';
import { enableVfsScript, sriovUdevRules, vfRequests } from '../../emit/guest/sriov.js';
import { qemuCommand, renderQemuArgs, type QemuCommand } from '../../emit/qemu/args.js';
import { renderLauncher } from '../../emit/qemu/launcher.js';
import { formatVersion } from '../../emit/qemu/version.js';
import type { ResolvedMachine } from '../../model/topology.js';
import { dirHolds, recoverDir, writeDirAtomic } from '../../util/atomic.js';
import type { MachineAsl } from '../../asl/machine.js';
import { printDiagnostics, type Io } from '../io.js';
import { checkOutputDir, writeOrUsageError } from '../output.js';
import { UsageError } from '../main.js';
import { STDIN_PATH } from '../../source/load.js';
import { displayPath } from '../paths.js';
import { commandMachine, machineAsl } from '../machine.js';
import type { TargetVersion } from '../../model/target.js';

export interface BuildOptions {
  output?: string;
  /** Write machine.ts (default true; --no-ts). */
  ts?: boolean;
  json?: boolean;
  lockfile?: boolean;
  qemu?: TargetVersion;
  /** The firmware the tables are for: OVMF places 64-bit BARs elsewhere, and the DSDT's 64-bit window must hold them (default seabios). */
  firmware?: 'seabios' | 'ovmf';
}

/** One ACPI table with its ASL, as the ACPI emitter returns it. */
export interface AcpiTableWithAsl extends AcpiTableInput {
  readonly asl: string;
}

export interface AcpiTables extends AcpiSetInput {
  readonly tables: readonly AcpiTableWithAsl[];
  readonly rsdp: AcpiTableWithAsl;
}

export interface OutputFile {
  /** Relative to the output directory, '/'-separated. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Written executable (as the umask allows). */
  readonly executable?: boolean;
}

export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly machine: string;
  readonly source: { readonly file: string; readonly sha256: string };
  /** The target QEMU and its machine type; the oldest release with every device used, and why. */
  readonly qemu: { readonly target: string; readonly machineType: string; readonly minVersion: string; readonly reasons: readonly string[] };
  readonly files: readonly ManifestEntry[];
}

export interface BuildArtifacts {
  /** Sorted by path; manifest.json last. */
  readonly files: readonly OutputFile[];
  readonly manifest: Manifest;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Names tables the way Linux lists them in /sys/firmware/acpi/tables: SSDT, or SSDT1, SSDT2 when there are several. */
export function tableFileNames(signatures: readonly string[]): string[] {
  const total = new Map<string, number>();
  for (const s of signatures) total.set(s, (total.get(s) ?? 0) + 1);
  const seen = new Map<string, number>();
  return signatures.map((s) => {
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    const base = s === 'RSD PTR ' ? 'RSDP' : s.replace(/[^A-Za-z0-9_]/g, '_');
    return total.get(s)! > 1 ? `${base}${n}` : base;
  });
}

export interface BuildSource {
  /** The machine file's name (no folders: the output does not depend on where it was built from). */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** The machine file's folder relative to the output folder, '/'-separated (default ''): where run-qemu.sh finds images. */
  readonly imagesFrom?: string;
  /** The firmware the build is for: run-qemu.sh boots it unless FIRMWARE says otherwise (default seabios). */
  readonly firmware?: 'seabios' | 'ovmf';
}

/** Every output file of a build, in memory: firmware blobs, tables, listings, command line, manifest. */
export function buildArtifacts(machine: ResolvedMachine, acpi: AcpiTables, cmd: QemuCommand, source: BuildSource, machineModule?: string): BuildArtifacts {
  const firmware = buildFirmwareFiles(machine, acpi);
  const files: OutputFile[] = [...firmware.files, ...firmware.qemuFiles].map((f) => ({ path: `fw_cfg/${f.name}`, bytes: f.bytes }));
  if (machineModule !== undefined) files.push({ path: 'machine.ts', bytes: utf8(machineModule) });
  const all = [...acpi.tables, acpi.rsdp];
  tableFileNames(all.map((t) => t.signature)).forEach((name, i) => {
    const t = all[i]!;
    files.push({ path: `acpi/${name}.aml`, bytes: t.bytes }, { path: `acpi/${name}.dsl`, bytes: utf8(t.asl.endsWith('\n') ? t.asl : `${t.asl}\n`) });
  });
  files.push({ path: 'e820.txt', bytes: utf8(e820Listing(machine.memory.e820)) });
  files.push({ path: 'qemu.args', bytes: utf8(renderQemuArgs(cmd, machine, source.file)) });
  files.push({ path: 'run-qemu.sh', bytes: utf8(renderLauncher(cmd, machine, { sourceName: source.file, imagesFrom: source.imagesFrom ?? '', firmware: source.firmware ?? 'seabios' })), executable: true });
  const vfs = vfRequests(machine);
  if (vfs.length > 0) {
    files.push({ path: 'guest/enable-vfs.sh', bytes: utf8(enableVfsScript(vfs, source.file)), executable: true });
    files.push({ path: 'guest/sriov-vfs.rules', bytes: utf8(sriovUdevRules(vfs, source.file)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = {
    machine: machine.name,
    source: { file: source.file, sha256: sha256(source.bytes) },
    qemu: { target: machine.qemu.version, machineType: machine.qemu.machineType, minVersion: formatVersion(cmd.minVersion), reasons: cmd.versionReasons },
    files: files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sha256(f.bytes) })),
  };
  files.push({ path: 'manifest.json', bytes: utf8(`${JSON.stringify(manifest, null, 2)}\n`) });
  return { files, manifest };
}

/**
 * A whole build in memory: the command line, the ACPI tables (told the order
 * QEMU creates the bridges in, which numbers its ACPI hot-plug buses) and
 * every file. The ACPI and TypeScript emitters are loaded only here.
 */
export async function buildMachine(
  machine: ResolvedMachine,
  source: BuildSource,
  options: { ts?: boolean; asl?: MachineAsl | undefined; firmware?: 'seabios' | 'ovmf' | undefined } = {},
): Promise<BuildArtifacts> {
  const { buildAcpiTables } = await import('../../emit/acpi/index.js');
  const cmd = qemuCommand(machine);
  const module = options.ts === false ? undefined : (await import('../../emit/typescript/index.js')).emitMachineModule(machine, { sourceName: source.file });
  const described = options.firmware === 'ovmf' ? (await import('../../resolve/firmware-plan-ovmf.js')).machineForOvmf(machine) : machine;
  const acpi = buildAcpiTables(described, { creationOrder: cmd.deviceOrder, asl: options.asl });
  return buildArtifacts(machine, acpi, cmd, { ...source, firmware: options.firmware ?? 'seabios' }, module);
}

/**
 * Where run-qemu.sh finds images: the machine file's folder (standard input:
 * the working directory) relative to the output folder when the two share
 * more than the root, else its absolute path.
 */
export function imagesFrom(out: string, path: string): string {
  const folder = path === STDIN_PATH ? process.cwd() : dirname(resolve(path));
  const output = resolve(out);
  const top = (p: string) => p.split(sep)[1];
  if (top(folder) !== top(output)) return folder.split(sep).join('/');
  return relative(output, folder).split(sep).join('/');
}

/** A build written to its folder. */
export interface WrittenBuild {
  /** The machine file as given (or <stdin>). */
  readonly path: string;
  readonly machine: ResolvedMachine;
  readonly out: string;
  readonly artifacts: BuildArtifacts;
}

/**
 * Compiles `file` and writes its build to `-o` (default build/<name>): the
 * build, or the exit code when the file has errors (they have been printed).
 */
export async function buildToFolder(io: Io, file: string | undefined, opts: BuildOptions): Promise<WrittenBuild | number> {
  if (opts.output === '-') throw new UsageError('-o -: build writes a folder of files (fw_cfg/, acpi/, qemu.args...), not one stream; give a folder name (--json prints the manifest)');
  // Images go to QEMU from here: say which are missing.
  const { path, result, machine, failure } = commandMachine(io, file, { ...opts, checkImages: true });
  if (!machine) return failure;
  const out = opts.output ?? join('build', machine.name);
  checkOutputDir(out);
  const asl = await machineAsl(result, qemuCommand(machine).deviceOrder);
  if (result.diagnostics.hasErrors) {
    printDiagnostics(io, [result], Boolean(opts.json));
    return 1;
  }
  // The bytes the machine was compiled from (read once, bounded), for the manifest's hash.
  const source = { file: basename(path), bytes: result.bytes ?? new Uint8Array(), imagesFrom: imagesFrom(out, path) };
  const artifacts = await buildMachine(machine, source, { ts: opts.ts, asl, firmware: opts.firmware });
  // A rebuild that would write the same files leaves the folder (and its files' times) as they are,
  // once what a killed earlier run left is cleaned up.
  writeOrUsageError(`-o ${out}`, () => recoverDir(out));
  const umask = process.umask();
  const unchanged = dirHolds(
    out,
    artifacts.files.map((f) => ({ path: f.path, bytes: f.bytes, mode: (f.executable ? 0o777 : 0o666) & ~umask })),
    0o777 & ~umask,
  );
  if (!unchanged) {
    writeOrUsageError(`-o ${out}`, () =>
      writeDirAtomic(out, (tmp) => {
        const made = new Set<string>([tmp]);
        for (const f of artifacts.files) {
          const target = join(tmp, ...f.path.split('/'));
          const folder = dirname(target);
          if (!made.has(folder)) {
            mkdirSync(folder, { recursive: true });
            made.add(folder);
          }
          writeFileSync(target, f.bytes, { mode: f.executable ? 0o777 : 0o666 });
        }
      }),
    );
  }
  return { path, machine, out, artifacts };
}

export async function runBuild(io: Io, file: string | undefined, opts: BuildOptions): Promise<number> {
  const built = await buildToFolder(io, file, opts);
  if (typeof built === 'number') return built;
  const { path, out, artifacts } = built;
  if (opts.json) io.out(`${JSON.stringify(artifacts.manifest, null, 2)}\n`);
  else io.out(`${displayPath(path)}: built ${out} (${artifacts.files.length} files; QEMU ${artifacts.manifest.qemu.target}, ${artifacts.manifest.qemu.machineType})\n`);
  return 0;
}
