/**
 * fw_cfg `etc/e820` (QEMU hw/i386/e820_memory_layout.c): the memory map QEMU
 * hands the firmware, as packed little-endian records
 *   u64 address, u64 length, u32 type        (20 bytes, no padding)
 * in insertion order. Types are the ACPI address range types (ACPI 6.4
 * §15.1, Table 15.1): 1 memory, 2 reserved, 3 ACPI reclaim, 4 ACPI NVS,
 * 5 unusable.
 */
import type { E820Entry, E820Type } from '../../model/topology.js';

export const E820_RECORD_SIZE = 20;

export const E820_TYPE_CODE: Record<E820Type, number> = { ram: 1, reserved: 2, acpi: 3, nvs: 4, unusable: 5 };

const TYPE_NAME: Record<E820Type, string> = { ram: 'usable', reserved: 'reserved', acpi: 'ACPI data', nvs: 'ACPI NVS', unusable: 'unusable' };

export function encodeE820(entries: readonly E820Entry[]): Uint8Array {
  const out = new Uint8Array(entries.length * E820_RECORD_SIZE);
  const v = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const at = i * E820_RECORD_SIZE;
    v.setBigUint64(at, BigInt(e.base), true);
    v.setBigUint64(at + 8, BigInt(e.size), true);
    v.setUint32(at + 16, E820_TYPE_CODE[e.type], true);
  });
  return out;
}

export function decodeE820(bytes: Uint8Array): { base: number; size: number; type: number }[] {
  if (bytes.length % E820_RECORD_SIZE !== 0) throw new Error(`e820 size ${bytes.length} is not a multiple of ${E820_RECORD_SIZE}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { base: number; size: number; type: number }[] = [];
  for (let at = 0; at < bytes.length; at += E820_RECORD_SIZE) {
    out.push({ base: Number(v.getBigUint64(at, true)), size: Number(v.getBigUint64(at + 8, true)), type: v.getUint32(at + 16, true) });
  }
  return out;
}

/**
 * The map as the OS sees it, in the kernel's "BIOS-e820: [mem 0x...-0x...] usable"
 * layout (inclusive ends), with what each range is.
 */
export function e820Listing(entries: readonly E820Entry[]): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(16, '0')}`;
  const lines = entries.map((e) => `BIOS-e820: [mem ${hex(e.base)}-${hex(e.base + e.size - 1)}] ${TYPE_NAME[e.type].padEnd(9)}  ${e.what}`);
  return `${lines.join('\n')}\n`;
}
