/**
 * The x86 port IO space: 64 KiB of ports, dispatched through a table with
 * one entry per port (an index into the registered ranges), so a lookup is
 * one array read. Like QEMU's x86 IO path, an access goes whole to the range
 * that owns its first port, with the offset from that range's start (an
 * `outl` to 0xcf8 reaches CONFIG_ADDRESS even though 0xcf9 belongs to the
 * reset control register). Overlapping ranges: the higher priority, then
 * the later registration, owns a port. Unclaimed reads return all ones;
 * unclaimed writes are dropped. Ports wrap at 0x10000.
 */
import { allOnes, type RegionHandler, type Width } from './types.js';

export interface IoRange {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly priority: number;
  readonly handler: RegionHandler;
}

export const IO_SPACE_SIZE = 0x1_0000;

export class PortIoSpace {
  /** Owner of each port: index into `ranges` plus one; 0 = nobody. */
  private readonly owner = new Uint16Array(IO_SPACE_SIZE);
  private readonly ranges: (IoRange | undefined)[] = [];
  private readonly seq = new Map<IoRange, number>();
  private nextSeq = 0;

  map(name: string, base: number, size: number, handler: RegionHandler, priority = 0): IoRange {
    const range: IoRange = { name, base: base & 0xffff, size: Math.min(size, IO_SPACE_SIZE), priority, handler };
    let slot = this.ranges.indexOf(undefined);
    if (slot < 0) {
      slot = this.ranges.length;
      this.ranges.push(range);
    } else this.ranges[slot] = range;
    if (slot + 1 > 0xffff) throw new RangeError('too many IO ranges');
    this.seq.set(range, this.nextSeq++);
    for (let i = 0; i < range.size; i++) {
      const port = (range.base + i) & 0xffff;
      const cur = this.owner[port]! ? this.ranges[this.owner[port]! - 1]! : undefined;
      if (!cur || this.wins(range, cur)) this.owner[port] = slot + 1;
    }
    return range;
  }

  unmap(range: IoRange): void {
    const slot = this.ranges.indexOf(range);
    if (slot < 0) return;
    this.ranges[slot] = undefined;
    this.seq.delete(range);
    for (let i = 0; i < range.size; i++) {
      const port = (range.base + i) & 0xffff;
      if (this.owner[port] !== slot + 1) continue;
      // The next best range that covers the port, if any.
      let best = 0;
      for (let r = 0; r < this.ranges.length; r++) {
        const c = this.ranges[r];
        if (!c || !covers(c, port)) continue;
        if (best === 0 || this.wins(c, this.ranges[best - 1]!)) best = r + 1;
      }
      this.owner[port] = best;
    }
  }

  /** The range that owns a port, if any. */
  find(port: number): IoRange | undefined {
    const o = this.owner[port & 0xffff]!;
    return o ? this.ranges[o - 1] : undefined;
  }

  list(): readonly IoRange[] {
    return this.ranges.filter((r): r is IoRange => r !== undefined).sort((a, b) => a.base - b.base || a.name.localeCompare(b.name));
  }

  read(port: number, width: Width): number {
    const p = port & 0xffff;
    const o = this.owner[p]!;
    if (o === 0) return allOnes(width);
    const r = this.ranges[o - 1]!;
    return r.handler.read((p - r.base) & 0xffff, width) >>> 0;
  }

  write(port: number, width: Width, value: number): void {
    const p = port & 0xffff;
    const o = this.owner[p]!;
    if (o === 0) return;
    const r = this.ranges[o - 1]!;
    r.handler.write((p - r.base) & 0xffff, width, value >>> 0);
  }

  private wins(a: IoRange, b: IoRange): boolean {
    return a.priority > b.priority || (a.priority === b.priority && this.seq.get(a)! > this.seq.get(b)!);
  }
}

function covers(r: IoRange, port: number): boolean {
  return ((port - r.base) & 0xffff) < r.size;
}
