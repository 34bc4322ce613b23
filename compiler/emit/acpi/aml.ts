/**
 * AML terms (ACPI 6.4 §20, "ACPI Machine Language Specification").
 *
 * Every term is a small immutable value that writes its own bytes into a
 * ByteSink (`toAml`) and prints itself as ASL 2.0 text (`toAsl`), so the
 * readable form and the bytes come from one tree. Section numbers in the
 * comments point at the grammar in ACPI 6.4 §20.2 and the opcode table in
 * §20.3; a reviewer can check any byte against them.
 *
 * `toAsl()` returns the term's text with nested lines indented relative to the
 * term's first line; parents add their own indentation.
 */
import { ByteSink } from './sink.js';

export interface AmlTerm {
  toAml(out: ByteSink): void;
  toAsl(): string;
}

/** One-byte and extended (0x5B-prefixed) opcodes, ACPI 6.4 §20.3 Table 20.2. */
export const Op = {
  Zero: 0x00,
  One: 0x01,
  Name: 0x08,
  BytePrefix: 0x0a,
  WordPrefix: 0x0b,
  DWordPrefix: 0x0c,
  StringPrefix: 0x0d,
  QWordPrefix: 0x0e,
  Scope: 0x10,
  Buffer: 0x11,
  Package: 0x12,
  VarPackage: 0x13,
  Method: 0x14,
  DualNamePrefix: 0x2e,
  MultiNamePrefix: 0x2f,
  ExtPrefix: 0x5b,
  RootChar: 0x5c,
  ParentPrefixChar: 0x5e,
  Local0: 0x60,
  Arg0: 0x68,
  Store: 0x70,
  Add: 0x72,
  Subtract: 0x74,
  Increment: 0x75,
  Decrement: 0x76,
  Multiply: 0x77,
  ShiftLeft: 0x79,
  ShiftRight: 0x7a,
  And: 0x7b,
  Or: 0x7d,
  Xor: 0x7f,
  Not: 0x80,
  DerefOf: 0x83,
  Mod: 0x85,
  Notify: 0x86,
  SizeOf: 0x87,
  Index: 0x88,
  CreateDWordField: 0x8a,
  CreateWordField: 0x8b,
  CreateByteField: 0x8c,
  CreateQWordField: 0x8f,
  LAnd: 0x90,
  LOr: 0x91,
  LNot: 0x92,
  LEqual: 0x93,
  LGreater: 0x94,
  LLess: 0x95,
  ToBuffer: 0x96,
  ToHexString: 0x98,
  If: 0xa0,
  Else: 0xa1,
  While: 0xa2,
  Return: 0xa4,
  Break: 0xa5,
  Ones: 0xff,
} as const;

/** Second byte after ExtOpPrefix (0x5B), ACPI 6.4 §20.3 Table 20.3. */
export const ExtOp = {
  Mutex: 0x01,
  Acquire: 0x23,
  Release: 0x27,
  Debug: 0x31,
  OpRegion: 0x80,
  Field: 0x81,
  Device: 0x82,
  Processor: 0x83,
} as const;

// ---- helpers -------------------------------------------------------------------------

const INDENT = '    ';

/** Indents every line of `text` by one level. */
export function indent(text: string): string {
  return INDENT + text.replace(/\n(?!\n|$)/g, `\n${INDENT}`);
}

function block(head: string, body: readonly AmlTerm[]): string {
  if (body.length === 0) return `${head}\n{\n}`;
  return `${head}\n{\n${body.map((t) => indent(t.toAsl())).join('\n')}\n}`;
}

function hex(v: number, digits: number): string {
  return `0x${v.toString(16).toUpperCase().padStart(digits, '0')}`;
}

/**
 * ACPI 6.4 §20.2.4 PkgLength: the length of the package including the
 * PkgLength bytes themselves. One byte holds up to 63; otherwise bits 7:6 of
 * the lead byte give the count of following bytes, bits 3:0 the low nibble.
 */
export function encodePkgLength(out: ByteSink, contentLength: number): void {
  const bytes = pkgLengthBytes(contentLength);
  writePkgLength(out, contentLength + bytes, bytes);
}

/** Largest value a PkgLength of 1-4 bytes holds (6, 12, 20 and 28 bits). */
const PKG_LENGTH_MAX = [0x3f, 0xfff, 0xf_ffff, 0xfff_ffff] as const;

/** Bytes a PkgLength needs for a package of `length` content bytes (the count includes itself). */
function pkgLengthBytes(length: number): number {
  let bytes = 1;
  while (bytes <= 4 && length + bytes > PKG_LENGTH_MAX[bytes - 1]!) bytes++;
  if (bytes > 4) throw new Error(`AML package length too large: ${length}`);
  return bytes;
}

function writePkgLength(out: ByteSink, value: number, bytes: number): void {
  if (bytes === 1) {
    out.u8(value);
    return;
  }
  out.u8(((bytes - 1) << 6) | (value & 0x0f));
  for (let i = 1; i < bytes; i++) out.u8((value >>> (4 + 8 * (i - 1))) & 0xff);
}

/**
 * The PkgLength encoding of a plain value, as field lists use it for bit
 * counts (§20.2.5.2 NamedField := NameSeg PkgLength): no self length added,
 * but as many bytes as a package of that length would take (one byte up to
 * 62, as QEMU's AML builder chooses), so field lists come out as QEMU's.
 */
export function encodePkgLengthValue(out: ByteSink, value: number): void {
  writePkgLength(out, value, pkgLengthBytes(value));
}

/** Writes PkgLength followed by the body produced by `body`. */
function withPkgLength(out: ByteSink, body: (inner: ByteSink) => void): void {
  const inner = new ByteSink(64);
  body(inner);
  const bytes = inner.toBytes();
  encodePkgLength(out, bytes.length);
  out.bytes(bytes);
}

// ---- names (ACPI 6.4 §20.2.2 Name Objects Encoding) --------------------------------------

const SEG = /^[A-Z_][A-Z0-9_]{0,3}$/;

interface ParsedName {
  readonly root: boolean;
  readonly parents: number;
  readonly segs: readonly string[];
}

function parseName(path: string): ParsedName {
  let i = 0;
  const root = path.startsWith('\\');
  if (root) i = 1;
  let parents = 0;
  while (!root && path[i] === '^') {
    parents++;
    i++;
  }
  const rest = path.slice(i);
  const segs = rest === '' ? [] : rest.split('.');
  for (const s of segs) if (!SEG.test(s)) throw new Error(`invalid ACPI name segment '${s}' in '${path}'`);
  if (segs.length > 255) throw new Error(`ACPI name path too long: '${path}'`);
  return { root, parents, segs: segs.map((s) => s.padEnd(4, '_')) };
}

/**
 * NameString := <RootChar NamePath> | <PrefixPath NamePath>; NamePath :=
 * NameSeg | DualNamePath | MultiNamePath | NullName (§20.2.2).
 */
export function encodeNameString(out: ByteSink, path: string): void {
  const p = parseName(path);
  if (p.root) out.u8(Op.RootChar);
  for (let i = 0; i < p.parents; i++) out.u8(Op.ParentPrefixChar);
  if (p.segs.length === 0) out.u8(0x00);
  else if (p.segs.length === 2) out.u8(Op.DualNamePrefix);
  else if (p.segs.length > 2) out.u8(Op.MultiNamePrefix).u8(p.segs.length);
  for (const s of p.segs) out.ascii(s, 4);
}

/** The ASL spelling of a name: trailing underscores of each segment dropped (`_SB_` → `_SB`). */
export function aslName(path: string): string {
  const p = parseName(path);
  const segs = p.segs.map((s) => s.replace(/_+$/, '') || '_');
  return `${p.root ? '\\' : ''}${'^'.repeat(p.parents)}${segs.join('.')}`;
}

/** A 4-character NameSeg (padded with '_'), as used in ASL declarations. */
export function nameSeg(name: string): string {
  return parseName(name).segs[0] ?? '';
}

// ---- data (ACPI 6.4 §20.2.3 Data Objects Encoding) --------------------------------------

/** An integer constant, encoded with the smallest prefix that holds it (§20.2.3 ComputationalData). */
export class Int implements AmlTerm {
  constructor(readonly value: number) {
    if (!Number.isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) throw new Error(`AML integer out of range: ${value}`);
  }
  toAml(out: ByteSink): void {
    const v = this.value;
    if (v === 0) out.u8(Op.Zero);
    else if (v === 1) out.u8(Op.One);
    else if (v <= 0xff) out.u8(Op.BytePrefix).u8(v);
    else if (v <= 0xffff) out.u8(Op.WordPrefix).u16(v);
    else if (v <= 0xffff_ffff) out.u8(Op.DWordPrefix).u32(v);
    else out.u8(Op.QWordPrefix).u64(v);
  }
  toAsl(): string {
    const v = this.value;
    if (v === 0) return 'Zero';
    if (v === 1) return 'One';
    return hex(v, v <= 0xff ? 2 : v <= 0xffff ? 4 : v <= 0xffff_ffff ? 8 : 16);
  }
}

/** OnesOp: all bits set in the table's integer width (§20.2.3 ConstObj). */
export const Ones: AmlTerm = {
  toAml: (out) => void out.u8(Op.Ones),
  toAsl: () => 'Ones',
};

/** String := StringPrefix AsciiCharList NullChar (§20.2.3). */
export class Str implements AmlTerm {
  constructor(readonly value: string) {
    if (!/^[\x01-\x7f]*$/.test(value)) throw new Error(`AML strings are ASCII without NUL: '${value}'`);
  }
  toAml(out: ByteSink): void {
    out.u8(Op.StringPrefix).ascii(this.value).u8(0);
  }
  toAsl(): string {
    return `"${this.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
}

/** A compressed EISA id ("PNP0A08") as a DWord (ACPI 6.4 §19.6.35 EISAID). */
export class EisaId implements AmlTerm {
  readonly value: number;
  constructor(readonly id: string) {
    if (!/^[A-Z]{3}[0-9A-F]{4}$/.test(id)) throw new Error(`invalid EISA id '${id}'`);
    const c = (i: number) => id.charCodeAt(i) - 0x40;
    const b0 = (c(0) << 2) | (c(1) >> 3);
    const b1 = ((c(1) & 7) << 5) | c(2);
    const prod = parseInt(id.slice(3), 16);
    this.value = (b0 | (b1 << 8) | ((prod >> 8) << 16) | ((prod & 0xff) << 24)) >>> 0;
  }
  toAml(out: ByteSink): void {
    out.u8(Op.DWordPrefix).u32(this.value);
  }
  toAsl(): string {
    return `EisaId ("${this.id}")`;
  }
}

/** DefBuffer := BufferOp PkgLength BufferSize ByteList (§20.2.5.4). */
export class Buffer implements AmlTerm {
  constructor(readonly data: Uint8Array, readonly size: number = data.length) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Buffer);
    withPkgLength(out, (o) => {
      new Int(this.size).toAml(o);
      o.bytes(this.data);
    });
  }
  toAsl(): string {
    const head = `Buffer (${new Int(this.size).toAsl()})`;
    if (this.data.length === 0) return `${head} {}`;
    const rows: string[] = [];
    for (let i = 0; i < this.data.length; i += 8) {
      rows.push(Array.from(this.data.subarray(i, i + 8), (b) => hex(b, 2)).join(', '));
    }
    return `${head}\n{\n${rows.map((r) => INDENT + r).join(',\n')}\n}`;
  }
}

/** ToUUID ("...") is a 16-byte Buffer in the mixed-endian GUID layout (ACPI 6.4 §19.6.143). */
export class Uuid implements AmlTerm {
  private readonly buffer: Buffer;
  constructor(readonly uuid: string) {
    const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(uuid);
    if (!m) throw new Error(`invalid UUID '${uuid}'`);
    const hexBytes = (s: string) => s.match(/../g)!.map((h) => parseInt(h, 16));
    const bytes = [...hexBytes(m[1]!).reverse(), ...hexBytes(m[2]!).reverse(), ...hexBytes(m[3]!).reverse(), ...hexBytes(m[4]!), ...hexBytes(m[5]!)];
    this.buffer = new Buffer(Uint8Array.from(bytes));
  }
  toAml(out: ByteSink): void {
    this.buffer.toAml(out);
  }
  toAsl(): string {
    return `ToUUID ("${this.uuid.toLowerCase()}")`;
  }
}

/** DefPackage := PackageOp PkgLength NumElements PackageElementList (§20.2.5.4). */
export class Package implements AmlTerm {
  constructor(readonly elements: readonly AmlTerm[], readonly count: number = elements.length) {
    if (count > 255) throw new Error('Package holds at most 255 elements; use VarPackage');
  }
  toAml(out: ByteSink): void {
    out.u8(Op.Package);
    withPkgLength(out, (o) => {
      o.u8(this.count);
      for (const e of this.elements) e.toAml(o);
    });
  }
  toAsl(): string {
    const head = `Package (${hex(this.count, 2)})`;
    if (this.elements.length === 0) return `${head} {}`;
    const items = this.elements.map((e) => e.toAsl());
    // Short packages of simple values read best on one line (e.g. a _PRT entry).
    if (items.length <= 8 && items.every((i) => !i.includes('\n')) && items.join(', ').length <= 60) return `${head} { ${items.join(', ')} }`;
    return `${head}\n{\n${items.map((i) => indent(i)).join(',\n')}\n}`;
  }
}

/** DefVarPackage := VarPackageOp PkgLength VarNumElements PackageElementList (§20.2.5.4). */
export class VarPackage implements AmlTerm {
  constructor(readonly elements: readonly AmlTerm[], readonly count: AmlTerm = new Int(elements.length)) {}
  toAml(out: ByteSink): void {
    out.u8(Op.VarPackage);
    withPkgLength(out, (o) => {
      this.count.toAml(o);
      for (const e of this.elements) e.toAml(o);
    });
  }
  toAsl(): string {
    const head = `Package (${this.count.toAsl()})`;
    if (this.elements.length === 0) return `${head} {}`;
    return `${head}\n{\n${this.elements.map((e) => indent(e.toAsl())).join(',\n')}\n}`;
  }
}

// ---- references and locals (§20.2.6 Miscellaneous Objects Encoding) -------------------------

/** A NameString used as a value or a zero-argument invocation. */
export class NameRef implements AmlTerm {
  constructor(readonly path: string) {
    parseName(path);
  }
  toAml(out: ByteSink): void {
    encodeNameString(out, this.path);
  }
  toAsl(): string {
    return aslName(this.path);
  }
}

/** MethodInvocation := NameString TermArgList (§20.2.5.4). */
export class Call implements AmlTerm {
  constructor(readonly path: string, readonly args: readonly AmlTerm[] = []) {}
  toAml(out: ByteSink): void {
    encodeNameString(out, this.path);
    for (const a of this.args) a.toAml(out);
  }
  toAsl(): string {
    return `${aslName(this.path)} (${this.args.map((a) => a.toAsl()).join(', ')})`;
  }
}

/** LocalObj := Local0Op ... Local7Op (§20.2.6.2). */
export class Local implements AmlTerm {
  constructor(readonly n: number) {
    if (n < 0 || n > 7) throw new Error(`Local${n} does not exist`);
  }
  toAml(out: ByteSink): void {
    out.u8(Op.Local0 + this.n);
  }
  toAsl(): string {
    return `Local${this.n}`;
  }
}

/** ArgObj := Arg0Op ... Arg6Op (§20.2.6.1). */
export class Arg implements AmlTerm {
  constructor(readonly n: number) {
    if (n < 0 || n > 6) throw new Error(`Arg${n} does not exist`);
  }
  toAml(out: ByteSink): void {
    out.u8(Op.Arg0 + this.n);
  }
  toAsl(): string {
    return `Arg${this.n}`;
  }
}

/** DebugObj := ExtOpPrefix 0x31 (§20.2.6.3). */
export const Debug: AmlTerm = {
  toAml: (out) => void out.u8(Op.ExtPrefix).u8(ExtOp.Debug),
  toAsl: () => 'Debug',
};

// ---- namespace modifiers and named objects (§20.2.5.1, §20.2.5.2) ---------------------------

/** DefScope := ScopeOp PkgLength NameString TermList (§20.2.5.1). */
export class Scope implements AmlTerm {
  constructor(readonly path: string, readonly body: readonly AmlTerm[]) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Scope);
    withPkgLength(out, (o) => {
      encodeNameString(o, this.path);
      for (const t of this.body) t.toAml(o);
    });
  }
  toAsl(): string {
    return block(`Scope (${aslName(this.path)})`, this.body);
  }
}

/** DefName := NameOp NameString DataRefObject (§20.2.5.1). */
export class Name implements AmlTerm {
  constructor(readonly path: string, readonly value: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Name);
    encodeNameString(out, this.path);
    this.value.toAml(out);
  }
  toAsl(): string {
    return `Name (${aslName(this.path)}, ${this.value.toAsl()})`;
  }
}

/** DefDevice := DeviceOp PkgLength NameString TermList (§20.2.5.2). */
export class Device implements AmlTerm {
  constructor(readonly path: string, readonly body: readonly AmlTerm[]) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Device);
    withPkgLength(out, (o) => {
      encodeNameString(o, this.path);
      for (const t of this.body) t.toAml(o);
    });
  }
  toAsl(): string {
    return block(`Device (${aslName(this.path)})`, this.body);
  }
}

/**
 * DefProcessor := ProcessorOp PkgLength NameString ProcID PblkAddr PblkLen
 * TermList (§20.2.5.2; deprecated since ACPI 6.0 in favour of Device(ACPI0007)).
 */
export class Processor implements AmlTerm {
  constructor(readonly path: string, readonly id: number, readonly pblk: number, readonly pblkLen: number, readonly body: readonly AmlTerm[]) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Processor);
    withPkgLength(out, (o) => {
      encodeNameString(o, this.path);
      o.u8(this.id).u32(this.pblk).u8(this.pblkLen);
      for (const t of this.body) t.toAml(o);
    });
  }
  toAsl(): string {
    return block(`Processor (${aslName(this.path)}, ${hex(this.id, 2)}, ${hex(this.pblk, 8)}, ${hex(this.pblkLen, 2)})`, this.body);
  }
}

/**
 * DefMethod := MethodOp PkgLength NameString MethodFlags TermList
 * (§20.2.5.2); MethodFlags bits 2:0 ArgCount, bit 3 SerializeFlag, 7:4 SyncLevel.
 */
export class Method implements AmlTerm {
  constructor(readonly path: string, readonly args: number, readonly serialized: boolean, readonly body: readonly AmlTerm[]) {
    if (args < 0 || args > 7) throw new Error(`a method takes 0-7 arguments, not ${args}`);
  }
  toAml(out: ByteSink): void {
    out.u8(Op.Method);
    withPkgLength(out, (o) => {
      encodeNameString(o, this.path);
      o.u8(this.args | (this.serialized ? 0x08 : 0));
      for (const t of this.body) t.toAml(o);
    });
  }
  toAsl(): string {
    return block(`Method (${aslName(this.path)}, ${this.args}, ${this.serialized ? 'Serialized' : 'NotSerialized'})`, this.body);
  }
}

/** DefMutex := MutexOp NameString SyncFlags (§20.2.5.2). */
export class Mutex implements AmlTerm {
  constructor(readonly path: string, readonly syncLevel = 0) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Mutex);
    encodeNameString(out, this.path);
    out.u8(this.syncLevel & 0x0f);
  }
  toAsl(): string {
    return `Mutex (${aslName(this.path)}, ${hex(this.syncLevel, 2)})`;
  }
}

/** RegionSpace values (§20.2.5.2 DefOpRegion; ACPI 6.4 §19.6.100). */
export const RegionSpace = { SystemMemory: 0x00, SystemIO: 0x01, PCI_Config: 0x02 } as const;
export type RegionSpaceName = keyof typeof RegionSpace;

/** DefOpRegion := OpRegionOp NameString RegionSpace RegionOffset RegionLen (§20.2.5.2). */
export class OperationRegion implements AmlTerm {
  constructor(readonly path: string, readonly space: RegionSpaceName, readonly offset: AmlTerm, readonly length: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.OpRegion);
    encodeNameString(out, this.path);
    out.u8(RegionSpace[this.space]);
    this.offset.toAml(out);
    this.length.toAml(out);
  }
  toAsl(): string {
    return `OperationRegion (${aslName(this.path)}, ${this.space}, ${this.offset.toAsl()}, ${this.length.toAsl()})`;
  }
}

export type AccessType = 'AnyAcc' | 'ByteAcc' | 'WordAcc' | 'DWordAcc' | 'QWordAcc' | 'BufferAcc';
export type UpdateRule = 'Preserve' | 'WriteAsOnes' | 'WriteAsZeros';
const ACCESS: Record<AccessType, number> = { AnyAcc: 0, ByteAcc: 1, WordAcc: 2, DWordAcc: 3, QWordAcc: 4, BufferAcc: 5 };
const UPDATE: Record<UpdateRule, number> = { Preserve: 0, WriteAsOnes: 1, WriteAsZeros: 2 };

/** A field list entry: a named field of `bits`, or `Offset (byte)` (a ReservedField up to that byte). */
export type FieldElement = { readonly name: string; readonly bits: number } | { readonly offset: number };

/**
 * DefField := FieldOp PkgLength NameString FieldFlags FieldList (§20.2.5.2);
 * FieldFlags bits 3:0 AccessType, bit 4 LockRule, bits 6:5 UpdateRule;
 * NamedField := NameSeg PkgLength; ReservedField := 0x00 PkgLength.
 */
export class Field implements AmlTerm {
  constructor(
    readonly region: string,
    readonly access: AccessType,
    readonly lock: boolean,
    readonly update: UpdateRule,
    readonly elements: readonly FieldElement[],
  ) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Field);
    withPkgLength(out, (o) => {
      encodeNameString(o, this.region);
      o.u8(ACCESS[this.access] | (this.lock ? 0x10 : 0) | (UPDATE[this.update] << 5));
      let bit = 0;
      for (const e of this.elements) {
        if ('offset' in e) {
          const gap = e.offset * 8 - bit;
          if (gap < 0) throw new Error(`Field ${this.region}: Offset (${e.offset}) goes backwards`);
          if (gap > 0) {
            o.u8(0x00);
            encodePkgLengthValue(o, gap);
          }
          bit = e.offset * 8;
        } else {
          o.ascii(nameSeg(e.name), 4);
          encodePkgLengthValue(o, e.bits);
          bit += e.bits;
        }
      }
    });
  }
  toAsl(): string {
    const head = `Field (${aslName(this.region)}, ${this.access}, ${this.lock ? 'Lock' : 'NoLock'}, ${this.update})`;
    const rows = this.elements.map((e) => ('offset' in e ? `Offset (${hex(e.offset, 2)})` : `${aslName(e.name).padEnd(4)},   ${e.bits}`));
    return `${head}\n{\n${rows.map((r) => INDENT + r).join(',\n')}\n}`;
  }
}

/** CreateDWordField etc.: Op SourceBuff ByteIndex NameString (§20.2.5.2). */
export class CreateField implements AmlTerm {
  private static readonly ops = { 1: [Op.CreateByteField, 'CreateByteField'], 2: [Op.CreateWordField, 'CreateWordField'], 4: [Op.CreateDWordField, 'CreateDWordField'], 8: [Op.CreateQWordField, 'CreateQWordField'] } as const;
  constructor(readonly bytes: 1 | 2 | 4 | 8, readonly source: AmlTerm, readonly index: AmlTerm, readonly path: string) {}
  toAml(out: ByteSink): void {
    out.u8(CreateField.ops[this.bytes][0]);
    this.source.toAml(out);
    this.index.toAml(out);
    encodeNameString(out, this.path);
  }
  toAsl(): string {
    return `${CreateField.ops[this.bytes][1]} (${this.source.toAsl()}, ${this.index.toAsl()}, ${aslName(this.path)})`;
  }
}

// ---- statements (§20.2.5.3 Statement Opcodes Encoding) ------------------------------------

/** DefIfElse := IfOp PkgLength Predicate TermList DefElse; DefElse := ElseOp PkgLength TermList (§20.2.5.3). */
export class If implements AmlTerm {
  constructor(readonly predicate: AmlTerm, readonly then: readonly AmlTerm[], readonly otherwise?: readonly AmlTerm[] | If) {}
  toAml(out: ByteSink): void {
    out.u8(Op.If);
    withPkgLength(out, (o) => {
      this.predicate.toAml(o);
      for (const t of this.then) t.toAml(o);
    });
    if (this.otherwise) {
      const body = this.otherwise instanceof If ? [this.otherwise] : this.otherwise;
      out.u8(Op.Else);
      withPkgLength(out, (o) => {
        for (const t of body) t.toAml(o);
      });
    }
  }
  toAsl(): string {
    const head = block(`If (${this.predicate.toAsl()})`, this.then);
    if (!this.otherwise) return head;
    if (this.otherwise instanceof If) return `${head}\nElse${this.otherwise.toAsl()}`;
    return `${head}\n${block('Else', this.otherwise)}`;
  }
}

/** DefWhile := WhileOp PkgLength Predicate TermList (§20.2.5.3). */
export class While implements AmlTerm {
  constructor(readonly predicate: AmlTerm, readonly body: readonly AmlTerm[]) {}
  toAml(out: ByteSink): void {
    out.u8(Op.While);
    withPkgLength(out, (o) => {
      this.predicate.toAml(o);
      for (const t of this.body) t.toAml(o);
    });
  }
  toAsl(): string {
    return block(`While (${this.predicate.toAsl()})`, this.body);
  }
}

/** DefReturn := ReturnOp ArgObject (§20.2.5.3). */
export class Return implements AmlTerm {
  constructor(readonly value: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Return);
    this.value.toAml(out);
  }
  toAsl(): string {
    return `Return (${this.value.toAsl()})`;
  }
}

/** DefBreak := BreakOp (§20.2.5.3). */
export const Break: AmlTerm = {
  toAml: (out) => void out.u8(Op.Break),
  toAsl: () => 'Break',
};

/** DefNotify := NotifyOp NotifyObject NotifyValue (§20.2.5.3). */
export class Notify implements AmlTerm {
  constructor(readonly object: AmlTerm, readonly value: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Notify);
    this.object.toAml(out);
    this.value.toAml(out);
  }
  toAsl(): string {
    return `Notify (${this.object.toAsl()}, ${this.value.toAsl()})`;
  }
}

/** DefRelease := ReleaseOp MutexObject (§20.2.5.3). */
export class Release implements AmlTerm {
  constructor(readonly mutex: string) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Release);
    encodeNameString(out, this.mutex);
  }
  toAsl(): string {
    return `Release (${aslName(this.mutex)})`;
  }
}

// ---- expressions (§20.2.5.4 Expression Opcodes Encoding) -----------------------------------

/** NullName as an absent Target (§20.2.2 SimpleName / Target := SuperName | NullName). */
const NO_TARGET: AmlTerm = { toAml: (out) => void out.u8(0x00), toAsl: () => '' };

/** DefAcquire := AcquireOp MutexObject Timeout(word) (§20.2.5.4). */
export class Acquire implements AmlTerm {
  constructor(readonly mutex: string, readonly timeout = 0xffff) {}
  toAml(out: ByteSink): void {
    out.u8(Op.ExtPrefix).u8(ExtOp.Acquire);
    encodeNameString(out, this.mutex);
    out.u16(this.timeout);
  }
  toAsl(): string {
    return `Acquire (${aslName(this.mutex)}, ${hex(this.timeout, 4)})`;
  }
}

/** DefStore := StoreOp TermArg SuperName (§20.2.5.4); ASL 2.0 `Target = Source`. */
export class Store implements AmlTerm {
  constructor(readonly source: AmlTerm, readonly target: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Store);
    this.source.toAml(out);
    this.target.toAml(out);
  }
  toAsl(): string {
    // `X = A + B` compiles to Add's own target (iasl, machc), not to a Store:
    // print the Store when its source is an operator that has a target slot.
    if (this.source instanceof Binary || this.source instanceof Not || this.source instanceof Index) {
      return `Store (${this.source.toAsl()}, ${this.target.toAsl()})`;
    }
    return `${this.target.toAsl()} = ${this.source.toAsl()}`;
  }
}

type BinaryName = 'Add' | 'Subtract' | 'Multiply' | 'And' | 'Or' | 'Xor' | 'ShiftLeft' | 'ShiftRight' | 'Mod';
const BINARY: Record<BinaryName, readonly [number, string]> = {
  Add: [Op.Add, '+'],
  Subtract: [Op.Subtract, '-'],
  Multiply: [Op.Multiply, '*'],
  And: [Op.And, '&'],
  Or: [Op.Or, '|'],
  Xor: [Op.Xor, '^'],
  ShiftLeft: [Op.ShiftLeft, '<<'],
  ShiftRight: [Op.ShiftRight, '>>'],
  Mod: [Op.Mod, '%'],
};

/** DefAdd, DefAnd, DefOr, DefShiftLeft ... := Op Operand Operand Target (§20.2.5.4). */
export class Binary implements AmlTerm {
  constructor(readonly op: BinaryName, readonly left: AmlTerm, readonly right: AmlTerm, readonly target: AmlTerm = NO_TARGET) {}
  toAml(out: ByteSink): void {
    out.u8(BINARY[this.op][0]);
    this.left.toAml(out);
    this.right.toAml(out);
    this.target.toAml(out);
  }
  toAsl(): string {
    const sym = BINARY[this.op][1];
    const t = this.target.toAsl();
    const l = this.left.toAsl();
    const r = this.right.toAsl();
    if (t === '') return `(${l} ${sym} ${r})`;
    if (t === l) return `${t} ${sym}= ${r}`;
    return `${t} = (${l} ${sym} ${r})`;
  }
}

/** DefNot := NotOp Operand Target (§20.2.5.4). */
export class Not implements AmlTerm {
  constructor(readonly operand: AmlTerm, readonly target: AmlTerm = NO_TARGET) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Not);
    this.operand.toAml(out);
    this.target.toAml(out);
  }
  toAsl(): string {
    const t = this.target.toAsl();
    return t === '' ? `~${this.operand.toAsl()}` : `${t} = ~${this.operand.toAsl()}`;
  }
}

/** DefIncrement / DefDecrement := Op SuperName (§20.2.5.4). */
export class Increment implements AmlTerm {
  constructor(readonly target: AmlTerm, readonly down = false) {}
  toAml(out: ByteSink): void {
    out.u8(this.down ? Op.Decrement : Op.Increment);
    this.target.toAml(out);
  }
  toAsl(): string {
    return `${this.target.toAsl()}${this.down ? '--' : '++'}`;
  }
}

type CompareName = 'LEqual' | 'LGreater' | 'LLess' | 'LNotEqual' | 'LLessEqual' | 'LGreaterEqual' | 'LAnd' | 'LOr';
/** Each comparison's opcode bytes: LNotEqual is LNot LEqual, LLessEqual is LNot LGreater, LGreaterEqual is LNot LLess (§20.2.5.4). */
const COMPARE: Record<CompareName, readonly [readonly number[], string]> = {
  LEqual: [[Op.LEqual], '=='],
  LGreater: [[Op.LGreater], '>'],
  LLess: [[Op.LLess], '<'],
  LNotEqual: [[Op.LNot, Op.LEqual], '!='],
  LLessEqual: [[Op.LNot, Op.LGreater], '<='],
  LGreaterEqual: [[Op.LNot, Op.LLess], '>='],
  LAnd: [[Op.LAnd], '&&'],
  LOr: [[Op.LOr], '||'],
};

/** Logical operators: DefLEqual := LEqualOp Operand Operand etc. (§20.2.5.4). */
export class Compare implements AmlTerm {
  constructor(readonly op: CompareName, readonly left: AmlTerm, readonly right: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.bytes(COMPARE[this.op][0]);
    this.left.toAml(out);
    this.right.toAml(out);
  }
  toAsl(): string {
    return `(${this.left.toAsl()} ${COMPARE[this.op][1]} ${this.right.toAsl()})`;
  }
}

/** DefLNot := LnotOp Operand (§20.2.5.4). */
export class LNot implements AmlTerm {
  constructor(readonly operand: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.LNot);
    this.operand.toAml(out);
  }
  toAsl(): string {
    return `!${this.operand.toAsl()}`;
  }
}

/** DefDerefOf := DerefOfOp ObjReference (§20.2.5.4). */
export class DerefOf implements AmlTerm {
  constructor(readonly ref: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.DerefOf);
    this.ref.toAml(out);
  }
  toAsl(): string {
    return `DerefOf (${this.ref.toAsl()})`;
  }
}

/** DefIndex := IndexOp BuffPkgStrObj IndexValue Target (§20.2.5.4); ASL 2.0 `Source [Index]`. */
export class Index implements AmlTerm {
  constructor(readonly source: AmlTerm, readonly index: AmlTerm, readonly target: AmlTerm = NO_TARGET) {}
  toAml(out: ByteSink): void {
    out.u8(Op.Index);
    this.source.toAml(out);
    this.index.toAml(out);
    this.target.toAml(out);
  }
  toAsl(): string {
    const t = this.target.toAsl();
    const e = `${this.source.toAsl()} [${this.index.toAsl()}]`;
    return t === '' ? e : `${t} = ${e}`;
  }
}

/** DefSizeOf := SizeOfOp SuperName (§20.2.5.4). */
export class SizeOf implements AmlTerm {
  constructor(readonly object: AmlTerm) {}
  toAml(out: ByteSink): void {
    out.u8(Op.SizeOf);
    this.object.toAml(out);
  }
  toAsl(): string {
    return `SizeOf (${this.object.toAsl()})`;
  }
}

/** DefToHexString / DefToBuffer := Op Operand Target (§20.2.5.4). */
export class Convert implements AmlTerm {
  constructor(readonly to: 'ToHexString' | 'ToBuffer', readonly operand: AmlTerm, readonly target: AmlTerm = NO_TARGET) {}
  toAml(out: ByteSink): void {
    out.u8(this.to === 'ToHexString' ? Op.ToHexString : Op.ToBuffer);
    this.operand.toAml(out);
    this.target.toAml(out);
  }
  toAsl(): string {
    const t = this.target.toAsl();
    return `${this.to} (${this.operand.toAsl()}${t === '' ? '' : `, ${t}`})`;
  }
}

// ---- short constructors, so table code reads like ASL ---------------------------------------

export const int = (v: number): Int => new Int(v);
export const str = (s: string): Str => new Str(s);
export const ref = (path: string): NameRef => new NameRef(path);
export const local = (n: number): Local => new Local(n);
export const arg = (n: number): Arg => new Arg(n);
export const ZERO = new Int(0);
export const ONE = new Int(1);
export const name = (path: string, value: AmlTerm | number | string): Name =>
  new Name(path, typeof value === 'number' ? new Int(value) : typeof value === 'string' ? new Str(value) : value);
export const store = (source: AmlTerm, target: AmlTerm): Store => new Store(source, target);
export const eq = (l: AmlTerm, r: AmlTerm): Compare => new Compare('LEqual', l, r);
export const call = (path: string, ...args: AmlTerm[]): Call => new Call(path, args);
export const method = (path: string, args: number, serialized: boolean, body: readonly AmlTerm[]): Method => new Method(path, args, serialized, body);
export const device = (path: string, body: readonly AmlTerm[]): Device => new Device(path, body);
export const scope = (path: string, body: readonly AmlTerm[]): Scope => new Scope(path, body);
export const ret = (v: AmlTerm): Return => new Return(v);

/** Encodes a term list into bytes (for tests and for DefinitionBlock bodies). */
export function encodeTerms(terms: readonly AmlTerm[]): Uint8Array {
  const out = new ByteSink(1024);
  for (const t of terms) t.toAml(out);
  return out.toBytes();
}
