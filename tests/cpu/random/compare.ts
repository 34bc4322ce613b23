/**
 * Comparing the final state of one sequence on QEMU and on machc's CPU: which registers,
 * flags, selectors, scratch bytes and exception details differ, and whether the only
 * differences are EFLAGS bits the Intel SDM leaves undefined at that point.
 */
import { formatEflags, GPR_NAMES, SEG_NAMES } from '../lib/records.js';
import type { SeqResult } from './batch.js';
import { SCRATCH_LEN } from './operands.js';
import { scratchFill } from './prng.js';
import { flagSummary, type FlagSummary, type Sequence } from './sequence.js';

export interface FieldDifference {
  readonly field: string;
  readonly qemu: string;
  readonly ours: string;
}

export interface SeqDifference {
  readonly fields: readonly FieldDifference[];
  /** EFLAGS bits that differ. */
  readonly eflagsBits: number;
  /** Every difference is in EFLAGS bits undefined at the end of the sequence. */
  readonly undefinedFlagsOnly: boolean;
  readonly flags: FlagSummary;
}

const hex = (v: number, d = 8): string => (v >>> 0).toString(16).padStart(d, '0');

export const FLAG_NAMES: readonly [number, string][] = [
  [0x1, 'CF'], [0x4, 'PF'], [0x10, 'AF'], [0x40, 'ZF'], [0x80, 'SF'], [0x100, 'TF'], [0x200, 'IF'], [0x400, 'DF'], [0x800, 'OF'],
  [0x3000, 'IOPL'], [0x4000, 'NT'], [0x10000, 'RF'], [0x40000, 'AC'], [0x200000, 'ID'],
];

export function flagNames(bits: number): string {
  return FLAG_NAMES.filter(([b]) => bits & b)
    .map(([, n]) => n)
    .join(' ') || '(none)';
}

/** The scratch byte at `offset` after the sequence. */
export function finalByte(r: SeqResult, initial: Uint8Array, offset: number): number {
  return r.memory.get(offset) ?? initial[offset]!;
}

export function compareResults(seq: Sequence, qemu: SeqResult, ours: SeqResult): SeqDifference | undefined {
  const fields: FieldDifference[] = [];
  const vec = (r: SeqResult): string => (r.vector === undefined ? 'none (ran to the end)' : String(r.vector));
  if (qemu.vector !== ours.vector) fields.push({ field: 'vector', qemu: vec(qemu), ours: vec(ours) });
  else if (qemu.vector !== undefined) {
    if (qemu.error !== ours.error) fields.push({ field: 'error code', qemu: hex(qemu.error, 4), ours: hex(ours.error, 4) });
    if (qemu.eip !== ours.eip) fields.push({ field: 'faulting eip', qemu: hex(qemu.eip ?? 0, 4), ours: hex(ours.eip ?? 0, 4) });
  }
  GPR_NAMES.forEach((name, i) => {
    if (qemu.regs[i] !== ours.regs[i]) fields.push({ field: name, qemu: hex(qemu.regs[i]!), ours: hex(ours.regs[i]!) });
  });
  const eflagsBits = (qemu.eflags ^ ours.eflags) >>> 0;
  if (eflagsBits) fields.push({ field: 'eflags', qemu: formatEflags(qemu.eflags), ours: `${formatEflags(ours.eflags)} (differ: ${flagNames(eflagsBits)})` });
  SEG_NAMES.forEach((name, i) => {
    if (qemu.segs[i] !== ours.segs[i]) fields.push({ field: name, qemu: hex(qemu.segs[i]!, 4), ours: hex(ours.segs[i]!, 4) });
  });
  const initial = scratchFill(seq.init.memSeed, SCRATCH_LEN);
  const offsets = [...new Set([...qemu.memory.keys(), ...ours.memory.keys()])].sort((a, b) => a - b);
  for (const off of offsets) {
    const q = finalByte(qemu, initial, off);
    const o = finalByte(ours, initial, off);
    if (q !== o) fields.push({ field: `mem[${hex(off, 3)}]`, qemu: hex(q, 2), ours: hex(o, 2) });
  }
  if (!fields.length) return undefined;
  const flags = flagSummary(seq.items);
  // EFLAGS, and the FLAGS image an exception pushed (the top of its frame, just below the SP the
  // driver records: a word in real mode, a dword through the 32-bit gates), in undefined bits only:
  // undefined at the end, or when an exception cut the sequence short (the instruction it
  // stopped at is not known here), at any point
  const frameBits = frameFlagsDifference(seq, qemu, ours, initial);
  const undefinedBits = qemu.vector !== undefined && qemu.vector === ours.vector ? flags.undefinedAnywhere : flags.undefinedAtEnd;
  const frameFields = fields.filter((f) => f.field.startsWith('mem[')).length;
  const undefinedFlagsOnly =
    fields.length === (eflagsBits ? 1 : 0) + (frameBits !== undefined ? frameFields : 0) &&
    (eflagsBits | (frameBits ?? 0)) !== 0 &&
    ((eflagsBits | (frameBits ?? 0)) & ~undefinedBits) === 0;
  return { fields, eflagsBits, undefinedFlagsOnly, flags };
}

/**
 * When both sides ended at the same vector and every differing scratch byte lies in the FLAGS
 * image at the top of the exception frame: the FLAGS bits that differ there; otherwise undefined.
 */
function frameFlagsDifference(seq: Sequence, qemu: SeqResult, ours: SeqResult, initial: Uint8Array): number | undefined {
  if (qemu.vector === undefined || qemu.vector !== ours.vector || qemu.regs[4] !== ours.regs[4]) return undefined;
  const width = seq.mode === 'real' ? 2 : 4;
  const sp = qemu.regs[4]! & 0xffff;
  let bits = 0;
  const offsets = new Set([...qemu.memory.keys(), ...ours.memory.keys()]);
  for (const off of offsets) {
    const q = finalByte(qemu, initial, off);
    const o = finalByte(ours, initial, off);
    if (q === o) continue;
    const at = off - (sp - width);
    if (at < 0 || at >= width) return undefined;
    bits |= (q ^ o) << (8 * at);
  }
  return bits >>> 0;
}

/** Two differences are "the same bug" for minimisation: they share a differing field. */
export function sameFailure(a: SeqDifference, b: SeqDifference): boolean {
  const names = new Set(a.fields.map((f) => f.field.replace(/^mem\[.*\]$/, 'mem')));
  return b.fields.some((f) => names.has(f.field.replace(/^mem\[.*\]$/, 'mem')));
}
