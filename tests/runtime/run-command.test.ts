/**
 * `machc run`: the machine's CPUs through Debian's SeaBIOS on the runtime,
 * with machc's firmware files; exit codes, the summary, plugins, and the
 * clean errors for bad options, missing images and a failing guest.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { ROOT } from '../codegen/support.js';
import { DEFAULT_MACHINE } from '../build/machines.js';
import { flatImage } from './cpu-build.js';
import { BIN, machc, requireBuiltCli } from '../support/cli.js';
import { needTools } from '../support/tools.js';

const BIOS = '/usr/share/seabios/bios-256k.bin';
const tmp = mkdtempSync(join(tmpdir(), 'machc-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = bufferIo();
  const code = await main(['run', ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe.runIf(needTools(BIOS, '/usr/share/seabios/vgabios-stdvga.bin'))('machc run on SeaBIOS', () => {
  it('boots the default machine to SeaBIOS\'s boot attempt (bios-256k.bin: SMBASE relocation through SMM)', async () => {
    const log = join(tmp, 'debugcon.log');
    const r = await run('--until', 'Booting from', '--debugcon', log);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^machc run machines\/q35-default\.yaml: saw "Booting from" after [\d,]+ instructions, [\d.]+ ms of guest time/);
    const text = readFileSync(log, 'latin1');
    expect(text).toMatch(/^SeaBIOS \(version 1\.16\.2/);
    // Our ACPI tables and e820 reached it through fw_cfg, the VGA BIOS ran, the AHCI CD-ROM was probed.
    expect(text).toContain('Start SeaVGABIOS');
    expect(text).toContain('AHCI/2: registering: "DVD/CD [AHCI/2: QEMU DVD-ROM ATAPI-4 DVD/CD]"');
    expect(text).toMatch(/e820 map has \d+ items:/);
    // (the run stops as soon as the text appears)
    expect(text).toMatch(/enter handle_19:\n {2}NULL\nBooting from/);
  }, 300_000);

  it('the guest\'s code gets V8\'s default tiering once 20 million instructions have run, and the startup flags back after the run', async () => {
    const key = Symbol.for('machc.guestTiering');
    const calls: boolean[] = [];
    (globalThis as Record<symbol, unknown>)[key] = (on: boolean) => calls.push(on);
    try {
      const short = await run('--max-insns', '1_000_000', '--json');
      expect(short.code, short.err).toBe(0);
      expect(calls).toEqual([]);
      const long = await run('--max-insns', '25_000_000', '--json');
      expect(long.code, long.err).toBe(0);
      expect(JSON.parse(long.out)).toMatchObject({ stopped: 'instruction-limit', instructions: 25_000_000 });
      expect(calls).toEqual([true, false]);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  }, 120_000);

  it('stops at an instruction limit; --json summary; the icount plugin counts what ran', async () => {
    const r = await run('--max-insns', '200_000', '--json', '--plugin', 'icount');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ machine: 'q35-default', stopped: 'instruction-limit', resets: 0 });
    // Exactly: a REP string's iterations are instructions, and one stops mid-way when the budget ends.
    expect(summary['instructions']).toBe(200_000);
    const counted = /icount: ([\d,]+) instructions/.exec(r.err);
    expect(counted, r.err).not.toBeNull();
    expect(Number(counted![1]!.replace(/,/g, ''))).toBe(summary['instructions']);
    // A limit inside a block: the block is cut there, and plugins see the cut block.
    for (const n of [7, 12_345]) {
      const cut = await run('--max-insns', String(n), '--json', '--plugin', 'icount');
      expect(JSON.parse(cut.out)).toMatchObject({ instructions: n });
      expect(cut.err).toContain(`icount: ${n} instructions`);
    }
  }, 120_000);

  it('the --json summary says what the CPUs translated and where the instructions ran', async () => {
    type Translation = { blocks: number; compiled: number; recompiled: number; fromStore: number; source: number; compiledRuns: number; tier1Instructions: number };
    const translation = async (...args: string[]) => {
      const r = await run('--no-store', '--json', ...args);
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out) as { instructions: number; translation: Translation };
      return { instructions: s.instructions, t: s.translation };
    };
    // Interpreted, every instruction retires in tier 1 (REP iterations each count) and nothing is compiled.
    const interp = await translation('--interpret', '--max-insns', '300000');
    expect(interp.t).toMatchObject({ compiled: 0, recompiled: 0, fromStore: 0, source: 0, compiledRuns: 0, tier1Instructions: 300_000 });
    expect(interp.t.blocks).toBeGreaterThan(100);
    // With the compiler: the blocks that ran 32,768 times (SeaBIOS's loops) are compiled, and
    // those few functions retire a good share of the instructions, round their loops.
    const jit = await translation('--max-insns', '3000000');
    expect(jit.t.compiled).toBeGreaterThanOrEqual(5);
    expect(jit.t.recompiled).toBeGreaterThan(0);
    expect(jit.t.compiled).toBeLessThan(jit.t.blocks / 100);
    expect(jit.t.source).toBeGreaterThan(jit.t.compiled * 200);
    expect(jit.t.compiledRuns).toBeGreaterThan(1_000);
    expect(jit.instructions - jit.t.tier1Instructions).toBeGreaterThan(500_000);
    // The same run again: the same counts (the run is deterministic, and so is what it compiles).
    expect((await translation('--max-insns', '3000000')).t).toEqual(jit.t);
  }, 120_000);

  it('--json\'s summary is a line of its own after a console line the guest left open', async () => {
    // At the reset vector: "hi" to COM1 (no newline), then cli; hlt (seven instructions with the HLT).
    const img = new Uint8Array(65536).fill(0xf4);
    img.set([0xba, 0xf8, 0x03, 0xb0, 0x68, 0xee, 0xb0, 0x69, 0xee, 0xfa, 0xf4], 0xfff0);
    const bios = join(tmp, 'hi.bin');
    writeFileSync(bios, img);
    for (const more of [['--until', 'hi'], []]) {
      const r = await run('--bios', bios, '--json', '--no-store', ...more);
      const lines = r.out.split('\n');
      expect(lines[0], r.err).toBe('hi');
      expect(JSON.parse(lines[1]!)).toMatchObject({ instructions: 7, stopped: more.length ? 'until' : 'halted' });
      expect(lines.slice(2)).toEqual(['']);
    }
  }, 60_000);

  it('the summary counts the frames the machine\'s NICs sent through its switch (none before a driver runs; a machine without NICs has no count)', async () => {
    const file = join(tmp, 'nics.yaml');
    writeFileSync(file, 'chipset: q35\nqemu: "10.0"\ndevices:\n  - { id: nic0, model: e1000e, mac: 52:54:00:0e:00:01 }\n  - { id: nic1, model: virtio-net, mac: 52:54:00:0e:00:02 }\n  - { id: nic2, model: igb }\n');
    const r = await run(file, '--max-insns', '1000');
    expect(r.code, r.err).toBe(0);
    // e1000e, virtio-net and igb (its VFs, none enabled here, would share the PF's port) are on the switch.
    expect(r.err).toMatch(/ms\), 0 Ethernet frames switched between 3 NICs\n/);
    const json = await run(file, '--max-insns', '1000', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ network: { nics: 3, frames: 0 } });
    expect(JSON.parse((await run('--max-insns', '1000', '--json')).out)).not.toHaveProperty('network');
  });

  it('a plugin from a module file, through the installed command (an ES module loaded by the bundled CLI)', () => {
    requireBuiltCli();
    const file = join(tmp, 'blocks.mjs');
    writeFileSync(
      file,
      `export default { name: 'blocks', install(api) {
        let blocks = 0, insns = 0;
        api.onTranslate((b) => { blocks++; b.insns[0].onExecute(() => {}); insns += b.insns.length; });
        api.onExit(() => api.output('blocks: ' + blocks + ' translated, ' + insns + ' instructions, arg ' + api.args.tag + '\\n'));
      } };\n`,
    );
    const r = spawnSync(process.execPath, [BIN, 'run', '--max-insns', '5000', '--plugin', `${file},tag=x1`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const m = /blocks: (\d+) translated, (\d+) instructions, arg x1/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10);
    expect(Number(m![2])).toBeGreaterThanOrEqual(Number(m![1]));
  }, 60_000);

  it('the installed command keeps the boot\'s translations, and the next run takes them with the same log; --no-store neither takes nor keeps', () => {
    requireBuiltCli();
    const dir = join(tmp, 'store');
    const boot = (n: number, ...more: string[]) => {
      const log = join(tmp, `store-${n}.log`);
      const r = machc(['run', '--until', 'Booting from', '--debugcon', log, '--json', ...more], { env: { MACHC_STORE_DIR: dir } });
      expect(r.code, r.stderr).toBe(0);
      return { summary: JSON.parse(r.stdout) as { instructions: number; store?: { taken: number; added: number }; translation: { compiled: number; recompiled: number; fromStore: number } }, log: readFileSync(log, 'latin1') };
    };
    const first = boot(1);
    expect(first.summary.store!.taken).toBe(0);
    // Hundreds of tier-1 forms and tier-2 functions.
    expect(first.summary.store!.added).toBeGreaterThan(300);
    const stores = readdirSync(dir).filter((n) => n.endsWith('.js'));
    expect(stores).toHaveLength(1);
    const second = boot(2);
    expect(second.summary.store).toEqual({ taken: first.summary.store!.added, added: 0 });
    // The functions the first run compiled (and kept: a recompile that takes in no other block is
    // dropped), the second took from the store instead.
    expect(first.summary.translation.fromStore).toBe(0);
    expect(second.summary.translation).toMatchObject({ compiled: 0, recompiled: 0 });
    // (SeaBIOS's loops: the blocks that ran 32,768 times in tier 1, and again with the blocks they reach.)
    expect(second.summary.translation.fromStore).toBeGreaterThan(5);
    expect(second.summary.translation.fromStore).toBeLessThanOrEqual(first.summary.translation.compiled + first.summary.translation.recompiled);
    expect(second.summary.instructions).toBe(first.summary.instructions);
    expect(second.log).toBe(first.log);
    // The second run wrote V8's code cache for the store; a third has both.
    expect(readdirSync(dir).sort()).toEqual([stores[0]!.replace(/\.js$/, '.bin'), stores[0]!]);
    const cold = boot(3, '--no-store');
    expect(cold.summary).not.toHaveProperty('store');
    expect(cold.log).toBe(first.log);
    // A damaged store is ignored, and replaced.
    writeFileSync(join(dir, stores[0]!), readFileSync(join(dir, stores[0]!), 'latin1').slice(0, 5000));
    const healed = boot(4);
    expect(healed.summary.store).toEqual({ taken: 0, added: first.summary.store!.added });
    expect(healed.log).toBe(first.log);
  }, 120_000);

  it('a run long enough for the guest\'s own tiering (past 20 million instructions) leaves a code cache the next start takes: the startup flags are back before it is written', () => {
    requireBuiltCli();
    // The run command alone, without a code cache (an installation's first run).
    const pkg = join(tmp, 'tiering');
    mkdirSync(join(pkg, 'dist', 'cli'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist', 'cli', 'machc-run.cjs'), join(pkg, 'dist', 'cli', 'machc-run.cjs'));
    const bin = join(pkg, 'bin', 'machc.cjs');
    const cacheDir = join(pkg, 'dist', 'cli', 'cache');
    const long = () => {
      const r = machc(['run', DEFAULT_MACHINE, '--max-insns', '25_000_000', '--no-store', '--json'], { bin });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ stopped: 'instruction-limit', instructions: 25_000_000 });
    };
    long();
    const caches = readdirSync(cacheDir);
    expect(caches).toHaveLength(1);
    const written = statSync(join(cacheDir, caches[0]!));
    // V8 takes it (a cache made with other flags it rejects, and the command writes it again).
    long();
    expect(readdirSync(cacheDir)).toEqual(caches);
    expect(statSync(join(cacheDir, caches[0]!)).ino).toBe(written.ino);
  }, 120_000);

  it('a store folder that cannot be written: the run goes on, and says so, with what to do', () => {
    requireBuiltCli();
    const notDir = join(tmp, 'not-a-folder');
    writeFileSync(notDir, '');
    const r = machc(['run', '--max-insns', '5000'], { env: { MACHC_STORE_DIR: join(notDir, 'store') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`machc: could not keep this run's translations in ${join(notDir, 'store')}: make the folder writable, set MACHC_STORE_DIR to one that is, or run with --no-store`);
  }, 60_000);

  it('a busy-wait that polls the TSC past timer deadlines takes the timer interrupts on time (PIT every 1 ms: 20 in 20 ms)', async () => {
    const bios = join(tmp, 'busywait.bin');
    writeFileSync(bios, flatImage('busywait-timer.S'));
    const log = join(tmp, 'busywait.log');
    const r = await run('--bios', bios, '--debugcon', log);
    expect(r.code, r.err).toBe(4); // it halts with interrupts off once done
    const m = /^ticks=(\d\d)\n$/.exec(readFileSync(log, 'latin1'));
    expect(m, readFileSync(log, 'latin1')).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19);
    expect(Number(m![1])).toBeLessThanOrEqual(20);
  }, 60_000);

  it('a triple fault resets the machine, as on QEMU; --no-reboot stops there with the CPU state', async () => {
    // A 64 KiB image whose reset vector loads an empty IDT and raises INT3: #GP, #DF, triple fault.
    const img = new Uint8Array(65536).fill(0xf4);
    img.fill(0, 0xffe0, 0xffe6);
    img.set([0x2e, 0x0f, 0x01, 0x1e, 0xe0, 0xff, 0xcc], 0xfff0);
    const bios = join(tmp, 'triple.bin');
    writeFileSync(bios, img);
    const r = await run('--bios', bios, '--max-insns', '10', '--json');
    expect(r.code, r.err).toBe(0);
    // One instruction per boot (LIDT; the INT3 never retires): each triple fault resets the machine and it starts again.
    expect(JSON.parse(r.out)).toMatchObject({ stopped: 'instruction-limit', instructions: 10, resets: 9, tripleFaults: 9 });
    const stop = await run('--bios', bios, '--no-reboot');
    expect(stop.code).toBe(3);
    expect(stop.err).toContain('the guest failed after 1 instructions');
    expect(stop.err).toMatch(/triple fault \(#\w+ while delivering #DF\)/);
    expect(stop.err).toMatch(/eip=0000fff6 /);
  }, 60_000);

  it('with no bootable device SeaBIOS stops there, as QEMU with its default boot-fail-wait (no reboot)', async () => {
    const log = join(tmp, 'noboot.log');
    const r = await run('--until', 'No bootable device.', '--max-insns', '40_000_000', '--json', '--debugcon', log);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ stopped: 'until', resets: 0 });
    const text = readFileSync(log, 'latin1');
    expect(text).toContain('Booting from Hard Disk...\nBoot failed: could not read the boot disk');
    expect(text).toContain('enter handle_18:\n  NULL\nNo bootable device.');
    expect(text).not.toContain('Retrying');
  }, 300_000);

  it('a guest that runs what the CPU does not model fails with exit 3 and its state', async () => {
    // A 64 KiB image whose reset vector holds an x87 FADD.
    const img = new Uint8Array(65536).fill(0xf4);
    img.set([0xd8, 0xc1], 0xfff0);
    const bios = join(tmp, 'fadd.bin');
    writeFileSync(bios, img);
    const r = await run('--bios', bios);
    expect(r.code).toBe(3);
    expect(r.err).toContain('the guest failed after 0 instructions');
    expect(r.err).toContain('x87 instruction d8 c1 is not modelled');
    expect(r.err).toMatch(/eip=0000fff0 .* mode=real/);
    expect(r.err).toMatch(/cs=f000\[ffff0000\+0000ffff\]/);
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('machc run: bad input is a clean error', () => {
  it('bad options and images are usage errors (exit 2)', async () => {
    for (const [args, msg] of [
      [['--max-insns', 'lots'], /--max-insns needs a positive whole number, not 'lots'/],
      [['--max-insns', '0'], /--max-insns needs a positive whole number/],
      [['--bios', join(tmp, 'none.bin')], /firmware image .*none\.bin does not exist \(check --bios\)/],
      [['--plugin', 'nosuch'], /--plugin nosuch: no such built-in plugin \(icount, /],
      [['--plugin', './nosuch.mjs'], /--plugin \.\/nosuch\.mjs: no such file/],
      [['--bios', tmp], /firmware image .*: is a directory \(check --bios\)/],
      [['--kernel', tmp], /kernel .*: is a directory \(check --kernel\)/],
      // The debug console's file is checked and made before the guest runs, not written after it.
      [['--debugcon', join(tmp, 'no-such-dir', 'log')], /--debugcon .*log: cannot write it \(ENOENT: /],
      [['--debugcon', tmp], /--debugcon .*: is a directory; give a file name/],
      [['--debugcon', join(ROOT, 'machines/q35-default.yaml')], /is the input file .*q35-default\.yaml; refusing to overwrite it/],
      [['--bios', join(tmp, 'none.bin'), '--debugcon', join(tmp, 'none.bin')], /--debugcon .*none\.bin: is the input file .*none\.bin; refusing to overwrite it/],
    ] as const) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    // A kernel image named as the debug console's file is refused and left as it was.
    const kernel = join(tmp, 'kernel.img');
    writeFileSync(kernel, 'not touched');
    const k = await run('--kernel', kernel, '--debugcon', kernel);
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/kernel\.img: is the input file .*kernel\.img; refusing to overwrite it/);
    expect(readFileSync(kernel, 'utf8')).toBe('not touched');
    writeFileSync(join(tmp, 'small.bin'), new Uint8Array(1000));
    const r = await run('--bios', join(tmp, 'small.bin'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a firmware image \(1000 bytes; a whole number of 4 KiB pages up to 16 MiB\)/);
  });

  it('drives whose images cannot be opened are named by device id and machine-file line (exit 2)', async () => {
    const file = join(ROOT, 'machines/sriov-nvme.yaml');
    const lineOf = (id: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`id: ${id}`)) + 1;
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^machc: machines/sriov-nvme\\.yaml:${lineOf('nvme0')}: nvme0: namespace 1: cannot open .*images/pool\\.raw \\(ENOENT\\)$`, 'm'));
    expect(r.err).toMatch(new RegExp(`^machc: machines/sriov-nvme\\.yaml:${lineOf('boot0')}: boot0: disk: `, 'm'));
    expect(r.out).toBe('');
  });

  it('a machine file with errors stops at its diagnostics (exit 1)', async () => {
    const r = await run(join(ROOT, 'tests/fixtures/machines/cap-many-rootports-16.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error/);
  });
});
