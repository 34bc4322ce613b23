/**
 * Diagnostics that help people who come from QEMU: every problem of a file
 * at once and each once, QEMU's property names mapped, placement errors
 * saying where a device can go, an unclosed bracket reported at the
 * bracket, a missing chipset saying how to fix it; and the warnings (packed
 * link functions, an empty switch, models newer than QEMU 7.2, disk images
 * missing or too small), which never change the exit code.
 */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { machcAsync, requireBuiltCli } from '../support/cli.js';
import { compileText } from './helpers.js';

const rp = (id: string, slot: number, extra = '') => `  - { id: ${id}, model: pcie-root-port, chassis: 1, slot: ${slot}${extra} }`;
const machine = (...devices: string[]) => `chipset: q35\ndevices:\n${devices.join('\n')}\n`;
/** code, line, column, message, fix, replacement of every diagnostic. */
const diags = (text: string) =>
  compileText(text).diagnostics.items.map((d) => ({ code: d.code, severity: d.severity, line: d.span?.line, column: d.span?.column, message: d.message, fix: d.fix?.message, replace: d.fix?.replace?.text }));

describe('every problem at once, each once', () => {
  it('an SR-IOV request over TotalVFs is reported with the file\'s other errors', () => {
    const r = diags(`chipset: q35\nmemory: 3 GB\ndevices:\n  - { id: n, model: nvme, serial: s, sriov: { total-vfs: 4, vfs: 8 } }\n  - { id: n, model: e1000e }\n`);
    expect(r.map((d) => [d.code, d.line])).toEqual([
      ['MD1101', 2],
      ['MD1201', 5],
      ['MD1305', 4],
    ]);
    expect(r[2]!.message).toBe('n asks for 8 VFs but offers at most 4 (TotalVFs)');
  });

  it('an unknown model adds no "unknown property" errors for its device; a known model still gets them', () => {
    const r = diags(machine('  - { id: n, model: e1000x, mac: 52:54:00:00:00:01, foo: 1 }', '  - { id: m, model: e1000e, foo: 1 }'));
    expect(r.map((d) => [d.code, d.line, d.message])).toEqual([
      ['MD1004', 3, "unknown device model 'e1000x'"],
      ['MD1002', 4, "unknown property 'foo' for device 'm' (e1000e)"],
    ]);
    expect(r[0]!.replace).toBe('e1000e');
  });

  it('an SR-IOV problem of a machine that is otherwise right is reported once', () => {
    const r = diags(machine(rp('rp1', 1), '  - { id: n, model: nvme, serial: s, bus: rp1, sriov: { total-vfs: 4, vfs: 8 } }'));
    expect(r.map((d) => d.code)).toEqual(['MD1305']);
  });
});

describe("QEMU's vocabulary", () => {
  it('drive: is image, chassis_nr is chassis, bus_reserve is bus-reserve: the fix replaces the key', () => {
    expect(diags(machine('  - { id: d, model: virtio-blk, drive: a.raw }'))).toEqual([
      { code: 'MD1002', severity: 'error', line: 3, column: 33, message: "unknown property 'drive' for device 'd' (virtio-blk)", fix: "'drive' is QEMU's name; machine files call it 'image'", replace: 'image' },
    ]);
    const r = diags(machine('  - { id: rp1, model: pcie-root-port, chassis_nr: 1, slot: 1, bus_reserve: 2 }'));
    expect(r.map((d) => [d.code, d.column, d.fix, d.replace])).toEqual([
      ['MD1002', 39, "'chassis_nr' is QEMU's name; machine files call it 'chassis'", 'chassis'],
      ['MD1002', 63, "machine files write 'bus-reserve' with dashes", 'bus-reserve'],
    ]);
  });

  it('a QEMU setting that lives elsewhere says where', () => {
    const r = diags(machine('  - { id: n, model: nvme, serial: s, numvfs: 2 }'));
    expect(r.map((d) => [d.code, d.fix, d.replace])).toEqual([['MD1002', "'numvfs' is QEMU's; here, write `sriov: { vfs: N }`", undefined]]);
  });

  it('a QEMU name is only mapped where the machine-file name is allowed', () => {
    // e1000e has no image: the usual "did you mean" or list applies.
    const r = diags(machine('  - { id: n, model: e1000e, drive: a.raw }'));
    expect(r.map((d) => d.code)).toEqual(['MD1002']);
    expect(r[0]!.fix).not.toContain("machine files call it 'image'");
  });

  it('a missing chipset says how to fix it', () => {
    expect(diags('memory: 1 GiB\n')).toEqual([
      { code: 'MD1001', severity: 'error', line: 1, column: 1, message: "the machine needs 'chipset'", fix: 'add the line `chipset: q35` (the Intel Q35 chipset, the one machc models) at the top of the file', replace: undefined },
    ]);
  });
});

describe('an unclosed bracket is reported at the bracket', () => {
  it('{ and [, at their own line and column, not at the end of the file', () => {
    const seq = diags('chipset: q35\ndevices: [ { id: a, model: e1000e }\nmemory: 1 GiB\n');
    expect(seq.map((d) => [d.code, d.line, d.column, d.message, d.fix])).toEqual([
      ['MD0005', 2, 10, "YAML syntax error: this '[' is never closed: the flow sequence it starts needs a ']'", "close it with ']' where its last entry ends"],
    ]);
    const map = diags('chipset: q35\ndevices:\n  - { id: a, model: e1000e\n');
    expect(map.map((d) => [d.code, d.line, d.column])).toEqual([['MD0005', 3, 5]]);
    expect(map[0]!.message).toContain("this '{' is never closed");
  });

  it('brackets inside quoted scalars and comments are not counted', () => {
    const r = diags('chipset: q35 # a { here\ndevices:\n  - { id: a, model: nvme, serial: "S{[", addr: 3.0\n');
    expect(r.map((d) => [d.code, d.line, d.column])).toEqual([['MD0005', 3, 5]]);
  });
});

describe('placement errors say where the device can go', () => {
  it('a NIC on a switch upstream port: its downstream port first, then the root bus; the fix replaces the bus', () => {
    const r = diags(machine(rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }', '  - { id: p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }', '  - { id: nic0, model: e1000e, bus: sw0 }'));
    expect(r.map((d) => [d.code, d.line, d.fix, d.replace])).toEqual([['MD1205', 6, 'it can go on p0, pcie.0', 'p0']]);
  });

  it('a taken link is not offered; with no place at all it says what to add', () => {
    const r = diags(machine(rp('rp1', 1), '  - { id: x, model: xio3130-downstream, bus: rp1, chassis: 2, slot: 0 }'));
    expect(r.map((d) => [d.code, d.fix, d.replace])).toEqual([['MD1205', 'add an x3130-upstream switch port (on a root port) and put it there', undefined]]);
  });
});

describe('warnings', () => {
  it('MD1223: a second endpoint on one root port is packed as function 1, and warned; written as 0.0 and 0.1 it is meant', () => {
    const packed = diags(machine(rp('rp1', 1), '  - { id: a, model: e1000e, bus: rp1 }', '  - { id: b, model: e1000e, bus: rp1 }'));
    expect(packed.map((d) => [d.code, d.severity, d.line, d.message, d.fix])).toEqual([
      ['MD1223', 'warning', 5, "b shares rp1's link with a: it becomes function 1 of one multifunction device", 'give b a port of its own, or, if the functions are meant, write addr: 0.0 on a and addr: 0.1 on b'],
    ]);
    expect(diags(machine(rp('rp1', 1), '  - { id: a, model: e1000e, bus: rp1, addr: 0.0 }', '  - { id: b, model: e1000e, bus: rp1, addr: 0.1 }'))).toEqual([]);
  });

  it('MD1224: a switch with no downstream ports', () => {
    const r = diags(machine(rp('rp1', 1), '  - { id: sw0, model: x3130-upstream, bus: rp1 }'));
    expect(r.map((d) => [d.code, d.severity, d.line, d.fix])).toEqual([['MD1224', 'warning', 4, 'add xio3130-downstream ports with bus: sw0']]);
  });

  it('MD1601: igb needs QEMU 8.0, virtio-net SR-IOV 10.1: an error on the default target, with the target that has them', () => {
    const igb = diags(machine(rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1 }'));
    expect(igb.map((d) => [d.code, d.severity, d.message, d.fix])).toEqual([['MD1601', 'error', 'igb (nic0) needs QEMU 8.0 or later; this machine is built for QEMU 7.2', 'build for a newer QEMU: qemu: "10.0"']]);
    const vnet = diags(machine(rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: 2, vfs: 1 } }'));
    expect(vnet.filter((d) => d.code === 'MD1601').map((d) => [d.message, d.fix])).toEqual([['SR-IOV on virtio-net (nic0) needs QEMU 10.1 or later; this machine is built for QEMU 7.2', 'build for a newer QEMU: qemu: "11.1"']]);
    expect(diags(`qemu: "10.0"\n${machine(rp('rp1', 1), '  - { id: nic0, model: igb, bus: rp1 }')}`)).toEqual([]);
    expect(diags(machine(rp('rp1', 1), '  - { id: nic0, model: virtio-net, bus: rp1 }'))).toEqual([]);
  });

  describe('MD1111: disk images, looked at only by the commands that give them to QEMU', () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-images-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'm.yaml');
    beforeAll(() => {
      mkdirSync(join(dir, 'img'));
      writeFileSync(file, machine('  - { id: a, model: virtio-blk, image: img/missing.qcow2 }', '  - { id: b, model: virtio-blk, image: img/tiny.raw }', '  - { id: c, model: virtio-blk, image: img/ok.raw }'));
      writeFileSync(join(dir, 'img', 'tiny.raw'), 'x'.repeat(100));
      const fd = openSync(join(dir, 'img', 'ok.raw'), 'w');
      ftruncateSync(fd, 1 << 20);
      closeSync(fd);
    });

    it('relative to the machine file; a missing one and one under a sector, not a good one', () => {
      const r = compileMachine(file, { checkImages: true });
      expect(r.diagnostics.items.map((d) => [d.code, d.severity, d.span?.line, d.message])).toEqual([
        ['MD1111', 'warning', 3, 'the image img/missing.qcow2 does not exist (relative to the machine file)'],
        ['MD1111', 'warning', 4, 'the image img/tiny.raw is 100 bytes, smaller than one 512-byte sector'],
      ]);
      expect(r.machine).toBeDefined();
      expect(compileMachine(file).diagnostics.items).toEqual([]);
    });

    it('through the CLI: check and build warn and succeed; show does not look', async () => {
      requireBuiltCli();
      const check = await machcAsync(['check', file], { cwd: dir });
      expect(check.code).toBe(0);
      expect(check.stderr).toContain('m.yaml:3:40 warning MD1111: the image img/missing.qcow2 does not exist (relative to the machine file)');
      const build = await machcAsync(['build', file, '-o', join(dir, 'out')], { cwd: dir });
      expect(build.code, build.stderr).toBe(0);
      expect(build.stderr).toContain('m.yaml:4:40 warning MD1111: the image img/tiny.raw is 100 bytes');
      const show = await machcAsync(['show', file], { cwd: dir });
      expect(show.code).toBe(0);
      expect(show.stderr).not.toContain('MD1111');
    });
  });
});
