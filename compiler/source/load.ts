/**
 * Reading a machine file from disk: size limit, UTF-8 check, byte order mark.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { SourceFile } from './source-file.js';

/** 512 KiB: some 6,000 devices written out, far above any real machine (1,000 functions take 80 KiB), and small enough that any file, even one only the yaml library reads (about 1 KiB/ms), is diagnosed in under 2 s. */
export const MAX_FILE_BYTES = 512 * 1024;

/** How diagnostics name standard input (`-` on the command line). */
export const STDIN_PATH = '<stdin>';

/**
 * Decodes bytes as UTF-8. Problems (bad UTF-8, NUL bytes) are reported; the
 * source is still returned, decoded leniently, so diagnostics can show the line.
 */
export function decodeSource(path: string, bytes: Uint8Array, diags: DiagnosticBag): SourceFile | undefined {
  if (bytes.length > MAX_FILE_BYTES) {
    diags.reportFile(Diag.fileTooLarge, path, { size: bytes.length, limit: MAX_FILE_BYTES });
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

/** How long a read waits for a pipe or terminal that has nothing to read yet. */
export const READ_WAIT_MS = 5_000;

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly tooLarge?: undefined }
  | { readonly ok: false; readonly tooLarge: number; readonly stream: boolean; readonly reason?: undefined };

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads at most `limit` bytes of a file, whatever it is: the read itself is
 * bounded (a device such as /dev/zero never ends, and stat says nothing of
 * its size), a FIFO or terminal is opened without blocking and given
 * READ_WAIT_MS to produce data (a FIFO with no writer reads as empty), and a
 * directory is refused. More than `limit` bytes is `tooLarge`.
 */
export function readBounded(path: string, limit = MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { ok: false, reason: fsReason(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'it is a directory' };
    if (st.isFile() && st.size > limit) return { ok: false, tooLarge: st.size, stream: false };
    return readOpen(fd, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an open descriptor to its end, at most `limit` bytes (more is
 * `tooLarge`), waiting up to READ_WAIT_MS while a non-blocking one has
 * nothing yet. Standard input is read this way (fd 0): it may be a pipe, a
 * socket or a terminal, which cannot always be opened again by name.
 */
export function readOpen(fd: number, limit = MAX_FILE_BYTES): ReadResult {
  const chunks: Buffer[] = [];
  let total = 0;
  let waited = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') break;
      if (code !== 'EAGAIN') return { ok: false, reason: fsReason(e) };
      if (waited >= READ_WAIT_MS) return { ok: false, reason: `nothing arrived to read within ${READ_WAIT_MS / 1000} s (a pipe or terminal with no writer?)` };
      Atomics.wait(sleeper, 0, 0, 20);
      waited += 20;
      continue;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > limit) return { ok: false, tooLarge: total, stream: true };
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'it is a directory';
  if (err.code === 'ELOOP') return 'too many symbolic links';
  if (err.code === 'ENAMETOOLONG') return 'the path is too long';
  return (err.message ?? String(e)).replace(/^[A-Z]+: /, '');
}

/** A failed read as a diagnostic about the whole file (no position in it): MD0001 unreadable, MD0004 too large. */
export function reportUnread(r: Exclude<ReadResult, { ok: true }>, path: string, diags: DiagnosticBag): void {
  if (r.tooLarge !== undefined) diags.reportFile(Diag.fileTooLarge, path, { size: r.tooLarge, limit: MAX_FILE_BYTES, stream: r.stream });
  else diags.reportFile(Diag.fileUnreadable, path, { reason: r.reason });
}

/** Reads a file's bytes (bounded: readBounded); a file that cannot be read is reported (reportUnread). */
export function readSourceBytes(path: string, diags: DiagnosticBag): Uint8Array | undefined {
  const r = readBounded(path);
  if (r.ok) return r.bytes;
  reportUnread(r, path, diags);
  return undefined;
}

/** Reads and decodes a file (readSourceBytes, then decodeSource). */
export function loadSource(path: string, diags: DiagnosticBag): SourceFile | undefined {
  const bytes = readSourceBytes(path, diags);
  return bytes ? decodeSource(path, bytes, diags) : undefined;
}

/** Whether the diagnostics say a file could not be read at all (the command then exits 2, as for a bad argument). */
export function unreadable(diags: DiagnosticBag): boolean {
  return diags.items.some((d) => d.code === Diag.fileUnreadable.code);
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
