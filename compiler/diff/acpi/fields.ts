/**
 * Fixed-layout ACPI tables as named fields, so a diff can say "Local APIC
 * uid 3: added" instead of "bytes differ". Field keys are stable across
 * machines (subtables are keyed by what identifies them, not by position).
 * Layouts: ACPI 6.4 §5.2.9 (FADT), §5.2.12 (MADT), §5.2.16 (SRAT); PCI
 * Firmware Specification 3.2 §4.1.2 (MCFG); IA-PC HPET Specification 1.0a §3.2.4.
 */

export type FieldMap = Map<string, string>;

const hex = (n: number) => `0x${n.toString(16)}`;

class View {
  private readonly dv: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  has(offset: number, size: number): boolean {
    return offset + size <= this.bytes.length;
  }

  u8(o: number): number {
    return this.has(o, 1) ? this.dv.getUint8(o) : 0;
  }

  u16(o: number): number {
    return this.has(o, 2) ? this.dv.getUint16(o, true) : 0;
  }

  u32(o: number): number {
    return this.has(o, 4) ? this.dv.getUint32(o, true) : 0;
  }

  u64(o: number): number {
    return this.has(o, 8) ? this.dv.getUint32(o, true) + this.dv.getUint32(o + 4, true) * 2 ** 32 : 0;
  }

  ascii(o: number, n: number): string {
    let s = '';
    for (let i = 0; i < n && o + i < this.bytes.length; i++) s += String.fromCharCode(this.bytes[o + i]!);
    return s;
  }
}

/** §5.2.6 header fields that can differ between generators (checksum and length are left out). */
function header(v: View, out: FieldMap): void {
  out.set('Revision', String(v.u8(8)));
  out.set('OEM ID', JSON.stringify(v.ascii(10, 6)));
  out.set('OEM Table ID', JSON.stringify(v.ascii(16, 8)));
  out.set('OEM Revision', hex(v.u32(24)));
}

/** §5.2.3.2 Generic Address Structure. */
function gas(v: View, o: number): string {
  const space = ['SystemMemory', 'SystemIO', 'PCI_Config'][v.u8(o)] ?? `space ${v.u8(o)}`;
  const addr = v.u64(o + 4);
  return addr === 0 && v.u8(o + 1) === 0 ? 'none' : `${space} ${hex(addr)} (${v.u8(o + 1)} bits, access ${v.u8(o + 3)})`;
}

function mcfg(v: View, out: FieldMap): void {
  for (let o = 44, i = 0; v.has(o, 16); o += 16, i++) {
    out.set(`segment ${v.u16(o + 8)} buses ${v.u8(o + 10)}-${v.u8(o + 11)}`, `ECAM at ${hex(v.u64(o))}`);
  }
}

const LAPIC_FLAGS = (f: number) => (f & 1 ? 'enabled' : f & 2 ? 'online capable' : 'disabled');

function madt(v: View, out: FieldMap): void {
  out.set('Local APIC address', hex(v.u32(36)));
  out.set('Flags', (v.u32(40) & 1) === 1 ? 'PC-AT compatible (8259 present)' : hex(v.u32(40)));
  const seen = new Map<string, number>();
  const key = (k: string) => {
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n === 1 ? k : `${k} #${n}`;
  };
  for (let o = 44; v.has(o, 2) && v.u8(o + 1) >= 2; o += v.u8(o + 1)) {
    const type = v.u8(o);
    switch (type) {
      case 0:
        out.set(key(`Local APIC uid ${v.u8(o + 2)}`), `APIC ID ${v.u8(o + 3)}, ${LAPIC_FLAGS(v.u32(o + 4))}`);
        break;
      case 1:
        out.set(key(`I/O APIC id ${v.u8(o + 2)}`), `at ${hex(v.u32(o + 4))}, GSI base ${v.u32(o + 8)}`);
        break;
      case 2:
        out.set(key(`Interrupt override IRQ ${v.u8(o + 3)}`), `GSI ${v.u32(o + 4)}, flags ${hex(v.u16(o + 8))}`);
        break;
      case 4:
        out.set(key(`Local APIC NMI uid ${v.u8(o + 2) === 0xff ? 'all' : v.u8(o + 2)}`), `LINT${v.u8(o + 5)}, flags ${hex(v.u16(o + 3))}`);
        break;
      case 9:
        out.set(key(`Local x2APIC uid ${v.u32(o + 12)}`), `x2APIC ID ${v.u32(o + 4)}, ${LAPIC_FLAGS(v.u32(o + 8))}`);
        break;
      case 10:
        out.set(key(`Local x2APIC NMI uid ${v.u32(o + 4) === 0xffffffff ? 'all' : v.u32(o + 4)}`), `LINT${v.u8(o + 8)}, flags ${hex(v.u16(o + 2))}`);
        break;
      default:
        out.set(key(`subtable type ${type}`), `${v.u8(o + 1)} bytes`);
    }
  }
}

function hpet(v: View, out: FieldMap): void {
  out.set('Event Timer Block ID', hex(v.u32(36)));
  out.set('Base address', gas(v, 40));
  out.set('HPET number', String(v.u8(52)));
  out.set('Minimum clock tick', String(v.u16(53)));
  out.set('Page protection', hex(v.u8(55)));
}

/** FADT fields by offset (ACPI 6.4 Table 5.9); pointer fields (FACS, DSDT) are left to the linker. */
const FADT_FIELDS: readonly (readonly [string, number, 1 | 2 | 4 | 'gas'])[] = [
  ['Preferred PM profile', 45, 1],
  ['SCI interrupt', 46, 2],
  ['SMI command port', 48, 4],
  ['ACPI enable value', 52, 1],
  ['ACPI disable value', 53, 1],
  ['PM1a event block', 56, 4],
  ['PM1a control block', 64, 4],
  ['PM timer block', 76, 4],
  ['GPE0 block', 80, 4],
  ['PM1 event length', 88, 1],
  ['PM1 control length', 89, 1],
  ['PM timer length', 91, 1],
  ['GPE0 block length', 92, 1],
  ['C2 latency', 96, 2],
  ['C3 latency', 98, 2],
  ['RTC century index', 108, 1],
  ['IA-PC boot flags', 109, 2],
  ['Flags', 112, 4],
  ['Reset register', 116, 'gas'],
  ['Reset value', 128, 1],
  ['Minor version', 131, 1],
  ['X PM1a event block', 148, 'gas'],
  ['X PM1a control block', 172, 'gas'],
  ['X PM timer block', 208, 'gas'],
  ['X GPE0 block', 220, 'gas'],
];

function fadt(v: View, out: FieldMap): void {
  for (const [name, o, size] of FADT_FIELDS) {
    if (size === 'gas') {
      if (v.has(o, 12)) out.set(name, gas(v, o));
      continue;
    }
    if (!v.has(o, size)) continue;
    out.set(name, hex(size === 1 ? v.u8(o) : size === 2 ? v.u16(o) : v.u32(o)));
  }
}

function srat(v: View, out: FieldMap): void {
  for (let o = 48; v.has(o, 2) && v.u8(o + 1) >= 2; o += v.u8(o + 1)) {
    const type = v.u8(o);
    const enabled = (f: number) => (f & 1 ? 'enabled' : 'disabled');
    if (type === 0) {
      const domain = v.u8(o + 2) | (v.u8(o + 9) << 8) | (v.u8(o + 10) << 16) | (v.u8(o + 11) << 24);
      out.set(`CPU APIC ID ${v.u8(o + 3)}`, `node ${domain}, ${enabled(v.u32(o + 4))}`);
    } else if (type === 1) {
      const flags = v.u32(o + 28);
      const size = v.u64(o + 16);
      const extra = [flags & 2 ? 'hot-pluggable' : '', flags & 4 ? 'non-volatile' : ''].filter(Boolean);
      out.set(`memory at ${hex(v.u64(o + 8))}`, `node ${v.u32(o + 2)}, ${hex(size)} bytes, ${enabled(flags)}${extra.length ? `, ${extra.join(', ')}` : ''}`);
    } else if (type === 2) {
      out.set(`CPU x2APIC ID ${v.u32(o + 8)}`, `node ${v.u32(o + 4)}, ${enabled(v.u32(o + 12))}`);
    } else {
      out.set(`subtable type ${type} at ${o}`, `${v.u8(o + 1)} bytes`);
    }
  }
}

function rootTable(v: View, out: FieldMap, entrySize: 4 | 8): void {
  out.set('Entries', String(Math.max(0, Math.floor((v.length - 36) / entrySize))));
}

/** The fields after the common header, per table signature. */
const BODIES: Readonly<Record<string, (v: View, out: FieldMap) => void>> = {
  MCFG: mcfg,
  APIC: madt,
  HPET: hpet,
  FACP: fadt,
  SRAT: srat,
  WAET: (v, out) => out.set('Emulated device flags', hex(v.u32(36))),
  RSDT: (v, out) => rootTable(v, out, 4),
  XSDT: (v, out) => rootTable(v, out, 8),
};

/** The named fields of a table, or undefined for tables compared as bytes (FACS and unknown ones). */
export function tableFields(signature: string, bytes: Uint8Array): FieldMap | undefined {
  const body = Object.hasOwn(BODIES, signature) ? BODIES[signature] : undefined;
  if (!body) return undefined;
  const v = new View(bytes);
  const out: FieldMap = new Map();
  header(v, out);
  body(v, out);
  return out;
}
