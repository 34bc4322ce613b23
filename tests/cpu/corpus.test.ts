/**
 * The corpus of hand-written 16- and 32-bit programs (tests/cpu/corpus/*.s), run on QEMU TCG
 * and on machc's CPU from the same -bios image; every record they write (snapshots of the
 * whole register state, results, exceptions, memory) must be equal. QEMU's output is the
 * expected result, and the QEMU side is checked on its own too: every program runs to its end,
 * the records decode, runs are deterministic, and selected results equal what the Intel SDM
 * says (so the programs test what they claim to).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needTools } from '../support/tools.js';
import { assemble } from './lib/asm.js';
import { QEMU_X86_64, type QemuBareMetalResult, runQemuBareMetal } from './lib/qemu.js';
import { decodeRecords, firstDifference, formatDifference, type HarnessRecord } from './lib/records.js';
import { runtimeSide } from './runner.js';
import { CORPUS_CHECKS, CORPUS_ENDINGS, EXIT_DONE } from './corpus-checks.js';
import { KNOWN_CORPUS_DIFFERENCES } from './known-differences.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const PROGRAMS = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.s'))
  .map((f) => f.slice(0, -2))
  .sort();
const haveTools = needTools('as', 'ld', 'objcopy', 'nm', QEMU_X86_64);

const images = new Map<string, Uint8Array>();
function image(name: string): Uint8Array {
  let img = images.get(name);
  if (!img) {
    img = assemble(readFileSync(join(CORPUS, `${name}.s`), 'utf8'), { name: `${name}.s`, includeDirs: [CORPUS] });
    images.set(name, img);
  }
  return img;
}

const qemuRuns = new Map<string, Promise<QemuBareMetalResult>>();
function onQemu(name: string): Promise<QemuBareMetalResult> {
  let run = qemuRuns.get(name);
  if (!run) {
    run = runQemuBareMetal(image(name), { timeoutMs: 300_000 });
    qemuRuns.set(name, run);
  }
  return run;
}

describe('CPU corpus', () => {
  it('has the programs the README lists', () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(15);
    for (const name of Object.keys(CORPUS_CHECKS)) expect(PROGRAMS).toContain(name);
  });
});

describe.skipIf(!haveTools)('CPU corpus on QEMU', () => {
  for (const name of PROGRAMS) {
    it(`${name} runs to its end on QEMU and says what the SDM says`, async () => {
      const run = await onQemu(name);
      const decoded = decodeRecords(run.debugcon);
      expect(decoded.error).toBeUndefined();
      const ending = CORPUS_ENDINGS[name];
      if (ending) expect(run.error ?? `exit ${run.exitCode}`).toMatch(ending);
      else {
        expect(run.error).toBeUndefined();
        expect(run.exitCode).toBe(EXIT_DONE);
        expect(decoded.records.at(-1)?.kind).toBe('done');
      }
      expect(decoded.records.some((r) => r.kind === 'fatal')).toBe(false);
      CORPUS_CHECKS[name]?.(decoded.records);
    }, 300_000);
  }

  it('gives the same bytes on a second run', async () => {
    for (const name of ['exceptions', 'paging', 'modes', 'strings']) {
      const first = await onQemu(name);
      const again = await runQemuBareMetal(image(name), { timeoutMs: 300_000 });
      expect(Buffer.from(again.debugcon).equals(Buffer.from(first.debugcon)), name).toBe(true);
      expect(again.exitCode).toBe(first.exitCode);
    }
  }, 600_000);
});

describe.skipIf(!haveTools)('CPU corpus: machc against QEMU', () => {
  const rt = runtimeSide();
  for (const name of PROGRAMS) {
    const known = KNOWN_CORPUS_DIFFERENCES[name];
    const title = known ? `${name} on machc: known difference (${known.status}: ${known.reason})` : `${name} on machc equals QEMU`;
    it.skipIf('skip' in rt)(`${title}${'skip' in rt ? ` (skipped: ${rt.skip})` : ''}`, async () => {
      if ('skip' in rt) return;
      const qemu = await onQemu(name);
      const ours = await rt.run(image(name), { memoryMiB: 128, maxInstructions: 2_000_000_000 });
      const expected = decodeRecords(qemu.debugcon).records;
      const actual = decodeRecords(ours.debugcon);
      const diff = firstDifference(expected, actual.records);
      const context: HarnessRecord[] = diff ? expected.slice(Math.max(0, diff.index - 1), diff.index) : [];
      const report = diff ? formatDifference(diff, context) : '';
      const sameEnd = ours.exitCode === qemu.exitCode && (ours.error === undefined) === (qemu.error === undefined);
      if (known) {
        // still different (when it is fixed, its entry in known-differences.ts goes)
        expect(diff !== undefined || !sameEnd, `${name} now equals QEMU: remove it from KNOWN_CORPUS_DIFFERENCES`).toBe(true);
        console.log(`${name}: ${known.reason}\n${report.split('\n').slice(0, 12).join('\n')}`);
        return;
      }
      expect(report, `${name}: machc's records differ from QEMU's`).toBe('');
      expect(actual.error).toBeUndefined();
      expect({ exitCode: ours.exitCode, error: ours.error === undefined ? undefined : 'error' }).toEqual({
        exitCode: qemu.exitCode,
        error: qemu.error === undefined ? undefined : 'error',
      });
    }, 600_000);
  }
});
