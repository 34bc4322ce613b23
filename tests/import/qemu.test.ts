/**
 * `machc import qemu` against real boots: every capture's QEMU command line
 * (its qemu.args, and the whole command the capture ran, from its README)
 * imports to a machine file that resolves to the functions Linux enumerated
 * and the bus numbers SeaBIOS gave. What a machine file cannot say is
 * reported at its argument (MD1701), host-side options are warnings
 * (MD1702), bad values MD1703.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import type { JsonDiagnostic } from '../../compiler/diagnostics/render.js';
import { parseQemuArgs } from '../../compiler/emit/qemu/args.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { captureCases } from '../build/machines.js';
import { ourBuses, ourPciTxt, seabiosBuses } from '../support/topology.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Imported {
  readonly code: number;
  readonly yaml: string;
  readonly diagnostics: JsonDiagnostic[];
}

/** `machc import qemu ...` in process: the machine file and the diagnostics (as JSON). */
async function importQemu(flags: readonly string[], args: readonly string[]): Promise<Imported> {
  const io = bufferIo();
  const code = await main(['import', 'qemu', '--json', ...flags, '--', ...args], io);
  const out = JSON.parse(io.stdout) as { diagnostics: JsonDiagnostic[]; machine?: string };
  return { code, yaml: out.machine ?? '', diagnostics: out.diagnostics };
}

function resolved(yaml: string, name: string): ResolvedMachine {
  const r = compileMachine(join(tmp, `${name}.yaml`), { text: yaml });
  expect(r.diagnostics.items.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.machine!;
}

/** Functions without VFs, and VFs apart: the command line does not say how many VFs the guest enabled (the import enables all). */
function split(lines: readonly string[], vfBdfs: ReadonlySet<string>): { fns: string[]; vfs: string[] } {
  const fns: string[] = [];
  const vfs: string[] = [];
  for (const l of lines) (vfBdfs.has(l.slice(5, 12)) ? vfs : fns).push(l);
  return { fns, vfs };
}

/** What the capture's own command could not have in a machine file: the PCIe Port Number, ACPI off, the harness's debug console. */
const EXPECTED_UNSUPPORTED = /^argument \d+ \((port=(0x)?[0-9a-f]+|acpi=off|isa-debugcon)\)/;

function checkTopology(m: ResolvedMachine, dir: string): void {
  const vfBdfs = new Set(m.pci.functions.filter((f) => f.role === 'vf').map((f) => f.bdf));
  const ours = split(ourPciTxt(m), vfBdfs);
  const theirs = split(readFileSync(join(dir, 'pci.txt'), 'utf8').split('\n').map((l) => l.trimEnd()).filter(Boolean), vfBdfs);
  expect(ours.fns).toEqual(theirs.fns);
  for (const vf of theirs.vfs) expect(ours.vfs).toContain(vf);
  expect(ourBuses(m)).toEqual(seabiosBuses(readFileSync(join(dir, 'seabios.log'), 'utf8')));
}

/** The capture harness gives QEMU -m 512M unless qemu.args says otherwise. */
function captureArgs(dir: string): string[] {
  const args = parseQemuArgs(readFileSync(join(dir, 'qemu.args'), 'utf8'));
  return args.includes('-m') ? args : ['-m', '512M', ...args];
}

describe('machc import qemu: every capture imports to the topology Linux enumerated', () => {
  const cases = captureCases().filter((c) => c.name.startsWith('captures/') && existsSync(join(c.dir, 'pci.txt')));
  it('has the captures', () => expect(cases.length).toBeGreaterThanOrEqual(80));
  for (const c of cases) {
    const target = c.target ? ['--qemu', c.target] : [];
    it(`${c.name}: qemu.args`, async () => {
      const strict = await importQemu(target, captureArgs(c.dir));
      // Only what a machine file cannot say fails the import, each at its argument; nothing else is reported.
      const errors = strict.diagnostics.filter((d) => d.severity === 'error');
      for (const e of errors) expect(e.code === 'MD1701' && EXPECTED_UNSUPPORTED.test(e.message), e.message).toBe(true);
      expect(strict.code).toBe(errors.length > 0 ? 1 : 0);
      const imported = errors.length > 0 ? await importQemu([...target, '--lenient'], captureArgs(c.dir)) : strict;
      expect(imported.code).toBe(0);
      checkTopology(resolved(imported.yaml, c.name.replace(/\W/g, '_')), c.dir);
    });
    const readme = join(c.dir, 'README.md');
    const full = existsSync(readme) ? /^Full QEMU command: `(.*)`$/m.exec(readFileSync(readme, 'utf8'))?.[1] : undefined;
    if (full === undefined) continue;
    it(`${c.name}: the whole command the capture ran (README), from a file`, async () => {
      const file = join(tmp, `${c.name.replace(/\W/g, '_')}.args`);
      // The binary, then the options as the shell received them.
      writeFileSync(file, `${full.replace(/^\S+\s/, '')}\n`);
      const r = await importQemu([...target, '--lenient', '--file', file], []);
      expect(r.code).toBe(0);
      for (const d of r.diagnostics) {
        expect(d.file).toBe(file);
        if (d.code === 'MD1701') expect(d.message, d.message).toMatch(EXPECTED_UNSUPPORTED);
        else expect(d.code, d.message).toBe('MD1702');
      }
      // The harness's own options are reported, not dropped.
      const left = r.diagnostics.map((d) => d.message).join('\n');
      for (const o of ['-accel', '-bios', '-kernel', '-append', '-serial', '-display', '-no-reboot']) expect(left).toMatch(new RegExp(`\\(${o}[ )]`));
      checkTopology(resolved(r.yaml, `${c.name.replace(/\W/g, '_')}-full`), c.dir);
    });
  }
});
