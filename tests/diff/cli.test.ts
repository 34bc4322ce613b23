/**
 * `machc diff` from the command line: exit codes as diff(1), formats, colour,
 * and `--git REV` against a throwaway repository.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo, type Io } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { diffSides } from '../../compiler/diff/index.js';
import { compileSide } from './support.js';

const PAIR = (c: string) => [`tests/fixtures/diff/${c}/old.yaml`, `tests/fixtures/diff/${c}/new.yaml`];

async function run(args: string[], io = bufferIo()): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('exit codes follow diff(1)', () => {
  it('0 and a one-line answer for the same machine', async () => {
    const r = await run(['diff', 'machines/sriov-igb.yaml', 'machines/sriov-igb.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no changes to the machine');
  });

  it('1 when the machines differ', async () => {
    const r = await run(['diff', ...PAIR('nic-move')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nic0');
  });

  it('2 with located diagnostics when a side does not compile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-diff-'));
    try {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'chipset: q35\ndevices:\n  - id: nic0\n    model: e1000x\n');
      const r = await run(['diff', PAIR('nic-move')[0]!, bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${bad}:4:12`);
      expect(r.stderr).toContain('MD1004');
      expect(r.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('2 for a missing file and for the wrong number of arguments', async () => {
    expect((await run(['diff', 'machines/q35-default.yaml', 'no/such.yaml'])).code).toBe(2);
    const r = await run(['diff', 'machines/q35-default.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('diff takes two machine files');
  });

  it('JSON diagnostics on stdout for --format json errors', async () => {
    const r = await run(['diff', '--format', 'json', 'machines/q35-default.yaml', 'no/such.yaml']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics[0].code).toBe('MD0001');
  });
});

describe('formats', () => {
  it('JSON is the MachineDiff', async () => {
    const r = await run(['diff', '--format', 'json', ...PAIR('vfs-bus-shift')]);
    const d = JSON.parse(r.stdout);
    expect(d.same).toBe(false);
    expect(d.consequences.names[0]).toMatchObject({ id: 'mgmt0', old: 'enp3s0', new: 'enp4s0' });
    expect(d.acpi.available).toBe(true);
  });

  it('Markdown has a Mermaid graph of the changed subtree', async () => {
    const r = await run(['diff', '--format', 'markdown', ...PAIR('switch-port')]);
    expect(r.stdout).toContain('```mermaid\ngraph TD');
    expect(r.stdout).toMatch(/n\d+\["lan1<br\/>e1000e<br\/>06:00\.0"\]:::added/);
    expect(r.stdout).toContain('+Device(\\_SB.PCI0.S10.S00.S18)');
  });

  it('colour only when the output wants it', async () => {
    const plain = await run(['diff', ...PAIR('switch-port')]);
    expect(plain.stdout).not.toContain('\x1b[');
    const tty: Io & { stdout: string; stderr: string } = { ...bufferIo(), colorOut: true };
    const io = Object.assign(tty, { out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) });
    const colored = await run(['diff', ...PAIR('switch-port')], io);
    expect(colored.stdout).toContain('\x1b[32m+\x1b[0m sw0-p3');
  });

  it('the same input gives byte-identical output', async () => {
    const a = await run(['diff', '--format', 'markdown', ...PAIR('vfs-bus-shift')]);
    const b = await run(['diff', '--format', 'markdown', ...PAIR('vfs-bus-shift')]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('a machine compared with itself is the same', () => {
  const files = [...readdirSync('machines').map((f) => join('machines', f)), ...readdirSync('tests/fixtures/machines').filter((f) => f.endsWith('.yaml')).map((f) => join('tests/fixtures/machines', f))];
  it.each(files)('%s', (f) => {
    let side;
    try {
      side = compileSide(f);
    } catch {
      return; // machines meant to fail are not this test's business
    }
    expect(diffSides(side, side).same).toBe(true);
  });

  it('comments, key order and value spelling do not count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-diff-'));
    try {
      const text = readFileSync('tests/fixtures/diff/nic-move/old.yaml', 'utf8');
      const reordered = text
        .replace('# Three root ports', '# Reworded comment.\n# Three root ports')
        .replace('memory: 2 GiB', 'memory: 2048 MiB')
        .replace('  - id: rp1\n    model: pcie-root-port\n    chassis: 1\n    slot: 1', '  - model: pcie-root-port\n    slot: 1\n    id: rp1\n    chassis: 0x1');
      expect(reordered).not.toBe(text);
      const other = join(dir, 'same.yaml');
      writeFileSync(other, reordered);
      const d = diffSides(compileSide('tests/fixtures/diff/nic-move/old.yaml'), compileSide(other));
      expect(d.same).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--git REV', () => {
  let repo: string;
  const cwd = process.cwd();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=machc', '-c', 'user.email=machc@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'machc-git-'));
    git('init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'machines'));
    copyFileSync(join(cwd, 'tests/fixtures/diff/switch-port/old.yaml'), join(repo, 'machines/router.yaml'));
    copyFileSync(join(cwd, 'machines/q35-default.yaml'), join(repo, 'machines/plain.yaml'));
    copyFileSync(join(cwd, 'machines/sriov-nvme.yaml'), join(repo, 'machines/gone.yaml'));
    writeFileSync(join(repo, 'ci.yaml'), 'on: push\njobs: {}\n');
    git('add', '.');
    git('commit', '-q', '-m', 'machines');
    // The change under review: a switch port added, one machine deleted, one added.
    copyFileSync(join(cwd, 'tests/fixtures/diff/switch-port/new.yaml'), join(repo, 'machines/router.yaml'));
    unlinkSync(join(repo, 'machines/gone.yaml'));
    copyFileSync(join(cwd, 'machines/sriov-igb.yaml'), join(repo, 'machines/new.yaml'));
    process.chdir(repo);
  });

  afterAll(() => {
    process.chdir(cwd);
    rmSync(repo, { recursive: true, force: true });
  });

  it('compares every machine file with the revision and reports added and deleted files', async () => {
    const r = await run(['diff', '--git', 'HEAD']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HEAD:machines/router.yaml → machines/router.yaml');
    expect(r.stdout).toContain('wan0  NIC enp6s0 → enp7s0');
    expect(r.stdout).toContain("- machines/gone.yaml: machine 'sriov-nvme' deleted");
    expect(r.stdout).toContain("+ machines/new.yaml: machine 'sriov-igb' added");
    expect(r.stdout).not.toContain('plain.yaml');
    expect(r.stdout).not.toContain('ci.yaml');
  });

  it('takes paths, and exits 0 when they did not change', async () => {
    const r = await run(['diff', '--git', 'HEAD', 'machines/plain.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no changes to machine files since HEAD (1 compared)');
  });

  it('JSON lists every file with its status', async () => {
    const r = await run(['diff', '--git', 'HEAD', '--format', 'json']);
    const body = JSON.parse(r.stdout);
    expect(body.rev).toBe('HEAD');
    const status = Object.fromEntries(body.files.map((f: { path: string; status: string }) => [f.path, f.status]));
    expect(status).toEqual({ 'machines/gone.yaml': 'deleted', 'machines/new.yaml': 'added', 'machines/plain.yaml': 'unchanged', 'machines/router.yaml': 'modified' });
  });

  it('Markdown for a pull request', async () => {
    const r = await run(['diff', '--git', 'HEAD', '--format', 'markdown']);
    expect(r.stdout).toMatch(/^## Machine topology changes since `HEAD`/);
    expect(r.stdout).toContain('🔴 `machines/gone.yaml`');
    expect(r.stdout).toContain('```mermaid');
  });

  it('2 for a revision that does not exist or a path outside the repository', async () => {
    const r = await run(['diff', '--git', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'no-such-branch' is not a git revision");
    expect((await run(['diff', '--git', 'HEAD', tmpdir()])).code).toBe(2);
  });

  it('2 when the revision holds a machine file that does not compile', async () => {
    writeFileSync(join(repo, 'machines/router.yaml'), 'chipset: q35\ncpus: many\n');
    const r = await run(['diff', '--git', 'HEAD', 'machines/router.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('machines/router.yaml:2:7');
    copyFileSync(join(cwd, 'tests/fixtures/diff/switch-port/new.yaml'), join(repo, 'machines/router.yaml'));
  });

  it('2 with a located MD0009 (no stack overflow) for a recursive alias on either side or in a lockfile', async () => {
    writeFileSync(join(repo, 'machines/loop.yaml'), 'chipset: q35\nx: &a [*a]\n');
    const r = await run(['diff', '--git', 'HEAD', 'machines/loop.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/machines\/loop\.yaml:2:8 error MD0009: unsupported YAML: a recursive alias/);
    writeFileSync(join(repo, 'machines/plain.yaml.lock'), 'lock-version: 1\ndevices: &a { x: *a }\n');
    const lock = await run(['diff', '--git', 'HEAD', 'machines/plain.yaml']);
    expect(lock.stderr).toContain('MD0009');
    expect(lock.stderr).not.toContain('internal error');
    unlinkSync(join(repo, 'machines/loop.yaml'));
    unlinkSync(join(repo, 'machines/plain.yaml.lock'));
  });
});
