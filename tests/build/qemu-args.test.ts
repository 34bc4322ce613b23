/**
 * qemu.args: golden files for the example machines, and for every capture
 * the same devices, buses, addresses and properties as the command line the
 * capture was really taken with.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { parseQemuArgs, qemuAddr, qemuCommand, qemuSize, renderQemuArgs } from '../../compiler/emit/qemu/args.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { captureCases, ROOT } from './machines.js';
import type { TargetVersion } from '../../compiler/model/target.js';

function argsOf(path: string, qemu?: TargetVersion): { machine: ResolvedMachine; text: string } {
  const r = compileMachine(path, { qemu });
  if (!r.machine) throw new Error(`${path}: ${r.diagnostics.sorted().map((d) => d.message).join('; ')}`);
  return { machine: r.machine, text: renderQemuArgs(qemuCommand(r.machine), r.machine, path.split('/').pop()!) };
}

interface Opt {
  readonly driver: string;
  readonly props: Map<string, string>;
}

/** `driver,k=v,...` with QEMU's `,,` escape. */
function parseOpt(value: string): Opt {
  const parts = value.split(/,(?!,)/).reduce<string[]>((acc, p) => {
    if (acc.length && acc[acc.length - 1]!.endsWith(',')) acc[acc.length - 1] += `,${p}`;
    else acc.push(p);
    return acc;
  }, []);
  const [driver, ...rest] = parts;
  return { driver: driver!, props: new Map(rest.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string])) };
}

function options(argv: readonly string[], name: string): Opt[] {
  const out: Opt[] = [];
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === name) out.push(parseOpt(argv[i + 1]!));
  return out;
}

/** addr=0x1c / 0x1c.0 / 0x1c.2 as devfn. */
const devfn = (addr: string | undefined) => {
  if (addr === undefined) return undefined;
  const [d, f] = addr.split('.');
  return parseInt(d!, 16) * 8 + (f === undefined ? 0 : parseInt(f, 16));
};

const SIZE_UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const bytesOf = (s: string) => {
  const m = /^(\d+)([KMGT])?B?$/.exec(s)!;
  return Number(m[1]) * (m[2] ? SIZE_UNITS[m[2]]! : 2 ** 20);
};

describe('qemu.args of the example machines (golden)', () => {
  const examples = readdirSync(join(ROOT, 'machines')).filter((f) => f.endsWith('.yaml')).sort();
  for (const f of examples) {
    it(f, async () => {
      const { text } = argsOf(join(ROOT, 'machines', f));
      await expect(text).toMatchFileSnapshot(`__snapshots__/qemu-args/${f.replace(/\.yaml$/, '.args')}`);
    });
  }
});

describe('qemu.args against the command lines of the captures', () => {
  // Topologies that stop SeaBIOS (many-rootports-16) are refused by machc: tests/build/firmware-plan.test.ts checks those.
  const cases = captureCases().filter((c) => c.name.startsWith('captures/') && existsSync(join(c.dir, 'qemu.args')) && compileMachine(c.machine, { qemu: c.target }).machine);
  for (const c of cases) {
    it(c.name, () => {
      const { machine, text } = argsOf(c.machine, c.target);
      const ours = parseQemuArgs(text);
      const theirs = parseQemuArgs(readFileSync(join(c.dir, 'qemu.args'), 'utf8'));

      // Machine-level options.
      const mach = (argv: string[]) => {
        const m = options(argv, '-machine')[0]!;
        return { type: m.driver, sata: m.props.get('sata') ?? 'on', smbus: m.props.get('smbus') ?? 'on' };
      };
      // machc names the target's versioned machine type; a capture that says q35 means the same one.
      expect(mach(ours)).toEqual({ ...mach(theirs), type: mach(theirs).type === 'q35' ? machine.qemu.machineType : mach(theirs).type });
      expect(mach(ours).type).toBe(machine.qemu.machineType);
      // The capture harness boots with -m 512M unless the topology says otherwise.
      const mem = theirs.includes('-m') ? bytesOf(theirs[theirs.indexOf('-m') + 1]!) : 512 * 2 ** 20;
      expect(bytesOf(ours[ours.indexOf('-m') + 1]!)).toBe(mem);
      const vga = theirs.includes('-vga') ? theirs[theirs.indexOf('-vga') + 1] : 'std';
      expect(ours[ours.indexOf('-vga') + 1]).toBe(vga);
      const smp = theirs.includes('-smp') ? parseOpt(theirs[theirs.indexOf('-smp') + 1]!) : undefined;
      const ourSmp = parseOpt(ours[ours.indexOf('-smp') + 1]!);
      expect(ourSmp.driver).toBe(smp?.driver ?? '1');
      for (const [k, v] of smp?.props ?? []) expect(ourSmp.props.get(k), `-smp ${k}`).toBe(v);
      expect(options(ours, '-numa').length).toBe(options(theirs, '-numa').length);

      // Every device the capture names by id, with the same driver, place and properties.
      const byId = new Map(options(ours, '-device').filter((o) => o.props.has('id')).map((o) => [o.props.get('id')!, o]));
      const named = options(theirs, '-device').filter((o) => o.props.has('id') && o.driver !== 'nvme-subsys');
      expect(named.length).toBeGreaterThanOrEqual(0);
      for (const t of named) {
        const id = t.props.get('id')!;
        const o = byId.get(id);
        expect(o, `our qemu.args has no -device with id=${id}`).toBeDefined();
        expect(o!.driver, id).toBe(t.driver);
        expect(o!.props.get('bus'), `${id} bus`).toBe(t.props.get('bus'));
        expect(devfn(o!.props.get('addr')), `${id} addr`).toBe(devfn(t.props.get('addr')));
        for (const k of ['chassis', 'slot', 'multifunction', 'hotplug', 'mac', 'serial', 'acpi-index', 'sriov_max_vfs', 'sriov_vq_flexible', 'sriov_vi_flexible']) {
          expect(o!.props.get(k), `${id} ${k}`).toBe(t.props.get(k));
        }
        // The queue and vector budget: as the capture gives it, or QEMU's default where it gives none.
        for (const [k, dflt] of [['max_ioqpairs', '64'], ['msix_qsize', '65']] as const) {
          if (t.driver === 'nvme') expect(o!.props.get(k) ?? dflt, `${id} ${k}`).toBe(t.props.get(k) ?? dflt);
        }
      }
      // nvme subsystems: the same grouping of controllers, with the same NQN.
      const subsysOf = (argv: string[]) => {
        const nqn = new Map(options(argv, '-device').filter((o) => o.driver === 'nvme-subsys').map((o) => [o.props.get('id')!, o.props.get('nqn') ?? `(id ${o.props.get('id')})`]));
        return options(argv, '-device').filter((o) => o.driver === 'nvme' && o.props.has('subsys')).map((o) => [o.props.get('id'), nqn.get(o.props.get('subsys')!)?.startsWith('(id') ? 'own' : nqn.get(o.props.get('subsys')!)]);
      };
      expect(subsysOf(ours).filter(([, n]) => n !== 'own')).toEqual(subsysOf(theirs).filter(([, n]) => n !== 'own'));
    });
  }
});

describe('qemu.args details', () => {
  it('addresses and sizes read the way QEMU parses them', () => {
    expect([qemuAddr(0x1c, 0), qemuAddr(0x1c, 2), qemuAddr(0, 0)]).toEqual(['0x1c', '0x1c.2', '0x0']);
    expect([qemuSize(512 * 2 ** 20), qemuSize(4 * 2 ** 30), qemuSize(1536 * 2 ** 20), qemuSize(4096 + 512)]).toEqual(['512M', '4G', '1536M', '4608B']);
  });

  it('parses back: comments dropped, each line split at its first space', () => {
    expect(parseQemuArgs('# QEMU >= 7.2\n-machine q35\n\n-drive if=none,file=my disk.raw\n-nodefaults\n')).toEqual(['-machine', 'q35', '-drive', 'if=none,file=my disk.raw', '-nodefaults']);
  });

  it('names the QEMU release a machine needs, and why', () => {
    expect(argsOf(join(ROOT, 'machines', 'sriov-igb.yaml')).text.split('\n').slice(0, 3)).toEqual([
      '# QEMU 10.0 (pc-q35-10.0) for machine sriov-igb (sriov-igb.yaml); one option per line',
      '# machine type pc-q35-10.0 needs QEMU >= 10.0',
      '# igb needs QEMU >= 8.0 (uplink0, uplink1)',
    ]);
    expect(argsOf(join(ROOT, 'machines', 'q35-default.yaml')).text.split('\n')[0]).toBe('# QEMU 7.2 (pc-q35-7.2) for machine q35-default (q35-default.yaml); one option per line');
    expect(argsOf(join(ROOT, 'machines', 'q35-default.yaml'), '11.1').text).toContain('\n-machine pc-q35-11.1\n');
  });

  it('virtio-net SR-IOV: every VF as a function naming its PF, before the PF, and QEMU >= 10.1', () => {
    const text = `chipset: q35
qemu: "11.1"
devices:
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
  - { id: vnet, model: virtio-net, bus: rp1, mac: 52:54:00:00:00:10, sriov: { total-vfs: 3, vfs: 2 } }
`;
    const r = compileMachine(join(ROOT, 'virtio-sriov.yaml'), { text });
    expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const out = renderQemuArgs(qemuCommand(r.machine!), r.machine!, 'virtio-sriov.yaml');
    expect(out.split('\n').filter((l) => /^(# QEMU|# virtio|-netdev|-device virtio)/.test(l))).toEqual([
      '# QEMU 11.1 (pc-q35-11.1) for machine virtio-sriov (virtio-sriov.yaml); one option per line',
      '# virtio-net-pci SR-IOV needs QEMU >= 10.1 (vnet)',
      '-netdev user,id=net-vnet-vf2',
      '-device virtio-net-pci,id=vnet-vf2,bus=rp1,addr=0x0.3,netdev=net-vnet-vf2,sriov-pf=vnet',
      '-netdev user,id=net-vnet-vf1',
      '-device virtio-net-pci,id=vnet-vf1,bus=rp1,addr=0x0.2,netdev=net-vnet-vf1,sriov-pf=vnet',
      '-netdev user,id=net-vnet-vf0',
      '-device virtio-net-pci,id=vnet-vf0,bus=rp1,addr=0x0.1,netdev=net-vnet-vf0,sriov-pf=vnet',
      '-netdev user,id=net-vnet',
      '-device virtio-net-pci,id=vnet,bus=rp1,addr=0x0,netdev=net-vnet,mac=52:54:00:00:00:10',
    ]);
  });

  it('ports without chassis/slot get distinct pairs (QEMU refuses duplicates; both default to 0)', () => {
    const text = `chipset: q35
devices:
  - { id: a, model: pcie-root-port }
  - { id: b, model: pcie-root-port }
  - { id: c, model: pcie-root-port, chassis: 0, slot: 0 }
`;
    const r = compileMachine(join(ROOT, 'ports.yaml'), { text });
    const devs = options(parseQemuArgs(renderQemuArgs(qemuCommand(r.machine!), r.machine!, 'ports.yaml')), '-device');
    const pairs = devs.map((d) => `${d.props.get('chassis')}/${d.props.get('slot')}`);
    expect(new Set(pairs).size).toBe(3);
    expect(pairs[2]).toBe('0/0');
  });

  it('port properties: hot-plug off, bus-reserve (root ports only), multifunction on function 0', () => {
    const text = `chipset: q35
devices:
  - { id: rp1, model: pcie-root-port, addr: 3.0, chassis: 1, slot: 1, hotplug: false, bus-reserve: 4 }
  - { id: rp2, model: pcie-root-port, addr: 3.1, chassis: 1, slot: 2 }
  - { id: sw, model: x3130-upstream, bus: rp2 }
  - { id: dp, model: xio3130-downstream, bus: sw, chassis: 2, slot: 0, hotplug: false }
`;
    const r = compileMachine(join(ROOT, 'ports.yaml'), { text });
    expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(renderQemuArgs(qemuCommand(r.machine!), r.machine!, 'ports.yaml').split('\n').filter((l) => l.startsWith('-device'))).toEqual([
      '-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x3,multifunction=on,chassis=1,slot=1,hotplug=off,bus-reserve=4',
      '-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x3.1,chassis=1,slot=2',
      '-device x3130-upstream,id=sw,bus=rp2,addr=0x0',
      '-device xio3130-downstream,id=dp,bus=sw,addr=0x0,chassis=2,slot=0,hotplug=off',
    ]);
  });

  it('SATA drives on the AHCI ports, CD-ROMs read-only, boot order from 1', () => {
    const text = `chipset: q35
devices:
  - { id: cd, model: sata-cdrom, image: "inst,all.iso", port: 2 }
  - { id: hd, model: sata-disk, image: disk.qcow2 }
boot: [cd, hd]
`;
    const r = compileMachine(join(ROOT, 'sata.yaml'), { text });
    expect(r.diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const lines = renderQemuArgs(qemuCommand(r.machine!), r.machine!, 'sata.yaml').split('\n').filter((l) => /^-(drive|device)/.test(l));
    expect(lines).toEqual([
      '-drive if=none,id=drive-hd,file=disk.qcow2,format=qcow2',
      '-device ide-hd,id=hd,bus=ide.0,drive=drive-hd,bootindex=2',
      '-drive if=none,id=drive-cd,file=inst,,all.iso,format=raw,readonly=on',
      '-device ide-cd,id=cd,bus=ide.2,drive=drive-cd,bootindex=1',
    ]);
  });
});
