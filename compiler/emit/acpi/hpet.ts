/**
 * HPET, the IA-PC High Precision Event Timer table (Intel IA-PC HPET
 * Specification 1.0a §3.2.4): event timer block ID as QEMU's HPET reports in
 * its capabilities register (vendor 0x8086, 3 comparators, legacy-capable,
 * revision 1), the register block in system memory, HPET number 0.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { TableWriter, type AcpiTable, type TableIds } from './header.js';

/** Vendor 8086, LegacyReplacement capable (bit 15), COUNT_SIZE_CAP 64-bit (bit 13), 3 timers - 1 = 2 (bits 12:8), revision 1. */
export const HPET_BLOCK_ID = 0x8086_a201;

export function buildHpet(machine: ResolvedMachine, ids: TableIds): AcpiTable {
  const w = TableWriter.sdt('HPET', 1, ids);
  w.u32('Hardware Block ID', HPET_BLOCK_ID);
  w.gas('Timer Block Register', { space: 0, bitWidth: 0, bitOffset: 0, accessSize: 0, address: machine.platform.hpet.address });
  w.u8('Sequence Number', 0);
  w.u16('Minimum Clock Ticks', 0);
  w.u8('Flags (Page Protection)', 0);
  return w.finishSdt();
}
