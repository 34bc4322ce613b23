/**
 * The DSDT's PCI part: the host bridge \_SB.PCI0 (identity, _OSC, _CRS),
 * INTx routing (_PRT through the ICH9 PIRQ links, PIC and APIC mode), the
 * link devices, one Device per PCI function that needs one, and ACPI PCI
 * hot-plug.
 *
 * Hot-plug model. QEMU 7.2's q35 (ICH9-LPC acpi-pci-hotplug-with-bridge-support,
 * on by default, also with acpi=off) makes the LPC the hot-plug handler of the
 * secondary bus of every cold-plugged bridge, except PCIe ports with
 * hotplug=off: a device_add below a root or downstream port raises GPE0 bit 1
 * and sets the bus's bit in the PCI hot-plug registers at 0xCC0 (up/down
 * status, eject, bus select); the port's native hot-plug controller sees no
 * event. So the tables describe ACPI PCI hot-plug as QEMU does: every
 * hot-pluggable bus gets a BSEL (the number QEMU gives that bus), each slot on
 * it _SUN and _EJ0, a DVNT/PCNT pair signals Device Check and Eject Request,
 * \_GPE._E01 scans, and _OSC never grants native PCIe hot-plug (control bit 0
 * masked) so Linux's pciehp leaves the ports alone.
 *
 * QEMU numbers the hot-pluggable buses depth first from pcie.0, visiting the
 * child buses of a bus in reverse order of creation (hw/acpi/pcihp.c
 * acpi_set_bsel over pci_for_each_bus_depth_first, child lists being
 * head-inserted); `creationOrder` is the order of the bridges' -device options.
 */
import type { PciBus, PciFunction, ResolvedMachine } from '../../model/topology.js';
import { deviceModel } from '../../../runtime/devices/catalog.js';
import {
  Acquire, arg, Binary, call, Compare, CreateField, device, EisaId, eq, Field, If, int, local, method, Mutex, name,
  Notify, ONE, OperationRegion, Package, ref, Release, ret, store, Uuid, ZERO, type AmlTerm,
} from './aml.js';
import {
  dwordMemory, ExtendedInterrupt, EXT_IRQ_FIRST_INTERRUPT, IoPort, IrqNoFlags, qwordMemory, ResourceTemplate, wordBusNumber, wordIo,
  type ResourceDescriptor,
} from './resources.js';

const FOUR_GIB = 0x1_0000_0000;
/** QEMU's q35 PCI hole ends below the IOAPIC (PCI_HOST_PROP_PCI_HOLE_END = 0xFEBFFFFF). */
const PCI_HOLE32_END = 0xfec0_0000;
/** _OSC control bits the host bridge grants (PCI Firmware Spec 3.2 §4.5.1): all but native PCIe hot-plug (bit 0). */
export const OSC_CONTROL_MASK = 0x1e;
/** ISA IRQs the PIC-mode links may use, as SeaBIOS programs them (10, 11) plus 5. */
const LINK_IRQS = [5, 10, 11];

/** Device name QEMU gives a PCI function: S + devfn in upper-case hex. */
export function pciDeviceName(f: { device: number; fn: number }): string {
  return `S${((f.device << 3) | f.fn).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** _ADR of a PCI function (ACPI 6.4 §6.1.1: device in the high word, function in the low word). */
export const pciAdr = (f: { device: number; fn: number }): number => f.device * 0x10000 + f.fn;

export interface PciContext {
  readonly machine: ResolvedMachine;
  /** Bus number -> its BSEL, for buses with ACPI hot-plug. */
  readonly bsel: ReadonlyMap<number, number>;
  readonly byBus: ReadonlyMap<number, readonly PciFunction[]>;
}

/** Whether QEMU 7.2 installs ACPI hot-plug on the secondary bus of this cold-plugged bridge. */
function acpiHotplugBus(bridge: PciFunction): boolean {
  const spec = deviceModel(bridge.model)?.bridge;
  if (!spec) return false;
  // PCIe slots (root and downstream ports) follow their hotplug property; other bridges always get it.
  return spec.slot ? (bridge.bridge?.hotplug ?? false) : true;
}

/** BSEL of every hot-pluggable bus, as QEMU 7.2 assigns them at reset. */
export function assignBsel(machine: ResolvedMachine, creationOrder?: readonly string[]): Map<number, number> {
  const order = creationOrder ?? machine.devices.map((d) => d.id);
  const rank = new Map(order.map((k, i) => [k, i]));
  const bridges = machine.pci.functions.filter((f) => f.bridge && f.role !== 'vf');
  const childBridges = new Map<number, PciFunction[]>();
  for (const b of bridges) {
    const list = childBridges.get(b.bus) ?? [];
    list.push(b);
    childBridges.set(b.bus, list);
  }
  const bsel = new Map<number, number>();
  let next = 0;
  const visit = (busNumber: number) => {
    const children = (childBridges.get(busNumber) ?? []).slice();
    // Reverse creation order; bridges missing from the order count as created last, in BDF order.
    const created = (f: PciFunction) => rank.get(f.key) ?? order.length + pciAdr(f);
    children.sort((a, b) => created(b) - created(a));
    for (const c of children) {
      if (acpiHotplugBus(c)) bsel.set(c.bridge!.secondary, next++);
      visit(c.bridge!.secondary);
    }
  };
  visit(0);
  return bsel;
}

export function pciContext(machine: ResolvedMachine, creationOrder?: readonly string[]): PciContext {
  const byBus = new Map<number, PciFunction[]>();
  for (const f of machine.pci.functions) {
    if (f.role === 'vf') continue;
    const list = byBus.get(f.bus) ?? [];
    list.push(f);
    byBus.set(f.bus, list);
  }
  return { machine, bsel: assignBsel(machine, creationOrder), byBus };
}

// ---- host bridge ---------------------------------------------------------------------------

/**
 * _OSC for the PCI host bridge (PCI Firmware Spec 3.2 §4.5): accept the PCI
 * UUID, grant everything the OS asks for except native PCIe hot-plug, and say
 * so through "capabilities masked" (CDW1 bit 4).
 */
function hostBridgeOsc(): AmlTerm {
  const cdw1 = ref('CDW1');
  const cdw3 = ref('CDW3');
  return method('_OSC', 4, false, [
    new CreateField(4, arg(3), ZERO, 'CDW1'),
    new If(
      eq(arg(0), new Uuid('33db4d5b-1ff7-401c-9657-7441c03dd766')),
      [
        new CreateField(4, arg(3), int(4), 'CDW2'),
        new CreateField(4, arg(3), int(8), 'CDW3'),
        store(cdw3, local(0)),
        new Binary('And', local(0), int(OSC_CONTROL_MASK), local(0)),
        new If(new Compare('LNotEqual', arg(1), ONE), [new Binary('Or', cdw1, int(0x08), cdw1)]),
        new If(new Compare('LNotEqual', cdw3, local(0)), [new Binary('Or', cdw1, int(0x10), cdw1)]),
        store(local(0), cdw3),
      ],
      [new Binary('Or', cdw1, int(0x04), cdw1)],
    ),
    ret(arg(3)),
  ]);
}

/** Subtracts [cutBase, cutEnd) from [base, end). */
function subtract(base: number, end: number, cutBase: number, cutEnd: number): [number, number][] {
  if (cutEnd <= base || cutBase >= end) return [[base, end]];
  const out: [number, number][] = [];
  if (cutBase > base) out.push([base, cutBase]);
  if (cutEnd < end) out.push([cutEnd, end]);
  return out;
}

/** The 32-bit memory windows: [RAM below 4 GiB, 0xFEC00000) minus ECAM, as QEMU's DSDT builder cuts them. */
export function hostBridgeMem32(machine: ResolvedMachine): [number, number][] {
  const { below4g, ecam } = machine.memory;
  return subtract(below4g, PCI_HOLE32_END, ecam.base, ecam.base + ecam.size);
}

/** The 64-bit window: QEMU's pci-hole64, grown to cover what firmware placed above 4 GiB. */
export function hostBridgeMem64(machine: ResolvedMachine): [number, number] | undefined {
  const hole = machine.memory.pciHole64;
  const fw = machine.firmware.mem64;
  let base = hole.base;
  let end = hole.base + hole.size;
  if (fw && fw.size > 0) {
    base = Math.min(base, fw.base);
    end = Math.max(end, fw.base + fw.size);
  }
  if (end <= base || base < FOUR_GIB) return undefined;
  return [base, end];
}

/** \_SB.PCI0._CRS: the bus range, IO ports but the 0xCF8 config ports, the VGA window, the 32- and 64-bit holes. */
export function hostBridgeCrs(machine: ResolvedMachine): ResourceTemplate {
  const d: ResourceDescriptor[] = [
    wordBusNumber(0, machine.memory.ecam.buses - 1),
    new IoPort(0x0cf8, 0x0cf8, 0x01, 0x08),
    wordIo(0x0000, 0x0cf7),
    wordIo(0x0d00, 0xffff),
    dwordMemory(0x000a_0000, 0x000b_ffff, 'Cacheable'),
    ...hostBridgeMem32(machine).map(([b, e]) => dwordMemory(b, e - 1, 'NonCacheable')),
  ];
  const m64 = hostBridgeMem64(machine);
  if (m64) d.push(qwordMemory(m64[0], m64[1] - 1, 'Cacheable'));
  return new ResourceTemplate(d);
}

/** Device(DRAC): the ECAM window as a motherboard resource (PCI Firmware Spec 3.2 §4.1.2: MCFG space must be reserved). */
export function ecamReservation(machine: ResolvedMachine): AmlTerm {
  const { base, size } = machine.memory.ecam;
  return device('DRAC', [name('_HID', 'PNP0C01'), name('_CRS', new ResourceTemplate([dwordMemory(base, base + size - 1, 'NonCacheable')]))]);
}

// ---- interrupt routing ----------------------------------------------------------------------

/** PRTP (PIC mode, LNKx) and PRTA (APIC mode, GSIx) and the _PRT that picks one by \PICF (ACPI 6.4 §6.2.13). */
export function routingTables(machine: ResolvedMachine): AmlTerm[] {
  const rows = machine.interrupts.rootTable;
  const table = (apic: boolean) =>
    new Package(rows.map((r) => new Package([int(r.slot * 0x10000 + 0xffff), int(r.pin), ref(apic ? r.link.replace('LNK', 'GSI') : r.link), ZERO])));
  return [
    name('PRTP', table(false)),
    name('PRTA', table(true)),
    method('_PRT', 0, false, [new If(eq(ref('\\PICF'), ZERO), [ret(ref('PRTP'))], [ret(ref('PRTA'))])]),
  ];
}

const LEVEL_SHARED = { consumer: true, edge: false, activeLow: false, shared: true };

/**
 * PCI interrupt link devices (ACPI 6.4 §6.2.13, PNP0C0F). LNKA-LNKH drive the
 * ICH9 PIRQ routing registers for PIC mode; GSIA-GSIH are the fixed IOAPIC
 * inputs 16-23 the PIRQs also reach, for APIC mode.
 */
export function linkDevices(machine: ResolvedMachine): AmlTerm[] {
  const out: AmlTerm[] = [
    // IQST: status of a PIRQ register; bit 7 set = routing disabled.
    method('IQST', 1, false, [new If(new Binary('And', int(0x80), arg(0)), [ret(int(0x09))]), ret(int(0x0b))]),
    // IQCR: the current IRQ of a PIRQ register as an Interrupt descriptor.
    method('IQCR', 1, true, [
      name('PRR0', new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, [0])])),
      new CreateField(4, ref('PRR0'), int(EXT_IRQ_FIRST_INTERRUPT), 'PRRI'),
      store(new Binary('And', arg(0), int(0x0f)), ref('PRRI')),
      ret(ref('PRR0')),
    ]),
  ];
  machine.interrupts.links.forEach((l, n) => {
    const reg = `PRQ${l.name.slice(3)}`;
    out.push(
      device(l.name, [
        name('_HID', new EisaId('PNP0C0F')),
        name('_UID', n),
        name('_PRS', new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, LINK_IRQS)])),
        method('_STA', 0, false, [ret(call('IQST', ref(reg)))]),
        method('_DIS', 0, false, [new Binary('Or', ref(reg), int(0x80), ref(reg))]),
        method('_CRS', 0, false, [ret(call('IQCR', ref(reg)))]),
        method('_SRS', 1, false, [new CreateField(4, arg(0), int(EXT_IRQ_FIRST_INTERRUPT), 'PRRI'), store(ref('PRRI'), ref(reg))]),
      ]),
    );
  });
  machine.interrupts.links.forEach((l, n) => {
    const gsi = new ResourceTemplate([new ExtendedInterrupt(LEVEL_SHARED, [l.gsi])]);
    out.push(
      device(`GSI${l.name.slice(3)}`, [
        name('_HID', new EisaId('PNP0C0F')),
        name('_UID', 0x10 + n),
        name('_PRS', gsi),
        name('_CRS', gsi),
        method('_DIS', 0, false, []),
        method('_SRS', 1, false, []),
      ]),
    );
  });
  return out;
}

/** The Field on the LPC's PIRQ routing registers, declared in \_SB so the links reach PRQA-PRQH. */
export function pirqField(machine: ResolvedMachine, lpcPath: string): AmlTerm {
  const links = machine.interrupts.links.slice().sort((a, b) => a.register - b.register);
  const first = links[0]?.register ?? 0x60;
  const elements: ({ name: string; bits: number } | { offset: number })[] = [];
  let at = 0;
  for (const l of links) {
    const off = l.register - first;
    if (off !== at) elements.push({ offset: off });
    elements.push({ name: `PRQ${l.name.slice(3)}`, bits: 8 });
    at = off + 1;
  }
  return new Field(`${lpcPath}.PIRQ`, 'ByteAcc', false, 'Preserve', elements);
}

function pirqRegion(machine: ResolvedMachine): AmlTerm {
  const regs = machine.interrupts.links.map((l) => l.register);
  const first = Math.min(...regs);
  return new OperationRegion('PIRQ', 'PCI_Config', int(first), int(Math.max(...regs) - first + 1));
}

// ---- ISA devices behind the LPC ------------------------------------------------------------------

function isaDevices(machine: ResolvedMachine): AmlTerm[] {
  return machine.platform.isa.map((d) => {
    const res: ResourceDescriptor[] = d.io.map((r) => new IoPort(r.base, r.base, 0x01, r.size));
    if (d.irq !== undefined) res.push(new IrqNoFlags([d.irq]));
    const body: AmlTerm[] = [name('_HID', new EisaId(d.hid))];
    if (/\d$/.test(d.name)) body.push(name('_UID', Number(/\d+$/.exec(d.name)![0])));
    if (d.name !== 'RTC') body.push(name('_STA', int(0x0f)));
    body.push(name('_CRS', new ResourceTemplate(res)));
    return device(d.name, body);
  });
}

// ---- PCI functions --------------------------------------------------------------------------------

/** Whether a function gets a Device object where it sits (QEMU: function 0, bridges, and chipset functions with AML). */
function describedFunction(f: PciFunction): boolean {
  return f.fn === 0 || f.bridge !== undefined || f.model === 'ich9-smbus';
}

/** QEMU's ACPI hot-plug gives a slot _SUN and _EJ0 unless its device is a bridge or cannot be hot-plugged (displays). */
function ejectable(f: PciFunction | undefined, bsel: number | undefined): boolean {
  return bsel !== undefined && (f === undefined || (f.bridge === undefined && deviceModel(f.model)?.hotpluggable !== false));
}

/**
 * The Device objects for the functions of one bus, the empty hot-plug slots,
 * and the bus's DVNT/PCNT methods.
 */
export function busDevices(ctx: PciContext, bus: PciBus, lpcHook: (f: PciFunction) => AmlTerm[]): AmlTerm[] {
  const bsel = ctx.bsel.get(bus.number);
  const fns = ctx.byBus.get(bus.number) ?? [];
  const bySlot = new Map<number, PciFunction>();
  for (const f of fns) if (f.fn === 0) bySlot.set(f.device, f);
  const out: AmlTerm[] = [];
  if (bsel !== undefined) out.push(name('BSEL', bsel));

  // Device entries in devfn order, with empty hot-plug slots where QEMU lists them.
  type Entry = { devfn: number; f: PciFunction | undefined };
  const entries: Entry[] = fns.filter(describedFunction).map((f) => ({ devfn: (f.device << 3) | f.fn, f }));
  if (bsel !== undefined) {
    const emptySlots = bus.kind === 'pci' ? [...Array(32).keys()] : [0];
    for (const s of emptySlots) if (!bySlot.has(s) && !fns.some((f) => f.device === s)) entries.push({ devfn: s << 3, f: undefined });
  }
  entries.sort((a, b) => a.devfn - b.devfn);

  const hotSlots: number[] = [];
  const childBridges: string[] = [];
  for (const { devfn, f } of entries) {
    const slot = devfn >> 3;
    const dev = { device: slot, fn: devfn & 7 };
    const body: AmlTerm[] = [name('_ADR', pciAdr(dev))];
    if (f?.role === 'display' && bus.kind === 'pcie-root') {
      // Display adapters stay in D0 while the system sleeps (no D-state support in std-vga).
      for (const s of ['_S1D', '_S2D', '_S3D']) body.push(method(s, 0, false, [ret(ZERO)]));
    }
    if (f) body.push(...lpcHook(f));
    if (f?.bridge) {
      const child = ctx.machine.pci.buses.find((b) => b.number === f.bridge!.secondary);
      if (child) body.push(...busDevices(ctx, child, lpcHook));
      childBridges.push(pciDeviceName(dev));
    }
    if (ejectable(f, bsel)) {
      body.push(name('_SUN', slot));
      body.push(method('_EJ0', 1, false, [call('PCEJ', ref('BSEL'), ref('_SUN'))]));
      hotSlots.push(slot);
    }
    out.push(device(pciDeviceName(dev), body));
  }

  if (bsel !== undefined) {
    out.push(
      method(
        'DVNT',
        2,
        false,
        hotSlots.map((s) => new If(new Binary('And', arg(0), int(2 ** s)), [new Notify(ref(pciDeviceName({ device: s, fn: 0 })), arg(1))])),
      ),
    );
  }
  const pcnt: AmlTerm[] = [];
  if (bsel !== undefined) {
    // Select this bus, then Device Check (1) for inserted and Eject Request (3) for removed slots.
    pcnt.push(store(int(bsel), ref('BNUM')), call('DVNT', ref('PCIU'), ONE), call('DVNT', ref('PCID'), int(3)));
  }
  for (const c of childBridges) pcnt.push(call(`^${c}.PCNT`));
  out.push(method('PCNT', 0, false, pcnt));
  return out;
}

/** The registers of QEMU's ACPI PCI hot-plug block (docs/specs/acpi_pci_hotplug.txt) and PCEJ, which ejects a slot. */
export function pciHotplugRegisters(machine: ResolvedMachine): AmlTerm[] {
  const base = machine.platform.pciHotplugPorts.base;
  return [
    new OperationRegion('PCST', 'SystemIO', int(base), int(0x08)),
    new Field('PCST', 'DWordAcc', false, 'WriteAsZeros', [
      { name: 'PCIU', bits: 32 },
      { name: 'PCID', bits: 32 },
    ]),
    new OperationRegion('SEJ', 'SystemIO', int(base + 0x08), int(0x04)),
    new Field('SEJ', 'DWordAcc', false, 'WriteAsZeros', [{ name: 'B0EJ', bits: 32 }]),
    new OperationRegion('BNMR', 'SystemIO', int(base + 0x10), int(0x08)),
    new Field('BNMR', 'DWordAcc', false, 'WriteAsZeros', [
      { name: 'BNUM', bits: 32 },
      { name: 'PIDX', bits: 32 },
    ]),
    new Mutex('BLCK', 0),
    method('PCEJ', 2, false, [
      new Acquire('BLCK', 0xffff),
      store(arg(0), ref('BNUM')),
      store(new Binary('ShiftLeft', ONE, arg(1)), ref('B0EJ')),
      new Release('BLCK'),
      ret(ZERO),
    ]),
  ];
}

/** The LPC (00:1f.0): its PIRQ routing registers and the ISA devices behind it. */
export function lpcBody(machine: ResolvedMachine): AmlTerm[] {
  return [pirqRegion(machine), ...isaDevices(machine)];
}

export { hostBridgeOsc };
