/**
 * ASL benchmark: machc's ASL compiler against iasl on QEMU 7.2's default
 * DSDT (`iasl -d` output, ~87 KB of ASL, from the default capture), in the
 * same run:
 *   - in process: machc's compileAsl (median after warm-up) against the
 *     compile time iasl reports for itself (`iasl -oc`, "Total Compile time");
 *   - whole process: `machc asl DSDT.dsl -o x.aml` against `iasl -p x DSDT.dsl`,
 *     interleaved run by run so both see the same machine load.
 * Both produce the same bytes (checked here too).
 * Run with `npm run bench` (or `npx tsx bench/asl.ts` after a build).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileAsl } from '../compiler/asl/index.js';
import { median, table, timeIt, timeProcesses } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'machc.cjs');
const DSL = join(ROOT, 'tests', 'fixtures', 'captures', 'default', 'acpi', 'DSDT.dsl');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 21);
const tmp = mkdtempSync(join(tmpdir(), 'machc-bench-asl-'));

try {
  const dsl = join(tmp, 'DSDT.dsl');
  copyFileSync(DSL, dsl);
  const text = readFileSync(dsl, 'latin1');
  const haveIasl = spawnSync('sh', ['-c', 'command -v iasl'], { stdio: 'ignore' }).status === 0;

  // ---- in process ----
  const ours = timeIt(() => compileAsl(text, 'DSDT.dsl'), RUNS);
  let theirs: number | undefined;
  if (haveIasl) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const r = spawnSync('iasl', ['-oc', '-p', join(tmp, 'i'), dsl], { cwd: tmp, encoding: 'utf8' });
      const m = /(\d+) usec\s+\d+ msec - \*\*\* Total Compile time \*\*\*/.exec(r.stdout + r.stderr);
      if (r.status !== 0 || !m) throw new Error(`iasl -oc failed: ${r.stdout}${r.stderr}`);
      if (i > 0) times.push(Number(m[1]) / 1000);
    }
    theirs = median(times);
    const iaslCreator = /version (\d{8})/.exec(spawnSync('iasl', ['-v'], { encoding: 'utf8' }).stdout)![1]!;
    const same = compileAsl(text, 'DSDT.dsl', { creatorId: 'INTL', creatorRevision: parseInt(iaslCreator, 16) }).tables[0]!.bytes;
    if (!Buffer.from(same).equals(readFileSync(join(tmp, 'i.aml')))) throw new Error('machc and iasl disagree on the DSDT bytes');
  }
  console.log(`## ASL: QEMU 7.2's default DSDT (${(text.length / 1024).toFixed(0)} KiB of ASL, ${text.split('\n').length} lines), machc against iasl\n`);
  console.log(table(['in process', `median ms (of ${RUNS})`, 'vs iasl'], [
    ['machc compileAsl (parse, namespace, emit)', ours.toFixed(1), theirs ? `${(ours / theirs).toFixed(2)}x` : ''],
    ...(theirs ? [['iasl (its own "Total Compile time", -oc)', theirs.toFixed(1), '1.00x']] : []),
  ]));

  // ---- whole process ----
  const commands = [
    { label: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { label: 'machc asl DSDT.dsl -o m.aml', cmd: process.execPath, args: [BIN, 'asl', dsl, '-o', join(tmp, 'm.aml')], cwd: tmp },
    ...(haveIasl ? [{ label: 'iasl -p i DSDT.dsl', cmd: 'iasl', args: ['-p', join(tmp, 'i'), dsl], cwd: tmp }] : []),
  ];
  const medians = timeProcesses(commands, RUNS);
  const iasl = haveIasl ? medians[2]! : undefined;
  console.log('');
  console.log(table(['whole process', `median ms (of ${RUNS})`, 'vs iasl'], commands.map((c, i) => [c.label, medians[i]!.toFixed(1), iasl ? `${(medians[i]! / iasl).toFixed(2)}x` : ''])));
  if (!haveIasl) console.log('\n(iasl is missing: install acpica-tools for the comparison)');
  if (!existsSync(join(tmp, 'm.aml'))) throw new Error('machc asl wrote nothing');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
