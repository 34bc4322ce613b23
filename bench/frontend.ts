/**
 * Front-end benchmark: check + resolve for generated machines of 10 to
 * 10,000 PCI functions, in-process and as a whole `machc check` process.
 * Run with `npm run bench` (or `npx tsx bench/frontend.ts` after a build).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMachine } from '../compiler/driver.js';
import { DiagnosticBag } from '../compiler/diagnostics/diagnostic.js';
import { SourceFile } from '../compiler/source/source-file.js';
import { parseYamlTree, parseYamlTreeWithLibrary } from '../compiler/source/yaml-tree.js';
import { generateMachine } from './generate.js';
import { table, timeIt, timeProcess } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'machc.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'machc-bench-frontend-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// The CLI makes process.env a plain object at start (bin/machc.cjs); do the same so in-process numbers match.
process.env = { ...process.env };

const rows: (string | number)[][] = [];
let previous: number | undefined;
for (const n of [10, 100, 1_000, 10_000]) {
  const g = generateMachine(n);
  const first = compileMachine('bench.yaml', { text: g.yaml });
  if (!first.machine) throw new Error(`generated machine of ${n} functions does not compile: ${first.diagnostics.items[0]?.message}`);
  const fns = first.machine.pci.functions.length;
  const runs = n >= 10_000 ? 10 : 30;
  const total = timeIt(() => compileMachine('bench.yaml', { text: g.yaml }), runs);
  const yaml = timeIt(() => parseYamlTree(new SourceFile('bench.yaml', g.yaml), new DiagnosticBag()), runs);
  const library = timeIt(() => parseYamlTreeWithLibrary(new SourceFile('bench.yaml', g.yaml), new DiagnosticBag()), runs);
  const file = join(tmp, `bench-${n}.yaml`);
  writeFileSync(file, g.yaml);
  const proc = timeProcess(process.execPath, [BIN, 'check', file], 5);
  const growth = previous === undefined ? '' : `${(total / previous).toFixed(1)}x`;
  previous = total;
  rows.push([fns, g.devices, `${(g.yaml.length / 1024).toFixed(1)} KiB`, total.toFixed(2), yaml.toFixed(2), (total - yaml).toFixed(2), library.toFixed(2), growth, proc.toFixed(0)]);
}

const defaultProc = timeProcess(process.execPath, [BIN, 'check'], 20);

console.log('## Front end: check + resolve\n');
console.log(
  table(
    ['functions', 'devices', 'file', 'in-process ms', 'of which YAML read ms', 'without YAML ms', 'yaml library alone ms', 'growth (x10 fns)', 'machc check process ms'],
    rows,
  ),
);
console.log(`\nWhole process, \`machc check\` of the default machine: ${defaultProc.toFixed(0)} ms (median of 20; goal < 300 ms)`);
console.log('In-process goal: 1,000 functions < 50 ms. Medians after warm-up.');
console.log('Machine files in the plain YAML subset are read by the fast reader; "yaml library alone" is the same file read through the `yaml` library path, which every other file takes.');
