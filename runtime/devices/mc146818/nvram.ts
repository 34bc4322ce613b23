/**
 * The CMOS NVRAM fields QEMU 7.2 fills on a PC machine (hw/i386/pc.c
 * pc_cmos_init and pc_cmos_init_late, x86_rtc_set_cpus_count), which
 * SeaBIOS reads on QEMU (src/fw/paravirt.c, src/hw/floppy.c, src/boot.c):
 *
 *   0x10        floppy drive types (none on q35)
 *   0x12        hard disk 0/1 present (type 0xf in each nibble; on q35 only AHCI port 0 can be)
 *   0x14        equipment byte: FPU, PS/2 mouse, floppies
 *   0x15-0x16   base memory in KiB (up to 640)
 *   0x17-0x18   extended memory in KiB above 1 MiB (up to 65535), again at 0x30-0x31
 *   0x19, 0x1a  hard disk 0/1 type 47 (user defined), parameters at 0x1b and 0x24
 *   0x34-0x35   memory between 16 MiB and 4 GiB in 64 KiB units
 *   0x38        third boot device (bits 7:4) and "skip floppy boot signature check"
 *   0x39        hard disk 0-3 BIOS geometry translation, 2 bits each (AHCI ports 0 and 1 are 0 and 2)
 *   0x3d        first (3:0) and second (7:4) boot devices
 *   0x5b-0x5d   memory above 4 GiB in 64 KiB units
 *   0x5f        CPUs at boot minus one (0 when more than 255)
 */
const KiB = 1024;
const MiB = 1024 * KiB;

export const CMOS_FLOPPY_TYPES = 0x10;
export const CMOS_DISK_PRESENT = 0x12;
export const CMOS_EQUIPMENT = 0x14;
export const CMOS_MEM_BASE = 0x15;
export const CMOS_MEM_EXT = 0x17;
export const CMOS_DISK0_TYPE = 0x19;
export const CMOS_DISK0_INFO = 0x1b;
export const CMOS_MEM_EXT2 = 0x30;
export const CMOS_MEM_ABOVE_16M = 0x34;
export const CMOS_BOOT_THIRD = 0x38;
export const CMOS_DISK_TRANSLATION = 0x39;
export const CMOS_BOOT_FIRST = 0x3d;
export const CMOS_MEM_ABOVE_4G = 0x5b;
export const CMOS_CPU_COUNT = 0x5f;

const EQUIPMENT_FPU = 0x02;
const EQUIPMENT_PS2_MOUSE = 0x04;
/** Hard disk type 47: parameters in CMOS. */
const DISK_TYPE_USER = 47;

/** A disk's physical geometry and the BIOS translation QEMU reports (ide_get_bios_chs_trans). */
export interface DiskGeometry {
  readonly cylinders: number;
  readonly heads: number;
  readonly sectors: number;
  /** BIOS_ATA_TRANSLATION_*: 1 none, 2 LBA, 3 large, 4 rechs (the NVRAM holds it minus one). */
  readonly translation: number;
}

export interface NvramOptions {
  readonly below4g: number;
  readonly above4g: number;
  /** Boot CPUs (the -smp count). */
  readonly cpus: number;
  /** QEMU -boot order letters, at most three of a b c d n (default "cad"). */
  readonly bootOrder?: string;
  /** fd_bootchk (default true): SeaBIOS checks the floppy boot signature. */
  readonly floppyBootCheck?: boolean;
  /**
   * Hard disks on the first two AHCI ports, when they are disks. QEMU's q35
   * hands pc_cmos_init_late the buses of AHCI ports 0 and 1 as IDE buses 0
   * and 1, each with one unit: port 0 is "disk 0", nothing can be "disk 1"
   * (unit 1 of bus 0), and port 1 is disk 2, which only has translation bits.
   */
  readonly disks?: readonly (DiskGeometry | undefined)[];
}

/** QEMU boot_device2nibble. */
function bootNibble(c: string): number {
  switch (c) {
    case 'a':
    case 'b':
      return 0x01;
    case 'c':
      return 0x02;
    case 'd':
      return 0x03;
    case 'n':
      return 0x04;
    default:
      throw new RangeError(`invalid boot device for PC: '${c}'`);
  }
}

/** Writes QEMU's NVRAM fields into `cmos` (the RTC's 128 bytes). */
export function fillPcNvram(cmos: Uint8Array, o: NvramOptions): void {
  const set16 = (at: number, v: number) => {
    cmos[at] = v & 0xff;
    cmos[at + 1] = (v >> 8) & 0xff;
  };
  cmos[CMOS_CPU_COUNT] = o.cpus > 0xff ? 0 : o.cpus - 1;
  set16(CMOS_MEM_BASE, Math.min(Math.floor(o.below4g / KiB), 640));
  const ext = Math.min(o.below4g > MiB ? Math.floor((o.below4g - MiB) / KiB) : 0, 65535);
  set16(CMOS_MEM_EXT, ext);
  set16(CMOS_MEM_EXT2, ext);
  set16(CMOS_MEM_ABOVE_16M, Math.min(o.below4g > 16 * MiB ? Math.floor((o.below4g - 16 * MiB) / (64 * KiB)) : 0, 65535));
  const high = Math.floor(o.above4g / 65536);
  cmos[CMOS_MEM_ABOVE_4G] = high & 0xff;
  cmos[CMOS_MEM_ABOVE_4G + 1] = (high >> 8) & 0xff;
  cmos[CMOS_MEM_ABOVE_4G + 2] = (high >> 16) & 0xff;

  const order = o.bootOrder ?? 'cad';
  if (order.length > 3) throw new RangeError('too many boot devices for PC');
  const bds = [0, 0, 0];
  [...order].forEach((c, i) => (bds[i] = bootNibble(c)));
  cmos[CMOS_BOOT_FIRST] = (bds[1]! << 4) | bds[0]!;
  cmos[CMOS_BOOT_THIRD] = (bds[2]! << 4) | (o.floppyBootCheck ?? true ? 0 : 1);

  // No floppy controller on q35: no drive types, no floppies in the equipment byte.
  cmos[CMOS_FLOPPY_TYPES] = 0;
  cmos[CMOS_EQUIPMENT] = EQUIPMENT_FPU | EQUIPMENT_PS2_MOUSE;

  // pc_cmos_init_late: IDE bus 0 unit 0 (AHCI port 0) and bus 1 unit 0 (port 1).
  const disks = o.disks ?? [];
  let present = 0;
  const hd = (typeAt: number, infoAt: number, g: DiskGeometry) => {
    cmos[typeAt] = DISK_TYPE_USER;
    set16(infoAt, g.cylinders);
    cmos[infoAt + 2] = g.heads;
    cmos[infoAt + 3] = 0xff;
    cmos[infoAt + 4] = 0xff;
    cmos[infoAt + 5] = 0xc0 | ((g.heads > 8 ? 1 : 0) << 3);
    set16(infoAt + 6, g.cylinders);
    cmos[infoAt + 8] = g.sectors;
  };
  if (disks[0]) {
    hd(CMOS_DISK0_TYPE, CMOS_DISK0_INFO, disks[0]);
    present |= 0xf0;
  }
  cmos[CMOS_DISK_PRESENT] = present;
  let trans = 0;
  if (disks[0]) trans |= (disks[0].translation - 1) & 3;
  if (disks[1]) trans |= ((disks[1].translation - 1) & 3) << 4;
  cmos[CMOS_DISK_TRANSLATION] = trans;
}
