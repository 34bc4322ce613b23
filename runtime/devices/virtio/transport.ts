/**
 * The virtio PCI transport (virtio 1.1 §4.1) behind a device model: the
 * modern registers QEMU 7.2 puts in BAR4 (common configuration at 0x0000,
 * ISR at 0x1000, device configuration at 0x2000, notifications at 0x3000
 * with a multiplier of 4 and queue i at notify offset i) and, on
 * transitional functions, the legacy registers in IO BAR0 (§4.1.4.8).
 * Feature negotiation, device status and reset, the queues' addresses,
 * sizes and MSI-X vectors, and interrupts: MSI-X per queue and for
 * configuration changes when enabled, else the ISR bits with INTx.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { Virtqueue, type QueueDma } from './queue.js';

// Device status bits (§2.1).
export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

// Transport feature bits (§6).
export const F_NOTIFY_ON_EMPTY = 24n;
export const F_ANY_LAYOUT = 27n;
export const F_RING_INDIRECT_DESC = 28n;
export const F_RING_EVENT_IDX = 29n;
export const F_VERSION_1 = 32n;
/** The device is an SR-IOV PF whose VFs the driver may enable (§6; QEMU offers it on a virtio-net PF with VFs). */
export const F_SR_IOV = 37n;

export const NO_VECTOR = 0xffff;
/** ISR bits (§4.1.4.5). */
export const ISR_QUEUE = 1;
export const ISR_CONFIG = 2;

/** struct virtio_pci_common_cfg offsets (§4.1.4.3). */
export const COMMON = {
  DFSELECT: 0x00, DF: 0x04, GFSELECT: 0x08, GF: 0x0c, MSIX: 0x10, NUMQ: 0x12, STATUS: 0x14, CFGGEN: 0x15,
  Q_SELECT: 0x16, Q_SIZE: 0x18, Q_MSIX: 0x1a, Q_ENABLE: 0x1c, Q_NOFF: 0x1e, Q_DESCLO: 0x20, Q_DESCHI: 0x24,
  Q_AVAILLO: 0x28, Q_AVAILHI: 0x2c, Q_USEDLO: 0x30, Q_USEDHI: 0x34,
} as const;
const COMMON_SIZE = 0x38;
/** Where the modern regions sit in BAR4 (QEMU virtio-pci defaults; the vendor capabilities say the same). */
export const MODERN = { COMMON: 0x0000, ISR: 0x1000, DEVICE: 0x2000, NOTIFY: 0x3000, NOTIFY_MULTIPLIER: 4 } as const;

/** Legacy IO BAR registers (§4.1.4.8). */
export const LEGACY = {
  HOST_FEATURES: 0x00, GUEST_FEATURES: 0x04, QUEUE_PFN: 0x08, QUEUE_NUM: 0x0c, QUEUE_SEL: 0x0e, QUEUE_NOTIFY: 0x10,
  STATUS: 0x12, ISR: 0x13, CONFIG_VECTOR: 0x14, QUEUE_VECTOR: 0x16,
} as const;
const LEGACY_CONFIG = 0x14;
const LEGACY_CONFIG_MSIX = 0x18;
const LEGACY_ALIGN = 4096;

/** A virtio device type behind the transport (virtio-blk, virtio-net...). */
export interface VirtioDevice {
  /** Features offered (the transport adds its own); `modern` false for the legacy interface. */
  features(modern: boolean): bigint;
  readonly queueCount: number;
  /** Largest queue size per queue (QEMU's queue_size / rx_queue_size). */
  readonly queueMax: number;
  readonly configSize: number;
  configRead(offset: number, width: Width, modern: boolean): number;
  configWrite(offset: number, width: Width, value: number, modern: boolean): void;
  /** The driver made buffers available on `queue`. */
  notify(queue: Virtqueue): void;
  /** The device is reset (status 0 written, or the function reset). */
  reset(): void;
}

/** What the transport needs from its PCI function. */
export interface VirtioHost extends QueueDma {
  msixEnabled(): boolean;
  /** Signals MSI-X vector `vector` (false if MSI-X is off). */
  notifyMsi(vector: number): boolean;
  /** MSI-X table size (vectors above it are refused). */
  readonly msixVectors: number;
  setIntx(level: boolean): void;
}

export class VirtioTransport {
  readonly queues: Virtqueue[];
  status = 0;
  isr = 0;
  configVector = NO_VECTOR;
  driverFeatures = 0n;
  /** Transport features the function offers beyond the common ones (F_SR_IOV on a PF with VFs). */
  functionFeatures = 0n;
  private deviceFeatureSelect = 0;
  private driverFeatureSelect = 0;
  private queueSelect = 0;
  /** The registers in BAR4 (modern) and BAR0 (legacy, transitional functions only). */
  readonly modernRegion: RegionHandler;
  readonly legacyRegion: RegionHandler;

  constructor(
    private readonly host: VirtioHost,
    readonly device: VirtioDevice,
  ) {
    this.queues = Array.from({ length: device.queueCount }, (_, i) => new Virtqueue(host, i, device.queueMax));
    this.modernRegion = { read: (o, w) => this.modernRead(o, w), write: (o, w, v) => this.modernWrite(o, w, v) };
    this.legacyRegion = { read: (o, w) => this.legacyRead(o, w), write: (o, w, v) => this.legacyWrite(o, w, v) };
  }

  /** Every feature the device offers through the modern interface (transport bits included). */
  get deviceFeatures(): bigint {
    return this.device.features(true) | this.functionFeatures | (1n << F_VERSION_1) | (1n << F_RING_INDIRECT_DESC) | (1n << F_RING_EVENT_IDX) | (1n << F_NOTIFY_ON_EMPTY);
  }

  private get legacyFeatures(): number {
    const f = this.device.features(false) | (1n << F_RING_INDIRECT_DESC) | (1n << F_RING_EVENT_IDX) | (1n << F_NOTIFY_ON_EMPTY) | (1n << F_ANY_LAYOUT);
    return Number(f & 0xffff_ffffn);
  }

  has(feature: bigint): boolean {
    return ((this.driverFeatures >> feature) & 1n) === 1n;
  }

  reset(): void {
    this.status = 0;
    this.isr = 0;
    this.configVector = NO_VECTOR;
    this.driverFeatures = 0n;
    this.deviceFeatureSelect = this.driverFeatureSelect = this.queueSelect = 0;
    for (const q of this.queues) q.reset();
    this.host.setIntx(false);
    this.device.reset();
  }

  /** The device used buffers of `q`: interrupt the driver if it wants one. */
  queueInterrupt(q: Virtqueue): void {
    if (!q.shouldInterrupt()) return;
    this.interrupt(ISR_QUEUE, q.vector);
  }

  /** The device configuration changed (§4.1.5.3). */
  configInterrupt(): void {
    this.interrupt(ISR_CONFIG, this.configVector);
  }

  /** A queue broke (malformed ring): DEVICE_NEEDS_RESET and a configuration interrupt (§2.1.2). */
  needsReset(): void {
    if (this.status & STATUS_NEEDS_RESET) return;
    this.status |= STATUS_NEEDS_RESET;
    if (this.status & STATUS_DRIVER_OK) this.configInterrupt();
  }

  private interrupt(isrBit: number, vector: number): void {
    if (this.host.msixEnabled()) {
      if (vector !== NO_VECTOR) this.host.notifyMsi(vector);
      return;
    }
    this.isr |= isrBit;
    this.host.setIntx(true);
  }

  private readIsr(): number {
    const v = this.isr;
    this.isr = 0;
    this.host.setIntx(false);
    return v;
  }

  private writeStatus(value: number): void {
    value &= 0xff;
    if (value === 0) {
      this.reset();
      return;
    }
    // FEATURES_OK stays clear when the driver accepted something not offered (§3.1.1 step 5).
    if (value & STATUS_FEATURES_OK && !(this.status & STATUS_FEATURES_OK) && this.driverFeatures & ~this.deviceFeatures) value &= ~STATUS_FEATURES_OK;
    this.status = value | (this.status & STATUS_NEEDS_RESET);
    if (this.status & STATUS_FEATURES_OK) for (const q of this.queues) q.eventIdx = this.has(F_RING_EVENT_IDX);
  }

  private validVector(v: number): number {
    return v < this.host.msixVectors ? v : NO_VECTOR;
  }

  private kick(index: number): void {
    const q = this.queues[index];
    if (!q || !q.ready) return;
    this.device.notify(q);
    if (q.broken) this.needsReset();
  }

  // ---- modern (BAR4) -----------------------------------------------------------------

  private modernRead(offset: number, width: Width): number {
    if (offset >= MODERN.COMMON && offset < MODERN.COMMON + COMMON_SIZE) return this.commonRead(offset - MODERN.COMMON, width);
    if (offset >= MODERN.ISR && offset < MODERN.ISR + 0x1000) return offset === MODERN.ISR ? this.readIsr() : 0;
    if (offset >= MODERN.DEVICE && offset < MODERN.DEVICE + 0x1000) return this.configRead(offset - MODERN.DEVICE, width, true);
    return 0;
  }

  private modernWrite(offset: number, width: Width, value: number): void {
    if (offset >= MODERN.COMMON && offset < MODERN.COMMON + COMMON_SIZE) this.commonWrite(offset - MODERN.COMMON, width, value);
    else if (offset >= MODERN.DEVICE && offset < MODERN.DEVICE + 0x1000) this.configWrite(offset - MODERN.DEVICE, width, value, true);
    else if (offset >= MODERN.NOTIFY && offset < MODERN.NOTIFY + 0x1000) {
      // The queue is the notify offset the driver wrote at (QEMU virtio_pci_notify_write).
      const rel = offset - MODERN.NOTIFY;
      if (rel % MODERN.NOTIFY_MULTIPLIER === 0) this.kick(rel / MODERN.NOTIFY_MULTIPLIER);
    }
  }

  private configRead(offset: number, width: Width, modern: boolean): number {
    if (offset + width > this.device.configSize) return 0;
    return this.device.configRead(offset, width, modern);
  }

  private configWrite(offset: number, width: Width, value: number, modern: boolean): void {
    if (offset + width <= this.device.configSize) this.device.configWrite(offset, width, value, modern);
  }

  private commonRead(offset: number, width: Width): number {
    // Assemble the structure and read the bytes asked for, whatever the width.
    const b = new Uint8Array(COMMON_SIZE);
    const v = new DataView(b.buffer);
    const q = this.queues[this.queueSelect];
    const sel = this.deviceFeatureSelect;
    v.setUint32(COMMON.DFSELECT, sel, true);
    v.setUint32(COMMON.DF, sel < 2 ? Number((this.deviceFeatures >> BigInt(32 * sel)) & 0xffff_ffffn) : 0, true);
    v.setUint32(COMMON.GFSELECT, this.driverFeatureSelect, true);
    v.setUint32(COMMON.GF, this.driverFeatureSelect < 2 ? Number((this.driverFeatures >> BigInt(32 * this.driverFeatureSelect)) & 0xffff_ffffn) : 0, true);
    v.setUint16(COMMON.MSIX, this.configVector, true);
    v.setUint16(COMMON.NUMQ, this.queues.length, true);
    v.setUint8(COMMON.STATUS, this.status);
    v.setUint8(COMMON.CFGGEN, 0);
    v.setUint16(COMMON.Q_SELECT, this.queueSelect, true);
    if (q) {
      v.setUint16(COMMON.Q_SIZE, q.size, true);
      v.setUint16(COMMON.Q_MSIX, q.vector, true);
      v.setUint16(COMMON.Q_ENABLE, q.enabled ? 1 : 0, true);
      v.setUint16(COMMON.Q_NOFF, q.index, true);
      setU64(v, COMMON.Q_DESCLO, q.desc);
      setU64(v, COMMON.Q_AVAILLO, q.avail);
      setU64(v, COMMON.Q_USEDLO, q.used);
    } else v.setUint16(COMMON.Q_MSIX, NO_VECTOR, true);
    if (offset + width > COMMON_SIZE) return 0;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : b[offset]!;
  }

  private commonWrite(offset: number, width: Width, value: number): void {
    const q = this.queues[this.queueSelect];
    const setHalf = (cur: number, high: boolean) => (high ? (value >>> 0) * 2 ** 32 + (cur % 2 ** 32) : Math.floor(cur / 2 ** 32) * 2 ** 32 + (value >>> 0));
    switch (offset) {
      case COMMON.DFSELECT: this.deviceFeatureSelect = value >>> 0; break;
      case COMMON.GFSELECT: this.driverFeatureSelect = value >>> 0; break;
      case COMMON.GF:
        if (this.driverFeatureSelect < 2) {
          const shift = BigInt(32 * this.driverFeatureSelect);
          this.driverFeatures = (this.driverFeatures & ~(0xffff_ffffn << shift)) | (BigInt(value >>> 0) << shift);
        }
        break;
      case COMMON.MSIX: this.configVector = this.validVector(value & 0xffff); break;
      case COMMON.STATUS: if (width === 1) this.writeStatus(value); break;
      case COMMON.Q_SELECT: this.queueSelect = value & 0xffff; break;
      case COMMON.Q_SIZE:
        // A power of two no larger than the maximum (§4.1.4.3.2); the queue is not enabled yet.
        if (q && !q.enabled && value > 0 && value <= q.max && (value & (value - 1)) === 0) q.size = value;
        break;
      case COMMON.Q_MSIX: if (q) q.vector = this.validVector(value & 0xffff); break;
      case COMMON.Q_ENABLE: if (q && value & 1) q.enabled = true; break;
      case COMMON.Q_DESCLO: case COMMON.Q_DESCHI: if (q && !q.enabled) q.desc = setHalf(q.desc, offset === COMMON.Q_DESCHI); break;
      case COMMON.Q_AVAILLO: case COMMON.Q_AVAILHI: if (q && !q.enabled) q.avail = setHalf(q.avail, offset === COMMON.Q_AVAILHI); break;
      case COMMON.Q_USEDLO: case COMMON.Q_USEDHI: if (q && !q.enabled) q.used = setHalf(q.used, offset === COMMON.Q_USEDHI); break;
      default: break;
    }
  }

  // ---- legacy (IO BAR0) ------------------------------------------------------------------

  private get legacyConfigOffset(): number {
    return this.host.msixEnabled() ? LEGACY_CONFIG_MSIX : LEGACY_CONFIG;
  }

  private legacyRead(offset: number, width: Width): number {
    const cfg = this.legacyConfigOffset;
    if (offset >= cfg) return this.configRead(offset - cfg, width, false);
    const q = this.queues[this.queueSelect];
    switch (offset) {
      case LEGACY.HOST_FEATURES: return this.legacyFeatures >>> 0;
      case LEGACY.GUEST_FEATURES: return Number(this.driverFeatures & 0xffff_ffffn);
      case LEGACY.QUEUE_PFN: return q ? Math.floor(q.desc / LEGACY_ALIGN) >>> 0 : 0;
      case LEGACY.QUEUE_NUM: return q ? q.size : 0;
      case LEGACY.QUEUE_SEL: return this.queueSelect;
      case LEGACY.STATUS: return this.status;
      case LEGACY.ISR: return this.readIsr();
      case LEGACY.CONFIG_VECTOR: return cfg === LEGACY_CONFIG_MSIX ? this.configVector : 0;
      case LEGACY.QUEUE_VECTOR: return cfg === LEGACY_CONFIG_MSIX ? (q?.vector ?? NO_VECTOR) : 0;
      default: return 0;
    }
  }

  private legacyWrite(offset: number, width: Width, value: number): void {
    const cfg = this.legacyConfigOffset;
    if (offset >= cfg) return this.configWrite(offset - cfg, width, value, false);
    const q = this.queues[this.queueSelect];
    switch (offset) {
      case LEGACY.GUEST_FEATURES:
        this.driverFeatures = BigInt(value >>> 0) & BigInt(this.legacyFeatures >>> 0);
        for (const x of this.queues) x.eventIdx = this.has(F_RING_EVENT_IDX);
        break;
      case LEGACY.QUEUE_PFN:
        if (!q) break;
        if (value === 0) {
          q.reset();
          break;
        }
        // The legacy layout: descriptors, the avail ring, then the used ring on the next 4 KiB boundary (§2.6.2 legacy).
        q.size = q.max;
        q.desc = (value >>> 0) * LEGACY_ALIGN;
        q.avail = q.desc + 16 * q.size;
        q.used = Math.ceil((q.avail + 6 + 2 * q.size) / LEGACY_ALIGN) * LEGACY_ALIGN;
        q.enabled = true;
        break;
      case LEGACY.QUEUE_SEL: this.queueSelect = value & 0xffff; break;
      case LEGACY.QUEUE_NOTIFY: this.kick(value & 0xffff); break;
      case LEGACY.STATUS: this.writeStatus(value); break;
      case LEGACY.CONFIG_VECTOR: if (cfg === LEGACY_CONFIG_MSIX) this.configVector = this.validVector(value & 0xffff); break;
      case LEGACY.QUEUE_VECTOR: if (cfg === LEGACY_CONFIG_MSIX && q) q.vector = this.validVector(value & 0xffff); break;
      default: break;
    }
  }
}

function setU64(v: DataView, offset: number, value: number): void {
  v.setUint32(offset, value % 2 ** 32, true);
  v.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}
