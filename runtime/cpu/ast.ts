/**
 * The small JavaScript AST the translator emits guest code through, and its
 * printer. Instruction semantics build these nodes (never source strings);
 * the printer turns a function body into source for `new Function`. Every
 * binary and unary expression is printed fully parenthesised, so the
 * printer needs no precedence table and cannot change meaning.
 */

export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'lit'; readonly v: boolean | undefined }
  | { readonly k: 'id'; readonly name: string; readonly int32?: boolean }
  | { readonly k: 'bin'; readonly op: BinOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'un'; readonly op: UnOp; readonly a: Expr }
  | { readonly k: 'cond'; readonly c: Expr; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'call'; readonly f: Expr; readonly args: readonly Expr[] }
  | { readonly k: 'prop'; readonly o: Expr; readonly name: string }
  | { readonly k: 'index'; readonly o: Expr; readonly i: Expr }
  | { readonly k: 'assign'; readonly op: AssignOp; readonly target: Expr; readonly value: Expr }
  | { readonly k: 'seq'; readonly list: readonly Expr[] };

export type BinOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '>>>' | '<' | '<=' | '>' | '>=' | '===' | '!==' | '&&' | '||';
export type UnOp = '-' | '~' | '!';
export type AssignOp = '=' | '+=' | '-=' | '|=' | '&=';

export type Stmt =
  | { readonly k: 'expr'; readonly e: Expr }
  | { readonly k: 'let'; readonly name: string; readonly init?: Expr; readonly mutable: boolean }
  | { readonly k: 'if'; readonly c: Expr; readonly then: readonly Stmt[]; readonly else?: readonly Stmt[] }
  | { readonly k: 'loop'; readonly label: string; readonly body: readonly Stmt[] }
  | { readonly k: 'block'; readonly label: string; readonly body: readonly Stmt[] }
  | { readonly k: 'switch'; readonly on: Expr; readonly cases: readonly { readonly v: number; readonly body: readonly Stmt[] }[]; readonly dflt?: readonly Stmt[] }
  | { readonly k: 'try'; readonly body: readonly Stmt[]; readonly param: string; readonly handler: readonly Stmt[] }
  | { readonly k: 'return'; readonly e?: Expr }
  | { readonly k: 'break'; readonly label?: string }
  | { readonly k: 'continue'; readonly label: string }
  | { readonly k: 'throw'; readonly e: Expr }
  | { readonly k: 'comment'; readonly text: string }
  /** Statements in sequence, printed in place (a slot filled once the code around it is known). */
  | { readonly k: 'group'; readonly body: readonly Stmt[] };

// ---- constructors -------------------------------------------------------

export const num = (v: number): Expr => ({ k: 'num', v });
/** `true`, `false` or `undefined`. */
export const lit = (v: boolean | undefined): Expr => ({ k: 'lit', v });
export const id = (name: string): Expr => ({ k: 'id', name });
/** A name known to hold an int32 (a register local, a temporary bound to an int32 expression). */
export const intId = (name: string): Expr => ({ k: 'id', name, int32: true });
export const bin = (op: BinOp, a: Expr, b: Expr): Expr => ({ k: 'bin', op, a, b });
export const un = (op: UnOp, a: Expr): Expr => ({ k: 'un', op, a });
export const cond = (c: Expr, a: Expr, b: Expr): Expr => ({ k: 'cond', c, a, b });
export const call = (f: Expr | string, ...args: Expr[]): Expr => ({ k: 'call', f: typeof f === 'string' ? id(f) : f, args });
export const prop = (o: Expr | string, name: string): Expr => ({ k: 'prop', o: typeof o === 'string' ? id(o) : o, name });
export const index = (o: Expr | string, i: Expr): Expr => ({ k: 'index', o: typeof o === 'string' ? id(o) : o, i });
export const assign = (target: Expr, value: Expr, op: AssignOp = '='): Expr => ({ k: 'assign', op, target, value });
/** `(a, b, ...)`: each evaluated in turn, the value the last one's. */
export const seq = (...list: Expr[]): Expr => ({ k: 'seq', list });
/** A method call `o.name(args)`. */
export const method = (o: Expr | string, name: string, ...args: Expr[]): Expr => call(prop(o, name), ...args);

export const stmt = (e: Expr): Stmt => ({ k: 'expr', e });
export const set = (target: Expr, value: Expr): Stmt => stmt(assign(target, value));
export const letv = (name: string, init?: Expr): Stmt => ({ k: 'let', name, init, mutable: true });
export const constv = (name: string, init: Expr): Stmt => ({ k: 'let', name, init, mutable: false });
export const ifs = (c: Expr, then: readonly Stmt[], els?: readonly Stmt[]): Stmt => ({ k: 'if', c, then, else: els });
export const ret = (e?: Expr): Stmt => ({ k: 'return', e });
export const throws = (e: Expr): Stmt => ({ k: 'throw', e });
export const comment = (text: string): Stmt => ({ k: 'comment', text });

// ---- arithmetic helpers that fold constants ------------------------------

const isNum = (e: Expr): e is { k: 'num'; v: number } => e.k === 'num';

/** `a op b`, folded when both sides are constants (int32 semantics for bit operators). */
export function op2(op: BinOp, a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) {
    const x = a.v;
    const y = b.v;
    switch (op) {
      case '+':
        return num(x + y);
      case '-':
        return num(x - y);
      case '*':
        return num(x * y);
      case '&':
        return num(x & y);
      case '|':
        return num(x | y);
      case '^':
        return num(x ^ y);
      case '<<':
        return num(x << y);
      case '>>':
        return num(x >> y);
      case '>>>':
        return num(x >>> y);
    }
  }
  if (isNum(b) && b.v === 0 && (op === '+' || op === '-' || op === '|' || op === '^')) return op === '|' ? bin('|', a, b) : a;
  if (isNum(a) && a.v === 0 && (op === '+' || op === '|' || op === '^')) return b;
  return bin(op, a, b);
}

/** `(e) | 0`: to int32 (no-op for constants already in range). */
export function i32(e: Expr): Expr {
  if (isNum(e)) return num(e.v | 0);
  if (isInt32(e)) return e;
  return bin('|', e, num(0));
}

/** The generated code's typed arrays of int32-range elements (registers, lazy flags, RAM views, TLB entries). */
const INT_ARRAYS = new Set(['R', 'RH', 'CC', 'M8', 'M16', 'M32', 'TR', 'TW']);

/**
 * Whether `e` certainly evaluates to an int32, so `| 0` on it changes nothing. Code V8 has not
 * optimized calls a builtin for every operator, and most guest blocks run in that code.
 */
export function isInt32(e: Expr): boolean {
  switch (e.k) {
    case 'num':
      return (e.v | 0) === e.v && !Object.is(e.v, -0);
    case 'id':
      return e.int32 === true;
    case 'bin':
      return e.op === '|' || e.op === '&' || e.op === '^' || e.op === '<<' || e.op === '>>';
    case 'un':
      return e.op === '~';
    case 'cond':
      return isInt32(e.a) && isInt32(e.b);
    case 'seq':
      return isInt32(e.list[e.list.length - 1]!);
    case 'index':
      return e.o.k === 'id' && INT_ARRAYS.has(e.o.name);
    default:
      return false;
  }
}

/** `(e) >>> 0`: to uint32. */
export function u32(e: Expr): Expr {
  if (isNum(e)) return num(e.v >>> 0);
  if (e.k === 'bin' && e.op === '>>>') return e;
  return bin('>>>', e, num(0));
}

/** Zero-extends the low `width` bytes of an int32 expression. */
export function zext(e: Expr, width: number): Expr {
  if (width >= 4) return e;
  return op2('&', e, num(width === 1 ? 0xff : 0xffff));
}

/** Sign-extends the low `width` bytes of an int32 expression. */
export function sext(e: Expr, width: number): Expr {
  if (width >= 4) return i32(e);
  if (isNum(e)) return num(width === 1 ? (e.v << 24) >> 24 : (e.v << 16) >> 16);
  const sh = num(width === 1 ? 24 : 16);
  return bin('>>', bin('<<', e, sh), sh);
}

// ---- walking ------------------------------------------------------------

/** `list` with each element replaced by `f(element)`; `list` itself where `f` changed none. */
function mapSame<T>(list: readonly T[], f: (x: T) => T): readonly T[] {
  let out: T[] | undefined;
  for (let n = 0; n < list.length; n++) {
    const x = list[n]!;
    const y = f(x);
    if (y !== x) out ??= list.slice(0, n);
    out?.push(y);
  }
  return out ?? list;
}

/**
 * Expression `e` with each direct sub-expression replaced by `f(sub)`, `e` itself where `f`
 * changed none (so a walk that only looks allocates nothing). An assignment's target name is
 * not a sub-expression: it is not read.
 */
function mapKids(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.k) {
    case 'num':
    case 'lit':
    case 'id':
      return e;
    case 'bin': {
      const a = f(e.a);
      const b = f(e.b);
      return a === e.a && b === e.b ? e : { ...e, a, b };
    }
    case 'un': {
      const a = f(e.a);
      return a === e.a ? e : { ...e, a };
    }
    case 'cond': {
      const c = f(e.c);
      const a = f(e.a);
      const b = f(e.b);
      return c === e.c && a === e.a && b === e.b ? e : { ...e, c, a, b };
    }
    case 'call': {
      const fn = f(e.f);
      const args = mapSame(e.args, f);
      return fn === e.f && args === e.args ? e : { ...e, f: fn, args };
    }
    case 'prop': {
      const o = f(e.o);
      return o === e.o ? e : { ...e, o };
    }
    case 'index': {
      const o = f(e.o);
      const i = f(e.i);
      return o === e.o && i === e.i ? e : { ...e, o, i };
    }
    case 'assign': {
      const target = e.target.k === 'id' ? e.target : f(e.target);
      const value = f(e.value);
      return target === e.target && value === e.value ? e : { ...e, target, value };
    }
    case 'seq': {
      const list = mapSame(e.list, f);
      return list === e.list ? e : { ...e, list };
    }
  }
}

/** Statement `s` with its expressions replaced by `fe(expr)` and its statement lists by `fs(list)`, `s` itself where nothing changed. */
function mapParts(s: Stmt, fe: (x: Expr) => Expr, fs: (list: readonly Stmt[]) => readonly Stmt[]): Stmt {
  switch (s.k) {
    case 'expr':
    case 'throw': {
      const e = fe(s.e);
      return e === s.e ? s : { ...s, e };
    }
    case 'return': {
      const e = s.e && fe(s.e);
      return e === s.e ? s : { ...s, e };
    }
    case 'let': {
      const init = s.init && fe(s.init);
      return init === s.init ? s : { ...s, init };
    }
    case 'if': {
      const c = fe(s.c);
      const then = fs(s.then);
      const els = s.else && fs(s.else);
      return c === s.c && then === s.then && els === s.else ? s : { ...s, c, then, else: els };
    }
    case 'loop':
    case 'block':
    case 'group': {
      const body = fs(s.body);
      return body === s.body ? s : { ...s, body };
    }
    case 'switch': {
      const on = fe(s.on);
      const cases = mapSame(s.cases, (c) => {
        const body = fs(c.body);
        return body === c.body ? c : { v: c.v, body };
      });
      const dflt = s.dflt && fs(s.dflt);
      return on === s.on && cases === s.cases && dflt === s.dflt ? s : { ...s, on, cases, dflt };
    }
    case 'try': {
      const body = fs(s.body);
      const handler = fs(s.handler);
      return body === s.body && handler === s.handler ? s : { ...s, body, handler };
    }
    case 'break':
    case 'continue':
    case 'comment':
      return s;
  }
}

/**
 * The statements with each expression replaced by `after(expr)` where it gives a replacement, its
 * sub-expressions rewritten first; `before(expr)` sees each expression before its sub-expressions.
 */
function rewrite(body: readonly Stmt[], before: ((e: Expr) => void) | undefined, after: ((e: Expr) => Expr | undefined) | undefined): readonly Stmt[] {
  const expr = (e: Expr): Expr => {
    before?.(e);
    const m = mapKids(e, expr);
    return after?.(m) ?? m;
  };
  const stmt = (s: Stmt): Stmt => mapParts(s, expr, stmts);
  const stmts = (list: readonly Stmt[]): readonly Stmt[] => mapSame(list, stmt);
  return stmts(body);
}

/**
 * Calls `visit` for every identifier the statements name (not property names
 * after a dot), in source order, with `assigned` true where it is the target of an assignment.
 */
export function visitIds(body: readonly Stmt[], visit: (name: string, assigned: boolean) => void): void {
  const look = (e: Expr): void => {
    if (e.k === 'id') visit(e.name, false);
    else if (e.k === 'assign' && e.target.k === 'id') visit(e.target.name, true);
  };
  rewrite(body, look, undefined);
}

/**
 * The statements with every call replaced by `wrap(call)` (its arguments rewritten first), where
 * `wrap` gives a replacement; other nodes are kept (shared with the original where unchanged).
 */
export function mapCalls(body: readonly Stmt[], wrap: (c: Expr & { k: 'call' }) => Expr | undefined): readonly Stmt[] {
  return rewrite(body, undefined, (e) => (e.k === 'call' ? wrap(e) : undefined));
}

// ---- printer ------------------------------------------------------------

function printNum(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (v < 0) return `(${String(v)})`;
  return Number.isInteger(v) && v > 0xffff ? `0x${v.toString(16)}` : String(v);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Literals are `lit` nodes: as names, the walks would report them as names. */
const LITERAL_NAMES = new Set(['true', 'false', 'undefined']);

export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'num':
      return printNum(e.v);
    case 'lit':
      return String(e.v);
    case 'id':
      if (!IDENT.test(e.name) || LITERAL_NAMES.has(e.name)) throw new Error(`bad identifier ${JSON.stringify(e.name)}${LITERAL_NAMES.has(e.name) ? ' (a literal: lit())' : ''}`);
      return e.name;
    case 'bin':
      return `(${operand(e.a)} ${e.op} ${operand(e.b)})`;
    case 'un':
      return `(${e.op}${operand(e.a)})`;
    case 'cond':
      return `(${printExpr(e.c)} ? ${printExpr(e.a)} : ${printExpr(e.b)})`;
    case 'call':
      return `${printExpr(e.f)}(${e.args.map(printExpr).join(', ')})`;
    case 'prop':
      if (!IDENT.test(e.name)) throw new Error(`bad property ${JSON.stringify(e.name)}`);
      return `${printExpr(e.o)}.${e.name}`;
    case 'index':
      return `${printExpr(e.o)}[${printExpr(e.i)}]`;
    case 'assign':
      return `${printExpr(e.target)} ${e.op} ${printExpr(e.value)}`;
    case 'seq':
      return `(${e.list.map(printExpr).join(', ')})`;
  }
}

/** An operator's operand: an assignment in parentheses (JavaScript takes none bare there). */
function operand(e: Expr): string {
  return e.k === 'assign' ? `(${printExpr(e)})` : printExpr(e);
}

export function printStmts(body: readonly Stmt[], indent = ''): string {
  let out = '';
  for (const s of body) out += printStmt(s, indent);
  return out;
}

function printStmt(s: Stmt, ind: string): string {
  const inner = ind + '  ';
  switch (s.k) {
    case 'expr':
      return `${ind}${printExpr(s.e)};\n`;
    case 'let':
      return `${ind}${s.mutable ? 'let' : 'const'} ${printExpr(id(s.name))}${s.init ? ` = ${printExpr(s.init)}` : ''};\n`;
    case 'if': {
      let out = `${ind}if (${printExpr(s.c)}) {\n${printStmts(s.then, inner)}${ind}}`;
      if (s.else && s.else.length) out += ` else {\n${printStmts(s.else, inner)}${ind}}`;
      return out + '\n';
    }
    case 'loop':
      return `${ind}${s.label}: for (;;) {\n${printStmts(s.body, inner)}${ind}}\n`;
    case 'block':
      return `${ind}${s.label}: {\n${printStmts(s.body, inner)}${ind}}\n`;
    case 'switch': {
      let out = `${ind}switch (${printExpr(s.on)}) {\n`;
      for (const c of s.cases) out += `${inner}case ${printNum(c.v)}: {\n${printStmts(c.body, inner + '  ')}${inner}}\n`;
      if (s.dflt) out += `${inner}default: {\n${printStmts(s.dflt, inner + '  ')}${inner}}\n`;
      return out + `${ind}}\n`;
    }
    case 'try':
      return `${ind}try {\n${printStmts(s.body, inner)}${ind}} catch (${printExpr(id(s.param))}) {\n${printStmts(s.handler, inner)}${ind}}\n`;
    case 'return':
      return `${ind}return${s.e ? ' ' + printExpr(s.e) : ''};\n`;
    case 'break':
      return `${ind}break${s.label ? ' ' + s.label : ''};\n`;
    case 'continue':
      return `${ind}continue ${s.label};\n`;
    case 'throw':
      return `${ind}throw ${printExpr(s.e)};\n`;
    case 'comment':
      return `${ind}// ${s.text.replace(/[\r\n\u2028\u2029]/g, ' ')}\n`;
    case 'group':
      return printStmts(s.body, ind);
  }
}
