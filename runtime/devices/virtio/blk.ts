/**
 * The virtio block device (virtio 1.1 §5.2) as QEMU 7.2's virtio-blk
 * offers it: one request queue per vCPU (num-queues auto) of 256 entries,
 * SEG_MAX (queue size - 2), GEOMETRY, TOPOLOGY, BLK_SIZE, FLUSH and
 * CONFIG_WCE, RO for read-only drives, MQ with more than one queue; the
 * legacy interface adds SCSI passthrough's bit as QEMU does (and refuses
 * SCSI requests as unsupported). DISCARD and WRITE_ZEROES are not offered.
 *
 * A request (§5.2.6) is a header (type, sector), data buffers and a status
 * byte in the last device-writable byte. Requests complete synchronously
 * when the driver notifies the queue.
 */
import { diskGeometry, SECTOR_SIZE } from '../../backends/block.js';
import type { Drive } from '../../backends/drive.js';
import type { Width } from '../../bus/types.js';
import { readChain, writeChain, type Chain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

// Feature bits (§5.2.3).
export const BLK_F_SIZE_MAX = 1n;
export const BLK_F_SEG_MAX = 2n;
export const BLK_F_GEOMETRY = 4n;
export const BLK_F_RO = 5n;
export const BLK_F_BLK_SIZE = 6n;
export const BLK_F_SCSI = 7n;
export const BLK_F_FLUSH = 9n;
export const BLK_F_TOPOLOGY = 10n;
export const BLK_F_CONFIG_WCE = 11n;
export const BLK_F_MQ = 12n;

// Request types and status values (§5.2.6).
export const BLK_T_IN = 0;
export const BLK_T_OUT = 1;
export const BLK_T_FLUSH = 4;
export const BLK_T_GET_ID = 8;
export const BLK_S_OK = 0;
export const BLK_S_IOERR = 1;
export const BLK_S_UNSUPP = 2;
const ID_BYTES = 20;
const HEADER_SIZE = 16;

/** struct virtio_blk_config offsets (§5.2.4). */
export const BLK_CONFIG = {
  CAPACITY: 0, SIZE_MAX: 8, SEG_MAX: 12, CYLINDERS: 16, HEADS: 18, SECTORS: 19, BLK_SIZE: 20,
  PHYSICAL_BLOCK_EXP: 24, ALIGNMENT_OFFSET: 25, MIN_IO_SIZE: 26, OPT_IO_SIZE: 28, WCE: 32, NUM_QUEUES: 34,
} as const;
/** QEMU 7.2's config size with its default features (up to write_zeroes_may_unmap and padding). */
const CONFIG_SIZE = 60;
/** QEMU 7.2's virtio-blk queue-size default. */
export const BLK_QUEUE_SIZE = 256;
/** Largest data transfer one request may move: larger ones fail with IOERR instead of being buffered. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export class VirtioBlkDevice implements VirtioDevice {
  readonly queueMax = BLK_QUEUE_SIZE;
  readonly configSize = CONFIG_SIZE;
  private wce = 1;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;

  constructor(
    private readonly dma: QueueDma,
    readonly drive: Drive,
    readonly queueCount: number,
    private readonly serial = '',
  ) {}

  features(modern: boolean): bigint {
    let f = (1n << BLK_F_SEG_MAX) | (1n << BLK_F_GEOMETRY) | (1n << BLK_F_TOPOLOGY) | (1n << BLK_F_BLK_SIZE) | (1n << BLK_F_FLUSH) | (1n << BLK_F_CONFIG_WCE);
    if (!modern) f |= 1n << BLK_F_SCSI;
    if (this.drive.readOnly && this.drive.present) f |= 1n << BLK_F_RO;
    if (this.queueCount > 1) f |= 1n << BLK_F_MQ;
    return f;
  }

  private get sectors(): number {
    return Math.floor(this.drive.size / SECTOR_SIZE);
  }

  private configBytes(): Uint8Array {
    const b = new Uint8Array(CONFIG_SIZE);
    const v = new DataView(b.buffer);
    const n = this.sectors;
    v.setUint32(BLK_CONFIG.CAPACITY, n % 2 ** 32, true);
    v.setUint32(BLK_CONFIG.CAPACITY + 4, Math.floor(n / 2 ** 32), true);
    v.setUint32(BLK_CONFIG.SEG_MAX, this.queueMax - 2, true);
    const g = diskGeometry(n);
    v.setUint16(BLK_CONFIG.CYLINDERS, g.cylinders, true);
    b[BLK_CONFIG.HEADS] = g.heads;
    b[BLK_CONFIG.SECTORS] = g.sectors;
    v.setUint32(BLK_CONFIG.BLK_SIZE, SECTOR_SIZE, true);
    b[BLK_CONFIG.WCE] = this.wce;
    v.setUint16(BLK_CONFIG.NUM_QUEUES, this.queueCount, true);
    return b;
  }

  configRead(offset: number, width: Width): number {
    const v = new DataView(this.configBytes().buffer);
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  configWrite(offset: number, width: Width, value: number): void {
    // Only the writeback flag is writable (CONFIG_WCE).
    if (offset === BLK_CONFIG.WCE && width === 1) this.wce = value & 1;
  }

  reset(): void {
    this.wce = 1;
  }

  notify(q: Virtqueue): void {
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      q.push(chain.head, this.handle(chain));
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** Carries out one request; returns the bytes written into the chain (data + status). */
  private handle(chain: Chain): number {
    const segs = chain.segments;
    const writable = segs.filter((s) => s.write).reduce((n, s) => n + s.length, 0);
    const readable = segs.filter((s) => !s.write).reduce((n, s) => n + s.length, 0);
    // The status byte is the last writable byte (§5.2.6.1); without one nothing can be reported.
    if (writable < 1) return 0;
    const status = (code: number, dataWritten = 0): number => {
      const at = writeChain(this.dma, segs, writable - 1, new Uint8Array([code]));
      return at === 1 ? dataWritten + 1 : 0;
    };
    const header = new Uint8Array(HEADER_SIZE);
    if (readable < HEADER_SIZE || !readChain(this.dma, segs, 0, header)) return status(BLK_S_IOERR);
    const hv = new DataView(header.buffer);
    const type = hv.getUint32(0, true);
    const sector = hv.getUint32(8, true) + hv.getUint32(12, true) * 2 ** 32;
    const dataIn = writable - 1;
    const dataOut = readable - HEADER_SIZE;
    switch (type) {
      case BLK_T_IN: {
        if (!this.rangeOk(sector, dataIn)) return status(BLK_S_IOERR);
        const data = new Uint8Array(dataIn);
        if (!this.drive.read(sector * SECTOR_SIZE, data)) return status(BLK_S_IOERR);
        const n = writeChain(this.dma, segs, 0, data);
        return n === dataIn ? status(BLK_S_OK, n) : status(BLK_S_IOERR);
      }
      case BLK_T_OUT: {
        if (this.drive.readOnly || !this.rangeOk(sector, dataOut)) return status(BLK_S_IOERR);
        const data = new Uint8Array(dataOut);
        if (!readChain(this.dma, segs, HEADER_SIZE, data)) return status(BLK_S_IOERR);
        return status(this.drive.write(sector * SECTOR_SIZE, data) ? BLK_S_OK : BLK_S_IOERR);
      }
      case BLK_T_FLUSH:
        return status(this.drive.flush() ? BLK_S_OK : BLK_S_IOERR);
      case BLK_T_GET_ID: {
        const id = new Uint8Array(Math.min(ID_BYTES, dataIn));
        for (let i = 0; i < id.length && i < this.serial.length; i++) id[i] = this.serial.charCodeAt(i) & 0xff;
        const n = writeChain(this.dma, segs, 0, id);
        return n === id.length ? status(BLK_S_OK, n) : status(BLK_S_IOERR);
      }
      default:
        return status(BLK_S_UNSUPP);
    }
  }

  /** Whole sectors, inside the disk, and not more than one request may move. */
  private rangeOk(sector: number, bytes: number): boolean {
    return this.drive.present && bytes % SECTOR_SIZE === 0 && bytes <= MAX_REQUEST_BYTES && sector + bytes / SECTOR_SIZE <= this.sectors;
  }
}
