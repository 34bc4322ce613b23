/**
 * `machc export libvirt` and `machc import libvirt`, end to end through the
 * CLI: every example machine is exported, the XML validates against
 * libvirt's own schema (virt-xml-validate), keeps every address machc
 * resolved, and imports back to the same resolved machine: the same
 * topology, BDFs, BARs, windows, memory map and boot order (`show --json`),
 * the same QEMU command line, and machc's own ACPI additions (acpi:, device
 * ASL, SSDTs). Then the diagnostics of the importer, at
 * their elements.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { portSlots, qemuCommand } from '../../compiler/emit/qemu/args.js';
import { importLibvirt } from '../../compiler/import/libvirt.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { SourceFile } from '../../compiler/source/source-file.js';
import { toCanonical } from '../../compiler/view/canonical.js';
import { machcAsync, requireBuiltCli, ROOT } from '../support/cli.js';
import { needTools } from '../support/tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-libvirt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** virt-xml-validate's verdict on a domain file, without blocking the test worker while it runs. */
function validateDomain(path: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile('virt-xml-validate', [path, 'domain'], { encoding: 'utf8' }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) || 1 : 0, output: `${stdout}${stderr}` });
    });
  });
}

const MACHINES = readdirSync(join(ROOT, 'machines')).filter((f) => f.endsWith('.yaml')).sort();

function resolved(path: string): ResolvedMachine & { ssdts: unknown[] } {
  const r = compileMachine(path);
  expect(r.diagnostics.items.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const ssdts = (r.description?.ssdts ?? []).map((t) => ('file' in t ? resolve(dirname(path), t.file) : t.asl.text));
  return { ...r.machine!, ssdts };
}

/** The resolved machine, less what names where it came from (its file, which addresses the file pinned). */
function comparable(m: ResolvedMachine & { ssdts: unknown[] }): unknown {
  const c = toCanonical(m) as Record<string, unknown>;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dirname(m.file), p));
  // Ports' chassis and slot are compared as QEMU gets them (slots, below): a file may leave them to machc.
  c['functions'] = (c['functions'] as Record<string, unknown>[]).map(({ address: _a, ...f }) => {
    if (f['bridge']) {
      const { chassis: _c, slot: _s, ...bridge } = f['bridge'] as Record<string, unknown>;
      f['bridge'] = bridge;
    }
    return f;
  });
  for (const k of ['sata', 'attached']) if (c[k]) c[k] = (c[k] as Record<string, unknown>[]).map((s) => (s['image'] ? { ...s, image: abs(String(s['image'])) } : s));
  // What QEMU is told (chassis and slot of every port included, image paths made absolute).
  const options = qemuCommand(m).options.map((o) => `${o.option} ${(o.value ?? '').replace(/(^|,)file=([^,]+)/, (_x, lead: string, f: string) => `${lead}file=${abs(f)}`)}`);
  // machc's own ACPI additions: device ASL and SSDTs (the acpi: choices are in the canonical form).
  const asl = m.devices.filter((d) => d.asl).map((d) => [d.id, d.asl!.text]);
  return { ...c, options, asl, ssdts: m.ssdts, slots: [...portSlots(m.devices)].sort((a, b) => a[0].localeCompare(b[0])) };
}

describe('machc export libvirt: every example machine, validated by libvirt and imported back', () => {
  beforeAll(requireBuiltCli);
  const validate = needTools('virt-xml-validate', 'xmllint');

  it('virt-xml-validate refuses what libvirt would refuse (the check can fail)', async () => {
    if (!validate) return;
    const bad = join(tmp, 'bad.xml');
    writeFileSync(bad, "<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><controller type='pci' index='1' model='pcie-bogus-port'/></devices></domain>\n");
    expect((await validateDomain(bad)).code).not.toBe(0);
  });

  for (const file of MACHINES) {
    const name = basename(file, '.yaml');
    it(`${name}: export, virt-xml-validate, import, the same resolved machine`, async () => {
      const machine = join(ROOT, 'machines', file);
      const xml = join(tmp, `${name}.xml`);
      const exported = await machcAsync(['export', 'libvirt', machine, '-o', xml]);
      expect(exported.code, exported.stderr).toBe(0);
      const text = readFileSync(xml, 'utf8');
      if (validate) {
        const v = await validateDomain(xml);
        expect(v.output).toContain('validates');
        expect(v.code).toBe(0);
      }
      // Every function machc placed is in the XML at its address, on the controller of its bus.
      const original = resolved(machine);
      const index = new Map<string, number>([['pcie.0', 0]]);
      original.pci.functions.filter((f) => f.bridge).forEach((f, i) => index.set(f.key, i + 1));
      for (const f of original.pci.functions) {
        if (f.role === 'vf' || f.role === 'chipset' || f.role === 'host-bridge') continue;
        const at = `bus='0x${index.get(f.busName)!.toString(16).padStart(2, '0')}' slot='0x${f.device.toString(16).padStart(2, '0')}' function='0x${f.fn}'`;
        const pinned = `bus=${f.busName === 'pcie.0' ? 'pcie.0' : `ua-${f.busName}`},addr=0x${f.device.toString(16)}${f.fn ? `.${f.fn}` : ''}`;
        expect(text.includes(at) || text.includes(pinned), `${f.key} at ${f.bdf}`).toBe(true);
      }
      const yaml = join(tmp, `${name}.yaml`);
      const imported = await machcAsync(['import', 'libvirt', xml, '-o', yaml]);
      expect(imported.code, imported.stderr).toBe(0);
      // Only the PCIe Port Numbers libvirt writes (0, machc's) would be reported; there is nothing to report.
      expect(imported.stderr).toBe(`${yaml}: written\n`);
      expect(comparable(resolved(yaml))).toEqual(comparable(original));
      // Byte-identical output for the same input.
      const again = await machcAsync(['export', 'libvirt', machine]);
      expect(again.stdout).toBe(text);
    });
  }
});

describe('export and import libvirt: the capture and fixture machines too (in process)', () => {
  const validate = needTools('virt-xml-validate', 'xmllint');
  const dir = join(ROOT, 'tests', 'fixtures', 'machines');
  // Every fixture machine that compiles (many-rootports-16 is a machine SeaBIOS cannot place, on purpose).
  // vfio-passthrough: export libvirt passes vfio-pci through as QEMU options, and the host function's description
  // (IDs, BARs), which only the machine file has, cannot come back from a domain.
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'vfio-passthrough.yaml' && !compileMachine(join(dir, f)).diagnostics.hasErrors).sort();
  it('has the fixtures', () => expect(files.length).toBeGreaterThanOrEqual(25));
  for (const file of files) {
    it(basename(file, '.yaml'), async () => {
      const xml = join(tmp, `fixture-${file}.xml`);
      const yaml = join(tmp, `fixture-${file}`);
      const out = bufferIo();
      expect(await main(['export', 'libvirt', join(dir, file), '-o', xml], out), out.stderr).toBe(0);
      if (validate) expect((await validateDomain(xml)).code).toBe(0);
      const back = bufferIo();
      expect(await main(['import', 'libvirt', xml, '-o', yaml], back), back.stderr).toBe(0);
      expect(back.stderr).toBe(`${yaml}: written\n`);
      expect(comparable(resolved(yaml))).toEqual(comparable(resolved(join(dir, file))));
    });
  }
});

/** Diagnostics of `machc import libvirt` on a domain (code, line, column, message). */
function importDiags(xml: string): { code: string; line?: number; column?: number; message: string }[] {
  const diags = new DiagnosticBag();
  importLibvirt(new SourceFile('domain.xml', xml), diags);
  return diags.items.map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column, message: d.message }));
}

const domain = (...devices: string[]) =>
  [
    "<domain type='kvm'>",
    '  <name>vm</name>',
    "  <memory unit='GiB'>1</memory>",
    "  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>",
    '  <devices>',
    ...devices.map((d) => `    ${d}`),
    '  </devices>',
    '</domain>',
    '',
  ].join('\n');

describe('machc import libvirt: each problem at its element', () => {
  it('not XML, or not a domain: MD1704 where the parser stopped', () => {
    const unclosed = importDiags("<domain type='kvm'>\n  <name>vm</name>\n");
    expect(unclosed.map((d) => [d.code, d.message])).toEqual([['MD1704', 'not well-formed XML: unclosed xml tag(s): domain']]);
    expect(importDiags('<network><name>default</name></network>\n').map((d) => [d.code, d.line, d.column, d.message])).toEqual([['MD1704', 1, 1, 'the root element is <network>, not a libvirt <domain>']]);
  });

  it('hardware machc does not model: MD1701 at the element; host-only elements: MD1702', () => {
    const xml = domain(
      '<emulator>/usr/bin/qemu-system-x86_64</emulator>',
      "<controller type='usb' model='qemu-xhci'/>",
      "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='3' slot='0' function='1'/></source></hostdev>",
      "<graphics type='vnc'/>",
      "<interface type='user'><model type='rtl8139'/></interface>",
    );
    expect(importDiags(xml).map((d) => [d.code, d.line, d.column])).toEqual([
      ['MD1702', 6, 5],
      ['MD1701', 7, 5],
      ['MD1701', 8, 5],
      ['MD1702', 9, 5],
      ['MD1701', 10, 5],
    ]);
    expect(importDiags(xml)[2]!.message).toContain('host devices passed through are not part of a machine description');
  });

  it('a device without an address, a bus index with no controller, an override of no device', () => {
    const xml = domain(
      "<interface type='user'><model type='e1000e'/></interface>",
      "<interface type='user'><model type='e1000e'/><address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/></interface>",
    ).replace('</devices>', "</devices>\n  <qemu:override xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:device alias='ua-x'/></qemu:override>");
    const d = importDiags(xml);
    expect(d.map((x) => [x.code, x.line])).toEqual([
      ['MD1701', 6],
      ['MD1703', 7],
      ['MD1703', 9],
    ]);
    expect(d[0]!.message).toContain('no <address>: libvirt would choose where it goes');
    expect(d[1]!.message).toContain('no PCI controller with index 5');
  });

  it("libvirt's own port numbers are reported at the controller (machc's PCIe Port Number is 0)", () => {
    const xml = domain(
      "<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='1' port='0x10'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></controller>",
    );
    expect(importDiags(xml).map((d) => [d.code, d.line, d.message])).toEqual([['MD1701', 6, "<controller type='pci' model='pcie-root-port' index='1'> (line 6): port=0x10: machine files do not set the PCIe Port Number (Link Capabilities); the guest sees 0"]]);
  });

  it('a domain as virsh dumpxml writes it imports with the devices at their addresses', async () => {
    const xml = domain(
      "<controller type='pci' index='0' model='pcie-root'/>",
      "<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='1' port='0x0'/><alias name='ua-rp1'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/></controller>",
      "<controller type='pci' index='2' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='2' port='0x0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/></controller>",
      "<interface type='network'><source network='default'/><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>",
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/vm.qcow2'/><target dev='vda' bus='virtio'/><boot order='1'/><address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></disk>",
      "<video><model type='vga' primary='yes'/><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></video>",
    );
    const path = join(tmp, 'dumpxml.xml');
    writeFileSync(path, xml);
    const r = await machcAsync(['import', 'libvirt', path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning MD1702: <interface type='network'> (line 9) is left out: the host side of the NIC (type='network')");
    expect(r.stdout).toBe(
      [
        '# Imported by machc import libvirt from dumpxml.xml.',
        'name: vm',
        'chipset: q35',
        'memory: 1 GiB',
        'devices:',
        '  - { id: rp1, model: pcie-root-port, addr: 2.0, multifunction: true, chassis: 1 }',
        '  - { id: pci-2, model: pcie-root-port, addr: 2.1, chassis: 2 }',
        '  - { id: net0, model: virtio-net, bus: rp1, addr: 0.0, mac: 52:54:00:aa:bb:cc }',
        '  - { id: disk0, model: virtio-blk, bus: pci-2, addr: 0.0, image: /var/lib/libvirt/images/vm.qcow2, format: qcow2 }',
        'boot: [disk0]',
        '',
      ].join('\n'),
    );
  });
});
