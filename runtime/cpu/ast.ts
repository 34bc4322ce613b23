/**
 * The small JavaScript AST the translator emits guest code through, and its
 * printer. Instruction semantics build these nodes (never source strings);
 * the printer turns a function body into source for `new Function`. Every
 * binary and unary expression is printed fully parenthesised, so the
 * printer needs no precedence table and cannot change meaning.
 */

export type Expr =
  | { readonly k: 'num'; readonly v: number }
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

/**
 * Calls `visit` for every identifier the statements name (not property names
 * after a dot), with `assigned` true where it is the target of an assignment.
 */
export function visitIds(body: readonly Stmt[], visit: (name: string, assigned: boolean) => void): void {
  const expr = (e: Expr): void => {
    switch (e.k) {
      case 'num':
        return;
      case 'id':
        return visit(e.name, false);
      case 'bin':
        expr(e.a);
        return expr(e.b);
      case 'un':
        return expr(e.a);
      case 'cond':
        expr(e.c);
        expr(e.a);
        return expr(e.b);
      case 'call':
        expr(e.f);
        for (const a of e.args) expr(a);
        return;
      case 'prop':
        return expr(e.o);
      case 'index':
        expr(e.o);
        return expr(e.i);
      case 'assign':
        if (e.target.k === 'id') visit(e.target.name, true);
        else expr(e.target);
        return expr(e.value);
      case 'seq':
        for (const x of e.list) expr(x);
        return;
    }
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      switch (s.k) {
        case 'expr':
        case 'throw':
          expr(s.e);
          break;
        case 'return':
          if (s.e) expr(s.e);
          break;
        case 'let':
          if (s.init) expr(s.init);
          break;
        case 'if':
          expr(s.c);
          stmts(s.then);
          if (s.else) stmts(s.else);
          break;
        case 'loop':
        case 'block':
        case 'group':
          stmts(s.body);
          break;
        case 'switch':
          expr(s.on);
          for (const c of s.cases) stmts(c.body);
          if (s.dflt) stmts(s.dflt);
          break;
        case 'try':
          stmts(s.body);
          stmts(s.handler);
          break;
        case 'break':
        case 'continue':
        case 'comment':
          break;
      }
    }
  };
  stmts(body);
}

/**
 * The statements with every call replaced by `wrap(call)` (its arguments rewritten first), where
 * `wrap` gives a replacement; other nodes are kept (shared with the original where unchanged).
 */
export function mapCalls(body: readonly Stmt[], wrap: (c: Expr & { k: 'call' }) => Expr | undefined): Stmt[] {
  const expr = (e: Expr): Expr => {
    switch (e.k) {
      case 'num':
      case 'id':
        return e;
      case 'bin':
        return { ...e, a: expr(e.a), b: expr(e.b) };
      case 'un':
        return { ...e, a: expr(e.a) };
      case 'cond':
        return { ...e, c: expr(e.c), a: expr(e.a), b: expr(e.b) };
      case 'call': {
        const c = { ...e, f: expr(e.f), args: e.args.map(expr) };
        return wrap(c) ?? c;
      }
      case 'prop':
        return { ...e, o: expr(e.o) };
      case 'index':
        return { ...e, o: expr(e.o), i: expr(e.i) };
      case 'assign':
        return { ...e, target: e.target.k === 'id' ? e.target : expr(e.target), value: expr(e.value) };
      case 'seq':
        return { ...e, list: e.list.map(expr) };
    }
  };
  const stmts = (list: readonly Stmt[]): Stmt[] =>
    list.map((s): Stmt => {
      switch (s.k) {
        case 'expr':
        case 'throw':
          return { ...s, e: expr(s.e) };
        case 'return':
          return s.e ? { ...s, e: expr(s.e) } : s;
        case 'let':
          return s.init ? { ...s, init: expr(s.init) } : s;
        case 'if':
          return { ...s, c: expr(s.c), then: stmts(s.then), ...(s.else ? { else: stmts(s.else) } : {}) };
        case 'loop':
        case 'block':
        case 'group':
          return { ...s, body: stmts(s.body) };
        case 'switch':
          return { ...s, on: expr(s.on), cases: s.cases.map((c) => ({ v: c.v, body: stmts(c.body) })), ...(s.dflt ? { dflt: stmts(s.dflt) } : {}) };
        case 'try':
          return { ...s, body: stmts(s.body), handler: stmts(s.handler) };
        case 'break':
        case 'continue':
        case 'comment':
          return s;
      }
    });
  return stmts(body);
}

// ---- printer ------------------------------------------------------------

function printNum(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (v < 0) return `(${String(v)})`;
  return Number.isInteger(v) && v > 0xffff ? `0x${v.toString(16)}` : String(v);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'num':
      return printNum(e.v);
    case 'id':
      if (!IDENT.test(e.name)) throw new Error(`bad identifier ${JSON.stringify(e.name)}`);
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
