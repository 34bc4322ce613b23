/**
 * The decoder: bytes to `Insn`, driven only by the opcode table. It knows
 * prefixes, ModRM/SIB/displacement and immediate encodings, and which row
 * an opcode selects; what an instruction does lives in the semantics.
 * Decoding never faults by itself: an undefined opcode decodes to `ud`
 * (raising #UD when executed) and the fetcher reports unreadable code.
 */
import { OPCODES, OPCODES_64, SSE_OPCODES, type OpRow } from './table.js';

export const ES = 0;
export const CS = 1;
export const SS = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

/** Attribute bits of a table row. */
export const A = {
  lock: 1 << 0,
  priv: 1 << 1,
  branch: 1 << 2,
  end: 1 << 3,
  rep: 1 << 4,
  repcc: 1 << 5,
  io: 1 << 6,
  i64: 1 << 7,
  o64: 1 << 8,
  nomod: 1 << 9,
  /** Only in 64-bit code (rows of the 64-bit table). */
  x64: 1 << 10,
  /** Operand size forced to 64 bits in 64-bit code (near branches). */
  f64: 1 << 11,
} as const;

export type OperandKind = 'E' | 'G' | 'M' | 'R' | 'S' | 'C' | 'D' | 'I' | 'J' | 'O' | 'A' | 'X' | 'Y' | 'Z' | 'V' | 'W' | 'U' | 'reg' | 'seg' | 'one';
export type OperandSize = 'b' | 'w' | 'd' | 'q' | 'v' | 'z' | 'p' | 'a' | 's' | 'x' | 'o' | 'y';

export interface OperandSpec {
  readonly kind: OperandKind;
  readonly size: OperandSize;
  /** For fixed registers and segments: the register number. */
  readonly reg: number;
}

export interface OpEntry {
  /** Index in the compiled table (stable for a given table). */
  readonly id: number;
  readonly mnemonic: string;
  readonly operands: readonly OperandSpec[];
  readonly attrs: number;
  readonly modrm: boolean;
  /** Condition code (jcc/setcc/cmovcc) or opcode low bits (+r, +x rows). */
  readonly low: number;
  /** The opcode as written in the table, for disassembly and errors. */
  readonly opcode: string;
  /** The register is the opcode's low bits (a `+r` row). */
  readonly plusR: boolean;
}

const FIXED: Record<string, OperandSpec> = {
  AL: { kind: 'reg', size: 'b', reg: 0 },
  CL: { kind: 'reg', size: 'b', reg: 1 },
  DX: { kind: 'reg', size: 'w', reg: 2 },
  AX: { kind: 'reg', size: 'w', reg: 0 },
  eAX: { kind: 'reg', size: 'z', reg: 0 },
  rAX: { kind: 'reg', size: 'v', reg: 0 },
  ES: { kind: 'seg', size: 'w', reg: ES },
  CS: { kind: 'seg', size: 'w', reg: CS },
  SS: { kind: 'seg', size: 'w', reg: SS },
  DS: { kind: 'seg', size: 'w', reg: DS },
  FS: { kind: 'seg', size: 'w', reg: FS },
  GS: { kind: 'seg', size: 'w', reg: GS },
  '1': { kind: 'one', size: 'b', reg: 0 },
};

function parseOperand(text: string): OperandSpec {
  const fixed = FIXED[text];
  if (fixed) return fixed;
  const m = /^([EGMRSCDIJOAXYZVWU])([bwdqvzpasxoy]?)$/.exec(text);
  if (!m) throw new Error(`opcode table: bad operand ${text}`);
  return { kind: m[1] as OperandKind, size: (m[2] || 'x') as OperandSize, reg: 0 };
}

/** A slot in a decode map: one row, or a ModRM.reg group of up to eight, each split by register/memory form. */
type Slot = OpEntry | Group;
interface Group {
  readonly group: true;
  /** [reg][0 = memory form, 1 = register form] */
  readonly byReg: (OpEntry | undefined)[][];
}

export interface DecodeTables {
  readonly map1: (Slot | undefined)[];
  /** The two-byte map per mandatory prefix: [none, 66, F3, F2]. */
  readonly map2: (Slot | undefined)[][];
  readonly entries: readonly OpEntry[];
  readonly ud: OpEntry;
  /** Rows that replace a row in 64-bit code, by the replaced row's opcode text. */
  readonly long64: Map<string, OpEntry>;
  /** 0x90 without REX.B in 64-bit code (not XCHG EAX, EAX, which would clear RAX's high half). */
  readonly nop: OpEntry;
  /** F3 90 (without REX.B): PAUSE, which ends the block and the CPU's turn as QEMU's helper_pause does. */
  readonly pause: OpEntry;
}

function compile(rows: readonly OpRow[], rows64: readonly OpRow[]): DecodeTables {
  const map1: (Slot | undefined)[] = new Array(256).fill(undefined);
  const map2: (Slot | undefined)[][] = [0, 1, 2, 3].map(() => new Array<Slot | undefined>(256).fill(undefined));
  const entries: OpEntry[] = [];
  const make = (row: OpRow, low: number, opcode: string): OpEntry => {
    const [, mnemonic, ops = '', attrText = ''] = row;
    let attrs = 0;
    for (const a of attrText.split(/\s+/).filter(Boolean)) {
      const bit = (A as Record<string, number>)[a];
      if (bit === undefined) throw new Error(`opcode table: bad attribute ${a} in ${row[0]}`);
      attrs |= bit;
    }
    const operands = ops ? ops.split(',').map(parseOperand) : [];
    const modrm = operands.some((o) => 'EGMRSCDVWU'.includes(o.kind) && o.kind !== 'reg') || /\//.test(row[0]);
    const e: OpEntry = { id: entries.length, mnemonic, operands, attrs, modrm, low, opcode, plusR: opcode.endsWith('+r') };
    entries.push(e);
    return e;
  };
  for (const row of rows) {
    const m = /^(?:(66|f3|f2) )?(0f )?([0-9a-f]{2})(\+r|\+cc|\+x)?(?:\/([0-7]))?(?: ([mr]))?$/.exec(row[0]);
    if (!m) throw new Error(`opcode table: bad opcode ${row[0]}`);
    const pfx = m[1] === '66' ? 1 : m[1] === 'f3' ? 2 : m[1] === 'f2' ? 3 : 0;
    if (pfx && !m[2]) throw new Error(`opcode table: a mandatory prefix needs the 0f map (${row[0]})`);
    const map = m[2] ? map2[pfx]! : map1;
    m.splice(1, 1);
    const op = parseInt(m[2]!, 16);
    const count = m[3] === '+cc' ? 16 : m[3] ? 8 : 1;
    for (let n = 0; n < count; n++) {
      const entry = make(row, n, row[0]);
      const at = op + n;
      if (m[4] === undefined) {
        if (map[at]) throw new Error(`opcode table: ${row[0]} defined twice`);
        map[at] = entry;
        continue;
      }
      let slot = map[at];
      if (!slot) map[at] = slot = { group: true, byReg: Array.from({ length: 8 }, () => [undefined, undefined]) };
      if (!('group' in slot)) throw new Error(`opcode table: ${row[0]} mixes a group and a plain row`);
      const forms = m[5] === 'm' ? [0] : m[5] === 'r' ? [1] : [0, 1];
      for (const f of forms) {
        if (slot.byReg[Number(m[4])]![f]) throw new Error(`opcode table: ${row[0]} defined twice`);
        slot.byReg[Number(m[4])]![f] = entry;
      }
    }
  }
  const ud = make(['--', 'ud', '', 'branch end'], 0, '--');
  const long64 = new Map<string, OpEntry>();
  for (const row of rows64) long64.set(row[0], make(row, 0, row[0]));
  const nop = make(['90', 'nop', ''], 0, '90');
  const pause = make(['f3 90', 'pause', '', 'branch end'], 0, 'f3 90');
  return { map1, map2, entries, ud, long64, nop, pause };
}

export const TABLES: DecodeTables = compile([...OPCODES, ...SSE_OPCODES], OPCODES_64);

/** Tier-1 handler: runs one decoded instruction against the CPU. */
export type Handler = (cpu: any, i: Insn) => void;

/** One decoded instruction. Fields are plain numbers so every Insn has the same shape. */
export class Insn {
  // Tier 1 reads the fields up to `ripHi` at every run of the instruction (the dispatcher `h`, its
  // handler the others); they come first, so that they share the object's first cache lines. A
  // Linux boot keeps hundreds of thousands of instructions decoded, and loading them from memory
  // is most of what running a block in tier 1 costs.
  /** The tier-1 handler, bound when the block is built. */
  h: Handler | undefined = undefined;
  /** Offset in CS of the first byte (EIP; RIP in 64-bit code as a signed canonical number), and of the next instruction. */
  eip = 0;
  next = 0;
  /** Index of this instruction in its block. */
  k = 0;
  /** Register operands, resolved: index into the register file and, for byte registers, the bit shift (0 or 8). */
  gReg = 0;
  eReg = 0;
  imm = 0;
  /** Memory operand: base and index register (-1 for none, -2 base = RIP), scale shift, displacement. */
  disp = 0;
  base = -1;
  index = -1;
  gSh = 0;
  eSh = 0;
  zReg = 0;
  zSh = 0;
  /** High half of a 64-bit immediate (mov r64, imm64; sign of a 32-bit one extended to 64 bits). */
  immHi = 0;
  imm2 = 0;
  /** RIP-relative operand: the absolute address, low and high halves. */
  ripLo = 0;
  ripHi = 0;
  // The rest serves decoding, choosing a handler and generating code.
  len = 0;
  entry: OpEntry = TABLES.ud;
  /** Operand and address size in bytes. */
  osize = 4;
  asize = 4;
  /** Segment of the memory operand (after any override). */
  seg = DS;
  /** The segment override prefix, or -1. */
  segOvr = -1;
  /** 0, or 1 for F3 (REP/REPE), 2 for F2 (REPNE). */
  rep = 0;
  lock = false;
  /** The 66 prefix was present (SSE instructions use it as part of the opcode). */
  opsizePrefix = false;
  /** REX prefix byte (0 when none). */
  rex = 0;
  mod = 0;
  reg = 0;
  rm = 0;
  scale = 0;
  /** Raw ModRM byte (x87 escapes read it). */
  modrm = 0;
  constructor() {
    // Unsigned 32-bit and 64-bit addresses and immediates are numbers beyond V8's small integers:
    // these fields start as doubles (number-fields.ts). Written out, not through startAsDoubles,
    // whose stores by a field's name made building an Insn (at every instruction decoded) take
    // 340 ns instead of 18.
    this.eip = this.next = this.disp = this.imm = this.imm2 = 0.5;
    this.eip = this.next = this.disp = this.imm = this.imm2 = 0;
  }
}

/** Byte source for the decoder: returns -1 when the byte cannot be fetched. */
export type FetchByte = (offset: number) => number;

/** Code segment modes the decoder knows. */
export type CodeMode = 16 | 32 | 64;

const SSE_PREFIX_ROWS = new Set<OpEntry>();

/**
 * Decodes one instruction at CS offset `eip` in code of `mode` bits.
 * Returns false if a byte could not be fetched (the caller raises the
 * fault, or ends the block before this instruction).
 */
export function decode(insn: Insn, fetch: FetchByte, eip: number, mode: CodeMode | boolean): boolean {
  const m: CodeMode = mode === true ? 16 : mode === false ? 32 : mode;
  const long = m === 64;
  let p = eip;
  const wrap = (v: number): number => (m === 16 ? v & 0xffff : m === 32 ? v >>> 0 : v);
  const next = (): number => {
    const b = fetch(p);
    p = wrap(p + 1);
    return b;
  };
  insn.eip = eip;
  insn.segOvr = -1;
  insn.rep = 0;
  insn.lock = false;
  insn.rex = 0;
  insn.opsizePrefix = false;
  let opsize = false;
  let adsize = false;
  let b: number;
  let count = 0;
  let rex = 0;
  for (;;) {
    b = next();
    if (b < 0) return false;
    count++;
    if (long && b >= 0x40 && b <= 0x4f) {
      rex = b;
      if (count >= 15) return finishUd(insn, eip, p, m);
      continue;
    }
    if (b === 0x66) opsize = true;
    else if (b === 0x67) adsize = true;
    else if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) {
      if (!long) insn.segOvr = (b >> 3) & 3;
    } else if (b === 0x64 || b === 0x65) insn.segOvr = b - 0x60;
    else if (b === 0xf0) insn.lock = true;
    else if (b === 0xf2) insn.rep = 2;
    else if (b === 0xf3) insn.rep = 1;
    else break;
    // A legacy prefix after REX makes the REX ignored.
    rex = 0;
    if (count >= 15) return finishUd(insn, eip, p, m);
  }
  insn.rex = rex;
  insn.opsizePrefix = opsize;
  const rexW = (rex & 8) !== 0;
  let asize = m === 16 ? (adsize ? 4 : 2) : m === 32 ? (adsize ? 2 : 4) : adsize ? 4 : 8;
  let slot: Slot | undefined;
  let map2 = false;
  if (b === 0x0f) {
    const b2 = next();
    if (b2 < 0) return false;
    // A mandatory prefix selects the SSE row; without one for it the prefix acts as usual.
    const pfx = insn.rep === 1 ? 2 : insn.rep === 2 ? 3 : opsize ? 1 : 0;
    slot = pfx ? TABLES.map2[pfx]![b2] : undefined;
    if (slot) {
      if (pfx === 1) opsize = false;
      else insn.rep = 0;
    } else if (opsize && pfx > 1 && TABLES.map2[1]![b2]) {
      slot = TABLES.map2[1]![b2];
      opsize = false;
    } else slot = TABLES.map2[0]![b2];
    map2 = true;
  } else slot = TABLES.map1[b];

  let entry: OpEntry | undefined;
  let modrm = -1;
  if (slot && 'group' in slot) {
    modrm = next();
    if (modrm < 0) return false;
    entry = slot.byReg[(modrm >> 3) & 7]![(modrm >> 6) === 3 ? 1 : 0];
  } else {
    entry = slot;
    if (entry?.modrm) {
      modrm = next();
      if (modrm < 0) return false;
      // Rows marked 'm' or 'r' without a group (lea, lds...) check the form here.
      if (entry.opcode.endsWith(' m') && modrm >> 6 === 3) entry = undefined;
    }
  }
  let osize = m === 16 ? (opsize ? 4 : 2) : opsize ? 2 : 4;
  // Rows that differ in 64-bit code.
  if (entry && long) {
    if (entry.attrs & A.i64) entry = TABLES.long64.get(entry.opcode) ?? undefined;
    else entry = TABLES.long64.get(entry.opcode) ?? entry;
    if (b === 0x90 && !map2 && !(rex & 1)) entry = TABLES.nop;
  } else if (entry && entry.attrs & A.x64) entry = undefined;
  if (b === 0x90 && !map2 && !(rex & 1) && insn.rep === 1) entry = TABLES.pause;
  void map2;
  if (!entry) return finishUd(insn, eip, p, m);
  if (long) {
    if (rexW) osize = 8;
    else if (entry.attrs & A.o64) osize = opsize ? 2 : 8;
    else if (entry.attrs & A.f64) osize = 8;
  }
  insn.osize = osize;
  insn.asize = asize;
  insn.entry = entry;
  insn.seg = DS;
  insn.base = -1;
  insn.index = -1;
  insn.scale = 0;
  insn.disp = 0;
  insn.imm = 0;
  insn.immHi = 0;
  insn.imm2 = 0;
  insn.modrm = modrm < 0 ? 0 : modrm;
  const rexR = rex & 4 ? 8 : 0;
  const rexX = rex & 2 ? 8 : 0;
  const rexB = rex & 1 ? 8 : 0;
  let ripRel = false;

  if (modrm >= 0) {
    let mod = modrm >> 6;
    const reg = ((modrm >> 3) & 7) | rexR;
    const rm = modrm & 7;
    if (entry.attrs & A.nomod) mod = 3;
    insn.mod = mod;
    insn.reg = reg;
    insn.rm = rm | rexB;
    insn.gReg = reg;
    insn.gSh = 0;
    insn.eReg = rm | rexB;
    insn.eSh = 0;
    if (mod !== 3) {
      if (asize === 2) {
        const bases = [3, 3, 5, 5, 6, 7, 5, 3];
        const indexes = [6, 7, 6, 7, -1, -1, -1, -1];
        if (mod === 0 && rm === 6) {
          const d = fetchN(fetch, p, 2, wrap);
          if (d === undefined) return false;
          p = wrap(p + 2);
          insn.disp = d;
        } else {
          insn.base = bases[rm]!;
          insn.index = indexes[rm]!;
          if (rm === 2 || rm === 3 || rm === 6) insn.seg = SS;
          if (mod === 1) {
            const d = next();
            if (d < 0) return false;
            insn.disp = (d << 24) >> 24;
          } else if (mod === 2) {
            const d = fetchN(fetch, p, 2, wrap);
            if (d === undefined) return false;
            p = wrap(p + 2);
            insn.disp = (d << 16) >> 16;
          }
        }
      } else {
        let base = rm;
        if (rm === 4) {
          const sib = next();
          if (sib < 0) return false;
          insn.scale = sib >> 6;
          const idx = ((sib >> 3) & 7) | rexX;
          insn.index = idx === 4 ? -1 : idx;
          base = sib & 7;
          if (base === 5 && mod === 0) base = -1;
          else base |= rexB;
        } else if (rm === 5 && mod === 0) {
          base = -1;
          ripRel = long;
        } else base |= rexB;
        insn.base = ripRel ? -2 : base;
        if ((base & 7) === 4 || (base & 7) === 5) {
          if (base >= 0) insn.seg = SS;
        }
        if (base < 0 || mod === 2) {
          const d = fetchN(fetch, p, 4, wrap);
          if (d === undefined) return false;
          p = wrap(p + 4);
          insn.disp = d | 0;
        } else if (mod === 1) {
          const d = next();
          if (d < 0) return false;
          insn.disp = (d << 24) >> 24;
        }
      }
    }
  } else insn.mod = 3;
  if (insn.segOvr >= 0) insn.seg = insn.segOvr;

  // Byte registers: AL CL DL BL AH CH DH BH, or with any REX SPL BPL SIL DIL and R8B-R15B.
  const ops = entry.operands;
  // (Indexed loops: decode runs mostly in V8's baseline tiers, where for-of allocates.)
  for (let n = 0; n < ops.length; n++) {
    const o = ops[n]!;
    if (o.size !== 'b') continue;
    if (o.kind === 'G') {
      if (!rex && insn.reg >= 4 && insn.reg < 8) {
        insn.gReg = insn.reg & 3;
        insn.gSh = 8;
      }
    } else if (o.kind === 'E' && insn.mod === 3) {
      if (!rex && insn.eReg >= 4 && insn.eReg < 8) {
        insn.eReg = insn.eReg & 3;
        insn.eSh = 8;
      }
    }
  }
  if (entry.plusR) {
    const r = entry.low | rexB;
    const byte = ops[0]?.size === 'b';
    insn.zReg = byte && !rex && r >= 4 && r < 8 ? r & 3 : r;
    insn.zSh = byte && !rex && r >= 4 && r < 8 ? 8 : 0;
  }

  // Immediates, in operand order.
  let immN = 0;
  for (let n = 0; n < ops.length; n++) {
    const o = ops[n]!;
    let v: number | undefined;
    switch (o.kind) {
      case 'I': {
        const w = o.size === 'b' || o.size === 's' ? 1 : o.size === 'w' ? 2 : o.size === 'd' ? 4 : o.size === 'v' && osize === 8 ? 8 : osize === 2 ? 2 : 4;
        if (w === 8) {
          const lo = fetchN(fetch, p, 4, wrap);
          const hi = fetchN(fetch, wrap(p + 4), 4, wrap);
          if (lo === undefined || hi === undefined) return false;
          p = wrap(p + 8);
          insn.imm = lo | 0;
          insn.immHi = hi | 0;
          immN++;
          continue;
        }
        v = fetchN(fetch, p, w, wrap);
        if (v === undefined) return false;
        p = wrap(p + w);
        if (o.size === 's') v = osize === 2 ? ((v << 24) >> 24) & 0xffff : (v << 24) >> 24;
        else if (w === 4) v = v | 0;
        if (immN === 0) insn.immHi = osize === 8 && (w === 4 || o.size === 's') ? v >> 31 : 0;
        break;
      }
      case 'J': {
        const w = o.size === 'b' ? 1 : osize === 2 ? 2 : 4;
        const rel = fetchN(fetch, p, w, wrap);
        if (rel === undefined) return false;
        p = wrap(p + w);
        const srel = w === 1 ? (rel << 24) >> 24 : w === 2 ? (rel << 16) >> 16 : rel | 0;
        if (long) v = canonical(p + srel);
        else v = (p + srel) & (osize === 2 ? 0xffff : 0xffff_ffff);
        if (!long) v = v >>> 0;
        break;
      }
      case 'O': {
        const d = fetchN(fetch, p, asize === 8 ? 4 : asize, wrap);
        if (d === undefined) return false;
        let hi = 0;
        if (asize === 8) {
          const h = fetchN(fetch, wrap(p + 4), 4, wrap);
          if (h === undefined) return false;
          hi = h | 0;
        }
        p = wrap(p + asize);
        insn.disp = d | 0;
        insn.ripLo = d | 0;
        insn.ripHi = hi;
        insn.base = -1;
        insn.index = -1;
        insn.mod = 0;
        continue;
      }
      case 'A': {
        const off = fetchN(fetch, p, osize, wrap);
        if (off === undefined) return false;
        p = wrap(p + osize);
        const sel = fetchN(fetch, p, 2, wrap);
        if (sel === undefined) return false;
        p = wrap(p + 2);
        insn.imm = off >>> 0;
        insn.imm2 = sel;
        continue;
      }
      default:
        continue;
    }
    if (immN === 0) insn.imm = v;
    else insn.imm2 = v;
    immN++;
  }
  const len = m === 64 ? (p - eip) | 0 : wrap(p - eip);
  if (len > 15) return finishUd(insn, eip, p, m);
  insn.len = len;
  insn.next = p;
  if (ripRel) {
    const a = canonical(p + insn.disp);
    insn.ripLo = a % 2 ** 32 | 0;
    insn.ripHi = Math.floor(a / 2 ** 32) | 0;
  }
  void SSE_PREFIX_ROWS;
  return true;
}

/** A 64-bit address as a signed number (canonical addresses fit exactly). */
export function canonical(v: number): number {
  // Wrap to 64 bits as a signed quantity, then sign-extend bit 47 is the CPU's job (non-canonical #GP); keep exact value.
  if (v >= 2 ** 63) return v - 2 ** 64;
  if (v < -(2 ** 63)) return v + 2 ** 64;
  return v;
}

function finishUd(insn: Insn, eip: number, p: number, m: CodeMode): boolean {
  insn.entry = TABLES.ud;
  insn.mod = 3;
  insn.len = m === 64 ? (p - eip) | 0 : (p - eip) & (m === 16 ? 0xffff : 0xffff_ffff);
  insn.next = p;
  return true;
}

function fetchN(fetch: FetchByte, p: number, w: number, wrap: (v: number) => number): number | undefined {
  let v = 0;
  for (let n = 0; n < w; n++) {
    const b = fetch(wrap(p + n));
    if (b < 0) return undefined;
    v += b * 2 ** (8 * n);
  }
  return v;
}
