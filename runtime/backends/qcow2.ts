/**
 * A read-only qcow2 image (versions 2 and 3), as QEMU's docs/interop/qcow2.txt
 * describes it: a big-endian header, a one-level L1 table of L2 table
 * offsets, L2 tables of cluster descriptors. What a guest reads:
 * - an allocated cluster: the host cluster's bytes;
 * - an unallocated cluster: the backing file's bytes (raw or qcow2, its
 *   name relative to this image's folder), or zeros without one or past its end;
 * - a v3 zero cluster (L2 bit 0): zeros;
 * - a compressed cluster (L2 bit 62): raw deflate (zlib compression type),
 *   inflated whole and cached.
 * Refused at open with a sentence saying why: encrypted images, images
 * marked corrupt, unknown incompatible features, external data files,
 * extended L2 entries (subclusters), zstd compression, a backing chain
 * deeper than 16.
 *
 * The backend never writes: drives put the in-memory OverlayBackend in
 * front of it (reads and writes are synchronous, like the raw backend).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { RawFileBackend, type BlockBackend } from './block.js';

/** zlib.h's Z_SYNC_FLUSH (node:zlib's constants.Z_SYNC_FLUSH), written out so the CLI can load zlib only when a compressed cluster is read. */
const Z_SYNC_FLUSH = 2;

/** "QFI\xfb" */
const MAGIC = 0x514649fb;
/** Header extension types (qcow2.txt, "Header extensions"). */
const EXT_END = 0;
const EXT_BACKING_FORMAT = 0xe2792aca;
/** Incompatible feature bits. */
const INCOMPAT_DIRTY = 1 << 0;
const INCOMPAT_CORRUPT = 1 << 1;
const INCOMPAT_DATA_FILE = 1 << 2;
const INCOMPAT_COMPRESSION = 1 << 3;
const INCOMPAT_EXTL2 = 1 << 4;
const INCOMPAT_KNOWN = INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE | INCOMPAT_COMPRESSION | INCOMPAT_EXTL2;
/** L1/L2 entry bits 9-55: a host offset (the high word's low 24 bits, the low word's bits 9-31). */
const HI_OFFSET_MASK = 0x00ffffff;
const LO_OFFSET_MASK = 0xfffffe00;
/** High-word flags of an L2 entry. */
const L2_COMPRESSED = 0x40000000;
/** Low-word flag of a v3 L2 entry: the cluster reads as zeros. */
const L2_ZERO = 1;
const MAX_CHAIN = 16;
/** L2 tables kept in memory (each one cluster). */
const L2_CACHE_TABLES = 64;

export interface Qcow2Info {
  readonly version: 2 | 3;
  readonly clusterBits: number;
  readonly size: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
}

const two32 = 2 ** 32;

/** Whether the file at `path` starts with the qcow2 magic (for backing files without a format). */
function isQcow2File(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a read-only image of either format: `format` as the machine file
 * (or a qcow2 header's backing format) says, or probed from the magic.
 * Throws an Error with a one-line message when it cannot.
 */
export function openImage(path: string, format: string | undefined, depth = 0): BlockBackend {
  const fmt = format ?? (isQcow2File(path) ? 'qcow2' : 'raw');
  if (fmt === 'raw') return new RawFileBackend(path, true);
  if (fmt === 'qcow2') return new Qcow2Backend(path, depth);
  throw new Error(`${path}: backing format ${fmt} is not supported (raw and qcow2 are)`);
}

export class Qcow2Backend implements BlockBackend {
  readonly readOnly = true;
  readonly size: number;
  readonly info: Qcow2Info;
  private fd: number | undefined;
  private readonly fileSize: number;
  private readonly clusterSize: number;
  private readonly l1: Uint32Array;
  private readonly l2Cache = new Map<number, Uint32Array>();
  private readonly backing: BlockBackend | undefined;
  /** Bit position of the sector count in a compressed cluster descriptor (62 - (cluster_bits - 8)). */
  private readonly compressedShift: number;
  private lastCompressed: { at: number; data: Uint8Array } | undefined;

  /** Opens `path` read-only; throws an Error whose message says what is wrong with the image. */
  constructor(
    readonly path: string,
    depth = 0,
  ) {
    const fd = openSync(path, 'r');
    this.fd = fd;
    try {
      this.fileSize = fstatSync(fd).size;
      const h = this.pread(0, 112, 0);
      const fail = (why: string): never => {
        throw new Error(`${path}: ${why}`);
      };
      if (h.length < 72 || h.readUInt32BE(0) !== MAGIC) fail('not a qcow2 image (no QFI\\xfb magic)');
      const version = h.readUInt32BE(4);
      if (version !== 2 && version !== 3) fail(`qcow2 version ${version} is not supported (2 and 3 are)`);
      const backingOffset = Number(h.readBigUInt64BE(8));
      const backingSize = h.readUInt32BE(16);
      const clusterBits = h.readUInt32BE(20);
      if (clusterBits < 9 || clusterBits > 21) fail(`cluster_bits ${clusterBits} is out of range (9-21)`);
      const size = Number(h.readBigUInt64BE(24));
      if (!Number.isSafeInteger(size)) fail('virtual size is too large');
      if (h.readUInt32BE(32) !== 0) fail('the image is encrypted; the runtime reads unencrypted qcow2 images only');
      const l1Size = h.readUInt32BE(36);
      const l1Offset = Number(h.readBigUInt64BE(40));
      let headerLength = 72;
      if (version === 3) {
        if (h.length < 104) fail('the v3 header is truncated');
        const incompat = h.readBigUInt64BE(72);
        headerLength = h.readUInt32BE(100);
        if (incompat >> 32n !== 0n || (Number(incompat) & ~INCOMPAT_KNOWN) !== 0) fail(`unknown incompatible features 0x${incompat.toString(16)}; the runtime cannot read this image`);
        const bits = Number(incompat);
        if (bits & INCOMPAT_CORRUPT) fail('the image is marked corrupt (qemu-img check -r all repairs it)');
        if (bits & INCOMPAT_DATA_FILE) fail('the image keeps its data in an external data file, which the runtime does not read (qemu-img convert -O qcow2 makes a self-contained copy)');
        if (bits & INCOMPAT_EXTL2) fail('the image uses extended L2 entries (subclusters), which the runtime does not read (qemu-img convert -O qcow2 makes a copy without them)');
        if (bits & INCOMPAT_COMPRESSION) {
          const type = headerLength > 104 ? h[104] : 0;
          if (type !== 0) fail(`compression type ${type === 1 ? 'zstd' : type} is not supported (zlib is; qemu-img convert -O qcow2 -o compression_type=zlib)`);
        }
        // The dirty bit only means refcounts may be stale; reads do not use them.
      }
      const clusterSize = 2 ** clusterBits;
      this.clusterSize = clusterSize;
      this.compressedShift = 62 - (clusterBits - 8);
      const needL1 = Math.ceil(size / (clusterSize * (clusterSize / 8)));
      if (l1Size < needL1) fail(`the L1 table has ${l1Size} entries; ${needL1} are needed for ${size} bytes`);
      if (l1Size > 0x2000000 || l1Offset + l1Size * 8 > this.fileSize) fail('the L1 table lies outside the file');
      const l1Bytes = this.pread(l1Offset, l1Size * 8);
      this.l1 = new Uint32Array(l1Size * 2);
      for (let i = 0; i < l1Size * 2; i++) this.l1[i] = l1Bytes.readUInt32BE(i * 4);

      // Header extensions follow the header (v2: at 72; v3: at header_length), up to the first cluster's end.
      let backingFormat: string | undefined;
      for (let at = headerLength; at + 8 <= Math.min(clusterSize, this.fileSize); ) {
        const e = this.pread(at, 8);
        const type = e.readUInt32BE(0);
        const len = e.readUInt32BE(4);
        if (type === EXT_END) break;
        if (type === EXT_BACKING_FORMAT) backingFormat = this.pread(at + 8, len).toString('latin1');
        at += 8 + Math.ceil(len / 8) * 8;
      }
      let backingFile: string | undefined;
      if (backingOffset !== 0 && backingSize > 0) {
        if (backingSize > 1023) fail('the backing file name is longer than 1023 bytes');
        backingFile = this.pread(backingOffset, backingSize).toString('utf8');
        if (depth + 1 >= MAX_CHAIN) fail(`the backing chain is deeper than ${MAX_CHAIN} images`);
        const where = isAbsolute(backingFile) ? backingFile : resolve(dirname(path), backingFile);
        try {
          this.backing = openImage(where, backingFormat, depth + 1);
        } catch (e) {
          const why = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
          fail(`cannot open its backing file ${where} (${why})`);
        }
      }
      this.size = size;
      this.info = { version: version as 2 | 3, clusterBits, size, ...(backingFile !== undefined ? { backingFile } : {}), ...(backingFormat !== undefined ? { backingFormat } : {}) };
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Reads `length` bytes at `offset` of the file (fewer at its end; at least `min` or it throws). */
  private pread(offset: number, length: number, min = length): Buffer {
    if (this.fd === undefined) throw new Error(`${this.path}: closed`);
    const b = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, b, done, length - done, offset + done);
      if (n <= 0) break;
      done += n;
    }
    if (done < min) throw new Error(`${this.path}: truncated (needs ${min} bytes at offset ${offset})`);
    return done < length ? b.subarray(0, done) : b;
  }

  /** The L2 table at host offset `at` (cached; entries as big-endian high/low word pairs). */
  private l2Table(at: number): Uint32Array {
    let t = this.l2Cache.get(at);
    if (t) {
      this.l2Cache.delete(at);
      this.l2Cache.set(at, t);
      return t;
    }
    const b = this.pread(at, this.clusterSize);
    t = new Uint32Array(this.clusterSize / 4);
    for (let i = 0; i < t.length; i++) t[i] = b.readUInt32BE(i * 4);
    if (this.l2Cache.size >= L2_CACHE_TABLES) this.l2Cache.delete(this.l2Cache.keys().next().value!);
    this.l2Cache.set(at, t);
    return t;
  }

  /** Fills `into` with the guest cluster `cluster`'s bytes from `inCluster` on. */
  private readCluster(cluster: number, inCluster: number, into: Uint8Array, guestOffset: number): void {
    const perL2 = this.clusterSize / 8;
    const l1Index = Math.floor(cluster / perL2);
    const l2Index = cluster - l1Index * perL2;
    const l2At = (this.l1[l1Index * 2]! & HI_OFFSET_MASK) * two32 + (this.l1[l1Index * 2 + 1]! & LO_OFFSET_MASK);
    let hi = 0;
    let lo = 0;
    if (l2At !== 0) {
      const t = this.l2Table(l2At);
      hi = t[l2Index * 2]!;
      lo = t[l2Index * 2 + 1]!;
    }
    if (hi & L2_COMPRESSED) {
      const data = this.compressedCluster(hi, lo);
      into.set(data.subarray(inCluster, inCluster + into.length));
      return;
    }
    if (lo & L2_ZERO && this.info.version === 3) {
      into.fill(0);
      return;
    }
    const host = (hi & HI_OFFSET_MASK) * two32 + (lo & LO_OFFSET_MASK);
    if (host === 0) {
      this.readBacking(guestOffset, into);
      return;
    }
    const got = this.pread(host + inCluster, into.length);
    into.set(got);
  }

  /** Bytes from the backing file, zeros without one or past its end. */
  private readBacking(offset: number, into: Uint8Array): void {
    into.fill(0);
    const b = this.backing;
    if (!b || offset >= b.size) return;
    const n = Math.min(into.length, b.size - offset);
    if (!b.read(offset, into.subarray(0, n))) throw new Error(`${this.path}: cannot read its backing file at ${offset}`);
  }

  /** Inflates the compressed cluster an L2 entry describes (the last one is cached). */
  private compressedCluster(hi: number, lo: number): Uint8Array {
    const entry = (BigInt(hi) << 32n) | BigInt(lo);
    const shift = BigInt(this.compressedShift);
    const offset = Number(entry & ((1n << shift) - 1n));
    const sectors = Number((entry >> shift) & ((1n << (62n - shift)) - 1n)) + 1;
    if (this.lastCompressed?.at === offset) return this.lastCompressed.data;
    const length = Math.min(sectors * 512 - (offset & 511), this.fileSize - offset);
    const raw = this.pread(offset, length);
    const out = new Uint8Array(this.clusterSize);
    // Z_SYNC_FLUSH: the stream may end anywhere in its last sector; a cluster never inflates past its size
    // (a damaged stream that would is an I/O error, not a memory blow-up).
    const data = inflateRawSync(raw, { finishFlush: Z_SYNC_FLUSH, maxOutputLength: this.clusterSize });
    out.set(data.subarray(0, this.clusterSize));
    this.lastCompressed = { at: offset, data: out };
    return out;
  }

  read(offset: number, into: Uint8Array): boolean {
    if (this.fd === undefined || !Number.isSafeInteger(offset) || offset < 0 || offset + into.length > this.size) return false;
    try {
      for (let at = 0; at < into.length; ) {
        const pos = offset + at;
        const cluster = Math.floor(pos / this.clusterSize);
        const inCluster = pos - cluster * this.clusterSize;
        const n = Math.min(into.length - at, this.clusterSize - inCluster);
        this.readCluster(cluster, inCluster, into.subarray(at, at + n), pos);
        at += n;
      }
      return true;
    } catch {
      return false;
    }
  }

  write(): boolean {
    return false;
  }

  flush(): boolean {
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const b = this.backing as { close?: () => void } | undefined;
    b?.close?.();
  }
}

/** The header of a qcow2 file, for messages and tests. */
export function qcow2Info(path: string): Qcow2Info {
  const q = new Qcow2Backend(path);
  try {
    return q.info;
  } finally {
    q.close();
  }
}
