/**
 * Diff benchmark: `machc diff OLD NEW` of two 1,000-function machines, in
 * process. The new machine adds a switch downstream port (with a disk behind
 * it) in the first switch, so every bus after it renumbers and about 990
 * functions shift, and grows memory: the worst ordinary review.
 * Run with `npx tsx bench/diff.ts` (BENCH_RUNS=N to change the sample count).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIo } from '../compiler/cli/io.js';
import { main } from '../compiler/cli/main.js';
import { compileMachine } from '../compiler/driver.js';
import { generatedTables, diffSides, sideOf } from '../compiler/diff/index.js';
import { renderMachineMarkdown } from '../compiler/diff/render-markdown.js';
import { renderText } from '../compiler/diff/render-text.js';
import { generateMachine } from './generate.js';
import { table, timeIt } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const GOAL_MS = 200;

const before = generateMachine(1_000).yaml;
const after = before
  .replace('memory: 16 GiB', 'memory: 24 GiB')
  .replace(
    /(  - \{ id: sw0p7, [^\n]*\n(?:  - \{ id: [a-z]+0-7-\d[^\n]*\n)*)/,
    '$1  - { id: sw0p8, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 8 }\n  - { id: extra0, model: virtio-blk, bus: sw0p8, image: img/extra0.qcow2 }\n',
  );
if (after === before || !after.includes('sw0p8')) throw new Error('the benchmark edit did not apply to the generated machine');

const dir = mkdtempSync(join(tmpdir(), 'machc-bench-diff-'));
try {
  const oldPath = join(dir, 'old.yaml');
  const newPath = join(dir, 'new.yaml');
  writeFileSync(oldPath, before);
  writeFileSync(newPath, after);

  const a = compileMachine(oldPath);
  const b = compileMachine(newPath);
  const sa = sideOf(a);
  const sb = sideOf(b);
  if (!sa || !sb) throw new Error(`generated machines do not compile: ${[...a.diagnostics.items, ...b.diagnostics.items].map((d) => d.message).join('; ')}`);
  const fns = [sa.machine.pci.functions.length, sb.machine.pci.functions.length];
  const check = diffSides(sa, sb);
  const io = bufferIo();

  const compile = timeIt(() => {
    compileMachine(oldPath);
    compileMachine(newPath);
  }, RUNS);
  const acpi = timeIt(() => {
    generatedTables(sa);
    generatedTables(sb);
  }, RUNS);
  const compare = timeIt(() => diffSides(sa, sb, { acpiTables: null }), RUNS);
  const withAcpi = timeIt(() => diffSides(sa, sb), RUNS);
  const text = timeIt(() => renderText(check, { color: false }), RUNS);
  const markdown = timeIt(() => renderMachineMarkdown(check), RUNS);
  // The whole command (compile, diff with ACPI, text), awaited run by run after a warm-up.
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t = performance.now();
    io.stdout = '';
    const code = await main(['diff', oldPath, newPath], io);
    if (code !== 1) throw new Error(`machc diff exited ${code}: ${io.stderr}`);
    if (i >= 3) times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  const command = times[times.length >> 1]!;

  console.log(`## machc diff: ${fns[0]} -> ${fns[1]} PCI functions\n`);
  console.log(`${check.consequences.buses.length} buses renumbered, ${check.consequences.untouched.length} untouched devices changed, ${check.consequences.names.length} guest names changed, ${check.acpi.tables.length} ACPI tables changed\n`);
  console.log(table(['step (median of ' + RUNS + ')', 'ms'], [
    ['compile both sides (parse, check, resolve)', compile.toFixed(1)],
    ['ACPI tables of both sides', acpi.toFixed(1)],
    ['compare (no ACPI)', compare.toFixed(1)],
    ['compare with ACPI (tables built + namespace diff)', withAcpi.toFixed(1)],
    ['render text', text.toFixed(1)],
    ['render Markdown', markdown.toFixed(1)],
    ['machc diff OLD NEW in process (all of the above)', command.toFixed(1)],
  ]));
  console.log(`\ngoal: under ${GOAL_MS} ms for the whole command: ${command < GOAL_MS ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
