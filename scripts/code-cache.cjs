'use strict';
/*
 * Writes V8's code caches of the common commands (dist/cli/cache/, see
 * bin/machc.cjs): for each, a fresh process loads the command's bundle the way the bin
 * does, runs the command on several example machines (output discarded) so
 * the functions it needs are compiled, and saves the bytecode. Run by
 * `npm run bundle`, with plain `node`, as `machc` runs.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { loadCli, CACHE_DIR } = require('../bin/machc.cjs');

const ROOT = join(__dirname, '..');
/** Where `machc run` looks for its firmware by default (runtime/machine/firmware.ts). */
const SEABIOS_BIN = '/usr/share/seabios/bios.bin';
const MACHINES = ['q35-default.yaml', 'sriov-nvme.yaml', 'switch-mixed.yaml', 'sriov-igb.yaml'].map((m) => join(ROOT, 'machines', m));

/** The command lines each cache is warmed with: the command on every machine, its common options too. */
function runs(command, tmp) {
  const each = (f) => MACHINES.flatMap(f);
  switch (command) {
    case 'check':
      return each((m) => [['check', m]]);
    case 'show':
      return each((m) => [['show', m]]);
    case 'build':
      return each((m) => [['build', m, '-o', join(tmp, 'out')]]);
    case 'lspci':
      return each((m) => [['lspci', m], ['lspci', '-v', m], ['lspci', '-t', m]]);
    case 'run':
      // Starting: the machine built and loaded, the firmware's first instruction. A cache that
      // also held the interpreter and the block compiler's work on the firmware's first 300,000
      // instructions was 50% larger and cost every start 15-20 ms to load; a long run compiles
      // what it needs as it goes.
      return [['run', join(ROOT, 'machines', 'q35-default.yaml'), '--max-insns', '1']];
    default:
      throw new Error(`no warm-up for ${command}`);
  }
}

async function warm(command) {
  if (command === 'run' && !existsSync(SEABIOS_BIN)) {
    // Without the firmware `machc run` stops before its first instruction: installing machc must
    // not depend on Debian's seabios, so this cache is left out and `run` starts without it.
    process.stderr.write(`code cache for run: skipped, ${SEABIOS_BIN} is not installed (Debian package seabios)\n`);
    return;
  }
  const { cli, writeCache } = loadCli([command], true);
  const tmp = mkdtempSync(join(tmpdir(), 'machc-code-cache-'));
  const io = { out() {}, err() {}, colorOut: false, colorErr: false };
  try {
    for (const args of runs(command, tmp)) {
      const code = await cli.main(args, io);
      if (code !== 0) throw new Error(`machc ${args.join(' ')} exited ${code} while warming the code cache`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeCache();
}

const one = process.argv[2];
if (one) {
  warm(one).catch((e) => {
    process.stderr.write(`code cache for ${one}: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
} else {
  rmSync(CACHE_DIR, { recursive: true, force: true });
  for (const command of ['check', 'show', 'build', 'lspci', 'run']) {
    const r = spawnSync(process.execPath, [__filename, command], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
