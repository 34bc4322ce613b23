/**
 * SeaBIOS 1.16.2 on machc's runtime against the same bios.bin on QEMU 7.2:
 * the debug-console log (isa-debugcon at 0x402) must be the same, line for
 * line, up to the boot attempt.
 *
 * Ours: the machine module with the host firmware, every fw_cfg file of the
 * build plus what QEMU adds itself (SMBIOS, etc/system-states...,
 * genroms/kvmvapic.bin), run by runtime/machine's Computer. QEMU: machc's
 * qemu.args with `acpi=off` and machc's ACPI files through `-fw_cfg`
 * (tests/support/seabios.ts), SMM on as QEMU's default, which the runtime
 * models too (bios-256k.bin relocates SMBASE on every CPU). Disk images
 * are blank and raw on both sides (a qcow2 image of the machine file
 * becomes a raw one).
 *
 * Every line must match (the PCI bus and bridge init, BAR sizing and
 * placement, SMP bring-up, the table loader, the SMBIOS and MP table copies,
 * option ROMs, the UMB space, e820, the boot order) except two kinds of
 * lines whose place depends on QEMU's wall clock and host threads, not on
 * the machine (LEGITIMATE below): the APs' `handle_smp` lines, compared as
 * a set, drives' `Searching bootorder` lines, compared as a set apart from
 * the rest, and `All threads complete.`, left out. A one-CPU machine with a
 * few devices matches without them. OPEN_GAPS lists what the runtime still
 * gets wrong (one line, on the bochs-display capture).
 *
 * CI runs four boots: the default machine with QEMU's default firmware
 * (bios-256k.bin); four CPUs behind switches with virtio, NVMe and SATA with
 * both images; NIC option ROMs behind a PCIe-to-PCI bridge with bios.bin.
 * MACHC_SEABIOS_ALL=1 runs every example machine and every capture
 * topology QEMU 7.2 can run with bios.bin (MACHC_SEABIOS_BIOS=PATH for
 * another image; about ten minutes).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import { BASELINE_QEMU, compareVersions, formatVersion } from '../../compiler/emit/qemu/version.js';
import { SEABIOS_BIN } from '../../runtime/index.js';
import { ROOT } from '../codegen/support.js';
import { BOOT_ATTEMPT, prepareImages, resolve, seabiosOnMachc, seabiosOnQemu, untilStop } from '../support/seabios.js';
import { needTools } from '../support/tools.js';

/** Lines that may legitimately differ, each with its reason and how it is compared. */
const LEGITIMATE: readonly { readonly pattern: RegExp; readonly compare: 'as-a-set' | 'left-out' | 'anywhere'; readonly reason: string }[] = [
  {
    pattern: /^Searching bootorder for: \/pci@/,
    compare: 'anywhere',
    reason:
      "SeaBIOS probes disks in threads that wait on timers; on QEMU those run on the host's real clock, so where a drive's bootorder lookup lands among the main thread's lines ('Found 1 lpt ports') depends on host speed. The same lookups happen, compared as a set.",
  },
  {
    pattern: /^handle_smp: apic_id=0x[0-9a-f]+$/,
    compare: 'as-a-set',
    reason:
      "QEMU 7.2 runs each vCPU in a host thread (MTTCG): the APs take SeaBIOS's SMP lock in the order the host schedules them. The runtime runs them round robin, in APIC order. Same CPUs, same count.",
  },
  {
    pattern: /^All threads complete\.$/,
    compare: 'left-out',
    reason:
      "SeaBIOS prints it when its last helper thread (disk and controller probes waiting on timers) ends. On QEMU the timers run on the host's clock, so where that happens among the main thread's lines depends on how fast the host runs; on the runtime time is virtual. Seen only on large machines (dozens of devices).",
  },
];

/**
 * Differences that are gaps in the runtime, not legitimate: per machine, the
 * lines left out of the comparison, which must still differ (the test fails
 * once a gap is closed, so that its entry goes).
 */
const OPEN_GAPS: Readonly<Record<string, { readonly pattern: RegExp; readonly reason: string }>> = {
  'cap-display-bochs': {
    pattern: /^bochs-display: using /,
    reason: "the runtime's bochs-display serves no EDID (its MMIO EDID block reads 0): the VGA BIOS falls back to 1024x768 where QEMU 7.2's generated EDID prefers 1280x800",
  },
};

/** The log up to the boot attempt, with LEGITIMATE applied: left-out lines dropped, each run of set-compared lines sorted. */
/** Lines whose place depends on the host's clock on QEMU, sorted: compared apart from the ordered rest. */
function anywhere(log: string): string[] {
  return untilStop(log)
    .split('\n')
    .filter((l) => LEGITIMATE.find((x) => x.pattern.test(l))?.compare === 'anywhere')
    .sort();
}

function comparable(log: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const line of untilStop(log).split('\n')) {
    const rule = LEGITIMATE.find((x) => x.pattern.test(line));
    if (rule?.compare === 'left-out' || rule?.compare === 'anywhere') continue;
    if (rule?.compare === 'as-a-set') {
      run.push(line);
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return out;
}

const BIOS_256K = '/usr/share/seabios/bios-256k.bin';

/** [machine file, firmware image] */
const CI_BOOTS: readonly [string, string][] = [
  ['machines/q35-default.yaml', BIOS_256K],
  ['machines/switch-mixed.yaml', SEABIOS_BIN],
  ['machines/switch-mixed.yaml', BIOS_256K],
  ['machines/nested-switch-pcipci.yaml', SEABIOS_BIN],
];

function allMachines(): string[] {
  const dir = (d: string) =>
    readdirSync(join(ROOT, d))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => `${d}/${f}`);
  return [...dir('machines'), ...dir('tests/fixtures/machines').filter((f) => basename(f).startsWith('cap-'))];
}

const boots: readonly [string, string][] =
  process.env['MACHC_SEABIOS_ALL'] === '1' ? allMachines().map((f) => [f, process.env['MACHC_SEABIOS_BIOS'] ?? SEABIOS_BIN]) : CI_BOOTS;
const tools = needTools('qemu-system-x86_64', ...new Set(boots.map(([, bios]) => bios)), '/usr/share/seabios/vgabios-stdvga.bin', '/usr/share/qemu/kvmvapic.bin');

describe.runIf(tools)('SeaBIOS on the runtime writes the log it writes on QEMU 7.2', () => {
  const work = mkdtempSync(join(tmpdir(), 'machc-seabios-runtime-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const [file, bios] of boots) {
    const name = basename(file, '.yaml');
    it(`${name} (${basename(bios)})`, async (ctx) => {
      let machine;
      try {
        machine = resolve(join(ROOT, file));
      } catch (e) {
        // A capture of a machine QEMU or SeaBIOS cannot set up (SeaBIOS out of IO space...): machc refuses it with a diagnostic.
        ctx.skip(`machc refuses it: ${(e as Error).message.replace(/^.*?: /, '')}`);
        return;
      }
      const min = qemuCommand(machine).minVersion;
      if (compareVersions(min, BASELINE_QEMU) > 0) {
        // Compared against QEMU 7.2 only: a machine that needs a newer QEMU has no 7.2 log.
        ctx.skip(`needs QEMU >= ${formatVersion(min)}`);
        return;
      }
      const dir = mkdtempSync(join(work, `${name}-`));
      prepareImages(machine, dir);
      const ours = await seabiosOnMachc(machine, { imageDir: dir, bios });
      const qemu = await seabiosOnQemu(machine, { bios, timeoutMs: 240_000 });
      expect(qemu.stop, `QEMU: ${qemu.log.slice(-400)}`).toBe('stop pattern');
      expect(ours.stop, `runtime: ${ours.log.slice(-400)}`).toBe('stop pattern');
      expect(BOOT_ATTEMPT.test(ours.log)).toBe(true);
      const gap = OPEN_GAPS[name];
      const [a, b] = [comparable(ours.log), comparable(qemu.log)];
      if (gap) {
        const [ga, gb] = [a.filter((l) => gap.pattern.test(l)), b.filter((l) => gap.pattern.test(l))];
        expect(ga, `open gap closed? ${gap.reason}`).not.toEqual(gb);
      }
      const keep = (l: string) => !gap?.pattern.test(l);
      expect(a.filter(keep)).toEqual(b.filter(keep));
      expect(anywhere(ours.log)).toEqual(anywhere(qemu.log));
    }, 600_000);
  }
});
