/**
 * The ASL compiler proper: two walks over the syntax tree, the way ACPICA's
 * iasl works.
 *
 * 1. declare: every named object (Scope, Device, Method, Name, fields,
 *    CreateXxxField, resource descriptor tags, External ...) enters the
 *    namespace, so references may point forward.
 * 2. emit: every term becomes an AML term value (compiler/emit/acpi/), with
 *    names resolved by the interpreter's search rules, argument counts and
 *    object types checked, constant expressions folded and, in a DSDT, name
 *    paths shortened, all as iasl does, so the bytes equal iasl's.
 *
 * Problems are collected (AslProblem) and the walk goes on with the next term.
 */
import { Arg, Debug, EisaId, Local, NameRef, Str, Uuid, encodePkgLengthValue, type AmlTerm } from '../emit/acpi/aml.js';
import { IntConst, OpTerm, Raw, rawLe, Seq } from '../emit/acpi/aml-ops.js';
import { ByteSink } from '../emit/acpi/sink.js';
import type { AslNode, BodyItem, Invocation, Range } from './ast.js';
import { TYPE_NAMES, badDeviceId, literalType, mustBeMethod, predefined, type PredefinedType } from './predefined.js';
import { Namespace, NsNode, ObjType, formatNamePath, parseNamePath, type NamePath, type ObjTypeCode } from './namespace.js';
import { keyword } from './keywords.js';
import { BINARY_KEYWORD, COMPOUND_KEYWORD, OPERATORS, TARGET_ASSIGNABLE, fold, matchOp, type OperatorSpec } from './operators.js';
import { AslFailure, type AslProblem, type AslProblemKind } from './problems.js';
import { resourceTemplate, scanResourceTags } from './resources.js';

export interface CompileSettings {
  /** ACPI table revision: below 2, integers are 32 bits (Ones is 0xFFFFFFFF). */
  readonly revision: number;
  /** iasl shortens name paths in a DSDT only. */
  readonly optimizeNames: boolean;
  /** Fold constant expressions (default true; iasl -of turns it off). */
  readonly foldConstants?: boolean;
  /** Write the integers 0, 1 and Ones as ZeroOp, OneOp, OnesOp (default true; iasl -oi turns it off). */
  readonly optimizeIntegers?: boolean;
  /** Accept External names inside a method (default false; iasl's error 6163, which -vw 6163 ignores). */
  readonly externalsInMethods?: boolean;
}

interface MethodState {
  readonly node: NsNode;
  readonly argCount: number;
  readonly localSet: boolean[];
  readonly argSet: boolean[];
  /** Switch temporaries (`Name (_T_n, ...)`) to put at the start of the method body. */
  readonly temps: AmlTerm[];
  serializedBySwitch: boolean;
  /** Switch temporaries are numbered per method: _T_0, _T_1 ... */
  switchCount: number;
}

interface Ctx {
  /** Where names are declared and searched from (a Method's own node inside it). */
  readonly scope: NsNode;
  readonly method?: MethodState;
  /** The term list is the DefinitionBlock's own (iasl drops a redundant `\` there). */
  readonly topLevel: boolean;
}

const OBJECT_TYPES: Readonly<Record<string, ObjTypeCode>> = {
  UnknownObj: ObjType.Any, IntObj: ObjType.Integer, StrObj: ObjType.String, BuffObj: ObjType.Buffer, PkgObj: ObjType.Package,
  FieldUnitObj: ObjType.FieldUnit, DeviceObj: ObjType.Device, EventObj: ObjType.Event, MethodObj: ObjType.Method,
  MutexObj: ObjType.Mutex, OpRegionObj: ObjType.OpRegion, PowerResObj: ObjType.PowerRes, ProcessorObj: ObjType.Processor,
  ThermalZoneObj: ObjType.ThermalZone, BuffFieldObj: ObjType.BufferField, DDBHandleObj: ObjType.DdbHandle,
};

const REGION_SPACES: Readonly<Record<string, number>> = {
  SystemMemory: 0, SystemIO: 1, PCI_Config: 2, EmbeddedControl: 3, SMBus: 4, SystemCMOS: 5, PciBarTarget: 6, IPMI: 7,
  GeneralPurposeIo: 8, GenericSerialBus: 9, PCC: 0x0a, FFixedHW: 0x7f,
};
const ACCESS_TYPES: Readonly<Record<string, number>> = { AnyAcc: 0, ByteAcc: 1, WordAcc: 2, DWordAcc: 3, QWordAcc: 4, BufferAcc: 5 };
const LOCK_RULES: Readonly<Record<string, number>> = { NoLock: 0, Lock: 1 };
const UPDATE_RULES: Readonly<Record<string, number>> = { Preserve: 0, WriteAsOnes: 1, WriteAsZeros: 2 };
const ACCESS_ATTRIBUTES: Readonly<Record<string, number>> = {
  AttribQuick: 0x02, AttribSendReceive: 0x04, AttribByte: 0x06, AttribWord: 0x08, AttribBlock: 0x0a,
  AttribProcessCall: 0x0c, AttribBlockProcessCall: 0x0d,
};

const CREATE_FIELDS: Readonly<Record<string, readonly [number[], 'bit' | 'byte']>> = {
  CreateBitField: [[0x8d], 'bit'], CreateByteField: [[0x8c], 'byte'], CreateWordField: [[0x8b], 'byte'],
  CreateDWordField: [[0x8a], 'byte'], CreateQWordField: [[0x8f], 'byte'], CreateField: [[0x5b, 0x13], 'bit'],
};

const NULL_NAME = new Raw([0x00], '');

export class AslCompiler {
  readonly ns: Namespace;
  readonly problems: AslProblem[] = [];
  private ones: bigint;
  private optimizeNames: boolean;
  private foldConstants: boolean;
  private optimizeIntegers: boolean;
  readonly externalsInMethods: boolean;
  /** External declarations met in pass 2, in order. */
  readonly externals: { path: NamePath; node: NsNode; range: Range }[] = [];
  /** Argument counts of external methods, from their first call. */
  readonly externalCalls = new Map<NsNode, number>();

  constructor(settings: CompileSettings, ns: Namespace = new Namespace()) {
    this.ns = ns;
    this.ones = settings.revision < 2 ? 0xffff_ffffn : 0xffff_ffff_ffff_ffffn;
    this.optimizeNames = settings.optimizeNames;
    this.foldConstants = settings.foldConstants !== false;
    this.optimizeIntegers = settings.optimizeIntegers !== false;
    this.externalsInMethods = settings.externalsInMethods === true;
  }

  // ---- problems -----------------------------------------------------------------------

  private fail(kind: AslProblemKind, message: string, range: Range, related?: AslProblem['related']): never {
    throw new AslFailure({ kind, message, range, ...(related ? { related } : {}) });
  }

  private report(kind: AslProblemKind, message: string, range: Range): void {
    this.problems.push({ kind, message, range });
  }

  private guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof AslFailure) {
        this.problems.push(e.problem);
        return undefined;
      }
      throw e;
    }
  }

  // ---- predefined names (predefined.ts) -----------------------------------------------------

  /** `Name (_XXX, value)`: iasl's errors 6103 (the name must be a method) and 6105 (the value's type). */
  checkPredefinedName(seg: string, value: AmlTerm, nameRange: Range, valueRange: Range): void {
    const p = predefined(seg);
    if (!p) return;
    const method = mustBeMethod(p);
    if (method) {
      this.report('type', `${seg} is a predefined name that must be a method (${method}), not a named object`, nameRange);
      return;
    }
    if (!p.types) return;
    const t = literalType(value);
    if (t === undefined || !p.types.includes(t)) this.report('type', predefinedTypeMessage(seg, p.types, t), valueRange);
  }

  /** `Name (_HID, "...")`, `Name (_CID, "...")` and the strings of a _CID package (badDeviceId). */
  checkDeviceId(seg: '_HID' | '_CID', value: AslNode): void {
    const v = value.kind === 'paren' ? value.inner : value;
    const strings = v.kind === 'str' ? [v] : seg === '_CID' && v.kind === 'call' && v.name === 'Package' ? (v.body ?? []).filter((x) => x.kind === 'str') : [];
    for (const s of strings) {
      const bad = badDeviceId(seg, s.value);
      if (bad) this.report('invalid-value', bad, s.range);
    }
  }

  /** `Return (value)` inside method _XXX: a literal of a type the predefined name does not have is iasl's error 6105. */
  checkPredefinedReturn(seg: string, value: AmlTerm, range: Range): void {
    const p = predefined(seg);
    if (!p?.types || p.types.length === 0) return;
    const t = literalType(value);
    if (t !== undefined && t !== 'R' && !p.types.includes(t)) this.report('type', predefinedTypeMessage(seg, p.types, t), range);
  }

  // ---- small readers ---------------------------------------------------------------------

  private path(node: AslNode | undefined, range: Range, what = 'a name'): NamePath {
    const n = node?.kind === 'paren' ? node.inner : node;
    if (n?.kind === 'str') {
      const p = parseNamePath(n.value);
      if (p) return p;
    }
    if (n?.kind !== 'call' || n.args !== undefined || n.body !== undefined) this.fail('syntax', `expected ${what}`, n?.range ?? range);
    if (keyword(n.name)) this.fail('invalid-value', `'${n.name}' is an ASL keyword, not a name`, n.nameRange);
    const p = parseNamePath(n.name);
    if (!p) this.fail('invalid-value', `'${n.name}' is not a valid ACPI name (1-4 characters A-Z, 0-9, _ per segment, not starting with a digit)`, n.nameRange);
    return p;
  }

  /** A keyword argument (`ByteAcc`, `Serialized`); `fallback` when left out. */
  private keyword<T>(node: AslNode | undefined, table: Readonly<Record<string, T>>, what: string, range: Range, fallback?: T): T {
    if (node === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('argument-count', `missing ${what}`, range);
    }
    if (node.kind === 'call' && node.args === undefined && Object.hasOwn(table, node.name)) return table[node.name]!;
    this.fail('invalid-value', `expected ${what} (${Object.keys(table).join(', ')})`, node.range);
  }

  /** A constant integer expression (folded). */
  private constant(node: AslNode | undefined, ctx: Ctx, what: string, range: Range, fallback?: bigint): bigint {
    if (node === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('argument-count', `missing ${what}`, range);
    }
    const t = this.expr(node, ctx);
    if (t instanceof IntConst) return t.value;
    this.fail('type', `${what} must be a constant integer`, node.range);
  }

  private constantIn(node: AslNode | undefined, ctx: Ctx, what: string, range: Range, max: bigint, fallback?: bigint): number {
    const v = this.constant(node, ctx, what, range, fallback);
    if (v > max) this.fail('invalid-value', `${what} is ${v}; it must be at most ${max}`, node?.range ?? range);
    return Number(v);
  }

  private args(call: Invocation, min: number, max: number, usage: string): readonly (AslNode | undefined)[] {
    const a = call.args ?? [];
    if (a.length > max || a.filter((x, i) => i < min && x === undefined).length > 0 || a.length < min) {
      this.fail('argument-count', `${call.name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}: ${usage}`, call.range);
    }
    return a;
  }

  private stringArg(node: AslNode | undefined, what: string, range: Range): string {
    if (node?.kind !== 'str') this.fail('type', `${what} must be a string`, node?.range ?? range);
    return node.value;
  }

  // ---- pass 1: declarations ------------------------------------------------------------------

  /** Declares the names in a term list (pass 1). */
  declareTerms(items: readonly BodyItem[], scope: NsNode, file: string): void {
    for (const item of items) {
      if (item.kind === 'call') this.guard(() => this.declareCall(item, scope, file));
      else if (item.kind !== 'comma') this.scanTags(item, scope, file);
    }
  }

  private declareName(p: NamePath, scope: NsNode, type: ObjTypeCode, at: Range, file: string, kind: string): NsNode {
    const parent = this.ns.parentFor(p, scope);
    if (!parent) this.fail('undefined-name', `the scope of '${formatNamePath(p)}' does not exist`, at);
    const r = this.ns.declare(p, scope, type)!;
    if (r.existed) {
      const old = r.node;
      if (old.external) {
        old.external = false;
        old.type = type;
      } else if (!(type === ObjType.Device && old.type === ObjType.Scope && old.declaredAt === undefined)) {
        this.fail('duplicate-name', `${kind} ${old.aslPath()} is already declared${old.declaredAt ? '' : ' (predefined)'}`, at,
          old.declaredAt && old.declaredAt.file === file ? { message: 'first declared here', range: old.declaredAt.range } : undefined);
      } else old.type = type;
    }
    r.node.declaredAt = { file, range: at };
    return r.node;
  }

  private declareCall(call: Invocation, scope: NsNode, file: string): void {
    const a = call.args ?? [];
    const at = (n: AslNode | undefined): Range => n?.range ?? call.range;
    switch (call.name) {
      case 'DefinitionBlock':
        return;
      case 'Scope': {
        const p = this.path(a[0], call.range);
        const node = this.ns.lookup(p, scope);
        if (!node) return; // reported by the emit pass
        this.declareTerms(call.body ?? [], node, file);
        return;
      }
      case 'Device': case 'Processor': case 'PowerResource': case 'ThermalZone': case 'Method': {
        const type = { Device: ObjType.Device, Processor: ObjType.Processor, PowerResource: ObjType.PowerRes, ThermalZone: ObjType.ThermalZone, Method: ObjType.Method }[call.name];
        const node = this.declareName(this.path(a[0], call.range), scope, type, at(a[0]), file, call.name);
        if (call.name === 'Method') {
          const n = a[1];
          node.argCount = n?.kind === 'int' && n.value <= 7n ? Number(n.value) : 0;
        }
        this.declareTerms(call.body ?? [], node, file);
        return;
      }
      case 'Name': {
        const v = a[1]?.kind === 'call' ? a[1].name : a[1]?.kind;
        const type = v === 'str' ? ObjType.String : v === 'Package' ? ObjType.Package : v === 'Buffer' || v === 'ResourceTemplate' || v === 'ToUUID' || v === 'Unicode' ? ObjType.Buffer : ObjType.Integer;
        this.declareName(this.path(a[0], call.range), scope, type, at(a[0]), file, 'Name');
        if (a[1]) this.scanTags(a[1], scope, file);
        return;
      }
      case 'Alias':
        this.declareName(this.path(a[1], call.range), scope, ObjType.Alias, at(a[1]), file, 'Alias');
        return;
      case 'Mutex': case 'Event': case 'OperationRegion': case 'DataTableRegion': {
        const type = { Mutex: ObjType.Mutex, Event: ObjType.Event, OperationRegion: ObjType.OpRegion, DataTableRegion: ObjType.OpRegion }[call.name];
        this.declareName(this.path(a[0], call.range), scope, type, at(a[0]), file, call.name);
        return;
      }
      case 'Field': case 'IndexField': case 'BankField':
        for (const item of call.body ?? []) {
          if (item.kind === 'call' && item.args === undefined && item.body === undefined) {
            this.guard(() => this.declareName(this.path(item, item.range), scope, ObjType.FieldUnit, item.range, file, 'field'));
          }
        }
        return;
      case 'External': {
        const p = this.path(a[0], call.range);
        const type = a[1] ? this.keyword(a[1], OBJECT_TYPES, 'an object type', call.range) : ObjType.Any;
        let parent: NsNode = p.root ? this.ns.root : scope;
        for (let i = 0; i < p.parents; i++) parent = parent.parent ?? parent;
        for (const s of p.segs.slice(0, -1)) {
          let next = parent.children.get(s);
          if (next?.type === ObjType.Method && !this.externalsInMethods) this.fail('type', externalInMethod(p, next), at(a[0]));
          if (!next) {
            next = new NsNode(s, parent, ObjType.Scope);
            next.external = true;
            parent.children.set(s, next);
          }
          parent = next;
        }
        const seg = p.segs[p.segs.length - 1]!;
        let node = parent.children.get(seg);
        if (!node) {
          node = new NsNode(seg, parent, type);
          node.external = true;
          node.declaredAt = { file, range: at(a[0]) };
          parent.children.set(seg, node);
        } else if (node.external && node.type === ObjType.Scope) node.type = type;
        if (type === ObjType.Method && a[2]?.kind === 'int') node.argCount = Number(a[2].value);
        return;
      }
      case 'If': case 'Else': case 'ElseIf': case 'While': case 'Switch': case 'Case': case 'Default':
        for (const x of a) if (x) this.scanTags(x, scope, file);
        this.declareTerms(call.body ?? [], scope, file);
        return;
      default: {
        const create = CREATE_FIELDS[call.name];
        if (create) {
          const nameArg = a[call.name === 'CreateField' ? 3 : 2];
          this.declareName(this.path(nameArg, call.range), scope, ObjType.BufferField, at(nameArg), file, call.name);
          return;
        }
        this.scanTags(call, scope, file);
      }
    }
  }

  /** Declares the tags of any ResourceTemplate inside an expression (in the current scope, as iasl does). */
  private scanTags(node: AslNode, scope: NsNode, file: string): void {
    scanResourceTags(node, (tag, fields, range) => {
      const p = parseNamePath(tag);
      if (!p || p.segs.length !== 1) {
        this.report('invalid-value', `'${tag}' is not a valid descriptor name`, range);
        return;
      }
      this.guard(() => {
        const t = this.declareName(p, scope, ObjType.ResourceTag, range, file, 'resource descriptor');
        for (const f of fields) {
          const fn = new NsNode(f.name, t, ObjType.ResourceField);
          fn.resource = { bitOffset: f.bitOffset, bitLength: f.bitLength };
          t.children.set(f.name, fn);
        }
      });
    });
  }

  // ---- names in pass 2 -----------------------------------------------------------------------

  /** The NameString to write for `p` naming `target`, shortened the way iasl does in a DSDT. */
  private nameTerm(p: NamePath, target: NsNode | undefined, ctx: Ctx, declaration: boolean, isScopeOp = false): NameRef {
    let out = p;
    if (this.optimizeNames && target) {
      out = this.ns.optimize(p, ctx.scope, target, declaration, isScopeOp, ctx.topLevel) ?? p;
    }
    return new NameRef(formatNamePath(out));
  }

  private resolve(p: NamePath, ctx: Ctx, range: Range): NsNode {
    const node = this.ns.lookup(p, ctx.scope);
    if (node) return node;
    const where = ctx.scope === this.ns.root ? 'the root scope' : ctx.scope.aslPath();
    this.report('undefined-name', `'${formatNamePath(p)}' is not declared (searched from ${where})`, range);
    // Go on with a stand-in so the rest of the term is still checked.
    const standIn = new NsNode(p.segs[p.segs.length - 1] ?? '____', undefined, ObjType.Any);
    standIn.external = true;
    return standIn;
  }

  /** A declaration's own node (made in pass 1). */
  private declared(p: NamePath, ctx: Ctx, range: Range): NsNode {
    const node = this.ns.lookup(p, ctx.scope, false);
    if (!node) this.fail('undefined-name', `'${formatNamePath(p)}' could not be declared`, range);
    return node;
  }

  // ---- pass 2: terms ----------------------------------------------------------------------------

  /** Emits a term list; ElseIf/Else chains attach to the If before them. */
  terms(items: readonly BodyItem[], ctx: Ctx): AmlTerm[] {
    const out: AmlTerm[] = [];
    const list = items.filter((i): i is AslNode => i.kind !== 'comma');
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      if (item.kind === 'call' && (item.name === 'Else' || item.name === 'ElseIf')) {
        if (i === 0 || !isCall(list[i - 1]!, 'If', 'ElseIf')) {
          this.report('syntax', `${item.name} must follow an If`, item.nameRange);
          continue;
        }
        let end = i;
        while (end < list.length && isCall(list[end]!, 'ElseIf')) end++;
        if (end < list.length && isCall(list[end]!, 'Else')) end++;
        const chain = list.slice(i, end) as Invocation[];
        const t = this.guard(() => this.elseChain(chain, ctx));
        if (t) out.push(t);
        i = end - 1;
        continue;
      }
      const t = this.guard(() => this.statement(item, ctx));
      if (t) out.push(t);
    }
    return out;
  }

  private elseChain(chain: readonly Invocation[], ctx: Ctx): AmlTerm {
    const [first, ...rest] = chain;
    if (first!.name === 'Else') {
      if (first!.args !== undefined && first!.args.length > 0) this.fail('argument-count', 'Else takes no arguments', first!.range);
      const body = this.terms(first!.body ?? [], ctx);
      return new OpTerm([0xa1], body, true, { keyword: 'Else', args: null, body });
    }
    const a = this.args(first!, 1, 1, 'ElseIf (Predicate) { ... }');
    const pred = this.expr(a[0]!, ctx);
    const body = this.terms(first!.body ?? [], ctx);
    const inner: AmlTerm[] = [new OpTerm([0xa0], [pred, ...body], true, { keyword: 'If', args: [pred], body })];
    if (rest.length > 0) inner.push(this.elseChain(rest, ctx));
    return new OpTerm([0xa1], inner, true, { keyword: 'Else', args: null, body: inner });
  }

  /** One term of a term list. */
  statement(node: AslNode, ctx: Ctx): AmlTerm {
    switch (node.kind) {
      case 'assign':
        return this.assignment(node.op, node.target, node.value, ctx, node.range);
      case 'postfix':
        return this.operator(OPERATORS.get(node.op === '++' ? 'Increment' : 'Decrement')!, [node.operand], ctx, node.range);
      case 'call':
        return this.call(node, ctx, true);
      default:
        return this.expr(node, ctx);
    }
  }

  private assignment(op: string, target: AslNode, value: AslNode, ctx: Ctx, range: Range): AmlTerm {
    if (op !== '=') {
      const keyword = COMPOUND_KEYWORD[op]!;
      const spec = OPERATORS.get(keyword)!;
      const operands: (AslNode | undefined)[] = [target, value];
      while (operands.length < spec.operands.length - 1) operands.push(undefined);
      operands.push(target);
      return this.operator(spec, operands, ctx, range);
    }
    const v = strip(value);
    // X = Op (...) writes into Op's own target when it has a free one (iasl's TrCreateAssignmentOp).
    let keyword: string | undefined;
    let operands: (AslNode | undefined)[] | undefined;
    if (v.kind === 'binary') {
      keyword = BINARY_KEYWORD[v.op];
      operands = [v.left, v.right];
    } else if (v.kind === 'unary' && v.op === '~') {
      keyword = 'Not';
      operands = [v.operand];
    } else if (v.kind === 'index') {
      keyword = 'Index';
      operands = [v.source, v.index];
    } else if (v.kind === 'call' && v.args !== undefined && OPERATORS.has(v.name)) {
      keyword = v.name;
      operands = [...v.args];
    }
    if (keyword && operands && TARGET_ASSIGNABLE.has(keyword)) {
      const spec = OPERATORS.get(keyword)!;
      const targetIndex = spec.operands.lastIndexOf('O');
      if (operands.length <= targetIndex || operands[targetIndex] === undefined) {
        const withTarget = [...operands];
        while (withTarget.length < targetIndex) withTarget.push(undefined);
        withTarget[targetIndex] = target;
        return this.operator(spec, withTarget, ctx, range);
      }
    }
    return this.operator(OPERATORS.get('Store')!, [value, target], ctx, range);
  }

  /** A TermArg. */
  expr(node: AslNode, ctx: Ctx): AmlTerm {
    switch (node.kind) {
      case 'int':
        if (node.value > this.ones) this.report('invalid-value', `${node.value.toString(16)} does not fit in the table's 32-bit integers (DefinitionBlock revision below 2)`, node.range);
        return new IntConst(node.value & this.ones, this.ones, this.optimizeIntegers);
      case 'str':
        return this.string(node.value, node.range);
      case 'paren':
        return this.expr(node.inner, ctx);
      case 'binary':
        return this.operator(OPERATORS.get(BINARY_KEYWORD[node.op]!)!, [node.left, node.right], ctx, node.range);
      case 'unary':
        return this.operator(OPERATORS.get(node.op === '!' ? 'LNot' : 'Not')!, [node.operand], ctx, node.range);
      case 'index':
        return this.operator(OPERATORS.get('Index')!, [node.source, node.index], ctx, node.range);
      case 'postfix':
      case 'assign':
        return this.statement(node, ctx);
      case 'call':
        return this.call(node, ctx, false);
    }
  }

  private string(value: string, range: Range): AmlTerm {
    if (/[^\x01-\x7f]/.test(value)) this.fail('invalid-value', 'strings hold ASCII characters 0x01-0x7F', range);
    return new Str(value);
  }

  private local(name: string): { kind: 'local' | 'arg'; n: number } | undefined {
    const m = /^(Local|Arg)([0-9])$/.exec(name);
    if (!m) return undefined;
    const n = Number(m[2]);
    if (m[1] === 'Local' ? n > 7 : n > 6) return undefined;
    return { kind: m[1] === 'Local' ? 'local' : 'arg', n };
  }

  /** LocalX/ArgX with iasl's checks: read before any write, or an argument the method does not take. */
  private localTerm(l: { kind: 'local' | 'arg'; n: number }, mode: 'read' | 'write', ctx: Ctx, range: Range): AmlTerm {
    const m = ctx.method;
    if (!m) this.fail('type', `${l.kind === 'local' ? 'Local' : 'Arg'}${l.n} can only be used inside a method`, range);
    if (l.kind === 'local') {
      if (mode === 'write') m.localSet[l.n] = true;
      else if (!m.localSet[l.n]) {
        this.report('uninitialized', `Local${l.n} is used before anything is stored in it`, range);
        m.localSet[l.n] = true;
      }
      return new Local(l.n);
    }
    if (mode === 'write') m.argSet[l.n] = true;
    else if (l.n >= m.argCount && !m.argSet[l.n]) {
      this.report('uninitialized', `Arg${l.n} is not an argument of ${m.node.aslPath()} (it takes ${m.argCount})`, range);
      m.argSet[l.n] = true;
    }
    return new Arg(l.n);
  }

  /** A SuperName or Target operand. */
  private superName(node: AslNode, ctx: Ctx, mode: 'read' | 'write'): AmlTerm {
    const n = strip(node);
    if (n.kind === 'call' && n.args === undefined && n.body === undefined) {
      const l = this.local(n.name);
      if (l) return this.localTerm(l, mode, ctx, n.range);
      if (n.name === 'Debug') return Debug;
      const p = this.path(n, n.range);
      const target = this.resolve(p, ctx, n.nameRange);
      return this.nameTerm(p, target, ctx, false);
    }
    if (n.kind === 'index' || (n.kind === 'call' && ['DerefOf', 'RefOf', 'Index'].includes(n.name))) return this.expr(n, ctx);
    if (n.kind === 'call' && n.args !== undefined && !OPERATORS.has(n.name) && !BUILTIN.has(n.name)) return this.call(n, ctx, false);
    this.fail('type', 'expected a name, LocalX, ArgX, Debug, or a reference (Index, DerefOf, RefOf)', n.range);
  }

  /** An operator of the table (operators.ts), with iasl's constant folding. */
  private operator(spec: OperatorSpec, operands: readonly (AslNode | undefined)[], ctx: Ctx, range: Range): AmlTerm {
    if (operands.length > spec.operands.length) {
      this.fail('argument-count', `${spec.keyword} takes at most ${spec.operands.length} argument${spec.operands.length === 1 ? '' : 's'}, found ${operands.length}`, range);
    }
    const parts: AmlTerm[] = [];
    const asl: (AmlTerm | string | undefined)[] = [];
    let allConstant = true;
    const values: bigint[] = [];
    let hasTarget = false;
    let targetTerm: AmlTerm | undefined;
    spec.operands.forEach((kind, i) => {
      const node = operands[i];
      if (node === undefined && i < spec.required) this.fail('argument-count', `${spec.keyword}: argument ${i + 1} is missing`, range);
      let term: AmlTerm;
      switch (kind) {
        case 'T': {
          const d = spec.defaults?.[i];
          term = node ? this.expr(node, ctx) : d === 'Ones' ? new IntConst(this.ones, this.ones) : new IntConst(0n, this.ones);
          if (node && ctx.method && spec.keyword === 'Return') this.checkPredefinedReturn(ctx.method.node.name, term, node.range);
          if (term instanceof IntConst) values.push(term.value);
          else allConstant = false;
          asl.push(node ? term : undefined);
          break;
        }
        case 'S': {
          const write = spec.keyword === 'Store' || spec.keyword === 'CopyObject' || spec.keyword === 'RefOf' || spec.keyword === 'CondRefOf';
          term = this.superName(node!, ctx, write ? 'write' : 'read');
          allConstant = false;
          asl.push(term);
          break;
        }
        case 'O':
          if (node) {
            term = this.superName(node, ctx, 'write');
            hasTarget = true;
            if (i === spec.operands.lastIndexOf('O')) targetTerm = term;
            else if (spec.keyword === 'Divide') allConstant = false; // a remainder target keeps Divide as it is
          } else term = NULL_NAME;
          asl.push(node ? term : undefined);
          break;
        case 'N': {
          const p = this.path(node, range);
          term = this.nameTerm(p, this.resolve(p, ctx, node!.range), ctx, false);
          allConstant = false;
          asl.push(term);
          break;
        }
        case 'B': case 'W': case 'D': {
          const bytes = kind === 'B' ? 1 : kind === 'W' ? 2 : 4;
          const v = this.constantIn(node, ctx, `${spec.keyword} argument ${i + 1}`, range, (1n << BigInt(8 * bytes)) - 1n);
          term = rawLe(v, bytes);
          asl.push(term);
          break;
        }
        case 'M': {
          const m = node?.kind === 'call' && node.args === undefined ? matchOp(node.name) : undefined;
          if (m === undefined) this.fail('invalid-value', 'expected a match operator (MTR, MEQ, MLE, MLT, MGE, MGT)', node?.range ?? range);
          term = rawLe(m, 1, (node as Invocation).name);
          asl.push(term);
          break;
        }
      }
      parts.push(term);
    });
    if (this.foldConstants && allConstant && spec.operands.some((k) => k === 'T')) {
      const v = fold(spec.keyword, values, this.ones);
      if (v !== undefined) {
        const c = new IntConst(v, this.ones);
        if (!hasTarget) return c;
        if (targetTerm) return new OpTerm([0x70], [c, targetTerm], false, { keyword: 'Store', args: [c, targetTerm] });
      }
    }
    return new OpTerm(spec.opcode, parts, false, { keyword: spec.keyword, args: spec.operands.length === 0 && spec.keyword !== 'Timer' ? null : asl });
  }

  /** An invocation: a keyword of the language, or a name (object reference or method call). */
  private call(call: Invocation, ctx: Ctx, statement: boolean): AmlTerm {
    const handler = BUILTIN.get(call.name);
    if (handler) return handler.call(this, call, ctx);
    const spec = OPERATORS.get(call.name);
    if (spec) {
      if (call.body !== undefined) this.fail('syntax', `${call.name} has no { } body`, call.range);
      if (call.args === undefined && spec.required > 0) this.fail('argument-count', `${call.name} needs its arguments in parentheses`, call.range);
      return this.operator(spec, call.args ?? [], ctx, call.range);
    }
    if (call.body !== undefined) this.fail('syntax', `'${call.name}' is not an ASL keyword that takes a { } body`, call.nameRange);
    const l = call.args === undefined ? this.local(call.name) : undefined;
    if (l) return this.localTerm(l, 'read', ctx, call.range);
    if (call.name === 'Debug' && call.args === undefined) return Debug;
    const p = parseNamePath(call.name);
    if (!p) this.fail('invalid-value', `'${call.name}' is not a valid ACPI name`, call.nameRange);
    const target = this.resolve(p, ctx, call.nameRange);
    if (call.args === undefined) {
      const r = target.aliasOf ?? target;
      if (r.resource) return new IntConst(BigInt(r.resource.bitOffset >> 3), this.ones);
      return this.nameTerm(p, target, ctx, false);
    }
    const node = target.aliasOf ?? target;
    if (node.type !== ObjType.Method && !(node.external && node.type === ObjType.Any)) {
      this.fail('type', `${target.aslPath()} is not a method and cannot be called`, call.nameRange);
    }
    if (node.external && !this.externalCalls.has(node)) this.externalCalls.set(node, call.args.length);
    if (node.argCount !== undefined && call.args.length !== node.argCount) {
      this.fail('argument-count', `${target.aslPath()} takes ${node.argCount} argument${node.argCount === 1 ? '' : 's'}, found ${call.args.length}`, call.range);
    }
    const args = call.args.map((a, i) => {
      if (!a) this.fail('syntax', `argument ${i + 1} of ${call.name} is empty`, call.range);
      return this.expr(a, ctx);
    });
    void statement;
    const nameRef = this.nameTerm(p, target, ctx, false);
    return new OpTerm([], [nameRef, ...args], false, { keyword: nameRef.toAsl(), args });
  }

  // ---- declarations and blocks (pass 2) ---------------------------------------------------------

  /** The declared node and the NameString to write for a declaration's name argument. */
  declaration(node: AslNode | undefined, ctx: Ctx, range: Range, isScopeOp = false): { target: NsNode; name: NameRef } {
    const p = this.path(node, range);
    const target = isScopeOp ? this.resolve(p, ctx, node?.range ?? range) : this.declared(p, ctx, node?.range ?? range);
    return { target, name: this.nameTerm(p, target, ctx, true, isScopeOp) };
  }

  block(call: Invocation, scope: NsNode, ctx: Ctx, method?: MethodState): AmlTerm[] {
    return this.terms(call.body ?? [], { scope, ...(method ? { method } : ctx.method ? { method: ctx.method } : {}), topLevel: false });
  }

  newMethod(node: NsNode, argCount: number): MethodState {
    return { node, argCount, localSet: [], argSet: [], temps: [], serializedBySwitch: false, switchCount: 0 };
  }

  /** The If (Zero) block of External declarations iasl writes at the start of a table (empty when there are none). */
  externalBlock(): AmlTerm[] {
    const decls: AmlTerm[] = [];
    for (const e of this.externals) {
      const n = e.node;
      const isMethod = n.type === ObjType.Method;
      if (isMethod && !this.externalCalls.has(n)) continue;
      const count = isMethod ? (n.argCount ?? this.externalCalls.get(n) ?? 0) : 0;
      const type = n.type > 15 ? 0 : n.type;
      const name = new NameRef(n.aslPath());
      const typeName = Object.keys(OBJECT_TYPES).find((k) => OBJECT_TYPES[k] === type) ?? 'UnknownObj';
      decls.push(new OpTerm([0x15], [name, rawLe(type, 1), rawLe(count, 1)], false, { keyword: 'External', args: [name, typeName] }));
    }
    if (decls.length === 0) return [];
    const zero = this.intTerm(0n);
    return [new OpTerm([0xa0], [zero, ...decls], true, { keyword: 'If', args: [zero], body: decls })];
  }

  get onesValue(): bigint {
    return this.ones;
  }

  /** Public wrappers for the keyword handlers. */
  failAt(kind: AslProblemKind, message: string, range: Range): never {
    this.fail(kind, message, range);
  }
  argsOf(call: Invocation, min: number, max: number, usage: string): readonly (AslNode | undefined)[] {
    return this.args(call, min, max, usage);
  }
  keywordOf<T>(node: AslNode | undefined, table: Readonly<Record<string, T>>, what: string, range: Range, fallback?: T): T {
    return this.keyword(node, table, what, range, fallback);
  }
  constantOf(node: AslNode | undefined, ctx: Ctx, what: string, range: Range, max: bigint, fallback?: bigint): number {
    return this.constantIn(node, ctx, what, range, max, fallback);
  }
  intTerm(v: bigint): IntConst {
    return new IntConst(v, this.ones);
  }
  superNameOf(node: AslNode, ctx: Ctx, mode: 'read' | 'write'): AmlTerm {
    return this.superName(node, ctx, mode);
  }
  pathOf(node: AslNode | undefined, range: Range): NamePath {
    return this.path(node, range);
  }
  resolveName(p: NamePath, ctx: Ctx, range: Range): NsNode {
    return this.resolve(p, ctx, range);
  }
  refTerm(p: NamePath, target: NsNode, ctx: Ctx): NameRef {
    return this.nameTerm(p, target, ctx, false);
  }
  stringOf(node: AslNode | undefined, what: string, range: Range): string {
    return this.stringArg(node, what, range);
  }
  reportProblem(kind: AslProblemKind, message: string, range: Range): void {
    this.report(kind, message, range);
  }
}

function strip(n: AslNode): AslNode {
  return n.kind === 'paren' ? strip(n.inner) : n;
}

function isCall(n: AslNode, ...names: string[]): n is Invocation {
  return n.kind === 'call' && names.includes(n.name);
}

type Handler = (this: AslCompiler, call: Invocation, ctx: Ctx) => AmlTerm;

/** Keywords with their own shape: declarations, blocks, data objects. */
const BUILTIN = new Map<string, Handler>();

function scopeLike(opcode: number[], keyword: string): Handler {
  return function (this: AslCompiler, call, ctx) {
    const isScope = keyword === 'Scope';
    const usage = isScope ? 'Scope (Name) { ... }' : `${keyword} (Name) { ... }`;
    const a = this.argsOf(call, 1, 1, usage);
    const { target, name } = this.declaration(a[0], ctx, call.range, isScope);
    const body = this.block(call, target, ctx);
    return new OpTerm(opcode, [name, ...body], true, { keyword, args: [name], body });
  };
}

BUILTIN.set('Scope', scopeLike([0x10], 'Scope'));
BUILTIN.set('Device', scopeLike([0x5b, 0x82], 'Device'));
BUILTIN.set('ThermalZone', scopeLike([0x5b, 0x85], 'ThermalZone'));

BUILTIN.set('Processor', function (call, ctx) {
  const a = this.argsOf(call, 2, 4, 'Processor (Name, ProcessorID, PBlockAddress, PblockLength) { ... }');
  const { target, name } = this.declaration(a[0], ctx, call.range);
  const id = rawLe(this.constantOf(a[1], ctx, 'the processor ID', call.range, 0xffn), 1);
  const pblk = rawLe(this.constantOf(a[2], ctx, 'the P_BLK address', call.range, 0xffff_ffffn, 0n), 4);
  const len = rawLe(this.constantOf(a[3], ctx, 'the P_BLK length', call.range, 0xffn, 0n), 1);
  const body = this.block(call, target, ctx);
  return new OpTerm([0x5b, 0x83], [name, id, pblk, len, ...body], true, { keyword: 'Processor', args: [name, id, pblk, len], body });
});

BUILTIN.set('PowerResource', function (call, ctx) {
  const a = this.argsOf(call, 3, 3, 'PowerResource (Name, SystemLevel, ResourceOrder) { ... }');
  const { target, name } = this.declaration(a[0], ctx, call.range);
  const level = rawLe(this.constantOf(a[1], ctx, 'the system level', call.range, 0xffn), 1);
  const order = rawLe(this.constantOf(a[2], ctx, 'the resource order', call.range, 0xffffn), 2);
  const body = this.block(call, target, ctx);
  return new OpTerm([0x5b, 0x84], [name, level, order, ...body], true, { keyword: 'PowerResource', args: [name, level, order], body });
});

BUILTIN.set('Method', function (call, ctx) {
  const a = this.argsOf(call, 1, 6, 'Method (Name, NumArgs, SerializeRule, SyncLevel, ReturnType, ParameterTypes) { ... }');
  const { target, name } = this.declaration(a[0], ctx, call.range);
  const argCount = this.constantOf(a[1], ctx, 'the argument count', call.range, 7n, 0n);
  const serialized = this.keywordOf(a[2], { Serialized: true, NotSerialized: false }, 'Serialized or NotSerialized', call.range, false);
  const sync = this.constantOf(a[3], ctx, 'the sync level', call.range, 15n, 0n);
  const m = this.newMethod(target, argCount);
  const body = this.block(call, target, ctx, m);
  const all = [...m.temps, ...body];
  const isSerialized = serialized || m.serializedBySwitch;
  const flags = rawLe(argCount | (isSerialized ? 0x08 : 0) | (sync << 4), 1);
  const args: (AmlTerm | string)[] = [name, String(argCount), isSerialized ? 'Serialized' : 'NotSerialized'];
  if (sync !== 0) args.push(String(sync));
  return new OpTerm([0x14], [name, flags, ...all], true, { keyword: 'Method', args, body: all });
});

BUILTIN.set('Name', function (call, ctx) {
  const a = this.argsOf(call, 2, 2, 'Name (Name, Object)');
  const { target, name } = this.declaration(a[0], ctx, call.range);
  const value = this.expr(a[1]!, ctx);
  this.checkPredefinedName(target.name, value, a[0]!.range, a[1]!.range);
  if (target.name === '_HID' || target.name === '_CID') this.checkDeviceId(target.name, a[1]!);
  return new OpTerm([0x08], [name, value], false, { keyword: 'Name', args: [name, value] });
});

BUILTIN.set('Alias', function (call, ctx) {
  const a = this.argsOf(call, 2, 2, 'Alias (SourceObject, AliasObject)');
  const sp = this.pathOf(a[0], call.range);
  const source = this.resolveName(sp, ctx, a[0]!.range);
  const { target, name } = this.declaration(a[1], ctx, call.range);
  target.aliasOf = source.aliasOf ?? source;
  target.type = target.aliasOf.type;
  if (target.aliasOf.argCount !== undefined) target.argCount = target.aliasOf.argCount;
  const src = this.refTerm(sp, source, ctx);
  return new OpTerm([0x06], [src, name], false, { keyword: 'Alias', args: [src, name] });
});

BUILTIN.set('Mutex', function (call, ctx) {
  const a = this.argsOf(call, 1, 2, 'Mutex (Name, SyncLevel)');
  const { name } = this.declaration(a[0], ctx, call.range);
  const sync = rawLe(this.constantOf(a[1], ctx, 'the sync level', call.range, 15n, 0n), 1);
  return new OpTerm([0x5b, 0x01], [name, sync], false, { keyword: 'Mutex', args: [name, sync] });
});

BUILTIN.set('Event', function (call, ctx) {
  const a = this.argsOf(call, 1, 1, 'Event (Name)');
  const { name } = this.declaration(a[0], ctx, call.range);
  return new OpTerm([0x5b, 0x02], [name], false, { keyword: 'Event', args: [name] });
});

BUILTIN.set('OperationRegion', function (call, ctx) {
  const a = this.argsOf(call, 4, 4, 'OperationRegion (Name, RegionSpace, Offset, Length)');
  const { name } = this.declaration(a[0], ctx, call.range);
  const s = a[1];
  const space = s?.kind === 'int' ? this.constantOf(s, ctx, 'the region space', call.range, 0xffn) : this.keywordOf(s, REGION_SPACES, 'a region space', call.range);
  const spaceName = Object.entries(REGION_SPACES).find(([, v]) => v === space)?.[0] ?? `0x${space.toString(16).toUpperCase()}`;
  const offset = this.expr(a[2]!, ctx);
  const length = this.expr(a[3]!, ctx);
  const sp = rawLe(space, 1, spaceName);
  return new OpTerm([0x5b, 0x80], [name, sp, offset, length], false, { keyword: 'OperationRegion', args: [name, sp, offset, length] });
});

BUILTIN.set('DataTableRegion', function (call, ctx) {
  const a = this.argsOf(call, 4, 4, 'DataTableRegion (Name, Signature, OemId, OemTableId)');
  const { name } = this.declaration(a[0], ctx, call.range);
  const rest = [a[1], a[2], a[3]].map((x) => this.expr(x!, ctx));
  return new OpTerm([0x5b, 0x88], [name, ...rest], false, { keyword: 'DataTableRegion', args: [name, ...rest] });
});

/** Field flags byte: AccessType bits 3:0, LockRule bit 4, UpdateRule bits 6:5 (§20.2.5.2 FieldFlags). */
function fieldFlags(this: AslCompiler, a: readonly (AslNode | undefined)[], at: number, range: Range): { byte: Raw; asl: string[] } {
  const access = this.keywordOf(a[at], ACCESS_TYPES, 'an access type', range);
  const lock = this.keywordOf(a[at + 1], LOCK_RULES, 'a lock rule', range, 0);
  const update = this.keywordOf(a[at + 2], UPDATE_RULES, 'an update rule', range, 0);
  const names = [
    Object.keys(ACCESS_TYPES).find((k) => ACCESS_TYPES[k] === access)!,
    lock ? 'Lock' : 'NoLock',
    Object.keys(UPDATE_RULES).find((k) => UPDATE_RULES[k] === update)!,
  ];
  return { byte: rawLe(access | (lock << 4) | (update << 5), 1, names.join(', ')), asl: names };
}

/** The FieldList (§20.2.5.2): named and reserved units, Offset, AccessAs. */
function fieldList(this: AslCompiler, call: Invocation, ctx: Ctx): { bytes: Uint8Array; rows: string[] } {
  const out = new ByteSink(64);
  const rows: string[] = [];
  let bit = 0;
  let pending: Invocation | undefined;
  for (const item of call.body ?? []) {
    if (item.kind === 'comma') continue;
    if (item.kind === 'call' && item.name === 'Offset' && item.args !== undefined) {
      if (pending) this.failAt('syntax', `field ${pending.name} needs a width in bits`, pending.range);
      const a = this.argsOf(item, 1, 1, 'Offset (ByteOffset)');
      const off = this.constantOf(a[0], ctx, 'the offset', item.range, 0xfff_ffffn);
      const gap = off * 8 - bit;
      if (gap < 0) this.failAt('invalid-value', `Offset (0x${off.toString(16).toUpperCase()}) is behind the fields before it (bit ${bit})`, item.range);
      if (gap > 0) {
        out.u8(0x00);
        encodePkgLengthValue(out, gap);
      }
      bit = off * 8;
      rows.push(`Offset (0x${off.toString(16).toUpperCase().padStart(2, '0')})`);
      continue;
    }
    if (item.kind === 'call' && item.name === 'AccessAs' && item.args !== undefined) {
      const a = this.argsOf(item, 1, 2, 'AccessAs (AccessType, AccessAttribute)');
      const type = this.keywordOf(a[0], ACCESS_TYPES, 'an access type', item.range);
      const attrib = a[1] === undefined ? 0 : a[1].kind === 'int' ? this.constantOf(a[1], ctx, 'the access attribute', item.range, 0xffn) : this.keywordOf(a[1], ACCESS_ATTRIBUTES, 'an access attribute', item.range);
      out.u8(0x01).u8(type).u8(attrib);
      rows.push(`AccessAs (${Object.keys(ACCESS_TYPES).find((k) => ACCESS_TYPES[k] === type)}, 0x${attrib.toString(16).toUpperCase().padStart(2, '0')})`);
      continue;
    }
    if (item.kind === 'call' && item.args === undefined && item.body === undefined) {
      if (pending) this.failAt('syntax', `field ${pending.name} needs a width in bits`, pending.range);
      pending = item;
      continue;
    }
    const width = this.constantOf(item as AslNode, ctx, 'a field width', item.range, 0xfff_ffffn);
    if (pending) {
      const seg = this.pathOf(pending, pending.range).segs[0]!;
      out.ascii(seg, 4);
      rows.push(`${seg.replace(/_+$/, '') || '_'},   ${width}`);
      pending = undefined;
    } else {
      out.u8(0x00);
      rows.push(`,   ${width}`);
    }
    encodePkgLengthValue(out, width);
    bit += width;
  }
  if (pending) this.failAt('syntax', `field ${pending.name} needs a width in bits`, pending.range);
  return { bytes: out.toBytes(), rows };
}

BUILTIN.set('Field', function (call, ctx) {
  const a = this.argsOf(call, 2, 4, 'Field (RegionName, AccessType, LockRule, UpdateRule) { ... }');
  const p = this.pathOf(a[0], call.range);
  const region = this.resolveName(p, ctx, a[0]!.range);
  if (region.type !== ObjType.OpRegion && !region.external) this.failAt('type', `${region.aslPath()} is not an OperationRegion`, a[0]!.range);
  const flags = fieldFlags.call(this, a, 1, call.range);
  const list = fieldList.call(this, call, ctx);
  const name = this.refTerm(p, region, ctx);
  return new OpTerm([0x5b, 0x81], [name, flags.byte, new Raw(list.bytes, '')], true, { keyword: 'Field', args: [name, ...flags.asl], body: list.rows.map(row), elements: true });
});

BUILTIN.set('IndexField', function (call, ctx) {
  const a = this.argsOf(call, 3, 5, 'IndexField (IndexName, DataName, AccessType, LockRule, UpdateRule) { ... }');
  const names = [a[0], a[1]].map((n) => {
    const p = this.pathOf(n, call.range);
    return this.refTerm(p, this.resolveName(p, ctx, n!.range), ctx);
  });
  const flags = fieldFlags.call(this, a, 2, call.range);
  const list = fieldList.call(this, call, ctx);
  return new OpTerm([0x5b, 0x86], [...names, flags.byte, new Raw(list.bytes, '')], true, { keyword: 'IndexField', args: [...names, ...flags.asl], body: list.rows.map(row), elements: true });
});

BUILTIN.set('BankField', function (call, ctx) {
  const a = this.argsOf(call, 4, 6, 'BankField (RegionName, BankName, BankValue, AccessType, LockRule, UpdateRule) { ... }');
  const names = [a[0], a[1]].map((n) => {
    const p = this.pathOf(n, call.range);
    return this.refTerm(p, this.resolveName(p, ctx, n!.range), ctx);
  });
  const value = this.expr(a[2]!, ctx);
  const flags = fieldFlags.call(this, a, 3, call.range);
  const list = fieldList.call(this, call, ctx);
  return new OpTerm([0x5b, 0x87], [...names, value, flags.byte, new Raw(list.bytes, '')], true, { keyword: 'BankField', args: [...names, value, ...flags.asl], body: list.rows.map(row), elements: true });
});

const row = (text: string): AmlTerm => new Raw([], text);

for (const [keyword, [opcode, unit]] of Object.entries(CREATE_FIELDS)) {
  BUILTIN.set(keyword, function (call, ctx) {
    const isField = keyword === 'CreateField';
    const a = this.argsOf(call, isField ? 4 : 3, isField ? 4 : 3, isField ? 'CreateField (SourceBuffer, BitIndex, NumBits, FieldName)' : `${keyword} (SourceBuffer, ByteIndex, FieldName)`);
    const source = this.expr(a[0]!, ctx);
    const index = resourceOffset.call(this, a[1]!, ctx, unit);
    const extra = isField ? [resourceOffset.call(this, a[2]!, ctx, 'length')] : [];
    const { name } = this.declaration(a[isField ? 3 : 2], ctx, call.range);
    return new OpTerm(opcode, [source, index, ...extra, name], false, { keyword, args: [source, index, ...extra, name] });
  });
}

/** An index operand that may name a resource descriptor field (replaced by its byte or bit offset, or bit length). */
function resourceOffset(this: AslCompiler, node: AslNode, ctx: Ctx, unit: 'bit' | 'byte' | 'length'): AmlTerm {
  const n = strip(node);
  if (n.kind === 'call' && n.args === undefined && n.body === undefined && !/^(Local|Arg)[0-9]$/.test(n.name) && !BUILTIN.has(n.name)) {
    const p = parseNamePath(n.name);
    const target = p ? this.resolveName(p, ctx, n.nameRange) : undefined;
    const r = target?.resource;
    if (r) {
      const v = unit === 'bit' ? r.bitOffset : unit === 'length' ? r.bitLength : r.bitOffset >> 3;
      if (unit === 'byte' && r.bitOffset % 8 !== 0) this.failAt('type', `${target!.aslPath()} is a bit field; use CreateBitField or CreateField`, n.range);
      return this.intTerm(BigInt(v));
    }
  }
  return this.expr(node, ctx);
}

/** iasl's error 6105, in machc's words. */
function predefinedTypeMessage(seg: string, types: readonly PredefinedType[], found: PredefinedType | undefined): string {
  const want = types.map((t) => TYPE_NAMES[t]).join(' or ');
  return `${seg} is a predefined name whose value is ${/^[aeiouAEIOU]/.test(want) ? 'an' : 'a'} ${want}, not ${found ? `a ${TYPE_NAMES[found]}` : 'this expression'} (iasl's error 6105)`;
}

/**
 * iasl's error 6163: a method's names exist only while it runs, so an External
 * cannot name one (iasl -d writes such declarations when it guesses where a
 * name lives; iasl -vw 6163 and machc's externalsInMethods accept them).
 */
function externalInMethod(p: NamePath, method: NsNode): string {
  return `External (${formatNamePath(p)}) names an object inside method ${method.aslPath()}, which exists only while the method runs (iasl's error 6163)`;
}

/**
 * External (§19.6.45): the declarations are gathered, as iasl does, into one
 * `If (Zero) { External ... }` at the start of the table (ExternalOp 0x15,
 * NameString, ObjectType, ArgumentCount); a method's is kept only if the
 * table calls it.
 */
BUILTIN.set('External', function (call, ctx) {
  const a = this.argsOf(call, 1, 4, 'External (Name, ObjectType, ReturnType, ParameterTypes)');
  const p = this.pathOf(a[0], call.range);
  const node = this.ns.lookup(p, ctx.scope, false);
  for (let up = node?.parent; up && !this.externalsInMethods; up = up.parent) {
    if (up.type === ObjType.Method) this.failAt('type', externalInMethod(p, up), a[0]!.range);
  }
  if (node) this.externals.push({ path: p, node, range: call.range });
  return new Seq([]);
});

BUILTIN.set('If', function (call, ctx) {
  const a = this.argsOf(call, 1, 1, 'If (Predicate) { ... }');
  const pred = this.expr(a[0]!, ctx);
  const body = this.block(call, ctx.scope, ctx);
  return new OpTerm([0xa0], [pred, ...body], true, { keyword: 'If', args: [pred], body });
});

BUILTIN.set('While', function (call, ctx) {
  const a = this.argsOf(call, 1, 1, 'While (Predicate) { ... }');
  const pred = this.expr(a[0]!, ctx);
  const body = this.block(call, ctx.scope, ctx);
  return new OpTerm([0xa2], [pred, ...body], true, { keyword: 'While', args: [pred], body });
});

/**
 * Switch (§19.6.134), as iasl lowers it: a temporary `Name (_T_n, ...)` at
 * the start of the method (which becomes Serialized), then
 * `While (One) { Store (Value, _T_n) If (...) {...} Else {...} Break }`;
 * a Case with a Package matches any of its elements through Match.
 */
BUILTIN.set('Switch', function (call, ctx) {
  const m = ctx.method;
  if (!m) this.failAt('type', 'Switch can only be used inside a method', call.nameRange);
  const a = this.argsOf(call, 1, 1, 'Switch (Expression) { Case (...) { ... } Default { ... } }');
  const value = this.expr(a[0]!, ctx);
  const cases = (call.body ?? []).filter((i): i is Invocation => i.kind === 'call');
  for (const c of call.body ?? []) {
    if (c.kind !== 'comma' && !(c.kind === 'call' && (c.name === 'Case' || c.name === 'Default'))) this.failAt('syntax', 'a Switch body holds only Case and Default', c.range);
  }
  if (!cases.some((c) => c.name === 'Case')) this.failAt('syntax', 'Switch has no Case', call.nameRange);
  const temp = `_T_${(m.switchCount++).toString(36).toUpperCase()}`;
  const tempPath = parseNamePath(temp)!;
  const node = new NsNode(tempPath.segs[0]!, m.node, ObjType.Integer);
  if (!m.node.children.has(node.name)) m.node.children.set(node.name, node);
  const tempRef = new NameRef(temp);
  const first = cases.find((c) => c.name === 'Case')!.args?.[0];
  const initial = first?.kind === 'str' ? new Str('') : first?.kind === 'call' && first.name === 'Buffer' ? new OpTerm([0x11], [this.intTerm(0n)], true, { keyword: 'Buffer', args: ['Zero'], body: [], elements: true }) : this.intTerm(0n);
  m.temps.unshift(new OpTerm([0x08], [tempRef, initial], false, { keyword: 'Name', args: [tempRef, initial] }));
  m.serializedBySwitch = true;
  const branches: { cond?: AmlTerm; body: AmlTerm[] }[] = [];
  let fallback: AmlTerm[] | undefined;
  for (const c of cases) {
    const body = this.block(c, ctx.scope, ctx);
    if (c.name === 'Default') {
      if (fallback) this.failAt('syntax', 'Switch has two Default cases', c.nameRange);
      fallback = body;
      continue;
    }
    const ca = this.argsOf(c, 1, 1, 'Case (Value) { ... }');
    const v = strip(ca[0]!);
    let cond: AmlTerm;
    if (v.kind === 'call' && v.name === 'Package') {
      const pkg = this.expr(v, ctx);
      const match = new OpTerm([0x89], [pkg, rawLe(1, 1, 'MEQ'), tempRef, rawLe(0, 1, 'MTR'), this.intTerm(0n), this.intTerm(0n)], false, { keyword: 'Match', args: [pkg, 'MEQ', tempRef, 'MTR', 'Zero', 'Zero'] });
      const ones = this.intTerm(this.onesValue);
      cond = new OpTerm([0x92, 0x93], [match, ones], false, { keyword: 'LNotEqual', args: [match, ones] });
    } else {
      const cv = this.expr(ca[0]!, ctx);
      cond = new OpTerm([0x93], [tempRef, cv], false, { keyword: 'LEqual', args: [tempRef, cv] });
    }
    branches.push({ cond, body });
  }
  const chain = (i: number): AmlTerm[] => {
    if (i >= branches.length) return fallback ?? [];
    const b = branches[i]!;
    const ifTerm = new OpTerm([0xa0], [b.cond!, ...b.body], true, { keyword: 'If', args: [b.cond!], body: b.body });
    const rest = chain(i + 1);
    if (i + 1 >= branches.length && !fallback) return [ifTerm];
    return [ifTerm, new OpTerm([0xa1], rest, true, { keyword: 'Else', args: null, body: rest })];
  };
  const store = new OpTerm([0x70], [value, tempRef], false, { keyword: 'Store', args: [value, tempRef] });
  const brk = new OpTerm([0xa5], [], false, { keyword: 'Break', args: null });
  const body = [store, ...chain(0), brk];
  const one = this.intTerm(1n);
  return new OpTerm([0xa2], [one, ...body], true, { keyword: 'While', args: [one], body });
});

for (const k of ['Case', 'Default']) {
  BUILTIN.set(k, function (call) {
    this.failAt('syntax', `${k} must be inside a Switch`, call.nameRange);
  });
}

BUILTIN.set('Zero', function () {
  return this.intTerm(0n);
});
BUILTIN.set('One', function () {
  return this.intTerm(1n);
});
BUILTIN.set('Ones', function () {
  return this.intTerm(this.onesValue);
});
BUILTIN.set('Revision', function () {
  return new Raw([0x5b, 0x30], 'Revision');
});

BUILTIN.set('Buffer', function (call, ctx) {
  const a = this.argsOf(call, 0, 1, 'Buffer (BufferSize) { ByteList or String }');
  const bytes: number[] = [];
  const items = (call.body ?? []).filter((i): i is AslNode => i.kind !== 'comma');
  const only = items[0];
  if (items.length === 1 && only?.kind === 'str') {
    for (const ch of only.value) bytes.push(ch.charCodeAt(0) & 0xff);
    bytes.push(0);
  } else {
    for (const it of items) bytes.push(this.constantOf(it, ctx, 'a buffer byte', it.range, 0xffn));
  }
  let size: AmlTerm;
  if (a[0] === undefined) size = this.intTerm(BigInt(bytes.length));
  else {
    size = this.expr(a[0], ctx);
    if (size instanceof IntConst && size.value < BigInt(bytes.length)) size = this.intTerm(BigInt(bytes.length));
  }
  return new OpTerm([0x11], [size, new Raw(bytes, '')], true, { keyword: 'Buffer', args: [size], body: byteRows(bytes), elements: true });
});

function byteRows(bytes: readonly number[]): AmlTerm[] {
  const rows: AmlTerm[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    rows.push(row(bytes.slice(i, i + 8).map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(', ')));
  }
  return rows;
}

function packageLike(varPackage: boolean): Handler {
  return function (this: AslCompiler, call, ctx) {
    const a = this.argsOf(call, 0, 1, `${varPackage ? 'VarPackage' : 'Package'} (NumElements) { ... }`);
    const elements: AmlTerm[] = [];
    let pending = false;
    for (const item of call.body ?? []) {
      if (item.kind === 'comma') {
        if (!pending) this.failAt('syntax', 'empty package element', item.range);
        pending = false;
        continue;
      }
      if (pending) this.failAt('syntax', "expected ',' between package elements", item.range);
      pending = true;
      const n = strip(item);
      if (n.kind === 'call' && n.args === undefined && n.body === undefined && !/^(Local|Arg)[0-9]$/.test(n.name) && !BUILTIN.has(n.name)) {
        // A name in a package is a reference to the object, not its value.
        const p = this.pathOf(n, n.range);
        elements.push(this.refTerm(p, this.resolveName(p, ctx, n.nameRange), ctx));
      } else elements.push(this.expr(item, ctx));
    }
    let count: AmlTerm;
    let useVar = varPackage;
    if (a[0] === undefined) count = this.intTerm(BigInt(elements.length));
    else {
      count = this.expr(a[0], ctx);
      if (count instanceof IntConst && count.value < BigInt(elements.length)) this.failAt('invalid-value', `the package holds ${elements.length} elements, more than the ${count.value} declared`, a[0].range);
    }
    if (!(count instanceof IntConst) || count.value > 0xffn) useVar = true;
    if (useVar) return new OpTerm([0x13], [count, ...elements], true, { keyword: 'VarPackage', args: [count], body: elements, elements: true });
    const n = Number((count as IntConst).value);
    const countByte = rawLe(n, 1);
    return new OpTerm([0x12], [countByte, ...elements], true, { keyword: 'Package', args: [countByte], body: elements, elements: true });
  };
}

BUILTIN.set('Package', packageLike(false));

BUILTIN.set('ToUUID', function (call) {
  const a = this.argsOf(call, 1, 1, 'ToUUID ("aabbccdd-eeff-gghh-iijj-kkllmmnnoopp")');
  const s = this.stringOf(a[0], 'the UUID', call.range);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) this.failAt('invalid-value', `'${s}' is not a UUID (8-4-4-4-12 hex digits)`, a[0]!.range);
  return new Uuid(s);
});

BUILTIN.set('EisaId', function (call) {
  const a = this.argsOf(call, 1, 1, 'EisaId ("PNP0A03")');
  const s = this.stringOf(a[0], 'the EISA ID', call.range);
  if (!/^[A-Z]{3}[0-9A-F]{4}$/.test(s)) this.failAt('invalid-value', `'${s}' is not an EISA ID (three capital letters, four hex digits)`, a[0]!.range);
  return new EisaId(s);
});

BUILTIN.set('Unicode', function (call) {
  const a = this.argsOf(call, 1, 1, 'Unicode ("text")');
  const s = this.stringOf(a[0], 'the text', call.range);
  const bytes: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    bytes.push(c & 0xff, c >> 8);
  }
  bytes.push(0, 0);
  const size = this.intTerm(BigInt(bytes.length));
  return new OpTerm([0x11], [size, new Raw(bytes, '')], true, { keyword: 'Buffer', args: [size], body: byteRows(bytes), elements: true });
});

BUILTIN.set('ResourceTemplate', function (call, ctx) {
  return resourceTemplate(this, call, ctx);
});

export type { Ctx, MethodState };
