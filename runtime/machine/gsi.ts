/**
 * Global system interrupts on a q35 machine, wired as QEMU wires them
 * (hw/i386/x86.c gsi_handler): GSI 0-15 are the ISA IRQs, each reaching both
 * the 8259 pair and the same-numbered I/O APIC input; GSI 16-23 reach only
 * the I/O APIC (the ICH9 PIRQ lines). The I/O APIC itself moves input 0 to
 * pin 2, which is what the MADT's IRQ0 override describes.
 */

/** An interrupt controller's inputs. */
export interface InterruptInputs {
  setInput(input: number, level: boolean): void;
}

export const ISA_IRQS = 16;
export const GSI_COUNT = 24;

export class GsiRouter {
  /** The 8259 pair (ISA IRQs 0-15). */
  pic: InterruptInputs | undefined;
  /** The I/O APIC (GSI 0-23). */
  ioapic: InterruptInputs | undefined;
  /** The level each GSI was last driven to (for tests and state dumps). */
  readonly levels = new Uint8Array(GSI_COUNT);

  /** Drives GSI `gsi` to `level`. */
  setGsi(gsi: number, level: boolean): void {
    if (!(gsi >= 0 && gsi < GSI_COUNT)) return;
    this.levels[gsi] = level ? 1 : 0;
    if (gsi < ISA_IRQS) this.pic?.setInput(gsi, level);
    this.ioapic?.setInput(gsi, level);
  }

  /** A line for one ISA IRQ, for a device's wiring. */
  isaIrq(irq: number): (level: boolean) => void {
    return (level) => this.setGsi(irq, level);
  }
}
