/**
 * The ACPI namespace as the compiler builds it (ACPI 6.4 §5.3): one node per
 * declared name, lookups with the interpreter's rules (§5.3: a single
 * NameSeg without prefixes searches the current scope, then each parent up
 * to the root; any other path is exact), and iasl's NamePath optimizer
 * (shortest equivalent path: a lone NameSeg when search-to-root finds the
 * same node, else parent prefixes `^`).
 */
import type { Range } from './ast.js';

/** Object types, numbered as ObjectType() returns them (§19.6.96) plus the compiler's own. */
export const ObjType = {
  Any: 0, Integer: 1, String: 2, Buffer: 3, Package: 4, FieldUnit: 5, Device: 6, Event: 7, Method: 8, Mutex: 9,
  OpRegion: 10, PowerRes: 11, Processor: 12, ThermalZone: 13, BufferField: 14, DdbHandle: 15,
  /** Scope-only nodes (\_SB before a Device declares it, predefined scopes). */
  Scope: 100, Alias: 101, ResourceTag: 102, ResourceField: 103,
} as const;
export type ObjTypeCode = (typeof ObjType)[keyof typeof ObjType];

export interface NsDeclaration {
  readonly file: string;
  readonly range: Range;
}

export class NsNode {
  readonly children = new Map<string, NsNode>();
  type: ObjTypeCode;
  /** Method argument count (methods, and externals declared MethodObj with a count). */
  argCount?: number;
  external = false;
  declaredAt?: NsDeclaration;
  /** For resource descriptor fields: bit offset in the template and width in bits. */
  resource?: { readonly bitOffset: number; readonly bitLength: number };
  /** Alias target. */
  aliasOf?: NsNode;

  constructor(readonly name: string, readonly parent: NsNode | undefined, type: ObjTypeCode) {
    this.type = type;
  }

  /** Segments from the root, e.g. ['_SB_', 'PCI0']. */
  segments(): string[] {
    const segs: string[] = [];
    for (let n: NsNode | undefined = this; n?.parent; n = n.parent) segs.unshift(n.name);
    return segs;
  }

  /** `\_SB_.PCI0` (the root is `\`). */
  fullPath(): string {
    return `\\${this.segments().join('.')}`;
  }

  /** The path as ASL prints it: `\_SB.PCI0` (trailing underscores dropped). */
  aslPath(): string {
    return `\\${this.segments().map((s) => s.replace(/_+$/, '') || '_').join('.')}`;
  }

  isDescendantOf(other: NsNode): boolean {
    for (let n: NsNode | undefined = this; n; n = n.parent) if (n === other) return true;
    return false;
  }
}

/** A parsed NameString: root prefix, count of parent prefixes, 4-character segments. */
export interface NamePath {
  readonly root: boolean;
  readonly parents: number;
  readonly segs: readonly string[];
}

const SEG = /^[A-Z_][A-Z0-9_]{0,3}$/;

/** Reads an ASL name path (`\_SB.PCI0`, `^^FOO`, `abc`); segments upper-cased and padded with `_`. Undefined if malformed. */
export function parseNamePath(text: string): NamePath | undefined {
  let i = 0;
  const root = text.startsWith('\\');
  if (root) i = 1;
  let parents = 0;
  while (text[i] === '^') {
    parents++;
    i++;
  }
  const rest = text.slice(i).toUpperCase();
  const segs = rest === '' ? [] : rest.split('.');
  for (const s of segs) if (!SEG.test(s)) return undefined;
  if (!root && segs.length === 0) return undefined;
  return { root, parents, segs: segs.map((s) => s.padEnd(4, '_')) };
}

/** The ASL spelling of a parsed path. */
export function formatNamePath(p: NamePath): string {
  return `${p.root ? '\\' : ''}${'^'.repeat(p.parents)}${p.segs.map((s) => s.replace(/_+$/, '') || '_').join('.')}`;
}

/** Bytes the NameString takes in AML (§20.2.2): prefixes, then NameSeg, DualNamePath or MultiNamePath. */
export function amlNameLength(p: NamePath): number {
  const prefix = (p.root ? 1 : 0) + p.parents;
  const n = p.segs.length;
  if (n === 0) return prefix + 1;
  if (n === 1) return prefix + 4;
  if (n === 2) return prefix + 1 + 8;
  return prefix + 2 + 4 * n;
}

export class Namespace {
  readonly root = new NsNode('', undefined, ObjType.Scope);

  constructor() {
    // Predefined scopes (§5.3.1).
    for (const s of ['_GPE', '_PR_', '_SB_', '_SI_', '_TZ_']) this.root.children.set(s, new NsNode(s, this.root, ObjType.Scope));
    for (const [name, type] of [['_GL_', ObjType.Mutex], ['_OS_', ObjType.String], ['_REV', ObjType.Integer], ['_OSI', ObjType.Method]] as const) {
      const n = new NsNode(name, this.root, type);
      if (name === '_OSI') n.argCount = 1;
      this.root.children.set(name, n);
    }
  }

  /** The scope a path's prefixes start from (undefined when `^` goes above the root). */
  private base(p: NamePath, scope: NsNode): NsNode | undefined {
    if (p.root) return this.root;
    let n: NsNode | undefined = scope;
    for (let i = 0; i < p.parents; i++) n = n?.parent;
    return n;
  }

  /**
   * Resolves a path from `scope` (§5.3 namespace search rules): a single
   * NameSeg with no prefix searches upward to the root; anything else is exact.
   */
  lookup(p: NamePath, scope: NsNode, searchParents = true): NsNode | undefined {
    const base = this.base(p, scope);
    if (!base) return undefined;
    if (p.segs.length === 0) return base;
    if (searchParents && !p.root && p.parents === 0 && p.segs.length === 1) {
      for (let n: NsNode | undefined = base; n; n = n.parent) {
        const hit = n.children.get(p.segs[0]!);
        if (hit) return hit;
      }
      return undefined;
    }
    let n: NsNode | undefined = base;
    for (const s of p.segs) {
      n = n.children.get(s);
      if (!n) return undefined;
    }
    return n;
  }

  /** The scope that would hold `p`'s last segment (undefined if an intermediate scope is missing). */
  parentFor(p: NamePath, scope: NsNode): NsNode | undefined {
    const base = this.base(p, scope);
    if (!base) return undefined;
    let n: NsNode | undefined = base;
    for (const s of p.segs.slice(0, -1)) {
      n = n.children.get(s);
      if (!n) return undefined;
    }
    return n;
  }

  /** Creates `p` under `scope` (intermediate scopes must exist). Returns the existing node if there is one. */
  declare(p: NamePath, scope: NsNode, type: ObjTypeCode): { node: NsNode; existed: boolean } | undefined {
    const parent = this.parentFor(p, scope);
    if (!parent || p.segs.length === 0) return undefined;
    const seg = p.segs[p.segs.length - 1]!;
    const old = parent.children.get(seg);
    if (old) return { node: old, existed: true };
    const node = new NsNode(seg, parent, type);
    parent.children.set(seg, node);
    return { node, existed: false };
  }

  /**
   * iasl's NamePath optimization (ACPICA aslopt.c), for a reference or a
   * declaration written as `p` at `current`, naming `target`: the shortest
   * path that still reaches `target`, or undefined when `p` is already best.
   */
  optimize(p: NamePath, current: NsNode, target: NsNode, declaration: boolean, isScopeOp: boolean, parentIsDefinitionBlock: boolean): NamePath | undefined {
    const length = amlNameLength(p);
    if (length <= 4) return undefined;
    if (declaration) {
      if ((current === this.root || parentIsDefinitionBlock) && p.root) {
        const np: NamePath = { root: false, parents: 0, segs: p.segs };
        if (this.lookup(np, this.root, false) === target) return np;
        return undefined;
      }
    } else {
      const seg: NamePath = { root: false, parents: 0, segs: [target.name] };
      const found = this.lookup(seg, current, true);
      if (found !== undefined) {
        if (found === target) return seg;
      }
    }
    return this.shortestPath(current, target, length, declaration, isScopeOp);
  }

  private shortestPath(current: NsNode, target: NsNode, length: number, declaration: boolean, isScopeOp: boolean): NamePath | undefined {
    const cur = current.segments();
    const tgt = target.segments();
    const max = Math.min(cur.length, tgt.length);
    let common = 0;
    while (common < max && cur[common] === tgt[common]) common++;
    if (common === 0) return undefined;
    let subPath = false;
    if (common === max) {
      if (cur.length === tgt.length) return undefined;
      subPath = true;
    }
    let parents = cur.length - common;
    let from = common;
    if (declaration && subPath && cur.length > tgt.length) {
      from -= 1;
      if (isScopeOp) parents++;
    }
    if (from > tgt.length) from = tgt.length;
    const np: NamePath = { root: false, parents, segs: tgt.slice(from) };
    if (np.segs.length === 0) return undefined;
    if (amlNameLength(np) >= length) return undefined;
    if (this.lookup(np, current, false) !== target) return undefined;
    return np;
  }
}
