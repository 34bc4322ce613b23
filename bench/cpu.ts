/**
 * The CPU benchmarks of issue 10 (item 4), in one run:
 *
 * 1. A CPU-bound 32-bit guest (bench/guest: CRC32 and a sieve from gcc -m32, about 1.5e9
 *    instructions as a 128 KiB -bios image): QEMU i386 and x86_64 TCG whole process (and less
 *    QEMU's own start, measured with the same guest at 0 rounds), v86 in process, machc's CPU in
 *    process on the bare board (runtime/machine/bare.ts), and machc with the icount plugin
 *    inline and as a callback (slowdown over no plugin). The instruction count comes from the
 *    QEMU TCG plugin (tests/cpu/trace), and every side must print the same CRC and prime count.
 *    Times are CPU time (user + system of every thread: QEMU's children through /proc/self/stat,
 *    Node's own through process.cpuUsage), which a loaded host inflates far less than wall time.
 * 2. SeaBIOS (Debian's bios.bin) to its boot attempt ("Booting from" on the debug console) on the
 *    default machine: QEMU (-machine q35 -accel tcg -nodefaults, the default machine's devices)
 *    whole process, v86 whole process (bench/v86-main.ts) and in this process, `machc run --bios`
 *    whole process.
 * 3. Linux to a shell (issue 14, item 4): Debian's 6.1 kernel with the busybox initramfs of
 *    tests/support/shell-initramfs.ts on the default machine, from start to the shell prompt on
 *    COM1: QEMU 7.2 TCG whole process vs `machc run --kernel --initrd` whole process.
 *
 * BENCH_CPU_ROUNDS (default 62: ~1.5e9 instructions), BENCH_CPU_RUNS (runs of each, default 3),
 * BENCH_LINUX_RUNS (default 1).
 */
import { spawn, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { icountPlugin, PluginHost } from '../runtime/cpu/plugins.js';
import { BareBoard } from '../runtime/machine/bare.js';
import { QEMU_I386, QEMU_X86_64 } from '../tests/cpu/lib/qemu.js';
import { buildPlugin, runWithPlugin } from '../tests/cpu/trace/plugin.js';
import { SHELL_PROMPT, writeShellInitramfs } from '../tests/support/shell-initramfs.js';
import { buildGuest } from './guest/build.js';
import { median, table } from './stats.js';
import { runOnV86 } from './v86.js';

const ROUNDS = Number(process.env['BENCH_CPU_ROUNDS'] ?? 62);
const RUNS = Number(process.env['BENCH_CPU_RUNS'] ?? 3);
const SEABIOS = '/usr/share/seabios/bios.bin';
const BOOT_TEXT = 'Booting from';
const REPO = join(import.meta.dirname, '..');
const MACHC = join(REPO, 'bin', 'machc.cjs');

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['gcc', 'ld', 'objcopy', QEMU_X86_64, QEMU_I386].filter((t) => (t.startsWith('/') ? !existsSync(t) : !have(t)));
if (missing.length) {
  console.log(`## CPU\n\nskipped: ${missing.join(', ')} not installed (Debian: gcc-multilib binutils qemu-system-x86)`);
  process.exit(0);
}

// ---- time: wall and CPU (the host is shared: CPU time is what a run costs whatever the load)
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
/** CPU time (user + system, every thread) of this process's waited-for children, in ms (10 ms steps). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / TICK;
}
/** CPU time of this process (every thread: V8's compilers and GC included), in ms. */
function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
interface Timed {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const work = mkdtempSync(join(tmpdir(), 'machc-bench-cpu-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const guest = buildGuest(ROUNDS);
const idle = buildGuest(0);
const guestPath = join(work, 'guest.bin');
const idlePath = join(work, 'idle.bin');
writeFileSync(guestPath, guest);
writeFileSync(idlePath, idle);

const bareArgs = (bios: string, debugcon: string): string[] => [
  '-machine', 'q35', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-no-reboot', '-m', '128M',
  '-bios', bios, '-chardev', `file,id=d,path=${debugcon}`, '-device', 'isa-debugcon,iobase=0x402,chardev=d',
  '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
];

/** A whole QEMU process that ends through isa-debug-exit (status 33): wall and CPU time. */
function timeQemu(qemu: string, bios: string): Timed {
  const out = join(work, 'out.txt');
  const c = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(qemu, bareArgs(bios, out), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = performance.now() - t;
  const cpuMs = childrenCpuMs() - c;
  if (r.status !== 33) throw new Error(`${qemu} ended with status ${r.status}: ${r.stderr}`);
  if (bios === guestPath && readFileSync(out, 'latin1') !== expected) throw new Error(`${qemu} printed ${JSON.stringify(readFileSync(out, 'latin1'))}`);
  return { wallMs, cpuMs };
}

const medianOf = (xs: readonly Timed[]): Timed => ({ wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)) });
/** Each run's CPU ms, in the order they ran: this host's swings show beside the median. */
const eachCpu = (xs: readonly Timed[]): string => xs.map((x) => x.cpuMs.toFixed(0)).join(' ');
const load0 = loadavg()[0]!;

// ---- 1. the CPU-bound guest
const plugin = buildPlugin(QEMU_X86_64);
const counted = await runWithPlugin({ qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults', '-m', '128M'], bios: guestPath, extraArgs: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4'] });
plugin.dispose();
const insns = counted.instructions;
const expected = counted.debugcon;
if (!/^crc=[0-9a-f]{8} primes=[0-9a-f]{8}\n$/.test(expected)) throw new Error(`the guest printed ${JSON.stringify(expected)} on QEMU`);

// QEMU runs interleaved (a discarded warm-up round first), so each sees the same load
const q = { x86_64: [] as Timed[], i386: [] as Timed[], x86_64Start: [] as Timed[], i386Start: [] as Timed[] };
for (let i = 0; i < RUNS + 1; i++) {
  const a = timeQemu(QEMU_X86_64, guestPath);
  const b = timeQemu(QEMU_I386, guestPath);
  const c = timeQemu(QEMU_X86_64, idlePath);
  const d = timeQemu(QEMU_I386, idlePath);
  if (i === 0) continue;
  q.x86_64.push(a);
  q.i386.push(b);
  q.x86_64Start.push(c);
  q.i386Start.push(d);
}

/** v86 in process: wall from creating the emulator, CPU of this process over the same span. */
async function timeV86(): Promise<Timed & { runMs: number }> {
  const c = selfCpuMs();
  const v = await runOnV86(guest, { memoryMiB: 128, timeoutMs: 1_800_000 });
  const cpuMs = selfCpuMs() - c;
  if (v.error || v.debugcon !== expected) throw new Error(`v86 printed ${JSON.stringify(v.debugcon)}, QEMU ${JSON.stringify(expected)}${v.error ? ` (${v.error})` : ''}`);
  return { wallMs: v.totalMs, runMs: v.runMs, cpuMs };
}

/** machc's CPU in process on the bare board (optionally with the icount plugin): same output, its own instruction count. */
function timeMachc(plugin?: 'inline' | 'callback'): Timed & { instructions: number } {
  const c = selfCpuMs();
  const t = performance.now();
  const board = new BareBoard(guest, { ram: 128 * 2 ** 20 });
  let pluginOut = '';
  const host = plugin ? new PluginHost(false, (text) => (pluginOut += text)) : undefined;
  if (host) {
    host.install(icountPlugin, { mode: plugin! });
    board.cpu.plugins = host;
  }
  const r = board.run(insns * 2);
  host?.exit();
  const wallMs = performance.now() - t;
  const cpuMs = selfCpuMs() - c;
  const out = Buffer.from(r.debugcon).toString('latin1');
  if (r.error || out !== expected || r.exitCode !== ((0x10 << 1) | 1)) throw new Error(`machc printed ${JSON.stringify(out)}, QEMU ${JSON.stringify(expected)}${r.error ? ` (${r.error})` : ''}`);
  if (host && pluginOut.trim() !== `icount: ${r.instructions} instructions`) throw new Error(`the icount plugin (${plugin}) said ${JSON.stringify(pluginOut)}, the CPU counted ${r.instructions}`);
  return { wallMs, cpuMs, instructions: r.instructions };
}

// machc and v86 alternate, RUNS rounds each
const v86Runs: (Timed & { runMs: number })[] = [];
const machcRuns: (Timed & { instructions: number })[] = [];
for (let i = 0; i < RUNS; i++) {
  machcRuns.push(timeMachc());
  v86Runs.push(await timeV86());
}
const inline = timeMachc('inline');
const callback = timeMachc('callback');
const load1 = loadavg()[0]!;

const x64 = medianOf(q.x86_64);
const x64s = medianOf(q.x86_64Start);
const i386 = medianOf(q.i386);
const i386s = medianOf(q.i386Start);
const v86 = medianOf(v86Runs);
const v86Run = median(v86Runs.map((v) => v.runMs));
const machc = medianOf(machcRuns);
const less = (a: Timed, b: Timed): Timed => ({ wallMs: a.wallMs - b.wallMs, cpuMs: a.cpuMs - b.cpuMs });
const x64Net = less(x64, x64s);
const i386Net = less(i386, i386s);
const mips = (ms: number): string => (insns / ms / 1000).toFixed(0);
const secs = (xs: readonly Timed[]): string => xs.map((x) => (x.cpuMs / 1000).toFixed(2)).join(' ');
const row = (name: string, t: Timed, runs?: readonly Timed[]): (string | number)[] => [
  name,
  (t.cpuMs / 1000).toFixed(2),
  runs ? secs(runs) : '',
  (t.wallMs / 1000).toFixed(2),
  mips(t.cpuMs),
  (machc.cpuMs / t.cpuMs).toFixed(2),
];
const rows: (string | number)[][] = [
  row('machc (in process, bare board)', machc, machcRuns),
  row('QEMU 7.2 x86_64 TCG, whole process', x64, q.x86_64),
  row('QEMU 7.2 x86_64 TCG, less its start', x64Net, q.x86_64Start),
  row('QEMU 7.2 i386 TCG, whole process', i386, q.i386),
  row('QEMU 7.2 i386 TCG, less its start', i386Net, q.i386Start),
  row('v86 (in process, from creating it)', v86, v86Runs),
];

console.log('## CPU\n');
console.log(
  `CPU-bound guest (bench/guest: CRC32 + sieve from gcc -m32 -O2, ${ROUNDS} rounds): ${insns.toLocaleString('en-US')} instructions ` +
    `(QEMU TCG plugin; machc counted ${machcRuns[0]!.instructions.toLocaleString('en-US')}), output ${JSON.stringify(expected.trim())} on every side. ` +
    `Medians of ${RUNS} runs; MIPS and ratios from CPU time (user + system, all threads); load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${navigatorCores()} cores.\n`,
);
console.log(table(['guest', 'CPU s', 'CPU s of each run (start alone for "less its start")', 'wall s', 'MIPS (CPU)', 'machc CPU time / this'], rows));
console.log(
  `\nmachc: ${mips(machc.cpuMs)} MIPS; ${(i386Net.cpuMs / machc.cpuMs).toFixed(2)}x QEMU i386's speed and ${(x64Net.cpuMs / machc.cpuMs).toFixed(2)}x QEMU x86_64's (less their start), ` +
    `${(v86.cpuMs / machc.cpuMs).toFixed(2)}x v86's (v86 from its start: ${(v86Run / 1000).toFixed(2)} s wall).`,
);

console.log(
  `machc with the icount plugin (one run each, its count checked against the CPU's): inline counters ${(inline.cpuMs / 1000).toFixed(2)} s CPU ` +
    `(${(inline.cpuMs / machc.cpuMs).toFixed(2)}x the time without a plugin), a callback per instruction ${(callback.cpuMs / 1000).toFixed(2)} s (${(callback.cpuMs / machc.cpuMs).toFixed(2)}x).`,
);

function navigatorCores(): number {
  return Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || 0;
}

// ---- 2. SeaBIOS to its boot attempt
/**
 * bench/v86-main.ts as one script node runs (esbuild; the v86 package stays outside, found from
 * node_modules/.cache where the script is written): v86 as a whole process.
 */
function v86Main(): string {
  const out = join(REPO, 'node_modules', '.cache', 'machc-bench', 'v86-main.mjs');
  buildSync({ entryPoints: [join(REPO, 'bench', 'v86-main.ts')], bundle: true, platform: 'node', format: 'esm', external: ['v86'], outfile: out, logLevel: 'error' });
  return out;
}

/** QEMU whole process until the text is on the debug console (its standard output): wall to the text, CPU once it is reaped. */
function qemuUntil(qemu: string, args: string[], text: string): Promise<Timed> {
  return processUntil(qemu, [...args, '-chardev', 'stdio,id=d', '-device', 'isa-debugcon,iobase=0x402,chardev=d'], text);
}

/** A whole process until the text is on its standard output or error (killed then, unless `kill` is false: it ends on its own): wall to the text, CPU once it is reaped. */
function processUntil(command: string, args: string[], text: string, timeoutMs = 120_000, env?: Record<string, string>, kill = true): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const c = childrenCpuMs();
    const t = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
    let out = '';
    let err = '';
    let wallMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const seen = (): void => {
      if (wallMs === undefined && (out.includes(text) || err.includes(text))) {
        wallMs = performance.now() - t;
        if (kill) child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('latin1').on('data', (d: string) => {
      out += d;
      seen();
    });
    child.stderr.setEncoding('latin1').on('data', (d: string) => {
      err += d;
      seen();
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (wallMs === undefined) reject(new Error(`${command} ended before "${text}": ${err.trim().slice(-2000)}`));
      else resolve({ wallMs, cpuMs: childrenCpuMs() - c });
    });
  });
}

if (existsSync(SEABIOS)) {
  const machine = ['-machine', 'q35', '-accel', 'tcg', '-nodefaults', '-m', '512M', '-vga', 'std', '-net', 'none', '-display', 'none', '-bios', SEABIOS];
  const startOnly = ['-machine', 'q35', '-accel', 'tcg', '-nodefaults', '-m', '512M', '-display', 'none', '-bios', idlePath, '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'];
  const sb: Timed[] = [];
  const st: Timed[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const a = await qemuUntil(QEMU_X86_64, machine, BOOT_TEXT);
    const c = childrenCpuMs();
    const t = performance.now();
    spawnSync(QEMU_X86_64, startOnly, { stdio: 'ignore' });
    const b = { wallMs: performance.now() - t, cpuMs: childrenCpuMs() - c };
    if (i) {
      sb.push(a);
      st.push(b);
    }
  }
  const vs: Timed[] = [];
  let vError: string | undefined;
  for (let i = 0; i < RUNS; i++) {
    const c = selfCpuMs();
    const v = await runOnV86(new Uint8Array(readFileSync(SEABIOS)), { memoryMiB: 512, until: BOOT_TEXT, timeoutMs: 120_000 });
    vs.push({ wallMs: v.totalMs, cpuMs: selfCpuMs() - c });
    vError ??= v.error;
  }
  // v86 whole process, as QEMU and machc run: Node's start, v86's script and WebAssembly, a cold JIT.
  const vMain = v86Main();
  const vps: Timed[] = [];
  for (let i = 0; i < RUNS; i++) vps.push(await processUntil(process.execPath, [vMain, SEABIOS, '512', BOOT_TEXT], BOOT_TEXT));
  const qs = medianOf(sb);
  const start = medianOf(st);
  const v = medianOf(vs);
  const vp = medianOf(vps);
  const r = (name: string, x: Timed, xs: readonly Timed[]): (string | number)[] => [name, x.cpuMs.toFixed(0), eachCpu(xs), x.wallMs.toFixed(0), (x.cpuMs / qs.cpuMs).toFixed(2)];
  const run = ['run', '--bios', SEABIOS, '--debugcon', '-', '--until', BOOT_TEXT];
  const ms: Timed[] = [];
  for (let i = 0; i < RUNS; i++) ms.push(await processUntil(process.execPath, [MACHC, ...run, '--no-store'], BOOT_TEXT));
  const m = medianOf(ms);
  // With the translations the run before kept (two runs first: one keeps them, the next writes
  // V8's code cache for them), in a store folder of the benchmark's own.
  const storeDir = mkdtempSync(join(tmpdir(), 'machc-bench-store-'));
  const ws: Timed[] = [];
  try {
    for (let i = 0; i < RUNS + 2; i++) {
      // (the first two end on their own, keeping what they made)
      const t = await processUntil(process.execPath, [MACHC, ...run], BOOT_TEXT, 120_000, { MACHC_STORE_DIR: storeDir }, i >= 2);
      if (i >= 2) ws.push(t);
    }
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
  const w = medianOf(ws);
  console.log(`\nSeaBIOS (${SEABIOS}) to "${BOOT_TEXT}" on the default machine, medians of ${RUNS}.\n`);
  console.log(
    table(['SeaBIOS to its boot attempt', 'CPU ms', 'CPU ms of each run', 'wall ms', 'CPU vs QEMU'], [
      r('QEMU 7.2 x86_64 TCG, whole process', qs, sb),
      r('  of which QEMU starting (a guest that exits at once)', start, st),
      r('v86, whole process (node and the v86 package)', vp, vps),
      r(`  v86 in the benchmark's process (warm from its runs before)${vError ? ` FAILED: ${vError}` : ''}`, v, vs),
      r('machc run --bios --no-store, whole process (every translation made afresh)', m, ms),
      r('machc run --bios, whole process, with the translations the run before kept', w, ws),
    ]),
  );
}

// ---- 3. Linux to a shell prompt
const KERNEL = existsSync('/boot') ? spawnSync('sh', ['-c', 'ls /boot/vmlinuz-6.1.* 2>/dev/null | sort | tail -1'], { encoding: 'utf8' }).stdout.trim() : '';
if (KERNEL && existsSync('/bin/busybox') && existsSync('/usr/share/seabios/bios-256k.bin')) {
  const runs = Number(process.env['BENCH_LINUX_RUNS'] ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'machc-bench-linux-'));
  try {
    const initrd = writeShellInitramfs(dir);
    const append = 'console=ttyS0 nokaslr';
    const qemuArgs = ['-machine', 'pc-q35-7.2', '-accel', 'tcg', '-m', '512M', '-smp', '1', '-vga', 'std', '-net', 'none', '-display', 'none', '-monitor', 'none', '-bios', '/usr/share/seabios/bios-256k.bin', '-serial', 'stdio', '-kernel', KERNEL, '-initrd', initrd, '-append', append];
    const qs: Timed[] = [];
    const ms: Timed[] = [];
    for (let i = 0; i < runs; i++) {
      qs.push(await processUntil(QEMU_X86_64, qemuArgs, SHELL_PROMPT, 600_000));
      // (--no-store: every translation made afresh, as QEMU makes its own; and no store kept for an initrd deleted after)
      ms.push(await processUntil(process.execPath, [MACHC, 'run', '--no-store', '--kernel', KERNEL, '--initrd', initrd, '--append', append, '--until', SHELL_PROMPT], SHELL_PROMPT, 1_800_000));
    }
    const q = medianOf(qs);
    const m = medianOf(ms);
    console.log(`\nLinux (${KERNEL}, busybox initramfs) to its shell prompt on COM1, default machine, medians of ${runs}.\n`);
    console.log(
      table(['Linux to a shell', 'CPU ms', 'CPU ms of each run', 'wall ms', 'CPU vs QEMU'], [
        ['QEMU 7.2 x86_64 TCG, whole process', q.cpuMs.toFixed(0), eachCpu(qs), q.wallMs.toFixed(0), '1.00'],
        ['machc run --no-store --kernel --initrd, whole process', m.cpuMs.toFixed(0), eachCpu(ms), m.wallMs.toFixed(0), (m.cpuMs / q.cpuMs).toFixed(2)],
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(0);
