/**
 * The fw_cfg files QEMU adds by itself for a q35 machine of the target's
 * machine type (the same on 7.2, 10.0 and 11.1 but for SMBIOS), beside
 * the ones machc gives it on the command line (ACPI tables, loader, e820,
 * bootorder): what the runtime machine must also serve for SeaBIOS to see
 * the same machine.
 *
 *   etc/smbios/smbios-tables, etc/smbios/smbios-anchor   smbios.ts
 *   etc/boot-fail-wait          u32: -reboot-timeout, -1 (never) by default (hw/nvram/fw_cfg.c fw_cfg_reboot)
 *   etc/system-states           S3 and S4 enabled, S4 value 2 (hw/acpi/core.c acpi_pm1_cnt_init, ICH9 PM)
 *   etc/smi/supported-features  broadcast SMI, CPU hot-plug and hot-unplug with SMI (hw/isa/lpc_ich9.c),
 *   etc/smi/requested-features  present whatever the machine's smm setting
 *   etc/smi/features-ok
 *   bios-geometry               drive geometries given with lcyls/lheads/lsecs: none
 *   etc/extra-pci-roots         u64: how many expander bridges (pxb-pcie) open root buses of their own,
 *                               present only when some do (hw/i386/pc.c pc_machine_done); SeaBIOS then
 *                               looks for root buses above pcie.0's
 *
 * `genroms/kvmvapic.bin` comes from QEMU's data directory and is added by
 * the runtime, which reads files (see README: Running machines).
 */
import type { ResolvedMachine } from '../../model/topology.js';
import type { FwCfgFile } from './index.js';
import { buildSmbios } from './smbios.js';

const SYSTEM_STATES = Uint8Array.of(0x80, 0x00, 0x00, 0x81, 0x82, 0x80);
/** ICH9_LPC_SMI_F_BROADCAST, CPU_HOTPLUG, CPU_HOT_UNPLUG. */
const SMI_SUPPORTED = Uint8Array.of(0x07, 0, 0, 0, 0, 0, 0, 0);

/** The files QEMU provides itself, in name order. */
export function qemuProvidedFiles(machine: ResolvedMachine): FwCfgFile[] {
  const smbios = buildSmbios(machine);
  const files: FwCfgFile[] = [
    { name: 'bios-geometry', bytes: new Uint8Array(0) },
    { name: 'etc/boot-fail-wait', bytes: Uint8Array.of(0xff, 0xff, 0xff, 0xff) },
    ...extraPciRoots(machine),
    { name: 'etc/smbios/smbios-anchor', bytes: smbios.anchor },
    { name: 'etc/smbios/smbios-tables', bytes: smbios.tables },
    { name: 'etc/smi/features-ok', bytes: Uint8Array.of(0x01) },
    { name: 'etc/smi/requested-features', bytes: new Uint8Array(8) },
    { name: 'etc/smi/supported-features', bytes: SMI_SUPPORTED },
    { name: 'etc/system-states', bytes: SYSTEM_STATES },
  ];
  return files;
}

/** etc/extra-pci-roots, when the machine has expander bridges. */
function extraPciRoots(machine: ResolvedMachine): FwCfgFile[] {
  const count = machine.pci.buses.filter((b) => b.expander !== undefined).length;
  if (count === 0) return [];
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(count), true);
  return [{ name: 'etc/extra-pci-roots', bytes }];
}
