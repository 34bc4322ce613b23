/**
 * Machine files in a git work tree and at a revision, for `machc diff --git`.
 * The old side of each file is read with `git show REV:path`; nothing in the
 * work tree or the index is changed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readBounded } from '../source/load.js';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export class GitError extends Error {}

export interface GitFile {
  /** Path relative to the repository root, with '/' separators. */
  readonly path: string;
  /** The file at the revision, or undefined when it does not exist there. */
  readonly oldText: Uint8Array | undefined;
  /** The lockfile next to it at the revision, if any. */
  readonly oldLock: Uint8Array | undefined;
  /** Whether the file exists in the work tree. */
  readonly inWorkTree: boolean;
  /** The path to use on disk (relative to the working directory when inside it). */
  readonly diskPath: string;
}

function git(cwd: string, args: string[]): { ok: boolean; out: Buffer; err: string } {
  const r = spawnSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new GitError(`cannot run git: ${r.error.message}`);
  return { ok: r.status === 0, out: r.stdout as Buffer, err: (r.stderr as Buffer).toString('utf8').trim() };
}

/** A machine file: YAML with a top-level `chipset:` key. */
export function looksLikeMachine(text: string | Uint8Array | undefined): boolean {
  if (text === undefined) return false;
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  return /^chipset[ \t]*:/m.test(s);
}

const isYaml = (p: string) => /\.ya?ml$/i.test(p);

export interface GitListing {
  readonly root: string;
  readonly rev: string;
  readonly files: readonly GitFile[];
}

/**
 * Lists the machine files to compare: the given paths (files or folders), or
 * every machine file in the work tree and at the revision.
 */
export function listMachineFiles(cwd: string, rev: string, paths: readonly string[]): GitListing {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new GitError(`not inside a git repository (${top.err || 'git rev-parse failed'})`);
  const root = top.out.toString('utf8').trim();
  const verify = git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (!verify.ok) throw new GitError(`'${rev}' is not a git revision in ${root}`);
  const toRepo = (p: string) => relative(root, resolve(cwd, p)).split(sep).join('/');
  const scopes = paths.map((p) => {
    const r = toRepo(p);
    if (r.startsWith('..') || isAbsolute(r)) throw new GitError(`${p} is outside the repository ${root}`);
    return r;
  });
  const inScope = (p: string) => scopes.length === 0 || scopes.some((s) => s === '' || p === s || p.startsWith(`${s}/`));

  const atRev = git(root, ['ls-tree', '-r', '-z', '--name-only', rev]);
  if (!atRev.ok) throw new GitError(`cannot list ${rev}: ${atRev.err}`);
  const revFiles = new Set(atRev.out.toString('utf8').split('\0').filter(Boolean));
  const tree = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (!tree.ok) throw new GitError(`cannot list the work tree: ${tree.err}`);
  const treeFiles = new Set(tree.out.toString('utf8').split('\0').filter((p) => p && existsSync(join(root, p))));

  const candidates = new Set<string>();
  for (const p of [...revFiles, ...treeFiles]) if (isYaml(p) && inScope(p)) candidates.add(p);
  // A path named explicitly is compared even without the usual extension.
  for (const s of scopes) if (revFiles.has(s) || treeFiles.has(s)) candidates.add(s);

  const show = (p: string): Uint8Array | undefined => {
    if (!revFiles.has(p)) return undefined;
    const r = git(root, ['show', `${rev}:${p}`]);
    return r.ok ? new Uint8Array(r.out) : undefined;
  };
  const files: GitFile[] = [];
  for (const p of [...candidates].sort()) {
    const disk = join(root, p);
    const inWorkTree = existsSync(disk) && statSync(disk).isFile();
    const oldText = show(p);
    const read = inWorkTree ? readBounded(disk) : undefined;
    const newText = read?.ok ? read.bytes : undefined;
    const explicit = scopes.includes(p);
    if (!explicit && !looksLikeMachine(oldText) && !looksLikeMachine(newText)) continue;
    const rel = relative(cwd, disk);
    files.push({
      path: p,
      oldText,
      oldLock: show(`${p}.lock`),
      inWorkTree,
      diskPath: rel && !rel.startsWith('..') ? rel : disk,
    });
  }
  for (const s of scopes) {
    if (!files.some((f) => f.path === s || f.path.startsWith(`${s}/`)) && !existsSync(join(root, s)) && !revFiles.has(s)) {
      throw new GitError(`${s}: no such file in the work tree or at ${rev}`);
    }
  }
  return { root, rev, files };
}
