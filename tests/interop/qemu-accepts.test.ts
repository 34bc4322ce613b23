/**
 * Every machine `check` accepts must start in the QEMU it targets. Machines
 * are generated at random from the language's vocabulary (root ports of both
 * models, switches, PCI bridges, NICs, virtio and nvme disks with namespaces
 * and SR-IOV, virtio-serial with ports, balloon, RNG and GPU, bochs-display,
 * pvpanic-pci, SATA drives with and without ports, NUMA nodes, explicit
 * addresses); each one
 * machc accepts is started in the system QEMU 7.2 from its own qemu.args,
 * paused (-S), and quit from the monitor: QEMU must create every device and
 * exit cleanly. Bounded for CI (MACHC_QEMU_ACCEPT_RUNS, default 12 machines).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { parseQemuArgs, qemuCommand, renderQemuArgs } from '../../compiler/emit/qemu/args.js';
import { compareVersions, parseVersion } from '../../compiler/emit/qemu/version.js';
import { needTools } from '../support/tools.js';
import { QEMU } from './qemu.js';

const RUNS = Number(process.env['MACHC_QEMU_ACCEPT_RUNS'] ?? 12);
const tmp = mkdtempSync(join(tmpdir(), 'machc-qemu-accept-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Dev = Record<string, string | number | boolean | object>;

/** A flow mapping line for a device. */
function line(d: Dev): string {
  const v = (x: unknown): string => (Array.isArray(x) ? `[${x.map((o) => `{ ${Object.entries(o as object).map(([k, y]) => `${k}: ${v(y)}`).join(', ')} }`).join(', ')}]` : typeof x === 'object' ? `{ ${Object.entries(x as object).map(([k, y]) => `${k}: ${v(y)}`).join(', ')} }` : String(x));
  return `  - { ${Object.entries(d).map(([k, x]) => `${k}: ${v(x)}`).join(', ')} }`;
}

/** Mostly absent: set one time in `1/n`. */
const sometimes = <T,>(arb: fc.Arbitrary<T>, n = 4) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const addr = sometimes(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })).map(([d, f]) => `${d.toString(16)}.${f}`));

const namespaces = fc.integer({ min: 0, max: 3 }).chain((n) => fc.array(fc.record({ nsid: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }) }), { minLength: n, maxLength: n }));

const endpoint = fc.record({
  model: fc.constantFrom('e1000e', 'virtio-net', 'virtio-blk', 'nvme', 'e1000', 'virtio-serial', 'virtio-balloon', 'virtio-rng', 'virtio-gpu', 'bochs-display', 'pvpanic-pci'),
  parent: fc.nat(),
  addr,
  withImage: fc.boolean(),
  namespaces,
  sriov: sometimes(fc.integer({ min: 1, max: 4 })),
});

const machineArb = fc.record({
  cpus: fc.integer({ min: 1, max: 4 }),
  numa: fc.integer({ min: 0, max: 3 }),
  ports: fc.integer({ min: 0, max: 4 }),
  switchPorts: fc.integer({ min: 0, max: 3 }),
  pciBridge: fc.boolean(),
  endpoints: fc.integer({ min: 0, max: 6 }).chain((n) => fc.array(endpoint, { minLength: n, maxLength: n })),
  sata: fc.integer({ min: 0, max: 8 }).chain((n) => fc.array(fc.record({ cdrom: fc.boolean(), port: sometimes(fc.integer({ min: 0, max: 5 }), 6) }), { minLength: n, maxLength: n })),
});

type Shape = typeof machineArb extends fc.Arbitrary<infer T> ? T : never;

/** The machine file for a generated shape. */
function machineText(s: Shape): string {
  const devs: Dev[] = [];
  const links: string[] = [];
  for (let i = 0; i < s.ports; i++) {
    devs.push({ id: `rp${i}`, model: i % 2 === 1 ? 'ioh3420' : 'pcie-root-port' });
    links.push(`rp${i}`);
  }
  if (s.switchPorts > 0 && s.ports > 0) {
    devs.push({ id: 'up', model: 'x3130-upstream', bus: 'rp0' });
    links.splice(0, 1);
    for (let i = 0; i < s.switchPorts; i++) {
      devs.push({ id: `dp${i}`, model: 'xio3130-downstream', bus: 'up', slot: i });
      links.push(`dp${i}`);
    }
  }
  const hasBridge = s.pciBridge && links.length > 0;
  if (hasBridge) devs.push({ id: 'br', model: 'pcie-pci-bridge', bus: links.shift()! });
  s.endpoints.forEach((e, i) => {
    const id = `ep${i}`;
    const d: Dev = { id, model: e.model };
    if (e.model === 'e1000' || e.model === 'pvpanic-pci') {
      // Conventional PCI: on pcie.0 or the PCIe-to-PCI bridge.
      if (hasBridge) d['bus'] = 'br';
    } else if (links.length > 0 && e.parent % 3 !== 0) d['bus'] = links[e.parent % links.length]!;
    if (e.addr !== null) d['addr'] = e.addr;
    if (e.model === 'virtio-blk') d['image'] = `img/${id}.raw`;
    if (e.model === 'virtio-serial') d['ports'] = [{ id: `${id}-con`, kind: 'console' }, { id: `${id}-ch`, name: `org.example.${id}` }];
    if (e.model === 'nvme') {
      d['serial'] = `S${i}`;
      if (e.withImage) d['image'] = `img/${id}.raw`;
      if (e.namespaces.length > 0) d['namespaces'] = e.namespaces.map((n, k) => ({ image: `img/${id}-${k}.raw`, ...(n.nsid !== null ? { nsid: n.nsid } : {}) }));
      if (e.sriov !== null) d['sriov'] = { 'total-vfs': e.sriov, vfs: 1 };
    }
    devs.push(d);
  });
  s.sata.forEach((x, i) => devs.push({ id: `sd${i}`, model: x.cdrom ? 'sata-cdrom' : 'sata-disk', image: `img/sd${i}.raw`, ...(x.port !== null ? { port: x.port } : {}) }));
  const nodes = Math.min(s.numa, s.cpus);
  const numa = nodes > 1 ? ['numa:', ...Array.from({ length: nodes }, (_, n) => `  - { id: node${n}, cpus: [${Array.from({ length: s.cpus }, (_, c) => c).filter((c) => c % nodes === n).join(', ')}], memory: 256 MiB }`)] : [];
  return ['name: gen', 'chipset: q35', `cpus: ${s.cpus}`, `memory: ${nodes > 1 ? nodes * 256 : 512} MiB`, ...numa, 'devices:', ...devs.map(line), ''].join('\n');
}

/** Starts QEMU paused with the machine's options and quits from the monitor: exit status and what it printed. */
function startPaused(argv: readonly string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(QEMU, ['-accel', 'tcg', '-S', '-display', 'none', '-serial', 'none', '-monitor', 'stdio', ...argv], {
    cwd,
    input: 'quit\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, output: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

describe('machines machc accepts start in QEMU 7.2', () => {
  const run = needTools(QEMU);
  it.runIf(run)(`${RUNS} generated machines, each started paused (-S) and quit`, () => {
    let started = 0;
    let n = 0;
    fc.assert(
      fc.property(machineArb, (shape) => {
        if (started >= RUNS) return;
        const text = machineText(shape);
        const r = compileMachine(join(tmp, 'gen.yaml'), { text });
        if (!r.machine || r.diagnostics.hasErrors) return;
        const cmd = qemuCommand(r.machine);
        if (compareVersions(cmd.minVersion, parseVersion('7.2')) > 0) return;
        const dir = join(tmp, `m${n++}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'gen.yaml'), text);
        for (const image of cmd.images) {
          mkdirSync(dirname(join(dir, image.path)), { recursive: true });
          const fd = openSync(join(dir, image.path), 'w');
          ftruncateSync(fd, 1 << 20);
          closeSync(fd);
        }
        const argv = parseQemuArgs(renderQemuArgs(cmd, r.machine, 'gen.yaml'));
        const q = startPaused(argv, dir);
        expect({ status: q.status, output: q.output }, `QEMU refused a machine check accepts:\n${text}\n${argv.join(' ')}`).toEqual({ status: 0, output: '' });
        started++;
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: RUNS * 3, endOnFailure: true },
    );
    // Most generated machines are accepted; the bound is on how many QEMU starts CI pays for.
    expect(started).toBeGreaterThanOrEqual(Math.min(RUNS, 3));
  }, 600_000);
});
