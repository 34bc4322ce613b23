/**
 * A readable reproduction of a sequence that differs: how to regenerate it, its mode and
 * initial state, its code as GNU as lists it, and both final states with the differences.
 */
import { listing } from '../lib/asm.js';
import { formatEflags, GPR_NAMES, SEG_NAMES } from '../lib/records.js';
import type { SeqResult } from './batch.js';
import { finalByte, flagNames } from './compare.js';
import { SCRATCH_LEN } from './operands.js';
import { scratchFill } from './prng.js';
import { CODE_START, LABEL, type Sequence, sequenceLines } from './sequence.js';
import type { Mismatch } from './run.js';

const hex = (v: number, d = 8): string => (v >>> 0).toString(16).padStart(d, '0');

const MODE_TEXT = {
  real: 'real mode, 16-bit code: CS=2000 (code at 0x20000), DS=SS=1000 (scratch at 0x10000), ES=1010, FS=1020, GS=1030',
  pm16: '16-bit protected mode: CS base 0x20000 (16-bit, 64 KiB), DS=SS base 0x10000 (64 KiB, B=0), ES/FS/GS bases +0x100/+0x200/+0x300',
  pm32: '32-bit protected mode: CS flat (code at 0x20000), DS=SS base 0x10000 (4 GiB, B=1), ES/FS/GS bases +0x100/+0x200/+0x300',
} as const;

/** The sequence's code alone, as GNU as lists it (offsets from the start of the code). */
export function codeListing(seq: Sequence): string {
  const body = sequenceLines(seq).map((l) => `  ${l.split(LABEL).join('r')}`);
  return listing([seq.mode === 'pm32' ? '.code32' : '.code16', `${CODE_START.replace(LABEL, 'r')}:`, ...body, ''].join('\n'));
}

function stateLines(r: SeqResult, initial: Uint8Array, offsets: readonly number[]): string[] {
  const out = [
    `vector ${r.vector === undefined ? 'none (ran to the end)' : `${r.vector} at eip ${hex(r.eip ?? 0, 4)}, error code ${hex(r.error, 4)}`}`,
    GPR_NAMES.map((n, i) => `${n}=${hex(r.regs[i]!)}`).join(' '),
    `eflags=${formatEflags(r.eflags)}`,
    SEG_NAMES.map((n, i) => `${n}=${hex(r.segs[i]!, 4)}`).join(' '),
  ];
  if (offsets.length) out.push(`memory: ${offsets.map((o) => `[${hex(o, 3)}]=${hex(finalByte(r, initial, o), 2)}`).join(' ')}`);
  return out;
}

export function formatMismatch(m: Mismatch, note = '', oursName = 'machc'): string {
  const { seq, qemu, ours, difference: d } = m;
  const initial = scratchFill(seq.init.memSeed, SCRATCH_LEN);
  const changed = [...new Set([...qemu.memory.keys(), ...ours.memory.keys()])].sort((a, b) => a - b);
  const lines = [
    `sequence ${seq.seed}:${seq.index} (${seq.mode})${note ? ` ${note}` : ''} differs between QEMU and ${oursName} in ${d.fields.map((f) => f.field).join(', ')}`,
  ];
  if (d.undefinedFlagsOnly) lines.push(`  only in EFLAGS bits the Intel SDM leaves undefined here (${flagNames(d.eflagsBits)})`);
  for (const r of d.flags.undefinedReads) lines.push(`  note: \`${r.text}\` reads flags that are undefined at that point (${flagNames(r.flags)})`);
  lines.push(
    `regenerate: npx tsx tests/cpu/random/fuzz.ts --seed ${seq.seed} --index ${seq.index}`,
    `mode: ${MODE_TEXT[seq.mode]}`,
    'initial state:',
    `  ${GPR_NAMES.map((n, i) => `${n}=${hex(seq.init.regs[i]!)}`).join(' ')}`,
    `  eflags=${formatEflags(seq.init.eflags)}`,
    `  scratch (0x800 bytes at DS:0) from xorshift32 seed ${hex(seq.init.memSeed)}${changed.length ? `; before: ${changed.map((o) => `[${hex(o, 3)}]=${hex(initial[o]!, 2)}`).join(' ')}` : ''}`,
    'code:',
    ...codeListing(seq)
      .split('\n')
      .map((l) => `  ${l}`),
    'QEMU:',
    ...stateLines(qemu, initial, changed).map((l) => `  ${l}`),
    `${oursName}:`,
    ...stateLines(ours, initial, changed).map((l) => `  ${l}`),
    'differences:',
    ...d.fields.map((f) => `  ${f.field}: QEMU ${f.qemu}, ${oursName} ${f.ours}`),
  );
  return lines.join('\n');
}
