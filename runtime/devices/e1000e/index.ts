/**
 * Intel 82574L, e1000e (8086:10d3, subsystem 8086:0000): BAR0 128 KiB
 * registers, BAR1 128 KiB flash, BAR2 32-byte IO (IOADDR/IODATA), BAR3
 * 16 KiB MSI-X (5 vectors: table at 0, PBA at 0x2000), 256 KiB option ROM.
 * Capabilities as QEMU 7.2 adds them (chain: PM 0xc8, MSI 0xd0, PCIe v1
 * 0xe0, MSI-X 0xa0); AER at 0x100 and the Device Serial Number at 0x140,
 * made from the MAC address. The MAC's registers and data path are in
 * core.ts; BAR2 reaches them indirectly (IOADDR at 0, IODATA at 4,
 * §10.2.1); the flash BAR reads zeros, as QEMU's dummy region does.
 */
import type { NetPort } from '../../backends/net.js';
import { ZERO_REGION, type RegionHandler } from '../../bus/types.js';
import { ioWindow } from '../intel-nic/io.js';
import { MsiCapability, MsixCapability, PmCapability } from '../../pci/caps.js';
import { AerCapability, DsnCapability } from '../../pci/ext-caps.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity, endpointType, macBytes, romOf } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';
import { E1000eCore } from './core.js';

export interface E1000eParams {
  /** The kind of bus it sits on (an endpoint on pcie.0 is root-complex integrated). */
  readonly bus: BusKind;
  readonly mac?: string;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

const MSIX_VECTORS = 5;

export class E1000e extends PciFunction {
  readonly msix: MsixCapability;
  readonly msi: MsiCapability;
  readonly core: E1000eCore;
  private readonly io: { handler: RegionHandler; reset: () => void };

  constructor(params: E1000eParams) {
    const id = catalogIdentity('e1000e', params.bus);
    super('e1000e', id, { configSize: 4096, multifunction: params.multifunction });
    const compat = params.compat ?? DEFAULT_COMPAT;
    const mac = macBytes(params.mac ?? '52:54:00:12:34:56');
    this.core = new E1000eCore(
      {
        dmaRead: (a, into) => this.dmaRead(a, into),
        dmaWrite: (a, data) => this.dmaWrite(a, data),
        busMaster: () => this.busMaster,
        msixEnabled: () => this.msix.enabled(this.config),
        msiEnabled: () => this.msi.enabled(this.config),
        notify: (v) => void this.notifyMsi(v),
        msixClearPending: (v) => this.msix.clearPending(v),
        setIntx: (level) => this.setIntx(level),
        clock: () => this.clock,
      },
      mac,
      id.deviceId,
    );
    this.registerBar(barOf(id, 0), this.core);
    this.registerBar(barOf(id, 1), ZERO_REGION);
    this.io = ioWindow(this.core);
    this.registerBar(barOf(id, 2), this.io.handler);
    const bar3 = barOf(id, 3);
    this.msix = this.addCapability(new MsixCapability({ vectors: MSIX_VECTORS, tableBar: 3, tableOffset: 0, pbaBar: 3, pbaOffset: 0x2000 }), 0xa0);
    this.registerBar(bar3, this.msix.barRegion());
    this.addCapability(new PcieCapability({ version: 1, type: endpointType(params.bus), extTag: compat.pcieExtTag }), 0xe0);
    this.msi = this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), 0xd0);
    this.addCapability(
      new PmCapability({
        pmc: R.PM_CAP_VER_1_1 | R.PM_CAP_DSI,
        pmcsrWmask: R.PM_CTRL_STATE_MASK | R.PM_CTRL_PME_ENABLE | R.PM_CTRL_DATA_SEL_MASK,
        pmcsrW1c: R.PM_CTRL_PME_STATUS,
      }),
      0xc8,
    );
    this.addExtCapability(new AerCapability({ multiHeader: false, uncMask: compat.aerUncMask }), 0x100);
    this.addExtCapability(new DsnCapability(e1000eSerial(mac)), 0x140);
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }

  /** Connects the NIC to a network (a port of an EthernetSwitch). */
  connect(port: NetPort): void {
    this.core.connect(port);
  }

  protected override onConfigWrite(offset: number, width: number): void {
    // Bus mastering turned on: frames held back can go in now (QEMU e1000e_write_config).
    if (offset <= R.COMMAND && R.COMMAND < offset + width && this.busMaster) this.core.drainBacklog();
  }

  protected override resetDevice(): void {
    this.io?.reset();
    this.core?.reset();
  }
}

/** QEMU's e1000e serial number: the MAC with ff:ff in the middle (EUI-48 to EUI-64). */
export function e1000eSerial(mac: readonly number[]): bigint {
  const b = mac.map(BigInt);
  return (b[0]! << 56n) | (b[1]! << 48n) | (b[2]! << 40n) | (0xffn << 32n) | (0xffn << 24n) | (b[3]! << 16n) | (b[4]! << 8n) | b[5]!;
}
