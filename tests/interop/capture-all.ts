// Re-capture every topology in topologies.ts (or the named ones) into tests/fixtures/captures/.
// usage: npx tsx tests/interop/capture-all.ts [NAME...]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from './capture.js';
import { TOPOLOGIES } from './topologies.js';

const OUT = resolve(fileURLToPath(new URL('../fixtures/captures', import.meta.url)));

async function main(names: string[]): Promise<void> {
  const todo = names.length ? TOPOLOGIES.filter((t) => names.includes(t.name)) : TOPOLOGIES;
  const unknown = names.filter((n) => !TOPOLOGIES.some((t) => t.name === n));
  if (unknown.length) throw new Error(`unknown topology: ${unknown.join(', ')}`);
  let failed = 0;
  for (const t of todo) {
    try {
      const { result, failure } = await capture({
        name: t.name,
        args: t.args,
        vfs: t.vfs ?? {},
        mods: [],
        outRoot: OUT,
        description: t.description,
        expectFailure: t.expectFailure ?? false,
      });
      if (!result) {
        process.stdout.write(`${t.name}: boot failed as expected: ${failure?.message.split('\n')[0]}\n`);
        continue;
      }
      const line = `${t.name}: ${result.functions.length} functions, ${result.tables.size} tables, ${result.fwCfg.size} fw_cfg files, boot ${(result.bootMs / 1000).toFixed(1)} s`;
      process.stdout.write(line + '\n');
      if (result.initLog.trim()) process.stdout.write(result.initLog.trimEnd().replace(/^/gm, '  ') + '\n');
    } catch (e) {
      failed++;
      process.stdout.write(`${t.name}: FAILED\n${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
