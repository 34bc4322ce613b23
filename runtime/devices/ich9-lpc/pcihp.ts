/**
 * QEMU's ACPI PCI hot-plug registers on q35 (docs/specs/acpi_pci_hotplug.rst,
 * hw/acpi/pcihp.c; at 0xCC0, 24 bytes, what the DSDT's PCST, SEJ and BNMR
 * regions cover):
 *
 *   0x00  PCIU  slots with a device-check event on the selected bus (read)
 *   0x04  PCID  slots with an eject request (read)
 *   0x08  B0EJ  eject the slots written (write)
 *   0x0c  RMV   slots that can be hot-unplugged (read)
 *   0x10  BNUM  the selected bus, by its BSEL (read/write)
 *   0x14  PIDX  write a slot bitmap, then read the acpi-index of the device
 *               in the lowest slot set (0: none); a read or any write clears it
 *
 * A device hot-plugged on a served bus sets its slot's bit in that bus's
 * PCIU (cleared when read, as on q35) and the owner raises GPE0 bit 1
 * (QEMU acpi_pcihp_device_plug_cb); the DSDT's _E01 then notifies the
 * slots. PCID reads 0 and an eject is refused (the device stays). The buses
 * with ACPI hot-plug are registered with their BSEL numbers by the
 * generated machine module.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import type { PciBus } from '../../pci/bus.js';

export const PCIHP_BASE = 0x0cc0;
export const PCIHP_SIZE = 0x18;
const PCIU = 0x00;
const PCID = 0x04;
const RMV = 0x0c;
const BNUM = 0x10;
const PIDX = 0x14;

export class AcpiPciHotplug implements RegionHandler {
  private readonly buses = new Map<number, PciBus>();
  private select = 0;
  /** PCIU: slots with a device-check event, by BSEL. */
  private readonly up = new Map<number, number>();
  private acpiIndex = 0;
  /** Eject requests the runtime refused (slot bitmaps by BSEL), for the owner to report. */
  readonly refusedEjects: { readonly bsel: number; readonly slots: number }[] = [];

  /** The buses QEMU serves with ACPI hot-plug, by BSEL. */
  register(bsel: number, bus: PciBus): void {
    this.buses.set(bsel, bus);
  }

  /** Whether ACPI hot-plug serves `bus` (its slots then do not use PCI Express native hot-plug). */
  serves(bus: PciBus): boolean {
    for (const b of this.buses.values()) if (b === bus) return true;
    return false;
  }

  /** A device was hot-plugged at `slot` of `bus`: its PCIU bit. False when ACPI hot-plug does not serve the bus. */
  plugged(bus: PciBus, slot: number): boolean {
    for (const [bsel, b] of this.buses) {
      if (b !== bus) continue;
      this.up.set(bsel, ((this.up.get(bsel) ?? 0) | (1 << slot)) >>> 0);
      return true;
    }
    return false;
  }

  reset(): void {
    this.up.clear();
    this.select = 0;
    this.acpiIndex = 0;
  }

  read(offset: number, width: Width): number {
    if (width !== 4) return 0;
    switch (offset) {
      case PCIU: {
        const v = this.up.get(this.select) ?? 0;
        this.up.delete(this.select);
        return v;
      }
      case PCID:
        return 0;
      case RMV:
        return this.removable();
      case BNUM:
        return this.select >>> 0;
      case PIDX: {
        const v = this.acpiIndex;
        this.acpiIndex = 0;
        return v;
      }
      default:
        return 0;
    }
  }

  write(offset: number, width: Width, value: number): void {
    if (width !== 4) return;
    // Every write drops an index fetched and not yet read, as QEMU's pci_write does.
    this.acpiIndex = 0;
    if (offset === BNUM) this.select = value >>> 0;
    else if (offset === PIDX) this.acpiIndex = this.indexOfSlot(value >>> 0);
    else if (offset === 0x08 && value !== 0) this.refusedEjects.push({ bsel: this.select, slots: value >>> 0 });
  }

  /** QEMU acpi_pcihp_update_hotplug_bus: every slot, less those holding what cannot be unplugged (cold-plugged bridges). */
  private removable(): number {
    const bus = this.buses.get(this.select);
    if (!bus) return 0;
    let mask = 0xffff_ffff;
    for (const f of bus.functions()) if (f.isBridge) mask &= ~(1 << (f.devfn >> 3));
    return mask >>> 0;
  }

  /** The acpi-index of the device in the lowest slot of `slots` on the selected bus (QEMU reads it from the slot's first function). */
  private indexOfSlot(slots: number): number {
    const bus = this.buses.get(this.select);
    if (!bus || slots === 0) return 0;
    const slot = 31 - Math.clz32(slots & -slots);
    const f = bus.functions().find((x) => x.devfn >> 3 === slot);
    return f?.acpiIndex ?? 0;
  }
}
