/**
 * The drives behind the AHCI ports, as QEMU 7.2's ide-hd and ide-cd
 * answer commands (hw/ide/core.c, hw/ide/atapi.c): ATA commands for disks
 * (ATA8-ACS), the PACKET command with SCSI MMC commands for CD-ROMs
 * (ATAPI, MMC-5 / SPC-4). Pure command logic: a command goes in with the
 * bytes the host sent (for writes), a result comes out with the task-file
 * status, error and the bytes to send to the host; the HBA does the DMA.
 */
import { diskGeometry, SECTOR_SIZE } from '../../backends/block.js';
import type { Drive } from '../../backends/drive.js';

// ATA status register bits (ATA8-ACS §6.4; QEMU's *_STAT names).
export const ATA_STATUS_ERR = 0x01;
export const ATA_STATUS_DRQ = 0x08;
export const ATA_STATUS_DSC = 0x10; // SEEK_STAT
export const ATA_STATUS_DF = 0x20; // WRERR_STAT
export const ATA_STATUS_DRDY = 0x40;
export const ATA_STATUS_BSY = 0x80;
// ATA error register bits.
export const ATA_ERROR_ABRT = 0x04;
export const ATA_ERROR_IDNF = 0x10;

// ATA commands (ATA8-ACS §7).
export const ATA_CMD = {
  NOP: 0x00,
  DATA_SET_MANAGEMENT: 0x06,
  DEVICE_RESET: 0x08,
  READ_SECTORS: 0x20,
  READ_DMA_EXT: 0x25,
  READ_LOG_EXT: 0x2f,
  WRITE_DMA_EXT: 0x35,
  READ_VERIFY: 0x40,
  READ_VERIFY_EXT: 0x42,
  READ_FPDMA_QUEUED: 0x60,
  WRITE_FPDMA_QUEUED: 0x61,
  SEEK: 0x70,
  EXECUTE_DEVICE_DIAGNOSTIC: 0x90,
  INITIALIZE_DEVICE_PARAMETERS: 0x91,
  PACKET: 0xa0,
  IDENTIFY_PACKET_DEVICE: 0xa1,
  SMART: 0xb0,
  SET_MULTIPLE: 0xc6,
  READ_DMA: 0xc8,
  WRITE_DMA: 0xca,
  STANDBY_IMMEDIATE: 0xe0,
  IDLE_IMMEDIATE: 0xe1,
  CHECK_POWER_MODE: 0xe5,
  FLUSH_CACHE: 0xe7,
  IDENTIFY_DEVICE: 0xec,
  FLUSH_CACHE_EXT: 0xea,
  SET_FEATURES: 0xef,
  READ_NATIVE_MAX_ADDRESS: 0xf8,
  READ_NATIVE_MAX_ADDRESS_EXT: 0x27,
} as const;

/** Device signatures in the D2H FIS after reset (SATA 3.x §11.3; QEMU SATA_SIGNATURE_*). */
export const SATA_SIGNATURE_DISK = 0x0000_0101;
export const SATA_SIGNATURE_CDROM = 0xeb14_0101;

/** QEMU_HW_VERSION: the firmware revision QEMU's drives report. */
const FIRMWARE_REVISION = '2.5+';
const CD_BLOCK = 2048;

/** The register part of a host-to-device FIS (SATA 3.x §10.5.5), decoded. */
export interface AtaCommand {
  readonly command: number;
  readonly features: number; // 16 bits (features_exp << 8 | features)
  readonly lba: number; // 48 bits
  readonly device: number;
  readonly count: number; // 16 bits
  /** The ATAPI command packet (ACMD) for PACKET. */
  readonly cdb: Uint8Array;
}

export interface AtaResult {
  readonly status: number;
  readonly error: number;
  /** Bytes for the host (data-in commands). */
  readonly dataIn?: Uint8Array;
  /** The command moves data by PIO (a PIO Setup FIS precedes the completion), not DMA. */
  readonly pio?: boolean;
}

/** How a command that writes asks for its bytes: undefined when the host could not supply them. */
export type DataOut = (length: number) => Uint8Array | undefined;

const ok = (status = ATA_STATUS_DRDY | ATA_STATUS_DSC): AtaResult => ({ status, error: 0 });
const aborted = (): AtaResult => ({ status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: ATA_ERROR_ABRT });

/** Writes `text` padded with spaces into ATA string words (bytes swapped within each word, ATA8-ACS §3.3.10). */
function ataString(words: Uint16Array, first: number, length: number, text: string): void {
  for (let i = 0; i < length * 2; i++) {
    const c = i < text.length ? text.charCodeAt(i) & 0xff : 0x20;
    const w = first + (i >> 1);
    words[w] = i & 1 ? (words[w]! & 0xff00) | c : (words[w]! & 0x00ff) | (c << 8);
  }
}

function wordsToBytes(words: Uint16Array): Uint8Array {
  const out = new Uint8Array(512);
  const v = new DataView(out.buffer);
  for (let i = 0; i < 256; i++) v.setUint16(i * 2, words[i]!, true);
  return out;
}

/**
 * A drive on an AHCI port: a SATA disk or an ATAPI CD-ROM, with the state
 * a command sequence needs (pending sense data, transfer mode, multiple count).
 */
export class SataDrive {
  /** Sense data of the last CHECK CONDITION (ATAPI): key, ASC, ASCQ. */
  private sense = { key: 0, asc: 0, ascq: 0 };
  private multipleCount = 16;
  private writeCache = true;

  constructor(
    readonly kind: 'disk' | 'cdrom',
    readonly drive: Drive,
    /** The port number: QEMU names the drive serial QM000nn after it (unit 0 of IDE bus `port`). */
    readonly port: number,
  ) {}

  get signature(): number {
    return this.kind === 'cdrom' ? SATA_SIGNATURE_CDROM : SATA_SIGNATURE_DISK;
  }

  /** The task-file status after reset (QEMU ahci_reset_port). */
  get resetStatus(): number {
    return this.kind === 'cdrom' ? ATA_STATUS_DSC | ATA_STATUS_DF | ATA_STATUS_DRDY : ATA_STATUS_DSC | ATA_STATUS_DF;
  }

  reset(): void {
    this.sense = { key: 0, asc: 0, ascq: 0 };
    this.multipleCount = 16;
    this.writeCache = true;
  }

  private get serial(): string {
    return `QM${String(2 * this.port + 1).padStart(5, '0')}`;
  }

  private get sectors(): number {
    return Math.floor(this.drive.size / SECTOR_SIZE);
  }

  /** IDENTIFY DEVICE data (ATA8-ACS §7.16.7) as QEMU's ide_identify fills it. */
  identify(): Uint8Array {
    const p = new Uint16Array(256);
    const n = this.sectors;
    const g = diskGeometry(n);
    const chs = Math.min(n, g.cylinders * g.heads * g.sectors);
    p[0] = 0x0040;
    p[1] = g.cylinders;
    p[3] = g.heads;
    p[4] = 512 * g.sectors;
    p[5] = 512;
    p[6] = g.sectors;
    this.identityWords(p, 'QEMU HARDDISK');
    p[47] = 0x8000 | 16; // MAX_MULT_SECTORS
    p[49] = (1 << 11) | (1 << 9) | (1 << 8); // IORDY, LBA, DMA
    p[51] = 0x200;
    p[52] = 0x200;
    p[53] = 1 | (1 << 1) | (1 << 2); // words 54-58, 64-70 and 88 valid
    p[54] = g.cylinders;
    p[55] = g.heads;
    p[56] = g.sectors;
    p[57] = chs & 0xffff;
    p[58] = chs >>> 16;
    p[59] = 0x100 | this.multipleCount;
    const lba28 = Math.min(n, 0x0fff_ffff);
    p[60] = lba28 & 0xffff;
    p[61] = lba28 >>> 16;
    p[62] = 0x07;
    p[63] = 0x07;
    p[64] = 0x03;
    p[65] = 120;
    p[66] = 120;
    p[67] = 120;
    p[68] = 120;
    p[75] = 31; // queue depth - 1 (NCQ)
    p[76] = (1 << 8) | (1 << 2) | (1 << 1); // NCQ, SATA gen 1 and 2
    p[80] = 0xf0; // ATA/ATAPI-4 to -7
    p[81] = 0x16;
    p[82] = (1 << 14) | (1 << 5) | 1; // NOP, write cache, SMART
    p[83] = (1 << 14) | (1 << 13) | (1 << 12) | (1 << 10); // FLUSH CACHE EXT, FLUSH CACHE, LBA48
    p[84] = 1 << 14;
    p[85] = (1 << 14) | (this.writeCache ? 1 << 5 : 0) | 1;
    p[86] = (1 << 13) | (1 << 12) | (1 << 10);
    p[87] = 1 << 14;
    p[88] = 0x3f | (1 << 13); // UDMA 0-5 supported, UDMA 5 selected
    p[93] = 1 | (1 << 14) | 0x2000;
    p[100] = n & 0xffff;
    p[101] = Math.floor(n / 2 ** 16) & 0xffff;
    p[102] = Math.floor(n / 2 ** 32) & 0xffff;
    p[103] = Math.floor(n / 2 ** 48) & 0xffff;
    return wordsToBytes(p);
  }

  /** The words both IDENTIFY pages share: serial, buffer type and size, ECC bytes, firmware, model, dword I/O. */
  private identityWords(p: Uint16Array, model: string): void {
    ataString(p, 10, 10, this.serial);
    p[20] = 3;
    p[21] = 512;
    p[22] = 4;
    ataString(p, 23, 4, FIRMWARE_REVISION);
    ataString(p, 27, 20, model);
    p[48] = 1;
  }

  /** IDENTIFY PACKET DEVICE data (ATA8-ACS §7.17.7) as QEMU's ide_atapi_identify fills it. */
  identifyPacket(): Uint8Array {
    const p = new Uint16Array(256);
    p[0] = (2 << 14) | (5 << 8) | (1 << 7) | (2 << 5); // ATAPI, CD-ROM, removable, 50 us DRQ, 12-byte packets
    this.identityWords(p, 'QEMU DVD-ROM');
    p[49] = (1 << 9) | (1 << 8); // LBA, DMA
    p[53] = 7;
    p[62] = 7;
    p[63] = 7;
    p[64] = 0x3f;
    p[65] = 0xb4;
    p[66] = 0xb4;
    p[67] = 0x12c;
    p[68] = 0xb4;
    p[71] = 30;
    p[72] = 30;
    p[80] = 0x1e; // up to ATA/ATAPI-4
    p[88] = 0x3f | (1 << 13);
    return wordsToBytes(p);
  }

  /** Executes one ATA command (the PACKET command included). */
  execute(cmd: AtaCommand, dataOut: DataOut): AtaResult {
    if (this.kind === 'cdrom') return this.executeAtapiDevice(cmd);
    const C = ATA_CMD;
    switch (cmd.command) {
      case C.IDENTIFY_DEVICE:
        return { ...ok(), dataIn: this.identify(), pio: true };
      case C.READ_DMA:
      case C.READ_SECTORS:
        return this.read(lba28(cmd), cmd.count & 0xff || 256, cmd.command === C.READ_SECTORS);
      case C.READ_DMA_EXT:
        return this.read(cmd.lba, cmd.count || 65536, false);
      case C.READ_FPDMA_QUEUED:
        return this.read(cmd.lba, cmd.features || 65536, false);
      case C.WRITE_DMA:
        return this.write(lba28(cmd), cmd.count & 0xff || 256, dataOut);
      case C.WRITE_DMA_EXT:
        return this.write(cmd.lba, cmd.count || 65536, dataOut);
      case C.WRITE_FPDMA_QUEUED:
        return this.write(cmd.lba, cmd.features || 65536, dataOut);
      case C.READ_VERIFY:
      case C.READ_VERIFY_EXT:
      case C.SEEK:
      case C.NOP:
      case C.IDLE_IMMEDIATE:
      case C.STANDBY_IMMEDIATE:
      case C.INITIALIZE_DEVICE_PARAMETERS:
        return cmd.command === C.NOP ? aborted() : ok();
      case C.FLUSH_CACHE:
      case C.FLUSH_CACHE_EXT:
        return this.drive.flush() ? ok() : aborted();
      case C.SET_FEATURES:
        return this.setFeatures(cmd);
      case C.SET_MULTIPLE: {
        const n = cmd.count & 0xff;
        if (n > 16 || (n & (n - 1)) !== 0) return aborted();
        this.multipleCount = n;
        return ok();
      }
      case C.CHECK_POWER_MODE:
        return ok(); // count register 0xff: active (left in the D2H FIS by the HBA)
      case C.READ_NATIVE_MAX_ADDRESS:
      case C.READ_NATIVE_MAX_ADDRESS_EXT:
        return ok();
      case C.EXECUTE_DEVICE_DIAGNOSTIC:
        return { status: ATA_STATUS_DRDY | ATA_STATUS_DSC, error: 0x01 };
      default:
        return aborted();
    }
  }

  /** The LBA register value a completed command leaves (READ NATIVE MAX: the last sector). */
  resultLba(cmd: AtaCommand): number | undefined {
    if (cmd.command === ATA_CMD.READ_NATIVE_MAX_ADDRESS || cmd.command === ATA_CMD.READ_NATIVE_MAX_ADDRESS_EXT) return Math.max(0, this.sectors - 1);
    return undefined;
  }

  private setFeatures(cmd: AtaCommand): AtaResult {
    switch (cmd.features & 0xff) {
      case 0x02: // enable write cache
        this.writeCache = true;
        return ok();
      case 0x82: // disable write cache
        this.writeCache = false;
        return ok();
      case 0x03: // set transfer mode
      case 0xcc:
      case 0x66:
      case 0xaa:
      case 0x55:
      case 0x05:
      case 0x85:
      case 0x42:
      case 0xc2:
        return ok();
      default:
        return aborted();
    }
  }

  private checkRange(lba: number, count: number): boolean {
    return lba + count <= this.sectors;
  }

  private read(lba: number, count: number, pio: boolean): AtaResult {
    if (!this.drive.present || !this.checkRange(lba, count)) return { status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: ATA_ERROR_IDNF | ATA_ERROR_ABRT };
    const data = new Uint8Array(count * SECTOR_SIZE);
    if (!this.drive.read(lba * SECTOR_SIZE, data)) return aborted();
    return { ...ok(), dataIn: data, pio };
  }

  private write(lba: number, count: number, dataOut: DataOut): AtaResult {
    if (!this.drive.present || !this.checkRange(lba, count)) return { status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: ATA_ERROR_IDNF | ATA_ERROR_ABRT };
    const data = dataOut(count * SECTOR_SIZE);
    if (!data || this.drive.readOnly || !this.drive.write(lba * SECTOR_SIZE, data)) return aborted();
    return ok();
  }

  // ---- ATAPI -------------------------------------------------------------------------

  private executeAtapiDevice(cmd: AtaCommand): AtaResult {
    const C = ATA_CMD;
    switch (cmd.command) {
      case C.IDENTIFY_PACKET_DEVICE:
        return { ...ok(), dataIn: this.identifyPacket(), pio: true };
      case C.PACKET:
        return this.packet(cmd.cdb, (cmd.features & 1) === 0);
      case C.DEVICE_RESET:
      case C.EXECUTE_DEVICE_DIAGNOSTIC:
        this.reset();
        return ok();
      case C.CHECK_POWER_MODE:
      case C.IDLE_IMMEDIATE:
      case C.STANDBY_IMMEDIATE:
      case C.NOP:
        return cmd.command === C.NOP ? aborted() : ok();
      case C.SET_FEATURES:
        return ok();
      default:
        // IDENTIFY DEVICE on a packet device aborts (ATA8-ACS §7.16; the host learns the signature).
        return aborted();
    }
  }

  private checkCondition(key: number, asc: number, ascq = 0): AtaResult {
    this.sense = { key, asc, ascq };
    return { status: ATA_STATUS_DRDY | ATA_STATUS_ERR, error: key << 4 };
  }

  private good(data?: Uint8Array, allocation?: number, pio = false): AtaResult {
    this.sense = { key: 0, asc: 0, ascq: 0 };
    const dataIn = data && allocation !== undefined ? data.subarray(0, Math.min(allocation, data.length)) : data;
    return { status: ATA_STATUS_DRDY | ATA_STATUS_DSC, error: 0, dataIn, pio };
  }

  private get mediumBlocks(): number {
    return Math.floor(this.drive.size / CD_BLOCK);
  }

  /** One SCSI MMC command from the PACKET command's CDB (QEMU hw/ide/atapi.c atapi_cmd_table). */
  private packet(cdb: Uint8Array, pio: boolean): AtaResult {
    const op = cdb[0]!;
    const be16 = (o: number) => (cdb[o]! << 8) | cdb[o + 1]!;
    const be32 = (o: number) => ((cdb[o]! << 24) | (cdb[o + 1]! << 16) | (cdb[o + 2]! << 8) | cdb[o + 3]!) >>> 0;
    const present = this.drive.present && this.mediumBlocks > 0;
    switch (op) {
      case SCSI.TEST_UNIT_READY:
        return present ? this.good() : this.checkCondition(SENSE.NOT_READY, ASC.MEDIUM_NOT_PRESENT);
      case SCSI.REQUEST_SENSE: {
        const buf = new Uint8Array(18);
        buf[0] = 0x70;
        buf[2] = this.sense.key;
        buf[7] = 10;
        buf[12] = this.sense.asc;
        buf[13] = this.sense.ascq;
        const r = { status: ATA_STATUS_DRDY | ATA_STATUS_DSC, error: 0, dataIn: buf.subarray(0, Math.min(cdb[4]!, 18)), pio };
        // QEMU clears a UNIT ATTENTION once reported; other sense data stays until the next command.
        if (this.sense.key === SENSE.UNIT_ATTENTION) this.sense = { key: 0, asc: 0, ascq: 0 };
        return r;
      }
      case SCSI.INQUIRY: {
        const buf = new Uint8Array(36);
        buf[0] = 0x05; // CD/DVD device
        buf[1] = 0x80; // removable
        buf[2] = 0x00;
        buf[3] = 0x21; // ATAPI-2, response format 1
        buf[4] = 31;
        writeAscii(buf, 8, 8, 'QEMU');
        writeAscii(buf, 16, 16, 'QEMU DVD-ROM');
        writeAscii(buf, 32, 4, FIRMWARE_REVISION);
        return this.good(buf, be16(3), pio);
      }
      case SCSI.READ_CAPACITY: {
        if (!present) return this.checkCondition(SENSE.NOT_READY, ASC.MEDIUM_NOT_PRESENT);
        const buf = new Uint8Array(8);
        const v = new DataView(buf.buffer);
        v.setUint32(0, this.mediumBlocks - 1);
        v.setUint32(4, CD_BLOCK);
        return this.good(buf, undefined, pio);
      }
      case SCSI.READ_10:
      case SCSI.READ_12: {
        if (!present) return this.checkCondition(SENSE.NOT_READY, ASC.MEDIUM_NOT_PRESENT);
        const lba = be32(2);
        const count = op === SCSI.READ_10 ? be16(7) : be32(6);
        if (count === 0) return this.good();
        if (lba + count > this.mediumBlocks) return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.LBA_OUT_OF_RANGE);
        // More than 32 MiB in one command is refused rather than buffered.
        if (count > 16384) return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.INV_FIELD_IN_CMD_PACKET);
        const data = new Uint8Array(count * CD_BLOCK);
        if (!this.drive.read(lba * CD_BLOCK, data)) return this.checkCondition(SENSE.MEDIUM_ERROR, ASC.UNRECOVERED_READ_ERROR);
        return this.good(data, undefined, pio);
      }
      case SCSI.MODE_SENSE_10:
        return this.modeSense(cdb[2]! & 0x3f, cdb[2]! >> 6, be16(7), pio);
      case SCSI.PREVENT_ALLOW_MEDIUM_REMOVAL:
      case SCSI.START_STOP_UNIT:
      case SCSI.SET_CD_SPEED:
        return this.good();
      case SCSI.READ_TOC_PMA_ATIP:
        if (!present) return this.checkCondition(SENSE.NOT_READY, ASC.MEDIUM_NOT_PRESENT);
        return this.readToc(cdb, be16(7), pio);
      default:
        return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.ILLEGAL_OPCODE);
    }
  }

  /** MODE SENSE(10): the error recovery and capabilities pages (QEMU cmd_mode_sense). */
  private modeSense(page: number, control: number, allocation: number, pio: boolean): AtaResult {
    if (control === 3) return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.SAVING_PARAMETERS_NOT_SUPPORTED);
    const buf = new Uint8Array(28);
    buf[2] = 0x70; // medium type as QEMU reports it
    if (page === 0x01) {
      buf[1] = 16 - 2;
      buf[8] = 0x01;
      buf[9] = 0x06;
      buf[11] = 0x05; // read retry count
      return this.good(buf.subarray(0, 16), allocation, pio);
    }
    if (page === 0x2a || page === 0x3f) {
      buf[1] = 28 - 2;
      buf[8] = 0x2a;
      buf[9] = 28 - 10;
      buf[10] = 0x01;
      buf[12] = 0x71;
      buf[13] = 3 << 5;
      buf[14] = (1 << 0) | (1 << 3) | (1 << 5);
      buf[16] = 704 >> 8;
      buf[17] = 704 & 0xff;
      buf[19] = 2;
      buf[20] = 512 >> 8;
      buf[21] = 512 & 0xff;
      buf[22] = 704 >> 8;
      buf[23] = 704 & 0xff;
      return this.good(buf, allocation, pio);
    }
    return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.INV_FIELD_IN_CMD_PACKET);
  }

  /** READ TOC format 0 (one data track, MMC-5 §6.40): the track and the lead-out, LBA or MSF. */
  private readToc(cdb: Uint8Array, allocation: number, pio: boolean): AtaResult {
    const msf = (cdb[1]! & 2) !== 0;
    const format = cdb[9]! >> 6 || (cdb[2]! & 0xf);
    if (format !== 0) return this.checkCondition(SENSE.ILLEGAL_REQUEST, ASC.INV_FIELD_IN_CMD_PACKET);
    const buf = new Uint8Array(20);
    const v = new DataView(buf.buffer);
    v.setUint16(0, 18);
    buf[2] = 1;
    buf[3] = 1;
    const entry = (at: number, track: number, lba: number) => {
      buf[at + 1] = 0x14; // data track, digital copy permitted
      buf[at + 2] = track;
      if (msf) {
        const f = lba + 150;
        buf[at + 5] = Math.floor(f / 4500);
        buf[at + 6] = Math.floor(f / 75) % 60;
        buf[at + 7] = f % 75;
      } else v.setUint32(at + 4, lba);
    };
    entry(4, 1, 0);
    entry(12, 0xaa, this.mediumBlocks);
    return this.good(buf, allocation, pio);
  }
}

function lba28(cmd: AtaCommand): number {
  return ((cmd.device & 0x0f) * 2 ** 24 + (cmd.lba % 2 ** 24));
}

function writeAscii(buf: Uint8Array, at: number, length: number, text: string): void {
  for (let i = 0; i < length; i++) buf[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/** SCSI operation codes the CD-ROM answers (SPC-4, MMC-5). */
export const SCSI = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  INQUIRY: 0x12,
  START_STOP_UNIT: 0x1b,
  PREVENT_ALLOW_MEDIUM_REMOVAL: 0x1e,
  READ_CAPACITY: 0x25,
  READ_10: 0x28,
  READ_TOC_PMA_ATIP: 0x43,
  MODE_SENSE_10: 0x5a,
  READ_12: 0xa8,
  SET_CD_SPEED: 0xbb,
} as const;

/** Sense keys (SPC-4 §4.5.6). */
export const SENSE = { NOT_READY: 0x02, MEDIUM_ERROR: 0x03, ILLEGAL_REQUEST: 0x05, UNIT_ATTENTION: 0x06 } as const;

/** Additional sense codes (SPC-4 Annex D). */
export const ASC = {
  UNRECOVERED_READ_ERROR: 0x11,
  ILLEGAL_OPCODE: 0x20,
  LBA_OUT_OF_RANGE: 0x21,
  INV_FIELD_IN_CMD_PACKET: 0x24,
  SAVING_PARAMETERS_NOT_SUPPORTED: 0x39,
  MEDIUM_NOT_PRESENT: 0x3a,
} as const;
