/**
 * virtio-rng, virtio-balloon, virtio-serial (console), virtio-gpu and virtio-scsi driven
 * as a Linux driver drives them through the modern interface in BAR4
 * (reset, feature negotiation, queues in the split-ring layout, kicks on the
 * notify addresses), against guest RAM through the bus-master DMA path.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockBackend, Q35Machine, VirtioBalloon, VirtioGpu, VirtioRng, VirtioScsi, VirtioSerial, VirtioVga, type VirtioPci } from '../../../runtime/index.js';
import { SCSI_F_CHANGE, SCSI_F_HOTPLUG, SCSI_S_BAD_TARGET, SCSI_S_OK } from '../../../runtime/devices/virtio/scsi.js';
import { BALLOON_CONFIG, BALLOON_F_PAGE_POISON, BALLOON_F_STATS_VQ } from '../../../runtime/devices/virtio/balloon.js';
import { CONSOLE_EVENT, CONSOLE_F_EMERG_WRITE, CONSOLE_F_MULTIPORT, consolePortNumbers } from '../../../runtime/devices/virtio/console.js';
import { GPU_CMD, GPU_RESP, GPU_XRES, GPU_YRES, type Frame } from '../../../runtime/devices/virtio/gpu.js';
import { COMMON, F_VERSION_1, ISR_CONFIG, ISR_QUEUE, MODERN, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK } from '../../../runtime/devices/virtio/transport.js';
import * as R from '../../../runtime/pci/registers.js';
import { deviceCompat } from '../../../runtime/devices/compat.js';
import { captureMsi, GuestView, mapBar } from './guest.js';
import { Ring } from './vring.js';

const MiB = 1024 * 1024;
const BAR4 = 0xfe00_0000;
const BAR1 = 0xfd00_0000;

/** A Linux-like modern driver for one function: features, queues, kicks. */
class Driver {
  readonly g: GuestView;
  readonly rings = new Map<number, Ring>();
  features = 0n;

  constructor(readonly m: Q35Machine, readonly f: VirtioPci) {
    this.g = new GuestView(m);
  }

  private c(off: number): number {
    return BAR4 + MODERN.COMMON + off;
  }

  /** Reset, ACKNOWLEDGE|DRIVER, accept `accept` of what is offered (always VERSION_1), FEATURES_OK, set up `queues`, DRIVER_OK. */
  init(accept: bigint, queues: number[]): bigint {
    const mem = this.m.memory;
    mem.write(this.c(COMMON.STATUS), 1, 0);
    mem.write(this.c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    mem.write(this.c(COMMON.DFSELECT), 4, 0);
    const lo = mem.read(this.c(COMMON.DF), 4) >>> 0;
    mem.write(this.c(COMMON.DFSELECT), 4, 1);
    const hi = mem.read(this.c(COMMON.DF), 4) >>> 0;
    const offered = (BigInt(hi) << 32n) | BigInt(lo);
    this.features = offered & (accept | (1n << F_VERSION_1));
    mem.write(this.c(COMMON.GFSELECT), 4, 0);
    mem.write(this.c(COMMON.GF), 4, Number(this.features & 0xffff_ffffn));
    mem.write(this.c(COMMON.GFSELECT), 4, 1);
    mem.write(this.c(COMMON.GF), 4, Number(this.features >> 32n));
    mem.write(this.c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    expect(mem.read(this.c(COMMON.STATUS), 1) & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
    for (const q of queues) {
      mem.write(this.c(COMMON.Q_SELECT), 2, q);
      const ring = new Ring(this.g, mem.read(this.c(COMMON.Q_SIZE), 2));
      mem.write(this.c(COMMON.Q_DESCLO), 4, ring.desc);
      mem.write(this.c(COMMON.Q_AVAILLO), 4, ring.avail);
      mem.write(this.c(COMMON.Q_USEDLO), 4, ring.used);
      mem.write(this.c(COMMON.Q_ENABLE), 2, 1);
      this.rings.set(q, ring);
    }
    mem.write(this.c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    return offered;
  }

  queueSize(q: number): number {
    this.m.memory.write(this.c(COMMON.Q_SELECT), 2, q);
    return this.m.memory.read(this.c(COMMON.Q_SIZE), 2);
  }

  numQueues(): number {
    return this.m.memory.read(this.c(COMMON.NUMQ), 2);
  }

  /** Publishes a chain on queue `q` and kicks it. */
  submit(q: number, buffers: { address: number; length: number; write: boolean }[]): number {
    const head = this.rings.get(q)!.add(buffers);
    this.kick(q);
    return head;
  }

  kick(q: number): void {
    this.m.memory.write(BAR4 + MODERN.NOTIFY + q * MODERN.NOTIFY_MULTIPLIER, 2, q);
  }

  used(q: number): { id: number; len: number }[] {
    return this.rings.get(q)!.takeUsed();
  }

  config(off: number, w: 1 | 2 | 4): number {
    return this.m.memory.read(BAR4 + MODERN.DEVICE + off, w) >>> 0;
  }
}

function attach<F extends VirtioPci>(make: () => F, msix = true): { m: Q35Machine; f: F; d: Driver } {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
  const f = m.attach(m.root, 0x04, 0, make());
  m.reset();
  mapBar(f, 4, BAR4, { mem64: true });
  if (msix) mapBar(f, 1, BAR1);
  return { m, f, d: new Driver(m, f) };
}

describe('virtio-rng', () => {
  it('fills each buffer the driver offers from the entropy source', () => {
    let counter = 0;
    const { d, f } = attach(() => new VirtioRng({ bus: 'pcie-link', entropy: (into) => into.forEach((_, i) => (into[i] = (counter++ * 7) & 0xff)) }));
    expect(d.init(0n, [0])).toBe((1n << F_VERSION_1) | (1n << 24n) | (1n << 28n) | (1n << 29n));
    expect(d.numQueues()).toBe(1);
    expect(d.queueSize(0)).toBe(8);
    const buf = d.g.alloc(64);
    const head = d.submit(0, [{ address: buf, length: 64, write: true }]);
    expect(d.used(0)).toEqual([{ id: head, len: 64 }]);
    expect(Array.from(d.g.read(buf, 64))).toEqual(Array.from({ length: 64 }, (_, i) => (i * 7) & 0xff));
    expect(f.rng.delivered).toBe(64);
  });

  it('returns a buffer it cannot write with nothing written', () => {
    const { d } = attach(() => new VirtioRng({ bus: 'pcie-link', entropy: (into) => into.fill(1) }));
    d.init(0n, [0]);
    // Past the end of RAM and of every MMIO region: the DMA fails.
    const head = d.submit(0, [{ address: 0x7_0000_0000, length: 16, write: true }]);
    expect(d.used(0)).toEqual([{ id: head, len: 0 }]);
  });
});

describe('virtio-balloon', () => {
  it("under 7.2's machine type has no MSI-X and interrupts through INTx and the ISR; inflate and deflate track page frames", () => {
    const { m, d, f } = attach(() => new VirtioBalloon({ bus: 'pcie-link' }), false);
    const caps: number[] = [];
    for (let at = f.configRead(R.CAPABILITY_LIST, 1); at !== 0; at = f.configRead(at + 1, 1)) caps.push(f.configRead(at, 1));
    expect(caps).toContain(R.CAP_ID_VNDR);
    expect(caps).not.toContain(R.CAP_ID_MSIX);
    expect(f.configRead(R.BAR0 + 4, 4)).toBe(0);
    const offered = d.init((1n << BALLOON_F_STATS_VQ) | (1n << BALLOON_F_PAGE_POISON), [0, 1, 2]);
    expect(offered & ((1n << BALLOON_F_STATS_VQ) | (1n << BALLOON_F_PAGE_POISON) | 0xffn)).toBe((1n << BALLOON_F_STATS_VQ) | (1n << BALLOON_F_PAGE_POISON));
    expect(d.numQueues()).toBe(3);
    const pfns = d.g.alloc(16);
    [0x1000, 0x1001, 0x2345, 0x1000].forEach((p, i) => d.g.w32(pfns + 4 * i, p));
    const head = d.submit(0, [{ address: pfns, length: 16, write: false }]);
    expect(d.used(0)).toEqual([{ id: head, len: 0 }]);
    expect([...f.balloon.pages].sort()).toEqual([0x1000, 0x1001, 0x2345]);
    // Without MSI-X a used buffer raises INTx with the queue bit in the ISR; reading the ISR clears both.
    expect(m.memory.read(BAR4 + MODERN.ISR, 1)).toBe(ISR_QUEUE);
    d.submit(1, [{ address: pfns, length: 4, write: false }]);
    expect([...f.balloon.pages].sort()).toEqual([0x1001, 0x2345]);
    expect(m.memory.read(BAR4 + MODERN.ISR, 1)).toBe(ISR_QUEUE);
    // The driver reports what it holds; the host asks for more with a configuration interrupt.
    m.memory.write(BAR4 + MODERN.DEVICE + BALLOON_CONFIG.ACTUAL, 4, 3);
    expect(d.config(BALLOON_CONFIG.ACTUAL, 4)).toBe(3);
    f.balloon.setTarget(256);
    expect(d.config(BALLOON_CONFIG.NUM_PAGES, 4)).toBe(256);
    expect(m.memory.read(BAR4 + MODERN.ISR, 1)).toBe(ISR_CONFIG);
    expect(m.memory.read(BAR4 + MODERN.ISR, 1)).toBe(0);
  });

  it("from 10.0's machine type has 2 MSI-X vectors in a 4 KiB BAR1: a used buffer and a configuration change go to the vectors the driver chose, not INTx", () => {
    const { m, d, f } = attach(() => new VirtioBalloon({ bus: 'pcie-link', compat: deviceCompat('10.0') }));
    const caps: number[] = [];
    for (let at = f.configRead(R.CAPABILITY_LIST, 1); at !== 0; at = f.configRead(at + 1, 1)) caps.push(f.configRead(at, 1));
    // The MSI-X capability comes last in QEMU's list, so it heads it; its table and PBA share BAR1.
    expect(caps[0]).toBe(R.CAP_ID_MSIX);
    expect(f.msix).toBeDefined();
    const cap = f.msix!.offset;
    expect(f.configRead(cap + 2, 2) & 0x7ff).toBe(1); // table size 2
    expect(f.configRead(cap + 4, 4)).toBe(0x0000_0001); // table in BAR1 at 0
    expect(f.configRead(cap + 8, 4)).toBe(0x0000_0801); // PBA in BAR1 at 0x800
    f.configWrite(R.BAR0 + 4, 4, 0xffff_ffff);
    expect(f.configRead(R.BAR0 + 4, 4) >>> 0).toBe(0xffff_f000);
    mapBar(f, 1, BAR1);
    const msi = captureMsi(m);
    f.configWrite(cap + 2, 2, 0x8000);
    for (let v = 0; v < 2; v++) {
      m.memory.write(BAR1 + 16 * v, 4, 0xfee0_0000);
      m.memory.write(BAR1 + 16 * v + 8, 4, 0x50 + v);
      m.memory.write(BAR1 + 16 * v + 12, 4, 0); // unmasked
    }
    const c = (off: number) => BAR4 + MODERN.COMMON + off;
    d.init(0n, [0, 1]);
    m.memory.write(c(COMMON.MSIX), 2, 0);
    m.memory.write(c(COMMON.Q_SELECT), 2, 0);
    m.memory.write(c(COMMON.Q_MSIX), 2, 1);
    m.memory.write(c(COMMON.Q_MSIX), 2, 2); // beyond the two vectors: refused
    expect(m.memory.read(c(COMMON.Q_MSIX), 2)).toBe(0xffff);
    m.memory.write(c(COMMON.Q_MSIX), 2, 1);
    expect(m.memory.read(c(COMMON.Q_MSIX), 2)).toBe(1);
    const pfns = d.g.alloc(4);
    d.g.w32(pfns, 0x4242);
    d.submit(0, [{ address: pfns, length: 4, write: false }]);
    expect([...f.balloon.pages]).toEqual([0x4242]);
    f.balloon.setTarget(16);
    expect(msi.map((x) => x.data)).toEqual([0x51, 0x50]);
    expect(m.memory.read(BAR4 + MODERN.ISR, 1)).toBe(0);
  });

  it('keeps the statistics buffer until the host asks again', () => {
    const { d, f } = attach(() => new VirtioBalloon({ bus: 'pcie-link' }), false);
    d.init(1n << BALLOON_F_STATS_VQ, [0, 1, 2]);
    const stats = d.g.alloc(20);
    const v = new DataView(new ArrayBuffer(20));
    v.setUint16(0, 4, true); // free-memory
    v.setBigUint64(2, 123456789n, true);
    v.setUint16(10, 5, true); // total-memory
    v.setBigUint64(12, 536870912n, true);
    d.g.write(stats, new Uint8Array(v.buffer));
    const head = d.submit(2, [{ address: stats, length: 20, write: false }]);
    expect(d.used(2)).toEqual([]);
    expect(Object.fromEntries(f.balloon.stats)).toEqual({ 'free-memory': 123456789n, 'total-memory': 536870912n });
    expect(f.balloon.requestStats()).toBe(true);
    expect(d.used(2)).toEqual([{ id: head, len: 0 }]);
    expect(f.balloon.requestStats()).toBe(false);
  });
});

describe('virtio-serial', () => {
  const ports = [
    { id: 'console0', kind: 'console' as const },
    { id: 'channel0', kind: 'channel' as const, name: 'org.qemu.guest_agent.0' },
  ];

  it('numbers ports as QEMU does: the first console at 0, the rest from 1', () => {
    expect(consolePortNumbers(ports)).toEqual([0, 1]);
    expect(consolePortNumbers([{ id: 'a', kind: 'channel' }, { id: 'b', kind: 'console' }, { id: 'c', kind: 'console' }])).toEqual([1, 0, 2]);
  });

  it('announces its ports over the control queues and carries data both ways', () => {
    const { d, f } = attach(() => new VirtioSerial({ bus: 'pcie-link', ports }));
    const out: [string, string][] = [];
    f.console.sink = (id, data) => out.push([id, new TextDecoder().decode(data)]);
    const offered = d.init((1n << CONSOLE_F_MULTIPORT) | (1n << CONSOLE_F_EMERG_WRITE), [0, 1, 2, 3, 4, 5]);
    expect(offered & 0xffn).toBe((1n << CONSOLE_F_MULTIPORT) | (1n << CONSOLE_F_EMERG_WRITE));
    expect(d.numQueues()).toBe(64);
    expect(d.config(4, 4)).toBe(31);
    // Control receive buffers, then DEVICE_READY.
    const rx = Array.from({ length: 8 }, () => d.g.alloc(64));
    for (const b of rx) d.rings.get(2)!.add([{ address: b, length: 64, write: true }]);
    const ctl = (id: number, event: number, value: number) => {
      const b = d.g.alloc(8);
      d.g.w32(b, id);
      d.g.w16(b + 4, event);
      d.g.w16(b + 6, value);
      d.submit(3, [{ address: b, length: 8, write: false }]);
    };
    const received = () =>
      d.used(2).map((u) => {
        const b = rx[u.id]!;
        const msg = { id: d.g.r32(b), event: d.g.r16(b + 4), value: d.g.r16(b + 6) };
        return u.len > 8 ? { ...msg, name: new TextDecoder().decode(d.g.read(b + 8, u.len - 8)) } : msg;
      });
    ctl(0xffff_ffff, CONSOLE_EVENT.DEVICE_READY, 1);
    expect(received()).toEqual([
      { id: 0, event: CONSOLE_EVENT.DEVICE_ADD, value: 1 },
      { id: 1, event: CONSOLE_EVENT.DEVICE_ADD, value: 1 },
    ]);
    ctl(0, CONSOLE_EVENT.PORT_READY, 1);
    ctl(1, CONSOLE_EVENT.PORT_READY, 1);
    expect(received()).toEqual([
      { id: 0, event: CONSOLE_EVENT.CONSOLE_PORT, value: 1 },
      { id: 0, event: CONSOLE_EVENT.PORT_OPEN, value: 1 },
      { id: 1, event: CONSOLE_EVENT.PORT_NAME, value: 1, name: 'org.qemu.guest_agent.0\0' },
      { id: 1, event: CONSOLE_EVENT.PORT_OPEN, value: 1 },
    ]);
    ctl(1, CONSOLE_EVENT.PORT_OPEN, 1);
    expect(f.console.isOpen('channel0')).toBe(true);
    // The console's transmit queue is 1; port 1's are 4 (receive) and 5 (transmit).
    const text = d.g.alloc(16);
    d.g.write(text, new TextEncoder().encode('hello'));
    d.submit(1, [{ address: text, length: 5, write: false }]);
    d.submit(5, [{ address: text, length: 4, write: false }]);
    expect(out).toEqual([['console0', 'hello'], ['channel0', 'hell']]);
    // Host to guest: held until the driver gives a receive buffer.
    f.console.send('channel0', new TextEncoder().encode('{"execute":"ping"}'));
    const inbuf = d.g.alloc(64);
    const head = d.submit(4, [{ address: inbuf, length: 64, write: true }]);
    expect(d.used(4)).toEqual([{ id: head, len: 18 }]);
    expect(new TextDecoder().decode(d.g.read(inbuf, 18))).toBe('{"execute":"ping"}');
  });

  it('takes emergency writes for the console before any queue is set up', () => {
    const { m, f } = attach(() => new VirtioSerial({ bus: 'pcie-link', ports }));
    const out: string[] = [];
    f.console.sink = (id, data) => out.push(`${id}:${String.fromCharCode(...data)}`);
    m.memory.write(BAR4 + MODERN.DEVICE + 8, 4, 0x21);
    expect(out).toEqual(['console0:!']);
  });
});

describe('virtio-gpu (2D)', () => {
  /** Sends one control command and returns the response type (and the response bytes). */
  function command(d: Driver, words: number[], respBytes = 24): { type: number; resp: Uint8Array } {
    const req = d.g.alloc(4 * words.length);
    words.forEach((w, i) => d.g.w32(req + 4 * i, w));
    const resp = d.g.alloc(respBytes);
    const head = d.submit(0, [{ address: req, length: 4 * words.length, write: false }, { address: resp, length: respBytes, write: true }]);
    const used = d.used(0);
    expect(used.map((u) => u.id)).toEqual([head]);
    return { type: d.g.r32(resp), resp: d.g.read(resp, respBytes) };
  }
  /** struct virtio_gpu_ctrl_hdr: type, flags, fence_id (64), ctx_id, padding. */
  const hdr = (type: number) => [type, 0, 0, 0, 0, 0];

  it('reports one 1280x800 scanout and shows a resource the guest filled', () => {
    const { d, f } = attach(() => new VirtioGpu({ bus: 'pcie-link' }));
    d.init(0n, [0, 1]);
    expect(d.config(8, 4)).toBe(1);
    const info = command(d, hdr(GPU_CMD.GET_DISPLAY_INFO), 24 + 16 * 24);
    expect(info.type).toBe(GPU_RESP.OK_DISPLAY_INFO);
    const iv = new DataView(info.resp.buffer);
    expect([iv.getUint32(24 + 8, true), iv.getUint32(24 + 12, true), iv.getUint32(24 + 16, true), iv.getUint32(48 + 16, true)]).toEqual([GPU_XRES, GPU_YRES, 1, 0]);
    // A 4x2 B8G8R8X8 resource backed by two scattered pieces of guest memory.
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_CREATE_2D), 7, 2, 4, 2]).type).toBe(GPU_RESP.OK_NODATA);
    const a = d.g.alloc(12);
    const b = d.g.alloc(20, 4096);
    const image = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    d.g.write(a, image.subarray(0, 12));
    d.g.write(b, image.subarray(12));
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_ATTACH_BACKING), 7, 2, a, 0, 12, 0, b, 0, 20, 0]).type).toBe(GPU_RESP.OK_NODATA);
    expect(command(d, [...hdr(GPU_CMD.TRANSFER_TO_HOST_2D), 0, 0, 4, 2, 0, 0, 7, 0]).type).toBe(GPU_RESP.OK_NODATA);
    expect(command(d, [...hdr(GPU_CMD.SET_SCANOUT), 0, 0, 4, 2, 0, 7]).type).toBe(GPU_RESP.OK_NODATA);
    const frames: Frame[] = [];
    f.gpu.onFlush = (fr) => frames.push(fr);
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_FLUSH), 0, 0, 4, 2, 7, 0]).type).toBe(GPU_RESP.OK_NODATA);
    expect(frames).toHaveLength(1);
    expect({ w: frames[0]!.width, h: frames[0]!.height, format: frames[0]!.format }).toEqual({ w: 4, h: 2, format: 2 });
    expect(Array.from(frames[0]!.pixels)).toEqual(Array.from(image));
  });

  it('answers bad commands with errors and echoes fences', () => {
    const { d } = attach(() => new VirtioGpu({ bus: 'pcie-link' }));
    d.init(0n, [0, 1]);
    expect(command(d, [...hdr(GPU_CMD.SET_SCANOUT), 0, 0, 4, 2, 0, 99]).type).toBe(GPU_RESP.ERR_INVALID_RESOURCE_ID);
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_CREATE_2D), 1, 2, 0x10000, 0x10000]).type).toBe(GPU_RESP.ERR_OUT_OF_MEMORY);
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_CREATE_2D), 1, 2, 8, 8]).type).toBe(GPU_RESP.OK_NODATA);
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_CREATE_2D), 1, 2, 8, 8]).type).toBe(GPU_RESP.ERR_INVALID_RESOURCE_ID);
    expect(command(d, [...hdr(GPU_CMD.RESOURCE_FLUSH), 4, 4, 8, 8, 1, 0]).type).toBe(GPU_RESP.ERR_INVALID_PARAMETER);
    expect(command(d, hdr(0x0999)).type).toBe(GPU_RESP.ERR_UNSPEC);
    const fenced = command(d, [GPU_CMD.RESOURCE_UNREF, 1, 0x55, 0, 0, 0, 1, 0]);
    const fv = new DataView(fenced.resp.buffer);
    expect([fenced.type, fv.getUint32(4, true), fv.getUint32(8, true)]).toEqual([GPU_RESP.OK_NODATA, 1, 0x55]);
  });
});

describe('virtio-scsi', () => {
  /** A command on request queue 2: the 51-byte header, data out, the 108-byte response, data in. */
  function command(d: Driver, target: number, lun: number, cdb: number[], dataIn = 0, dataOut?: Uint8Array): { response: number; status: number; senseKey: number; asc: number; data: Uint8Array; len: number } {
    const req = d.g.alloc(51);
    const bytes = new Uint8Array(51);
    bytes.set([1, target, 0x40 | (lun >> 8), lun & 0xff]);
    bytes.set(cdb, 19);
    d.g.write(req, bytes);
    const resp = d.g.alloc(108 + dataIn);
    const chain = [{ address: req, length: 51, write: false }];
    if (dataOut) {
      const out = d.g.alloc(dataOut.length);
      d.g.write(out, dataOut);
      chain.push({ address: out, length: dataOut.length, write: false });
    }
    chain.push({ address: resp, length: 108 + dataIn, write: true });
    const head = d.submit(2, chain);
    const used = d.used(2);
    expect(used.map((u) => u.id)).toEqual([head]);
    const r = d.g.read(resp, 108 + dataIn);
    return { response: r[11]!, status: r[10]!, senseKey: r[12 + 2]! & 0xf, asc: r[12 + 12]!, data: r.subarray(108), len: used[0]!.len };
  }

  function scsiMachine() {
    const disk = new Uint8Array(1 * MiB).map((_, i) => (i * 13) & 0xff);
    const r = attach(() => new VirtioScsi({ bus: 'pcie-link', units: [{ kind: 'disk', target: 0, lun: 0 }, { kind: 'cdrom', target: 1, lun: 0 }] }));
    r.f.units[0]!.drive.attach(new MemoryBlockBackend(disk));
    return { ...r, disk };
  }

  it("offers QEMU 7.2's features, queues and configuration", () => {
    const { d } = scsiMachine();
    expect(d.init(0n, [0, 1, 2]) & 0xffn).toBe((1n << SCSI_F_HOTPLUG) | (1n << SCSI_F_CHANGE));
    expect(d.numQueues()).toBe(3);
    expect(d.queueSize(2)).toBe(256);
    // num_queues, seg_max, max_sectors, cmd_per_lun, event_info_size, sense_size, cdb_size, max_target, max_lun.
    expect([0, 4, 8, 12, 16, 20, 24].map((o) => d.config(o, 4))).toEqual([1, 254, 0xffff, 128, 16, 96, 32]);
    expect([d.config(28, 2), d.config(30, 2), d.config(32, 4)]).toEqual([0, 255, 16383]);
  });

  it('answers INQUIRY, READ CAPACITY, READ and WRITE on the disk; an absent target is BAD_TARGET', () => {
    const { d, f, disk } = scsiMachine();
    d.init(0n, [0, 1, 2]);
    const inq = command(d, 0, 0, [0x12, 0, 0, 0, 36], 36);
    expect([inq.response, inq.status, inq.data[0]]).toEqual([SCSI_S_OK, 0, 0x00]);
    expect(new TextDecoder().decode(inq.data.subarray(8, 32))).toBe('QEMU    QEMU HARDDISK   ');
    const cap = command(d, 0, 0, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8);
    expect(Array.from(cap.data.subarray(0, 8))).toEqual([0, 0, 0x07, 0xff, 0, 0, 0x02, 0x00]);
    // READ(10) of blocks 2-3.
    const rd = command(d, 0, 0, [0x28, 0, 0, 0, 0, 2, 0, 0, 2, 0], 1024);
    expect(rd.status).toBe(0);
    expect(rd.len).toBe(108 + 1024);
    expect(Array.from(rd.data.subarray(0, 1024))).toEqual(Array.from(disk.subarray(1024, 2048)));
    const data = new Uint8Array(512).fill(0xa5);
    expect(command(d, 0, 0, [0x2a, 0, 0, 0, 0, 7, 0, 0, 1, 0], 0, data).status).toBe(0);
    const back = new Uint8Array(512);
    f.units[0]!.drive.read(7 * 512, back);
    expect(back.every((b) => b === 0xa5)).toBe(true);
    // Past the end: CHECK CONDITION, ILLEGAL REQUEST, LBA out of range.
    const past = command(d, 0, 0, [0x28, 0, 0, 0, 0x08, 0, 0, 0, 1, 0], 512);
    expect([past.status, past.senseKey, past.asc]).toEqual([2, 5, 0x21]);
    expect(command(d, 5, 0, [0x00, 0, 0, 0, 0, 0]).response).toBe(SCSI_S_BAD_TARGET);
  });

  it('reports the empty CD-ROM not ready and its type as CD/DVD', () => {
    const { d } = scsiMachine();
    d.init(0n, [0, 1, 2]);
    const inq = command(d, 1, 0, [0x12, 0, 0, 0, 36], 36);
    expect([inq.data[0], inq.data[1]]).toEqual([0x05, 0x80]);
    const tur = command(d, 1, 0, [0x00, 0, 0, 0, 0, 0]);
    expect([tur.status, tur.senseKey, tur.asc]).toEqual([2, 2, 0x3a]);
    // A missing LUN of a present target: INQUIRY says no device there.
    expect(command(d, 1, 3, [0x12, 0, 0, 0, 36], 36).data[0]).toBe(0x7f);
  });
});

describe('virtio-vga', () => {
  it("lays out QEMU's virtio-vga: VRAM in BAR0, the VGA MMIO then the virtio registers in BAR2, MSI-X in BAR4", () => {
    const m = new Q35Machine({ ram: { below4g: 512 * MiB }, display: 'virtio-vga' });
    m.reset();
    const f = m.vga as VirtioVga;
    expect(f).toBeInstanceOf(VirtioVga);
    expect([f.configRead(R.VENDOR_ID, 2), f.configRead(R.DEVICE_ID, 2), f.configRead(0x08, 4) >>> 8]).toEqual([0x1af4, 0x1050, 0x030000]);
    // The vendor capabilities name BAR2 and the halved common and ISR blocks.
    const blocks: number[][] = [];
    for (let at = f.configRead(R.CAPABILITY_LIST, 1); at !== 0; at = f.configRead(at + 1, 1)) {
      if (f.configRead(at, 1) === R.CAP_ID_VNDR && f.configRead(at + 3, 1) !== 5) blocks.push([f.configRead(at + 3, 1), f.configRead(at + 4, 1), f.configRead(at + 8, 4), f.configRead(at + 12, 4)]);
    }
    expect(blocks.sort((a, b) => a[0]! - b[0]!)).toEqual([[1, 2, 0x1000, 0x800], [2, 2, 0x3000, 0x1000], [3, 2, 0x1800, 0x800], [4, 2, 0x2000, 0x1000]]);
    mapBar(f, 2, BAR4, { mem64: true });
    // The std VGA's QEMU extended registers at 0x600 (size 8, little endian), then the common configuration at 0x1000.
    expect([m.memory.read(BAR4 + 0x600, 4), m.memory.read(BAR4 + 0x604, 4) >>> 0]).toEqual([8, 0x1e1e_1e1e]);
    m.memory.write(BAR4 + 0x1000 + COMMON.Q_SELECT, 2, 0);
    expect(m.memory.read(BAR4 + 0x1000 + COMMON.NUMQ, 2)).toBe(2);
  });
});
