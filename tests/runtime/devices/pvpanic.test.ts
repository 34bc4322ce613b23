/** pvpanic-pci through BAR0: the supported events read back, reported events reach the host, unsupported bits do not. */
import { describe, expect, it } from 'vitest';
import { PvpanicPci, Q35Machine } from '../../../runtime/index.js';
import { PVPANIC_CRASH_LOADED, PVPANIC_PANICKED } from '../../../runtime/devices/pvpanic/index.js';
import * as R from '../../../runtime/pci/registers.js';
import { mapBar } from './guest.js';

const BAR0 = 0xfea1_d000;

describe('pvpanic-pci', () => {
  it('offers PANICKED and CRASH_LOADED and reports what the guest writes', () => {
    const m = new Q35Machine({ ram: { below4g: 64 * 1024 * 1024 } });
    const p = m.attach(m.root, 0x05, 0, new PvpanicPci({ bus: 'pcie-root' }));
    m.reset();
    expect(p.configRead(R.STATUS, 2) & 0x10).toBe(0);
    expect(p.configRead(R.INTERRUPT_PIN, 1)).toBe(0);
    mapBar(p, 0, BAR0, { master: false });
    expect(m.memory.read(BAR0, 1)).toBe(PVPANIC_PANICKED | PVPANIC_CRASH_LOADED);
    const seen: number[] = [];
    p.onEvent = (e) => seen.push(e);
    m.memory.write(BAR0, 1, 0x80);
    m.memory.write(BAR0, 1, PVPANIC_PANICKED | 0x80);
    m.memory.write(BAR0, 1, PVPANIC_CRASH_LOADED);
    expect(seen).toEqual([PVPANIC_PANICKED, PVPANIC_CRASH_LOADED]);
    expect(p.events).toEqual(seen);
  });
});
