/**
 * How strings from a machine file are written into QEMU options, and what
 * image paths may be.
 *
 * QEMU reads `-device`, `-drive` and the other option values as
 * `key=value,key=value` (QemuOpts, util/qemu-option.c): a comma inside a value
 * is written as two. qemu.args holds one option per line, so no value may
 * hold a line break; the checks reject control characters in every string
 * that reaches QEMU (MD1109), and these encoders refuse them as a last guard.
 *
 * Image paths are plain file paths, relative to the machine file's folder or
 * absolute. QEMU would read `nbd://host/x`, `json:{...}` or `fat:rw:/dir` as a
 * protocol (block.c path_has_protocol: a colon before the first slash), so
 * such a path is written `./nbd://host/x`: QEMU opens the file of that name,
 * never the protocol. Paths that are not plain files (protocol-like names,
 * host devices under /dev) get a warning (MD1110).
 */
import { describeCharacter, escapeControlCharacters, firstControlCharacter } from '../../util/text.js';

/** A value for a QEMU option: commas doubled; control characters are a bug here (the checks reject them). */
export function qemuOptionValue(s: string): string {
  const bad = firstControlCharacter(s);
  if (bad) throw new Error(`a QEMU option value holds ${describeCharacter(bad.code)}: ${JSON.stringify(s)}`);
  return s.replace(/,/g, ',,');
}

/** Whether QEMU's block layer would read the path as `protocol:...` (a colon before the first slash). */
export function looksLikeProtocol(path: string): boolean {
  const cut = path.search(/[:/]/);
  return cut >= 0 && path[cut] === ':';
}

/** An image path as QEMU must be given it to open exactly that file. */
export function qemuImagePath(path: string): string {
  return looksLikeProtocol(path) ? `./${path}` : path;
}

/** Why an image path is not a plain file path (for MD1110), or undefined when it is one. */
export function imagePathConcern(path: string): string | undefined {
  if (looksLikeProtocol(path)) {
    return `QEMU would read it as a protocol (${path.slice(0, path.indexOf(':') + 1)}); machc names it as the file ./${path}`;
  }
  if (/^\/dev(\/|$)/.test(path)) return 'it is a host device: the guest writes to it directly';
  if (/^\/(proc|sys)(\/|$)/.test(path)) return 'it is in a kernel pseudo-filesystem, not a disk image';
  if (/(^|\/)\.?\.?$/.test(path)) return 'it names a directory, not a file';
  return undefined;
}

/** Text for a `#` comment line in qemu.args: one line whatever `s` holds. */
export const argsCommentText = escapeControlCharacters;
