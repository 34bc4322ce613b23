/** A split virtqueue as a driver keeps it in guest memory (for the virtio tests). */
import type { GuestView } from './guest.js';

/** A vring in guest memory, laid out as SeaBIOS's vring_init and Linux's legacy layout do. */
export class Ring {
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  private nextDesc = 0;
  private availIdx = 0;
  lastUsed = 0;

  constructor(
    private readonly g: GuestView,
    readonly size: number,
    base?: number,
  ) {
    const bytes = Math.ceil((16 * size + 6 + 2 * size) / 4096) * 4096 + 6 + 8 * size + 2;
    this.desc = base ?? g.alloc(bytes, 4096);
    this.avail = this.desc + 16 * size;
    this.used = Math.ceil((this.avail + 6 + 2 * size) / 4096) * 4096;
  }

  /** Adds a chain of buffers (out first, then in) and publishes it; returns its head. */
  add(buffers: { address: number; length: number; write: boolean }[]): number {
    const head = this.nextDesc;
    buffers.forEach((b, i) => {
      const d = this.desc + 16 * ((head + i) % this.size);
      this.g.w64(d, b.address);
      this.g.w32(d + 8, b.length);
      const last = i === buffers.length - 1;
      this.g.w16(d + 12, (b.write ? 2 : 0) | (last ? 0 : 1));
      this.g.w16(d + 14, (head + i + 1) % this.size);
    });
    this.nextDesc = (head + buffers.length) % this.size;
    this.g.w16(this.avail + 4 + 2 * (this.availIdx % this.size), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.g.w16(this.avail + 2, this.availIdx);
    return head;
  }

  /** The used entries published since the last call. */
  takeUsed(): { id: number; len: number }[] {
    const out: { id: number; len: number }[] = [];
    const idx = this.g.r16(this.used + 2);
    while (this.lastUsed !== idx) {
      const e = this.used + 4 + 8 * (this.lastUsed % this.size);
      out.push({ id: this.g.r32(e), len: this.g.r32(e + 4) });
      this.lastUsed = (this.lastUsed + 1) & 0xffff;
    }
    return out;
  }
}

