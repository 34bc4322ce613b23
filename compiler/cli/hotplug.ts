/**
 * device_add for `machc run --monitor`: the new device is added to the
 * machine's description and the whole machine resolved again, with its
 * lockfile, so the resolver decides the device's address exactly as it
 * would had the device been in the file (and every existing function
 * keeps its address, or the command is refused). The device is built with
 * the parameters the generated module would give it (emit/typescript/plan)
 * and plugged into its port's slot as QEMU 7.2 would (Q35Machine.hotPlug:
 * ACPI PCI hot-plug for ports below pcie.0, PCI Express native hot-plug for
 * ports below a pxb-pcie expander).
 *
 * Arguments: `driver` (a model of the machine file), `id`, optionally `bus`
 * (the id of a root or downstream port; default the first port, in address
 * order, whose slot is empty and supports hot-plug); any
 * other argument is a property of the device as the machine file spells it
 * (`mac`, `image`, `serial`...).
 */
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { ResolvedMachine } from '../model/topology.js';
import type { TargetVersion } from '../model/target.js';
import { compileWithLock } from './machine.js';
import { QmpError, type DeviceAdded } from '../../runtime/machine/monitor.js';
import type { Q35Machine } from '../../runtime/machine/q35.js';
import type { PciBridge } from '../../runtime/pci/bridge.js';
import type { PciFunction } from '../../runtime/pci/function.js';
import type { EthernetSwitch } from '../../runtime/backends/net.js';
import type { ParamValue } from '../emit/typescript/plan.js';

export interface HotplugContext {
  /** The machine file and its text (what was compiled at the start). */
  readonly path: string;
  text: string;
  resolved: ResolvedMachine;
  readonly machine: Q35Machine;
  /** The running devices by id; device_add adds to it. */
  readonly devices: Record<string, unknown>;
  readonly network: EthernetSwitch;
  readonly persist: boolean;
  readonly lockfile: boolean;
  readonly qemu: TargetVersion | undefined;
}

const PORT_MODELS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream']);

/** The device_add command for a run (see the module comment). */
export function deviceAdder(ctx: HotplugContext): (args: Readonly<Record<string, unknown>>) => Promise<DeviceAdded> {
  return async (args) => {
    const driver = String(args['driver']);
    const id = String(args['id']);
    if (ctx.resolved.pci.functions.some((f) => f.key === id) || ctx.resolved.devices.some((d) => d.id === id)) throw new QmpError('GenericError', `Duplicate device ID '${id}'`);
    const bus = args['bus'] === undefined ? freePort(ctx) : checkPort(ctx, String(args['bus']));
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) if (k !== 'driver' && k !== 'id' && k !== 'bus') props[k] = v;

    // The machine with the device, resolved again with the lockfile.
    const doc = parseDocument(ctx.text);
    const entry = doc.createNode({ id, model: driver, bus, ...props });
    if (doc.hasIn(['devices'])) doc.addIn(['devices'], entry);
    else doc.setIn(['devices'], doc.createNode([{ id, model: driver, bus, ...props }]));
    const text = doc.toString();
    const result = compileWithLock(ctx.path, { useLock: ctx.lockfile, text, qemu: ctx.qemu });
    const errors = result.diagnostics.items.filter((d) => d.severity === 'error');
    if (errors.length > 0 || !result.machine) throw new QmpError('GenericError', errors.map((d) => `${d.code}: ${d.message}`).join('; ') || 'the machine does not resolve with this device');
    const next = result.machine;
    const added = next.pci.functions.filter((f) => f.key === id && f.role !== 'vf');
    if (added.length !== 1) throw new QmpError('GenericError', `'${driver}' is not a PCI device machc can hot-plug`);
    const fn = added[0]!;
    if (fn.busName !== bus) throw new QmpError('GenericError', `the resolver placed ${id} on ${fn.busName}, not behind ${bus}`);
    // Hot-plug adds; it never moves what the guest already has.
    const now = new Map(next.pci.functions.map((f) => [f.key, f.bdf]));
    for (const f of ctx.resolved.pci.functions) {
      if (now.get(f.key) !== f.bdf) throw new QmpError('GenericError', `adding ${id} would move ${f.key} from ${f.bdf} to ${now.get(f.key) ?? 'nowhere'}`);
    }

    const { planModule } = await import('../emit/typescript/plan.js');
    const step = planModule(next).devices.find((d) => d.id === id);
    if (!step) throw new QmpError('GenericError', `the runtime has no model of '${driver}'`);
    const runtime = (await import('../../runtime/index.js')) as unknown as Record<string, new (params: unknown) => PciFunction>;
    const Ctor = runtime[step.className];
    if (!Ctor) throw new QmpError('GenericError', `the runtime has no model of '${driver}'`);
    const device = new Ctor(paramObject(step.params, ctx.machine));
    if (fn.acpiIndex !== undefined) device.acpiIndex = fn.acpiIndex;
    const drives = (device as { drives?: { open(o: { baseDir: string; persist: boolean }): void }[] }).drives ?? [];
    try {
      for (const d of drives) d.open({ baseDir: dirname(resolve(ctx.path)), persist: ctx.persist });
    } catch (e) {
      throw new QmpError('GenericError', `${id}: ${(e as Error).message}`);
    }
    const port = ctx.devices[bus] as PciBridge;
    try {
      ctx.machine.hotPlug(port, device, fn.device, fn.fn, fn.bus * 256 + fn.device * 8 + fn.fn);
    } catch (e) {
      throw new QmpError('GenericError', `${bus}: ${(e as Error).message}`);
    }
    const nic = device as PciFunction & { connect?: (port: unknown) => void };
    if (typeof nic.connect === 'function') nic.connect(ctx.network.attach(device.label));
    ctx.devices[id] = device;
    ctx.text = text;
    ctx.resolved = next;
    const rid = device.rid;
    const h = (n: number) => n.toString(16).padStart(2, '0');
    return { id, bus, bdf: `${h(rid >> 8)}:${h((rid >> 3) & 31)}.${rid & 7}` };
  };
}

/** `bus` must name a port with a slot. */
function checkPort(ctx: HotplugContext, bus: string): string {
  const f = ctx.resolved.pci.functions.find((x) => x.key === bus);
  if (!f) throw new QmpError('DeviceNotFound', `Bus '${bus}' not found`);
  if (!PORT_MODELS.has(f.model)) throw new QmpError('GenericError', `Bus '${bus}' does not support hotplugging (hot-plug goes into a root port or a switch's downstream port)`);
  return bus;
}

/** The first port, in address order, whose slot takes a hot-plugged device now. */
function freePort(ctx: HotplugContext): string {
  for (const f of ctx.resolved.pci.functions) {
    if (!PORT_MODELS.has(f.model)) continue;
    const port = ctx.devices[f.key] as PciBridge | undefined;
    if (!port || port.secondary.functions().length > 0 || !ctx.machine.canHotPlug(port)) continue;
    return f.key;
  }
  throw new QmpError('GenericError', 'no port has a free slot that supports hot-plug');
}

/** A device's parameters as the generated module writes them, as values. */
function paramObject(params: readonly (readonly [string, ParamValue])[], machine: Q35Machine): Record<string, unknown> {
  const value = (v: ParamValue): unknown => {
    if (Array.isArray(v)) return v.map(value);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, ParamValue>;
    if ('hex' in o && typeof o['hex'] === 'number' && Object.keys(o).length === 1) return o['hex'];
    if ('expr' in o && Object.keys(o).length === 1) {
      if (o['expr'] === 'm.compat') return machine.compat;
      throw new QmpError('GenericError', `internal error: parameter expression ${String(o['expr'])}`);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, value(x)]));
  };
  return Object.fromEntries(params.map(([k, v]) => [k, value(v)]));
}
