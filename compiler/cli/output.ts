/**
 * Where commands write: checks that turn a bad output path into a usage
 * error (exit 2) before anything is written, and the mapping of the file
 * system's refusals (EACCES, ENAMETOOLONG, EISDIR...) to usage errors.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { resolveLinks } from '../util/atomic.js';
import { UsageError } from './main.js';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** An error from the file system (it has an errno code and a system call), as opposed to a bug. */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  const err = e as NodeJS.ErrnoException;
  return typeof err?.code === 'string' && typeof err.syscall === 'string';
}

/** A file-system refusal as a reason to print: its code and Node's text without the code repeated. */
export function fsReason(e: NodeJS.ErrnoException): string {
  return `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}`;
}

/** Runs `write`; a file-system refusal becomes a usage error naming `what`. */
export function writeOrUsageError<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    if (isFsError(e)) throw new UsageError(`${what}: cannot write it (${fsReason(e)})`);
    throw e;
  }
}

/** Refuses an output file path that is empty, a directory, or one of the command's own inputs. */
export function checkOutputFile(what: string, path: string, inputs: readonly string[]): void {
  if (path === '') throw new UsageError(`${what}: the path is empty`);
  const st = statOrUndefined(path);
  if (st?.isDirectory()) throw new UsageError(`${what} ${path}: is a directory; give a file name`);
  const target = resolveLinks(path);
  for (const input of inputs) {
    const inSt = statOrUndefined(input);
    if (resolveLinks(input) === target || (st && inSt && st.dev === inSt.dev && st.ino === inSt.ino)) {
      throw new UsageError(`${what} ${path}: is the input file ${input}; refusing to overwrite it`);
    }
  }
}

const MAX_ENTRIES = 10_000;

/**
 * Files in `dir` (relative, '/'-separated) that the build recorded in
 * `dir/manifest.json` does not account for; undefined when there is no
 * readable machc manifest at all.
 */
export function unknownBuildFiles(dir: string): string[] | undefined {
  let listed: Set<string>;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { machine?: unknown; files?: { path?: unknown }[] };
    if (typeof manifest.machine !== 'string' || !Array.isArray(manifest.files)) return undefined;
    listed = new Set(manifest.files.map((f) => (typeof f?.path === 'string' ? f.path : '')));
  } catch {
    return undefined;
  }
  listed.add('manifest.json');
  const unknown: string[] = [];
  let seen = 0;
  const walk = (rel: string): void => {
    for (const ent of readdirSync(join(dir, rel), { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES || unknown.length >= 5) return;
      const path = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory() && !ent.isSymbolicLink()) walk(path);
      else if (!ent.isFile() || !listed.has(path)) unknown.push(path);
    }
  };
  walk('');
  return unknown;
}

/**
 * The build output folder: a new path, an empty folder, or a folder an
 * earlier build wrote (its manifest.json lists every file in it). Anything
 * else (a project folder, a web extension with its own manifest.json, the
 * folder of the machine file) is refused, so `-o` never deletes a user's files.
 */
export function checkOutputDir(dir: string): void {
  if (dir === '') throw new UsageError('-o: the path is empty');
  const rel = relative(resolve(dir), process.cwd());
  if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) {
    throw new UsageError(`-o ${dir}: is the working directory or one of its parents; choose a folder of its own`);
  }
  const st = statOrUndefined(dir);
  if (!st) return;
  if (!st.isDirectory()) throw new UsageError(`-o ${dir}: is a file, not a directory`);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new UsageError(`-o ${dir}: cannot read the directory (${(e as Error).message})`);
  }
  if (entries.length === 0) return;
  const unknown = unknownBuildFiles(dir);
  if (unknown === undefined) {
    throw new UsageError(`-o ${dir}: the directory exists and is not a machc build output (no machc manifest.json); refusing to replace it`);
  }
  if (unknown.length > 0) {
    throw new UsageError(`-o ${dir}: the directory holds files machc did not write (${unknown.join(', ')}); refusing to replace it`);
  }
}
