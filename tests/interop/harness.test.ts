import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCpio, writeCpio } from './cpio.js';
import { parseSerialDump } from './dump.js';
import { BootError, bootLinux, qemuAvailable } from './qemu.js';
import { sriov } from './pcicfg.js';
import { TOPOLOGIES } from './topologies.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

describe('cpio newc', () => {
  it('round-trips files, dirs and symlinks', () => {
    const buf = writeCpio([
      { kind: 'dir', name: 'a' },
      { kind: 'file', name: 'a/x', data: Buffer.from('hello') },
      { kind: 'symlink', name: 'a/y', target: 'x' },
    ]);
    const entries = readCpio(buf);
    expect(entries.map((e) => e.name)).toEqual(['a', 'a/x', 'a/y']);
    expect(entries[1]?.data.toString()).toBe('hello');
    expect(entries[2]?.data.toString()).toBe('x');
  });
});

describe('serial dump parser', () => {
  const archive = gzipSync(writeCpio([{ kind: 'file', name: 'pci.txt', data: Buffer.from('x\n') }]));
  const md5 = createHash('md5').update(archive).digest('hex');
  const b64 = archive.toString('base64').replace(/(.{76})/g, '$1\n');
  const framed = (body: string): string =>
    `noise\r\n@@MACHC-DUMP-BEGIN size=${archive.length} md5=${md5}@@\r\n${body}\r\n@@MACHC-DUMP-END@@\r\n[ 1.0] reboot: Power down\r\n`;

  it('decodes a framed dump with CRLF and a stray kernel line', () => {
    const body = b64.replace('\n', '\n[    2.000000] some kernel message\n').replace(/\n/g, '\r\n');
    expect(parseSerialDump(framed(body)).get('pci.txt')?.toString()).toBe('x\n');
  });

  it('rejects a damaged dump', () => {
    expect(() => parseSerialDump(framed(b64.slice(0, -8)))).toThrow(/size mismatch|md5/);
  });
});

const avail = qemuAvailable();
const REF = join(import.meta.dirname, '../fixtures/captures/default');

describe.skipIf(!avail.ok)('bootLinux (QEMU 7.2, TCG)', () => {
  it('default q35 matches the reference capture', { timeout: 240_000 }, async () => {
    const r = await bootLinux({ args: ['-net', 'none'] });
    expect(r.functions.map((f) => f.bdf)).toEqual(['0000:00:00.0', '0000:00:01.0', '0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3']);
    expect(r.functions[0]).toMatchObject({ vendor: 0x8086, device: 0x29c0, classCode: 0x060000 });
    expect(r.fwCfg.get('etc/e820')?.length).toBe(40);
    expect(r.fwCfg.has('etc/table-loader')).toBe(true);
    expect(r.dmesg).toMatch(/Linux version/);
    expect(r.seabiosLog).toMatch(/SeaBIOS/);
    for (const t of readdirSync(join(REF, 'acpi')).filter((f) => !f.endsWith('.dsl'))) {
      expect(r.tables.get(t)?.length, t).toBe(readFileSync(join(REF, 'acpi', t)).length);
    }
    for (const c of readdirSync(join(REF, 'cfg'))) {
      expect(r.configs.get(c.replace(/\.bin$/, '')), c).toEqual(readFileSync(join(REF, 'cfg', c)));
    }
  });

  it('fails a boot whose SeaBIOS stops logging before its boot attempt as a stall, without waiting for the timeout', { timeout: 60_000 }, async () => {
    // A stand-in for QEMU that logs what QEMU 7.2 logged when it hung, then hangs.
    const dir = mkdtempSync(join(tmpdir(), 'machc-stall-'));
    try {
      const fake = join(dir, 'qemu');
      writeFileSync(
        fake,
        '#!/bin/sh\nfor a in "$@"; do case "$a" in file,id=machcdbg,path=*) log="${a#file,id=machcdbg,path=}";; esac; done\nprintf "SeaBIOS (version test)\\nset VGA mode 3\\n" > "$log"\nexec sleep 600\n',
        { mode: 0o755 },
      );
      const started = Date.now();
      const err = await bootLinux({ qemu: fake, args: ['-net', 'none'], stallMs: 2_000, timeoutMs: 50_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BootError);
      expect((err as BootError).kind).toBe('stall');
      expect((err as BootError).logs.seabiosLog).toBe('SeaBIOS (version test)\nset VGA mode 3\n');
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enables nvme SR-IOV VFs through pci-pf-stub', { timeout: 240_000 }, async () => {
    const topo = TOPOLOGIES.find((t) => t.name === 'sriov-nvme');
    if (!topo) throw new Error('topology missing');
    const work = mkdtempSync(join(tmpdir(), 'machc-test-'));
    try {
      writeFileSync(join(work, 'nvme0.img'), Buffer.alloc(0));
      const r = await bootLinux({ args: topo.args, workDir: work, enableVfs: { '0000:01:00.0': 2 } });
      const pf = r.functions.find((f) => f.bdf === '0000:01:00.0');
      expect(pf).toMatchObject({ vendor: 0x1b36, device: 0x0010, sriovTotalVfs: 4, sriovNumVfs: 2, driver: 'pci-pf-stub' });
      expect(r.functions.filter((f) => f.physfn === '0000:01:00.0').map((f) => f.bdf)).toEqual(['0000:01:00.1', '0000:01:00.2']);
      const cap = sriov(r.configs.get('0000:01:00.0') ?? Buffer.alloc(0));
      expect(cap).toMatchObject({ totalVfs: 4, numVfs: 2, firstVfOffset: 1, vfStride: 1, vfDeviceId: 0x0010 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
