/** Small facts about text from a machine file that several passes need. */

/**
 * Characters no string handed to another program may hold: C0 and C1
 * controls (NUL, line breaks, tab, escape...), DEL, the Unicode line and
 * paragraph separators, and lone UTF-16 surrogates (text that is not valid
 * Unicode and cannot be written as UTF-8).
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `s` with each such character written as `\uXXXX` (backslashes doubled): one line of text, reversible. */
export function escapeControlCharacters(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(new RegExp(CONTROL.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first such character of `s`, with its index, or undefined. */
export function firstControlCharacter(s: string): { readonly index: number; readonly code: number } | undefined {
  const m = CONTROL.exec(s);
  return m ? { index: m.index, code: m[0].charCodeAt(0) } : undefined;
}

const NAMES: Record<number, string> = { 0x00: 'NUL', 0x09: 'tab', 0x0a: 'line feed', 0x0d: 'carriage return', 0x1b: 'escape', 0x7f: 'DEL', 0x2028: 'line separator', 0x2029: 'paragraph separator' };

/** 'line feed (U+000A)', 'a lone surrogate (U+D800)'. */
export function describeCharacter(code: number): string {
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return `a lone surrogate (${u})`;
  return NAMES[code] ? `a ${NAMES[code]} (${u})` : `a control character (${u})`;
}
