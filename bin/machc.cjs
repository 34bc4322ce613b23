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
 * written after the command. Where the package's folder cannot be written (a
 * global install owned by root, run by a user), the cache goes to the user's
 * cache folder instead ($XDG_CACHE_HOME/machc or ~/.cache/machc), its name
 * then also naming this bundle (path, size, time), as V8 checks only a
 * script's length before using a cache.
 */
const { isAscii } = require('node:buffer');
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');
const vm = require('node:vm');

/*
 * V8 optimises a function once it has run for a while (its "interrupt
 * budget" of bytecode). A machc command is mostly code that runs once or a
 * few times: optimising it costs more than it saves (building the default
 * machine's tables took 35 ms with the default budget, 18 ms with four times
 * it). Code that stays hot, such as a guest's loops under `machc run`, is
 * still optimised, a little later. Set before the bundle is compiled: V8's
 * code cache records the flags it was made with.
 */
require('node:v8').setFlagsFromString(`--interrupt-budget=${4 * 66 * 1024}`);

const SCRIPT = join(__dirname, '..', 'dist', 'cli', 'machc.cjs');
const CACHE_DIR = join(__dirname, '..', 'dist', 'cli', 'cache');
const COMMANDS = ['asl', 'build', 'check', 'completion', 'diff', 'explain', 'fmt', 'graph', 'lsp', 'lspci', 'models', 'qemu', 'run', 'schema', 'show', 'where'];

function fnv1a(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function commandOf(argv) {
  const first = argv.find((a) => !a.startsWith('-'));
  return COMMANDS.includes(first) ? first : 'other';
}

const runtimeKey = () => `${process.version}|${process.arch}|${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`;

/** The code cache file for a command line: one per command, per Node.js version, architecture and V8 flags. */
function cachePath(argv) {
  return join(CACHE_DIR, `${commandOf(argv)}-${fnv1a(runtimeKey())}.bin`);
}

/** The user's cache folder for machc, or undefined without a home. */
function userCacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'machc');
  let home;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  return home ? join(home, '.cache', 'machc') : undefined;
}

/** The same cache in the user's cache folder, named for this bundle too (the folder serves every installation). */
function userCachePath(argv) {
  const dir = userCacheDir();
  if (!dir) return undefined;
  let bundle;
  try {
    const st = statSync(SCRIPT);
    bundle = `${SCRIPT}|${st.size}|${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  return join(dir, `${commandOf(argv)}-${fnv1a(runtimeKey())}-${fnv1a(bundle)}.bin`);
}

function readCache(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes `data()` to `path` through a temporary file; false when the folder cannot be written. */
function writeCacheFile(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(tmp, data());
    renameSync(tmp, path);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder is not there to hold it either.
    }
    return false;
  }
}

/**
 * Compiles and runs the bundle with the code cache at `cache` (else at
 * `fallback`, the user's); returns its exports and a function that writes
 * the cache, to `cache` or, where that cannot be written, to `fallback`.
 */
function loadCli(cache, fallback) {
  const bytes = readFileSync(SCRIPT);
  // The bundle is ASCII (esbuild escapes the rest): read as Latin-1, V8 skips decoding UTF-8.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const cachedData = readCache(cache) ?? (fallback ? readCache(fallback) : undefined);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: SCRIPT, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, SCRIPT, join(SCRIPT, '..'));
  const data = () => script.createCachedData();
  const writeCache = () => writeCacheFile(cache, data) || (fallback !== undefined && writeCacheFile(fallback, data));
  return { cli: mod.exports, cacheOk: cachedData !== undefined && !script.cachedDataRejected, writeCache };
}

if (require.main === module) {
  // process.env is a slow accessor object; the YAML parser reads it for every token. A plain copy is much faster.
  process.env = { ...process.env };
  // The bundle's import() calls are require() calls; a user's ES module (a plugin) is imported here.
  globalThis[Symbol.for('machc.importFile')] = (url) => import(url);
  const argv = process.argv.slice(2);
  let loaded;
  try {
    loaded = loadCli(cachePath(argv), userCachePath(argv));
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
