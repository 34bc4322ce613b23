// `machc asl`: compiles a file as iasl does, writes nothing on errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { needTools } from '../support/tools.js';
import { iasl, iaslCreator } from './support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'machc.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'machc-asl-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function machc(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = `DefinitionBlock ("", "SSDT", 2, "MACHC", "CLI", 1)
{
    Scope (\\_SB)
    {
        Device (DEV0)
        {
            Name (_HID, "MCHC0001")
            Method (_STA) { Return (0x0F) }
        }
    }
}
`;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'machc.cjs'))) throw new Error('the CLI is not built: run npm run build (npm test does)');
});

describe('machc asl', () => {
  it('writes the table next to the input by default, and to -o', () => {
    writeFileSync(join(tmp, 'good.asl'), GOOD);
    const r = machc(['asl', 'good.asl']);
    expect(r.code, r.stderr).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(tmp, 'good.aml')));
    expect(bytes).toEqual(compileAsl(GOOD, 'good.asl').tables[0]!.bytes);
    expect(String.fromCharCode(...bytes.subarray(28, 32))).toBe('MCHC');
    expect(machc(['asl', 'good.asl', '-o', 'out/x.aml']).code).toBe(0);
    expect(new Uint8Array(readFileSync(join(tmp, 'out', 'x.aml')))).toEqual(bytes);
  });

  it.runIf(needTools('iasl'))("with iasl's creator fields the file equals iasl's", () => {
    writeFileSync(join(tmp, 'same.asl'), GOOD);
    const c = iaslCreator();
    expect(machc(['asl', 'same.asl', '-o', 'machc.aml', '--creator-id', c.creatorId, '--creator-revision', String(c.creatorRevision)]).code).toBe(0);
    expect(iasl(tmp, ['-p', 'iasl', 'same.asl']).status).toBe(0);
    expect(readFileSync(join(tmp, 'machc.aml'))).toEqual(readFileSync(join(tmp, 'iasl.aml')));
  });

  // What iasl -d writes for QEMU's acpi=off DSDT, in small (there, in _CRS): the disassembler
  // guessed that a name the SSDT declares lives inside the method using it.
  const METHOD_EXTERNAL = `DefinitionBlock ("", "DSDT", 1, "MACHC", "CLI", 1)
{
    External (_SB_.PCI0.GETV.P1V_, IntObj)
    Scope (\\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Method (GETV, 0, NotSerialized)
            {
                If ((P1V == Zero)) { Return (One) }
                Return (Zero)
            }
        }
    }
}
`;

  it.runIf(needTools('iasl'))('refuses an External inside a method as iasl does, and with --externals-in-methods writes what iasl -vw 6163 writes', () => {
    writeFileSync(join(tmp, 'mext.dsl'), METHOD_EXTERNAL);
    const refused = machc(['asl', 'mext.dsl', '-o', 'mext.aml']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("mext.dsl:3:15 error MD1504: External (_SB.PCI0.GETV.P1V) names an object inside method \\_SB.PCI0.GETV, which exists only while the method runs (iasl's error 6163)");
    expect(existsSync(join(tmp, 'mext.aml'))).toBe(false);
    expect(iasl(tmp, ['-p', 'mext-iasl', 'mext.dsl']).out).toMatch(/Error +6163/);
    expect(existsSync(join(tmp, 'mext-iasl.aml'))).toBe(false);

    const c = iaslCreator();
    const r = machc(['asl', 'mext.dsl', '-o', 'mext.aml', '--externals-in-methods', '--creator-id', c.creatorId, '--creator-revision', String(c.creatorRevision)]);
    expect(r.code, r.stderr).toBe(0);
    const theirs = iasl(tmp, ['-vw', '6163', '-p', 'mext-iasl', 'mext.dsl']);
    expect(theirs.status, theirs.out).toBe(0);
    expect(readFileSync(join(tmp, 'mext.aml'))).toEqual(readFileSync(join(tmp, 'mext-iasl.aml')));
  });

  it('reports located errors, exits 1 and writes nothing', () => {
    writeFileSync(join(tmp, 'bad.asl'), GOOD.replace('Return (0x0F)', 'Return (NOPE)'));
    const r = machc(['asl', 'bad.asl', '-o', 'bad.aml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.asl:8:37 error MD1502: 'NOPE' is not declared");
    expect(existsSync(join(tmp, 'bad.aml'))).toBe(false);
  });

  it('prints the compiled table as ASL that compiles back to the same bytes', () => {
    writeFileSync(join(tmp, 'print.asl'), GOOD);
    const r = machc(['asl', 'print.asl', '-o', 'print.aml', '--print']);
    expect(r.code).toBe(0);
    const again = compileAsl(`DefinitionBlock ("", "SSDT", 2, "MACHC", "CLI", 1)\n{\n${r.stdout}}\n`, 'again.asl');
    expect(again.problems).toEqual([]);
    expect(again.tables[0]!.bytes).toEqual(new Uint8Array(readFileSync(join(tmp, 'print.aml'))));
  });

  it('a missing file is a diagnostic without a position and exit 2, as in every command; a bad option a usage error', () => {
    const missing = machc(['asl', 'missing.asl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.asl: error MD0001');
    expect(machc(['asl', 'good.asl', '--creator-revision', 'x']).code).toBe(2);
  });
});
