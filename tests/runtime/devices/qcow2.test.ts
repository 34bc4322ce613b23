/**
 * The qcow2 reader against images Debian's qemu-img writes: every byte read
 * through the backend equals the raw data it was made from (or
 * `qemu-img convert -O raw` of the image), for v2 and v3 images, several
 * cluster sizes, compressed clusters, zero clusters and backing chains.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Drive } from '../../../runtime/backends/drive.js';
import { Qcow2Backend } from '../../../runtime/backends/qcow2.js';
import { needTools } from '../../support/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'machc-qcow2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tool(name: string, args: string[]): void {
  const r = spawnSync(name, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${r.stderr}`);
}
const qemuImg = (...args: string[]) => tool('qemu-img', args);
const qemuIo = (...args: string[]) => tool('qemu-io', args);

/** 3 MiB + 1536 bytes (not a whole number of clusters): runs of patterns, text, zeros and noise. */
function rawData(seed: number): Uint8Array {
  const size = 3 * 1024 * 1024 + 1536;
  const b = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    const region = (i >> 16) % 4;
    if (region === 0) b[i] = (i * 7 + seed) & 0xff; // compressible
    else if (region === 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff; // incompressible
    } else if (region === 2) b[i] = 0; // zeros (qemu-img leaves them unallocated)
    else b[i] = 'machc qcow2 '.charCodeAt(i % 12);
  }
  return b;
}

/** Reads the whole image through the backend in uneven pieces that straddle clusters. */
function readAll(q: { size: number; read(o: number, into: Uint8Array): boolean }): Uint8Array {
  const out = new Uint8Array(q.size);
  const pieces = [512, 4096, 65536 + 512, 1536, 300_000];
  for (let at = 0, i = 0; at < q.size; i++) {
    const n = Math.min(pieces[i % pieces.length]!, q.size - at);
    expect(q.read(at, out.subarray(at, at + n)), `read at ${at}`).toBe(true);
    at += n;
  }
  return out;
}

function sameBytes(got: Uint8Array, want: Uint8Array): void {
  expect(got.length).toBe(want.length);
  const first = got.findIndex((v, i) => v !== want[i]);
  expect(first, `first differing byte at ${first}`).toBe(-1);
}

describe.runIf(needTools('qemu-img', 'qemu-io'))('qcow2 images made by qemu-img', () => {
  const data = rawData(1);
  writeFileSync(join(dir, 'data.raw'), data);

  it.each([
    ['v3, 64 KiB clusters', ['-o', 'compat=1.1']],
    ['v2 (compat=0.10)', ['-o', 'compat=0.10']],
    ['v3, 512-byte clusters', ['-o', 'cluster_size=512']],
    ['v3, 4 KiB clusters', ['-o', 'cluster_size=4096']],
    ['v2, 2 MiB clusters', ['-o', 'compat=0.10,cluster_size=2097152']],
    ['compressed, v3, 64 KiB clusters', ['-c']],
    ['compressed, v2, 4 KiB clusters', ['-c', '-o', 'compat=0.10,cluster_size=4096']],
    ['compressed, 512-byte clusters', ['-c', '-o', 'cluster_size=512']],
  ])('%s: every byte equals the raw data', (name, opts) => {
    const file = `${name.replace(/\W+/g, '-')}.qcow2`;
    qemuImg('convert', '-f', 'raw', '-O', 'qcow2', ...opts, 'data.raw', file);
    const q = new Qcow2Backend(join(dir, file));
    try {
      expect(q.info.version).toBe(opts.join(' ').includes('compat=0.10') ? 2 : 3);
      expect(q.size).toBe(data.length);
      // Compressed images hold deflated clusters: well under the 3/4 of the data a plain image stores.
      if (opts.includes('-c')) expect(statSync(join(dir, file)).size).toBeLessThan(data.length / 2);
      sameBytes(readAll(q), data);
      // Out of range and writes fail cleanly.
      expect(q.read(q.size - 1, new Uint8Array(2))).toBe(false);
      expect(q.write()).toBe(false);
    } finally {
      q.close();
    }
  });

  it('a backing chain (qcow2 over qcow2 over raw, relative names): reads as qemu-img convert -O raw of the top', () => {
    qemuImg('create', '-f', 'raw', 'base.raw', '4M');
    qemuIo('-f', 'raw', '-c', 'write -P 0x11 0 1M', '-c', 'write -P 0x12 3M 512', 'base.raw');
    qemuImg('create', '-f', 'qcow2', '-b', 'base.raw', '-F', 'raw', 'mid.qcow2', '5M');
    qemuIo('-f', 'qcow2', '-c', 'write -P 0x21 512k 1M', '-c', 'write -z 3M 64k', '-c', 'write -P 0x22 4M 64k', 'mid.qcow2');
    // The top is a v2 image (backing format in a header extension after the 72-byte header).
    qemuImg('create', '-f', 'qcow2', '-o', 'compat=0.10', '-b', 'mid.qcow2', '-F', 'qcow2', 'top.qcow2', '6M');
    qemuIo('-f', 'qcow2', '-c', 'write -P 0x31 100k 8k', '-c', 'write -P 0x32 5M 4k', 'top.qcow2');
    qemuImg('convert', '-f', 'qcow2', '-O', 'raw', 'top.qcow2', 'top.raw');
    const want = new Uint8Array(readFileSync(join(dir, 'top.raw')));
    const q = new Qcow2Backend(join(dir, 'top.qcow2'));
    try {
      expect(q.info).toMatchObject({ version: 2, backingFile: 'mid.qcow2', backingFormat: 'qcow2' });
      expect(q.size).toBe(6 * 1024 * 1024);
      const got = readAll(q);
      sameBytes(got, want);
      // The layers show through where they should: the raw base, the middle, the top, the middle's v3 zero cluster over the base's 0x12, past the base's end.
      expect([got[0], got[600 * 1024], got[100 * 1024], got[3 * 1024 * 1024], got[4 * 1024 * 1024 + 100 * 1024]]).toEqual([0x11, 0x21, 0x31, 0, 0]);
    } finally {
      q.close();
    }
  });

  it('a drive opens qcow2 through the overlay: the guest writes, the image stays as it was', () => {
    qemuImg('convert', '-f', 'raw', '-O', 'qcow2', 'data.raw', 'drive.qcow2');
    const before = readFileSync(join(dir, 'drive.qcow2'));
    const d = new Drive({ image: 'drive.qcow2', format: 'qcow2', readonly: false }, 'test');
    d.open({ baseDir: dir });
    expect(d.readOnly).toBe(false);
    const sector = new Uint8Array(512).fill(0xab);
    expect(d.write(65536 + 512, sector)).toBe(true);
    const back = new Uint8Array(1024);
    expect(d.read(65536, back)).toBe(true);
    expect(back.subarray(0, 512)).toEqual(data.subarray(65536, 65536 + 512));
    expect(back.subarray(512)).toEqual(sector);
    expect(readFileSync(join(dir, 'drive.qcow2')).equals(before)).toBe(true);
    // Read-only drives read it directly; write-through is refused with a reason.
    const ro = new Drive({ image: 'drive.qcow2', format: 'qcow2', readonly: true }, 'ro');
    ro.open({ baseDir: dir, persist: true });
    expect(ro.readOnly).toBe(true);
    expect(() => new Drive({ image: 'drive.qcow2', format: 'qcow2', readonly: false }, 'disk0').open({ baseDir: dir, persist: true })).toThrow(
      `disk0: ${join(dir, 'drive.qcow2')} is a qcow2 image; qcow2 images run with an in-memory overlay only (run without --persist, mark the drive readonly, or convert it to raw with qemu-img convert -O raw)`,
    );
  });

  it('a damaged compressed cluster is a failed read, never an exception', () => {
    // 1 MiB that deflates well: every cluster is stored compressed (qemu-img stores a cluster that does not shrink as is).
    const pattern = new Uint8Array(1 << 20).map((_, i) => (i * 7 + (i >> 12)) & 0xff);
    writeFileSync(join(dir, 'pattern.raw'), pattern);
    qemuImg('convert', '-c', '-f', 'raw', '-O', 'qcow2', 'pattern.raw', 'damaged.qcow2');
    const f = readFileSync(join(dir, 'damaged.qcow2'));
    // Compressed clusters are written after the metadata, in order: wreck the last ones' deflate streams.
    f.fill(0xff, f.length - 8192);
    writeFileSync(join(dir, 'damaged.qcow2'), f);
    const q = new Qcow2Backend(join(dir, 'damaged.qcow2'));
    try {
      const results = [];
      const cluster = new Uint8Array(65536);
      for (let at = 0; at < q.size; at += 65536) results.push(q.read(at, cluster));
      expect(results.at(-1)).toBe(false);
      expect(results[0]).toBe(true);
    } finally {
      q.close();
    }
  });

  it('refuses what it cannot read, with the reason', () => {
    const refused = (file: string) => {
      try {
        new Qcow2Backend(join(dir, file)).close();
        return 'opened';
      } catch (e) {
        return (e as Error).message.replace(`${join(dir, file)}: `, '');
      }
    };
    qemuImg('create', '-f', 'qcow2', '-o', 'encrypt.format=aes,encrypt.key-secret=sec0', '--object', 'secret,id=sec0,data=pw', 'aes.qcow2', '1M');
    expect(refused('aes.qcow2')).toBe('the image is encrypted; the runtime reads unencrypted qcow2 images only');
    qemuImg('create', '-f', 'raw', 'ext.raw', '1M');
    qemuImg('create', '-f', 'qcow2', '-o', 'data_file=ext.raw', 'ext.qcow2', '1M');
    expect(refused('ext.qcow2')).toMatch(/^the image keeps its data in an external data file/);
    qemuImg('create', '-f', 'qcow2', '-o', 'extended_l2=on', 'sub.qcow2', '1M');
    expect(refused('sub.qcow2')).toMatch(/^the image uses extended L2 entries/);
    qemuImg('create', '-f', 'qcow2', '-o', 'compression_type=zstd', 'zstd.qcow2', '1M');
    expect(refused('zstd.qcow2')).toMatch(/^compression type zstd is not supported/);
    // An unknown incompatible feature bit (bit 40), set by hand in the header.
    qemuImg('create', '-f', 'qcow2', 'future.qcow2', '1M');
    const f = readFileSync(join(dir, 'future.qcow2'));
    f[72 + 2] = 0x01;
    writeFileSync(join(dir, 'future.qcow2'), f);
    expect(refused('future.qcow2')).toBe('unknown incompatible features 0x10000000000; the runtime cannot read this image');
    writeFileSync(join(dir, 'junk.qcow2'), 'not an image');
    expect(refused('junk.qcow2')).toBe('not a qcow2 image (no QFI\\xfb magic)');
    qemuImg('create', '-f', 'qcow2', '-u', '-b', 'gone.raw', '-F', 'raw', 'orphan.qcow2', '1M');
    expect(refused('orphan.qcow2')).toBe(`cannot open its backing file ${join(dir, 'gone.raw')} (ENOENT)`);
  });
});
