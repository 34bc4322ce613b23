/**
 * The CPU benchmark guest: tests/runtime/cpu-programs/crc-sieve.c (CRC32 of 64 KiB and a sieve
 * of 2^20, ROUNDS times, results on port 0x402) built with gcc -m32 -ffreestanding -nostdlib and
 * this folder's reset stub into a 128 KiB -bios image that QEMU, machc's bare board and v86 all
 * run the same way (its code executes from the copy below 1 MiB).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HERE = import.meta.dirname;
export const GUEST_SOURCE = join(HERE, '..', '..', 'tests', 'runtime', 'cpu-programs', 'crc-sieve.c');
export const IMAGE_SIZE = 0x2_0000;

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.error?.message ?? r.stderr}`);
}

/** The guest image for `rounds` rounds of CRC32 and sieve (about 24.3 million instructions each). */
export function buildGuest(rounds: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'machc-bench-guest-'));
  try {
    run('gcc', ['-m32', '-O2', '-ffreestanding', '-fno-pic', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-nostdlib', `-DROUNDS=${rounds}`, '-c', GUEST_SOURCE, '-o', 'main.o'], dir);
    run('gcc', ['-m32', '-c', join(HERE, 'entry.S'), '-o', 'entry.o'], dir);
    run('ld', ['-m', 'elf_i386', '--no-warn-rwx-segments', '-z', 'noexecstack', '-T', join(HERE, 'guest.ld'), '-o', 'guest.elf', 'entry.o', 'main.o'], dir);
    run('objcopy', ['-O', 'binary', '--only-section=.text', '--only-section=.text16', '--only-section=.reset', 'guest.elf', 'guest.bin'], dir);
    const image = new Uint8Array(readFileSync(join(dir, 'guest.bin')));
    if (image.length !== IMAGE_SIZE) throw new Error(`the benchmark guest is ${image.length} bytes, not 128 KiB`);
    return image;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
