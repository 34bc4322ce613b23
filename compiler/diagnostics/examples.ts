/**
 * For every diagnostic code, a machine file that gets it (`wrong`) and the
 * same file put right (`right`), as `machc explain CODE` shows them
 * (rustc --explain style). tests/compiler/explain-examples.test.ts compiles
 * both: the wrong one must report the code, the right one no error at all.
 */

/** One example: a machine file, with what it needs around it. */
export interface Example {
  /** The machine file (for MD0001, the path given that is not there). */
  readonly machine: string;
  /** Its lockfile (machine.yaml.lock), for the lockfile's codes. */
  readonly lock?: string;
  /** Files beside the machine file (disk images), with their sizes in bytes. */
  readonly files?: Readonly<Record<string, number>>;
  /** The machine file is saved as Latin-1, not UTF-8 (MD0002). */
  readonly latin1?: true;
  /** The machine file does not exist (MD0001): `machine` is only the name given. */
  readonly missing?: true;
  /** Comment lines appended until the file has this many bytes (MD0004). */
  readonly padTo?: number;
  /** Not a machine file but what `machc import` reads (MD17xx): QEMU arguments, or a libvirt domain (`machine` is then empty). */
  readonly import?: { readonly qemu: readonly string[] } | { readonly libvirt: string };
}

export interface ExamplePair {
  readonly wrong: Example;
  readonly right: Example;
  /** Why no machine of today's models can get this code (its test mocks a model); the wrong example shows the shape. */
  readonly unreachable?: string;
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const rp = (id: string, slot: number, extra = '') => `  - { id: ${id}, model: pcie-root-port, chassis: 1, slot: ${slot}${extra} }`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A machine with `n` nested alias levels of ten: 10^n nodes once expanded. */
function laughs(levels: number): string {
  const out = ['chipset: q35', 'x-0: &l0 [a, a, a, a, a, a, a, a, a, a]'];
  for (let i = 1; i < levels; i++) out.push(`x-${i}: &l${i} [${range(10).map(() => `*l${i - 1}`).join(', ')}]`);
  return out.join('\n');
}

export const EXAMPLES: Readonly<Record<string, ExamplePair>> = {
  // ---- reading the file
  MD0001: { wrong: { machine: 'machines/web-server.yaml', missing: true }, right: { machine: lines('chipset: q35') } },
  MD0002: { wrong: { machine: lines('chipset: q35', 'description: café build host'), latin1: true }, right: { machine: lines('chipset: q35', 'description: café build host') } },
  MD0003: { wrong: { machine: lines('# the build host') }, right: { machine: lines('# the build host', 'chipset: q35') } },
  MD0004: { wrong: { machine: lines('chipset: q35'), padTo: 600 * 1024 }, right: { machine: lines('chipset: q35') } },
  MD0005: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }') },
  },
  MD0006: { wrong: { machine: lines('chipset: q35', 'memory: 1 GiB', 'memory: 2 GiB') }, right: { machine: lines('chipset: q35', 'memory: 2 GiB') } },
  MD0007: {
    wrong: { machine: lines(laughs(5)) },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: rp1, model: pcie-root-port, chassis: &ch 1, slot: 1 }', '  - { id: rp2, model: pcie-root-port, chassis: *ch, slot: 2 }') },
  },
  MD0008: { wrong: { machine: lines('chipset: q35', '---', 'chipset: q35') }, right: { machine: lines('chipset: q35') } },
  MD0009: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - !nic { id: nic0, model: e1000e }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }') },
  },
  MD0010: { wrong: { machine: lines('- chipset: q35', '- memory: 1 GiB') }, right: { machine: lines('chipset: q35', 'memory: 1 GiB') } },

  // ---- structure
  MD1001: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk, image: disk0.qcow2 }'), files: { 'disk0.qcow2': 196_616 } },
  },
  MD1002: { wrong: { machine: lines('chipset: q35', 'memroy: 1 GiB') }, right: { machine: lines('chipset: q35', 'memory: 1 GiB') } },
  MD1003: { wrong: { machine: lines('chipset: q35', 'builtins:', '  sata: yes') }, right: { machine: lines('chipset: q35', 'builtins:', '  sata: true') } },
  MD1004: { wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000x }') }, right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }') } },
  MD1005: { wrong: { machine: lines('chipset: q35', 'builtins: { display: cirrus }') }, right: { machine: lines('chipset: q35', 'builtins: { display: none }') } },
  MD1006: { wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: 0nic, model: e1000e }') }, right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }') } },

  // ---- values
  MD1101: { wrong: { machine: lines('chipset: q35', 'memory: 3 GB') }, right: { machine: lines('chipset: q35', 'memory: 3 GiB') } },
  MD1102: { wrong: { machine: lines('chipset: q35', 'memory: 99999999999999999999 GiB') }, right: { machine: lines('chipset: q35', 'memory: 16 GiB') } },
  MD1103: { wrong: { machine: lines('chipset: q35', 'memory: 1 GiB - 2 GiB') }, right: { machine: lines('chipset: q35', 'memory: 2 GiB - 1 GiB') } },
  MD1104: { wrong: { machine: lines('chipset: q35', 'memory: 00:1c.2') }, right: { machine: lines('chipset: q35', 'memory: 2 GiB') } },
  MD1105: { wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1).replace('chassis: 1', 'chassis: 300')) }, right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1)) } },
  MD1106: { wrong: { machine: lines('chipset: q35', 'memory: 1 GiB / 0') }, right: { machine: lines('chipset: q35', 'memory: 1 GiB / 2') } },
  MD1107: { wrong: { machine: lines('chipset: q35', 'memory: 1000 KiB') }, right: { machine: lines('chipset: q35', 'memory: 1 MiB') } },
  MD1108: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, mac: 01:00:5e:00:00:01 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, mac: 52:54:00:00:00:01 }') },
  },
  MD1109: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: "NVME\\n-S" }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: NVME-0 }') },
  },
  MD1110: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk, image: /dev/sdb }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk, image: images/disk0.raw }'), files: { 'images/disk0.raw': 1 << 20 } },
  },
  MD1111: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk, image: images/disk0.qcow2 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: disk0, model: virtio-blk, image: images/disk0.qcow2 }'), files: { 'images/disk0.qcow2': 196_616 } },
  },

  // ---- topology
  MD1201: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic0, model: e1000e }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic1, model: e1000e }') },
  },
  MD1202: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp9 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1 }') },
  },
  MD1203: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.0 }', '  - { id: b, model: e1000e, addr: 3.0 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.0 }', '  - { id: b, model: e1000e, addr: 4.0 }') },
  },
  MD1204: { wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.1 }') }, right: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.0 }') } },
  MD1205: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }', '  - { id: nic0, model: e1000e, bus: sw0 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }', '  - { id: nic0, model: e1000e, bus: p0 }') },
  },
  MD1206: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000, bus: rp1 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', '  - { id: nic0, model: e1000, bus: br0 }') },
  },
  MD1207: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, removable: true }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1, removable: true }') },
  },
  MD1208: { wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 1)) }, right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2)) } },
  MD1209: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1, addr: 1.0 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1, addr: 0.0 }') },
  },
  MD1210: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.0, multifunction: false }', '  - { id: b, model: e1000e, addr: 3.1 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: a, model: e1000e, addr: 3.0 }', '  - { id: b, model: e1000e, addr: 3.1 }') },
  },
  MD1211: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: sw0, model: x3130-upstream, bus: p0 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }') },
  },
  MD1212: { wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, addr: 1f.4 }') }, right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, addr: 1e.0 }') } },
  MD1213: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic1, model: e1000e, bus: nic0 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic1, model: e1000e }') },
  },
  MD1214: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', '  - { id: nic0, model: e1000, bus: br0, addr: 0.0 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', '  - { id: nic0, model: e1000, bus: br0, addr: 1.0 }') },
  },
  MD1215: { wrong: { machine: lines('chipset: q35', 'builtins: { lpc: false }') }, right: { machine: lines('chipset: q35', 'builtins: { smbus: false }') } },
  MD1216: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: d0, model: sata-disk, image: d0.raw, port: 2 }', '  - { id: d1, model: sata-disk, image: d1.raw, port: 2 }'), files: { 'd0.raw': 1 << 20, 'd1.raw': 1 << 20 } },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: d0, model: sata-disk, image: d0.raw, port: 2 }', '  - { id: d1, model: sata-disk, image: d1.raw, port: 3 }'), files: { 'd0.raw': 1 << 20, 'd1.raw': 1 << 20 } },
  },
  MD1217: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1 }', 'boot: [rp1]') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1 }', 'boot: [nic0]') },
  },
  MD1218: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1, ', hotplug: false'), '  - { id: nic0, model: e1000e, bus: rp1, removable: true }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1, removable: true }') },
  },
  MD1219: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', ...range(32).map((i) => `  - { id: nic${i}, model: e1000, bus: br0 }`)) },
    right: {
      machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', '  - { id: br1, model: pcie-pci-bridge, bus: rp2 }', ...range(32).map((i) => `  - { id: nic${i}, model: e1000, bus: br${i < 16 ? 0 : 1} }`)),
    },
  },
  MD1220: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, addr: 5.1 }', '  - { id: nvme0, model: nvme, addr: 5.0, serial: NVME-0, sriov: { total-vfs: 4, vfs: 4 } }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, addr: 6.0 }', '  - { id: nvme0, model: nvme, addr: 5.0, serial: NVME-0, sriov: { total-vfs: 4, vfs: 4 } }') },
  },
  MD1221: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1, ', bus-reserve: 1'), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1, ', bus-reserve: 4'), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }') },
  },
  MD1222: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: NVME-0, namespaces: [{ image: a.raw, nsid: 2 }, { image: b.raw, nsid: 2 }] }'), files: { 'a.raw': 1 << 20, 'b.raw': 1 << 20 } },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: NVME-0, namespaces: [{ image: a.raw, nsid: 1 }, { image: b.raw, nsid: 2 }] }'), files: { 'a.raw': 1 << 20, 'b.raw': 1 << 20 } },
  },
  MD1223: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1 }', '  - { id: nic1, model: e1000e, bus: rp1 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: nic0, model: e1000e, bus: rp1 }', '  - { id: nic1, model: e1000e, bus: rp2 }') },
  },
  MD1224: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }') },
  },
  MD1226: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: balloon0, model: virtio-balloon }', '  - { id: balloon1, model: virtio-balloon }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: balloon0, model: virtio-balloon }') },
  },
  MD1227: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: vser0, model: virtio-serial, ports: [{ id: ga0, name: org.qemu.guest_agent.0 }, { id: ga1, name: org.qemu.guest_agent.0 }] }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: vser0, model: virtio-serial, ports: [{ id: ga0, name: org.qemu.guest_agent.0 }, { id: ch1, name: org.example.channel.1 }] }') },
  },
  MD1230: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: pxb0, model: pxb-pcie, bus-nr: 0x40 }', '  - { id: pxb1, model: pxb-pcie, bus-nr: 0x40 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: pxb0, model: pxb-pcie, bus-nr: 0x40 }', '  - { id: pxb1, model: pxb-pcie, bus-nr: 0x80 }') },
  },
  MD1228: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: gpu0, model: virtio-gpu, bus: rp1, removable: true }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: gpu0, model: virtio-gpu, bus: rp1 }') },
  },
  MD1231: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: gpu0, model: vfio-pci, bus: rp1, host: 0000:65:00.0, vendor-id: 0x10de, device-id: 0x1eb8, bars: [{ index: 5, kind: mem64, size: 256 MiB }] }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: gpu0, model: vfio-pci, bus: rp1, host: 0000:65:00.0, vendor-id: 0x10de, device-id: 0x1eb8, bars: [{ index: 4, kind: mem64, size: 256 MiB }] }') },
  },
  MD1229: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: scsi0, model: virtio-scsi }', '  - { id: cd0, model: scsi-cd, bus: scsi0, target: 2 }', '  - { id: cd1, model: scsi-cd, bus: scsi0, target: 2 }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: scsi0, model: virtio-scsi }', '  - { id: cd0, model: scsi-cd, bus: scsi0, target: 2 }', '  - { id: cd1, model: scsi-cd, bus: scsi0, target: 3 }') },
  },

  // ---- resources
  MD1301: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1, ', bus-reserve: 200'), rp('rp2', 2, ', bus-reserve: 100')) },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1, ', bus-reserve: 100'), rp('rp2', 2, ', bus-reserve: 100')) },
  },
  MD1302: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', ...range(33).map((i) => `  - { id: p${i}, model: xio3130-downstream, bus: sw0, chassis: 2, slot: ${i} }`)) },
    right: {
      machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: sw1, model: x3130-upstream, bus: rp2 }', ...range(33).map((i) => `  - { id: p${i}, model: xio3130-downstream, bus: sw${i < 16 ? 0 : 1}, chassis: 2, slot: ${i} }`)),
    },
  },
  MD1304: {
    unreachable: 'every SR-IOV model machc has supports ARI, and so does every port above it; a model without ARI would get this',
    wrong: { machine: lines('chipset: q35', 'qemu: "11.1"', 'devices:', rp('rp1', 1), '  - { id: br0, model: pcie-pci-bridge, bus: rp1 }', '  - { id: nic0, model: virtio-net, bus: br0, sriov: { total-vfs: 8, vfs: 8 } }') },
    right: { machine: lines('chipset: q35', 'qemu: "11.1"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: 8, vfs: 8 } }') },
  },
  MD1305: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: NVME-0, sriov: { total-vfs: 4, vfs: 5 } }') },
    right: { machine: lines('chipset: q35', 'devices:', '  - { id: nvme0, model: nvme, serial: NVME-0, sriov: { total-vfs: 8, vfs: 5 } }') },
  },
  MD1306: {
    wrong: { machine: lines('chipset: q35', 'devices:', ...range(16).flatMap((i) => [rp(`rp${i}`, i), `  - { id: nic${i}, model: e1000e, bus: rp${i} }`])) },
    right: { machine: lines('chipset: q35', 'devices:', ...range(16).flatMap((i) => [rp(`rp${i}`, i), `  - { id: nic${i}, model: virtio-net, bus: rp${i} }`])) },
  },
  MD1307: {
    wrong: { machine: lines('chipset: q35', 'devices:', ...range(5).map((i) => rp(`rp${i}`, i, ', mem-reserve: 256 MiB'))) },
    right: { machine: lines('chipset: q35', 'devices:', ...range(5).map((i) => rp(`rp${i}`, i, ', mem-reserve: 64 MiB'))) },
  },
  MD1308: { wrong: { machine: lines('chipset: q35', 'memory: 2 TiB') }, right: { machine: lines('chipset: q35', 'memory: 64 GiB') } },
  MD1309: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: e1000e, bus: rp1, sriov: { vfs: 2 } }') },
    right: { machine: lines('chipset: q35', 'qemu: "11.1"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: 2, vfs: 2 } }') },
  },
  MD1310: { wrong: { machine: lines('chipset: q35', 'cpus: { count: 5, sockets: 2, cores: 2 }') }, right: { machine: lines('chipset: q35', 'cpus: { count: 4, sockets: 2, cores: 2 }') } },
  MD1311: {
    wrong: { machine: lines('chipset: q35', 'cpus: 2', 'memory: 2 GiB', 'numa:', '  - { id: n0, cpus: [0], memory: 1 GiB }', '  - { id: n1, cpus: [1], memory: 512 MiB }') },
    right: { machine: lines('chipset: q35', 'cpus: 2', 'memory: 2 GiB', 'numa:', '  - { id: n0, cpus: [0], memory: 1 GiB }', '  - { id: n1, cpus: [1], memory: 1 GiB }') },
  },
  MD1312: {
    wrong: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1, sriov: { total-vfs: 4, vfs: 2 } }') },
    right: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1, sriov: { vfs: 2 } }') },
  },
  MD1313: {
    wrong: { machine: lines('chipset: q35', 'devices:', ...range(7).map((i) => `  - { id: d${i}, model: sata-disk, image: d${i}.raw }`)), files: Object.fromEntries(range(7).map((i) => [`d${i}.raw`, 1 << 20])) },
    right: { machine: lines('chipset: q35', 'devices:', ...range(6).map((i) => `  - { id: d${i}, model: sata-disk, image: d${i}.raw }`), '  - { id: d6, model: virtio-blk, image: d6.raw }'), files: Object.fromEntries(range(7).map((i) => [`d${i}.raw`, 1 << 20])) },
  },
  MD1314: {
    wrong: { machine: lines('chipset: q35', 'qemu: "11.1"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: 8, vfs: 8, vf-offset: 250 } }') },
    right: { machine: lines('chipset: q35', 'qemu: "11.1"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: 8, vfs: 8 } }') },
  },
  MD1315: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: pf, model: nvme, bus: rp1, serial: X, image: a.raw, sriov: { total-vfs: 4, vfs: 2, vq-flexible: 6 } }'), files: { 'a.raw': 1 << 20 } },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: pf, model: nvme, bus: rp1, serial: X, image: a.raw, sriov: { total-vfs: 4, vfs: 2, vq-flexible: 8 } }'), files: { 'a.raw': 1 << 20 } },
  },
  MD1316: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: nic0, model: e1000e, bus: rp1, acpi-index: 7 }', '  - { id: nic1, model: e1000e, bus: rp2, acpi-index: 7 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: nic0, model: e1000e, bus: rp1, acpi-index: 7 }', '  - { id: nic1, model: e1000e, bus: rp2, acpi-index: 8 }') },
  },
  MD1317: {
    wrong: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', rp('rp1', 1), '  - { id: sw, model: x3130-upstream, bus: rp1, acpi-index: 9 }', '  - { id: sw-p0, model: xio3130-downstream, bus: sw, chassis: 2, slot: 0 }') },
    right: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', rp('rp1', 1), '  - { id: sw, model: x3130-upstream, bus: rp1 }', '  - { id: sw-p0, model: xio3130-downstream, bus: sw, chassis: 2, slot: 0 }', '  - { id: nic0, model: e1000e, bus: sw-p0, acpi-index: 9 }') },
  },
  MD1319: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: pxb0, model: pxb-pcie, bus-nr: 2 }') },
    right: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: pxb0, model: pxb-pcie, bus-nr: 0x40 }') },
  },
  MD1318: {
    wrong: {
      machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: a, model: nvme, bus: rp1, serial: S1, image: a.raw, nqn: sub }', '  - { id: b, model: nvme, bus: rp2, serial: S2, namespaces: [{ nsid: 2, image: b.raw }], nqn: sub }'),
      files: { 'a.raw': 1 << 20, 'b.raw': 1 << 20 },
    },
    right: {
      machine: lines('chipset: q35', 'devices:', rp('rp1', 1), rp('rp2', 2), '  - { id: a, model: nvme, bus: rp1, serial: S1, image: a.raw, nqn: sub }', '  - { id: b, model: nvme, bus: rp2, serial: S1, namespaces: [{ nsid: 2, image: b.raw }], nqn: sub }'),
      files: { 'a.raw': 1 << 20, 'b.raw': 1 << 20 },
    },
  },

  // ---- the lockfile
  MD1401: {
    wrong: {
      machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic1, model: e1000e, addr: 3.0 }'),
      lock: lines('lock-version: 1', 'machine: machine', 'devices:', "  nic0: { bus: pcie.0, addr: '03.0' }"),
    },
    right: {
      machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e }', '  - { id: nic1, model: e1000e, addr: 4.0 }'),
      lock: lines('lock-version: 1', 'machine: machine', 'devices:', "  nic0: { bus: pcie.0, addr: '03.0' }"),
    },
  },
  MD1402: {
    wrong: { machine: lines('chipset: q35'), lock: lines('lock-version: 7', 'machine: machine', 'devices: {}') },
    right: { machine: lines('chipset: q35'), lock: lines('lock-version: 1', 'machine: machine', 'devices: {}') },
  },
  MD1403: {
    wrong: {
      machine: lines('chipset: q35', 'builtins: { display: none }', 'devices:', '  - { id: rp0, model: pcie-root-port, chassis: 1, slot: 0, addr: 1.0 }', rp('rp1', 1)),
      lock: lines('lock-version: 1', 'machine: machine', 'devices:', "  rp1: { bus: pcie.0, addr: '02.0', secondary-bus: 1 }"),
    },
    right: {
      machine: lines('chipset: q35', 'builtins: { display: none }', 'devices:', '  - { id: rp0, model: pcie-root-port, chassis: 1, slot: 0, addr: 3.0 }', rp('rp1', 1)),
      lock: lines('lock-version: 1', 'machine: machine', 'devices:', "  rp1: { bus: pcie.0, addr: '02.0', secondary-bus: 1 }"),
    },
  },

  // ---- ASL in the machine file
  MD1501: { wrong: { machine: aslMachine('Name (_SUN, (7)') }, right: { machine: aslMachine('Name (_SUN, 7)') } },
  MD1502: { wrong: { machine: aslMachine('Method (LBL0) { Return (NOPE) }') }, right: { machine: aslMachine('Name (NOPE, 1)', 'Method (LBL0) { Return (NOPE) }') } },
  MD1503: {
    wrong: { machine: aslMachine('Method (MTH0, 1) { Return (Arg0) }', 'Method (MTH1) { Return (MTH0 (1, 2)) }') },
    right: { machine: aslMachine('Method (MTH0, 1) { Return (Arg0) }', 'Method (MTH1) { Return (MTH0 (1)) }') },
  },
  MD1504: { wrong: { machine: aslMachine('Name (VALU, 1)', 'Method (MTH0) { Return (VALU (1)) }') }, right: { machine: aslMachine('Method (VALU, 1) { Return (Arg0) }', 'Method (MTH0) { Return (VALU (1)) }') } },
  MD1505: { wrong: { machine: aslMachine('Name (LBL0, 1)', 'Name (LBL0, 2)') }, right: { machine: aslMachine('Name (LBL0, 1)', 'Name (LBL1, 2)') } },
  MD1506: { wrong: { machine: aslMachine('Name (TOOLONG, 1)') }, right: { machine: aslMachine('Name (LONG, 1)') } },
  MD1507: { wrong: { machine: aslMachine('Method (MTH0) { Return (Local3) }') }, right: { machine: aslMachine('Method (MTH0) { Local3 = 1', '    Return (Local3) }') } },
  MD1508: {
    wrong: { machine: lines('chipset: q35', 'ssdts:', '  - asl: |', '      DefinitionBlock ("", "FACP", 2, "MACHC", "PLATFORM", 1) { }') },
    right: { machine: lines('chipset: q35', 'ssdts:', '  - asl: |', '      DefinitionBlock ("", "SSDT", 2, "MACHC", "PLATFORM", 1) { }') },
  },
  MD1509: {
    wrong: { machine: aslMachine('Name (RES0, ResourceTemplate () { FixedDMA (0x0001, 0x0002, Width32bit) })') },
    right: { machine: aslMachine('Name (RES0, ResourceTemplate () { IRQNoFlags () {5} })') },
  },
  // ---- the QEMU target
  MD1601: {
    wrong: { machine: lines('chipset: q35', 'devices:', rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1 }') },
    right: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1 }') },
  },
  MD1602: {
    wrong: { machine: lines('chipset: q35', 'devices:', '  - { id: nic0, model: e1000e, addr: 5.0, acpi-index: 3 }') },
    right: { machine: lines('chipset: q35', 'qemu: "10.0"', 'devices:', '  - { id: nic0, model: e1000e, addr: 5.0, acpi-index: 3 }') },
  },
  // ---- machc import
  MD1701: {
    wrong: { machine: '', import: { qemu: ['-machine', 'q35', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1,port=0x10', '-device', 'qemu-xhci,id=usb'] } },
    right: { machine: '', import: { qemu: ['-machine', 'q35', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1'] } },
  },
  MD1702: {
    wrong: { machine: '', import: { qemu: ['-machine', 'q35', '-accel', 'kvm', '-display', 'none'] } },
    right: { machine: '', import: { qemu: ['-machine', 'q35'] } },
  },
  MD1703: {
    wrong: { machine: '', import: { qemu: ['-machine', 'q35', '-device', 'e1000e,id=nic0,bus=rp1,addr=0x0'] } },
    right: { machine: '', import: { qemu: ['-machine', 'q35', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1', '-device', 'e1000e,id=nic0,bus=rp1,addr=0x0'] } },
  },
  MD1704: {
    wrong: { machine: '', import: { libvirt: lines("<domain type='kvm'>", '  <name>web</name>', "  <memory unit='MiB'>512</memory>", '  <os><type machine="q35">hvm</type></os>') } },
    right: { machine: '', import: { libvirt: lines("<domain type='kvm'>", '  <name>web</name>', "  <memory unit='MiB'>512</memory>", '  <os><type machine="q35">hvm</type></os>', '</domain>') } },
  },
};

/** A machine whose NIC carries these ASL lines in its `asl:` block. */
function aslMachine(...asl: string[]): string {
  return lines('chipset: q35', 'devices:', '  - id: nic0', '    model: e1000e', '    addr: 5.0', '    asl: |', ...asl.map((l) => `      ${l}`));
}
