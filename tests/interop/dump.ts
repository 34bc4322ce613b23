// Parses the dump the guest /init prints on the serial console.
// Framing: "@@MACHC-DUMP-BEGIN size=N md5=HEX@@", base64 lines of a gzip'd newc cpio, "@@MACHC-DUMP-END@@".
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { isRegularFile, readCpio } from './cpio.js';

const BEGIN_RE = /@@MACHC-DUMP-BEGIN size=(\d+) md5=([0-9a-f]{32})@@/;
const END = '@@MACHC-DUMP-END@@';

export class DumpError extends Error {}

/** Extract the dumped files (path inside the archive -> bytes) from raw serial output. */
export function parseSerialDump(serial: string): Map<string, Buffer> {
  const lines = serial.split(/\r?\n|\r/);
  const begin = lines.findIndex((l) => BEGIN_RE.test(l));
  if (begin < 0) throw new DumpError('dump BEGIN marker not found in serial output');
  const m = BEGIN_RE.exec(lines[begin] ?? '');
  const size = Number(m?.[1]);
  const md5 = m?.[2] ?? '';
  const end = lines.findIndex((l, i) => i > begin && l.includes(END));
  if (end < 0) throw new DumpError('dump END marker not found (guest died or timed out mid-dump?)');
  // Anything that is not pure base64 (a stray kernel message) is dropped; the md5 check catches damage.
  const b64 = lines
    .slice(begin + 1, end)
    .map((l) => l.trim())
    .filter((l) => /^[A-Za-z0-9+/]+={0,2}$/.test(l))
    .join('');
  const gz = Buffer.from(b64, 'base64');
  if (gz.length !== size) throw new DumpError(`dump size mismatch: got ${gz.length} bytes, guest said ${size}`);
  const got = createHash('md5').update(gz).digest('hex');
  if (got !== md5) throw new DumpError(`dump md5 mismatch: got ${got}, guest said ${md5}`);
  const files = new Map<string, Buffer>();
  for (const e of readCpio(gunzipSync(gz))) {
    if (isRegularFile(e.mode)) files.set(e.name, Buffer.from(e.data));
  }
  return files;
}
