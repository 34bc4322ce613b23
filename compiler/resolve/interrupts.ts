/**
 * INTx routing on q35: ICH9 maps each root-bus (slot, pin) to a PIRQ link
 * (hw/isa/lpc_ich9.c), PIRQ A-H are GSI 16-23 in APIC mode, and bridges
 * swizzle pins by slot on the way up. SeaBIOS programs the PIRQ registers with
 * IRQs 10, 10, 11, 11 for PIC mode.
 */
import type { InterruptRouting, IntxRoute, PirqLink } from '../model/topology.js';

const LINK_LETTERS = 'ABCDEFGH';
const SEABIOS_PIRQ_IRQS = [10, 10, 11, 11];

export function pirqLinks(): PirqLink[] {
  return [...LINK_LETTERS].map((letter, n) => ({
    name: `LNK${letter}`,
    register: n < 4 ? 0x60 + n : 0x68 + (n - 4),
    gsi: 16 + n,
    picIrq: SEABIOS_PIRQ_IRQS[n % 4]!,
  }));
}

/** The PIRQ (0 = A ... 7 = H) a root-bus slot's pin (0 = INTA) is wired to. */
export function rootPirq(slot: number, pin0: number): number {
  if ((slot >= 0x19 && slot <= 0x1d) || slot === 0x1f) return pin0; // D25IR..D31IR default 0x3210: INTA->PIRQA
  if (slot === 0x18 || slot === 0x1e) return 4 + pin0;
  return 4 + ((slot + pin0) % 4);
}

export function rootTable(): InterruptRouting['rootTable'] {
  const rows: { slot: number; pin: number; link: string }[] = [];
  for (let slot = 0; slot < 32; slot++) {
    for (let pin = 0; pin < 4; pin++) rows.push({ slot, pin, link: `LNK${LINK_LETTERS[rootPirq(slot, pin)]}` });
  }
  return rows;
}

/**
 * Routes a function's pin (1-4) to the root bus. `path` is the device numbers
 * from the function up to (not including) the root-bus ancestor; `rootSlot`
 * is that ancestor's slot.
 */
export function routeIntx(pin: number, path: readonly number[], rootSlot: number): IntxRoute {
  let p = pin - 1;
  for (const dev of path) p = (p + dev) % 4;
  const pirq = rootPirq(rootSlot, p);
  return { pin, rootSlot, rootPin: p + 1, link: `LNK${LINK_LETTERS[pirq]}`, gsi: 16 + pirq };
}

/**
 * Routes a function's pin in an expander bridge's hierarchy as QEMU wires it: swizzled up to the
 * expander's root bus (the root port at `rootSlot` there), then QEMU's pxb_map_irq_fn subtracts the
 * expander's own slot (meant to cancel the slot the i440fx router adds) and the q35 router looks the
 * result up in its (slot, pin) table at the expander's slot; a negative pin reaches into the rows of
 * the slots before it (lpc_ich9.c ich9_lpc_map_irq indexes irr[slot][pin]). The guest is told otherwise
 * (the root complex's _PRT): only MSI and MSI-X are delivered as it expects.
 */
export function routeExpanderIntx(pin: number, path: readonly number[], rootSlot: number, expanderSlot: number): IntxRoute {
  let p = (pin - 1 + rootSlot) % 4;
  for (const dev of path) p = (p + dev) % 4;
  const entry = expanderSlot * 4 + p - expanderSlot;
  const pirq = rootPirq(entry >> 2, entry & 3);
  return { pin, rootSlot: expanderSlot, rootPin: p - expanderSlot + 1, link: `LNK${LINK_LETTERS[pirq]}`, gsi: 16 + pirq };
}

export function interruptRouting(): InterruptRouting {
  return {
    links: pirqLinks(),
    rootTable: rootTable(),
    overrides: [
      { irq: 0, gsi: 2, flags: 0 },
      ...[5, 9, 10, 11].map((irq) => ({ irq, gsi: irq, flags: 0x000d })),
    ],
  };
}
