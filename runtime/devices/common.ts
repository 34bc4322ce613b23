/** Helpers shared by the device models: catalog lookups and simple BAR regions. */
import type { RegionHandler, Width } from '../bus/types.js';
import { deviceModel, type BarSpec, type BusKind, type DeviceModel, type Identity } from './catalog.js';
import type { DeviceCompat } from './compat.js';

/** The catalog entry of a model; a programming error if missing. */
export function catalogModel(name: string): DeviceModel {
  const m = deviceModel(name);
  if (!m) throw new Error(`device model ${name} is not in the catalog`);
  return m;
}

/** The identity (IDs, class, BARs, ROM) a model has on a bus of the given kind, under a target's machine type (default QEMU 7.2's). */
export function catalogIdentity(name: string, bus: BusKind, compat?: DeviceCompat): Identity {
  return catalogModel(name).identity(bus, compat);
}

/** A BAR of the identity by index; a programming error if the catalog lacks it. */
export function barOf(id: Identity, index: number): BarSpec {
  const b = id.bars.find((x) => x.index === index);
  if (!b) throw new Error(`BAR${index} missing from the catalog identity`);
  return b;
}

/** The expansion ROM as a BAR spec (index 6), when the identity has one. */
export function romOf(id: Identity): BarSpec | undefined {
  return id.romSize > 0 ? { index: 6, kind: 'mem32', prefetchable: false, size: id.romSize } : undefined;
}

/** Device memory that reads zeros until written (VRAM): allocated on the first write. */
export class LazyMemory implements RegionHandler {
  private bytes: Uint8Array | undefined;
  private view: DataView | undefined;
  constructor(readonly size: number) {}

  read(offset: number, width: Width): number {
    if (!this.view || offset < 0 || offset + width > this.size) return 0;
    if (width === 4) return this.view.getUint32(offset, true);
    if (width === 2) return this.view.getUint16(offset, true);
    return this.bytes![offset]!;
  }

  write(offset: number, width: Width, value: number): void {
    if (offset < 0 || offset + width > this.size) return;
    if (!this.bytes) {
      this.bytes = new Uint8Array(this.size);
      this.view = new DataView(this.bytes.buffer);
    }
    if (width === 4) this.view!.setUint32(offset, value >>> 0, true);
    else if (width === 2) this.view!.setUint16(offset, value & 0xffff, true);
    else this.bytes[offset] = value;
  }
}

/** The PCIe endpoint type QEMU reports: root-complex integrated on pcie.0, endpoint elsewhere. */
export function endpointType(bus: BusKind): number {
  return bus === 'pcie-root' ? 0x9 : 0x0;
}

/** Parses "52:54:00:12:34:56" into bytes. */
export function macBytes(mac: string): number[] {
  const parts = mac.split(':').map((p) => parseInt(p, 16));
  if (parts.length !== 6 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad MAC address ${mac}`);
  return parts;
}
