/**
 * General AML terms for the ASL compiler (compiler/asl/): any opcode with
 * its operands, 64-bit integers, and raw bytes. They follow aml.ts's
 * contract (write bytes into a sink, print ASL), so compiled ASL and the
 * tables machc generates are one kind of tree. ASL is printed in the legacy
 * function form (`Add (Local0, One, Local1)`), which machc's compiler reads
 * back to the same bytes.
 */
import { encodePkgLength, indent, type AmlTerm } from './aml.js';
import { ByteSink } from './sink.js';

const hex = (v: bigint, digits: number): string => `0x${v.toString(16).toUpperCase().padStart(digits, '0')}`;

/**
 * An integer constant (ACPI 6.4 §20.2.3 ComputationalData) encoded the way
 * iasl's optimizer does: ZeroOp, OneOp, OnesOp (all bits set in the table's
 * integer width), else the smallest of Byte/Word/DWord/QWord prefixes.
 * Without `short` (iasl -oi) it always takes a prefix.
 */
export class IntConst implements AmlTerm {
  constructor(readonly value: bigint, readonly ones: bigint = 0xffff_ffff_ffff_ffffn, readonly short: boolean = true) {}
  toAml(out: ByteSink): void {
    const v = this.value;
    if (this.short && v === 0n) out.u8(0x00);
    else if (this.short && v === 1n) out.u8(0x01);
    else if (this.short && v === this.ones) out.u8(0xff);
    else if (v <= 0xffn) out.u8(0x0a).u8(Number(v));
    else if (v <= 0xffffn) out.u8(0x0b).u16(Number(v));
    else if (v <= 0xffff_ffffn) out.u8(0x0c).u32(Number(v));
    else out.u8(0x0e).u32(Number(v & 0xffff_ffffn)).u32(Number(v >> 32n));
  }
  toAsl(): string {
    const v = this.value;
    if (this.short && v === 0n) return 'Zero';
    if (this.short && v === 1n) return 'One';
    if (this.short && v === this.ones) return 'Ones';
    return hex(v, v <= 0xffn ? 2 : v <= 0xffffn ? 4 : v <= 0xffff_ffffn ? 8 : 16);
  }
}

/** An integer with a fixed prefix (EisaId's DWord, constants iasl does not shrink). */
export class FixedInt implements AmlTerm {
  constructor(readonly value: bigint, readonly bytes: 1 | 2 | 4 | 8, readonly asl: string = hex(value, bytes * 2)) {}
  toAml(out: ByteSink): void {
    const prefix = { 1: 0x0a, 2: 0x0b, 4: 0x0c, 8: 0x0e }[this.bytes];
    out.u8(prefix);
    writeLe(out, this.value, this.bytes);
  }
  toAsl(): string {
    return this.asl;
  }
}

function writeLe(out: ByteSink, v: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i++) out.u8(Number((v >> BigInt(8 * i)) & 0xffn));
}

/** Bytes written as they are, with the ASL that stands for them (a keyword, an argument). */
export class Raw implements AmlTerm {
  constructor(readonly data: Uint8Array | readonly number[], readonly asl: string) {}
  toAml(out: ByteSink): void {
    out.bytes(this.data);
  }
  toAsl(): string {
    return this.asl;
  }
}

/** A raw little-endian constant of 1, 2 or 4 bytes (ByteData, WordData, DWordData in §20.2.3). */
export const rawLe = (value: number | bigint, bytes: 1 | 2 | 4 | 8, asl?: string): Raw => {
  const out = new ByteSink(8);
  writeLe(out, BigInt(value), bytes);
  return new Raw(out.toBytes(), asl ?? hex(BigInt(value), bytes * 2));
};

/** How a general operator prints: keyword, arguments (absent ones left empty) and an optional body. */
export interface AslForm {
  readonly keyword: string;
  /** Arguments; undefined prints as an empty argument, `null` means no parentheses at all. */
  readonly args: readonly (AmlTerm | string | undefined)[] | null;
  /** Terms or elements in braces. */
  readonly body?: readonly AmlTerm[];
  /** Elements are comma-separated (Package, Buffer) rather than one per line. */
  readonly elements?: boolean;
}

/**
 * Any AML operator: opcode bytes, then its parts; with `pkg`, the parts
 * follow a PkgLength that covers them (§20.2.4), as in DefScope, DefMethod,
 * DefIfElse, DefBuffer, DefPackage and DefField.
 */
export class OpTerm implements AmlTerm {
  constructor(
    readonly opcode: readonly number[],
    readonly parts: readonly AmlTerm[],
    readonly pkg: boolean,
    readonly asl: AslForm,
  ) {}
  toAml(out: ByteSink): void {
    out.bytes(this.opcode);
    if (!this.pkg) {
      for (const p of this.parts) p.toAml(out);
      return;
    }
    const inner = new ByteSink(64);
    for (const p of this.parts) p.toAml(inner);
    const bytes = inner.toBytes();
    encodePkgLength(out, bytes.length);
    out.bytes(bytes);
  }
  toAsl(): string {
    return printForm(this.asl);
  }
}

/** Prints `Keyword (a, b, c)` with an optional `{ body }` the way iasl -d lays it out. */
export function printForm(f: AslForm): string {
  let head = f.keyword;
  if (f.args !== null) {
    const args = f.args.map((a) => (a === undefined ? '' : typeof a === 'string' ? a : a.toAsl()));
    while (args.length > 0 && args[args.length - 1] === '') args.pop();
    head += ` (${args.join(', ')})`;
  }
  if (f.body === undefined) return head;
  if (f.body.length === 0) return `${head}\n{\n}`;
  const sep = f.elements ? ',\n' : '\n';
  return `${head}\n{\n${f.body.map((t) => indent(t.toAsl())).join(sep)}\n}`;
}

/** A sequence of terms that writes them one after another (an If followed by its Else). */
export class Seq implements AmlTerm {
  constructor(readonly terms: readonly AmlTerm[]) {}
  toAml(out: ByteSink): void {
    for (const t of this.terms) t.toAml(out);
  }
  toAsl(): string {
    return this.terms.map((t) => t.toAsl()).join('\n');
  }
}
