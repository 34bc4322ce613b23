/**
 * A fast reader for the plain subset of YAML that machine files are written
 * in: block mappings and sequences, one-line flow collections, plain and
 * simple quoted scalars, comments. It builds exactly the tree the `yaml`
 * library path builds (yaml-tree.ts), about ten times faster, and gives up
 * (returns undefined) on anything else: anchors, tags, block scalars,
 * multi-line scalars or flow collections, escapes, empty values, duplicate
 * keys, odd whitespace, syntax errors. The library then reads the file and
 * reports whatever is wrong, so every diagnostic still comes from one place.
 *
 * tests/source/yaml-fast.test.ts checks the two agree on every machine file
 * in the repository and on generated and mutated documents.
 */
import type { SourceFile, Span } from './source-file.js';
import type { ScalarValue, YEntry, YMap, YNode, YScalar, YSeq } from './yaml-tree.js';

/** Thrown inside the reader to give up; never escapes it. */
const GIVE_UP = Symbol('outside the fast subset');

/** Characters that make the fast reader give up wherever they appear. */
const UNSUPPORTED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Words the core schema reads as something other than text, which keys must not be. */
const NON_TEXT_KEY = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/;

/** Deepest flow nesting read here; deeper input goes to the library. */
const MAX_FLOW_DEPTH = 32;

/** Longest key read here (YAML limits implicit keys to 1024 characters). */
const MAX_KEY = 512;

const LF = 10;
const SPACE = 32;
const HASH = 35;
const QUOTE2 = 34;
const QUOTE1 = 39;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * YAML 1.2 core schema resolution of a plain scalar, rule for rule as the
 * `yaml` library applies it (same tests, same order, same conversions).
 */
export function resolvePlain(text: string): ScalarValue {
  const c = text.charCodeAt(0);
  // Only text that starts with one of these can be anything but a string.
  const maybeSpecial = text === '' || c === 126 /* ~ */ || c === 46 /* . */ || c === 43 /* + */ || c === DASH || (c >= 48 && c <= 57) || /^[nNtTfF]/.test(text);
  if (!maybeSpecial) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return c === 116 || c === 84;
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

function isKeyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === DASH;
}

/** A content line: where its first non-space character is and how far it is indented. */
interface Line {
  readonly at: number;
  readonly indent: number;
}

class FastReader {
  private readonly text: string;
  private readonly end: number;
  /** The last nextContent() answer: every enclosing collection asks again from the same line. */
  private memoFrom = -1;
  private memoLine: Line | undefined;

  constructor(private readonly source: SourceFile) {
    this.text = source.text;
    this.end = this.text.length;
  }

  read(): YMap {
    const first = this.nextContent(0);
    if (!first || first.indent !== 0 || !this.keyAhead(first.at)) throw GIVE_UP;
    const { node, next } = this.blockMap(0, first.at);
    if (this.nextContent(next)) throw GIVE_UP;
    return node;
  }

  private span(start: number, end: number): Span {
    return this.source.span(start, end - start);
  }

  /** From a line start, skips blank and comment lines; the next content line, if any. */
  private nextContent(lineStart: number): Line | undefined {
    if (lineStart !== this.memoFrom) {
      this.memoFrom = lineStart;
      this.memoLine = this.scanContent(lineStart);
    }
    return this.memoLine;
  }

  private scanContent(lineStart: number): Line | undefined {
    const t = this.text;
    let p = lineStart;
    while (p < this.end) {
      let q = p;
      while (q < this.end && t.charCodeAt(q) === SPACE) q++;
      if (q >= this.end) return undefined;
      const c = t.charCodeAt(q);
      if (c === LF || c === HASH) {
        const nl = t.indexOf('\n', q);
        if (nl < 0) return undefined;
        p = nl + 1;
        continue;
      }
      return { at: q, indent: q - p };
    }
    return undefined;
  }

  /** Whether a block-mapping key (`word:` then a space or the line's end) starts at `p`. */
  private keyAhead(p: number): boolean {
    const t = this.text;
    if (!isKeyStart(t.charCodeAt(p))) return false;
    let q = p + 1;
    while (q < this.end && isKeyChar(t.charCodeAt(q))) q++;
    if (t.charCodeAt(q) !== COLON) return false;
    const after = t.charCodeAt(q + 1);
    return q + 1 >= this.end || after === SPACE || after === LF;
  }

  private dashAhead(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const after = this.text.charCodeAt(p + 1);
    return p + 1 >= this.end || after === SPACE || after === LF;
  }

  /** A word key at `p`; returns its end (the colon). */
  private key(p: number): number {
    const t = this.text;
    if (!isKeyStart(t.charCodeAt(p))) throw GIVE_UP;
    let q = p + 1;
    while (q < this.end && isKeyChar(t.charCodeAt(q))) q++;
    if (q - p > MAX_KEY) throw GIVE_UP;
    return q;
  }

  private keyText(p: number, q: number): string {
    const k = this.text.slice(p, q);
    if (NON_TEXT_KEY.test(k)) throw GIVE_UP;
    return k;
  }

  /** A block mapping indented `indent`, its first key at `at`; `next` is the line start after it. */
  private blockMap(indent: number, at: number): { node: YMap; next: number } {
    const t = this.text;
    const entries: YEntry[] = [];
    const seen = new Set<string>();
    let p = at;
    for (;;) {
      const keyEnd = this.key(p);
      if (t.charCodeAt(keyEnd) !== COLON) throw GIVE_UP;
      const key = this.keyText(p, keyEnd);
      if (seen.has(key)) throw GIVE_UP;
      seen.add(key);
      let q = keyEnd + 1;
      while (q < this.end && t.charCodeAt(q) === SPACE) q++;
      let value: YNode;
      let next: number;
      const c = t.charCodeAt(q);
      if (q < this.end && c !== LF) {
        if (c === HASH || q === keyEnd + 1) throw GIVE_UP;
        ({ node: value, next } = this.inlineValue(q, indent));
      } else {
        const line = this.nextContent(q < this.end ? q + 1 : q);
        if (!line || line.indent < indent) throw GIVE_UP;
        if (this.dashAhead(line.at)) ({ node: value, next } = this.blockSeq(line.indent, line.at));
        else if (line.indent > indent && this.keyAhead(line.at)) ({ node: value, next } = this.blockMap(line.indent, line.at));
        else throw GIVE_UP;
      }
      entries.push({ key, keySpan: this.span(p, keyEnd), value });
      const line = this.nextContent(next);
      if (!line || line.indent < indent) return { node: { kind: 'map', span: this.blockSpan(at, value), entries }, next };
      if (line.indent > indent || !this.keyAhead(line.at)) throw GIVE_UP;
      p = line.at;
    }
  }

  /** A block sequence indented `indent`, its first dash at `at`. */
  private blockSeq(indent: number, at: number): { node: YSeq; next: number } {
    const t = this.text;
    const items: YNode[] = [];
    let p = at;
    for (;;) {
      let q = p + 1;
      if (q >= this.end || t.charCodeAt(q) !== SPACE) throw GIVE_UP;
      while (q < this.end && t.charCodeAt(q) === SPACE) q++;
      const c = t.charCodeAt(q);
      if (q >= this.end || c === LF || c === HASH || this.dashAhead(q)) throw GIVE_UP;
      const column = q - (p - indent);
      const { node, next } = this.keyAhead(q) ? this.blockMap(column, q) : this.inlineValue(q, indent);
      items.push(node);
      const line = this.nextContent(next);
      if (line && line.indent > indent) throw GIVE_UP;
      if (!line || line.indent < indent || !this.dashAhead(line.at)) return { node: { kind: 'seq', span: this.blockSpan(at, node), items }, next };
      p = line.at;
    }
  }

  /** A block collection spans from its first key or dash to the end of its last value. */
  private blockSpan(at: number, last: YNode): Span {
    return this.span(at, last.span.offset + last.span.length);
  }

  /**
   * A scalar or flow collection that starts at `p` in block context and ends
   * its line; the collection around it is indented `indent`.
   */
  private inlineValue(p: number, indent: number): { node: YNode; next: number } {
    const t = this.text;
    const c = t.charCodeAt(p);
    let node: YNode;
    let q: number;
    if (c === LBRACE || c === LBRACKET) {
      ({ node, end: q } = this.flow(p, 0));
    } else if (c === QUOTE1 || c === QUOTE2) {
      node = this.quoted(p);
      q = node.span.offset + node.span.length;
    } else {
      this.plainStart(p);
      let e = p;
      while (e < this.end) {
        const d = t.charCodeAt(e);
        if (d === LF || (d === HASH && t.charCodeAt(e - 1) === SPACE)) break;
        e++;
      }
      while (t.charCodeAt(e - 1) === SPACE) e--;
      const text = t.slice(p, e);
      if (text.includes(': ') || text.endsWith(':')) throw GIVE_UP;
      node = this.plainScalar(p, text);
      q = e;
    }
    // The rest of the line: spaces, then a comment (after a space) or nothing.
    const afterValue = q;
    while (q < this.end && t.charCodeAt(q) === SPACE) q++;
    if (q < this.end && t.charCodeAt(q) !== LF) {
      if (t.charCodeAt(q) !== HASH || q === afterValue) throw GIVE_UP;
      q = t.indexOf('\n', q);
      if (q < 0) q = this.end;
    }
    const next = q < this.end ? q + 1 : q;
    // A more indented line after a scalar would continue it (or be an error).
    const line = this.nextContent(next);
    if (line && line.indent > indent) throw GIVE_UP;
    return { node, next };
  }

  /** Gives up on characters that cannot start a plain scalar (or start something else). */
  private plainStart(p: number): void {
    const c = this.text.charCodeAt(p);
    switch (c) {
      case 63: // ?
      case COLON:
      case COMMA:
      case LBRACKET:
      case RBRACKET:
      case LBRACE:
      case RBRACE:
      case HASH:
      case 38: // &
      case 42: // *
      case 33: // !
      case 124: // |
      case 62: // >
      case 37: // %
      case 64: // @
      case 96: // `
      case QUOTE1:
      case QUOTE2:
        throw GIVE_UP;
      case DASH: {
        const n = this.text.charCodeAt(p + 1);
        if (p + 1 >= this.end || n === SPACE || n === LF || n === COMMA || n === LBRACKET || n === RBRACKET || n === LBRACE || n === RBRACE) throw GIVE_UP;
      }
    }
  }

  private plainScalar(p: number, text: string): YScalar {
    return { kind: 'scalar', span: this.span(p, p + text.length), value: resolvePlain(text), text, textOffset: p, quoted: false };
  }

  /** A one-line single-quoted (with '' escapes) or double-quoted (no escapes) scalar at `p`. */
  private quoted(p: number): YScalar {
    const t = this.text;
    const quote = t.charCodeAt(p);
    let q = p + 1;
    let value = '';
    let from = q;
    for (;;) {
      if (q >= this.end) throw GIVE_UP;
      const c = t.charCodeAt(q);
      if (c === LF || c === 92 /* \ */ && quote === QUOTE2) throw GIVE_UP;
      if (c === quote) {
        if (quote === QUOTE1 && t.charCodeAt(q + 1) === QUOTE1) {
          value += t.slice(from, q + 1);
          q += 2;
          from = q;
          continue;
        }
        break;
      }
      q++;
    }
    value += t.slice(from, q);
    const after = t.charCodeAt(q + 1);
    if (after === COLON) throw GIVE_UP; // a quoted key
    return { kind: 'scalar', span: this.span(p, q + 1), value, text: value, textOffset: p + 1, quoted: true };
  }

  /** A flow mapping or sequence at `p`, all on one line. */
  private flow(p: number, depth: number): { node: YMap | YSeq; end: number } {
    if (depth > MAX_FLOW_DEPTH) throw GIVE_UP;
    const t = this.text;
    const isMap = t.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const entries: YEntry[] = [];
    const items: YNode[] = [];
    const seen = new Set<string>();
    let q = this.skipSpaces(p + 1);
    while (t.charCodeAt(q) !== close) {
      if (isMap) {
        const keyEnd = this.key(q);
        if (t.charCodeAt(keyEnd) !== COLON || t.charCodeAt(keyEnd + 1) !== SPACE) throw GIVE_UP;
        const key = this.keyText(q, keyEnd);
        if (seen.has(key)) throw GIVE_UP;
        seen.add(key);
        const { node, end } = this.flowValue(this.skipSpaces(keyEnd + 1), depth);
        entries.push({ key, keySpan: this.span(q, keyEnd), value: node });
        q = this.skipSpaces(end);
      } else {
        const { node, end } = this.flowValue(q, depth);
        items.push(node);
        q = this.skipSpaces(end);
      }
      const c = t.charCodeAt(q);
      if (c === COMMA) q = this.skipSpaces(q + 1);
      else if (c !== close) throw GIVE_UP;
    }
    const span = this.span(p, q + 1);
    return { node: isMap ? { kind: 'map', span, entries } : { kind: 'seq', span, items }, end: q + 1 };
  }

  private skipSpaces(p: number): number {
    const t = this.text;
    while (p < this.end && t.charCodeAt(p) === SPACE) p++;
    if (p >= this.end || t.charCodeAt(p) === LF) throw GIVE_UP; // flow collections stay on one line here
    return p;
  }

  private flowValue(p: number, depth: number): { node: YNode; end: number } {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === LBRACE || c === LBRACKET) return this.flow(p, depth + 1);
    if (c === QUOTE1 || c === QUOTE2) {
      const node = this.quoted(p);
      return { node, end: node.span.offset + node.span.length };
    }
    this.plainStart(p);
    let e = p;
    while (e < this.end) {
      const d = t.charCodeAt(e);
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === LF) break;
      if (d === LBRACE || d === LBRACKET) throw GIVE_UP;
      if (d === HASH && t.charCodeAt(e - 1) === SPACE) throw GIVE_UP;
      if (d === COLON) {
        const n = t.charCodeAt(e + 1);
        if (n === SPACE || n === COMMA || n === RBRACE || n === RBRACKET || n === LF || e + 1 >= this.end) throw GIVE_UP;
      }
      e++;
    }
    while (t.charCodeAt(e - 1) === SPACE) e--;
    if (e === p) throw GIVE_UP;
    return { node: this.plainScalar(p, t.slice(p, e)), end: e };
  }
}

/**
 * The machine file's tree when it is written in the plain subset, or
 * undefined: then the `yaml` library must read it.
 */
export function readFastYaml(source: SourceFile): YMap | undefined {
  if (UNSUPPORTED_CHARS.test(source.text)) return undefined;
  try {
    return new FastReader(source).read();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    // Deep recursion in a hostile file: the library path bounds and reports it.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
