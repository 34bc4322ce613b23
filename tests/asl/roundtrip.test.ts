// The ASL printer round-trips: the ASL machc prints for every AML table it
// emits (the DSDT of every example and test machine, and the SSDT and device
// blocks of machines with ASL) compiles back, with machc's own compiler and
// its optimizations off as iasl -on -of -oi turns them off, to the same bytes:
// machc's emitters write AML as QEMU builds it, with paths as spelled,
// constant expressions such as `(One << 0x07)` unfolded and 0xFFFFFFFF as a
// DWord, where an optimizing compiler would write 0x80 and Ones.
import { describe, expect, it } from 'vitest';
import { compileAsl } from '../../compiler/asl/index.js';
import { machineAsl } from '../../compiler/cli/machine.js';
import { compileMachine } from '../../compiler/driver.js';
import { buildAcpiTables } from '../../compiler/emit/acpi/index.js';
import { qemuCommand } from '../../compiler/emit/qemu/args.js';
import { machineFiles } from '../acpi/support.js';

/**
 * Offsets where two tables differ. The only difference allowed is the End
 * Tag checksum of a ResourceTemplate (0x79 then the checksum byte): ASL has
 * no way to write it (iasl and QEMU write 0), while machc's template encoder
 * may compute one. Any other difference fails.
 */
function differences(ours: Uint8Array, back: Uint8Array): { endTags: number; other: number[] } {
  expect(back.length).toBe(ours.length);
  let endTags = 0;
  const other: number[] = [];
  for (let i = 36; i < ours.length; i++) {
    if (ours[i] === back[i]) continue;
    if (ours[i - 1] === 0x79 && back[i - 1] === 0x79 && back[i] === 0) endTags++;
    else other.push(i);
  }
  return { endTags, other };
}

describe('machc\'s printed ASL compiles back to the same AML', () => {
  // Test machines that are meant to fail (error fixtures) have no tables.
  for (const file of machineFiles().filter((f) => compileMachine(f).machine !== undefined)) {
    it(file.split('/').slice(-2).join('/'), async () => {
      const r = compileMachine(file);
      expect(r.machine).toBeDefined();
      const order = qemuCommand(r.machine!).deviceOrder;
      const asl = await machineAsl(r, order);
      const set = buildAcpiTables(r.machine!, { creationOrder: order, asl });
      const aml = set.tables.filter((t) => t.signature === 'DSDT' || t.signature === 'SSDT');
      expect(aml.length).toBeGreaterThan(0);
      for (const t of aml) {
        const back = compileAsl(t.asl, `${t.signature}.dsl`, { optimizeNames: false, foldConstants: false, optimizeIntegers: false });
        expect(back.problems, t.signature).toEqual([]);
        const bytes = back.tables[0]!.bytes;
        const d = differences(t.bytes, bytes);
        expect(d.other, `${t.signature}: bytes differ at ${d.other.slice(0, 5).join(', ')}`).toEqual([]);
      }
    });
  }
});
