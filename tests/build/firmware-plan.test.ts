/**
 * machc's replay of SeaBIOS's PCI allocation against the real thing: for each
 * reference and capture, the lines `machc show --firmware-plan` prints equal
 * the `PCI: secondary bus N size`, `PCI: IO:`, `PCI: 32:`/`64:` and
 * `PCI: map device` lines of the SeaBIOS 1.16.2 log, in order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { Diag } from '../../compiler/diagnostics/catalog.js';
import { compileMachine } from '../../compiler/driver.js';
import { firmwarePlanLog, planLinesOfLog } from '../../compiler/emit/firmware/seabios-log.js';
import { captureCases } from './machines.js';

const cases = captureCases().filter((c) => existsSync(join(c.dir, 'seabios.log')));

describe('firmware plan = SeaBIOS 1.16.2 log', () => {
  it('covers every capture and both references', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
    for (const c of cases) expect(existsSync(c.machine), c.machine).toBe(true);
  });

  for (const c of cases) {
    const log = readFileSync(join(c.dir, 'seabios.log'), 'latin1');
    const panic = /^PCI: out of [\w/ ]+ address space/m.exec(log);
    if (panic) {
      it(`${c.name}: firmware panics ("${panic[0]}"); machc reports it instead of a plan`, () => {
        const r = compileMachine(c.machine, { qemu: c.target });
        expect(r.machine).toBeUndefined();
        const codes = r.diagnostics.sorted().map((d) => d.code);
        expect(codes).toContain(panic[0].includes('I/O') ? Diag.ioExhausted.code : Diag.mmio32Exhausted.code);
      });
      continue;
    }
    it(`${c.name}`, () => {
      const r = compileMachine(c.machine, { qemu: c.target });
      expect(r.diagnostics.sorted().filter((d) => d.severity === 'error')).toEqual([]);
      const expected = planLinesOfLog(log);
      expect(expected.filter((l) => /^PCI: (IO|32):/.test(l))).toHaveLength(2);
      expect(firmwarePlanLog(r.machine!)).toEqual(expected);
    });
  }

  it('machc show --firmware-plan prints the same lines', async () => {
    const io = bufferIo();
    const code = await main(['show', '--firmware-plan', join(import.meta.dirname, '../fixtures/machines/cap-rootport-e1000e.yaml')], io);
    expect(code).toBe(0);
    const ref = join(import.meta.dirname, '../fixtures/captures/rootport-e1000e/seabios.log');
    expect(io.stdout.trimEnd().split('\n')).toEqual(planLinesOfLog(readFileSync(ref, 'latin1')));
    expect(io.stdout).toContain('PCI: map device bdf=01:00.0  bar 6, addr fe800000, size 00040000 [mem]');
  });
});
