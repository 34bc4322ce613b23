/**
 * `machc run FILE`: compiles the machine to its module, builds the firmware
 * files `machc build` writes (ACPI tables, table-loader, e820, bootorder),
 * loads the module against the runtime and runs it: the CPUs from the
 * reset vector through the firmware (SeaBIOS by default), serial output on
 * standard output, until the guest stops or a limit is reached. A one-line
 * summary (why it stopped, instructions, guest time) goes to standard error.
 *
 * Exit status: 0 when it stopped where asked (--until text seen, the
 * instruction limit, guest power-off), 3 when the guest failed (an
 * unsupported operation; a triple fault with --no-reboot, which otherwise
 * resets the machine as QEMU does), 4 when every CPU halted with nothing
 * to wake it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAcpiTables } from '../../emit/acpi/index.js';
import { buildFirmwareFiles } from '../../emit/firmware/index.js';
import { qemuCommand } from '../../emit/qemu/args.js';
import { encodeBootorder } from '../../emit/firmware/bootorder.js';
import type { Io } from '../io.js';
import { printDiagnostics } from '../io.js';
import { commandMachine, loadGeneratedModule, machineAsl } from '../machine.js';
import { UsageError } from '../main.js';
import { displayPath } from '../paths.js';
import { openStore } from '../store-files.js';
import { checkOutputFile, fsReason, isFsError, writeOrUsageError } from '../output.js';
import type { MonitorSpec } from '../monitor-channel.js';
import { groupThousands } from '../../util/format.js';
import type { TargetVersion } from '../../model/target.js';
import type { MachcPlugin } from '../../../runtime/cpu/plugins.js';
import type { Computer, OutputWatch, RunLimits, RunResult } from '../../../runtime/machine/runner.js';

export interface RunOptions {
  lockfile?: boolean;
  bios?: string;
  vgaBios?: string;
  until?: string;
  maxInsns?: string;
  plugin?: string[];
  debugcon?: string;
  interpret?: boolean;
  persist?: boolean;
  qemu?: TargetVersion;
  json?: boolean;
  reboot?: boolean;
  kernel?: string;
  initrd?: string;
  append?: string;
  interactive?: boolean;
  monitor?: string;
  paused?: boolean;
  store?: boolean;
}

/** QEMU 7.2's default firmware for q35 and the std VGA's BIOS, as Debian installs them. */
const DEFAULT_BIOS = '/usr/share/seabios/bios-256k.bin';
const DEFAULT_VGA_BIOS = '/usr/share/seabios/vgabios-stdvga.bin';
/** virtio-vga's VGA BIOS (QEMU's romfile for it). */
const VIRTIO_VGA_BIOS = '/usr/share/seabios/vgabios-virtio.bin';

/** A file the run needs from the host; a missing or unreadable one is a usage error saying what to do. */
function readHostFile(what: string, path: string, hint: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist (${hint})`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (!isFsError(e)) throw e;
    throw new UsageError(`${what} ${path}: ${e.code === 'EISDIR' ? 'is a directory' : `cannot read it (${fsReason(e)})`} (${hint})`);
  }
}

function readImage(what: string, path: string, hint: string, pages = true): Uint8Array {
  const bytes = readHostFile(what, path, hint);
  if (bytes.length === 0 || (pages && bytes.length % 4096 !== 0) || bytes.length > 16 * 2 ** 20)
    throw new UsageError(`${what} ${path} is not a firmware image (${bytes.length} bytes; ${pages ? 'a whole number of 4 KiB pages ' : ''}up to 16 MiB)`);
  return bytes;
}

export async function runRun(io: Io, file: string | undefined, opts: RunOptions): Promise<number> {
  const maxInsns = opts.maxInsns === undefined ? undefined : Number(opts.maxInsns.replace(/_/g, ''));
  if (maxInsns !== undefined && !(Number.isSafeInteger(maxInsns) && maxInsns > 0)) throw new UsageError(`--max-insns needs a positive whole number, not '${opts.maxInsns}'`);
  const monitorSpec = opts.monitor === undefined ? undefined : parseMonitorSpec(opts.monitor);
  if (opts.paused && !monitorSpec) throw new UsageError('--paused needs --monitor (its cont starts the CPUs)');
  if (monitorSpec?.kind === 'stdio' && opts.interactive) throw new UsageError('-i and --monitor stdio both want standard input: use --monitor unix:PATH with -i');
  if (monitorSpec?.kind === 'stdio' && opts.json) throw new UsageError('--json and --monitor stdio both want standard output');
  const { path, machine: resolved, result, failure } = commandMachine(io, file, opts);
  if (!resolved) return failure;
  const cmd = qemuCommand(resolved);
  const asl = await machineAsl(result, cmd.deviceOrder);
  if (result.diagnostics.hasErrors) {
    printDiagnostics(io, [result], Boolean(opts.json));
    return 1;
  }
  // The debug console's file is made before the guest runs, as QEMU's chardev makes it: a
  // path that cannot be written fails now, not after a run of minutes.
  if (opts.debugcon && opts.debugcon !== '-') {
    // Never over one of the run's own inputs (the machine file, a firmware or kernel image).
    const inputs = [path, opts.bios, opts.vgaBios, opts.kernel, opts.initrd].filter((p): p is string => p !== undefined);
    checkOutputFile('--debugcon', opts.debugcon, inputs);
    writeOrUsageError(`--debugcon ${opts.debugcon}`, () => writeFileSync(opts.debugcon!, ''));
  }
  const bios = readImage('firmware image', opts.bios ?? DEFAULT_BIOS, opts.bios ? 'check --bios' : "install Debian's seabios package or pass --bios PATH");
  const vgaBios = resolved.platform.display === 'none' ? undefined : readImage('VGA BIOS', opts.vgaBios ?? (resolved.platform.display === 'virtio-vga' ? VIRTIO_VGA_BIOS : DEFAULT_VGA_BIOS), opts.vgaBios ? 'check --vga-bios' : "install Debian's seabios package or pass --vga-bios PATH", false);
  const firmware = buildFirmwareFiles(resolved, buildAcpiTables(resolved, { creationOrder: cmd.deviceOrder, asl }));
  // What QEMU 7.2 serves besides machc's files (SMBIOS, boot-fail-wait, ...) and the ROMs it loads from the host.
  const host = await hostRoms(resolved.pci.functions.map((f) => f.model));
  let fwCfgFiles = [...firmware.files, ...firmware.qemuFiles, ...host.genroms].map((f) => ({ name: f.name, bytes: f.bytes }));
  const linux = opts.kernel === undefined ? undefined : await linuxBoot(opts);
  if (opts.kernel === undefined && (opts.initrd !== undefined || opts.append !== undefined)) throw new UsageError('--initrd and --append need --kernel');
  if (linux) {
    // As QEMU with -kernel: the option ROM that loads it boots first.
    const { LINUXBOOT_BOOTORDER } = await import('../../../runtime/machine/linux-boot.js');
    fwCfgFiles = [...fwCfgFiles.filter((f) => f.name !== 'bootorder'), { name: 'bootorder', bytes: encodeBootorder([LINUXBOOT_BOOTORDER, ...resolved.boot.map((e) => e.path)]) }];
  }

  const { PluginHost } = await import('../../../runtime/cpu/plugins.js');
  const plugins = opts.plugin?.length ? new PluginHost(false, (t) => io.err(t)) : undefined;
  for (const spec of opts.plugin ?? []) await installPlugin(plugins!, spec);

  const { Computer, OutputWatch } = await import('../../../runtime/machine/runner.js');
  const watch = new OutputWatch(opts.until);
  const serialOut: number[] = [];
  // With the monitor on standard output, the guest's console goes to standard error.
  const consoleTo = monitorSpec?.kind === 'stdio' ? 'err' : 'out';
  // The last byte the guest's console wrote, so that --json's summary starts a line of its own.
  let lastSerial = 10;
  const flushSerial = () => {
    if (!serialOut.length) return;
    writeBytes(io, consoleTo, Uint8Array.from(serialOut));
    lastSerial = serialOut[serialOut.length - 1]!;
    serialOut.length = 0;
  };
  const debugcon: number[] = [];
  const mod = await loadGeneratedModule(resolved, path);
  const { machine, devices } = mod.createMachine({
    bios,
    vgaBios,
    fwCfgFiles,
    optionRoms: host.optionRoms,
    ...(linux ? { linux } : {}),
    serialSink: (b: number) => {
      serialOut.push(b);
      watch.push(b);
      if (b === 10 || serialOut.length >= 4096) flushSerial();
    },
    debugconSink: (b: number) => {
      debugcon.push(b);
      watch.push(b, 1);
    },
  });
  // A drive that cannot be opened is named by its device's id and line in the machine file.
  const where = new Map<unknown, string>();
  for (const [id, dev] of Object.entries(devices as Record<string, unknown>)) {
    const line = resolved.pci.functions.find((f) => f.key === id)?.origin?.decl.line;
    where.set(dev, `${displayPath(path)}${line === undefined ? '' : `:${line}`}: ${id}:`);
  }
  const problems = machine.openDrives({ baseDir: dirname(resolve(path)), persist: Boolean(opts.persist) }, (f) => where.get(f) ?? `${f.label}:`);
  if (problems.length) {
    io.err(`${problems.map((p) => `machc: ${p}`).join('\n')}\n`);
    return 2;
  }
  const network = machine.connectNetwork();
  // Translations kept from earlier runs of this boot (not with plugins, which instrument the code).
  const stored = opts.store === false || plugins ? undefined : await openStore([path, opts.bios ?? DEFAULT_BIOS, opts.kernel, opts.initrd]);
  const computer = new Computer(machine, { interpretOnly: opts.interpret, plugins, noReboot: opts.reboot === false, store: stored?.store });
  // process.hrtime rather than performance.now(): the latter loads perf_hooks, a few ms of every start.
  const t0 = process.hrtime.bigint();
  const limits = { maxInstructions: maxInsns, until: opts.until };
  const res =
    monitorSpec || opts.interactive
      ? await runSession(
          io,
          {
            computer,
            machine,
            devices: devices as Record<string, unknown>,
            resolved,
            monitor: monitorSpec,
            paused: Boolean(opts.paused),
            interactive: Boolean(opts.interactive),
            hotplug: { path, text: result.bytes ? Buffer.from(result.bytes).toString('utf8') : '', network, persist: Boolean(opts.persist), lockfile: opts.lockfile !== false, qemu: opts.qemu },
          },
          limits,
          watch,
          flushSerial,
        )
      : runGuest(computer, limits, watch);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  flushSerial();
  plugins?.exit();
  if (stored && !stored.save()) {
    io.err(`machc: could not keep this run's translations in ${stored.dirs.join(' or ')}: make the folder writable, set MACHC_STORE_DIR to one that is, or run with --no-store\n`);
  }
  if (opts.debugcon) {
    const bytes = Uint8Array.from(debugcon);
    if (opts.debugcon === '-') writeBytes(io, 'err', bytes);
    else writeOrUsageError(`--debugcon ${opts.debugcon}`, () => writeFileSync(opts.debugcon!, bytes));
  }
  const summary = {
    machine: resolved.name,
    stopped: res.reason,
    instructions: res.instructions,
    guestMs: Number((res.guestNs / 1e6).toFixed(3)),
    wallMs: Math.round(wallMs),
    resets: res.resets,
    tripleFaults: res.tripleFaults,
    // What crossed the in-process switch the machine's NICs share (a machine without NICs has none).
    ...(network.portCount ? { network: { nics: network.portCount, frames: network.frames } } : {}),
    ...(res.detail ? { detail: res.detail } : {}),
    // Stored translations this run took, and new ones it kept for the next.
    ...(stored ? { store: { taken: stored.store.taken, added: stored.store.added } } : {}),
    // What the CPUs translated, and how many instructions ran in tier 1 rather than compiled.
    translation: res.translation,
  };
  // (--json and a console on standard error, --monitor stdio, are refused together above.)
  if (opts.json) io.out(`${lastSerial !== 10 ? '\n' : ''}${JSON.stringify(summary)}\n`);
  else {
    const why = describeStop(res.reason, opts.until);
    const resets = res.resets ? `, ${res.resets} reset${res.resets === 1 ? '' : 's'}${res.tripleFaults ? ` (${res.tripleFaults} after a triple fault)` : ''}` : '';
    const frames = summary.network ? `, ${groupThousands(summary.network.frames)} Ethernet frame${summary.network.frames === 1 ? '' : 's'} switched between ${summary.network.nics} NIC${summary.network.nics === 1 ? '' : 's'}` : '';
    io.err(`machc run ${displayPath(path)}: ${why} after ${groupThousands(res.instructions)} instructions, ${summary.guestMs} ms of guest time (${summary.wallMs} ms)${resets}${frames}\n`);
    if (res.detail) io.err(`${res.detail}\n`);
    else if (res.lastTripleFault) io.err(`the last triple fault (--no-reboot stops there): ${res.lastTripleFault}\n`);
  }
  switch (res.reason) {
    case 'guest-failure':
      return 3;
    case 'halted':
      return 4;
    default:
      return 0;
  }
}

/** `-i` (standard input to COM1) and/or `--monitor`: the CPUs in slices, host events between them. */
async function runSession(
  io: Io,
  run: {
    computer: Computer;
    machine: import('../../../runtime/machine/q35.js').Q35Machine;
    devices: Record<string, unknown>;
    resolved: import('../../model/topology.js').ResolvedMachine;
    monitor: MonitorSpec | undefined;
    paused: boolean;
    interactive: boolean;
    hotplug: Pick<import('../hotplug.js').HotplugContext, 'path' | 'text' | 'network' | 'persist' | 'lockfile' | 'qemu'>;
  },
  limits: RunLimits,
  watch: OutputWatch,
  flush: () => void,
): Promise<RunResult> {
  const uart = run.machine.serial;
  if (run.interactive && !uart) throw new UsageError('-i needs the machine\'s COM1 serial port');
  const { runSession: loop } = await import('../../../runtime/machine/interactive.js');
  let monitor: import('../../../runtime/machine/monitor.js').Monitor | undefined;
  let channel: import('../monitor-channel.js').MonitorChannel | undefined;
  if (run.monitor) {
    const { Monitor } = await import('../../../runtime/machine/monitor.js');
    const { openMonitorChannel } = await import('../monitor-channel.js');
    const { deviceAdder } = await import('../hotplug.js');
    const m = run.machine;
    const devices = { ...run.devices };
    monitor = new Monitor(
      {
        computer: run.computer,
        idOf: (f) => Object.entries(devices).find(([, d]) => d === f)?.[0] ?? '',
        // Only a machine read from a file can be resolved again with a device more.
        ...(run.hotplug.text ? { deviceAdd: deviceAdder({ ...run.hotplug, resolved: run.resolved, machine: m, devices }) } : {}),
        powerButton: () => m.lpc.pm.powerButton(),
        version: { qemu: run.resolved.qemu.version, package: 'machc' },
      },
      { paused: run.paused },
    );
    const mon = monitor;
    channel = await openMonitorChannel(run.monitor, mon, () => mon.requestQuit());
  }
  let input: import('../console-input.js').StdinConsole | undefined;
  if (run.interactive) {
    const { StdinConsole } = await import('../console-input.js');
    input = new StdinConsole(process.stdin, (t) => {
      flush();
      io.err(t);
    });
  }
  // A session is a long run: the guest's code is V8's to optimise as it would by default from the start.
  const tiering = guestTiering();
  tiering?.(true);
  try {
    return await loop(run.computer, { ...(input && uart ? { console: { uart, input } } : {}), ...(monitor ? { monitor } : {}) }, limits, watch, flush);
  } finally {
    tiering?.(false);
    input?.close();
    await channel?.close();
  }
}

/**
 * Instructions a run retires before the guest's code gets V8's default tiering: SeaBIOS reaches
 * its boot attempt on the default machine after 7.25 million, and hands a `--kernel` boot to the
 * kernel after 7.3 million.
 */
const WARM_INSTRUCTIONS = 20_000_000;

/**
 * bin/machc.cjs starts V8 with four times its interrupt budget, which suits the compiler and
 * the firmware's run-once code (SeaBIOS to its boot attempt: 0.86 s against 1.10 s whole process
 * with the default). A guest's compiled blocks are the opposite: each ran hundreds of times in
 * tier 1 before it was compiled (`CpuOptions.jitThreshold`), most keep running, and four times the budget kept them in V8's baseline tiers for
 * longer (a Linux boot to its shell: 62-64 s against 78-84 s, interleaved runs). `on` asks for
 * V8's default budget (and leaves out two optimizing passes that do nothing for guest code:
 * bin/machc.cjs), off for the startup flags again, which the code caches written after the run
 * must be made with (V8 checks the flags a cache was made with). Undefined without bin/machc.cjs.
 */
function guestTiering(): ((on: boolean) => void) | undefined {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('machc.guestTiering')] as ((on: boolean) => void) | undefined;
}

/** `computer.run`, with the guest's code tiered up as V8 does by default once the firmware is done. */
function runGuest(computer: Computer, limits: RunLimits, watch: OutputWatch): RunResult {
  const tiering = guestTiering();
  const max = limits.maxInstructions ?? Infinity;
  if (!tiering || max <= WARM_INSTRUCTIONS) return computer.run(limits, watch);
  const first = computer.run({ ...limits, maxInstructions: WARM_INSTRUCTIONS }, watch);
  if (first.reason !== 'instruction-limit') return first;
  tiering(true);
  try {
    return computer.run(limits, watch);
  } finally {
    tiering(false);
  }
}

/** --monitor's value: stdio or unix:PATH (a clean usage error for anything else). */
function parseMonitorSpec(value: string): MonitorSpec {
  if (value === 'stdio') return { kind: 'stdio' };
  if (value.startsWith('unix:') && value.length > 5) return { kind: 'unix', path: value.slice(5) };
  throw new UsageError(`--monitor needs stdio or unix:PATH, not '${value}'`);
}

/** QEMU's genroms (kvmvapic.bin) and the NICs' iPXE ROMs, as Debian installs them; a missing one is a usage error. */
async function hostRoms(models: readonly string[]): Promise<{ genroms: readonly { name: string; bytes: Uint8Array }[]; optionRoms: Readonly<Record<string, Uint8Array>> }> {
  const { KVMVAPIC, NIC_ROMS } = await import('../../../runtime/machine/firmware.js');
  const read = (path: string, what: string): Uint8Array => readHostFile(what, path, "install Debian's qemu-system-data and ipxe-qemu packages");
  const optionRoms: Record<string, Uint8Array> = {};
  for (const model of new Set(models)) {
    const path = NIC_ROMS[model];
    if (path) optionRoms[model] = read(path, `${model} option ROM`);
  }
  return { genroms: [{ name: 'genroms/kvmvapic.bin', bytes: read(KVMVAPIC, 'option ROM') }], optionRoms };
}

/** QEMU's option ROM for direct kernel boots, as Debian's qemu-system-data installs it. */
const LINUXBOOT_DMA = '/usr/share/qemu/linuxboot_dma.bin';

async function linuxBoot(opts: RunOptions): Promise<import('../../../runtime/machine/linux-boot.js').LinuxBoot> {
  const { linuxImageProblem } = await import('../../../runtime/machine/linux-boot.js');
  const read = readHostFile;
  const kernel = read('kernel', opts.kernel!, 'check --kernel');
  const problem = linuxImageProblem(kernel);
  if (problem) throw new UsageError(`kernel ${opts.kernel}: ${problem}`);
  return {
    kernel,
    ...(opts.initrd !== undefined ? { initrd: read('initrd', opts.initrd, 'check --initrd') } : {}),
    cmdline: opts.append ?? '',
    optionRom: read('option ROM', LINUXBOOT_DMA, "install Debian's qemu-system-data package"),
  };
}

function writeBytes(io: Io, to: 'out' | 'err', bytes: Uint8Array): void {
  const raw = to === 'out' ? io.outBytes : io.errBytes;
  if (raw) raw(bytes);
  else io[to](Buffer.from(bytes).toString('latin1'));
}

function describeStop(reason: string, until: string | undefined): string {
  switch (reason) {
    case 'until':
      return `saw ${JSON.stringify(until)}`;
    case 'instruction-limit':
      return 'reached the instruction limit';
    case 'power-off':
      return 'the guest powered off';
    case 'halted':
      return 'every CPU halted with nothing to wake it';
    case 'quit':
      return 'stopped from the console';
    case 'reset':
      return 'the guest reset the machine (--no-reboot stops there)';
    case 'debug-exit':
      return 'the guest wrote to the debug exit port';
    default:
      return 'the guest failed';
  }
}

/**
 * import() of a user's module at run time. The bundled CLI is a CommonJS script
 * in which import() became require(), which cannot load an ES module by URL:
 * the launcher (bin/machc.cjs) lends its own import().
 */
function importFile(url: string): Promise<unknown> {
  const launcher = (globalThis as Record<symbol, unknown>)[Symbol.for('machc.importFile')] as ((u: string) => Promise<unknown>) | undefined;
  return launcher ? launcher(url) : import(url);
}

/** A built-in plugin by name, or a module path whose default export is a plugin; `,key=value` arguments follow. */
async function installPlugin(host: import('../../../runtime/cpu/plugins.js').PluginHost, spec: string): Promise<void> {
  const { BUILTIN_PLUGINS, parsePluginSpec } = await import('../../../runtime/cpu/plugins.js');
  let parsed;
  try {
    parsed = parsePluginSpec(spec);
  } catch (e) {
    throw new UsageError(`--plugin ${spec}: ${(e as Error).message}`);
  }
  let plugin: MachcPlugin | undefined = BUILTIN_PLUGINS[parsed.name];
  if (!plugin) {
    if (!/[/\\.]/.test(parsed.name)) throw new UsageError(`--plugin ${parsed.name}: no such built-in plugin (${Object.keys(BUILTIN_PLUGINS).join(', ')}), and not a path to a module`);
    const file = resolve(parsed.name);
    if (!existsSync(file)) throw new UsageError(`--plugin ${parsed.name}: no such file`);
    let mod: { default?: unknown };
    try {
      mod = (await importFile(pathToFileURL(file).href)) as { default?: unknown };
    } catch (e) {
      throw new UsageError(`--plugin ${parsed.name}: cannot load it (${(e as Error).message})`);
    }
    const p = mod.default as { name?: unknown; install?: unknown } | undefined;
    if (!p || typeof p.install !== 'function') throw new UsageError(`--plugin ${parsed.name}: its default export is not a plugin ({ name, install(api) })`);
    plugin = p as MachcPlugin;
  }
  host.install(plugin, parsed.args);
}
