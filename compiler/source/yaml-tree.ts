/**
 * Parses a machine file into a small YAML tree in which every node keeps its
 * span. Later passes never see the `yaml` library's types: they get maps,
 * sequences and scalars, with aliases already expanded (within a budget).
 */
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from './source-file.js';
import { readFastYaml } from './yaml-fast.js';
import { parseYamlTreeWithLibrary } from './yaml-library.js';

export { parseYamlTreeWithLibrary } from './yaml-library.js';

export type YNode = YMap | YSeq | YScalar;

export interface YMap {
  readonly kind: 'map';
  readonly span: Span;
  readonly entries: readonly YEntry[];
}

export interface YEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: YNode;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly span: Span;
  readonly items: readonly YNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  readonly kind: 'scalar';
  readonly span: Span;
  /** The value as YAML 1.2 (core schema) reads it. */
  readonly value: ScalarValue;
  /** The scalar's text as written (without quotes), for the value language. */
  readonly text: string;
  /** File offset of `text`'s first character, so value errors point inside the scalar. */
  readonly textOffset: number;
  readonly quoted: boolean;
}


const indexes = new WeakMap<YMap, Map<string, YEntry>>();

export function mapGet(map: YMap, key: string): YEntry | undefined {
  if (map.entries.length <= 16) {
    for (const e of map.entries) if (e.key === key) return e;
    return undefined;
  }
  // Large mappings (a hostile file with 100,000 keys) are indexed once: lookups stay O(1).
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const e of map.entries) if (!index.has(e.key)) index.set(e.key, e);
    indexes.set(map, index);
  }
  return index.get(key);
}

export function describeNode(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'nothing (null)';
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${node.text}`;
  return `the text '${v.length > 40 ? `${v.slice(0, 37)}...` : v}'`;
}

/** Plain JavaScript for the schema validator. */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of node.entries) o[e.key] = toPlain(e.value);
      return o;
    }
  }
}

/** Follows a JSON pointer (as ajv reports instance paths) to the node it names. */
export function nodeAtPointer(root: YNode, pointer: string): YNode | undefined {
  if (pointer === '') return root;
  let node: YNode | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    if (node.kind === 'map') node = mapGet(node, part)?.value;
    else if (node.kind === 'seq') node = node.items[Number(part)];
    else return undefined;
  }
  return node;
}

/** The map entry a pointer ends at, to point at a key rather than its value. */
export function entryAtPointer(root: YNode, pointer: string): YEntry | undefined {
  const cut = pointer.lastIndexOf('/');
  if (cut < 0) return undefined;
  const parent = nodeAtPointer(root, pointer.slice(0, cut));
  if (!parent || parent.kind !== 'map') return undefined;
  return mapGet(parent, pointer.slice(cut + 1).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Parses YAML text. Returns the root mapping, or undefined after reporting why
 * there is none. Any YAML error stops here: later passes see only clean trees.
 */
export function parseYamlTree(source: SourceFile, diags: DiagnosticBag): YMap | undefined {
  return readFastYaml(source) ?? parseYamlTreeWithLibrary(source, diags);
}
