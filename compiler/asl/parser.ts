/**
 * The ASL 2.0 grammar: pure, no semantics (see visitor.ts).
 *
 * ASL's shape is regular: every operator, declaration and resource macro is
 * `Keyword (arguments) { body }` with either part optional, arguments may be
 * empty (`,,` leaves an optional one out), and a body is a list of terms or of
 * comma-separated elements (package elements, buffer bytes, field units,
 * interrupt numbers). The ASL 2.0 symbolic operators (§19.2.4) sit on top with
 * C's precedence:
 *
 *   =  +=  -=  ...   (right)
 *   ||   &&   |   ^   &   == !=   < > <= >=   << >>   + -   * / %
 *   ! ~              (prefix)
 *   ++ -- [index]    (postfix)
 *
 * Which keyword takes which arguments is data (operators.ts), checked by the
 * compiler, not grammar: a misspelt or misused keyword is a located
 * diagnostic rather than a parse failure at a distance.
 */
import { CstParser, type IParserErrorMessageProvider, type IToken } from 'chevrotain';
import {
  allTokens, AssignOperator, BinaryOperator, Comma, LBrace, LBracket, LParen, NamePath, Number, PostfixOperator, RBrace,
  RBracket, RParen, StringLiteral, UnaryOperator,
} from './lexer.js';

/** Messages are written by the compiler from the token found; chevrotain's own texts are not used. */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: () => '',
  buildNoViableAltMessage: () => '',
  buildEarlyExitMessage: () => '',
};

class AslParser extends CstParser {
  constructor() {
    super(allTokens, { maxLookahead: 2, errorMessageProvider, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  /** A whole file or block scalar: terms (a DefinitionBlock, or a device's body). */
  public file = this.RULE('file', () => {
    this.SUBRULE(this.items);
  });

  /** Terms or elements, commas kept so element lists can be split. */
  public items = this.RULE('items', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Comma) },
        { ALT: () => this.SUBRULE(this.expression) },
      ]);
    });
  });

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.operation);
    this.OPTION(() => {
      this.CONSUME(AssignOperator);
      this.SUBRULE(this.expression);
    });
  });

  /**
   * Operands joined by binary operators. The visitor groups them by
   * precedence (one flat rule keeps the tree shallow: a term is a few CST
   * nodes deep, not one per precedence level).
   */
  public operation = this.RULE('operation', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(BinaryOperator);
      this.SUBRULE2(this.unary);
    });
  });

  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(UnaryOperator);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  public postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(PostfixOperator) },
        {
          ALT: () => {
            this.CONSUME(LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(RBracket);
          },
        },
      ]);
    });
  });

  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(Number) },
      { ALT: () => this.CONSUME(StringLiteral) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.invocation) },
    ]);
  });

  /** `Name`, `Name (args)`, `Name (args) { items }`, `Name { items }`. */
  public invocation = this.RULE('invocation', () => {
    this.CONSUME(NamePath);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.SUBRULE(this.args);
      this.CONSUME(RParen);
    });
    this.OPTION2(() => {
      this.CONSUME(LBrace);
      this.SUBRULE(this.items);
      this.CONSUME(RBrace);
    });
  });

  /** Comma-separated arguments, any of which may be left empty. */
  public args = this.RULE('args', () => {
    this.OPTION(() => this.SUBRULE(this.expression));
    this.MANY(() => {
      this.CONSUME(Comma);
      this.OPTION2(() => this.SUBRULE2(this.expression));
    });
  });
}

let parser: AslParser | undefined;

export function getParser(): AslParser {
  parser ??= new AslParser();
  return parser;
}

export type { AslParser };
export type { IToken };
