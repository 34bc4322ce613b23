/**
 * The ICH9 AHCI controller driven the way SeaBIOS 1.16.2 drives it
 * (src/hw/ahci.c: controller setup, port reset, spin-up and link check,
 * IDENTIFY PACKET then IDENTIFY, SET FEATURES, READ DMA, ATAPI through the
 * PACKET command with TEST UNIT READY / REQUEST SENSE retries) and the way
 * Linux's ahci driver adds to it (NCQ, interrupts by INTx and MSI), all
 * against guest RAM through the function's bus-master DMA.
 */
import { describe, expect, it } from 'vitest';
import { memoryDrive } from '../../../runtime/backends/drive.js';
import { Q35Machine } from '../../../runtime/index.js';
import { HBA, PORT, PORT_BASE, PORT_STRIDE, IS_DHRS, IS_PSS, IS_SDBS, IS_TFES, CMD_ST, CMD_FRE, CMD_CR, GHC_IE, IS_HBDS } from '../../../runtime/devices/ich9-ahci/hba.js';
import * as R from '../../../runtime/pci/registers.js';
import { captureMsi, firstDifference, GuestView, mapBar } from './guest.js';

const ABAR = 0xfebf_1000;
const MiB = 1024 * 1024;

/** A small SeaBIOS-like AHCI driver: one command slot, one PRD, polling PxIS. */
class AhciDriver {
  readonly g: GuestView;
  readonly log: string[] = [];
  private readonly ports = new Map<number, { list: number; fis: number; cmd: number }>();

  constructor(readonly m: Q35Machine) {
    this.g = new GuestView(m);
    mapBar(m.ahci!, 5, ABAR);
    this.hw(HBA.GHC, this.hr(HBA.GHC) | (1 << 31));
  }

  hr(reg: number): number {
    return this.m.memory.read(ABAR + reg, 4) >>> 0;
  }
  hw(reg: number, v: number): void {
    this.m.memory.write(ABAR + reg, 4, v >>> 0);
  }
  pr(port: number, reg: number): number {
    return this.hr(PORT_BASE + port * PORT_STRIDE + reg);
  }
  pw(port: number, reg: number, v: number): void {
    this.hw(PORT_BASE + port * PORT_STRIDE + reg, v);
  }

  /** ahci_port_alloc + ahci_port_reset. */
  alloc(port: number): void {
    const list = this.g.alloc(1024, 1024);
    const fis = this.g.alloc(256, 256);
    const cmd = this.g.alloc(256, 256);
    this.ports.set(port, { list, fis, cmd });
    this.pw(port, PORT.CLB, list);
    this.pw(port, PORT.FB, fis);
    this.pw(port, PORT.CLBU, 0);
    this.pw(port, PORT.FBU, 0);
    for (let i = 0; i < 10; i++) {
      const v = this.pr(port, PORT.CMD);
      if (!(v & (CMD_FRE | CMD_ST | (1 << 14) | CMD_CR))) break;
      this.pw(port, PORT.CMD, v & ~(CMD_FRE | CMD_ST));
    }
    this.pw(port, PORT.IE, 0);
    const is = this.pr(port, PORT.IS);
    if (is) this.pw(port, PORT.IS, is);
  }

  /** ahci_command: one PRD, FIS in the table; returns the status byte or -1. */
  command(port: number, fis: Partial<Record<'command' | 'feature' | 'count' | 'lba' | 'device' | 'countExp', number>>, opts: { write?: boolean; atapi?: Uint8Array; buffer?: number; size?: number } = {}): { ok: boolean; status: number; error: number; intbits: number } {
    const p = this.ports.get(port)!;
    const g = this.g;
    g.write(p.cmd, new Uint8Array(256));
    const lba = fis.lba ?? 0;
    g.w8(p.cmd + 0, 0x27);
    g.w8(p.cmd + 1, 0x80);
    g.w8(p.cmd + 2, fis.command ?? 0);
    g.w8(p.cmd + 3, fis.feature ?? 0);
    g.w8(p.cmd + 4, lba & 0xff);
    g.w8(p.cmd + 5, (lba >> 8) & 0xff);
    g.w8(p.cmd + 6, (lba >> 16) & 0xff);
    g.w8(p.cmd + 7, fis.device ?? 0);
    g.w8(p.cmd + 8, Math.floor(lba / 2 ** 24) & 0xff);
    g.w8(p.cmd + 12, fis.count ?? 0);
    g.w8(p.cmd + 13, fis.countExp ?? 0);
    if (opts.atapi) g.write(p.cmd + 0x40, opts.atapi);
    g.w32(p.cmd + 0x80, opts.buffer ?? 0);
    g.w32(p.cmd + 0x84, 0);
    g.w32(p.cmd + 0x8c, ((opts.size ?? 0) - 1) >>> 0);
    g.w32(p.list, (1 << 16) | (opts.write ? 1 << 6 : 0) | (opts.atapi ? 1 << 5 : 0) | 5);
    g.w32(p.list + 4, 0);
    g.w32(p.list + 8, p.cmd);
    g.w32(p.list + 12, 0);
    let intbits = this.pr(port, PORT.IS);
    if (intbits) this.pw(port, PORT.IS, intbits);
    this.pw(port, PORT.CI, 1);
    intbits = this.pr(port, PORT.IS);
    if (!intbits) return { ok: false, status: -1, error: -1, intbits };
    this.pw(port, PORT.IS, intbits);
    const base = intbits & IS_PSS ? p.fis + 0x20 : p.fis + 0x40;
    const status = g.r8(base + 2);
    const error = g.r8(base + 3);
    const ok = (status & 0xa1) === 0 && (status & 0x40) !== 0;
    if (!ok) {
      // Non-queued error recovery (AHCI 1.3 §6.2.2.1), as SeaBIOS does it.
      this.pw(port, PORT.CMD, this.pr(port, PORT.CMD) & ~CMD_ST);
      expect(this.pr(port, PORT.CMD) & CMD_CR).toBe(0);
      this.pw(port, PORT.SERR, this.pr(port, PORT.SERR));
      this.pw(port, PORT.IS, this.pr(port, PORT.IS));
      this.pw(port, PORT.CMD, this.pr(port, PORT.CMD) | CMD_ST);
    }
    return { ok, status, error, intbits };
  }

  /** ahci_port_setup + ahci_port_detect: what SeaBIOS logs for one port. */
  detect(port: number): { atapi: boolean; sectors?: number } | undefined {
    this.alloc(port);
    let cmd = this.pr(port, PORT.CMD) | CMD_FRE;
    this.pw(port, PORT.CMD, cmd);
    cmd |= 1 << 1;
    this.pw(port, PORT.CMD, cmd);
    if ((this.pr(port, PORT.SSTS) & 7) !== 3) return undefined; // link down
    const err = this.pr(port, PORT.SERR);
    if (err) this.pw(port, PORT.SERR, err);
    if (this.pr(port, PORT.TFD) & 0x88) throw new Error(`device not ready (tf 0x${this.pr(port, PORT.TFD).toString(16)})`);
    cmd |= CMD_ST;
    this.pw(port, PORT.CMD, cmd);
    const buf = this.g.alloc(512, 2);
    let r = this.command(port, { command: 0xa1 }, { buffer: buf, size: 512 });
    const atapi = r.ok;
    if (!atapi) {
      r = this.command(port, { command: 0xec }, { buffer: buf, size: 512 });
      if (!r.ok) return undefined;
    }
    const id = this.g.read(buf, 512);
    const w = (i: number) => id[2 * i]! | (id[2 * i + 1]! << 8);
    let model = '';
    for (let i = 0; i < 20; i++) model += String.fromCharCode(w(27 + i) >> 8, w(27 + i) & 0xff);
    model = model.trimEnd();
    let version = 15;
    while (version > 0 && !(w(80) & (1 << version))) version--;
    if (atapi) {
      expect((w(0) >> 8) & 0x1f).toBe(5);
      this.log.push(`AHCI/${port}: registering: "DVD/CD [AHCI/${port}: ${model} ATAPI-${version} DVD/CD]"`);
      return { atapi };
    }
    const sectors = w(83) & (1 << 10) ? w(100) + w(101) * 2 ** 16 + w(102) * 2 ** 32 : w(60) + w(61) * 2 ** 16;
    let udma = -1;
    if (w(53) & 4) for (udma = 6; udma >= 0 && !(w(88) & 0x7f & (1 << udma)); udma--);
    this.log.push(`AHCI/${port}: Set transfer mode to UDMA-${udma}`);
    const sf = this.command(port, { command: 0xef, feature: 0x03, count: 0x40 | udma }, { write: true, buffer: 0, size: 0 });
    expect(sf.ok).toBe(true);
    let adj = Math.floor(sectors / 2048);
    let prefix = 'M';
    if (adj >= 1 << 16) {
      adj = Math.floor(adj / 1024);
      prefix = 'G';
    }
    this.log.push(`AHCI/${port}: registering: "AHCI/${port}: ${model} ATA-${version} Hard-Disk (${adj} ${prefix}iBytes)"`);
    return { atapi, sectors };
  }

  /** scsi_is_ready: TEST UNIT READY, REQUEST SENSE on failure, three MEDIUM NOT PRESENT at most. */
  isReady(port: number): boolean {
    let tries = 3;
    const sense = this.g.alloc(18, 2);
    for (let round = 0; round < 20; round++) {
      if (this.command(port, { command: 0xa0, feature: 1 }, { atapi: new Uint8Array(12), buffer: 0, size: 0 }).ok) return true;
      const cdb = new Uint8Array(12);
      cdb[0] = 0x03;
      cdb[4] = 18;
      if (!this.command(port, { command: 0xa0, feature: 1 }, { atapi: cdb, buffer: sense, size: 18 }).ok) continue;
      if (this.g.r8(sense + 12) === 0x3a) {
        tries--;
        this.log.push(`Device reports MEDIUM NOT PRESENT - ${tries} tries left`);
        if (!tries) return false;
      }
    }
    return false;
  }

  readSectors(port: number, lba: number, count: number): Uint8Array {
    const buf = this.g.alloc(count * 512, 2);
    const big = count >= 256 || lba + count >= 1 << 28;
    const r = this.command(
      port,
      big ? { command: 0x25, feature: 1, count: count & 0xff, countExp: count >> 8, lba, device: 0x40 } : { command: 0xc8, feature: 1, count, lba: lba & 0xffffff, device: 0x40 | ((lba >> 24) & 0xf) },
      { buffer: buf, size: count * 512 },
    );
    expect(r.ok).toBe(true);
    return this.g.read(buf, count * 512);
  }

  writeSectors(port: number, lba: number, data: Uint8Array): boolean {
    const buf = this.g.alloc(data.length, 2);
    this.g.write(buf, data);
    return this.command(port, { command: 0xca, feature: 1, count: data.length / 512, lba, device: 0x40 }, { write: true, buffer: buf, size: data.length }).ok;
  }
}

/** Recognisable bytes (each sector differs) in the first `filled` bytes of `size`; zeros after. */
function pattern(size: number, seed: number, filled = Math.min(size, 2 * MiB)): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < filled; i++) b[i] = (i * 7 + seed + (i >> 9)) & 0xff;
  return b;
}

function machine(sataDrives?: ConstructorParameters<typeof Q35Machine>[0]['sataDrives']): Q35Machine {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB }, sataDrives });
  m.reset();
  return m;
}

describe('ICH9 AHCI: the registers QEMU 7.2 presents', () => {
  it('CAP, PI, VS, GHC after reset; ports with drives report a device and PHY up', () => {
    const m = machine([{ port: 0, kind: 'disk' }]);
    const d = new AhciDriver(m);
    expect(d.hr(HBA.CAP).toString(16)).toBe('c0141f05'); // 64-bit, NCQ, AHCI only, Gen 1, 32 slots, 6 ports
    expect(d.hr(HBA.PI)).toBe(0x3f);
    expect(d.hr(HBA.VS)).toBe(0x10000);
    expect(d.hr(HBA.GHC) >>> 0).toBe(0x8000_0000);
    expect(d.pr(0, PORT.SSTS)).toBe(0x113);
    expect(d.pr(1, PORT.SSTS)).toBe(0);
    expect(d.pr(0, PORT.CMD)).toBe(0x6); // spin-up and power-on
    expect(d.pr(0, PORT.SIG) >>> 0).toBe(0xffff_ffff); // until FIS receive is on
    expect(d.pr(0, PORT.TFD)).toBe(0x7f);
  });

  it('the index/data pair in BAR4 reaches the ABAR registers', () => {
    const m = machine();
    new AhciDriver(m);
    mapBar(m.ahci!, 4, 0xc000, { io: true });
    m.io.write(0xc010, 4, HBA.CAP);
    expect(m.io.read(0xc014, 4).toString(16)).toBe('c0141f05');
    m.io.write(0xc010, 4, PORT_BASE + 2 * PORT_STRIDE + PORT.SSTS);
    expect(m.io.read(0xc014, 4)).toBe(0x113);
  });
});

describe('ICH9 AHCI: SeaBIOS 1.16.2 on QEMU 7.2', () => {
  it("a machine without SATA drives has QEMU's empty CD-ROM on port 2: registered, then MEDIUM NOT PRESENT three times", () => {
    const m = machine();
    const d = new AhciDriver(m);
    const found: number[] = [];
    for (let port = 0; port < 6; port++) if (d.detect(port)) found.push(port);
    expect(found).toEqual([2]);
    expect(d.isReady(2)).toBe(false);
    // The lines SeaBIOS logs on QEMU 7.2 (tests/fixtures/captures/default/seabios.log).
    expect(d.log).toEqual([
      'AHCI/2: registering: "DVD/CD [AHCI/2: QEMU DVD-ROM ATAPI-4 DVD/CD]"',
      'Device reports MEDIUM NOT PRESENT - 2 tries left',
      'Device reports MEDIUM NOT PRESENT - 1 tries left',
      'Device reports MEDIUM NOT PRESENT - 0 tries left',
    ]);
  });

  it('an empty drive list has no drives at all', () => {
    const m = machine([]);
    const d = new AhciDriver(m);
    for (let port = 0; port < 6; port++) expect(d.detect(port)).toBeUndefined();
  });

  it('a 64 MiB disk on port 0 and a CD-ROM with a medium on port 3: the lines QEMU 7.2 gives, and sectors read back', () => {
    const image = pattern(64 * MiB, 1);
    const cd = pattern(MiB, 2);
    const m = machine([
      { port: 0, kind: 'disk' },
      { port: 3, kind: 'cdrom' },
    ]);
    m.ahci!.sata[0]!.drive.attach(memoryDrive(image));
    m.ahci!.sata[3]!.drive.attach(memoryDrive(cd, 'cd', true));
    const d = new AhciDriver(m);
    const disk = d.detect(0);
    expect(disk).toEqual({ atapi: false, sectors: 131072 });
    expect(d.detect(3)).toEqual({ atapi: true });
    // Captured with qemu-system-x86_64 7.2 -machine pc-q35-7.2, ide-hd on ide.0 (64 MiB raw), ide-cd on ide.3.
    expect(d.log).toEqual([
      'AHCI/0: Set transfer mode to UDMA-5',
      'AHCI/0: registering: "AHCI/0: QEMU HARDDISK ATA-7 Hard-Disk (64 MiBytes)"',
      'AHCI/3: registering: "DVD/CD [AHCI/3: QEMU DVD-ROM ATAPI-4 DVD/CD]"',
    ]);
    expect(d.pr(0, PORT.SIG)).toBe(0x101);
    expect(d.pr(3, PORT.SIG) >>> 0).toBe(0xeb14_0101);
    expect(firstDifference(d.readSectors(0, 0, 1), image.subarray(0, 512))).toBe(-1);
    expect(firstDifference(d.readSectors(0, 1000, 300), image.subarray(1000 * 512, 1300 * 512))).toBe(-1);
    expect(d.isReady(3)).toBe(true);
    // READ(10) of CD block 0x11 (where cdrom_boot looks for the El Torito record).
    const buf = d.g.alloc(2048, 2);
    const cdb = new Uint8Array(12);
    cdb.set([0x28, 0, 0, 0, 0, 0x11, 0, 0, 1]);
    expect(d.command(3, { command: 0xa0, feature: 1, lba: 0x0800 << 8 }, { atapi: cdb, buffer: buf, size: 2048 }).ok).toBe(true);
    expect(firstDifference(d.g.read(buf, 2048), cd.subarray(0x11 * 2048, 0x12 * 2048))).toBe(-1);
  });

  it('writes land in the drive; a read-only medium refuses them with a task-file error', () => {
    const m = machine([
      { port: 0, kind: 'disk' },
      { port: 1, kind: 'disk' },
    ]);
    const rw = memoryDrive(MiB);
    m.ahci!.sata[0]!.drive.attach(rw);
    m.ahci!.sata[1]!.drive.attach(memoryDrive(MiB, 'ro', true));
    const d = new AhciDriver(m);
    d.detect(0);
    d.detect(1);
    const data = pattern(1024, 9);
    expect(d.writeSectors(0, 7, data)).toBe(true);
    expect(firstDifference(d.readSectors(0, 7, 2), data)).toBe(-1);
    expect(d.writeSectors(1, 7, data)).toBe(false);
    expect(d.pr(1, PORT.TFD) & 0xff).toBe(0x41);
  });
});

describe('ICH9 AHCI: what Linux adds', () => {
  it('NCQ: READ FPDMA QUEUED completes its tag with a Set Device Bits FIS; the interrupt goes out as INTx, then as MSI', () => {
    const image = pattern(MiB, 3);
    const m = machine([{ port: 0, kind: 'disk' }]);
    m.ahci!.sata[0]!.drive.attach(memoryDrive(image));
    const d = new AhciDriver(m);
    d.detect(0);
    d.hw(HBA.GHC, d.hr(HBA.GHC) | GHC_IE);
    d.pw(0, PORT.IE, IS_SDBS | IS_DHRS | IS_TFES);
    const g = d.g;
    const list = d.pr(0, PORT.CLB);
    const fis = d.pr(0, PORT.FB);
    const tag = 5;
    const table = g.alloc(0x100, 128);
    const buf = g.alloc(4096, 2);
    g.w8(table, 0x27);
    g.w8(table + 1, 0x80);
    g.w8(table + 2, 0x60); // READ FPDMA QUEUED
    g.w8(table + 3, 8); // sector count in FEATURES
    g.w8(table + 4, 16); // LBA 16
    g.w8(table + 7, 0x40);
    g.w8(table + 12, tag << 3); // tag in COUNT
    // Two PRDs of 2 KiB each.
    g.w32(table + 0x80, buf);
    g.w32(table + 0x8c, 2047);
    g.w32(table + 0x90, buf + 2048);
    g.w32(table + 0x9c, 2047);
    g.w32(list + tag * 32, (2 << 16) | 5);
    g.w32(list + tag * 32 + 8, table);
    expect(m.ahci!.intxAsserted).toBe(false);
    d.pw(0, PORT.SACT, 1 << tag);
    d.pw(0, PORT.CI, 1 << tag);
    expect(d.pr(0, PORT.SACT)).toBe(0);
    expect(d.pr(0, PORT.CI)).toBe(0);
    expect(d.pr(0, PORT.IS) & IS_SDBS).toBe(IS_SDBS);
    expect(g.r8(fis + 0x58)).toBe(0xa1);
    expect(g.r32(fis + 0x5c)).toBe(1 << tag);
    expect(g.r32(list + tag * 32 + 4)).toBe(4096); // PRDBC
    expect(firstDifference(g.read(buf, 4096), image.subarray(16 * 512, 24 * 512))).toBe(-1);
    expect(d.hr(HBA.IS)).toBe(1);
    expect(m.ahci!.intxAsserted).toBe(true);
    d.pw(0, PORT.IS, IS_SDBS);
    expect(d.hr(HBA.IS)).toBe(0);
    expect(m.ahci!.intxAsserted).toBe(false);

    // MSI: address and data programmed, enabled; the next completion is a message, INTx stays low.
    const msi = captureMsi(m);
    const cap = 0x80;
    m.ahci!.configWrite(cap + R.MSI_ADDRESS_LO, 4, 0xfee0_0000);
    m.ahci!.configWrite(cap + 8, 4, 0);
    m.ahci!.configWrite(cap + 12, 2, 0x4041);
    m.ahci!.configWrite(cap + R.MSI_FLAGS, 2, R.MSI_FLAGS_ENABLE);
    d.pw(0, PORT.SACT, 1 << tag);
    d.pw(0, PORT.CI, 1 << tag);
    expect(msi).toEqual([{ address: 0xfee0_0000, data: 0x4041, rid: 0xfa }]);
    expect(m.ahci!.intxAsserted).toBe(false);
  });

  it('COMRESET through PxSCTL.DET resends the signature', () => {
    const m = machine([{ port: 0, kind: 'disk' }]);
    m.ahci!.sata[0]!.drive.attach(memoryDrive(MiB));
    const d = new AhciDriver(m);
    d.detect(0);
    const fis = d.pr(0, PORT.FB);
    d.g.write(fis + 0x40, new Uint8Array(20));
    d.pw(0, PORT.SCTL, 1);
    d.pw(0, PORT.SCTL, 0);
    expect(d.g.r8(fis + 0x40)).toBe(0x34);
    expect(d.pr(0, PORT.SIG)).toBe(0x101);
    expect(d.pr(0, PORT.TFD)).toBe(0x130);
  });
});

describe('ICH9 AHCI: a misbehaving guest', () => {
  it('bad commands end in device errors, never exceptions', () => {
    const m = machine([{ port: 0, kind: 'disk' }]);
    m.ahci!.sata[0]!.drive.attach(memoryDrive(MiB));
    const d = new AhciDriver(m);
    d.detect(0);
    // Past the end of the disk.
    const r = d.command(0, { command: 0x25, count: 8, lba: 2047 * 4, device: 0x40 }, { buffer: d.g.alloc(4096), size: 4096 });
    expect(r.ok).toBe(false);
    expect(r.intbits & IS_TFES).toBe(IS_TFES);
    // Unknown command.
    expect(d.command(0, { command: 0x77 }).ok).toBe(false);
    // A huge transfer with a PRD table pointing outside RAM: PRDBC says what moved, nothing throws.
    expect(() => d.command(0, { command: 0x25, count: 0, countExp: 0, lba: 0, device: 0x40 }, { buffer: 0xffff_f000, size: 0x40_0000 })).not.toThrow();
    // Command list pointing at unmapped space; random register writes everywhere.
    d.pw(0, PORT.CLB, 0xfff0_0000);
    expect(() => d.pw(0, PORT.CI, 0xffff_ffff)).not.toThrow();
    for (let off = 0; off < 0x1000; off += 4) expect(() => d.hw(off, 0xffff_ffff)).not.toThrow();
    for (let off = 0; off < 0x1000; off += 1) expect(() => m.memory.read(ABAR + off, 1)).not.toThrow();
  });

  it('without Bus Master Enable the command fails with a host bus error and memory is untouched', () => {
    const image = pattern(MiB, 4);
    const m = machine([{ port: 0, kind: 'disk' }]);
    m.ahci!.sata[0]!.drive.attach(memoryDrive(image));
    const d = new AhciDriver(m);
    d.detect(0);
    const buf = d.g.alloc(512);
    m.ahci!.configWrite(R.COMMAND, 2, R.CMD_MEMORY);
    d.pw(0, PORT.CI, 1);
    expect(d.pr(0, PORT.IS) & IS_HBDS).toBe(IS_HBDS);
    expect(firstDifference(d.g.read(buf, 512), new Uint8Array(512))).toBe(-1);
  });
});
