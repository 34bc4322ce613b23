/**
 * `machc build`: the output set, its determinism and atomicity, the manifest,
 * defaults, and what bad input and a bad -o do.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMachine, imagesFrom, tableFileNames, type BuildArtifacts } from '../../compiler/cli/commands/build.js';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { recoverDir } from '../../compiler/util/atomic.js';
import { BIN, machc, machcAsync, requireBuiltCli } from '../support/cli.js';
import { captureCases, DEFAULT_MACHINE, ROOT } from './machines.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-build-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const examples = readdirSync(join(ROOT, 'machines')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ROOT, 'machines', f));
const testMachines = [...new Set(captureCases().map((c) => c.machine))].filter((m) => existsSync(m) && compileMachine(m).machine);

/** A build in memory; `out`, when given, is where run-qemu.sh will be (its image paths depend on it). */
async function artifactsOf(path: string, out?: string): Promise<BuildArtifacts> {
  const r = compileMachine(path);
  if (!r.machine) throw new Error(`${path}: ${r.diagnostics.sorted().map((d) => d.message).join('; ')}`);
  // The firmware outputs; machine.ts (the TypeScript emitter's) is left to its own tests.
  return buildMachine(r.machine, { file: path.split('/').pop()!, bytes: readFileSync(path), ...(out ? { imagesFrom: imagesFrom(out, path) } : {}) }, { ts: false });
}

/** Every file under dir, relative, '/'-separated, with its bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A build directory is complete when its manifest names exactly its files, with matching sizes and hashes. */
function completeBuild(dir: string): boolean {
  const tree = readTree(dir);
  const manifestBytes = tree.get('manifest.json');
  if (!manifestBytes) return false;
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as BuildArtifacts['manifest'];
  const listed = manifest.files.map((f) => f.path);
  if ([...tree.keys()].filter((k) => k !== 'manifest.json').sort().join('\n') !== [...listed].sort().join('\n')) return false;
  return manifest.files.every((f) => tree.get(f.path)?.length === f.size && sha(tree.get(f.path)!) === f.sha256);
}

describe('build outputs', () => {
  for (const path of [...examples, ...testMachines]) {
    const name = relative(ROOT, path);
    it(`${name}: the full file set, byte-identical on a second build, listed in the manifest`, async () => {
      const a = await artifactsOf(path);
      const b = await artifactsOf(path);
      expect(b.files.map((f) => f.path)).toEqual(a.files.map((f) => f.path));
      a.files.forEach((f, i) => expect(Buffer.from(b.files[i]!.bytes).equals(Buffer.from(f.bytes)), f.path).toBe(true));

      const paths = a.files.map((f) => f.path);
      for (const p of ['fw_cfg/bootorder', 'fw_cfg/etc/acpi/rsdp', 'fw_cfg/etc/acpi/tables', 'fw_cfg/etc/e820', 'fw_cfg/etc/table-loader', 'e820.txt', 'qemu.args', 'manifest.json', 'acpi/DSDT.aml', 'acpi/DSDT.dsl', 'acpi/FACP.aml']) {
        expect(paths, p).toContain(p);
      }
      expect(paths.at(-1)).toBe('manifest.json');
      const listed = a.manifest.files.map((f) => f.path);
      expect(listed).toEqual([...listed].sort());
      expect(listed).toEqual(paths.slice(0, -1));
      for (const f of a.files.slice(0, -1)) {
        expect(a.manifest.files.find((m) => m.path === f.path)).toEqual({ path: f.path, size: f.bytes.length, sha256: sha(f.bytes) });
      }
      // Every .aml has its .dsl; tables and the manifest agree on the machine.
      for (const p of paths.filter((x) => x.endsWith('.aml'))) expect(paths).toContain(p.replace(/\.aml$/, '.dsl'));
      expect(a.manifest.machine).toBe(compileMachine(path).machine!.name);
      expect(JSON.parse(Buffer.from(a.files.at(-1)!.bytes).toString('utf8'))).toEqual(a.manifest);
    });
  }

  it('names several tables of one signature the way Linux lists them', () => {
    expect(tableFileNames(['FACS', 'DSDT', 'SSDT', 'FACP', 'SSDT', 'RSD PTR '])).toEqual(['FACS', 'DSDT', 'SSDT1', 'FACP', 'SSDT2', 'RSDP']);
  });
});

describe('machc build (command)', () => {
  it('writes the directory, prints a summary, and rebuilds byte for byte', async () => {
    const out = join(tmp, 'sriov-nvme');
    const io = bufferIo();
    expect(await main(['build', '--no-ts', join(ROOT, 'machines/sriov-nvme.yaml'), '-o', out], io)).toBe(0);
    expect(io.stdout).toMatch(/built .*sriov-nvme \(\d+ files; QEMU 7\.2, pc-q35-7\.2\)/);
    expect(completeBuild(out)).toBe(true);
    const first = readTree(out);
    const artifacts = await artifactsOf(join(ROOT, 'machines/sriov-nvme.yaml'), out);
    expect([...first.keys()].sort()).toEqual(artifacts.files.map((f) => f.path).sort());
    for (const f of artifacts.files) expect(first.get(f.path)!.equals(Buffer.from(f.bytes)), f.path).toBe(true);
    expect(await main(['build', '--no-ts', join(ROOT, 'machines/sriov-nvme.yaml'), '-o', out], bufferIo())).toBe(0);
    const second = readTree(out);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [k, v] of first) expect(second.get(k)!.equals(v), k).toBe(true);
    // No temporary siblings are left behind.
    expect(readdirSync(tmp).filter((n) => n.startsWith('.sriov-nvme'))).toEqual([]);
  });

  it('a rebuild that would write the same files leaves the folder untouched; any difference rewrites it whole', async () => {
    const out = join(tmp, 'unchanged');
    const build = async () => expect(await main(['build', DEFAULT_MACHINE, '-o', out], bufferIo())).toBe(0);
    await build();
    const stamp = (p: string) => {
      const st = statSync(join(out, p));
      return `${st.ino}:${st.mtimeMs}:${(st.mode & 0o7777).toString(8)}`;
    };
    const files = [...readTree(out).keys()];
    const before = new Map(files.map((f) => [f, stamp(f)]));
    const folder = stamp('.');
    await build();
    for (const f of files) expect(stamp(f), f).toBe(before.get(f));
    expect(stamp('.')).toBe(folder);
    // Changed bytes, a lost executable bit, a missing file: the build is written again, whole and as built.
    const original = readTree(out);
    writeFileSync(join(out, 'qemu.args'), '-m 1G\n');
    await build();
    expect(readFileSync(join(out, 'qemu.args')).equals(original.get('qemu.args')!)).toBe(true);
    expect(stamp('.')).not.toBe(folder);
    chmodSync(join(out, 'run-qemu.sh'), 0o644);
    await build();
    expect(statSync(join(out, 'run-qemu.sh')).mode & 0o111).not.toBe(0);
    rmSync(join(out, 'acpi', 'DSDT.dsl'));
    await build();
    const after = readTree(out);
    expect([...after.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [k, v] of original) expect(after.get(k)!.equals(v), k).toBe(true);
  });

  it('--json prints the manifest', async () => {
    const out = join(tmp, 'json');
    const io = bufferIo();
    expect(await main(['build', DEFAULT_MACHINE, '-o', out, '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toEqual(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
  });

  it('defaults: no file builds machines/q35-default.yaml; -o defaults to build/<machine name>', async () => {
    const cwd = process.cwd();
    const dir = join(tmp, 'cwd');
    mkdirSync(dir);
    try {
      process.chdir(dir);
      expect(await main(['build'], bufferIo())).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'build', 'q35-default', 'manifest.json'), 'utf8'));
      expect(manifest.machine).toBe('q35-default');
      expect(manifest.source.file).toBe('q35-default.yaml');
    } finally {
      process.chdir(cwd);
    }
  });

  it('bad input: diagnostics and exit 1, nothing written', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'chipset: q35\ndevices:\n  - { id: nic0, model: e1000e, bus: nowhere }\n');
    const io = bufferIo();
    const out = join(tmp, 'bad-out');
    expect(await main(['build', file, '-o', out], io)).toBe(1);
    expect(io.stderr).toMatch(/MD\d{4}/);
    expect(io.stderr).toContain('bad.yaml:3');
    expect(existsSync(out)).toBe(false);
  });

  it('bad -o: a file, a path through a file, a folder that is not a build: usage error, exit 2, nothing touched', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'keep');
    const notBuild = join(tmp, 'not-a-build');
    mkdirSync(notBuild);
    writeFileSync(join(notBuild, 'precious.txt'), 'keep');
    for (const out of [file, join(file, 'sub'), notBuild]) {
      const io = bufferIo();
      expect(await main(['build', DEFAULT_MACHINE, '-o', out], io), out).toBe(2);
      expect(io.stderr).toMatch(/^machc: -o /);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect(readdirSync(notBuild)).toEqual(['precious.txt']);
  });

  it('replaces an earlier build atomically: a killed build leaves the old build or the new one, never a mix', { timeout: 60_000 }, async () => {
    requireBuiltCli();
    const out = join(tmp, 'atomic');
    expect(await main(['build', DEFAULT_MACHINE, '-o', out], bufferIo())).toBe(0);
    const old = readTree(out);
    const big = join(ROOT, 'machines', 'switch-mixed.yaml');
    const run = (delay: number | undefined) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        const child = spawn(process.execPath, [BIN, 'build', big, '-o', join(tmp, delay === undefined ? 'atomic-timing' : 'atomic')], { stdio: 'ignore' });
        const timer = delay === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve(Date.now() - started);
        });
      });
    // Kill at points spread over a whole build's duration, most of them near its end, where it writes.
    const duration = await run(undefined);
    for (const delay of [0.3, 0.6, 0.8, 0.85, 0.9, 0.93, 0.96, 1.0].map((f) => Math.round(f * duration))) {
      await run(delay);
      // A kill between the two renames leaves no folder; the next build (any run writing it) puts the old one back.
      recoverDir(out);
      expect(readdirSync(dirname(out)).filter((f) => f.startsWith('.atomic.'))).toEqual([]);
      expect(existsSync(out), `after kill at ${delay} ms`).toBe(true);
      expect(statSync(out).isDirectory()).toBe(true);
      expect(completeBuild(out), `after kill at ${delay} ms`).toBe(true);
      const machine = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).machine;
      expect(['q35-default', 'switch-mixed']).toContain(machine);
      if (machine === 'q35-default') for (const [k, v] of old) expect(readFileSync(join(out, k)).equals(v)).toBe(true);
    }
  });
});

describe('the built CLI carries everything it runs', () => {
  it('check, build, lspci and run work from a copy of bin/, dist/ and machines/ with no node_modules', () => {
    requireBuiltCli();
    const pkg = join(tmp, 'installed');
    for (const d of ['bin', 'dist', 'machines']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    const bin = join(pkg, 'bin', 'machc.cjs');
    const sw = join(pkg, 'machines', 'switch-mixed.yaml');
    for (const args of [['check', sw], ['build', sw, '-o', join(tmp, 'self-contained')], ['lspci', sw], ['run', join(pkg, 'machines', 'q35-default.yaml'), '--max-insns', '100000']]) {
      const r = machc(args, { cwd: tmp, bin });
      expect(r.stderr, args.join(' ')).not.toMatch(/error MD|Cannot find|internal error/);
      expect(r.code, args.join(' ')).toBe(0);
    }
    expect(completeBuild(join(tmp, 'self-contained'))).toBe(true);
    expect(readFileSync(join(tmp, 'self-contained', 'machine.ts'), 'utf8')).toContain('export function createMachine(');
  });

  it('a common command runs from its own bundle, which carries only that command; the others and --color before the command still work', () => {
    requireBuiltCli();
    const pkg = join(tmp, 'own-bundles');
    for (const d of ['bin', 'dist', 'machines']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    const bin = join(pkg, 'bin', 'machc.cjs');
    const cli = join(pkg, 'dist', 'cli');
    // Without the whole CLI, the commands that have a bundle of their own still run (they use it)...
    rmSync(join(cli, 'machc.cjs'));
    rmSync(join(cli, 'cache'), { recursive: true, force: true });
    for (const command of ['check', 'show', 'lspci']) {
      const r = machc(['--color', 'never', command], { cwd: tmp, bin });
      expect(r.code, `${command}: ${r.stderr}`).toBe(0);
    }
    const out = join(tmp, 'own-bundle-build');
    expect(machc(['build', '-o', out], { cwd: tmp, bin }).code).toBe(0);
    expect(completeBuild(out)).toBe(true);
    expect(machc(['run', '--max-insns', '1000'], { cwd: tmp, bin }).code).toBe(0);
    // ...and each wrote its code cache; a command without one needs the whole CLI, which is not there.
    expect(readdirSync(join(cli, 'cache')).map((f) => f.replace(/-.*/, '')).sort()).toEqual(['build', 'check', 'lspci', 'run', 'show']);
    expect(machc(['models'], { cwd: tmp, bin }).stderr).toMatch(/the compiler is not built/);
    // The build bundle carries neither the runtime's CPU (runtime/cpu/cpu.ts's triple fault message) nor the other commands.
    expect(readFileSync(join(cli, 'machc-run.cjs'), 'latin1')).toContain('while delivering #DF');
    const build = readFileSync(join(cli, 'machc-build.cjs'), 'latin1');
    expect(build).not.toContain('while delivering #DF');
    expect(build).toContain('commands/lspci.js is not in the bundle of machc build');
  });

  it('ends as soon as the command is done, with everything it wrote through pipes and its exit code', async () => {
    requireBuiltCli();
    // Some hundreds of KiB on standard output, more than a pipe holds, and a failure's diagnostics on standard error.
    const args = ['lspci', '-v', '--json', join(ROOT, 'machines', 'large-fabric.yaml')];
    const expected = bufferIo();
    expect(await main(args, expected)).toBe(0);
    expect(expected.stdout.length).toBeGreaterThan(256 * 1024);
    const viaPipe = await machcAsync(args);
    expect(viaPipe.code).toBe(0);
    expect(viaPipe.stdout).toBe(expected.stdout);
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nchipset: q35\nmemory: lots\n');
    const failed = await machcAsync(['check', bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/bad\.yaml:3:9 error MD1101: cannot read this value: unexpected 'lots'\n[^]*1 error, 0 warnings in 1 file\n$/);
  });

  it("where the package's folder cannot be written, the code cache goes to the user's cache folder, named for the bundle", async () => {
    requireBuiltCli();
    const pkg = join(tmp, 'read-only-install');
    mkdirSync(join(pkg, 'dist', 'cli'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist', 'cli', 'machc.cjs'), join(pkg, 'dist', 'cli', 'machc.cjs'));
    // A file where the cache folder would be: no cache can be written there, whoever runs the tests.
    writeFileSync(join(pkg, 'dist', 'cli', 'cache'), '');
    const xdg = join(tmp, 'xdg');
    const env = { XDG_CACHE_HOME: xdg };
    const bin = join(pkg, 'bin', 'machc.cjs');
    const cached = () => (existsSync(join(xdg, 'machc')) ? readdirSync(join(xdg, 'machc')).filter((f) => f.startsWith('check-')) : []);
    const first = await machcAsync(['check', DEFAULT_MACHINE], { bin, env });
    expect(first.code, first.stderr).toBe(0);
    expect(cached()).toHaveLength(1);
    const file = join(xdg, 'machc', cached()[0]!);
    const written = statSync(file);
    // The next run uses it: V8 accepts it, so it is not written again (a rewrite is a new file, renamed in place).
    expect((await machcAsync(['check', DEFAULT_MACHINE], { bin, env })).code).toBe(0);
    expect(statSync(file).ino).toBe(written.ino);
    // Another bundle at the same path (an update) gets a cache of its own, never this one.
    writeFileSync(join(pkg, 'dist', 'cli', 'machc.cjs'), `${readFileSync(join(pkg, 'dist', 'cli', 'machc.cjs'), 'utf8')}\n`);
    expect((await machcAsync(['check', DEFAULT_MACHINE], { bin, env })).code).toBe(0);
    expect(cached()).toHaveLength(2);
    expect(readdirSync(join(pkg, 'dist', 'cli'))).toEqual(['cache', 'machc.cjs']);
  });
});
