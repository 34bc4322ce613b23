/**
 * What `machc import qemu` cannot express, or cannot read, is reported at the
 * argument (and the property inside it) it is about: one row per problem,
 * `»` marking where the diagnostic must point. Then the command as users run
 * it: exit codes, --lenient, -o, a file of arguments.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { argsFromArgv, argsFromText } from '../../compiler/import/args.js';
import { importQemu } from '../../compiler/import/qemu.js';
import { machcAsync, requireBuiltCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-import-diag-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** code, the 1-based argument the mark is in, the arguments with one » mark, and text the message holds. */
const ROWS: readonly (readonly [string, number, readonly string[], string])[] = [
  ['MD1701', 4, ['-machine', 'q35', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1,»port=0x10'], 'PCIe Port Number'],
  ['MD1701', 2, ['-device', '»usb-ehci,id=usb'], "no model for QEMU's usb-ehci"],
  ['MD1701', 2, ['-machine', '»pc-i440fx-7.2'], 'q35 machines only'],
  ['MD1701', 2, ['-machine', '»pc-q35-8.0'], 'pc-q35-7.2, pc-q35-10.0, pc-q35-11.1'],
  ['MD1701', 2, ['-machine', 'q35,»acpi=off'], 'machc machines have ACPI'],
  ['MD1701', 2, ['-drive', '»if=virtio,id=d,file=a.img'], 'if=none'],
  ['MD1701', 2, ['-smp', '4,»books=2'], 'no CPU topology property books'],
  ['MD1701', 2, ['-vga', '»cirrus'], 'only -vga std, -vga virtio and -vga none'],
  ['MD1701', 1, ['»-usb'], 'USB is not modelled'],
  ['MD1701', 4, ['-netdev', 'user,id=n0', '-device', 'e1000e,id=nic0,netdev=n0,»romfile='], 'no e1000e property romfile'],
  ['MD1702', 2, ['-accel', '»kvm'], 'the accelerator is chosen when the machine boots'],
  ['MD1702', 2, ['-netdev', '»tap,id=n0,ifname=tap0'], 'netdev tap'],
  ['MD1702', 2, ['-object', '»memory-backend-ram,id=m0,size=1G'], 'backs no NUMA node'],
  ['MD1703', 2, ['-device', 'e1000e,id=nic0,»bus=rp1'], 'no bus rp1'],
  ['MD1703', 2, ['-m', '»lots'], 'not a memory size'],
  ['MD1703', 2, ['-device', 'nvme,id=n,serial=s,»drive=nope'], 'no -drive with id=nope'],
  ['MD1703', 6, ['-smp', '2', '-m', '1G', '-numa', 'node,cpus=0-1,»memdev=m9'], 'no memory backend m9'],
  ['MD1703', 2, ['-device', 'e1000e,id=nic0,»addr=0x20'], 'a slot[.function] in hex'],
  ['MD1703', 1, ['»-m'], '-m needs a value'],
];

describe('machc import qemu: each problem at its argument', () => {
  for (const [code, argNo, marked, text] of ROWS) {
    it(`${code}: ${marked.join(' ')}`, () => {
      const at = marked.findIndex((a) => a.includes('»'));
      const args = marked.map((a) => a.replace('»', ''));
      // The arguments are one line of text, separated by spaces: the mark's column there.
      const column = args.slice(0, at).reduce((n, a) => n + a.length + 1, 0) + marked[at]!.indexOf('»') + 1;
      const diags = new DiagnosticBag();
      importQemu(argsFromArgv(args), diags);
      const d = diags.items.find((x) => x.code === code);
      expect(d, JSON.stringify(diags.items.map((x) => [x.code, x.message]))).toBeDefined();
      expect(d!.message).toContain(`argument ${argNo} (`);
      expect(d!.message).toContain(text);
      expect([d!.span?.file, d!.span?.line, d!.span?.column]).toEqual(['<arguments>', 1, column]);
      expect(at + 1).toBe(argNo);
    });
  }

  it('a file of arguments: words split as a shell splits them, located at their line and column', () => {
    const diags = new DiagnosticBag();
    const text = "# from a launcher script\n-machine q35 \\\n  -device 'pcie-root-port,id=rp1,chassis=1,slot=1'\n-device e1000e,id=nic0,bus=rp1,addr=0x0,romfile=\n";
    const list = argsFromText('vm.args', text, () => undefined);
    expect(list.args.map((a) => a.text)).toEqual(['-machine', 'q35', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1', '-device', 'e1000e,id=nic0,bus=rp1,addr=0x0,romfile=']);
    const doc = importQemu(list, diags);
    expect(doc.devices.map((d) => d['id'])).toEqual(['rp1', 'nic0']);
    expect(diags.items.map((d) => [d.code, d.span?.line, d.span?.column, d.span?.length])).toEqual([['MD1701', 4, 41, 8]]);
  });

  it('an unclosed quote in a file is reported at the quote', () => {
    const problems: [number, number][] = [];
    argsFromText('vm.args', "-machine q35\n-device 'e1000e,id=nic0\n", (span) => problems.push([span.line, span.column]));
    expect(problems).toEqual([[2, 9]]);
  });
});

describe('machc import qemu on the command line', () => {
  beforeAll(requireBuiltCli);

  it('exits 1 with the argument shown, writes nothing; --lenient leaves the property out and writes the machine', async () => {
    const out = join(tmp, 'vm.yaml');
    const args = ['-machine', 'pc-q35-10.0', '-m', '2G', '-smp', '2', '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1,port=0x10,addr=0x2', '-netdev', 'user,id=n0', '-device', 'igb,id=nic0,bus=rp1,netdev=n0,mac=52:54:00:12:34:56'];
    const strict = await machcAsync(['import', 'qemu', '-o', out, '--', ...args]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error MD1701: argument 8 (port=0x10): machine files do not set the PCIe Port Number');
    expect(strict.stderr).toContain('^^^^^^^^^');
    expect(existsSync(out)).toBe(false);
    const lenient = await machcAsync(['import', 'qemu', '--lenient', '-o', out, '--', ...args]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('warning MD1701');
    expect(readFileSync(out, 'utf8')).toBe(
      [
        '# Imported by machc import qemu from a QEMU command line.',
        'chipset: q35',
        'qemu: "10.0"',
        'cpus: 2',
        'memory: 2 GiB',
        'devices:',
        '  - { id: rp1, model: pcie-root-port, addr: 2.0, chassis: 1, slot: 1 }',
        '  - { id: nic0, model: igb, bus: rp1, addr: 0.0, mac: 52:54:00:12:34:56, sriov: { vfs: 8 } }',
        '',
      ].join('\n'),
    );
    const shown = await machcAsync(['show', out]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('01:00.0');
  });

  it('relative image paths, which QEMU opens from its working directory, are written relative to the machine file', async () => {
    mkdirSync(join(tmp, 'vms'), { recursive: true });
    const r = await machcAsync(['import', 'qemu', '-o', join('vms', 'vm.yaml'), '--', '-drive', 'if=none,id=d0,file=disks/root.qcow2,format=qcow2', '-device', 'virtio-blk-pci,id=vda,drive=d0'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'vms', 'vm.yaml'), 'utf8')).toContain('image: ../disks/root.qcow2, format: qcow2');
    const out = await machcAsync(['import', 'qemu', '--', '-drive', 'if=none,id=d0,file=disks/root.qcow2', '-device', 'virtio-blk-pci,id=vda,drive=d0'], { cwd: tmp });
    expect(out.stdout).toContain('image: disks/root.qcow2');
  });

  it('reads a file of arguments with --file; a missing file is a usage error', async () => {
    const file = join(tmp, 'qemu.args');
    writeFileSync(file, '-machine q35\n-vga none\n-device bochs-display,id=video0,bus=pcie.0,addr=0x1\n');
    const r = await machcAsync(['import', 'qemu', '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('builtins: { display: none }');
    expect(r.stdout).toContain('- { id: video0, model: bochs-display, addr: 1.0 }');
    const missing = await machcAsync(['import', 'qemu', '--file', join(tmp, 'nope.args')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('MD0001');
    const none = await machcAsync(['import', 'qemu']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give the QEMU arguments after --');
  });
});
