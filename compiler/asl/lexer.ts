/**
 * ASL 2.0 tokens (ACPI 6.4 §19.2 "ASL Grammar").
 *
 * Keywords are not tokens of their own: every identifier and name path
 * (`Device`, `Local0`, `\_SB.PCI0`, `^^FOO`) is a NamePath token and the
 * visitor and compiler give it its meaning, so the grammar stays small and
 * a misspelt keyword is reported as an unknown name at its place.
 *
 * Ordering notes:
 * - NamePath before the operators, so `^FOO` (parent prefix) is a path while
 *   a `^` not followed by a name character is XOR.
 * - Longer operators before their prefixes (`<<=` before `<<` before `<`).
 */
import { createToken, Lexer, type ILexingError, type IToken, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
/** A string literal with C escapes (§19.2.3 String). */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\.)*"/ });
/** 0x1F, 31, 037 (octal, as in C); the visitor reads the value. */
export const Number = createToken({ name: 'Number', pattern: /0[xX][0-9a-fA-F]+|[0-9]+/ });
/** Root or parent prefixes, then NameSegs separated by dots; a lone `\` is the root. */
export const NamePath = createToken({ name: 'NamePath', pattern: /\\(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?|\^+[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/ });

export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });

/** `=` and the compound assignments (§19.2.4 ASL 2.0 symbolic operators). */
export const AssignOperator = createToken({ name: 'AssignOperator', pattern: Lexer.NA });
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA });
export const UnaryOperator = createToken({ name: 'UnaryOperator', pattern: Lexer.NA });
export const PostfixOperator = createToken({ name: 'PostfixOperator', pattern: Lexer.NA });

const op = (name: string, pattern: string, ...categories: TokenType[]): TokenType => createToken({ name, pattern, categories });

export const ShlAssign = op('ShlAssign', '<<=', AssignOperator);
export const ShrAssign = op('ShrAssign', '>>=', AssignOperator);
export const AddAssign = op('AddAssign', '+=', AssignOperator);
export const SubAssign = op('SubAssign', '-=', AssignOperator);
export const MulAssign = op('MulAssign', '*=', AssignOperator);
export const DivAssign = op('DivAssign', '/=', AssignOperator);
export const ModAssign = op('ModAssign', '%=', AssignOperator);
export const AndAssign = op('AndAssign', '&=', AssignOperator);
export const OrAssign = op('OrAssign', '|=', AssignOperator);
export const XorAssign = op('XorAssign', '^=', AssignOperator);
export const EqEq = op('EqEq', '==', BinaryOperator);
export const NotEq = op('NotEq', '!=', BinaryOperator);
export const LessEq = op('LessEq', '<=', BinaryOperator);
export const GreaterEq = op('GreaterEq', '>=', BinaryOperator);
export const AndAnd = op('AndAnd', '&&', BinaryOperator);
export const OrOr = op('OrOr', '||', BinaryOperator);
export const Increment = op('Increment', '++', PostfixOperator);
export const Decrement = op('Decrement', '--', PostfixOperator);
export const Shl = op('Shl', '<<', BinaryOperator);
export const Shr = op('Shr', '>>', BinaryOperator);
export const Assign = op('Assign', '=', AssignOperator);
export const Less = op('Less', '<', BinaryOperator);
export const Greater = op('Greater', '>', BinaryOperator);
export const Plus = op('Plus', '+', BinaryOperator);
export const Minus = op('Minus', '-', BinaryOperator);
export const Star = op('Star', '*', BinaryOperator);
export const Slash = op('Slash', '/', BinaryOperator);
export const Percent = op('Percent', '%', BinaryOperator);
export const Amp = op('Amp', '&', BinaryOperator);
export const Pipe = op('Pipe', '|', BinaryOperator);
export const Caret = op('Caret', '^', BinaryOperator);
export const Bang = op('Bang', '!', UnaryOperator);
export const Tilde = op('Tilde', '~', UnaryOperator);

export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, StringLiteral, Number, NamePath,
  LParen, RParen, LBrace, RBrace, LBracket, RBracket, Comma,
  ShlAssign, ShrAssign, AddAssign, SubAssign, MulAssign, DivAssign, ModAssign, AndAssign, OrAssign, XorAssign,
  EqEq, NotEq, LessEq, GreaterEq, AndAnd, OrOr, Increment, Decrement, Shl, Shr,
  Assign, Less, Greater, Plus, Minus, Star, Slash, Percent, Amp, Pipe, Caret, Bang, Tilde,
  AssignOperator, BinaryOperator, UnaryOperator, PostfixOperator,
];

let lexer: Lexer | undefined;

export function tokenize(text: string): { tokens: IToken[]; errors: ILexingError[] } {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  const r = lexer.tokenize(text);
  return { tokens: r.tokens, errors: r.errors };
}

/** Offset just past a token. */
export const tokenEnd = (t: IToken): number => t.startOffset + t.image.length;
