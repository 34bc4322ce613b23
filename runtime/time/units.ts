/**
 * Conversions between guest nanoseconds and device clock ticks, exact for
 * any time a machine can reach (QEMU's muldiv64: floor(a * b / c) without
 * losing bits when a * b passes 2^53).
 */

export const NS_PER_SECOND = 1_000_000_000;

/** floor(a * b / c) for non-negative integers. */
export function muldiv(a: number, b: number, c: number): number {
  const p = a * b;
  if (p < Number.MAX_SAFE_INTEGER) return Math.floor(p / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Whole ticks of a `hz` clock in `ns` nanoseconds. */
export function ticksIn(ns: number, hz: number): number {
  return muldiv(Math.max(0, ns), hz, NS_PER_SECOND);
}

/** Nanoseconds (rounded down) that `ticks` ticks of a `hz` clock take. */
export function nsFor(ticks: number, hz: number): number {
  return muldiv(ticks, NS_PER_SECOND, hz);
}
