/**
 * Tests that need a Debian tool (iasl, acpiexec, qemu-system-x86_64, chromium)
 * use these helpers: in CI (CI=true) a missing tool fails the test; elsewhere
 * the test is skipped with a message saying what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ToolStatus {
  readonly ok: boolean;
  readonly reason: string;
}

const cache = new Map<string, ToolStatus>();

/** Debian package that provides each tool (by name or path), for the skip message. */
const PACKAGES: Record<string, string> = {
  iasl: 'acpica-tools',
  acpiexec: 'acpica-tools',
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-system-i386': 'qemu-system-x86',
  chromium: 'chromium',
  as: 'binutils',
  ld: 'binutils',
  objcopy: 'binutils',
  nm: 'binutils',
  gcc: 'gcc, gcc-multilib',
  'qemu-img': 'qemu-utils',
  'qemu-io': 'qemu-utils',
  zsh: 'zsh',
  'virt-xml-validate': 'libvirt-clients',
  xmllint: 'libxml2-utils',
  fish: 'fish',
};

export function toolStatus(tool: string): ToolStatus {
  const hit = cache.get(tool);
  if (hit) return hit;
  const found = tool.startsWith('/') ? existsSync(tool) : spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
  const status = found ? { ok: true, reason: '' } : { ok: false, reason: `${tool} is not installed (Debian package ${PACKAGES[tool.replace(/^.*\//, '')] ?? tool})` };
  cache.set(tool, status);
  return status;
}

export const inCi = (): boolean => Boolean(process.env['CI']) && process.env['CI'] !== 'false' && process.env['CI'] !== '0';

/**
 * Whether tests needing these tools should run. In CI a missing tool throws
 * (the suite fails); elsewhere it returns false after printing why.
 */
export function needTools(...tools: string[]): boolean {
  const missing = tools.map(toolStatus).filter((s) => !s.ok);
  if (missing.length === 0) return true;
  const why = missing.map((m) => m.reason).join('; ');
  if (inCi()) throw new Error(`required tool missing in CI: ${why}`);
  console.warn(`skipping: ${why}`);
  return false;
}
