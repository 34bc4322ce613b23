/**
 * The QEMU side of tracing: trace/plugin.c built with gcc for a given QEMU (its plugin API
 * version), and QEMU runs with it: instruction counts, traces, a stop at a debug-console text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuVersion } from '../../interop/qemu.js';

export const PLUGIN_SOURCE = join(import.meta.dirname, 'plugin.c');

/** QEMU_PLUGIN_VERSION of a QEMU release ('7.2.22' -> 1, '10.0.2' -> 4). */
export function pluginApiFor(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const v = major * 100 + minor;
  if (v < 900) return 1;
  if (v < 901) return 2;
  if (v < 902) return 3;
  if (v < 1001) return 4;
  if (v < 1002) return 5;
  return 6;
}

export class PluginError extends Error {}

export interface BuiltPlugin {
  readonly path: string;
  readonly api: number;
  readonly qemuVersion: string;
  /** Removes the built plugin. */
  dispose(): void;
}

/** Builds the plugin for `qemu` into a temporary folder. */
export function buildPlugin(qemu: string): BuiltPlugin {
  const version = qemuVersion(qemu);
  if (!version) throw new PluginError(`${qemu} does not run (no version)`);
  const api = pluginApiFor(version);
  const dir = mkdtempSync(join(tmpdir(), 'machc-plugin-'));
  const path = join(dir, 'machc-trace.so');
  const r = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden', `-DQEMU_API=${api}`, '-o', path, PLUGIN_SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new PluginError(`gcc could not build the trace plugin: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return { path, api, qemuVersion: version, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TraceRunOptions {
  readonly qemu: string;
  readonly plugin: BuiltPlugin;
  /** Machine arguments (-machine, -m, -smp, devices...), without -bios, debugcon or -plugin. */
  readonly args: readonly string[];
  readonly bios: string;
  /** Stop once this text is on the debug console (port 0x402). */
  readonly until?: string;
  /** Stop after this many instructions. */
  readonly max?: number;
  /** Write a trace there. */
  readonly trace?: string;
  readonly regs?: boolean;
  readonly unit?: 'run' | 'insn';
  readonly repOnce?: boolean;
  /** More QEMU arguments (e.g. ['-icount', 'shift=0,sleep=off']). */
  readonly extraArgs?: readonly string[];
  /** The -accel value (default 'tcg'; 'tcg,one-insn-per-tb=on' for QEMU 8.1+'s single-stepping). */
  readonly accel?: string;
  readonly timeoutMs?: number;
}

export interface TraceRunResult {
  readonly instructions: number;
  /** 'until', 'max', or 'QEMU exited'. */
  readonly stopped: string;
  /** The debug console's output. */
  readonly debugcon: string;
  readonly wallMs: number;
  readonly stderr: string;
}

/** Runs QEMU with the plugin; throws PluginError when QEMU or the plugin fails. */
export async function runWithPlugin(opts: TraceRunOptions): Promise<TraceRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'machc-trace-'));
  try {
    const debugcon = join(dir, 'debugcon.txt');
    const count = join(dir, 'count.txt');
    writeFileSync(debugcon, '');
    const pluginArgs = [`count=${count}`];
    if (opts.trace) pluginArgs.push(`trace=${opts.trace}`);
    if (opts.regs) pluginArgs.push('regs=on');
    if (opts.unit === 'insn') pluginArgs.push('unit=insn');
    if (opts.repOnce) pluginArgs.push('rep=once');
    if (opts.until !== undefined) {
      if (/[,\n]/.test(opts.until)) throw new PluginError('the stop text may not contain a comma or a newline (QEMU splits plugin arguments at commas)');
      pluginArgs.push(`debugcon=${debugcon}`, `until=${opts.until}`);
    }
    if (opts.max) pluginArgs.push(`max=${opts.max}`);
    const args = [
      ...opts.args,
      '-accel', opts.accel ?? 'tcg', '-display', 'none', '-no-reboot',
      '-bios', opts.bios,
      '-chardev', `file,id=machc-dbg,path=${debugcon}`,
      '-device', 'isa-debugcon,iobase=0x402,chardev=machc-dbg',
      '-plugin', [opts.plugin.path, ...pluginArgs].join(','),
      ...(opts.extraArgs ?? []),
    ];
    const start = performance.now();
    const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(opts.qemu, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (err.length < 1 << 16) err += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ status: null, stderr: `cannot run ${opts.qemu}: ${e.message}` });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ status: code, stderr: err });
      });
    });
    const wallMs = performance.now() - start;
    if (!existsSync(count) || !readFileSync(count, 'utf8').trim()) {
      throw new PluginError(`QEMU ended (status ${status}) without the plugin's count: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    const text = readFileSync(count, 'utf8');
    const instructions = Number(/instructions (\d+)/.exec(text)?.[1]);
    const stopped = /stopped (.*)/.exec(text)?.[1] ?? 'unknown';
    return { instructions, stopped, debugcon: readFileSync(debugcon, 'latin1'), wallMs, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The QEMU arguments of a machc build's qemu.args (comments dropped), with -nodefaults. */
export function machineArgs(qemuArgsText: string): string[] {
  const args = qemuArgsText
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .flatMap((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l.trim());
      return m ? [m[1]!, m[2]!] : [l.trim()];
    });
  return ['-nodefaults', '-no-user-config', ...args];
}
