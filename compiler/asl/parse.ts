/**
 * Text to syntax tree: lexer, parser and visitor, with every problem turned
 * into a located syntax error.
 */
import type { BodyItem, Range } from './ast.js';
import { tokenEnd, tokenize } from './lexer.js';
import { getParser } from './parser.js';
import { getVisitor, SyntaxFailure } from './visitor.js';

export interface SyntaxError {
  readonly message: string;
  readonly range: Range;
}

export type ParseResult = { readonly ok: true; readonly items: readonly BodyItem[] } | { readonly ok: false; readonly error: SyntaxError };

const TOKEN_WORDS: Record<string, string> = {
  RParen: "')'", LParen: "'('", RBrace: "'}'", LBrace: "'{'", RBracket: "']'", Comma: "','", NamePath: 'a name',
};

export function parseAsl(text: string): ParseResult {
  const lexed = tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0]!;
    const ch = text[e.offset] ?? '';
    const what = ch === '"' ? 'unterminated string' : text.startsWith('/*', e.offset) ? 'unterminated comment' : `unexpected character '${ch}'`;
    return { ok: false, error: { message: what, range: { start: e.offset, end: e.offset + Math.max(1, ch === '"' ? (text.indexOf('\n', e.offset) + 1 || text.length + 1) - 1 - e.offset : 1) } } };
  }
  const parser = getParser();
  parser.input = lexed.tokens;
  const cst = parser.file();
  if (parser.errors.length > 0) {
    const e = parser.errors[0]!;
    const t = e.token;
    const found = t.tokenType.name === 'EOF' ? 'the end of the text' : `'${t.image}'`;
    const expected = TOKEN_WORDS[e.message] ?? (e.message !== '' ? e.message : undefined);
    const message = expected ? `expected ${expected}, found ${found}` : `unexpected ${found}`;
    const at = t.tokenType.name === 'EOF' ? text.length : t.startOffset;
    return { ok: false, error: { message, range: { start: at, end: t.tokenType.name === 'EOF' ? at : tokenEnd(t) } } };
  }
  try {
    return { ok: true, items: getVisitor().visit(cst) as BodyItem[] };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: { message: e.message, range: e.range } };
    throw e;
  }
}
