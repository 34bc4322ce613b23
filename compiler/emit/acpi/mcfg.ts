/**
 * MCFG, PCI Express memory-mapped configuration space (PCI Firmware
 * Specification 3.2 §4.1.2): one allocation for segment 0 covering the ECAM
 * window the MCH's PCIEXBAR decodes, buses 0 to buses - 1.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { TableWriter, type AcpiTable, type TableIds } from './header.js';

export function buildMcfg(machine: ResolvedMachine, ids: TableIds): AcpiTable {
  const ecam = machine.memory.ecam;
  const w = TableWriter.sdt('MCFG', 1, ids);
  w.zeros('Reserved', 8);
  w.subtable();
  w.u64('Base Address', ecam.base);
  w.u16('Segment Group Number', machine.pci.segment);
  w.u8('Start Bus Number', 0);
  w.u8('End Bus Number', ecam.buses - 1);
  w.zeros('Reserved', 4);
  return w.finishSdt();
}
