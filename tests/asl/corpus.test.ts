// Byte-identical to iasl: every snippet of tests/asl/corpus/*.asl, wrapped in
// the same DefinitionBlock, compiles with machc to exactly the table iasl
// writes (its integer and name-path optimizations and constant folding
// included). A snippet starts with a line `//// name`, optionally followed by
// [DSDT] (iasl shortens name paths only in a DSDT) and [rev1] (a revision-1
// table: 32-bit integers).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needTools } from '../support/tools.js';
import { firstDifference, iasl, machc, readBytes } from './support.js';

export interface Snippet {
  readonly file: string;
  readonly name: string;
  readonly source: string;
}

const CORPUS = join(import.meta.dirname, 'corpus');

export function corpus(): Snippet[] {
  const out: Snippet[] = [];
  for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.asl')).sort()) {
    const text = readFileSync(join(CORPUS, f), 'utf8');
    const parts = text.split(/^\/\/\/\/ /m).slice(1);
    for (const p of parts) {
      const nl = p.indexOf('\n');
      const head = p.slice(0, nl).trim();
      const body = p.slice(nl + 1);
      const sig = /\[DSDT\]/.test(head) ? 'DSDT' : 'SSDT';
      const rev = /\[rev1\]/.test(head) ? 1 : 2;
      const name = head.replace(/\[[^\]]*\]/g, '').trim();
      out.push({ file: f, name, source: `DefinitionBlock ("", "${sig}", ${rev}, "MACHC", "CORPUS", 0x00000001)\n{\n${body}}\n` });
    }
  }
  return out;
}

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(haveIasl)('the ASL corpus, machc against iasl', () => {
  const snippets = corpus();
  const files = snippets.map((s, i) => {
    const f = `s${String(i).padStart(3, '0')}.asl`;
    writeFileSync(join(work, f), s.source);
    return f;
  });
  // One iasl run compiles them all; if it fails, each is compiled alone to say which.
  const all = iasl(work, files);
  if (all.status !== 0) for (const f of files) iasl(work, [f]);

  it('holds at least 200 snippets with unique names', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(200);
    expect(new Set(snippets.map((s) => s.name)).size).toBe(snippets.length);
  });

  snippets.forEach((s, i) => {
    it(`${s.file}: ${s.name}`, () => {
      const f = files[i]!;
      let theirs: Uint8Array;
      try {
        theirs = readBytes(join(work, f.replace(/\.asl$/, '.aml')));
      } catch {
        throw new Error(`iasl does not compile this snippet:\n${iasl(work, [f]).out}`);
      }
      const ours = machc(s.source, f);
      expect(ours.problems).toEqual([]);
      expect(firstDifference(ours.tables[0]!.bytes, theirs)).toBe('identical');
    });
  });
});
