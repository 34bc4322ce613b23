/**
 * Reads the ACPI namespace an AML table (DSDT or SSDT) declares: every named
 * object with its full path, its kind and, for data objects, its value. Method
 * bodies are not interpreted: they are compared as bytes. Grammar references
 * are to ACPI 6.4 §20.2 (AML Grammar Definition).
 *
 * This is a reader for namespace-level diffs, not an interpreter: term lists
 * at scope level are expected to hold declarations. An opcode it does not know
 * there ends that term list (the objects read so far are kept, and the table
 * is flagged incomplete).
 */

export type AmlObjectKind =
  | 'Device' | 'Name' | 'Method' | 'Processor' | 'PowerResource' | 'ThermalZone' | 'OperationRegion'
  | 'Field' | 'Mutex' | 'Event' | 'Alias' | 'External';

export interface AmlObject {
  /** Absolute path, NameSegs without trailing underscores: '\\_SB.PCI0.S10._SUN'. */
  readonly path: string;
  readonly kind: AmlObjectKind;
  /** Readable value: data of a Name, 'args N, serialized' of a Method, region of an OperationRegion. */
  readonly value: string | undefined;
  /** Bytes that decide equality beyond `value` (method bodies, buffers). */
  readonly digest: string;
}

export interface AmlNamespace {
  readonly objects: readonly AmlObject[];
  /** False when some term list held an opcode this reader skips (objects after it are missing). */
  readonly complete: boolean;
}

// ACPI 6.4 §20.2.3-§20.2.5 opcodes.
const ZERO_OP = 0x00;
const ONE_OP = 0x01;
const ALIAS_OP = 0x06;
const NAME_OP = 0x08;
const BYTE_PREFIX = 0x0a;
const WORD_PREFIX = 0x0b;
const DWORD_PREFIX = 0x0c;
const STRING_PREFIX = 0x0d;
const QWORD_PREFIX = 0x0e;
const SCOPE_OP = 0x10;
const BUFFER_OP = 0x11;
const PACKAGE_OP = 0x12;
const VAR_PACKAGE_OP = 0x13;
const METHOD_OP = 0x14;
const EXTERNAL_OP = 0x15;
const DUAL_NAME_PREFIX = 0x2e;
const MULTI_NAME_PREFIX = 0x2f;
const ROOT_CHAR = 0x5c;
const PARENT_PREFIX = 0x5e;
const EXT_PREFIX = 0x5b;
const IF_OP = 0xa0;
const ELSE_OP = 0xa1;
const WHILE_OP = 0xa2;
const ONES_OP = 0xff;
// Extended opcodes (after 0x5B).
const MUTEX_OP = 0x01;
const EVENT_OP = 0x02;
const REVISION_OP = 0x30;
const OP_REGION_OP = 0x80;
const FIELD_OP = 0x81;
const DEVICE_OP = 0x82;
const PROCESSOR_OP = 0x83;
const POWER_RES_OP = 0x84;
const THERMAL_ZONE_OP = 0x85;
const INDEX_FIELD_OP = 0x86;
const BANK_FIELD_OP = 0x87;

const REGION_SPACES = ['SystemMemory', 'SystemIO', 'PCI_Config', 'EmbeddedControl', 'SMBus', 'SystemCMOS', 'PciBarTarget', 'IPMI', 'GeneralPurposeIO', 'GenericSerialBus', 'PCC'];

class Stop extends Error {}

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

/** A short, stable fingerprint of some bytes (FNV-1a, 32 bits) for equality. */
function fingerprint(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** EISA IDs are compressed three letters and four hex digits (ACPI 6.4 §19.6.35 EISAID). */
export function eisaIdText(v: number): string | undefined {
  if (v < 0 || v > 0xffffffff) return undefined;
  const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  const w = (b[0]! << 8) | b[1]!;
  const letters = [(w >> 10) & 0x1f, (w >> 5) & 0x1f, w & 0x1f];
  if (letters.some((l) => l < 1 || l > 26) || (w & 0x8000) !== 0) return undefined;
  const digits = ((b[2]! << 8) | b[3]!).toString(16).toUpperCase().padStart(4, '0');
  return `${letters.map((l) => String.fromCharCode(64 + l)).join('')}${digits}`;
}

/** Displays a NameSeg without its trailing underscores ('_SB_' -> '_SB', 'S10_' -> 'S10'). */
function segText(seg: string): string {
  const t = seg.replace(/_+$/, '');
  return t.length === 0 ? '_' : t;
}

class Reader {
  pos: number;
  complete = true;
  readonly objects: AmlObject[] = [];

  constructor(
    readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Stop('unexpected end of table');
    return this.bytes[this.pos++]!;
  }

  uint(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v += this.byte() * 2 ** (8 * i);
    return v;
  }

  /** §20.2.4 PkgLength: returns the end offset of the package. */
  pkgEnd(): number {
    const start = this.pos;
    const lead = this.byte();
    const follow = lead >> 6;
    let len = follow === 0 ? lead & 0x3f : lead & 0x0f;
    for (let i = 0; i < follow; i++) len |= this.byte() << (4 + 8 * i);
    const end = start + len;
    if (end > this.bytes.length || len < follow + 1) throw new Stop('package runs past the table');
    return end;
  }

  nameSeg(): string {
    let s = '';
    for (let i = 0; i < 4; i++) {
      const c = this.byte();
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) throw new Stop(`bad NameSeg byte ${hex(c)}`);
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** §20.2.2 NameString: { root, parents, segs }. */
  nameString(): { root: boolean; parents: number; segs: string[] } {
    let root = false;
    let parents = 0;
    if (this.bytes[this.pos] === ROOT_CHAR) {
      root = true;
      this.pos++;
    } else {
      while (this.bytes[this.pos] === PARENT_PREFIX) {
        parents++;
        this.pos++;
      }
    }
    const lead = this.bytes[this.pos];
    const segs: string[] = [];
    if (lead === ZERO_OP) this.pos++;
    else if (lead === DUAL_NAME_PREFIX) {
      this.pos++;
      segs.push(this.nameSeg(), this.nameSeg());
    } else if (lead === MULTI_NAME_PREFIX) {
      this.pos++;
      const n = this.byte();
      for (let i = 0; i < n; i++) segs.push(this.nameSeg());
    } else segs.push(this.nameSeg());
    return { root, parents, segs };
  }

  /** Resolves a NameString against a scope (an array of segs). */
  resolve(scope: readonly string[], n: { root: boolean; parents: number; segs: string[] }): string[] {
    if (n.root) return n.segs.map(segText);
    const base = scope.slice(0, Math.max(0, scope.length - n.parents));
    return [...base, ...n.segs.map(segText)];
  }

  add(scope: readonly string[], kind: AmlObjectKind, value: string | undefined, digestBytes?: Uint8Array): void {
    const path = `\\${scope.join('.')}`;
    this.objects.push({ path, kind, value, digest: digestBytes ? fingerprint(digestBytes) : '' });
  }

  /** A constant or simple TermArg (§20.2.5.4): integers, strings, names, args, locals. */
  simpleTermArg(): string {
    const op = this.bytes[this.pos];
    if (op === undefined) throw new Stop('unexpected end of table');
    if (op === ZERO_OP || op === ONE_OP || op === ONES_OP || op === BYTE_PREFIX || op === WORD_PREFIX || op === DWORD_PREFIX || op === QWORD_PREFIX || op === STRING_PREFIX) return this.data();
    if (op >= 0x60 && op <= 0x6e) {
      this.pos++;
      return op <= 0x67 ? `Local${op - 0x60}` : `Arg${op - 0x68}`;
    }
    if (op === ROOT_CHAR || op === PARENT_PREFIX || op === DUAL_NAME_PREFIX || op === MULTI_NAME_PREFIX || (op >= 0x41 && op <= 0x5a) || op === 0x5f) {
      const n = this.nameString();
      return `${n.root ? '\\' : '^'.repeat(n.parents)}${n.segs.map(segText).join('.')}`;
    }
    throw new Stop(`expression TermArg ${hex(op)}`);
  }

  /** §20.2.3 DataRefObject / ComputationalData, as readable text. */
  data(depth = 0): string {
    const op = this.byte();
    switch (op) {
      case ZERO_OP:
        return '0x0';
      case ONE_OP:
        return '0x1';
      case ONES_OP:
        return 'Ones';
      case BYTE_PREFIX:
        return hex(this.uint(1));
      case WORD_PREFIX:
        return hex(this.uint(2));
      case DWORD_PREFIX:
        return hex(this.uint(4));
      case QWORD_PREFIX:
        return hex(this.uint(8));
      case STRING_PREFIX: {
        let s = '';
        for (let c = this.byte(); c !== 0; c = this.byte()) s += String.fromCharCode(c);
        return JSON.stringify(s);
      }
      case BUFFER_OP: {
        const end = this.pkgEnd();
        const size = this.simpleTermArg();
        const body = this.bytes.subarray(this.pos, end);
        this.pos = end;
        const shown = body.length <= 16 ? ` {${[...body].map((b) => b.toString(16).padStart(2, '0')).join(' ')}}` : ` #${fingerprint(body)}`;
        return `Buffer(${size})${shown}`;
      }
      case PACKAGE_OP:
      case VAR_PACKAGE_OP: {
        const end = this.pkgEnd();
        const count = op === PACKAGE_OP ? String(this.byte()) : this.simpleTermArg();
        const items: string[] = [];
        while (this.pos < end) {
          const b = this.bytes[this.pos]!;
          const isName = b === ROOT_CHAR || b === PARENT_PREFIX || b === DUAL_NAME_PREFIX || b === MULTI_NAME_PREFIX || (b >= 0x41 && b <= 0x5a) || b === 0x5f;
          if (isName) {
            const n = this.nameString();
            items.push(`${n.root ? '\\' : '^'.repeat(n.parents)}${n.segs.map(segText).join('.')}`);
          } else items.push(this.data(depth + 1));
        }
        this.pos = end;
        const text = items.join(', ');
        return text.length <= 120 || depth > 0 ? `Package(${count}) {${text}}` : `Package(${count}) #${fingerprint(new TextEncoder().encode(text))}`;
      }
      case EXT_PREFIX: {
        const ext = this.byte();
        if (ext === REVISION_OP) return 'Revision';
        throw new Stop(`data opcode 5B ${hex(ext)}`);
      }
      default:
        throw new Stop(`data opcode ${hex(op)}`);
    }
  }

  /** §20.2.5.2 FieldList: declares the named field units in `scope`. */
  fieldList(scope: readonly string[], end: number, region: string): void {
    let bit = 0;
    while (this.pos < end) {
      const b = this.bytes[this.pos]!;
      if (b === 0x00) {
        this.pos++;
        bit += this.pkgLengthValue();
      } else if (b === 0x01) {
        this.pos += 3;
      } else if (b === 0x03) {
        this.pos += 4;
      } else if (b === 0x02) {
        throw new Stop('ConnectField');
      } else {
        const seg = segText(this.nameSeg());
        const bits = this.pkgLengthValue();
        this.add([...scope, seg], 'Field', `${region}[bit ${bit}, ${bits} bit${bits === 1 ? '' : 's'}]`);
        bit += bits;
      }
    }
    this.pos = end;
  }

  /** A PkgLength used as a plain number (field widths). */
  pkgLengthValue(): number {
    const lead = this.byte();
    const follow = lead >> 6;
    let len = follow === 0 ? lead & 0x3f : lead & 0x0f;
    for (let i = 0; i < follow; i++) len |= this.byte() << (4 + 8 * i);
    return len;
  }

  termList(scope: readonly string[], end: number): void {
    while (this.pos < end) {
      const start = this.pos;
      const op = this.byte();
      switch (op) {
        case SCOPE_OP: {
          const e = this.pkgEnd();
          const path = this.resolve(scope, this.nameString());
          this.termList(path, e);
          this.pos = e;
          break;
        }
        case NAME_OP: {
          const path = this.resolve(scope, this.nameString());
          const from = this.pos;
          let value = this.data();
          const last = path[path.length - 1];
          if ((last === '_HID' || last === '_CID') && /^0x[0-9A-F]+$/.test(value)) value = `EisaId("${eisaIdText(Number(value)) ?? value}")`;
          this.add(path, 'Name', value, this.bytes.subarray(from, this.pos));
          break;
        }
        case METHOD_OP: {
          const e = this.pkgEnd();
          const path = this.resolve(scope, this.nameString());
          const flags = this.byte();
          const body = this.bytes.subarray(this.pos, e);
          this.add(path, 'Method', `${flags & 7} arg${(flags & 7) === 1 ? '' : 's'}${flags & 8 ? ', Serialized' : ''}, ${body.length} bytes`, body);
          this.pos = e;
          break;
        }
        case ALIAS_OP: {
          const target = this.nameString();
          const path = this.resolve(scope, this.nameString());
          this.add(path, 'Alias', `${target.root ? '\\' : ''}${target.segs.map(segText).join('.')}`);
          break;
        }
        case EXTERNAL_OP: {
          const path = this.resolve(scope, this.nameString());
          const type = this.byte();
          const args = this.byte();
          this.add(path, 'External', `type ${type}, ${args} args`);
          break;
        }
        case IF_OP:
        case ELSE_OP:
        case WHILE_OP: {
          // Conditional declarations are not part of the static namespace.
          this.pos = this.pkgEnd();
          break;
        }
        case EXT_PREFIX:
          this.extended(scope);
          break;
        default:
          this.pos = start;
          throw new Stop(`opcode ${hex(op)} at scope level`);
      }
    }
  }

  extended(scope: readonly string[]): void {
    const op = this.byte();
    switch (op) {
      case DEVICE_OP:
      case THERMAL_ZONE_OP: {
        const e = this.pkgEnd();
        const path = this.resolve(scope, this.nameString());
        this.add(path, op === DEVICE_OP ? 'Device' : 'ThermalZone', undefined);
        this.guarded(path, e);
        return;
      }
      case PROCESSOR_OP: {
        const e = this.pkgEnd();
        const path = this.resolve(scope, this.nameString());
        const id = this.byte();
        const pblk = this.uint(4);
        const plen = this.byte();
        this.add(path, 'Processor', `id ${id}, PBLK ${hex(pblk)}+${plen}`);
        this.guarded(path, e);
        return;
      }
      case POWER_RES_OP: {
        const e = this.pkgEnd();
        const path = this.resolve(scope, this.nameString());
        const level = this.byte();
        const order = this.uint(2);
        this.add(path, 'PowerResource', `S${level}, order ${order}`);
        this.guarded(path, e);
        return;
      }
      case OP_REGION_OP: {
        const path = this.resolve(scope, this.nameString());
        const space = this.byte();
        const offset = this.simpleTermArg();
        const length = this.simpleTermArg();
        this.add(path, 'OperationRegion', `${REGION_SPACES[space] ?? hex(space)} ${offset}, ${length}`);
        return;
      }
      case FIELD_OP: {
        const e = this.pkgEnd();
        const region = this.nameString();
        this.byte(); // FieldFlags
        this.fieldList(scope, e, region.segs.map(segText).join('.'));
        return;
      }
      case INDEX_FIELD_OP: {
        const e = this.pkgEnd();
        const index = this.nameString();
        this.nameString();
        this.byte();
        this.fieldList(scope, e, index.segs.map(segText).join('.'));
        return;
      }
      case BANK_FIELD_OP:
        this.pos = this.pkgEnd();
        return;
      case MUTEX_OP: {
        const path = this.resolve(scope, this.nameString());
        this.add(path, 'Mutex', `sync level ${this.byte() & 0x0f}`);
        return;
      }
      case EVENT_OP:
        this.add(this.resolve(scope, this.nameString()), 'Event', undefined);
        return;
      default:
        throw new Stop(`opcode 5B ${hex(op)} at scope level`);
    }
  }

  /** Reads a nested term list; a problem inside it skips to its end instead of ending the table. */
  guarded(scope: readonly string[], end: number): void {
    try {
      this.termList(scope, end);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      this.complete = false;
    }
    this.pos = end;
  }
}

/** The namespace an AML table (with its 36-byte header) declares. */
export function readNamespace(table: Uint8Array): AmlNamespace {
  const r = new Reader(table, 36);
  const length = Math.min(table.length, table.length >= 8 ? new DataView(table.buffer, table.byteOffset, table.byteLength).getUint32(4, true) : 0);
  try {
    r.termList([], length);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    r.complete = false;
  }
  return { objects: r.objects, complete: r.complete };
}
