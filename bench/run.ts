/**
 * `npm run bench`: runs every benchmark of the project in turn and prints
 * their tables. Each benchmark compares against the real alternative where
 * there is one (iasl, QEMU) in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const HERE = import.meta.dirname;
const BENCHES = ['frontend.ts', 'build.ts', 'asl.ts', 'runtime.ts', 'diff.ts', 'cpu.ts'];
let failed = false;
for (const b of BENCHES) {
  const path = join(HERE, b);
  if (!existsSync(path)) continue;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
  console.log('');
}
process.exitCode = failed ? 1 : 0;
