/**
 * A SCSI logical unit as QEMU 7.2's scsi-hd and scsi-cd answer (hw/scsi/
 * scsi-disk.c): the commands firmware and a guest's sd/sr drivers start
 * with. Disks: 512-byte blocks, READ/WRITE(10/12/16), READ CAPACITY(10/16),
 * SYNCHRONIZE CACHE; CD-ROMs: 2048-byte blocks, read-only, NOT READY while
 * empty, READ TOC. Both: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard
 * data, vendor QEMU, product QEMU HARDDISK / QEMU CD-ROM, revision 2.5+),
 * MODE SENSE(6/10) with no pages but the header, REPORT LUNS, START STOP
 * UNIT, PREVENT ALLOW MEDIUM REMOVAL. Anything else is CHECK CONDITION,
 * ILLEGAL REQUEST, invalid opcode.
 */
import type { Drive } from '../../backends/drive.js';

export const SCSI_STATUS_GOOD = 0x00;
export const SCSI_STATUS_CHECK_CONDITION = 0x02;

const OP = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  READ_6: 0x08,
  WRITE_6: 0x0a,
  INQUIRY: 0x12,
  MODE_SENSE_6: 0x1a,
  START_STOP_UNIT: 0x1b,
  PREVENT_ALLOW_MEDIUM_REMOVAL: 0x1e,
  READ_CAPACITY_10: 0x25,
  READ_10: 0x28,
  WRITE_10: 0x2a,
  VERIFY_10: 0x2f,
  SYNCHRONIZE_CACHE_10: 0x35,
  READ_TOC: 0x43,
  MODE_SENSE_10: 0x5a,
  READ_16: 0x88,
  WRITE_16: 0x8a,
  SYNCHRONIZE_CACHE_16: 0x91,
  SERVICE_ACTION_IN_16: 0x9e,
  REPORT_LUNS: 0xa0,
  READ_12: 0xa8,
  WRITE_12: 0xaa,
} as const;
const SAI_READ_CAPACITY_16 = 0x10;

const KEY = { NOT_READY: 0x02, MEDIUM_ERROR: 0x03, ILLEGAL_REQUEST: 0x05, DATA_PROTECT: 0x07 } as const;
const ASC = { WRITE_ERROR: 0x0c, READ_ERROR: 0x11, INVALID_OPCODE: 0x20, LBA_OUT_OF_RANGE: 0x21, INVALID_FIELD: 0x24, LUN_NOT_SUPPORTED: 0x25, WRITE_PROTECTED: 0x27, NO_MEDIUM: 0x3a } as const;

/** Largest transfer one command may move (QEMU's max_sectors 0xffff of 512 bytes is the guest's limit). */
const MAX_BLOCKS_BYTES = 64 * 1024 * 1024;

export interface ScsiResult {
  readonly status: number;
  /** Fixed-format sense data with CHECK CONDITION. */
  readonly sense?: Uint8Array;
  readonly dataIn?: Uint8Array;
}

function fixedSense(key: number, asc: number, ascq = 0): Uint8Array {
  const s = new Uint8Array(18);
  s[0] = 0x70;
  s[2] = key;
  s[7] = 10;
  s[12] = asc;
  s[13] = ascq;
  return s;
}

function ascii(buf: Uint8Array, at: number, length: number, text: string): void {
  for (let i = 0; i < length; i++) buf[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

const check = (key: number, asc: number): ScsiResult => ({ status: SCSI_STATUS_CHECK_CONDITION, sense: fixedSense(key, asc) });
const good = (dataIn?: Uint8Array, allocation?: number): ScsiResult => ({
  status: SCSI_STATUS_GOOD,
  dataIn: dataIn && allocation !== undefined ? dataIn.subarray(0, Math.min(allocation, dataIn.length)) : dataIn,
});

/** REPORT LUNS parameter data (SPC-4 §6.33): the LUNs in flat addressing. */
function reportLuns(luns: readonly number[], allocation: number): ScsiResult {
  const buf = new Uint8Array(8 + 8 * luns.length);
  new DataView(buf.buffer).setUint32(0, 8 * luns.length);
  [...luns].sort((a, b) => a - b).forEach((l, i) => {
    buf[8 + i * 8] = l > 255 ? 0x40 | (l >> 8) : 0;
    buf[9 + i * 8] = l & 0xff;
  });
  return good(buf, allocation);
}

export class ScsiUnit {
  private sense: Uint8Array | undefined;

  constructor(
    readonly kind: 'disk' | 'cdrom',
    readonly target: number,
    readonly lun: number,
    readonly drive: Drive,
    /** Every LUN of this target (REPORT LUNS). */
    private readonly targetLuns: () => readonly number[] = () => [lun],
  ) {}

  get blockSize(): number {
    return this.kind === 'cdrom' ? 2048 : 512;
  }

  private get blocks(): number {
    return this.drive.present ? Math.floor(this.drive.size / this.blockSize) : 0;
  }

  reset(): void {
    this.sense = undefined;
  }

  /** The answer for a LUN a present target does not have (SPC-4 §4.6.11): REPORT LUNS and INQUIRY work, the rest is refused. */
  static absentLun(cdb: Uint8Array, luns: readonly number[]): ScsiResult {
    if (cdb[0] === OP.REPORT_LUNS) return reportLuns(luns, new DataView(cdb.buffer, cdb.byteOffset).getUint32(6));
    if (cdb[0] === OP.INQUIRY) {
      const buf = new Uint8Array(36);
      buf[0] = 0x7f; // peripheral qualifier 3: no device at this LUN
      return good(buf, (cdb[3]! << 8) | cdb[4]!);
    }
    if (cdb[0] === OP.REQUEST_SENSE) return good(fixedSense(KEY.ILLEGAL_REQUEST, ASC.LUN_NOT_SUPPORTED), cdb[4]!);
    return check(KEY.ILLEGAL_REQUEST, ASC.LUN_NOT_SUPPORTED);
  }

  /** Carries out one command; `dataOut(n)` reads n bytes the initiator sends (undefined if it sent fewer). */
  execute(cdb: Uint8Array, dataInLength: number, dataOut: (n: number) => Uint8Array | undefined): ScsiResult {
    const r = this.run(cdb, dataInLength, dataOut);
    this.sense = r.status === SCSI_STATUS_CHECK_CONDITION ? r.sense : undefined;
    return r;
  }

  private run(cdb: Uint8Array, dataInLength: number, dataOut: (n: number) => Uint8Array | undefined): ScsiResult {
    const v = new DataView(cdb.buffer, cdb.byteOffset, cdb.length);
    const op = cdb[0]!;
    const cd = this.kind === 'cdrom';
    const ready = this.blocks > 0;
    switch (op) {
      case OP.TEST_UNIT_READY:
        return ready ? good() : check(KEY.NOT_READY, ASC.NO_MEDIUM);
      case OP.REQUEST_SENSE:
        return good(this.sense ?? fixedSense(0, 0), cdb[4]!);
      case OP.INQUIRY: {
        if (cdb[1]! & 1) {
          // Vital product data: the list of supported pages only.
          if (cdb[2] !== 0) return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_FIELD);
          return good(new Uint8Array([cd ? 0x05 : 0x00, 0x00, 0x00, 0x01, 0x00]), v.getUint16(3));
        }
        const buf = new Uint8Array(36);
        buf[0] = cd ? 0x05 : 0x00;
        buf[1] = cd ? 0x80 : 0x00; // removable medium
        buf[2] = 0x05; // SPC-3
        buf[3] = 0x02 | 0x10; // response data format 2, HiSup
        buf[4] = 36 - 5;
        buf[7] = 0x10 | 0x02; // SYNC, CMDQUE
        ascii(buf, 8, 8, 'QEMU');
        ascii(buf, 16, 16, cd ? 'QEMU CD-ROM' : 'QEMU HARDDISK');
        ascii(buf, 32, 4, '2.5+');
        return good(buf, v.getUint16(3));
      }
      case OP.REPORT_LUNS:
        return reportLuns(this.targetLuns(), v.getUint32(6));
      case OP.MODE_SENSE_6:
      case OP.MODE_SENSE_10: {
        // The header alone (no block descriptors, no pages): the medium type and the write-protect bit.
        const wp = this.drive.readOnly || cd ? 0x80 : 0;
        const buf = op === OP.MODE_SENSE_6 ? new Uint8Array([3, cd ? 0x70 : 0, wp, 0]) : new Uint8Array([0, 6, cd ? 0x70 : 0, wp, 0, 0, 0, 0]);
        return good(buf, op === OP.MODE_SENSE_6 ? cdb[4]! : v.getUint16(7));
      }
      case OP.START_STOP_UNIT:
      case OP.PREVENT_ALLOW_MEDIUM_REMOVAL:
      case OP.VERIFY_10:
        return good();
      case OP.SYNCHRONIZE_CACHE_10:
      case OP.SYNCHRONIZE_CACHE_16:
        return this.drive.flush() ? good() : check(KEY.MEDIUM_ERROR, ASC.WRITE_ERROR);
      case OP.READ_CAPACITY_10: {
        if (!ready) return check(KEY.NOT_READY, ASC.NO_MEDIUM);
        const buf = new Uint8Array(8);
        const b = new DataView(buf.buffer);
        b.setUint32(0, Math.min(this.blocks - 1, 0xffff_ffff));
        b.setUint32(4, this.blockSize);
        return good(buf);
      }
      case OP.SERVICE_ACTION_IN_16: {
        if ((cdb[1]! & 0x1f) !== SAI_READ_CAPACITY_16) return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_OPCODE);
        if (!ready) return check(KEY.NOT_READY, ASC.NO_MEDIUM);
        const buf = new Uint8Array(32);
        const b = new DataView(buf.buffer);
        const last = this.blocks - 1;
        b.setUint32(0, Math.floor(last / 2 ** 32));
        b.setUint32(4, last % 2 ** 32);
        b.setUint32(8, this.blockSize);
        return good(buf, v.getUint32(10));
      }
      case OP.READ_TOC: {
        if (!cd) return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_OPCODE);
        if (!ready) return check(KEY.NOT_READY, ASC.NO_MEDIUM);
        // Format 0, LBA form: one data track and the lead-out (MMC-5 §6.40).
        const buf = new Uint8Array(20);
        const b = new DataView(buf.buffer);
        b.setUint16(0, 18);
        buf[2] = 1;
        buf[3] = 1;
        buf[5] = 0x14;
        buf[6] = 1;
        buf[13] = 0x14;
        buf[14] = 0xaa;
        b.setUint32(16, this.blocks);
        return good(buf, v.getUint16(7));
      }
      case OP.READ_6:
      case OP.READ_10:
      case OP.READ_12:
      case OP.READ_16:
      case OP.WRITE_6:
      case OP.WRITE_10:
      case OP.WRITE_12:
      case OP.WRITE_16: {
        const [lba, count] = this.lbaCount(op, cdb, v);
        const write = op === OP.WRITE_6 || op === OP.WRITE_10 || op === OP.WRITE_12 || op === OP.WRITE_16;
        if (!ready) return check(KEY.NOT_READY, ASC.NO_MEDIUM);
        if (write && (cd || this.drive.readOnly)) return check(KEY.DATA_PROTECT, ASC.WRITE_PROTECTED);
        if (lba + count > this.blocks) return check(KEY.ILLEGAL_REQUEST, ASC.LBA_OUT_OF_RANGE);
        const bytes = count * this.blockSize;
        if (bytes > MAX_BLOCKS_BYTES || (!write && bytes > dataInLength)) return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_FIELD);
        if (write) {
          const data = dataOut(bytes);
          if (!data) return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_FIELD);
          return this.drive.write(lba * this.blockSize, data) ? good() : check(KEY.MEDIUM_ERROR, ASC.WRITE_ERROR);
        }
        const data = new Uint8Array(bytes);
        return this.drive.read(lba * this.blockSize, data) ? good(data) : check(KEY.MEDIUM_ERROR, ASC.READ_ERROR);
      }
      default:
        return check(KEY.ILLEGAL_REQUEST, ASC.INVALID_OPCODE);
    }
  }

  /** The LBA and block count of a READ or WRITE CDB (6-byte: 21-bit LBA, a count of 0 meaning 256). */
  private lbaCount(op: number, cdb: Uint8Array, v: DataView): [number, number] {
    switch (op) {
      case OP.READ_6:
      case OP.WRITE_6:
        return [((cdb[1]! & 0x1f) << 16) | v.getUint16(2), cdb[4] || 256];
      case OP.READ_10:
      case OP.WRITE_10:
        return [v.getUint32(2), v.getUint16(7)];
      case OP.READ_12:
      case OP.WRITE_12:
        return [v.getUint32(2), v.getUint32(6)];
      default:
        return [v.getUint32(2) * 2 ** 32 + v.getUint32(6), v.getUint32(10)];
    }
  }
}
