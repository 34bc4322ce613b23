/**
 * FADT "FACP", the Fixed ACPI Description Table (ACPI 6.4 §5.2.9), revision
 * 3 (244 bytes, the ACPI 2.0/3.0 layout): what Linux 6.1 and SeaBIOS 1.16.2
 * read, and the layout QEMU 7.2 gives q35. It describes the ICH9 PM block
 * firmware programs at PMBASE (PM1a event/control, PM timer, GPE0), the SMI
 * command port SeaBIOS's SMM handler answers for ACPI enable/disable, the
 * 0xCF9 reset register, and points at FACS and DSDT.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { GAS_NONE, ioGas, TableWriter, type AcpiTable, type TableIds } from './header.js';

export const FADT_REVISION = 3;

/** Fixed feature flags (§5.2.9 Table 5.10). */
export const FadtFlag = {
  WBINVD: 1 << 0,
  PROC_C1: 1 << 2,
  SLP_BUTTON: 1 << 5,
  RTC_S4: 1 << 7,
  RESET_REG_SUP: 1 << 10,
  USE_PLATFORM_CLOCK: 1 << 15,
  FORCE_APIC_CLUSTER_MODEL: 1 << 18,
} as const;

/** ICH9 SMI command port (APM_CNT) and the values SeaBIOS's SMI handler treats as ACPI enable/disable. */
export const SMI_CMD_PORT = 0xb2;
export const ACPI_ENABLE = 0x02;
export const ACPI_DISABLE = 0x03;
/** ICH9 reset control register (RST_CNT) and the value that does a full reset. */
export const RESET_PORT = 0xcf9;
export const RESET_VALUE = 0x0f;
/** CMOS index of the RTC century byte. */
export const RTC_CENTURY = 0x32;

export function fadtFlags(machine: ResolvedMachine): number {
  let flags = FadtFlag.WBINVD | FadtFlag.PROC_C1 | FadtFlag.SLP_BUTTON | FadtFlag.RTC_S4 | FadtFlag.RESET_REG_SUP | FadtFlag.USE_PLATFORM_CLOCK;
  // Flat logical APIC destination mode addresses at most 8 CPUs.
  if (machine.cpus.max > 8) flags |= FadtFlag.FORCE_APIC_CLUSTER_MODEL;
  return flags;
}

export function buildFadt(machine: ResolvedMachine, ids: TableIds): AcpiTable {
  const pm = machine.platform.pm;
  const pm1aEvt = pm.base;
  const pm1aCnt = pm.base + 0x04;
  const w = TableWriter.sdt('FACP', FADT_REVISION, ids);
  w.pointer('FACS Address', 4, 'FACS');
  w.pointer('DSDT Address', 4, 'DSDT');
  w.u8('Model (multiple APIC)', 1);
  w.u8('PM Profile (unspecified)', 0);
  w.u16('SCI Interrupt', pm.sciIrq);
  w.u32('SMI Command Port', SMI_CMD_PORT);
  w.u8('ACPI Enable Value', ACPI_ENABLE);
  w.u8('ACPI Disable Value', ACPI_DISABLE);
  w.u8('S4BIOS Command', 0);
  w.u8('P-State Control', 0);
  w.u32('PM1A Event Block Address', pm1aEvt);
  w.u32('PM1B Event Block Address', 0);
  w.u32('PM1A Control Block Address', pm1aCnt);
  w.u32('PM1B Control Block Address', 0);
  w.u32('PM2 Control Block Address', 0);
  w.u32('PM Timer Block Address', pm.timer);
  w.u32('GPE0 Block Address', pm.gpe0.base);
  w.u32('GPE1 Block Address', 0);
  w.u8('PM1 Event Block Length', 4);
  w.u8('PM1 Control Block Length', 2);
  w.u8('PM2 Control Block Length', 0);
  w.u8('PM Timer Block Length', 4);
  w.u8('GPE0 Block Length', pm.gpe0.size);
  w.u8('GPE1 Block Length', 0);
  w.u8('GPE1 Base Offset', 0);
  w.u8('_CST Support', 0);
  w.u16('C2 Latency (not supported)', 0x0fff);
  w.u16('C3 Latency (not supported)', 0x0fff);
  w.u16('CPU Cache Size', 0);
  w.u16('Cache Flush Stride', 0);
  w.u8('Duty Cycle Offset', 0);
  w.u8('Duty Cycle Width', 0);
  w.u8('RTC Day Alarm Index', 0);
  w.u8('RTC Month Alarm Index', 0);
  w.u8('RTC Century Index', RTC_CENTURY);
  w.u16('Boot Flags (8042 present)', 1 << 1);
  w.u8('Reserved', 0);
  w.u32('Flags', fadtFlags(machine));
  w.gas('Reset Register', ioGas(RESET_PORT, 8));
  w.u8('Value to cause reset', RESET_VALUE);
  w.u16('ARM Flags', 0);
  w.u8('FADT Minor Revision', 0);
  w.u64('FACS Address (64-bit, unused)', 0);
  w.pointer('DSDT Address (64-bit)', 8, 'DSDT');
  w.gas('PM1A Event Block', ioGas(pm1aEvt, 32));
  w.gas('PM1B Event Block', GAS_NONE);
  w.gas('PM1A Control Block', ioGas(pm1aCnt, 16));
  w.gas('PM1B Control Block', GAS_NONE);
  w.gas('PM2 Control Block', GAS_NONE);
  w.gas('PM Timer Block', ioGas(pm.timer, 32));
  w.gas('GPE0 Block', ioGas(pm.gpe0.base, pm.gpe0.size * 8));
  w.gas('GPE1 Block', GAS_NONE);
  return w.finishSdt();
}
