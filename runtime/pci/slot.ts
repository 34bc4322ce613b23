/** The glue between a downstream port's slot registers and the bus below it. */
import type { PciBridge } from './bridge.js';
import type { PciFunction } from './function.js';
import { PcieCapability, type SlotHost } from './pcie-cap.js';
import type { DeviceCompat } from '../devices/compat.js';
import * as R from './registers.js';

/** What a root or downstream port with a slot is configured with (QEMU's properties). */
export interface SlotPortParams {
  /** Name of the bus behind the port (the port's id in the machine file). */
  readonly busName: string;
  readonly chassis?: number;
  readonly slot?: number;
  /** Hot-plug capable slot (default true). */
  readonly hotplug?: boolean;
  /** Port number in LinkCap (QEMU `port`, default 0). */
  readonly port?: number;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
  /**
   * The slot handles hot-plug on its bus itself (PCI Express native hot-plug):
   * QEMU's ports below an expander bridge, which the LPC's ACPI hot-plug does
   * not reach. A device cold-plugged below sets Presence Detect State and,
   * with Link Active Reporting, Data Link Layer Link Active
   * (pcie_cap_slot_plug_cb).
   */
  readonly nativeHotplug?: boolean;
}

/** Wires a native hot-plug slot's cold-plug status to what is attached below `port` (see SlotPortParams.nativeHotplug). */
export function nativeSlotPlug(port: PciBridge, cap: PcieCapability, params: SlotPortParams): void {
  if (params.nativeHotplug) port.childAttached = () => cap.coldPlugged(port.config);
}

/**
 * The slot of a root or downstream port: its link partner is the function at
 * devfn 0 below it; slot power turns the functions on the secondary bus on
 * or off (a function losing power is reset; while off it reads all ones).
 */
export function slotHostFor(port: PciBridge): SlotHost {
  return {
    linkPartner() {
      const f = port.secondary.slots[0];
      const cap = f?.capability(PcieCapability);
      if (!f || !cap) return undefined;
      return { readLinkStatus: () => f.configRead(cap.offset + R.EXP_LNKSTA, 2) };
    },
    slotPopulated: () => port.secondary.slots[0] !== undefined,
    setSlotPower(on: boolean) {
      let changed = false;
      for (const f of port.secondary.functions()) {
        if (f.powered === on) continue;
        f.powered = on;
        changed = true;
        if (!on) f.reset();
      }
      if (changed) port.bus?.host?.remap();
    },
  };
}

/**
 * Hot-plugs `f` at `device`.`fn` below `port`, whose slot handles hot-plug
 * itself (PCI Express native hot-plug): the slot's status and events as
 * QEMU's pcie_cap_slot_plug_cb for a hot-plugged device. Throws when the
 * slot refuses it (no hot-plug, locked interlock, already occupied).
 */
export function nativeHotPlug(port: PciBridge, f: PciFunction, device: number, fn: number): void {
  const cap = port.capability(PcieCapability);
  if (!cap) throw new Error(`${port.model} has no PCI Express slot`);
  const refusal = cap.hotplugRefusal(port.config);
  if (refusal) throw new Error(refusal);
  if (port.secondary.functions().length > 0) throw new Error('the slot is occupied');
  // The cold-plug hook would report presence without an event: the hot-plug path raises the events instead.
  const hook = port.childAttached;
  port.childAttached = undefined;
  try {
    port.secondary.attach(device, fn, f);
  } finally {
    port.childAttached = hook;
  }
  cap.hotPlugged(port.config);
}
