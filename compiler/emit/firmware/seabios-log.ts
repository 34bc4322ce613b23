/**
 * The firmware placement plan as SeaBIOS 1.16.2 logs it (src/fw/pciinit.c):
 * pass 1's bridge window sizes, deepest secondary bus first
 *   PCI: secondary bus 1 size 00200000 type mem
 * then pass 2's root regions and every BAR in mapping order
 *   PCI: IO: c000 - c05f
 *   PCI: 32: 00000000c0000000 - 00000000fec00000
 *   PCI: 64: 0000000100000000 - 0000000900000000      (only when the 32-bit hole overflowed)
 *   PCI: map device bdf=00:1f.3  bar 4, addr 0000c000, size 00000040 [io]
 * Bridge windows are not logged in pass 2, as in SeaBIOS.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { PCI_MEM32_BASE, PCI_MEM32_END } from '../../resolve/memory.js';

const REGION_ORDER = ['io', 'mem', 'prefmem'] as const;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function firmwarePlanLog(machine: ResolvedMachine): string[] {
  const plan = machine.firmware;
  const lines: string[] = [];
  const windows = [...plan.windows].sort((a, b) => b.secondary - a.secondary || REGION_ORDER.indexOf(a.region) - REGION_ORDER.indexOf(b.region));
  for (const w of windows) lines.push(`PCI: secondary bus ${w.secondary} size ${hex(w.size, 8)} type ${w.region}`);
  // "%4llx": at least four digits; an empty region logs base - 1 as its end.
  lines.push(`PCI: IO: ${hex(plan.io.base, 4)} - ${hex(plan.io.base + plan.io.size - 1, 4)}`);
  lines.push(`PCI: 32: ${hex(PCI_MEM32_BASE, 16)} - ${hex(PCI_MEM32_END, 16)}`);
  if (plan.mem64) lines.push(`PCI: 64: ${hex(plan.mem64.base, 16)} - ${hex(plan.mem64.base + plan.mem64.size, 16)}`);
  for (const b of plan.bars) {
    lines.push(`PCI: map device bdf=${b.bdf}  bar ${b.bar}, addr ${hex(b.address, 8)}, size ${hex(b.size, 8)} [${b.region}]`);
  }
  return lines;
}

/** The lines of a real SeaBIOS log that firmwarePlanLog predicts. */
export function planLinesOfLog(log: string): string[] {
  return log
    .split(/\r?\n/)
    .filter((l) => /^PCI: (map device bdf=|IO: |32: |64: |secondary bus \d+ size )/.test(l));
}
