/**
 * A small XML writer for the libvirt domain: elements with attributes in the
 * order given, text escaped, two-space indentation, `'` around attribute
 * values as libvirt writes them. Output is a function of the tree only.
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs?: readonly (readonly [string, string | number | undefined])[];
  readonly children?: readonly (XmlElement | undefined)[];
  readonly text?: string;
}

export function el(name: string, attrs: XmlElement['attrs'] = [], children: XmlElement['children'] = [], text?: string): XmlElement {
  return { name, attrs, children, ...(text !== undefined ? { text } : {}) };
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/'/g, '&apos;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

function write(e: XmlElement, indent: string, out: string[]): void {
  const attrs = (e.attrs ?? []).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}='${escapeAttr(String(v))}'`).join('');
  const kids = (e.children ?? []).filter((c): c is XmlElement => c !== undefined);
  if (kids.length === 0 && e.text === undefined) {
    out.push(`${indent}<${e.name}${attrs}/>`);
    return;
  }
  if (kids.length === 0) {
    out.push(`${indent}<${e.name}${attrs}>${escapeText(e.text!)}</${e.name}>`);
    return;
  }
  out.push(`${indent}<${e.name}${attrs}>`);
  for (const k of kids) write(k, `${indent}  `, out);
  out.push(`${indent}</${e.name}>`);
}

/** The document's text, one element per line, ending in a newline. */
export function renderXml(root: XmlElement, comment?: string): string {
  const out: string[] = [];
  if (comment !== undefined) out.push(`<!-- ${comment.replace(/--/g, '- -')} -->`);
  write(root, '', out);
  return `${out.join('\n')}\n`;
}
