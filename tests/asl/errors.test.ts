// ASL that iasl rejects is rejected by machc too, with a located diagnostic
// from the catalog (MD15xx) at the right line and column. Each row: the
// source inside a DefinitionBlock, the code, the line:column (1-based, in
// the wrapped file) and a word the message must hold.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { reportAslProblems } from '../../compiler/asl/diagnostics.js';
import { DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { SourceFile } from '../../compiler/source/source-file.js';
import { needTools } from '../support/tools.js';
import { iasl } from './support.js';

const wrap = (body: string): string => `DefinitionBlock ("", "SSDT", 2, "MACHC", "ERRORS", 1)\n{\n${body}\n}\n`;

type Row = readonly [name: string, body: string, code: string, at: string, word: string, iaslAccepts?: true];

const ROWS: readonly Row[] = [
  ['unbalanced parenthesis', '    Name (ABCD, (1 + 2)', 'MD1501', '4:1', "expected ')'"],
  ['unknown character', '    Name (ABCD, 1) @', 'MD1501', '3:20', "'@'"],
  ['unterminated string', '    Name (ABCD, "open)', 'MD1501', '3:17', 'unterminated'],
  ['octal number with 9', '    Name (ABCD, 09)', 'MD1501', '3:17', 'octal'],
  ['undefined name', '    Method (MTH0) { Return (NOPE) }', 'MD1502', '3:29', "'NOPE' is not declared"],
  ['dotted path is not searched', '    Scope (\\_SB) { Device (DEV0) { Name (SVAL, 1) } }\n    Scope (\\_SB) { Method (MTH0) { Return (DEV0.SVAL) } }', 'MD1502', '4:44', "'DEV0.SVAL'"],
  ['scope of an unknown object', '    Scope (\\_SB.NOPE) { }', 'MD1502', '3:12', 'not declared'],
  ['too many method arguments', '    Method (MTH0, 1) { Return (Arg0) }\n    Method (MTH1) { Return (MTH0 (1, 2)) }', 'MD1503', '4:29', 'takes 1 argument'],
  ['too few method arguments', '    Method (MTH0, 2) { Return (Arg0) }\n    Method (MTH1) { Return (MTH0 (1)) }', 'MD1503', '4:29', 'takes 2 arguments'],
  ['operator with too many arguments', '    Method (MTH0, 1) { Return (Add (Arg0, 1, Local0, Local1)) }', 'MD1503', '3:32', 'at most 3'],
  ['calling a name that is not a method', '    Name (VALU, 1)\n    Method (MTH0) { Return (VALU (1)) }', 'MD1504', '4:29', 'not a method'],
  ['Field on a name that is not a region', '    Name (VALU, 1)\n    Field (VALU, ByteAcc, NoLock, Preserve) { FLD0, 8 }', 'MD1504', '4:12', 'not an OperationRegion', true],
  ['Local outside a method', '    Name (VALU, Local0)', 'MD1504', '3:17', 'inside a method'],
  ['duplicate name', '    Name (DUPL, 1)\n    Name (DUPL, 2)', 'MD1505', '4:11', 'already declared'],
  ['keyword used as a name', '    Method (LOCK) { }', 'MD1506', '3:13', 'keyword'],
  ['bad access type', '    OperationRegion (REG0, SystemIO, 0x80, 1)\n    Field (REG0, ByteAccess, NoLock, Preserve) { FLD0, 8 }', 'MD1506', '4:18', 'access type'],
  ['name too long', '    Name (TOOLONG, 1)', 'MD1506', '3:11', 'not a valid ACPI name'],
  ['bad UUID', '    Name (UUID, ToUUID ("not-a-uuid"))', 'MD1506', '3:25', 'not a UUID'],
  ['IO not aligned', '    Name (RES0, ResourceTemplate () { IO (Decode16, 1, 2, 4, 1) })', 'MD1506', '3:39', 'alignment'],
  ['local read before written', '    Method (MTH0) { Return (Local3) }', 'MD1507', '3:29', 'Local3'],
  ['argument beyond the count', '    Method (MTH0, 1) { Return (Arg2) }', 'MD1507', '3:32', 'Arg2'],
  ['descriptor machc does not encode', '    Name (RES0, ResourceTemplate () { FixedDMA (0x0001, 0x0002, Width32bit) })', 'MD1509', '3:39', 'FixedDMA', true],
  ['External inside a method', '    Method (MTH0) { }\n    External (\\MTH0.INNR, IntObj)', 'MD1504', '4:15', 'inside method'],
  ['predefined name returning the wrong type', '    Device (DEV0) { Method (_STA) { Return ("on") } }', 'MD1504', '3:45', 'whose value is an Integer, not a String'],
  ['_HID of the wrong length', '    Device (DEV0) { Name (_HID, "ABC") }', 'MD1506', '3:33', 'PNP ID of 7 characters'],
  ['_HID ACPI ID in lower case', '    Device (DEV0) { Name (_HID, "mchc0001") }', 'MD1506', '3:33', 'four upper-case letters or digits'],
  ['_HID PNP ID starting with a digit', '    Device (DEV0) { Name (_HID, "1NP0A03") }', 'MD1506', '3:33', 'three upper-case letters'],
  ['_HID without a hexadecimal end', '    Device (DEV0) { Name (_HID, "MCHC000G") }', 'MD1506', '3:33', 'four hexadecimal digits'],
  ['_HID with a dash', '    Device (DEV0) { Name (_HID, "ABC-001") }', 'MD1506', '3:33', 'only letters and digits'],
  ['_CID with a leading asterisk in a package', '    Device (DEV0) { Name (_HID, Zero)\n    Name (_CID, Package () { "PNP0C02", "*PNP0A03" }) }', 'MD1506', '4:41', "starts with '*'"],
  ['empty _CID', '    Device (DEV0) { Name (_HID, Zero)\n    Name (_CID, "") }', 'MD1506', '4:17', 'empty string'],
  ['predefined name that must be a method', '    Device (DEV0) { Name (_DSM, 1) }', 'MD1504', '3:27', 'must be a method (with 4 arguments)'],
];

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ASL errors are located diagnostics', () => {
  // iaslAccepts: iasl compiles it, but the table would fail to load (machc is stricter).
  for (const [name, body, code, at, word, iaslAccepts] of ROWS) {
    it(`${code}: ${name}`, () => {
      const text = wrap(body);
      const r = compileAsl(text, 'x.asl');
      const bag = new DiagnosticBag();
      reportAslProblems(bag, r.problems, new SourceFile('x.asl', text));
      const d = bag.sorted().find((x) => x.code === code);
      expect(d, `expected ${code}, got ${bag.items.map((x) => `${x.code} ${x.message}`).join('; ')}`).toBeDefined();
      expect(`${d!.span!.line}:${d!.span!.column}`).toBe(at);
      expect(d!.message).toContain(word);
    });
    it.runIf(haveIasl)(`iasl ${iaslAccepts ? 'accepts' : 'rejects'} it too: ${name}`, () => {
      const f = `${name.replace(/\W+/g, '-')}.asl`;
      writeFileSync(join(work, f), wrap(body));
      expect(iasl(work, [f]).status === 0).toBe(Boolean(iaslAccepts));
    });
  }

  it('a DefinitionBlock with a table that holds no AML is refused', () => {
    const r = compileAsl('DefinitionBlock ("", "FACP", 2, "A", "B", 1) { }', 'x.asl');
    expect(r.problems.map((p) => [p.kind, p.range.start])).toEqual([['definition-block', 21]]);
  });

  it('reports every problem, not only the first', () => {
    const r = compileAsl(wrap('    Method (MTH0) { Return (Local0 + NOPE) }\n    Name (NOP2, NOP3)'), 'x.asl');
    expect(r.problems.map((p) => p.kind)).toEqual(['uninitialized', 'undefined-name', 'undefined-name']);
  });
});
