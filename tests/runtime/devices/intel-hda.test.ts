/**
 * ich9-intel-hda through config space and BAR0: QEMU 7.2's config (HDCTL,
 * one 64-bit MSI vector at 0x60, no PCIe capability) and the global
 * registers: GCAP and the version read-only, the codecs announced in
 * STATESTS when the controller leaves reset, write-1-to-clear.
 */
import { describe, expect, it } from 'vitest';
import { IntelHda, Q35Machine } from '../../../runtime/index.js';
import { GCTL_CRST, HDA, HDA_GCAP } from '../../../runtime/devices/ich9-intel-hda/index.js';
import * as R from '../../../runtime/pci/registers.js';
import { mapBar } from './guest.js';

const BAR0 = 0xfea1_8000;

describe('ich9-intel-hda', () => {
  it('has HDCTL 0x01 and MSI at 0x60 (64-bit, one vector) only', () => {
    const m = new Q35Machine({ ram: { below4g: 64 * 1024 * 1024 } });
    const h = m.attach(m.root, 0x1b, 0, new IntelHda({ bus: 'pcie-root', codecs: [0] }));
    m.reset();
    expect(h.configRead(0x40, 1)).toBe(0x01);
    expect(h.configRead(R.CAPABILITY_LIST, 1)).toBe(0x60);
    expect([h.configRead(0x60, 1), h.configRead(0x61, 1), h.configRead(0x62, 2)]).toEqual([R.CAP_ID_MSI, 0, 0x0080]);
    expect(h.configRead(R.INTERRUPT_PIN, 1)).toBe(1);
  });

  it('announces its codecs when it leaves reset', () => {
    const m = new Q35Machine({ ram: { below4g: 64 * 1024 * 1024 } });
    const h = m.attach(m.root, 0x1b, 0, new IntelHda({ bus: 'pcie-root', codecs: [0, 2] }));
    m.reset();
    mapBar(h, 0, BAR0);
    expect(m.memory.read(BAR0 + HDA.GCAP, 2)).toBe(HDA_GCAP);
    m.memory.write(BAR0 + HDA.GCAP, 2, 0);
    expect(m.memory.read(BAR0 + HDA.GCAP, 2)).toBe(HDA_GCAP);
    expect(m.memory.read(BAR0 + HDA.VMAJ, 1)).toBe(1);
    expect(m.memory.read(BAR0 + HDA.STATESTS, 2)).toBe(0);
    m.memory.write(BAR0 + HDA.GCTL, 4, GCTL_CRST);
    expect(m.memory.read(BAR0 + HDA.GCTL, 4)).toBe(GCTL_CRST);
    expect(m.memory.read(BAR0 + HDA.STATESTS, 2)).toBe(0b101);
    m.memory.write(BAR0 + HDA.STATESTS, 2, 0b001);
    expect(m.memory.read(BAR0 + HDA.STATESTS, 2)).toBe(0b100);
    // Back into reset: the registers return to their reset values.
    m.memory.write(BAR0 + HDA.GCTL, 4, 0);
    expect([m.memory.read(BAR0 + HDA.GCTL, 4), m.memory.read(BAR0 + HDA.STATESTS, 2)]).toEqual([0, 0]);
  });
});
