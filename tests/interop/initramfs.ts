// Builds (and caches) the busybox initramfs used by the interop boot harness.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type CpioEntry, writeCpio } from './cpio.js';

export const BUSYBOX = '/bin/busybox';

/** Modules put into the initramfs. Only qemu_fw_cfg (always) and pci-pf-stub (when VFs are requested) are loaded by default. */
export const INITRAMFS_MODULES = [
  'qemu_fw_cfg',
  'pci-pf-stub',
  'nvme',
  'e1000e',
  'e1000',
  'igb',
  'igbvf',
  'virtio_pci',
  'virtio_net',
  'virtio_blk',
] as const;

export interface KernelInfo {
  version: string;
  vmlinuz: string;
  moduleDir: string;
}

/** Find a /boot/vmlinuz-VERSION that has a matching /lib/modules/VERSION/modules.dep. */
export function findKernel(): KernelInfo | undefined {
  if (!existsSync('/boot')) return undefined;
  const candidates = readdirSync('/boot')
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .filter((v) => existsSync(join('/lib/modules', v, 'modules.dep')))
    .sort();
  const version = candidates[candidates.length - 1];
  if (version === undefined) return undefined;
  return { version, vmlinuz: join('/boot', `vmlinuz-${version}`), moduleDir: join('/lib/modules', version) };
}

interface ModuleFile {
  name: string; // e.g. 'pci-pf-stub'
  path: string; // absolute host path
}

/** Parse modules.dep: module base name (without .ko*) -> [relative path, deps (relative paths)]. */
function readModulesDep(moduleDir: string): Map<string, { rel: string; deps: string[] }> {
  const map = new Map<string, { rel: string; deps: string[] }>();
  for (const line of readFileSync(join(moduleDir, 'modules.dep'), 'utf8').split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === undefined) continue;
    const rel = m[1];
    const deps = (m[2] ?? '').split(/\s+/).filter(Boolean);
    map.set(moduleNameOf(rel), { rel, deps });
  }
  return map;
}

function moduleNameOf(rel: string): string {
  return basename(rel).replace(/\.ko(\.(xz|zst|gz))?$/, '');
}

/** Load order (dependencies first) for a module, as module names. */
function resolveOrder(dep: Map<string, { rel: string; deps: string[] }>, name: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const e = dep.get(n);
    if (!e) throw new Error(`module ${n} not found in modules.dep`);
    // modules.dep lists the full transitive closure; visit each so deps-of-deps come first
    for (const d of e.deps) visit(moduleNameOf(d));
    order.push(n);
  };
  visit(name);
  return order;
}

function moduleData(path: string): Buffer {
  if (path.endsWith('.ko')) return readFileSync(path);
  // Debian 12's 6.1 kernel ships uncompressed modules (CONFIG_MODULE_COMPRESS_NONE). Compressed
  // modules would need decompression here (busybox insmod in 1.35 cannot load .ko.zst).
  throw new Error(`compressed kernel module not supported by the harness: ${path}`);
}

export interface Initramfs {
  path: string;
  kernel: KernelInfo;
  modules: string[]; // module names that can be loaded via machc.mods=
}

/**
 * Build a static guest helper (tests/interop/NAME.c) with the host gcc, cached by source hash:
 * fwcfg-read (the fw_cfg port reader, used in the guest when the qemu_fw_cfg driver has no device,
 * acpi=off) and nvme-virt (NVMe Virtualization Management through the nvme driver's admin ioctl).
 * Returns undefined (and the guest then reports the helper missing) if gcc/static libc are missing.
 */
function buildGuestTool(dir: string, name: string): Buffer | undefined {
  const src = new URL(`./${name}.c`, import.meta.url);
  const text = readFileSync(src);
  const out = join(dir, `${name}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      execFileSync('gcc', ['-static', '-O2', '-s', '-o', tmp, fileURLToPath(src)], { stdio: 'pipe' });
      renameSync(tmp, out);
    } catch {
      return undefined;
    }
  }
  return readFileSync(out);
}

let cached: Initramfs | undefined;

/** Build the initramfs (cached on disk in the repository's ignored .cache/interop, keyed by a hash of its inputs). */
export function buildInitramfs(): Initramfs {
  if (cached && existsSync(cached.path)) return cached;
  const kernel = findKernel();
  if (!kernel) throw new Error('no /boot/vmlinuz-* with matching /lib/modules/*/modules.dep found');
  const initScript = readFileSync(new URL('./guest-init.sh', import.meta.url));
  const dep = readModulesDep(kernel.moduleDir);

  const available = INITRAMFS_MODULES.filter((m) => dep.has(m));
  const lists = new Map<string, string[]>();
  const files = new Map<string, ModuleFile>();
  for (const m of available) {
    const order = resolveOrder(dep, m);
    lists.set(m, order);
    for (const n of order) {
      const e = dep.get(n);
      if (e) files.set(n, { name: n, path: join(kernel.moduleDir, e.rel) });
    }
  }

  const dir = join(import.meta.dirname, '..', '..', '.cache', 'interop');
  mkdirSync(dir, { recursive: true });
  const fwcfgReader = buildGuestTool(dir, 'fwcfg-read');
  const nvmeVirt = buildGuestTool(dir, 'nvme-virt');

  const hash = createHash('sha256');
  hash.update('v1\0');
  hash.update(initScript);
  hash.update(fwcfgReader ?? 'no-fwcfg-read');
  hash.update(nvmeVirt ?? 'no-nvme-virt');
  const bb = statSync(BUSYBOX);
  hash.update(`${BUSYBOX}:${bb.size}:${bb.mtimeMs}\0${kernel.version}\0`);
  for (const f of [...files.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const st = statSync(f.path);
    hash.update(`${f.path}:${st.size}:${st.mtimeMs}\0`);
  }
  const digest = hash.digest('hex').slice(0, 16);
  const path = join(dir, `initramfs-${digest}.cpio.gz`);
  const result: Initramfs = { path, kernel, modules: available };
  if (existsSync(path)) {
    cached = result;
    return result;
  }

  const entries: CpioEntry[] = [
    { kind: 'dir', name: 'bin' },
    { kind: 'dir', name: 'sbin' },
    { kind: 'dir', name: 'usr' },
    { kind: 'dir', name: 'usr/bin' },
    { kind: 'dir', name: 'usr/sbin' },
    { kind: 'dir', name: 'dev' },
    { kind: 'chardev', name: 'dev/console', major: 5, minor: 1 },
    { kind: 'chardev', name: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { kind: 'dir', name: 'proc' },
    { kind: 'dir', name: 'sys' },
    { kind: 'dir', name: 'tmp', mode: 0o1777 },
    { kind: 'dir', name: 'out' },
    { kind: 'dir', name: 'lib' },
    { kind: 'dir', name: 'lib/modules' },
    { kind: 'dir', name: 'lib/modules/machc' },
    { kind: 'file', name: 'bin/busybox', data: readFileSync(BUSYBOX), mode: 0o755 },
    { kind: 'symlink', name: 'bin/sh', target: 'busybox' },
    { kind: 'file', name: 'init', data: initScript, mode: 0o755 },
  ];
  if (fwcfgReader) entries.push({ kind: 'file', name: 'bin/fwcfg-read', data: fwcfgReader, mode: 0o755 });
  if (nvmeVirt) entries.push({ kind: 'file', name: 'bin/nvme-virt', data: nvmeVirt, mode: 0o755 });
  for (const f of files.values()) {
    entries.push({ kind: 'file', name: `lib/modules/machc/${f.name}.ko`, data: moduleData(f.path) });
  }
  for (const [m, order] of lists) {
    const text = order.map((n) => `/lib/modules/machc/${n}.ko`).join('\n') + '\n';
    entries.push({ kind: 'file', name: `lib/modules/machc/${m}.list`, data: Buffer.from(text) });
  }
  const gz = gzipSync(writeCpio(entries), { level: 6 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, gz);
  renameSync(tmp, path); // atomic: concurrent builders race harmlessly
  cached = result;
  return result;
}
