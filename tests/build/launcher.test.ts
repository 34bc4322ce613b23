/**
 * From a build to a running VM: run-qemu.sh (quoted for the shell, paths
 * found from its own folder, acpi=off and machc's fw_cfg files, a QEMU
 * version check before starting), `machc qemu` (build, check, boot, QEMU's
 * exit code), the guest files that enable SR-IOV VFs, and a build folder
 * readable as the umask allows. QEMU here is a stand-in that records what it
 * was given; tests/interop/machc-qemu.test.ts boots the real one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { parseQemuArgs } from '../../compiler/emit/qemu/args.js';
import { machcAsync, requireBuiltCli, ROOT } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-launcher-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A QEMU that says it is `version` and writes the options it got, one per line, to `record`. */
function fakeQemu(version: string, exitCode = 0): { path: string; record: string } {
  const dir = mkdtempSync(join(tmp, 'qemu-'));
  const path = join(dir, 'qemu-system-x86_64');
  const record = join(dir, 'argv.txt');
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = -version ]; then echo "QEMU emulator version ${version} (fake)"; exit 0; fi\nprintf '%s\\n' "$@" > '${record}'\nexit ${exitCode}\n`);
  chmodSync(path, 0o755);
  return { path, record };
}

/** The value after each occurrence of `option` in an argv. */
const valuesOf = (argv: string[], option: string) => argv.flatMap((a, i) => (argv[i - 1] === option ? [a] : []));

async function build(machine: string, out: string): Promise<void> {
  const io = bufferIo();
  expect(await main(['build', machine, '-o', out], io), io.stderr).toBe(0);
}

describe('run-qemu.sh', () => {
  // A machine with disk images beside it, copied into a folder whose name has a space and a comma.
  const home = join(tmp, 'my vms, 2026');
  const machine = join(home, 'machines', 'sriov-nvme.yaml');
  const out = join(home, 'out dir', 'nvme');
  beforeAll(async () => {
    mkdirSync(join(home, 'machines', 'images'), { recursive: true });
    cpSync(join(ROOT, 'machines', 'sriov-nvme.yaml'), machine);
    for (const img of ['pool.raw', 'root.qcow2']) writeFileSync(join(home, 'machines', 'images', img), '');
    await build(machine, out);
  });

  it('is executable and the shell reads it', () => {
    const launcher = join(out, 'run-qemu.sh');
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    expect(spawnSync('sh', ['-n', launcher], { encoding: 'utf8' }).stderr).toBe('');
  });

  it('runs QEMU with qemu.args, acpi=off, machc\'s fw_cfg files and the images, whatever the folder names and the working directory', () => {
    const q = fakeQemu('7.2.22');
    const r = spawnSync(join(out, 'run-qemu.sh'), ['-nographic', '-name', "it's mine"], { cwd: '/', encoding: 'utf8', env: { ...process.env, QEMU: q.path } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const argv = readFileSync(q.record, 'utf8').split('\n').slice(0, -1);
    const args = parseQemuArgs(readFileSync(join(out, 'qemu.args'), 'utf8'));
    // qemu.args, with the machine type's ACPI off and the paths made whole...
    expect(valuesOf(argv, '-machine')).toEqual(['pc-q35-7.2,acpi=off']);
    expect(valuesOf(argv, '-device')).toEqual(valuesOf(args, '-device'));
    expect(argv.slice(0, 4)).toEqual(['-machine', 'pc-q35-7.2,acpi=off', '-m', '2G']);
    // ...each image found from the build folder, commas doubled as QEMU reads option values...
    const drives = valuesOf(argv, '-drive');
    expect(drives).toHaveLength(2);
    for (const d of drives) {
      const file = /(?:^|,)file=((?:[^,]|,,)+)/.exec(d)![1]!.replace(/,,/g, ',');
      expect(existsSync(file), file).toBe(true);
      expect(file.startsWith(join(home, 'out dir', 'nvme'))).toBe(true);
    }
    // ...machc's three ACPI files through fw_cfg...
    const fwCfg = valuesOf(argv, '-fw_cfg').map((v) => /^name=([^,]+),file=(.*)$/.exec(v)!);
    expect(fwCfg.map((m) => m[1])).toEqual(['etc/table-loader', 'etc/acpi/tables', 'etc/acpi/rsdp']);
    for (const m of fwCfg) expect(readFileSync(m[2]!.replace(/,,/g, ',')).equals(readFileSync(join(out, 'fw_cfg', m[1]!)))).toBe(true);
    // ...and what it was given, last and unchanged.
    expect(argv.slice(-3)).toEqual(['-nographic', '-name', "it's mine"]);
  });

  it('FIRMWARE=ovmf: OVMF from pflash, the code read-only, the machine\'s own variable store copied once and kept', () => {
    const q = fakeQemu('7.2.22');
    const state = join(tmp, 'state, dir');
    const code = join(tmp, 'OVMF_CODE.fd');
    const template = join(tmp, 'OVMF_VARS.fd');
    writeFileSync(code, 'code');
    writeFileSync(template, 'vars');
    const env = { ...process.env, QEMU: q.path, FIRMWARE: 'ovmf', OVMF_CODE: code, OVMF_VARS_TEMPLATE: template, XDG_STATE_HOME: state };
    const run = () => spawnSync(join(out, 'run-qemu.sh'), ['-nographic'], { encoding: 'utf8', env });
    expect(run().status).toBe(0);
    const vars = join(state, 'machc', 'sriov-nvme.OVMF_VARS.fd');
    const argv = readFileSync(q.record, 'utf8').split('\n').slice(0, -1);
    expect(valuesOf(argv, '-drive').filter((d) => d.startsWith('if=pflash'))).toEqual([
      `if=pflash,format=raw,unit=0,readonly=on,file=${code}`,
      `if=pflash,format=raw,unit=1,file=${vars.replace(/,/g, ',,')}`,
    ]);
    expect(argv.at(-1)).toBe('-nographic');
    expect(readFileSync(vars, 'utf8')).toBe('vars');
    // The guest's variables survive the next run.
    writeFileSync(vars, 'written by the guest');
    expect(run().status).toBe(0);
    expect(readFileSync(vars, 'utf8')).toBe('written by the guest');
    const bad = spawnSync(join(out, 'run-qemu.sh'), [], { encoding: 'utf8', env: { ...env, FIRMWARE: 'coreboot' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('run-qemu.sh: FIRMWARE is seabios or ovmf, not coreboot\n');
  });

  it('says which QEMU the machine needs, and does not start an older one', async () => {
    const igb = join(tmp, 'igb');
    await build(join(ROOT, 'machines', 'sriov-igb.yaml'), igb);
    const old = fakeQemu('7.2.22');
    const r = spawnSync(join(igb, 'run-qemu.sh'), [], { encoding: 'utf8', env: { ...process.env, QEMU: old.path } });
    expect(r.status).toBe(1);
    // sriov-igb targets QEMU 10.0: its machine type, pc-q35-10.0, is what needs the newest QEMU.
    expect(r.stderr).toBe(`run-qemu.sh: this machine needs QEMU >= 10.0 (machine type pc-q35-10.0 needs QEMU >= 10.0; igb needs QEMU >= 8.0 (uplink0, uplink1)), but ${old.path} is QEMU 7.2.22\n`);
    expect(existsSync(old.record)).toBe(false);
    const recent = fakeQemu('10.0.3');
    expect(spawnSync(join(igb, 'run-qemu.sh'), [], { env: { ...process.env, QEMU: recent.path } }).status).toBe(0);
    expect(existsSync(recent.record)).toBe(true);
    expect(readFileSync(join(igb, 'run-qemu.sh'), 'utf8')).toContain('externally provided fw_cfg item names should be prefixed with "opt/"');
  });
});

describe('machc qemu', () => {
  beforeAll(requireBuiltCli);

  it('builds, explains the fw_cfg warning, boots with the options after -- and exits with QEMU\'s code', async () => {
    const q = fakeQemu('7.2.22', 3);
    const out = join(tmp, 'qemu-default');
    const r = await machcAsync(['qemu', '-o', out, '--qemu', q.path, '--', '-S', '-display', 'none']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`machc: booting q35-default in QEMU 7.2.22: ${out}/run-qemu.sh -S -display none`);
    expect(r.stderr).toContain('machc: note: QEMU warns \'externally provided fw_cfg item names should be prefixed with "opt/"\'');
    const argv = readFileSync(q.record, 'utf8').split('\n').slice(0, -1);
    expect(argv.slice(-3)).toEqual(['-S', '-display', 'none']);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  });

  it('--firmware ovmf boots the launcher with FIRMWARE=ovmf: OVMF from pflash', async () => {
    const q = fakeQemu('7.2.22');
    const code = join(tmp, 'qemu-ovmf-code.fd');
    const template = join(tmp, 'qemu-ovmf-vars.fd');
    writeFileSync(code, 'code');
    writeFileSync(template, 'vars');
    const out = join(tmp, 'qemu-ovmf');
    const env = { OVMF_CODE: code, OVMF_VARS_TEMPLATE: template, XDG_STATE_HOME: join(tmp, 'qemu-ovmf-state') };
    const r = await machcAsync(['qemu', '-o', out, '--qemu', q.path, '--firmware', 'ovmf'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`machc: booting q35-default in QEMU 7.2.22 with OVMF (FIRMWARE=ovmf): ${out}/run-qemu.sh`);
    const argv = readFileSync(q.record, 'utf8').split('\n').slice(0, -1);
    expect(valuesOf(argv, '-drive')).toEqual([
      `if=pflash,format=raw,unit=0,readonly=on,file=${code}`,
      `if=pflash,format=raw,unit=1,file=${join(tmp, 'qemu-ovmf-state', 'machc', 'q35-default.OVMF_VARS.fd')}`,
    ]);
  });

  it('refuses a QEMU older than the machine needs, saying why, before starting it', async () => {
    const q = fakeQemu('7.2.22');
    const r = await machcAsync(['qemu', join(ROOT, 'machines', 'sriov-igb.yaml'), '-o', join(tmp, 'qemu-igb'), '--qemu', q.path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`machc: ${q.path} is QEMU 7.2.22; machine sriov-igb needs QEMU >= 10.0: machine type pc-q35-10.0 needs QEMU >= 10.0; igb needs QEMU >= 8.0 (uplink0, uplink1).`);
    expect(existsSync(q.record)).toBe(false);
  });

  it('a QEMU that is not there is a usage error', async () => {
    const r = await machcAsync(['qemu', '--qemu', join(tmp, 'no-such-qemu')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('was not found (install qemu-system-x86, or give --qemu PATH)');
  });
});

describe('guest files for SR-IOV VFs', () => {
  const out = join(tmp, 'vfs');
  beforeAll(() => build(join(ROOT, 'machines', 'sriov-igb.yaml'), out));

  it('enable-vfs.sh writes each PF\'s NumVFs through sysfs, going through 0 to change a count', () => {
    const sys = join(tmp, 'sys');
    const pf = (bdf: string, now: string) => {
      mkdirSync(join(sys, 'bus/pci/devices', bdf), { recursive: true });
      writeFileSync(join(sys, 'bus/pci/devices', bdf, 'sriov_numvfs'), now);
    };
    pf('0000:01:00.0', '0\n');
    pf('0000:02:00.0', '2\n');
    const r = spawnSync('sh', [join(out, 'guest', 'enable-vfs.sh')], { encoding: 'utf8', env: { ...process.env, SYSFS: sys } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(sys, 'bus/pci/devices/0000:01:00.0/sriov_numvfs'), 'utf8')).toBe('4\n');
    expect(readFileSync(join(sys, 'bus/pci/devices/0000:02:00.0/sriov_numvfs'), 'utf8')).toBe('8\n');
    rmSync(join(sys, 'bus/pci/devices/0000:02:00.0'), { recursive: true });
    const missing = spawnSync('sh', [join(out, 'guest', 'enable-vfs.sh')], { encoding: 'utf8', env: { ...process.env, SYSFS: sys } });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('enable-vfs: 0000:02:00.0 (uplink1) has no SR-IOV capability or no driver bound\n');
  });

  it('sriov-vfs.rules does the same when each PF\'s driver binds', () => {
    const rules = readFileSync(join(out, 'guest', 'sriov-vfs.rules'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rules).toEqual([
      'ACTION=="bind", SUBSYSTEM=="pci", KERNEL=="0000:01:00.0", ATTR{sriov_numvfs}="4"',
      'ACTION=="bind", SUBSYSTEM=="pci", KERNEL=="0000:02:00.0", ATTR{sriov_numvfs}="8"',
    ]);
  });

  it('a machine whose file enables no VF has no guest folder', async () => {
    const plain = join(tmp, 'plain');
    await build(join(ROOT, 'machines', 'switch-mixed.yaml'), plain);
    expect(existsSync(join(plain, 'guest'))).toBe(false);
  });
});

describe('the build folder and the umask', () => {
  for (const umask of [0o022, 0o027, 0o077]) {
    it(`umask ${umask.toString(8).padStart(3, '0')}: folders, files and the launcher get the modes it allows`, async () => {
      const out = join(tmp, `umask-${umask.toString(8)}`);
      const saved = process.umask(umask);
      try {
        await build(join(ROOT, 'machines', 'sriov-nvme.yaml'), out);
      } finally {
        process.umask(saved);
      }
      const mode = (p: string) => statSync(join(out, p)).mode & 0o777;
      expect(mode('.')).toBe(0o777 & ~umask);
      expect(mode('acpi')).toBe(0o777 & ~umask);
      expect(mode('acpi/DSDT.aml')).toBe(0o666 & ~umask);
      expect(mode('run-qemu.sh')).toBe(0o777 & ~umask);
      expect(mode('guest/enable-vfs.sh')).toBe(0o777 & ~umask);
    });
  }
});
