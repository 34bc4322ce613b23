/**
 * Where `machc run` keeps the translation store (runtime/cpu/store.ts) between runs: a script,
 * `run-ID-INPUTS.js`, and V8's code cache for it, `run-ID-INPUTS.bin`. ID names the bundle and
 * the Node.js running it (bin/machc.cjs hands it over with the folders: the package's cache
 * folder, else the user's); INPUTS names the machine file, firmware and kernel, so that each
 * boot has a store of its own size. `MACHC_STORE_DIR` puts the files in a folder of its own.
 *
 * Without bin/machc.cjs (the sources run directly) there is no bundle to name, and no store.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TranslationStore } from '../../runtime/cpu/store.js';

interface CacheFolders {
  /** The bundle and Node.js the files are for. */
  readonly id: string;
  /** Where caches go, in order of preference. */
  readonly dirs: readonly string[];
}

export interface OpenStore {
  readonly store: TranslationStore;
  /** The folders the store is kept in, in order of preference. */
  readonly dirs: readonly string[];
  /** Writes what the next run should start with; false where no folder could be written. */
  save(): boolean;
}

function fnv1a(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes `data` to `path` through a temporary file; false when the folder cannot be written. */
function writeAtomically(path: string, data: string | Uint8Array): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    return true;
  } catch {
    removeQuietly(tmp);
    return false;
  }
}

/** Removes a file if it is there and can be removed (a cache left behind is only a cache). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // (a folder that cannot be written: the file stays)
  }
}

/** How many boots' stores a folder keeps: writing one drops the least recently written beyond it. */
const KEEP = 8;

/** Drops the stores in `dir` beyond the KEEP most recently written (with their code caches). */
function prune(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('run-') && n.endsWith('.js'));
  } catch {
    return;
  }
  if (names.length <= KEEP) return;
  const aged = names.map((n) => {
    try {
      return { n, t: statSync(join(dir, n)).mtimeMs };
    } catch {
      return { n, t: 0 };
    }
  });
  aged.sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
  for (const { n } of aged.slice(KEEP)) {
    removeQuietly(join(dir, n));
    removeQuietly(join(dir, `${n.slice(0, -3)}.bin`));
  }
}

/** The store for a run with these inputs (paths), or undefined where there is nowhere to keep one. */
export async function openStore(inputs: readonly (string | undefined)[]): Promise<OpenStore | undefined> {
  const folders = (globalThis as Record<symbol, unknown>)[Symbol.for('machc.cacheFolders')] as CacheFolders | undefined;
  if (!folders) return undefined;
  const own = process.env.MACHC_STORE_DIR;
  const dirs = own ? [resolve(own)] : folders.dirs;
  const name = `run-${folders.id}-${fnv1a(JSON.stringify(inputs.map((p) => (p === undefined ? null : resolve(p)))))}`;
  const { TranslationStore } = await import('../../runtime/cpu/store.js');
  let found: { dir: string; text: string; cache: Buffer | undefined } | undefined;
  for (const dir of dirs) {
    const text = readOrUndefined(join(dir, `${name}.js`));
    if (text) {
      found = { dir, text: text.toString('latin1'), cache: readOrUndefined(join(dir, `${name}.bin`)) };
      break;
    }
  }
  const { store, cacheRejected } = found ? TranslationStore.load(found.text, join(found.dir, `${name}.js`), found.cache) : { store: new TranslationStore(), cacheRejected: true };
  return {
    store,
    dirs,
    save(): boolean {
      if (store.added > 0) {
        // New entries: a new script, whose code cache the next run writes.
        const text = store.text();
        return dirs.some((dir) => {
          if (!writeAtomically(join(dir, `${name}.js`), text)) return false;
          removeQuietly(join(dir, `${name}.bin`));
          prune(dir);
          return true;
        });
      }
      // The script as it was: V8's code cache for it, unless it has one V8 took (or none loaded).
      const data = found && cacheRejected ? store.codeCache() : undefined;
      return data === undefined || writeAtomically(join(found!.dir, `${name}.bin`), data);
    },
  };
}
