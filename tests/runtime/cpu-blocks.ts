/** Blocks of code decoded and run outside a CPU, for the tests of what the tiers generate. */
import { expect } from 'vitest';
import { decode, Insn } from '../../runtime/cpu/decode.js';

/** The instructions of `bytes`, decoded from offset 0 in code of `mode` bits. */
export function decodeAll(bytes: number[], mode: 32 | 64): Insn[] {
  const out: Insn[] = [];
  for (let eip = 0; eip < bytes.length; ) {
    const i = new Insn();
    expect(decode(i, (o) => bytes[o] ?? -1, eip, mode)).toBe(true);
    out.push(i);
    eip += i.len;
  }
  return out;
}

/** A stand-in for the CPU with what a block of register arithmetic reads and writes. */
export function blockCpu() {
  return { r: new Int32Array(16), rh: new Int32Array(16), cc: new Int32Array(6), eip: 0, icRel: 0, runLim: 1_000, pendingCheck: false };
}
