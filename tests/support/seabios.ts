/**
 * SeaBIOS on a machine machc compiled and on QEMU 7.2, for comparing their
 * debug-console logs (isa-debugcon at 0x402).
 *
 * Ours: the generated module's machine with the host firmware (bios.bin by
 * default, the VGA BIOS, the NICs' option ROMs, kvmvapic.bin), every fw_cfg
 * file of the build plus what QEMU adds itself, run by runtime/machine's
 * Computer.
 *
 * QEMU: machc's qemu.args with `acpi=off` and machc's ACPI files (SMM on,
 * QEMU's default, which the runtime models too), the same BIOS, the log to
 * a file; stopped once the log shows the stop pattern.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileMachine } from '../../compiler/driver.js';
import { buildAcpiTables } from '../../compiler/emit/acpi/index.js';
import { buildFirmwareFiles } from '../../compiler/emit/firmware/index.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { loadHostFirmware, SEABIOS_BIN } from '../../runtime/index.js';
import { Computer, OutputWatch } from '../../runtime/machine/runner.js';
import { loadGenerated } from '../codegen/support.js';

/** Where SeaBIOS hands over to a boot device (or gives up): the end of what both sides must agree on. */
export const BOOT_ATTEMPT = /^(Booting from .*|No bootable device\.)$/m;

export interface SeabiosRun {
  readonly log: string;
  readonly serial: string;
  readonly instructions: number;
  readonly guestNs: number;
  /** Why the run ended. */
  readonly stop: string;
}

/**
 * The machine as both sides run it: qcow2 images become raw ones, which
 * prepareImages makes without qemu-img (SeaBIOS sees the same blank disk
 * either way).
 */
export function resolve(path: string): ResolvedMachine {
  const text = readFileSync(path, 'utf8').replace(/(\bimage:\s*[^\s,}]+)\.qcow2(?=[\s,}]|$)/gm, '$1.raw');
  const r = compileMachine(path, { text });
  if (!r.machine) throw new Error(`${path}: ${r.diagnostics.sorted().map((d) => d.message).join('; ')}`);
  return r.machine;
}

/**
 * Creates the machine's disk images (64 MiB of zeros, raw, sparse) under
 * `dir`, where both sides open them: QEMU runs in `dir`, the runtime opens
 * the drives relative to it.
 */
export function prepareImages(machine: ResolvedMachine, dir: string): void {
  for (const image of qemuCommand(machine).images) {
    if (image.format !== 'raw') throw new Error(`${image.path}: only raw images are supported here`);
    const file = join(dir, image.path);
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) {
      writeFileSync(file, new Uint8Array(0));
      truncateSync(file, 64 * 2 ** 20);
    }
  }
}

export interface OurBootOptions {
  /** Where the machine's images are (prepareImages); required when it has any. */
  readonly imageDir?: string;
  readonly bios?: string;
  readonly until?: RegExp;
  readonly maxInstructions?: number;
}

/** Watches the debug-console log for the stop pattern, line by line. */
class LogWatch extends OutputWatch {
  readonly bytes: number[] = [];
  private hit = false;
  constructor(private readonly pattern: RegExp) {
    super(undefined);
  }
  override push(byte: number): void {
    this.bytes.push(byte);
    if (byte === 0x0a && !this.hit) this.hit = this.pattern.test(this.log());
  }
  override get matched(): boolean {
    return this.hit;
  }
  log(): string {
    return Buffer.from(this.bytes).toString('latin1');
  }
}

/** SeaBIOS on machc's runtime: the generated module's machine run by the runtime's Computer until the stop pattern. */
export async function seabiosOnMachc(machine: ResolvedMachine, opts: OurBootOptions = {}): Promise<SeabiosRun> {
  const mod = await loadGenerated(machine);
  const fw = buildFirmwareFiles(machine, buildAcpiTables(machine));
  const host = loadHostFirmware({ bios: opts.bios ?? SEABIOS_BIN, nicModels: machine.pci.functions.map((f) => f.model) });
  const watch = new LogWatch(opts.until ?? BOOT_ATTEMPT);
  const serial: number[] = [];
  const { machine: m } = mod.createMachine({
    bios: host.bios,
    vgaBios: host.vgaBios,
    optionRoms: host.optionRoms,
    fwCfgFiles: [...fw.files, ...fw.qemuFiles, ...host.genroms],
    debugconSink: (b) => watch.push(b),
    serialSink: (b) => void serial.push(b),
  });
  const errors = m.openDrives({ baseDir: opts.imageDir ?? '/nonexistent' });
  if (errors.length > 0) throw new Error(`cannot open the drives: ${errors.join('; ')}`);
  const r = new Computer(m).run({ maxInstructions: opts.maxInstructions ?? 100_000_000 }, watch);
  const stop = r.reason === 'until' ? 'stop pattern' : `${r.reason}${r.detail ? `: ${r.detail}` : ''}`;
  return { log: watch.log(), serial: Buffer.from(serial).toString('latin1'), instructions: r.instructions, guestNs: r.guestNs, stop };
}

/** SeaBIOS's log on QEMU 7.2 for the machine, as machc's qemu.args runs it with machc's ACPI files. */
export async function seabiosOnQemu(
  machine: ResolvedMachine,
  opts: { bios?: string; qemu?: string; until?: RegExp; timeoutMs?: number; /** The folder holding the machine's images (default: blank raw ones made for the run). */ imageDir?: string } = {},
): Promise<SeabiosRun> {
  const until = opts.until ?? BOOT_ATTEMPT;
  const dir = mkdtempSync(join(tmpdir(), 'machc-seabios-'));
  try {
    if (!opts.imageDir) prepareImages(machine, dir);
    const fw = buildFirmwareFiles(machine, buildAcpiTables(machine));
    const fwArgs: string[] = [];
    for (const f of fw.files.filter((x) => x.name.startsWith('etc/acpi') || x.name === 'etc/table-loader')) {
      const p = join(dir, f.name.replace(/\//g, '_'));
      writeFileSync(p, f.bytes);
      fwArgs.push('-fw_cfg', `name=${f.name},file=${p}`);
    }
    const logPath = join(dir, 'debugcon.log');
    const cmd = qemuCommand(machine);
    // RAM larger than this host's is fine for a guest that touches little of it: do not reserve it up front.
    const value = (o: { option: string; value?: string }) => (o.option === '-object' && o.value?.startsWith('memory-backend-ram,') ? `${o.value},reserve=off` : o.value);
    const base = cmd.options.filter((o) => o.option !== '-machine').flatMap((o) => (o.value === undefined ? [o.option] : [o.option, value(o)!]));
    // machc's machine options (sata=off, smbus=off...) with machc's ACPI instead of QEMU's.
    const machineOption = cmd.options.find((o) => o.option === '-machine')?.value ?? 'pc-q35-7.2';
    const args = [
      '-machine', `${machineOption},acpi=off`, ...base, ...fwArgs,
      '-bios', opts.bios ?? SEABIOS_BIN, '-display', 'none', '-serial', 'null', '-monitor', 'none',
      '-chardev', `file,id=dbg,path=${logPath}`, '-device', 'isa-debugcon,iobase=0x402,chardev=dbg',
    ];
    const child = spawn(opts.qemu ?? 'qemu-system-x86_64', args, { cwd: opts.imageDir ?? dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise((r) => child.once('close', r));
    const started = Date.now();
    const read = () => (existsSync(logPath) ? readFileSync(logPath, 'latin1') : '');
    let stop = 'timeout';
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      // Whole lines only: QEMU may be caught in the middle of writing one.
      if (until.test(read().replace(/[^\n]*$/, ''))) {
        stop = 'stop pattern';
        break;
      }
      if (child.exitCode !== null) {
        stop = `QEMU exited (${child.exitCode}): ${stderr.trim()}`;
        break;
      }
      if (Date.now() - started > (opts.timeoutMs ?? 30_000)) break;
    }
    child.kill('SIGKILL');
    await closed;
    return { log: read(), serial: '', instructions: 0, guestNs: 0, stop };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The log up to and including the stop line. */
export function untilStop(log: string, until: RegExp = BOOT_ATTEMPT): string {
  const m = until.exec(log);
  return m ? log.slice(0, m.index + m[0].length) : log;
}
