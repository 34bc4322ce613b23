/**
 * The value language's semantics: a CST visitor that reads the tokens for the
 * kind of value asked for, computes with BigInt and checks dimensions and
 * ranges. Problems are thrown as Failure (caught by parseValue), each with the
 * exact offset and length of the culprit in the text.
 */
import type { CstNode, IToken } from 'chevrotain';
import { formatHex, formatSize } from './format.js';
import { BinLiteral, HexLiteral, HexWord, Integer, tokenEnd } from './lexer.js';
import { getParser } from './parser.js';
import type { Value, ValueError, ValueErrorCode, ValueKind } from './types.js';

export const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Thrown by the visitor; not an Error, so no stack trace is captured. */
export class Failure {
  constructor(readonly error: ValueError) {}
}

export function fail(code: ValueErrorCode, start: number, end: number, message: string, extra?: { expected: string; found: string }): never {
  throw new Failure({ code, offset: start, length: end - start, message, ...extra });
}

function failAt(code: ValueErrorCode, t: IToken, message: string): never {
  fail(code, t.startOffset, tokenEnd(t), message);
}

/** What each kind of field takes, in plain words (the `expected` of a 'kind' error). */
export const EXPECTED: Record<ValueKind, string> = {
  int: 'a whole number such as 16',
  size: 'a size with a unit, e.g. 512 MiB',
  address: 'an address such as 0xfebf0000',
  bdf: 'a PCI address such as 00:1c.2',
  slotfn: 'a device and function such as 1c.2',
  mac: 'a MAC address such as 52:54:00:12:34:56',
  range: 'a range such as 0..7',
};

export function kindMessage(kind: ValueKind, found: string): string {
  return `expected ${kind === 'size' ? 'a size such as 512 MiB' : EXPECTED[kind]}, found ${found}`;
}

export function failKind(kind: ValueKind, start: number, end: number, found: string): never {
  fail('kind', start, end, kindMessage(kind, found), { expected: EXPECTED[kind], found });
}

/** How units and dimensions are treated: no units at all, sizes with dimension checks, or anything goes. */
type Mode = 'plain' | 'size' | 'address';

export interface Env {
  kind: ValueKind;
  mode: Mode;
  text: string;
  tokens: IToken[];
}

export function envFor(kind: ValueKind, text: string, tokens: IToken[]): Env {
  const mode: Mode = kind === 'size' ? 'size' : kind === 'address' ? 'address' : 'plain';
  return { kind, mode, text, tokens };
}

/** The result of any entry rule, with where it sits in the text and whether it is a size (for messages). */
export interface Evaluated {
  value: Value;
  isSize: boolean;
  start: number;
  end: number;
}

/** An intermediate result: a value, its dimension and its span. */
interface Quantity {
  v: bigint;
  size: boolean;
  start: number;
  end: number;
}

// ---- CST shapes ------------------------------------------------------------------

interface ExpressionValueCtx { expression: CstNode[] }
interface RangeValueCtx { expression: CstNode[]; DotDot?: IToken[] }
interface HexCtx { HexGroup: IToken[]; Colon?: IToken[]; Dot?: IToken[]; MacSeparator?: IToken[] }
interface ExpressionCtx { multiplicative: CstNode[]; AdditiveOperator?: IToken[] }
interface MultiplicativeCtx { unary: CstNode[]; MultiplicativeOperator?: IToken[] }
interface UnaryCtx {
  Minus?: IToken[]; unary?: CstNode[];
  LParen?: IToken[]; expression?: CstNode[]; RParen?: IToken[];
  Numeral?: IToken[]; Dot?: IToken[]; Word?: IToken[];
}

/** The grammar guarantees these elements; this only satisfies noUncheckedIndexedAccess. */
function at<T>(items: T[] | undefined, i = 0): T {
  const item = items?.[i];
  if (item === undefined) throw new Error(`value language: CST element ${i} missing`);
  return item;
}

// ---- literals --------------------------------------------------------------------

const UNITS: Record<string, bigint> = {
  B: 1n,
  K: 1n << 10n, k: 1n << 10n, KiB: 1n << 10n,
  M: 1n << 20n, MiB: 1n << 20n,
  G: 1n << 30n, GiB: 1n << 30n,
  T: 1n << 40n, TiB: 1n << 40n,
  P: 1n << 50n, PiB: 1n << 50n,
};
/** Decimal units people write, and the binary unit to use instead. */
const DECIMAL_UNITS: Record<string, string> = { KB: 'KiB', kB: 'KiB', MB: 'MiB', GB: 'GiB', TB: 'TiB', PB: 'PiB' };
/** Lower-cased spellings of units, for "did you mean" hints. */
const UNIT_HINTS: Record<string, string> = {
  b: 'B', k: 'KiB', kb: 'KiB', kib: 'KiB', m: 'MiB', mb: 'MiB', mib: 'MiB', g: 'GiB', gb: 'GiB', gib: 'GiB',
  t: 'TiB', tb: 'TiB', tib: 'TiB', p: 'PiB', pb: 'PiB', pib: 'PiB',
};

const DECIMAL = /^[0-9]+(?:_[0-9]+)*$/;
const HEX = /^[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*$/;
const BINARY = /^[01]+(?:_[01]+)*$/;
const BYTES_GLUED = /^[0-9]+B$/;
const HEX_DIGITS = /^[0-9a-fA-F]+$/;

const UNDERSCORE = "'_' must sit between digits";

function decimalDigits(t: IToken, image = t.image): string {
  if (!DECIMAL.test(image)) failAt('syntax', t, UNDERSCORE);
  return image.replace(/_/g, '');
}

/** The integer value of a number token, and whether it carries a glued `B` (`100B`). */
function integerValue(t: IToken): { v: bigint; bytes: boolean } {
  const image = t.image;
  switch (t.tokenType) {
    case Integer:
      return { v: BigInt(decimalDigits(t)), bytes: false };
    case HexLiteral: {
      const digits = image.slice(2);
      if (digits === '') failAt('syntax', t, `expected hex digits after '${image}'`);
      if (!HEX.test(digits)) failAt('syntax', t, UNDERSCORE);
      return { v: BigInt(`0x${digits.replace(/_/g, '')}`), bytes: false };
    }
    case BinLiteral: {
      const digits = image.slice(2);
      if (digits === '') failAt('syntax', t, "expected binary digits after '0b'");
      if (!BINARY.test(digits)) failAt('syntax', t, UNDERSCORE);
      return { v: BigInt(`0b${digits.replace(/_/g, '')}`), bytes: false };
    }
    default: // HexWord
      if (BYTES_GLUED.test(image)) return { v: BigInt(image.slice(0, -1)), bytes: true };
      if (image.startsWith('0b')) failAt('syntax', t, `'${image}' is not a binary number`);
      failAt('syntax', t, `'${image}' is not a number; write hex as 0x${image}`);
  }
}

function unitMultiplier(unit: IToken, num: IToken): bigint {
  const name = unit.image;
  const m = UNITS[name];
  if (m !== undefined) return m;
  const binary = DECIMAL_UNITS[name];
  if (binary !== undefined) failAt('syntax', unit, `use ${binary}: sizes are binary`);
  if (num.tokenType === HexLiteral && unit.startOffset === tokenEnd(num)) {
    failAt('syntax', unit, `'${name[0] ?? ''}' is not a hex digit`);
  }
  const hint = UNIT_HINTS[name.toLowerCase()];
  if (hint !== undefined) failAt('syntax', unit, `unknown unit '${name}'; use ${hint}`);
  failAt('syntax', unit, `unknown unit '${name}'`);
}

function show(q: Quantity): string {
  return q.size ? formatSize(Number(q.v)) : String(q.v);
}

function checkMagnitude(v: bigint, start: number, end: number, what: string): void {
  if (v > MAX || v < -MAX) fail('too-large', start, end, `${what} is too large (the limit is 2^53 - 1)`);
}

// ---- hex groups (PCI addresses, MACs) ----------------------------------------------

/** No spaces inside a PCI address or MAC. */
function requireContiguous(tokens: IToken[], what: string): void {
  for (let i = 1; i < tokens.length; i++) {
    const prev = tokens[i - 1] as IToken;
    const cur = tokens[i] as IToken;
    const end = tokenEnd(prev);
    if (cur.startOffset !== end) fail('syntax', end, cur.startOffset, `unexpected space in ${what}`);
  }
}

function hexNumber(t: IToken, allow0x: boolean): number {
  let digits = t.image;
  if (t.tokenType === HexLiteral) {
    if (!allow0x) failAt('syntax', t, "write PCI addresses without '0x'");
    digits = digits.slice(2);
  }
  if (!HEX_DIGITS.test(digits)) failAt('syntax', t, `'${t.image}' is not a hex number`);
  // Longer than 13 digits cannot be a valid part; keep the number finite and plainly too big.
  return digits.length > 13 ? Number.MAX_SAFE_INTEGER : parseInt(digits, 16);
}

function showPart(n: number, t: IToken): string {
  if (n === Number.MAX_SAFE_INTEGER) return `0x${t.image}`;
  return n < 10 ? String(n) : formatHex(n);
}

function hexPart(t: IToken, what: string, max: number, allow0x = false): number {
  const n = hexNumber(t, allow0x);
  if (n > max) failAt('out-of-range', t, `${showPart(n, t)} is not a ${what} number (0 to ${showPart(max, t)})`);
  return n;
}

// ---- the visitor -------------------------------------------------------------------

/**
 * The visitor class extends chevrotain's generated base, which exists only once
 * the parser has been built; both are built on first use (see getParser).
 */
function makeVisitor(): { visit(cst: CstNode, env: Env): unknown } {
  const BaseVisitor = getParser().getBaseCstVisitorConstructor<Env, unknown>();

  class ValueVisitor extends BaseVisitor {
    constructor() {
      super();
      this.validateVisitor();
    }

    private quantity(node: CstNode | undefined, env: Env): Quantity {
      return this.visit(node as CstNode, env) as Quantity;
    }

    // ---- entry rules

    expressionValue(ctx: ExpressionValueCtx, env: Env): Evaluated {
      const q = this.quantity(at(ctx.expression), env);
      if (q.v < 0n) fail('negative', q.start, q.end, `the value is negative (${show(q)})`);
      if (env.kind === 'size' && !q.size && q.v !== 0n) {
        failKind('size', q.start, q.end, describeNumber(env.text.slice(q.start, q.end), false));
      }
      return { value: { kind: 'int', value: Number(q.v) }, isSize: q.size, start: q.start, end: q.end };
    }

    rangeValue(ctx: RangeValueCtx, env: Env): Evaluated {
      const first = this.quantity(at(ctx.expression, 0), env);
      const last = ctx.expression[1] ? this.quantity(ctx.expression[1], env) : first;
      for (const q of [first, last]) {
        if (q.v < 0n) fail('negative', q.start, q.end, `the value is negative (${q.v})`);
      }
      if (first.v > last.v) {
        fail('out-of-range', first.start, last.end, `the range starts after it ends (${first.v} > ${last.v})`);
      }
      return {
        value: { kind: 'range', first: Number(first.v), last: Number(last.v) },
        isSize: false,
        start: first.start,
        end: last.end,
      };
    }

    bdfValue(ctx: HexCtx, env: Env): Evaluated {
      requireContiguous(env.tokens, 'a PCI address');
      const groups = ctx.HexGroup;
      let segment = 0;
      let i = 0;
      if (groups.length === 4) segment = hexPart(at(groups, i++), 'segment', 0xffff);
      const bus = hexPart(at(groups, i++), 'bus', 0xff);
      const device = hexPart(at(groups, i++), 'device', 0x1f);
      const fn = hexPart(at(groups, i), 'function', 7);
      return { value: { kind: 'bdf', segment, bus, device, fn }, isSize: false, ...spanOf(env.tokens) };
    }

    slotfnValue(ctx: HexCtx, env: Env): Evaluated {
      requireContiguous(env.tokens, 'a device and function');
      const device = hexPart(at(ctx.HexGroup, 0), 'device', 0x1f, true);
      const fnToken = ctx.HexGroup[1];
      const fn = fnToken ? hexPart(fnToken, 'function', 7) : 0;
      return { value: { kind: 'slotfn', device, fn }, isSize: false, ...spanOf(env.tokens) };
    }

    macValue(ctx: HexCtx, env: Env): Evaluated {
      requireContiguous(env.tokens, 'a MAC address');
      const span = spanOf(env.tokens);
      const groups = ctx.HexGroup;
      if (groups.length !== 6) {
        fail('syntax', span.start, span.end, `a MAC address has 6 groups, not ${groups.length}`);
      }
      const seps = ctx.MacSeparator ?? [];
      const sep = at(seps).image;
      for (const s of seps) if (s.image !== sep) failAt('syntax', s, `mixed ':' and '-' in a MAC address`);
      const bytes = groups.map((g) => {
        if (g.image.length !== 2 || !HEX_DIGITS.test(g.image)) failAt('syntax', g, `'${g.image}' is not two hex digits`);
        return parseInt(g.image, 16);
      });
      return { value: { kind: 'mac', bytes }, isSize: false, ...span };
    }

    // ---- expressions

    expression(ctx: ExpressionCtx, env: Env): Quantity {
      let acc = this.quantity(at(ctx.multiplicative, 0), env);
      const ops = ctx.AdditiveOperator ?? [];
      for (let i = 0; i < ops.length; i++) {
        acc = combine(at(ops, i), acc, this.quantity(ctx.multiplicative[i + 1], env), env);
      }
      return acc;
    }

    multiplicative(ctx: MultiplicativeCtx, env: Env): Quantity {
      let acc = this.quantity(at(ctx.unary, 0), env);
      const ops = ctx.MultiplicativeOperator ?? [];
      for (let i = 0; i < ops.length; i++) {
        acc = combine(at(ops, i), acc, this.quantity(ctx.unary[i + 1], env), env);
      }
      return acc;
    }

    unary(ctx: UnaryCtx, env: Env): Quantity {
      if (ctx.Minus) {
        const inner = this.quantity(at(ctx.unary), env);
        return { v: -inner.v, size: inner.size, start: at(ctx.Minus).startOffset, end: inner.end };
      }
      if (ctx.LParen) {
        const inner = this.quantity(at(ctx.expression), env);
        return { ...inner, start: at(ctx.LParen).startOffset, end: tokenEnd(at(ctx.RParen)) };
      }
      return literal(ctx, env);
    }
  }

  /** number[.fraction] [unit] */
  function literal(ctx: UnaryCtx, env: Env): Quantity {
    const num = at(ctx.Numeral, 0);
    const frac = ctx.Numeral?.[1];
    const unit = ctx.Word?.[0];
    const start = num.startOffset;
    let end = tokenEnd(frac ?? num);
    let mantissa: bigint;
    let scale = 1n;
    let bytes = false;
    if (frac) {
      const dot = at(ctx.Dot);
      if (dot.startOffset !== tokenEnd(num)) fail('syntax', tokenEnd(num), dot.startOffset, 'unexpected space in a number');
      if (frac.startOffset !== tokenEnd(dot)) fail('syntax', tokenEnd(dot), frac.startOffset, 'unexpected space in a number');
      if (num.tokenType !== Integer) failAt('syntax', num, 'only decimal numbers can have a fraction');
      let fracImage = frac.image;
      if (frac.tokenType === HexWord) {
        if (!BYTES_GLUED.test(fracImage)) fail('syntax', start, end, `'${env.text.slice(start, end)}' is not a number`);
        fracImage = fracImage.slice(0, -1);
        bytes = true;
      }
      const fracDigits = decimalDigits(frac, fracImage);
      mantissa = BigInt(decimalDigits(num) + fracDigits);
      scale = 10n ** BigInt(fracDigits.length);
    } else {
      const r = integerValue(num);
      mantissa = r.v;
      bytes = r.bytes;
    }
    let multiplier = bytes ? 1n : 0n;
    if (unit) {
      if (bytes) failAt('syntax', unit, `unexpected '${unit.image}'`);
      multiplier = unitMultiplier(unit, num);
      end = tokenEnd(unit);
    }
    const hasUnit = multiplier !== 0n;
    const text = env.text.slice(start, end);
    if (hasUnit && env.mode === 'plain') failKind(env.kind, start, end, `the size ${text}`);
    if (scale !== 1n && !hasUnit) {
      if (env.mode === 'plain') failKind(env.kind, start, end, `the fraction ${text}`);
      fail('syntax', start, end, 'a fraction needs a unit, e.g. 1.5 GiB');
    }
    const total = mantissa * (hasUnit ? multiplier : 1n);
    if (total % scale !== 0n) fail('arithmetic', start, end, `${text} is not a whole number of bytes`);
    const v = total / scale;
    checkMagnitude(v, start, end, text);
    return { v, size: hasUnit, start, end };
  }

  function combine(op: IToken, l: Quantity, r: Quantity, env: Env): Quantity {
    let v: bigint;
    let size: boolean;
    switch (op.image) {
      case '+':
      case '-':
        if (env.mode === 'size' && l.size !== r.size) {
          const plain = l.size ? r : l;
          fail('arithmetic', plain.start, plain.end,
            `a size and a plain number cannot be ${op.image === '+' ? 'added' : 'subtracted'}`);
        }
        v = op.image === '+' ? l.v + r.v : l.v - r.v;
        size = l.size || r.size;
        break;
      case '*':
        if (l.size && r.size) failAt('arithmetic', op, 'two sizes cannot be multiplied');
        v = l.v * r.v;
        size = l.size || r.size;
        break;
      default: // '/'
        if (!l.size && r.size) failAt('arithmetic', op, 'a plain number cannot be divided by a size');
        if (r.v === 0n) fail('arithmetic', r.start, r.end, 'division by zero');
        if (l.v % r.v !== 0n) failAt('arithmetic', op, `${show(l)} / ${show(r)} is not a whole number`);
        v = l.v / r.v;
        size = l.size && !r.size;
    }
    checkMagnitude(v, l.start, r.end, 'the result');
    return { v, size, start: l.start, end: r.end };
  }

  function spanOf(tokens: IToken[]): { start: number; end: number } {
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    return first && last ? { start: first.startOffset, end: tokenEnd(last) } : { start: 0, end: 0 };
  }
  return new ValueVisitor();
}

/** 'the number 16' / 'the size 512 MiB', quoting the text when it is short. */
export function describeNumber(text: string, isSize: boolean): string {
  const what = isSize ? 'size' : 'number';
  return text.length <= 32 ? `the ${what} ${text}` : `a ${what}`;
}

let visitor: ReturnType<typeof makeVisitor> | undefined;


export function evaluate(cst: CstNode, env: Env): Evaluated {
  visitor ??= makeVisitor();
  return visitor.visit(cst, env) as Evaluated;
}
