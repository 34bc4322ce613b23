/**
 * A split virtqueue (virtio 1.1 §2.6) read and written through the
 * function's bus-master DMA: the descriptor table, the driver area (avail
 * ring) and the device area (used ring), with indirect descriptors
 * (§2.6.5.3) and event-index interrupt suppression (§2.6.7, §2.6.8).
 *
 * Whatever the guest writes, popping a chain never throws and never loops:
 * a chain longer than the queue, a next index out of range, a nested
 * indirect table or one of bad size, or a ring the device cannot read makes
 * the queue "broken" (the device stops using it until reset, as QEMU's
 * virtio_error marks the device broken), and the caller sets
 * DEVICE_NEEDS_RESET.
 */

export const VRING_DESC_F_NEXT = 1;
export const VRING_DESC_F_WRITE = 2;
export const VRING_DESC_F_INDIRECT = 4;
export const VRING_AVAIL_F_NO_INTERRUPT = 1;
const DESC_SIZE = 16;

export interface QueueDma {
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, data: Uint8Array): boolean;
}

/** One buffer of a chain: guest address and length, device-writable or not. */
export interface Segment {
  readonly address: number;
  readonly length: number;
  readonly write: boolean;
}

/** A popped descriptor chain: its head index and its segments in order. */
export interface Chain {
  readonly head: number;
  readonly segments: readonly Segment[];
}

export class Virtqueue {
  /** Queue size the driver uses (power of two up to `max`). */
  size: number;
  desc = 0;
  avail = 0;
  used = 0;
  enabled = false;
  /** MSI-X vector (0xffff: none). */
  vector = 0xffff;
  /** The next avail index the device will read. */
  lastAvail = 0;
  /** The used index the device last published. */
  usedIdx = 0;
  /** The chain or rings were malformed; the queue is not used again until reset. */
  broken = false;
  /** VIRTIO_RING_F_EVENT_IDX negotiated. */
  eventIdx = false;
  private signalledUsed = 0;
  private signalledValid = false;

  constructor(
    private readonly dma: QueueDma,
    readonly index: number,
    readonly max: number,
  ) {
    this.size = max;
  }

  reset(): void {
    this.size = this.max;
    this.desc = this.avail = this.used = 0;
    this.enabled = false;
    this.vector = 0xffff;
    this.lastAvail = this.usedIdx = 0;
    this.broken = false;
    this.eventIdx = false;
    this.signalledValid = false;
  }

  /** Whether the queue can be used: enabled, addresses set, a valid size. */
  get ready(): boolean {
    return this.enabled && !this.broken && this.size > 0 && (this.size & (this.size - 1)) === 0 && this.desc !== 0;
  }

  private read16(address: number): number | undefined {
    const b = new Uint8Array(2);
    return this.dma.dmaRead(address, b) ? b[0]! | (b[1]! << 8) : undefined;
  }

  private write16(address: number, value: number): boolean {
    return this.dma.dmaWrite(address, new Uint8Array([value & 0xff, (value >> 8) & 0xff]));
  }

  /** The next available chain, or undefined (nothing available, or the queue broke). */
  pop(): Chain | undefined {
    if (!this.ready) return undefined;
    const availIdx = this.read16(this.avail + 2);
    if (availIdx === undefined) return this.fail();
    const pending = (availIdx - this.lastAvail) & 0xffff;
    if (pending === 0) return undefined;
    if (pending > this.size) return this.fail();
    const head = this.read16(this.avail + 4 + 2 * (this.lastAvail % this.size));
    if (head === undefined || head >= this.size) return this.fail();
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (this.eventIdx) this.write16(this.used + 4 + 8 * this.size, this.lastAvail); // avail_event
    const segments = this.walk(head);
    return segments ? { head, segments } : this.fail();
  }

  /** Follows a chain from `head` (through at most one indirect table). */
  private walk(head: number): Segment[] | undefined {
    const out: Segment[] = [];
    const d = new Uint8Array(DESC_SIZE);
    const v = new DataView(d.buffer);
    let table = this.desc;
    let count = this.size;
    let index = head;
    let indirect = false;
    for (let steps = 0; ; steps++) {
      if (steps >= count || index >= count) return undefined;
      if (!this.dma.dmaRead(table + index * DESC_SIZE, d)) return undefined;
      const address = v.getUint32(4, true) * 2 ** 32 + v.getUint32(0, true);
      const length = v.getUint32(8, true);
      const flags = v.getUint16(12, true);
      const next = v.getUint16(14, true);
      if (flags & VRING_DESC_F_INDIRECT) {
        // An indirect table replaces the chain; one inside another, or with NEXT, is invalid (§2.6.5.3.1).
        if (indirect || flags & VRING_DESC_F_NEXT || length === 0 || length % DESC_SIZE !== 0) return undefined;
        indirect = true;
        table = address;
        count = length / DESC_SIZE;
        index = 0;
        steps = -1;
        continue;
      }
      out.push({ address, length, write: (flags & VRING_DESC_F_WRITE) !== 0 });
      if (!(flags & VRING_DESC_F_NEXT)) return out;
      index = next;
    }
  }

  /** Returns a chain to the driver with `written` bytes written into it. */
  push(head: number, written: number): void {
    if (this.broken) return;
    const slot = this.used + 4 + 8 * (this.usedIdx % this.size);
    const e = new Uint8Array(8);
    const v = new DataView(e.buffer);
    v.setUint32(0, head, true);
    v.setUint32(4, written >>> 0, true);
    if (!this.dma.dmaWrite(slot, e)) {
      this.fail();
      return;
    }
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    if (!this.write16(this.used + 2, this.usedIdx)) this.fail();
  }

  /**
   * Whether the driver wants an interrupt for what was pushed since the last
   * one (virtio 1.1 §2.6.7.2: used_event with EVENT_IDX, else the avail flags).
   */
  shouldInterrupt(): boolean {
    if (this.broken) return false;
    if (this.eventIdx) {
      const usedEvent = this.read16(this.avail + 4 + 2 * this.size);
      const old = this.signalledUsed;
      const valid = this.signalledValid;
      this.signalledUsed = this.usedIdx;
      this.signalledValid = true;
      if (usedEvent === undefined || !valid) return true;
      // vring_need_event: the driver's event index lies in (old, new].
      return ((this.usedIdx - usedEvent - 1) & 0xffff) < ((this.usedIdx - old) & 0xffff);
    }
    const flags = this.read16(this.avail);
    return flags === undefined || !(flags & VRING_AVAIL_F_NO_INTERRUPT);
  }

  private fail(): undefined {
    this.broken = true;
    return undefined;
  }
}

/** Reads a chain's device-readable bytes from `offset` (in chain order) into `into`; false when DMA failed. */
export function readChain(dma: QueueDma, segments: readonly Segment[], offset: number, into: Uint8Array): boolean {
  let skip = offset;
  let at = 0;
  for (const s of segments) {
    if (s.write || at >= into.length) continue;
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    const n = Math.min(s.length - skip, into.length - at);
    if (!dma.dmaRead(s.address + skip, into.subarray(at, at + n))) return false;
    at += n;
    skip = 0;
  }
  return at === into.length;
}

/** Writes `data` into a chain's device-writable segments from `offset`; the bytes written, -1 when DMA failed. */
export function writeChain(dma: QueueDma, segments: readonly Segment[], offset: number, data: Uint8Array): number {
  let skip = offset;
  let at = 0;
  for (const s of segments) {
    if (!s.write || at >= data.length) continue;
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    const n = Math.min(s.length - skip, data.length - at);
    if (!dma.dmaWrite(s.address + skip, data.subarray(at, at + n))) return -1;
    at += n;
    skip = 0;
  }
  return at;
}

/** The total length of a chain's device-writable (`write`) or device-readable segments. */
export function chainBytes(segments: readonly Segment[], write: boolean): number {
  let n = 0;
  for (const s of segments) if (s.write === write) n += s.length;
  return n;
}
