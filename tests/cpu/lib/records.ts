/**
 * The records corpus programs write to the debug console (asm/harness.inc), decoded, printed
 * and compared. All values little-endian.
 *
 *   'S' u8 mode  u16 id   GPRS EFLAGS SEGS CRS                      snapshot (SNAP id)
 *   'E' u8 vec   u8 mode  u8 0   u32 esp  u32 stack[8]  GPRS EFLAGS SEGS CRS   exception
 *   'R' u16 id  u32 eax  u32 edx  u32 eflags                         result (RESULT id)
 *   'M' u32 address  u32 length  bytes                               memory (MEMDUMP*)
 *   'B' u32 length  bytes                                             raw bytes (RAW_BYTES n)
 *   'Z'                                                              done
 *   'F'                                                              unexpected exception: stop
 *
 * GPRS: eax ecx edx ebx esp ebp esi edi (u32 each); SEGS: cs ss ds es fs gs (u16 each);
 * CRS: cr0 cr2 cr3 cr4 (u32 each). A snapshot's ESP is the program's (before SNAP's pushes);
 * an exception's `esp` and GPRS.esp are the stack pointer at delivery (pointing at the frame
 * the CPU pushed, of which `stack` holds the first 32 bytes) and EFLAGS is the handler's.
 */

export const GPR_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export const SEG_NAMES = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const;
export const CR_NAMES = ['cr0', 'cr2', 'cr3', 'cr4'] as const;

export type Gprs = Record<(typeof GPR_NAMES)[number], number>;
export type Segs = Record<(typeof SEG_NAMES)[number], number>;
export type Crs = Record<(typeof CR_NAMES)[number], number>;

export interface CpuState {
  readonly regs: Gprs;
  readonly eflags: number;
  readonly segs: Segs;
  readonly crs: Crs;
}

export type HarnessRecord =
  | ({ readonly kind: 'snapshot'; readonly id: number; readonly mode: number } & CpuState)
  | ({ readonly kind: 'exception'; readonly vector: number; readonly mode: number; readonly esp: number; readonly stack: readonly number[] } & CpuState)
  | { readonly kind: 'result'; readonly id: number; readonly eax: number; readonly edx: number; readonly eflags: number }
  | { readonly kind: 'memory'; readonly address: number; readonly bytes: Uint8Array }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'done' }
  | { readonly kind: 'fatal' };

export interface Decoded {
  readonly records: HarnessRecord[];
  /** Why decoding stopped early (an unknown record type or a truncated record), at which byte offset. */
  readonly error?: string;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}
  has(n: number): boolean {
    return this.pos + n <= this.bytes.length;
  }
  u8(): number {
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    const v = this.bytes[this.pos]! | (this.bytes[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const b = this.bytes;
    const v = (b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16) | (b[this.pos + 3]! << 24)) >>> 0;
    this.pos += 4;
    return v;
  }
}

const STATE_BYTES = 32 + 4 + 12 + 16;

function readState(r: Reader): CpuState {
  const regs = Object.fromEntries(GPR_NAMES.map((n) => [n, r.u32()])) as Gprs;
  const eflags = r.u32();
  const segs = Object.fromEntries(SEG_NAMES.map((n) => [n, r.u16()])) as Segs;
  const crs = Object.fromEntries(CR_NAMES.map((n) => [n, r.u32()])) as Crs;
  return { regs, eflags, segs, crs };
}

export function decodeRecords(bytes: Uint8Array): Decoded {
  const r = new Reader(bytes);
  const records: HarnessRecord[] = [];
  const truncated = (at: number, what: string): Decoded => ({ records, error: `truncated ${what} record at byte ${at}` });
  while (r.has(1)) {
    const at = r.pos;
    const tag = String.fromCharCode(r.u8());
    switch (tag) {
      case 'S': {
        if (!r.has(3 + STATE_BYTES)) return truncated(at, 'snapshot');
        const mode = r.u8();
        const id = r.u16();
        records.push({ kind: 'snapshot', id, mode, ...readState(r) });
        break;
      }
      case 'E': {
        if (!r.has(3 + 4 + 32 + STATE_BYTES)) return truncated(at, 'exception');
        const vector = r.u8();
        const mode = r.u8();
        r.u8();
        const esp = r.u32();
        const stack = Array.from({ length: 8 }, () => r.u32());
        records.push({ kind: 'exception', vector, mode, esp, stack, ...readState(r) });
        break;
      }
      case 'R': {
        if (!r.has(14)) return truncated(at, 'result');
        records.push({ kind: 'result', id: r.u16(), eax: r.u32(), edx: r.u32(), eflags: r.u32() });
        break;
      }
      case 'B': {
        if (!r.has(4)) return truncated(at, 'raw');
        const length = r.u32();
        if (!r.has(length)) return truncated(at, 'raw');
        records.push({ kind: 'raw', bytes: bytes.slice(r.pos, r.pos + length) });
        r.pos += length;
        break;
      }
      case 'M': {
        if (!r.has(8)) return truncated(at, 'memory');
        const address = r.u32();
        const length = r.u32();
        if (!r.has(length)) return truncated(at, 'memory');
        records.push({ kind: 'memory', address, bytes: bytes.slice(r.pos, r.pos + length) });
        r.pos += length;
        break;
      }
      case 'Z':
        records.push({ kind: 'done' });
        break;
      case 'F':
        records.push({ kind: 'fatal' });
        break;
      default:
        return { records, error: `unknown record type 0x${tag.charCodeAt(0).toString(16)} at byte ${at}` };
    }
  }
  return { records };
}

const hex = (v: number, digits = 8): string => v.toString(16).padStart(digits, '0');

/** EFLAGS as hex plus the set flags by name ('00000893 CF AF SF'). */
export function formatEflags(v: number): string {
  const names: [number, string][] = [
    [0, 'CF'], [2, 'PF'], [4, 'AF'], [6, 'ZF'], [7, 'SF'], [8, 'TF'], [9, 'IF'], [10, 'DF'], [11, 'OF'],
    [14, 'NT'], [16, 'RF'], [17, 'VM'], [18, 'AC'], [19, 'VIF'], [20, 'VIP'], [21, 'ID'],
  ];
  const set = names.filter(([bit]) => (v >>> bit) & 1).map(([, n]) => n);
  const iopl = (v >>> 12) & 3;
  if (iopl) set.push(`IOPL=${iopl}`);
  return `${hex(v)}${set.length ? ` ${set.join(' ')}` : ''}`;
}

function stateFields(s: CpuState): [string, string][] {
  return [
    ...GPR_NAMES.map((n): [string, string] => [n, hex(s.regs[n])]),
    ['eflags', formatEflags(s.eflags)],
    ...SEG_NAMES.map((n): [string, string] => [n, hex(s.segs[n], 4)]),
    ...CR_NAMES.map((n): [string, string] => [n, hex(s.crs[n])]),
  ];
}

/** Named fields of a record, as text, for printing and comparing. */
export function recordFields(rec: HarnessRecord): [string, string][] {
  switch (rec.kind) {
    case 'snapshot':
      return [['snapshot', `${rec.id} (${rec.mode}-bit code)`], ...stateFields(rec)];
    case 'exception':
      return [
        ['exception', `vector ${rec.vector} (${rec.mode}-bit handler)`],
        ['stack at delivery', `${hex(rec.esp)}: ${rec.stack.map((w) => hex(w)).join(' ')}`],
        ...stateFields(rec),
      ];
    case 'result':
      return [['result', String(rec.id)], ['eax', hex(rec.eax)], ['edx', hex(rec.edx)], ['eflags', formatEflags(rec.eflags)]];
    case 'memory':
      return [['memory', `${hex(rec.address)}+${rec.bytes.length}`], ...hexRows(rec.address, rec.bytes)];
    case 'raw':
      return [['raw', `${rec.bytes.length} bytes`], ...hexRows(0, rec.bytes)];
    case 'done':
      return [['done', '']];
    case 'fatal':
      return [['fatal', 'an exception with no resume point stopped the program']];
  }
}

function hexRows(address: number, bytes: Uint8Array): [string, string][] {
  const rows: [string, string][] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    rows.push([hex(address + i), Array.from(bytes.subarray(i, i + 16), (b) => hex(b, 2)).join(' ')]);
  }
  return rows;
}

export function formatRecord(rec: HarnessRecord): string {
  return recordFields(rec)
    .map(([k, v]) => `${k.padEnd(8)} ${v}`)
    .join('\n');
}

export interface RecordDifference {
  /** Index of the first record that differs (or is missing on one side). */
  readonly index: number;
  readonly expected?: HarnessRecord;
  readonly actual?: HarnessRecord;
  /** The differing fields: name, expected, actual. */
  readonly fields: [string, string, string][];
}

/** The first difference between two record streams (expected: QEMU's), or undefined. */
export function firstDifference(expected: readonly HarnessRecord[], actual: readonly HarnessRecord[]): RecordDifference | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!e || !a) return { index: i, ...(e ? { expected: e } : {}), ...(a ? { actual: a } : {}), fields: [] };
    const ef = recordFields(e);
    const af = new Map(recordFields(a));
    const fields: [string, string, string][] = [];
    if (e.kind !== a.kind) fields.push(['kind', e.kind, a.kind]);
    else for (const [k, v] of ef) if (af.get(k) !== v) fields.push([k, v, af.get(k) ?? '(missing)']);
    if ((e.kind === 'memory' || e.kind === 'raw') && e.kind === a.kind && e.bytes.length !== a.bytes.length) fields.push(['length', String(e.bytes.length), String(a.bytes.length)]);
    if (fields.length) return { index: i, expected: e, actual: a, fields };
  }
  return undefined;
}

/** A readable report of a difference: the differing fields, then both records in full. */
export function formatDifference(d: RecordDifference, context: readonly HarnessRecord[] = []): string {
  const lines = [`record ${d.index} differs`];
  if (!d.expected) lines.push('  QEMU: (no more records)');
  if (!d.actual) lines.push('  ours: (no more records)');
  for (const [k, e, a] of d.fields) lines.push(`  ${k}: QEMU ${e}, ours ${a}`);
  if (context.length) lines.push('previous record (equal on both):', indent(formatRecord(context[context.length - 1]!)));
  if (d.expected) lines.push('QEMU:', indent(formatRecord(d.expected)));
  if (d.actual) lines.push('ours:', indent(formatRecord(d.actual)));
  return lines.join('\n');
}

const indent = (s: string): string =>
  s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
