/**
 * Every diagnostic machc can report, with its stable code. Codes never change
 * meaning; retired codes are not reused. Ranges:
 *   MD00xx  reading the file (encoding, YAML syntax)
 *   MD10xx  structure (the JSON Schema)
 *   MD11xx  values (the value language)
 *   MD12xx  topology (ids, buses, slots)
 *   MD13xx  resources (bus numbers, VFs, IO and MMIO space, memory, CPUs)
 *   MD14xx  the address lockfile
 * `machc explain CODE` prints the explanation.
 */
import type { Severity } from './diagnostic.js';

export interface CatalogEntry<A> {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly message: (args: A) => string;
  readonly explanation: string;
}

function entry<A = Record<string, never>>(
  code: string,
  name: string,
  severity: Severity,
  message: (args: A) => string,
  explanation: string,
): CatalogEntry<A> {
  return { code, name, severity, message, explanation };
}

export const Diag = {
  // ---- MD00xx: reading the file ------------------------------------------------
  fileUnreadable: entry<{ reason: string }>('MD0001', 'file-unreadable', 'error',
    (a) => `cannot read the file: ${a.reason}`,
    'The machine file does not exist or cannot be read. Check the path and its permissions.'),
  notUtf8: entry<{ byteOffset: number }>('MD0002', 'not-utf8', 'error',
    (a) => `the file is not valid UTF-8 (first bad byte at offset ${a.byteOffset})`,
    'Machine files are UTF-8 text. Re-save the file as UTF-8; a byte order mark is allowed.'),
  emptyFile: entry('MD0003', 'empty-file', 'error',
    () => 'the file is empty: a machine file needs at least `chipset: q35`',
    'An empty file (or one with only comments) describes no machine. Start from machines/q35-default.yaml.'),
  fileTooLarge: entry<{ size: number; limit: number }>('MD0004', 'file-too-large', 'error',
    (a) => `the file is ${a.size} bytes; machine files are limited to ${a.limit} bytes`,
    'Very large inputs are refused before parsing so that a bad file cannot exhaust memory.'),
  yamlSyntax: entry<{ detail: string }>('MD0005', 'yaml-syntax', 'error',
    (a) => `YAML syntax error: ${a.detail}`,
    'The file is not well-formed YAML. The caret marks where the parser gave up.'),
  duplicateKey: entry<{ key: string }>('MD0006', 'duplicate-key', 'error',
    (a) => `key '${a.key}' appears twice in the same mapping`,
    'YAML mappings cannot repeat a key; the second value would silently replace the first.'),
  aliasLimit: entry<{ limit: number }>('MD0007', 'alias-limit', 'error',
    (a) => `aliases expand to more than ${a.limit} nodes`,
    'Anchors and aliases (&a / *a) are allowed, but their expansion is limited so that a small file cannot expand into a huge one ("billion laughs").'),
  multipleDocuments: entry('MD0008', 'multiple-documents', 'error',
    () => 'the file holds more than one YAML document; a machine file describes one machine',
    'Remove the `---` separator and the second document, or split it into its own file.'),
  unsupportedYaml: entry<{ what: string }>('MD0009', 'unsupported-yaml', 'error',
    (a) => `unsupported YAML: ${a.what}`,
    'Machine files use plain YAML: mappings, sequences and scalars. Custom tags, complex keys and merge keys are not part of the language.'),
  rootNotMapping: entry<{ found: string }>('MD0010', 'root-not-mapping', 'error',
    (a) => `the top level must be a mapping (key: value lines), found ${a.found}`,
    'A machine file is a mapping with keys such as `chipset`, `cpus`, `memory` and `devices`.'),

  // ---- MD10xx: structure ---------------------------------------------------------
  missingProperty: entry<{ property: string; where: string }>('MD1001', 'missing-property', 'error',
    (a) => `${a.where} needs '${a.property}'`,
    'A required property is missing. The schema (schemas/machine.schema.json) lists what each part needs.'),
  unknownProperty: entry<{ property: string; where: string }>('MD1002', 'unknown-property', 'error',
    (a) => `unknown property '${a.property}' for ${a.where}`,
    'The property is not part of the language for this object or device model. Misspelled properties are reported rather than ignored, so a typo never silently changes the machine.'),
  wrongType: entry<{ expected: string; found: string }>('MD1003', 'wrong-type', 'error',
    (a) => `expected ${a.expected}, found ${a.found}`,
    'The value has the wrong shape (for example a list where a mapping is expected, or `yes` where a boolean `true` is expected: YAML 1.2 reads `yes` as text).'),
  unknownModel: entry<{ model: string }>('MD1004', 'unknown-model', 'error',
    (a) => `unknown device model '${a.model}'`,
    'The device model is not one machc knows. `machc models` lists the supported models and their properties.'),
  invalidChoice: entry<{ value: string; allowed: string }>('MD1005', 'invalid-choice', 'error',
    (a) => `'${a.value}' is not one of ${a.allowed}`,
    'The property takes one of a fixed set of values.'),
  schemaViolation: entry<{ detail: string }>('MD1006', 'schema-violation', 'error',
    (a) => a.detail,
    'The file does not match the machine schema at this point.'),

  // ---- MD11xx: values ------------------------------------------------------------
  valueSyntax: entry<{ detail: string }>('MD1101', 'value-syntax', 'error',
    (a) => `cannot read this value: ${a.detail}`,
    'Values use a small language: integers (42, 0x2a, 0b101010, 1_000), sizes (512 MiB, 4G, 2 GiB + 512 MiB), BDFs (00:1c.2), slot.function (1c.2), MAC addresses, and ranges (0..3). The caret marks the first character that does not fit.'),
  valueTooLarge: entry<{ value: string; limit: string }>('MD1102', 'value-too-large', 'error',
    (a) => `${a.value} is too large (the limit here is ${a.limit})`,
    'The number does not fit the field it is given to.'),
  valueNegative: entry<{ value: string }>('MD1103', 'value-negative', 'error',
    (a) => `${a.value} is negative; this value must be zero or more`,
    'Sizes, counts and addresses cannot be negative.'),
  valueKind: entry<{ expected: string; found: string }>('MD1104', 'value-kind', 'error',
    (a) => `expected ${a.expected}, found ${a.found}`,
    'The value is well formed but of the wrong kind for this field (for example a size where a PCI address is expected).'),
  valueOutOfRange: entry<{ detail: string }>('MD1105', 'value-out-of-range', 'error',
    (a) => a.detail,
    'The value is outside what the hardware register or QEMU property can hold.'),
  valueArithmetic: entry<{ detail: string }>('MD1106', 'value-arithmetic', 'error',
    (a) => `cannot compute this value: ${a.detail}`,
    'Arithmetic in values must give a whole number of bytes or units: no division by zero, no fractional results.'),
  valueUnaligned: entry<{ value: string; alignment: string }>('MD1107', 'value-unaligned', 'error',
    (a) => `${a.value} is not a multiple of ${a.alignment}`,
    'The value must be aligned as stated.'),
  invalidMac: entry<{ mac: string; reason: string }>('MD1108', 'invalid-mac', 'error',
    (a) => `MAC address ${a.mac} ${a.reason}`,
    'A NIC MAC address is six bytes written as 52:54:00:12:34:56; it must be a unicast address (lowest bit of the first byte clear).'),

  controlCharacter: entry<{ what: string; character: string; index: number }>('MD1109', 'control-character', 'error',
    (a) => `${a.what} holds ${a.character} at character ${a.index + 1}; QEMU is given this text, which must be one line of printable characters`,
    'Strings that reach QEMU (image paths, serial numbers) go into qemu.args, one option per line, and into QEMU\'s option parser. A line break there would start a new QEMU option of the file\'s choosing (a GDB server, a host path), and a NUL or other control character is never part of a path or serial. Remove the character; in double-quoted YAML, check escapes such as "\\n" and "\\0".'),
  imageNotAFile: entry<{ image: string; reason: string }>('MD1110', 'image-not-a-file', 'warning',
    (a) => `image '${a.image}' is not a plain file path: ${a.reason}`,
    'An image is a disk image file: a path relative to the machine file\'s folder, or an absolute path. machc never lets QEMU read an image path as anything else: a name QEMU would take for a protocol or a JSON block specification (nbd://host/x, json:{...}, fat:rw:/dir, a colon before the first slash) is written in qemu.args as ./name, so QEMU opens the file of that name. Host devices (/dev/sda), kernel files (/proc, /sys) and directories are accepted but warned about: the guest would write to a real disk, or QEMU cannot open them as images.'),

  // ---- MD12xx: topology ----------------------------------------------------------
  duplicateId: entry<{ id: string; line: number }>('MD1201', 'duplicate-id', 'error',
    (a) => `id '${a.id}' is already used (line ${a.line})`,
    'Every device, NUMA node and namespace id must be unique in the machine: other parts of the file, the lockfile and diffs refer to devices by id.'),
  unknownReference: entry<{ id: string; kind: string }>('MD1202', 'unknown-reference', 'error',
    (a) => `no ${a.kind} named '${a.id}'`,
    'The id does not name anything in this machine. Ids are case-sensitive.'),
  slotInUse: entry<{ addr: string; owner: string; line: number | undefined }>('MD1203', 'slot-in-use', 'error',
    (a) => `slot ${a.addr} is already used by ${a.owner}${a.line !== undefined ? ` (line ${a.line})` : ''}`,
    'Two functions claim the same device.function on the same bus. Give one of them another `addr`, or leave `addr` out and let machc pick a free one.'),
  multifunctionWithoutZero: entry<{ slot: string; bus: string }>('MD1204', 'multifunction-without-function-0', 'error',
    (a) => `slot ${a.slot} on ${a.bus} has functions but no function 0`,
    'PCI enumeration probes function 0 first; without it, firmware and the OS never see the other functions of the slot.'),
  wrongBus: entry<{ device: string; model: string; bus: string; busKind: string }>('MD1205', 'wrong-bus', 'error',
    (a) => `${a.device} (${a.model}) cannot sit on ${a.bus}: ${a.busKind}`,
    'Each bus takes only certain devices: a switch upstream port\'s bus takes only downstream ports, a PCIe port\'s link takes one PCIe device or switch, the root bus takes root ports, integrated endpoints and bridges.'),
  conventionalOnPcie: entry<{ device: string; model: string; bus: string }>('MD1206', 'conventional-on-pcie', 'error',
    (a) => `${a.device} (${a.model}) is a conventional PCI device and cannot sit on the PCIe bus ${a.bus}`,
    'Conventional PCI devices need a PCI bus: put a pcie-pci-bridge behind a root port and place the device on it.'),
  hotplugOnRootBus: entry<{ device: string }>('MD1207', 'hotplug-on-root-bus', 'error',
    (a) => `${a.device} is on the root bus pcie.0, which does not support hotplug`,
    'Devices directly on pcie.0 are integrated: they can never be hot-added or removed. Put the device behind a root port to make it hot-pluggable.'),
  duplicateChassisSlot: entry<{ chassis: number; slot: number; owner: string; line: number | undefined }>('MD1208', 'duplicate-chassis-slot', 'error',
    (a) => `chassis ${a.chassis} slot ${a.slot} is already used by ${a.owner}${a.line !== undefined ? ` (line ${a.line})` : ''}`,
    'PCIe ports with slots need a unique (chassis, slot) pair; QEMU refuses duplicates and guests use the pair to name slots.'),
  linkDeviceNotZero: entry<{ device: string; bus: string; addr: string }>('MD1209', 'link-device-not-zero', 'error',
    (a) => `${a.device} is at ${a.addr} behind ${a.bus}, but a PCIe link only has device 0`,
    'A root port or switch downstream port leads to a single link; the device behind it is always device 0 (functions 0-7, or up to 255 with ARI).'),
  multifunctionOff: entry<{ slot: string; device: string }>('MD1210', 'multifunction-off', 'error',
    (a) => `${a.device} sets multifunction: false but slot ${a.slot} has other functions`,
    'Function 0 of a slot with several functions must set the multifunction bit of its header type, or the other functions are not enumerated.'),
  busCycle: entry<{ device: string }>('MD1211', 'bus-cycle', 'error',
    (a) => `${a.device} is behind itself: its bus chain loops`,
    'Following `bus` from this device leads back to it. Each device must hang off a bridge that leads to the root bus.'),
  reservedSlot: entry<{ addr: string; owner: string }>('MD1212', 'reserved-slot', 'error',
    (a) => `${a.addr} is the chipset's ${a.owner}`,
    'Some root-bus addresses belong to the Q35 chipset (00:00.0 host bridge, 00:1f.x ICH9 functions, and 00:01.0 when the display is on).'),
  notABus: entry<{ id: string; model: string }>('MD1213', 'not-a-bus', 'error',
    (a) => `'${a.id}' is a ${a.model}, which has no bus behind it`,
    'Only bridges (root ports, switch ports, PCI bridges) and the AHCI controller have buses that devices can sit on.'),
  addrOutOfRange: entry<{ addr: string; detail: string }>('MD1214', 'addr-out-of-range', 'error',
    (a) => `address ${a.addr}: ${a.detail}`,
    'PCI device numbers run from 0x00 to 0x1f and function numbers from 0 to 7.'),
  builtinCannotBeDisabled: entry<{ name: string }>('MD1215', 'builtin-cannot-be-disabled', 'error',
    (a) => `the ${a.name} is part of the Q35 chipset and cannot be turned off`,
    'QEMU\'s q35 machine always has the MCH host bridge (00:00.0) and the ICH9 LPC bridge (00:1f.0). SATA (00:1f.2), SMBus (00:1f.3) and the display (00:01.0) can be turned off.'),
  sataPortInUse: entry<{ port: number; owner: string; line: number | undefined }>('MD1216', 'sata-port-in-use', 'error',
    (a) => `AHCI port ${a.port} is already used by ${a.owner}${a.line !== undefined ? ` (line ${a.line})` : ''}`,
    'The ICH9 AHCI controller has six ports (0-5); each takes one disk or CD-ROM.'),
  hotplugOff: entry<{ device: string; port: string }>('MD1218', 'hotplug-off', 'error',
    (a) => `${a.device} is removable but its port ${a.port} has hotplug turned off`,
    'A removable device needs a slot that supports hot-plug: set hotplug: true on the port (the default) or drop removable.'),
  busFull: entry<{ device: string; bus: string }>('MD1219', 'bus-full', 'error',
    (a) => `no free slot for ${a.device} on ${a.bus}`,
    'Every device.function address the device could take on this bus is used. Move some devices behind another port or bridge.'),
  vfCollision: entry<{ pf: string; vf: number; bdf: string; owner: string }>('MD1220', 'vf-collision', 'error',
    (a) => `VF ${a.vf} of ${a.pf} would appear at ${a.bdf}, which ${a.owner} already uses`,
    'VFs appear at the PF\'s routing ID plus First VF Offset plus n times VF Stride. On the root bus those addresses must be free.'),
  busReserveTooSmall: entry<{ port: string; reserve: number; used: number }>('MD1221', 'bus-reserve-too-small', 'error',
    (a) => `bus-reserve ${a.reserve} on ${a.port} is not more than the ${a.used} bus number(s) its subtree already uses`,
    'SeaBIOS 1.16.2 honours bus-reserve only when it asks for more buses than the subtree needs; otherwise it programs the raw value as the subordinate bus number, which breaks the hierarchy. Raise bus-reserve or remove it.'),
  bootUnbootable: entry<{ id: string; model: string }>('MD1217', 'boot-unbootable', 'error',
    (a) => `${a.id} (${a.model}) cannot be a boot device`,
    'Boot entries must be disks, CD-ROMs or NICs.'),

  // ---- MD13xx: resources -----------------------------------------------------------
  busNumbersExhausted: entry<{ needed: number; available: number }>('MD1301', 'bus-numbers-exhausted', 'error',
    (a) => `the topology needs ${a.needed} bus numbers but ECAM covers ${a.available}`,
    'Each bridge takes a bus number (and any buses reserved behind it). The ECAM window maps 1 MiB per bus; q35 maps 256 buses by default. Remove bridges or lower bus reservations.'),
  downstreamPortBudget: entry<{ switchId: string; count: number; limit: number }>('MD1302', 'downstream-port-budget', 'error',
    (a) => `switch ${a.switchId} has ${a.count} downstream ports; at most ${a.limit} fit on its internal bus at function 0`,
    'A switch\'s internal bus has 32 device numbers; machc gives each downstream port its own device number. Pack more ports with explicit addresses (device.function), or use another switch. Each port also takes a bus number from the 256 the ECAM covers.'),
  vfsPastBus: entry<{ pf: string; last: string; bus: number }>('MD1303', 'vfs-past-bus', 'error',
    (a) => `the VFs of ${a.pf} run to ${a.last}, past bus ${a.bus}, and no bus numbers are reserved for them`,
    'A VF\'s routing ID is the PF\'s plus First VF Offset plus n times VF Stride. When that passes function 255 of the PF\'s bus, the VF lands on the next bus number, which firmware never reserved. Enable fewer VFs or reserve buses on the port (bus-reserve).'),
  vfsNeedAri: entry<{ pf: string; last: string }>('MD1304', 'vfs-need-ari', 'error',
    (a) => `the VFs of ${a.pf} reach ${a.last}, past device 0, which needs ARI in the device and the port above it`,
    'Behind a PCIe port only device 0 is reachable. Function numbers above 7 need ARI, in both the device and the port above it.'),
  vfsExceedTotal: entry<{ pf: string; vfs: number; total: number }>('MD1305', 'vfs-exceed-total', 'error',
    (a) => `${a.pf} enables ${a.vfs} VFs but supports at most ${a.total}`,
    'NumVFs cannot exceed TotalVFs of the SR-IOV capability.'),
  ioExhausted: entry<{ needed: string; available: string }>('MD1306', 'io-space-exhausted', 'error',
    (a) => `the PCI devices need ${a.needed} of IO space but only ${a.available} is available`,
    'Each bridge with IO behind it takes a 4 KiB-aligned IO window, and x86 has only 64 KiB of IO ports (QEMU docs/pcie.txt: about 10 PCIe ports with IO). Prefer PCIe devices without IO BARs, or fewer such ports.'),
  mmio32Exhausted: entry<{ needed: string; available: string }>('MD1307', 'mmio32-exhausted', 'error',
    (a) => `the 32-bit BARs and bridge windows need ${a.needed} but the 32-bit PCI hole has ${a.available}`,
    'Non-prefetchable memory BARs must be placed below 4 GiB. Lower the RAM below 4 GiB (memory.below-4g), or use devices with 64-bit prefetchable BARs.'),
  memoryUnmappable: entry<{ detail: string }>('MD1308', 'memory-unmappable', 'error',
    (a) => `the chipset cannot map this memory: ${a.detail}`,
    'RAM must fit the guest physical address space (phys-bits) and leave room for the PCI holes.'),
  sriovUnsupported: entry<{ model: string }>('MD1309', 'sriov-unsupported', 'error',
    (a) => `${a.model} has no SR-IOV capability`,
    'Only some device models are SR-IOV physical functions (nvme, igb, virtio-net).'),
  cpuTopology: entry<{ detail: string }>('MD1310', 'cpu-topology', 'error',
    (a) => `invalid CPU topology: ${a.detail}`,
    'The CPU count must equal sockets × dies × cores × threads and fit the chipset limits.'),
  numaMismatch: entry<{ detail: string }>('MD1311', 'numa-mismatch', 'error',
    (a) => `NUMA nodes do not match the machine: ${a.detail}`,
    'NUMA nodes must together hold all the memory and each CPU exactly once.'),
  sriovOverride: entry<{ model: string; field: string; value: number; fixed: number }>('MD1312', 'sriov-fixed-field', 'error',
    (a) => `${a.model} fixes ${a.field} at ${a.fixed}; it cannot be ${a.value}`,
    'The device model has a fixed value for this SR-IOV field in the real hardware it models.'),

  // ---- MD14xx: the lockfile ------------------------------------------------------
  lockConflict: entry<{ id: string; locked: string; now: string }>('MD1401', 'lock-conflict', 'error',
    (a) => `${a.id} is locked at ${a.locked} but the file now puts it at ${a.now}`,
    'The address lockfile pins every device\'s address so that guest device names stay stable. Change the address on purpose with `machc check --lock --relock`, or remove the explicit addr.'),
  lockInvalid: entry<{ detail: string }>('MD1402', 'lock-invalid', 'error',
    (a) => `the lockfile is not valid: ${a.detail}`,
    'The lockfile is written by `machc check --lock`; regenerate it rather than editing it by hand.'),
  lockRenumber: entry<{ id: string; locked: number; now: number }>('MD1403', 'lock-renumber', 'error',
    (a) => `this change moves the bus behind ${a.id} from ${a.locked} to ${a.now}`,
    'Firmware numbers buses depth first, so a new bridge placed before existing ones renumbers them and renames guest devices. Give the new bridge an address after the existing ones, or accept the change with --relock.'),
} as const;

export type DiagKey = keyof typeof Diag;

/** All entries, for `machc explain`, documentation and the catalog test. */
export function allEntries(): CatalogEntry<never>[] {
  return Object.values(Diag) as CatalogEntry<never>[];
}
