/** Where the package's own files are, wherever it is installed. */
import { fileURLToPath } from 'node:url';
import { join, relative, resolve, sep } from 'node:path';
import { existsSync } from 'node:fs';

function packageRoot(): string {
  // compiler/cli/paths.ts in the sources, dist/compiler/cli/paths.js when built.
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'machines'))) return dir;
    dir = resolve(dir, '..');
  }
  return resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

export const PACKAGE_ROOT = packageRoot();
export const DEFAULT_MACHINE = join(PACKAGE_ROOT, 'machines', 'q35-default.yaml');

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' ? rel : path;
}
