/**
 * The PCI Express capability (PCIe 4.0 §7.5.3), with the Device, Link and
 * Slot registers and their QEMU 7.2 defaults: RBER in DevCap, x1 at 2.5 GT/s
 * with L0s, Extended Fmt Field and End-End TLP Prefix in DevCap2. Ports may
 * implement a slot (hot-plug and power control bits), Root Control, ARI
 * Forwarding, error-reporting enables, FLR and Link Control bits; the port's
 * Link Status is computed on read from the device below it.
 */
import { Capability } from './capability.js';
import type { ConfigSpace } from './config-space.js';
import * as R from './registers.js';

export interface SlotOptions {
  /** Physical Slot Number. */
  readonly number: number;
  /** Hot-plug capable (HPS/HPC in SlotCap). */
  readonly hotplug: boolean;
  /** Power Controller Present (QEMU's default for ports). */
  readonly powerController: boolean;
}

export interface PcieCapOptions {
  /** Capability version: 2 (0x3c bytes) or 1 (0x14 bytes, e.g. e1000e). */
  readonly version: 1 | 2;
  readonly type: number;
  /** Port number (LinkCap bits 31:24). */
  readonly port?: number;
  /** Link speed and width the port advertises (PCIe slots); undefined: x1, 2.5 GT/s. */
  readonly link?: { readonly speed: number; readonly width: number };
  readonly slot?: SlotOptions;
  /** Root Control register (root ports). */
  readonly root?: boolean;
  /** Error reporting enables in DevCtl. */
  readonly deverr?: boolean;
  /** Function Level Reset. */
  readonly flr?: boolean;
  /** Common Clock Configuration and Extended Synch writable in LinkCtl. */
  readonly lnkctl?: boolean;
  /** ARI Forwarding Supported (downstream ports). */
  readonly ariForwarding?: boolean;
  /** Extended Tag Field Supported in DevCap (QEMU x-pcie-ext-tag). */
  readonly extTag?: boolean;
  /**
   * Slot reset leaves both indicators Off, populated or not: from QEMU 8.x
   * pcie_cap_slot_reset sets PWR_IND_OFF before OR-ing in On, so the field
   * stays 11b (7.2 sets the Power Indicator On for a populated slot).
   */
  readonly indicatorsOffAtReset?: boolean;
}

/** What a downstream port needs from below it: the device at devfn 0 and slot power. */
export interface SlotHost {
  /** The PCIe capability of the function at devfn 0 of the secondary bus, and its config read. */
  linkPartner(): { readLinkStatus(): number } | undefined;
  /** Whether a device sits at devfn 0 of the secondary bus. */
  slotPopulated(): boolean;
  /** Slot power changed: power the functions on the secondary bus on or off. */
  setSlotPower(on: boolean): void;
}

export class PcieCapability extends Capability {
  readonly id = R.CAP_ID_EXP;
  readonly size: number;
  slotHost: SlotHost | undefined;
  private oldSltSta = 0;
  /** A hot-plug interrupt is outstanding (QEMU's hpev_notified). */
  private hpevNotified = false;

  constructor(readonly opts: PcieCapOptions) {
    super();
    this.size = opts.version === 2 ? R.EXP_VER2_SIZEOF : R.EXP_VER1_SIZEOF;
  }

  override get computesOnRead(): boolean {
    return this.isDownstreamPort;
  }

  get isDownstreamPort(): boolean {
    return this.opts.type === R.EXP_TYPE_ROOT_PORT || this.opts.type === R.EXP_TYPE_DOWNSTREAM;
  }

  layout(cs: ConfigSpace): void {
    const o = this.offset;
    const { opts } = this;
    cs.set16(o + R.EXP_FLAGS, ((opts.type << 4) & R.EXP_FLAGS_TYPE) | opts.version);
    let devcap = R.EXP_DEVCAP_RBER | (opts.extTag ? R.EXP_DEVCAP_EXT_TAG : 0);
    let lnkcap = ((opts.port ?? 0) << 24) | R.EXP_LNKCAP_ASPMS_0S | (1 << 4) | R.LINK_SPEED_2_5GT;
    cs.set16(o + R.EXP_LNKSTA, (1 << 4) | R.LINK_SPEED_2_5GT);
    if (opts.version === 2) {
      if (opts.link) {
        // A PCIe slot's advertised link (QEMU pcie_cap_fill_slot_lnk).
        const { speed, width } = opts.link;
        lnkcap = (lnkcap & ~(R.EXP_LNKCAP_MLW | R.EXP_LNKCAP_SLS)) | (width << 4) | speed;
        if (width > 1 || speed > R.LINK_SPEED_2_5GT) lnkcap |= R.EXP_LNKCAP_LBNC;
        if (speed > R.LINK_SPEED_2_5GT) {
          lnkcap |= R.EXP_LNKCAP_DLLLARC;
          cs.set16(o + R.EXP_LNKCTL2, speed & R.EXP_LNKCTL2_TLS);
        }
        if (speed > R.LINK_SPEED_5GT) cs.set32(o + R.EXP_LNKCAP2, 0x2 | 0x4 | 0x8 | (speed > R.LINK_SPEED_8GT ? 0x10 : 0));
      }
      let devcap2 = R.EXP_DEVCAP2_EFF | R.EXP_DEVCAP2_EETLPP;
      let devctl2Wmask = R.EXP_DEVCTL2_EETLPPB;
      if (opts.ariForwarding) {
        devcap2 |= R.EXP_DEVCAP2_ARI;
        devctl2Wmask |= R.EXP_DEVCTL2_ARI;
      }
      cs.set32(o + R.EXP_DEVCAP2, devcap2 >>> 0);
      cs.setWmask16(o + R.EXP_DEVCTL2, devctl2Wmask);
      // An empty extended capability list reads as a null header, read-only.
      if (cs.size > R.CONFIG_SPACE_SIZE) cs.setWmask32(R.CONFIG_SPACE_SIZE, 0);
    }
    let devctlWmask = 0;
    if (opts.deverr) {
      devctlWmask |= R.EXP_DEVCTL_CERE | R.EXP_DEVCTL_NFERE | R.EXP_DEVCTL_FERE | R.EXP_DEVCTL_URRE;
      cs.setW1c16(o + R.EXP_DEVSTA, R.EXP_DEVSTA_ERRORS);
    }
    if (opts.flr) {
      devcap |= R.EXP_DEVCAP_FLR;
      devctlWmask |= R.EXP_DEVCTL_BCR_FLR;
    }
    cs.set32(o + R.EXP_DEVCAP, devcap >>> 0);
    cs.set32(o + R.EXP_LNKCAP, lnkcap >>> 0);
    cs.setWmask16(o + R.EXP_DEVCTL, devctlWmask);
    if (opts.lnkctl) cs.setWmask16(o + R.EXP_LNKCTL, R.EXP_LNKCTL_CCC | R.EXP_LNKCTL_ES);
    if (opts.slot) this.layoutSlot(cs, opts.slot);
    if (opts.root) cs.setWmask16(o + R.EXP_RTCTL, R.EXP_RTCTL_ERR_ENABLES);
  }

  /**
   * A device was cold-plugged below the slot (pcie_cap_slot_plug_cb): Presence
   * Detect State and Data Link Layer Link Active (QEMU's ports set the latter
   * whether or not they report it in LinkCap: x-pcie-lnksta-dllla, on by default).
   */
  coldPlugged(cs: ConfigSpace): void {
    const o = this.offset;
    cs.update16(o + R.EXP_SLTSTA, 0, R.EXP_SLTSTA_PDS);
    cs.update16(o + R.EXP_LNKSTA, 0, R.EXP_LNKSTA_DLLLA);
  }

  /**
   * A device was hot-plugged below the slot (pcie_cap_slot_plug_cb for a
   * hot-plugged device): Presence Detect State, Data Link Layer Link Active,
   * then the Presence Detect Changed and Attention Button Pressed events,
   * signalled as Slot Control enables them; slot power follows Slot Control.
   */
  hotPlugged(cs: ConfigSpace): void {
    const o = this.offset;
    cs.update16(o + R.EXP_SLTSTA, 0, R.EXP_SLTSTA_PDS);
    cs.update16(o + R.EXP_LNKSTA, 0, R.EXP_LNKSTA_DLLLA);
    this.slotEvent(cs, R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP);
    this.updatePower(cs);
  }

  /** Turns slot power on (QEMU pcie_cap_slot_enable_power, for a device ACPI hot-plug adds below the port). */
  enableSlotPower(cs: ConfigSpace): void {
    if (cs.get32(this.offset + R.EXP_SLTCAP) & R.EXP_SLTCAP_PCP) cs.update16(this.offset + R.EXP_SLTCTL, R.EXP_SLTCTL_PCC, 0);
    this.updatePower(cs);
  }

  /** Whether the slot can take a device now: hot-plug capable, interlock not engaged (pcie_cap_slot_pre_plug_cb). */
  hotplugRefusal(cs: ConfigSpace): string | undefined {
    const o = this.offset;
    if (!this.opts.slot) return 'the port has no slot';
    if (!(cs.get32(o + R.EXP_SLTCAP) & R.EXP_SLTCAP_HPC)) return 'hot-plug is off on the slot (hotplug: false)';
    if (cs.get16(o + R.EXP_SLTSTA) & R.EXP_SLTSTA_EIS) return 'the slot is electromechanically locked';
    return undefined;
  }

  /** Sets event bits in Slot Status and signals them if they are new (QEMU pcie_cap_slot_event). */
  private slotEvent(cs: ConfigSpace, events: number): void {
    const o = this.offset;
    const sta = cs.get16(o + R.EXP_SLTSTA);
    if ((sta & events) === events) return;
    cs.set16(o + R.EXP_SLTSTA, sta | events);
    this.notify(cs);
  }

  /**
   * The hot-plug interrupt (QEMU hotplug_event_notify): asserted while Hot-Plug
   * Interrupt Enable is set and an enabled event is pending; a new assertion
   * sends the PCIe capability's MSI-X or MSI vector (Interrupt Message Number),
   * else it drives INTx.
   */
  private notify(cs: ConfigSpace): void {
    const prev = this.hpevNotified;
    this.updateEventStatus(cs);
    if (prev === this.hpevNotified) return;
    const vector = (cs.get16(this.offset + R.EXP_FLAGS) & R.EXP_FLAGS_IRQ) >> 9;
    if (!this.owner.notifyMsi(vector)) this.owner.setIntx(this.hpevNotified);
  }

  /** Software cleared events (QEMU hotplug_event_clear): an INTx drops once nothing enabled is pending. */
  private clearEvents(cs: ConfigSpace): void {
    this.updateEventStatus(cs);
    if (!this.hpevNotified) this.owner.setIntx(false);
  }

  private updateEventStatus(cs: ConfigSpace): void {
    const o = this.offset;
    const ctl = cs.get16(o + R.EXP_SLTCTL);
    const sta = cs.get16(o + R.EXP_SLTSTA);
    // QEMU masks Slot Status with Slot Control and its supported events (the enables sit at the status bits' positions for ABP, PDC, CC).
    this.hpevNotified = (ctl & R.EXP_SLTCTL_HPIE) !== 0 && (sta & ctl & R.EXP_HP_EV_SUPPORTED) !== 0;
  }

  private layoutSlot(cs: ConfigSpace, slot: SlotOptions): void {
    const o = this.offset;
    cs.update16(o + R.EXP_FLAGS, 0, R.EXP_FLAGS_SLOT);
    let sltcap = ((slot.number << R.EXP_SLTCAP_PSN_SHIFT) | R.EXP_SLTCAP_EIP | R.EXP_SLTCAP_PIP | R.EXP_SLTCAP_AIP | R.EXP_SLTCAP_ABP) >>> 0;
    if (slot.hotplug) sltcap |= R.EXP_SLTCAP_HPS | R.EXP_SLTCAP_HPC;
    let wmask = R.EXP_SLTCTL_PIC | R.EXP_SLTCTL_AIC | R.EXP_SLTCTL_HPIE | R.EXP_SLTCTL_CCIE | R.EXP_SLTCTL_PDCE | R.EXP_SLTCTL_ABPE | R.EXP_SLTCTL_EIC;
    if (slot.powerController) {
      sltcap |= R.EXP_SLTCAP_PCP;
      wmask |= R.EXP_SLTCTL_PCC;
    }
    cs.set32(o + R.EXP_SLTCAP, sltcap >>> 0);
    cs.set16(o + R.EXP_SLTCTL, R.EXP_SLTCTL_PIC_OFF | R.EXP_SLTCTL_AIC_OFF);
    cs.setWmask16(o + R.EXP_SLTCTL, wmask);
    cs.setW1c16(o + R.EXP_SLTSTA, R.EXP_HP_EV_SUPPORTED);
  }

  override reset(cs: ConfigSpace): void {
    const o = this.offset;
    const { opts } = this;
    if (opts.deverr) cs.update16(o + R.EXP_DEVCTL, R.EXP_DEVCTL_CERE | R.EXP_DEVCTL_NFERE | R.EXP_DEVCTL_FERE | R.EXP_DEVCTL_URRE, 0);
    if (opts.lnkctl) cs.update16(o + R.EXP_LNKCTL, R.EXP_LNKCTL_CCC | R.EXP_LNKCTL_ES, 0);
    if (opts.ariForwarding) cs.update16(o + R.EXP_DEVCTL2, R.EXP_DEVCTL2_ARI, 0);
    if (opts.root) cs.set16(o + R.EXP_RTCTL, 0);
    if (opts.slot) this.resetSlot(cs, opts.slot);
  }

  private resetSlot(cs: ConfigSpace, slot: SlotOptions): void {
    const o = this.offset;
    cs.update16(
      o + R.EXP_SLTCTL,
      R.EXP_SLTCTL_EIC | R.EXP_SLTCTL_PIC | R.EXP_SLTCTL_AIC | R.EXP_SLTCTL_HPIE | R.EXP_SLTCTL_CCIE | R.EXP_SLTCTL_PDCE | R.EXP_SLTCTL_ABPE,
      R.EXP_SLTCTL_AIC_OFF,
    );
    if (slot.powerController) {
      const populated = this.slotHost?.slotPopulated() ?? false;
      cs.update16(o + R.EXP_SLTCTL, R.EXP_SLTCTL_PCC, populated ? 0 : R.EXP_SLTCTL_PCC);
      cs.update16(o + R.EXP_SLTCTL, 0, populated && !this.opts.indicatorsOffAtReset ? R.EXP_SLTCTL_PIC_ON : R.EXP_SLTCTL_PIC_OFF);
    }
    cs.update16(o + R.EXP_SLTSTA, R.EXP_SLTSTA_EIS | R.EXP_SLTSTA_CC | R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP, 0);
    this.updatePower(cs);
    this.updateEventStatus(cs);
  }

  /** Slot power: with a power controller, the slot is powered while PCC reads 0 (PCIe 4.0 §7.5.3.10). */
  private updatePower(cs: ConfigSpace): void {
    const o = this.offset;
    let on = true;
    if (cs.get32(o + R.EXP_SLTCAP) & R.EXP_SLTCAP_PCP) on = (cs.get16(o + R.EXP_SLTCTL) & R.EXP_SLTCTL_PCC) === 0;
    this.slotHost?.setSlotPower(on);
  }

  override beforeWrite(cs: ConfigSpace): void {
    if (!this.opts.slot) return;
    this.oldSltSta = cs.get16(this.offset + R.EXP_SLTSTA);
  }

  override afterWrite(cs: ConfigSpace, addr: number, width: number, value: number): void {
    const o = this.offset;
    if (this.opts.flr && this.covers(addr, width, R.EXP_DEVCTL, 2) && cs.get16(o + R.EXP_DEVCTL) & R.EXP_DEVCTL_BCR_FLR) {
      // FLR (PCIe 4.0 §6.6.2): the function resets; the bit always reads 0.
      this.owner.functionReset();
      cs.update16(o + R.EXP_DEVCTL, R.EXP_DEVCTL_BCR_FLR, 0);
    }
    if (!this.opts.slot) return;
    if (this.covers(addr, width, R.EXP_SLTSTA, 2)) {
      // Software that clears events which were not set would lose real ones: put them back (as QEMU does).
      const shift = (o + R.EXP_SLTSTA - addr) * 8;
      const written = shift >= 0 ? (value >>> shift) & 0xffff : (value << -shift) & 0xffff;
      const events = R.EXP_SLTSTA_ABP | R.EXP_SLTSTA_PFD | R.EXP_SLTSTA_MRLSC | R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_CC;
      if (written & ~this.oldSltSta & events) cs.set16(o + R.EXP_SLTSTA, (cs.get16(o + R.EXP_SLTSTA) & ~events) | (this.oldSltSta & events));
      this.clearEvents(cs);
    }
    if (!this.covers(addr, width, R.EXP_SLTCTL, 2)) return;
    let sta = cs.get16(o + R.EXP_SLTSTA);
    if (cs.get16(o + R.EXP_SLTCTL) & R.EXP_SLTCTL_EIC) {
      // Electromechanical Interlock Control toggles the interlock; the bit reads 0.
      cs.update16(o + R.EXP_SLTCTL, R.EXP_SLTCTL_EIC, 0);
      sta ^= R.EXP_SLTSTA_EIS;
      cs.set16(o + R.EXP_SLTSTA, sta);
    }
    this.updatePower(cs);
    // Enabling interrupts with events pending signals them.
    this.notify(cs);
    // Every Slot Control write is a command that completes at once (PCIe 4.0 §6.7.3.2): Command Completed, signalled.
    this.slotEvent(cs, R.EXP_SLTSTA_CC);
  }

  /** Downstream ports report the link to the device below, clamped to their own capabilities. */
  override beforeRead(cs: ConfigSpace, addr: number, width: number): void {
    if (!this.isDownstreamPort || !this.covers(addr, width, R.EXP_LNKSTA, 2)) return;
    const o = this.offset;
    const lnkcap = cs.get16(o + R.EXP_LNKCAP);
    const partner = this.slotHost?.linkPartner();
    let sta: number;
    if (!partner) sta = lnkcap;
    else {
      sta = partner.readLinkStatus();
      if ((sta & R.EXP_LNKSTA_NLW) > (lnkcap & R.EXP_LNKCAP_MLW)) sta = (sta & ~R.EXP_LNKSTA_NLW) | (lnkcap & R.EXP_LNKCAP_MLW);
      if ((sta & R.EXP_LNKSTA_CLS) > (lnkcap & R.EXP_LNKCAP_SLS)) sta = (sta & ~R.EXP_LNKSTA_CLS) | (lnkcap & R.EXP_LNKCAP_SLS);
    }
    if (!(sta & R.EXP_LNKSTA_NLW)) sta |= 1 << 4;
    if (!(sta & R.EXP_LNKSTA_CLS)) sta |= R.LINK_SPEED_2_5GT;
    cs.update16(o + R.EXP_LNKSTA, R.EXP_LNKSTA_CLS | R.EXP_LNKSTA_NLW, sta & (R.EXP_LNKSTA_CLS | R.EXP_LNKSTA_NLW));
  }
}
