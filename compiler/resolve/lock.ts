/**
 * The address lockfile (`machc check --lock`): every device's bus and
 * device.function, and every bridge's secondary bus number, so that later
 * edits to the machine never move devices nobody touched (guest device names
 * such as enp3s0 and nvme1 stay stable).
 */
import { existsSync } from 'node:fs';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SlotFn } from '../model/description.js';
import type { ResolvedMachine } from '../model/topology.js';
import { loadSource } from '../source/load.js';
import type { SourceFile, Span } from '../source/source-file.js';
import { mapGet, parseYamlTree } from '../source/yaml-tree.js';
import { formatSlotFn } from '../util/format.js';
import { parseValue } from '../values/index.js';

export const LOCK_VERSION = 1;

export interface LockEntry {
  readonly bus: string;
  readonly addr: SlotFn;
  readonly secondary: number | undefined;
  readonly span: Span;
}

export interface AddressLock {
  readonly path: string;
  readonly source: SourceFile;
  readonly span: Span;
  readonly devices: ReadonlyMap<string, LockEntry>;
}

export function lockPathFor(machinePath: string): string {
  return `${machinePath}.lock`;
}

export function readLock(path: string, diags: DiagnosticBag): AddressLock | undefined {
  if (!existsSync(path)) return undefined;
  const source = loadSource(path, diags);
  if (!source) return undefined;
  const root = parseYamlTree(source, diags);
  if (!root) return undefined;
  const invalid = (span: Span, detail: string) => {
    diags.report(Diag.lockInvalid, span, { detail });
    return undefined;
  };
  const version = mapGet(root, 'lock-version')?.value;
  if (!version || version.kind !== 'scalar' || version.value !== LOCK_VERSION) return invalid(version?.span ?? root.span, `expected lock-version: ${LOCK_VERSION}`);
  const devs = mapGet(root, 'devices')?.value;
  if (!devs || devs.kind !== 'map') return invalid(devs?.span ?? root.span, 'expected a devices mapping');
  const devices = new Map<string, LockEntry>();
  for (const e of devs.entries) {
    const v = e.value;
    if (v.kind !== 'map') return invalid(v.span, `entry ${e.key} must be a mapping`);
    const bus = mapGet(v, 'bus')?.value;
    const addr = mapGet(v, 'addr')?.value;
    const sec = mapGet(v, 'secondary-bus')?.value;
    if (!bus || bus.kind !== 'scalar' || typeof bus.value !== 'string') return invalid(v.span, `entry ${e.key} needs bus`);
    if (!addr || addr.kind !== 'scalar') return invalid(v.span, `entry ${e.key} needs addr`);
    const parsed = parseValue(addr.text, 'slotfn');
    if (!parsed.ok || parsed.value.kind !== 'slotfn') return invalid(addr.span, `entry ${e.key}: ${parsed.ok ? 'not an address' : parsed.error.message}`);
    let secondary: number | undefined;
    if (sec) {
      if (sec.kind !== 'scalar' || typeof sec.value !== 'number' || !Number.isInteger(sec.value) || sec.value < 1 || sec.value > 255) return invalid(sec.span, `entry ${e.key}: secondary-bus must be 1-255`);
      secondary = sec.value;
    }
    devices.set(e.key, { bus: bus.value, addr: { device: parsed.value.device, fn: parsed.value.fn }, secondary, span: e.keySpan });
  }
  return { path, source, span: root.span, devices };
}

/** The lockfile text for a resolved machine: stable order (bus number, then address). */
export function renderLock(machine: ResolvedMachine, machineFileName: string): string {
  const lines = [
    `# machc address lock for ${machineFileName}: the address of every device and the bus number behind`,
    '# every bridge. Written by `machc check --lock`; commit it with the machine file. With it, adding or',
    '# removing devices never moves the others. Accept deliberate moves with `machc check --lock --relock`.',
    `lock-version: ${LOCK_VERSION}`,
    `machine: ${machine.name}`,
    'devices:',
  ];
  for (const f of machine.pci.functions) {
    if (!f.origin || f.role === 'vf') continue;
    const sec = f.bridge ? `, secondary-bus: ${f.bridge.secondary}` : '';
    lines.push(`  ${f.key}: { bus: ${f.busName}, addr: '${formatSlotFn(f.device, f.fn)}'${sec} }`);
  }
  return `${lines.join('\n')}\n`;
}
