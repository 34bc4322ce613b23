/**
 * The fw_cfg formats machc writes, byte for byte: table-loader entries,
 * etc/e820 records and bootorder, then the ACPI blob layout. Expected bytes
 * are written as annotated rows; where a real QEMU 7.2 capture has the same
 * file, ours is compared with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, layoutAcpi } from '../../compiler/emit/firmware/acpi-layout.js';
import { walkAcpi } from '../../compiler/emit/firmware/acpi-walk.js';
import { decodeBootorder, encodeBootorder } from '../../compiler/emit/firmware/bootorder.js';
import { decodeE820, encodeE820, e820Listing } from '../../compiler/emit/firmware/e820.js';
import { decodeLoader, encodeCommand, encodeLoader, formatCommand, type LoaderCommand } from '../../compiler/emit/firmware/loader.js';
import { byteSum, runTableLoader, seabiosAllocator } from '../../compiler/emit/firmware/seabios-loader.js';
import type { E820Entry } from '../../compiler/model/topology.js';
import { facs, rsdp, splitQemuTables, syntheticSet, table } from './acpi-fixtures.js';
import { bytes, hexRows, le32, le64, text, zeros } from './bytes.js';
import { captureCases, fwCfgFile } from './machines.js';

const withFwCfg = captureCases().filter((c) => existsSync(join(c.dir, 'fw_cfg')));

describe('etc/table-loader entries', () => {
  it('ALLOCATE: file, align, zone', () => {
    expect(hexRows(encodeCommand({ kind: 'allocate', file: 'etc/acpi/rsdp', align: 16, zone: 'fseg' }))).toEqual(hexRows(bytes(
      le32(1), //                         0: command 1 = ALLOCATE
      text('etc/acpi/rsdp', 56), //       4: file name, NUL-padded
      le32(16), //                       60: alignment
      [2], //                            64: zone 2 = F-segment
      zeros(63), //                      65: rest of the 124-byte union
    )));
  });

  it('ADD_POINTER: destination, source, offset, size', () => {
    expect(hexRows(encodeCommand({ kind: 'add-pointer', dest: 'etc/acpi/tables', src: 'etc/acpi/tables', offset: 0x20ec, size: 4 }))).toEqual(hexRows(bytes(
      le32(2), //                         0: command 2 = ADD_POINTER
      text('etc/acpi/tables', 56), //     4: file holding the pointer field
      text('etc/acpi/tables', 56), //    60: file whose address is added
      le32(0x20ec), //                  116: offset of the field
      [4], //                           120: field width in bytes
      zeros(7),
    )));
  });

  it('ADD_CHECKSUM: file, checksum byte, range', () => {
    expect(hexRows(encodeCommand({ kind: 'add-checksum', file: 'etc/acpi/tables', offset: 0x49, start: 0x40, length: 0x2088 }))).toEqual(hexRows(bytes(
      le32(3), //                         0: command 3 = ADD_CHECKSUM
      text('etc/acpi/tables', 56), //     4: file
      le32(0x49), //                     60: checksum byte (DSDT at 0x40, byte 9)
      le32(0x40), //                     64: start of the summed range
      le32(0x2088), //                   68: length of the summed range
      zeros(56),
    )));
  });

  it('WRITE_POINTER: destination, source, both offsets, size', () => {
    expect(hexRows(encodeCommand({ kind: 'write-pointer', dest: 'etc/vmgenid_addr', src: 'etc/vmgenid_guid', dstOffset: 0, srcOffset: 40, size: 8 }))).toEqual(hexRows(bytes(
      le32(4), //                         0: command 4 = WRITE_POINTER
      text('etc/vmgenid_addr', 56), //    4: fw_cfg file written back
      text('etc/vmgenid_guid', 56), //   60: allocated file whose address is written
      le32(0), //                       116: offset in the written file
      le32(40), //                      120: offset added to the address
      [8], //                           124: width
      zeros(3),
    )));
  });

  it('pads the script to 4 KiB with zero (ignored) entries and decodes back', () => {
    const cmds: LoaderCommand[] = Array.from({ length: 33 }, (_, i) => ({ kind: 'add-checksum', file: 'x', offset: i, start: 0, length: 64 }));
    const blob = encodeLoader(cmds);
    expect(blob.length).toBe(8192); // 33 entries = 4224 bytes -> two pages
    expect(blob.subarray(33 * 128).every((b) => b === 0)).toBe(true);
    expect(decodeLoader(blob)).toEqual(cmds);
    expect(encodeLoader([]).length).toBe(4096);
  });

  it('refuses names firmware would reject and alignments that are not powers of two', () => {
    expect(() => encodeCommand({ kind: 'allocate', file: 'x'.repeat(56), align: 16, zone: 'high' })).toThrow(/1 to 55 bytes/);
    expect(() => encodeCommand({ kind: 'allocate', file: 'etc/x', align: 24, zone: 'high' })).toThrow(/power of two/);
  });
});

describe('etc/e820', () => {
  it('packs 20-byte records: u64 address, u64 length, u32 type', () => {
    const entries: E820Entry[] = [
      { base: 0xfd_0000_0000, size: 0x3_0000_0000, type: 'reserved', what: 'AMD HyperTransport' },
      { base: 0, size: 0x8000_0000, type: 'ram', what: 'RAM below 4 GiB' },
      { base: 0x1_0000_0000, size: 0x8000_0000, type: 'ram', what: 'RAM above 4 GiB' },
    ];
    expect(hexRows(encodeE820(entries))).toEqual(hexRows(bytes(
      le64(0xfd_0000_0000), le64(0x3_0000_0000), le32(2), // reserved
      le64(0), le64(0x8000_0000), le32(1), //                RAM
      le64(0x1_0000_0000), le64(0x8000_0000), le32(1), //    RAM
    )));
    expect(decodeE820(encodeE820(entries))).toEqual(entries.map((e) => ({ base: e.base, size: e.size, type: e.type === 'ram' ? 1 : 2 })));
    expect(e820Listing(entries)).toContain('BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] usable     RAM above 4 GiB');
  });

  const e820Cases = withFwCfg.filter((c) => existsSync(fwCfgFile(c.dir, 'etc/e820')));
  it('has captures to compare with', () => expect(e820Cases.length).toBeGreaterThanOrEqual(12));
  for (const c of e820Cases) {
    it(`equals QEMU's file byte for byte: ${c.name}`, () => {
      const m = compileMachine(c.machine, { qemu: c.target }).machine!;
      expect(hexRows(encodeE820(m.memory.e820Qemu))).toEqual(hexRows(readFileSync(fwCfgFile(c.dir, 'etc/e820'))));
    });
  }
});

describe('bootorder', () => {
  it('joins paths with newlines and ends with one NUL; no boot device is an empty file', () => {
    expect(encodeBootorder([])).toEqual(new Uint8Array(0));
    expect(Buffer.from(encodeBootorder(['/pci@i0cf8/scsi@4/disk@0,0', '/pci@i0cf8/ethernet@3/ethernet-phy@0'])).toString('latin1'))
      .toBe('/pci@i0cf8/scsi@4/disk@0,0\n/pci@i0cf8/ethernet@3/ethernet-phy@0\0');
  });

  // The captures booted with -kernel: QEMU lists the linuxboot option ROM at bootindex 0, before
  // any device. Our machines add their devices from bootindex 1, so QEMU's file is that line + ours.
  const bootCases = withFwCfg.filter((c) => existsSync(fwCfgFile(c.dir, 'bootorder')));
  for (const c of bootCases) {
    it(`equals QEMU's file byte for byte (with -kernel's linuxboot entry first): ${c.name}`, () => {
      const m = compileMachine(c.machine, { qemu: c.target }).machine!;
      const captured = readFileSync(fwCfgFile(c.dir, 'bootorder'));
      const ours = encodeBootorder(['/rom@genroms/linuxboot_dma.bin', ...m.boot.map((b) => b.path)]);
      expect(Buffer.from(ours).toString('latin1')).toBe(captured.toString('latin1'));
      expect(decodeBootorder(captured)[0]).toBe('/rom@genroms/linuxboot_dma.bin');
    });
  }
});

describe('ACPI layout in etc/acpi/tables, etc/acpi/rsdp and the loader script', () => {
  const set = syntheticSet();
  const layout = layoutAcpi(set);

  it('puts FACS first, then the tables back to back, padded to 128 KiB', () => {
    expect(layout.placed.map((p) => `${p.signature}@${p.offset.toString(16)}+${p.length.toString(16)}`)).toEqual([
      'FACS@0+40', 'DSDT@40+2b', 'FACP@6b+f4', 'APIC@15f+2c', 'SSDT@18b+2b', 'SSDT@1b6+2b', 'RSDT@1e1+34',
    ]);
    expect(layout.tables.length).toBe(0x20000);
    expect(layout.used).toBe(0x215);
    expect(layout.tables.subarray(layout.used).every((b) => b === 0)).toBe(true);
  });

  it('pre-stores target offsets in pointer fields and zeroes checksum bytes', () => {
    const fadt = layout.tables.subarray(0x6b, 0x6b + 0xf4);
    expect(hexRows(fadt.subarray(36, 44))).toEqual(hexRows(bytes(le32(0x00), le32(0x40)))); // FIRMWARE_CTRL = FACS, DSDT
    expect(hexRows(fadt.subarray(140, 148))).toEqual(hexRows(bytes(le64(0x40)))); //              X_DSDT
    const rsdt = layout.tables.subarray(0x1e1, 0x1e1 + 0x34);
    // RSDT entries: FACP, APIC, then the two SSDTs in order.
    expect(hexRows(rsdt.subarray(36))).toEqual(hexRows(bytes(le32(0x6b), le32(0x15f), le32(0x18b), le32(0x1b6))));
    for (const p of layout.placed.filter((x) => x.signature !== 'FACS')) expect(layout.tables[p.offset + 9], p.signature).toBe(0);
    expect(hexRows(layout.rsdp)).toEqual(hexRows(bytes(text('RSD PTR ', 8), [0], text('MACHC ', 6), [0], le32(0x1e1))));
  });

  it('orders commands as QEMU does: ALLOCATEs, then each table\'s pointers and checksum, then the RSDP', () => {
    expect(layout.commands.map(formatCommand)).toEqual([
      'ALLOCATE etc/acpi/rsdp align 16 zone fseg',
      'ALLOCATE etc/acpi/tables align 64 zone high',
      'ADD_CHECKSUM etc/acpi/tables+0x49 over [0x40, +0x2b)',
      'ADD_POINTER etc/acpi/tables+0x8f (4 B) += &etc/acpi/tables',
      'ADD_POINTER etc/acpi/tables+0x93 (4 B) += &etc/acpi/tables',
      'ADD_POINTER etc/acpi/tables+0xf7 (8 B) += &etc/acpi/tables',
      'ADD_CHECKSUM etc/acpi/tables+0x74 over [0x6b, +0xf4)',
      'ADD_CHECKSUM etc/acpi/tables+0x168 over [0x15f, +0x2c)',
      'ADD_CHECKSUM etc/acpi/tables+0x194 over [0x18b, +0x2b)',
      'ADD_CHECKSUM etc/acpi/tables+0x1bf over [0x1b6, +0x2b)',
      'ADD_POINTER etc/acpi/tables+0x205 (4 B) += &etc/acpi/tables',
      'ADD_POINTER etc/acpi/tables+0x209 (4 B) += &etc/acpi/tables',
      'ADD_POINTER etc/acpi/tables+0x20d (4 B) += &etc/acpi/tables',
      'ADD_POINTER etc/acpi/tables+0x211 (4 B) += &etc/acpi/tables',
      'ADD_CHECKSUM etc/acpi/tables+0x1ea over [0x1e1, +0x34)',
      'ADD_POINTER etc/acpi/rsdp+0x10 (4 B) += &etc/acpi/tables',
      'ADD_CHECKSUM etc/acpi/rsdp+0x8 over [0x0, +0x14)',
    ]);
  });

  it('run through SeaBIOS\'s loader: every checksum sums to zero and every pointer lands on its table', () => {
    const run = runTableLoader(encodeLoader(layout.commands), new Map([[ACPI_TABLES_FILE, layout.tables], [ACPI_RSDP_FILE, layout.rsdp]]), seabiosAllocator(0x1fff_0000));
    expect(run.errors).toEqual([]);
    const tables = run.files.get(ACPI_TABLES_FILE)!;
    expect(tables.address % 64).toBe(0);
    expect(tables.address + tables.data.length).toBeLessThanOrEqual(0x1fff_0000);
    const rsdpLoaded = run.files.get(ACPI_RSDP_FILE)!;
    expect(rsdpLoaded.address).toBeGreaterThanOrEqual(0xf0000);
    expect(byteSum(rsdpLoaded.data.subarray(0, 20))).toBe(0);
    const walk = walkAcpi(run.files.values());
    expect(walk.errors).toEqual([]);
    expect(walk.tables.map((t) => `${t.via} -> ${t.signature}@+${(t.address - tables.address).toString(16)}`)).toEqual([
      'RSDP.RsdtAddress -> RSDT@+1e1',
      'RSDT[0] -> FACP@+6b',
      'FACP.FIRMWARE_CTRL -> FACS@+0',
      'FACP.DSDT -> DSDT@+40',
      'RSDT[1] -> APIC@+15f',
      'RSDT[2] -> SSDT@+18b',
      'RSDT[3] -> SSDT@+1b6',
    ]);
    for (const t of walk.tables) if (t.signature !== 'FACS') expect(byteSum(t.bytes), t.signature).toBe(0);
  });

  it('the walk catches a broken checksum and a pointer to the wrong table', () => {
    const bad = layoutAcpi({
      tables: [facs(), table('DSDT', []), table('FACP', new Array<number>(244 - 36).fill(0), [
        { offset: 36, size: 4, target: 'FACS' }, { offset: 40, size: 4, target: 'RSDT' },
      ]), table('APIC', [1, 2, 3]), table('RSDT', [0, 0, 0, 0, 0, 0, 0, 0], [
        { offset: 36, size: 4, target: 'FACP' }, { offset: 40, size: 4, target: 'APIC' },
      ])],
      rsdp: rsdp(),
    });
    const apic = bad.placed.find((p) => p.signature === 'APIC')!;
    const cmds = bad.commands.filter((c) => !(c.kind === 'add-checksum' && c.start === apic.offset));
    const run = runTableLoader(cmds, new Map([[ACPI_TABLES_FILE, bad.tables], [ACPI_RSDP_FILE, bad.rsdp]]));
    expect(run.errors).toEqual([]);
    const errors = walkAcpi(run.files.values()).errors.join('\n');
    expect(errors).toMatch(/FACP.DSDT -> 0x[0-9a-f]+ is RSDT, expected DSDT/);
    expect(errors).toMatch(/APIC at 0x[0-9a-f]+: checksum does not sum to zero/);
  });

  it('rejects pointers and checksums outside their table, and unknown targets', () => {
    expect(() => layoutAcpi({ tables: [table('XXXX', [], [{ offset: 34, size: 4, target: 'XXXX' }])], rsdp: rsdp('XXXX') })).toThrow(/outside the table/);
    expect(() => layoutAcpi({ tables: [table('XXXX', [])], rsdp: rsdp('RSDT') })).toThrow(/RSDT is not among the tables/);
  });

  const qemuCases = withFwCfg.filter((c) => existsSync(fwCfgFile(c.dir, 'etc/acpi/tables')));
  it('has captures to compare with', () => expect(qemuCases.length).toBeGreaterThanOrEqual(12));
  for (const c of qemuCases) {
    it(`laying out QEMU's own tables reproduces its three files byte for byte: ${c.name}`, () => {
      const blob = readFileSync(fwCfgFile(c.dir, 'etc/acpi/tables'));
      const rsdpBytes = readFileSync(fwCfgFile(c.dir, 'etc/acpi/rsdp'));
      const loader = readFileSync(fwCfgFile(c.dir, 'etc/table-loader'));
      const ours = layoutAcpi(splitQemuTables(blob, rsdpBytes));
      expect(ours.commands.map(formatCommand)).toEqual(decodeLoader(loader).map(formatCommand));
      expect(Buffer.from(encodeLoader(ours.commands)).equals(loader)).toBe(true);
      expect(Buffer.from(ours.tables).equals(blob)).toBe(true);
      expect(Buffer.from(ours.rsdp).equals(rsdpBytes)).toBe(true);
      // And QEMU's real files pass the same SeaBIOS replay and OS walk.
      const run = runTableLoader(loader, new Map([[ACPI_TABLES_FILE, blob], [ACPI_RSDP_FILE, rsdpBytes]]));
      expect([...run.errors, ...walkAcpi(run.files.values()).errors]).toEqual([]);
    });
  }
});

describe('SeaBIOS loader replay', () => {
  it('reports what firmware would refuse instead of skipping it', () => {
    const files = new Map([['etc/a', new Uint8Array(16)]]);
    const run = runTableLoader([
      { kind: 'allocate', file: 'etc/a', align: 16, zone: 'high' },
      { kind: 'allocate', file: 'etc/missing', align: 16, zone: 'high' },
      { kind: 'add-pointer', dest: 'etc/a', src: 'etc/a', offset: 14, size: 4 },
      { kind: 'add-checksum', file: 'etc/a', offset: 3, start: 8, length: 9 },
      { kind: 'add-pointer', dest: 'etc/a', src: 'etc/missing', offset: 0, size: 4 },
    ], files, () => 0x1000);
    expect(run.errors).toEqual([
      'ALLOCATE etc/missing align 16 zone high: no such fw_cfg file (firmware skips it)',
      'ADD_POINTER etc/a+0xe (4 B) += &etc/a: pointer field out of bounds',
      'ADD_CHECKSUM etc/a+0x3 over [0x8, +0x9): checksum range out of bounds',
      'ADD_POINTER etc/a+0x0 (4 B) += &etc/missing: file not allocated: etc/missing',
    ]);
  });

  it('adds the allocation address to the pre-stored value, little-endian, at the field width', () => {
    const data = bytes(le32(0x10), le64(0x20), [0xff, 0xff]);
    const run = runTableLoader([
      { kind: 'allocate', file: 'f', align: 64, zone: 'high' },
      { kind: 'add-pointer', dest: 'f', src: 'f', offset: 0, size: 4 },
      { kind: 'add-pointer', dest: 'f', src: 'f', offset: 4, size: 8 },
      { kind: 'add-pointer', dest: 'f', src: 'f', offset: 12, size: 2 },
    ], new Map([['f', data]]), () => 0x1ffe_0000);
    expect(hexRows(run.files.get('f')!.data)).toEqual(hexRows(bytes(le32(0x1ffe_0010), le64(0x1ffe_0020), [0xff, 0xff])));
  });
});
