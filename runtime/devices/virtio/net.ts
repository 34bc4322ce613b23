/**
 * The virtio network device (virtio 1.1 §5.1) with one receive and one
 * transmit queue (256 entries, as QEMU 7.2's defaults), offering MAC,
 * STATUS (link up) and MRG_RXBUF. Offloads, the control queue and multiple
 * queue pairs are not offered, so drivers checksum and segment themselves.
 * Frames go to and come from a NetPort (runtime/backends/net.ts); every
 * buffer starts with struct virtio_net_hdr (12 bytes in the modern
 * interface or with MRG_RXBUF, 10 bytes otherwise, §5.1.6).
 */
import { MAX_FRAME, MIN_FRAME, type NetPort } from '../../backends/net.js';
import type { Width } from '../../bus/types.js';
import { readChain, writeChain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

// Feature bits (§5.1.3).
export const NET_F_MAC = 5n;
export const NET_F_MRG_RXBUF = 15n;
export const NET_F_STATUS = 16n;
export const NET_S_LINK_UP = 1;
/** struct virtio_net_config offsets (§5.1.4). */
export const NET_CONFIG = { MAC: 0, STATUS: 6, MAX_VIRTQUEUE_PAIRS: 8 } as const;
const CONFIG_SIZE = 10;
export const NET_QUEUE_SIZE = 256;
export const RX_QUEUE = 0;
export const TX_QUEUE = 1;
/** Frames kept while the driver has posted no receive buffers. */
const RX_BACKLOG = 64;

export class VirtioNetDevice implements VirtioDevice {
  readonly queueCount = 2;
  readonly queueMax = NET_QUEUE_SIZE;
  readonly configSize = CONFIG_SIZE;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  /** The transport's queues and negotiated header size, set by the function. */
  queues: readonly Virtqueue[] = [];
  headerSize: () => number = () => 12;
  private port: NetPort | undefined;
  private readonly backlog: Uint8Array[] = [];
  /** Frames dropped because no receive buffer was posted in time. */
  dropped = 0;

  constructor(
    private readonly dma: QueueDma,
    private readonly mac: readonly number[],
  ) {}

  /** Connects the NIC to a network port (replacing any earlier one). */
  connect(port: NetPort): void {
    this.port = port;
    port.receive = (frame) => this.deliver(frame);
  }

  features(): bigint {
    return (1n << NET_F_MAC) | (1n << NET_F_STATUS) | (1n << NET_F_MRG_RXBUF);
  }

  configRead(offset: number, width: Width): number {
    const b = new Uint8Array(CONFIG_SIZE);
    b.set(this.mac, NET_CONFIG.MAC);
    b[NET_CONFIG.STATUS] = NET_S_LINK_UP;
    b[NET_CONFIG.MAX_VIRTQUEUE_PAIRS] = 1;
    let v = 0;
    for (let i = 0; i < width; i++) v |= (b[offset + i] ?? 0) << (8 * i);
    return v >>> 0;
  }

  configWrite(): void {
    // The MAC is read-only without VIRTIO_NET_F_CTRL_MAC_ADDR's legacy write path; nothing else is writable.
  }

  reset(): void {
    this.backlog.length = 0;
  }

  notify(q: Virtqueue): void {
    if (q.index === TX_QUEUE) this.transmit(q);
    else if (q.index === RX_QUEUE) this.drainBacklog();
  }

  private transmit(q: Virtqueue): void {
    let used = false;
    const header = this.headerSize();
    for (let chain = q.pop(); chain; chain = q.pop()) {
      const length = chain.segments.filter((s) => !s.write).reduce((n, s) => n + s.length, 0) - header;
      if (length >= MIN_FRAME && length <= MAX_FRAME) {
        const frame = new Uint8Array(length);
        if (readChain(this.dma, chain.segments, header, frame)) this.port?.send(frame);
      }
      q.push(chain.head, 0);
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** A frame from the network: into the next receive buffer, or the backlog while there is none. */
  private deliver(frame: Uint8Array): void {
    if (this.backlog.length > 0 || !this.receiveOne(frame)) {
      if (this.backlog.length < RX_BACKLOG) this.backlog.push(frame);
      else this.dropped++;
    }
  }

  private drainBacklog(): void {
    while (this.backlog.length > 0 && this.receiveOne(this.backlog[0]!)) this.backlog.shift();
  }

  private receiveOne(frame: Uint8Array): boolean {
    const q = this.queues[RX_QUEUE];
    if (!q?.ready) return false;
    const chain = q.pop();
    if (!chain) return false;
    const header = this.headerSize();
    const buf = new Uint8Array(header + frame.length);
    if (header === 12) buf[10] = 1; // num_buffers: the frame fits one buffer chain
    buf.set(frame, header);
    const written = writeChain(this.dma, chain.segments, 0, buf);
    // A buffer too small for the frame gets what fits (the driver sees a short length and drops it).
    q.push(chain.head, Math.max(0, written));
    this.onUsed(q);
    return true;
  }
}
