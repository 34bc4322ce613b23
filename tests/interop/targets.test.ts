/**
 * The example machines under every QEMU target, booted on QEMU's own tables:
 * machc builds the machine for the target (7.2, 10.0, 11.1), QEMU of that
 * release runs machc's qemu.args with its ACPI on, and what QEMU generated
 * must equal machc's files byte for byte: etc/acpi/tables, etc/acpi/rsdp,
 * etc/table-loader and etc/e820 as the guest read them from fw_cfg. The
 * guest must boot without an ACPI complaint, see the resolved functions, and
 * get machc's e820 map; SeaBIOS must place the BARs as machc planned.
 *
 * A machine's own ASL (asl-methods.yaml) is left out: QEMU has no way to
 * generate it, and boot-machines.test.ts boots it on machc's tables.
 *
 * Every example machine under every target it compiles for is the slower
 * suite (`npm run test:targets`, MACHC_SLOW=1: about 20 boots, most of them
 * over a minute, since SeaBIOS 1.16.2 waits 32 s on the AHCI CD-ROM of QEMU
 * 10 and later). `npm test` (and CI) boots the representative ones in CI_CASES.
 * tests/acpi/qemu.test.ts compares the same files with the captures of the
 * three QEMUs without booting.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { ACPI_RSDP_FILE, ACPI_TABLES_FILE, TABLE_LOADER_FILE } from '../../compiler/emit/firmware/acpi-layout.js';
import { firmwarePlanLog, planLinesOfLog } from '../../compiler/emit/firmware/seabios-log.js';
import { TARGET_VERSIONS, type TargetVersion } from '../../compiler/model/target.js';
import { needTools } from '../support/tools.js';
import { ACPI_PROBLEM, bootArgs, build, hex4, qemuForMachine, tcgFriendly, withoutOwnAsl } from './machine-boot.js';
import { bootLinux, QEMU, qemuAvailable } from './qemu.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MACHINES = join(ROOT, 'machines');
const canBoot = needTools('qemu-system-x86_64', 'qemu-img') && qemuAvailable().ok;
const slow = process.env['MACHC_SLOW'] === '1';

/** What `npm test` boots: one machine per target, each with something the target changes. */
const CI_CASES: readonly [string, TargetVersion][] = [
  ['q35-default.yaml', '7.2'],
  ['switch-mixed.yaml', '10.0'],
  ['sriov-nvme.yaml', '11.1'],
];

const work = mkdtempSync(join(tmpdir(), 'machc-targets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cases: [string, TargetVersion][] = slow
  ? readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => TARGET_VERSIONS.map((t): [string, TargetVersion] => [f, t]))
  : [...CI_CASES];

describe.skipIf(!canBoot)(`QEMU's own tables equal machc's, per target${slow ? ' (every example machine)' : ' (representative machines; MACHC_SLOW=1 for all)'}`, () => {
  for (const [file, version] of cases) {
    const path = join(MACHINES, file);
    const name = relative(ROOT, path);
    const plain = withoutOwnAsl(readFileSync(path, 'utf8'));
    const tcg = tcgFriendly(plain.text, version);
    const text = tcg.text;
    const note = plain.note + tcg.note;
    const compiled = compileMachine(path, { text, qemu: version });
    if (!compiled.machine) {
      // Only machines with devices the target lacks (igb before 8.0) do not compile for it.
      it(`${name} is not for QEMU ${version}: ${compiled.diagnostics.sorted()[0]?.message}`, () => {
        expect(compiled.diagnostics.sorted().map((d) => d.code)).toContain('MD1601');
      });
      continue;
    }
    const target = compiled.machine.qemu;
    const qemu = canBoot ? qemuForMachine(target) : { path: QEMU, version: '' };
    const title =
      'skip' in qemu
        ? `${name} on QEMU ${version}: skipped: ${qemu.skip}`
        : `${name}${note} on QEMU ${qemu.version} (${target.machineType}): QEMU's etc/acpi/tables, rsdp, table-loader and e820 are machc's`;
    it.skipIf('skip' in qemu)(title, { timeout: 480_000 }, async () => {
      if ('skip' in qemu) return;
      const b = await build(path, text, version);
      const dir = join(work, `${basename(file, '.yaml')}-${version}`);
      mkdirSync(dir, { recursive: true });
      const enableVfs: Record<string, number> = {};
      for (const f of b.machine.pci.functions) if (f.sriov && f.sriov.numVfs > 0) enableVfs[`0000:${f.bdf}`] = f.sriov.numVfs;
      const guest = await bootLinux({ qemu: qemu.path, args: bootArgs(b, dir, true), enableVfs, workDir: dir, append: 'log_buf_len=8M', timeoutMs: 420_000 });

      expect(guest.dmesg).toMatch(/ACPI: Interpreter enabled/);
      expect(guest.dmesg.split('\n').filter((l) => ACPI_PROBLEM.test(l))).toEqual([]);
      const want = b.machine.pci.functions.map((f) => `0000:${f.bdf} ${hex4(f.vendorId)}:${hex4(f.deviceId)} ${f.classCode.toString(16).padStart(6, '0')}`);
      expect(guest.functions.map((f) => `${f.bdf} ${hex4(f.vendor)}:${hex4(f.device)} ${f.classCode.toString(16).padStart(6, '0')}`)).toEqual(want);

      // What QEMU generated for this machine is what machc generated, byte for byte.
      for (const f of [ACPI_TABLES_FILE, ACPI_RSDP_FILE, TABLE_LOADER_FILE, 'etc/e820']) {
        const theirs = guest.fwCfg.get(f);
        expect(theirs, `QEMU has no ${f}`).toBeDefined();
        expect(Buffer.compare(Buffer.from(theirs!), Buffer.from(b.file_(`fw_cfg/${f}`))), `${f} differs`).toBe(0);
      }
      expect(planLinesOfLog(guest.seabiosLog)).toEqual(firmwarePlanLog(b.machine));
      const e820 = guest.dmesg.split('\n').map((l) => /BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\S+(?: data| NVS)?)/.exec(l)).filter((m) => m !== null)
        .map((m) => ({ base: Number(m[1]), end: Number(m[2]) + 1, type: m[3]! }));
      const kernelType = { ram: 'usable', reserved: 'reserved', acpi: 'ACPI data', nvs: 'ACPI NVS', unusable: 'unusable' } as const;
      expect(e820).toEqual(b.machine.memory.e820.map((e) => ({ base: e.base, end: e.base + e.size, type: kernelType[e.type] as string })));
    });
  }
});
