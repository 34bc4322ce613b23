/** Little helpers to write expected binary output as annotated rows. */

export function le(n: number | bigint, width: 1 | 2 | 4 | 8): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

export const le32 = (n: number | bigint) => le(n, 4);
export const le64 = (n: number | bigint) => le(n, 8);
export const zeros = (n: number) => new Array<number>(n).fill(0);

/** A NUL-padded fixed-size text field. */
export function text(s: string, size: number): number[] {
  const b = [...Buffer.from(s, 'latin1')];
  if (b.length > size) throw new Error(`${s} does not fit ${size} bytes`);
  return [...b, ...zeros(size - b.length)];
}

export function bytes(...rows: number[][]): Uint8Array {
  return Uint8Array.from(rows.flat());
}

/** Hex dump rows ("0040: 44 53 44 54 ...") for readable failure diffs. */
export function hexRows(b: Uint8Array, width = 16): string[] {
  const rows: string[] = [];
  for (let at = 0; at < b.length; at += width) {
    rows.push(`${at.toString(16).padStart(4, '0')}: ${[...b.subarray(at, at + width)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}`);
  }
  return rows;
}
