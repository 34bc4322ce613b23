/**
 * The virtio GPU in 2D mode (virtio 1.1 §5.7) as QEMU 7.2's virtio-gpu
 * presents it without virgl: one scanout of 1280x800, no capability sets,
 * a control queue of 256 entries and a cursor queue of 16, and a 16-byte
 * configuration (events_read, events_clear, num_scanouts, num_capsets).
 *
 * The control queue carries the 2D command set: GET_DISPLAY_INFO,
 * RESOURCE_CREATE_2D / UNREF, RESOURCE_ATTACH_BACKING / DETACH_BACKING
 * (guest memory as scatter lists), TRANSFER_TO_HOST_2D (copies a rectangle
 * from the backing into the resource), SET_SCANOUT and RESOURCE_FLUSH
 * (which report the frame through `onFlush`). Cursor commands are consumed.
 * Each command is answered with a response header (OK_NODATA, OK_DISPLAY_INFO
 * or an error); fenced commands echo their fence. The EDID feature QEMU
 * offers is not offered here, so drivers use GET_DISPLAY_INFO only.
 */
import type { Width } from '../../bus/types.js';
import { chainBytes, readChain, writeChain, type Chain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

/** Command and response types (§5.7.6.7). */
export const GPU_CMD = {
  GET_DISPLAY_INFO: 0x0100, RESOURCE_CREATE_2D: 0x0101, RESOURCE_UNREF: 0x0102, SET_SCANOUT: 0x0103, RESOURCE_FLUSH: 0x0104,
  TRANSFER_TO_HOST_2D: 0x0105, RESOURCE_ATTACH_BACKING: 0x0106, RESOURCE_DETACH_BACKING: 0x0107,
  UPDATE_CURSOR: 0x0300, MOVE_CURSOR: 0x0301,
} as const;
export const GPU_RESP = {
  OK_NODATA: 0x1100, OK_DISPLAY_INFO: 0x1101,
  ERR_UNSPEC: 0x1200, ERR_OUT_OF_MEMORY: 0x1201, ERR_INVALID_SCANOUT_ID: 0x1202, ERR_INVALID_RESOURCE_ID: 0x1203, ERR_INVALID_PARAMETER: 0x1205,
} as const;
const FLAG_FENCE = 1;
const HDR = 24;
const CONFIG_SIZE = 16;
const MAX_SCANOUTS = 16;
/** QEMU 7.2's default scanout size (virtio-gpu xres/yres). */
export const GPU_XRES = 1280;
export const GPU_YRES = 800;
/** Largest resource machc keeps (bytes), so a guest cannot make the host allocate without bound. */
const MAX_RESOURCE_BYTES = 64 * 1024 * 1024;
/** Most scatter entries one ATTACH_BACKING may give. */
const MAX_BACKING_ENTRIES = 16384;

interface Resource {
  readonly width: number;
  readonly height: number;
  readonly format: number;
  readonly pixels: Uint8Array;
  backing: { address: number; length: number }[] | undefined;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What a flush shows: the scanout's resource and the flushed rectangle. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  /** The virtio_gpu_formats value (e.g. 2 = B8G8R8X8). */
  readonly format: number;
  /** 4 bytes per pixel, rows of width * 4 bytes. */
  readonly pixels: Uint8Array;
  readonly rect: Rect;
}

export class VirtioGpuDevice implements VirtioDevice {
  readonly queueCount = 2;
  readonly queueMax = 256;
  readonly configSize = CONFIG_SIZE;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  /** Called on RESOURCE_FLUSH of the resource on scanout 0. */
  onFlush: (frame: Frame) => void = () => undefined;
  private readonly resources = new Map<number, Resource>();
  /** Resource id shown on scanout 0 (0: disabled). */
  scanoutResource = 0;
  private eventsRead = 0;

  constructor(private readonly dma: QueueDma) {}

  features(): bigint {
    return 0n;
  }

  configRead(offset: number, width: Width): number {
    const v = new DataView(new ArrayBuffer(CONFIG_SIZE));
    v.setUint32(0, this.eventsRead, true);
    v.setUint32(8, 1, true);
    if (offset + width > CONFIG_SIZE) return 0;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  configWrite(offset: number, width: Width, value: number): void {
    // events_clear: write 1s to clear events_read bits.
    if (offset === 4 && width === 4) this.eventsRead &= ~value;
  }

  reset(): void {
    this.resources.clear();
    this.scanoutResource = 0;
    this.eventsRead = 0;
  }

  notify(q: Virtqueue): void {
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      q.push(chain.head, q.index === 0 ? this.command(chain) : 0);
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** Carries out one control command; returns the bytes of its response. */
  private command(chain: Chain): number {
    const segs = chain.segments;
    const req = new Uint8Array(Math.min(chainBytes(segs, false), 24 + 16 + 24 * MAX_BACKING_ENTRIES));
    if (req.length < HDR || !readChain(this.dma, segs, 0, req)) return this.respond(chain, undefined, GPU_RESP.ERR_UNSPEC);
    const v = new DataView(req.buffer);
    const type = v.getUint32(0, true);
    const u32 = (off: number) => (off + 4 <= req.length ? v.getUint32(off, true) : undefined);
    const rectAt = (off: number): Rect | undefined => {
      const [x, y, w, h] = [u32(off), u32(off + 4), u32(off + 8), u32(off + 12)];
      return x === undefined || y === undefined || w === undefined || h === undefined ? undefined : { x, y, width: w, height: h };
    };
    switch (type) {
      case GPU_CMD.GET_DISPLAY_INFO: {
        // struct virtio_gpu_resp_display_info: 16 x { rect, enabled, flags }.
        const body = new Uint8Array(MAX_SCANOUTS * 24);
        const b = new DataView(body.buffer);
        b.setUint32(8, GPU_XRES, true);
        b.setUint32(12, GPU_YRES, true);
        b.setUint32(16, 1, true);
        return this.respond(chain, v, GPU_RESP.OK_DISPLAY_INFO, body);
      }
      case GPU_CMD.RESOURCE_CREATE_2D: {
        const [id, format, width, height] = [u32(HDR), u32(HDR + 4), u32(HDR + 8), u32(HDR + 12)];
        if (id === undefined || format === undefined || width === undefined || height === undefined) return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
        if (id === 0 || this.resources.has(id)) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        const bytes = width * height * 4;
        if (bytes === 0 || bytes > MAX_RESOURCE_BYTES) return this.respond(chain, v, GPU_RESP.ERR_OUT_OF_MEMORY);
        this.resources.set(id, { width, height, format, pixels: new Uint8Array(bytes), backing: undefined });
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      case GPU_CMD.RESOURCE_UNREF: {
        const id = u32(HDR);
        if (id === undefined || !this.resources.delete(id)) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        if (this.scanoutResource === id) this.scanoutResource = 0;
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      case GPU_CMD.RESOURCE_ATTACH_BACKING: {
        const [id, n] = [u32(HDR), u32(HDR + 4)];
        const res = id === undefined ? undefined : this.resources.get(id);
        if (!res) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        if (n === undefined || n > MAX_BACKING_ENTRIES || HDR + 8 + 16 * n > req.length) return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
        res.backing = Array.from({ length: n }, (_, i) => {
          const at = HDR + 8 + 16 * i;
          return { address: v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32, length: v.getUint32(at + 8, true) };
        });
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      case GPU_CMD.RESOURCE_DETACH_BACKING: {
        const id = u32(HDR);
        const res = id === undefined ? undefined : this.resources.get(id);
        if (!res) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        res.backing = undefined;
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      case GPU_CMD.SET_SCANOUT: {
        const [r, scanout, id] = [rectAt(HDR), u32(HDR + 16), u32(HDR + 20)];
        if (!r || scanout === undefined || id === undefined) return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
        if (scanout !== 0) return this.respond(chain, v, GPU_RESP.ERR_INVALID_SCANOUT_ID);
        if (id !== 0 && !this.resources.has(id)) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        this.scanoutResource = id;
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      case GPU_CMD.TRANSFER_TO_HOST_2D: {
        const [r, offLo, offHi, id] = [rectAt(HDR), u32(HDR + 16), u32(HDR + 20), u32(HDR + 24)];
        const res = id === undefined ? undefined : this.resources.get(id);
        if (!r || offLo === undefined || offHi === undefined) return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
        if (!res || !res.backing) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        if (!inside(r, res)) return this.respond(chain, v, GPU_RESP.ERR_INVALID_PARAMETER);
        const ok = this.transfer(res, r, offLo + offHi * 2 ** 32);
        return this.respond(chain, v, ok ? GPU_RESP.OK_NODATA : GPU_RESP.ERR_UNSPEC);
      }
      case GPU_CMD.RESOURCE_FLUSH: {
        const [r, id] = [rectAt(HDR), u32(HDR + 16)];
        const res = id === undefined ? undefined : this.resources.get(id);
        if (!r) return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
        if (!res) return this.respond(chain, v, GPU_RESP.ERR_INVALID_RESOURCE_ID);
        if (!inside(r, res)) return this.respond(chain, v, GPU_RESP.ERR_INVALID_PARAMETER);
        if (id === this.scanoutResource) this.onFlush({ width: res.width, height: res.height, format: res.format, pixels: res.pixels, rect: r });
        return this.respond(chain, v, GPU_RESP.OK_NODATA);
      }
      default:
        return this.respond(chain, v, GPU_RESP.ERR_UNSPEC);
    }
  }

  /** Copies the rectangle's rows from the backing (a linear image of the resource from `offset`) into the resource. */
  private transfer(res: Resource, r: Rect, offset: number): boolean {
    const stride = res.width * 4;
    for (let row = 0; row < r.height; row++) {
      const src = offset + row * stride;
      const dst = (r.y + row) * stride + r.x * 4;
      if (!this.readBacking(res.backing!, src, res.pixels.subarray(dst, dst + r.width * 4))) return false;
    }
    return true;
  }

  private readBacking(backing: readonly { address: number; length: number }[], offset: number, into: Uint8Array): boolean {
    let skip = offset;
    let at = 0;
    for (const e of backing) {
      if (at >= into.length) break;
      if (skip >= e.length) {
        skip -= e.length;
        continue;
      }
      const n = Math.min(e.length - skip, into.length - at);
      if (!this.dma.dmaRead(e.address + skip, into.subarray(at, at + n))) return false;
      at += n;
      skip = 0;
    }
    return at === into.length;
  }

  /** Writes struct virtio_gpu_ctrl_hdr (and a body) into the writable part; the fence is echoed. */
  private respond(chain: Chain, req: DataView | undefined, type: number, body?: Uint8Array): number {
    const out = new Uint8Array(HDR + (body?.length ?? 0));
    const o = new DataView(out.buffer);
    o.setUint32(0, type, true);
    if (req && req.getUint32(4, true) & FLAG_FENCE) {
      o.setUint32(4, FLAG_FENCE, true);
      o.setUint32(8, req.getUint32(8, true), true);
      o.setUint32(12, req.getUint32(12, true), true);
      o.setUint32(16, req.getUint32(16, true), true);
    }
    if (body) out.set(body, HDR);
    return Math.max(0, writeChain(this.dma, chain.segments, 0, out.subarray(0, Math.min(out.length, chainBytes(chain.segments, true)))));
  }
}

function inside(r: Rect, res: { width: number; height: number }): boolean {
  return r.x + r.width <= res.width && r.y + r.height <= res.height;
}
