/**
 * Random instruction sequences: a mode, an initial state (GPRs, EFLAGS, a seed for the scratch
 * memory) and a list of template instances, all from (seed, index), so any one sequence can be
 * regenerated alone.
 */
import { ARITH, FLAG, type Mode, MODES, SCRATCH_LEN, SP_INIT, SP_LOW } from './operands.js';
import { mix, Rng } from './prng.js';
import { type Item, templatesFor } from './templates.js';
import { Operands } from './operands.js';

export interface InitialState {
  /** eax ecx edx ebx esp ebp esi edi */
  readonly regs: readonly number[];
  readonly eflags: number;
  /** Seed of the scratch area's contents (prng.ts scratchFill). */
  readonly memSeed: number;
}

export interface Sequence {
  /** Identifies it: the generator seed and the index under it. */
  readonly seed: number;
  readonly index: number;
  readonly mode: Mode;
  readonly init: InitialState;
  readonly items: readonly Item[];
}

/** Placeholder in labels, replaced by a unique name for each copy of a sequence in a batch. */
export const LABEL = '@@';
export const CODE_START = `.L${LABEL}_code`;

/** EFLAGS bits the initial state and popf choose at random (never TF, IF, VM, RF). */
export const RANDOM_EFLAGS = ARITH | FLAG.DF | 0x3000 | 0x4000 | 0x40000 | 0x200000;

export interface GenerateOptions {
  /** Only this mode (default: each sequence picks one). */
  readonly mode?: Mode;
  /** Longest sequence (default 24 template instances). */
  readonly maxItems?: number;
}

/** Where the stack pointer goes through `items`, or undefined when it leaves the scratch area. */
export function stackTrace(items: readonly Item[]): number[] | undefined {
  let sp = SP_INIT;
  const trace = [sp];
  for (const it of items) {
    const base = it.stack.set ?? sp;
    if (base + it.stack.low < SP_LOW || base + it.stack.high > SCRATCH_LEN) return undefined;
    sp = base + it.stack.delta;
    if (sp < SP_LOW || sp > SCRATCH_LEN - 4) return undefined;
    trace.push(sp);
  }
  return trace;
}

export function generateSequence(seed: number, index: number, opts: GenerateOptions = {}): Sequence {
  const rng = new Rng(mix(seed, index));
  const mode = opts.mode ?? rng.pick(MODES);
  const regs = Array.from({ length: 8 }, () => rng.value(32));
  regs[4] = SP_INIT;
  const eflags = (0x2 | (rng.u32() & RANDOM_EFLAGS)) >>> 0;
  const memSeed = rng.u32() || 1;
  const templates = templatesFor(mode);
  const weighted = templates.map((t) => [t.weight, t] as const);
  const n = rng.int(1, opts.maxItems ?? 24);
  const items: Item[] = [];
  let sp = SP_INIT;
  for (let k = 0; k < n; k++) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const t = rng.weighted(weighted);
      const ops = new Operands(rng, mode, `${LABEL}_${k}_${attempt}`, sp, CODE_START);
      const b = t.gen(ops);
      const item: Item = { template: t.name, writes: 0, undef: 0, reads: 0, stack: { delta: 0, low: 0, high: 0 }, ...b };
      const trace = stackTrace([...items, item]);
      if (!trace) continue;
      items.push(item);
      sp = trace[trace.length - 1]!;
      break;
    }
    if (items[items.length - 1]?.ends) break;
  }
  return { seed, index, mode, init: { regs, eflags, memSeed }, items };
}

/** The assembly of a sequence's code (without the driver's epilogue jump). */
export function sequenceLines(seq: Sequence): string[] {
  return seq.items.flatMap((it) => it.lines);
}

export interface FlagSummary {
  /** Arithmetic flags whose final value the SDM leaves undefined. */
  readonly undefinedAtEnd: number;
  /** Arithmetic flags undefined after some instruction (for a sequence an exception cut short, where the end is not known). */
  readonly undefinedAnywhere: number;
  /** Instructions that read flags while some of them were undefined: text and flags. */
  readonly undefinedReads: readonly { readonly text: string; readonly flags: number }[];
}

/** Follows which flags are undefined through the sequence (assuming every instruction runs). */
export function flagSummary(items: readonly Item[]): FlagSummary {
  let undef = 0;
  let anywhere = 0;
  const undefinedReads: { text: string; flags: number }[] = [];
  for (const it of items) {
    if (it.reads & undef) undefinedReads.push({ text: it.text, flags: it.reads & undef });
    undef = (undef & ~it.writes) | it.undef;
    anywhere |= undef;
  }
  return { undefinedAtEnd: undef, undefinedAnywhere: anywhere, undefinedReads };
}
