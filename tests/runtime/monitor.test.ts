/**
 * `machc run --monitor`: the QMP-style protocol against SeaBIOS on the
 * runtime (no Linux): greeting and negotiation, QMP errors for bad input,
 * query-status and stop/cont with their events, registers at the reset
 * vector and written back, guest memory read and written (RAM and the BIOS
 * ROM), query-pci against what machc resolved once the firmware has
 * programmed the buses, quit; and the stdio transport in a child process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { machcAsync, requireBuiltCli } from '../support/cli.js';
import { flattenPci, type PciDev, QmpClient } from '../support/qmp.js';
import { needTools } from '../support/tools.js';
import { resolveMachine } from '../codegen/support.js';
import { Q35Machine } from '../../runtime/index.js';
import { Computer } from '../../runtime/machine/runner.js';
import { Monitor } from '../../runtime/machine/monitor.js';
import { PM1_STS_PWRBTN } from '../../runtime/devices/ich9-lpc/pm.js';

const BIOS = '/usr/share/seabios/bios-256k.bin';
const tmp = mkdtempSync(join(tmpdir(), 'machc-monitor-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MACHINE = `chipset: q35
memory: 256 MiB
devices:
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
  - { id: rng0, model: virtio-rng, bus: rp1 }
  - { id: rp2, model: pcie-root-port, chassis: 1, slot: 2 }
`;



/** `machc run FILE --monitor unix:SOCK ARGS` in this process, and a client connected to it. */
async function start(file: string, ...args: string[]) {
  const sock = join(tmp, `qmp-${Math.random().toString(36).slice(2)}.sock`);
  const io = bufferIo();
  const run = main(['run', file, '--monitor', `unix:${sock}`, ...args], io);
  const qmp = await QmpClient.open(sock);
  return { sock, io, run, qmp };
}

describe('the monitor on a machine (no transport)', () => {
  it('sends events only to negotiated clients; system_powerdown presses the ACPI power button', async () => {
    const machine = new Q35Machine({ ram: { below4g: 64 * 2 ** 20 } });
    machine.reset();
    const monitor = new Monitor({ computer: new Computer(machine), idOf: () => '', powerButton: () => machine.lpc.pm.powerButton(), version: { qemu: '7.2', package: 'machc' } });
    const a: string[] = [];
    const b: string[] = [];
    const ca = { send: (l: string) => a.push(l) };
    const cb = { send: (l: string) => b.push(l) };
    monitor.connect(ca);
    monitor.connect(cb);
    await monitor.input(ca, '{"execute":"qmp_capabilities"}');
    expect(machine.lpc.pm.pm1Sts & PM1_STS_PWRBTN).toBe(0);
    await monitor.input(ca, '{"execute":"system_powerdown","id":"p"}');
    expect(machine.lpc.pm.pm1Sts & PM1_STS_PWRBTN).toBe(PM1_STS_PWRBTN);
    expect(a.slice(2).map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([{ event: 'POWERDOWN', timestamp: expect.any(Object) }, { return: {}, id: 'p' }]);
    // The second client has not negotiated: its greeting only.
    expect(b.length).toBe(1);
    // device_add needs a run that can resolve the machine again: without one, the command does not exist.
    await monitor.input(ca, '{"execute":"device_add","arguments":{"driver":"virtio-rng","id":"r"}}');
    expect(JSON.parse(a.at(-1)!)).toEqual({ error: { class: 'CommandNotFound', desc: 'The command device_add has not been found' } });
    monitor.disconnect(ca);
    monitor.disconnect(cb);
  });
});

describe.runIf(needTools(BIOS, '/usr/share/seabios/vgabios-stdvga.bin'))('machc run --monitor', () => {
  it('greets, negotiates, answers bad input with QMP errors, reads and writes registers and memory, stops, continues and quits', async () => {
    const file = join(tmp, 'mon.yaml');
    writeFileSync(file, MACHINE);
    const { sock, io, run, qmp } = await start(file, '--paused');
    expect(qmp.greeting).toEqual({ QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'machc' }, capabilities: [] } });
    // Nothing but negotiation first.
    expect((await qmp.execute('query-status')).error).toEqual({ class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" });
    expect(await qmp.execute('qmp_capabilities', { enable: ['oob'] })).toMatchObject({ error: { class: 'GenericError', desc: "Capability 'oob' not available" } });
    expect(await qmp.raw('{"execute":"qmp_capabilities","id":"neg"}')).toEqual({ return: {}, id: 'neg' });
    expect((await qmp.execute('qmp_capabilities')).error?.class).toBe('CommandNotFound');
    // Malformed input and bad arguments: errors with the request's id, and the monitor goes on.
    expect((await qmp.raw('{"execute":')).error?.desc).toMatch(/^JSON parse error/);
    expect((await qmp.raw('[1,2]')).error?.desc).toBe('QMP input must be a JSON object');
    expect(await qmp.raw('{"id":7}')).toEqual({ error: { class: 'GenericError', desc: "QMP input lacks member 'execute'" }, id: 7 });
    expect(await qmp.raw('{"execute":"no-such","id":[1]}')).toEqual({ error: { class: 'CommandNotFound', desc: 'The command no-such has not been found' }, id: [1] });
    expect((await qmp.execute('pmem-read', { address: 0 })).error?.desc).toBe("Parameter 'size' is missing");
    expect((await qmp.execute('pmem-read', { address: 0, size: 4, extra: 1 })).error?.desc).toBe("Parameter 'extra' is unexpected");
    expect((await qmp.execute('pmem-read', { address: 'zz', size: 4 })).error?.desc).toBe("Parameter 'address' expects an integer, not 'zz'");
    expect((await qmp.execute('pmem-read', { address: 0, size: 2 ** 21 })).error?.desc).toMatch(/^Parameter 'size' expects 1 to 1048576 bytes/);
    expect((await qmp.execute('query-registers', { 'cpu-index': 3 })).error?.desc).toMatch(/expects a CPU index from 0 to 0/);
    expect((await qmp.execute('set-register', { name: 'cr3', value: 0 })).error?.desc).toMatch(/register 'cr3' cannot be written/);
    expect((await qmp.execute('pmem-write', { address: 0, data: 'abc' })).error?.desc).toMatch(/hexadecimal bytes/);

    // Started paused: the CPU sits at the reset vector.
    expect(await qmp.ok('query-status')).toEqual({ running: false, singlestep: false, status: 'paused' });
    const regs = await qmp.ok<Record<string, unknown>>('query-registers');
    expect(regs).toMatchObject({ 'cpu-index': 0, mode: 'real', rip: '0x000000000000fff0', cs: { selector: 0xf000, base: '0x00000000ffff0000' }, cr0: '0x0000000060000010' });
    await qmp.ok('set-register', { name: 'rax', value: '0x1122334455667788' });
    await qmp.ok('set-register', { name: 'RBX', value: 42 });
    expect(await qmp.ok('query-registers')).toMatchObject({ rax: '0x1122334455667788', rbx: '0x000000000000002a' });
    await qmp.ok('set-register', { name: 'rax', value: 0 });
    await qmp.ok('set-register', { name: 'rbx', value: 0 });

    // Memory: the reset vector's bytes are the BIOS image's last 16, RAM takes a write and gives it back.
    const bios = readFileSync(BIOS);
    const top = await qmp.ok<{ data: string }>('pmem-read', { address: '0xfffffff0', size: 16 });
    expect(top.data).toBe(bios.subarray(bios.length - 16).toString('hex'));
    await qmp.ok('pmem-write', { address: 0x20_0000, data: 'deadbeef0102' });
    expect(await qmp.ok('pmem-read', { address: 0x20_0000, size: 6 })).toEqual({ data: 'deadbeef0102' });

    // cont: RESUME, the guest runs; stop: STOP, it stays put.
    await qmp.ok('cont');
    await qmp.event('RESUME', 5_000);
    expect(await qmp.ok('query-status')).toMatchObject({ running: true, status: 'running' });
    // SeaBIOS programs the buses: poll until the root ports have their secondary bus numbers.
    const resolved = resolveMachine(file);
    const bridges = resolved.pci.functions.filter((f) => f.bridge);
    let pci: { bus: number; devices: PciDev[] }[] = [];
    for (let i = 0; i < 600; i++) {
      pci = await qmp.ok('query-pci');
      const all = flattenPci(pci[0]!.devices);
      if (bridges.every((b) => all.find((d) => d.qdev_id === b.key)?.pci_bridge?.bus.secondary === b.bridge!.secondary) && all.some((d) => d.qdev_id === 'rng0' && d.regions.every((r) => r.address !== 0))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await qmp.ok('stop');
    const stop = await qmp.event('STOP', 5_000);
    expect(stop['timestamp']).toMatchObject({ seconds: expect.any(Number), microseconds: expect.any(Number) });
    expect(await qmp.ok('query-status')).toMatchObject({ running: false, status: 'paused' });
    const a = await qmp.ok<Record<string, string>>('query-registers');
    await new Promise((r) => setTimeout(r, 300));
    expect(await qmp.ok('query-registers')).toEqual(a);

    // query-pci: every function machc resolved, at its address with its IDs; bus numbers and windows as programmed.
    expect(pci.map((b) => b.bus)).toEqual([0]);
    const all = flattenPci(pci[0]!.devices);
    expect(all.map((d) => `${d.bus.toString(16).padStart(2, '0')}:${d.slot.toString(16).padStart(2, '0')}.${d.function}`).sort()).toEqual(resolved.pci.functions.map((f) => f.bdf).sort());
    for (const f of resolved.pci.functions) {
      const d = all.find((x) => x.bus === f.bus && x.slot === f.device && x.function === f.fn)!;
      expect(d.id, f.bdf).toEqual(expect.objectContaining({ vendor: f.vendorId, device: f.deviceId }));
      expect(d.qdev_id).toBe(['mch', 'vga', 'lpc', 'ahci', 'smbus'].includes(f.key) ? '' : f.key);
      if (f.bridge) expect(d.pci_bridge!.bus).toMatchObject({ number: f.bus, secondary: f.bridge.secondary, subordinate: f.bridge.subordinate });
    }
    // The device's memory BARs are programmed, aligned, and inside its root port's windows.
    const rp1 = all.find((d) => d.qdev_id === 'rp1')!;
    const rng = rp1.pci_bridge!.devices.find((d) => d.qdev_id === 'rng0')!;
    expect(rng.regions.length).toBeGreaterThan(0);
    for (const r of rng.regions.filter((x) => x.type === 'memory')) {
      expect(r.address % r.size, `BAR ${r.bar}`).toBe(0);
      const w = [rp1.pci_bridge!.bus.memory_range, rp1.pci_bridge!.bus.prefetchable_range];
      expect(w.some((x) => r.address >= x.base && r.address + r.size - 1 <= x.limit), `BAR ${r.bar} at 0x${r.address.toString(16)}`).toBe(true);
    }

    await qmp.ok('quit');
    const shutdown = await qmp.event('SHUTDOWN', 5_000);
    expect(shutdown['data']).toEqual({ guest: false, reason: 'host-qmp-quit', 'machc-reason': 'quit' });
    expect(await run, io.stderr).toBe(0);
    expect(io.stderr).toMatch(/stopped from the console after [\d,]+ instructions/);
    expect(existsSync(sock)).toBe(false);
  }, 300_000);

  it('device_add: the resolver places the device in the free slot, the port reports it, errors are QMP errors', async () => {
    const file = join(tmp, 'hotplug.yaml');
    writeFileSync(file, `chipset: q35
memory: 256 MiB
devices:
  - { id: pxb0, model: pxb-pcie, bus-nr: 0x20 }
  - { id: hp0, model: pcie-root-port, bus: pxb0, chassis: 2, slot: 1 }
  - { id: hp1, model: pcie-root-port, bus: pxb0, chassis: 2, slot: 2, hotplug: false }
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
  - { id: rng1, model: virtio-rng, bus: rp1 }
`);
    const { run, qmp, io } = await start(file);
    await qmp.ok('qmp_capabilities');
    // Let SeaBIOS number the buses first.
    for (let i = 0; i < 600; i++) {
      const pci = await qmp.ok<{ bus: number; devices: PciDev[] }[]>('query-pci');
      if (pci[1]?.devices.find((d) => d.qdev_id === 'hp0')?.pci_bridge?.bus.secondary === 0x21) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const err = async (args: Record<string, unknown>) => (await qmp.execute('device_add', args)).error;
    expect(await err({ driver: 'virtio-rng' })).toEqual({ class: 'GenericError', desc: "Parameter 'id' is missing" });
    expect(await err({ driver: 'virtio-rng', id: 'rng1' })).toEqual({ class: 'GenericError', desc: "Duplicate device ID 'rng1'" });
    expect(await err({ driver: 'virtio-rng', id: 'x', bus: 'nope' })).toEqual({ class: 'DeviceNotFound', desc: "Bus 'nope' not found" });
    expect((await err({ driver: 'virtio-rng', id: 'x', bus: 'rng1' }))?.desc).toMatch(/^Bus 'rng1' does not support hotplugging/);
    expect((await err({ driver: 'virtio-rng', id: 'x', bus: 'hp1' }))?.desc).toMatch(/hot-plug is off on the slot/);
    expect((await err({ driver: 'virtio-rng', id: 'x', bus: 'rp1' }))?.desc).toBe('rp1: the slot is occupied');
    expect((await err({ driver: 'no-such-model', id: 'x', bus: 'hp0' }))?.desc).toMatch(/^MD\d{4}: .*no-such-model/);
    // Without bus: the first port, in address order, whose slot takes a device (hp0: rp1 is taken, hp1 has no hot-plug).
    const from = qmp.events.length;
    expect(await qmp.execute('device_add', { driver: 'virtio-rng', id: 'rng2' })).toEqual({ return: {} });
    expect((await qmp.event('DEVICE_ADDED', 5_000, from))['data']).toEqual({ device: 'rng2', bus: 'hp0', bdf: '21:00.0' });
    expect((await err({ driver: 'virtio-rng', id: 'rng3', bus: 'hp0' }))?.desc).toMatch(/occupied/);
    expect((await err({ driver: 'virtio-rng', id: 'rng3' }))?.desc).toBe('no port has a free slot that supports hot-plug');
    const pci = await qmp.ok<{ bus: number; devices: PciDev[] }[]>('query-pci');
    const hp0 = pci[1]!.devices.find((d) => d.qdev_id === 'hp0')!;
    expect(hp0.pci_bridge!.devices.map((d) => [d.qdev_id, d.bus, d.slot, d.function, d.id.vendor, d.id.device])).toEqual([['rng2', 0x21, 0, 0, 0x1af4, 0x1044]]);
    await qmp.ok('quit');
    expect(await run, io.stderr).toBe(0);
  }, 300_000);

  it('--monitor stdio: replies on standard output, the console on standard error, the end of input quits; clean usage errors', async () => {
    requireBuiltCli();
    const r = await machcAsync(['run', '--monitor', 'stdio', '--paused'], { input: '{"execute":"qmp_capabilities"}\n{"execute":"query-status","id":1}\n{"execute":"cont"}\n{"execute":"quit","id":"q"}\n' });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toHaveProperty('QMP');
    expect(lines[1]).toEqual({ return: {} });
    expect(lines[2]).toEqual({ return: { running: false, singlestep: false, status: 'paused' }, id: 1 });
    expect(lines.map((l) => l['event']).filter(Boolean)).toEqual(['RESUME', 'SHUTDOWN']);
    // quit answers before the run ends.
    expect(lines.slice(-2)).toEqual([{ return: {}, id: 'q' }, expect.objectContaining({ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit', 'machc-reason': 'quit' } })]);
    expect(r.stderr).toMatch(/stopped from the console after/);

    for (const [args, msg] of [
      [['--paused'], '--paused needs --monitor'],
      [['--monitor', 'tcp:4444'], "--monitor needs stdio or unix:PATH, not 'tcp:4444'"],
      [['--monitor', 'stdio', '-i'], '-i and --monitor stdio both want standard input'],
      [['--monitor', `unix:${tmp}`], `--monitor unix:${tmp}: the path exists`],
    ] as const) {
      const bad = await machcAsync(['run', ...args]);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(msg);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
