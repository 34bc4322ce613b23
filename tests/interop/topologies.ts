// The topologies captured under tests/fixtures/captures/ (QEMU options; '@WORK@' = scratch folder;
// `-machine q35` stands for the target's machine type).
// Re-capture all:  npx tsx tests/interop/capture-all.ts [--target 7.2|10.0|11.1] [NAME...]
import type { TargetVersion } from '../../compiler/model/target.js';

export interface Topology {
  name: string;
  description: string;
  args: string[];
  vfs?: Record<string, number>;
  /** boot is expected to fail (firmware panic); only the logs are recorded */
  expectFailure?: boolean;
  /** the targets whose QEMU has every device used (default: all) */
  targets?: readonly TargetVersion[];
}

const dev = (...opts: string[]): string[] => ['-device', opts.join(',')];
const netdev = (id: string): string[] => ['-netdev', `user,id=${id},restrict=on`];
const rawDrive = (id: string, file: string): string[] => ['-drive', `file=@WORK@/${file},if=none,id=${id},format=raw`];

function nvmeSriov(maxVfs: number): string[] {
  // QEMU 7.2 SR-IOV nvme: needs an nvme-subsys, namespaces as nvme-ns (no drive= on the controller),
  // sriov_vq_flexible >= 2*max_vfs, sriov_vi_flexible >= max_vfs,
  // max_ioqpairs >= sriov_vq_flexible + 2, msix_qsize >= sriov_vi_flexible + 1.
  return [
    ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'chassis=1', 'slot=1', 'addr=0x10'),
    ...dev('nvme-subsys', 'id=nvsub0', 'nqn=machc-sriov'),
    ...rawDrive('nvd0', 'nvme0.img'),
    ...dev(
      'nvme',
      'id=nvme0',
      'bus=rp1',
      'addr=0x0',
      'serial=MACHC0001',
      'subsys=nvsub0',
      `sriov_max_vfs=${maxVfs}`,
      `sriov_vq_flexible=${maxVfs * 2}`,
      `sriov_vi_flexible=${maxVfs}`,
      `max_ioqpairs=${maxVfs * 2 + 2}`,
      `msix_qsize=${maxVfs + 1}`,
    ),
    ...dev('nvme-ns', 'drive=nvd0', 'bus=nvme0', 'nsid=1'),
  ];
}

const base = ['-machine', 'q35', '-net', 'none'];

function rootPortsWithE1000e(n: number, firstSlot: number): string[] {
  const h = (x: number): string => `0x${x.toString(16)}`;
  return Array.from({ length: n }, (_, i) => [
    ...dev('pcie-root-port', `id=rp${i}`, 'bus=pcie.0', `chassis=${i + 1}`, `slot=${i + 1}`, `port=${h(firstSlot + i)}`, `addr=${h(firstSlot + i)}`),
    ...netdev(`n${i}`),
    ...dev('e1000e', `id=nic${i}`, `bus=rp${i}`, 'addr=0x0', `netdev=n${i}`, `mac=52:54:00:00:01:${(i + 1).toString(16).padStart(2, '0')}`),
  ]).flat();
}

/** `n` root ports rp0.. at 00:10.0.., chassis 1, slots 1.. */
function rootPorts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => dev('pcie-root-port', `id=rp${i}`, 'bus=pcie.0', 'chassis=1', `slot=${i + 1}`, `addr=0x${(0x10 + i).toString(16)}`)).flat();
}

export const TOPOLOGIES: Topology[] = [
  { name: 'default', description: 'plain `-machine q35` (same as reference 01-default)', args: [...base] },
  {
    name: 'multifunction-rootports',
    description: '4 pcie-root-ports packed as one multifunction device at 00:1c.0-.3 with e1000e, virtio-net-pci, virtio-blk-pci, nvme',
    args: [
      ...base,
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x1c.0', 'multifunction=on'),
      ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'chassis=2', 'slot=2', 'port=0x11', 'addr=0x1c.1'),
      ...dev('pcie-root-port', 'id=rp2', 'bus=pcie.0', 'chassis=3', 'slot=3', 'port=0x12', 'addr=0x1c.2'),
      ...dev('pcie-root-port', 'id=rp3', 'bus=pcie.0', 'chassis=4', 'slot=4', 'port=0x13', 'addr=0x1c.3'),
      ...netdev('n0'),
      ...dev('e1000e', 'id=nic0', 'bus=rp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...netdev('n1'),
      ...dev('virtio-net-pci', 'id=nic1', 'bus=rp1', 'addr=0x0', 'netdev=n1', 'mac=52:54:00:00:00:02'),
      ...rawDrive('vd0', 'vblk0.img'),
      ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp2', 'addr=0x0', 'drive=vd0'),
      ...rawDrive('nvd0', 'nvme0.img'),
      ...dev('nvme', 'id=nvme0', 'bus=rp3', 'addr=0x0', 'drive=nvd0', 'serial=MACHC0001'),
    ],
  },
  {
    name: 'switch-mixed',
    description: 'root port -> x3130-upstream switch with 4 xio3130-downstream ports: e1000e, virtio-net-pci, nvme, one empty',
    args: [
      ...base,
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10'),
      ...dev('x3130-upstream', 'id=up0', 'bus=rp0', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp0', 'bus=up0', 'chassis=2', 'slot=0', 'port=0', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp1', 'bus=up0', 'chassis=3', 'slot=0', 'port=1', 'addr=0x1'),
      ...dev('xio3130-downstream', 'id=dp2', 'bus=up0', 'chassis=4', 'slot=0', 'port=2', 'addr=0x2'),
      ...dev('xio3130-downstream', 'id=dp3', 'bus=up0', 'chassis=5', 'slot=0', 'port=3', 'addr=0x3'),
      ...netdev('n0'),
      ...dev('e1000e', 'id=nic0', 'bus=dp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...netdev('n1'),
      ...dev('virtio-net-pci', 'id=nic1', 'bus=dp1', 'addr=0x0', 'netdev=n1', 'mac=52:54:00:00:00:02'),
      ...rawDrive('nvd0', 'nvme0.img'),
      ...dev('nvme', 'id=nvme0', 'bus=dp2', 'addr=0x0', 'drive=nvd0', 'serial=MACHC0001'),
    ],
  },
  {
    name: 'nested-switch-pcipci',
    description:
      'root port -> switch -> downstream port -> nested switch -> downstream port -> pcie-pci-bridge -> e1000 (slot 1), virtio-net-pci (slot 2), virtio-blk-pci (slot 3) on conventional PCI',
    args: [
      ...base,
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10'),
      ...dev('x3130-upstream', 'id=up0', 'bus=rp0', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp0', 'bus=up0', 'chassis=2', 'slot=0', 'port=0', 'addr=0x0'),
      ...dev('x3130-upstream', 'id=up1', 'bus=dp0', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp1', 'bus=up1', 'chassis=3', 'slot=0', 'port=0', 'addr=0x0'),
      ...dev('pcie-pci-bridge', 'id=pb0', 'bus=dp1', 'addr=0x0'),
      ...netdev('n0'),
      ...dev('e1000', 'id=nic0', 'bus=pb0', 'addr=0x1', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...netdev('n1'),
      ...dev('virtio-net-pci', 'id=nic1', 'bus=pb0', 'addr=0x2', 'netdev=n1', 'mac=52:54:00:00:00:02'),
      ...rawDrive('vd0', 'vblk0.img'),
      ...dev('virtio-blk-pci', 'id=blk0', 'bus=pb0', 'addr=0x3', 'drive=vd0'),
    ],
  },
  {
    name: 'sriov-nvme',
    description: 'nvme PF with SR-IOV (sriov_max_vfs=4) behind a root port, 4 VFs enabled in the guest',
    args: [...base, ...nvmeSriov(4)],
    vfs: { '0000:01:00.0': 4 },
  },
  {
    name: 'sriov-nvme-ari',
    description: 'nvme PF with sriov_max_vfs=16, 16 VFs enabled: VFs beyond function 7 (ARI, VFs at 01:00.1-01:02.0)',
    args: [...base, ...nvmeSriov(16)],
    vfs: { '0000:01:00.0': 16 },
  },
  {
    name: 'hotplug-off-rootport',
    description: 'pcie-root-port with hotplug=off and an e1000e',
    args: [
      ...base,
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10', 'hotplug=off'),
      ...netdev('n0'),
      ...dev('e1000e', 'id=nic0', 'bus=rp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
    ],
  },
  {
    name: 'pcie-rciep',
    description: 'e1000e directly on pcie.0 at 00:05.0 (root-complex integrated endpoint)',
    args: [...base, ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=pcie.0', 'addr=0x5', 'netdev=n0', 'mac=52:54:00:00:00:01')],
  },
  { name: 'bigmem-4g', description: 'default topology with -m 4G (RAM split below/above 4 GiB)', args: [...base, '-m', '4G'] },
  { name: 'smp4', description: 'default topology with -smp 4,sockets=2,cores=2,threads=1', args: [...base, '-smp', '4,sockets=2,cores=2,threads=1'] },
  {
    name: 'numa2',
    description: '2 NUMA nodes, 2 CPUs + 1 GiB each (SRAT)',
    args: [
      ...base,
      '-smp',
      '4',
      '-m',
      '2G',
      '-object',
      'memory-backend-ram,id=m0,size=1G',
      '-object',
      'memory-backend-ram,id=m1,size=1G',
      '-numa',
      'node,nodeid=0,cpus=0-1,memdev=m0',
      '-numa',
      'node,nodeid=1,cpus=2-3,memdev=m1',
    ],
  },
  {
    name: 'many-rootports',
    description: '12 pcie-root-ports at 00:10.0-00:1b.0, each with an e1000e (SeaBIOS grows the IO window down to 0x1000)',
    args: [...base, ...rootPortsWithE1000e(12, 0x10)],
  },
  {
    name: 'many-rootports-16',
    description:
      '16 pcie-root-ports at 00:02.0-00:11.0, each with an e1000e: 16 4 KiB IO windows do not fit in 0x1000-0xffff, SeaBIOS panics "PCI: out of I/O address space"',
    args: [...base, ...rootPortsWithE1000e(16, 0x02)],
    expectFailure: true,
  },
  {
    name: 'no-builtins',
    description: 'q35 without the built-in AHCI (sata=off), SMBus (smbus=off) and VGA (-vga none)',
    args: ['-machine', 'q35,sata=off,smbus=off', '-vga', 'none', '-net', 'none'],
  },
  { name: 'acpi-off-default', description: 'default topology with -machine q35,acpi=off', args: ['-machine', 'q35,acpi=off', '-net', 'none'] },
  // What SeaBIOS's disk drivers keep at the top of low RAM (the e820 map the OS gets).
  {
    name: 'nvme-pair',
    description: 'two nvme controllers with one namespace each, on root ports 00:10.0 and 00:11.0',
    args: [...base, ...rootPorts(2), ...rawDrive('nvd0', 'nvme0.img'), ...dev('nvme', 'id=nvme0', 'bus=rp0', 'addr=0x0', 'drive=nvd0', 'serial=MACHC0001'), ...rawDrive('nvd1', 'nvme1.img'), ...dev('nvme', 'id=nvme1', 'bus=rp1', 'addr=0x0', 'drive=nvd1', 'serial=MACHC0002')],
  },
  {
    name: 'nvme-namespaces',
    description: 'one nvme controller with four namespaces (nvme-ns devices) on a root port',
    args: [...base, ...rootPorts(1), ...dev('nvme', 'id=nvme0', 'bus=rp0', 'addr=0x0', 'serial=MACHC0001'), ...[1, 2, 3, 4].flatMap((n) => [...rawDrive(`ns${n}`, `ns${n}.img`), ...dev('nvme-ns', `id=nvme0-ns${n}`, `drive=ns${n}`, 'bus=nvme0', `nsid=${n}`)])],
  },
  {
    name: 'disk-controllers',
    description: 'no AHCI; nvme without namespaces, nvme with two, virtio-blk, nvme with one, on four root ports',
    args: [
      '-machine', 'q35,sata=off', '-net', 'none', ...rootPorts(4),
      ...dev('nvme', 'id=nvme0', 'bus=rp0', 'addr=0x0', 'serial=MACHC0001'),
      ...dev('nvme', 'id=nvme1', 'bus=rp1', 'addr=0x0', 'serial=MACHC0002'), ...[1, 2].flatMap((n) => [...rawDrive(`ns${n}`, `ns${n}.img`), ...dev('nvme-ns', `id=nvme1-ns${n}`, `drive=ns${n}`, 'bus=nvme1', `nsid=${n}`)]),
      ...rawDrive('vd0', 'vd0.img'), ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp2', 'addr=0x0', 'drive=vd0'),
      ...rawDrive('nvd3', 'nvme3.img'), ...dev('nvme', 'id=nvme3', 'bus=rp3', 'addr=0x0', 'drive=nvd3', 'serial=MACHC0004'),
    ],
  },
  {
    name: 'igb-sriov',
    description:
      'machines/sriov-igb.yaml as machc writes its qemu.args (4 vCPUs, 4 GiB, two igb PFs behind root ports, virtio-blk boot disk), 4 and 8 VFs enabled in the guest',
    args: [
      '-machine', 'q35', '-m', '4G', '-smp', '4,sockets=1,cores=4,threads=1,maxcpus=4', '-vga', 'std',
      ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'addr=0x2', 'multifunction=on', 'chassis=1', 'slot=1'),
      ...dev('pcie-root-port', 'id=rp2', 'bus=pcie.0', 'addr=0x2.1', 'chassis=1', 'slot=2'),
      ...dev('pcie-root-port', 'id=rp3', 'bus=pcie.0', 'addr=0x2.2', 'chassis=1', 'slot=3'),
      '-netdev', 'user,id=net-uplink0', ...dev('igb', 'id=uplink0', 'bus=rp1', 'addr=0x0', 'netdev=net-uplink0', 'mac=52:54:00:30:00:01'),
      '-netdev', 'user,id=net-uplink1', ...dev('igb', 'id=uplink1', 'bus=rp2', 'addr=0x0', 'netdev=net-uplink1', 'mac=52:54:00:30:00:02'),
      '-drive', 'if=none,id=drive-boot0,file=@WORK@/images/root.qcow2,format=qcow2',
      ...dev('virtio-blk-pci', 'id=boot0', 'bus=rp3', 'addr=0x0', 'drive=drive-boot0', 'bootindex=1'),
    ],
    vfs: { '0000:01:00.0': 4, '0000:02:00.0': 8 },
    targets: ['10.0', '11.1'],
  },
  {
    name: 'virtio-net-sriov',
    description: 'a virtio-net PF with 4 user-created VFs as machc writes them (tests/fixtures/machines/cap-virtio-net-sriov.yaml), all 4 enabled in the guest',
    args: [
      '-machine', 'q35', '-m', '512M', '-smp', '1,sockets=1,cores=1,threads=1,maxcpus=1', '-vga', 'std',
      ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'addr=0x2', 'chassis=1', 'slot=1'),
      ...[3, 2, 1, 0].flatMap((i) => ['-netdev', `user,id=net-vnet0-vf${i}`, ...dev('virtio-net-pci', `id=vnet0-vf${i}`, 'bus=rp1', `addr=0x0.${i + 1}`, `netdev=net-vnet0-vf${i}`, 'sriov-pf=vnet0')]),
      '-netdev', 'user,id=net-vnet0', ...dev('virtio-net-pci', 'id=vnet0', 'bus=rp1', 'addr=0x0', 'netdev=net-vnet0', 'mac=52:54:00:40:00:01'),
    ],
    vfs: { '0000:01:00.0': 4 },
    targets: ['11.1'],
  },
  {
    name: 'nvme-budget',
    description:
      'two nvme controllers in one nvme-subsys (nqn=shared, so one serial and namespaces 1 and 2): one with max_ioqpairs=16 and msix_qsize=8, one with SR-IOV (4 VFs, sriov_vq_flexible=16, sriov_vi_flexible=8, max_ioqpairs=40, msix_qsize=20), 2 VFs enabled',
    args: [
      ...base, ...rootPorts(2),
      ...dev('nvme-subsys', 'id=sub0', 'nqn=shared'),
      ...dev('nvme', 'id=nvme0', 'bus=rp0', 'addr=0x0', 'serial=MACHC0001', 'subsys=sub0', 'max_ioqpairs=16', 'msix_qsize=8'),
      ...rawDrive('ns1', 'ns1.img'), ...dev('nvme-ns', 'id=nvme0-ns1', 'drive=ns1', 'bus=nvme0', 'nsid=1'),
      ...dev('nvme', 'id=nvme1', 'bus=rp1', 'addr=0x0', 'serial=MACHC0001', 'subsys=sub0', 'sriov_max_vfs=4', 'sriov_vq_flexible=16', 'sriov_vi_flexible=8', 'max_ioqpairs=40', 'msix_qsize=20'),
      ...rawDrive('ns2', 'ns2.img'), ...dev('nvme-ns', 'id=nvme1-ns2', 'drive=ns2', 'bus=nvme1', 'nsid=2'),
    ],
    vfs: { '0000:02:00.0': 2 },
  },
  {
    name: 'acpi-index-slot',
    description: 'acpi-index on hot-plug slots: e1000e (acpi-index=1) and virtio-net-pci (acpi-index=2) behind root ports 00:10.0 and 00:11.0',
    args: [
      ...base, ...rootPorts(2),
      ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=rp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:02:01', 'acpi-index=1'),
      ...netdev('n1'), ...dev('virtio-net-pci', 'id=nic1', 'bus=rp1', 'addr=0x0', 'netdev=n1', 'mac=52:54:00:00:02:02', 'acpi-index=2'),
    ],
  },
  {
    name: 'acpi-index-static',
    description:
      'acpi-index where nothing can be hot-plugged: e1000e on pcie.0 at 00:05.0 (acpi-index=3), e1000e behind a root port with hotplug=off (acpi-index=4), and one in a hot-plug slot (acpi-index=5)',
    args: [
      ...base,
      ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=pcie.0', 'addr=0x5', 'netdev=n0', 'mac=52:54:00:00:03:01', 'acpi-index=3'),
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'addr=0x10', 'hotplug=off'),
      ...netdev('n1'), ...dev('e1000e', 'id=nic1', 'bus=rp0', 'addr=0x0', 'netdev=n1', 'mac=52:54:00:00:03:02', 'acpi-index=4'),
      ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'chassis=1', 'slot=2', 'addr=0x11'),
      ...netdev('n2'), ...dev('e1000e', 'id=nic2', 'bus=rp1', 'addr=0x0', 'netdev=n2', 'mac=52:54:00:00:03:03', 'acpi-index=5'),
    ],
    targets: ['10.0', '11.1'],
  },
  {
    name: 'empty-pcie-pci-bridge',
    description: 'pcie-pci-bridge with nothing behind it: SeaBIOS reserves SHPC hot-plug windows',
    args: [...base, ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'addr=0x10'), ...dev('pcie-pci-bridge', 'id=pb0', 'bus=rp0', 'addr=0x0')],
  },
  {
    name: 'rootport-e1000e',
    description: 'the topology of the shared reference 02-rootport-e1000e, captured here',
    args: [...base, ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'chassis=1', 'slot=1', 'addr=0x10'), ...dev('e1000e', 'bus=rp1', 'netdev=n0'), ...netdev('n0')],
  },
  {
    name: 'rootport-reserves',
    description:
      'pcie-root-port with io-reserve=0, mem-reserve=64M, pref64-reserve=1G: resource reserve capability, and a prefetchable window too big for the 32-bit hole',
    args: [...base, ...dev('pcie-root-port', 'id=rp1', 'bus=pcie.0', 'chassis=1', 'slot=1', 'addr=0x2', 'io-reserve=0', 'mem-reserve=64M', 'pref64-reserve=1G')],
  },
  {
    name: 'virtio-blk-pair',
    description: 'two virtio-blk disks on root ports 00:10.0 and 00:11.0',
    args: [...base, ...rootPorts(2), ...rawDrive('vd0', 'vd0.img'), ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp0', 'addr=0x0', 'drive=vd0'), ...rawDrive('vd1', 'vd1.img'), ...dev('virtio-blk-pci', 'id=blk1', 'bus=rp1', 'addr=0x0', 'drive=vd1')],
  },
  // Devices real machines have (issue 16): USB, SCSI, virtio console/balloon/RNG/GPU, displays, sound, pvpanic, expander buses.
  // Each is captured on every target (tests/fixtures/captures/NAME and qemu-V/NAME).
  {
    name: 'ioh3420',
    description: 'two ioh3420 root ports (Intel 8086:3420) at 00:10.0 and 00:11.0 with an e1000e and a virtio-blk; the second with hotplug=off',
    args: [
      ...base,
      ...dev('ioh3420', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10'),
      ...dev('ioh3420', 'id=rp1', 'bus=pcie.0', 'chassis=1', 'slot=2', 'port=0x11', 'addr=0x11', 'hotplug=off'),
      ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=rp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...rawDrive('vd0', 'vd0.img'), ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp1', 'addr=0x0', 'drive=vd0'),
    ],
  },
  {
    name: 'virtio-devices',
    description:
      'behind root ports 00:10.0-00:13.0: virtio-serial-pci with a virtconsole and a virtserialport, virtio-balloon-pci, virtio-rng-pci, virtio-gpu-pci; on pcie.0 (transitional where virtio allows): virtio-serial-pci 00:05.0, virtio-rng-pci 00:07.0, virtio-gpu-pci 00:08.0',
    args: [
      ...base, ...rootPorts(4),
      ...dev('virtio-serial-pci', 'id=vser0', 'bus=rp0', 'addr=0x0'),
      '-chardev', 'null,id=con0', ...dev('virtconsole', 'id=console0', 'bus=vser0.0', 'chardev=con0'),
      '-chardev', 'null,id=ch0', ...dev('virtserialport', 'id=channel0', 'bus=vser0.0', 'chardev=ch0', 'name=org.qemu.guest_agent.0'),
      ...dev('virtio-balloon-pci', 'id=balloon0', 'bus=rp1', 'addr=0x0'),
      ...dev('virtio-rng-pci', 'id=rng0', 'bus=rp2', 'addr=0x0'),
      ...dev('virtio-gpu-pci', 'id=gpu0', 'bus=rp3', 'addr=0x0'),
      ...dev('virtio-serial-pci', 'id=vser1', 'bus=pcie.0', 'addr=0x5'),
      ...dev('virtio-rng-pci', 'id=rng1', 'bus=pcie.0', 'addr=0x7'),
      ...dev('virtio-gpu-pci', 'id=gpu1', 'bus=pcie.0', 'addr=0x8'),
    ],
  },
  {
    name: 'display-bochs',
    description: 'bochs-display as the display at 00:01.0 (-vga none); virtio-vga is not there',
    args: ['-machine', 'q35', '-net', 'none', '-vga', 'none', ...dev('bochs-display', 'id=video0', 'bus=pcie.0', 'addr=0x1')],
  },
  {
    name: 'pvpanic-bochs',
    description: 'pvpanic-pci at 00:05.0; bochs-display at 00:06.0 and behind a root port (00:10.0); virtio-balloon-pci on pcie.0 at 00:07.0 (transitional); the std VGA at 00:01.0',
    args: [
      ...base, ...rootPorts(1),
      ...dev('pvpanic-pci', 'id=panic0', 'bus=pcie.0', 'addr=0x5'),
      ...dev('bochs-display', 'id=video1', 'bus=pcie.0', 'addr=0x6'),
      ...dev('bochs-display', 'id=video2', 'bus=rp0', 'addr=0x0'),
      ...dev('virtio-balloon-pci', 'id=balloon0', 'bus=pcie.0', 'addr=0x7'),
    ],
  },
  {
    name: 'usb-xhci',
    description: 'qemu-xhci behind a root port with usb-tablet, usb-kbd and a usb-storage disk (bootindex 1); a second qemu-xhci on pcie.0 at 00:05.0 with nothing attached',
    args: [
      ...base, ...rootPorts(1),
      ...dev('qemu-xhci', 'id=xhci0', 'bus=rp0', 'addr=0x0'),
      ...dev('usb-tablet', 'id=tablet0', 'bus=xhci0.0'),
      ...dev('usb-kbd', 'id=kbd0', 'bus=xhci0.0'),
      ...rawDrive('ud0', 'usb0.img'), ...dev('usb-storage', 'id=stick0', 'bus=xhci0.0', 'drive=ud0', 'bootindex=1'),
      ...dev('qemu-xhci', 'id=xhci1', 'bus=pcie.0', 'addr=0x5'),
    ],
  },
  {
    name: 'virtio-scsi',
    description: 'virtio-scsi-pci behind a root port with a scsi-hd (bootindex 1) and a scsi-cd; a second virtio-scsi-pci on pcie.0 at 00:05.0 (transitional) with one scsi-hd',
    args: [
      ...base, ...rootPorts(1),
      ...dev('virtio-scsi-pci', 'id=scsi0', 'bus=rp0', 'addr=0x0'),
      ...rawDrive('hd0', 'hd0.img'), ...dev('scsi-hd', 'id=disk0', 'bus=scsi0.0', 'channel=0', 'scsi-id=0', 'lun=0', 'drive=hd0', 'bootindex=1'),
      ...['-drive', 'if=none,id=cd0,media=cdrom'], ...dev('scsi-cd', 'id=cdrom0', 'bus=scsi0.0', 'channel=0', 'scsi-id=1', 'lun=0', 'drive=cd0'),
      ...dev('virtio-scsi-pci', 'id=scsi1', 'bus=pcie.0', 'addr=0x5'),
      ...rawDrive('hd1', 'hd1.img'), ...dev('scsi-hd', 'id=disk1', 'bus=scsi1.0', 'channel=0', 'scsi-id=0', 'lun=0', 'drive=hd1'),
    ],
  },
  {
    name: 'display-virtio-vga',
    description: 'virtio-vga as the display at 00:01.0 (-vga virtio); ich9-intel-hda with an hda-duplex codec at 00:1b.0; pvpanic-pci at 00:05.0; bochs-display at 00:06.0 and behind a root port; virtio-balloon-pci on pcie.0 at 00:07.0 (transitional; QEMU allows one balloon)',
    args: [
      '-machine', 'q35', '-net', 'none', '-vga', 'virtio', ...rootPorts(1),
      '-audiodev', 'none,id=snd0',
      ...dev('ich9-intel-hda', 'id=sound0', 'bus=pcie.0', 'addr=0x1b'),
      ...dev('hda-duplex', 'id=sound0-codec0', 'bus=sound0.0', 'cad=0', 'audiodev=snd0'),
      ...dev('pvpanic-pci', 'id=panic0', 'bus=pcie.0', 'addr=0x5'),
      ...dev('bochs-display', 'id=video1', 'bus=pcie.0', 'addr=0x6'),
      ...dev('bochs-display', 'id=video2', 'bus=rp0', 'addr=0x0'),
      ...dev('virtio-balloon-pci', 'id=balloon0', 'bus=pcie.0', 'addr=0x7'),
    ],
  },
  {
    name: 'pxb-numa2',
    description:
      'two NUMA nodes (2 CPUs + 512 MiB each); pxb-pcie bus_nr=0x40 on node 0 at 00:05.0 and bus_nr=0x80 on node 1 at 00:06.0, each with two pcie-root-ports (e1000e + virtio-blk on node 0, nvme + virtio-net on node 1); a root port with an e1000e on pcie.0 at 00:10.0',
    args: [
      '-machine', 'q35', '-net', 'none', '-smp', '4', '-m', '1G',
      '-object', 'memory-backend-ram,id=m0,size=512M', '-object', 'memory-backend-ram,id=m1,size=512M',
      '-numa', 'node,nodeid=0,cpus=0-1,memdev=m0', '-numa', 'node,nodeid=1,cpus=2-3,memdev=m1',
      ...dev('pxb-pcie', 'id=pxb0', 'bus=pcie.0', 'addr=0x5', 'bus_nr=0x40', 'numa_node=0'),
      ...dev('pxb-pcie', 'id=pxb1', 'bus=pcie.0', 'addr=0x6', 'bus_nr=0x80', 'numa_node=1'),
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10'),
      ...dev('pcie-root-port', 'id=rp1', 'bus=pxb0', 'chassis=2', 'slot=1', 'port=0x0', 'addr=0x0'),
      ...dev('pcie-root-port', 'id=rp2', 'bus=pxb0', 'chassis=2', 'slot=2', 'port=0x1', 'addr=0x1'),
      ...dev('pcie-root-port', 'id=rp3', 'bus=pxb1', 'chassis=3', 'slot=1', 'port=0x0', 'addr=0x0'),
      ...dev('pcie-root-port', 'id=rp4', 'bus=pxb1', 'chassis=3', 'slot=2', 'port=0x1', 'addr=0x1'),
      ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=rp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...netdev('n1'), ...dev('e1000e', 'id=nic1', 'bus=rp1', 'addr=0x0', 'netdev=n1', 'mac=52:54:00:00:00:02'),
      ...rawDrive('vd0', 'vd0.img'), ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp2', 'addr=0x0', 'drive=vd0'),
      ...rawDrive('nvd0', 'nvme0.img'), ...dev('nvme', 'id=nvme0', 'bus=rp3', 'addr=0x0', 'drive=nvd0', 'serial=MACHC0001'),
      ...netdev('n2'), ...dev('virtio-net-pci', 'id=nic2', 'bus=rp4', 'addr=0x0', 'netdev=n2', 'mac=52:54:00:00:00:03'),
    ],
  },
  {
    name: 'pxb-switch',
    description:
      'pxb-pcie bus_nr=0x20 (no NUMA node) at 00:05.0 with a root port -> x3130-upstream switch -> two downstream ports (e1000e, virtio-scsi-pci) and a second root port with bus-reserve=4 and nothing behind it; a root port with a virtio-blk on pcie.0',
    args: [
      ...base,
      ...dev('pxb-pcie', 'id=pxb0', 'bus=pcie.0', 'addr=0x5', 'bus_nr=0x20'),
      ...dev('pcie-root-port', 'id=rp0', 'bus=pcie.0', 'chassis=1', 'slot=1', 'port=0x10', 'addr=0x10'),
      ...dev('pcie-root-port', 'id=rp1', 'bus=pxb0', 'chassis=2', 'slot=1', 'port=0x0', 'addr=0x0'),
      ...dev('pcie-root-port', 'id=rp2', 'bus=pxb0', 'chassis=2', 'slot=2', 'port=0x1', 'addr=0x1', 'bus-reserve=4'),
      ...dev('x3130-upstream', 'id=up0', 'bus=rp1', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp0', 'bus=up0', 'chassis=3', 'slot=0', 'port=0', 'addr=0x0'),
      ...dev('xio3130-downstream', 'id=dp1', 'bus=up0', 'chassis=4', 'slot=0', 'port=1', 'addr=0x1'),
      ...netdev('n0'), ...dev('e1000e', 'id=nic0', 'bus=dp0', 'addr=0x0', 'netdev=n0', 'mac=52:54:00:00:00:01'),
      ...dev('virtio-scsi-pci', 'id=scsi0', 'bus=dp1', 'addr=0x0'),
      ...rawDrive('vd0', 'vd0.img'), ...dev('virtio-blk-pci', 'id=blk0', 'bus=rp0', 'addr=0x0', 'drive=vd0'),
    ],
  },
];
