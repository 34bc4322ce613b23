/**
 * Builds the small bare-metal guests in tests/runtime/cpu-programs into
 * firmware images (GNU as/ld and gcc -m32 from Debian's binutils and
 * gcc-multilib), cached by content in a temporary folder, and runs an image
 * on QEMU 7.2's TCG the way the bare board runs it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROGRAMS = join(import.meta.dirname, 'cpu-programs');
/** Built programs, kept between runs (keyed by their sources) in the repository's ignored .cache/. */
const CACHE = join(import.meta.dirname, '..', '..', '.cache', 'cpu-programs');

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
}

function cached(key: string, build: (dir: string) => Uint8Array): Uint8Array {
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, `${key}.img`);
  if (existsSync(out)) return new Uint8Array(readFileSync(out));
  const dir = join(CACHE, `${key}.build-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const img = build(dir);
    writeFileSync(out, img);
    return img;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

/** A 64 KiB real-mode image from one assembly file (its own .org for the reset vector). */
export function flatImage(name: string): Uint8Array {
  const src = readFileSync(join(PROGRAMS, name), 'utf8');
  return cached(hash('flat', name, src), (dir) => {
    run('as', ['--32', '-o', 'p.o', join(PROGRAMS, name)], dir);
    run('ld', ['-m', 'elf_i386', '-Ttext', '0', '--oformat', 'binary', '-o', 'p.bin', 'p.o'], dir);
    return new Uint8Array(readFileSync(join(dir, 'p.bin')));
  });
}

/** A 128 KiB ROM: entry.S switches to 32-bit protected mode and calls cmain() of a C file. */
export function cImage(name: string, defines: Record<string, string | number> = {}): Uint8Array {
  const files = ['entry.S', 'rom.ld', name].map((f) => readFileSync(join(PROGRAMS, f), 'utf8'));
  const defs = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  return cached(hash('c', name, ...files, ...defs), (dir) => {
    run('gcc', ['-m32', '-O2', '-ffreestanding', '-fno-pic', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-nostdlib', ...defs, '-c', join(PROGRAMS, name), '-o', 'main.o'], dir);
    run('gcc', ['-m32', '-c', join(PROGRAMS, 'entry.S'), '-o', 'entry.o'], dir);
    run('ld', ['-m', 'elf_i386', '--no-warn-rwx-segments', '-T', join(PROGRAMS, 'rom.ld'), '-o', 'k.elf', 'entry.o', 'main.o'], dir);
    run('objcopy', ['-O', 'binary', '--only-section=.text', '--only-section=.reset', '--only-section=.resetvec', 'k.elf', 'k.bin'], dir);
    const bin = readFileSync(join(dir, 'k.bin'));
    if (bin.length > 0x2_0000) throw new Error(`${name}: image larger than 128 KiB`);
    const img = new Uint8Array(0x2_0000);
    img.set(bin, 0);
    return img;
  });
}

/** A 128 KiB ROM whose reset stub enters long mode and calls cmain() of a C file built with gcc -m64. */
export function cImage64(name: string, defines: Record<string, string | number> = {}, sse = false): Uint8Array {
  const files = ['entry64.S', 'rom64.ld', name].map((f) => readFileSync(join(PROGRAMS, f), 'utf8'));
  const defs = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  return cached(hash('c64', name, String(sse), ...files, ...defs), (dir) => {
    run('gcc', ['-m64', '-O2', '-ffreestanding', '-fno-pic', '-mno-red-zone', ...(sse ? ['-msse2', '-mno-sse3'] : ['-mgeneral-regs-only']), '-mcmodel=small', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-nostdlib', ...defs, '-c', join(PROGRAMS, name), '-o', 'main.o'], dir);
    run('gcc', ['-m64', '-c', join(PROGRAMS, 'entry64.S'), '-o', 'entry.o'], dir);
    run('ld', ['-m', 'elf_x86_64', '--no-warn-rwx-segments', '-T', join(PROGRAMS, 'rom64.ld'), '-o', 'k.elf', 'entry.o', 'main.o'], dir);
    run('objcopy', ['-O', 'binary', '--only-section=.payload', '--only-section=.reset', '--only-section=.resetvec', 'k.elf', 'k.bin'], dir);
    const bin = readFileSync(join(dir, 'k.bin'));
    if (bin.length > 0x2_0000) throw new Error(`${name}: image larger than 128 KiB`);
    const img = new Uint8Array(0x2_0000);
    img.set(bin, 0);
    return img;
  });
}

export interface QemuBareResult {
  readonly debugcon: Uint8Array;
  readonly exitCode: number | null;
}

/** Runs an image as QEMU's firmware (q35, TCG, no other devices); its debug console output and exit status. */
export function runOnQemu(image: Uint8Array, timeoutMs = 60_000, extraArgs: readonly string[] = []): QemuBareResult {
  const dir = join(CACHE, `qemu-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, 'fw.img'), image);
    const r = spawnSync(
      'qemu-system-x86_64',
      ['-machine', 'q35', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-bios', 'fw.img', '-chardev', 'file,id=d,path=out.bin', '-device', 'isa-debugcon,iobase=0x402,chardev=d', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', ...extraArgs],
      { cwd: dir, timeout: timeoutMs },
    );
    const out = existsSync(join(dir, 'out.bin')) ? new Uint8Array(readFileSync(join(dir, 'out.bin'))) : new Uint8Array(0);
    return { debugcon: out, exitCode: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
