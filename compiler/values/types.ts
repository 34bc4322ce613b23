/** The value language's public types. */

export type ValueKind = 'int' | 'size' | 'address' | 'bdf' | 'slotfn' | 'mac' | 'range';

export type Value =
  | { kind: 'int'; value: number } // for 'int', 'size' and 'address'
  | { kind: 'bdf'; segment: number; bus: number; device: number; fn: number }
  | { kind: 'slotfn'; device: number; fn: number }
  | { kind: 'mac'; bytes: number[] } // 6 bytes
  | { kind: 'range'; first: number; last: number }; // inclusive

export type ValueErrorCode = 'syntax' | 'too-large' | 'negative' | 'kind' | 'arithmetic' | 'out-of-range';

/**
 * A problem in a value. `offset` and `length` are UTF-16 offsets into the text
 * given to parseValue (not trimmed), so `text.slice(offset, offset + length)`
 * is the culprit. `length` is 0 only for an empty value.
 */
export interface ValueError {
  code: ValueErrorCode;
  offset: number;
  length: number;
  message: string;
  /** For 'kind' errors: what the field takes, in plain words. */
  expected?: string;
  /** For 'kind' errors: what the text is, in plain words. */
  found?: string;
}

export type ValueResult = { ok: true; value: Value } | { ok: false; error: ValueError };
