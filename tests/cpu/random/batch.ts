/**
 * Batches of random sequences: one -bios image holding many sequences and the driver
 * (random/driver.s), and the results it produces, decoded.
 *
 * Image: [sequence table | initial states and code, assembled with GNU as][driver, 64 KiB].
 * The table's entries (16 bytes): code offset, code length, state offset (from the table),
 * mode (0 real, 1 pm16, 2 pm32). A state: eax..edi, eflags, memory seed (u32 each).
 *
 * Results: in guest RAM at OUT_BUF, a u32 total length then the records; on the debug console
 * (unless the driver's configuration says not to) the records alone, each as its sequence ends.
 * One record per sequence:
 *   u32 index, vector (0xffffffff: none), error code, eip (offset in the code; 0xffffffff when
 *   it ran to the end), eax..edi, eflags (u32 each), cs ss ds es fs gs (u16 each), u32 n,
 *   n x u32 (scratch offset | final byte << 16) for each byte that differs from its initial value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleWithSymbols } from '../lib/asm.js';
import { type Mode, SCRATCH_LEN } from './operands.js';
import { CODE_START, LABEL, type Sequence, sequenceLines } from './sequence.js';

export const OUT_BUF = 0x100000;
export const MEMORY_MIB = 128;
const DRIVER_SIZE = 0x10000;
const CODE_LIMIT = 0x1000;
const MODE_NUMBER: Record<Mode, number> = { real: 0, pm16: 1, pm32: 2 };

interface Driver {
  readonly image: Uint8Array;
  readonly symbols: ReadonlyMap<string, number>;
}

let driverCache: Driver | undefined;

/** The driver, assembled once per process. */
export function driver(): Driver {
  if (!driverCache) {
    const source = readFileSync(join(import.meta.dirname, 'driver.s'), 'utf8');
    driverCache = assembleWithSymbols(source, { name: 'driver.s' });
    if (driverCache.image.length !== DRIVER_SIZE) throw new Error(`driver.s is ${driverCache.image.length} bytes, not 64 KiB`);
  }
  return driverCache;
}

function symbol(name: string): number {
  const v = driver().symbols.get(name);
  if (v === undefined) throw new Error(`driver.s has no symbol ${name}`);
  return v;
}

const h = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** The assembly of a batch's sequence blob. */
export function batchSource(seqs: readonly Sequence[]): string {
  const epiPm = symbol('epilogue_pm');
  const epiRm = symbol('epilogue_rm');
  const out: string[] = ['  .section .seqs, "ax"', '  .code32', 'table:'];
  seqs.forEach((_, i) => out.push(`  .long .Ls${i}_code - table, .Ls${i}_end - .Ls${i}_code, .Ls${i}_state - table, ${MODE_NUMBER[seqs[i]!.mode]}`));
  seqs.forEach((seq, i) => {
    const name = `s${i}`;
    out.push('  .balign 4', `.L${name}_state:`, `  .long ${[...seq.init.regs, seq.init.eflags, seq.init.memSeed].map(h).join(', ')}`);
    out.push(seq.mode === 'pm32' ? '  .code32' : '  .code16', `${CODE_START.replace(LABEL, name)}:`);
    for (const line of sequenceLines(seq)) out.push(`  ${line.split(LABEL).join(name)}`);
    if (seq.mode === 'pm32') out.push(`  ljmp $0x08, $${h(epiPm)}`);
    else if (seq.mode === 'pm16') out.push(`  ljmpl $0x08, $${h(epiPm)}`);
    else out.push(`  ljmp $0xf000, $${h(epiRm)}`);
    out.push(`.L${name}_end:`, '  .code32');
  });
  return `${out.join('\n')}\n`;
}

export interface BatchImage {
  readonly image: Uint8Array;
  readonly count: number;
}

const SEQS_LD = join(import.meta.dirname, 'seqs.ld');

/** Assembles a batch; `stream`: the driver also writes its results to the debug console. */
export function buildBatch(seqs: readonly Sequence[], stream: boolean): BatchImage {
  const blob = assembleWithSymbols(batchSource(seqs), { name: 'seqs.s', linkerScript: SEQS_LD });
  // code lengths, from the table
  const view = new DataView(blob.image.buffer, blob.image.byteOffset, blob.image.byteLength);
  for (let i = 0; i < seqs.length; i++) {
    const len = view.getUint32(i * 16 + 4, true);
    if (len > CODE_LIMIT) throw new Error(`sequence ${seqs[i]!.seed}:${seqs[i]!.index} has ${len} bytes of code (at most ${CODE_LIMIT})`);
  }
  const seqBytes = Math.ceil(Math.max(blob.image.length, 1) / 0x10000) * 0x10000;
  const size = seqBytes + DRIVER_SIZE;
  if (size > 16 << 20) throw new Error(`batch image of ${size} bytes is over 16 MiB: use smaller batches`);
  const image = new Uint8Array(size);
  image.set(blob.image, 0);
  image.set(driver().image, seqBytes);
  const cfg = new DataView(image.buffer, seqBytes);
  const magic = new TextDecoder().decode(image.subarray(seqBytes, seqBytes + 8));
  if (magic !== 'MCRNDDRV') throw new Error('driver.s: configuration block not at its start');
  cfg.setUint32(8, 0x1_0000_0000 - size, true);
  cfg.setUint32(12, 0, true);
  cfg.setUint32(16, seqs.length, true);
  cfg.setUint32(20, stream ? 1 : 0, true);
  return { image, count: seqs.length };
}

/** How much of guest RAM after OUT_BUF may hold the results of `count` sequences. */
export function resultWindow(count: number): number {
  return Math.min((MEMORY_MIB << 20) - OUT_BUF, 4 + count * 2048);
}

export interface SeqResult {
  readonly index: number;
  /** The vector that ended it, or undefined when it ran to its end. */
  readonly vector?: number;
  readonly error: number;
  /** Where it stopped (offset in its code) when a vector ended it. */
  readonly eip?: number;
  readonly regs: readonly number[];
  readonly eflags: number;
  /** cs ss ds es fs gs */
  readonly segs: readonly number[];
  /** Scratch offset -> final byte, for every byte that changed. */
  readonly memory: ReadonlyMap<number, number>;
}

export interface DecodedResults {
  readonly results: SeqResult[];
  readonly error?: string;
}

/** Decodes the driver's records: from guest RAM (a length first) or from the debug console (records alone). */
export function decodeResults(bytes: Uint8Array, from: 'ram' | 'debugcon' = 'ram'): DecodedResults {
  const results: SeqResult[] = [];
  if (from === 'ram' && bytes.length < 4) return { results, error: 'no results (fewer than 4 bytes)' };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = from === 'ram' ? v.getUint32(0, true) : bytes.length;
  if (total > bytes.length) return { results, error: `results say ${total} bytes, ${bytes.length} there` };
  let p = from === 'ram' ? 4 : 0;
  while (p < total) {
    if (p + 68 > total) return { results, error: `truncated result at byte ${p}` };
    const u = (o: number): number => v.getUint32(p + o, true);
    const vector = u(4);
    const regs = Array.from({ length: 8 }, (_, i) => u(16 + 4 * i));
    const segs = Array.from({ length: 6 }, (_, i) => v.getUint16(p + 52 + 2 * i, true));
    const n = u(64);
    if (p + 68 + 4 * n > total || n > SCRATCH_LEN) return { results, error: `truncated memory list at byte ${p}` };
    const memory = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const e = u(68 + 4 * i);
      memory.set(e & 0xffff, (e >>> 16) & 0xff);
    }
    results.push({
      index: u(0),
      ...(vector === 0xffffffff ? {} : { vector, eip: u(12) }),
      error: u(8),
      regs,
      eflags: u(48),
      segs,
      memory,
    });
    p += 68 + 4 * n;
  }
  return { results };
}
