/**
 * A small busybox initramfs for booting Linux to a shell: /init mounts /proc
 * and /sys, reports what user space sees on the console (kernel release, CPUs,
 * PCI functions, a digest computed by busybox), then execs a shell, whose
 * prompt is SHELL_PROMPT. Used by the runtime's Linux boot test and the
 * Linux-to-shell benchmark, on machc's runtime and on QEMU alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeCpio } from '../interop/cpio.js';

export const BUSYBOX = '/bin/busybox';
/** What busybox's shell prints as its prompt at / (after a newline). */
export const SHELL_PROMPT = '\n/ # ';

const INIT = [
  '#!/bin/busybox sh',
  '/bin/busybox --install -s /bin',
  'mount -t proc proc /proc',
  'mount -t sysfs sysfs /sys',
  'echo "machc-user: $(uname -sr) cpus=$(grep -c ^processor /proc/cpuinfo) pci=$(ls /sys/bus/pci/devices | wc -l)"',
  'echo "machc-sum: $(echo machc | md5sum)"',
  'exec sh',
  '',
].join('\n');

/** Writes the gzip'd cpio into `dir` and returns its path. */
export function writeShellInitramfs(dir: string): string {
  const path = join(dir, 'initrd.cpio.gz');
  const cpio = writeCpio([
    { kind: 'dir', name: 'bin', mode: 0o755 },
    { kind: 'dir', name: 'proc', mode: 0o755 },
    { kind: 'dir', name: 'sys', mode: 0o755 },
    { kind: 'dir', name: 'dev', mode: 0o755 },
    { kind: 'chardev', name: 'dev/console', major: 5, minor: 1, mode: 0o600 },
    { kind: 'file', name: 'bin/busybox', data: readFileSync(BUSYBOX), mode: 0o755 },
    { kind: 'file', name: 'init', data: Buffer.from(INIT), mode: 0o755 },
  ]);
  writeFileSync(path, gzipSync(cpio));
  return path;
}
