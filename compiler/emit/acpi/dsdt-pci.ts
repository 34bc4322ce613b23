/**
 * The DSDT's description of the PCI buses: one Device per PCI function that
 * QEMU describes, ACPI PCI hot-plug slots, and the PCNT methods the _E01 GPE
 * handler walks, exactly as QEMU builds them for the target release
 * (hw/i386/acpi-build.c build_append_pci_bus_devices and, from 8.0,
 * build_append_pcihp_slots and build_append_notfication_callback;
 * hw/acpi/pci-bridge.c).
 *
 * Hot-plug model. On q35, ICH9-LPC's acpi-pci-hotplug-with-bridge-support
 * (on by default) makes the LPC the hot-plug handler of the secondary bus of
 * every cold-plugged bridge, except PCIe slots with hotplug=off: a device_add
 * below such a bridge raises GPE0 bit 1 and sets the bus's bit in the PCI
 * hot-plug registers at 0xCC0. QEMU gives each such bus a BSEL number, depth
 * first from pcie.0, visiting the child buses of a bus in its list order:
 * most recently created first (pci_for_each_bus_depth_first over
 * head-inserted child lists). The root bus pcie.0 has no ACPI hot-plug.
 *
 * What is present when the tables are built: every function of the command
 * line, and the VFs that exist before the OS enables any: the user-created
 * VFs of a virtio-net PF (devices of their own), and from QEMU 10.0 every VF
 * of every PF (QEMU then creates all TotalVFs with the PF; 7.2 creates them
 * when the OS enables them).
 */
import { deviceModel } from '../../../runtime/devices/catalog.js';
import { since } from '../../model/target.js';
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import { arg, Binary, call, device, If, Index, int, method, name, Notify, ONE, Package, ref, ret, scope, store, ZERO, local, type AmlTerm } from './aml.js';

/** What sits at one devfn of a bus when QEMU builds its tables. */
export interface DsdtFunction {
  readonly devfn: number;
  readonly fn: PciFunction | undefined;
  /** The bus behind a bridge. */
  readonly secondary: DsdtBus | undefined;
  /** QEMU's DeviceClass hotpluggable (false for the chipset's functions and std-vga). */
  readonly hotpluggableClass: boolean;
  /** The function's own AML (call_dev_aml_func): VGA, the LPC's ISA devices, SMBus; undefined when it has none. */
  readonly aml: readonly AmlTerm[] | undefined;
  readonly acpiIndex: number;
}

export interface DsdtBus {
  readonly number: number;
  /** pci_bus_is_express: every bus but the one behind a pcie-pci-bridge. */
  readonly express: boolean;
  readonly bsel: number | undefined;
  /** Functions by devfn. */
  readonly functions: ReadonlyMap<number, DsdtFunction>;
  /** The buses behind this bus's bridges, in QEMU's list order (last created first). */
  readonly children: readonly DsdtBus[];
  /** devfn of the bridge this bus is behind (on its parent bus). */
  readonly bridgeDevfn: number | undefined;
  /** The key of that bridge. */
  readonly bridgeKey: string | undefined;
}

/** Device name QEMU gives a PCI function: S + devfn in upper-case hex. */
export function pciDeviceName(devfn: number): string {
  return `S${devfn.toString(16).toUpperCase().padStart(2, '0')}`;
}

export const devfnOf = (f: { device: number; fn: number }): number => (f.device << 3) | f.fn;

/** _ADR of a PCI function (ACPI 6.4 §6.1.1: device in the high word, function in the low word). */
const adr = (devfn: number): number => (devfn >> 3) * 0x10000 + (devfn & 7);

/** Hooks for the functions that carry their own AML. */
export interface FunctionAml {
  (f: PciFunction): readonly AmlTerm[] | undefined;
}

/**
 * The buses as QEMU holds them when it builds the tables, with BSEL numbers.
 * `creationOrder` is the order of the -device options (QEMU's creation order).
 */
export function dsdtBuses(machine: ResolvedMachine, creationOrder: readonly string[], amlOf: FunctionAml): DsdtBus {
  const rank = new Map(creationOrder.map((k, i) => [k, i]));
  const byBus = new Map<number, PciFunction[]>();
  const byKey = new Map(machine.pci.functions.map((f) => [f.key, f]));
  const add = (f: PciFunction) => {
    const list = byBus.get(f.bus) ?? [];
    list.push(f);
    byBus.set(f.bus, list);
  };
  for (const f of machine.pci.functions) if (f.role !== 'vf') add(f);
  const present = (f: PciFunction) => since(machine.qemu, '10.0') || deviceModel(f.model)?.sriov?.configurableRouting === true;
  for (const f of machine.pci.functions) {
    if (!f.sriov || !present(f)) continue;
    const rid = (f.bus << 8) | devfnOf(f);
    for (let i = 0; i < f.sriov.totalVfs; i++) {
      const vf = (rid + f.sriov.offset + i * f.sriov.stride) & 0xff;
      const enabled = f.sriov.vfs[i] !== undefined ? byKey.get(f.sriov.vfs[i]!) : undefined;
      add(enabled ?? { ...f, key: `${f.key}/vf${i}`, role: 'vf', device: vf >> 3, fn: vf & 7, bridge: undefined, sriov: undefined });
    }
  }
  const created = (f: PciFunction) => rank.get(f.key) ?? creationOrder.length + f.bus * 256 + devfnOf(f);

  let nextBsel = 0;
  const build = (number: number, express: boolean, hotplug: boolean, bridgeDevfn: number | undefined, bridgeKey: string | undefined): DsdtBus => {
    const bsel = hotplug ? nextBsel++ : undefined;
    const fns = byBus.get(number) ?? [];
    const bridges = fns.filter((f) => f.bridge).sort((a, b) => created(b) - created(a));
    const children: DsdtBus[] = [];
    const secondary = new Map<string, DsdtBus>();
    for (const b of bridges) {
      const sec = machine.pci.buses.find((x) => x.number === b.bridge!.secondary)!;
      const child = build(sec.number, sec.kind !== 'pci', sec.acpiHotplug, devfnOf(b), b.key);
      children.push(child);
      secondary.set(b.key, child);
    }
    const functions = new Map<number, DsdtFunction>();
    for (const f of fns) {
      functions.set(devfnOf(f), {
        devfn: devfnOf(f),
        fn: f,
        secondary: secondary.get(f.key),
        hotpluggableClass: f.role !== 'chipset' && f.role !== 'host-bridge' && f.role !== 'display' && deviceModel(f.model)?.hotpluggable !== false,
        aml: amlOf(f),
        acpiIndex: f.acpiIndex ?? 0,
      });
    }
    return { number, express, bsel, functions, children, bridgeDevfn, bridgeKey };
  };
  return build(0, true, false, undefined, undefined);
}

/** The buses with ACPI hot-plug and their BSEL numbers, by the key of the bridge in front of each. */
export function acpiHotplugBsels(machine: ResolvedMachine, creationOrder: readonly string[]): { bsel: number; bridge: string }[] {
  const out: { bsel: number; bridge: string }[] = [];
  const walk = (b: DsdtBus) => {
    if (b.bsel !== undefined && b.bridgeKey !== undefined) out.push({ bsel: b.bsel, bridge: b.bridgeKey });
    b.children.forEach(walk);
  };
  walk(dsdtBuses(machine, creationOrder, () => undefined));
  return out.sort((a, b) => a.bsel - b.bsel);
}

// ---- QEMU 7.2 -----------------------------------------------------------------------------------

/** _DSM of a hot-plug slot (7.2): PDSM with the bus's BSEL and the slot's ASUN. */
function slotDsm72(): AmlTerm {
  return method('_DSM', 4, true, [
    store(new Package([ref('BSEL'), ref('ASUN')]), local(0)),
    ret(call('PDSM', arg(0), arg(1), arg(2), arg(3), local(0))),
  ]);
}

/** _DSM of a hot-plug slot (8.0 and later): the package is filled at run time. */
function slotDsm(): AmlTerm {
  return method('_DSM', 4, true, [
    store(new Package([ZERO, ZERO]), local(0)),
    store(ref('BSEL'), new Index(local(0), ZERO)),
    store(ref('ASUN'), new Index(local(0), ONE)),
    ret(call('PDSM', arg(0), arg(1), arg(2), arg(3), local(0))),
  ]);
}

/** _DSM of a function that cannot be hot-plugged but has an acpi-index (8.0 and later): EDSM with the index. */
function staticDsm(acpiIndex: number): AmlTerm {
  return method('_DSM', 4, true, [store(new Package([int(acpiIndex)]), local(0)), ret(call('EDSM', arg(0), arg(1), arg(2), arg(3), local(0)))]);
}

/** _SUN and _EJ0 of a hot-plug slot. */
function ejectable(slot: number): AmlTerm[] {
  return [name('_SUN', slot), method('_EJ0', 1, false, [call('PCEJ', ref('BSEL'), ref('_SUN'))])];
}

/** One DVNT entry: notify the slot's function 0 when its bit is set in Arg0. */
const notifyEntry = (slot: number): AmlTerm => new If(new Binary('And', arg(0), int(2 ** slot)), [new Notify(ref(pciDeviceName(slot << 3)), arg(1))]);

/** PCNT's own part: select the bus, then Device Check (1) for inserted and Eject Request (3) for removed slots. */
const localEvents = (bsel: number): AmlTerm[] => [store(int(bsel), ref('BNUM')), call('DVNT', ref('PCIU'), ONE), call('DVNT', ref('PCID'), int(3))];

/** A bus as QEMU 7.2 describes it: devices and slots in devfn order, DVNT and PCNT in the bus's own scope. */
function busTerms72(bus: DsdtBus): AmlTerm[] {
  const out: AmlTerm[] = [];
  const { bsel } = bus;
  const dvnt: AmlTerm[] = [];
  if (bsel !== undefined) out.push(name('BSEL', bsel));
  for (let devfn = 0; devfn < 256; devfn++) {
    const f = bus.functions.get(devfn);
    const slot = devfn >> 3;
    const func = devfn & 7;
    let hotSlot = false;
    let bridge: DsdtBus | undefined;
    if (f) {
      bridge = f.secondary;
      hotSlot = bsel !== undefined && f.hotpluggableClass && !bridge;
      // Other functions than 0 only when they are bridges or bring their own AML.
      if (func !== 0 && !bridge && !f.aml) continue;
    } else {
      if (bsel === undefined || func !== 0) continue;
      // A PCIe bus has one slot: the first empty slot past 0 ends the list.
      if (bus.express && slot > 0) break;
      hotSlot = true;
    }
    const body: AmlTerm[] = [name('_ADR', adr(devfn))];
    if (bsel !== undefined) body.push(name('ASUN', slot), slotDsm72());
    if (f?.aml) body.push(...f.aml);
    if (bridge) body.push(...busTerms72(bridge));
    if (hotSlot) {
      body.push(...ejectable(slot));
      dvnt.push(notifyEntry(slot));
    }
    out.push(device(pciDeviceName(devfn), body));
  }
  if (bsel !== undefined) out.push(method('DVNT', 2, false, dvnt));
  const pcnt: AmlTerm[] = bsel !== undefined ? localEvents(bsel) : [];
  for (const c of bus.children) pcnt.push(call(`^${pciDeviceName(c.bridgeDevfn!)}.PCNT`));
  out.push(method('PCNT', 0, false, pcnt));
  return out;
}

// ---- QEMU 8.0 and later -------------------------------------------------------------------------

/** Every present function (build_append_pci_bus_devices), bridges with what is behind them. */
function busDevices(bus: DsdtBus): AmlTerm[] {
  const out: AmlTerm[] = [];
  for (const f of [...bus.functions.values()].sort((a, b) => a.devfn - b.devfn)) {
    const body: AmlTerm[] = [name('_ADR', adr(f.devfn))];
    if (f.aml) body.push(...f.aml);
    if (f.secondary) {
      body.push(...busDevices(f.secondary));
      if (f.secondary.bsel !== undefined) body.push(...hotplugSlots(f.secondary));
    }
    const hotpluggable = f.hotpluggableClass && bus.bsel !== undefined;
    if (f.acpiIndex > 0 && !hotpluggable) body.push(staticDsm(f.acpiIndex));
    out.push(device(pciDeviceName(f.devfn), body));
  }
  return out;
}

/** The hot-plug slots of a bus with ACPI hot-plug (build_append_pcihp_slots). */
function hotplugSlots(bus: DsdtBus): AmlTerm[] {
  const out: AmlTerm[] = [name('BSEL', bus.bsel!)];
  const dvnt: AmlTerm[] = [];
  for (let devfn = 0; devfn < 256; devfn++) {
    const f = bus.functions.get(devfn);
    const slot = devfn >> 3;
    if (f ? !f.hotpluggableClass || f.secondary !== undefined : (devfn & 7) !== 0 || (bus.express && slot > 0)) continue;
    const body: AmlTerm[] = [name('ASUN', slot), slotDsm(), ...ejectable(slot)];
    dvnt.push(notifyEntry(slot));
    out.push(f ? scope(pciDeviceName(devfn), body) : device(pciDeviceName(devfn), [name('_ADR', adr(devfn)), ...body]));
  }
  out.push(method('DVNT', 2, false, dvnt));
  return out;
}

/**
 * PCNT methods, in scopes of their own (build_append_notfication_callback):
 * a child bus's scope is kept once any child so far had something to notify
 * (QEMU counts across siblings), and PCNT calls those children in list order.
 */
function notifications(bus: DsdtBus, out: AmlTerm[]): boolean {
  let notifiers = 0;
  const kept: DsdtBus[] = [];
  for (const c of bus.children) {
    const inner: AmlTerm[] = [];
    notifiers += notifications(c, inner) ? 1 : 0;
    if (notifiers > 0) {
      kept.push(c);
      out.push(scope(pciDeviceName(c.bridgeDevfn!), inner));
    }
  }
  const pcnt: AmlTerm[] = [];
  if (bus.bsel !== undefined) {
    pcnt.push(...localEvents(bus.bsel));
    notifiers++;
  }
  for (const c of kept) pcnt.push(call(`^${pciDeviceName(c.bridgeDevfn!)}.PCNT`));
  out.push(method('PCNT', 0, false, pcnt));
  return notifiers > 0;
}

export interface PciDescription {
  /** Inside Scope (\_SB) { Scope (PCI0) { ... } }. */
  readonly devices: readonly AmlTerm[];
  /** The separate Scope (\_SB.PCI0) with the PCNT methods (8.0 and later), when any bus has hot-plug. */
  readonly notifications: AmlTerm | undefined;
  /** Whether \_SB.PCI0.PCNT exists (the _E01 handler calls it). */
  readonly hasPcnt: boolean;
}

export function pciDescription(machine: ResolvedMachine, root: DsdtBus): PciDescription {
  if (!since(machine.qemu, '8.0')) return { devices: busTerms72(root), notifications: undefined, hasPcnt: true };
  const devices = busDevices(root);
  if (root.bsel !== undefined) devices.push(...hotplugSlots(root));
  const pcnt: AmlTerm[] = [];
  const hasPcnt = notifications(root, pcnt);
  return { devices, notifications: hasPcnt ? scope('\\_SB.PCI0', pcnt) : undefined, hasPcnt };
}
