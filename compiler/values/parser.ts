/**
 * The value language's grammar: pure, no semantics (see evaluate.ts).
 *
 * One parser with an entry rule per shape of value:
 *   expressionValue  int, size, address:  2 GiB + 512 MiB
 *   rangeValue       range:                0..7, 3
 *   bdfValue         bdf:                  00:1c.2, 0000:00:1c.2
 *   slotfnValue      slotfn:               1c.2, 10, 0x1c
 *   macValue         mac:                  52:54:00:12:34:56
 */
import { CstParser, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type IToken } from 'chevrotain';
import {
  AdditiveOperator, allTokens, Colon, Dot, DotDot, HexGroup, LParen, MacSeparator, Minus, MultiplicativeOperator,
  Numeral, RParen, Word,
} from './lexer.js';

/**
 * Chevrotain's messages are replaced by the user-facing ones in index.ts. A
 * mismatch's message is just the expected token type's name ('Dot', 'RParen');
 * the others are empty. This also skips chevrotain's costly expected-path texts.
 */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: () => '',
  buildNoViableAltMessage: () => '',
  buildEarlyExitMessage: () => '',
};

class ValueParser extends CstParser {
  constructor() {
    super(allTokens, { maxLookahead: 1, errorMessageProvider });
    this.performSelfAnalysis();
  }

  public expressionValue = this.RULE('expressionValue', () => {
    this.SUBRULE(this.expression);
  });

  public rangeValue = this.RULE('rangeValue', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(DotDot);
      this.SUBRULE2(this.expression);
    });
  });

  /** [segment:]bus:device.function */
  public bdfValue = this.RULE('bdfValue', () => {
    this.CONSUME(HexGroup);
    this.CONSUME(Colon);
    this.CONSUME2(HexGroup);
    this.OPTION(() => {
      this.CONSUME2(Colon);
      this.CONSUME3(HexGroup);
    });
    this.CONSUME(Dot);
    this.CONSUME4(HexGroup);
  });

  /** device[.function] */
  public slotfnValue = this.RULE('slotfnValue', () => {
    this.CONSUME(HexGroup);
    this.OPTION(() => {
      this.CONSUME(Dot);
      this.CONSUME2(HexGroup);
    });
  });

  /** Groups separated by ':' or '-' (the count is checked by the visitor). */
  public macValue = this.RULE('macValue', () => {
    this.CONSUME(HexGroup);
    this.MANY(() => {
      this.CONSUME(MacSeparator);
      this.CONSUME2(HexGroup);
    });
  });

  /** Sums of products: `+` and `-` bind loosest. */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.CONSUME(AdditiveOperator);
      this.SUBRULE2(this.multiplicative);
    });
  });

  public multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(MultiplicativeOperator);
      this.SUBRULE2(this.unary);
    });
  });

  /** A negation, a parenthesized expression or a literal: number[.fraction] [unit] — `1.5 GiB`, `512MiB`, `0x1000`. */
  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus);
          this.SUBRULE(this.unary);
        },
      },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Numeral);
          this.OPTION(() => {
            this.CONSUME(Dot);
            this.CONSUME2(Numeral);
          });
          this.OPTION2(() => this.CONSUME(Word));
        },
      },
    ]);
  });
}

let instance: ValueParser | undefined;

/** The parser, built on first use: chevrotain's grammar analysis is costly and most values never need it. */
export function getParser(): ValueParser {
  instance ??= new ValueParser();
  return instance;
}

export type EntryRule = 'expressionValue' | 'rangeValue' | 'bdfValue' | 'slotfnValue' | 'macValue';

export type ParseOutcome = { ok: true; cst: CstNode } | { ok: false; error: IRecognitionException };

/** Parses a token list with one entry rule. The parser is a singleton: input is reset on every call. */
export function parseTokens(tokens: IToken[], rule: EntryRule): ParseOutcome {
  const parser = getParser();
  parser.input = tokens;
  const cst = parser[rule]();
  const error = parser.errors[0];
  if (error) return { ok: false, error };
  return { ok: true, cst };
}
