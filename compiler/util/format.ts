/** Small formatting helpers shared by the passes. */

/** 'dd.f' in hex, as QEMU's addr= and lspci print it. */
export function formatSlotFn(device: number, fn: number): string {
  return `${device.toString(16).padStart(2, '0')}.${fn}`;
}

/** 'bb:dd.f' in hex. */
export function formatBdf(bus: number, device: number, fn: number): string {
  return `${bus.toString(16).padStart(2, '0')}:${formatSlotFn(device, fn)}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** A size for messages: exact when it is a whole number of a unit, else one decimal ("64.1 KiB"). */
export function humanSize(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/**
 * A whole number with its thousands grouped by commas (1,234,567), as
 * toLocaleString('en') prints it, without ICU: its first use costs some 30 ms.
 */
export function groupThousands(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 && out !== '0' ? `-${out}` : out;
}
