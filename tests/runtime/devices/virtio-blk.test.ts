/**
 * virtio-blk driven as SeaBIOS 1.16.2 drives it (modern interface through
 * BAR4: reset, ACKNOWLEDGE|DRIVER, VERSION_1 + BLK_SIZE + SEG_MAX accepted,
 * FEATURES_OK read back, queue 0 at up to 256 entries in the 4 KiB-aligned
 * vring layout, one header/data/status chain per request, polling the used
 * ring) and as Linux drives it (MSI-X vectors per queue, event index,
 * indirect descriptors, the legacy IO interface on a transitional
 * function), against guest RAM through the bus-master DMA path.
 */
import { describe, expect, it } from 'vitest';
import { memoryDrive } from '../../../runtime/backends/drive.js';
import { Q35Machine, VirtioBlk } from '../../../runtime/index.js';
import { BLK_CONFIG, BLK_F_BLK_SIZE, BLK_F_RO, BLK_F_SEG_MAX, BLK_S_IOERR, BLK_S_OK, BLK_S_UNSUPP, BLK_T_GET_ID, BLK_T_IN, BLK_T_OUT } from '../../../runtime/devices/virtio/blk.js';
import { COMMON, F_RING_EVENT_IDX, F_RING_INDIRECT_DESC, F_VERSION_1, LEGACY, MODERN, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK, STATUS_NEEDS_RESET } from '../../../runtime/devices/virtio/transport.js';
import { captureMsi, firstDifference, GuestView, mapBar } from './guest.js';
import { Ring } from './vring.js';

const MiB = 1024 * 1024;
const BAR4 = 0xfe00_0000;
const BAR1 = 0xfd00_0000;
const IO = 0xc000;

function pattern(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed + (i >> 9)) & 0xff;
  return b;
}

function setup(bus: 'pcie-link' | 'pcie-root', image: Uint8Array, opts: { cpus?: number; readOnly?: boolean; serial?: string } = {}): { m: Q35Machine; blk: VirtioBlk; g: GuestView } {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
  const blk = m.attach(m.root, 0x04, 0, new VirtioBlk({ bus, cpus: opts.cpus ?? 1, serial: opts.serial }));
  m.reset();
  blk.drive.attach(memoryDrive(image, 'test', opts.readOnly));
  mapBar(blk, 4, BAR4, { mem64: true });
  mapBar(blk, 1, BAR1);
  if (bus === 'pcie-root') mapBar(blk, 0, IO, { io: true });
  return { m, blk, g: new GuestView(m) };
}

/** SeaBIOS's modern virtio-blk setup (virtio-blk.c init_virtio_blk, virtio-pci.c vp_find_vq). */
function seabiosInit(m: Q35Machine): { ring: Ring; sectors: number; blksize: number; features: bigint } {
  const g = new GuestView(m, 0x0200_0000);
  const c = (off: number) => BAR4 + MODERN.COMMON + off;
  m.memory.write(c(COMMON.STATUS), 1, 0);
  let status = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
  m.memory.write(c(COMMON.STATUS), 1, status);
  m.memory.write(c(COMMON.DFSELECT), 4, 0);
  const lo = m.memory.read(c(COMMON.DF), 4) >>> 0;
  m.memory.write(c(COMMON.DFSELECT), 4, 1);
  const hi = m.memory.read(c(COMMON.DF), 4) >>> 0;
  let features = (BigInt(hi) << 32n) | BigInt(lo);
  expect(features & (1n << F_VERSION_1)).not.toBe(0n);
  features &= (1n << F_VERSION_1) | (1n << 33n) | (1n << BLK_F_BLK_SIZE) | (1n << BLK_F_SEG_MAX) | (1n << 1n);
  m.memory.write(c(COMMON.GFSELECT), 4, 0);
  m.memory.write(c(COMMON.GF), 4, Number(features & 0xffff_ffffn));
  m.memory.write(c(COMMON.GFSELECT), 4, 1);
  m.memory.write(c(COMMON.GF), 4, Number(features >> 32n));
  status |= STATUS_FEATURES_OK;
  m.memory.write(c(COMMON.STATUS), 1, status);
  expect(m.memory.read(c(COMMON.STATUS), 1) & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
  const dev = (off: number, w: 1 | 2 | 4) => m.memory.read(BAR4 + MODERN.DEVICE + off, w) >>> 0;
  const blksize = dev(BLK_CONFIG.BLK_SIZE, 4);
  const sectors = dev(BLK_CONFIG.CAPACITY, 4) + dev(BLK_CONFIG.CAPACITY + 4, 4) * 2 ** 32;
  // vp_find_vq: queue 0, its size (at most MAX_QUEUE_NUM 256), the vring, enable.
  m.memory.write(c(COMMON.Q_SELECT), 2, 0);
  let num = m.memory.read(c(COMMON.Q_SIZE), 2);
  if (num > 256) {
    m.memory.write(c(COMMON.Q_SIZE), 2, 256);
    num = m.memory.read(c(COMMON.Q_SIZE), 2);
  }
  const ring = new Ring(g, num);
  m.memory.write(c(COMMON.Q_DESCLO), 4, ring.desc);
  m.memory.write(c(COMMON.Q_DESCHI), 4, 0);
  m.memory.write(c(COMMON.Q_AVAILLO), 4, ring.avail);
  m.memory.write(c(COMMON.Q_AVAILHI), 4, 0);
  m.memory.write(c(COMMON.Q_USEDLO), 4, ring.used);
  m.memory.write(c(COMMON.Q_USEDHI), 4, 0);
  m.memory.write(c(COMMON.Q_ENABLE), 2, 1);
  status |= STATUS_DRIVER_OK;
  m.memory.write(c(COMMON.STATUS), 1, status);
  return { ring, sectors, blksize, features };
}

/** virtio_blk_op: header, data and status in one chain, then a kick on the queue's notify address. */
function request(m: Q35Machine, ring: Ring, type: number, sector: number, data: { address: number; length: number }, notify: () => void): { status: number; len: number } {
  const g = new GuestView(m, 0x0300_0000);
  const hdr = g.alloc(16);
  g.w32(hdr, type);
  g.w64(hdr + 8, sector);
  const st = g.alloc(1);
  g.w8(st, 0xff);
  const write = type === BLK_T_OUT;
  const head = ring.add([{ address: hdr, length: 16, write: false }, ...(data.length ? [{ ...data, write: !write }] : []), { address: st, length: 1, write: true }]);
  notify();
  const used = ring.takeUsed();
  expect(used.map((u) => u.id)).toEqual([head]);
  return { status: g.r8(st), len: used[0]!.len };
}

describe('virtio-blk: SeaBIOS 1.16.2 (modern interface)', () => {
  it('negotiates features, sets up queue 0 and reads the disk as SeaBIOS does', () => {
    const image = pattern(64 * MiB, 5);
    const { m, g } = setup('pcie-link', image);
    const init = seabiosInit(m);
    // What SeaBIOS logs for such a disk: s=131072 (tests/fixtures/captures/disk-controllers/seabios.log).
    expect(init.sectors).toBe(131072);
    expect(init.blksize).toBe(512);
    expect(init.ring.size).toBe(256);
    expect(init.features).toBe((1n << F_VERSION_1) | (1n << BLK_F_BLK_SIZE) | (1n << BLK_F_SEG_MAX));
    const kick = () => m.memory.write(BAR4 + MODERN.NOTIFY + 0 * MODERN.NOTIFY_MULTIPLIER, 2, 0);
    const buf = g.alloc(64 * 512, 512);
    for (const lba of [0, 1, 131072 - 64]) {
      const r = request(m, init.ring, BLK_T_IN, lba, { address: buf, length: 64 * 512 }, kick);
      expect(r).toEqual({ status: BLK_S_OK, len: 64 * 512 + 1 });
      expect(firstDifference(g.read(buf, 64 * 512), image.subarray(lba * 512, (lba + 64) * 512))).toBe(-1);
    }
    // Past the end: an I/O error, the buffer untouched.
    expect(request(m, init.ring, BLK_T_IN, 131072 - 1, { address: buf, length: 1024 }, kick).status).toBe(BLK_S_IOERR);
  });

  it('accepts no feature it did not offer: FEATURES_OK stays clear', () => {
    const { m } = setup('pcie-link', new Uint8Array(MiB));
    const c = (off: number) => BAR4 + MODERN.COMMON + off;
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    m.memory.write(c(COMMON.GFSELECT), 4, 1);
    m.memory.write(c(COMMON.GF), 4, 1 | (1 << 30));
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    expect(m.memory.read(c(COMMON.STATUS), 1)).toBe(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
  });

  it('the PCI configuration access capability reaches the same registers (SeaBIOS in 16-bit mode)', () => {
    const { blk } = setup('pcie-link', new Uint8Array(MiB));
    // Find the type-5 vendor capability and read the device's num_queues through it.
    let cap = blk.configRead(0x34, 1);
    while (cap && !(blk.configRead(cap, 1) === 0x09 && blk.configRead(cap + 3, 1) === 5)) cap = blk.configRead(cap + 1, 1);
    expect(cap).not.toBe(0);
    blk.configWrite(cap + 4, 1, 4);
    blk.configWrite(cap + 8, 4, MODERN.COMMON + COMMON.NUMQ);
    blk.configWrite(cap + 12, 4, 2);
    expect(blk.configRead(cap + 16, 2)).toBe(1);
    blk.configWrite(cap + 8, 4, MODERN.DEVICE + BLK_CONFIG.CAPACITY);
    blk.configWrite(cap + 12, 4, 4);
    expect(blk.configRead(cap + 16, 4)).toBe(2048);
  });
});

describe('virtio-blk: what Linux does', () => {
  it('MSI-X per queue, event index, indirect descriptors, writes and GET_ID; four queues with four vCPUs', () => {
    const { m, blk, g } = setup('pcie-link', new Uint8Array(8 * MiB), { cpus: 4, serial: 'MACHC-VD0' });
    const msi = captureMsi(m);
    const c = (off: number) => BAR4 + MODERN.COMMON + off;
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    expect(m.memory.read(c(COMMON.NUMQ), 2)).toBe(4);
    expect(m.memory.read(BAR4 + MODERN.DEVICE + BLK_CONFIG.NUM_QUEUES, 2)).toBe(4);
    const want = (1n << F_VERSION_1) | (1n << F_RING_EVENT_IDX) | (1n << F_RING_INDIRECT_DESC) | (1n << 12n);
    m.memory.write(c(COMMON.GFSELECT), 4, 0);
    m.memory.write(c(COMMON.GF), 4, Number(want & 0xffff_ffffn));
    m.memory.write(c(COMMON.GFSELECT), 4, 1);
    m.memory.write(c(COMMON.GF), 4, 1);
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    // MSI-X on, vector 0 for config, vector 3 for queue 2 (table entries in BAR1).
    blk.configWrite(blk.msix!.offset + 2, 2, 0x8000);
    for (let v = 0; v < 5; v++) {
      m.memory.write(BAR1 + 16 * v, 4, 0xfee0_0000);
      m.memory.write(BAR1 + 16 * v + 8, 4, 0x30 + v);
      m.memory.write(BAR1 + 16 * v + 12, 4, 0);
    }
    m.memory.write(c(COMMON.MSIX), 2, 0);
    m.memory.write(c(COMMON.Q_SELECT), 2, 2);
    m.memory.write(c(COMMON.Q_SIZE), 2, 64);
    m.memory.write(c(COMMON.Q_MSIX), 2, 3);
    expect(m.memory.read(c(COMMON.Q_MSIX), 2)).toBe(3);
    m.memory.write(c(COMMON.Q_MSIX), 2, 9); // beyond the table: refused
    expect(m.memory.read(c(COMMON.Q_MSIX), 2)).toBe(0xffff);
    m.memory.write(c(COMMON.Q_MSIX), 2, 3);
    const ring = new Ring(g, 64);
    m.memory.write(c(COMMON.Q_DESCLO), 4, ring.desc);
    m.memory.write(c(COMMON.Q_AVAILLO), 4, ring.avail);
    m.memory.write(c(COMMON.Q_USEDLO), 4, ring.used);
    m.memory.write(c(COMMON.Q_ENABLE), 2, 1);
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    expect(m.memory.read(c(COMMON.Q_NOFF), 2)).toBe(2);
    const kick = () => m.memory.write(BAR4 + MODERN.NOTIFY + 2 * MODERN.NOTIFY_MULTIPLIER, 2, 2);

    // A write through an indirect table: header, two data buffers, status.
    const data = pattern(4096, 9);
    const buf = g.alloc(4096, 512);
    g.write(buf, data);
    const hdr = g.alloc(16);
    g.w32(hdr, BLK_T_OUT);
    g.w64(hdr + 8, 100);
    const st = g.alloc(1);
    const table = g.alloc(64, 16);
    const entries = [
      [hdr, 16, 0],
      [buf, 1000, 0],
      [buf + 1000, 3096, 0],
      [st, 1, 2],
    ] as const;
    entries.forEach(([a, l, f], i) => {
      g.w64(table + 16 * i, a);
      g.w32(table + 16 * i + 8, l);
      g.w16(table + 16 * i + 12, f | (i < 3 ? 1 : 0));
      g.w16(table + 16 * i + 14, i + 1);
    });
    g.w16(ring.used + 4 + 8 * 64, 0); // avail_event area
    ring.add([{ address: table, length: 64, write: false }]);
    g.w16(ring.desc + 12, 4); // make the head descriptor indirect
    g.w16(ring.avail + 4 + 2 * 64, 0); // used_event = 0: interrupt for the first completion
    kick();
    expect(ring.takeUsed()).toEqual([{ id: 0, len: 1 }]);
    expect(g.r8(st)).toBe(BLK_S_OK);
    expect(firstDifference(readBack(blk, 100, 8), data)).toBe(-1);
    expect(g.r16(ring.used + 4 + 8 * 64)).toBe(1); // avail_event published
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x33, rid: 0x20 }]);

    // used_event far ahead: no interrupt for the next completion.
    g.w16(ring.avail + 4 + 2 * 64, 10);
    const id = g.alloc(20);
    const r = request(m, ring, BLK_T_GET_ID, 0, { address: id, length: 20 }, kick);
    expect(r).toEqual({ status: BLK_S_OK, len: 21 });
    expect(new TextDecoder().decode(g.read(id, 9))).toBe('MACHC-VD0');
    expect(msi.length).toBe(1);
    expect(request(m, ring, 77, 0, { address: id, length: 20 }, kick).status).toBe(BLK_S_UNSUPP);
  });

  it('the legacy interface of a transitional function: IO BAR registers, PFN layout, ISR with INTx, read-only media', () => {
    const image = pattern(MiB, 3);
    const { m, blk, g } = setup('pcie-root', image, { readOnly: true });
    const io = (off: number, w: 1 | 2 | 4 = 4) => m.io.read(IO + off, w) >>> 0;
    const iow = (off: number, w: 1 | 2 | 4, v: number) => m.io.write(IO + off, w, v);
    iow(LEGACY.STATUS, 1, 0);
    iow(LEGACY.STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    const features = io(LEGACY.HOST_FEATURES);
    expect(features & (1 << Number(BLK_F_RO))).not.toBe(0);
    iow(LEGACY.GUEST_FEATURES, 4, features & (1 << Number(BLK_F_RO)));
    // Device configuration right after the ISR while MSI-X is off.
    expect(io(0x14 + BLK_CONFIG.CAPACITY)).toBe(2048);
    iow(LEGACY.QUEUE_SEL, 2, 0);
    const size = io(LEGACY.QUEUE_NUM, 2);
    expect(size).toBe(256);
    const ring = new Ring(g, size);
    iow(LEGACY.QUEUE_PFN, 4, ring.desc / 4096);
    iow(LEGACY.STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
    const buf = g.alloc(512, 512);
    const kick = () => iow(LEGACY.QUEUE_NOTIFY, 2, 0);
    expect(request(m, ring, BLK_T_IN, 7, { address: buf, length: 512 }, kick).status).toBe(BLK_S_OK);
    expect(firstDifference(g.read(buf, 512), image.subarray(7 * 512, 8 * 512))).toBe(-1);
    expect(blk.intxAsserted).toBe(true);
    expect(io(LEGACY.ISR, 1)).toBe(1);
    expect(blk.intxAsserted).toBe(false);
    expect(io(LEGACY.ISR, 1)).toBe(0);
    // A read-only medium: writes fail, the image is unchanged.
    expect(request(m, ring, BLK_T_OUT, 7, { address: buf, length: 512 }, kick).status).toBe(BLK_S_IOERR);
    expect(firstDifference(readBack(blk, 7, 1), image.subarray(7 * 512, 8 * 512))).toBe(-1);
  });
});

function readBack(blk: VirtioBlk, sector: number, count: number): Uint8Array {
  const out = new Uint8Array(count * 512);
  blk.drive.read(sector * 512, out);
  return out;
}

describe('virtio-blk: a misbehaving guest', () => {
  it('a descriptor loop, an index out of range and an avail index far ahead break the queue and set DEVICE_NEEDS_RESET; nothing throws', () => {
    for (const corrupt of ['loop', 'next-out-of-range', 'avail-ahead', 'nested-indirect', 'huge-length'] as const) {
      const { m, g } = setup('pcie-link', new Uint8Array(MiB));
      const { ring } = seabiosInit(m);
      const kick = () => m.memory.write(BAR4 + MODERN.NOTIFY, 2, 0);
      const hdr = g.alloc(16);
      const st = g.alloc(1);
      ring.add([
        { address: hdr, length: 16, write: false },
        { address: 0x10_0000, length: 512, write: true },
        { address: st, length: 1, write: true },
      ]);
      if (corrupt === 'loop') g.w16(ring.desc + 2 * 16 + 12, 3), g.w16(ring.desc + 2 * 16 + 14, 0);
      if (corrupt === 'next-out-of-range') g.w16(ring.desc + 14, 999);
      if (corrupt === 'avail-ahead') g.w16(ring.avail + 2, 5000);
      if (corrupt === 'nested-indirect') {
        const t = g.alloc(32);
        g.w64(t, t);
        g.w32(t + 8, 32);
        g.w16(t + 12, 4);
        g.w64(ring.desc, t);
        g.w32(ring.desc + 8, 32);
        g.w16(ring.desc + 12, 4);
      }
      if (corrupt === 'huge-length') {
        g.w32(ring.desc + 16 + 8, 0xffff_ff00);
        g.w32(hdr, BLK_T_IN);
      }
      expect(() => kick()).not.toThrow();
      const status = m.memory.read(BAR4 + MODERN.COMMON + COMMON.STATUS, 1);
      if (corrupt === 'huge-length') {
        // A well-formed chain asking for too much: an I/O error, the queue still works.
        expect(g.r8(st)).toBe(BLK_S_IOERR);
        expect(status & STATUS_NEEDS_RESET).toBe(0);
      } else expect(status & STATUS_NEEDS_RESET).toBe(STATUS_NEEDS_RESET);
      // Reset recovers the device.
      m.memory.write(BAR4 + MODERN.COMMON + COMMON.STATUS, 1, 0);
      expect(m.memory.read(BAR4 + MODERN.COMMON + COMMON.STATUS, 1)).toBe(0);
    }
  });

  it('random register writes over BAR4 and the legacy BAR never throw', () => {
    const { m } = setup('pcie-root', new Uint8Array(MiB));
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 4000; i++) {
      const w = ([1, 2, 4] as const)[rnd() % 3]!;
      if (rnd() & 1) expect(() => m.memory.write(BAR4 + (rnd() % 0x4000), w, rnd())).not.toThrow();
      else expect(() => m.io.write(IO + (rnd() % 128), w, rnd())).not.toThrow();
      expect(() => m.memory.read(BAR4 + (rnd() % 0x4000), w)).not.toThrow();
    }
  });
});
