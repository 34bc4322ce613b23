/**
 * The PCI function around an Intel gigabit MAC, as e1000e and igb (PF)
 * share it: BAR0 the MAC's registers, BAR1 the flash (zeros, as QEMU's
 * dummy region), BAR2 the IOADDR/IODATA window onto the registers, BAR3
 * the MSI-X table (at 0) and PBA (at 0x2000); the MAC's DMA, interrupts
 * and clock through the function; the network port; the frames held back
 * going in once bus mastering is turned on; the MAC and the IO window
 * reset with the function. Each device adds its capabilities in its own
 * order and offsets (the chain differs between the two).
 */
import type { NetPort } from '../../backends/net.js';
import { ZERO_REGION, type RegionHandler } from '../../bus/types.js';
import { MsixCapability, PmCapability, type MsiCapability } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import * as R from '../../pci/registers.js';
import type { Identity } from '../catalog.js';
import { barOf } from '../common.js';
import { ioWindow } from './io.js';
import type { IntelMac, MacHost } from './mac.js';

export abstract class IntelNicFunction extends PciFunction {
  abstract readonly core: IntelMac;
  abstract readonly msix: MsixCapability;
  abstract readonly msi: MsiCapability;
  private io: { handler: RegionHandler; reset: () => void } | undefined;

  /** What the MAC reaches through this function: its DMA, MSI-X or MSI, INTx and clock. */
  protected macHost(): MacHost {
    return {
      dmaRead: (a, into) => this.dmaRead(a, into),
      dmaWrite: (a, data) => this.dmaWrite(a, data),
      busMaster: () => this.busMaster,
      msixEnabled: () => this.msix.enabled(this.config),
      msiEnabled: () => this.msi.enabled(this.config),
      notify: (v) => void this.notifyMsi(v),
      msixClearPending: (v) => this.msix.clearPending(v),
      setIntx: (level) => this.setIntx(level),
      clock: () => this.clock,
    };
  }

  /** BAR0 (the MAC's registers), BAR1 (the flash, reading zeros) and BAR2 (the IO window onto the registers). */
  protected registerMacBars(id: Identity, core: IntelMac): void {
    this.registerBar(barOf(id, 0), core);
    this.registerBar(barOf(id, 1), ZERO_REGION);
    this.io = ioWindow(core);
    this.registerBar(barOf(id, 2), this.io.handler);
  }

  /** The MSI-X capability at `offset` with `vectors` vectors, its table and PBA in BAR3. */
  protected addMsixTable(id: Identity, vectors: number, offset: number): MsixCapability {
    const bar3 = barOf(id, 3);
    const msix = this.addCapability(new MsixCapability({ vectors, tableBar: 3, tableOffset: 0, pbaBar: 3, pbaOffset: 0x2000 }), offset);
    this.registerBar(bar3, msix.barRegion());
    return msix;
  }

  /** Connects the NIC to a network (a port of an EthernetSwitch). */
  connect(port: NetPort): void {
    this.core.connect(port);
  }

  protected override onConfigWrite(offset: number, width: number): void {
    // Bus mastering turned on: frames held back can go in now (QEMU e1000e_write_config, igb_write_config).
    if (offset <= R.COMMAND && R.COMMAND < offset + width && this.busMaster) this.core.drainBacklog();
  }

  protected override resetDevice(): void {
    this.io?.reset();
    this.core?.reset();
  }
}

/** The power management capability both parts have: PCI PM 1.1 with DSI, D-states and PME (QEMU's e1000e and igb). */
export function nicPmCapability(): PmCapability {
  return new PmCapability({
    pmc: R.PM_CAP_VER_1_1 | R.PM_CAP_DSI,
    pmcsrWmask: R.PM_CTRL_STATE_MASK | R.PM_CTRL_PME_ENABLE | R.PM_CTRL_DATA_SEL_MASK,
    pmcsrW1c: R.PM_CTRL_PME_STATUS,
  });
}
