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
 * example machine is the slower suite (`npm run test:ovmf`, MACHC_SLOW=1).
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

const files = slow ? readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort() : CI_CASES;

describe.skipIf(!canBoot)(`example machines boot under OVMF with machc's firmware files${slow ? ' (every example machine)' : ' (representative machines; MACHC_SLOW=1 for all)'}`, () => {
  for (const file of files) {
    const path = join(MACHINES, file);
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
      const dir = join(work, basename(file, '.yaml'));
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
      // Linux places itself.)
      const plan = ovmfPlan(b.machine);
      const ioWindows = plan.windows.filter((w) => w.region === 'io');
      const clashing = plan.bars
        .filter((x) => x.region === 'io' && x.bdf.startsWith('00:') && ioWindows.some((w) => x.address < w.base + w.size && w.base < x.address + x.size))
        .map((x) => `${x.bdf} BAR ${x.bar}`);
      const moved = guest.dmesg.split('\n').filter((l) => /(BAR \d+|bridge window) \[[^\]]*\].*(can't claim|: assigned$)/.test(l));
      expect([...new Set(moved.map((l) => /0000:(\S+): (BAR \d+)/.exec(l)?.slice(1).join(' ') ?? l))].sort()).toEqual(clashing.sort());
      expect(guest.dmesg.split('\n').filter((l) => /can't claim/.test(l) && !/ ROM \[mem 0xf[0-9a-f]+-0xffffffff pref\]/.test(l) && !moved.includes(l))).toEqual([]);
      expect(guestPlacementLines(guest.dmesg)).toEqual(planPlacementLines(plan, b.machine));
    });
  }
});
