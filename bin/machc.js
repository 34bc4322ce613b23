#!/usr/bin/env node
// The machc command. The compiler is written in TypeScript and built into dist/ by `npm ci` / `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// process.env is a slow accessor object; the YAML parser reads it for every token. A plain copy is much faster.
process.env = { ...process.env };

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('machc: the compiler is not built; run `npm ci` (or `npm run build`) in the machc folder first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
