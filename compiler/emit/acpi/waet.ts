/**
 * WAET, the Windows ACPI Emulated Devices Table (Microsoft, "Windows ACPI
 * Emulated Devices Table", 2009): flag bit 1 says the ACPI PM timer is
 * reliable, so a guest need not read it twice. Bit 0 (RTC good) stays clear.
 */
import { TableWriter, type AcpiTable, type TableIds } from './header.js';

export function buildWaet(ids: TableIds): AcpiTable {
  const w = TableWriter.sdt('WAET', 1, ids);
  w.u32('Flags (ACPI PM Timer Good)', 1 << 1);
  return w.finishSdt();
}
