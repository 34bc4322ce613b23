/**
 * What the ASL compiler reports, before it is placed in a file: a kind (one
 * catalog entry each, MD15xx), a sentence and the range in the ASL text.
 */
import type { Range } from './ast.js';

export type AslProblemKind =
  | 'syntax'
  | 'undefined-name'
  | 'argument-count'
  | 'type'
  | 'duplicate-name'
  | 'invalid-value'
  | 'uninitialized'
  | 'definition-block'
  | 'unsupported';

export interface AslProblem {
  readonly kind: AslProblemKind;
  readonly message: string;
  readonly range: Range;
  /** Where the earlier declaration is, for duplicate names. */
  readonly related?: { readonly message: string; readonly range: Range };
}

/** Thrown inside the compiler to abandon one term; caught where the term list goes on. */
export class AslFailure {
  constructor(readonly problem: AslProblem) {}
}
