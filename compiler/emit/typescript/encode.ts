/**
 * Encoders for text that goes into generated TypeScript: every string that
 * comes from a machine file (names, ids, descriptions, serials, paths)
 * reaches generated code only through one of these, so no input can end a
 * literal or a comment early, or bind a name the module itself uses.
 *
 * Each is a small pure function, usable by any emitter; the property tests
 * (tests/codegen/encode.test.ts) parse the output back with TypeScript and
 * require exactly the input.
 */

/**
 * Characters escaped in literals and comments: C0 and C1 controls, DEL, the
 * line terminators JavaScript knows (LF, CR, U+2028, U+2029), bidirectional
 * overrides and isolates (they make code read differently from how it runs),
 * the byte order mark, and lone UTF-16 surrogates (not encodable in UTF-8).
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function escapeUnsafe(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A single-quoted string literal that evaluates to exactly `s`. */
export function stringLiteral(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(UNSAFE, escapeUnsafe)}'`;
}

/**
 * Text for a `//` comment: stays on one line whatever `s` holds. Backslashes
 * and unsafe characters are written as string-literal escapes, so
 * `decodeCommentText` (JSON-style unescaping) gives `s` back; ordinary text
 * reads unchanged.
 */
export function commentText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(UNSAFE, escapeUnsafe);
}

/** Text for a `/** ... *\/` comment: commentText, with `*\/` written `*\\/` so it cannot end the comment. */
export function docCommentText(s: string): string {
  return commentText(s).replace(/\*\//g, '*\\/');
}

/** The inverse of commentText (and of docCommentText). */
export function decodeCommentText(text: string): string {
  return text.replace(/\\(u[0-9a-f]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    const short = Object.entries(SHORT).find(([, v]) => v === `\\${e}`);
    return short ? short[0] : e;
  });
}

const IDENTIFIER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name in an object literal or interface: bare when it can be, quoted otherwise. */
export function propertyKey(s: string): string {
  // `__proto__: x` (bare or quoted) in an object literal sets the prototype; a computed key does not.
  if (s === '__proto__') return `[${stringLiteral(s)}]`;
  return IDENTIFIER_NAME.test(s) ? s : stringLiteral(s);
}

/** Member access for a property: `.name` or `['na-me']`. */
export function memberAccess(s: string): string {
  return IDENTIFIER_NAME.test(s) && s !== '__proto__' ? `.${s}` : `[${stringLiteral(s)}]`;
}

/**
 * Names no generated binding may take: ECMAScript reserved words (strict and
 * module code included), the names strict code cannot bind (`eval`,
 * `arguments`), global values a module may rely on, and TypeScript's
 * contextual type names.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await async of get set as from type declare namespace module ' +
    'eval arguments undefined NaN Infinity globalThis Object Array Function String Number Boolean Symbol BigInt Error Map Set ' +
    'Promise Math JSON Reflect Proxy Date RegExp Partial Readonly Record Required any unknown never object string number ' +
    'boolean symbol bigint require exports process'
  ).split(' '),
);

/**
 * A readable binding identifier for `text` ('sw0-p1' -> 'sw0P1') that is
 * not reserved and not in `taken` (the names the module already uses); it is
 * added to `taken`, so distinct calls give distinct names.
 */
export function bindingIdentifier(text: string, taken: Set<string>): string {
  let name = [...text].map((c) => (/[A-Za-z0-9_$]/.test(c) ? c : '-')).join('');
  name = name.replace(/-+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
  if (!/^[A-Za-z_$]/.test(name)) name = `d${name}`;
  if (RESERVED_NAMES.has(name)) name = `${name}Dev`;
  let unique = name;
  for (let i = 2; taken.has(unique) || RESERVED_NAMES.has(unique); i++) unique = `${name}${i}`;
  taken.add(unique);
  return unique;
}
