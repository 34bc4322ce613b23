/** Block backends and drives: images are never modified unless the run asks for it. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBlockBackend, OverlayBackend } from '../../../runtime/backends/block.js';
import { Drive } from '../../../runtime/backends/drive.js';
import { Q35Machine } from '../../../runtime/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'machc-drives-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function image(name: string, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 13) & 0xff;
  writeFileSync(join(dir, name), bytes);
  return bytes;
}

describe('drives', () => {
  it('a writable drive writes into an overlay by default: the guest reads its writes, the file is unchanged', () => {
    const original = image('disk.raw', 10_000);
    const d = new Drive({ image: 'disk.raw', format: 'raw', readonly: false }, 'test');
    expect(d.present).toBe(false);
    d.open({ baseDir: dir });
    expect(d.present).toBe(true);
    expect(d.size).toBe(10_000);
    expect(d.readOnly).toBe(false);
    const data = new Uint8Array(600).fill(0xab);
    expect(d.write(4000, data)).toBe(true); // straddles the 4 KiB overlay block boundary
    const back = new Uint8Array(1000);
    expect(d.read(3800, back)).toBe(true);
    expect([...back.subarray(0, 200)]).toEqual([...original.subarray(3800, 4000)]);
    expect(back.subarray(200, 800).every((b) => b === 0xab)).toBe(true);
    expect([...back.subarray(800)]).toEqual([...original.subarray(4600, 4800)]);
    // The last, partial 4 KiB block of the image.
    expect(d.write(9990, new Uint8Array(10).fill(1))).toBe(true);
    expect(d.flush()).toBe(true);
    expect(new Uint8Array(readFileSync(join(dir, 'disk.raw')))).toEqual(original);
  });

  it('persist writes through to the image file', () => {
    image('disk.raw', 4096);
    const d = new Drive({ image: join(dir, 'disk.raw'), format: 'raw', readonly: false }, 'test');
    d.open({ baseDir: '/nonexistent', persist: true });
    expect(d.write(512, new Uint8Array(512).fill(7))).toBe(true);
    expect(d.flush()).toBe(true);
    expect(readFileSync(join(dir, 'disk.raw')).subarray(512, 1024).every((b) => b === 7)).toBe(true);
  });

  it('a read-only drive refuses writes even with persist, and needs no write permission', () => {
    const original = image('ro.raw', 4096);
    chmodSync(join(dir, 'ro.raw'), 0o444);
    const d = new Drive({ image: 'ro.raw', format: 'raw', readonly: true }, 'test');
    d.open({ baseDir: dir, persist: true });
    expect(d.readOnly).toBe(true);
    expect(d.write(0, new Uint8Array(512))).toBe(false);
    expect(new Uint8Array(readFileSync(join(dir, 'ro.raw')))).toEqual(original);
  });

  it('out-of-range and unaligned-to-size accesses fail cleanly', () => {
    const b = new OverlayBackend(new MemoryBlockBackend(4096, true));
    expect(b.read(4000, new Uint8Array(200))).toBe(false);
    expect(b.write(-1, new Uint8Array(1))).toBe(false);
    expect(b.read(Number.MAX_SAFE_INTEGER, new Uint8Array(1))).toBe(false);
    expect(b.read(2 ** 60, new Uint8Array(1))).toBe(false);
    expect(new Drive(undefined, 'empty').read(0, new Uint8Array(1))).toBe(false);
  });

  it('Q35Machine.openDrives reports every image it cannot open (missing, a directory, a raw file said to be qcow2) at once', () => {
    image('good.raw', 4096);
    const m = new Q35Machine({
      ram: { below4g: 64 * 1024 * 1024 },
      sataDrives: [
        { port: 0, kind: 'disk', drive: { image: 'good.raw', format: 'raw', readonly: false } },
        { port: 1, kind: 'disk', drive: { image: 'missing.raw', format: 'raw', readonly: false } },
        { port: 2, kind: 'disk', drive: { image: 'root.qcow2', format: 'qcow2', readonly: false } },
        { port: 3, kind: 'disk', drive: { image: '.', format: 'raw', readonly: true } },
        { port: 4, kind: 'disk', drive: { image: 'good.raw', format: 'qcow2', readonly: false } },
        { port: 5, kind: 'cdrom' },
      ],
    });
    const errors = m.openDrives({ baseDir: dir });
    expect(errors).toEqual([
      `ich9-ahci 00:1f.2 port 1: cannot open ${join(dir, 'missing.raw')} (ENOENT)`,
      `ich9-ahci 00:1f.2 port 2: cannot open ${join(dir, 'root.qcow2')} (ENOENT)`,
      `ich9-ahci 00:1f.2 port 3: cannot open ${dir} (${dir} is not a regular file)`,
      `ich9-ahci 00:1f.2 port 4: ${join(dir, 'good.raw')}: not a qcow2 image (no QFI\\xfb magic)`,
    ]);
    expect(m.drives().map((d) => d.present)).toEqual([true, false, false, false, false, false]);
  });
});
