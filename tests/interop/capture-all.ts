// Re-capture every topology in topologies.ts (or the named ones) for a target: 7.2 (the system QEMU)
// into tests/fixtures/captures/, 10.0 and 11.1 (tests/interop/qemu10.sh) into
// tests/fixtures/captures/qemu-V/. Topologies whose devices the target lacks are left out.
// usage: npx tsx tests/interop/capture-all.ts [--target 7.2|10.0|11.1] [NAME...]
import { isTargetVersion, TARGETS, type TargetVersion } from '../../compiler/model/target.js';
import { capture, targetOutRoot } from './capture.js';
import { TOPOLOGIES } from './topologies.js';

async function main(argv: string[]): Promise<void> {
  let version: TargetVersion = '7.2';
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--target') {
      const v = argv[++i] ?? '';
      if (!isTargetVersion(v)) throw new Error(`--target takes 7.2, 10.0 or 11.1, not '${v}'`);
      version = v;
    } else names.push(a);
  }
  const target = TARGETS[version];
  const unknown = names.filter((n) => !TOPOLOGIES.some((t) => t.name === n));
  if (unknown.length) throw new Error(`unknown topology: ${unknown.join(', ')}`);
  const todo = TOPOLOGIES.filter((t) => (names.length === 0 || names.includes(t.name)) && (t.targets === undefined || t.targets.includes(version)));
  let failed = 0;
  for (const t of todo) {
    try {
      const { result, failure } = await capture({
        name: t.name,
        args: t.args,
        vfs: t.vfs ?? {},
        mods: [],
        outRoot: targetOutRoot(target),
        description: t.description,
        expectFailure: t.expectFailure ?? false,
        // Newer QEMUs wait 32 s on the AHCI CD-ROM with SeaBIOS 1.16.2; a busy host doubles that.
        timeoutMs: 480_000,
        ...(version === '7.2' && t.targets === undefined ? {} : { target }),
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
