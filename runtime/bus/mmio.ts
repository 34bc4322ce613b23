/**
 * Memory-mapped IO dispatch. Regions (BARs, ECAM, chipset blocks) come and
 * go as firmware moves them; they may overlap, in which case the higher
 * priority wins and, among equals, the one registered last (what a guest
 * that misprograms two BARs onto each other sees on QEMU too).
 *
 * Registration flattens the regions into sorted, non-overlapping segments
 * (the way QEMU builds a FlatView); a lookup is a binary search over the
 * segment starts, with the last hit cached for the common case of
 * back-to-back accesses to one device. Accesses may be 1, 2, 4 or 8 bytes
 * at any address: 8-byte accesses become two 4-byte ones, and an access
 * that runs past the end of its segment is split into bytes. Unclaimed
 * reads return 0 and unclaimed writes are dropped, as QEMU's unassigned
 * memory does (a PCI master abort would read all ones; firmware on QEMU
 * never sees that).
 */
import { split, type RegionHandler, type Width } from './types.js';

export interface MmioRegion {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly priority: number;
  readonly handler: RegionHandler;
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly region: MmioRegion;
}

export class MmioSpace {
  private regions: { region: MmioRegion; seq: number }[] = [];
  private seq = 0;
  private starts: number[] = [];
  private segments: Segment[] = [];
  private cache: Segment | undefined;

  /** Whether any two regions overlap (then changes rebuild the flat view). */
  private overlapping = false;
  /** Called after every map and unmap (the address space's map changed). */
  onChange: (() => void) | undefined;

  /** Adds a region; returns it as the handle for removal. */
  map(name: string, base: number, size: number, handler: RegionHandler, priority = 0): MmioRegion {
    const region: MmioRegion = { name, base, size, priority, handler };
    if (size <= 0) return region;
    this.regions.push({ region, seq: this.seq++ });
    // Fast path: a region that overlaps nothing slots into the sorted segments.
    const at = this.insertionPoint(base);
    const prev = this.segments[at - 1];
    const next = this.segments[at];
    if (!this.overlapping && (!prev || prev.end <= base) && (!next || base + size <= next.start)) {
      const seg: Segment = { start: base, end: base + size, region };
      this.segments.splice(at, 0, seg);
      this.starts.splice(at, 0, base);
      this.cache = undefined;
    } else this.flatten();
    this.onChange?.();
    return region;
  }

  unmap(region: MmioRegion): void {
    const i = this.regions.findIndex((r) => r.region === region);
    if (i < 0) return;
    this.regions.splice(i, 1);
    if (!this.overlapping) {
      const at = this.insertionPoint(region.base) - 1;
      const seg = this.segments[at];
      if (seg && seg.region === region && seg.start === region.base && seg.end === region.base + region.size) {
        this.segments.splice(at, 1);
        this.starts.splice(at, 1);
        this.cache = undefined;
        this.onChange?.();
        return;
      }
    }
    this.flatten();
    this.onChange?.();
  }

  /** Index of the first segment starting after `addr`. */
  private insertionPoint(addr: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The regions currently mapped, lowest address first (for listings and tests). */
  list(): readonly MmioRegion[] {
    return this.regions.map((r) => r.region).sort((a, b) => a.base - b.base || a.name.localeCompare(b.name));
  }

  /**
   * What [start, end) holds in the flat view: the one region covering it
   * all (`whole`), and whether any region with priority above 0 touches it.
   */
  claims(start: number, end: number): { whole: MmioRegion | undefined; any: boolean; overlay: boolean } {
    let at = this.insertionPoint(start) - 1;
    if (at < 0 || this.segments[at]!.end <= start) at++;
    let any = false;
    let overlay = false;
    let whole: MmioRegion | undefined;
    for (let i = at; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.start >= end) break;
      any = true;
      if (seg.region.priority > 0) overlay = true;
      if (seg.start <= start && seg.end >= end) whole = seg.region;
    }
    return { whole, any, overlay };
  }

  /** Which region claims an address, if any. */
  find(addr: number): MmioRegion | undefined {
    return this.segmentAt(addr)?.region;
  }

  read(addr: number, width: Width): number {
    const s = this.segmentAt(addr);
    if (!s) return 0;
    if (addr + width > s.end) return split.readBytes(this, addr, width);
    const v = s.region.handler.read(addr - s.region.base, width);
    return width === 4 ? v >>> 0 : v & ((1 << (8 * width)) - 1);
  }

  write(addr: number, width: Width, value: number): void {
    const s = this.segmentAt(addr);
    if (!s) return;
    if (addr + width > s.end) return split.writeBytes(this, addr, width, value);
    s.region.handler.write(addr - s.region.base, width, value >>> 0);
  }

  /** An 8-byte read, as two 4-byte reads (low dword first). */
  read64(addr: number): bigint {
    return split.read64(this, addr);
  }

  write64(addr: number, value: bigint): void {
    split.write64(this, addr, value);
  }

  private segmentAt(addr: number): Segment | undefined {
    const c = this.cache;
    if (c && addr >= c.start && addr < c.end) return c;
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= addr) lo = mid + 1;
      else hi = mid - 1;
    }
    const s = hi >= 0 ? this.segments[hi] : undefined;
    if (s && addr < s.end) {
      this.cache = s;
      return s;
    }
    return undefined;
  }

  /** Rebuilds the non-overlapping segment list from the regions by priority. */
  private flatten(): void {
    this.cache = undefined;
    const byBase = [...this.regions].sort((a, b) => a.region.base - b.region.base);
    let overlap = false;
    for (let i = 1; i < byBase.length && !overlap; i++) {
      const p = byBase[i - 1]!.region;
      if (byBase[i]!.region.base < p.base + p.size) overlap = true;
    }
    this.overlapping = overlap;
    if (!overlap) {
      this.segments = byBase.map(({ region }) => ({ start: region.base, end: region.base + region.size, region }));
      this.starts = this.segments.map((x) => x.start);
      return;
    }
    const points = new Set<number>();
    for (const { region } of this.regions) {
      points.add(region.base);
      points.add(region.base + region.size);
    }
    const sorted = [...points].sort((a, b) => a - b);
    // Highest priority, then latest registration, first.
    const ranked = [...this.regions].sort((a, b) => b.region.priority - a.region.priority || b.seq - a.seq);
    const segments: Segment[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
      const start = sorted[i]!;
      const end = sorted[i + 1]!;
      const top = ranked.find(({ region }) => region.base <= start && end <= region.base + region.size);
      if (!top) continue;
      const last = segments[segments.length - 1];
      if (last && last.region === top.region && last.end === start) segments[segments.length - 1] = { start: last.start, end, region: top.region };
      else segments.push({ start, end, region: top.region });
    }
    this.segments = segments;
    this.starts = segments.map((x) => x.start);
  }
}
