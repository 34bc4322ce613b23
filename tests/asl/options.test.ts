// machc's compiler with iasl's optimizations turned off as iasl's -on, -of
// and -oi turn them off (name paths as spelled, constant expressions left as
// operators, 0 / 1 / all ones as prefixed integers): the same bytes as iasl
// with those options. The ASL printer round trip (roundtrip.test.ts) relies
// on them, since machc's tables, like QEMU's, are written unoptimized.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { needTools } from '../support/tools.js';
import { firstDifference, iasl, iaslCreator, readBytes } from './support.js';

const body = (ones: string) => `
    Name (PCST, 0x0CC0)
    Scope (\\_SB)
    {
        Device (PCI0)
        {
            Name (_UID, Zero)
        }
    }
    Method (TEST, 2, NotSerialized)
    {
        Local1 = Zero
        Local2 = \\_SB.PCI0._UID
        If (!((Local2 == Zero) | (Local2 == 0xFFFFFFFF)))
        {
            Local1 |= (One << 0x07)
            Local1 |= 0x00
            Local1 += 0x01
            Local1 = (Local1 + (0x02 * 0x03))
        }
        Return ((Local1 + ${ones}))
    }
`;

const OFF = { optimizeNames: false, foldConstants: false, optimizeIntegers: false } as const;
const CASES: { name: string; revision: number; flags: string[]; options: typeof OFF | Record<string, never> }[] = [
  { name: 'revision 1 with -on -of -oi', revision: 1, flags: ['-on', '-of', '-oi'], options: OFF },
  { name: 'revision 2 with -on -of -oi', revision: 2, flags: ['-on', '-of', '-oi'], options: OFF },
  { name: 'revision 1 optimized (the default)', revision: 1, flags: [], options: {} },
];

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(haveIasl)("iasl's optimizations off", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const source = `DefinitionBlock ("", "DSDT", ${c.revision}, "MACHC", "OPTIONS", 0x00000001)\n{${body(c.revision < 2 ? '0xFFFFFFFF' : '0xFFFFFFFFFFFFFFFF')}}\n`;
      const file = `r${c.revision}${c.flags.join('')}.asl`;
      writeFileSync(join(work, file), source);
      const r = iasl(work, [...c.flags, file]);
      expect(r.status, r.out).toBe(0);
      const theirs = readBytes(join(work, file.replace(/\.asl$/, '.aml')));
      const ours = compileAsl(source, file, { ...iaslCreator(), ...c.options });
      expect(ours.problems).toEqual([]);
      const bytes = ours.tables[0]!.bytes;
      expect(firstDifference(bytes, theirs)).toBe('identical');
    });
  }

  it('the options change the bytes (0x80 and Ones when optimizing)', () => {
    const source = `DefinitionBlock ("", "DSDT", 1, "MACHC", "OPTIONS", 0x00000001)\n{${body('0xFFFFFFFF')}}\n`;
    const on = compileAsl(source, 'on.asl').tables[0]!.bytes;
    const off = compileAsl(source, 'off.asl', OFF).tables[0]!.bytes;
    expect(off.length).toBeGreaterThan(on.length);
  });
});
