/**
 * QEMU's generic PCIe root port, pcie-root-port (1b36:000c): a type-1
 * header with a 4 KiB MSI-X BAR (one vector), and the capability chain
 * QEMU 7.2 builds: Subsystem ID (1b36:0000) at 0x40, MSI-X at 0x48, the PCIe
 * capability at 0x54 (Root Port with a slot: hot-plug and power controller,
 * 16 GT/s x32 link, ARI forwarding), the QEMU resource-reserve capability
 * at 0x90 when any reserve is set, then AER at 0x100 and ACS at 0x148.
 * Windows are closed at reset (base above limit).
 */
import { PciBridge } from '../../pci/bridge.js';
import { MsixCapability, SsvidCapability, VendorCapability } from '../../pci/caps.js';
import { AcsCapability, AerCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { nativeSlotPlug, slotHostFor, type SlotPortParams } from '../../pci/slot.js';
import { barOf, catalogIdentity } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

export interface PcieRootPortParams extends SlotPortParams {  /** QEMU resource-reserve properties (firmware hints); undefined = not set. */
  readonly busReserve?: number;
  readonly ioReserve?: number;
  readonly memReserve?: number;
  readonly pref32Reserve?: number;
  readonly pref64Reserve?: number;
}

const SSVID_OFFSET = 0x40;
const EXP_OFFSET = 0x54;
const AER_OFFSET = 0x100;
const ACS_OFFSET = AER_OFFSET + R.ERR_SIZEOF;

export class PcieRootPort extends PciBridge {
  readonly params: PcieRootPortParams;
  readonly msix: MsixCapability;
  readonly pcie: PcieCapability;

  constructor(params: PcieRootPortParams) {
    const id = catalogIdentity('pcie-root-port', 'pcie-root');
    super('pcie-root-port', id, { configSize: 4096, multifunction: params.multifunction, secondaryKind: 'pcie-link', busName: params.busName });
    this.params = params;
    const compat = params.compat ?? DEFAULT_COMPAT;
    this.initExpressPort();
    this.addCapability(new SsvidCapability(id.vendorId, 0), SSVID_OFFSET);
    // msix_init_exclusive_bar: table at 0, PBA at 2 KiB, in BAR0.
    const bar0 = barOf(id, 0);
    this.msix = this.addCapability(new MsixCapability({ vectors: 1, tableBar: 0, tableOffset: 0, pbaBar: 0, pbaOffset: bar0.size / 2 }));
    this.registerBar(bar0, this.msix.barRegion());
    this.pcie = this.addCapability(rootPortCapability(this, params, compat, { speed: R.LINK_SPEED_16GT, width: 32 }), EXP_OFFSET);
    const reserve = reserveCapability(params);
    if (reserve) this.addCapability(reserve);
    if (params.ioReserve === 0) {
      // No IO window at all: IO Space Enable and the IO base/limit are read-only.
      const cs = this.config;
      cs.setWmask16(R.COMMAND, cs.getWmask16(R.COMMAND) & ~R.CMD_IO);
      cs.setWmask8(R.IO_BASE, 0);
      cs.setWmask8(R.IO_LIMIT, 0);
    }
    this.addExtCapability(new AerCapability({ multiHeader: true, root: true, port: true, uncMask: compat.aerUncMask }), AER_OFFSET);
    this.addExtCapability(new AcsCapability(true), ACS_OFFSET);
    this.resetDevice();
  }

  protected override resetDevice(): void {
    super.resetDevice();
    this.disableBaseLimit();
  }
}

/**
 * The PCIe capability of a QEMU root port (pcie_root_port_realize): version
 * 2, a slot with hot-plug (unless turned off) and a power controller, Root
 * Control, error reporting and ARI forwarding; the link QEMU advertises for
 * the model (undefined: x1 at 2.5 GT/s). Its slot is wired to `port`'s
 * secondary bus.
 */
export function rootPortCapability(port: PciBridge, params: SlotPortParams, compat: DeviceCompat, link?: { speed: number; width: number }): PcieCapability {
  const cap = new PcieCapability({
    version: 2,
    type: R.EXP_TYPE_ROOT_PORT,
    port: params.port ?? 0,
    ...(link ? { link } : {}),
    slot: { number: params.slot ?? 0, hotplug: params.hotplug ?? true, powerController: true },
    root: true,
    deverr: true,
    ariForwarding: true,
    extTag: compat.pcieExtTag,
    indicatorsOffAtReset: compat.slotIndicatorsOffAtReset,
  });
  cap.slotHost = slotHostFor(port);
  nativeSlotPlug(port, cap, params);
  return cap;
}

/**
 * QEMU's resource-reserve vendor capability (docs/pcie_pci_bridge.txt): a
 * 0x20-byte Red Hat capability of type 1 telling firmware how many buses
 * and how much IO / memory to reserve behind the port; unset fields read
 * all ones. Absent when nothing is set.
 */
export function reserveCapability(p: {
  busReserve?: number | undefined;
  ioReserve?: number | undefined;
  memReserve?: number | undefined;
  pref32Reserve?: number | undefined;
  pref64Reserve?: number | undefined;
}): VendorCapability | undefined {
  if ([p.busReserve, p.ioReserve, p.memReserve, p.pref32Reserve, p.pref64Reserve].every((v) => v === undefined)) return undefined;
  const body = new Uint8Array(0x1e);
  const view = new DataView(body.buffer);
  body[0] = 0x20; // capability length
  body[1] = 1; // REDHAT_PCI_CAP_RESOURCE_RESERVE
  const u32 = (off: number, v: number | undefined) => view.setUint32(off - 2, v === undefined ? 0xffff_ffff : v >>> 0, true);
  const u64 = (off: number, v: number | undefined) => view.setBigUint64(off - 2, v === undefined ? 0xffff_ffff_ffff_ffffn : BigInt(v), true);
  u32(4, p.busReserve);
  u64(8, p.ioReserve);
  u32(16, p.memReserve);
  u32(20, p.pref32Reserve);
  u64(24, p.pref64Reserve);
  return new VendorCapability(body);
}
