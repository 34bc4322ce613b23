// Real tables no one here wrote: every DSDT and SSDT QEMU produced in the
// captures (every target: 7.2 at the top of tests/fixtures/captures, 10.0 and
// 11.1 in their qemu-V folders) and in the shared reference is disassembled
// with `iasl -d`, then compiled by iasl and by machc from the same .dsl: the
// tables must be equal byte for byte (header included: machc writes iasl's
// creator fields here).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AslCompileOptions } from '../../compiler/asl/index.js';
import { needTools } from '../support/tools.js';
import { capturedAmlTables, firstDifference, iasl, machc, readBytes } from './support.js';

const haveIasl = needTools('iasl');
const work = mkdtempSync(join(tmpdir(), 'machc-asl-captures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Disassemblies iasl itself refuses to compile, with the reason: machc must
 * refuse them too (with a located error, not bytes); and with the iasl option
 * that lets iasl through, and machc's equivalent, both must write the same table.
 */
interface IaslRejects {
  readonly reason: string;
  readonly iaslFlags: readonly string[];
  readonly options: AslCompileOptions;
}

// QEMU's acpi=off DSDT refers to names its SSDT declares at the root (P0S, P1V...);
// the disassembler guesses they live inside method _CRS and writes
// External (_SB_.PCI0._CRS.P0S_, ...) beside External (P0S_, ...), which iasl
// rejects (error 6163: a method's names exist only while it runs) unless told
// to ignore the error (-vw 6163); machc's externalsInMethods does the same.
const EXTERNALS_IN_CRS: IaslRejects = {
  reason: 'External names objects inside a method',
  iaslFlags: ['-vw', '6163'],
  options: { externalsInMethods: true },
};
const IASL_REJECTS: Record<string, IaslRejects> = {
  'capture/acpi-off-default/DSDT': EXTERNALS_IN_CRS,
  'capture/qemu-10.0/acpi-off-default/DSDT': EXTERNALS_IN_CRS,
  'capture/qemu-11.1/acpi-off-default/DSDT': EXTERNALS_IN_CRS,
};

describe.runIf(haveIasl)('QEMU tables through iasl -d, then iasl and machc', () => {
  const tables = capturedAmlTables();

  it('finds the tables of every target and of the shared reference', () => {
    // Captures with QEMU's tables (the others stop in firmware, as many-rootports-16 does).
    const dsdts = (prefix: RegExp) => tables.filter((t) => prefix.test(t.name) && t.name.endsWith('/DSDT')).length;
    expect(dsdts(/^capture\/(?!qemu-)[^/]+\/DSDT$/), 'QEMU 7.2').toBeGreaterThanOrEqual(32);
    expect(dsdts(/^capture\/qemu-10\.0\//), 'QEMU 10.0').toBeGreaterThanOrEqual(34);
    expect(dsdts(/^capture\/qemu-11\.1\//), 'QEMU 11.1').toBeGreaterThanOrEqual(35);
    expect(tables.filter((t) => t.name.endsWith('SSDT')).length).toBeGreaterThanOrEqual(3);
    for (const name of Object.keys(IASL_REJECTS)) expect(tables.map((t) => t.name), name).toContain(name);
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
        expect(ours.problems.length, `machc must refuse it too (${rejected.reason})`).toBeGreaterThan(0);
        expect(new Set(ours.problems.map((p) => p.kind))).toEqual(new Set(['type']));
        const forced = iasl(dir, [...rejected.iaslFlags, '-p', 'i', 't.dsl']);
        expect(forced.status, forced.out).toBe(0);
        const again = machc(dsl, 't.dsl', rejected.options);
        expect(again.problems, basename(t.file)).toEqual([]);
        expect(firstDifference(again.tables[0]!.bytes, readBytes(join(dir, 'i.aml')))).toBe('identical');
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
