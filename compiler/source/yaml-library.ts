/**
 * Machine files the fast reader (yaml-fast.ts) does not take, read through the
 * `yaml` library: any YAML, every YAML diagnostic, aliases expanded within a
 * budget. The bundled command line loads this module (and the library) only
 * for such files (scripts/bundle.mjs, LAZY_MODULES).
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Pair } from 'yaml';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from './source-file.js';
import { describeNode, type ScalarValue, type YEntry, type YMap, type YNode } from './yaml-tree.js';

/** Limits that keep hostile input bounded. */
export const ALIAS_NODE_LIMIT = 10_000;

class Converter {
  private aliasBudget = ALIAS_NODE_LIMIT;
  aliasReported = false;
  /** The outermost alias being expanded: where an over-budget expansion is reported. */
  private aliasSite: Span | undefined;
  /** Alias targets being expanded, innermost last: an alias to one of them is recursive. */
  private readonly expanding = new Set<YamlNode>();

  constructor(
    private readonly source: SourceFile,
    private readonly doc: Document,
    private readonly diags: DiagnosticBag,
  ) {}

  private spanOf(node: { range?: [number, number, number] | null } | null | undefined, fallback: number): Span {
    const r = node?.range;
    if (!r) return this.source.span(fallback, 0);
    return this.source.span(r[0], Math.max(0, r[1] - r[0]));
  }

  /**
   * A flow collection spans its brackets; a block collection spans from its
   * first key or dash to the end of its last value (the library's own range
   * also takes in trailing comments, depending on their indentation).
   */
  private collectionSpan(node: { flow?: boolean; range?: [number, number, number] | null }, last: YNode | undefined, fallback: number): Span {
    const start = node.range?.[0];
    if (node.flow || !last || start === undefined) return this.spanOf(node, fallback);
    return this.source.span(start, Math.max(0, last.span.offset + last.span.length - start));
  }

  convert(node: YamlNode | null | undefined, fallback: number, viaAlias: boolean): YNode | undefined {
    if (this.aliasReported) return undefined;
    if (viaAlias && --this.aliasBudget < 0) {
      this.aliasReported = true;
      this.diags.report(Diag.aliasLimit, this.aliasSite ?? this.source.span(fallback, 1), { limit: ALIAS_NODE_LIMIT });
      return undefined;
    }
    if (node === null || node === undefined) {
      const span = this.source.span(fallback, 0);
      return { kind: 'scalar', span, value: null, text: '', textOffset: fallback, quoted: false };
    }
    if (node.tag && !node.tag.startsWith('tag:yaml.org,2002:')) {
      this.diags.report(Diag.unsupportedYaml, this.spanOf(node, fallback), { what: `the tag ${node.tag}` });
      return undefined;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.diags.report(Diag.yamlSyntax, this.spanOf(node, fallback), { detail: `unknown alias *${node.source}` });
        return undefined;
      }
      if (this.expanding.has(target)) {
        // `x: &a [*a]`: the alias is inside the node it names; expanding it would never end.
        this.aliasReported = true;
        this.diags.report(Diag.unsupportedYaml, this.spanOf(node, fallback), { what: `a recursive alias (*${node.source} is inside the node &${node.source} names)` });
        return undefined;
      }
      const start = node.range?.[0] ?? fallback;
      const outermost = this.aliasSite === undefined;
      if (outermost) this.aliasSite = this.spanOf(node, fallback);
      this.expanding.add(target);
      const expanded = this.convert(target, start, true);
      this.expanding.delete(target);
      if (outermost) this.aliasSite = undefined;
      return expanded && relocate(expanded, this.spanOf(node, fallback));
    }
    if (isScalar(node)) {
      const span = this.spanOf(node, fallback);
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      const v = node.value;
      let value: ScalarValue;
      if (v === null || typeof v === 'string' || typeof v === 'boolean') value = v;
      else if (typeof v === 'number') value = v;
      else if (typeof v === 'bigint') value = Number(v);
      else {
        this.diags.report(Diag.unsupportedYaml, span, { what: 'a value of an unsupported YAML type' });
        return undefined;
      }
      const text = quoted ? String(node.value) : (node.source ?? String(node.value));
      const textOffset = quoted ? span.offset + 1 : span.offset;
      return { kind: 'scalar', span, value, text, textOffset, quoted };
    }
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items as Pair<unknown, unknown>[]) {
        const keyNode = pair.key as YamlNode | null;
        const keySpan = this.spanOf(keyNode, fallback);
        if (!isScalar(keyNode)) {
          this.diags.report(Diag.unsupportedYaml, keySpan, { what: isAlias(keyNode) ? 'an alias as a mapping key' : 'a complex (non-text) mapping key' });
          continue;
        }
        const key = String(keyNode.value);
        if (key === '<<' && keyNode.type === 'PLAIN') {
          this.diags.report(Diag.unsupportedYaml, keySpan, { what: 'merge keys (<<); write the properties out' });
          continue;
        }
        const valueStart = keySpan.offset + keySpan.length;
        const value = this.convert(pair.value as YamlNode | null, valueStart, viaAlias);
        if (value) entries.push({ key, keySpan, value });
      }
      return { kind: 'map', span: this.collectionSpan(node, entries.at(-1)?.value, fallback), entries };
    }
    if (isSeq(node)) {
      const items: YNode[] = [];
      for (const item of node.items as (YamlNode | null)[]) {
        const converted = this.convert(item, node.range?.[0] ?? fallback, viaAlias);
        if (converted) items.push(converted);
      }
      return { kind: 'seq', span: this.collectionSpan(node, items.at(-1), fallback), items };
    }
    this.diags.report(Diag.unsupportedYaml, this.spanOf(node, fallback), { what: 'this kind of YAML node' });
    return undefined;
  }
}

/** An alias's expansion is reported at the alias, where the user wrote it. */
function relocate(node: YNode, span: Span): YNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, span, textOffset: span.offset };
    case 'seq':
      return { kind: 'seq', span, items: node.items.map((i) => relocate(i, span)) };
    case 'map':
      return { kind: 'map', span, entries: node.entries.map((e) => ({ key: e.key, keySpan: span, value: relocate(e.value, span) })) };
  }
}

/**
 * The offset of the last `open` bracket before `end` that is not closed
 * before it, skipping quoted scalars and comments; undefined when there is
 * none. Flow collections nest, so a stack of the brackets still open.
 */
export function unclosedFlowStart(text: string, end: number, open: '{' | '['): number | undefined {
  const stack: number[] = [];
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i]!;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      // A quote opens a scalar only where a value can start (after a blank, a flow indicator or ': ').
      if (i > 0 && !/[\s[{,:]/.test(text[i - 1]!)) continue;
      for (i++; i < end && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      if (c === "'" && text[i + 1] === "'") i++;
    } else if (c === '{' || c === '[') stack.push(i);
    else if ((c === '}' || c === ']') && stack.length > 0) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (text[stack[k]!] === open) return stack[k];
  return undefined;
}

/** parseYamlTree through the `yaml` library alone: any YAML, every YAML diagnostic. */
export function parseYamlTreeWithLibrary(source: SourceFile, diags: DiagnosticBag): YMap | undefined {
  const docs = parseAllDocuments(source.text, {
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    version: '1.2',
    schema: 'core',
    merge: false,
    intAsBigInt: false,
    stringKeys: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An EmptyStream: nothing but comments or whitespace.
    diags.report(Diag.emptyFile, source.span(0, 0), {});
    return undefined;
  }
  let errors = 0;
  for (const doc of list) {
    for (const e of [...doc.errors, ...doc.warnings]) {
      const [start, end] = e.pos;
      const span = source.span(start, Math.max(1, end - start));
      const detail = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      if (e.code === 'DUPLICATE_KEY') {
        // The library points at the key's first character: read the whole key from there.
        const written = DUPLICATE_KEY_TEXT.exec(source.text.slice(start, start + 1100));
        const raw = written?.[1] ?? '';
        const key = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
        diags.report(Diag.duplicateKey, raw ? source.span(start, raw.length) : span, { key: key || '?' });
      } else if (/call stack/i.test(detail)) {
        // The library reports its own recursion limit as a syntax error: name what the file does.
        diags.report(Diag.unsupportedYaml, source.span(start, 1), { what: 'collections nested deeper than the YAML reader follows (some 800 levels)' });
      } else if (e.code === 'TAG_RESOLVE_FAILED') {
        diags.report(Diag.unsupportedYaml, span, { what: detail });
      } else {
        // An unclosed { or [ is found only where the file (or the block) ends: point at the bracket itself.
        const unclosed = /flow (map|sequence)\b.*end with an? ([}\]])/i.exec(detail);
        const open = unclosed ? unclosedFlowStart(source.text, start, unclosed[2] === '}' ? '{' : '[') : undefined;
        if (unclosed && open !== undefined) {
          diags.report(Diag.yamlSyntax, source.span(open, 1), { detail: `this '${source.text[open]}' is never closed: the flow ${unclosed[1]!.toLowerCase() === 'map' ? 'mapping' : 'sequence'} it starts needs a '${unclosed[2]}'` }, {
            notes: [{ message: 'the parser reached here still inside it', span }],
            fix: { message: `close it with '${unclosed[2]}' where its last entry ends` },
          });
        } else diags.report(Diag.yamlSyntax, span, { detail: lowerFirst(detail) });
      }
      errors++;
    }
  }
  if (errors > 0) return undefined;
  if (list.length > 1) {
    const second = list[1]!;
    const start = second.range?.[0] ?? 0;
    diags.report(Diag.multipleDocuments, source.span(start, 3), {});
    return undefined;
  }
  const doc = list[0];
  if (!doc || doc.contents === null || doc.contents === undefined) {
    diags.report(Diag.emptyFile, source.span(0, 0), {});
    return undefined;
  }
  const converter = new Converter(source, doc, diags);
  const root = converter.convert(doc.contents as YamlNode, 0, false);
  if (!root || converter.aliasReported) return undefined;
  if (root.kind !== 'map') {
    diags.report(Diag.rootNotMapping, root.span, { found: describeNode(root) });
    return undefined;
  }
  return root;
}

/** A mapping key as written (plain, or single- or double-quoted) up to its colon. */
const DUPLICATE_KEY_TEXT = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n]*?)[ \t]*:(?:[ \t\n,\]}]|$)/;

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
