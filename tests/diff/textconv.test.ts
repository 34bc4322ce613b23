/**
 * `machc show --canonical --no-lockfile` as a git textconv driver, as
 * docs/review/README.md sets it up: plain `git diff` and `git log -p` show the
 * resolved topology, the output is stable (no line numbers, no temp file
 * names), and a commit whose machine does not compile does not stop git.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, ROOT } from '../support/cli.js';

describe('git textconv with machc show --canonical', () => {
  let repo: string;
  let pathDir: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=machc', '-c', 'user.email=machc@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.pager=cat', ...args], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // machc on PATH, as the README's installation puts it there (a link to bin/machc.cjs, like `npm link` makes).
      env: { ...process.env, PATH: `${pathDir}${delimiter}${process.env['PATH'] ?? ''}` },
    });

  beforeAll(() => {
    requireBuiltCli();
    repo = mkdtempSync(join(tmpdir(), 'machc-textconv-'));
    pathDir = join(repo, '.bin');
    mkdirSync(pathDir);
    symlinkSync(BIN, join(pathDir, 'machc'));
    git('init', '-q', '-b', 'main');
    // Exactly as docs/review/README.md sets it up.
    git('config', 'diff.machc.textconv', 'machc show --canonical --no-lockfile');
    git('config', 'diff.machc.cachetextconv', 'true');
    writeFileSync(join(repo, '.gitattributes'), '*.yaml diff=machc\n');
    mkdirSync(join(repo, 'machines'));
    // No `name:`: the canonical form must not pick up the temporary file's name.
    const unnamed = readFileSync(join(ROOT, 'tests/fixtures/diff/switch-port/old.yaml'), 'utf8').replace(/^name: .*\n/m, '');
    writeFileSync(join(repo, 'machines/router.yaml'), unnamed);
    git('add', '.');
    git('commit', '-q', '-m', 'router');
    writeFileSync(join(repo, 'machines/router.yaml'), readFileSync(join(ROOT, 'tests/fixtures/diff/switch-port/new.yaml'), 'utf8').replace(/^name: .*\n/m, ''));
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('git diff shows resolved topology changes, not YAML text', () => {
    const out = git('diff');
    expect(out).toContain('+  - bdf: 02:03.0\n+    id: sw0-p3');
    expect(out).toContain('+  - bdf: 07:00.0\n     id: wan0');
    expect(out).toContain('-  - bdf: 07:00.0\n+  - bdf: 08:00.0\n     id: boot0');
    expect(out).toContain('-      secondary-bus: 6\n-      subordinate-bus: 6\n+      secondary-bus: 7\n+      subordinate-bus: 7');
    expect(out).toContain('-        io: 4 KiB\n-        mem: 6 MiB');
    expect(out).not.toMatch(/^[-+ ]machine:/m);
    expect(out).not.toContain('line:');
    // Not the YAML text: the file's own lines never appear.
    expect(out).not.toContain('model: xio3130-downstream\n+    bus: sw0\n+    chassis: 2');
  }, 60_000);

  it('the same file gives the same text (stable)', () => {
    copyFileSync(join(repo, 'machines/router.yaml'), join(repo, 'machines/copy.yaml'));
    git('add', 'machines/copy.yaml');
    git('commit', '-q', '-m', 'copy');
    git('mv', 'machines/copy.yaml', 'machines/renamed.yaml');
    // A pure rename changes nothing in the canonical form: git reports no content change.
    const out = git('diff', '--cached', '-M', '--stat');
    expect(out).toContain('machines/{copy.yaml => renamed.yaml} | 0');
    git('commit', '-q', '-m', 'rename');
  }, 60_000);

  it('git log -p goes on past a commit whose machine does not compile', () => {
    git('add', '.');
    git('commit', '-q', '-m', 'switch port');
    writeFileSync(join(repo, 'machines/router.yaml'), 'chipset: q35\ncpus: many\n');
    git('commit', '-q', '-a', '-m', 'broken');
    const out = git('log', '-p', '--format=commit %s');
    expect(out).toContain('# machc: this file does not compile (1 errors); shown as written');
    expect(out).toContain('commit router');
  }, 60_000);
});
