/**
 * The firmware half of `machc build`: every fw_cfg file SeaBIOS reads to set
 * the machine up, in QEMU 7.2's formats: `etc/acpi/tables`, `etc/acpi/rsdp`,
 * `etc/table-loader`, `etc/e820` and `bootorder` (what QEMU is given), and
 * the files QEMU would add itself (SMBIOS tables and the rest, which the
 * runtime machine serves too).
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, layoutAcpi, TABLE_LOADER_FILE, type AcpiLayout, type AcpiSetInput } from './acpi-layout.js';
import { walkAcpi } from './acpi-walk.js';
import { encodeBootorder } from './bootorder.js';
import { encodeE820 } from './e820.js';
import { encodeLoader } from './loader.js';
import { qemuProvidedFiles } from './qemu-files.js';
import { runTableLoader } from './seabios-loader.js';

export interface FwCfgFile {
  /** fw_cfg name, e.g. 'etc/acpi/tables'. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface FirmwareFiles {
  /** What machc gives QEMU on its command line, in fw_cfg name order. */
  readonly files: readonly FwCfgFile[];
  /** What QEMU 7.2 adds itself for this machine (SMBIOS, etc/system-states...; qemu-files.ts), in name order. */
  readonly qemuFiles: readonly FwCfgFile[];
  readonly acpi: AcpiLayout;
}

export function buildFirmwareFiles(machine: ResolvedMachine, acpi: AcpiSetInput): FirmwareFiles {
  const layout = layoutAcpi(acpi);
  const loader = encodeLoader(layout.commands);
  const files: FwCfgFile[] = [
    { name: 'bootorder', bytes: encodeBootorder(machine.boot.map((b) => b.path)) },
    { name: ACPI_RSDP_FILE, bytes: layout.rsdp },
    { name: ACPI_TABLES_FILE, bytes: layout.tables },
    { name: 'etc/e820', bytes: encodeE820(machine.memory.e820Qemu) },
    { name: TABLE_LOADER_FILE, bytes: loader },
  ];
  selfCheck(layout, loader);
  return { files, qemuFiles: qemuProvidedFiles(machine), acpi: layout };
}

/**
 * Runs the loader as firmware would and walks the result as an OS would:
 * every checksum must come out zero and every table must be reachable. A
 * failure is a bug in the emitters, never a problem with the machine file.
 */
function selfCheck(layout: AcpiLayout, loader: Uint8Array): void {
  const run = runTableLoader(loader, new Map([[ACPI_TABLES_FILE, layout.tables], [ACPI_RSDP_FILE, layout.rsdp]]));
  const walk = walkAcpi(run.files.values());
  const problems = [...run.errors, ...walk.errors];
  const tablesAt = run.files.get(ACPI_TABLES_FILE)?.address ?? 0;
  const reached = new Set(walk.tables.map((t) => t.address - tablesAt));
  for (const p of layout.placed) if (!reached.has(p.offset)) problems.push(`${p.signature} at offset 0x${p.offset.toString(16)} is not reachable from the RSDP`);
  if (problems.length > 0) throw new Error(`ACPI tables fail the firmware self-check:\n  ${problems.join('\n  ')}`);
}

export { layoutAcpi, type AcpiLayout, type AcpiSetInput, type AcpiTableInput } from './acpi-layout.js';
