/**
 * Direct Linux boot as QEMU 7.2 does it for `-kernel/-initrd/-append`
 * (hw/i386/x86.c x86_load_linux): the bzImage's setup header is patched
 * (loader type, heap, command line pointer, initrd address and size) and the
 * pieces are handed to the firmware through fw_cfg: the real-mode setup at
 * 0x10000, the command line at 0x20000, the protected-mode kernel at
 * 0x100000 and the initrd at the top of what the header allows below the
 * ACPI area. The option ROM linuxboot_dma.bin (QEMU's, from Debian's
 * qemu-system-data) copies them into place and jumps to the setup code;
 * SeaBIOS finds it as genroms/linuxboot_dma.bin and boots it first.
 *
 * Not done, as QEMU 7.2 would for protocol 2.09+ kernels: the random seed
 * in setup_data (it would make runs differ), and kernels older than boot
 * protocol 2.02 (loaded low), which modern Linux never is.
 */
import {
  FW_CFG_CMDLINE_ADDR,
  FW_CFG_CMDLINE_DATA,
  FW_CFG_CMDLINE_SIZE,
  FW_CFG_INITRD_ADDR,
  FW_CFG_INITRD_DATA,
  FW_CFG_INITRD_SIZE,
  FW_CFG_KERNEL_ADDR,
  FW_CFG_KERNEL_DATA,
  FW_CFG_KERNEL_SIZE,
  FW_CFG_SETUP_ADDR,
  FW_CFG_SETUP_DATA,
  FW_CFG_SETUP_SIZE,
  fwCfgInt,
} from '../devices/fw-cfg/index.js';

export interface LinuxBoot {
  /** The bzImage (vmlinuz). */
  readonly kernel: Uint8Array;
  readonly initrd?: Uint8Array;
  readonly cmdline?: string;
  /** QEMU's linuxboot_dma.bin option ROM. */
  readonly optionRom: Uint8Array;
}

/** The option ROM's fw_cfg name and the bootorder entry that boots it first. */
export const LINUXBOOT_ROM = 'genroms/linuxboot_dma.bin';
export const LINUXBOOT_BOOTORDER = '/rom@genroms/linuxboot_dma.bin';

/** QEMU's real-mode, command-line and protected-mode addresses for a boot protocol 2.02+ kernel. */
const REAL_ADDR = 0x1_0000;
const CMDLINE_ADDR = 0x2_0000;
const PROT_ADDR = 0x10_0000;
/** pc-q35-7.2's acpi_data_size: the initrd stays below below4g minus this. */
const ACPI_DATA_SIZE = 0x2_0000 + 0x8000;

/** Why a kernel image cannot be booted, or undefined. */
export function linuxImageProblem(kernel: Uint8Array): string | undefined {
  if (kernel.length < 0x1000) return 'not a Linux bzImage (too short)';
  const dv = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  if (dv.getUint32(0x202, true) !== 0x5372_6448) return 'not a Linux bzImage (no "HdrS" setup header)';
  const protocol = dv.getUint16(0x206, true);
  if (protocol < 0x202 || !(kernel[0x211]! & 1)) return `boot protocol ${(protocol >> 8).toString(16)}.${(protocol & 0xff).toString(16).padStart(2, '0')} kernels loaded low are not supported (2.02 or later with LOADED_HIGH)`;
  const setupSize = ((kernel[0x1f1] || 4) + 1) * 512;
  if (setupSize >= kernel.length) return 'not a Linux bzImage (setup larger than the file)';
  return undefined;
}

/** The fw_cfg items QEMU adds for a direct Linux boot on a machine with `below4g` bytes of RAM below 4 GiB. */
export function linuxBootItems(boot: LinuxBoot, below4g: number): { key: number; bytes: Uint8Array }[] {
  const problem = linuxImageProblem(boot.kernel);
  if (problem) throw new Error(problem);
  const k = boot.kernel;
  const setupSize = ((k[0x1f1] || 4) + 1) * 512;
  const setup = k.slice(0, setupSize);
  const hdr = new DataView(setup.buffer);
  const protocol = hdr.getUint16(0x206, true);
  const cmdline = new TextEncoder().encode(`${boot.cmdline ?? ''}\0`);

  hdr.setUint32(0x228, CMDLINE_ADDR, true);
  setup[0x210] = 0xb0;
  setup[0x211] = setup[0x211]! | 0x80;
  hdr.setUint16(0x224, CMDLINE_ADDR - REAL_ADDR - 0x200, true);

  const items: { key: number; bytes: Uint8Array }[] = [
    { key: FW_CFG_CMDLINE_ADDR, bytes: fwCfgInt(CMDLINE_ADDR, 4) },
    { key: FW_CFG_CMDLINE_SIZE, bytes: fwCfgInt(cmdline.length, 4) },
    { key: FW_CFG_CMDLINE_DATA, bytes: cmdline },
  ];
  if (boot.initrd) {
    let initrdMax = protocol >= 0x203 ? hdr.getUint32(0x22c, true) : 0x37ff_ffff;
    if (initrdMax >= below4g - ACPI_DATA_SIZE) initrdMax = below4g - ACPI_DATA_SIZE - 1;
    if (boot.initrd.length > initrdMax) throw new Error(`the initrd (${boot.initrd.length} bytes) does not fit below ${initrdMax + 1} (RAM below 4 GiB and the kernel's limit)`);
    const at = (initrdMax - boot.initrd.length) & ~4095;
    hdr.setUint32(0x218, at, true);
    hdr.setUint32(0x21c, boot.initrd.length, true);
    items.push(
      { key: FW_CFG_INITRD_ADDR, bytes: fwCfgInt(at, 4) },
      { key: FW_CFG_INITRD_SIZE, bytes: fwCfgInt(boot.initrd.length, 4) },
      { key: FW_CFG_INITRD_DATA, bytes: boot.initrd },
    );
  }
  const kernel = k.subarray(setupSize);
  items.push(
    { key: FW_CFG_KERNEL_ADDR, bytes: fwCfgInt(PROT_ADDR, 4) },
    { key: FW_CFG_KERNEL_SIZE, bytes: fwCfgInt(kernel.length, 4) },
    { key: FW_CFG_KERNEL_DATA, bytes: kernel },
    { key: FW_CFG_SETUP_ADDR, bytes: fwCfgInt(REAL_ADDR, 4) },
    { key: FW_CFG_SETUP_SIZE, bytes: fwCfgInt(setupSize, 4) },
    { key: FW_CFG_SETUP_DATA, bytes: setup },
  );
  return items;
}
