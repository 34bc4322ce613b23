/**
 * Resource data descriptors (ACPI 6.4 §6.4 "Resource Data Types for ACPI")
 * and ResourceTemplate, the Buffer that holds them. Each descriptor writes its
 * bytes and prints the ASL macro that produces them (ACPI 6.4 §19.6).
 */
import { Buffer, type AmlTerm, indent } from './aml.js';
import { ByteSink } from './sink.js';

export interface ResourceDescriptor {
  toBytes(out: ByteSink): void;
  toAsl(): string;
}

const hex = (v: number, digits: number): string => `0x${v.toString(16).toUpperCase().padStart(digits, '0')}`;

/** ACPI 6.4 §6.4.2.5 I/O Port Descriptor (small item 0x08, length 7): IO (Decode16, min, max, align, len). */
export class IoPort implements ResourceDescriptor {
  constructor(readonly min: number, readonly max: number, readonly align: number, readonly length: number, readonly decode16 = true) {}
  toBytes(out: ByteSink): void {
    out.u8(0x47).u8(this.decode16 ? 1 : 0).u16(this.min).u16(this.max).u8(this.align).u8(this.length);
  }
  toAsl(): string {
    return `IO (${this.decode16 ? 'Decode16' : 'Decode10'}, ${hex(this.min, 4)}, ${hex(this.max, 4)}, ${hex(this.align, 2)}, ${hex(this.length, 2)})`;
  }
}

/** ACPI 6.4 §6.4.2.1 IRQ Descriptor without the flags byte (small item 0x04, length 2): IRQNoFlags () {n}. */
export class IrqNoFlags implements ResourceDescriptor {
  constructor(readonly irqs: readonly number[]) {
    for (const i of irqs) if (i < 0 || i > 15) throw new Error(`ISA IRQ ${i} is out of 0-15`);
  }
  toBytes(out: ByteSink): void {
    out.u8(0x22).u16(this.irqs.reduce((m, i) => m | (1 << i), 0));
  }
  toAsl(): string {
    return `IRQNoFlags () {${this.irqs.join(',')}}`;
  }
}

/**
 * ACPI 6.4 §6.4.2.1 IRQ Descriptor with the flags byte (small item 0x04,
 * length 3): bit 0 edge, bit 3 active-low, bit 4 shared.
 */
export class Irq implements ResourceDescriptor {
  constructor(readonly edge: boolean, readonly activeLow: boolean, readonly shared: boolean, readonly irqs: readonly number[]) {
    for (const i of irqs) if (i < 0 || i > 15) throw new Error(`ISA IRQ ${i} is out of 0-15`);
  }
  toBytes(out: ByteSink): void {
    out.u8(0x23).u16(this.irqs.reduce((m, i) => m | (1 << i), 0)).u8((this.edge ? 1 : 0) | (this.activeLow ? 8 : 0) | (this.shared ? 0x10 : 0));
  }
  toAsl(): string {
    return `IRQ (${this.edge ? 'Edge' : 'Level'}, ${this.activeLow ? 'ActiveLow' : 'ActiveHigh'}, ${this.shared ? 'Shared' : 'Exclusive'}, ) {${this.irqs.join(',')}}`;
  }
}

/** ACPI 6.4 §6.4.3.4 32-Bit Fixed Memory Range Descriptor (large item 0x06, length 9): Memory32Fixed. */
export class Memory32Fixed implements ResourceDescriptor {
  constructor(readonly base: number, readonly length: number, readonly writable: boolean) {}
  toBytes(out: ByteSink): void {
    out.u8(0x86).u16(9).u8(this.writable ? 1 : 0).u32(this.base).u32(this.length);
  }
  toAsl(): string {
    return `Memory32Fixed (${this.writable ? 'ReadWrite' : 'ReadOnly'}, ${hex(this.base, 8)}, ${hex(this.length, 8)})`;
  }
}

export interface InterruptFlags {
  readonly consumer: boolean;
  readonly edge: boolean;
  readonly activeLow: boolean;
  readonly shared: boolean;
}

/**
 * ACPI 6.4 §6.4.3.6 Extended Interrupt Descriptor (large item 0x09): flags
 * bit 0 consumer, bit 1 edge, bit 2 active-low, bit 3 shared; then a count and
 * one DWord per interrupt.
 */
export class ExtendedInterrupt implements ResourceDescriptor {
  constructor(readonly flags: InterruptFlags, readonly interrupts: readonly number[]) {
    if (interrupts.length === 0 || interrupts.length > 255) throw new Error('an Interrupt descriptor lists 1-255 interrupts');
  }
  toBytes(out: ByteSink): void {
    const f = this.flags;
    out.u8(0x89).u16(2 + 4 * this.interrupts.length);
    out.u8((f.consumer ? 1 : 0) | (f.edge ? 2 : 0) | (f.activeLow ? 4 : 0) | (f.shared ? 8 : 0)).u8(this.interrupts.length);
    for (const i of this.interrupts) out.u32(i);
  }
  toAsl(): string {
    const f = this.flags;
    const head = `Interrupt (${f.consumer ? 'ResourceConsumer' : 'ResourceProducer'}, ${f.edge ? 'Edge' : 'Level'}, ${f.activeLow ? 'ActiveLow' : 'ActiveHigh'}, ${f.shared ? 'Shared' : 'Exclusive'}, ,, )`;
    return `${head}\n{\n${this.interrupts.map((i) => `    ${hex(i, 8)},`).join('\n')}\n}`;
  }
}

/** Offset of the first interrupt number in an Extended Interrupt descriptor (tag, length, flags, count). */
export const EXT_IRQ_FIRST_INTERRUPT = 5;

export type AddressKind = 'memory' | 'io' | 'bus';
export type Cacheability = 'NonCacheable' | 'Cacheable' | 'WriteCombining' | 'Prefetchable';

export interface AddressSpace {
  readonly kind: AddressKind;
  readonly min: number;
  readonly max: number;
  readonly granularity?: number;
  readonly translation?: number;
  /** memory: cacheability (type-specific flags bits 2:1); default NonCacheable. */
  readonly cache?: Cacheability;
}

const WIDTH = {
  2: { tag: 0x88, len: 13, name: 'Word' },
  4: { tag: 0x87, len: 23, name: 'DWord' },
  8: { tag: 0x8a, len: 43, name: 'QWord' },
} as const;
const KIND_CODE: Record<AddressKind, number> = { memory: 0, io: 1, bus: 2 };
const CACHE_CODE: Record<Cacheability, number> = { NonCacheable: 0, Cacheable: 1, WriteCombining: 2, Prefetchable: 3 };

/**
 * ACPI 6.4 §6.4.3.5.1-3 QWord/DWord/Word Address Space Descriptors, as a
 * producer with fixed min and max and positive decode (general flags 0x0C),
 * the form host bridges use in _CRS. IO ranges decode the entire range
 * (type-specific 0x03); memory is read-write (bit 0) with its cacheability.
 */
export class AddressSpaceDescriptor implements ResourceDescriptor {
  constructor(readonly width: 2 | 4 | 8, readonly space: AddressSpace) {
    const limit = width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1;
    if (space.min > space.max || space.max > limit) throw new Error(`address range ${space.min}-${space.max} does not fit a ${WIDTH[width].name} descriptor`);
  }
  private typeFlags(): number {
    const s = this.space;
    if (s.kind === 'io') return 0x03;
    if (s.kind === 'memory') return 0x01 | (CACHE_CODE[s.cache ?? 'NonCacheable'] << 1);
    return 0;
  }
  toBytes(out: ByteSink): void {
    const w = WIDTH[this.width];
    const s = this.space;
    out.u8(w.tag).u16(w.len).u8(KIND_CODE[s.kind]).u8(0x0c).u8(this.typeFlags());
    const put = (v: number) => (this.width === 2 ? out.u16(v) : this.width === 4 ? out.u32(v) : out.u64(v));
    put(s.granularity ?? 0);
    put(s.min);
    put(s.max);
    put(s.translation ?? 0);
    put(s.max - s.min + 1);
  }
  toAsl(): string {
    const w = WIDTH[this.width];
    const s = this.space;
    const digits = this.width * 2;
    const values = [
      `${hex(s.granularity ?? 0, digits)}, // Granularity`,
      `${hex(s.min, digits)}, // Range Minimum`,
      `${hex(s.max, digits)}, // Range Maximum`,
      `${hex(s.translation ?? 0, digits)}, // Translation Offset`,
      `${hex(s.max - s.min + 1, digits)}, // Length`,
    ];
    let head: string;
    let tail: string;
    if (s.kind === 'bus') {
      head = `${w.name}BusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,`;
      tail = ',, )';
    } else if (s.kind === 'io') {
      head = `${w.name}IO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,`;
      tail = ',, , TypeStatic, DenseTranslation)';
    } else {
      head = `${w.name}Memory (ResourceProducer, PosDecode, MinFixed, MaxFixed, ${s.cache ?? 'NonCacheable'}, ReadWrite,`;
      tail = ',, , AddressRangeMemory, TypeStatic)';
    }
    return `${head}\n${values.map((v) => indent(v)).join('\n')}\n${indent(tail)}`;
  }
}

export const wordBusNumber = (min: number, max: number) => new AddressSpaceDescriptor(2, { kind: 'bus', min, max });
export const wordIo = (min: number, max: number) => new AddressSpaceDescriptor(2, { kind: 'io', min, max });
export const dwordMemory = (min: number, max: number, cache: Cacheability) => new AddressSpaceDescriptor(4, { kind: 'memory', min, max, cache });
export const qwordMemory = (min: number, max: number, cache: Cacheability) => new AddressSpaceDescriptor(8, { kind: 'memory', min, max, cache });

/**
 * ResourceTemplate (ACPI 6.4 §19.3.3): a Buffer of descriptors closed by an
 * End Tag (§6.4.2.9, small item 0x0F: 0x79 then a checksum byte). The
 * checksum is 0, which the specification reads as "treat as valid" and which
 * is what QEMU (hw/acpi/aml-build.c aml_resource_template) and iasl write.
 */
export class ResourceTemplate implements AmlTerm {
  private readonly buffer: Buffer;
  readonly bytes: Uint8Array;
  constructor(readonly descriptors: readonly ResourceDescriptor[]) {
    const out = new ByteSink(64);
    for (const d of descriptors) d.toBytes(out);
    out.u8(0x79).u8(0);
    this.bytes = out.toBytes();
    this.buffer = new Buffer(this.bytes);
  }
  toAml(out: ByteSink): void {
    this.buffer.toAml(out);
  }
  toAsl(): string {
    if (this.descriptors.length === 0) return 'ResourceTemplate ()\n{\n}';
    return `ResourceTemplate ()\n{\n${this.descriptors.map((d) => indent(d.toAsl())).join('\n')}\n}`;
  }
}
