/**
 * `machc fmt`: the canonical layout of a machine file. Keys go in a fixed
 * order (the schema's), indentation and spacing are fixed, and everything a
 * person wrote stays: comments, blank lines between groups, flow or block
 * style of each collection, quoting of each scalar, the spelling of values.
 * Formatting twice gives the same text as formatting once.
 *
 * The file must be well-formed YAML that matches the schema (a formatter
 * that reorders keys has to know what they are); semantic problems (a slot
 * used twice) do not stop it.
 */
import { CST, isMap, isScalar, isSeq, Lexer, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { modelProperties, validateStructure } from '../schema/validate.js';
import { decodeSource } from '../source/load.js';
import type { SourceFile } from '../source/source-file.js';
import { parseYamlTree, toPlain } from '../source/yaml-tree.js';
import schemaJson from '../../schemas/machine.schema.json' with { type: 'json' };

interface SchemaObject {
  properties?: Record<string, SchemaObject & { items?: SchemaObject }>;
  items?: SchemaObject;
  $ref?: string;
  allOf?: { if: { properties: { model: { const: string } } }; then: { properties: Record<string, SchemaObject> } }[];
}

const schema = schemaJson as unknown as SchemaObject & { $defs: Record<string, SchemaObject> };

const keysOf = (o: SchemaObject | undefined): string[] => {
  if (!o) return [];
  if (o.$ref) return keysOf(schema.$defs[o.$ref.replace('#/$defs/', '')]);
  return Object.keys(o.properties ?? {});
};

/** The order of keys in each kind of mapping, from the schema. */
const ORDER = {
  root: keysOf(schema),
  cpus: keysOf(schema.properties?.['cpus']),
  memory: keysOf(schema.properties?.['memory']),
  numa: keysOf(schema.properties?.['numa']?.items),
  builtins: keysOf(schema.properties?.['builtins']),
  acpi: keysOf(schema.properties?.['acpi']),
  sriov: keysOf(schema.$defs['nvme-sriov']),
  namespace: keysOf(schema.$defs['device']?.allOf?.find((b) => b.if.properties.model.const === 'nvme')?.then.properties['namespaces']?.items),
};

/** Within a device: what it is and where it sits, then the model's properties in schema order, then removable and its ASL. */
function deviceOrder(model: string | undefined): string[] {
  const props = model ? modelProperties(model) : keysOf(schema.$defs['device']);
  const first = ['id', 'model', 'bus', 'addr', 'multifunction'];
  const last = ['removable', 'asl'];
  return [...first, ...props.filter((p) => !first.includes(p) && !last.includes(p)), ...last];
}

/**
 * Sorts a mapping's pairs by `order`; keys not in it keep their relative order
 * after the known ones. Comments and blank lines travel with their key, except
 * what stood above the mapping's first line, which stays at the top:
 *  - in a block mapping the comment above the first key (a file's header) goes
 *    to the new first key;
 *  - in a list item the first key cannot carry a comment (`- # x` is not stable
 *    YAML), so the new first key's comment moves above the item.
 */
function sortMap(map: YAMLMap, order: readonly string[], item?: { readonly previous: unknown }): void {
  const rank = (p: Pair) => {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const items = map.items as Pair[];
  const sorted = items.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
  if (sorted.every((p, i) => p === items[i])) return;
  const oldFirst = items[0]!.key;
  const newFirst = sorted[0]!.key;
  map.items = sorted;
  if (!isScalar(oldFirst) || !isScalar(newFirst)) return;
  const head = { comment: oldFirst.commentBefore, space: oldFirst.spaceBefore };
  oldFirst.commentBefore = undefined;
  oldFirst.spaceBefore = false;
  const own = newFirst.commentBefore;
  newFirst.spaceBefore = false;
  if (!item) {
    newFirst.commentBefore = [head.comment, own].filter(Boolean).join('\n') || undefined;
    newFirst.spaceBefore = head.space;
    return;
  }
  // The old first key's own comment described it: it stays with it, one line below the item's top.
  oldFirst.commentBefore = head.comment;
  newFirst.commentBefore = undefined;
  if (head.space) map.spaceBefore = true;
  if (own) {
    map.commentBefore = [map.commentBefore, own].filter(Boolean).join('\n');
    // Right after a previous item's trailing comment, a blank line keeps the two comments apart.
    if (isMap(item.previous) && item.previous.comment) map.spaceBefore = true;
  }
}

function value(map: YAMLMap, key: string): unknown {
  const p = (map.items as Pair[]).find((x) => isScalar(x.key) && x.key.value === key);
  return p?.value;
}

function canonicalize(doc: Document): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  sortMap(root, ORDER.root);
  for (const [key, order] of [['acpi', ORDER.acpi], ['cpus', ORDER.cpus], ['memory', ORDER.memory], ['builtins', ORDER.builtins]] as const) {
    const v = value(root, key);
    if (isMap(v)) sortMap(v, order);
  }
  const numa = value(root, 'numa');
  if (isSeq(numa)) numa.items.forEach((n, i) => isMap(n) && sortMap(n, ORDER.numa, { previous: numa.items[i - 1] }));
  const devices = value(root, 'devices');
  if (isSeq(devices)) {
    devices.items.forEach((d, i) => {
      if (!isMap(d)) return;
      const model = value(d, 'model');
      sortMap(d, deviceOrder(isScalar(model) && typeof model.value === 'string' ? model.value : undefined), { previous: devices.items[i - 1] });
      const sriov = value(d, 'sriov');
      if (isMap(sriov)) sortMap(sriov, ORDER.sriov);
      const ns = value(d, 'namespaces');
      if (isSeq(ns)) ns.items.forEach((n, j) => isMap(n) && sortMap(n, ORDER.namespace, { previous: ns.items[j - 1] }));
    });
  }
}

/** The fixed output options: two-space indent, list items indented under their key, no line folding. */
const TO_STRING = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
  nullStr: 'null',
  trueStr: 'true',
  falseStr: 'false',
} as const;

/** Lexer tokens that mark the token after them and are not text. */
const CONTROL = new Set(['\x02', '\x18', '\x1f']);

/**
 * Flow sequences without inner padding (`[a, b]`), flow mappings with it
 * (`{ a: 1 }`), as Prettier writes YAML. The yaml library has one switch for
 * both, so sequences are tightened on the lexer's tokens: quoted scalars and
 * comments are never touched.
 */
function tightenFlowSequences(text: string): string {
  const tokens = [...new Lexer().lex(text)].filter((t) => !CONTROL.has(t));
  if (tokens.join('') !== text) return text;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = CST.tokenType(t);
    if (type === 'space' && (CST.tokenType(tokens[i - 1] ?? '') === 'flow-seq-start' || CST.tokenType(tokens[i + 1] ?? '') === 'flow-seq-end')) continue;
    out.push(t);
  }
  return out.join('');
}

/**
 * The yaml library writes comments by putting `#` (and the indentation) at the
 * start of every line, and its line test (a multiline `^`) also matches after
 * U+2028 and U+2029, which YAML does not count as line breaks: `# a<U+2028>b`
 * came back as `# a<U+2028>#b`, one `#` more on every run. While formatting,
 * the two characters stand in as noncharacters (U+FDD0, U+FDD1) that no line
 * test matches; a file that already holds those is left to the library.
 */
const SEPARATORS: readonly (readonly [string, string])[] = [
  ['\u2028', '\ufdd0'],
  ['\u2029', '\ufdd1'],
];

function hideSeparators(text: string): string | undefined {
  if (!/[\u2028\u2029]/.test(text) || /[\ufdd0\ufdd1]/.test(text)) return undefined;
  return SEPARATORS.reduce((t, [sep, stand]) => t.split(sep).join(stand), text);
}

function restoreSeparators(text: string): string {
  return SEPARATORS.reduce((t, [sep, stand]) => t.split(stand).join(sep), text);
}

export interface FormatResult {
  readonly source: SourceFile | undefined;
  readonly diagnostics: DiagnosticBag;
  /** The formatted text, or undefined when the file cannot be formatted (see diagnostics). */
  readonly text: string | undefined;
}

function onePass(input: string): string {
  const doc = parseDocument(input, { version: '1.2', schema: 'core', merge: false, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  canonicalize(doc);
  return `${tightenFlowSequences(doc.toString(TO_STRING)).replace(/^\n+/, '').replace(/\s+$/, '')}\n`;
}

/** Formats a machine file's bytes. Never throws for bad input. */
export function formatMachine(path: string, bytes: Uint8Array | string): FormatResult {
  const diagnostics = new DiagnosticBag();
  const source = decodeSource(path, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, diagnostics);
  if (!source || diagnostics.hasErrors) return { source, diagnostics, text: undefined };
  const tree = parseYamlTree(source, diagnostics);
  if (!tree || diagnostics.hasErrors) return { source, diagnostics, text: undefined };
  if (!validateStructure(tree, toPlain(tree), diagnostics) || diagnostics.hasErrors) return { source, diagnostics, text: undefined };
  // The yaml library attaches some comments differently when it reads its own output (comment lines
  // after a list item's trailing comment join that comment), so layout is repeated to its fixed point.
  const hidden = hideSeparators(source.text);
  let text = onePass(hidden ?? source.text);
  for (let i = 0; i < 4; i++) {
    const again = onePass(text);
    if (again === text) break;
    text = again;
  }
  return { source, diagnostics, text: hidden === undefined ? text : restoreSeparators(text) };
}

