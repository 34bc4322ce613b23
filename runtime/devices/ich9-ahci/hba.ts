/**
 * The AHCI host bus adapter registers in ABAR (AHCI 1.3.1 §3) and the
 * command engine behind each port (§5), as QEMU 7.2's hw/ide/ahci.c
 * presents them on the ICH9: six ports, 32 command slots, NCQ, 64-bit
 * addressing, Gen 1 speed, AHCI-only; a port with a drive reports the
 * device present with PHY communication (PxSSTS 0x113).
 *
 * Commands run to completion inside the PxCI (or PxSACT + PxCI) write that
 * issues them: the command header and table are read, data moves through
 * the PRD table with the function's bus-master DMA, then the FIS the
 * device would send lands in the received-FIS area, PxCI/PxSACT clear and
 * the port's interrupt status is raised (see runtime/backends/block.ts on
 * synchronous completion). Malformed tables never throw: a PRD table too
 * short for the data transfers what fits, DMA that fails (Bus Master
 * Enable clear, an address nothing decodes) ends the command with a task
 * file error and PxIS.HBDS.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { ATA_CMD, ATA_STATUS_BSY, ATA_STATUS_DRDY, ATA_STATUS_DRQ, ATA_STATUS_ERR, ATA_ERROR_ABRT, type AtaCommand, type AtaResult, type SataDrive } from './ata.js';

/** Global HBA registers (AHCI 1.3.1 §3.1). */
export const HBA = { CAP: 0x00, GHC: 0x04, IS: 0x08, PI: 0x0c, VS: 0x10, CCC_CTL: 0x14, CCC_PORTS: 0x18, EM_LOC: 0x1c, EM_CTL: 0x20, CAP2: 0x24, BOHC: 0x28 } as const;
/** Port registers at 0x100 + 0x80 * port (§3.3). */
export const PORT = {
  CLB: 0x00, CLBU: 0x04, FB: 0x08, FBU: 0x0c, IS: 0x10, IE: 0x14, CMD: 0x18, TFD: 0x20, SIG: 0x24,
  SSTS: 0x28, SCTL: 0x2c, SERR: 0x30, SACT: 0x34, CI: 0x38, SNTF: 0x3c,
} as const;
export const PORT_BASE = 0x100;
export const PORT_STRIDE = 0x80;

// CAP bits (§3.1.1).
export const CAP_S64A = 1 << 31;
export const CAP_SNCQ = 1 << 30;
export const CAP_SAM = 1 << 18;
export const CAP_ISS_SHIFT = 20;
export const CAP_NCS_SHIFT = 8;
// GHC bits (§3.1.2).
export const GHC_HR = 1 << 0;
export const GHC_IE = 1 << 1;
export const GHC_AE = 1 << 31;
/** AHCI 1.0 in VS, as QEMU reports. */
export const AHCI_VERSION_1_0 = 0x0001_0000;

// PxCMD bits (§3.3.7).
export const CMD_ST = 1 << 0;
export const CMD_SUD = 1 << 1;
export const CMD_POD = 1 << 2;
export const CMD_CLO = 1 << 3;
export const CMD_FRE = 1 << 4;
export const CMD_FR = 1 << 14;
export const CMD_CR = 1 << 15;
export const CMD_ICC_MASK = 0xf << 28;
/** Bits the HBA owns: CCS, MPSS, FR, CR, CPS and the capability bits (QEMU PORT_CMD_RO_MASK). */
const CMD_RO_MASK = 0x007c_ffe0 & ~(CMD_FRE | CMD_ST | CMD_SUD | CMD_POD | CMD_CLO);

// PxIS bits (§3.3.5).
export const IS_DHRS = 1 << 0;
export const IS_PSS = 1 << 1;
export const IS_DSS = 1 << 2;
export const IS_SDBS = 1 << 3;
export const IS_DPS = 1 << 5;
export const IS_HBDS = 1 << 28;
export const IS_TFES = 1 << 30;
/** PxIE writable bits (QEMU masks with 0xfdc000ff). */
const IE_MASK = 0xfdc0_00ff;

/** PxSSTS with a device: DET 3 (present, PHY up), SPD 1 (Gen 1), IPM 1 (active) (§3.3.10). */
export const SSTS_DEVICE_PRESENT = 0x113;

// Received FIS area (§4.2.1) and FIS types (SATA 3.x §10.5).
const RFIS_PSFIS = 0x20;
const RFIS_RFIS = 0x40;
const RFIS_SDBFIS = 0x58;
export const FIS_REG_H2D = 0x27;
export const FIS_REG_D2H = 0x34;
export const FIS_PIO_SETUP = 0x5f;
export const FIS_SET_DEVICE_BITS = 0xa1;

// Command header (§4.2.2) and command table (§4.2.3).
const HEADER_SIZE = 32;
const HDR_ATAPI = 1 << 5;
const HDR_WRITE = 1 << 6;
const TABLE_ACMD = 0x40;
const TABLE_PRDT = 0x80;
const PRD_SIZE = 16;
const PRD_DBC_MASK = 0x3f_ffff;
/** The largest transfer one command may move (65536 sectors of 512 bytes, or 16384 CD blocks). */
const MAX_TRANSFER = 32 * 1024 * 1024;

export const AHCI_PORTS = 6;
const COMMAND_SLOTS = 32;

/** What the HBA needs from its PCI function: bus-master DMA and its interrupt. */
export interface AhciHost {
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, data: Uint8Array): boolean;
  /** The HBA's interrupt: level while any enabled port interrupt is pending (MSI when enabled, else INTx). */
  setInterrupt(level: boolean): void;
}

class AhciPort {
  clb = 0;
  clbu = 0;
  fb = 0;
  fbu = 0;
  is = 0;
  ie = 0;
  cmd = 0;
  tfd = 0x7f;
  sig = 0xffff_ffff;
  ssts = 0;
  sctl = 0;
  serr = 0;
  sact = 0;
  ci = 0;
  /** The initial D2H FIS (the device's signature) has reached memory since the last reset. */
  initD2hSent = false;

  constructor(
    readonly index: number,
    readonly drive: SataDrive | undefined,
  ) {}

  get fisBase(): number {
    return this.fbu * 2 ** 32 + this.fb;
  }

  get listBase(): number {
    return this.clbu * 2 ** 32 + this.clb;
  }
}

export class AhciHba implements RegionHandler {
  private ghc = GHC_AE;
  private is = 0;
  readonly ports: AhciPort[];

  constructor(
    private readonly host: AhciHost,
    drives: readonly (SataDrive | undefined)[],
  ) {
    this.ports = Array.from({ length: AHCI_PORTS }, (_, i) => new AhciPort(i, drives[i]));
    this.reset();
  }

  get cap(): number {
    return ((AHCI_PORTS - 1) | ((COMMAND_SLOTS - 1) << CAP_NCS_SHIFT) | (1 << CAP_ISS_SHIFT) | CAP_SAM | CAP_SNCQ | CAP_S64A) >>> 0;
  }

  /** HBA reset (GHC.HR, device reset): QEMU ahci_reset. */
  reset(): void {
    this.is = 0;
    this.ghc = GHC_AE;
    for (const p of this.ports) {
      p.is = 0;
      p.ie = 0;
      p.sctl = 0;
      p.cmd = CMD_SUD | CMD_POD;
      this.resetPort(p);
    }
    this.updateIrq();
  }

  /** Port reset (COMRESET through PxSCTL.DET, HBA reset): QEMU ahci_reset_port. */
  private resetPort(p: AhciPort): void {
    p.is = 0;
    p.ie = 0;
    p.serr = 0;
    p.sact = 0;
    p.ci = 0;
    p.tfd = 0x7f;
    p.sig = 0xffff_ffff;
    p.initD2hSent = false;
    if (!p.drive) {
      p.ssts = 0;
      return;
    }
    p.ssts = SSTS_DEVICE_PRESENT;
    p.drive.reset();
    this.sendInitialD2h(p);
  }

  // ---- MMIO --------------------------------------------------------------------------

  read(offset: number, width: Width): number {
    const dword = this.readDword(offset & ~3);
    const shift = (offset & 3) * 8;
    const v = dword >>> shift;
    return width === 4 ? v >>> 0 : width === 2 ? v & 0xffff : v & 0xff;
  }

  write(offset: number, width: Width, value: number): void {
    // Narrow writes merge into the dword (QEMU ahci_mem_write handles only aligned dwords; drivers use dwords).
    if (width !== 4) {
      const shift = (offset & 3) * 8;
      const mask = (width === 2 ? 0xffff : 0xff) << shift;
      const old = this.readDword(offset & ~3);
      value = ((old & ~mask) | ((value << shift) & mask)) >>> 0;
      offset &= ~3;
    }
    this.writeDword(offset, value >>> 0);
  }

  private readDword(offset: number): number {
    if (offset < PORT_BASE) {
      switch (offset) {
        case HBA.CAP: return this.cap;
        case HBA.GHC: return this.ghc >>> 0;
        case HBA.IS: return this.is >>> 0;
        case HBA.PI: return (1 << AHCI_PORTS) - 1;
        case HBA.VS: return AHCI_VERSION_1_0;
        default: return 0;
      }
    }
    const index = Math.floor((offset - PORT_BASE) / PORT_STRIDE);
    const p = this.ports[index];
    if (!p) return 0;
    switch ((offset - PORT_BASE) % PORT_STRIDE) {
      case PORT.CLB: return p.clb;
      case PORT.CLBU: return p.clbu;
      case PORT.FB: return p.fb;
      case PORT.FBU: return p.fbu;
      case PORT.IS: return p.is >>> 0;
      case PORT.IE: return p.ie >>> 0;
      case PORT.CMD: return p.cmd >>> 0;
      case PORT.TFD: return p.tfd;
      case PORT.SIG: return p.sig >>> 0;
      case PORT.SSTS: return p.ssts;
      case PORT.SCTL: return p.sctl;
      case PORT.SERR: return p.serr >>> 0;
      case PORT.SACT: return p.sact >>> 0;
      case PORT.CI: return p.ci >>> 0;
      default: return 0;
    }
  }

  private writeDword(offset: number, value: number): void {
    if (offset < PORT_BASE) {
      if (offset === HBA.GHC) {
        if (value & GHC_HR) this.reset();
        else {
          this.ghc = (value & GHC_IE) | GHC_AE;
          this.updateIrq();
        }
      } else if (offset === HBA.IS) {
        // Port bits are recomputed from the ports: they stay set while a port's enabled status is (§3.1.3).
        this.is &= ~value;
        this.updateIrq();
      }
      return;
    }
    const index = Math.floor((offset - PORT_BASE) / PORT_STRIDE);
    const p = this.ports[index];
    if (!p) return;
    switch ((offset - PORT_BASE) % PORT_STRIDE) {
      case PORT.CLB: p.clb = value & ~0x3ff; break;
      case PORT.CLBU: p.clbu = value; break;
      case PORT.FB: p.fb = value & ~0xff; break;
      case PORT.FBU: p.fbu = value; break;
      case PORT.IS:
        p.is = (p.is & ~value) >>> 0;
        this.updateIrq();
        break;
      case PORT.IE:
        p.ie = (value & IE_MASK) >>> 0;
        this.updateIrq();
        break;
      case PORT.CMD: this.writeCmd(p, value); break;
      case PORT.SCTL:
        // DET 1 -> 0 ends a COMRESET: the device resets and sends its signature (§3.3.11).
        if ((p.sctl & 0xf) === 1 && (value & 0xf) === 0) this.resetPort(p);
        p.sctl = value;
        break;
      case PORT.SERR: p.serr = (p.serr & ~value) >>> 0; break;
      case PORT.SACT: p.sact = (p.sact | value) >>> 0; break;
      case PORT.CI:
        p.ci = (p.ci | value) >>> 0;
        this.processCommands(p);
        break;
      default:
        break;
    }
  }

  private writeCmd(p: AhciPort, value: number): void {
    p.cmd = ((p.cmd & CMD_RO_MASK) | (value & ~(CMD_RO_MASK | CMD_ICC_MASK))) >>> 0;
    // The engines follow ST and FRE at once (§3.3.7: CR and FR).
    if (p.cmd & CMD_ST) p.cmd |= CMD_CR;
    else if (p.cmd & CMD_CR) {
      p.cmd &= ~CMD_CR;
      p.ci = 0;
      p.sact = 0;
    }
    if (p.cmd & CMD_FRE) p.cmd |= CMD_FR;
    else p.cmd &= ~CMD_FR;
    // Command List Override clears BSY and DRQ so a new command can be issued (§3.3.7 CLO).
    if (p.cmd & CMD_CLO) {
      p.tfd &= ~(ATA_STATUS_BSY | ATA_STATUS_DRQ);
      p.cmd &= ~CMD_CLO;
    }
    p.cmd >>>= 0;
    if (p.cmd & CMD_FR) this.sendInitialD2h(p);
    this.processCommands(p);
  }

  /** The device's first D2H FIS with its signature, once FIS receive is on (QEMU ahci_init_d2h). */
  private sendInitialD2h(p: AhciPort): void {
    if (p.initD2hSent || !p.drive || !(p.cmd & CMD_FR)) return;
    const d = p.drive;
    const sig = d.signature;
    const status = d.resetStatus;
    const fis = new Uint8Array(20);
    fis[0] = FIS_REG_D2H;
    fis[2] = status;
    fis[3] = 0x01;
    fis[4] = (sig >>> 8) & 0xff; // LBA low: sector number
    fis[5] = (sig >>> 16) & 0xff;
    fis[6] = (sig >>> 24) & 0xff;
    fis[12] = sig & 0xff; // count
    if (!this.host.dmaWrite(p.fisBase + RFIS_RFIS, fis)) return;
    p.initD2hSent = true;
    p.sig = sig >>> 0;
    p.tfd = (0x01 << 8) | status;
    this.raise(p, IS_DHRS);
  }

  // ---- commands ----------------------------------------------------------------------

  private processCommands(p: AhciPort): void {
    if (!(p.cmd & CMD_ST) || !p.drive) return;
    for (let slot = 0; slot < COMMAND_SLOTS && p.ci !== 0; slot++) {
      if (!(p.ci & (1 << slot))) continue;
      this.runSlot(p, slot);
      p.ci = (p.ci & ~(1 << slot)) >>> 0;
      if (!(p.cmd & CMD_ST)) break;
    }
  }

  private runSlot(p: AhciPort, slot: number): void {
    const header = new Uint8Array(HEADER_SIZE);
    const headerAddr = p.listBase + slot * HEADER_SIZE;
    if (!this.host.dmaRead(headerAddr, header)) return this.hostError(p);
    const hv = new DataView(header.buffer);
    const flags = hv.getUint32(0, true);
    const prdtl = flags >>> 16;
    const table = hv.getUint32(12, true) * 2 ** 32 + (hv.getUint32(8, true) & ~0x7f);
    const cfis = new Uint8Array(TABLE_PRDT);
    if (!this.host.dmaRead(table, cfis)) return this.hostError(p);
    if (cfis[0] !== FIS_REG_H2D) return this.finish(p, headerAddr, 0, { status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: ATA_ERROR_ABRT }, undefined);
    if (!(cfis[1]! & 0x80)) {
      // A control FIS (C = 0): SRST set then cleared; the device resets and reports its signature.
      if (!(cfis[15]! & 0x04)) {
        p.drive!.reset();
        p.initD2hSent = false;
        this.sendInitialD2h(p);
      }
      return;
    }
    const cmd: AtaCommand = {
      command: cfis[2]!,
      features: cfis[3]! | (cfis[11]! << 8),
      lba: cfis[4]! + cfis[5]! * 2 ** 8 + cfis[6]! * 2 ** 16 + cfis[8]! * 2 ** 24 + cfis[9]! * 2 ** 32 + cfis[10]! * 2 ** 40,
      device: cfis[7]!,
      count: cfis[12]! | (cfis[13]! << 8),
      cdb: cfis.slice(TABLE_ACMD, TABLE_ACMD + 16),
    };
    const ncq = cmd.command === ATA_CMD.READ_FPDMA_QUEUED || cmd.command === ATA_CMD.WRITE_FPDMA_QUEUED;
    const prd = new PrdTable(this.host, table + TABLE_PRDT, prdtl);
    let dmaFailed = false;
    const result = p.drive!.execute(cmd, (length) => {
      if (!(flags & HDR_WRITE) && !ncq) return undefined;
      const data = prd.gather(Math.min(length, MAX_TRANSFER));
      if (!data || data.length < length) {
        dmaFailed = data === undefined;
        return undefined;
      }
      return data;
    });
    let transferred = 0;
    if (result.dataIn && !(flags & HDR_WRITE)) {
      const n = prd.scatter(result.dataIn);
      if (n < 0) dmaFailed = true;
      else transferred = n;
    } else if (flags & HDR_WRITE && !(result.status & ATA_STATUS_ERR)) transferred = prd.gathered;
    if (dmaFailed) {
      p.is |= IS_HBDS;
      return this.finish(p, headerAddr, transferred, { status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: ATA_ERROR_ABRT }, undefined);
    }
    if (ncq && !(result.status & ATA_STATUS_ERR)) return this.finishNcq(p, headerAddr, transferred, (cmd.count >> 3) & 0x1f, result);
    this.finish(p, headerAddr, transferred, result, p.drive!.resultLba(cmd), !!(flags & HDR_ATAPI) || cmd.command === ATA_CMD.CHECK_POWER_MODE ? cmd : undefined);
  }

  /** Writes PRDBC, the FIS the device sends at the end, and raises the port's status bits. */
  private finish(p: AhciPort, headerAddr: number, transferred: number, r: AtaResult, lba: number | undefined, cmd?: AtaCommand): void {
    this.writePrdbc(headerAddr, transferred);
    const error = r.status & ATA_STATUS_ERR ? r.error : 0;
    if (r.pio && !(r.status & ATA_STATUS_ERR)) {
      // PIO data-in: a PIO Setup FIS precedes the data; its E_Status is the status at the end (QEMU ahci_write_fis_pio).
      const ps = new Uint8Array(20);
      ps[0] = FIS_PIO_SETUP;
      ps[1] = 0x20 | 0x40; // D (device to host), I
      ps[2] = r.status;
      ps[3] = error;
      ps[15] = r.status;
      ps[16] = transferred & 0xff;
      ps[17] = (transferred >> 8) & 0xff;
      if (this.host.dmaWrite(p.fisBase + RFIS_PSFIS, ps)) p.is |= IS_PSS;
    }
    const fis = new Uint8Array(20);
    fis[0] = FIS_REG_D2H;
    fis[1] = 0x40; // I
    fis[2] = r.status;
    fis[3] = error;
    if (lba !== undefined) {
      fis[4] = lba & 0xff;
      fis[5] = (lba >>> 8) & 0xff;
      fis[6] = (lba >>> 16) & 0xff;
      fis[8] = Math.floor(lba / 2 ** 24) & 0xff;
      fis[9] = Math.floor(lba / 2 ** 32) & 0xff;
      fis[10] = Math.floor(lba / 2 ** 40) & 0xff;
    }
    if (cmd?.command === ATA_CMD.CHECK_POWER_MODE) fis[12] = 0xff;
    else if (cmd) fis[12] = 0x03; // ATAPI interrupt reason: C/D and I/O at the status phase
    if (this.host.dmaWrite(p.fisBase + RFIS_RFIS, fis)) p.is |= IS_DHRS;
    p.tfd = (error << 8) | r.status;
    if (r.status & ATA_STATUS_ERR) p.is |= IS_TFES;
    this.updateIrq();
  }

  /** NCQ completion: a Set Device Bits FIS naming the finished tag (SATA 3.x §13.6.4.2). */
  private finishNcq(p: AhciPort, headerAddr: number, transferred: number, tag: number, r: AtaResult): void {
    this.writePrdbc(headerAddr, transferred);
    p.sact = (p.sact & ~(1 << tag)) >>> 0;
    const fis = new Uint8Array(8);
    fis[0] = FIS_SET_DEVICE_BITS;
    fis[1] = 0x40;
    fis[2] = r.status & 0x77;
    new DataView(fis.buffer).setUint32(4, (1 << tag) >>> 0, true);
    if (this.host.dmaWrite(p.fisBase + RFIS_SDBFIS, fis)) p.is |= IS_SDBS;
    p.tfd = r.status;
    this.updateIrq();
  }

  private writePrdbc(headerAddr: number, transferred: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, transferred >>> 0, true);
    this.host.dmaWrite(headerAddr + 4, b);
  }

  /** The command list or table could not be read: Host Bus Fatal-like error without touching memory. */
  private hostError(p: AhciPort): void {
    p.is |= IS_HBDS | IS_TFES;
    p.tfd = (ATA_ERROR_ABRT << 8) | ATA_STATUS_DRDY | ATA_STATUS_ERR;
    this.updateIrq();
  }

  private raise(p: AhciPort, bits: number): void {
    p.is = (p.is | bits) >>> 0;
    this.updateIrq();
  }

  /** IS collects ports with enabled pending status; the line follows GHC.IE (QEMU ahci_check_irq). */
  private updateIrq(): void {
    let is = 0;
    for (const p of this.ports) if (p.is & p.ie) is |= 1 << p.index;
    this.is = is;
    this.host.setInterrupt(is !== 0 && (this.ghc & GHC_IE) !== 0);
  }
}

/** A command's physical region descriptor table, read lazily (AHCI 1.3.1 §4.2.3.3). */
class PrdTable {
  gathered = 0;

  constructor(
    private readonly host: AhciHost,
    private readonly base: number,
    private readonly entries: number,
  ) {}

  /** The regions, in order, up to `limit` bytes; undefined when the table cannot be read. */
  private regions(limit: number): { address: number; length: number }[] | undefined {
    const out: { address: number; length: number }[] = [];
    const entry = new Uint8Array(PRD_SIZE);
    const v = new DataView(entry.buffer);
    let total = 0;
    for (let i = 0; i < this.entries && total < limit; i++) {
      if (!this.host.dmaRead(this.base + i * PRD_SIZE, entry)) return undefined;
      const address = v.getUint32(4, true) * 2 ** 32 + (v.getUint32(0, true) & ~1);
      const length = Math.min((v.getUint32(12, true) & PRD_DBC_MASK) + 1, limit - total);
      out.push({ address, length });
      total += length;
    }
    return out;
  }

  /** Copies `data` out to the regions; the bytes written, or -1 when DMA failed. */
  scatter(data: Uint8Array): number {
    const regions = this.regions(data.length);
    if (!regions) return -1;
    let at = 0;
    for (const r of regions) {
      if (!this.host.dmaWrite(r.address, data.subarray(at, at + r.length))) return -1;
      at += r.length;
    }
    return at;
  }

  /** Reads up to `length` bytes from the regions (fewer when the table is shorter); undefined when DMA failed. */
  gather(length: number): Uint8Array | undefined {
    const regions = this.regions(length);
    if (!regions) return undefined;
    const total = regions.reduce((s, r) => s + r.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const r of regions) {
      if (!this.host.dmaRead(r.address, out.subarray(at, at + r.length))) return undefined;
      at += r.length;
    }
    this.gathered = total;
    return out;
  }
}
