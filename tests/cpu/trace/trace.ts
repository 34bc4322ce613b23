/**
 * Tracing real firmware on QEMU, and comparing traces, from the command line:
 *
 *   npx tsx tests/cpu/trace/trace.ts qemu [MACHINE.yaml] [--bios PATH] [--until TEXT] [--max N]
 *        [--trace OUT] [--regs] [--unit run|insn] [--rep-once] [--icount] [--machc-tables]
 *        [--qemu PATH] [--log OUT]
 *     runs the machine (default: the default machine) as machc builds it for QEMU (qemu.args),
 *     with the firmware (default Debian's SeaBIOS, bios.bin) and the plugin; prints the number
 *     of instructions executed up to TEXT on the debug console (or N, or the end) and writes the
 *     trace. --regs needs QEMU 9+ (--qemu .cache/qemu10/bin/qemu-system-x86_64, from
 *     tests/interop/qemu10.sh). --icount makes time follow instructions (-icount shift=0,sleep=off),
 *     so the run is repeatable. --log also writes QEMU's own -d cpu,exec,nochain -singlestep log
 *     (very large for firmware: use --max).
 *
 *   npx tsx tests/cpu/trace/trace.ts compare A B [--context N]
 *     A and B: machc traces (from the plugin above or from machc's CPU) or QEMU -d logs;
 *     prints where they first differ, with context. Exit status 1 when they differ.
 *
 *   npx tsx tests/cpu/trace/trace.ts ours MACHINE.yaml --trace OUT [...]
 *     the same run on machc's CPU through `machc run --plugin trace`, once the CPU has it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { QEMU_X86_64 } from '../lib/qemu.js';
import { compareTraces, formatComparison, loadTrace, TraceCompareError } from './compare.js';
import { buildPlugin, machineArgs, PluginError, runWithPlugin } from './plugin.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const SEABIOS = '/usr/share/seabios/bios.bin';
const MACHC = ['machc.cjs', 'machc.js'].map((f) => join(REPO, 'bin', f)).find((f) => existsSync(f)) ?? join(REPO, 'bin', 'machc.cjs');

function usage(msg: string): never {
  console.error(`trace: ${msg}`);
  console.error('usage: trace.ts qemu [MACHINE] [--bios P] [--until T] [--max N] [--trace OUT] [--regs] [--unit run|insn] [--rep-once] [--icount] [--machc-tables] [--qemu P] [--log OUT]');
  console.error('       trace.ts compare A B [--context N]');
  console.error('       trace.ts ours MACHINE --trace OUT [--bios P] [--until T]');
  process.exit(2);
}

/** machc build of a machine into a temporary folder: its QEMU arguments and, optionally, its tables. */
function machineQemuArgs(machine: string | undefined, tables: boolean): { args: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'machc-trace-build-'));
  const r = spawnSync(process.execPath, [MACHC, 'build', ...(machine ? [machine] : []), '-o', join(dir, 'out'), '--no-ts'], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    console.error(`trace: machc build failed:\n${r.stderr || r.stdout}`);
    process.exit(1);
  }
  let args = machineArgs(readFileSync(join(dir, 'out', 'qemu.args'), 'utf8'));
  if (tables) {
    args = args.map((a, i) => (args[i - 1] === '-machine' ? `${a},acpi=off` : a));
    for (const name of ['etc/table-loader', 'etc/acpi/tables', 'etc/acpi/rsdp']) args.push('-fw_cfg', `name=${name},file=${join(dir, 'out', 'fw_cfg', name)}`);
  }
  return { args, dir };
}

async function qemuCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      bios: { type: 'string' }, until: { type: 'string' }, max: { type: 'string' }, trace: { type: 'string' },
      regs: { type: 'boolean' }, unit: { type: 'string' }, 'rep-once': { type: 'boolean' }, icount: { type: 'boolean' },
      'machc-tables': { type: 'boolean' }, qemu: { type: 'string' }, log: { type: 'string' },
    },
  });
  if (positionals.length > 1) usage('one machine at most');
  if (values.unit && values.unit !== 'run' && values.unit !== 'insn') usage('--unit is run or insn');
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) usage('--max takes a positive number');
  const qemu = values.qemu ?? QEMU_X86_64;
  const bios = values.bios ?? SEABIOS;
  if (!existsSync(bios)) usage(`no firmware at ${bios}`);
  const { args, dir } = machineQemuArgs(positionals[0], values['machc-tables'] ?? false);
  const plugin = buildPlugin(qemu);
  try {
    const extra = [...(values.icount ? ['-icount', 'shift=0,sleep=off'] : []), ...(values.log ? ['-d', 'cpu,exec,nochain', '-singlestep', '-D', values.log] : [])];
    const r = await runWithPlugin({
      qemu,
      plugin,
      args,
      bios,
      ...(values.until !== undefined ? { until: values.until } : {}),
      ...(max ? { max } : {}),
      ...(values.trace ? { trace: values.trace } : {}),
      regs: values.regs ?? false,
      unit: (values.unit as 'run' | 'insn' | undefined) ?? 'run',
      repOnce: values['rep-once'] ?? false,
      extraArgs: extra,
    });
    console.log(`QEMU ${plugin.qemuVersion} (plugin API ${plugin.api}): ${r.instructions} instructions, stopped: ${r.stopped}${values.until ? ` (text: ${JSON.stringify(values.until)})` : ''}, ${(r.wallMs / 1000).toFixed(2)} s`);
    if (values.trace) console.log(`trace: ${values.trace}`);
    if (values.until !== undefined && r.stopped !== 'until') process.exitCode = 1;
  } finally {
    plugin.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function compareCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { context: { type: 'string' } } });
  if (positionals.length !== 2) usage('compare takes two traces');
  for (const p of positionals) if (!existsSync(p)) usage(`no such file: ${p}`);
  const context = values.context === undefined ? 8 : Number(values.context);
  try {
    const c = compareTraces(loadTrace(positionals[0]!), loadTrace(positionals[1]!), context);
    console.log(formatComparison(c, positionals[0]!, positionals[1]!));
    process.exitCode = c.divergence ? 1 : 0;
  } catch (e) {
    if (e instanceof TraceCompareError) {
      console.error(`trace: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}

function oursCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { bios: { type: 'string' }, until: { type: 'string' }, trace: { type: 'string' } } });
  if (!values.trace) usage('ours needs --trace OUT');
  const help = spawnSync(process.execPath, [MACHC, 'run', '--help'], { encoding: 'utf8' });
  if (!/--plugin/.test(help.stdout)) {
    console.error('trace: machc run has no --plugin yet: no trace of machc\'s side');
    process.exit(1);
  }
  const r = spawnSync(
    process.execPath,
    [MACHC, 'run', ...positionals, '--bios', values.bios ?? SEABIOS, ...(values.until ? ['--until', values.until] : []), '--plugin', `trace=${values.trace}`],
    { stdio: 'inherit' },
  );
  process.exitCode = r.status ?? 1;
}

const [cmd, ...rest] = process.argv.slice(2);
try {
  if (cmd === 'qemu') await qemuCommand(rest);
  else if (cmd === 'compare') compareCommand(rest);
  else if (cmd === 'ours') oursCommand(rest);
  else usage(cmd ? `unknown command '${cmd}'` : 'a command is needed');
} catch (e) {
  if (e instanceof PluginError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`trace: ${(e as Error).message}`);
    process.exit((e as { code?: string }).code ? 2 : 1);
  }
  throw e;
}
