/**
 * Generated topologies for benchmarks: a machine with about `functions` PCI
 * functions, built from root ports, switches and endpoints the way a large
 * real machine is, and written as a machine file (one device per line).
 */

export interface GeneratedMachine {
  readonly yaml: string;
  /** Devices declared in the file (functions minus the chipset's and the VFs). */
  readonly devices: number;
}

/**
 * Roughly `functions` PCI functions. Up to ~250 functions fit with one bus
 * number each; beyond that, multifunction endpoints (eight functions per
 * device behind a port) and SR-IOV VFs provide the rest within 256 buses.
 */
export function generateMachine(functions: number, variant = 0): GeneratedMachine {
  const lines = ['# generated benchmark machine', `name: bench-${functions}`, 'chipset: q35', 'cpus: 8', 'memory: 16 GiB', 'devices:'];
  let count = 5; // chipset functions
  let devices = 0;
  let rp = 0;
  const push = (line: string, fns: number) => {
    lines.push(line);
    count += fns;
    devices++;
  };
  // Each root port carries a switch with up to 8 downstream ports; each port an endpoint with up to 8 functions.
  const perPortFunctions = functions <= 300 ? 1 : functions <= 2000 ? 4 : 8;
  while (count < functions && rp < 24) {
    const r = rp++;
    push(`  - { id: rp${r}, model: pcie-root-port, chassis: 1, slot: ${r + 1} }`, 1);
    if (count >= functions) break;
    push(`  - { id: sw${r}, model: x3130-upstream, bus: rp${r} }`, 1);
    for (let p = 0; p < 8 && count < functions; p++) {
      push(`  - { id: sw${r}p${p}, model: xio3130-downstream, bus: sw${r}, chassis: ${r + 2}, slot: ${p} }`, 1);
      for (let f = 0; f < perPortFunctions && count < functions; f++) {
        const n = `${r}-${p}-${f}`;
        const kind = (r + p + f + variant) % 3;
        const addr = perPortFunctions > 1 ? `, addr: 0.${f}` : '';
        if (kind === 0) push(`  - { id: nvme${n}, model: nvme, bus: sw${r}p${p}${addr}, serial: S${n}, image: img/${n}.raw }`, 1);
        else if (kind === 1) push(`  - { id: blk${n}, model: virtio-blk, bus: sw${r}p${p}${addr}, image: img/${n}.qcow2 }`, 1);
        else push(`  - { id: nic${n}, model: virtio-net, bus: sw${r}p${p}${addr} }`, 1);
      }
    }
  }
  // The rest as SR-IOV VFs on extra NVMe functions behind root ports (ARI: up to 127 VFs each).
  while (count < functions && rp < 200) {
    const r = rp++;
    const vfs = Math.min(127, functions - count - 2);
    push(`  - { id: rp${r}, model: pcie-root-port, chassis: 1, slot: ${r + 1} }`, 1);
    if (vfs <= 0) continue;
    push(`  - { id: pf${r}, model: nvme, bus: rp${r}, serial: PF${r}, image: img/pf${r}.raw, sriov: { total-vfs: 127, vfs: ${vfs} } }`, 1 + vfs);
  }
  return { yaml: `${lines.join('\n')}\n`, devices };
}
