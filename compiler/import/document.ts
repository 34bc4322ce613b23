/**
 * What `machc import` builds: a machine file as data (the keys and values a
 * person would write), and its text. Both importers (QEMU command lines,
 * libvirt domain XML) fill a `MachineDoc`; `renderMachineDoc` writes it in the
 * layout of the example machines (one flow mapping per device), and
 * `machc fmt`'s formatter makes that canonical.
 */
import { formatMachine } from '../fmt/format.js';

/** A value as it appears in the file: sizes and addresses already in the value language ('512 MiB', '1c.2'). */
export type DocValue = string | number | boolean | DocValue[] | DocObject;
export interface DocObject {
  [key: string]: DocValue | undefined;
}

export interface MachineDoc {
  name?: string;
  description?: string;
  qemu?: string;
  acpi?: DocObject;
  cpus?: DocValue;
  memory?: DocValue;
  numa?: DocObject[];
  builtins?: DocObject;
  devices: DocObject[];
  boot?: string[];
  ssdts?: DocObject[];
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const KiB = 2 ** 10;

/** A byte count in the value language: the largest binary unit that divides it. */
export function sizeText(bytes: number): string {
  if (bytes === 0) return '0';
  if (bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return String(bytes);
}

/** device.function as machine files write it: '10.0', '1c.2'. */
export function slotFnText(device: number, fn: number): string {
  return `${device.toString(16)}.${fn}`;
}

/** Plain YAML scalars that read back as the same string and nothing else (no quotes needed). */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@+: -]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  // Keep strings strings: numbers, booleans and anything YAML treats specially are quoted.
  if (PLAIN.test(v) && !RESERVED.test(v) && !/: |\s$|^-/.test(v) && Number.isNaN(Number(v))) return v;
  // Sizes ('512 MiB') and addresses ('10.0') are read by machc's value language: plain is right for them.
  if (/^[0-9a-f]{1,2}\.[0-7]$/.test(v)) return v;
  return JSON.stringify(v);
}

function flow(v: DocValue): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${k}: ${flow(x!)}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return scalar(v);
}

/** Multi-line text (ASL) as a literal block scalar under a key indented by `indent`. */
function block(key: string, text: string, indent: string): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const head = `${indent}${key}: |${/^\s/.test(body) ? '2' : ''}${text.endsWith('\n') ? '' : '-'}`;
  return [head, ...body.split('\n').map((l) => (l === '' ? '' : `${indent}  ${l}`))];
}

/** A list item: one flow mapping, or block style when a value is multi-line text. */
function item(v: DocObject, indent: string): string[] {
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (!entries.some(([, x]) => typeof x === 'string' && x.includes('\n'))) return [`${indent}- ${flow(v)}`];
  return entries.flatMap(([k, x], i) => {
    const lead = i === 0 ? `${indent}- ` : `${indent}  `;
    if (typeof x === 'string' && x.includes('\n')) return block(k, x, lead).map((l, j) => (j === 0 ? l : l.replace(lead, `${indent}  `)));
    return [`${lead}${k}: ${flow(x!)}`];
  });
}

/**
 * The machine file's text: `header` as comment lines, then the document,
 * formatted as `machc fmt` would. Byte-identical for the same document.
 */
export function renderMachineDoc(doc: MachineDoc, header: readonly string[]): string {
  const lines = header.map((h) => `# ${h}`.trimEnd());
  const top = (k: string, v: DocValue | undefined) => {
    if (v !== undefined) lines.push(`${k}: ${flow(v)}`);
  };
  top('name', doc.name);
  top('description', doc.description);
  lines.push('chipset: q35');
  // A release number is a string ('10.0' as a YAML number would read back as 10).
  if (doc.qemu !== undefined) lines.push(`qemu: ${JSON.stringify(doc.qemu)}`);
  if (doc.acpi && Object.keys(doc.acpi).length > 0) top('acpi', doc.acpi);
  top('cpus', doc.cpus);
  top('memory', doc.memory);
  if (doc.numa && doc.numa.length > 0) {
    lines.push('numa:');
    for (const n of doc.numa) lines.push(...item(n, '  '));
  }
  if (doc.builtins && Object.keys(doc.builtins).length > 0) top('builtins', doc.builtins);
  if (doc.devices.length > 0) {
    lines.push('devices:');
    for (const d of doc.devices) lines.push(...item(d, '  '));
  }
  if (doc.boot && doc.boot.length > 0) top('boot', doc.boot);
  if (doc.ssdts && doc.ssdts.length > 0) {
    lines.push('ssdts:');
    for (const t of doc.ssdts) lines.push(...item(t, '  '));
  }
  const text = `${lines.join('\n')}\n`;
  const formatted = formatMachine('<import>', text);
  if (formatted.text === undefined) throw new Error(`the imported machine is not valid YAML: ${formatted.diagnostics.items.map((d) => d.message).join('; ')}\n${text}`);
  return formatted.text;
}

/** A machine id from a QEMU or libvirt name: letters, digits, '-' and '_', starting with a letter; unique among `taken`. */
export function machineId(wanted: string, fallback: string, taken: Set<string>): string {
  let id = wanted.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]+/, '').slice(0, 60);
  if (id === '' || id === 'pcie' || id === 'ahci') id = fallback;
  let out = id;
  for (let n = 1; taken.has(out); n++) out = `${id}-${n}`;
  taken.add(out);
  return out;
}
