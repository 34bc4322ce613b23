// Generating every table for a machine with over 1,000 PCI functions stays
// well under 50 ms in-process (bytes; the ASL text is built on first read).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildAcpiTables, loadMachine } from './support.js';

/** 16 root ports, each with a 6-port switch; every port holds an NVMe PF with 9 VFs. */
export function bigMachineYaml(): string {
  const lines = ['name: perf-1000', 'chipset: q35', 'cpus: { sockets: 2, cores: 8, threads: 2 }', 'memory: 16 GiB', 'devices:'];
  for (let r = 0; r < 16; r++) {
    lines.push(`  - { id: rp${r}, model: pcie-root-port, chassis: 1, slot: ${r + 1} }`, `  - { id: sw${r}, model: x3130-upstream, bus: rp${r} }`);
    for (let p = 0; p < 6; p++) {
      lines.push(`  - { id: sw${r}-p${p}, model: xio3130-downstream, bus: sw${r}, chassis: ${r + 2}, slot: ${p} }`);
      lines.push(`  - { id: nvme${r}-${p}, model: nvme, bus: sw${r}-p${p}, serial: N${r}X${p}, image: images/n.raw, sriov: { total-vfs: 16, vfs: 9 } }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

it('tables for a 1,000-function machine take well under 50 ms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'machc-perf-'));
  const file = join(dir, 'perf.yaml');
  writeFileSync(file, bigMachineYaml());
  const machine = await loadMachine(file);
  expect(machine, 'the perf machine resolves').toBeDefined();
  expect(machine!.pci.functions.length).toBeGreaterThanOrEqual(1000);
  for (let i = 0; i < 3; i++) buildAcpiTables(machine!);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    buildAcpiTables(machine!);
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  const median = times.sort((a, b) => a - b)[3]!;
  const t0 = performance.now();
  const set = buildAcpiTables(machine!);
  const aslChars = set.tables.reduce((n, t) => n + t.asl.length, 0);
  const withAsl = performance.now() - t0;
  console.log(`ACPI tables for ${machine!.pci.functions.length} functions: best ${best.toFixed(1)} ms, median ${median.toFixed(1)} ms; with ASL text ${withAsl.toFixed(1)} ms (${aslChars} chars)`);
  // Best of seven: the CI machine is shared, so single runs can be slowed by other work.
  expect(best).toBeLessThan(50);
});
