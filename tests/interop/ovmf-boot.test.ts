/**
 * The example machines under UEFI: built by machc for OVMF (`machc build
 * --firmware ovmf`: the DSDT's 64-bit window holds what OVMF places above
 * 4 GiB) and booted in the QEMU they target with OVMF (Debian `ovmf` 2022.11, OVMF_CODE_4M.fd read-only plus a
 * copy of OVMF_VARS_4M.fd, as two pflash drives) + Linux 6.1 (TCG), QEMU's
 * own ACPI off and machc's etc/table-loader, etc/acpi/tables and
 * etc/acpi/rsdp in its place. Then:
 *
 * - Linux boots and logs no ACPI error, ACPI warning or firmware bug;
 * - it enumerates exactly the PCI functions machc resolved, VFs included;
 * - /sys/firmware/acpi/tables/* are machc's tables as OVMF installs them
 *   (compiler/emit/firmware/ovmf-loader.ts: each table copied on its own,
 *   pointers aimed at the copies), byte for byte; the only other table may
 *   be OVMF's own BGRT (its boot logo), which machc does not generate;
 * - every BAR and bridge window Linux read from config space is where
 *   `machc show --firmware-plan --firmware ovmf` puts it, and Linux keeps
 *   them all (claims every one, assigns none itself); the bus numbers are
 *   machc's.
 *
 * `npm test` (and CI) boots the representative machines in CI_CASES; every
 * example machine, and the expander-bus machines of EXPANDERS, is the slower
 * suite (`npm run test:ovmf`, MACHC_SLOW=1). Machines that target QEMU 10.0 or
 * 11.1 (sriov-igb.yaml: igb needs 8.0) boot on the QEMU tests/interop/qemu10.sh
 * unpacks, as in boot-machines.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { ovmfPlan } from '../../compiler/resolve/firmware-plan-ovmf.js';
import { inCi, needTools } from '../support/tools.js';
import {
  bootArgs,
  build,
  expectCleanBoot,
  expectResolvedFunctions,
  guestPlacementLines,
  ovmfInstalledTables,
  planPlacementLines,
  qemuForMachine,
  tcgFriendly,
  vfRequests,
  writeFwCfgFiles,
} from './machine-boot.js';
import { bootLinux, QEMU, qemuAvailable } from './qemu.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
const slow = process.env['MACHC_SLOW'] === '1';

/** What `npm test` boots under OVMF: a switch fabric with 64-bit BARs above RAM, and SR-IOV VFs. */
const CI_CASES = ['switch-mixed.yaml', 'sriov-nvme.yaml'];

function ovmfReady(): boolean {
  if (!needTools('qemu-system-x86_64', 'qemu-img')) return false;
  const q = qemuAvailable(QEMU, 'ovmf');
  if (q.ok) return true;
  if (inCi()) throw new Error(`CI must boot under OVMF: ${q.reason}`);
  console.warn(`skipping the OVMF boots: ${q.reason}`);
  return false;
}
const canBoot = ovmfReady();

const work = mkdtempSync(join(tmpdir(), 'machc-ovmf-boot-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Test machines the slower suite boots too: PCIe expander buses (pxb-pcie), which OVMF finds as
 * root bridges of their own (their placement follows pcie.0's in the shared apertures).
 */
const EXPANDERS = ['cap-pxb-numa2.yaml', 'cap-pxb-switch.yaml'].map((f) => join(ROOT, 'tests', 'fixtures', 'machines', f));

const files = slow
  ? [...readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(MACHINES, f)), ...EXPANDERS]
  : CI_CASES.map((f) => join(MACHINES, f));

describe.skipIf(!canBoot)(`example machines boot under OVMF with machc's firmware files${slow ? ' (every example machine, and expander buses)' : ' (representative machines; MACHC_SLOW=1 for all)'}`, () => {
  for (const path of files) {
    const name = relative(ROOT, path);
    const { text, note } = tcgFriendly(readFileSync(path, 'utf8'));
    const compiled = compileMachine(path, { text }).machine;
    const qemu = canBoot && compiled ? qemuForMachine(compiled.qemu) : { path: QEMU, version: '' };
    const runnable = !('skip' in qemu);
    const title = runnable
      ? `${name}${note} on QEMU ${compiled?.qemu.version} + OVMF: boots, enumerates the resolved functions, sees machc's ACPI tables with no ACPI errors`
      : `${name} under OVMF: boot skipped: ${qemu.skip}`;
    it.skipIf(!runnable)(title, { timeout: 480_000 }, async () => {
      if ('skip' in qemu) return;
      const b = await build(path, text, undefined, 'ovmf');
      const dir = join(work, basename(path, '.yaml'));
      mkdirSync(dir, { recursive: true });
      const guest = await bootLinux({
        qemu: qemu.path,
        firmware: 'ovmf',
        args: bootArgs(b, dir),
        fwCfgFiles: writeFwCfgFiles(b, dir),
        enableVfs: vfRequests(b),
        workDir: dir,
        append: 'log_buf_len=8M',
        timeoutMs: 420_000,
      });

      expect(guest.dmesg).toMatch(/efi: EFI v[\d.]+ by EDK II/);
      expectCleanBoot(guest);
      expectResolvedFunctions(b, guest);

      // machc's tables, as OVMF installs them; beside them only OVMF's boot-logo table.
      const ours = ovmfInstalledTables(b, guest);
      const theirs = new Map([...guest.tables].filter(([k]) => !k.startsWith('dynamic/') && !k.startsWith('data/')));
      // (OVMF adds a BGRT when it showed its logo on a display it has a driver for.)
      const extra = [...theirs.keys()].filter((k) => !ours.has(k));
      expect(extra.filter((k) => k !== 'BGRT')).toEqual([]);
      if (extra.length) expect(Buffer.from(theirs.get('BGRT')!).subarray(10, 24).toString('latin1')).toBe('INTEL EDK2    ');
      expect([...ours.keys()].filter((k) => !theirs.has(k))).toEqual([]);
      for (const [sig, bytes] of ours) expect(Buffer.from(theirs.get(sig)!).equals(Buffer.from(bytes)), `${sig} differs`).toBe(true);

      // OVMF placed every BAR, VF BAR and bridge window where `machc show --firmware-plan --firmware ovmf` says,
      // and Linux kept them (the DSDT of an OVMF build holds OVMF's 64-bit placement), but for the root bus's
      // IO BARs that OVMF packs into the 4 KiB IO window of a hot-plug port it gave 512 bytes of padding:
      // those Linux moves, as the plan predicts. (Option ROM BARs, which OVMF leaves disabled at all ones,
      // Linux places itself.) Where an aperture ran out and OVMF dropped a hot-plug port's padding, the port
      // may lack an IO or memory window: Linux opens one itself (its own hot-plug reserve), on those ports only.
      const plan = ovmfPlan(b.machine);
      const ioWindows = plan.windows.filter((w) => w.region === 'io');
      const clashing = plan.bars
        .filter((x) => x.region === 'io' && x.bdf.startsWith('00:') && ioWindows.some((w) => x.address < w.base + w.size && w.base < x.address + x.size))
        .map((x) => `${x.bdf} BAR ${x.bar}`);
      const changed = guest.dmesg.split('\n').filter((l) => /(BAR \d+|bridge window) \[[^\]]*\].*(can't claim|: assigned$)/.test(l));
      const opened = changed.flatMap((line) => {
        const m = /0000:(\S+): bridge window \[(io|mem) [^\]]*?( pref)?\]: assigned$/.exec(line);
        return m ? [{ line, bdf: m[1]!, region: m[2] === 'io' ? 'io' : m[3] ? 'prefmem' : 'mem' }] : [];
      });
      const byBdf = new Map(b.machine.pci.functions.map((f) => [f.bdf, f]));
      for (const w of opened) {
        const fn = byBdf.get(w.bdf);
        expect(fn?.bridge?.hotplug, `${w.line}: not a hot-plug port`).toBe(true);
        expect(plan.windows.filter((x) => x.key === fn!.key && x.region === w.region && x.size > 0), `${w.line}: OVMF gave it one`).toEqual([]);
      }
      const moved = changed.filter((l) => !opened.some((w) => w.line === l));
      expect([...new Set(moved.map((l) => /0000:(\S+): (BAR \d+)/.exec(l)?.slice(1).join(' ') ?? l))].sort()).toEqual(clashing.sort());
      expect(guest.dmesg.split('\n').filter((l) => /can't claim/.test(l) && !/ ROM \[mem 0xf[0-9a-f]+-0xffffffff pref\]/.test(l) && !moved.includes(l))).toEqual([]);
      // (A window Linux opened is first logged when Linux programs it, not as firmware left it.)
      const ownWindows = new Set(opened.map((w) => `${w.bdf} window ${w.region}`));
      expect(guestPlacementLines(guest.dmesg).filter((l) => !ownWindows.has(l.split(' ').slice(0, 3).join(' ')))).toEqual(planPlacementLines(plan, b.machine));
    });
  }
});
