/**
 * qemu-xhci through config space and BAR0: QEMU 7.2's capabilities (MSI-X
 * 16 vectors at 0x90, PCIe at 0xa0 on a PCI Express bus, none on
 * conventional PCI), the capability registers SeaBIOS and Linux read first,
 * and the operational registers' halt, run and reset behaviour with every
 * port powered and empty.
 */
import { describe, expect, it } from 'vitest';
import { Q35Machine, QemuXhci } from '../../../runtime/index.js';
import { OP, PORTSC_PP, USBCMD_HCRST, USBCMD_RS, USBSTS_HCH, XHCI } from '../../../runtime/devices/qemu-xhci/index.js';
import * as R from '../../../runtime/pci/registers.js';
import { mapBar } from './guest.js';

const BAR0 = 0xfea1_0000;

function machine(bus: 'pcie-root' | 'pci') {
  const m = new Q35Machine({ ram: { below4g: 64 * 1024 * 1024 } });
  const x = m.attach(m.root, 0x05, 0, new QemuXhci({ bus }));
  m.reset();
  return { m, x };
}

const caps = (x: QemuXhci) => {
  const out: [number, number][] = [];
  for (let at = x.configRead(R.CAPABILITY_LIST, 1); at !== 0; at = x.configRead(at + 1, 1)) out.push([at, x.configRead(at, 1)]);
  return out;
};

describe('qemu-xhci', () => {
  it('has MSI-X at 0x90 and, on a PCI Express bus, PCIe at 0xa0; SBRN 3.0', () => {
    expect(caps(machine('pcie-root').x)).toEqual([[0x90, R.CAP_ID_MSIX], [0xa0, R.CAP_ID_EXP]]);
    expect(caps(machine('pci').x)).toEqual([[0x90, R.CAP_ID_MSIX]]);
    const { x } = machine('pcie-root');
    expect(x.configRead(0x92, 2)).toBe(15); // 16 vectors
    expect(x.configRead(0x94, 4)).toBe(0x3000); // table in BAR0 at 0x3000
    expect(x.configRead(0x98, 4)).toBe(0x3800); // PBA in BAR0 at 0x3800
    expect(x.configRead(0x60, 1)).toBe(0x30);
  });

  it('answers the capability registers as QEMU 7.2', () => {
    const { m, x } = machine('pcie-root');
    mapBar(x, 0, BAR0, { mem64: true });
    const cap = (o: number) => m.memory.read(BAR0 + o, 4) >>> 0;
    expect(cap(0x00)).toBe(0x0100_0040);
    expect(cap(0x04)).toBe(0x0800_1040); // 8 ports, 16 interrupters, 64 slots
    expect([cap(0x14), cap(0x18)]).toEqual([XHCI.DOORBELL, XHCI.RUNTIME]);
    // The extended capabilities: USB 2.0 on ports 5-8, USB 3.0 on ports 1-4.
    expect([cap(0x20), cap(0x28), cap(0x30), cap(0x38)]).toEqual([0x0200_0402, 0x0405, 0x0300_0002, 0x0401]);
    expect(m.memory.read(BAR0 + 2, 2)).toBe(0x0100); // HCIVERSION read alone
  });

  it('halts, runs and resets as a driver expects, with powered empty ports', () => {
    const { m, x } = machine('pcie-root');
    mapBar(x, 0, BAR0, { mem64: true });
    const op = (o: number) => BAR0 + XHCI.OPER + o;
    expect(m.memory.read(op(OP.USBSTS), 4) & USBSTS_HCH).toBe(USBSTS_HCH);
    m.memory.write(op(OP.DCBAAP), 4, 0x12_3440);
    m.memory.write(op(OP.USBCMD), 4, USBCMD_RS);
    expect(m.memory.read(op(OP.USBSTS), 4) & USBSTS_HCH).toBe(0);
    expect(m.memory.read(op(OP.DCBAAP), 4)).toBe(0x12_3440);
    for (let p = 0; p < 8; p++) expect(m.memory.read(BAR0 + XHCI.PORTS + 0x10 * p, 4)).toBe(PORTSC_PP);
    m.memory.write(op(OP.USBCMD), 4, USBCMD_HCRST);
    expect(m.memory.read(op(OP.USBCMD), 4)).toBe(0);
    expect(m.memory.read(op(OP.USBSTS), 4) & USBSTS_HCH).toBe(USBSTS_HCH);
    expect(m.memory.read(op(OP.DCBAAP), 4)).toBe(0);
  });
});
