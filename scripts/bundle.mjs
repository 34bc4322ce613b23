/**
 * Bundles the command line and the runtime with esbuild (`npm run bundle`):
 *
 *   dist/cli/machc.cjs          the whole CLI in one CommonJS script (bin/machc.cjs runs it),
 *                               @viz-js/viz excepted (loaded only by `graph --format svg`), and
 *                               the language server protocol library (loaded only by `lsp`)
 *   dist/cli/machc-COMMAND.cjs  the same with one command only, for the common commands
 *   dist/cli/cache/             V8's code caches, warmed by running the common commands
 *   dist/runtime/index.js       the runtime as the package's `machc/runtime` export (ES module)
 *
 * One script rather than ES module chunks: Node.js's module loader costs more
 * than the script itself, and a script can use V8's code cache on Node 20.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/**
 * Node.js modules that cost milliseconds to load and that most runs never
 * call (commander requires child_process for a feature machc does not use;
 * crypto is only for manifest hashes, zlib for compressed qcow2 clusters): each import gets a stand-in that
 * loads the real module on first use.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'zlib'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      // Every function the module exports, as a wrapper that loads it on the first call.
      const names = Object.keys(require(`node:${args.path}`)).filter((k) => typeof require(`node:${args.path}`)[k] === 'function' && /^[a-z]\w*$/.test(k));
      const lines = names.map((k) => `export function ${k}(...a) { return load().${k}(...a); }`);
      return { contents: `let m; const load = () => (m ??= require('node:${args.path}'));\n${lines.join('\n')}\n`, loader: 'js' };
    });
  },
};
/**
 * Modules of machc's own that only some runs need and that cost milliseconds
 * to initialise (the value grammar initialises chevrotain, the YAML reader for
 * what the fast one does not take initialises the yaml library), keyed by the file
 * that imports them, with the functions it imports: the import gets a
 * stand-in whose functions load the real module on their first call. esbuild
 * reports an import of any other name from the stand-in as an error.
 */
const LAZY_MODULES = [
  { importer: 'compiler/values/index.ts', specifier: './grammar.js', file: 'compiler/values/grammar.ts', exports: ['parseWithGrammar'] },
  { importer: 'compiler/source/yaml-tree.ts', specifier: './yaml-library.js', file: 'compiler/source/yaml-library.ts', exports: ['parseYamlTreeWithLibrary'] },
];
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    for (const m of LAZY_MODULES) {
      const importer = join(ROOT, m.importer);
      const file = join(ROOT, m.file);
      const filter = new RegExp(`^${m.specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      b.onResolve({ filter }, (args) => (args.importer === importer ? { path: file, namespace: 'lazy-module' } : undefined));
    }
    b.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => {
      const m = LAZY_MODULES.find((x) => join(ROOT, x.file) === args.path);
      const lines = m.exports.map((k) => `export function ${k}(...a) { return load().${k}(...a); }`);
      return { contents: `let m; const load = () => (m ??= require(${JSON.stringify(args.path)}));\n${lines.join('\n')}\n`, loader: 'js', resolveDir: ROOT };
    });
  },
};
const only = process.argv[2];

/**
 * The commands whose start-up matters most (and whose code caches the build
 * warms) get a bundle of their own, dist/cli/machc-COMMAND.cjs: the command
 * line with that one command, about half the whole script. V8 reads, and
 * deserialises the code cache of, the whole script whatever runs, so a smaller
 * script starts faster. A process runs one command, so nothing is loaded twice.
 * Every other command, `--help` and an unknown command use dist/cli/machc.cjs.
 */
const SPLIT_COMMANDS = ['check', 'show', 'build', 'lspci', 'run'];

/**
 * In a command's own bundle, main.ts's import() of every other command is a
 * stand-in that fails (main.ts defines only the command its command line
 * names, so none is ever called; the launcher picks the bundle by the same
 * rule).
 */
const onlyCommand = (command) => ({
  name: 'only-command',
  setup(b) {
    const main = join(ROOT, 'compiler', 'cli', 'main.ts');
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) =>
      args.importer === main && args.path !== `./commands/${command}.js` ? { path: args.path, namespace: 'other-command' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the bundle of machc ${command}`)});\n`,
      loader: 'js',
    }));
  },
});

/** The command line (or one command's) as one CommonJS script. */
const bundleCli = (outfile, plugins = []) =>
  build({
    entryPoints: [join(ROOT, 'compiler', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // import() of bundled modules becomes a lazy initialiser; of an external, a require().
    supported: { 'dynamic-import': false },
    external: ['@viz-js/viz', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'],
    plugins: [lazyBuiltins, lazyModules, ...plugins],
    minify: !process.env.MACHC_NO_MINIFY,
    legalComments: 'linked',
    sourcemap: 'linked',
    define: { 'import.meta.url': '__machcModuleUrl' },
    // The script is one function expression, the wrapper Node.js puts around a CommonJS module:
    // bin/machc.cjs compiles it as it is read, with no copy of it to wrap.
    banner: { js: "(function (exports, require, module, __filename, __dirname) {var __machcModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    footer: { js: '\n})' },
    logLevel: 'warning',
  });

if (!only || only === 'cli') {
  rmSync(join(ROOT, 'dist', 'cli'), { recursive: true, force: true });
  await Promise.all([
    bundleCli(join(ROOT, 'dist', 'cli', 'machc.cjs')),
    ...SPLIT_COMMANDS.map((c) => bundleCli(join(ROOT, 'dist', 'cli', `machc-${c}.cjs`), [onlyCommand(c)])),
  ]);
  const warm = spawnSync(process.execPath, [join(ROOT, 'scripts', 'code-cache.cjs')], { stdio: 'inherit' });
  if (warm.status !== 0) process.exitCode = 1;
}

if (!only || only === 'runtime') {
  await build({
    entryPoints: [join(ROOT, 'runtime', 'index.ts')],
    outfile: join(ROOT, 'dist', 'runtime', 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
