/**
 * Comparing the kernel log of a boot on machc's runtime with the log of the
 * same kernel, command line and machine on QEMU 7.2 (TCG). Timestamps are
 * dropped; then the lines below, and only they, may differ, each for the
 * reason given. Everything else must appear on both sides, as often.
 */

export interface LegitimateDifference {
  readonly pattern: RegExp;
  readonly reason: string;
}

const TSC =
  "the TSC: machc's runs at a fixed 1 GHz of virtual time, so the PIT calibrates it at once; QEMU's TCG TSC follows the host's clock, the PIT calibration fails on it and the HPET's is used, giving the host-dependent frequency";

export const LEGITIMATE_DIFFERENCES: readonly LegitimateDifference[] = [
  { pattern: /^tsc: (Fast TSC calibration (using PIT|failed)|Unable to calibrate against PIT|using HPET reference calibration|Detected [\d.]+ MHz processor|Refined TSC clocksource calibration: [\d.]+ MHz|Marking TSC unstable.*)$/, reason: TSC },
  { pattern: /^clocksource: tsc(-early)?: mask: 0xffffffffffffffff max_cycles: 0x[0-9a-f]+, max_idle_ns: \d+ ns$/, reason: `${TSC} (the clocksource's limits follow from the frequency)` },
  { pattern: /^Calibrating delay loop \(skipped\), value calculated using timer frequency\.\. [\d.]+ BogoMIPS \(lpj=\d+\)$/, reason: `${TSC} (BogoMIPS and lpj are derived from it)` },
  {
    pattern: /^(calibrate_delay_direct\(\) failed to get a good estimate for loops_per_jiffy\.|calibrate_delay_direct\(\) dropping (max|min) bogoMips estimate \d+ = \d+|Probably due to long platform interrupts\. Consider using "lpj=" boot option\.|Calibrating delay using timer specific routine\.\. [\d.]+ BogoMIPS \(lpj=\d+\))$/,
    reason: "a secondary CPU's delay loop timed against the timer: on QEMU the host's stalls between timer interrupts (a loaded host) can defeat it or make one of its estimates stand out, which Linux drops with a line; on machc the loop and the timer share virtual time",
  },
  { pattern: /^smpboot: Total of \d+ processors activated \([\d.]+ BogoMIPS\)$/, reason: `${TSC} (the sum of the CPUs' BogoMIPS)` },
  { pattern: /^printk: early log buf free: \d+\(\d+%\)$/, reason: 'the early log holds the TSC lines above, whose number and length differ' },
  {
    pattern: /^APIC (calibration not consistent with PM-Timer: \d+ms instead of 100ms|delta adjusted to PM-Timer: \d+ \(\d+\))$/,
    reason: "QEMU's APIC timer and PM timer both follow the host's clock, which a busy host makes disagree during the 100 ms calibration; on machc both run on one virtual clock",
  },
  { pattern: /^node \d+ deferred pages initialised in \d+ms$/, reason: 'a duration measured by the guest: host speed on QEMU, instruction count on machc' },
  { pattern: /^sched_clock: Marking stable \(-?\d+, -?\d+\)->\(-?\d+, -?\d+\)$/, reason: 'clock readings at that moment of the boot' },
  {
    pattern: /^(audit: type=2000 audit\(\d+\.\d+:\d+\): state=initialized audit_enabled=0 res=1|rtc_cmos 00:0\d: setting system clock to \S+ UTC \(\d+\))$/,
    reason: "the date: QEMU's RTC starts at the host's current time, machc's at a fixed date (2024-01-01) so that runs are deterministic",
  },
  { pattern: /^hrtimer: interrupt took \d+ ns$/, reason: 'a host stall under TCG on a busy host' },
  {
    pattern: /^hpet: Lost \d+ RTC interrupts$/,
    reason: "the HPET's RTC emulation found periodic interrupts it missed: on QEMU a host stall between them (a busy host); on machc the HPET and the interrupts it raises share virtual time",
  },
  { pattern: /^pci [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.\d: \S+ took \d+ usecs$/, reason: 'a PCI quirk that ran longer than 10 ms, which Linux logs with its duration: host speed on QEMU (the xHCI BIOS hand-off polls the controller), instruction count on machc' },
  { pattern: /^igbvf [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.\d: Address: (?:[0-9a-f]{2}:){5}[0-9a-f]{2}$/, reason: 'the random MAC address igbvf gives a VF whose PF assigned none (busybox\'s ip cannot assign one through the PF)' },
  { pattern: /^clocksource: (Switched to clocksource \S+|timekeeping watchdog on CPU\d+: .*|\s+'.*' wd_(nsec|now): .*|\s+'.*' cs_(nsec|now): .*|\s+'.*' \(not\) is current clocksource\.|\s+'.*' is current clocksource\.|Checking clocksource \S+ synchronization from CPU \d+ to CPUs? .*|CPU\d+ check durations .*|Long readout interval, skipping watchdog check: .*)$/, reason: "the clocksource watchdog compares clocks that QEMU's host-timed devices let drift apart" },
];

/** A kernel log's lines without their `[    1.234567] ` timestamps (and without empty lines). */
export function kernelLogLines(dmesg: string): string[] {
  return dmesg
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[\s*\d+\.\d+\] ?/, '').trimEnd())
    .filter((l) => l !== '');
}

export function isLegitimateDifference(line: string): LegitimateDifference | undefined {
  return LEGITIMATE_DIFFERENCES.find((d) => d.pattern.test(line));
}

export interface KernelLogComparison {
  /** Lines (with their count) only the reference log has, outside the legitimate differences. */
  readonly onlyReference: string[];
  /** Lines only machc's log has, outside the legitimate differences. */
  readonly onlyMachc: string[];
  /** How many lines each side had that the list of legitimate differences covers. */
  readonly legitimate: { readonly reference: number; readonly machc: number };
}

/** The lines of the two logs as multisets, outside the legitimate differences. */
export function compareKernelLogs(reference: string, machc: string): KernelLogComparison {
  const count = (lines: string[]) => {
    const m = new Map<string, number>();
    let legit = 0;
    for (const l of lines) {
      if (isLegitimateDifference(l)) legit++;
      else m.set(l, (m.get(l) ?? 0) + 1);
    }
    return { m, legit };
  };
  const a = count(kernelLogLines(reference));
  const b = count(kernelLogLines(machc));
  const only = (x: Map<string, number>, y: Map<string, number>) => {
    const out: string[] = [];
    for (const [l, n] of x) for (let i = y.get(l) ?? 0; i < n; i++) out.push(l);
    return out;
  };
  return { onlyReference: only(a.m, b.m), onlyMachc: only(b.m, a.m), legitimate: { reference: a.legit, machc: b.legit } };
}
