/**
 * The system firmware image as QEMU 7.2 maps a `-bios` file on a PC machine
 * (hw/i386/x86.c x86_bios_rom_init): read-only memory ending at 4 GiB, and
 * its last 128 KiB (or all of it, when smaller) aliased to end at 1 MiB,
 * both on the PCI side of the memory map, so the MCH's PAM registers decide
 * whether 0xe0000-0xfffff reads the image or shadow RAM. Writes are dropped.
 * The image must be a whole number of 64 KiB, as QEMU requires.
 */
import type { PhysicalMemory } from '../../bus/memory.js';
import { AliasRegion, RomRegion } from '../../bus/types.js';

export const BIOS_SIZE_UNIT = 64 * 1024;
export const ISA_BIOS_MAX = 128 * 1024;
/** Largest image the top of the 32-bit PCI hole is given for it (QEMU limits nothing; 16 MiB is far above any BIOS). */
export const BIOS_MAX = 16 * 1024 * 1024;
const FOUR_GIB = 2 ** 32;
const ONE_MIB = 0x10_0000;

/** Why an image cannot be a BIOS, or undefined when it can. */
export function biosImageProblem(image: Uint8Array): string | undefined {
  if (image.length === 0) return 'the file is empty';
  if (image.length % BIOS_SIZE_UNIT !== 0) return `its size (${image.length} bytes) is not a multiple of 64 KiB`;
  if (image.length > BIOS_MAX) return `it is larger than ${BIOS_MAX / 1024 / 1024} MiB`;
  return undefined;
}

export interface BiosMapping {
  readonly rom: RomRegion;
  readonly base: number;
  readonly isaBase: number;
}

/** Maps the image (which must pass biosImageProblem) into the machine's PCI-side memory. */
export function mapBios(memory: PhysicalMemory, image: Uint8Array): BiosMapping {
  const problem = biosImageProblem(image);
  if (problem) throw new RangeError(`not a BIOS image: ${problem}`);
  const rom = new RomRegion(image);
  const base = FOUR_GIB - image.length;
  memory.mmio.map('pc.bios', base, image.length, rom);
  const isaSize = Math.min(image.length, ISA_BIOS_MAX);
  const isaBase = ONE_MIB - isaSize;
  memory.mmio.map('isa-bios', isaBase, isaSize, new AliasRegion(rom, image.length - isaSize, isaSize));
  return { rom, base, isaBase };
}
