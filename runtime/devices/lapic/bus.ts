/**
 * The APIC bus: how interrupt messages find local APICs (Intel SDM Vol. 3
 * §11.6, §11.11), as QEMU 7.2 delivers them (hw/intc/apic.c):
 *
 * - Physical destination: the APIC whose ID matches, or all for 0xff.
 * - Logical destination: flat model (DFR 0xf) matches any LDR bit; cluster
 *   model (DFR 0x0) matches the cluster nibble and any member bit.
 * - Lowest priority goes to the first APIC of the set (QEMU does no
 *   arbitration); fixed to every APIC of the set; NMI, SMI and INIT signal
 *   the CPUs; a startup IPI reaches CPUs waiting for one.
 * - MSI writes (from PCI functions and the I/O APIC): destination ID in
 *   address bits 19:12, destination mode in bit 2; vector, delivery mode and
 *   trigger mode in data bits 7:0, 10:8 and 15 (the redirection hint is
 *   ignored, as on QEMU).
 * - ICR writes: the destination shorthand (self, all, all but self) and
 *   INIT level de-assert (a no-op beyond arbitration IDs).
 */
import { DM_EXTINT, DM_FIXED, DM_INIT, DM_LOWPRI, DM_NMI, DM_SIPI, DM_SMI, type LocalApic } from './index.js';

export class ApicBus {
  readonly apics: LocalApic[] = [];
  /** Level-triggered EOIs go here (the I/O APIC). */
  eoiListeners: ((vector: number) => void)[] = [];
  /** An NMI, SMI, INIT or SIPI for the CPU of an APIC. */
  signal: ((apic: LocalApic, kind: 'nmi' | 'smi' | 'init' | 'sipi', vector?: number) => void) | undefined;

  /** The APICs a destination selects (QEMU apic_get_delivery_bitmask). */
  destinations(dest: number, logical: boolean): LocalApic[] {
    if (!logical) {
      if (dest === 0xff) return [...this.apics];
      const a = this.apics.find((x) => x.id === dest);
      return a ? [a] : [];
    }
    return this.apics.filter((a) => {
      if (a.destMode === 0xf) return (dest & a.logDest) !== 0;
      if (a.destMode === 0x0) return (dest & 0xf0) === (a.logDest & 0xf0) && (dest & a.logDest & 0x0f) !== 0;
      return false;
    });
  }

  /** Delivers to a set of APICs (QEMU apic_bus_deliver). */
  deliver(targets: readonly LocalApic[], mode: number, vector: number, level: boolean): void {
    switch (mode) {
      case DM_LOWPRI: {
        const first = [...targets].sort((a, b) => a.initialId - b.initialId)[0];
        first?.setIrq(vector, level);
        return;
      }
      case DM_FIXED:
      case DM_EXTINT:
        for (const a of targets) a.setIrq(vector, level);
        return;
      case DM_SMI:
        for (const a of targets) this.signal?.(a, 'smi');
        return;
      case DM_NMI:
        for (const a of targets) this.signal?.(a, 'nmi');
        return;
      case DM_INIT:
        for (const a of targets) {
          a.initReset();
          this.signal?.(a, 'init');
        }
        return;
      default:
        return;
    }
  }

  /** An interrupt message written to 0xfee00000-0xfeefffff (QEMU apic_send_msi). */
  msi(address: number, data: number): void {
    const dest = (address >>> 12) & 0xff;
    const logical = ((address >>> 2) & 1) !== 0;
    this.deliver(this.destinations(dest, logical), (data >>> 8) & 7, data & 0xff, ((data >>> 15) & 1) !== 0);
  }

  /** An ICR write on `from` (QEMU apic_deliver). */
  ipi(from: LocalApic, icrLow: number, dest: number): void {
    const mode = (icrLow >>> 8) & 7;
    const vector = icrLow & 0xff;
    const logical = ((icrLow >>> 11) & 1) !== 0;
    const trigger = ((icrLow >>> 15) & 1) !== 0;
    let targets: LocalApic[];
    switch ((icrLow >>> 18) & 3) {
      case 1:
        targets = [from];
        break;
      case 2:
        targets = [...this.apics];
        break;
      case 3:
        targets = this.apics.filter((a) => a !== from);
        break;
      default:
        targets = this.destinations(dest, logical);
    }
    if (mode === DM_INIT && trigger && !((icrLow >>> 14) & 1)) return; // INIT level de-assert
    if (mode === DM_SIPI) {
      for (const a of targets) {
        if (!a.waitForSipi) continue;
        a.waitForSipi = false;
        this.signal?.(a, 'sipi', vector);
      }
      return;
    }
    this.deliver(targets, mode, vector, trigger);
  }

  eoiBroadcast(vector: number): void {
    for (const l of this.eoiListeners) l(vector);
  }
}
