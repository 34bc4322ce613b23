import { build } from 'esbuild';
import { join } from 'node:path';
const ROOT = process.cwd();
const cmd = process.argv[2];
const plug = { name: 'only', setup(b) { b.onResolve({ filter: /^\.\/commands\/[a-z]+\.js$/ }, (a) => a.importer.endsWith('cli/main.ts') && !a.path.endsWith(`/${cmd}.js`) ? { path: a.path, namespace: 'stub' } : undefined); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {}', loader: 'js' })); } };
const r = await build({ entryPoints: [join(ROOT, 'compiler/cli/main.ts')], outfile: `/tmp/s13/${cmd}.cjs`, bundle: true, platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, external: ['@viz-js/viz', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'], minify: true, metafile: true, plugins: [plug], define: { 'import.meta.url': '__u' }, logLevel: 'error' });
const out = Object.values(r.metafile.outputs)[0];
const byDir = {};
for (const [f, v] of Object.entries(out.inputs)) { const d = f.replace(/^(node_modules\/[^/]+|[^/]+\/[^/]+)\/.*$/, '$1'); byDir[d] = (byDir[d] ?? 0) + v.bytesInOutput; }
console.log(cmd, out.bytes, Object.entries(byDir).sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `${(v / 1024).toFixed(0)}K ${k}`).join(', '));
