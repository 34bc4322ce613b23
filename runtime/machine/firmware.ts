/**
 * The firmware files a q35 machine takes from the host, where QEMU 7.2 on
 * Debian finds them (its data directories /usr/share/qemu, /usr/share/seabios
 * and /usr/lib/ipxe/qemu): the system BIOS, the VGA BIOS for std-vga's ROM
 * BAR, the NICs' option ROMs (QEMU's `romfile` defaults, package
 * ipxe-qemu) and QEMU's genroms/kvmvapic.bin for fw_cfg.
 *
 * QEMU's q35 loads bios-256k.bin by default; the team's comparisons run
 * Debian's bios.bin (the 128 KiB build) with `-bios`. Either works: the
 * image is mapped ending at 4 GiB with its last 128 KiB below 1 MiB.
 */
import { readFileSync } from 'node:fs';
import { biosImageProblem } from '../devices/pc-bios/index.js';
import type { FwCfgFile } from '../devices/fw-cfg/index.js';

export const SEABIOS_BIN = '/usr/share/seabios/bios.bin';
export const SEABIOS_256K = '/usr/share/seabios/bios-256k.bin';
export const VGABIOS_STDVGA = '/usr/share/seabios/vgabios-stdvga.bin';
export const KVMVAPIC = '/usr/share/qemu/kvmvapic.bin';
/** QEMU 7.2's default romfile per device model. */
export const NIC_ROMS: Readonly<Record<string, string>> = {
  e1000e: '/usr/lib/ipxe/qemu/efi-e1000e.rom',
  e1000: '/usr/lib/ipxe/qemu/efi-e1000.rom',
  'virtio-net': '/usr/lib/ipxe/qemu/efi-virtio.rom',
  'bochs-display': '/usr/share/seabios/vgabios-bochs-display.bin',
};

/** A firmware file that cannot be used, with what to do about it. */
export class FirmwareError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'FirmwareError';
  }
}

function read(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new FirmwareError(path, `cannot read the ${what} (${why})`);
  }
}

export interface HostFirmware {
  readonly bios: Uint8Array;
  readonly vgaBios: Uint8Array;
  readonly optionRoms: Readonly<Record<string, Uint8Array>>;
  /** genroms/kvmvapic.bin, for fw_cfg. */
  readonly genroms: readonly FwCfgFile[];
}

export interface HostFirmwarePaths {
  readonly bios?: string;
  readonly vgaBios?: string;
  readonly kvmvapic?: string;
  /** Only the ROMs of these models are read (the machine's NICs and displays). */
  readonly nicModels?: readonly string[];
}

/** Reads the firmware a machine needs; a FirmwareError names the file and the problem. */
export function loadHostFirmware(paths: HostFirmwarePaths = {}): HostFirmware {
  const biosPath = paths.bios ?? SEABIOS_BIN;
  const bios = read(biosPath, 'BIOS image');
  const problem = biosImageProblem(bios);
  if (problem) throw new FirmwareError(biosPath, `not a BIOS image: ${problem}`);
  const vgaBios = read(paths.vgaBios ?? VGABIOS_STDVGA, 'VGA BIOS');
  const optionRoms: Record<string, Uint8Array> = {};
  for (const model of new Set(paths.nicModels ?? [])) {
    const path = NIC_ROMS[model];
    if (path) optionRoms[model] = read(path, `${model} option ROM (Debian package ipxe-qemu)`);
  }
  const genroms = [{ name: 'genroms/kvmvapic.bin', bytes: read(paths.kvmvapic ?? KVMVAPIC, 'kvmvapic option ROM (Debian package qemu-system-data)') }];
  return { bios, vgaBios, optionRoms, genroms };
}
