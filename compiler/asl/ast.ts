/**
 * The ASL syntax tree the visitor builds: what the text says, with the
 * offset of every part, before any keyword is given a meaning.
 */

/** A half-open range of offsets in the ASL text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export type AslNode = IntLit | StrLit | Invocation | BinaryExpr | UnaryExpr | AssignExpr | PostfixExpr | IndexExpr | Paren;

export interface IntLit {
  readonly kind: 'int';
  readonly value: bigint;
  readonly range: Range;
}

export interface StrLit {
  readonly kind: 'str';
  readonly value: string;
  readonly range: Range;
}

/** A comma in a body: element lists are split on them, term lists ignore them. */
export interface CommaItem {
  readonly kind: 'comma';
  readonly range: Range;
}

export type BodyItem = AslNode | CommaItem;

/** `Name`, `Keyword (args)`, `Keyword (args) { body }`; an empty argument is undefined. */
export interface Invocation {
  readonly kind: 'call';
  readonly name: string;
  readonly nameRange: Range;
  readonly args: readonly (AslNode | undefined)[] | undefined;
  readonly body: readonly BodyItem[] | undefined;
  readonly range: Range;
}

export type BinaryOp = '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly opRange: Range;
  readonly left: AslNode;
  readonly right: AslNode;
  readonly range: Range;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '!' | '~';
  readonly operand: AslNode;
  readonly range: Range;
}

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '<<=' | '>>=' | '&=' | '|=' | '^=';

export interface AssignExpr {
  readonly kind: 'assign';
  readonly op: AssignOp;
  readonly opRange: Range;
  readonly target: AslNode;
  readonly value: AslNode;
  readonly range: Range;
}

export interface PostfixExpr {
  readonly kind: 'postfix';
  readonly op: '++' | '--';
  readonly operand: AslNode;
  readonly range: Range;
}

export interface IndexExpr {
  readonly kind: 'index';
  readonly source: AslNode;
  readonly index: AslNode;
  readonly range: Range;
}

/** A parenthesised expression (kept so ranges cover the parentheses). */
export interface Paren {
  readonly kind: 'paren';
  readonly inner: AslNode;
  readonly range: Range;
}
