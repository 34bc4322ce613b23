/**
 * Comparing two executions: machc traces (trace/format.ts) from the QEMU plugin or machc's CPU,
 * and QEMU's own `-d cpu,exec,nochain -singlestep -D FILE` logs (an instruction each, with its
 * registers). Finds the first divergence and prints it with context.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { ARITH_FLAGS, readHeader, readTrace, TRACE_MAGIC, TRACE_REGS, type TraceRecord } from './format.js';

export type TraceUnit = 'insn' | 'run';

export interface LoadedTrace {
  readonly path: string;
  readonly kind: 'machc trace' | 'QEMU log';
  readonly unit: TraceUnit;
  /** Whether instruction records carry their size (so they can become runs). */
  readonly sizes: boolean;
  readonly regs: boolean;
  readonly repOnce: boolean;
  /** EFLAGS's arithmetic bits are not valid in it (QEMU's plugin API). */
  readonly noArithFlags: boolean;
  records(): Iterable<TraceRecord>;
}

/** Lines of a possibly large text file, read in chunks. */
function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      const text = rest + buf.toString('latin1', 0, n);
      const parts = text.split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

const LOG_REG = /\b(EAX|EBX|ECX|EDX|ESI|EDI|EBP|ESP|EFL)=([0-9a-f]{8})/g;

/**
 * Instructions of a QEMU `-d cpu,exec,nochain -singlestep` log: each "Trace" line's linear PC
 * ([cs_base/pc/flags/cflags]) and the registers of the CPU dump that follows it.
 */
export function* readQemuLog(path: string): Generator<TraceRecord> {
  let pc: number | undefined;
  let regs: Record<string, number> = {};
  const emit = (): TraceRecord | undefined => {
    if (pc === undefined) return undefined;
    const have = Object.keys(regs).length >= 9;
    const order = ['EAX', 'ECX', 'EDX', 'EBX', 'ESP', 'EBP', 'ESI', 'EDI', 'EFL'];
    const rec: TraceRecord = { pc, count: 1, ...(have ? { regs: order.map((r) => regs[r]!) } : {}) };
    pc = undefined;
    regs = {};
    return rec;
  };
  for (const line of lines(path)) {
    const t = /^Trace \d+: \S+ \[([0-9a-f]+)\/([0-9a-f]+)\//.exec(line);
    if (t) {
      const rec = emit();
      if (rec) yield rec;
      pc = Number(BigInt(`0x${t[2]}`) & 0xffffffffn);
      continue;
    }
    if (pc !== undefined && /^E(AX|SI|IP)=/.test(line)) for (const m of line.matchAll(LOG_REG)) regs[m[1]!] = parseInt(m[2]!, 16);
  }
  const rec = emit();
  if (rec) yield rec;
}

export function loadTrace(path: string): LoadedTrace {
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  const n = readSync(fd, head, 0, 16, 0);
  closeSync(fd);
  if (n >= 8 && head.toString('latin1', 0, 8) === TRACE_MAGIC) {
    const bytes = new Uint8Array(readFileSync(path));
    const h = readHeader(bytes);
    return {
      path,
      kind: 'machc trace',
      unit: h.perInsn ? 'insn' : 'run',
      sizes: h.perInsn,
      regs: h.regs,
      repOnce: h.repOnce,
      noArithFlags: h.noArithFlags ?? false,
      records: () => readTrace(bytes),
    };
  }
  return { path, kind: 'QEMU log', unit: 'insn', sizes: false, regs: true, repOnce: false, noArithFlags: false, records: () => readQemuLog(path) };
}

/** Per-instruction records with sizes merged into runs, as a run-level trace writes them. */
export function* toRuns(records: Iterable<TraceRecord>): Generator<TraceRecord> {
  let cur: { pc: number; count: number; regs?: readonly number[] } | undefined;
  let next = -1;
  for (const r of records) {
    if (r.size === undefined) throw new Error('instruction records without sizes cannot become runs');
    if (cur && r.pc === next) cur.count++;
    else {
      if (cur) yield cur;
      cur = { pc: r.pc, count: 1, ...(r.regs ? { regs: r.regs } : {}) };
    }
    next = (r.pc + r.size) >>> 0;
  }
  if (cur) yield cur;
}

export interface Divergence {
  /** Index of the first differing record (instructions, or runs). */
  readonly index: number;
  /** Instructions both executed alike before it. */
  readonly instructions: number;
  readonly unit: TraceUnit;
  readonly a?: TraceRecord;
  readonly b?: TraceRecord;
  readonly what: string;
  /** The last records both agree on, and the next ones of each. */
  readonly before: readonly TraceRecord[];
  readonly aAfter: readonly TraceRecord[];
  readonly bAfter: readonly TraceRecord[];
}

export interface Comparison {
  readonly unit: TraceUnit;
  /** Records and instructions compared equal. */
  readonly records: number;
  readonly instructions: number;
  readonly divergence?: Divergence;
  readonly notes: readonly string[];
}

export class TraceCompareError extends Error {}

function sameRegs(a: TraceRecord, b: TraceRecord, flagsMask: number): string | undefined {
  if (!a.regs || !b.regs) return undefined;
  const diff = TRACE_REGS.filter((_, i) => (i === 8 ? ((a.regs![i]! ^ b.regs![i]!) & flagsMask) !== 0 : a.regs![i] !== b.regs![i]));
  return diff.length ? `registers differ: ${diff.join(' ')}` : undefined;
}

/** Compares two traces; `context` records of context around a divergence. */
export function compareTraces(a: LoadedTrace, b: LoadedTrace, context = 8): Comparison {
  const notes: string[] = [];
  if (a.repOnce !== b.repOnce) {
    throw new TraceCompareError(`${a.path} counts REP string iterations ${a.repOnce ? 'once' : 'each'}, ${b.path} ${b.repOnce ? 'once' : 'each'}: trace both the same way (rep=once)`);
  }
  let unit: TraceUnit = 'insn';
  let ra: Iterable<TraceRecord> = a.records();
  let rb: Iterable<TraceRecord> = b.records();
  if (a.unit !== b.unit) {
    const insn = a.unit === 'insn' ? a : b;
    if (!insn.sizes) throw new TraceCompareError(`${insn.path} has instructions without sizes and ${(insn === a ? b : a).path} has runs: trace the other per instruction (unit=insn)`);
    unit = 'run';
    if (a.unit === 'insn') ra = toRuns(ra);
    else rb = toRuns(rb);
    notes.push('compared as runs (one trace is per instruction, the other per run)');
  } else unit = a.unit;
  if (!(a.regs && b.regs)) notes.push('registers not compared (not in both traces)');
  const flagsMask = a.regs && b.regs && (a.noArithFlags || b.noArithFlags) ? ~ARITH_FLAGS : ~0;
  if (flagsMask !== ~0) notes.push('EFLAGS compared without CF PF AF ZF SF OF (QEMU\'s plugin API cannot read them)');
  const ia = ra[Symbol.iterator]();
  const ib = rb[Symbol.iterator]();
  const before: TraceRecord[] = [];
  let index = 0;
  let instructions = 0;
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done && y.done) return { unit, records: index, instructions, notes };
    let what: string | undefined;
    if (x.done || y.done) what = `${x.done ? a.path : b.path} ends here`;
    else if (x.value.pc !== y.value.pc) what = 'addresses differ';
    else if (x.value.count !== y.value.count) what = `the run from here is ${x.value.count} instructions in one and ${y.value.count} in the other`;
    else what = sameRegs(x.value, y.value, flagsMask);
    if (what) {
      const take = (it: Iterator<TraceRecord>, first: IteratorResult<TraceRecord>): TraceRecord[] => {
        const out = first.done ? [] : [first.value];
        while (out.length < context) {
          const n = it.next();
          if (n.done) break;
          out.push(n.value);
        }
        return out;
      };
      const aAfter = take(ia, x);
      const bAfter = take(ib, y);
      return {
        unit,
        records: index,
        instructions,
        notes,
        divergence: { index, instructions, unit, ...(x.done ? {} : { a: x.value }), ...(y.done ? {} : { b: y.value }), what, before: [...before], aAfter, bAfter },
      };
    }
    before.push(x.value);
    if (before.length > context) before.shift();
    index++;
    instructions += x.value.count;
  }
}

const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

function formatRecord(r: TraceRecord, unit: TraceUnit, other?: TraceRecord): string {
  const where = unit === 'run' ? `${hex(r.pc)} x${r.count}` : hex(r.pc);
  if (!r.regs) return where;
  const regs = TRACE_REGS.map((n, i) => {
    const mark = other?.regs && other.regs[i] !== r.regs![i] ? '*' : '';
    return `${n}=${hex(r.regs![i]!)}${mark}`;
  }).join(' ');
  return `${where.padEnd(unit === 'run' ? 20 : 8)}  ${regs}`;
}

export function formatComparison(c: Comparison, aName: string, bName: string): string {
  const out = [...c.notes.map((n) => `note: ${n}`)];
  if (!c.divergence) {
    out.push(`the traces agree: ${c.unit === 'run' ? `${c.records} runs, ` : ''}${c.instructions} instructions`);
    return out.join('\n');
  }
  const d = c.divergence;
  out.push(`the traces agree for ${d.instructions} instructions (${d.index} ${d.unit === 'run' ? 'runs' : 'records'}), then ${d.what}`);
  out.push(`last ${d.before.length} in common:`);
  for (const r of d.before) out.push(`  ${formatRecord(r, d.unit)}`);
  out.push(`${aName}:`);
  d.aAfter.forEach((r, i) => out.push(`  ${formatRecord(r, d.unit, i === 0 ? d.b : undefined)}`));
  if (!d.aAfter.length) out.push('  (ends)');
  out.push(`${bName}:`);
  d.bAfter.forEach((r, i) => out.push(`  ${formatRecord(r, d.unit, i === 0 ? d.a : undefined)}`));
  if (!d.bAfter.length) out.push('  (ends)');
  return out.join('\n');
}
