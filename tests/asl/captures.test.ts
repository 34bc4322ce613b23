// Real tables no one here wrote: every DSDT and SSDT QEMU 7.2 produced in the
// captures (and the shared reference) is disassembled with `iasl -d`, then
// compiled by iasl and by machc from the same .dsl: the tables must be equal
// byte for byte (header included: machc writes iasl's creator fields here).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needTools } from '../support/tools.js';
import { capturedAmlTables, firstDifference, iasl, machc, readBytes } from './support.js';

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-captures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Disassemblies iasl itself cannot compile back, with the reason; machc must
 * refuse them too (with a located error), not produce bytes.
 */
const IASL_REJECTS: Record<string, string> = {
  // QEMU's acpi=off DSDT refers to names its SSDT declares at the root; the
  // disassembler guesses they live inside method _CRS and writes
  // External (_SB_.PCI0._CRS.P0S_, ...), which iasl rejects (error 6163).
  'capture/acpi-off-default/DSDT': 'External names objects inside a method',
};

describe.runIf(haveIasl)('QEMU tables through iasl -d, then iasl and machc', () => {
  const tables = capturedAmlTables();

  it('finds the captured tables', () => {
    expect(tables.length).toBeGreaterThanOrEqual(25);
    expect(tables.some((t) => t.name.endsWith('SSDT'))).toBe(true);
  });

  for (const t of tables) {
    it(t.name, () => {
      const dir = mkdtempSync(join(work, 'x-'));
      copyFileSync(t.file, join(dir, 't.aml'));
      // The other tables of the same machine resolve external references (-e).
      const ext = t.siblings.map((s, i) => {
        copyFileSync(s, join(dir, `e${i}.aml`));
        return `e${i}.aml`;
      });
      const d = iasl(dir, [...(ext.length > 0 ? ['-e', ...ext] : []), '-d', 't.aml']);
      expect(d.status, d.out).toBe(0);
      const dsl = readFileSync(join(dir, 't.dsl'), 'latin1');
      const ours = machc(dsl, 't.dsl');
      const theirs = iasl(dir, ['-p', 'i', 't.dsl']);
      const rejected = IASL_REJECTS[t.name];
      if (rejected !== undefined) {
        expect(theirs.status, 'iasl now compiles it: drop it from IASL_REJECTS').not.toBe(0);
        expect(ours.problems.length, `machc must refuse it too (${rejected})`).toBeGreaterThan(0);
        expect(ours.problems.map((p) => p.kind)).toContain('type');
        return;
      }
      expect(theirs.status, theirs.out).toBe(0);
      expect(ours.problems, basename(t.file)).toEqual([]);
      const a = ours.tables[0]!.bytes;
      const b = readBytes(join(dir, 'i.aml'));
      expect(firstDifference(a, b)).toBe('identical');
    });
  }
});
