/**
 * The virtio memory balloon (virtio 1.1 §5.5) as QEMU 7.2's virtio-balloon
 * offers it by default: STATS_VQ and PAGE_POISON (no DEFLATE_ON_OOM, free
 * page hinting or reporting), so three queues of 128 entries (inflate,
 * deflate, statistics) and a 16-byte configuration: num_pages (the host's
 * target, in 4 KiB pages), actual (what the driver reports it holds),
 * free_page_hint_cmd_id and poison_val.
 *
 * Inflating records the 4 KiB page frame numbers the guest gives up and
 * deflating returns them; the pages' contents are left alone (QEMU discards
 * them, which a guest cannot tell apart: it must not touch ballooned pages).
 * The statistics buffer is kept until the host asks for statistics, as on
 * QEMU; `requestStats()` returns it to the driver, which refills it.
 */
import type { Width } from '../../bus/types.js';
import { chainBytes, readChain, type Chain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

export const BALLOON_F_STATS_VQ = 1n;
export const BALLOON_F_PAGE_POISON = 4n;
/** struct virtio_balloon_config offsets (§5.5.4). */
export const BALLOON_CONFIG = { NUM_PAGES: 0, ACTUAL: 4, FREE_PAGE_HINT_CMD_ID: 8, POISON_VAL: 12 } as const;
const CONFIG_SIZE = 16;
const BALLOON_QUEUE_SIZE = 128;
const INFLATE = 0;
const DEFLATE = 1;
const STATS = 2;
/** Statistics tags (§5.5.6.3), by number. */
const STAT_NAMES = ['swap-in', 'swap-out', 'major-faults', 'minor-faults', 'free-memory', 'total-memory', 'available-memory', 'disk-caches', 'hugetlb-allocations', 'hugetlb-failures'] as const;

export class VirtioBalloonDevice implements VirtioDevice {
  readonly queueCount = 3;
  readonly queueMax = BALLOON_QUEUE_SIZE;
  readonly configSize = CONFIG_SIZE;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  /** Called when the host changed the configuration (the transport sends a configuration interrupt). */
  onConfigChange: () => void = () => undefined;
  /** Page frame numbers (4 KiB) the guest has given up. */
  readonly pages = new Set<number>();
  /** The last statistics the driver sent, by tag name. */
  readonly stats = new Map<string, bigint>();
  private target = 0;
  private actual = 0;
  private poison = 0;
  private statsChain: { q: Virtqueue; chain: Chain } | undefined;

  constructor(private readonly dma: QueueDma) {}

  features(): bigint {
    return (1n << BALLOON_F_STATS_VQ) | (1n << BALLOON_F_PAGE_POISON);
  }

  /** Asks the guest to hold `pages` 4 KiB pages in the balloon (num_pages). */
  setTarget(pages: number): void {
    this.target = pages >>> 0;
    this.onConfigChange();
  }

  private configBytes(): DataView {
    const v = new DataView(new ArrayBuffer(CONFIG_SIZE));
    v.setUint32(BALLOON_CONFIG.NUM_PAGES, this.target, true);
    v.setUint32(BALLOON_CONFIG.ACTUAL, this.actual, true);
    v.setUint32(BALLOON_CONFIG.POISON_VAL, this.poison, true);
    return v;
  }

  configRead(offset: number, width: Width): number {
    const v = this.configBytes();
    if (offset + width > CONFIG_SIZE) return 0;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  configWrite(offset: number, width: Width, value: number): void {
    // The driver writes actual and poison_val; num_pages and the hint command id are the host's.
    const v = this.configBytes();
    if (offset + width > CONFIG_SIZE) return;
    if (width === 4) v.setUint32(offset, value >>> 0, true);
    else if (width === 2) v.setUint16(offset, value & 0xffff, true);
    else v.setUint8(offset, value & 0xff);
    this.actual = v.getUint32(BALLOON_CONFIG.ACTUAL, true);
    this.poison = v.getUint32(BALLOON_CONFIG.POISON_VAL, true);
  }

  reset(): void {
    this.actual = 0;
    this.poison = 0;
    this.pages.clear();
    this.statsChain = undefined;
  }

  notify(q: Virtqueue): void {
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      if (q.index === STATS) {
        this.readStats(chain);
        // Kept until the host wants statistics again.
        this.statsChain = { q, chain };
        continue;
      }
      const bytes = new Uint8Array(chainBytes(chain.segments, false) & ~3);
      if (readChain(this.dma, chain.segments, 0, bytes)) {
        const v = new DataView(bytes.buffer);
        for (let i = 0; i < bytes.length; i += 4) {
          const pfn = v.getUint32(i, true);
          if (q.index === INFLATE) this.pages.add(pfn);
          else if (q.index === DEFLATE) this.pages.delete(pfn);
        }
      }
      q.push(chain.head, 0);
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** Returns the statistics buffer to the driver so it sends fresh ones (QEMU's stats polling). */
  requestStats(): boolean {
    const s = this.statsChain;
    if (!s) return false;
    this.statsChain = undefined;
    s.q.push(s.chain.head, 0);
    this.onUsed(s.q);
    return true;
  }

  /** struct virtio_balloon_stat: le16 tag, le64 value, packed. */
  private readStats(chain: Chain): void {
    const bytes = new Uint8Array(chainBytes(chain.segments, false));
    if (!readChain(this.dma, chain.segments, 0, bytes)) return;
    const v = new DataView(bytes.buffer);
    for (let i = 0; i + 10 <= bytes.length; i += 10) {
      const tag = v.getUint16(i, true);
      const name = STAT_NAMES[tag] ?? `tag-${tag}`;
      this.stats.set(name, v.getBigUint64(i + 2, true));
    }
  }
}
