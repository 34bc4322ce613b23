/**
 * Once per test run: the translation stores `machc run` keeps between runs go to a folder of
 * this run's (MACHC_STORE_DIR, which the test processes inherit), removed at the end, instead of
 * the package's cache folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'machc-test-store-'));
  process.env['MACHC_STORE_DIR'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
