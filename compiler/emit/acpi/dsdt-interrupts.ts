/**
 * PCI interrupt routing in the DSDT (hw/i386/acpi-build.c build_q35_pci0_int):
 * \PICF and \_PIC (ACPI 6.4 §5.8.1: 0 PIC mode, 1 APIC mode), the two
 * routing tables PRTP (PIC mode, through the ICH9 PIRQ links) and PRTA (APIC
 * mode, the fixed GSIs 16-23) with the _PRT that picks one (§6.2.13), and the
 * link devices (PNP0C0F): LNKA-LNKH drive the PIRQ routing registers,
 * GSIA-GSIH stand for the GSIs.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { arg, Binary, call, CreateField, device, EisaId, eq, If, int, method, name, Package, ref, ret, scope, store, ZERO, type AmlTerm } from './aml.js';
import { ExtendedInterrupt, EXT_IRQ_FIRST_INTERRUPT, ResourceTemplate } from './resources.js';

/** ISA IRQs the PIC-mode links may use. */
const LINK_IRQS = [5, 10, 11];
const LEVEL_SHARED = { consumer: true, edge: false, activeLow: false, shared: true };

/** A routing table: one entry per (slot, pin) of the root bus, the link named as `prefix` + A-H. */
function routingTable(machine: ResolvedMachine, apic: boolean): Package {
  return new Package(
    machine.interrupts.rootTable.map((r) => new Package([int(r.slot * 0x10000 + 0xffff), int(r.pin), ref(apic ? r.link.replace('LNK', 'GSI') : r.link), ZERO])),
  );
}

/** IQST: a PIRQ register's _STA (bit 7 set: routing disabled). IQCR: its current IRQ as an Interrupt descriptor. */
function pirqHelpers(): AmlTerm[] {
  return [
    method('IQST', 1, false, [new If(new Binary('And', int(0x80), arg(0)), [ret(int(0x09))]), ret(int(0x0b))]),
    method('IQCR', 1, true, [
      name('PRR0', new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, [0])])),
      new CreateField(4, ref('PRR0'), int(EXT_IRQ_FIRST_INTERRUPT), 'PRRI'),
      store(new Binary('And', arg(0), int(0x0f)), ref('PRRI')),
      ret(ref('PRR0')),
    ]),
  ];
}

/** Name (PICF), Method (_PIC) at the top, then Scope (_SB) with the tables, the helpers and the links. */
export function interruptRouting(machine: ResolvedMachine): AmlTerm[] {
  const links = machine.interrupts.links;
  const sb: AmlTerm[] = [
    scope('PCI0', [
      name('PRTP', routingTable(machine, false)),
      name('PRTA', routingTable(machine, true)),
      method('_PRT', 0, false, [new If(eq(ref('PICF'), ZERO), [ret(ref('PRTP'))], [ret(ref('PRTA'))])]),
    ]),
    ...pirqHelpers(),
  ];
  links.forEach((l, n) => {
    const reg = ref(`PRQ${l.name.slice(3)}`);
    sb.push(
      device(l.name, [
        name('_HID', new EisaId('PNP0C0F')),
        name('_UID', n),
        name('_PRS', new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, LINK_IRQS)])),
        method('_STA', 0, false, [ret(call('IQST', reg))]),
        method('_DIS', 0, false, [new Binary('Or', reg, int(0x80), reg)]),
        method('_CRS', 0, false, [ret(call('IQCR', reg))]),
        method('_SRS', 1, false, [new CreateField(4, arg(0), int(EXT_IRQ_FIRST_INTERRUPT), 'PRRI'), store(ref('PRRI'), reg)]),
      ]),
    );
  });
  links.forEach((l, n) => {
    const gsi = new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, [l.gsi])]);
    sb.push(
      device(`GSI${l.name.slice(3)}`, [
        name('_HID', new EisaId('PNP0C0F')),
        name('_UID', 0x10 + n),
        name('_PRS', gsi),
        name('_CRS', gsi),
        method('_DIS', 0, false, []),
        method('_SRS', 1, false, []),
      ]),
    );
  });
  return [name('PICF', ZERO), method('_PIC', 1, false, [store(arg(0), ref('PICF'))]), scope('_SB', sb)];
}
