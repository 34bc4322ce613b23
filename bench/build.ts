/**
 * Build benchmark: `machc build`, `lspci` and `run` (to its first guest
 * instruction) of the default machine as whole processes against `node -e 0` (Node.js starting and doing nothing)
 * and `iasl` compiling QEMU's DSDT for the same machine, in the same run;
 * then the in-process build (compile + ACPI tables + fw_cfg blobs +
 * qemu.args) of generated machines.
 * Run with `npm run bench` (or `npx tsx bench/build.ts` after a build).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMachine } from '../compiler/cli/commands/build.js';
import { compileMachine } from '../compiler/driver.js';
import { generateMachine } from './generate.js';
import { median, table, timeProcesses } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'machc.cjs');
const DSDT = '/work/shared/reference/qemu-7.2-q35/01-default/acpi/DSDT.dsl';
const RUNS = Number(process.env['BENCH_RUNS'] ?? 21);
const tmp = mkdtempSync(join(tmpdir(), 'machc-bench-build-'));

// The CLI makes process.env a plain object at start (bin/machc.cjs); do the same so in-process numbers match.
process.env = { ...process.env };

try {
  // ---- whole process: machc build, lspci, run against node -e 0 and iasl, interleaved so all see the same machine load ----
  const haveIasl = spawnSync('sh', ['-c', 'command -v iasl'], { stdio: 'ignore' }).status === 0 && existsSync(DSDT);
  const dsl = join(tmp, 'DSDT.dsl');
  if (haveIasl) copyFileSync(DSDT, dsl);
  const machc = (args: string[]) => ({ cmd: process.execPath, args: [BIN, ...args], cwd: ROOT });
  const commands = [
    { label: 'node -e 0 (Node.js starting and doing nothing)', ...{ cmd: process.execPath, args: ['-e', '0'] } },
    // Into a new folder each run (every file written), and again over its own unchanged output (nothing to write).
    { label: 'machc build (default machine, machine.ts included; new output folder)', ...machc(['build', '-o', join(tmp, 'fresh')]), before: () => rmSync(join(tmp, 'fresh'), { recursive: true, force: true }) },
    { label: 'machc build (the same, output folder unchanged)', ...machc(['build', '-o', join(tmp, 'out')]) },
    { label: 'machc build --no-ts (new output folder)', ...machc(['build', '--no-ts', '-o', join(tmp, 'fresh-no-ts')]), before: () => rmSync(join(tmp, 'fresh-no-ts'), { recursive: true, force: true }) },
    { label: 'machc lspci', ...machc(['lspci']) },
    // machc run boots the firmware until the guest stops; one instruction measures what starting it costs.
    { label: 'machc run --max-insns 1 (machine built, firmware loaded, one instruction)', ...machc(['run', '--max-insns', '1']) },
    { label: 'machc check', ...machc(['check']) },
    ...(haveIasl ? [{ label: 'iasl -p /tmp/x DSDT.dsl (QEMU 7.2 default DSDT)', cmd: 'iasl', args: ['-p', join(tmp, 'x'), dsl], cwd: tmp }] : []),
  ];
  const medians = timeProcesses(commands, RUNS);
  const node = medians[0]!;
  const iasl = haveIasl ? medians[medians.length - 1]! : undefined;
  console.log('## Whole process: machc against node -e 0 and iasl\n');
  const rows = commands.map((c, i) => [c.label, medians[i]!.toFixed(1), `${(medians[i]! / node).toFixed(2)}x`, iasl ? `${(medians[i]! / iasl).toFixed(1)}x` : '']);
  console.log(table(['command', `median ms (of ${RUNS})`, 'vs node -e 0', 'vs iasl'], rows));
  if (!haveIasl) console.log('\n(iasl or the reference DSDT is missing: install acpica-tools for the comparison)');
  const ratio = (label: string) => `${(medians[commands.findIndex((c) => c.label.startsWith(label))]! / node).toFixed(2)}x`;
  console.log(
    `\nGoal: within 2x of \`node -e 0\`, same run: build ${ratio('machc build (default')} (new folder), ${ratio('machc build (the same')} (output unchanged); lspci ${ratio('machc lspci')}; run ${ratio('machc run')}.` +
      ' Each command is `node bin/machc.cjs ...` on the default machine; machc build writes every table, the fw_cfg blobs, qemu.args, run-qemu.sh, machine.ts and the manifest (over an unchanged output it compares them and writes nothing); iasl compiles one table.',
  );

  // ---- in process: compile + tables + blobs for generated machines ----
  const build: (string | number)[][] = [];
  for (const n of [100, 1_000]) {
    const g = generateMachine(n);
    const file = join(tmp, `bench-${n}.yaml`);
    writeFileSync(file, g.yaml);
    const source = { file: `bench-${n}.yaml`, bytes: new TextEncoder().encode(g.yaml) };
    const first = compileMachine(file, { text: g.yaml });
    if (!first.machine) throw new Error(`generated machine of ${n} functions does not compile: ${first.diagnostics.items[0]?.message}`);
    const fns = first.machine.pci.functions.length;
    // Warm up, then time the three stages of each run separately.
    const stage = { compile: [] as number[], emit: [] as number[], total: [] as number[] };
    let bytes = 0;
    const runs = n >= 1_000 ? 15 : 30;
    for (let i = 0; i < runs + 5; i++) {
      const t0 = performance.now();
      const r = compileMachine(file, { text: g.yaml });
      const t1 = performance.now();
      const a = await buildMachine(r.machine!, source, { ts: false });
      const t2 = performance.now();
      bytes = a.files.reduce((s, f) => s + f.bytes.length, 0);
      if (i >= 5) {
        stage.compile.push(t1 - t0);
        stage.emit.push(t2 - t1);
        stage.total.push(t2 - t0);
      }
    }
    build.push([fns, median(stage.compile).toFixed(1), median(stage.emit).toFixed(1), median(stage.total).toFixed(1), `${(bytes / 1024).toFixed(0)} KiB`]);
  }
  console.log('\n## Build: in process (generated machines)\n');
  console.log(table(['functions', 'compile ms', 'tables + blobs + qemu.args ms', 'total ms', 'output'], build));
  console.log('\nMedians after 5 warm-up runs.');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
