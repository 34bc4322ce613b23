/**
 * The kernel-log comparison of Linux on machc's runtime with QEMU: timestamps
 * are ignored, the listed lines may differ, nothing else may.
 */
import { describe, expect, it } from 'vitest';
import { compareKernelLogs, isLegitimateDifference, kernelLogLines } from '../support/kernel-log.js';

const QEMU = [
  '[    0.000000] Linux version 6.1.0-57-amd64',
  '[    0.012000] tsc: Unable to calibrate against PIT',
  '[    0.012001] tsc: using HPET reference calibration',
  '[    0.012002] tsc: Detected 2094.105 MHz processor',
  '[    0.120000] Calibrating delay loop (skipped), value calculated using timer frequency.. 4188.21 BogoMIPS (lpj=8376420)',
  '[    0.300000] ACPI: Interpreter enabled',
  '[    1.800000] rtc_cmos 00:04: setting system clock to 2026-12-05T17:32:23 UTC (1796491943)',
].join('\n');
const MACHC = [
  '[    0.000000] Linux version 6.1.0-57-amd64',
  '[    0.000000] tsc: Fast TSC calibration using PIT',
  '[    0.000000] tsc: Detected 1000.063 MHz processor',
  '[    0.100000] Calibrating delay loop (skipped), value calculated using timer frequency.. 2000.12 BogoMIPS (lpj=4000252)',
  '[    0.250000] ACPI: Interpreter enabled',
  '[    0.900000] rtc_cmos 00:04: setting system clock to 2024-01-01T00:00:05 UTC (1704067205)',
].join('\n');

describe('kernel log comparison', () => {
  it('drops timestamps and empty lines', () => {
    expect(kernelLogLines('[    1.234567] a line\r\n\n[12345.000001] another  \n')).toEqual(['a line', 'another']);
  });

  it('two logs that differ only in the listed ways agree, and the listed lines are counted', () => {
    expect(compareKernelLogs(QEMU, MACHC)).toEqual({ onlyReference: [], onlyMachc: [], legitimate: { reference: 5, machc: 4 } });
  });

  it('any other difference is reported, on its side, as often as it differs', () => {
    const machc = `${MACHC}\n[    1.0] ACPI Error: AE_NOT_FOUND\n[    1.1] ACPI: Interpreter enabled`;
    const qemu = `${QEMU}\n[    1.0] pci 0000:00:02.0: [8086:10d3] type 00 class 0x020000`;
    expect(compareKernelLogs(qemu, machc)).toMatchObject({
      onlyReference: ['pci 0000:00:02.0: [8086:10d3] type 00 class 0x020000'],
      onlyMachc: ['ACPI: Interpreter enabled', 'ACPI Error: AE_NOT_FOUND'],
    });
  });

  it('every listed difference is a whole-line pattern with a reason, and ordinary lines are not covered', () => {
    for (const line of ['ACPI: Interpreter enabled', 'tsc: Detected', 'Performance Events: AMD PMU driver.', 'smpboot: CPU0: AMD QEMU Virtual CPU version 2.5+ (family: 0xf, model: 0x6b, stepping: 0x1)']) {
      expect(isLegitimateDifference(line), line).toBeUndefined();
    }
    expect(isLegitimateDifference('node 0 deferred pages initialised in 20ms')?.reason).toMatch(/duration/);
    // Seen on QEMU under load (sriov-nvme, two vCPUs): the calibrations that host stalls defeat.
    expect(isLegitimateDifference('tsc: Fast TSC calibration failed')?.reason).toMatch(/TSC/);
    expect(isLegitimateDifference('calibrate_delay_direct() failed to get a good estimate for loops_per_jiffy.')?.reason).toMatch(/delay loop/);
    expect(isLegitimateDifference('Probably due to long platform interrupts. Consider using "lpj=" boot option.')?.reason).toMatch(/delay loop/);
    // Seen on QEMU for virt-install-server's qemu-xhci: a quirk's duration over 10 ms; the quirk's other lines stay compared.
    expect(isLegitimateDifference('pci 0000:06:00.0: quirk_usb_early_handoff+0x0/0x760 took 12850 usecs')?.reason).toMatch(/duration/);
    expect(isLegitimateDifference('pci 0000:06:00.0: [1b36:000d] type 00 class 0x0c0330')).toBeUndefined();
    // sriov-igb: the MAC igbvf draws at random for a VF; the driver's other lines stay compared.
    expect(isLegitimateDifference('igbvf 0000:01:10.0: Address: 66:9d:83:15:42:3f')?.reason).toMatch(/random MAC/);
    expect(isLegitimateDifference('igbvf 0000:01:10.0: Assigning random MAC address.')).toBeUndefined();
    // Seen on QEMU under load (multifunction-rootports): the HPET's RTC emulation missing its interrupts.
    expect(isLegitimateDifference('hpet: Lost 1 RTC interrupts')?.reason).toMatch(/host stall/);
    expect(isLegitimateDifference('hpet: HPET dysfunctional in PC10. Force disabled.')).toBeUndefined();
  });
});
