/**
 * The interop harness's Linux boot on machc's own runtime instead of QEMU:
 * the same kernel, initramfs (tests/interop/guest-init.sh) and command line,
 * booted by `machc run --kernel` (SeaBIOS, machc's fw_cfg files, QEMU's
 * linuxboot_dma.bin), and the same dump read back from COM1. A test can
 * hold the runtime's guest to every check the QEMU boots pass, and compare
 * the two kernels' logs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../support/cli.js';
import { parseSerialDump } from './dump.js';
import { buildInitramfs } from './initramfs.js';
import { type BootResult, decodeDump, guestCommandLine } from './qemu.js';

export interface RuntimeBootOptions {
  /** The machine file's text, written to `workDir` (its images are made beside it by the caller). */
  readonly text: string;
  readonly workDir: string;
  readonly enableVfs?: Record<string, number>;
  /** As for the QEMU boot (tests/interop/qemu.ts BootOptions). */
  readonly loadModules?: string[];
  readonly stubPfs?: string[];
  readonly ping?: readonly [string, string];
  readonly nvmeVf?: readonly [string, string];
  readonly append?: string;
  /** Wall-clock limit for the child process. */
  readonly timeoutMs: number;
  /** Instruction limit (a guest that loops forever ends with an error, not a timeout). */
  readonly maxInstructions?: number;
}

export interface RuntimeBootResult extends BootResult {
  /** `machc run`'s summary line (standard error). */
  readonly summary: string;
  readonly exitCode: number | null;
}

export class RuntimeBootError extends Error {
  constructor(message: string, readonly serial: string, readonly stderr: string) {
    super(`${message}\n--- machc run stderr ---\n${stderr.slice(-3000)}\n--- serial tail ---\n${serial.split(/\r?\n/).slice(-40).join('\n')}`);
    this.name = 'RuntimeBootError';
  }
}

/** The machine file written into `dir` (images are relative to it, as in qemu.args). */
export function writeMachineFile(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'machine.yaml');
  writeFileSync(path, text);
  return path;
}

export async function bootLinuxOnRuntime(opts: RuntimeBootOptions): Promise<RuntimeBootResult> {
  const initramfs = buildInitramfs();
  const machineFile = writeMachineFile(opts.workDir, opts.text);
  const seabiosLog = join(opts.workDir, 'seabios.log');
  const cmdline = guestCommandLine({ enableVfs: opts.enableVfs, loadModules: opts.loadModules, stubPfs: opts.stubPfs, ping: opts.ping, nvmeVf: opts.nvmeVf, append: opts.append });
  const args = [BIN, 'run', machineFile, '--kernel', initramfs.kernel.vmlinuz, '--initrd', initramfs.path, '--append', cmdline, '--debugcon', seabiosLog, '--no-reboot', '--max-insns', String(opts.maxInstructions ?? 60_000_000_000)];
  const started = Date.now();
  const { code, serial, stderr } = await new Promise<{ code: number | null; serial: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    child.on('error', fail);
    child.on('close', (c, signal) => done({ code: c, serial: Buffer.concat(out).toString('latin1'), stderr: signal ? `${err}\n(killed by ${signal} after ${opts.timeoutMs} ms)` : err }));
  });
  const bootMs = Date.now() - started;
  if (code !== 0 || !/the guest powered off/.test(stderr)) throw new RuntimeBootError(`machc run exited with ${code} without the guest powering off`, serial, stderr);
  let files: Map<string, Buffer>;
  try {
    files = parseSerialDump(serial);
  } catch (e) {
    throw new RuntimeBootError((e as Error).message, serial, stderr);
  }
  return {
    ...decodeDump(files),
    serial,
    seabiosLog: readFileSync(seabiosLog, 'latin1'),
    qemuCommand: ['machc', ...args.slice(1)],
    bootMs,
    summary: stderr.trim().split('\n').find((l) => l.startsWith('machc run ')) ?? '',
    exitCode: code,
  };
}
