/**
 * Atomic output: files and directories are written under a temporary name in
 * the same folder and renamed into place, so a failed or interrupted run never
 * leaves a half-written result.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes a file atomically; skips the write when the content is unchanged. Returns whether it wrote. */
export function writeFileAtomic(path: string, content: string | Uint8Array): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  if (existsSync(path)) {
    try {
      if (readFileSync(path).equals(bytes)) return false;
    } catch {
      // unreadable: overwrite
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  return true;
}

/**
 * Builds a directory atomically: `fill` writes into a fresh temporary sibling,
 * which then replaces `dir` in one rename. If `fill` throws, nothing changes.
 */
export function writeDirAtomic(dir: string, fill: (tmpDir: string) => void): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(dir)}.tmp-`));
  let old: string | undefined;
  try {
    fill(tmp);
    if (existsSync(dir)) {
      old = `${tmp}.old`;
      renameSync(dir, old);
    }
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (old && !existsSync(dir)) renameSync(old, dir);
    throw e;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}
