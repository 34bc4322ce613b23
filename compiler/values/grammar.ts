/**
 * The whole value language through the chevrotain lexer and parser: what the
 * fast literal reader (fast.ts) does not answer, every error message, and the
 * reference the fast path is tested against. index.ts is the entry point.
 *
 * The bundled command line loads this module (and chevrotain) only when a
 * value is not a plain literal (scripts/bundle.mjs, LAZY_MODULES): most
 * machine files never need it.
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { describeNumber, envFor, evaluate, EXPECTED, Failure, kindMessage, type Evaluated } from './evaluate.js';
import { Colon, Dot, DotDot, Integer, LParen, Minus, Plus, RParen, Slash, Star, tokenize, Word } from './lexer.js';
import { parseTokens, type EntryRule } from './parser.js';
import type { ValueError, ValueKind, ValueResult } from './types.js';

const RULES: Record<ValueKind, EntryRule> = {
  int: 'expressionValue',
  size: 'expressionValue',
  address: 'expressionValue',
  range: 'rangeValue',
  bdf: 'bdfValue',
  slotfn: 'slotfnValue',
  mac: 'macValue',
};

/** The full language, through the chevrotain parser (also the reference the fast path is tested against). */
export function parseWithGrammar(text: string, kind: ValueKind): ValueResult {
  const lexed = tokenize(text);
  const lexError = lexed.errors[0];
  if (lexError) {
    const bad = text.slice(lexError.offset, lexError.offset + lexError.length);
    return failed({ code: 'syntax', offset: lexError.offset, length: lexError.length, message: `unexpected ${quote(bad)}` });
  }
  const tokens = lexed.tokens;
  if (tokens.length === 0) {
    return failed({ code: 'syntax', offset: 0, length: 0, message: `expected ${EXPECTED[kind]}` });
  }
  const deep = tooDeep(tokens);
  if (deep) return failed(deep);
  const r = attempt(tokens, text, kind);
  if (!(r instanceof Failure)) return { ok: true, value: r.value };
  if (r.error.code === 'syntax') {
    const other = sniff(tokens, text, kind);
    if (other) {
      const found = describeAs(other.kind, other.result, text);
      return failed({
        code: 'kind', offset: other.result.start, length: other.result.end - other.result.start,
        message: kindMessage(kind, found), expected: EXPECTED[kind], found,
      });
    }
  }
  return failed(r.error);
}

/**
 * Parser and visitor recurse on '(' and on unary '-'. Far beyond any real
 * value, refuse rather than risk overflowing the stack.
 */
const MAX_NESTING = 200;

function tooDeep(tokens: IToken[]): ValueError | undefined {
  let nesting = 0;
  let prev: IToken | undefined;
  for (const t of tokens) {
    if (t.tokenType === LParen || (t.tokenType === Minus && (!prev || OPENERS.has(prev.tokenType)))) {
      if (++nesting > MAX_NESTING) {
        return { code: 'syntax', offset: t.startOffset, length: t.image.length, message: 'too deeply nested' };
      }
    }
    prev = t;
  }
  return undefined;
}

function failed(error: ValueError): ValueResult {
  return { ok: false, error };
}

function attempt(tokens: IToken[], text: string, kind: ValueKind): Evaluated | Failure {
  const parsed = parseTokens(tokens, RULES[kind]);
  if (!parsed.ok) return new Failure(syntaxError(parsed.error, tokens, kind));
  try {
    return evaluate(parsed.cst, envFor(kind, text, tokens));
  } catch (e) {
    if (e instanceof Failure) return e;
    throw e;
  }
}

// ---- wrong kind: what else the text could be -----------------------------------------

/** Kinds tried, in order, when the text does not read as the kind asked for. */
const OTHER_KINDS: Record<ValueKind, ValueKind[]> = {
  int: ['bdf', 'mac', 'range', 'slotfn'],
  size: ['bdf', 'mac', 'range', 'slotfn'],
  address: ['bdf', 'mac', 'range', 'slotfn'],
  range: ['bdf', 'mac', 'slotfn'],
  bdf: ['address', 'slotfn', 'mac', 'range'],
  slotfn: ['bdf', 'mac', 'address', 'range'],
  mac: ['bdf', 'address', 'slotfn', 'range'],
};

/** Cheap token-shape tests: only kinds the text could possibly be are tried. */
function couldBe(kind: ValueKind, tokens: IToken[], asked: ValueKind): boolean {
  const has = (type: TokenType): boolean => tokens.some((t) => t.tokenType === type);
  switch (kind) {
    case 'bdf': return tokens.length >= 5 && tokens.length <= 7 && has(Colon) && has(Dot);
    case 'mac': return tokens.length === 11;
    case 'range': return has(DotDot);
    case 'slotfn':
      // `10.0` where a number is expected is a fraction, not a device and function; `1c.2` is one.
      if (asked === 'int' || asked === 'size' || asked === 'address' || asked === 'range') {
        return tokens.length === 3 && tokens[0]?.tokenType !== Integer;
      }
      return tokens.length === 1 || tokens.length === 3;
    default: return true;
  }
}

function sniff(tokens: IToken[], text: string, kind: ValueKind): { kind: ValueKind; result: Evaluated } | undefined {
  for (const other of OTHER_KINDS[kind]) {
    if (!couldBe(other, tokens, kind)) continue;
    const r = attempt(tokens, text, other);
    if (!(r instanceof Failure)) return { kind: other, result: r };
  }
  return undefined;
}

function describeAs(kind: ValueKind, r: Evaluated, text: string): string {
  const t = text.slice(r.start, r.end);
  const quoted = (what: string, article: string): string => (t.length <= 32 ? `the ${what} ${t}` : `${article} ${what}`);
  switch (kind) {
    case 'bdf': return quoted('PCI address', 'a');
    case 'slotfn': return quoted('device and function', 'a');
    case 'mac': return quoted('MAC address', 'a');
    case 'range': return quoted('range', 'a');
    default: return describeNumber(t, r.isSize);
  }
}

// ---- syntax errors -------------------------------------------------------------------

const TOKEN_WORDS: Record<string, string> = {
  Dot: "'.'", Colon: "':'", DotDot: "'..'", RParen: "')'", LParen: "'('", MacSeparator: "':'",
  HexGroup: 'hex digits', Numeral: 'a number',
};

/** Tokens after which something must follow. */
const OPENERS: ReadonlySet<TokenType> = new Set([Plus, Minus, Star, Slash, LParen, DotDot, Dot, Colon]);

function quote(s: string): string {
  return s.includes("'") ? `"${s}"` : `'${s}'`;
}

function syntaxError(e: IRecognitionException, tokens: IToken[], kind: ValueKind): ValueError {
  const tok = e.token;
  const atToken = (t: IToken, message: string): ValueError => ({
    code: 'syntax', offset: t.startOffset, length: t.image.length, message,
  });
  const index = tok.tokenType === EOF ? tokens.length : tokens.findIndex((t) => t.startOffset === tok.startOffset);
  const prev = index > 0 ? tokens[index - 1] : undefined;
  if (e.name === 'NotAllInputParsedException') {
    if (tok.tokenType === Word && prev?.tokenType === RParen) return atToken(tok, 'a unit must follow a number');
    return atToken(tok, `unexpected ${quote(tok.image)}`);
  }

  const hexShaped = kind === 'bdf' || kind === 'slotfn' || kind === 'mac';
  // The parser's mismatch message is the expected token type's name (see parser.ts).
  const named = e.name === 'MismatchedTokenException' ? e.message : undefined;
  const expected = (named && TOKEN_WORDS[named]) ?? (hexShaped ? 'hex digits' : 'a number');

  if (tok.tokenType === EOF) {
    if (named === 'RParen') {
      const open = unclosedParen(tokens);
      if (open) return atToken(open, "unclosed '('");
    }
    if (prev) return atToken(prev, `expected ${expected} after ${quote(prev.image)}`);
    return { code: 'syntax', offset: 0, length: 0, message: `expected ${EXPECTED[kind]}` };
  }
  if (prev && OPENERS.has(prev.tokenType)) return atToken(tok, `expected ${expected} after ${quote(prev.image)}`);
  return atToken(tok, `unexpected ${quote(tok.image)}`);
}

function unclosedParen(tokens: IToken[]): IToken | undefined {
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === LParen) open.push(t);
    else if (t.tokenType === RParen) open.pop();
  }
  return open[open.length - 1];
}
