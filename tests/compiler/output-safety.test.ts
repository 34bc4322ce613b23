/**
 * Where machc writes, it never loses a user's file: `-o` replaces only a
 * folder an earlier build wrote; a build killed between its two renames is
 * recovered by the next one; `fmt --write` and `check --lock` write through
 * symbolic links and keep modes; no command overwrites its own input; bad
 * output paths are usage errors (exit 2), never internal errors. Runs the
 * built CLI (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recoverDir, writeDirAtomic, writeFileAtomic } from '../../compiler/util/atomic.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'machc.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'machc-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function machc(args: string[], cwd = tmp): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const MACHINE = 'name: m\nchipset: q35\ndevices:\n  - { id: nic0, model: e1000e }\n';
const UNFORMATTED = 'chipset: q35\nname:   m\n';
let n = 0;
function folder(): string {
  const d = join(tmp, `case${n++}`);
  mkdirSync(d);
  return d;
}

describe('build -o replaces only what machc wrote', () => {
  it('refuses a folder with a manifest.json of its own (a web extension) and the machine file’s own folder', () => {
    const d = folder();
    writeFileSync(join(d, 'manifest.json'), '{ "manifest_version": 3, "name": "ext" }\n');
    writeFileSync(join(d, 'background.js'), 'x');
    const r = machc(['build', join(d, '..', 'missing.yaml')]);
    expect(r.code).toBe(2); // a file that cannot be read
    const ext = machc(['build', '-o', d]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toMatch(/not a machc build output/);
    expect(readdirSync(d).sort()).toEqual(['background.js', 'manifest.json']);

    const proj = folder();
    writeFileSync(join(proj, 'machine.yaml'), MACHINE);
    expect(machc(['build', join(proj, 'machine.yaml'), '-o', join(proj, 'out')]).code).toBe(0);
    // A build output next to the machine file, copied into the project: now the project looks like a build.
    writeFileSync(join(proj, 'manifest.json'), readFileSync(join(proj, 'out', 'manifest.json')));
    const self = machc(['build', join(proj, 'machine.yaml'), '-o', proj]);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/holds files machc did not write \((machine\.yaml|out)/);
    expect(readFileSync(join(proj, 'machine.yaml'), 'utf8')).toBe(MACHINE);
  });

  it('replaces an earlier build, but not one a user added a file to', () => {
    const d = folder();
    writeFileSync(join(d, 'm.yaml'), MACHINE);
    expect(machc(['build', 'm.yaml', '-o', 'out'], d).code).toBe(0);
    expect(machc(['build', 'm.yaml', '-o', 'out', '--no-ts'], d).code).toBe(0);
    expect(existsSync(join(d, 'out', 'machine.ts'))).toBe(false);
    writeFileSync(join(d, 'out', 'disk.img'), 'precious');
    const r = machc(['build', 'm.yaml', '-o', 'out'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('disk.img');
    expect(readFileSync(join(d, 'out', 'disk.img'), 'utf8')).toBe('precious');
    expect(machc(['build', 'm.yaml', '-o', '.'], d).code).toBe(2);
  });

  it('a build killed between its two renames is put back and finished by the next; leftovers are removed', () => {
    const d = folder();
    writeFileSync(join(d, 'm.yaml'), MACHINE);
    expect(machc(['build', 'm.yaml', '-o', 'out'], d).code).toBe(0);
    const before = readFileSync(join(d, 'out', 'manifest.json'), 'utf8');
    // What a kill between the renames leaves: the old build aside, the new one complete, no out/.
    const dead = 2 ** 22 + 12345;
    renameSync(join(d, 'out'), join(d, `.out.machc-old-${dead}-abc123`));
    mkdirSync(join(d, `.out.machc-new-${dead}-def456`));
    writeFileSync(join(d, `.out.machc-new-${dead}-def456`, 'qemu.args'), 'half');
    mkdirSync(join(d, '.out.tmp-AbC123.old'));
    expect(recoverDir(join(d, 'out')).sort()).toEqual([`.out.machc-new-${dead}-def456`, `.out.machc-old-${dead}-abc123`, '.out.tmp-AbC123.old'].sort());
    expect(readFileSync(join(d, 'out', 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(d).sort()).toEqual(['m.yaml', 'out']);
    // And through the command: leftovers of a dead run go.
    mkdirSync(join(d, `.out.machc-new-${dead}-xyz789`));
    expect(machc(['build', 'm.yaml', '-o', 'out'], d).code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['m.yaml', 'out']);
  });

  it('a failing fill leaves the old folder as it was, and no temporary folder', () => {
    const d = folder();
    const out = join(d, 'out');
    writeDirAtomic(out, (t) => writeFileSync(join(t, 'a'), '1'));
    expect(() => writeDirAtomic(out, () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(readFileSync(join(out, 'a'), 'utf8')).toBe('1');
    expect(readdirSync(d)).toEqual(['out']);
  });
});

describe('files are written through links, keep their modes, and never over the input', () => {
  it('fmt --write formats the target of a link, keeps the link, and keeps 0444 and 0640', () => {
    const d = folder();
    writeFileSync(join(d, 'real.yaml'), UNFORMATTED);
    symlinkSync('real.yaml', join(d, 'link.yaml'));
    expect(machc(['fmt', '--write', 'link.yaml'], d).code).toBe(0);
    expect(lstatSync(join(d, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.yaml'), 'utf8')).toBe('name: m\nchipset: q35\n');
    for (const mode of [0o444, 0o640]) {
      const f = join(d, `m${mode.toString(8)}.yaml`);
      writeFileSync(f, UNFORMATTED);
      chmodSync(f, mode);
      expect(machc(['fmt', '--write', f]).code).toBe(0);
      expect(statSync(f).mode & 0o777).toBe(mode);
      expect(readFileSync(f, 'utf8')).toBe('name: m\nchipset: q35\n');
    }
  });

  it('check --lock writes through a symlinked lockfile; a lockfile that is a directory is a usage error', () => {
    const d = folder();
    writeFileSync(join(d, 'm.yaml'), MACHINE);
    mkdirSync(join(d, 'locks'));
    symlinkSync('locks/m.lock', join(d, 'm.yaml.lock'));
    expect(machc(['check', '--lock', 'm.yaml'], d).code).toBe(0);
    expect(lstatSync(join(d, 'm.yaml.lock')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'locks', 'm.lock'), 'utf8')).toContain('nic0');
    const e = folder();
    writeFileSync(join(e, 'm.yaml'), MACHINE);
    mkdirSync(join(e, 'm.yaml.lock'));
    for (const args of [['check', '--lock', 'm.yaml'], ['check', '--lock', '--relock', 'm.yaml']]) {
      const r = machc(args, e);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/m\.yaml\.lock.*directory/);
    }
  });

  it('graph -o refuses its own input (also through a link) and a directory', () => {
    const d = folder();
    writeFileSync(join(d, 'm.yaml'), MACHINE);
    symlinkSync('m.yaml', join(d, 'alias.yaml'));
    for (const o of ['m.yaml', 'alias.yaml', './m.yaml']) {
      const r = machc(['graph', 'm.yaml', '-o', o], d);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('refusing to overwrite it');
    }
    expect(readFileSync(join(d, 'm.yaml'), 'utf8')).toBe(MACHINE);
    const dir = machc(['graph', 'm.yaml', '-o', '.'], d);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('is a directory');
  });

  it('writeFileAtomic keeps the owner and mode and leaves no temporary file', () => {
    const d = folder();
    const f = join(d, 'f');
    writeFileSync(f, 'a');
    chmodSync(f, 0o600);
    expect(writeFileAtomic(f, 'b')).toBe(true);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(writeFileAtomic(f, 'b')).toBe(false);
    expect(readdirSync(d)).toEqual(['f']);
  });
});

describe('bad output paths are usage errors (exit 2)', () => {
  const long = 'x'.repeat(300);
  const deep = Array.from({ length: 40 }, () => 'y'.repeat(200)).join('/');
  const cases: [string, string[]][] = [
    ['-o ""', ['build', '-o', '']],
    ['-o /proc/x', ['build', '-o', '/proc/x']],
    ['-o NAME_MAX', ['build', '-o', long]],
    ['-o PATH_MAX', ['build', '-o', deep]],
    ['build -o a file', ['build', '-o', '/etc/hostname']],
    ['graph -o ""', ['graph', '-o', '']],
    ['graph -o /proc/x', ['graph', '-o', '/proc/x']],
    ['graph -o NAME_MAX', ['graph', '-o', long]],
    ['graph -o PATH_MAX', ['graph', '-o', deep]],
    ['graph -o a directory', ['graph', '-o', '/tmp']],
  ];
  for (const [name, args] of cases) {
    it(name, () => {
      const r = machc(args);
      expect(r.stderr).not.toContain('internal error');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^machc: /);
    });
  }
});
