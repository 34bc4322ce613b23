/**
 * The device models as people read about them (`machc models`), taken from
 * schemas/machine.schema.json, the same source editors complete from: each
 * model's description (the `enumDescriptions` of `model`), and each property
 * it accepts with its type, default, the QEMU property it becomes (`x-qemu`)
 * and its description. The hardware catalog adds what QEMU device it is,
 * since which QEMU version, and its SR-IOV parameters.
 */
import { deviceModel } from '../../runtime/devices/catalog.js';
import schemaJson from '../../schemas/machine.schema.json' with { type: 'json' };

interface Node {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly description?: string;
  readonly default?: unknown;
  readonly 'x-qemu'?: string;
  readonly enumDescriptions?: readonly string[];
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly items?: Node;
}

interface Branch {
  readonly if: { readonly properties: { readonly model: { readonly const: string } } };
  readonly then: { readonly properties?: Readonly<Record<string, Node>>; readonly required?: readonly string[] };
}

const schema = schemaJson as unknown as { $defs: Readonly<Record<string, Node & { allOf?: readonly Branch[] }>> };
const device = schema.$defs['device']!;

export interface PropertyDoc {
  readonly name: string;
  /** In the words of the value language: integer, size, MAC, slot.function, one of the values... */
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  /** The QEMU property (or option) it becomes. */
  readonly qemu?: string;
  readonly description: string;
  /** Its own properties (sriov) or its items' (namespaces). */
  readonly properties?: readonly PropertyDoc[];
}

export interface ModelDoc {
  readonly name: string;
  readonly description: string;
  /** QEMU's -device name. */
  readonly qemuDevice: string;
  /** The first QEMU version that has the device. */
  readonly qemuSince: string;
  readonly properties: readonly PropertyDoc[];
  readonly sriov?: {
    readonly vfDeviceId: string;
    readonly offset: number;
    readonly stride: number;
    readonly totalVfs: { readonly fixed: number } | { readonly max: number };
    readonly qemuSince: string;
  };
}

/** Type names for the schema's shared definitions. */
const TYPE_OF_DEF: Readonly<Record<string, string>> = {
  id: 'id',
  size: 'size',
  count: 'integer',
  address: 'address',
  slotfn: 'slot.function',
  range: 'range',
  mac: 'MAC',
  image: 'path',
  format: 'raw | qcow2',
  sriov: 'object',
};

function defOf(node: Node): { name: string; node: Node } | undefined {
  const name = node.$ref?.replace('#/$defs/', '');
  const def = name ? schema.$defs[name] : undefined;
  return name && def ? { name, node: def } : undefined;
}

function typeOf(node: Node): string {
  const def = defOf(node);
  if (def) return TYPE_OF_DEF[def.name] ?? typeOf(def.node);
  if (node.enum) return node.enum.map(String).join(' | ');
  if (node.const !== undefined) return String(node.const);
  if (node.type === 'array') return `list of ${node.items ? (node.items.properties ? 'objects' : typeOf(node.items)) : 'values'}`;
  return Array.isArray(node.type) ? node.type.join(' | ') : String(node.type ?? 'any');
}

function propertyDocs(props: Readonly<Record<string, Node>>, required: readonly string[]): PropertyDoc[] {
  return Object.entries(props).map(([name, node]) => {
    const def = defOf(node)?.node;
    const nested = node.items?.properties ?? def?.properties ?? node.properties;
    const nestedRequired = node.items?.required ?? def?.required ?? node.required ?? [];
    const dflt = node.default ?? def?.default;
    const qemu = node['x-qemu'] ?? def?.['x-qemu'];
    return {
      name,
      type: typeOf(node),
      required: required.includes(name),
      ...(dflt !== undefined ? { default: dflt } : {}),
      ...(qemu !== undefined ? { qemu } : {}),
      description: node.description ?? def?.description ?? '',
      ...(nested && typeOf(node) !== 'id' ? { properties: propertyDocs(nested, nestedRequired) } : {}),
    };
  });
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** Every model, in the schema's order, or undefined for a name that is not a model. */
export function modelDocs(): ModelDoc[] {
  const model = device.properties!['model']!;
  const names = model.enum as readonly string[];
  return names.map((name, i) => {
    const branch = device.allOf!.find((b) => b.if.properties.model.const === name);
    const hw = deviceModel(name)!;
    // `model` is this model's own name here, and becomes the -device driver.
    const common = propertyDocs(device.properties!, device.required ?? []).map((p) => (p.name === 'model' ? { ...p, type: name, qemu: `-device ${hw.qemuDevice}` } : p));
    const own = propertyDocs(branch?.then.properties ?? {}, branch?.then.required ?? []);
    const s = hw.sriov;
    return {
      name,
      description: model.enumDescriptions?.[i] ?? '',
      qemuDevice: hw.qemuDevice,
      qemuSince: hw.qemuSince,
      properties: [...common, ...own],
      ...(s
        ? {
            sriov: {
              vfDeviceId: hex4(s.vfDeviceId),
              offset: s.offset,
              stride: s.stride,
              totalVfs: s.fixedTotalVfs ? { fixed: s.defaultTotalVfs! } : { max: s.maxTotalVfs },
              qemuSince: s.qemuSince,
            },
          }
        : {}),
    };
  });
}
