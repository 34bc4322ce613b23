/**
 * Reading a machine file from disk: size limit, UTF-8 check, byte order mark.
 */
import { readFileSync, statSync } from 'node:fs';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { SourceFile } from './source-file.js';

export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Decodes bytes as UTF-8. Problems (bad UTF-8, NUL bytes) are reported; the
 * source is still returned, decoded leniently, so diagnostics can show the line.
 */
export function decodeSource(path: string, bytes: Uint8Array, diags: DiagnosticBag): SourceFile | undefined {
  if (bytes.length > MAX_FILE_BYTES) {
    diags.report(Diag.fileTooLarge, new SourceFile(path, '').span(0, 0), { size: bytes.length, limit: MAX_FILE_BYTES });
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const src = new SourceFile(path, prefix + new TextDecoder('utf-8').decode(bytes.subarray(bad)));
    diags.report(Diag.notUtf8, src.span(prefix.length, 1), { byteOffset: bad });
    return src;
  }
  const src = new SourceFile(path, text);
  if (text.includes('\u0000')) {
    diags.report(Diag.unsupportedYaml, src.span(text.indexOf('\u0000'), 1), { what: 'a NUL character (is this a binary file?)' });
  }
  return src;
}

/** Reads a file; errors (missing, a directory, unreadable) become MD0001. */
export function loadSource(path: string, diags: DiagnosticBag): SourceFile | undefined {
  const at = new SourceFile(path, '').span(0, 0);
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      diags.report(Diag.fileUnreadable, at, { reason: 'it is a directory' });
      return undefined;
    }
    if (st.size > MAX_FILE_BYTES) {
      diags.report(Diag.fileTooLarge, at, { size: st.size, limit: MAX_FILE_BYTES });
      return undefined;
    }
    return decodeSource(path, readFileSync(path), diags);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : (err.message ?? String(e));
    diags.report(Diag.fileUnreadable, at, { reason });
    return undefined;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
