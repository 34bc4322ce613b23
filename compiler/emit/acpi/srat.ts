/**
 * SRAT, the System Resource Affinity Table (ACPI 6.4 §5.2.16), revision 1
 * as QEMU builds it: the proximity domain of every possible CPU by APIC ID
 * (§5.2.16.1, or §5.2.16.3 for x2APIC IDs) and of every node's RAM
 * (§5.2.16.2). Node memory is cut around the legacy hole at 640 KiB-1 MiB and
 * the 32-bit PCI hole; like QEMU, at least nodes + 2 memory entries appear,
 * padded with disabled ones. Emitted only for NUMA machines.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { TableWriter, type AcpiTable, type TableIds } from './header.js';

const HOLE_640K_START = 0xa_0000;
const HOLE_640K_END = 0x10_0000;
export const MEM_AFFINITY_ENABLED = 1 << 0;
export const MEM_AFFINITY_HOTPLUGGABLE = 1 << 1;

export interface MemoryAffinity {
  readonly base: number;
  readonly size: number;
  readonly node: number;
  readonly flags: number;
}

/** The memory affinity ranges, replaying QEMU 7.2's build_srat (hw/i386/acpi-build.c). */
export function memoryAffinities(machine: ResolvedMachine): MemoryAffinity[] {
  const { below4g, above4gBase } = machine.memory;
  const out: MemoryAffinity[] = [];
  let next = 0;
  machine.numa.forEach((node, i) => {
    const nodeMem = node.memory.reduce((a, r) => a + r.size, 0);
    let base = next;
    let len = nodeMem;
    next = base + len;
    if (base <= HOLE_640K_START && next > HOLE_640K_START) {
      len -= next - HOLE_640K_START;
      if (len > 0) out.push({ base, size: len, node: i, flags: MEM_AFFINITY_ENABLED });
      if (next <= HOLE_640K_END) {
        next = HOLE_640K_END;
        return;
      }
      base = HOLE_640K_END;
      len = next - HOLE_640K_END;
    }
    if (base <= below4g && next > below4g) {
      len -= next - below4g;
      if (len > 0) out.push({ base, size: len, node: i, flags: MEM_AFFINITY_ENABLED });
      base = above4gBase;
      len = next - below4g;
      next = base + len;
    }
    if (len > 0) out.push({ base, size: len, node: i, flags: MEM_AFFINITY_ENABLED });
  });
  while (out.length < machine.numa.length + 2) out.push({ base: 0, size: 0, node: 0, flags: 0 });
  return out;
}

export function buildSrat(machine: ResolvedMachine, ids: TableIds): AcpiTable {
  const w = TableWriter.sdt('SRAT', 1, ids);
  w.u32('Table Revision', 1);
  w.zeros('Reserved', 8);
  for (const cpu of machine.cpus.cpus) {
    w.subtable();
    if (cpu.apicId < 255) {
      w.u8('Subtable Type (Local APIC Affinity)', 0);
      w.u8('Length', 16);
      w.u8('Proximity Domain Low(8)', cpu.node & 0xff);
      w.u8('Apic ID', cpu.apicId);
      w.u32('Flags (Enabled)', 1);
      w.u8('Local Sapic EID', 0);
      w.u8('Proximity Domain High[0]', (cpu.node >>> 8) & 0xff);
      w.u16('Proximity Domain High[1:2]', (cpu.node >>> 16) & 0xffff);
      w.u32('Clock Domain', 0);
    } else {
      w.u8('Subtable Type (x2APIC Affinity)', 2);
      w.u8('Length', 24);
      w.u16('Reserved', 0);
      w.u32('Proximity Domain', cpu.node);
      w.u32('Apic ID', cpu.apicId);
      w.u32('Flags (Enabled)', 1);
      w.u32('Clock Domain', 0);
      w.u32('Reserved', 0);
    }
  }
  for (const m of memoryAffinities(machine)) {
    w.subtable();
    w.u8('Subtable Type (Memory Affinity)', 1);
    w.u8('Length', 40);
    w.u32('Proximity Domain', m.node);
    w.u16('Reserved1', 0);
    w.u64('Base Address', m.base);
    w.u64('Address Length', m.size);
    w.u32('Reserved2', 0);
    w.u32('Flags', m.flags);
    w.u64('Reserved3', 0);
  }
  return w.finishSdt();
}
