/**
 * The value language's tokens: one lexer for every kind of value.
 *
 * The lexer does not know which kind of value it reads, so tokens are shaped
 * to be reinterpreted by the visitor: `1c`, `0b` or `fe` are numbers in a PCI
 * address or MAC but not in a size, and `100B` is 100 bytes in a size but the
 * hex group 0x100b in a MAC. The visitor reads the image of each token for the
 * kind it was asked for.
 *
 * Ordering notes:
 * - `..` before `.`, so `0..7` is a range and `1.5`/`1c.2` keep their dot.
 * - `0x…` before plain integers, so `0x1f` is one token.
 * - `0b…` (binary) and decimal integers fall back to HexWord when the hex
 *   reading is longer (longer_alt): `0b12`, `1c`, `00` vs `0a`, `100B`.
 * - Words start with a letter: units (`MiB`, `KB`) and letter-first hex
 *   groups (`fe`, `de`) alike.
 */
import { createToken, Lexer, type IToken, type ILexingError } from 'chevrotain';

// Categories (never matched themselves).
/** Any token that can start a number literal. */
export const Numeral = createToken({ name: 'Numeral', pattern: Lexer.NA });
/** Any token that can be a hex group of a PCI address or MAC. */
export const HexGroup = createToken({ name: 'HexGroup', pattern: Lexer.NA });
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA });
export const MultiplicativeOperator = createToken({ name: 'MultiplicativeOperator', pattern: Lexer.NA });
/** ':' or '-' between the bytes of a MAC address. */
export const MacSeparator = createToken({ name: 'MacSeparator', pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const DotDot = createToken({ name: 'DotDot', pattern: '..' });
export const Dot = createToken({ name: 'Dot', pattern: '.' });
export const Colon = createToken({ name: 'Colon', pattern: ':', categories: [MacSeparator] });
export const Plus = createToken({ name: 'Plus', pattern: '+', categories: [AdditiveOperator] });
export const Minus = createToken({ name: 'Minus', pattern: '-', categories: [AdditiveOperator, MacSeparator] });
export const Star = createToken({ name: 'Star', pattern: '*', categories: [MultiplicativeOperator] });
export const Slash = createToken({ name: 'Slash', pattern: '/', categories: [MultiplicativeOperator] });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });

/** Digit-first run of hex digits with at least one letter: `1c`, `0a`, `100B`. Reached through longer_alt. */
export const HexWord = createToken({ name: 'HexWord', pattern: /[0-9][0-9a-fA-F]*/, categories: [Numeral, HexGroup] });
/** `0x2A`, `0xfebf_0000`; also a bare `0x` (reported by the visitor). */
export const HexLiteral = createToken({ name: 'HexLiteral', pattern: /0[xX][0-9a-fA-F_]*/, categories: [Numeral, HexGroup] });
/** `0b1010`; also a bare `0b`, which is the hex group 0x0b in a MAC. */
export const BinLiteral = createToken({
  name: 'BinLiteral', pattern: /0b[01_]*/, longer_alt: HexWord, categories: [Numeral, HexGroup],
});
/** `42`, `1_000_000` (underscore placement is checked by the visitor). */
export const Integer = createToken({
  name: 'Integer', pattern: /[0-9][0-9_]*/, longer_alt: HexWord, categories: [Numeral, HexGroup],
});
/** Letter-first word: a unit (`GiB`, `K`) or a hex group (`fe`). */
export const Word = createToken({ name: 'Word', pattern: /[a-zA-Z_][0-9a-zA-Z_]*/, categories: [HexGroup] });

export const allTokens = [
  WhiteSpace, DotDot, Dot, Colon, Plus, Minus, Star, Slash, LParen, RParen,
  HexLiteral, BinLiteral, Integer, HexWord, Word,
  Numeral, HexGroup, AdditiveOperator, MultiplicativeOperator, MacSeparator,
];

let lexer: Lexer | undefined;

export interface Lexed {
  tokens: IToken[];
  errors: ILexingError[];
}

export function tokenize(text: string): Lexed {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  const r = lexer.tokenize(text);
  return { tokens: r.tokens, errors: r.errors };
}

/** Offset just past the token. */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}
