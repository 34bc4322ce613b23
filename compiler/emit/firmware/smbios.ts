/**
 * The SMBIOS tables QEMU builds for a q35 machine of the target's machine
 * type, pc-q35-V (hw/smbios/smbios.c with the machine's defaults; DMTF
 * SMBIOS 2.8, DSP0134), handed
 * to the firmware as fw_cfg files `etc/smbios/smbios-tables` and
 * `etc/smbios/smbios-anchor`; SeaBIOS copies them into the F segment and
 * adds its own type 0. QEMU's defaults leave types 0 and 2 out.
 *
 *   type 1    System: "QEMU", "Standard PC (Q35 + ICH9, 2009)", the machine type, zero UUID, power switch wake-up
 *   type 3    Chassis: "QEMU", other, version the machine type, safe states
 *   type 4    one per socket ("CPU %2x"): CPUID signature and features, 2000 MHz, cores and threads (cores x threads) per socket;
 *             processor family Other (0x01) on 7.2, "see Processor Family 2" (0xFE) on 10.0 and 11.1, Family 2 Other
 *   type 16   Physical memory array: system memory, multi-bit ECC, RAM size in KiB
 *   type 17   one per 16 GiB DIMM ("DIMM %d"), size in MiB
 *   type 19   one per RAM range (below 4 GiB, above 4 GiB)
 *   type 32   Boot information: no errors
 *   type 127  End of table
 *
 * Each structure is its formatted part followed by its strings, each
 * terminated by NUL, and a final NUL (two NULs when there are no strings).
 * The 2.1 entry point leaves the table address and checksums to the BIOS.
 */
import { since } from '../../model/target.js';
import type { ResolvedMachine } from '../../model/topology.js';

const KiB = 1024;
const MiB = KiB * KiB;
const GiB = MiB * KiB;
const FOUR_GIB = 4 * GiB;

/** The manufacturer and product QEMU names in type 1 and 3 (the version is the machine type). */
const MANUFACTURER = 'QEMU';
const PRODUCT = 'Standard PC (Q35 + ICH9, 2009)';

/** CPUID leaf 1 EAX and EDX of each CPU model as QEMU 7.2's TCG reports them (SMBIOS type 4 processor ID). */
const CPU_SIGNATURES: Record<ResolvedMachine['cpus']['model'], readonly [number, number]> = {
  qemu64: [0x0006_0fb1, 0x078b_fbfd],
  max: [0x0006_0fb1, 0x0fcb_fbfd],
  'Skylake-Server': [0x0005_0654, 0x078b_fbfd],
  EPYC: [0x0080_0f12, 0x078b_fbfd],
};

const MAX_T16_STD_SZ = 0x8000_0000; // KiB
const MAX_T17_STD_SZ = 0x7fff; // MiB
const MAX_DIMM_SIZE = 16 * GiB;

/** One structure under construction: the formatted area and its strings. */
class Structure {
  private readonly bytes: number[] = [];
  private readonly strings: string[] = [];

  constructor(type: number, handle: number) {
    this.u8(type).u8(0).u16(handle);
  }

  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16(Math.floor(v / 0x1_0000) & 0xffff);
  }

  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }

  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }

  /** A string field: its 1-based index, or 0 for none (QEMU SMBIOS_TABLE_SET_STR). */
  str(s: string | undefined): this {
    if (!s) return this.u8(0);
    this.strings.push(s);
    return this.u8(this.strings.length);
  }

  /** The structure with its length byte set and its string set. */
  encode(): Uint8Array {
    const formatted = Uint8Array.from(this.bytes);
    formatted[1] = formatted.length;
    const text = this.strings.length ? `${this.strings.join('\0')}\0\0` : '\0\0';
    const tail = new TextEncoder().encode(text);
    const out = new Uint8Array(formatted.length + tail.length);
    out.set(formatted);
    out.set(tail, formatted.length);
    return out;
  }
}

export interface SmbiosFiles {
  readonly tables: Uint8Array;
  readonly anchor: Uint8Array;
}

export function buildSmbios(machine: ResolvedMachine): SmbiosFiles {
  const cpus = machine.cpus;
  const mem = machine.memory;
  const ramSize = mem.ramSize;
  const VERSION = machine.qemu.machineType;
  const structures: Uint8Array[] = [];

  structures.push(
    new Structure(1, 0x100).str(MANUFACTURER).str(PRODUCT).str(VERSION).str(undefined).zeros(16).u8(0x06).str(undefined).str(undefined).encode(),
  );
  structures.push(
    new Structure(3, 0x300)
      .str(MANUFACTURER)
      .u8(0x01)
      .str(VERSION)
      .str(undefined)
      .str(undefined)
      .u8(0x03)
      .u8(0x03)
      .u8(0x03)
      .u8(0x02)
      .u32(0)
      .u8(0)
      .u8(0)
      .u8(0)
      .u8(0)
      .str(undefined)
      .encode(),
  );
  const [version, baseFeatures] = CPU_SIGNATURES[cpus.model];
  // From 10.0 (of the targets) the processor ID carries CPUID.1:EDX.HTT when a package holds more
  // than one logical processor, as the CPU reports it; 7.2 takes the model's features without it.
  const features = since(machine.qemu, '10.0') && cpus.cores * cpus.threads > 1 ? (baseFeatures | (1 << 28)) >>> 0 : baseFeatures;
  // QEMU 7.2 counts sockets as boot CPUs over cores x threads, whatever the dies.
  const sockets = Math.ceil(cpus.count / (cpus.cores * cpus.threads));
  for (let i = 0; i < sockets; i++) {
    structures.push(
      new Structure(4, 0x400 + i)
        .str(`CPU${i.toString(16).padStart(2, ' ')}`)
        .u8(0x03)
        .u8(since(machine.qemu, '10.0') ? 0xfe : 0x01)
        .str(MANUFACTURER)
        .u32(version)
        .u32(features)
        .str(VERSION)
        .u8(0)
        .u16(0)
        .u16(2000)
        .u16(2000)
        .u8(0x41)
        .u8(0x01)
        .u16(0xffff)
        .u16(0xffff)
        .u16(0xffff)
        .str(undefined)
        .str(undefined)
        .str(undefined)
        .u8(cpus.cores)
        .u8(cpus.cores)
        .u8(cpus.cores * cpus.threads)
        .u16(0x02)
        .u16(0x01)
        .encode(),
    );
  }
  const dimms = Math.ceil(ramSize / MAX_DIMM_SIZE);
  const sizeKb = Math.ceil(ramSize / KiB);
  const t16 = new Structure(16, 0x1000).u8(0x01).u8(0x03).u8(0x06);
  if (sizeKb < MAX_T16_STD_SZ) t16.u32(sizeKb).u16(0xfffe).u16(dimms).u64(0);
  else t16.u32(MAX_T16_STD_SZ).u16(0xfffe).u16(dimms).u64(ramSize);
  structures.push(t16.encode());
  for (let i = 0; i < dimms; i++) {
    const size = i < dimms - 1 ? MAX_DIMM_SIZE : ((ramSize - 1) % MAX_DIMM_SIZE) + 1;
    const sizeMb = Math.ceil(size / MiB);
    const t17 = new Structure(17, 0x1100 + i).u16(0x1000).u16(0xfffe).u16(0xffff).u16(0xffff);
    t17.u16(sizeMb < MAX_T17_STD_SZ ? sizeMb : MAX_T17_STD_SZ);
    t17.u8(0x09).u8(0).str(`DIMM ${i}`).str(undefined).u8(0x07).u16(0x02).u16(0).str(MANUFACTURER).str(undefined).str(undefined).str(undefined).u8(0);
    t17.u32(sizeMb < MAX_T17_STD_SZ ? 0 : sizeMb).u16(0).u16(0).u16(0).u16(0);
    structures.push(t17.encode());
  }
  const ranges: [number, number][] = [[0, mem.below4g]];
  if (mem.above4g > 0) ranges.push([FOUR_GIB, mem.above4g]);
  ranges.forEach(([start, size], i) => {
    const end = start + size - 1;
    const startKb = Math.floor(start / KiB);
    const endKb = Math.floor(end / KiB);
    const t19 = new Structure(19, 0x1300 + i);
    if (startKb < 0xffff_ffff && endKb < 0xffff_ffff) t19.u32(startKb).u32(endKb).u16(0x1000).u8(1).u64(0).u64(0);
    else t19.u32(0xffff_ffff).u32(0xffff_ffff).u16(0x1000).u8(1).u64(start).u64(end);
    structures.push(t19.encode());
  });
  structures.push(new Structure(32, 0x2000).zeros(6).u8(0).encode());
  structures.push(new Structure(127, 0x7f00).encode());

  const length = structures.reduce((n, s) => n + s.length, 0);
  const tables = new Uint8Array(length);
  let at = 0;
  for (const s of structures) {
    tables.set(s, at);
    at += s.length;
  }
  const max = Math.max(...structures.map((s) => s.length));
  // SMBIOS 2.1 (32-bit) entry point, SMBIOS 2.8 §5.2.1: checksums and the table address are the BIOS's.
  const anchor = new Uint8Array(0x1f);
  const av = new DataView(anchor.buffer);
  anchor.set(new TextEncoder().encode('_SM_'), 0);
  anchor[5] = 0x1f;
  anchor[6] = 2;
  anchor[7] = 8;
  av.setUint16(8, max, true);
  anchor.set(new TextEncoder().encode('_DMI_'), 0x10);
  av.setUint16(0x16, length, true);
  av.setUint16(0x1c, structures.length, true);
  anchor[0x1e] = 0x28;
  return { tables, anchor };
}
