/**
 * A PCI function: its configuration space, BARs and capabilities. This is
 * the whole device interface the host sees (PciDevice): configuration
 * reads and writes, reset, and the BARs it decodes. Devices subclass
 * PciFunction (type-0 header) or PciBridge (type-1 header), build their
 * registers in the constructor, and override `onConfigWrite`/`resetDevice`
 * for what is theirs. Identities and BAR sizes come from the hardware
 * catalog (runtime/devices/catalog.ts), the same data the compiler resolves
 * machines with.
 */
import { RomRegion, type RegionHandler } from '../bus/types.js';
import type { VirtualClock } from '../time/clock.js';
import type { BarKind, BarSpec } from '../devices/catalog.js';
import type { PciBus } from './bus.js';
import { addCapability, addExtCapability, type Capability, type CapabilityOwner } from './capability.js';
import { MsiCapability, MsixCapability } from './caps.js';
import { ConfigSpace } from './config-space.js';
import { countIntx, swizzle, type IntxRoute } from './intx.js';
import * as R from './registers.js';

/**
 * The interface between a function and the host: configuration reads and
 * writes, reset, the BARs it decodes, and a callback when the host maps or
 * unmaps one of them. Nothing else is needed to route config cycles and BARs.
 */
export interface PciDevice {
  readonly configSize: number;
  configRead(offset: number, width: 1 | 2 | 4): number;
  configWrite(offset: number, width: 1 | 2 | 4, value: number): void;
  reset(): void;
  decodedBars(): DecodedBar[];
  /** BAR `index` (6: ROM) is now reachable at `address`, or no longer reachable (undefined). */
  barMapped(index: number, address: number | undefined): void;
}

export type BarSpace = 'io' | 'mem';

/** A BAR as the host maps it. */
export interface DecodedBar {
  readonly index: number;
  readonly space: BarSpace;
  readonly address: number;
  readonly size: number;
  readonly handler: RegionHandler;
}

export interface BarRegion {
  readonly spec: BarSpec;
  readonly handler: RegionHandler;
}

/** The header fields a function is born with. */
export interface FunctionIdentity {
  readonly vendorId: number;
  readonly deviceId: number;
  readonly revision: number;
  readonly classCode: number;
  readonly subsystemVendorId?: number;
  readonly subsystemId?: number;
  /** Interrupt pin (1 = INTA), 0 for none. */
  readonly pin: number;
}

export interface FunctionOptions {
  /** 4096 for PCI Express functions, 256 for conventional ones. */
  readonly configSize: 256 | 4096;
  /** Sets the multifunction bit of the header type (function 0 of a multi-function device). */
  readonly multifunction?: boolean;
}

/** The register offset of BAR `index` (6 = expansion ROM) in a type-0 or type-1 header. */
export function barOffset(index: number, bridge: boolean): number {
  if (index === 6) return bridge ? R.ROM_ADDRESS1 : R.ROM_ADDRESS;
  return R.BAR0 + 4 * index;
}

/** The type bits in the low nibble of a BAR register (PCI 3.0 §6.2.5.1). */
export function barTypeBits(kind: BarKind, prefetchable: boolean): number {
  if (kind === 'io') return R.BAR_SPACE_IO;
  return (kind === 'mem64' ? R.BAR_MEM_TYPE_64 : 0) | (prefetchable ? R.BAR_MEM_PREFETCH : 0);
}

/** Highest guest-physical address bit a BAR may decode (x86 phys-bits are at most 52). */
export const MAX_PHYS_ADDR = 2 ** 52;

export class PciFunction implements PciDevice, CapabilityOwner {
  readonly config: ConfigSpace;
  /** Model name (as in machine files), for listings. */
  readonly model: string;
  /** The bus the function sits on and its device/function number there; set when attached. */
  bus: PciBus | undefined;
  devfn = -1;
  /** Cleared while the slot the function sits in is powered off (config reads all ones, BARs off). */
  powered = true;
  /** QEMU's acpi-index property (0: none): what the ACPI PCI hot-plug registers report for the function's slot. */
  acpiIndex = 0;
  readonly isBridge: boolean = false;
  /** The root bus an expander bridge (pxb-pcie) opens; undefined for every other function. */
  readonly rootBus: PciBus | undefined = undefined;
  protected readonly regions: (BarRegion | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  protected readonly caps: Capability[] = [];
  /** The capabilities with registers computed on read. */
  private readonly readHooks: Capability[] = [];
  /** The level the device drives on its INTx pin. */
  private intxLevel = false;
  /** Where the asserted pin is counted while it reaches the root (INTx Disable clear). */
  private intxRoute: IntxRoute | undefined;

  constructor(model: string, id: FunctionIdentity, opts: FunctionOptions, headerLayout: 0 | 1 = 0) {
    this.model = model;
    const cs = new ConfigSpace(opts.configSize);
    this.config = cs;
    cs.set16(R.VENDOR_ID, id.vendorId);
    cs.set16(R.DEVICE_ID, id.deviceId);
    cs.set8(R.REVISION_ID, id.revision);
    cs.set8(R.CLASS_PROG, id.classCode & 0xff);
    cs.set16(R.CLASS_DEVICE, id.classCode >>> 8);
    cs.set8(R.HEADER_TYPE, headerLayout | (opts.multifunction ? R.HEADER_TYPE_MULTI_FUNCTION : 0));
    if (headerLayout === 0) {
      cs.set16(R.SUBSYSTEM_VENDOR_ID, id.subsystemVendorId ?? 0);
      cs.set16(R.SUBSYSTEM_ID, id.subsystemId ?? 0);
    }
    cs.set8(R.INTERRUPT_PIN, id.pin);
    // Writable everywhere (QEMU pci_init_wmask): cache line size, interrupt line,
    // the command bits a function implements, and all device-specific space.
    cs.setWmask8(R.CACHE_LINE_SIZE, 0xff);
    cs.setWmask8(R.INTERRUPT_LINE, 0xff);
    cs.setWmask16(R.COMMAND, R.CMD_IO | R.CMD_MEMORY | R.CMD_MASTER | R.CMD_INTX_DISABLE | R.CMD_SERR);
    cs.wmask.fill(0xff, R.HEADER_SIZE, cs.size);
    cs.setW1c16(R.STATUS, R.STATUS_W1C);
  }

  // ---- identity -----------------------------------------------------------------------

  get configSize(): number {
    return this.config.size;
  }

  get vendorId(): number {
    return this.config.get16(R.VENDOR_ID);
  }

  get deviceId(): number {
    return this.config.get16(R.DEVICE_ID);
  }

  get classCode(): number {
    return (this.config.get16(R.CLASS_DEVICE) << 8) | this.config.get8(R.CLASS_PROG);
  }

  /** Whether the function answers config cycles (VFs only while enabled). */
  get present(): boolean {
    return true;
  }

  /** The function's routing ID with the bus numbers currently programmed. */
  get rid(): number {
    return ((this.bus?.number ?? 0) << 8) | this.devfn;
  }

  /** A short name for listings: model and address (with the bus numbers currently programmed). */
  get label(): string {
    const rid = this.rid;
    const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
    return `${this.model} ${hex(rid >> 8, 2)}:${hex((rid >> 3) & 31, 2)}.${rid & 7}`;
  }

  // ---- the device interface --------------------------------------------------------------

  configRead(offset: number, width: 1 | 2 | 4): number {
    const hooks = this.readHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!.beforeRead(this.config, offset, width);
    return this.config.read(offset, width);
  }

  configWrite(offset: number, width: 1 | 2 | 4, value: number): void {
    const cs = this.config;
    for (const c of this.caps) c.beforeWrite(cs, offset, width);
    cs.write(offset, width, value);
    if (offset <= R.COMMAND + 1 && R.COMMAND < offset + width) this.propagateIntx();
    if (this.decodingAffected(offset, width)) this.mappingsChanged();
    for (const c of this.caps) c.afterWrite(cs, offset, width, value);
    this.onConfigWrite(offset, width, value);
  }

  /** Conventional reset (RST#): what QEMU's pci_do_device_reset clears, then the device's own registers. */
  reset(): void {
    const cs = this.config;
    const clear16 = (off: number) => cs.set16(off, cs.get16(off) & ~(cs.getWmask16(off) | cs.w1cmask[off]! | (cs.w1cmask[off + 1]! << 8)));
    clear16(R.COMMAND);
    clear16(R.STATUS);
    cs.set8(R.INTERRUPT_LINE, cs.get8(R.INTERRUPT_LINE) & ~cs.wmask[R.INTERRUPT_LINE]!);
    cs.set8(R.CACHE_LINE_SIZE, 0);
    // pci_device_deassert_intx: the pin drops with the reset.
    this.intxLevel = false;
    this.propagateIntx();
    this.resetBars();
    this.resetDevice();
    for (const c of this.caps) c.reset(cs);
    this.mappingsChanged();
  }

  /** Function Level Reset behaves like a conventional reset of this function. */
  functionReset(): void {
    this.reset();
  }

  /** The host re-evaluates which BARs of this function (and below it) are decoded and forwarded. */
  mappingsChanged(): void {
    this.bus?.host?.remap(this);
  }

  // ---- interrupts ------------------------------------------------------------------------

  /** The pin the function drives (0 = INTA), or -1 without one. */
  get intxPin(): number {
    return this.config.get8(R.INTERRUPT_PIN) - 1;
  }

  /** Whether the device asserts its INTx pin (the Interrupt Status bit). */
  get intxAsserted(): boolean {
    return this.intxLevel;
  }

  /**
   * Drives the function's INTx pin (QEMU pci_set_irq): Status.Interrupt
   * follows the level; the wire reaches the chipset only while Command.INTx
   * Disable is clear (PCI 3.0 §6.2.2, §6.2.3).
   */
  setIntx(level: boolean): void {
    if (this.intxPin < 0 || level === this.intxLevel) return;
    this.intxLevel = level;
    this.propagateIntx();
  }

  /** Re-evaluates what the pin presents upstream after its level, INTx Disable or power changed. */
  private propagateIntx(): void {
    const cs = this.config;
    const status = cs.get16(R.STATUS);
    cs.set16(R.STATUS, this.intxLevel ? status | R.STATUS_INTERRUPT : status & ~R.STATUS_INTERRUPT);
    const active = this.intxLevel && this.powered && !(cs.get16(R.COMMAND) & R.CMD_INTX_DISABLE);
    if (active && !this.intxRoute) {
      this.intxRoute = this.routeIntx();
      if (this.intxRoute) countIntx(this.intxRoute, 1);
    } else if (!active && this.intxRoute) {
      countIntx(this.intxRoute, -1);
      this.intxRoute = undefined;
    }
  }

  /** Follows the pin up through the bridges to the root bus's router (QEMU pci_change_irq_level). */
  private routeIntx(): IntxRoute | undefined {
    let f: PciFunction = this;
    let pin = this.intxPin;
    for (let depth = 0; depth < 256; depth++) {
      const bus = f.bus;
      if (!bus) return undefined;
      const router = bus.intxRouter;
      if (router) return { bus, input: router.map(f.devfn, pin) };
      if (bus.intxUpstream) return bus.intxUpstream(f.devfn, pin);
      const bridge = bus.bridge;
      if (!bridge) return undefined;
      pin = bridge.mapIntx(f.devfn, pin);
      f = bridge;
    }
    return undefined;
  }

  /** The primary-side pin a bridge presents for `pin` of the function at `devfn` behind it (bridges override). */
  mapIntx(devfn: number, pin: number): number {
    return swizzle(devfn, pin);
  }

  /**
   * Signals interrupt `vector`: through MSI-X while it is enabled, else
   * through MSI while that is enabled (a masked vector becomes pending).
   * Returns false when neither is enabled: the device should use INTx.
   */
  notifyMsi(vector: number): boolean {
    const msix = this.capability(MsixCapability);
    if (msix?.enabled(this.config)) {
      msix.notify(this.config, vector);
      return true;
    }
    const msi = this.capability(MsiCapability);
    if (msi?.enabled(this.config)) {
      msi.notify(this.config, vector);
      return true;
    }
    return false;
  }

  /** Guest time of the machine the function is in (undefined while detached). */
  get clock(): VirtualClock | undefined {
    return this.bus?.host?.clock;
  }

  // ---- bus mastering ------------------------------------------------------------------

  /** Bus Master Enable (PCI 3.0 §6.2.2): the function may read and write memory. */
  get busMaster(): boolean {
    return this.powered && (this.config.get16(R.COMMAND) & R.CMD_MASTER) !== 0;
  }

  /**
   * Reads guest memory at bus address `address` into `into`, as this
   * function's bus master. False (and `into` untouched) while Bus Master
   * Enable is clear or the function is not attached to a host; false too
   * when an IOMMU refused part of it.
   */
  dmaRead(address: number, into: Uint8Array): boolean {
    const host = this.bus?.host;
    if (!host || !this.busMaster) return false;
    return host.dma.read(this.rid, address, into);
  }

  /** Writes `data` to guest memory at bus address `address` as this function's bus master (see dmaRead). */
  dmaWrite(address: number, data: Uint8Array): boolean {
    const host = this.bus?.host;
    if (!host || !this.busMaster) return false;
    return host.dma.write(this.rid, address, data);
  }

  /** An interrupt message: the dword `data` written at `address` (CapabilityOwner). */
  sendMessage(address: number, data: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, data >>> 0, true);
    this.dmaWrite(address, bytes);
  }

  // ---- BARs ---------------------------------------------------------------------------

  /** Called by the host when a BAR becomes reachable or stops being reachable; devices may override. */
  barMapped(_index: number, _address: number | undefined): void {}

  /** The BARs the function decodes now (command register, BAR values), before bridge forwarding. */
  decodedBars(): DecodedBar[] {
    const out: DecodedBar[] = [];
    if (!this.powered || !this.present) return out;
    for (let i = 0; i < 7; i++) {
      const r = this.regions[i];
      if (!r) continue;
      const address = this.barAddress(i);
      if (address === undefined) continue;
      out.push({ index: i, space: r.spec.kind === 'io' ? 'io' : 'mem', address, size: r.spec.size, handler: r.handler });
    }
    return out;
  }

  /**
   * Puts an option ROM image in the expansion ROM BAR (QEMU's `romfile`):
   * reads return it, zeros past its end. Call it before the guest runs.
   * As QEMU's pci_patch_ids, a ROM of this function's vendor whose first
   * image names another device gets this function's device ID there, the
   * byte at offset 6 keeping the sum (one ROM serves transitional and modern
   * virtio-net, 1af4:1000 and 1af4:1041).
   */
  loadRom(image: Uint8Array): void {
    const r = this.regions[6];
    if (!r) throw new Error(`${this.model} has no expansion ROM BAR`);
    if (image.length > r.spec.size) throw new RangeError(`a ${image.length}-byte ROM does not fit ${this.model}'s ${r.spec.size}-byte ROM BAR`);
    this.regions[6] = { spec: r.spec, handler: new RomRegion(patchRomIds(image, this.vendorId, this.deviceId), r.spec.size) };
  }

  /** The region behind BAR `index` (6: ROM), if implemented. */
  barRegion(index: number): BarRegion | undefined {
    return this.regions[index];
  }

  /**
   * Where BAR `index` decodes, or undefined (QEMU pci_bar_address): the
   * command register enables the space; address 0, an all-ones address,
   * wrapping and (for 32-bit BARs) crossing 4 GiB disable the BAR; the ROM
   * decodes only with its enable bit.
   */
  barAddress(index: number): number | undefined {
    const r = this.regions[index];
    if (!r) return undefined;
    const raw = this.rawBarValue(index);
    if (raw === undefined) return undefined;
    const size = r.spec.size;
    if (r.spec.kind === 'io') {
      if (!(this.commandRegister() & R.CMD_IO)) return undefined;
      const addr = raw - (raw % size);
      const last = addr + size - 1;
      if (last <= addr || last >= 0xffff_ffff || addr === 0) return undefined;
      return addr;
    }
    if (!(this.commandRegister() & R.CMD_MEMORY)) return undefined;
    if (index === 6 && !(raw & R.ROM_ENABLE)) return undefined;
    const addr = raw - (raw % size);
    const last = addr + size - 1;
    if (last <= addr || addr === 0) return undefined;
    if (r.spec.kind !== 'mem64' && last >= 0xffff_ffff) return undefined;
    if (last >= MAX_PHYS_ADDR) return undefined;
    return addr;
  }

  /** The command register that gates decoding (VFs use their PF's SR-IOV control instead). */
  protected commandRegister(): number {
    return this.config.get16(R.COMMAND);
  }

  /** The BAR's programmed value, 64 bits combined (undefined when too large to be an address). */
  protected rawBarValue(index: number): number | undefined {
    const r = this.regions[index]!;
    const off = barOffset(index, this.isBridge);
    const lo = this.config.get32(off);
    if (r.spec.kind !== 'mem64') return lo;
    const hi = this.config.get32(off + 4);
    if (hi >= MAX_PHYS_ADDR / 2 ** 32) return undefined;
    return hi * 2 ** 32 + lo;
  }

  /**
   * Implements a BAR (QEMU pci_register_bar): the type bits read back, the
   * address bits above the size are writable, so writing all ones reads back
   * the size mask; the ROM's enable bit is writable too.
   */
  protected registerBar(spec: BarSpec, handler: RegionHandler): void {
    const cs = this.config;
    const off = barOffset(spec.index, this.isBridge);
    const type = spec.index === 6 ? 0 : barTypeBits(spec.kind, spec.prefetchable);
    this.regions[spec.index] = { spec, handler };
    cs.set32(off, type);
    if (spec.kind === 'mem64') {
      // ~(size - 1) over 64 bits.
      const lowMask = spec.size >= 2 ** 32 ? 0 : (~(spec.size - 1) >>> 0);
      const highMask = spec.size > 2 ** 32 ? (~(spec.size / 2 ** 32 - 1) >>> 0) : 0xffff_ffff;
      cs.set32(off + 4, 0);
      cs.setWmask32(off, lowMask);
      cs.setWmask32(off + 4, highMask);
    } else {
      cs.setWmask32(off, (~(spec.size - 1) >>> 0) | (spec.index === 6 ? R.ROM_ENABLE : 0));
    }
  }

  private resetBars(): void {
    for (let i = 0; i < 7; i++) {
      const r = this.regions[i];
      if (!r || this.isVirtualFunction) continue;
      const off = barOffset(i, this.isBridge);
      this.config.set32(off, i === 6 ? 0 : barTypeBits(r.spec.kind, r.spec.prefetchable));
      if (r.spec.kind === 'mem64') this.config.set32(off + 4, 0);
    }
  }

  get isVirtualFunction(): boolean {
    return false;
  }

  private decodingAffected(offset: number, width: number): boolean {
    const end = offset + width;
    const hits = (start: number, len: number) => offset < start + len && start < end;
    if (hits(R.COMMAND, 1)) return true;
    if (this.isBridge) return hits(R.BAR0, 8) || hits(R.ROM_ADDRESS1, 4);
    return hits(R.BAR0, 24) || hits(R.ROM_ADDRESS, 4);
  }

  // ---- capabilities --------------------------------------------------------------------------

  protected addCapability<C extends Capability>(cap: C, offset = 0): C {
    addCapability(this.config, this, cap, offset);
    this.caps.push(cap);
    if (cap.computesOnRead) this.readHooks.push(cap);
    return cap;
  }

  protected addExtCapability<C extends Capability>(cap: C, offset: number): C {
    addExtCapability(this.config, this, cap, offset);
    this.caps.push(cap);
    return cap;
  }

  /** Capabilities by ID (for the host and tests). */
  capability<C extends Capability>(kind: abstract new (...args: never[]) => C): C | undefined {
    return this.caps.find((c): c is C => c instanceof kind);
  }

  // ---- device hooks --------------------------------------------------------------------------

  /** Called after every guest configuration write (masks already applied). */
  protected onConfigWrite(_offset: number, _width: number, _value: number): void {}

  /** The device's own reset (registers QEMU's device reset handler sets). */
  protected resetDevice(): void {}
}

/** QEMU's pci_patch_ids: the first image's PCI data structure gets `deviceId` when the vendor matches; a copy, the input untouched. */
function patchRomIds(image: Uint8Array, vendorId: number, deviceId: number): Uint8Array {
  const out = image.slice();
  if (out.length < 0x1a || out[0] !== 0x55 || out[1] !== 0xaa) return out;
  const pcir = out[0x18]! | (out[0x19]! << 8);
  if (pcir + 8 >= out.length || String.fromCharCode(...out.subarray(pcir, pcir + 4)) !== 'PCIR') return out;
  const romVendor = out[pcir + 4]! | (out[pcir + 5]! << 8);
  const romDevice = out[pcir + 6]! | (out[pcir + 7]! << 8);
  if (romVendor !== vendorId || romDevice === deviceId) return out;
  out[6] = (out[6]! + (romDevice & 0xff) + (romDevice >> 8) - (deviceId & 0xff) - (deviceId >> 8)) & 0xff;
  out[pcir + 6] = deviceId & 0xff;
  out[pcir + 7] = deviceId >> 8;
  return out;
}
