/**
 * Random numbers for the sequence generator (seeded, reproducible) and the xorshift32 the
 * driver fills the scratch area with (random/driver.s), mirrored here.
 */

/** splitmix32: a well-mixed 32-bit hash of a seed and an index, so sequence i stands alone. */
export function mix(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(index >>> 0, 0x85ebca6b) + 0x6d2b79f5) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** sfc32, seeded from one 32-bit number. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 0x1_0000_0000) * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** One of `items`, chosen with the given weights. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let r = (this.u32() / 0x1_0000_0000) * total;
    for (const [w, v] of items) {
      if (r < w) return v;
      r -= w;
    }
    return items[items.length - 1]![1];
  }

  /** A value of `bits` bits, biased towards the edges arithmetic gets wrong. */
  value(bits: 8 | 16 | 32): number {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    const top = bits === 32 ? 0x80000000 : 1 << (bits - 1);
    const special = [0, 1, 2, mask, mask - 1, top, top - 1, top + 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x0f, 0x10];
    const v = this.weighted<() => number>([
      [5, () => this.u32()],
      [3, () => this.pick(special)],
      [1, () => this.int(0, 40)],
      [1, () => (this.u32() & 0xf0f0f0f0) >>> 0],
    ])();
    return (v & mask) >>> 0;
  }
}

/** The driver's xorshift32: the scratch area's initial dwords from a memory seed. */
export function scratchFill(seed: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  let x = seed >>> 0;
  for (let i = 0; i + 4 <= bytes; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    view.setUint32(i, x, true);
  }
  return out;
}
