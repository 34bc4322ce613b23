/**
 * The CST visitor: turns chevrotain's concrete syntax tree into the ASL
 * syntax tree (ast.ts). It gives no keyword a meaning; it reads literals
 * (numbers, string escapes) and keeps every range. Problems it finds are
 * thrown as SyntaxFailure with their range.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { AslNode, AssignOp, BinaryOp, BodyItem, Range } from './ast.js';
import { keyword } from './keywords.js';
import { tokenEnd } from './lexer.js';
import { getParser } from './parser.js';

export class SyntaxFailure {
  constructor(readonly message: string, readonly range: Range) {}
}

type Ctx = Record<string, (CstNode | IToken)[] | undefined>;

/** Binding strength of each binary operator (higher binds tighter), as in C. */
const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const tokenRange = (t: IToken): Range => ({ start: t.startOffset, end: tokenEnd(t) });
const span = (a: Range, b: Range): Range => ({ start: a.start, end: b.end });

/** Reads a string literal's escapes (§19.2.3: \a \b \f \n \r \t \v \" \' \\ \xHH, octal \ooo). */
export function readString(image: string, at: number): string {
  let out = '';
  const body = image.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', "'": "'", '\\': '\\' };
    if (e in simple) out += simple[e];
    else if (e === 'x' || e === 'X') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1));
      if (!m) throw new SyntaxFailure('\\x needs one or two hex digits', { start: at + i, end: at + i + 2 });
      out += String.fromCharCode(parseInt(m[0], 16));
      i += m[0].length;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
    } else out += e; // iasl drops the backslash of an unknown escape (with a warning)
  }
  return out;
}

/** 0x1F hex, 017 octal, 15 decimal (§19.2.3 Integer). */
export function readNumber(image: string, range: Range): bigint {
  let v: bigint;
  if (/^0[xX]/.test(image)) v = BigInt(image);
  else if (image.length > 1 && image.startsWith('0')) {
    if (/[89]/.test(image)) throw new SyntaxFailure(`'${image}' is not an octal number (a leading 0 means octal)`, range);
    v = BigInt(`0o${image.slice(1)}`);
  } else v = BigInt(image);
  if (v > 0xffff_ffff_ffff_ffffn) throw new SyntaxFailure(`${image} does not fit in 64 bits`, range);
  return v;
}

const BaseVisitor = getParser().getBaseCstVisitorConstructor();

class AslVisitor extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  file(ctx: Ctx): BodyItem[] {
    return this.visit(ctx['items']![0] as CstNode) as BodyItem[];
  }

  items(ctx: Ctx): BodyItem[] {
    const out: BodyItem[] = [];
    for (const c of (ctx['Comma'] ?? []) as IToken[]) out.push({ kind: 'comma', range: tokenRange(c) });
    for (const e of (ctx['expression'] ?? []) as CstNode[]) out.push(this.visit(e) as AslNode);
    return out.sort((a, b) => a.range.start - b.range.start);
  }

  expression(ctx: Ctx): AslNode {
    const left = this.visit(ctx['operation']![0] as CstNode) as AslNode;
    const opTok = ctx['AssignOperator']?.[0] as IToken | undefined;
    if (!opTok) return left;
    const value = this.visit(ctx['expression']![0] as CstNode) as AslNode;
    return { kind: 'assign', op: opTok.image as AssignOp, opRange: tokenRange(opTok), target: left, value, range: span(left.range, value.range) };
  }

  /** Groups `a op b op c ...` by C precedence, left-associative (precedence climbing). */
  operation(ctx: Ctx): AslNode {
    const operands = (ctx['unary'] ?? []).map((c) => this.visit(c as CstNode) as AslNode);
    const ops = (ctx['BinaryOperator'] ?? []) as IToken[];
    let i = 0;
    let idx = 0;
    const next = (): AslNode => operands[idx++]!;
    const parse = (min: number): AslNode => {
      let left = next();
      while (i < ops.length && PRECEDENCE[ops[i]!.image]! >= min) {
        const t = ops[i]!;
        const p = PRECEDENCE[t.image]!;
        i++;
        const right = parse(p + 1);
        left = { kind: 'binary', op: t.image as BinaryOp, opRange: tokenRange(t), left, right, range: span(left.range, right.range) };
      }
      return left;
    };
    return parse(0);
  }

  unary(ctx: Ctx): AslNode {
    const opTok = ctx['UnaryOperator']?.[0] as IToken | undefined;
    if (!opTok) return this.visit(ctx['postfix']![0] as CstNode) as AslNode;
    const operand = this.visit(ctx['unary']![0] as CstNode) as AslNode;
    return { kind: 'unary', op: opTok.image as '!' | '~', operand, range: span(tokenRange(opTok), operand.range) };
  }

  postfix(ctx: Ctx): AslNode {
    let node = this.visit(ctx['primary']![0] as CstNode) as AslNode;
    // Postfix operators and [index] groups, in source order (the n-th '[' goes with the n-th expression and ']').
    const steps: { at: number; op?: IToken; index?: number }[] = [];
    for (const t of (ctx['PostfixOperator'] ?? []) as IToken[]) steps.push({ at: t.startOffset, op: t });
    ((ctx['LBracket'] ?? []) as IToken[]).forEach((t, i) => steps.push({ at: t.startOffset, index: i }));
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      if (step.op) {
        node = { kind: 'postfix', op: step.op.image as '++' | '--', operand: node, range: span(node.range, tokenRange(step.op)) };
      } else {
        const index = this.visit(ctx['expression']![step.index!] as CstNode) as AslNode;
        const close = ctx['RBracket']![step.index!] as IToken;
        node = { kind: 'index', source: node, index, range: span(node.range, tokenRange(close)) };
      }
    }
    return node;
  }

  primary(ctx: Ctx): AslNode {
    const num = ctx['Number']?.[0] as IToken | undefined;
    if (num) return { kind: 'int', value: readNumber(num.image, tokenRange(num)), range: tokenRange(num) };
    const s = ctx['StringLiteral']?.[0] as IToken | undefined;
    if (s) return { kind: 'str', value: readString(s.image, s.startOffset + 1), range: tokenRange(s) };
    const open = ctx['LParen']?.[0] as IToken | undefined;
    if (open) {
      const inner = this.visit(ctx['expression']![0] as CstNode) as AslNode;
      return { kind: 'paren', inner, range: span(tokenRange(open), tokenRange(ctx['RParen']![0] as IToken)) };
    }
    return this.visit(ctx['invocation']![0] as CstNode) as AslNode;
  }

  invocation(ctx: Ctx): AslNode {
    const nameTok = ctx['NamePath']![0] as IToken;
    const name = keyword(nameTok.image) ?? nameTok.image;
    const args = ctx['args'] ? (this.visit(ctx['args'][0] as CstNode) as (AslNode | undefined)[]) : undefined;
    const body = ctx['items'] ? (this.visit(ctx['items'][0] as CstNode) as BodyItem[]) : undefined;
    const last = (ctx['RBrace']?.[0] ?? ctx['RParen']?.[0] ?? nameTok) as IToken;
    return { kind: 'call', name, nameRange: tokenRange(nameTok), args, body, range: span(tokenRange(nameTok), tokenRange(last)) };
  }

  args(ctx: Ctx): (AslNode | undefined)[] {
    const commas = ((ctx['Comma'] ?? []) as IToken[]).map((t) => t.startOffset);
    const values = ((ctx['expression'] ?? []) as CstNode[]).map((e) => this.visit(e) as AslNode);
    // Argument i is the expression between comma i-1 and comma i, if any.
    const out: (AslNode | undefined)[] = new Array<AslNode | undefined>(commas.length + 1).fill(undefined);
    let slot = 0;
    for (const v of values) {
      while (slot < commas.length && commas[slot]! < v.range.start) slot++;
      out[slot] = v;
    }
    // `Keyword ()` has no arguments, not one empty one.
    return out.length === 1 && out[0] === undefined ? [] : out;
  }
}

let visitor: AslVisitor | undefined;

export function getVisitor(): AslVisitor {
  visitor ??= new AslVisitor();
  return visitor;
}
