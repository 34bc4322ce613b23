/**
 * `machc explain CODE` shows, for every code, a machine file that gets it
 * and the same file put right. Both are compiled here as the commands
 * compile them (lockfile, disk images, ASL): the wrong one must report the
 * code, the right one no error and not the code.
 */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { compileWithLock, machineAsl } from '../../compiler/cli/machine.js';
import { main } from '../../compiler/cli/main.js';
import { allEntries } from '../../compiler/diagnostics/catalog.js';
import { EXAMPLES, type Example } from '../../compiler/diagnostics/examples.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-explain-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** The codes (and severities) an example gets from `machc check`. */
async function diagnosticsOf(e: Example): Promise<{ code: string; severity: string; message: string }[]> {
  const dir = join(tmp, String(n++));
  mkdirSync(dir);
  if (e.import) return importDiagnostics(dir, e.import);
  const path = join(dir, 'machine.yaml');
  if (!e.missing) {
    let text = e.machine;
    if (e.padTo !== undefined) while (text.length < e.padTo) text += `# ${'padding '.repeat(8)}\n`;
    writeFileSync(path, e.latin1 ? Buffer.from(text, 'latin1') : text);
  }
  if (e.lock !== undefined) writeFileSync(`${path}.lock`, e.lock);
  for (const [file, size] of Object.entries(e.files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    const fd = openSync(join(dir, file), 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
  }
  const r = compileWithLock(e.missing ? join(dir, e.machine) : path, { useLock: true, checkImages: true });
  if (r.machine && !r.diagnostics.hasErrors) await machineAsl(r, qemuCommand(r.machine).deviceOrder);
  return r.diagnostics.items.map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
}

/** What `machc import` reports for an import example (the file it writes must compile: the command checks that itself). */
async function importDiagnostics(dir: string, input: NonNullable<Example['import']>): Promise<{ code: string; severity: string; message: string }[]> {
  const io = bufferIo();
  let args: string[];
  if ('qemu' in input) args = ['import', 'qemu', '--json', '--', ...input.qemu];
  else {
    writeFileSync(join(dir, 'domain.xml'), input.libvirt);
    args = ['import', 'libvirt', '--json', join(dir, 'domain.xml')];
  }
  const code = await main(args, io);
  const out = JSON.parse(io.stdout) as { diagnostics: { code: string; severity: string; message: string }[]; machine?: string };
  expect(code).toBe(out.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
  return out.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
}

describe('machc explain: a wrong and a right example for every code', () => {
  for (const entry of allEntries()) {
    it(`${entry.code} ${entry.name}`, async () => {
      const pair = EXAMPLES[entry.code];
      expect(pair, `no example for ${entry.code} in compiler/diagnostics/examples.ts`).toBeDefined();
      const wrong = await diagnosticsOf(pair!.wrong);
      // A code no machine of today's models can get is tested with a mocked model (tests/compiler/ari.test.ts for MD1304).
      if (pair!.unreachable) expect(wrong.map((d) => d.code)).not.toContain(entry.code);
      else expect(wrong.map((d) => d.code), JSON.stringify(wrong)).toContain(entry.code);
      const right = await diagnosticsOf(pair!.right);
      expect(right.filter((d) => d.severity === 'error' || d.code === entry.code), JSON.stringify(right)).toEqual([]);
    });
  }

  it('every example is for a code that exists', () => {
    const codes = new Set(allEntries().map((e) => e.code));
    expect(Object.keys(EXAMPLES).filter((c) => !codes.has(c))).toEqual([]);
  });

  it('machc explain prints both, and --json carries them', async () => {
    const io = bufferIo();
    expect(await main(['explain', 'MD1203'], io)).toBe(0);
    expect(io.stdout).toContain('Gets MD1203:\n    chipset: q35\n    devices:\n      - { id: a, model: e1000e, addr: 3.0 }\n      - { id: b, model: e1000e, addr: 3.0 }\n');
    expect(io.stdout).toContain('Put right:\n    chipset: q35\n');
    const json = bufferIo();
    expect(await main(['explain', 'MD1401', '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'MD1401', examples: { wrong: { lock: expect.stringContaining('lock-version: 1') } } });
  });
});
