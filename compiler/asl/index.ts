/**
 * machc's ASL compiler: ASL 2.0 text to AML, byte for byte what ACPICA's
 * iasl produces for the same source (its integer and name-path
 * optimizations and constant folding included).
 *
 *   parse.ts       lexer + chevrotain grammar + CST visitor -> syntax tree
 *   compile.ts     declare (namespace) and emit (AML terms) passes
 *   namespace.ts   ACPI namespace, search rules, NamePath optimizer
 *   operators.ts   opcode table, constant folding
 *   resources.ts   ResourceTemplate and descriptor macros
 *
 * Loaded only by the commands that compile ASL (it pulls in chevrotain).
 */
import type { AmlTerm } from '../emit/acpi/aml.js';
import { ByteSink, fixChecksum } from '../emit/acpi/sink.js';
import type { BodyItem, Invocation, Range } from './ast.js';
import { AslCompiler } from './compile.js';
import { Namespace } from './namespace.js';
import { parseAsl } from './parse.js';
import { AslFailure, type AslProblem } from './problems.js';

export type { AslProblem, AslProblemKind } from './problems.js';
export type { Range } from './ast.js';

export interface AslTable {
  readonly signature: string;
  readonly revision: number;
  readonly oemId: string;
  readonly oemTableId: string;
  readonly oemRevision: number;
  /** The definition block's terms (printable as ASL). */
  readonly terms: readonly AmlTerm[];
  /** The complete table: header and AML, checksum set. */
  readonly bytes: Uint8Array;
  readonly range: Range;
}

export interface AslCompileOptions {
  /** Creator ID and revision written in the header (iasl writes "INTL" and its version). */
  readonly creatorId?: string;
  readonly creatorRevision?: number;
  /**
   * Shorten name paths in a DSDT as iasl does (default true; iasl -on turns
   * it off). Off, every path is written as the source spells it, which is
   * how machc's own table emitters write theirs (QEMU's style).
   */
  readonly optimizeNames?: boolean;
  /** Fold constant expressions such as `(One << 0x07)` (default true; iasl -of turns it off). */
  readonly foldConstants?: boolean;
  /** Write the literals 0, 1 and all ones as ZeroOp, OneOp, OnesOp (default true; iasl -oi turns it off). */
  readonly optimizeIntegers?: boolean;
  /**
   * Accept an External that names an object inside a method (default false:
   * iasl's error 6163). `iasl -d` writes such declarations when it guesses
   * that a name another table declares lives inside the method using it (QEMU's
   * acpi=off DSDT); iasl compiles them with -vw 6163, declaring the names
   * inside the method, and so does machc with this option.
   */
  readonly externalsInMethods?: boolean;
}

export interface AslResult {
  readonly tables: readonly AslTable[];
  readonly problems: readonly AslProblem[];
}

export const MACHC_CREATOR_ID = 'MCHC';
export const MACHC_CREATOR_REVISION = 1;

const SIGNATURES_WITH_AML = new Set(['DSDT', 'SSDT', 'PSDT', 'OSDT']);

interface Header {
  readonly signature: string;
  readonly revision: number;
  readonly oemId: string;
  readonly oemTableId: string;
  readonly oemRevision: number;
}

/** DefinitionBlock (AMLFileName, TableSignature, ComplianceRevision, OEMID, TableID, OEMRevision) (§19.6.28). */
function readHeader(call: Invocation): Header {
  const a = call.args ?? [];
  const fail = (message: string, range: Range = call.range): never => {
    throw new AslFailure({ kind: 'definition-block', message, range });
  };
  if (a.length !== 6) fail('DefinitionBlock takes 6 arguments: ("file.aml", "DSDT", ComplianceRevision, "OEMID", "TableID", OEMRevision)');
  const str = (i: number, what: string, max: number): string => {
    const n = a[i];
    if (n?.kind !== 'str') return fail(`${what} must be a string`, n?.range);
    if (n.value.length > max) fail(`${what} '${n.value}' is longer than ${max} characters`, n.range);
    return n.value;
  };
  const int = (i: number, what: string, max: bigint): number => {
    const n = a[i];
    if (n?.kind !== 'int') return fail(`${what} must be an integer`, n?.range);
    if (n.value > max) fail(`${what} is larger than 0x${max.toString(16).toUpperCase()}`, n.range);
    return Number(n.value);
  };
  str(0, 'the AML file name', 1024);
  const signature = str(1, 'the table signature', 4);
  if (!SIGNATURES_WITH_AML.has(signature)) fail(`'${signature}' is not a table that holds AML (DSDT, SSDT, PSDT, OSDT)`, a[1]?.range);
  return {
    signature,
    revision: int(2, 'the compliance revision', 0xffn),
    oemId: str(3, 'the OEM ID', 6),
    oemTableId: str(4, 'the OEM table ID', 8),
    oemRevision: int(5, 'the OEM revision', 0xffff_ffffn),
  };
}

/** The ACPI table header (§5.2.6) and the AML, checksum set. */
export function tableBytes(h: Header, aml: Uint8Array, options: AslCompileOptions = {}): Uint8Array {
  const out = new ByteSink(36 + aml.length);
  out.ascii(h.signature, 4).u32(36 + aml.length).u8(h.revision).u8(0).ascii(h.oemId, 6).ascii(h.oemTableId, 8).u32(h.oemRevision);
  out.ascii(options.creatorId ?? MACHC_CREATOR_ID, 4).u32(options.creatorRevision ?? MACHC_CREATOR_REVISION);
  out.bytes(aml);
  const bytes = out.toBytes();
  fixChecksum(bytes, 9);
  return bytes;
}

/** Compiles ASL source holding one or more DefinitionBlocks. */
export function compileAsl(text: string, file: string, options: AslCompileOptions = {}): AslResult {
  const parsed = parseAsl(text);
  if (!parsed.ok) return { tables: [], problems: [{ kind: 'syntax', message: parsed.error.message, range: parsed.error.range }] };
  const problems: AslProblem[] = [];
  const tables: AslTable[] = [];
  const blocks: Invocation[] = [];
  for (const item of parsed.items) {
    if (item.kind === 'call' && item.name === 'DefinitionBlock') blocks.push(item);
    else if (item.kind !== 'comma') problems.push({ kind: 'definition-block', message: 'ASL outside a DefinitionBlock', range: item.range });
  }
  if (blocks.length === 0 && problems.length === 0) problems.push({ kind: 'definition-block', message: 'no DefinitionBlock in the file', range: { start: 0, end: 0 } });
  for (const block of blocks) {
    let header: Header;
    try {
      header = readHeader(block);
    } catch (e) {
      if (e instanceof AslFailure) {
        problems.push(e.problem);
        continue;
      }
      throw e;
    }
    const c = new AslCompiler({
      revision: header.revision,
      optimizeNames: header.signature === 'DSDT' && options.optimizeNames !== false,
      foldConstants: options.foldConstants,
      optimizeIntegers: options.optimizeIntegers,
      externalsInMethods: options.externalsInMethods,
    });
    const body = block.body ?? [];
    c.declareTerms(body, c.ns.root, file);
    const terms = c.terms(body, { scope: c.ns.root, topLevel: true });
    const all = [...c.externalBlock(), ...terms];
    problems.push(...c.problems);
    const out = new ByteSink(4096);
    for (const t of all) t.toAml(out);
    tables.push({ ...header, terms: all, bytes: tableBytes(header, out.toBytes(), options), range: block.range });
  }
  return { tables, problems };
}

/**
 * Compiles a term list into an existing namespace (a device's `asl:` body in
 * the DSDT, or an SSDT body): declarations go under `scopePath`.
 */
export function compileTerms(items: readonly BodyItem[], ns: Namespace, scopePath: string, file: string, settings: { revision: number; optimizeNames: boolean }): { terms: AmlTerm[]; problems: AslProblem[] } {
  const c = new AslCompiler(settings, ns);
  const scope = ns.lookup({ root: true, parents: 0, segs: scopePath === '\\' ? [] : scopePath.replace(/^\\/, '').split('.').map((s) => s.padEnd(4, '_')) }, ns.root, false) ?? ns.root;
  c.declareTerms(items, scope, file);
  const terms = c.terms(items, { scope, topLevel: scope === ns.root });
  return { terms: [...c.externalBlock(), ...terms], problems: c.problems };
}

export { Namespace } from './namespace.js';
export { parseAsl } from './parse.js';
