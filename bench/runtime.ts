/**
 * Runtime benchmarks (`npx tsx bench/runtime.ts`):
 *
 * 1. Configuration reads per second through the generated module's flat
 *    dispatch table (routing ID -> function) against the generic dispatch
 *    that walks the bus tree bridge by bridge on every access, on the same
 *    booted machine: through the host's config entry point, and end to end
 *    through ECAM (memory dispatch included).
 * 2. Runtime start time for the default machine: createMachine() from the
 *    loaded module until the machine is ready (every function reset).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootGuest } from '../compiler/cli/commands/lspci.js';
import { compileMachine } from '../compiler/driver.js';
import { emitMachineModule } from '../compiler/emit/typescript/index.js';
import type { MachineModule } from '../compiler/emit/typescript/load.js';
import type { ResolvedMachine } from '../compiler/model/topology.js';
import { median, table } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');

function resolveFile(path: string): ResolvedMachine {
  const r = compileMachine(join(ROOT, path));
  if (!r.machine) throw new Error(`${path} does not compile`);
  return r.machine;
}

/** The generated module, importing the runtime sources (tsx runs TypeScript). */
async function load(machine: ResolvedMachine): Promise<MachineModule> {
  const dir = join(tmpdir(), `machc-bench-runtime-${process.pid}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(dir, `${machine.name}.ts`);
  writeFileSync(file, emitMachineModule(machine, { runtimeImport: join(ROOT, 'runtime/index.ts') }));
  return (await import(file)) as MachineModule;
}

/** Reads per second of `read(i)` over `n` calls, best of a few rounds after warm-up. */
function rate(read: (i: number) => number, n: number): number {
  let sink = 0;
  for (let i = 0; i < n / 4; i++) sink ^= read(i);
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) sink ^= read(i);
    rounds.push(n / ((performance.now() - t) / 1000));
  }
  if (sink === 0.5) console.log(sink);
  return Math.max(...rounds);
}

const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;

const rows: (string | number)[][] = [];
for (const path of ['machines/q35-default.yaml', 'machines/nested-switch-pcipci.yaml', 'machines/large-fabric.yaml']) {
  const resolved = resolveFile(path);
  const mod = await load(resolved);
  const { machine, firmware } = bootGuest(resolved, mod);
  if (!machine.pci.dispatchTableActive) throw new Error(`${path}: the dispatch table is not active after firmware`);
  const targets = resolved.pci.functions.map((f) => ({ bus: f.bus, devfn: f.device * 8 + f.fn }));
  const depth = Math.max(...resolved.pci.functions.map((f) => depthOf(resolved, f.busName)));
  const n = 2_000_000;
  const host = machine.pci;
  const viaHost = (i: number) => {
    const t = targets[i % targets.length]!;
    return host.configRead(t.bus, t.devfn, (i & 0x3f) << 2, 4, true);
  };
  const ecam = firmware.ecamBase;
  const viaEcam = (i: number) => {
    const t = targets[i % targets.length]!;
    return machine.memory.read(ecam + t.bus * 0x10_0000 + t.devfn * 0x1000 + ((i & 0x3f) << 2), 4);
  };
  const flatHost = rate(viaHost, n);
  const flatEcam = rate(viaEcam, n);
  host.clearDispatchTable();
  const walkHost = rate(viaHost, n);
  const walkEcam = rate(viaEcam, n);
  rows.push([path.replace('machines/', ''), targets.length, depth, fmt(flatHost), fmt(walkHost), `${(flatHost / walkHost).toFixed(1)}x`, fmt(flatEcam), fmt(walkEcam), `${(flatEcam / walkEcam).toFixed(1)}x`]);
}

function depthOf(m: ResolvedMachine, busName: string): number {
  let d = 0;
  let name: string | undefined = busName;
  while (name && name !== 'pcie.0') {
    d++;
    name = m.pci.functions.find((f) => f.key === name)?.busName;
  }
  return d;
}

console.log('Configuration reads per second: compiled flat dispatch vs walking the bus tree per access');
console.log(
  table(['machine', 'functions', 'bridge depth', 'flat (host)', 'walk (host)', 'ratio', 'flat (ECAM)', 'walk (ECAM)', 'ratio'], rows),
);

// Start time of the default machine: instantiate to ready.
const resolved = resolveFile('machines/q35-default.yaml');
const t0 = performance.now();
const mod = await load(resolved);
const loadMs = performance.now() - t0;
const t1 = performance.now();
mod.createMachine();
const first = performance.now() - t1;
const times: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  mod.createMachine();
  times.push(performance.now() - t);
}
console.log('');
console.log('Runtime start, q35-default (createMachine(): chipset built, devices attached, dispatch table, reset)');
console.log(
  table(
    ['module load (emit + import)', 'first createMachine', 'median createMachine (50 runs)'],
    [[`${loadMs.toFixed(1)} ms`, `${first.toFixed(2)} ms`, `${median(times).toFixed(3)} ms`]],
  ),
);
