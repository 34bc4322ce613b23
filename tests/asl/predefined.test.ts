// Predefined names are checked as iasl checks them: for every name in
// compiler/asl/predefined.ts, a `Name` of it holding an Integer, a String, a
// Buffer and a Package, and a method of it returning each, iasl and machc
// must agree on which are refused (iasl's errors 6105, the value's type, and
// 6103, a name that must be a method; machc's MD1504). Each case is one line
// in its own Device, so a line's errors are the case's verdict. Only those two
// errors count: what iasl also checks inside packages and _HID strings, and
// where _Sx_ may be declared, machc does not check (yet).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { PREDEFINED } from '../../compiler/asl/predefined.js';
import { needTools } from '../support/tools.js';
import { iasl } from './support.js';

const LITERALS: Record<string, string> = {
  Integer: '0x05',
  String: '"PNP0A03"',
  Buffer: 'Buffer () { 0x01 }',
  Package: 'Package () { 0x01 }',
};
/** Values that are literals only once compiled (folded, or a macro that makes a buffer or an integer), and one that is no literal. */
const SPECIAL: Record<string, string> = {
  EisaId: 'EisaId ("PNP0A03")',
  ToUUID: 'ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d")',
  Unicode: 'Unicode ("x")',
  ResourceTemplate: 'ResourceTemplate () { IRQNoFlags () { 5 } }',
  folded: '(0x01 << 0x03)',
  Ones: 'Ones',
  Revision: 'Revision',
};

interface Case {
  readonly label: string;
  readonly line: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  const add = (seg: string, args: number, kind: string, value: string) => {
    const id = out.length;
    const dev = `D${id.toString(16).toUpperCase().padStart(3, '0')}`;
    out.push({ label: `${seg} Name ${kind}`, line: `    Device (${dev}) { Name (${seg}, ${value}) }` });
    out.push({ label: `${seg} Method returning ${kind}`, line: `    Device (${dev}) { Method (${seg}, ${args}, NotSerialized) { Return (${value}) } }`.replace(`(${dev})`, `(E${dev.slice(1)})`) });
  };
  for (const [seg, p] of PREDEFINED) for (const [kind, value] of Object.entries(LITERALS)) add(seg, p.args, kind, value);
  for (const seg of ['_STA', '_CRS', '_HID', '_PRW', '_OSC']) for (const [kind, value] of Object.entries(SPECIAL)) add(seg, PREDEFINED.get(seg)!.args, kind, value);
  // Events and queries must be methods; a look-alike that is no event is not checked.
  for (const seg of ['_L01', '_E0A', '_Q1F', '_W02', '_WAB', '_LZZ', '_T_Z']) add(seg, 0, 'Integer', '0x05');
  return out;
}

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-predefined-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PER_FILE = 60;

describe.runIf(haveIasl)('predefined names, machc against iasl', () => {
  const all = cases();
  const files: { file: string; source: string; cases: Case[] }[] = [];
  for (let i = 0; i < all.length; i += PER_FILE) {
    const chunk = all.slice(i, i + PER_FILE);
    const file = `p${String(files.length).padStart(2, '0')}.asl`;
    const source = `DefinitionBlock ("", "SSDT", 2, "MACHC", "PREDEF", 1)\n{\n${chunk.map((c) => c.line).join('\n')}\n}\n`;
    writeFileSync(join(work, file), source);
    files.push({ file, source, cases: chunk });
  }
  // iasl's errors 6103 and 6105, by file and line (one run per file: iasl stops counting at 200 errors a run).
  const refusedByIasl = new Set<string>();
  const outputs: string[] = [];
  for (const f of files) {
    const run = iasl(work, ['-p', 'out', f.file]);
    outputs.push(run.out);
    let at = '';
    for (const l of run.out.split('\n')) {
      const where = /^(p\d+\.asl)\s+(\d+):/.exec(l);
      if (where) at = `${where[1]}:${where[2]}`;
      else if (/^Error\s+(6103|6105)\b/.test(l)) refusedByIasl.add(`${at}:${/Error\s+(\d+)/.exec(l)![1]}:${l}`);
    }
  }

  it('covers every predefined name in the table', () => {
    expect(PREDEFINED.size).toBeGreaterThanOrEqual(240);
    expect(all.length).toBeGreaterThan(PREDEFINED.size * 8);
    expect(refusedByIasl.size, outputs[0]).toBeGreaterThan(500);
    expect(outputs.join('\n')).not.toMatch(/Maximum error count/);
  });

  for (const f of files) {
    it(`${f.file}: ${f.cases[0]!.label} .. ${f.cases[f.cases.length - 1]!.label}`, () => {
      const r = compileAsl(f.source, f.file);
      const lineOf = (offset: number) => f.source.slice(0, offset).split('\n').length;
      const ours = new Set(r.problems.filter((p) => /predefined name/.test(p.message)).map((p) => lineOf(p.range.start)));
      const unexpected = r.problems.filter((p) => !/predefined name/.test(p.message));
      expect(unexpected).toEqual([]);
      const disagree: string[] = [];
      f.cases.forEach((c, i) => {
        const line = i + 3;
        const key = `${f.file}:${line}`;
        // The top-level verdict: a 6103, or a 6105 about the value itself (not about a package element).
        const kind = c.label.split(' ').pop()!;
        const found = kind in LITERALS ? kind : undefined;
        const theirs = [...refusedByIasl].some((e) => e.startsWith(`${key}:6103`) || (e.startsWith(`${key}:6105`) && (found === undefined || e.includes(`found ${found},`))));
        if (theirs !== ours.has(line)) disagree.push(`${c.label}: iasl ${theirs ? 'refuses' : 'accepts'}, machc ${ours.has(line) ? 'refuses' : 'accepts'}`);
      });
      expect(disagree).toEqual([]);
    });
  }
});
