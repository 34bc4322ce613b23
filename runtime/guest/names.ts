/**
 * Names for the IDs of the functions machc models, as the PCI ID
 * Repository (pci.ids) gives them, and the class names lspci prints. IDs not
 * listed print numerically ("Device 1234:5678"), as lspci does for unknown IDs.
 */

const VENDORS: Record<number, string> = {
  0x8086: 'Intel Corporation',
  0x1b36: 'Red Hat, Inc.',
  0x1af4: 'Red Hat, Inc.',
  0x104c: 'Texas Instruments',
};

const DEVICES: Record<string, string> = {
  '8086:29c0': '82G33/G31/P35/P31 Express DRAM Controller',
  '8086:2918': '82801IB (ICH9) LPC Interface Controller',
  '8086:2922': '82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]',
  '8086:2930': '82801I (ICH9 Family) SMBus Controller',
  '8086:10d3': '82574L Gigabit Network Connection',
  '8086:10c9': '82576 Gigabit Network Connection',
  '8086:10ca': '82576 Virtual Function',
  '8086:100e': '82540EM Gigabit Ethernet Controller',
  '8086:5845': 'QEMU NVM Express Controller',
  '1b36:000c': 'QEMU PCIe Root port',
  '1b36:000e': 'QEMU PCIe-to-PCI bridge',
  '1b36:0001': 'QEMU PCI-PCI bridge',
  '1b36:0010': 'QEMU NVM Express Controller',
  '104c:8232': 'XIO3130 PCI Express Switch (Upstream)',
  '104c:8233': 'XIO3130 PCI Express Switch (Downstream)',
  '1af4:1000': 'Virtio network device',
  '1af4:1001': 'Virtio block device',
  '1af4:1041': 'Virtio 1.0 network device',
  '1af4:1042': 'Virtio 1.0 block device',
};

const SUBSYSTEMS: Record<string, string> = {
  '1af4:1100': 'QEMU Virtual Machine',
};

const CLASSES: Record<number, string> = {
  0x0100: 'SCSI storage controller',
  0x0101: 'IDE interface',
  0x0106: 'SATA controller',
  0x0108: 'Non-Volatile memory controller',
  0x0180: 'Mass storage controller',
  0x0200: 'Ethernet controller',
  0x0280: 'Network controller',
  0x0300: 'VGA compatible controller',
  0x0600: 'Host bridge',
  0x0601: 'ISA bridge',
  0x0604: 'PCI bridge',
  0x0c05: 'SMBus',
};

/** lspci's "(prog-if XX [name])" names for the interfaces that have one here. */
const PROG_IFS: Record<number, string> = {
  0x010601: 'AHCI 1.0',
  0x010802: 'NVM Express',
  0x030000: 'VGA controller',
  0x060400: 'Normal decode',
};

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function vendorName(vendor: number): string | undefined {
  return VENDORS[vendor];
}

/** "Vendor Device" as lspci prints it, falling back to numbers. */
export function deviceName(vendor: number, device: number): string {
  const v = VENDORS[vendor];
  const d = DEVICES[`${hex4(vendor)}:${hex4(device)}`];
  if (v && d) return `${v} ${d}`;
  if (v) return `${v} Device ${hex4(device)}`;
  return `Device ${hex4(vendor)}:${hex4(device)}`;
}

export function subsystemName(vendor: number, device: number): string {
  const v = VENDORS[vendor];
  const d = SUBSYSTEMS[`${hex4(vendor)}:${hex4(device)}`] ?? DEVICES[`${hex4(vendor)}:${hex4(device)}`];
  if (v && d) return `${v} ${d}`;
  if (v) return `${v} Device ${hex4(device)}`;
  return `Device ${hex4(vendor)}:${hex4(device)}`;
}

export function className(classCode: number): string {
  return CLASSES[classCode >>> 8] ?? `Class ${hex4(classCode >>> 8)}`;
}

export function progIfName(classCode: number): string | undefined {
  return PROG_IFS[classCode];
}
