/**
 * Robustness: no configuration, MMIO or port IO access of any width at any
 * address may throw out of the runtime, and every read returns a value of
 * its width. For every example machine: the generated module is booted
 * (firmware and VFs, so BARs and windows are live), then a seeded stream of
 * 1,000,000 random accesses runs against it: config cycles through ECAM
 * (1/2/4/8 bytes, any offset, existing and absent functions) and through
 * CONFIG_ADDRESS/CONFIG_DATA, MMIO reads and writes at mapped regions and
 * anywhere in the 52-bit space, port IO anywhere, and a few system resets.
 * Random config writes move BARs, windows, bus numbers, ECAM itself, slot
 * power and VF enables, so the stream also exercises remapping.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import type { Q35Machine } from '../../runtime/index.js';
import { exampleMachines, loadGenerated, resolveMachine } from '../codegen/support.js';

const ACCESSES = 1_000_000;

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WIDTHS = [1, 2, 4] as const;

function fuzz(m: Q35Machine, seed: number, count: number): { reads: number; writes: number } {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const u32 = () => (int(0x1_0000) * 0x1_0000 + int(0x1_0000)) >>> 0;
  // Values biased toward what moves things: all ones, zeros, small numbers, random.
  const value = () => pick([0, 0xffff_ffff, int(256), u32(), u32(), 0x8000_0000 | u32()]) >>> 0;
  let rids = m.pci.allFunctions().map((f) => f.rid);
  let regions = m.memory.mmio.list();
  let ports = m.io.list();
  let reads = 0;
  let writes = 0;
  const check = (v: number, width: number, what: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 2 ** (8 * width) - 1) throw new Error(`${what} returned ${v} for a ${width}-byte read (seed ${seed})`);
  };
  for (let i = 0; i < count; i++) {
    if (i % 50_000 === 0) {
      rids = m.pci.allFunctions().map((f) => f.rid);
      regions = m.memory.mmio.list();
      ports = m.io.list();
    }
    const op = rnd();
    const write = rnd() < 0.35;
    if (op < 0.4) {
      // ECAM, wherever PCIEXBAR currently puts it (or the default window).
      const w = m.pci.ecamWindow ?? { base: 0xb000_0000, size: 0x1000_0000 };
      const rid = rnd() < 0.8 ? pick(rids) : int(0x1_0000);
      const offset = rnd() < 0.5 ? int(0x100) : int(0x1000);
      const addr = w.base + ((rid * 0x1000 + offset) % w.size);
      if (rnd() < 0.05) {
        if (write) m.memory.write64(addr, BigInt(value()) * 0x1_0000_0001n);
        else if (m.memory.read64(addr) > 0xffff_ffff_ffff_ffffn) throw new Error('64-bit read out of range');
      } else {
        const width = pick(WIDTHS);
        if (write) m.memory.write(addr, width, value());
        else check(m.memory.read(addr, width), width, `ECAM ${addr.toString(16)}`);
      }
    } else if (op < 0.55) {
      // CONFIG_ADDRESS / CONFIG_DATA.
      const rid = rnd() < 0.8 ? pick(rids) : int(0x1_0000);
      m.io.write(0xcf8, rnd() < 0.9 ? 4 : pick(WIDTHS), (0x8000_0000 | (rid << 8) | int(0x100)) >>> 0);
      const width = pick(WIDTHS);
      const port = 0xcfc + int(4);
      if (write) m.io.write(port, width, value());
      else check(m.io.read(port, width), width, `CFC ${port.toString(16)}`);
    } else if (op < 0.8) {
      // MMIO: inside a mapped region, or anywhere.
      let addr: number;
      if (rnd() < 0.7 && regions.length) {
        const r = pick(regions);
        addr = r.base + int(Math.min(r.size, 0x10_0000) + 8) - 4;
      } else addr = rnd() < 0.5 ? 0xc000_0000 + int(0x4000_0000) : int(2 ** 52);
      if (rnd() < 0.05) {
        if (write) m.memory.write64(addr, BigInt(value()));
        else m.memory.read64(addr);
      } else {
        const width = pick(WIDTHS);
        if (write) m.memory.write(addr, width, value());
        else check(m.memory.read(addr, width), width, `MMIO ${addr.toString(16)}`);
      }
    } else if (op < 0.97) {
      const port = rnd() < 0.7 && ports.length ? (() => {
        const r = pick(ports);
        return r.base + int(r.size + 4) - 2;
      })() : int(0x1_0000);
      const width = pick(WIDTHS);
      if (write) m.io.write(port, width, value());
      else check(m.io.read(port, width), width, `IO ${port.toString(16)}`);
    } else if (op < 0.99999) {
      // RAM and the legacy window below 1 MiB (writes kept to the first 16 MiB).
      const addr = write ? int(0x100_0000) : int(m.ram.size);
      const width = pick(WIDTHS);
      if (write) m.memory.write(addr, width, value());
      else check(m.memory.read(addr, width), width, `RAM ${addr.toString(16)}`);
    } else {
      m.reset();
    }
    if (write) writes++;
    else reads++;
  }
  return { reads, writes };
}

describe('a million random accesses never throw', () => {
  for (const path of exampleMachines()) {
    it(basename(path), async () => {
      const resolved = resolveMachine(path);
      const boot = bootGuest(resolved, await loadGenerated(resolved));
      const seed = [...basename(path)].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
      const { reads, writes } = fuzz(boot.machine, seed, ACCESSES);
      expect(reads + writes).toBe(ACCESSES);
      // The machine still answers: a reset brings the host bridge back at 00:00.0 through CF8/CFC.
      boot.machine.reset();
      boot.machine.io.write(0xcf8, 4, 0x8000_0000);
      expect(boot.machine.io.read(0xcfc, 4)).toBe(0x29c0_8086);
    }, 240_000);
  }
});
