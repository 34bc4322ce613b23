/**
 * MADT "APIC", the Multiple APIC Description Table (ACPI 6.4 §5.2.12), as
 * QEMU builds it (hw/i386/acpi-common.c acpi_build_madt): one processor
 * entry per possible CPU, the I/O APIC, the ISA interrupt source overrides
 * and the LINT1 NMI of every local APIC.
 *
 * Revision 1 (QEMU 7.2) or 3 (8.x and later), or what the machine file asks
 * for. Present CPUs are Enabled; CPUs that may be hot-added later have no
 * flags, except from revision 5, which defines Online Capable (flag bit 1):
 * then they are Online Capable, which is what tells Linux
 * (acpi_is_processor_usable) to count them as possible CPUs.
 */
import { since } from '../../model/target.js';
import type { Cpu, ResolvedMachine } from '../../model/topology.js';
import { TableWriter, type AcpiTable, type TableIds } from './header.js';
import { ByteSink } from './sink.js';

/** The MADT revision: the machine file's choice, else the target QEMU's. */
export function madtRevision(machine: ResolvedMachine): number {
  return machine.acpi.madtRevision ?? (since(machine.qemu, '8.0') ? 3 : 1);
}
/** §5.2.12.2 Local APIC Flags. */
export const LAPIC_ENABLED = 1 << 0;
export const LAPIC_ONLINE_CAPABLE = 1 << 1;

/** Local APIC IDs from 255 up need x2APIC structures (§5.2.12.12). */
export const needsX2apic = (cpu: Cpu): boolean => cpu.apicId >= 255;

function lapicFlags(cpu: Cpu, forceEnabled: boolean, machine: ResolvedMachine): number {
  if (cpu.present || forceEnabled) return LAPIC_ENABLED;
  return madtRevision(machine) >= 5 ? LAPIC_ONLINE_CAPABLE : 0;
}

const flagNote = (flags: number): string => (flags & LAPIC_ENABLED ? 'Processor Enabled' : flags & LAPIC_ONLINE_CAPABLE ? 'Online Capable' : 'Not Enabled');

/**
 * The processor structure for one CPU: §5.2.12.2 Processor Local APIC (type 0,
 * 8 bytes) or §5.2.12.12 Processor Local x2APIC (type 9, 16 bytes). The ACPI
 * processor UID is the CPU index, as in the DSDT's processor devices. Also
 * used for the processor devices' _MAT (with `forceEnabled`).
 */
export function madtCpuEntry(cpu: Cpu, forceEnabled: boolean, machine: ResolvedMachine): Uint8Array {
  const out = new ByteSink(16);
  const flags = lapicFlags(cpu, forceEnabled, machine);
  if (needsX2apic(cpu)) out.u8(9).u8(16).u16(0).u32(cpu.apicId).u32(flags).u32(cpu.index);
  else out.u8(0).u8(8).u8(cpu.index).u8(cpu.apicId).u32(flags);
  return out.toBytes();
}

export function buildMadt(machine: ResolvedMachine, ids: TableIds): AcpiTable {
  const { platform, cpus, interrupts } = machine;
  const w = TableWriter.sdt('APIC', madtRevision(machine), ids);
  w.u32('Local Apic Address', platform.lapicAddress);
  w.u32('Flags (PC-AT Compatibility)', 1);
  for (const cpu of cpus.cpus) {
    w.subtable();
    if (needsX2apic(cpu)) {
      w.u8('Subtable Type', 9);
      w.u8('Length', 16);
      w.u16('Reserved', 0);
      w.u32('Processor x2Apic ID', cpu.apicId);
      w.u32('Flags', lapicFlags(cpu, false, machine));
      w.note(flagNote(lapicFlags(cpu, false, machine)));
      w.u32('Processor UID', cpu.index);
    } else {
      w.u8('Subtable Type', 0);
      w.u8('Length', 8);
      w.u8('Processor ID', cpu.index);
      w.u8('Local Apic ID', cpu.apicId);
      w.u32('Flags', lapicFlags(cpu, false, machine));
      w.note(flagNote(lapicFlags(cpu, false, machine)));
    }
  }
  w.subtable();
  w.u8('Subtable Type (I/O APIC)', 1);
  w.u8('Length', 12);
  w.u8('I/O Apic ID', platform.ioapic.id);
  w.u8('Reserved', 0);
  w.u32('Address', platform.ioapic.address);
  w.u32('Interrupt (GSI base)', platform.ioapic.gsiBase);
  for (const o of interrupts.overrides) {
    w.subtable();
    w.u8('Subtable Type (Source Override)', 2);
    w.u8('Length', 10);
    w.u8('Bus (ISA)', 0);
    w.u8('Source', o.irq);
    w.u32('Interrupt', o.gsi);
    w.u16('Flags (Polarity, Trigger)', o.flags);
  }
  w.subtable();
  if (cpus.cpus.some(needsX2apic)) {
    w.u8('Subtable Type (Local x2APIC NMI)', 0x0a);
    w.u8('Length', 12);
    w.u16('Flags', 0);
    w.u32('Processor UID (all)', 0xffff_ffff);
    w.u8('Interrupt Input LINT', 1);
    w.zeros('Reserved', 3);
  } else {
    w.u8('Subtable Type (Local APIC NMI)', 4);
    w.u8('Length', 6);
    w.u8('Processor ID (all)', 0xff);
    w.u16('Flags', 0);
    w.u8('Interrupt Input LINT', 1);
  }
  return w.finishSdt();
}
