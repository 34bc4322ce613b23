/**
 * The virtio entropy device (virtio 1.1 §5.4) as QEMU 7.2's virtio-rng
 * offers it: no feature bits, no configuration, one request queue of 8
 * entries. Every device-writable buffer the driver makes available is
 * filled from the entropy source and returned at once (QEMU's default rate
 * limit is unlimited). The source defaults to the host's cryptographic
 * generator; tests and reproducible runs pass their own.
 */
import type { Width } from '../../bus/types.js';
import { chainBytes, writeChain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

/** QEMU 7.2's virtio-rng queue size. */
const RNG_QUEUE_SIZE = 8;
/** Most bytes one request is given (the rest of a larger buffer stays unwritten, as the spec allows). */
const MAX_REQUEST_BYTES = 64 * 1024;

/** Fills `into` with entropy. */
export type EntropySource = (into: Uint8Array) => void;

/** The host's generator (Web Crypto, in Node.js and browsers), 64 KiB per call at most. */
export const hostEntropy: EntropySource = (into) => {
  for (let at = 0; at < into.length; at += 65536) globalThis.crypto.getRandomValues(into.subarray(at, Math.min(into.length, at + 65536)));
};

export class VirtioRngDevice implements VirtioDevice {
  readonly queueCount = 1;
  readonly queueMax = RNG_QUEUE_SIZE;
  readonly configSize = 0;
  /** Called when the queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  /** Bytes of entropy handed to the guest so far. */
  delivered = 0;

  constructor(
    private readonly dma: QueueDma,
    private readonly entropy: EntropySource = hostEntropy,
  ) {}

  features(): bigint {
    return 0n;
  }

  configRead(): number {
    return 0;
  }

  configWrite(_offset: number, _width: Width, _value: number): void {}

  reset(): void {}

  notify(q: Virtqueue): void {
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      const data = new Uint8Array(Math.min(chainBytes(chain.segments, true), MAX_REQUEST_BYTES));
      this.entropy(data);
      // A buffer the device cannot write (bad DMA address) is returned with nothing written.
      const n = Math.max(0, writeChain(this.dma, chain.segments, 0, data));
      this.delivered += n;
      q.push(chain.head, n);
      used = true;
    }
    if (used) this.onUsed(q);
  }
}
