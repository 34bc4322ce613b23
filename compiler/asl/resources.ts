/**
 * ResourceTemplate (ACPI 6.4 §19.3.3) and the resource descriptor macros
 * (§19.6, encodings §6.4): each macro's arguments become the descriptor's
 * bytes, and a DescriptorName argument names the descriptor so that
 * `\_SB.DEV._Y00._MIN` refers to one of its fields (a bit offset and width,
 * which CreateXxxField turns into an index).
 *
 * Descriptor arguments are constants; they are read the same way in both
 * compiler passes (the tags and their offsets are needed by the first).
 */
import { type AmlTerm } from '../emit/acpi/aml.js';
import { OpTerm, Raw } from '../emit/acpi/aml-ops.js';
import type { AslNode, Invocation, Range } from './ast.js';
import type { AslCompiler, Ctx } from './compile.js';
import { fold } from './operators.js';
import { AslFailure } from './problems.js';

export interface TagField {
  readonly name: string;
  readonly bitOffset: number;
  readonly bitLength: number;
}

interface Built {
  readonly bytes: number[];
  readonly tag?: { readonly name: string; readonly range: Range };
  readonly fields: readonly TagField[];
}

type Args = readonly (AslNode | undefined)[];

class Reader {
  constructor(readonly call: Invocation, readonly usage: string) {}

  fail(message: string, range: Range = this.call.range): never {
    throw new AslFailure({ kind: 'invalid-value', message, range });
  }

  get args(): Args {
    return this.call.args ?? [];
  }

  count(min: number, max: number): void {
    const n = this.args.length;
    if (n < min || n > max) throw new AslFailure({ kind: 'argument-count', message: `${this.call.name} takes ${min === max ? min : `${min} to ${max}`} arguments: ${this.usage}`, range: this.call.range });
  }

  /** A constant (literals, Zero/One/Ones and constant expressions of them). */
  int(i: number, what: string, max: bigint, fallback?: bigint): number {
    const n = this.args[i];
    if (n === undefined) {
      if (fallback !== undefined) return Number(fallback);
      throw new AslFailure({ kind: 'argument-count', message: `${this.call.name}: missing ${what}`, range: this.call.range });
    }
    const v = constValue(n);
    if (v === undefined) this.fail(`${what} must be a constant integer`, n.range);
    if (v > max) this.fail(`${what} is 0x${v.toString(16).toUpperCase()}; the most is 0x${max.toString(16).toUpperCase()}`, n.range);
    return Number(v);
  }

  big(i: number, what: string, fallback?: bigint): bigint {
    const n = this.args[i];
    if (n === undefined) {
      if (fallback !== undefined) return fallback;
      throw new AslFailure({ kind: 'argument-count', message: `${this.call.name}: missing ${what}`, range: this.call.range });
    }
    const v = constValue(n);
    if (v === undefined) this.fail(`${what} must be a constant integer`, n.range);
    return v;
  }

  /** A keyword argument; the first entry of `table` is not implied: `fallback` is the default. */
  kw(i: number, table: Readonly<Record<string, number>>, what: string, fallback?: number): number {
    const n = this.args[i];
    if (n === undefined) {
      if (fallback !== undefined) return fallback;
      throw new AslFailure({ kind: 'argument-count', message: `${this.call.name}: missing ${what}`, range: this.call.range });
    }
    if (n.kind === 'call' && n.args === undefined && Object.hasOwn(table, n.name)) return table[n.name]!;
    this.fail(`expected ${what} (${Object.keys(table).join(', ')})`, n.range);
  }

  str(i: number): string | undefined {
    const n = this.args[i];
    if (n === undefined) return undefined;
    if (n.kind !== 'str') this.fail('expected a string', n.range);
    return n.value;
  }

  tag(i: number): Built['tag'] {
    const n = this.args[i];
    if (n === undefined) return undefined;
    if (n.kind !== 'call' || n.args !== undefined) this.fail('expected a descriptor name', n.range);
    return { name: n.name, range: n.range };
  }

  /** The `{ ... }` list of constants (IRQ numbers, DMA channels, vendor bytes, pins). */
  list(max: bigint): number[] {
    const out: number[] = [];
    for (const it of this.call.body ?? []) {
      if (it.kind === 'comma') continue;
      const v = constValue(it);
      if (v === undefined || v > max) this.fail(`expected a constant of at most 0x${max.toString(16).toUpperCase()}`, it.range);
      out.push(Number(v));
    }
    return out;
  }
}

/** Value of a constant expression, or undefined. */
export function constValue(n: AslNode): bigint | undefined {
  switch (n.kind) {
    case 'int':
      return n.value;
    case 'paren':
      return constValue(n.inner);
    case 'call':
      if (n.args !== undefined || n.body !== undefined) return undefined;
      return n.name === 'Zero' ? 0n : n.name === 'One' ? 1n : n.name === 'Ones' ? 0xffff_ffff_ffff_ffffn : undefined;
    case 'binary': {
      const a = constValue(n.left);
      const b = constValue(n.right);
      if (a === undefined || b === undefined) return undefined;
      const k = { '+': 'Add', '-': 'Subtract', '*': 'Multiply', '/': 'Divide', '%': 'Mod', '<<': 'ShiftLeft', '>>': 'ShiftRight', '&': 'And', '|': 'Or', '^': 'Xor' }[n.op as string];
      return k ? fold(k, [a, b], 0xffff_ffff_ffff_ffffn) : undefined;
    }
    default:
      return undefined;
  }
}

const le = (out: number[], v: number | bigint, bytes: number): void => {
  let x = BigInt(v);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
};

const USAGE = { ResourceProducer: 0, ResourceConsumer: 1 };
const DECODE = { PosDecode: 0, SubDecode: 1 };
const MIN_FIXED = { MinNotFixed: 0, MinFixed: 1 };
const MAX_FIXED = { MaxNotFixed: 0, MaxFixed: 1 };
const ISA_RANGES = { NonISAOnlyRanges: 1, ISAOnlyRanges: 2, EntireRange: 3 };
const TRANSLATION = { TypeStatic: 0, TypeTranslation: 1 };
const DENSITY = { DenseTranslation: 0, SparseTranslation: 1 };
const CACHE = { NonCacheable: 0, Cacheable: 1, WriteCombining: 2, Prefetchable: 3 };
const RW = { ReadOnly: 0, ReadWrite: 1 };
const MEMORY_TYPE = { AddressRangeMemory: 0, AddressRangeReserved: 1, AddressRangeACPI: 2, AddressRangeNVS: 3 };
const EDGE = { Level: 0, Edge: 1 };
const POLARITY = { ActiveHigh: 0, ActiveLow: 1 };
const SHARING = { Exclusive: 0, Shared: 1, ExclusiveAndWake: 2, SharedAndWake: 3 };
const SPACES = { SystemMemory: 0, SystemIO: 1, PCI_Config: 2, EmbeddedControl: 3, SMBus: 4, SystemCMOS: 5, PciBarTarget: 6, IPMI: 7, GeneralPurposeIo: 8, GenericSerialBus: 9, PCC: 0x0a, FFixedHW: 0x7f };

const field = (name: string, bitOffset: number, bitLength: number): TagField => ({ name, bitOffset, bitLength });

/** Appends ResourceSourceIndex and ResourceSource when a source is given (§6.4.3.5). */
function source(r: Reader, out: number[], indexArg: number, sourceArg: number): void {
  const s = r.str(sourceArg);
  const hasIndex = r.args[indexArg] !== undefined;
  if (s === undefined && !hasIndex) return;
  out.push(r.int(indexArg, 'the resource source index', 0xffn, 0n));
  if (s !== undefined) {
    for (const ch of s) out.push(ch.charCodeAt(0) & 0x7f);
    out.push(0);
  }
}

type AddressKind = 'io' | 'memory' | 'bus' | 'space';

/** Word/DWord/QWord address space descriptors (§6.4.3.5.1-3). */
function address(width: 2 | 4 | 8, kind: AddressKind): (r: Reader) => Built {
  return (r) => {
    // Index of the granularity argument, and the most arguments the macro takes.
    const layouts: Record<AddressKind, readonly [number, number]> = { io: [5, 15], memory: [6, 16], bus: [4, 12], space: [6, 14] };
    const [g, maxArgs] = layouts[kind];
    r.count(g + 5, maxArgs);
    let type: number;
    let general: number;
    let specific: number;
    if (kind === 'space') {
      type = r.int(0, 'the resource type', 0xffn);
      general = r.kw(1, USAGE, 'ResourceConsumer or ResourceProducer', 1) | (r.kw(2, DECODE, 'PosDecode or SubDecode', 0) << 1) |
        (r.kw(3, MIN_FIXED, 'MinFixed or MinNotFixed', 0) << 2) | (r.kw(4, MAX_FIXED, 'MaxFixed or MaxNotFixed', 0) << 3);
      specific = r.int(5, 'the type-specific flags', 0xffn, 0n);
    } else if (kind === 'memory') {
      type = 0;
      general = r.kw(0, USAGE, 'ResourceConsumer or ResourceProducer', 1) | (r.kw(1, DECODE, 'PosDecode or SubDecode', 0) << 1) |
        (r.kw(2, MIN_FIXED, 'MinFixed or MinNotFixed', 0) << 2) | (r.kw(3, MAX_FIXED, 'MaxFixed or MaxNotFixed', 0) << 3);
      specific = r.kw(5, RW, 'ReadWrite or ReadOnly', 1) | (r.kw(4, CACHE, 'a cacheability', 0) << 1) |
        (r.kw(14, MEMORY_TYPE, 'a memory type', 0) << 3) | (r.kw(15, TRANSLATION, 'TypeStatic or TypeTranslation', 0) << 5);
    } else {
      type = kind === 'io' ? 1 : 2;
      general = r.kw(0, USAGE, 'ResourceConsumer or ResourceProducer', 1) | (r.kw(1, MIN_FIXED, 'MinFixed or MinNotFixed', 0) << 2) |
        (r.kw(2, MAX_FIXED, 'MaxFixed or MaxNotFixed', 0) << 3) | (r.kw(3, DECODE, 'PosDecode or SubDecode', 0) << 1);
      specific = kind === 'io'
        ? r.kw(4, ISA_RANGES, 'an ISA range', 3) | (r.kw(13, TRANSLATION, 'TypeStatic or TypeTranslation', 0) << 4) | (r.kw(14, DENSITY, 'DenseTranslation or SparseTranslation', 0) << 5)
        : 0;
    }
    const max = width === 8 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(8 * width)) - 1n;
    const values = ['the granularity', 'the minimum', 'the maximum', 'the translation offset', 'the length'].map((w, i) => {
      const v = r.big(g + i, w);
      if (v > max) r.fail(`${w} 0x${v.toString(16).toUpperCase()} does not fit ${width} bytes`, r.args[g + i]!.range);
      return v;
    });
    const out: number[] = [];
    out.push(width === 2 ? 0x88 : width === 4 ? 0x87 : 0x8a, 0, 0, type, general, specific);
    for (const v of values) le(out, v, width);
    source(r, out, g + 5, g + 6);
    const len = out.length - 3;
    out[1] = len & 0xff;
    out[2] = len >> 8;
    const w = width * 8;
    const fields = [field('_DEC', 33, 1), field('_MIF', 34, 1), field('_MAF', 35, 1)];
    if (kind === 'memory') fields.push(field('_RW_', 40, 1), field('_MEM', 41, 2), field('_MTP', 43, 2), field('_TTP', 45, 1));
    if (kind === 'io') fields.push(field('_RNG', 40, 2), field('_TTP', 44, 1), field('_TRS', 45, 1));
    fields.push(field('_GRA', 48, w), field('_MIN', 48 + w, w), field('_MAX', 48 + 2 * w, w), field('_TRA', 48 + 3 * w, w), field('_LEN', 48 + 4 * w, w));
    const tag = r.tag(g + 7);
    return { bytes: out, fields, ...(tag ? { tag } : {}) };
  };
}

function irqMask(r: Reader): number {
  let mask = 0;
  for (const i of r.list(15n)) mask |= 1 << i;
  return mask;
}

const PIN_CONFIG = { PullDefault: 0, PullUp: 1, PullDown: 2, PullNone: 3 };
const IO_RESTRICTION = { IoRestrictionNone: 0, IoRestrictionInputOnly: 1, IoRestrictionOutputOnly: 2, IoRestrictionNoneAndPreserve: 3 };
const POLARITY3 = { ActiveHigh: 0, ActiveLow: 1, ActiveBoth: 2 };

function noVendorData(r: Reader, i: number): void {
  if (r.args[i] !== undefined) throw new AslFailure({ kind: 'unsupported', message: 'vendor data in a connection descriptor is not supported by machc', range: r.args[i]!.range });
}

/**
 * GPIO Connection Descriptor (§6.4.3.8.1, large item 0x0C): header, flags,
 * pin configuration, drive strength, debounce, then the offsets of the pin
 * table (which follows at byte 23), the resource source and vendor data.
 */
function gpio(io: boolean): (r: Reader) => Built {
  return (r) => {
    r.count(io ? 5 : 6, 10);
    const pinConfig = r.args[io ? 1 : 3]?.kind === 'int' ? r.int(io ? 1 : 3, 'the pin configuration', 0xffn) : r.kw(io ? 1 : 3, PIN_CONFIG, 'a pin configuration');
    let flags: number;
    let drive = 0;
    let debounce: number;
    if (io) {
      flags = r.kw(4, IO_RESTRICTION, 'an IO restriction', 0) | (r.kw(0, SHARING, 'Exclusive or Shared', 0) << 3);
      debounce = r.int(2, 'the debounce timeout', 0xffffn, 0n);
      drive = r.int(3, 'the drive strength', 0xffffn, 0n);
    } else {
      flags = r.kw(0, EDGE, 'Edge or Level') | (r.kw(1, POLARITY3, 'ActiveHigh, ActiveLow or ActiveBoth') << 1) | (r.kw(2, SHARING, 'Exclusive or Shared', 0) << 3);
      debounce = r.int(4, 'the debounce timeout', 0xffffn, 0n);
    }
    const sourceArg = 5;
    const src = r.str(sourceArg) ?? r.fail('a GPIO descriptor needs its controller (ResourceSource)');
    const index = r.int(6, 'the resource source index', 0xffn, 0n);
    const usage = r.kw(7, USAGE, 'ResourceConsumer or ResourceProducer', 1);
    noVendorData(r, 9);
    const pins = r.list(0xffffn);
    const pinOffset = 23;
    const srcOffset = pinOffset + 2 * pins.length;
    const vendorOffset = srcOffset + src.length + 1;
    const out: number[] = [0x8c, 0, 0, 1, io ? 1 : 0];
    le(out, usage, 2);
    le(out, flags, 2);
    out.push(pinConfig);
    le(out, drive, 2);
    le(out, debounce, 2);
    le(out, pinOffset, 2);
    out.push(index);
    le(out, srcOffset, 2);
    le(out, vendorOffset, 2);
    le(out, 0, 2);
    for (const p of pins) le(out, p, 2);
    for (const ch of src) out.push(ch.charCodeAt(0) & 0x7f);
    out.push(0);
    const len = out.length - 3;
    out[1] = len & 0xff;
    out[2] = len >> 8;
    const tag = r.tag(8);
    const fields = io
      ? [field('_IOR', 56, 2), field('_SHR', 59, 1), field('_PPI', 72, 8), field('_DRS', 80, 16), field('_DBT', 96, 16), field('_PIN', 8 * pinOffset, 16)]
      : [field('_MOD', 56, 1), field('_POL', 57, 2), field('_SHR', 59, 1), field('_PPI', 72, 8), field('_DBT', 96, 16), field('_PIN', 8 * pinOffset, 16)];
    return { bytes: out, fields, ...(tag ? { tag } : {}) };
  };
}

/** I2C Serial Bus Connection Descriptor, version 2 (§6.4.3.8.2.1, large item 0x0E, serial bus type 1). */
function i2cV2(r: Reader): Built {
  r.count(5, 10);
  const address = r.int(0, 'the slave address', 0x3ffn);
  const mode = r.kw(1, { ControllerInitiated: 0, DeviceInitiated: 1 }, 'ControllerInitiated or DeviceInitiated', 0);
  const speed = r.int(2, 'the connection speed', 0xffff_ffffn);
  const addressing = r.kw(3, { AddressingMode7Bit: 0, AddressingMode10Bit: 1 }, 'AddressingMode7Bit or AddressingMode10Bit', 0);
  const src = r.str(4) ?? r.fail('an I2C descriptor needs its controller (ResourceSource)');
  const index = r.int(5, 'the resource source index', 0xffn, 0n);
  const usage = r.kw(6, USAGE, 'ResourceConsumer or ResourceProducer', 1);
  const shared = r.kw(8, SHARING, 'Exclusive or Shared', 0);
  noVendorData(r, 9);
  const out: number[] = [0x8e, 0, 0, 2, index, 1, mode | (usage << 1) | ((shared & 1) << 2)];
  le(out, addressing, 2);
  out.push(1);
  le(out, 6, 2);
  le(out, speed, 4);
  le(out, address, 2);
  for (const ch of src) out.push(ch.charCodeAt(0) & 0x7f);
  out.push(0);
  const len = out.length - 3;
  out[1] = len & 0xff;
  out[2] = len >> 8;
  const tag = r.tag(7);
  return { bytes: out, fields: [field('_SLV', 48, 1), field('_MOD', 56, 1), field('_SPE', 96, 32), field('_ADR', 128, 16)], ...(tag ? { tag } : {}) };
}

const DESCRIPTORS: Readonly<Record<string, { usage: string; build: (r: Reader) => Built }>> = {
  IO: {
    usage: 'IO (Decode16|Decode10, Minimum, Maximum, Alignment, Length, DescriptorName)',
    build: (r) => {
      r.count(5, 6);
      const dec = r.kw(0, { Decode10: 0, Decode16: 1 }, 'Decode16 or Decode10');
      const min = r.int(1, 'the minimum', 0xffffn);
      const max = r.int(2, 'the maximum', 0xffffn);
      const align = r.int(3, 'the alignment', 0xffn);
      const len = r.int(4, 'the length', 0xffn);
      if (align !== 0 && (min % align !== 0 || max % align !== 0)) r.fail('the minimum and maximum must be multiples of the alignment');
      if (min > max) r.fail('the minimum is above the maximum');
      const out = [0x47, dec];
      le(out, min, 2);
      le(out, max, 2);
      out.push(align, len);
      const tag = r.tag(5);
      return { bytes: out, fields: [field('_DEC', 8, 1), field('_MIN', 16, 16), field('_MAX', 32, 16), field('_ALN', 48, 8), field('_LEN', 56, 8)], ...(tag ? { tag } : {}) };
    },
  },
  FixedIO: {
    usage: 'FixedIO (Base, Length, DescriptorName)',
    build: (r) => {
      r.count(2, 3);
      const out = [0x4b];
      le(out, r.int(0, 'the base', 0x3ffn), 2);
      out.push(r.int(1, 'the length', 0xffn));
      const tag = r.tag(2);
      return { bytes: out, fields: [field('_BAS', 8, 16), field('_LEN', 24, 8)], ...(tag ? { tag } : {}) };
    },
  },
  IRQNoFlags: {
    usage: 'IRQNoFlags (DescriptorName) { Interrupts }',
    build: (r) => {
      r.count(0, 1);
      const out = [0x22];
      le(out, irqMask(r), 2);
      const tag = r.tag(0);
      return { bytes: out, fields: [field('_INT', 8, 16)], ...(tag ? { tag } : {}) };
    },
  },
  IRQ: {
    usage: 'IRQ (Edge|Level, ActiveHigh|ActiveLow, Exclusive|Shared, DescriptorName) { Interrupts }',
    build: (r) => {
      r.count(2, 4);
      const flags = r.kw(0, EDGE, 'Edge or Level') | (r.kw(1, POLARITY, 'ActiveHigh or ActiveLow') << 3) | (r.kw(2, SHARING, 'Exclusive or Shared', 0) << 4);
      const out = [0x23];
      le(out, irqMask(r), 2);
      out.push(flags);
      const tag = r.tag(3);
      return { bytes: out, fields: [field('_INT', 8, 16), field('_HE_', 24, 1), field('_LL_', 27, 1), field('_SHR', 28, 1)], ...(tag ? { tag } : {}) };
    },
  },
  DMA: {
    usage: 'DMA (Compatibility|TypeA|TypeB|TypeF, BusMaster|NotBusMaster, Transfer8|Transfer16|Transfer8_16, DescriptorName) { Channels }',
    build: (r) => {
      r.count(3, 4);
      const type = r.kw(0, { Compatibility: 0, TypeA: 1, TypeB: 2, TypeF: 3 }, 'a DMA type');
      const bm = r.kw(1, { NotBusMaster: 0, BusMaster: 1 }, 'BusMaster or NotBusMaster');
      const size = r.kw(2, { Transfer8: 0, Transfer8_16: 1, Transfer16: 2 }, 'a transfer size');
      let mask = 0;
      for (const c of r.list(7n)) mask |= 1 << c;
      const tag = r.tag(3);
      return { bytes: [0x2a, mask, size | (bm << 2) | (type << 5)], fields: [field('_DMA', 8, 8), field('_SIZ', 16, 2), field('_BM_', 18, 1), field('_TYP', 21, 2)], ...(tag ? { tag } : {}) };
    },
  },
  Memory32Fixed: {
    usage: 'Memory32Fixed (ReadWrite|ReadOnly, Base, Length, DescriptorName)',
    build: (r) => {
      r.count(3, 4);
      const out = [0x86, 9, 0, r.kw(0, RW, 'ReadWrite or ReadOnly')];
      le(out, r.int(1, 'the base', 0xffff_ffffn), 4);
      le(out, r.int(2, 'the length', 0xffff_ffffn), 4);
      const tag = r.tag(3);
      return { bytes: out, fields: [field('_RW_', 24, 1), field('_BAS', 32, 32), field('_LEN', 64, 32)], ...(tag ? { tag } : {}) };
    },
  },
  Memory32: {
    usage: 'Memory32 (ReadWrite|ReadOnly, Minimum, Maximum, Alignment, Length, DescriptorName)',
    build: (r) => {
      r.count(5, 6);
      const out = [0x85, 17, 0, r.kw(0, RW, 'ReadWrite or ReadOnly')];
      const v = ['the minimum', 'the maximum', 'the alignment', 'the length'].map((w, i) => r.int(i + 1, w, 0xffff_ffffn));
      if (v[2]! !== 0 && (v[0]! % v[2]! !== 0 || v[1]! % v[2]! !== 0)) r.fail('the minimum and maximum must be multiples of the alignment');
      for (const x of v) le(out, x, 4);
      const tag = r.tag(5);
      return { bytes: out, fields: [field('_RW_', 24, 1), field('_MIN', 32, 32), field('_MAX', 64, 32), field('_ALN', 96, 32), field('_LEN', 128, 32)], ...(tag ? { tag } : {}) };
    },
  },
  Memory24: {
    usage: 'Memory24 (ReadWrite|ReadOnly, Minimum, Maximum, Alignment, Length, DescriptorName)',
    build: (r) => {
      r.count(5, 6);
      const out = [0x81, 9, 0, r.kw(0, RW, 'ReadWrite or ReadOnly')];
      for (const [i, w] of ['the minimum', 'the maximum', 'the alignment', 'the length'].entries()) le(out, r.int(i + 1, w, 0xffffn), 2);
      const tag = r.tag(5);
      return { bytes: out, fields: [field('_RW_', 24, 1), field('_MIN', 32, 16), field('_MAX', 48, 16), field('_ALN', 64, 16), field('_LEN', 80, 16)], ...(tag ? { tag } : {}) };
    },
  },
  Interrupt: {
    usage: 'Interrupt (ResourceUsage, Edge|Level, ActiveHigh|ActiveLow, Exclusive|Shared, ResourceSourceIndex, ResourceSource, DescriptorName) { Interrupts }',
    build: (r) => {
      r.count(3, 7);
      const flags = r.kw(0, USAGE, 'ResourceConsumer or ResourceProducer', 1) | (r.kw(1, EDGE, 'Edge or Level') << 1) |
        (r.kw(2, POLARITY, 'ActiveHigh or ActiveLow') << 2) | (r.kw(3, SHARING, 'Exclusive or Shared', 0) << 3);
      const ints = r.list(0xffff_ffffn);
      if (ints.length === 0 || ints.length > 255) r.fail('an Interrupt descriptor lists 1 to 255 interrupts');
      const out = [0x89, 0, 0, flags, ints.length];
      for (const i of ints) le(out, i, 4);
      source(r, out, 4, 5);
      const len = out.length - 3;
      out[1] = len & 0xff;
      out[2] = len >> 8;
      const tag = r.tag(6);
      return { bytes: out, fields: [field('_HE_', 25, 1), field('_LL_', 26, 1), field('_SHR', 27, 1), field('_INT', 40, 32)], ...(tag ? { tag } : {}) };
    },
  },
  Register: {
    usage: 'Register (AddressSpaceKeyword, RegisterBitWidth, RegisterBitOffset, RegisterAddress, AccessSize, DescriptorName)',
    build: (r) => {
      r.count(4, 6);
      const space = r.args[0]?.kind === 'int' ? r.int(0, 'the address space', 0xffn) : r.kw(0, SPACES, 'an address space');
      const out = [0x82, 12, 0, space, r.int(1, 'the bit width', 0xffn), r.int(2, 'the bit offset', 0xffn), r.int(4, 'the access size', 4n, 0n)];
      le(out, r.big(3, 'the address'), 8);
      const tag = r.tag(5);
      return { bytes: out, fields: [field('_ASI', 24, 8), field('_RBW', 32, 8), field('_RBO', 40, 8), field('_ASZ', 48, 8), field('_ADR', 56, 64)], ...(tag ? { tag } : {}) };
    },
  },
  VendorShort: {
    usage: 'VendorShort (DescriptorName) { 1-7 bytes }',
    build: (r) => {
      r.count(0, 1);
      const data = r.list(0xffn);
      if (data.length > 7) r.fail('VendorShort holds at most 7 bytes');
      const tag = r.tag(0);
      return { bytes: [0x70 | data.length, ...data], fields: [field('_VEN', 8, 8 * data.length)], ...(tag ? { tag } : {}) };
    },
  },
  VendorLong: {
    usage: 'VendorLong (DescriptorName) { bytes }',
    build: (r) => {
      r.count(0, 1);
      const data = r.list(0xffn);
      const out = [0x84];
      le(out, data.length, 2);
      const tag = r.tag(0);
      return { bytes: [...out, ...data], fields: [field('_VEN', 24, 8 * data.length)], ...(tag ? { tag } : {}) };
    },
  },
  EndDependentFn: {
    usage: 'EndDependentFn ()',
    build: (r) => {
      r.count(0, 0);
      return { bytes: [0x38], fields: [] };
    },
  },
  WordIO: { usage: 'WordIO (...)', build: address(2, 'io') },
  DWordIO: { usage: 'DWordIO (...)', build: address(4, 'io') },
  QWordIO: { usage: 'QWordIO (...)', build: address(8, 'io') },
  DWordMemory: { usage: 'DWordMemory (...)', build: address(4, 'memory') },
  QWordMemory: { usage: 'QWordMemory (...)', build: address(8, 'memory') },
  WordBusNumber: { usage: 'WordBusNumber (...)', build: address(2, 'bus') },
  WordSpace: { usage: 'WordSpace (...)', build: address(2, 'space') },
  DWordSpace: { usage: 'DWordSpace (...)', build: address(4, 'space') },
  QWordSpace: { usage: 'QWordSpace (...)', build: address(8, 'space') },
  GpioInt: { usage: 'GpioInt (EdgeLevel, ActiveLevel, Shared, PinConfig, DebounceTimeout, ResourceSource, ResourceSourceIndex, ResourceUsage, DescriptorName) { Pins }', build: gpio(false) },
  GpioIo: { usage: 'GpioIo (Shared, PinConfig, DebounceTimeout, DriveStrength, IORestriction, ResourceSource, ResourceSourceIndex, ResourceUsage, DescriptorName) { Pins }', build: gpio(true) },
  I2cSerialBusV2: { usage: 'I2cSerialBusV2 (SlaveAddress, SlaveMode, ConnectionSpeed, AddressingMode, ResourceSource, ResourceSourceIndex, ResourceUsage, DescriptorName, Shared)', build: i2cV2 },
};

interface Template {
  readonly bytes: number[];
  readonly tags: { readonly name: string; readonly range: Range; readonly fields: readonly TagField[] }[];
}

/** Lays out a template's descriptors (dependent-function groups included) and the end tag. */
function layout(call: Invocation): Template {
  const out: number[] = [];
  const tags: Template['tags'] = [];
  const walk = (items: Invocation['body']): void => {
    for (const it of items ?? []) {
      if (it.kind === 'comma') continue;
      if (it.kind !== 'call') throw new AslFailure({ kind: 'syntax', message: 'a ResourceTemplate holds resource descriptors', range: it.range });
      if (it.name === 'StartDependentFn' || it.name === 'StartDependentFnNoPri') {
        const r = new Reader(it, `${it.name} (CompatibilityPriority, PerformancePriority) { descriptors }`);
        if (it.name === 'StartDependentFn') {
          r.count(2, 2);
          out.push(0x31, r.int(0, 'the compatibility priority', 2n) | (r.int(1, 'the performance priority', 2n) << 2));
        } else {
          r.count(0, 0);
          out.push(0x30);
        }
        walk(it.body);
        continue;
      }
      const d = DESCRIPTORS[it.name];
      if (!d) throw new AslFailure({ kind: 'unsupported', message: `'${it.name}' is not a resource descriptor machc knows (${Object.keys(DESCRIPTORS).join(', ')})`, range: it.nameRange });
      const built = d.build(new Reader(it, d.usage));
      const base = out.length * 8;
      if (built.tag) tags.push({ name: built.tag.name, range: built.tag.range, fields: built.fields.map((f) => ({ ...f, bitOffset: f.bitOffset + base })) });
      out.push(...built.bytes);
    }
  };
  walk(call.body);
  out.push(0x79, 0x00);
  return { bytes: out, tags };
}

/** Finds the ResourceTemplates in an expression and reports their named descriptors (pass 1; problems wait for pass 2). */
export function scanResourceTags(node: AslNode, found: (tag: string, fields: readonly TagField[], range: Range) => void): void {
  const visit = (n: AslNode | undefined): void => {
    if (!n) return;
    switch (n.kind) {
      case 'call':
        if (n.name === 'ResourceTemplate') {
          try {
            for (const t of layout(n).tags) found(t.name, t.fields, t.range);
          } catch (e) {
            if (!(e instanceof AslFailure)) throw e;
          }
          return;
        }
        n.args?.forEach(visit);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'assign':
        visit(n.target);
        visit(n.value);
        return;
      case 'unary': case 'postfix':
        visit(n.operand);
        return;
      case 'paren':
        visit(n.inner);
        return;
      case 'index':
        visit(n.source);
        visit(n.index);
        return;
      default:
    }
  };
  visit(node);
}

/** ResourceTemplate () { ... } as a Buffer (pass 2). */
export function resourceTemplate(c: AslCompiler, call: Invocation, ctx: Ctx): AmlTerm {
  void ctx;
  if (call.args !== undefined && call.args.length > 0) c.failAt('argument-count', 'ResourceTemplate takes no arguments', call.range);
  const t = layout(call);
  const size = c.intTerm(BigInt(t.bytes.length));
  const rows: AmlTerm[] = [];
  for (let i = 0; i < t.bytes.length; i += 8) {
    rows.push(new Raw([], t.bytes.slice(i, i + 8).map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(', ')));
  }
  return new OpTerm([0x11], [size, new Raw(t.bytes, '')], true, { keyword: 'Buffer', args: [size], body: rows, elements: true });
}
