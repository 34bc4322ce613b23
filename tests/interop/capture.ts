// Capture script: boots a topology with the interop harness and writes
// tests/fixtures/captures/NAME/ in the shape of /work/shared/reference/qemu-7.2-q35/*.
//
// usage:
//   npx tsx tests/interop/capture.ts NAME [--vfs BDF=N]... [--mods m1,m2] [--out DIR] -- QEMU-ARGS...
//   npx tsx tests/interop/capture.ts NAME [--vfs BDF=N]... --args-file path/to/qemu.args
//   npx tsx tests/interop/capture.ts NAME --target 10.0 -- QEMU-ARGS...   (a machc target: its QEMU and machine type)
//   npx tsx tests/interop/capture.ts NAME --qemu .cache/qemu10/bin/qemu-system-x86_64 ... (another QEMU)
//
// '@WORK@' in QEMU args stands for a scratch folder; every '@WORK@/NAME' used as a -drive
// file= is created there as a sparse 64 MiB image (qcow2 when the drive says format=qcow2) if it
// does not exist. With --target V the QEMU is that release (tests/interop/qemu10.sh unpacks 10.0
// and 11.1), a `q35` in -machine becomes its machine type pc-q35-V, and the capture goes to
// tests/fixtures/captures/qemu-V/NAME (7.2: tests/fixtures/captures/NAME). With --qemu other than
// the system's 7.2, a `q35` becomes pc-q35-7.2.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTargetVersion, TARGETS, type QemuTarget } from '../../compiler/model/target.js';
import { type BootOptions, type BootResult, BootError, bootLinux, Q35_MACHINE, QEMU, qemuForTarget, qemuVersion } from './qemu.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = resolve(HERE, '../fixtures/captures');
const REPO = resolve(HERE, '../..');

export interface CaptureOptions {
  name: string;
  args: string[];
  vfs: Record<string, number>;
  mods: string[];
  outRoot: string;
  timeoutMs?: number;
  /** one line saying what the topology is (README) */
  description?: string;
  /** the boot is expected to fail (e.g. SeaBIOS panic): record qemu.args, seabios.log, serial.txt, error.txt */
  expectFailure?: boolean;
  /** QEMU binary other than the system's */
  qemu?: string;
  /** machc target: the QEMU release and its machine type (overrides qemu) */
  target?: QemuTarget;
}

/** Where the captures of a target go: tests/fixtures/captures, or its qemu-V subfolder for a newer target. */
export function targetOutRoot(target: QemuTarget | undefined): string {
  return target === undefined || target.version === '7.2' ? DEFAULT_OUT : join(DEFAULT_OUT, `qemu-${target.version}`);
}

/** Args with `-machine q35...` asking for a versioned machine type. */
function pinMachine(args: string[], machineType: string): string[] {
  return args.map((a, i) => (args[i - 1] === '-machine' || args[i - 1] === '-M' ? a.replace(/^q35(?=,|$)/, machineType) : a));
}

/** The machine type `q35` stands for in a capture. */
function machineTypeOf(o: CaptureOptions): string {
  return o.target?.machineType ?? (o.qemu !== undefined && o.qemu !== QEMU ? Q35_MACHINE : 'q35');
}

/** Which QEMU a capture used, for its README. */
function qemuName(o: CaptureOptions): string {
  const path = o.qemu ?? QEMU;
  const version = qemuVersion(path) ?? '?';
  const where = path === QEMU ? '' : ` (\`${path.replace(/^.*\/(\.cache\/)/, '$1')}\`, from tests/interop/qemu10.sh)`;
  return machineTypeOf(o) === 'q35' ? `QEMU ${version}` : `QEMU ${version}${where} with machine type ${machineTypeOf(o)}`;
}

/** Split a qemu.args file into argv (whitespace separated; '...' and "..." quoting; # comments). */
export function parseArgsFile(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/^\s*#.*$/, '');
    const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return out;
}

function shellQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** qemu.args text: one option (with its value) per line. */
export function formatArgs(args: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const next = args[i + 1];
    if (a.startsWith('-') && next !== undefined && !next.startsWith('-')) {
      lines.push(`${a} ${shellQuote(next)}`);
      i++;
    } else lines.push(shellQuote(a));
  }
  return lines.join('\n') + '\n';
}

function createDriveImages(args: string[], work: string): void {
  for (const a of args) {
    for (const m of a.matchAll(/(?:^|,)file=@WORK@\/([^,]+)/g)) {
      const p = join(work, m[1] ?? '');
      if (!existsSync(p)) {
        mkdirSync(dirname(p), { recursive: true });
        if (/(?:^|,)format=qcow2(?:,|$)/.test(a)) {
          execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', p, '64M']);
        } else {
          writeFileSync(p, '');
          execFileSync('truncate', ['-s', '64M', p]);
        }
      }
    }
  }
}

const hex = (n: number, w: number): string => '0x' + n.toString(16).padStart(w, '0');

function pciTxt(r: BootResult): string {
  return r.functions
    .map((f) => `${f.bdf} ${hex(f.vendor, 4)} ${hex(f.device, 4)} ${hex(f.classCode, 6)} ${f.sriovTotalVfs ?? ''}\n`)
    .join('');
}

function sriovTxt(r: BootResult): string {
  const lines: string[] = [];
  for (const f of r.functions) {
    if (f.sriovTotalVfs !== undefined) lines.push(`${f.bdf} PF totalvfs=${f.sriovTotalVfs} numvfs=${f.sriovNumVfs ?? 0} driver=${f.driver ?? '-'}`);
    if (f.physfn !== undefined) lines.push(`${f.bdf} VF physfn=${f.physfn} driver=${f.driver ?? '-'}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

const ACPI_LINE = /ACPI|Firmware Bug|FW_BUG|\bAE_[A-Z_]+|_CRS|_OSC|_PRT|DSDT|SSDT|MCFG|MMCONFIG/;
const PROBLEM = /error|warn|bug|fail|invalid|corrupt|mismatch|incorrect|ignor|conflict|AE_[A-Z_]+|not found|can't|cannot/i;

export function dmesgAcpi(dmesg: string): string {
  return dmesg
    .split('\n')
    .filter((l) => ACPI_LINE.test(l) && PROBLEM.test(l))
    .map((l) => l + '\n')
    .join('');
}

/** iasl -d each table; strips the date line so re-captures diff cleanly. */
function disassemble(acpiDir: string, names: string[]): void {
  const tmp = mkdtempSync(join(tmpdir(), 'machc-iasl-'));
  try {
    for (const name of names) {
      const base = name.replace(/\//g, '_');
      const src = join(tmp, base);
      writeFileSync(src, readFileSync(join(acpiDir, name)));
      try {
        execFileSync('iasl', ['-d', base], { cwd: tmp, stdio: 'pipe' });
      } catch (e) {
        process.stderr.write(`iasl -d ${name} failed: ${(e as Error).message}\n`);
      }
      const dsl = join(tmp, `${base}.dsl`);
      if (existsSync(dsl)) {
        const text = readFileSync(dsl, 'utf8')
          .split('\n')
          .filter((l) => !/^ \* Disassembly of .*, \w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/.test(l))
          .join('\n');
        writeFileSync(join(acpiDir, `${name}.dsl`), text);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function commandLine(o: CaptureOptions): string {
  return [
    'npx tsx tests/interop/capture.ts',
    o.name,
    ...Object.entries(o.vfs).map(([b, n]) => `--vfs ${b}=${n}`),
    ...(o.mods.length ? [`--mods ${o.mods.join(',')}`] : []),
    ...(o.expectFailure ? ['--expect-failure'] : []),
    ...(o.target !== undefined ? ['--target', o.target.version] : o.qemu !== undefined && o.qemu !== QEMU ? ['--qemu', o.qemu.replace(/^.*\/(\.cache\/)/, '$1')] : []),
    '--',
    ...o.args.map(shellQuote),
  ].join(' ');
}

function writeFailure(o: CaptureOptions, dir: string, e: BootError): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'qemu.args'), formatArgs(o.args));
  writeFileSync(join(dir, 'seabios.log'), e.logs.seabiosLog);
  writeFileSync(join(dir, 'serial.txt'), e.logs.serial);
  writeFileSync(join(dir, 'error.txt'), `${e.kind}: ${e.message.split('\n')[0] ?? ''}\n`);
  const readme = [
    `# ${o.name}`,
    '',
    ...(o.description ? [o.description, ''] : []),
    `${qemuName(o)} / SeaBIOS 1.16.2 under TCG, captured by \`tests/interop/capture.ts\`. **The machine does not boot**:`,
    `${e.message.split('\n')[0] ?? ''}. Only qemu.args, seabios.log, serial.txt and error.txt are recorded.`,
    '',
    `Command: \`${commandLine(o)}\``,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'README.md'), readme);
}

export async function capture(o: CaptureOptions): Promise<{ dir: string; result?: BootResult; failure?: BootError }> {
  const work = mkdtempSync(join(tmpdir(), 'machc-capture-work-'));
  try {
    if (o.target !== undefined) {
      const q = qemuForTarget(o.target);
      if ('skip' in q) throw new Error(`${o.name}: ${q.skip}`);
      o.qemu = q.path;
    }
    if (machineTypeOf(o) !== 'q35') o.args = pinMachine(o.args, machineTypeOf(o));
    createDriveImages(o.args, work);
    const boot: BootOptions = { args: o.args, workDir: work, enableVfs: o.vfs, loadModules: o.mods };
    if (o.qemu !== undefined) boot.qemu = o.qemu;
    if (o.timeoutMs !== undefined) boot.timeoutMs = o.timeoutMs;
    const dir = join(o.outRoot, o.name);
    let r: BootResult;
    try {
      r = await bootLinux(boot);
    } catch (e) {
      if (!(o.expectFailure && e instanceof BootError)) throw e;
      writeFailure(o, dir, e);
      return { dir, failure: e };
    }
    if (o.expectFailure) throw new Error(`${o.name}: boot was expected to fail but succeeded`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'cfg'), { recursive: true });
    mkdirSync(join(dir, 'acpi'), { recursive: true });
    mkdirSync(join(dir, 'fw_cfg'), { recursive: true });

    writeFileSync(join(dir, 'qemu.args'), formatArgs(o.args));
    writeFileSync(join(dir, 'pci.txt'), pciTxt(r));
    const sriov = sriovTxt(r);
    if (sriov) writeFileSync(join(dir, 'sriov.txt'), sriov);
    for (const [bdf, cfg] of r.configs) writeFileSync(join(dir, 'cfg', `${bdf}.bin`), cfg);
    for (const [name, data] of r.tables) {
      mkdirSync(dirname(join(dir, 'acpi', name)), { recursive: true });
      writeFileSync(join(dir, 'acpi', name), data);
    }
    disassemble(join(dir, 'acpi'), [...r.tables.keys()]);
    for (const [name, data] of r.fwCfg) writeFileSync(join(dir, 'fw_cfg', name.replace(/\//g, '_')), data);
    writeFileSync(
      join(dir, 'fw_cfg.txt'),
      r.fwCfgDir.map((e) => `${hex(e.key, 4)} ${String(e.size).padStart(7)} ${e.name}${e.skipped ? ' (skipped: > 1 MiB)' : ''}\n`).join(''),
    );
    writeFileSync(join(dir, 'seabios.log'), r.seabiosLog);
    writeFileSync(join(dir, 'serial.txt'), stripDump(r.serial));
    writeFileSync(join(dir, 'dmesg.txt'), r.dmesg);
    writeFileSync(join(dir, 'dmesg-acpi.txt'), dmesgAcpi(r.dmesg));
    if (r.iomem !== undefined) writeFileSync(join(dir, 'iomem.txt'), r.iomem);
    if (r.ioports !== undefined) writeFileSync(join(dir, 'ioports.txt'), r.ioports);
    if (r.interrupts !== undefined) writeFileSync(join(dir, 'interrupts.txt'), r.interrupts);
    if (r.acpiIndex !== undefined) writeFileSync(join(dir, 'acpi-index.txt'), r.acpiIndex);
    if (r.initLog.trim()) writeFileSync(join(dir, 'init.log'), r.initLog);
    const cmd = commandLine(o);
    const readme = [
      `# ${o.name}`,
      '',
      ...(o.description ? [o.description, ''] : []),
      `${qemuName(o)} / SeaBIOS 1.16.2 / Linux ${kernelVersion(r)} under TCG, captured by \`tests/interop/capture.ts\`.`,
      '',
      `Command: \`${cmd}\``,
      '',
      `Harness defaults (unless in qemu.args): -machine ${machineTypeOf(o)}, -m 512M, -net none, SeaBIOS bios-256k.bin, -kernel/-initrd (linuxboot_dma.bin),`,
      `one serial port (ttyS0) to a file, isa-debugcon at 0x402. Boot took ${(r.bootMs / 1000).toFixed(1)} s.`,
      '',
      `Full QEMU command: \`${r.qemuCommand.map(shellQuote).join(' ').replace(/\/tmp\/machc-[^ ,']*/g, '$TMP').split(REPO + '/').join('')}\``,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'README.md'), readme);
    return { dir, result: r };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function kernelVersion(r: BootResult): string {
  const m = /Linux version (\S+)/.exec(r.dmesg);
  return m?.[1] ?? '?';
}

/** serial.txt without the (large, already decoded) base64 dump body. */
function stripDump(serial: string): string {
  return serial.replace(/(@@MACHC-DUMP-BEGIN[^\n]*\n)[\s\S]*?(@@MACHC-DUMP-END@@)/, '$1[base64 dump elided]\n$2');
}

function usage(): never {
  process.stderr.write(
    'usage: npx tsx tests/interop/capture.ts NAME [--vfs BDF=N]... [--mods m1,m2] [--out DIR] [--desc TEXT] [--expect-failure] [--timeout MS] [--target 7.2|10.0|11.1 | --qemu PATH] (--args-file FILE | -- QEMU-ARGS...)\n',
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const name = argv[0];
  if (!name || name.startsWith('-')) usage();
  const o: CaptureOptions = { name, args: [], vfs: {}, mods: [], outRoot: DEFAULT_OUT };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--') {
      o.args.push(...argv.slice(i + 1));
      break;
    } else if (a === '--vfs' && v) {
      const m = /^(.+)=(\d+)$/.exec(v);
      if (!m || !m[1]) usage();
      o.vfs[m[1]] = Number(m[2]);
      i++;
    } else if (a === '--mods' && v) {
      o.mods.push(...v.split(',').filter(Boolean));
      i++;
    } else if (a === '--out' && v) {
      o.outRoot = resolve(v);
      i++;
    } else if (a === '--expect-failure') {
      o.expectFailure = true;
    } else if (a === '--desc' && v) {
      o.description = v;
      i++;
    } else if (a === '--timeout' && v) {
      o.timeoutMs = Number(v);
      i++;
    } else if (a === '--qemu' && v) {
      o.qemu = resolve(v);
      i++;
    } else if (a === '--target' && v && isTargetVersion(v)) {
      o.target = TARGETS[v];
      if (o.outRoot === DEFAULT_OUT) o.outRoot = targetOutRoot(o.target);
      i++;
    } else if (a === '--args-file' && v) {
      o.args.push(...parseArgsFile(readFileSync(v, 'utf8')));
      i++;
    } else usage();
  }
  const { dir, result, failure } = await capture(o);
  if (!result) {
    process.stdout.write(`${o.name}: boot failed as expected (${failure?.kind}): ${failure?.message.split('\n')[0]} -> ${dir}\n`);
    return;
  }
  process.stdout.write(
    `${o.name}: ${result.functions.length} PCI functions, ${result.tables.size} ACPI tables, ${result.fwCfg.size} fw_cfg files, boot ${(result.bootMs / 1000).toFixed(1)} s -> ${dir}\n`,
  );
  if (result.initLog.trim()) process.stdout.write(result.initLog);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
