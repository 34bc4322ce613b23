/**
 * A resolved machine as a real boot records it, for comparing the two: the
 * functions Linux enumerated (a capture's pci.txt) and the bus numbers
 * SeaBIOS gave every bridge (its seabios.log).
 */
import type { ResolvedMachine } from '../../compiler/model/topology.js';

/** pci.txt lines as machc would print them: BDF, vendor, device, class, TotalVFs. */
export function ourPciTxt(m: ResolvedMachine): string[] {
  const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`;
  return m.pci.functions.map(
    (f) => `0000:${f.bdf} ${hex(f.vendorId, 4)} ${hex(f.deviceId, 4)} ${hex(f.classCode, 6)} ${f.sriov ? f.sriov.totalVfs : ''}`.trimEnd(),
  );
}

/** (bridge BDF, secondary, subordinate) of a resolved machine, sorted. */
export function ourBuses(m: ResolvedMachine): string[] {
  return m.pci.functions.filter((f) => f.bridge).map((f) => `${f.bdf} ${f.bridge!.secondary} ${f.bridge!.subordinate}`).sort();
}

/** (bridge BDF, secondary, subordinate) as SeaBIOS logs them in pci_bios_init_bus_rec, sorted. */
export function seabiosBuses(log: string): string[] {
  const stack: { bdf: string; sec?: number }[] = [];
  const out: string[] = [];
  for (const line of log.split('\n')) {
    let m = /pci_bios_init_bus_rec bdf = 0x([0-9a-f]+)/.exec(line);
    if (m) {
      const v = parseInt(m[1]!, 16);
      const bdf = `${(v >> 8).toString(16).padStart(2, '0')}:${((v >> 3) & 0x1f).toString(16).padStart(2, '0')}.${v & 7}`;
      stack.push({ bdf });
      continue;
    }
    m = /secondary bus = 0x[0-9a-f]+ -> 0x([0-9a-f]+)/.exec(line);
    if (m && stack.length > 0) {
      stack[stack.length - 1]!.sec = parseInt(m[1]!, 16);
      continue;
    }
    m = /subordinate bus = 0x[0-9a-f]+ -> 0x([0-9a-f]+)/.exec(line);
    if (m) {
      const top = stack.pop()!;
      out.push(`${top.bdf} ${top.sec} ${parseInt(m[1]!, 16)}`);
    }
  }
  return out.sort();
}
