/** Formatting values back into the value language. */

const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ['PiB', 2 ** 50],
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/** A byte count in the largest binary unit that divides it exactly: 536870912 -> '512 MiB', 100 -> '100 B'. */
export function formatSize(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes === 0) return `${bytes} B`;
  for (const [unit, size] of SIZE_UNITS) {
    // Exact in floating point: integers and powers of two.
    if (bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} B`;
}

/** '0xfebf0000', zero-padded to `width` hex digits. Exact for any integer up to 2^53 (no 32-bit bit operations). */
export function formatHex(n: number, width = 0): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}0x${Math.abs(n).toString(16).padStart(width, '0')}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** '00:1c.2' */
export function formatBdf(bus: number, device: number, fn: number): string {
  return `${hex2(bus)}:${hex2(device)}.${fn.toString(16)}`;
}

/** '52:54:00:12:34:56' */
export function formatMac(bytes: number[]): string {
  return bytes.map(hex2).join(':');
}
