/**
 * Generated topologies for benchmarks: a machine with about `functions` PCI
 * functions, written as a machine file (one device per line) the way a large
 * real machine would be.
 *
 * Up to about 2,000 functions: root ports, each with a switch of eight
 * downstream ports, each holding a multifunction endpoint (NVMe, virtio
 * disks and NICs). The 256 bus numbers of one ECAM segment cap that shape at
 * about 1,800 functions, so larger machines use SR-IOV: virtio-net physical
 * functions behind root ports, each with up to 255 VFs (ARI), which needs
 * QEMU 10.1 (the machine targets 11.1).
 */

export interface GeneratedMachine {
  readonly yaml: string;
  /** Devices declared in the file. */
  readonly devices: number;
}

export function generateMachine(functions: number): GeneratedMachine {
  const lines = ['# generated benchmark machine', `name: bench-${functions}`, 'chipset: q35', 'cpus: 8', 'memory: 16 GiB', 'devices:'];
  let count = 5; // the chipset's own functions
  let devices = 0;
  const push = (line: string, fns: number) => {
    lines.push(line);
    count += fns;
    devices++;
  };
  let rp = 0;
  const rootPort = () => {
    const r = rp++;
    push(`  - { id: rp${r}, model: pcie-root-port, chassis: 1, slot: ${r + 1} }`, 1);
    return r;
  };
  if (functions <= 2_000) {
    const perPort = Math.max(1, Math.min(8, Math.ceil(functions / 230)));
    while (count < functions) {
      const r = rootPort();
      if (count >= functions) break;
      push(`  - { id: sw${r}, model: x3130-upstream, bus: rp${r} }`, 1);
      for (let p = 0; p < 8 && count < functions; p++) {
        const port = `sw${r}p${p}`;
        push(`  - { id: ${port}, model: xio3130-downstream, bus: sw${r}, chassis: ${r + 2}, slot: ${p} }`, 1);
        for (let f = 0; f < perPort && count < functions; f++) {
          const n = `${r}-${p}-${f}`;
          const addr = perPort > 1 ? `, addr: 0.${f}` : '';
          const kind = (r + p + f) % 3;
          if (kind === 0) push(`  - { id: nvme${n}, model: nvme, bus: ${port}${addr}, serial: S${n}, image: img/${n}.raw }`, 1);
          else if (kind === 1) push(`  - { id: blk${n}, model: virtio-blk, bus: ${port}${addr}, image: img/${n}.qcow2 }`, 1);
          else push(`  - { id: nic${n}, model: virtio-net, bus: ${port}${addr} }`, 1);
        }
      }
    }
  } else {
    lines.splice(3, 0, 'qemu: "11.1"');
    while (count < functions) {
      const r = rootPort();
      const vfs = Math.max(1, Math.min(255, functions - count - 1));
      push(`  - { id: pf${r}, model: virtio-net, bus: rp${r}, sriov: { total-vfs: ${vfs}, vfs: ${vfs} } }`, 1 + vfs);
    }
  }
  return { yaml: `${lines.join('\n')}\n`, devices };
}
