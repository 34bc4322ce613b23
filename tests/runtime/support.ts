/** Helpers for runtime tests: config access through the machine's own mechanisms, dumps and diffs. */
import { readFileSync } from 'node:fs';
import { PciBridge, type PciFunction, type Q35Machine } from '../../runtime/index.js';

export const ECAM_BASE = 0xb000_0000;

/** Enables ECAM at 0xb0000000 the way SeaBIOS does: PCIEXBAR through CONFIG_ADDRESS/CONFIG_DATA. */
export function enableEcam(m: Q35Machine, base = ECAM_BASE): void {
  cf8Write(m, 0, 0, 0x60, 0);
  cf8Write(m, 0, 0, 0x64, 0);
  cf8Write(m, 0, 0, 0x60, base | 1);
}

export function cf8Write(m: Q35Machine, bus: number, devfn: number, off: number, value: number): void {
  m.io.write(0xcf8, 4, (0x8000_0000 | (bus << 16) | (devfn << 8) | (off & 0xfc)) >>> 0);
  m.io.write(0xcfc, 4, value);
}

export function cf8Read(m: Q35Machine, bus: number, devfn: number, off: number): number {
  m.io.write(0xcf8, 4, (0x8000_0000 | (bus << 16) | (devfn << 8) | (off & 0xfc)) >>> 0);
  return m.io.read(0xcfc, 4);
}

export function ecamAddr(bus: number, devfn: number, off: number, base = ECAM_BASE): number {
  return base + bus * 0x10_0000 + devfn * 0x1000 + off;
}

export function ecamRead(m: Q35Machine, bus: number, devfn: number, off: number, width: 1 | 2 | 4 = 4): number {
  return m.memory.read(ecamAddr(bus, devfn, off), width);
}

export function ecamWrite(m: Q35Machine, bus: number, devfn: number, off: number, width: 1 | 2 | 4, value: number): void {
  m.memory.write(ecamAddr(bus, devfn, off), width, value);
}

/** A function's whole configuration space as read through ECAM. */
export function readConfig(m: Q35Machine, bus: number, devfn: number, size = 4096): Uint8Array {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (let off = 0; off < size; off += 4) view.setUint32(off, ecamRead(m, bus, devfn, off), true);
  return out;
}

export function bdfName(bus: number, devfn: number): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(bus, 2)}:${h(devfn >> 3, 2)}.${devfn & 7}`;
}

export function parseBdf(s: string): { bus: number; devfn: number } {
  const m = /^(?:[0-9a-f]{4}:)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(s)!;
  return { bus: parseInt(m[1]!, 16), devfn: parseInt(m[2]!, 16) * 8 + parseInt(m[3]!, 10) };
}

export function readDump(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/**
 * Dword-by-dword differences, as readable lines; bytes where `ignore` says
 * so are not compared (their values are shown as `..`).
 */
export function diffConfig(got: Uint8Array, want: Uint8Array, ignore: (off: number) => boolean = () => false): string[] {
  const out: string[] = [];
  const n = Math.min(got.length, want.length);
  for (let off = 0; off < n; off += 4) {
    let differs = false;
    for (let i = 0; i < 4; i++) if (!ignore(off + i) && got[off + i] !== want[off + i]) differs = true;
    if (!differs) continue;
    const fmt = (b: Uint8Array) => [3, 2, 1, 0].map((i) => (ignore(off + i) ? '..' : b[off + i]!.toString(16).padStart(2, '0'))).join('');
    out.push(`0x${off.toString(16).padStart(3, '0')}: runtime ${fmt(got)}, expected ${fmt(want)}`);
  }
  if (got.length !== want.length) out.push(`size: runtime ${got.length}, expected ${want.length}`);
  return out;
}

/**
 * Numbers the buses depth first (1, 2, ... in device.function order) with
 * config writes, as a firmware would; returns every function found with its
 * address, parents before children.
 */
export function numberBuses(m: Q35Machine): { bus: number; devfn: number; fn: PciFunction }[] {
  const found: { bus: number; devfn: number; fn: PciFunction }[] = [];
  let next = 0;
  const scan = (bus: number) => {
    for (let devfn = 0; devfn < 256; devfn++) {
      if (ecamRead(m, bus, devfn, 0) === 0xffff_ffff) continue;
      const fn = m.pci.lookup(bus, devfn)!;
      found.push({ bus, devfn, fn });
      if (fn instanceof PciBridge) {
        const sec = ++next;
        ecamWrite(m, bus, devfn, 0x18, 4, (bus | (sec << 8) | (0xff << 16)) >>> 0);
        scan(sec);
        ecamWrite(m, bus, devfn, 0x1a, 1, next);
      }
    }
  };
  scan(0);
  return found;
}
