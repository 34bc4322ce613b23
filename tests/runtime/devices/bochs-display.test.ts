/**
 * bochs-display through its BARs: the VBE registers in BAR2 (ID, VRAM size,
 * plain storage), the QEMU extended registers, the frame buffer in BAR0, and
 * the PCIe capability it has on PCI Express buses only.
 */
import { describe, expect, it } from 'vitest';
import { BochsDisplay, Q35Machine } from '../../../runtime/index.js';
import * as R from '../../../runtime/pci/registers.js';
import { mapBar } from './guest.js';

const MiB = 1024 * 1024;
const VRAM = 0xfc00_0000;
const MMIO = 0xfebf_8000;

function setup(bus: 'pcie-root' | 'pci' = 'pcie-root'): { m: Q35Machine; d: BochsDisplay } {
  const m = new Q35Machine({ ram: { below4g: 512 * MiB }, display: 'none' });
  const d = m.attach(m.root, 0x01, 0, new BochsDisplay({ bus }));
  m.reset();
  mapBar(d, 0, VRAM, { master: false });
  mapBar(d, 2, MMIO, { master: false });
  return { m, d };
}

describe('bochs-display', () => {
  it('answers the VBE registers in BAR2 as QEMU does', () => {
    const { m } = setup();
    const vbe = (i: number) => m.memory.read(MMIO + 0x500 + 2 * i, 2);
    expect(vbe(0)).toBe(0xb0c5);
    expect(vbe(0xa)).toBe(16 * MiB / 65536);
    m.memory.write(MMIO + 0x500 + 2 * 1, 2, 1024);
    m.memory.write(MMIO + 0x500 + 2 * 2, 2, 768);
    m.memory.write(MMIO + 0x500 + 2 * 3, 2, 32);
    expect([vbe(1), vbe(2), vbe(3)]).toEqual([1024, 768, 32]);
    // Past the registers nothing answers (0); the extended registers say 8 bytes, little endian.
    expect(vbe(0xb)).toBe(0);
    expect([m.memory.read(MMIO + 0x600, 4) >>> 0, m.memory.read(MMIO + 0x604, 4) >>> 0]).toEqual([8, 0x1e1e1e1e]);
  });

  it('keeps the frame buffer in BAR0 and forgets the mode on reset', () => {
    const { m, d } = setup();
    m.memory.write(VRAM + 0x1234, 4, 0xdeadbeef);
    expect(m.memory.read(VRAM + 0x1234, 4) >>> 0).toBe(0xdeadbeef);
    m.memory.write(MMIO + 0x500 + 2 * 4, 2, 1);
    d.reset();
    expect(d.vbe[4]).toBe(0);
    expect(d.vbe[0]).toBe(0xb0c5);
  });

  it('has a PCIe capability (integrated endpoint) on pcie.0 and none on conventional PCI', () => {
    const onRoot = setup('pcie-root').d;
    expect(onRoot.configRead(R.CAPABILITY_LIST, 1)).toBe(0x80);
    expect(onRoot.configRead(0x80, 4)).toBe(0x0092_0010);
    const conventional = setup('pci').d;
    expect(conventional.configRead(R.STATUS, 2) & 0x10).toBe(0);
    expect(conventional.configRead(R.CAPABILITY_LIST, 1)).toBe(0);
  });
});
