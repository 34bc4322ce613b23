/**
 * QEMU's ACPI PCI hot-plug registers at 0xCC0 as a generated machine has
 * them: the buses the DSDT numbers with BSEL are registered under those
 * numbers, and the PIDX register answers the acpi-index of a slot the way
 * hw/acpi/pcihp.c does (what the DSDT's AIDX method reads for a slot's _DSM).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadGenerated, resolveMachine, ROOT } from '../codegen/support.js';

const BNUM = 0xcc0 + 0x10;
const PIDX = 0xcc0 + 0x14;
const RMV = 0xcc0 + 0x0c;

async function machine() {
  const mod = await loadGenerated(resolveMachine(join(ROOT, 'tests/fixtures/machines/cap-acpi-index-slot.yaml')));
  return mod.createMachine().machine;
}

describe('ACPI PCI hot-plug registers', () => {
  it('PIDX gives the acpi-index of the device in the slot selected, by BSEL', async () => {
    const m = await machine();
    // BSEL 1 is the bus behind 00:10.0 (nic0, acpi-index 1), BSEL 0 the one behind 00:11.0 (nic1, acpi-index 2).
    const index = (bsel: number, slots: number) => {
      m.io.write(BNUM, 4, bsel);
      m.io.write(PIDX, 4, slots);
      return m.io.read(PIDX, 4);
    };
    expect(index(1, 1 << 0)).toBe(1);
    expect(index(0, 1 << 0)).toBe(2);
    expect(index(0, 1 << 3)).toBe(0); // an empty slot
    expect(index(0, 0)).toBe(0); // no slot
    expect(index(7, 1 << 0)).toBe(0); // no bus with that BSEL
    expect(index(0, (1 << 0) | (1 << 5))).toBe(2); // the lowest slot set
    expect(m.io.read(BNUM, 4)).toBe(0);
  });

  it('a read or any other write drops the index fetched', async () => {
    const m = await machine();
    m.io.write(BNUM, 4, 1);
    m.io.write(PIDX, 4, 1);
    expect(m.io.read(PIDX, 4)).toBe(1);
    expect(m.io.read(PIDX, 4)).toBe(0);
    m.io.write(PIDX, 4, 1);
    m.io.write(BNUM, 4, 1);
    expect(m.io.read(PIDX, 4)).toBe(0);
  });

  it('RMV offers every slot of a port bus, and reset forgets the selection', async () => {
    const m = await machine();
    m.io.write(BNUM, 4, 1);
    expect(m.io.read(RMV, 4) >>> 0).toBe(0xffff_ffff);
    m.reset();
    expect(m.io.read(BNUM, 4)).toBe(0);
  });
});
