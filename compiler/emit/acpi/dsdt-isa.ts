/**
 * The AML that chipset functions bring to their Device in the DSDT (QEMU's
 * AcpiDevAmlIf build_dev_aml): the ICH9 LPC's PIRQ routing registers and the
 * ISA devices behind it (hw/isa/lpc_ich9.c build_ich9_isa_aml; pckbd.c,
 * parallel.c, serial-isa.c, mc146818rtc.c), std-vga's sleep states
 * (hw/display/vga-pci.c build_vga_aml), and the SMBus (no devices on it: an
 * empty body).
 */
import { since } from '../../model/target.js';
import type { IsaDevice, ResolvedMachine } from '../../model/topology.js';
import { device, EisaId, Field, int, method, name, OperationRegion, ret, scope, ZERO, type AmlTerm } from './aml.js';
import { Irq, IrqNoFlags, IoPort, ResourceTemplate, type ResourceDescriptor } from './resources.js';

/** Device (...) { _HID [, _UID] [, _STA 0x0F], _CRS }. */
function isaDevice(devName: string, hid: string, uid: number | undefined, sta: boolean, crs: readonly ResourceDescriptor[]): AmlTerm {
  const body: AmlTerm[] = [name('_HID', new EisaId(hid))];
  if (uid !== undefined) body.push(name('_UID', uid));
  if (sta) body.push(name('_STA', int(0x0f)));
  body.push(name('_CRS', new ResourceTemplate(crs)));
  return device(devName, body);
}

function isaTerms(machine: ResolvedMachine, d: IsaDevice): AmlTerm[] {
  switch (d.kind) {
    case 'i8042':
      return [
        isaDevice('KBD', 'PNP0303', undefined, true, [new IoPort(0x60, 0x60, 0x01, 0x01), new IoPort(0x64, 0x64, 0x01, 0x01), new IrqNoFlags([d.kbdIrq])]),
        isaDevice('MOU', 'PNP0F13', undefined, true, [new IrqNoFlags([d.mouseIrq])]),
      ];
    case 'parallel':
      return [isaDevice(`LPT${d.index + 1}`, 'PNP0400', d.index + 1, true, [new IoPort(d.iobase, d.iobase, 0x08, 0x08), new IrqNoFlags([d.irq])])];
    case 'serial': {
      // QEMU 11.1 (not 10.0) describes the UART's interrupt as level-triggered, active-low and shareable.
      const irq = since(machine.qemu, '11.1') ? new Irq(false, true, true, [d.irq]) : new IrqNoFlags([d.irq]);
      return [isaDevice(`COM${d.index + 1}`, 'PNP0501', d.index + 1, true, [new IoPort(d.iobase, d.iobase, 0x00, 0x08), irq])];
    }
    case 'rtc':
      // Eight ports reserved, as on real hardware, though only the first two respond.
      return [isaDevice('RTC', 'PNP0B00', undefined, false, [new IoPort(d.iobase, d.iobase, 0x01, 0x08), new IrqNoFlags([d.irq])])];
  }
}

/**
 * The LPC (00:1f.0, Device SF8): the PIRQ routing registers 0x60-0x6B as a
 * PCI_Config region, their Field declared in \_SB so the link devices reach
 * PRQA-PRQH, then the ISA devices in QEMU's bus order.
 */
export function lpcAml(machine: ResolvedMachine): AmlTerm[] {
  return [
    new OperationRegion('PIRQ', 'PCI_Config', int(0x60), int(0x0c)),
    scope('\\_SB', [
      new Field('PCI0.SF8.PIRQ', 'ByteAcc', false, 'Preserve', [
        { name: 'PRQA', bits: 8 },
        { name: 'PRQB', bits: 8 },
        { name: 'PRQC', bits: 8 },
        { name: 'PRQD', bits: 8 },
        { offset: 8 },
        { name: 'PRQE', bits: 8 },
        { name: 'PRQF', bits: 8 },
        { name: 'PRQG', bits: 8 },
        { name: 'PRQH', bits: 8 },
      ]),
    ]),
    ...machine.platform.isa.flatMap((d) => isaTerms(machine, d)),
  ];
}

/** std-vga stays in D0 in S1-S3 (_S1D, _S2D, _S3D return 0). */
export function vgaAml(): AmlTerm[] {
  return ['_S1D', '_S2D', '_S3D'].map((s) => method(s, 0, false, [ret(ZERO)]));
}
