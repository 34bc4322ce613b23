/**
 * The QEMU side of the differential CPU tests: a -bios image on QEMU TCG with nothing else
 * running (no SeaBIOS), output on isa-debugcon and exit through isa-debug-exit, as runner.ts
 * describes for the runtime side.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BareMetalResult } from '../runner.js';

export const QEMU_X86_64 = '/usr/bin/qemu-system-x86_64';
export const QEMU_I386 = '/usr/bin/qemu-system-i386';
export const DEBUGCON_PORT = 0x402;
export const EXIT_PORT = 0xf4;

export interface QemuBareMetalOptions {
  /** The QEMU binary (default QEMU_X86_64). */
  readonly qemu?: string;
  /** RAM in MiB (default 128). */
  readonly memoryMiB?: number;
  /** Kill QEMU after this long (default 60 s); the result then has an error. */
  readonly timeoutMs?: number;
  /**
   * Read back this range of guest RAM after the run: RAM is then a shared file-backed memory
   * backend (in /dev/shm when there is one), which outlives QEMU. Output this way costs nothing,
   * where each debugcon byte costs QEMU a few microseconds.
   */
  readonly ram?: { readonly address: number; readonly length: number };
  /** -plugin FILE,ARGS (a TCG plugin; see trace/plugin.ts). */
  readonly plugin?: { readonly path: string; readonly args?: Readonly<Record<string, string | number>> };
  /** More QEMU arguments (e.g. ['-d', 'cpu,nochain', '-singlestep', '-D', log]). */
  readonly extraArgs?: readonly string[];
}

export interface QemuBareMetalResult extends BareMetalResult {
  /** The range asked for in `ram`. */
  readonly ram?: Uint8Array;
  /** Wall time of the whole QEMU process. */
  readonly wallMs: number;
  readonly stderr: string;
}

/** Decodes QEMU's exit status: isa-debug-exit makes it (v << 1) | 1. */
export function exitFromStatus(status: number | null, signal: NodeJS.Signals | null, stderr: string): { exitCode?: number; error?: string } {
  const qemuSaid = stderr.split('\n').filter((l) => /qemu-system|error|warning/i.test(l)).join(' ').trim();
  if (status === null) return { error: `QEMU was killed (${signal ?? 'unknown signal'})` };
  if (status === 0) return { error: 'the guest reset or shut down (a triple fault, with -no-reboot)' };
  if (status % 2 === 1 && !(status === 1 && qemuSaid)) return { exitCode: (status - 1) / 2 };
  return { error: `QEMU failed with status ${status}${qemuSaid ? `: ${qemuSaid}` : ''}` };
}

export function qemuArgs(biosPath: string, debugconPath: string, opts: QemuBareMetalOptions, ramPath?: string): string[] {
  const mem = opts.memoryMiB ?? 128;
  const machine = ramPath ? ['-machine', 'q35,memory-backend=machc-ram', '-object', `memory-backend-file,id=machc-ram,size=${mem}M,mem-path=${ramPath},share=on`] : ['-machine', 'q35'];
  const plugin = opts.plugin
    ? ['-plugin', [opts.plugin.path, ...Object.entries(opts.plugin.args ?? {}).map(([k, v]) => `${k}=${v}`)].join(',')]
    : [];
  return [
    ...machine,
    '-accel', 'tcg',
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-m', `${mem}M`, '-smp', '1',
    '-bios', biosPath,
    '-chardev', `file,id=machc-dbg,path=${debugconPath}`,
    '-device', `isa-debugcon,iobase=0x${DEBUGCON_PORT.toString(16)},chardev=machc-dbg`,
    '-device', `isa-debug-exit,iobase=0x${EXIT_PORT.toString(16)},iosize=4`,
    ...plugin,
    ...(opts.extraArgs ?? []),
  ];
}

function readRange(path: string, address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, address + done);
      if (n <= 0) break;
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** Runs `image` as -bios on QEMU TCG; never throws for what the guest does. */
export async function runQemuBareMetal(image: Uint8Array, opts: QemuBareMetalOptions = {}): Promise<QemuBareMetalResult> {
  const dir = mkdtempSync(join(tmpdir(), 'machc-qemu-'));
  const ramDir = opts.ram ? mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'machc-ram-')) : undefined;
  try {
    const bios = join(dir, 'bios.bin');
    const debugcon = join(dir, 'debugcon.bin');
    writeFileSync(bios, image);
    writeFileSync(debugcon, '');
    const ramPath = ramDir ? join(ramDir, 'ram') : undefined;
    const args = qemuArgs(bios, debugcon, opts, ramPath);
    const start = performance.now();
    const { status, signal, stderr, timedOut } = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; timedOut: boolean }>((resolve) => {
      const child = spawn(opts.qemu ?? QEMU_X86_64, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      let timedOut = false;
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (err.length < 1 << 16) err += d;
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ status: null, signal: null, stderr: `cannot run QEMU: ${e.message}`, timedOut: false });
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        resolve({ status: code, signal: sig, stderr: err, timedOut });
      });
    });
    const wallMs = performance.now() - start;
    const out = new Uint8Array(readFileSync(debugcon));
    const ended = timedOut ? { error: `QEMU did not finish within ${opts.timeoutMs ?? 60_000} ms` } : exitFromStatus(status, signal, stderr);
    const ram = opts.ram && ramPath && existsSync(ramPath) ? readRange(ramPath, opts.ram.address, opts.ram.length) : undefined;
    return { debugcon: out, ...ended, ...(ram ? { ram } : {}), wallMs, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (ramDir) rmSync(ramDir, { recursive: true, force: true });
  }
}
