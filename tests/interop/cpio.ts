// Minimal cpio "newc" (SVR4, no CRC) writer and reader.
// Used to build the guest initramfs and to unpack the dump archive the guest sends back.

export type CpioEntry =
  | { kind: 'file'; name: string; data: Buffer; mode?: number }
  | { kind: 'dir'; name: string; mode?: number }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'chardev'; name: string; major: number; minor: number; mode?: number };

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const MAGIC = '070701';
const HEADER_LEN = 110;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

/** Serialise entries into a newc archive (with trailer). Parent directories must be listed before children. */
export function writeCpio(entries: CpioEntry[], mtime = 0): Buffer {
  const chunks: Buffer[] = [];
  let ino = 1;
  const push = (name: string, mode: number, data: Buffer, rdevMajor = 0, rdevMinor = 0, nlink = 1): void => {
    const nameBuf = Buffer.from(name + '\0', 'utf8');
    const header =
      MAGIC +
      hex8(ino++) +
      hex8(mode) +
      hex8(0) + // uid
      hex8(0) + // gid
      hex8(nlink) +
      hex8(mtime) +
      hex8(data.length) +
      hex8(0) + // devmajor
      hex8(0) + // devminor
      hex8(rdevMajor) +
      hex8(rdevMinor) +
      hex8(nameBuf.length) +
      hex8(0); // check
    chunks.push(Buffer.from(header, 'ascii'), nameBuf, Buffer.alloc(pad4(HEADER_LEN + nameBuf.length)));
    chunks.push(data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    const name = e.name.replace(/^\/+/, '');
    switch (e.kind) {
      case 'file':
        push(name, S_IFREG | (e.mode ?? 0o644), e.data);
        break;
      case 'dir':
        push(name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0), 0, 0, 2);
        break;
      case 'symlink':
        push(name, S_IFLNK | 0o777, Buffer.from(e.target, 'utf8'));
        break;
      case 'chardev':
        push(name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), e.major, e.minor);
        break;
    }
  }
  push('TRAILER!!!', 0, Buffer.alloc(0));
  return Buffer.concat(chunks);
}

export interface CpioReadEntry {
  name: string;
  mode: number;
  data: Buffer;
}

/** Parse a newc archive (as produced by busybox `cpio -o -H newc`). Stops at the trailer. */
export function readCpio(buf: Buffer): CpioReadEntry[] {
  const out: CpioReadEntry[] = [];
  let off = 0;
  while (off + HEADER_LEN <= buf.length) {
    const magic = buf.toString('ascii', off, off + 6);
    if (magic !== MAGIC && magic !== '070702') throw new Error(`cpio: bad magic ${JSON.stringify(magic)} at offset ${off}`);
    const field = (i: number): number => parseInt(buf.toString('ascii', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1);
    const fileSize = field(6);
    const nameSize = field(11);
    const nameStart = off + HEADER_LEN;
    const name = buf.toString('utf8', nameStart, nameStart + nameSize - 1);
    const dataStart = nameStart + nameSize + pad4(HEADER_LEN + nameSize);
    const dataEnd = dataStart + fileSize;
    if (dataEnd > buf.length) throw new Error(`cpio: truncated entry ${name}`);
    if (name === 'TRAILER!!!') return out;
    out.push({ name: name.replace(/^\.\//, ''), mode, data: buf.subarray(dataStart, dataEnd) });
    off = dataEnd + pad4(fileSize);
  }
  throw new Error('cpio: archive has no trailer (truncated?)');
}

export function isRegularFile(mode: number): boolean {
  return (mode & 0o170000) === S_IFREG;
}
