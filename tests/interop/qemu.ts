// Boot harness: boots a QEMU Q35 machine (SeaBIOS + Debian kernel + busybox initramfs, TCG)
// and returns what the guest saw: PCI functions and config spaces, ACPI tables, fw_cfg files,
// kernel log, SeaBIOS debug log and /proc resource maps.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareVersions, formatVersion, parseVersion } from '../../compiler/emit/qemu/version.js';
import type { QemuTarget } from '../../compiler/model/target.js';
import { parseSerialDump } from './dump.js';
import { BUSYBOX, buildInitramfs, findKernel } from './initramfs.js';

export const QEMU = '/usr/bin/qemu-system-x86_64';
export const SEABIOS = '/usr/share/seabios/bios-256k.bin';
/** OVMF (Debian `ovmf`): the firmware code, read-only, and the variable store template each boot copies. */
export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export type Firmware = 'seabios' | 'ovmf';

/**
 * The q35 machine type machc models. A newer QEMU keeps emulating it (its
 * compat properties) under this name, so boots on QEMU 8+ ask for it
 * instead of the plain `q35` alias, which names the newest q35 there.
 */
export const Q35_MACHINE = 'pc-q35-7.2';

/** Where tests/interop/qemu10.sh unpacks its QEMU 10 ($MACHC_QEMU10, else .cache/qemu10 in the repository). */
export function qemu10Prefix(): string {
  return resolve(process.env['MACHC_QEMU10'] ?? join(import.meta.dirname, '..', '..', '.cache', 'qemu10'));
}

const versions = new Map<string, string | undefined>();

/** `x.y.z` from `qemu --version`, or undefined when the binary is missing or does not run. */
export function qemuVersion(path: string): string | undefined {
  if (!versions.has(path)) {
    const r = existsSync(path) ? spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 }) : undefined;
    versions.set(path, r?.status === 0 ? /version (\d+\.\d+(?:\.\d+)?)/.exec(r.stdout)?.[1] : undefined);
  }
  return versions.get(path);
}

export interface QemuBinary {
  readonly path: string;
  /** `x.y.z` */
  readonly version: string;
}

/** The launchers tests/interop/qemu10.sh made: its default prefix first, then those of other suites (.cache/qemu-SUITE). */
function privateLaunchers(): string[] {
  const cache = join(import.meta.dirname, '..', '..', '.cache');
  const others = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('qemu-')).sort().map((d) => join(cache, d)) : [];
  return [qemu10Prefix(), ...others].map((d) => join(d, 'bin', 'qemu-system-x86_64'));
}

/**
 * A QEMU at least `minVersion` ('8.0'): the system one when it is new
 * enough, else one that tests/interop/qemu10.sh unpacked (the oldest that
 * is new enough); otherwise why there is none.
 */
export function qemuFor(minVersion: string): QemuBinary | { skip: string } {
  const min = parseVersion(minVersion);
  const system = qemuVersion(QEMU);
  if (system !== undefined && compareVersions(parseVersion(system), min) >= 0) return { path: QEMU, version: system };
  const found = privateLaunchers()
    .map((path) => ({ path, version: qemuVersion(path) }))
    .filter((q): q is QemuBinary => q.version !== undefined);
  const fit = found.filter((q) => compareVersions(parseVersion(q.version), min) >= 0);
  fit.sort((a, b) => compareVersions(parseVersion(a.version), parseVersion(b.version)));
  if (fit[0]) return fit[0];
  const have = [system === undefined ? `no ${QEMU}` : `system QEMU ${system}`];
  if (found.length) for (const q of found) have.push(`${q.path} is QEMU ${q.version}`);
  else have.push(`no ${join(qemu10Prefix(), 'bin', 'qemu-system-x86_64')} (tests/interop/qemu10.sh makes it)`);
  return { skip: `needs QEMU >= ${formatVersion(min)}: ${have.join(', ')}` };
}

/**
 * The QEMU of a target: the system's when it is that release (7.2), else the
 * one tests/interop/qemu10.sh unpacked for it (10.0 from bookworm-backports,
 * 11.1 from trixie-backports); otherwise why there is none.
 */
export function qemuForTarget(target: QemuTarget): QemuBinary | { skip: string } {
  const same = (v: string | undefined) => v !== undefined && compareVersions(parseVersion(v), parseVersion(target.version)) === 0;
  const system = qemuVersion(QEMU);
  if (same(system)) return { path: QEMU, version: system! };
  for (const path of privateLaunchers()) {
    const v = qemuVersion(path);
    if (same(v)) return { path, version: v! };
  }
  const suite = target.debian.endsWith('-backports') ? ` (bash tests/interop/qemu10.sh${target.debian === 'bookworm-backports' ? '' : ` --suite ${target.debian}`})` : '';
  return { skip: `needs QEMU ${target.version}, from Debian ${target.debian}${suite}` };
}

export interface BootOptions {
  /** QEMU binary, default the system's (QEMU); see qemuFor */
  qemu?: string;
  /** topology args for QEMU; the harness adds kernel/initrd/serial/debugcon etc. */
  args: string[];
  /** -machine value, default 'q35' on the system QEMU and Q35_MACHINE on another (ignored if args contain -machine/-M) */
  machine?: string;
  /** -m value, default '512M' (ignored if args contain -m) */
  memory?: string;
  /** -smp value (ignored if args contain -smp) */
  smp?: string;
  /** fw_cfg name -> host file path, passed as -fw_cfg name=NAME,file=PATH */
  fwCfgFiles?: Record<string, string>;
  /** PF BDF ('0000:01:00.0') -> number of VFs to enable (sriov_numvfs) in the guest */
  enableVfs?: Record<string, number>;
  /** default 180000 */
  timeoutMs?: number;
  /** How long SeaBIOS may log nothing before its boot attempt (then the boot fails as 'stall'); default FIRMWARE_STALL_MS */
  stallMs?: number;
  /** '@WORK@' in args is replaced with it */
  workDir?: string;
  /** extra guest modules to load at boot (e.g. ['nvme','e1000e']); binding drivers changes config space (bus master, MSI). */
  loadModules?: string[];
  /** PFs (BDF) the guest gives to pci-pf-stub before loading modules, so that no driver in loadModules takes them */
  stubPfs?: string[];
  /** two PCI functions (BDF) whose network interfaces exchange a ping in the guest (an unbound VF binds to its driver after the first is up) */
  ping?: readonly [string, string];
  /**
   * An nvme PF and one of its VFs (BDF): the guest brings the VF's secondary controller online
   * with Virtualization Management, binds the VF to nvme and moves blocks between the two
   * controllers' views of the namespace (guest-init.sh machc.nvmevf; adds nvme_core.multipath=N)
   */
  nvmeVf?: readonly [string, string];
  /** extra kernel command line */
  append?: string;
  /** keep the per-boot temp dir (serial/seabios logs) instead of deleting it */
  keepTemp?: boolean;
  /** 'seabios' (default, -bios) or 'ovmf' (two pflash drives: OVMF_CODE read-only, a copy of OVMF_VARS) */
  firmware?: Firmware;
}

export interface PciFunction {
  bdf: string;
  vendor: number;
  device: number;
  classCode: number;
  sriovTotalVfs?: number;
  sriovNumVfs?: number;
  physfn?: string;
  /** name of the bound guest driver, if any */
  driver?: string;
}

export interface BootResult {
  functions: PciFunction[];
  /** BDF -> config space bytes (/sys/bus/pci/devices/BDF/config, read after VFs were enabled) */
  configs: Map<string, Buffer>;
  /** /sys/firmware/acpi/tables/** (e.g. 'DSDT', 'dynamic/SSDT1') -> bytes */
  tables: Map<string, Buffer>;
  /** fw_cfg name (e.g. 'etc/e820') -> bytes; files > 1 MiB skipped */
  fwCfg: Map<string, Buffer>;
  /** fw_cfg directory as the guest saw it: selector key, size, name (also the skipped ones) */
  fwCfgDir: { key: number; size: number; name: string; skipped: boolean }[];
  dmesg: string;
  serial: string;
  /** the firmware's debug console (I/O port 0x402): SeaBIOS's log; OVMF's release build writes nothing there */
  seabiosLog: string;
  iomem?: string;
  ioports?: string;
  interrupts?: string;
  /** `BDF acpi_index label` for each function Linux found an ACPI instance number for (sysfs acpi_index, label) */
  acpiIndex?: string;
  /** messages from the guest /init (module loading, SR-IOV enabling) */
  initLog: string;
  /** the full QEMU command line used */
  qemuCommand: string[];
  /** wall time from spawn to QEMU exit */
  bootMs: number;
}

/** SeaBIOS messages after which it halts (panic) instead of booting. */
const FIRMWARE_FATAL = /PCI: out of [\w/ ]+ address space|^panic[^\n]*|BUG: [^\n]*/m;

/**
 * How long SeaBIOS may write nothing to its log before its boot attempt. Its slowest step on
 * the largest machine takes seconds under load; QEMU 7.2's TCG has been seen to hang for good
 * while SeaBIOS sets up VGA on a large machine (it logs "set VGA mode 3" and nothing more).
 */
const FIRMWARE_STALL_MS = 90_000;

/** Boot failure; carries whatever logs were produced (a firmware panic is a result worth recording). */
export class BootError extends Error {
  constructor(
    readonly kind: 'timeout' | 'stall' | 'qemu' | 'firmware' | 'dump',
    message: string,
    readonly logs: { serial: string; seabiosLog: string; stderr: string; qemuCommand: string[]; bootMs: number },
  ) {
    super(message);
    this.name = 'BootError';
  }
}

export function qemuAvailable(qemu: string = QEMU, firmware: Firmware = 'seabios'): { ok: true } | { ok: false; reason: string } {
  const missing: string[] = [];
  if (!existsSync(qemu)) missing.push(qemu);
  if (firmware === 'seabios' && !existsSync(SEABIOS)) missing.push(SEABIOS);
  if (firmware === 'ovmf') for (const f of [OVMF_CODE, OVMF_VARS]) if (!existsSync(f)) missing.push(`${f} (Debian package ovmf)`);
  if (!existsSync(BUSYBOX)) missing.push(BUSYBOX);
  if (!findKernel()) missing.push('/boot/vmlinuz-* with /lib/modules/*/modules.dep');
  if (missing.length) return { ok: false, reason: `missing: ${missing.join(', ')}` };
  try {
    const k = findKernel();
    if (k) readFileSync(k.vmlinuz, { flag: 'r' }).subarray(0, 1);
  } catch (e) {
    return { ok: false, reason: `kernel not readable: ${(e as Error).message}` };
  }
  return { ok: true };
}

function hasOpt(args: string[], ...names: string[]): boolean {
  return args.some((a) => names.includes(a));
}

/** Build the QEMU command line (exported for the capture script / debugging). */
export function buildQemuArgs(
  opts: BootOptions,
  paths: { kernel: string; initrd: string; serial: string; seabiosLog: string; ovmfVars?: string },
): string[] {
  const work = opts.workDir ?? '';
  const topo = opts.args.map((a) => (opts.workDir !== undefined ? a.split('@WORK@').join(work) : a));
  if (opts.workDir === undefined && topo.some((a) => a.includes('@WORK@'))) {
    throw new Error('args contain @WORK@ but no workDir was given');
  }
  const out: string[] = [];
  // On another QEMU than the system's 7.2, plain `q35` would be that QEMU's newest q35.
  const machine = opts.machine ?? (opts.qemu !== undefined && opts.qemu !== QEMU ? Q35_MACHINE : 'q35');
  if (!hasOpt(topo, '-machine', '-M')) out.push('-machine', machine);
  out.push('-accel', 'tcg');
  if (!hasOpt(topo, '-m')) out.push('-m', opts.memory ?? '512M');
  if (opts.smp !== undefined && !hasOpt(topo, '-smp')) out.push('-smp', opts.smp);
  if (opts.firmware === 'ovmf') {
    if (!paths.ovmfVars) throw new Error('an OVMF boot needs a copy of OVMF_VARS');
    out.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,unit=1,file=${paths.ovmfVars}`);
  } else if (!hasOpt(topo, '-bios')) out.push('-bios', SEABIOS);
  // keep the default devices (VGA, LPT, ...): the machine must look like a plain `-machine q35`
  out.push('-display', 'none', '-monitor', 'none', '-no-reboot');
  out.push('-serial', `file:${paths.serial}`);
  out.push('-chardev', `file,id=machcdbg,path=${paths.seabiosLog}`, '-device', 'isa-debugcon,iobase=0x402,chardev=machcdbg');
  if (!hasOpt(topo, '-net', '-nic', '-netdev')) out.push('-net', 'none');
  for (const [name, file] of Object.entries(opts.fwCfgFiles ?? {})) {
    if (name.includes(',') || file.includes(',')) throw new Error(`fw_cfg name/path must not contain ',': ${name}=${file}`);
    out.push('-fw_cfg', `name=${name},file=${file}`);
  }
  out.push('-kernel', paths.kernel, '-initrd', paths.initrd, '-append', guestCommandLine(opts));
  out.push(...topo);
  return out;
}

/** The kernel command line of a harness boot: the serial console, the guest /init's parameters, `opts.append`. */
export function guestCommandLine(opts: Pick<BootOptions, 'enableVfs' | 'loadModules' | 'stubPfs' | 'ping' | 'nvmeVf' | 'append'>): string {
  // no_timer_check: on a busy host TCG can miss Linux's IO-APIC timer check, which then panics.
  const append = ['console=ttyS0', 'loglevel=4', 'panic=-1', 'nokaslr', 'no_timer_check', 'rdinit=/init'];
  const vfs = Object.entries(opts.enableVfs ?? {});
  if (vfs.length) append.push(`machc.vfs=${vfs.map(([bdf, n]) => `${normBdf(bdf)}=${n}`).join(',')}`);
  if (opts.loadModules?.length) append.push(`machc.mods=${opts.loadModules.join(',')}`);
  if (opts.stubPfs?.length) append.push(`machc.stub=${opts.stubPfs.map(normBdf).join(',')}`);
  if (opts.ping) append.push(`machc.ping=${opts.ping.map(normBdf).join(',')}`);
  // Without multipath the VF's controller has a disk of its own for the namespace it shares with the PF.
  if (opts.nvmeVf) append.push(`machc.nvmevf=${opts.nvmeVf.map(normBdf).join(',')}`, 'nvme_core.multipath=N');
  if (opts.append) append.push(opts.append);
  return append.join(' ');
}

function normBdf(bdf: string): string {
  const m = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/.exec(bdf);
  if (!m) throw new Error(`bad BDF ${bdf}`);
  return `${m[1] ?? '0000'}:${m[2]}:${m[3]}.${m[4]}`.toLowerCase();
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

function tail(s: string, lines = 40): string {
  return s.split(/\r?\n/).slice(-lines).join('\n');
}

export async function bootLinux(opts: BootOptions): Promise<BootResult> {
  const qemu = opts.qemu ?? QEMU;
  const avail = qemuAvailable(qemu, opts.firmware);
  if (!avail.ok) throw new Error(`QEMU boot harness unavailable: ${avail.reason}`);
  const initramfs = buildInitramfs();
  for (const m of opts.loadModules ?? []) {
    if (!initramfs.modules.includes(m)) throw new Error(`module ${m} is not in the initramfs (have: ${initramfs.modules.join(', ')})`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'machc-boot-'));
  const paths = {
    kernel: initramfs.kernel.vmlinuz,
    initrd: initramfs.path,
    serial: join(tmp, 'serial.txt'),
    seabiosLog: join(tmp, 'seabios.log'),
    ...(opts.firmware === 'ovmf' ? { ovmfVars: join(tmp, 'OVMF_VARS.fd') } : {}),
  };
  try {
    if (paths.ovmfVars) copyFileSync(OVMF_VARS, paths.ovmfVars);
    const args = buildQemuArgs(opts, paths);
    const cmd = [qemu, ...args];
    const timeoutMs = opts.timeoutMs ?? 180_000;
    const stallMs = opts.stallMs ?? FIRMWARE_STALL_MS;
    const started = Date.now();
    const { code, signal, stderr, stop } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
      stop?: 'timeout' | 'stall' | 'firmware';
    }>((resolve, reject) => {
      const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stop: 'timeout' | 'stall' | 'firmware' | undefined;
      child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        stop = 'timeout';
        child.kill('SIGKILL');
      }, timeoutMs);
      // SeaBIOS panics (e.g. "PCI: out of I/O address space") halt the vCPU forever: fail fast.
      // So does a SeaBIOS log that stops growing before its boot attempt.
      let logged = { length: -1, at: Date.now() };
      const poll = setInterval(() => {
        const log = readText(paths.seabiosLog);
        if (FIRMWARE_FATAL.test(log)) {
          stop = 'firmware';
          child.kill('SIGKILL');
        } else if (log.length !== logged.length) {
          logged = { length: log.length, at: Date.now() };
        } else if (opts.firmware !== 'ovmf' && !/^Booting from /m.test(log) && Date.now() - logged.at > stallMs) {
          stop = 'stall';
          child.kill('SIGKILL');
        }
      }, 1000);
      const done = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
      };
      child.on('error', (e) => {
        done();
        reject(e);
      });
      child.on('close', (code, signal) => {
        done();
        resolve(stop ? { code, signal, stderr, stop } : { code, signal, stderr });
      });
    });
    const bootMs = Date.now() - started;
    const serial = readText(paths.serial);
    const seabiosLog = readText(paths.seabiosLog);
    const fail = (kind: BootError['kind'], what: string): BootError =>
      new BootError(
        kind,
        `${what}\ncommand: ${cmd.join(' ')}\n--- serial tail ---\n${tail(serial)}\n--- seabios.log tail ---\n${tail(seabiosLog, 15)}\n--- qemu stderr ---\n${stderr}`,
        { serial, seabiosLog, stderr, qemuCommand: cmd, bootMs },
      );
    if (stop === 'firmware') throw fail('firmware', `SeaBIOS stopped: ${FIRMWARE_FATAL.exec(seabiosLog)?.[0] ?? '?'} (QEMU killed)`);
    if (stop === 'timeout') throw fail('timeout', `QEMU timed out after ${timeoutMs} ms (killed)`);
    if (stop === 'stall') throw fail('stall', `SeaBIOS logged nothing for ${stallMs / 1000} s before its boot attempt (QEMU killed)`);
    if (code !== 0) throw fail('qemu', `QEMU exited with ${code ?? signal}`);
    let files: Map<string, Buffer>;
    try {
      files = parseSerialDump(serial);
    } catch (e) {
      throw fail('dump', (e as Error).message);
    }
    return { ...decodeDump(files), serial, seabiosLog, qemuCommand: cmd, bootMs };
  } finally {
    if (!opts.keepTemp) rmSync(tmp, { recursive: true, force: true });
  }
}

/** What the guest /init's dump holds, decoded (shared with the runtime's boot harness). */
export function decodeDump(files: Map<string, Buffer>): Omit<BootResult, 'serial' | 'seabiosLog' | 'qemuCommand' | 'bootMs'> {
  const text = (name: string): string | undefined => files.get(name)?.toString('utf8');
  const functions: PciFunction[] = [];
  const configs = new Map<string, Buffer>();
  for (const line of (text('pci.txt') ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [bdf, vendor, device, cls, tv, nv, pf, drv] = f as [string, string, string, string, string, string, string, string];
    const fn: PciFunction = { bdf, vendor: parseInt(vendor, 16), device: parseInt(device, 16), classCode: parseInt(cls, 16) };
    if (tv !== '-') fn.sriovTotalVfs = Number(tv);
    if (nv !== '-') fn.sriovNumVfs = Number(nv);
    if (pf !== '-') fn.physfn = pf;
    if (drv !== '-') fn.driver = drv;
    functions.push(fn);
    const cfg = files.get(`pci/${bdf}`);
    if (cfg) configs.set(bdf, cfg);
  }
  functions.sort((a, b) => a.bdf.localeCompare(b.bdf));
  const tables = new Map<string, Buffer>();
  for (const [name, data] of files) if (name.startsWith('acpi/')) tables.set(name.slice(5), data);
  const fwCfg = new Map<string, Buffer>();
  const fwCfgDir: BootResult['fwCfgDir'] = [];
  for (const line of (text('fwcfg.txt') ?? '').split('\n')) {
    const m = /^(\d+) (\d+) (\S+)( SKIPPED)?$/.exec(line.trim());
    if (!m || m[1] === undefined || m[3] === undefined) continue;
    const skipped = m[4] !== undefined;
    fwCfgDir.push({ key: Number(m[1]), size: Number(m[2]), name: m[3], skipped });
    const data = files.get(`fwcfg/${m[1]}`);
    if (!skipped && data) fwCfg.set(m[3], data);
  }
  fwCfgDir.sort((a, b) => a.key - b.key);
  const r: Omit<BootResult, 'serial' | 'seabiosLog' | 'qemuCommand' | 'bootMs'> = {
    functions,
    configs,
    tables,
    fwCfg,
    fwCfgDir,
    dmesg: text('dmesg.txt') ?? '',
    initLog: text('init.log') ?? '',
  };
  const iomem = text('proc/iomem');
  const ioports = text('proc/ioports');
  const interrupts = text('proc/interrupts');
  if (iomem !== undefined) r.iomem = iomem;
  if (ioports !== undefined) r.ioports = ioports;
  if (interrupts !== undefined) r.interrupts = interrupts;
  const acpiIndex = text('acpi-index.txt');
  if (acpiIndex) r.acpiIndex = acpiIndex;
  return r;
}
