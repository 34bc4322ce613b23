#!/usr/bin/env node
'use strict';
/*
 * The machc command. The compiler is written in TypeScript and bundled into one
 * script, dist/cli/machc.cjs, by `npm ci` / `npm run build`.
 *
 * Starting fast is most of what a small build costs, so the script is compiled
 * through V8's code cache: dist/cli/cache/COMMAND-KEY.bin holds the bytecode of
 * what COMMAND ran (KEY names the Node.js version and flags the cache is valid
 * for), and V8 skips parsing and compiling whatever it covers. `npm run build`
 * writes the caches of the common commands; a missing or rejected cache is
 * written after the command, when the folder is writable.
 */
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

const SCRIPT = join(__dirname, '..', 'dist', 'cli', 'machc.cjs');
const CACHE_DIR = join(__dirname, '..', 'dist', 'cli', 'cache');
const COMMANDS = ['asl', 'build', 'check', 'completion', 'diff', 'explain', 'fmt', 'graph', 'lspci', 'models', 'qemu', 'run', 'schema', 'show'];

/** The code cache file for a command line: one per command, per Node.js version, architecture and V8 flags. */
function cachePath(argv) {
  const first = argv.find((a) => !a.startsWith('-'));
  const command = COMMANDS.includes(first) ? first : 'other';
  const key = `${process.version}|${process.arch}|${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return join(CACHE_DIR, `${command}-${h.toString(16).padStart(8, '0')}.bin`);
}

/** Compiles and runs the bundle with the code cache at `cache`; returns its exports and a function that writes that cache. */
function loadCli(cache) {
  const source = readFileSync(SCRIPT, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: SCRIPT, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, SCRIPT, join(SCRIPT, '..'));
  const writeCache = () => {
    const tmp = `${cache}.${process.pid}.tmp`;
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cache);
    } catch {
      rmSync(tmp, { force: true });
    }
  };
  return { cli: mod.exports, cacheOk: cachedData !== undefined && !script.cachedDataRejected, writeCache };
}

if (require.main === module) {
  // process.env is a slow accessor object; the YAML parser reads it for every token. A plain copy is much faster.
  process.env = { ...process.env };
  const argv = process.argv.slice(2);
  let loaded;
  try {
    loaded = loadCli(cachePath(argv));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    process.stderr.write('machc: the compiler is not built; run `npm ci` (or `npm run build`) in the machc folder first\n');
    process.exit(2);
  }
  loaded.cli.main(argv).then((code) => {
    process.exitCode = code;
    if (!loaded.cacheOk) loaded.writeCache();
  });
} else {
  module.exports = { loadCli, cachePath, CACHE_DIR };
}
