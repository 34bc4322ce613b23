#!/usr/bin/env node
'use strict';
/*
 * The machc command. The compiler is written in TypeScript and bundled into one
 * script, dist/cli/machc.cjs, by `npm ci` / `npm run build`; the common
 * commands also get a script with only their own code, dist/cli/machc-COMMAND.cjs
 * (scripts/bundle.mjs), which a command line naming one of them runs instead.
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
 * it). Code that stays hot is still optimised, a little later. Set before the
 * bundle is compiled: V8's code cache records the flags it was made with.
 * `machc run` asks for V8's default budget (GUEST_FLAGS) once its guest has
 * run a while, and for these flags back before any cache is written
 * (Symbol.for('machc.guestTiering'), compiler/cli/commands/run.ts).
 *
 * The guest's flags also leave out two passes of V8's optimizing compiler that do nothing for
 * compiled guest code, which allocates no objects and whose loops are the guest's: escape
 * analysis and loop peeling. Compiling those functions is most of V8's optimizing work in a
 * Linux boot (2,000 of them, about 10 ms each). Without the two passes, that work took 8% fewer
 * host instructions for the first 3x10^8 guest instructions, and the code it made ran as many
 * (callgrind); over a boot to the shell its compiler allocated 5% less (8.6 GB -> 8.2 GB).
 * The startup flags name the defaults, so that switching back restores them.
 */
const STARTUP_FLAGS = `--interrupt-budget=${4 * 66 * 1024} --turbo-escape --turbo-loop-peeling`;
const GUEST_FLAGS = '--interrupt-budget=67584 --no-turbo-escape --no-turbo-loop-peeling';
require('node:v8').setFlagsFromString(STARTUP_FLAGS);

const DIST = join(__dirname, '..', 'dist', 'cli');
const CACHE_DIR = join(DIST, 'cache');
const COMMANDS = ['asl', 'build', 'check', 'completion', 'diff', 'explain', 'fmt', 'graph', 'lsp', 'lspci', 'models', 'qemu', 'run', 'schema', 'show', 'where'];

function fnv1a(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The command a command line names, as main.ts reads it (the first word that is not an option or --color's value), else 'other'. */
function commandOf(argv) {
  const first = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--color');
  return COMMANDS.includes(first) ? first : 'other';
}

/** The script that runs a command line: the command's own where the build made one, else the whole CLI. */
function scriptPaths(argv) {
  const command = commandOf(argv);
  const whole = join(DIST, 'machc.cjs');
  return command === 'other' ? [whole] : [join(DIST, `machc-${command}.cjs`), whole];
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

/** The same cache in the user's cache folder, named for the bundle `script` too (the folder serves every installation). */
function userCachePath(argv, script) {
  const dir = userCacheDir();
  if (!dir) return undefined;
  let bundle;
  try {
    const st = statSync(script);
    bundle = `${script}|${st.size}|${st.mtimeMs}`;
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

/** The first of `paths` that can be read, with its path; throws the last one's error (ENOENT: not built). */
function readScript(paths) {
  for (let i = 0; ; i++) {
    try {
      return { path: paths[i], bytes: readFileSync(paths[i]) };
    } catch (e) {
      if (e.code !== 'ENOENT' || i === paths.length - 1) throw e;
    }
  }
}

/**
 * Compiles and runs the bundle for the command line `argv` with its code
 * cache (dist/cli/cache/, else the user's cache folder; none with `fresh`);
 * returns its exports and a function that writes the cache, to dist/cli/cache/
 * or, where that cannot be written, to the user's cache folder.
 */
function loadCli(argv, fresh = false) {
  const { path, bytes } = readScript(scriptPaths(argv));
  const cache = cachePath(argv);
  // The user's cache is looked for only without the package's (it costs a stat and the home folder).
  let fallback;
  const userCache = () => (fallback ??= { path: userCachePath(argv, path) }).path;
  let cachedData = fresh ? undefined : readCache(cache);
  if (cachedData === undefined && !fresh && userCache() !== undefined) cachedData = readCache(userCache());
  // The bundle is ASCII (esbuild escapes the rest): read as Latin-1, V8 skips decoding UTF-8.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  // The bundle is a function expression: Node.js's module wrapper is part of it (scripts/bundle.mjs).
  const script = new vm.Script(source, { filename: path, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, path, join(path, '..'));
  const data = () => script.createCachedData();
  const writeCache = () => writeCacheFile(cache, data) || (userCache() !== undefined && writeCacheFile(userCache(), data));
  return { cli: mod.exports, path, cacheOk: cachedData !== undefined && !script.cachedDataRejected, writeCache };
}

if (require.main === module) {
  // process.env is a slow accessor object; the YAML parser reads it for every token. A plain copy is much faster.
  process.env = { ...process.env };
  // The bundle's import() calls are require() calls; a user's ES module (a plugin) is imported here.
  globalThis[Symbol.for('machc.importFile')] = (url) => import(url);
  const argv = process.argv.slice(2);
  let loaded;
  try {
    loaded = loadCli(argv);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    process.stderr.write('machc: the compiler is not built; run `npm ci` (or `npm run build`) in the machc folder first\n');
    process.exit(2);
  }
  // Where `machc run` keeps translations between runs (compiler/cli/store-files.ts): named for
  // this bundle and Node.js, in the package's cache folder, else the user's.
  Object.defineProperty(globalThis, Symbol.for('machc.cacheFolders'), {
    get() {
      const st = statSync(loaded.path);
      const dirs = [CACHE_DIR, userCacheDir()].filter((d) => d !== undefined);
      return { id: `${fnv1a(runtimeKey())}-${fnv1a(`${loaded.path}|${st.size}|${st.mtimeMs}`)}`, dirs };
    },
  });
  globalThis[Symbol.for('machc.guestTiering')] = (on) => require('node:v8').setFlagsFromString(on ? GUEST_FLAGS : STARTUP_FLAGS);
  loaded.cli.main(argv).then((code) => {
    process.exitCode = code;
    if (!loaded.cacheOk) loaded.writeCache();
    /*
     * The command is done: end the process now, once standard output and error hold nothing
     * unwritten (on Linux a write to a file, terminal or pipe completes before it returns).
     * Letting Node.js wind down instead runs the garbage collection V8 started on its own
     * meanwhile (machc run's guest RAM, an external allocation of hundreds of MiB, starts a
     * full one) and frees the heap object by object: 10-25 ms of a short run.
     */
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
  });
} else {
  module.exports = { loadCli, CACHE_DIR };
}
