/**
 * One row per diagnostic code: the input, and (marked with ») where the
 * diagnostic must point. Every row asserts the code, the line and the column.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allEntries, RETIRED_CODES } from '../../compiler/diagnostics/catalog.js';
import { compileMachine } from '../../compiler/driver.js';
import { readLock } from '../../compiler/resolve/lock.js';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { compileText, findDiag, locateMark, render } from './helpers.js';

const rp = (id: string, extra = '') => `  - { id: ${id}, model: pcie-root-port${extra} }`;

/** [code, marked YAML]. */
const ROWS: [string, string][] = [
  ['MD0003', '»# nothing but a comment\n'],
  ['MD0005', 'chipset: q35\ndevices: »[ { id: a, model: e1000e }\nmemory: 1 GiB\n'],
  ['MD0006', 'chipset: q35\n»chipset: q35\n'],
  ['MD0007', `a: &a [${'x, '.repeat(9_999)}x]\nb: »*a\nchipset: q35\n`],
  ['MD0008', 'chipset: q35\n»---\nchipset: q35\n'],
  ['MD0009', 'chipset: q35\ndevices:\n  - »!nic { id: a, model: e1000e }\n'],
  ['MD0010', '»- chipset: q35\n'],
  ['MD1001', 'chipset: q35\ndevices:\n  - »id: disk0\n    model: virtio-blk\n'],
  ['MD1002', 'chipset: q35\n»memroy: 1 GiB\n'],
  ['MD1003', 'chipset: q35\nbuiltins:\n  sata: »yes\n'],
  ['MD1004', 'chipset: q35\ndevices:\n  - { id: nic0, model: »e1000x }\n'],
  ['MD1005', 'chipset: q35\nbuiltins: { display: »cirrus }\n'],
  ['MD1006', 'chipset: q35\ndevices:\n  - { id: »0nic, model: e1000e }\n'],
  ['MD1101', 'chipset: q35\nmemory: 2 GiB »)\n'],
  ['MD1102', 'chipset: q35\nmemory: »99999999999999999999 GiB\n'],
  ['MD1103', 'chipset: q35\nmemory: »1 GiB - 2 GiB\n'],
  ['MD1104', 'chipset: q35\nmemory: »00:1c.2\n'],
  ['MD1105', 'chipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, chassis: »300, slot: 1 }\n'],
  ['MD1106', 'chipset: q35\nmemory: 1 GiB / »0\n'],
  ['MD1107', 'chipset: q35\nmemory: »1000 KiB\n'],
  ['MD1108', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, mac: »01:00:5e:00:00:01 }\n'],
  ['MD1109', 'chipset: q35\ndevices:\n  - { id: nvme0, model: nvme, serial: »"x\\n-s\\n-S" }\n'],
  ['MD1110', 'chipset: q35\ndevices:\n  - { id: d0, model: virtio-blk, image: »nbd://host/disk }\n'],
  ['MD1201', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e }\n  - { id: »nic0, model: e1000e }\n'],
  ['MD1202', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, bus: »rp9 }\n'],
  ['MD1203', 'chipset: q35\ndevices:\n  - { id: a, model: e1000e, addr: 3.0 }\n  - { id: b, model: e1000e, addr: »3.0 }\n'],
  ['MD1204', 'chipset: q35\ndevices:\n  - { id: a, model: e1000e, addr: »3.1 }\n'],
  ['MD1205', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: sw0, model: x3130-upstream, bus: rp1 }\n  - { id: nic0, model: e1000e, bus: »sw0 }\n`],
  ['MD1206', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: nic0, model: e1000, bus: »rp1 }\n`],
  ['MD1207', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, removable: »true }\n'],
  ['MD1208', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n${rp('rp2', ', chassis: 1, slot: »1')}\n`],
  ['MD1209', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: nic0, model: e1000e, bus: rp1, addr: »1.0 }\n`],
  ['MD1210', 'chipset: q35\ndevices:\n  - { id: a, model: e1000e, addr: 3.0, multifunction: »false }\n  - { id: b, model: e1000e, addr: 3.1 }\n'],
  ['MD1211', 'chipset: q35\ndevices:\n  - { id: sw0, model: x3130-upstream, bus: »sw0 }\n'],
  ['MD1212', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, addr: »1f.4 }\n'],
  ['MD1213', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e }\n  - { id: nic1, model: e1000e, bus: »nic0 }\n'],
  ['MD1214', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: br, model: pcie-pci-bridge, bus: rp1 }\n  - { id: nic0, model: e1000, bus: br, addr: »0.0 }\n`],
  ['MD1215', 'chipset: q35\nbuiltins: { lpc: »false }\n'],
  ['MD1216', 'chipset: q35\ndevices:\n  - { id: d0, model: sata-disk, image: a.raw, port: 2 }\n  - { id: d1, model: sata-disk, image: b.raw, port: »2 }\n'],
  ['MD1217', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\nboot: [»rp1]\n`],
  ['MD1218', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1, hotplug: false')}\n  - { id: nic0, model: e1000e, bus: rp1, removable: »true }\n`],
  ['MD1219', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: br, model: pcie-pci-bridge, bus: rp1 }\n${Array.from({ length: 31 }, (_, i) => `  - { id: n${i}, model: e1000, bus: br }`).join('\n')}\n  - { id: last, model: e1000, bus: »br }\n`],
  ['MD1220', 'chipset: q35\ndevices:\n  - { id: a, model: e1000e, addr: 5.1 }\n  - { id: pf, model: nvme, addr: 5.0, serial: X, image: a.raw, sriov: { total-vfs: 4, vfs: »4 } }\n'],
  ['MD1222', 'chipset: q35\ndevices:\n  - { id: n, model: nvme, serial: s, namespaces: [{ image: a.raw, nsid: 2 }, { image: b.raw, nsid: »2 }] }\n'],
  ['MD1226', 'chipset: q35\ndevices:\n  - { id: b0, model: virtio-balloon }\n  - { id: b1, model: »virtio-balloon }\n'],
  ['MD1227', 'chipset: q35\ndevices:\n  - { id: s0, model: virtio-serial, ports: [{ id: c0, name: org.qemu.guest_agent.0 }] }\n  - { id: s1, model: virtio-serial, ports: [{ id: c1, name: »org.qemu.guest_agent.0 }] }\n'],
  ['MD1229', 'chipset: q35\ndevices:\n  - { id: scsi0, model: virtio-scsi }\n  - { id: cd0, model: scsi-cd, bus: scsi0, target: 2 }\n  - { id: cd1, model: scsi-cd, bus: scsi0, target: »2 }\n'],
  ['MD1205', 'chipset: q35\ndevices:\n  - { id: scsi0, model: virtio-scsi }\n  - { id: d0, model: scsi-hd, image: d0.img, bus: »pcie.0 }\n'],
  ['MD1205', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: d0, model: scsi-hd, image: d0.img, bus: »rp1 }\n`],
  ['MD1205', 'chipset: q35\ndevices:\n  - { id: scsi0, model: virtio-scsi }\n  - { id: nic0, model: e1000e, bus: »scsi0 }\n'],
  ['MD1229', 'chipset: q35\ndevices:\n  - { id: x0, model: qemu-xhci }\n  - { id: k0, model: usb-kbd, bus: x0 }\n  - { id: k1, model: usb-kbd, bus: x0 }\n  - { id: k2, model: usb-kbd, bus: x0 }\n  - { id: t0, model: usb-tablet, bus: x0 }\n  - { id: »t1, model: usb-tablet, bus: x0 }\n'],
  ['MD1205', 'chipset: q35\ndevices:\n  - { id: scsi0, model: virtio-scsi }\n  - { id: t0, model: usb-tablet, bus: »scsi0 }\n'],
  ['MD1231', 'chipset: q35\ndevices:\n  - { id: g, model: vfio-pci, host: 0000:65:00.0, vendor-id: 1, device-id: 2, bars: [{ index: 0, size: »24 MiB }] }\n'],
  ['MD1231', 'chipset: q35\ndevices:\n  - { id: g, model: vfio-pci, host: 0000:65:00.0, vendor-id: 1, device-id: 2, bars: [{ index: 0, kind: mem64, size: 16 MiB }, { index: »1, size: 4 KiB }] }\n'],
  ['MD1231', 'chipset: q35\ndevices:\n  - { id: g, model: vfio-pci, host: 0000:65:00.0, vendor-id: 1, device-id: 2, bars: [{ index: 2, kind: io, size: »1 KiB }] }\n'],
  ['MD1228', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: gpu, model: virtio-gpu, bus: rp1, removable: »true }\n`],
  ['MD1221', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1, bus-reserve: »1')}\n  - { id: sw, model: x3130-upstream, bus: rp1 }\n  - { id: p0, model: xio3130-downstream, bus: sw, chassis: 2, slot: 0 }\n`],
  ['MD1223', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: a, model: e1000e, bus: rp1 }\n  - { id: b, model: e1000e, bus: »rp1 }\n`],
  ['MD1224', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: »sw0, model: x3130-upstream, bus: rp1 }\n`],
  ['MD1313', `chipset: q35\ndevices:\n${Array.from({ length: 6 }, (_, i) => `  - { id: d${i}, model: sata-disk, image: d${i}.raw }`).join('\n')}\n  - »{ id: d6, model: sata-cdrom, image: cd.iso }\n`],
  ['MD1301', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1, bus-reserve: 200')}\n${rp('rp2', ', chassis: 1, slot: 2, bus-reserve: 100')}\n`.replace('devices:', '»devices:')],
  ['MD1302', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: sw, model: x3130-upstream, bus: rp1 }\n${Array.from({ length: 32 }, (_, i) => `  - { id: p${i}, model: xio3130-downstream, bus: sw, chassis: 2, slot: ${i} }`).join('\n')}\n  - { id: p32, model: xio3130-downstream, bus: »sw, chassis: 2, slot: 32 }\n`],
  ['MD1314', `chipset: q35
qemu: "11.1"
devices:
${rp('rp1', ', chassis: 1, slot: 1')}
  - { id: nic0, model: virtio-net, bus: rp1, sriov: { total-vfs: »8, vfs: 2, vf-offset: 250 } }
`],
  ['MD1305', 'chipset: q35\ndevices:\n  - { id: pf, model: nvme, serial: X, image: a.raw, sriov: { total-vfs: 4, vfs: »5 } }\n'],
  ['MD1306', `chipset: q35\n»devices:\n${Array.from({ length: 16 }, (_, i) => `${rp(`rp${i}`, `, chassis: 1, slot: ${i}`)}\n  - { id: nic${i}, model: e1000e, bus: rp${i} }`).join('\n')}\n`],
  ['MD1307', `chipset: q35\n»devices:\n${Array.from({ length: 5 }, (_, i) => rp(`rp${i}`, `, chassis: 1, slot: ${i}, mem-reserve: 256 MiB`)).join('\n')}\n`],
  ['MD1308', 'chipset: q35\nmemory: »2 TiB\n'],
  ['MD1309', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, sriov: »{ vfs: 2 } }\n'],
  ['MD1310', 'chipset: q35\ncpus: { count: »5, sockets: 2, cores: 2 }\n'],
  ['MD1311', 'chipset: q35\ncpus: 2\nmemory: 2 GiB\nnuma:\n  - »{ id: n0, cpus: [0], memory: 1 GiB }\n  - { id: n1, cpus: [1], memory: 512 MiB }\n'],
  ['MD1230', 'chipset: q35\ndevices:\n  - { id: pxb0, model: pxb-pcie, bus-nr: 0x40 }\n  - { id: pxb1, model: pxb-pcie, bus-nr: »0x40 }\n'],
  ['MD1319', `chipset: q35\ndevices:\n  - { id: pxb0, model: pxb-pcie, bus-nr: 2 }\n  - { id: pxb1, model: pxb-pcie, bus-nr: »3 }\n  - { id: rp1, model: pcie-root-port, bus: pxb0, chassis: 1, slot: 1 }\n  - { id: rp2, model: pcie-root-port, bus: pxb0, chassis: 1, slot: 2 }\n`],
  ['MD1312', 'chipset: q35\nqemu: "10.0"\ndevices:\n  - { id: nic0, model: igb, sriov: { total-vfs: »4, vfs: 2 } }\n'],
  ['MD1315', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: pf, model: nvme, bus: rp1, serial: X, image: a.raw, sriov: { total-vfs: 4, vfs: 2, vq-flexible: »6 } }\n`],
  ['MD1316', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n${rp('rp2', ', chassis: 1, slot: 2')}\n  - { id: nic0, model: e1000e, bus: rp1, acpi-index: 7 }\n  - { id: nic1, model: e1000e, bus: rp2, acpi-index: »7 }\n`],
  ['MD1317', `chipset: q35\nqemu: "10.0"\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: sw, model: x3130-upstream, bus: rp1, acpi-index: »9 }\n`],
  ['MD1318', `chipset: q35\ndevices:\n${rp('rp1', ', chassis: 1, slot: 1')}\n${rp('rp2', ', chassis: 1, slot: 2')}\n  - { id: a, model: nvme, bus: rp1, serial: S1, image: a.raw, nqn: sub }\n  - { id: b, model: nvme, bus: rp2, serial: »S2, namespaces: [{ nsid: 2, image: b.raw }], nqn: sub }\n`],
  ['MD1601', 'chipset: q35\ndevices:\n  - { id: nic0, model: »igb }\n'],
  ['MD1602', 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, acpi-index: »3 }\n'],
];

describe('every diagnostic points where it should', () => {
  for (const [code, marked] of ROWS) {
    it(code, () => {
      const { text, line, column } = locateMark(marked);
      const result = compileText(text);
      const d = findDiag(result, code);
      expect(d, `expected ${code}, got:\n${render(result)}`).toBeDefined();
      expect(d!.span, render(result)).toBeDefined();
      expect({ line: d!.span!.line, column: d!.span!.column }, render(result)).toEqual({ line, column });
    });
  }

  it('MD0001: a missing file is reported for the path, with no made-up position in it', () => {
    const r = compileMachine('/nonexistent/machine.yaml');
    const d = findDiag(r, 'MD0001')!;
    expect(d.message).toContain('no such file');
    expect(d.file).toBe('/nonexistent/machine.yaml');
    expect(d.span).toBeUndefined();
  });

  it('MD0002: bad UTF-8 points at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('chipset: q35\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const d = findDiag(compileText(bytes), 'MD0002')!;
    expect([d.span?.line, d.span?.column]).toEqual([2, 10]);
  });

  it('MD0004: oversized input is refused before parsing', () => {
    const d = findDiag(compileText(new Uint8Array(512 * 1024 + 1)), 'MD0004')!;
    // About the whole file: no position in it.
    expect(d.span).toBeUndefined();
    expect(d.file).toBeDefined();
  });

  it('MD0006: names the whole duplicated key and underlines it, plain, quoted or in a flow mapping', () => {
    const r = compileText('chipset: q35\nmemory: 1 GiB\n"memory": 2 GiB\ndevices:\n  - { id: a, model: e1000e, id: b }\n');
    expect(r.diagnostics.items.filter((d) => d.code === 'MD0006').map((d) => [d.message, d.span?.line, d.span?.column, d.span?.length])).toEqual([
      ["key 'memory' appears twice in the same mapping", 3, 1, 8],
      ["key 'id' appears twice in the same mapping", 5, 29, 2],
    ]);
  });
});

describe('lockfile diagnostics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'machc-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  const machine = (body: string) => `chipset: q35\ndevices:\n${body}`;
  const writeLockFile = (name: string, entries: string) => {
    const lockPath = join(dir, `${name}.yaml.lock`);
    writeFileSync(lockPath, `lock-version: 1\nmachine: ${name}\ndevices:\n${entries}\n`);
    return lockPath;
  };

  it('MD1401: a locked address taken by an explicit one', () => {
    const lockPath = join(dir, 'a.yaml.lock');
    writeFileSync(lockPath, "lock-version: 1\nmachine: a\ndevices:\n  rp1: { bus: pcie.0, addr: '02.0', secondary-bus: 1 }\n");
    const lock = readLock(lockPath, new DiagnosticBag())!;
    const { text, line, column } = locateMark(machine(`${rp('rp1', ', chassis: 1, slot: 1')}\n${rp('rp2', ', chassis: 1, slot: 2, addr: »2.0')}\n`));
    const d = findDiag(compileText(text, { lock }), 'MD1401')!;
    expect(d).toBeDefined();
    expect([d.span?.line, d.span?.column]).toEqual([line, column]);
    expect(d.notes[0]?.span?.file).toBe(lockPath);
  });

  it('MD1401: a locked address the chipset owns is located at the lock entry, in words that read', () => {
    const lockPath = join(dir, 'd.yaml.lock');
    writeFileSync(lockPath, "lock-version: 1\nmachine: d\ndevices:\n  nic0: { bus: pcie.0, addr: '1f.0' }\n");
    const lock = readLock(lockPath, new DiagnosticBag())!;
    const d = findDiag(compileText(machine('  - { id: nic0, model: e1000e }\n'), { lock }), 'MD1401')!;
    expect(d.message).toBe("nic0 is locked at 1f.0, but that is the address of the chipset's built-in lpc");
    expect([d.span?.file, d.span?.line, d.span?.column]).toEqual([lockPath, 4, 3]);
    const e = findDiag(compileText(machine(`${rp('rp1', ', chassis: 1, slot: 1, addr: 2.0')}\n${rp('rp2', ', chassis: 1, slot: 2')}\n`), { lock: readLock(writeLockFile('e', "  rp2: { bus: pcie.0, addr: '02.0' }"), new DiagnosticBag())! }), 'MD1401');
    expect(e?.message ?? '').toBe('rp2 is locked at 02.0, but rp1 now takes that address');
  });

  it('MD1402: a pin that breaks the rules an addr obeys (an endpoint at 05.0 behind a downstream port)', () => {
    const lockPath = writeLockFile('f', "  sw: { bus: rp1, addr: '00.0', secondary-bus: 2 }\n  p0: { bus: sw, addr: '00.0', secondary-bus: 3 }\n  nic0: { bus: p0, addr: '05.0' }");
    const lock = readLock(lockPath, new DiagnosticBag())!;
    const text = machine(`${rp('rp1', ', chassis: 1, slot: 1')}\n  - { id: sw, model: x3130-upstream, bus: rp1 }\n  - { id: p0, model: xio3130-downstream, bus: sw, chassis: 2, slot: 0 }\n  - { id: nic0, model: e1000e, bus: p0 }\n`);
    const r = compileText(text, { lock });
    const d = findDiag(r, 'MD1402')!;
    expect(d.message).toContain('nic0 is pinned at 05.0, but p0 is a PCIe link, which has only device 0');
    expect([d.span?.file, d.span?.line]).toEqual([lockPath, 6]);
    expect(r.machine).toBeUndefined();
  });

  it('expander bridges: bus-nr, NUMA node, what sits where, and bus numbers that run into the next root bus', () => {
    const codes = (text: string) => compileText(text).diagnostics.items.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`);
    const numa = 'cpus: 2\nmemory: 1 GiB\nnuma:\n  - { id: n0, cpus: [0], memory: 512 MiB }\n  - { id: n1, cpus: [1], memory: 512 MiB }\n';
    const m = (devices: string, head = '') => `chipset: q35\n${head}devices:\n${devices}`;
    const pxb = (extra: string) => `  - { id: pxb0, model: pxb-pcie${extra} }\n`;
    const port = (id: string, bus: string, slot: number) => `  - { id: ${id}, model: pcie-root-port, bus: ${bus}, chassis: 9, slot: ${slot} }\n`;
    expect(codes(m(pxb(', bus-nr: 0x40, numa-node: n1') + port('rp1', 'pxb0', 1), numa))).toEqual([]);
    expect(codes(m(pxb('')))).toEqual(['MD1230 expander bridge pxb0: it needs bus-nr, the number of the root bus it opens (1-255)']);
    expect(codes(m(pxb(', bus-nr: 0')))).toEqual(['MD1230 expander bridge pxb0: bus 0 is pcie.0']);
    expect(codes(m(pxb(', bus-nr: 0x40, numa-node: n2'), numa))).toEqual(["MD1202 no NUMA node named 'n2'"]);
    expect(codes(m(pxb(', bus-nr: 0x40, numa-node: n0')))).toEqual(["MD1202 no NUMA node named 'n0'"]);
    // Its bus takes root ports only, and it sits on pcie.0 only.
    expect(codes(m(pxb(', bus-nr: 0x40') + '  - { id: nic0, model: e1000e, bus: pxb0 }\n'))).toEqual([
      'MD1205 nic0 (e1000e) cannot sit on pxb0: a PCIe expander bus takes only root ports (pcie-root-port, ioh3420): put the device behind one',
    ]);
    expect(codes(m(port('rp1', 'pcie.0', 1) + '  - { id: pxb0, model: pxb-pcie, bus: rp1, bus-nr: 0x40 }\n'))).toEqual([
      'MD1205 pxb0 (pxb-pcie) cannot sit on rp1: an expander bridge sits on the root bus pcie.0',
    ]);
    expect(codes(m(pxb(', bus-nr: 0x40') + '  - { id: io0, model: ioh3420, bus: pxb0, chassis: 9, slot: 1 }\n'))).toEqual([]);
    // pcie.0's buses 1-2 reach bus-nr 2; an expander's run into the next one's.
    expect(codes(m(port('a', 'pcie.0', 1) + port('b', 'pcie.0', 2) + pxb(', bus-nr: 2')))).toEqual(['MD1319 the buses of pcie.0 reach 0x02, which is the root bus of pxb0 or past it (bus-nr 0x02)']);
    expect(codes(m(port('a', 'pcie.0', 1) + pxb(', bus-nr: 2')))).toEqual([]);
    expect(codes(m(pxb(', bus-nr: 0x10') + port('a', 'pxb0', 1) + '  - { id: pxb1, model: pxb-pcie, bus-nr: 0x11 }\n'))).toEqual([
      "MD1319 the buses of pxb0's root bus 0x10 reach 0x11, which is the root bus of pxb1 or past it (bus-nr 0x11)",
    ]);
  });

  it('MD1201: a built-in id says it is built in (no "line 0")', () => {
    const d = findDiag(compileText(machine('  - { id: ahci, model: e1000e }\n')), 'MD1201')!;
    expect(d.message).toBe("id 'ahci' is the name of a built-in part of the Q35 chipset");
  });

  it('accepted by machc, refused by QEMU 7.2: now diagnosed', () => {
    const codes = (text: string) => compileText(text).diagnostics.items.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`);
    const nvme = (ns: string, extra = '') => machine(`  - { id: n, model: nvme, serial: s${extra}, namespaces: [${ns}] }\n`);
    expect(codes(nvme('{ image: a.raw, nsid: 3 }, { image: b.raw, nsid: 2 }, { image: c.raw }'))).toEqual(['MD1222 nsid 3 of n is already taken (line 3)']);
    expect(codes(nvme(Array.from({ length: 257 }, (_, i) => `{ image: i${i}.raw }`).join(', ')))).toEqual(["MD1222 namespace 257 of n would take nsid 257; QEMU's nvme has nsids 1-256"]);
    expect(codes(nvme('{ image: a.raw }', ', image: b.raw'))).toEqual(['MD1222 n has both an image and namespaces; give the image as a namespace instead']);
    const numa = Array.from({ length: 129 }, (_, i) => `  - { id: node${i}, cpus: [${i}], memory: 8 MiB }`).join('\n');
    expect(codes(`chipset: q35\ncpus: 129\nmemory: ${129 * 8} MiB\nnuma:\n${numa}\n`)).toEqual(['MD1311 NUMA nodes do not match the machine: QEMU supports at most 128 NUMA nodes, this machine has 129']);
    const sata = (n: number, port = '') => machine(Array.from({ length: n }, (_, i) => `  - { id: d${i}, model: sata-disk, image: d${i}.raw${i === 0 ? port : ''} }\n`).join(''));
    expect(codes(sata(6))).toEqual([]);
    expect(codes(sata(7)).map((c) => c.slice(0, 6))).toEqual(['MD1313']);
    expect(codes(sata(6, ', port: 5'))).toEqual([]);
  });

  it('MD1402: a damaged lockfile', () => {
    const lockPath = join(dir, 'b.yaml.lock');
    writeFileSync(lockPath, 'lock-version: 1\nmachine: b\ndevices:\n  rp1: { bus: pcie.0, addr: 99.9 }\n');
    const bag = new DiagnosticBag();
    expect(readLock(lockPath, bag)).toBeUndefined();
    const d = bag.items.find((x) => x.code === 'MD1402')!;
    expect([d.span?.line, d.span?.column]).toEqual([4, 29]);
  });

  it('MD1403: a new bridge would renumber a locked one', () => {
    const lockPath = join(dir, 'c.yaml.lock');
    writeFileSync(lockPath, "lock-version: 1\nmachine: c\ndevices:\n  rp2: { bus: pcie.0, addr: '03.0', secondary-bus: 1 }\n");
    const lock = readLock(lockPath, new DiagnosticBag())!;
    const { text, line, column } = locateMark(
      machine(`  - »{ id: rp2, model: pcie-root-port, chassis: 1, slot: 2, addr: 3.0 }\n${rp('rp1', ', chassis: 1, slot: 1, addr: 2.0')}\n`),
    );
    const d = findDiag(compileText(text, { lock }), 'MD1403')!;
    expect(d, 'expected MD1403').toBeDefined();
    expect([d.span?.line, d.span?.column]).toEqual([line, column]);
    expect(d.notes[0]?.message).toContain('rp1 is new');
  });
});

describe('the catalog', () => {
  it('has unique codes and names, in their ranges', () => {
    const entries = allEntries();
    expect(new Set(entries.map((e) => e.code)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    for (const e of entries) expect(e.code).toMatch(/^MD(00|1[0-7])\d\d$/);
    for (const r of RETIRED_CODES) expect(entries.map((e) => e.code)).not.toContain(r);
  });

  it('every code is exercised by a test in this file', () => {
    // MD15xx (ASL) are exercised row by row in tests/asl/errors.test.ts and tests/build/asl.test.ts; MD1111 (images on disk)
    // in tests/compiler/explain-examples.test.ts, like every code; MD17xx (machc import) at their arguments and elements in tests/import/.
    const asl = allEntries().map((e) => e.code).filter((c) => c.startsWith('MD15') || c.startsWith('MD17'));
    const tested = new Set([...ROWS.map((r) => r[0]), 'MD0001', 'MD0002', 'MD0004', 'MD1401', 'MD1402', 'MD1403', 'MD1304', 'MD1111', ...asl]);
    const untested = allEntries().map((e) => e.code).filter((c) => !tested.has(c));
    expect(untested).toEqual([]);
  });
});
