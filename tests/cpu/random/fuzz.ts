/**
 * Random instruction sequences, QEMU against machc's CPU, from the command line:
 *
 *   npx tsx tests/cpu/random/fuzz.ts [--seed N] [--count N] [--start I] [--batch N]
 *                                    [--mode real|pm16|pm32] [--minimise N] [--against i386]
 *   npx tsx tests/cpu/random/fuzz.ts --seed N --index I      one sequence, in full
 *
 * Without machc's CPU (tests/cpu/runner.ts) it runs the QEMU side alone and says so.
 * `--against i386` compares qemu-system-x86_64 with qemu-system-i386 instead (a check of the
 * harness itself: they should agree). Exit status 1 when sequences differ (known differences
 * aside), 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { QEMU_I386 } from '../lib/qemu.js';
import { runtimeSide } from '../runner.js';
import { campaign, summary } from './campaign.js';
import { compareResults } from './compare.js';
import { MODES, type Mode } from './operands.js';
import { codeListing, formatMismatch } from './report.js';
import { qemuSide, runtimeSideOf, type Side } from './run.js';
import { generateSequence } from './sequence.js';

function usage(msg: string): never {
  console.error(`fuzz: ${msg}`);
  console.error('usage: fuzz.ts [--seed N] [--count N] [--start I] [--batch N] [--mode real|pm16|pm32] [--minimise N] [--against i386] | --seed N --index I');
  process.exit(2);
}

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) usage(`--${name} takes a number, not '${v}'`);
  return Number(v);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        seed: { type: 'string' }, count: { type: 'string' }, start: { type: 'string' }, index: { type: 'string' },
        batch: { type: 'string' }, mode: { type: 'string' }, minimise: { type: 'string' }, against: { type: 'string' },
      },
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  const seed = int('seed', parsed.seed, 1);
  const mode = parsed.mode as Mode | undefined;
  if (mode !== undefined && !MODES.includes(mode)) usage(`--mode is one of ${MODES.join(', ')}`);
  const qemu = qemuSide();
  let ours: Side | undefined;
  if (parsed.against === 'i386') ours = { ...qemuSide(QEMU_I386), name: 'qemu-system-i386' };
  else if (parsed.against !== undefined) usage(`--against takes only 'i386'`);
  else {
    const rt = runtimeSide();
    if ('skip' in rt) console.log(`machc side skipped: ${rt.skip}; running QEMU only`);
    else ours = runtimeSideOf(rt.run);
  }

  if (parsed.index !== undefined) {
    const seq = generateSequence(seed, int('index', parsed.index, 0), mode ? { mode } : {});
    console.log(`sequence ${seed}:${seq.index} (${seq.mode})\n${codeListing(seq)}`);
    const q = (await qemu.run([seq])).results[0];
    const o = ours ? (await ours.run([seq])).results[0] : undefined;
    console.log(`QEMU: ${JSON.stringify(q, (_, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))}`);
    if (q && o) {
      const d = compareResults(seq, q, o);
      console.log(d ? formatMismatch({ seq, qemu: q, ours: o, difference: d }, '', ours!.name) : `${ours!.name}: the same`);
      process.exitCode = d ? 1 : 0;
    }
    return;
  }

  const r = await campaign(qemu, ours, {
    seed,
    start: int('start', parsed.start, 0),
    count: int('count', parsed.count, 10_000),
    batch: int('batch', parsed.batch, 10_000),
    ...(mode ? { mode } : {}),
    minimise: int('minimise', parsed.minimise, 5),
    log: (l) => console.log(l),
  });
  console.log(summary(r));
  for (const rep of r.reports) console.log(`\n${rep}`);
  const open = r.mismatches.length - r.accepted.length;
  process.exitCode = open > 0 || r.failures.length > 0 ? 1 : 0;
}

await main();
