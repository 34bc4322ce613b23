/**
 * Atomic output: files and directories are written under a temporary name in
 * the same folder and renamed into place, so a failed or interrupted run never
 * leaves a half-written result.
 *
 * Files are written through symbolic links (the link stays, its target gets
 * the new content) and keep their permission bits and owner.
 *
 * A directory is replaced with two renames (the old one aside, the new one
 * in); Node has no atomic exchange of two directories. Every temporary name
 * carries machc's mark and the writer's process id, so the next run that
 * writes the same directory can tell what a killed run left: it puts the
 * previous directory back if the kill came between the two renames, and
 * removes the other leftovers of dead processes.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file a path finally names: symbolic links followed, even when the target does not exist yet. */
export function resolveLinks(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    try {
      return realpathSync(p);
    } catch {
      // A dangling link: follow it one step by hand.
      let target: string;
      try {
        target = readlinkSync(p);
      } catch {
        return p;
      }
      p = resolve(dirname(p), target);
    }
  }
  return p;
}

/**
 * Writes a file atomically; skips the write when the content is unchanged.
 * Returns whether it wrote. Follows symbolic links and keeps the mode and
 * owner of the file it replaces.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  const target = resolveLinks(path);
  let old: ReturnType<typeof statSync> | undefined;
  try {
    old = statSync(target);
  } catch {
    old = undefined;
  }
  if (old?.isFile()) {
    try {
      if (readFileSync(target).equals(bytes)) return false;
    } catch {
      // unreadable: overwrite
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.machc-${process.pid}.tmp`);
  rmSync(tmp, { force: true });
  try {
    writeFileSync(tmp, bytes, { flag: 'wx', mode: old ? old.mode & 0o7777 : 0o666 });
    if (old) {
      chmodSync(tmp, old.mode & 0o7777);
      try {
        chownSync(tmp, old.uid, old.gid);
      } catch {
        // Only root may give a file away; the content is what matters.
      }
    }
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  return true;
}

const MARK = 'machc';

function leftoverName(dir: string, kind: 'new' | 'old'): string {
  return `.${basename(dir)}.${MARK}-${kind}-${process.pid}-`;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Cleans up after runs that were killed while writing `dir`: puts the
 * previous directory back when `dir` is missing (a kill between the two
 * renames), and removes the temporary directories of dead processes (also
 * the `.DIR.tmp-XXXXXX[.old]` names earlier machc versions used). Returns the
 * names it restored or removed.
 */
export function recoverDir(dir: string): string[] {
  const parent = dirname(resolve(dir));
  const base = basename(resolve(dir));
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const ours = new RegExp(`^\\.${escapeRegExp(base)}\\.${MARK}-(new|old)-(\\d+)-[A-Za-z0-9]+$`);
  const legacy = new RegExp(`^\\.${escapeRegExp(base)}\\.tmp-[A-Za-z0-9]{6}(\\.old)?$`);
  const done: string[] = [];
  const olds: { name: string; mtime: number }[] = [];
  const stale: string[] = [];
  for (const name of entries) {
    const m = ours.exec(name);
    if (m) {
      if (alive(Number(m[2]))) continue;
      if (m[1] === 'old') olds.push({ name, mtime: mtimeOf(join(parent, name)) });
      else stale.push(name);
      continue;
    }
    const l = legacy.exec(name);
    if (l) {
      if (l[1]) olds.push({ name, mtime: mtimeOf(join(parent, name)) });
      // An unfinished build of an earlier version: only when clearly abandoned.
      else if (Date.now() - mtimeOf(join(parent, name)) > 3_600_000) stale.push(name);
    }
  }
  // The newest complete build (it has its manifest) first.
  olds.sort((a, b) => Number(existsSync(join(parent, b.name, 'manifest.json'))) - Number(existsSync(join(parent, a.name, 'manifest.json'))) || b.mtime - a.mtime);
  if (!existsSync(join(parent, base)) && olds.length > 0) {
    renameSync(join(parent, olds[0]!.name), join(parent, base));
    done.push(olds.shift()!.name);
  }
  for (const name of [...olds.map((o) => o.name), ...stale]) {
    rmSync(join(parent, name), { recursive: true, force: true });
    done.push(name);
  }
  return done;
}

function mtimeOf(path: string): number {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A file of a directory written whole: its path inside it ('/'-separated), bytes and mode bits. */
export interface DirFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly mode: number;
}

/**
 * Whether `dir` already holds exactly `files`: the same paths and nothing
 * else, each a plain file with these bytes and mode bits, each folder with
 * `folderMode`. Rewriting such a directory would change nothing but times:
 * a rebuild of an unchanged machine leaves its output as it is, as make does.
 */
export function dirHolds(dir: string, files: readonly DirFile[], folderMode: number): boolean {
  const wanted = new Map(files.map((f) => [f.path, f]));
  let found = 0;
  const same = (rel: string): boolean => {
    const path = rel ? join(dir, ...rel.split('/')) : dir;
    const st = lstatSync(path, { throwIfNoEntry: false });
    // Folders may inherit a set-group-ID bit from their parent, written or not: permissions only.
    if (!st?.isDirectory() || (st.mode & 0o777) !== folderMode) return false;
    for (const ent of readdirSync(path, { withFileTypes: true })) {
      const sub = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (!same(sub)) return false;
        continue;
      }
      const f = wanted.get(sub);
      if (!f || !ent.isFile()) return false;
      const file = join(path, ent.name);
      const fst = lstatSync(file);
      if (fst.size !== f.bytes.length || (fst.mode & 0o7777) !== f.mode) return false;
      if (!readFileSync(file).equals(f.bytes)) return false;
      found++;
    }
    return true;
  };
  try {
    return same('') && found === wanted.size;
  } catch {
    return false;
  }
}

/**
 * Builds a directory atomically: `fill` writes into a fresh temporary sibling,
 * which then replaces `dir`. If `fill` throws, nothing changes. What a killed
 * earlier run left is recovered first (recoverDir).
 */
export function writeDirAtomic(dir: string, fill: (tmpDir: string) => void): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  recoverDir(dir);
  const tmp = mkdtempSync(join(parent, leftoverName(dir, 'new')));
  try {
    // mkdtemp makes the folder 0700; the result is an ordinary folder, readable as the umask allows
    // (a QEMU running as another user must read a build).
    chmodSync(tmp, 0o777 & ~process.umask());
    fill(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  try {
    if (existsSync(dir)) {
      old = `${join(parent, leftoverName(dir, 'old'))}${basename(tmp).slice(-6)}`;
      renameSync(dir, old);
    }
    renameSync(tmp, dir);
  } catch (e) {
    if (old && !existsSync(dir)) renameSync(old, dir);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (old) removeTree(old);
}

/**
 * Removes a directory tree machc wrote (plain files and folders): one
 * readdir per folder and one unlink per file, fewer calls than rmSync's
 * general walk. Anything unexpected is left to rmSync.
 */
function removeTree(path: string): void {
  try {
    for (const ent of readdirSync(path, { withFileTypes: true })) {
      const p = join(path, ent.name);
      if (ent.isDirectory()) removeTree(p);
      else unlinkSync(p);
    }
    rmdirSync(path);
  } catch {
    rmSync(path, { recursive: true, force: true });
  }
}
