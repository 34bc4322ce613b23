/**
 * Structural validation against schemas/machine.schema.json (the published
 * contract), with ajv's errors turned into located diagnostics. Value fields
 * (marked `x-value` in the schema) are only type-checked here; the value
 * language reads them precisely in the describe pass.
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { closest } from '../util/suggest.js';
import { describeNode, entryAtPointer, mapGet, nodeAtPointer, type YMap, type YNode } from '../source/yaml-tree.js';
import { validate as generatedValidate } from './machine-validator.generated.js';
import schemaJson from '../../schemas/machine.schema.json' with { type: 'json' };

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const validateFn = generatedValidate as unknown as Validator;

interface SchemaNode {
  properties?: Record<string, unknown>;
  allOf?: { if: { properties: { model: { const: string } } }; then: { properties: Record<string, unknown>; required?: string[] } }[];
  enum?: string[];
}

const schema = schemaJson as unknown as { properties: Record<string, unknown>; $defs: Record<string, SchemaNode> };
const deviceSchema = schema.$defs['device']!;
export const DEVICE_MODELS: readonly string[] = (deviceSchema.properties!['model'] as SchemaNode).enum!;
const COMMON_DEVICE_PROPS = Object.keys(deviceSchema.properties!);

/** Properties a device model accepts, from the schema (common ones included). */
export function modelProperties(model: string): string[] {
  const branch = deviceSchema.allOf!.find((b) => b.if.properties.model.const === model);
  return [...COMMON_DEVICE_PROPS, ...Object.keys(branch?.then.properties ?? {})];
}

function knownModel(dev: YMap): boolean {
  const model = mapGet(dev, 'model')?.value;
  return model !== undefined && model.kind === 'scalar' && typeof model.value === 'string' && DEVICE_MODELS.includes(model.value);
}

/**
 * QEMU's names for what machine files call otherwise: people bring them
 * from command lines and libvirt XML. Each maps to the machine-file property
 * (when it is one property in the same place) or says where the setting lives.
 */
const QEMU_NAMES: Readonly<Record<string, { readonly name?: string; readonly where?: string }>> = {
  drive: { name: 'image' },
  file: { name: 'image' },
  chassis_nr: { name: 'chassis' },
  'chassis-nr': { name: 'chassis' },
  'read-only': { name: 'readonly' },
  read_only: { name: 'readonly' },
  macaddr: { name: 'mac' },
  'mac-address': { name: 'mac' },
  driver: { name: 'model' },
  device: { name: 'model' },
  type: { name: 'model' },
  addr_function: { name: 'addr' },
  hotpluggable: { name: 'hotplug' },
  smp: { name: 'cpus' },
  m: { name: 'memory' },
  ram: { name: 'memory' },
  mem: { name: 'memory' },
  machine: { name: 'chipset' },
  bootindex: { where: 'the boot order is the top-level `boot:` list of device ids' },
  sriov_max_vfs: { where: 'write `sriov: { total-vfs: N }`' },
  sriov_totalvfs: { where: 'write `sriov: { total-vfs: N }`' },
  max_vfs: { where: 'write `sriov: { total-vfs: N }`' },
  numvfs: { where: 'write `sriov: { vfs: N }`' },
  num_vfs: { where: 'write `sriov: { vfs: N }`' },
  sriov_numvfs: { where: 'write `sriov: { vfs: N }`' },
  'sriov-pf': { where: 'a virtio-net PF with `sriov: { total-vfs: N }` gets its VFs without more devices' },
  nsid: { where: 'namespace ids go in `namespaces: [{ nsid: N, image: ... }]`' },
  subsys: { where: 'machc adds the nvme-subsys SR-IOV needs itself' },
};

/** A fix for a property named the way QEMU names it, or undefined. */
function qemuVocabulary(property: string, allowed: readonly string[]): { message: string; replace?: string } | undefined {
  const known = QEMU_NAMES[property] ?? QEMU_NAMES[property.toLowerCase()];
  if (known?.name && allowed.includes(known.name)) return { message: `'${property}' is QEMU's name; machine files call it '${known.name}'`, replace: known.name };
  if (known?.where) return { message: `'${property}' is QEMU's; here, ${known.where}` };
  // QEMU spells some properties with underscores (bus_reserve); machine files always use dashes.
  const dashed = property.replace(/_/g, '-');
  if (dashed !== property && allowed.includes(dashed)) return { message: `machine files write '${dashed}' with dashes`, replace: dashed };
  return undefined;
}

/** Plain words for where a JSON pointer points, for messages. */
export function describeWhere(root: YMap, pointer: string): string {
  const parts = pointer.split('/').slice(1);
  if (parts.length === 0) return 'the machine';
  if (parts[0] === 'devices' && parts.length >= 2) {
    const dev = nodeAtPointer(root, `/devices/${parts[1]}`);
    const name = dev && dev.kind === 'map' ? deviceLabel(dev) : `device #${Number(parts[1]) + 1}`;
    if (parts.length === 2) return name;
    if (parts[2] === 'namespaces' && parts.length >= 4) return `namespace #${Number(parts[3]) + 1} of ${name}`;
    return `'${parts[2]}' of ${name}`;
  }
  if (parts[0] === 'numa' && parts.length >= 2) {
    const node = nodeAtPointer(root, `/numa/${parts[1]}`);
    const id = node && node.kind === 'map' ? mapGet(node, 'id')?.value : undefined;
    return id && id.kind === 'scalar' ? `NUMA node '${String(id.value)}'` : `NUMA node #${Number(parts[1]) + 1}`;
  }
  return `'${parts.join('.')}'`;
}

function deviceLabel(dev: YMap): string {
  const id = mapGet(dev, 'id')?.value;
  const model = mapGet(dev, 'model')?.value;
  const idText = id && id.kind === 'scalar' && id.value !== null ? `'${String(id.value)}'` : '';
  const modelText = model && model.kind === 'scalar' && typeof model.value === 'string' ? model.value : '';
  if (idText && modelText) return `device ${idText} (${modelText})`;
  if (idText) return `device ${idText}`;
  if (modelText) return `a ${modelText} device`;
  return 'a device';
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  const words = list.map((x) => {
    switch (x) {
      case 'object':
        return 'a mapping';
      case 'array':
        return 'a list';
      case 'boolean':
        return 'true or false';
      case 'integer':
      case 'number':
        return 'a number';
      case 'string':
        return 'text';
      default:
        return String(x);
    }
  });
  return [...new Set(words)].join(' or ');
}

/** Validates the plain form of the tree; reports what is wrong. Returns true when valid. */
export function validateStructure(root: YMap, plain: unknown, diags: DiagnosticBag): boolean {
  if (validateFn(plain)) return true;
  const errors = validateFn.errors ?? [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (diags.full) {
      // Past the limit the rest are only counted (wrappers excepted, as mapError skips them).
      if (!WRAPPERS.has(e.keyword)) diags.omit('error');
      continue;
    }
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mapError(root, e, diags);
  }
  return false;
}

const WRAPPERS = new Set(['if', 'oneOf', 'anyOf', 'allOf']);

function mapError(root: YMap, e: AjvError, diags: DiagnosticBag): void {
  const node = nodeAtPointer(root, e.instancePath) ?? root;
  const where = describeWhere(root, e.instancePath);
  switch (e.keyword) {
    case 'if':
    case 'oneOf':
    case 'anyOf':
    case 'allOf':
      return; // wrappers: the errors of the failing branch are reported themselves
    case 'required': {
      const property = String(e.params['missingProperty']);
      // `drive:` where `image:` is needed: the unknown-property error names the one fix; no second error for it.
      if (node.kind === 'map' && node.entries.some((x) => QEMU_NAMES[String(x.key)]?.name === property)) return;
      const entry = entryAtPointer(root, e.instancePath);
      const span = entry ? entry.keySpan : node.span;
      // The file's own chipset line is the one a machine cannot do without, and the one fix is always the same.
      const fix = e.instancePath === '' && property === 'chipset' ? { fix: { message: 'add the line `chipset: q35` (the Intel Q35 chipset, the one machc models) at the top of the file' } } : {};
      diags.report(Diag.missingProperty, { ...span, length: Math.max(1, Math.min(span.length, firstLineLength(node))) }, { property, where }, fix);
      return;
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const property = String(e.params['additionalProperty'] ?? e.params['unevaluatedProperty']);
      if (node.kind !== 'map') return;
      // A device without a known model: which properties it may have is unknown too; MD1004 (or MD1001) says why.
      if (/^\/devices\/\d+$/.test(e.instancePath) && !knownModel(node)) return;
      const allowed = allowedHere(root, e.instancePath);
      // A property the model does accept is reported unevaluated only because its own value failed.
      if (e.keyword === 'unevaluatedProperties' && allowed.includes(property)) return;
      const entry = mapGet(node, property);
      const span = entry ? entry.keySpan : node.span;
      const qemu = qemuVocabulary(property, allowed);
      const guess = qemu ? undefined : closest(property, allowed);
      diags.report(Diag.unknownProperty, span, { property, where }, {
        ...(qemu
          ? { fix: { message: qemu.message, ...(qemu.replace ? { replace: { span, text: qemu.replace } } : {}) } }
          : guess
            ? { fix: { message: `did you mean '${guess}'?`, replace: { span, text: guess } } }
            : allowed.length > 0
              ? { fix: { message: `${where} takes: ${allowed.join(', ')}` } }
              : {}),
      });
      return;
    }
    case 'type': {
      diags.report(Diag.wrongType, node.span, { expected: typeWords(e.params['type']), found: describeNode(node) }, {
        ...(node.kind === 'scalar' && typeof node.value === 'string' && /^(yes|no|on|off|y|n)$/i.test(node.value)
          ? { fix: { message: `write ${/^(yes|on|y)$/i.test(node.value) ? 'true' : 'false'}: YAML 1.2 reads '${node.value}' as text`, replace: { span: node.span, text: /^(yes|on|y)$/i.test(node.value) ? 'true' : 'false' } } }
          : {}),
      });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (e.params['allowedValues'] as unknown[]) : [e.params['allowedValue']]).map(String);
      const value = node.kind === 'scalar' ? String(node.value) : describeNode(node);
      const guess = closest(value, allowed);
      const fix = guess ? { fix: { message: `did you mean '${guess}'?`, replace: { span: node.span, text: guess } } } : {};
      if (e.keyword === 'const' && (e.instancePath === '/builtins/lpc' || e.instancePath === '/builtins/host-bridge')) {
        diags.report(Diag.builtinCannotBeDisabled, node.span, { name: e.instancePath.endsWith('lpc') ? 'ICH9 LPC bridge (00:1f.0)' : 'MCH host bridge (00:00.0)' });
      } else if (e.instancePath.endsWith('/model') && e.instancePath.startsWith('/devices/')) {
        diags.report(Diag.unknownModel, node.span, { model: value }, guess ? fix : { fix: { message: `known models: ${allowed.join(', ')}` } });
      } else {
        diags.report(Diag.invalidChoice, node.span, { value, allowed: allowed.map((a) => `'${a}'`).join(', ') }, fix);
      }
      return;
    }
    case 'pattern': {
      const last = e.instancePath.split('/').pop() ?? '';
      const isId = /^\d+$/.test(last) ? e.instancePath.includes('/boot/') : last === 'id';
      const detail = isId || e.instancePath.includes('/boot/')
        ? `${describeNode(node)} is not a valid id: use letters, digits, '-' and '_', starting with a letter (at most 64)`
        : last === 'name'
          ? `${describeNode(node)} is not a valid machine name: use letters, digits, '.', '-' and '_' (at most 64)`
          : `${describeNode(node)} does not have the expected form`;
      diags.report(Diag.schemaViolation, node.span, { detail });
      return;
    }
    default: {
      const detail = `${where}: ${e.message ?? e.keyword}`;
      diags.report(Diag.schemaViolation, node.span, { detail });
    }
  }
}

function firstLineLength(node: YNode): number {
  return node.span.length;
}

/** Property names the schema allows at the object a pointer names. */
function allowedHere(root: YMap, pointer: string): string[] {
  const parts = pointer.split('/').slice(1);
  if (parts.length === 0) return Object.keys(schema.properties);
  if (parts[0] === 'devices' && parts.length === 2) {
    const dev = nodeAtPointer(root, pointer);
    const model = dev && dev.kind === 'map' ? mapGet(dev, 'model')?.value : undefined;
    return model && model.kind === 'scalar' && typeof model.value === 'string' && DEVICE_MODELS.includes(model.value)
      ? modelProperties(model.value)
      : COMMON_DEVICE_PROPS;
  }
  const sub = (name: string) => Object.keys((schema.$defs[name]?.properties ?? {}) as object);
  if (parts[0] === 'devices' && parts[2] === 'sriov') return sub('sriov');
  if (parts[0] === 'devices' && parts[2] === 'namespaces') {
    const nsSchema = ((deviceSchema.allOf!.find((b) => b.if.properties.model.const === 'nvme')!.then.properties['namespaces'] as { items: SchemaNode }).items);
    return Object.keys(nsSchema.properties ?? {});
  }
  if (parts[0] === 'cpus') return sub('cpus');
  if (parts[0] === 'memory') return sub('memory');
  if (parts[0] === 'builtins') return Object.keys(((schema.properties['builtins'] as SchemaNode).properties ?? {}) as object);
  if (parts[0] === 'numa') return Object.keys((((schema.properties['numa'] as { items: SchemaNode }).items.properties) ?? {}) as object);
  return [];
}
