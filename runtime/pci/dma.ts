/**
 * Upstream memory transactions: what a bus-master function's reads and
 * writes (DMA) and its MSI/MSI-X messages reach once they leave the PCI
 * hierarchy at the root complex.
 *
 * - A write of a dword into the interrupt window 0xfee00000-0xfeefffff is
 *   an interrupt message (Intel SDM Vol. 3 §11.11), handed to the `msi`
 *   sink (the machine's APIC bus) with the requester's routing ID.
 * - Everything else is guest-physical memory: RAM is copied in bulk (writes
 *   report pages holding translated code to the CPU through GuestRam), and
 *   any other address goes through the memory space as the CPU would see it
 *   (chipset decoding below 1 MiB, other devices' BARs); an address nothing
 *   answers fails the transaction (QEMU's decode error). No host memory is
 *   ever reachable from a guest address.
 * - An optional IOMMU translates each 4 KiB piece first (requester ID,
 *   address, direction); a piece it refuses fails the transaction.
 *
 * Like QEMU, only the requester's own Bus Master Enable gates its DMA
 * (checked by PciFunction); bridges above it forward upstream requests
 * whatever their command registers say. SeaBIOS never sets Bus Master
 * Enable on bridges, so a hierarchy that gated DMA at bridges would not
 * boot from disks behind root ports as QEMU does.
 */
import type { PhysicalMemory } from '../bus/memory.js';

export const MSI_WINDOW_BASE = 0xfee0_0000;
export const MSI_WINDOW_SIZE = 0x10_0000;
const PAGE = 4096;
/** Highest address a transaction may reach (x86 physical addresses are at most 52 bits). */
const ADDRESS_LIMIT = 2 ** 52;

/** An IOMMU: maps a requester's bus address to a guest-physical one, or refuses (undefined). */
export interface DmaTranslator {
  translate(requester: number, address: number, size: number, write: boolean): number | undefined;
}

/** Where interrupt messages go: the address and data of the MSI write, and who sent it. */
export type MsiSink = (address: number, data: number, requester: number) => void;

export class RootComplexDma {
  /** The IOMMU in front of memory, if the machine has one. */
  iommu: DmaTranslator | undefined;
  /** The interrupt-message receiver (the APIC bus); messages are dropped while unset. */
  msi: MsiSink | undefined;

  constructor(private readonly memory: PhysicalMemory) {}

  /** Reads `into.length` bytes at bus address `address` for `requester`; false if any part failed. */
  read(requester: number, address: number, into: Uint8Array): boolean {
    return this.each(requester, address, into.length, false, (phys, at, n) => this.readPhys(phys, into.subarray(at, at + n)));
  }

  /** Writes `data` at bus address `address` for `requester`; false if any part failed. */
  write(requester: number, address: number, data: Uint8Array): boolean {
    return this.each(requester, address, data.length, true, (phys, at, n) => this.writePhys(requester, phys, data.subarray(at, at + n)));
  }

  /** Splits a transaction at 4 KiB boundaries, translating each piece. */
  private each(requester: number, address: number, length: number, write: boolean, piece: (phys: number, at: number, n: number) => boolean): boolean {
    if (!Number.isSafeInteger(address) || address < 0 || address + length > ADDRESS_LIMIT) return false;
    let ok = true;
    for (let at = 0; at < length; ) {
      const addr = address + at;
      const n = Math.min(length - at, PAGE - (addr % PAGE));
      const phys = this.iommu ? this.iommu.translate(requester, addr, n, write) : addr;
      if (phys === undefined || phys < 0 || phys + n > ADDRESS_LIMIT) ok = false;
      else if (!piece(phys, at, n)) ok = false;
      at += n;
    }
    return ok;
  }

  private readPhys(phys: number, out: Uint8Array): boolean {
    if (inMsiWindow(phys, out.length)) {
      out.fill(0);
      return true;
    }
    return this.memory.busRead(phys, out);
  }

  private writePhys(requester: number, phys: number, data: Uint8Array): boolean {
    if (inMsiWindow(phys, data.length)) {
      // Interrupt messages are dword writes (PCI 3.0 §6.8.1.3); anything else is dropped.
      if (phys % 4 !== 0 || data.length % 4 !== 0) return false;
      for (let i = 0; i < data.length; i += 4) {
        const value = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
        this.msi?.(phys + i, value, requester);
      }
      return true;
    }
    return this.memory.busWrite(phys, data);
  }
}

function inMsiWindow(addr: number, size: number): boolean {
  return addr >= MSI_WINDOW_BASE && addr + size <= MSI_WINDOW_BASE + MSI_WINDOW_SIZE;
}
