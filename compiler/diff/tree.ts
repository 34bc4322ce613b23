/**
 * The changed subtree: every function that was added, removed, moved, edited
 * or shifted, with its ancestors up to pcie.0, in enumeration order.
 */
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import type { DeviceDiff, TreeNode, TreeStatus, UntouchedChange } from './types.js';

export const ROOT_KEY = 'pcie.0';

function parentKey(f: PciFunction): string {
  return f.busName === ROOT_KEY ? ROOT_KEY : f.busName;
}

export function changedTree(a: ResolvedMachine, b: ResolvedMachine, devices: readonly DeviceDiff[], untouched: readonly UntouchedChange[]): TreeNode[] {
  const fa = new Map(a.pci.functions.filter((f) => f.role !== 'vf').map((f) => [f.key, f]));
  const fb = new Map(b.pci.functions.filter((f) => f.role !== 'vf').map((f) => [f.key, f]));
  const sa = new Map(a.storage.sata.map((d) => [d.id, d]));
  const sb = new Map(b.storage.sata.map((d) => [d.id, d]));
  const status = new Map<string, TreeStatus>();
  for (const d of devices) status.set(d.id, d.status);
  for (const u of untouched) if (!status.has(u.id)) status.set(u.id, 'shifted');

  const parentOf = (key: string, side: 'old' | 'new'): string | undefined => {
    if (key === ROOT_KEY) return undefined;
    const f = (side === 'new' ? fb : fa).get(key);
    if (f) return parentKey(f);
    return (side === 'new' ? sb : sa).has(key) ? 'ahci' : undefined;
  };
  const include = new Set<string>();
  const climb = (key: string, side: 'old' | 'new') => {
    let cur: string | undefined = key;
    for (let guard = 0; cur !== undefined && guard < 512; guard++) {
      include.add(cur);
      cur = parentOf(cur, side);
    }
  };
  for (const [key, st] of status) {
    if (st !== 'removed') climb(key, 'new');
    if (st === 'removed' || st === 'moved') climb(key, 'old');
  }
  if (include.size === 0) return [];
  include.add(ROOT_KEY);

  // Enumeration order: new side first (by BDF), then what exists only on the old side.
  const order = new Set<string>([ROOT_KEY]);
  for (const f of b.pci.functions) if (include.has(f.key)) order.add(f.key);
  for (const d of b.storage.sata) if (include.has(d.id)) order.add(d.id);
  for (const f of a.pci.functions) if (include.has(f.key)) order.add(f.key);
  for (const d of a.storage.sata) if (include.has(d.id)) order.add(d.id);

  return [...order].map((key): TreeNode => {
    const x = fa.get(key);
    const y = fb.get(key);
    const st = status.get(key) ?? 'context';
    const newParent = parentOf(key, 'new');
    const oldParent = parentOf(key, 'old');
    const addr = (f: PciFunction | undefined, sata: { port: number } | undefined) => f?.bdf ?? (sata ? `port ${sata.port}` : undefined);
    const ao = addr(x, sa.get(key));
    const an = addr(y, sb.get(key));
    const model = y?.model ?? x?.model ?? (sb.get(key) ?? sa.get(key))?.kind ?? (key === ROOT_KEY ? 'root bus' : '');
    return {
      key,
      parent: st === 'removed' ? oldParent : newParent ?? oldParent,
      oldParent: st === 'moved' && oldParent !== newParent ? oldParent : undefined,
      model: model === 'disk' ? 'sata-disk' : model === 'cdrom' ? 'sata-cdrom' : model,
      address: { ...(ao ? { old: ao } : {}), ...(an ? { new: an } : {}) },
      vfs: { ...(x?.sriov ? { old: x.sriov.numVfs } : {}), ...(y?.sriov ? { new: y.sriov.numVfs } : {}) },
      status: st,
    };
  });
}
