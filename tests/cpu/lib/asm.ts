/**
 * GNU as + ld (binutils) to flat binaries: the corpus programs, the random-sequence driver and
 * the sequence blobs are all built here, in a temporary folder removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** tests/cpu/asm: the harness include files and linker scripts. */
export const ASM_DIR = join(import.meta.dirname, '..', 'asm');

export class AsmError extends Error {}

export interface AssembleOptions {
  /** Shown in messages, and the name of the source in the temporary folder ('prog.s'). */
  readonly name?: string;
  /** Folders searched by .include (ASM_DIR is always searched). */
  readonly includeDirs?: readonly string[];
  /** A linker script (path); default the 64 KiB -bios image layout, asm/bios.ld. */
  readonly linkerScript?: string;
}

function run(cmd: string, args: string[], cwd: string, what: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new AsmError(`${what}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = (r.stderr || r.stdout).trim().split('\n');
    const shown = lines.slice(0, 30).join('\n') + (lines.length > 30 ? `\n... ${lines.length - 30} more lines` : '');
    throw new AsmError(`${what}: ${cmd} failed:\n${shown}`);
  }
}

export interface Assembled {
  /** The flat binary (what the linker script lays out, from its lowest load address). */
  readonly image: Uint8Array;
  /** Every symbol's value (nm), e.g. a driver's entry points for code assembled separately. */
  readonly symbols: ReadonlyMap<string, number>;
}

/** Assembles one 32-bit-ELF source (with .code16/.code32 inside) and links it to a flat binary. */
export function assembleWithSymbols(source: string, opts: AssembleOptions = {}): Assembled {
  const name = opts.name ?? 'prog.s';
  const dir = mkdtempSync(join(tmpdir(), 'machc-asm-'));
  try {
    writeFileSync(join(dir, name), source);
    const includes = [ASM_DIR, ...(opts.includeDirs ?? [])].flatMap((d) => ['-I', resolve(d)]);
    run('as', ['--32', ...includes, '-o', 'prog.o', name], dir, name);
    const script = opts.linkerScript ?? join(ASM_DIR, 'bios.ld');
    run('ld', ['-m', 'elf_i386', '--oformat', 'elf32-i386', '--no-warn-rwx-segments', '-T', script, '-o', 'prog.elf', 'prog.o'], dir, name);
    run('objcopy', ['-O', 'binary', 'prog.elf', 'prog.bin'], dir, name);
    const nm = spawnSync('nm', ['prog.elf'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (nm.status !== 0) throw new AsmError(`${name}: nm failed: ${nm.stderr.trim()}`);
    const symbols = new Map<string, number>();
    for (const line of nm.stdout.split('\n')) {
      const m = /^([0-9a-f]+) \w (\S+)$/.exec(line);
      if (m) symbols.set(m[2]!, parseInt(m[1]!, 16));
    }
    return { image: new Uint8Array(readFileSync(join(dir, 'prog.bin'))), symbols };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** assembleWithSymbols, the image only. */
export function assemble(source: string, opts: AssembleOptions = {}): Uint8Array {
  return assembleWithSymbols(source, opts).image;
}

/** GNU as's listing of `source` (addresses and bytes beside each line), for reports. */
export function listing(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'machc-asm-'));
  try {
    writeFileSync(join(dir, 'list.s'), source);
    const r = spawnSync('as', ['--32', '-aln', '-o', 'list.o', 'list.s'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) return `(as failed: ${r.stderr.trim()})`;
    return r.stdout.replace(/^GAS LISTING.*$/gm, '').replace(/\f/g, '').replace(/\n{3,}/g, '\n').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
