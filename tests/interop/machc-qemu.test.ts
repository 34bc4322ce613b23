/**
 * The one command from a build to a booted VM, for real: `machc build`
 * writes run-qemu.sh, and that launcher boots the machine in QEMU 7.2 with
 * SeaBIOS and Linux (TCG) with machc's ACPI tables, its disk images found
 * relative to the machine file from wherever the launcher is run, in a
 * folder whose name holds a space and a comma. Linux must see machc's DSDT
 * byte for byte, log no ACPI problem and enumerate the functions machc
 * resolved. (The harness adds the kernel, initramfs, serial and SeaBIOS
 * options after the launcher's own, as a user adds theirs after --.)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { machcAsync, requireBuiltCli, ROOT } from '../support/cli.js';
import { needTools } from '../support/tools.js';
import { bootLinux, QEMU, qemuAvailable } from './qemu.js';

const canBoot = needTools('qemu-system-x86_64', 'qemu-img') && qemuAvailable().ok;
const tmp = mkdtempSync(join(tmpdir(), 'machc-qemu-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
/** Kernel log lines that mean the tables or the firmware are wrong (as in boot-machines.test.ts). */
const ACPI_PROBLEM = /ACPI Error|ACPI BIOS Error|ACPI Warning|\[Firmware Bug\]|ACPI: .*failed/;

describe('run-qemu.sh boots the machine', () => {
  it.skipIf(!canBoot)(
    'sriov-nvme: Linux boots on machc\'s tables with the machine\'s own disks',
    async () => {
      requireBuiltCli();
      const home = join(tmp, 'vm home, 1');
      const machine = join(home, 'sriov-nvme.yaml');
      mkdirSync(join(home, 'images'), { recursive: true });
      cpSync(join(ROOT, 'machines', 'sriov-nvme.yaml'), machine);
      execFileSync('qemu-img', ['create', '-q', '-f', 'raw', join(home, 'images', 'pool.raw'), '64M']);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(home, 'images', 'root.qcow2'), '64M']);
      const out = join(home, 'build', 'nvme');
      const built = await machcAsync(['build', machine, '-o', out]);
      expect(built.code, built.stderr).toBe(0);
      // The harness runs "QEMU" with its own options: here the launcher, which runs the real QEMU with them last.
      const wrapper = join(tmp, 'launch');
      writeFileSync(wrapper, `#!/bin/sh\nQEMU='${QEMU}' exec '${join(out, 'run-qemu.sh')}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      const guest = await bootLinux({ qemu: wrapper, args: ['-machine', 'pc-q35-7.2,acpi=off', '-m', '2G'], timeoutMs: 420_000 });
      expect(guest.dmesg.split('\n').filter((l) => ACPI_PROBLEM.test(l))).toEqual([]);
      expect(guest.tables.get('DSDT')).toEqual(readFileSync(join(out, 'acpi', 'DSDT.aml')));
      // The functions machc resolved, less the VFs: nothing in this boot enables them (the guest does, see guest/).
      const resolved = compileMachine(machine).machine!;
      const want = resolved.pci.functions.filter((f) => f.role !== 'vf').map((f) => `0000:${f.bdf} ${hex4(f.vendorId)}:${hex4(f.deviceId)}`);
      expect(guest.functions.map((f) => `${f.bdf} ${hex4(f.vendor)}:${hex4(f.device)}`)).toEqual(want);
      // (QEMU starts only when every -drive file opens: the images were found from the launcher's folder.)
    },
    600_000,
  );
});
