/**
 * The q35 memory map as QEMU 7.2 builds it (hw/i386/pc_q35.c, pc.c) and as
 * SeaBIOS 1.16.2 reports it to the OS: the RAM split around the 32-bit PCI
 * hole, ECAM, the 64-bit PCI hole, the AMD HyperTransport hole, and e820.
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { MemoryDesc } from '../model/description.js';
import type { CpuTopology, E820Entry, MemoryLayout, Range } from '../model/topology.js';
import { formatSize } from '../values/index.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const FOUR_GIB = 4 * GiB;

/** MCH PCIEXBAR as firmware programs it: 256 buses at 0xb0000000. */
export const ECAM_BASE = 0xb000_0000;
export const ECAM_SIZE = 256 * MiB;
/** SeaBIOS places 32-bit BARs in [0xc0000000, 0xfec00000) on q35 whatever the RAM size. */
export const PCI_MEM32_BASE = 0xc000_0000;
export const PCI_MEM32_END = 0xfec0_0000;
/** QEMU q35's default pci-hole64-size. */
export const DEFAULT_HOLE64_SIZE = 32 * GiB;
/** AMD HyperTransport reserved range below 1 TiB (QEMU 7.1+ with an AMD vCPU). */
export const AMD_HT_START = 0xfd_0000_0000;
export const AMD_HT_SIZE = 0x3_0000_0000;
export const AMD_ABOVE_1TB_START = TiB;

export const RCBA_BASE = 0xfed1_c000;
export const RCBA_SIZE = 16 * KiB;
export const BIOS_SIZE = 256 * KiB;

/** SeaBIOS keeps ACPI tables (128 KiB, QEMU pads the blob to that) and driver buffers at the top of low RAM. */
const ZONE_HIGH_ACPI = 128 * KiB;

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function alignDown(n: number, a: number): number {
  return Math.floor(n / a) * a;
}

export interface MemoryOptions {
  /** Pages SeaBIOS's disk drivers keep at the top of low RAM, besides the ACPI tables (seabiosDriverPages). */
  readonly firmwareBufferPages: number;
}

export function resolveMemory(desc: MemoryDesc, cpus: CpuTopology, diags: DiagnosticBag, options: MemoryOptions): MemoryLayout | undefined {
  const ram = desc.size;
  let lowmem = ram >= 0xb000_0000 ? 0x8000_0000 : 0xb000_0000;
  if (desc.below4gMax !== undefined) lowmem = Math.min(lowmem, desc.below4gMax);
  const below = ram >= lowmem ? lowmem : ram;
  const above = ram - below;
  const hole64Size = desc.hole64Size ?? DEFAULT_HOLE64_SIZE;
  let above4gBase = FOUR_GIB;
  const hole64Start = (base: number) => alignUp(base + above, GiB);
  const amd = cpus.vendor === 'AuthenticAMD';
  let maxUsed = hole64Start(above4gBase) + hole64Size - 1;
  if (amd && maxUsed >= AMD_HT_START) {
    above4gBase = AMD_ABOVE_1TB_START;
    maxUsed = hole64Start(above4gBase) + hole64Size - 1;
  }
  const limit = 2 ** cpus.physBits - 1;
  const span = desc.spans['size'] ?? desc.spans['$']!;
  if (below < MiB) {
    diags.report(Diag.memoryUnmappable, span, { detail: `${formatSize(ram)} is too little: firmware needs at least 1 MiB of RAM` });
    return undefined;
  }
  if (maxUsed > limit) {
    diags.report(Diag.memoryUnmappable, span, {
      detail: `RAM above 4 GiB and the ${formatSize(hole64Size)} 64-bit PCI hole end at ${hex(maxUsed + 1)}, past the ${cpus.physBits}-bit physical address space (${formatSize(limit + 1)})`,
    });
    return undefined;
  }
  const e820Qemu: E820Entry[] = [];
  if (amd && cpus.physBits >= 40) e820Qemu.push({ base: AMD_HT_START, size: AMD_HT_SIZE, type: 'reserved', what: 'AMD HyperTransport' });
  e820Qemu.push({ base: 0, size: below, type: 'ram', what: 'RAM below 4 GiB' });
  if (above > 0) e820Qemu.push({ base: above4gBase, size: above, type: 'ram', what: 'RAM above 4 GiB' });

  const zoneHigh = ZONE_HIGH_ACPI + options.firmwareBufferPages * 4 * KiB;
  const e820: E820Entry[] = [
    { base: 0, size: 0x9fc00, type: 'ram', what: 'conventional memory' },
    { base: 0x9fc00, size: 0x400, type: 'reserved', what: 'EBDA' },
    { base: 0xf0000, size: 0x10000, type: 'reserved', what: 'BIOS' },
    { base: MiB, size: below - MiB - zoneHigh, type: 'ram', what: 'RAM' },
    { base: below - zoneHigh, size: zoneHigh, type: 'reserved', what: 'firmware: ACPI tables and driver buffers' },
    { base: ECAM_BASE, size: ECAM_SIZE, type: 'reserved', what: 'PCIe ECAM (MMCONFIG)' },
    { base: RCBA_BASE, size: RCBA_SIZE, type: 'reserved', what: 'ICH9 root complex register block' },
    { base: FOUR_GIB - BIOS_SIZE, size: BIOS_SIZE, type: 'reserved', what: 'BIOS flash' },
  ];
  if (above > 0) e820.push({ base: above4gBase, size: above, type: 'ram', what: 'RAM above 4 GiB' });
  if (amd && cpus.physBits >= 40) e820.push({ base: AMD_HT_START, size: AMD_HT_SIZE, type: 'reserved', what: 'AMD HyperTransport' });
  e820.sort((a, b) => a.base - b.base);

  const hole64: Range = { base: hole64Start(above4gBase), size: hole64Size };
  return {
    ramSize: ram,
    below4g: below,
    above4g: above,
    above4gBase,
    ecam: { base: ECAM_BASE, size: ECAM_SIZE, buses: ECAM_SIZE / MiB },
    pciHole32: { base: PCI_MEM32_BASE, size: PCI_MEM32_END - PCI_MEM32_BASE },
    pciHole64: hole64,
    e820Qemu,
    e820,
  };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
