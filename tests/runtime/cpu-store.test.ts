/**
 * The translation store (runtime/cpu/store.ts): what one run compiled, a later run takes
 * instead of compiling it again, and only where the code it was compiled from is the same.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../compiler/cli/store-files.js';
import { BareBoard } from '../../runtime/machine/bare.js';
import { CodeCache } from '../../runtime/cpu/cpu.js';
import { TranslationStore } from '../../runtime/cpu/store.js';

/**
 * Real mode at 0000:1000: cx = 1000, ax = 0, then a loop of two blocks, `add ax, N; jmp next`
 * and `next: dec cx; jnz loop`, and hlt. The second block is compiled with the first taken in.
 */
function program(add: 3 | 5): number[] {
  return [0xb9, 0xe8, 0x03, 0x31, 0xc0, 0x05, add, 0x00, 0xeb, 0x00, 0x49, 0x75, 0xf8, 0xf4];
}

/** Runs `code` to its HLT with compiled blocks and regions from the first runs on; AX at the end. */
function run(code: number[], store?: TranslationStore): number {
  const rom = new Uint8Array(0x1_0000);
  rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
  const board = new BareBoard(rom, { jitThreshold: 1, inlineAfter: 1, codeCache: new CodeCache(store) });
  board.ram.bank(0).u8.set(code, 0x1000);
  expect(board.cpu.run(1_000_000)).toBe('halt');
  return board.cpu.r[0]! & 0xffff;
}

/** The key of the one stored function that holds two blocks (`dec cx; jnz` with `add ax, N` taken in). */
function regionKey(store: TranslationStore): string {
  const keys = [...store.text().matchAll(/^\["b", "([^"]+)", \[\[\d+,"[0-9a-f]+"\],\[/gm)].map((m) => m[1]!);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/\|4106\|r\|4975f8$/);
  return keys[0]!;
}

/** A store as the next run reads it: the script `store` writes, loaded again. */
function reloaded(store: TranslationStore): TranslationStore {
  const { store: next } = TranslationStore.load(store.text(), 'store.js');
  expect(next.size).toBe(store.added + store.taken);
  return next;
}

describe('translation store', () => {
  it('keeps the compiled loop, and a later run takes it and computes the same', () => {
    const first = new TranslationStore();
    expect(run(program(3), first)).toBe(3000);
    // The blocks, compiled alone and as a region that holds the loop, besides tier-1 handlers.
    const text = first.text();
    expect(text).toContain('["b", ');
    expect(text).toContain('["h", ');
    expect(first.added).toBeGreaterThanOrEqual(3);
    const second = reloaded(first);
    expect(run(program(3), second)).toBe(3000);
    expect(second.added).toBe(0);
    // Every compiled function came from the store (tier-1 handlers may come from this process's cache).
    const blocks = (text.match(/^\["b", /gm) ?? []).length;
    expect(second.taken).toBeGreaterThanOrEqual(blocks);
    expect(run(program(3))).toBe(3000);
  });

  it('takes nothing compiled from other bytes: a region whose second block changed is compiled anew', () => {
    const first = new TranslationStore();
    expect(run(program(3), first)).toBe(3000);
    const second = reloaded(first);
    // The stored region of `dec cx; jnz` holds `add ax, 3`: taken, it would make 3000.
    expect(second.block(regionKey(first))).toBeDefined();
    expect(run(program(5), second)).toBe(5000);
    expect(second.added).toBeGreaterThan(0);
    // `dec cx; jnz` alone, compiled from the same bytes, was taken.
    expect(second.taken).toBeGreaterThan(0);
  });

  it('starts empty from a damaged or foreign script, and the run is unaffected', () => {
    const first = new TranslationStore();
    run(program(3), first);
    const text = first.text();
    for (const bad of [text.slice(0, text.length / 2), 'module.exports = 1', text.replace('return [', 'return 7 || [')]) {
      const { store } = TranslationStore.load(bad, 'bad.js');
      expect(store.size).toBe(0);
      expect(run(program(3), store)).toBe(3000);
    }
  });
});

describe('the command line\'s store files', () => {
  it('a folder keeps the 8 most recently written boots\' stores, each with its code cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-store-'));
    const key = Symbol.for('machc.cacheFolders');
    const saved = process.env['MACHC_STORE_DIR'];
    (globalThis as Record<symbol, unknown>)[key] = { id: 'test', dirs: [dir] };
    delete process.env['MACHC_STORE_DIR'];
    try {
      for (let n = 0; n < 10; n++) {
        writeFileSync(join(dir, `run-old-${n}.js`), '');
        writeFileSync(join(dir, `run-old-${n}.bin`), '');
        utimesSync(join(dir, `run-old-${n}.js`), 1000 + n, 1000 + n);
      }
      const open = await openStore(['machine.yaml']);
      expect(open).toBeDefined();
      open!.store.addHandler('form', () => undefined);
      expect(open!.save()).toBe(true);
      const left = readdirSync(dir).sort();
      // The new store (no code cache yet) and the 7 newest old ones with theirs.
      const kept = [3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`run-old-${n}.bin`, `run-old-${n}.js`]);
      expect(left.filter((n) => n.startsWith('run-old-'))).toEqual(kept);
      expect(left.filter((n) => !n.startsWith('run-old-'))).toEqual([expect.stringMatching(/^run-test-[0-9a-f]{8}\.js$/)]);
      // The next run of that boot finds the form.
      const again = await openStore(['machine.yaml']);
      expect(again!.store.size).toBe(1);
      expect(again!.store.handler('form')).toBeTypeOf('function');
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
      if (saved !== undefined) process.env['MACHC_STORE_DIR'] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
