/**
 * The fast YAML reader builds exactly the tree the `yaml` library path builds
 * (values, text, every span), never accepts a file the library rejects, and
 * reads every machine file in the repository itself.
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateMachine } from '../../bench/generate.js';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { SourceFile } from '../../compiler/source/source-file.js';
import { readFastYaml, resolvePlain } from '../../compiler/source/yaml-fast.js';
import { parseYamlTreeWithLibrary } from '../../compiler/source/yaml-tree.js';
import { apply, mutation } from './mutations.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REPO_YAML = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');

/** Reads `text` both ways. `fast` is undefined where the fast reader gave up. */
function both(text: string) {
  const source = new SourceFile('t.yaml', text);
  const diags = new DiagnosticBag();
  const library = parseYamlTreeWithLibrary(source, diags);
  return { fast: readFastYaml(source), library, libraryErrors: diags.items.length };
}

/** Where the fast reader answers, the library reads the file cleanly to the same tree. */
function agrees(text: string): boolean {
  const { fast, library, libraryErrors } = both(text);
  if (fast === undefined) return false;
  if (libraryErrors > 0) throw new Error(`fast reader accepted a file the library rejects: ${JSON.stringify(text)}`);
  expect(fast).toEqual(library);
  return true;
}

describe('fast YAML reader', () => {
  it('reads every YAML file in the repository and the benchmark machines, as the library does', () => {
    const texts = REPO_YAML.map((f) => readFileSync(join(ROOT, f), 'utf8'));
    for (const n of [10, 1_000, 10_000]) texts.push(generateMachine(n).yaml);
    expect(texts.length).toBeGreaterThan(40);
    for (const text of texts) {
      // Block scalars (a device's `asl: |`) are outside the fast reader's subset: it gives up and the library reads them.
      if (/:[ ]*[|>][-+]?[ ]*$/m.test(text)) expect(both(text).fast).toBeUndefined();
      else expect(agrees(text)).toBe(true);
    }
  });

  it('resolves plain scalars as YAML 1.2 core', () => {
    const cases: [string, unknown][] = [
      ['~', null], ['null', null], ['NULL', null], ['Null', null], ['nul', 'nul'],
      ['true', true], ['True', true], ['FALSE', false], ['tRUE', 'tRUE'], ['yes', 'yes'], ['on', 'on'],
      ['0o17', 15], ['017', 17], ['-0', -0], ['+12', 12], ['0x1F', 31], ['0X1F', '0X1F'], ['0b101', '0b101'], ['1_000', '1_000'],
      ['0.1', 0.1], ['.5', 0.5], ['1.', 1], ['1e3', 1000], ['-1.5E-2', -0.015], ['.inf', Infinity], ['-.Inf', -Infinity], ['.nan', NaN],
      ['1c.0', '1c.0'], ['00:1c.2', '00:1c.2'], ['512 MiB', '512 MiB'], ['-', '-'],
    ];
    for (const [text, value] of cases) expect(resolvePlain(text), text).toEqual(value);
  });

  it('leaves everything outside its subset to the library', () => {
    const outside = [
      'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  text\n', 'a: >\n  text\n', 'a: one\n  two\n', 'a: { b: 1,\n  c: 2 }\n',
      'a: "tab\\there"\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', 'a: 1\na: 2\n', 'a:\nb: 1\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n',
      '%YAML 1.2\n---\na: 1\n', '"a": 1\n', '? a\n: 1\n', 'a: b: c\n', '- a\n', 'true: 1\n', '1: a\n', 'a: [b: 1]\n',
      'a:\n  - - x\n', 'a:\n  -\n    b\n', 'a: 1 #c\n  b: 2\n', '\ufeffa: 1\n', 'a: {b: 1}x\n', 'a: "x" y\n', 'a: x #c\n   y\n',
      `a: ${'['.repeat(40)}${']'.repeat(40)}\n`,
    ];
    for (const text of outside) expect(readFastYaml(new SourceFile('t.yaml', text)), JSON.stringify(text)).toBeUndefined();
  });

  it('agrees with the library on mutated machine files (4,000 files), never accepting a broken one', () => {
    const seeds = REPO_YAML.filter((f) => f.startsWith('machines/')).map((f) => readFileSync(join(ROOT, f), 'utf8')).filter((t) => t.length < 8_000);
    let answered = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, muts) => {
        if (agrees(muts.reduce(apply, seeds[seed]!))) answered++;
      }),
      { numRuns: 4_000 },
    );
    // Many mutations keep the file inside the subset; the property must not hold vacuously.
    expect(answered).toBeGreaterThan(800);
  }, 60_000);

  it('agrees with the library on generated documents in many styles (4,000 files)', () => {
    let styled = 0;
    let stringified = 0;
    fc.assert(
      fc.property(styledDocument, (text) => {
        if (agrees(text)) styled++;
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(plainValue, fc.constantFrom(2, 4), (doc, indent) => {
        if (agrees(stringify({ root: doc, other: 1 }, { indent }))) stringified++;
      }),
      { numRuns: 1_000 },
    );
    // Most documents are inside the subset; the property must not hold vacuously.
    expect(styled).toBeGreaterThan(2_000);
    expect(stringified).toBeGreaterThan(400);
  }, 60_000);
});

/* ---- generated documents: block and flow collections, comments, quoting, spacing ---- */

/** Mostly what machine files hold, sometimes something the fast reader must give up on. */
const mostly = <T>(usual: fc.Arbitrary<T>, awkward: fc.Arbitrary<T>) => fc.oneof({ weight: 100, arbitrary: usual }, { weight: 1, arbitrary: awkward });
const word = mostly(fc.constantFrom('id', 'model', 'bus', 'addr', 'mac', 'sriov', 'total-vfs', 'a', 'b_c', 'Key9', 'x-y-z', 'on'), fc.constantFrom('null', 'True', '1', '"q"', 'a b', '-a'));
const plainText = mostly(
  fc.constantFrom(
    'q35', 'rp1', '1c.0', '00:1c.2', '52:54:00:12:34:56', '512 MiB', '2 GiB + 1 MiB', '0..3', 'img/a.raw', 'a#b', 'a b', 'c:d', 'x-y', 'é ü',
    '0', '-1', '+7', '0x1F', '0o17', '017', '1e3', '.5', '1.', '.inf', '.NaN', '~', 'null', 'True', 'FALSE', 'yes', '-x', '99999999999999999999',
  ),
  fc.constantFrom('x,y', 'a: b', 'a:', '#x', '-', '&a', '*a', '!t', '|', '>', '?', ':x', '[x', 'x]', '{x', 'x}', '"q', "'q", '%d', '@a', '`b'),
);
const quotedText = mostly(
  fc.oneof(
    fc.constantFrom('plain', 'with space', "it's", 'a: b', '#c', '', '1', 'true', '\\n').map((s) => `'${s.replace(/'/g, "''")}'`),
    fc.constantFrom('plain', 'with space', "it's", 'a: b', '#c', '', '1', 'true').map((s) => `"${s}"`),
  ),
  fc.constantFrom('"back\\\\slash"', '"tab\\t"', "'unclosed", '"unclosed'),
);
const scalarText = fc.oneof({ weight: 3, arbitrary: plainText }, { weight: 1, arbitrary: quotedText });
const spaces = fc.constantFrom('', ' ', '  ');

type Flow = string;
const flow: fc.Arbitrary<Flow> = fc.letrec<{ flow: Flow; item: Flow }>((tie) => ({
  item: fc.oneof({ depthSize: 'small' }, scalarText, tie('flow')),
  flow: fc.oneof(
    fc.tuple(fc.uniqueArray(fc.tuple(word, tie('item'), spaces), { maxLength: 4, selector: ([k]) => k }), spaces, fc.boolean()).map(
      ([pairs, pad, trailingComma]) => `{${pad}${pairs.map(([k, v, sp]) => `${k}: ${v}${sp}`).join(', ')}${trailingComma && pairs.length > 0 ? ',' : ''}${pad}}`,
    ),
    fc.tuple(fc.array(tie('item'), { maxLength: 4 }), spaces).map(([items, pad]) => `[${pad}${items.join(`,${pad || ' '}`)}${pad}]`),
  ),
})).flow;

const comment = fc.constantFrom('', '', '  # note', ' #x', '   # a: b');
/** Lines between entries: nothing, blank lines, comment lines at some indentation. */
const filler = fc.constantFrom('', '', '\n', '# c\n', '  # deeper\n', '\n\n# two\n');

interface Block {
  render(indent: number, step: number): string[];
}
const block: fc.Arbitrary<Block> = fc.letrec<{ value: Block; map: Block; seq: Block }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('map'), tie('seq')),
  map: fc
    .uniqueArray(fc.tuple(word, fc.oneof(scalarText.map((s) => ({ inline: s })), flow.map((s) => ({ inline: s })), tie('value')), comment, filler, spaces), { minLength: 1, maxLength: 4, selector: ([k]) => k })
    .map((entries) => ({
      render: (indent: number, step: number) =>
        entries.flatMap(([k, v, c, fill, sp]) => {
          const pad = ' '.repeat(indent);
          const head = 'inline' in v ? [`${pad}${k}:${sp || ' '}${(v as { inline: string }).inline}${c}`] : [`${pad}${k}:${sp.length > 1 ? ' ' : ''}`, ...(v as Block).render(indent + step, step)];
          return [...fill.split('\n').filter((l) => l !== '' || fill === '\n').map((l) => (l ? pad + l : l)), ...head];
        }),
    })),
  seq: fc
    .array(fc.tuple(fc.oneof(scalarText.map((s) => ({ inline: s })), flow.map((s) => ({ inline: s })), tie('map')), comment, filler), { minLength: 1, maxLength: 4 })
    .map((items) => ({
      render: (indent: number, step: number) =>
        items.flatMap(([v, c, fill]) => {
          const pad = ' '.repeat(indent);
          const fills = fill.split('\n').filter((l) => l !== '').map((l) => pad + l);
          if ('inline' in v) return [...fills, `${pad}- ${(v as { inline: string }).inline}${c}`];
          // A mapping item starts on the dash line, `- key: value`, after any comments before its first key.
          const lines = (v as Block).render(indent + 2, step);
          const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
          return [...fills, ...lines.slice(0, first), `${pad}- ${lines[first]!.slice(indent + 2)}`, ...lines.slice(first + 1)];
        }),
    })),
})).map;

export const styledDocument = fc
  .tuple(block, fc.constantFrom(2, 4), fc.constantFrom('', '# header\n', '\n'), fc.constantFrom('\n', '', '\n\n# end\n'))
  .map(([b, step, head, tail]) => head + b.render(0, step).join('\n') + tail);

const plainValue = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(word, fc.string({ maxLength: 5 })), tie('node'), { maxKeys: 4 }),
})).node;
