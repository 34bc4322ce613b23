/**
 * Translations kept from one run for the next.
 *
 * A boot runs the same code every time. Before its boot attempt SeaBIOS has the translator
 * generate and V8 compile some 600 tier-1 handlers (one per instruction form) and 250 tier-2
 * functions, a quarter of its run. A store keeps them as JavaScript: one script whose entries
 * are function expressions, which V8's code cache then covers too. A later run of the same
 * machine takes a stored function instead of generating and compiling it again.
 *
 * Everything a stored function's code depends on is in its key:
 * - a tier-1 handler: its instruction form (`formKey`);
 * - a tier-2 function: its block's mode flags, code segment base, offset and linear address,
 *   whether it took in other blocks, and its bytes. The entry lists the bytes of every block the
 *   function holds, in order; the dispatcher takes it only when each of those blocks is now
 *   translated, valid, decoded from the same bytes and one it would take in (Cpu.compile).
 * Functions with plugin instrumentation are never stored or taken. The generator itself is not in
 * the key: a store belongs to one build of the runtime (the command line names its files after
 * the bundle and the Node.js that runs it).
 */
import vm from 'node:vm';
import { HELPER_KEYS, HELPER_VALUES } from './tiers.js';

export type StoredHandler = (cpu: unknown, i: never) => void;
export type StoredFn = (cpu: unknown) => number;

/** A tier-2 function and what it was compiled from. */
export interface StoredBlock {
  /** The blocks whose code it holds, the compiled one first: offset (EIP) and bytes in hex. */
  readonly members: readonly (readonly [eip: number, hex: string])[];
  /** Static targets of its chaining exits, by exit number. */
  readonly targets: readonly number[];
  readonly fn: StoredFn;
}

type Entry = { readonly kind: 'h'; readonly fn: StoredHandler } | ({ readonly kind: 'b' } & StoredBlock);

/**
 * The largest script a store writes (in characters); what would not fit is not kept. SeaBIOS's
 * boot needs 0.6 MB; Linux's to a shell would need some 40 MB, and gains nothing measurable from it
 * (its time is in running the code, not in making it).
 */
const MAX_TEXT = 8 * 1024 * 1024;

const HEADER = `// machc translation store: tier-1 handlers ("h") and tier-2 functions ("b") by key\n(function (${HELPER_KEYS.join(', ')}) {\nreturn [\n`;

export class TranslationStore {
  /** Entries read from an earlier run's script. */
  private readonly loaded = new Map<string, Entry>();
  /** Entries this run took or made, in that order: what the next script holds. */
  private readonly kept = new Map<string, Entry>();
  private script: vm.Script | undefined;
  /** Stored entries this run took. */
  taken = 0;
  /** Entries this run made (not in the store it started with). */
  added = 0;

  /**
   * A store from an earlier run's script, with V8's code cache for it if there is one; an empty
   * store when the script cannot be used (rejected code cache or not, the entries are checked).
   */
  static load(text: string, filename: string, cachedData?: Uint8Array): { store: TranslationStore; cacheRejected: boolean } {
    const store = new TranslationStore();
    let cacheRejected = true;
    try {
      if (!text.startsWith(HEADER)) return { store, cacheRejected };
      const script = new vm.Script(text, { filename, ...(cachedData ? { cachedData } : {}) });
      cacheRejected = cachedData === undefined || script.cachedDataRejected === true;
      const make = script.runInThisContext() as (...helpers: unknown[]) => unknown;
      const list = make(...HELPER_VALUES);
      if (!Array.isArray(list)) return { store, cacheRejected };
      for (const e of list as unknown[][]) {
        if (e[0] === 'h' && typeof e[1] === 'string' && typeof e[2] === 'function') store.loaded.set(`h${e[1]}`, { kind: 'h', fn: e[2] as StoredHandler });
        else if (e[0] === 'b' && typeof e[1] === 'string' && Array.isArray(e[2]) && Array.isArray(e[3]) && typeof e[4] === 'function') {
          store.loaded.set(`b${e[1]}`, { kind: 'b', members: e[2] as StoredBlock['members'], targets: e[3] as number[], fn: e[4] as StoredFn });
        }
      }
      store.script = script;
    } catch {
      // A damaged or foreign file: the run starts with nothing stored.
      store.loaded.clear();
    }
    return { store, cacheRejected };
  }

  /** How many entries the store started with. */
  get size(): number {
    return this.loaded.size;
  }

  /** The stored tier-1 handler for form `key`. */
  handler(key: string): StoredHandler | undefined {
    const e = this.take(`h${key}`);
    return e?.kind === 'h' ? e.fn : undefined;
  }

  /** A tier-1 handler this run generated for form `key`. */
  addHandler(key: string, fn: StoredHandler): void {
    this.add(`h${key}`, { kind: 'h', fn });
  }

  /** The stored tier-2 function for block `key` (the caller checks its members). */
  block(key: string): StoredBlock | undefined {
    const e = this.loaded.get(`b${key}`);
    return e?.kind === 'b' ? e : undefined;
  }

  /** Block `key`'s stored function was taken. */
  tookBlock(key: string): void {
    this.take(`b${key}`);
  }

  /** A tier-2 function this run compiled for block `key`. */
  addBlock(key: string, b: StoredBlock): void {
    this.add(`b${key}`, { kind: 'b', ...b });
  }

  private take(k: string): Entry | undefined {
    const e = this.loaded.get(k);
    if (e && !this.kept.has(k)) {
      this.kept.set(k, e);
      this.taken++;
    }
    return e;
  }

  private add(k: string, e: Entry): void {
    if (this.kept.has(k)) return;
    this.kept.set(k, e);
    if (!this.loaded.has(k)) this.added++;
  }

  /** The script of what this run took and made (up to a size), for the next run. */
  text(): string {
    const parts = [HEADER];
    let size = HEADER.length;
    for (const [k, e] of this.kept) {
      const key = JSON.stringify(k.slice(1));
      const line =
        e.kind === 'h' ? `["h", ${key}, (${e.fn.toString()})],\n` : `["b", ${key}, ${JSON.stringify(e.members)}, ${JSON.stringify(e.targets)}, (${e.fn.toString()})],\n`;
      if (size + line.length > MAX_TEXT) break;
      parts.push(line);
      size += line.length;
    }
    parts.push('];\n})\n');
    return parts.join('');
  }

  /** V8's code cache of the script the store was loaded from (with the bytecode of what ran), if any. */
  codeCache(): Buffer | undefined {
    return this.script?.createCachedData();
  }
}
