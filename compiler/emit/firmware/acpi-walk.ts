/**
 * Walks ACPI tables in (simulated) guest memory the way an OS does: RSDP ->
 * RSDT/XSDT -> every table, FADT -> FACS and DSDT, checking every checksum
 * and that every pointer lands on a table with the expected signature
 * (ACPI 6.4 §5.2.5 RSDP, §5.2.7 RSDT, §5.2.8 XSDT, §5.2.9 FADT, §5.2.10 FACS).
 */
import type { LoadedFile } from './seabios-loader.js';
import { byteSum } from './seabios-loader.js';

export interface FoundTable {
  readonly signature: string;
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Who points at it: 'RSDP', 'RSDT[2]', 'FACP.DSDT', ... */
  readonly via: string;
}

export interface AcpiWalk {
  readonly rsdpAddress: number | undefined;
  readonly tables: readonly FoundTable[];
  readonly errors: readonly string[];
}

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

class Memory {
  constructor(private readonly files: readonly LoadedFile[]) {}

  read(address: number, length: number): Uint8Array | undefined {
    for (const f of this.files) {
      if (address >= f.address && address + length <= f.address + f.data.length) {
        const at = address - f.address;
        return f.data.subarray(at, at + length);
      }
    }
    return undefined;
  }
}

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
const u64 = (b: Uint8Array, at: number) => Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at, true));

export function walkAcpi(files: Iterable<LoadedFile>): AcpiWalk {
  const list = [...files];
  const mem = new Memory(list);
  const errors: string[] = [];
  const tables: FoundTable[] = [];
  const hex = (n: number) => `0x${n.toString(16)}`;

  // The RSDP: a loaded file that starts with the signature (firmware copies it to the F-segment).
  const rsdpFile = list.find((f) => f.data.length >= 20 && ascii(f.data.subarray(0, 8)) === 'RSD PTR ');
  if (!rsdpFile) return { rsdpAddress: undefined, tables, errors: ['no RSDP ("RSD PTR ") in the loaded files'] };
  const rsdp = rsdpFile.data;
  if (byteSum(rsdp.subarray(0, 20)) !== 0) errors.push('RSDP: checksum over the first 20 bytes is not zero');
  const revision = rsdp[15]!;
  if (revision >= 2) {
    const len = u32(rsdp, 20);
    if (len > rsdp.length || byteSum(rsdp.subarray(0, len)) !== 0) errors.push('RSDP: extended checksum is not zero');
  }

  const seen = new Map<number, FoundTable>();
  const visit = (address: number, via: string, expect?: string): FoundTable | undefined => {
    const known = seen.get(address);
    if (known) {
      if (expect && known.signature !== expect) errors.push(`${via} -> ${hex(address)} is ${known.signature}, expected ${expect}`);
      return known;
    }
    const head = mem.read(address, 8);
    if (!head) {
      errors.push(`${via} -> ${hex(address)} points outside the loaded tables`);
      return undefined;
    }
    const signature = ascii(head.subarray(0, 4));
    const length = u32(head, 4);
    const bytes = mem.read(address, length);
    if (!bytes || length < (signature === 'FACS' ? 64 : 36)) {
      errors.push(`${via} -> ${hex(address)} (${JSON.stringify(signature)}) has a bad length ${length}`);
      return undefined;
    }
    if (expect && signature !== expect) errors.push(`${via} -> ${hex(address)} is ${JSON.stringify(signature)}, expected ${expect}`);
    if (signature !== 'FACS' && byteSum(bytes) !== 0) errors.push(`${signature} at ${hex(address)}: checksum does not sum to zero`);
    const t: FoundTable = { signature, address, bytes, via };
    seen.set(address, t);
    tables.push(t);
    return t;
  };

  const roots: FoundTable[] = [];
  const rsdt = u32(rsdp, 16);
  if (rsdt !== 0) {
    const t = visit(rsdt, 'RSDP.RsdtAddress', 'RSDT');
    if (t) roots.push(t);
  }
  if (revision >= 2 && rsdp.length >= 32) {
    const xsdt = u64(rsdp, 24);
    if (xsdt !== 0) {
      const t = visit(xsdt, 'RSDP.XsdtAddress', 'XSDT');
      if (t) roots.push(t);
    }
  }
  if (roots.length === 0) errors.push('RSDP points to neither an RSDT nor an XSDT');
  for (const root of roots) {
    const width = root.signature === 'XSDT' ? 8 : 4;
    for (let at = 36, i = 0; at + width <= root.bytes.length; at += width, i++) {
      const address = width === 8 ? u64(root.bytes, at) : u32(root.bytes, at);
      const t = visit(address, `${root.signature}[${i}]`);
      if (t?.signature === 'FACP') visitFadt(t);
    }
  }

  function visitFadt(f: FoundTable): void {
    const b = f.bytes;
    const facs = u32(b, 36);
    const dsdt = u32(b, 40);
    const xFacs = b.length >= 140 ? u64(b, 132) : 0;
    const xDsdt = b.length >= 148 ? u64(b, 140) : 0;
    if (facs) visit(facs, 'FACP.FIRMWARE_CTRL', 'FACS');
    if (xFacs) visit(xFacs, 'FACP.X_FIRMWARE_CTRL', 'FACS');
    if (!facs && !xFacs) errors.push('FACP: no FACS pointer');
    if (dsdt) visit(dsdt, 'FACP.DSDT', 'DSDT');
    if (xDsdt) visit(xDsdt, 'FACP.X_DSDT', 'DSDT');
    if (!dsdt && !xDsdt) errors.push('FACP: no DSDT pointer');
    if (dsdt && xDsdt && dsdt !== xDsdt) errors.push(`FACP: DSDT ${hex(dsdt)} and X_DSDT ${hex(xDsdt)} differ`);
  }

  return { rsdpAddress: rsdpFile.address, tables, errors };
}
