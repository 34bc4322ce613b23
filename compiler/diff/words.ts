/** Words shared by the text and Markdown renderings of a diff. */
import { formatSize } from '../values/index.js';
import type { BusRenumber, DeviceDiff, Loc, MachineDiff, ValueChange, Where } from './types.js';

export const ARROW = '→';

export function locText(l: Loc): string {
  return `${l.file}:${l.line}`;
}

/** 'old.yaml:13 → new.yaml:14', or one side alone. */
export function whereText(w: Where): string {
  if (w.old && w.new) return `${locText(w.old)} ${ARROW} ${locText(w.new)}`;
  if (w.new) return locText(w.new);
  if (w.old) return locText(w.old);
  return '';
}

export function valueText(v: string | undefined): string {
  return v === undefined ? 'unset' : v;
}

export function changeText(c: ValueChange): string {
  return `${c.property}: ${valueText(c.old)} ${ARROW} ${valueText(c.new)}`;
}

export function busText(b: BusRenumber): string {
  const range = (x: { number: number; subordinate: number }) => (x.number === x.subordinate ? `bus ${x.number}` : `buses ${x.number}-${x.subordinate}`);
  if (!b.old || !b.new) return b.old ? `${range(b.old)} freed` : b.new ? `${range(b.new)} taken` : '';
  if (b.old.number === b.new.number) return `${range(b.old)} ${ARROW} ${range(b.new)} (range ${b.new.subordinate > b.old.subordinate ? 'grows' : 'shrinks'})`;
  return `${range(b.old)} ${ARROW} ${range(b.new)}`;
}

export function deviceAddress(d: DeviceDiff): string {
  const a = d.address;
  if (d.status === 'added') return a.new ?? '';
  if (d.status === 'removed') return a.old ?? '';
  if (a.old !== a.new) return `${a.old ?? 'none'} ${ARROW} ${a.new ?? 'none'}`;
  return a.new ?? '';
}

export function deviceBus(d: DeviceDiff): string {
  const b = d.bus;
  if (d.status === 'added') return b.new ?? '';
  if (d.status === 'removed') return b.old ?? '';
  if (b.old !== b.new) return `${b.old ?? '?'} ${ARROW} ${b.new ?? '?'}`;
  return b.new ?? '';
}

export function namesText(d: DeviceDiff): string {
  const o = d.names.old?.join(', ');
  const n = d.names.new?.join(', ');
  if (d.status === 'added') return n ? `guest: ${n}` : '';
  if (d.status === 'removed') return o ? `guest: ${o}` : '';
  if (o !== n) return `guest: ${o ?? 'none'} ${ARROW} ${n ?? 'none'}`;
  return '';
}

export function sizeText(n: number): string {
  return n === 0 ? 'closed' : formatSize(n);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line a reviewer reads first: what kinds of change there are. */
export function headline(d: MachineDiff): string {
  if (d.same) return 'no changes to the machine';
  const parts: string[] = [];
  const count = (s: DeviceDiff['status']) => d.devices.filter((x) => x.status === s).length;
  const added = count('added');
  const removed = count('removed');
  const moved = count('moved');
  const changed = count('changed');
  if (d.machine.length > 0) parts.push(plural(d.machine.length, 'machine property', 'machine properties') + ' changed');
  if (added) parts.push(`${plural(added, 'device')} added`);
  if (removed) parts.push(`${plural(removed, 'device')} removed`);
  if (moved) parts.push(`${plural(moved, 'device')} moved`);
  if (changed) parts.push(`${plural(changed, 'device')} changed`);
  const renumbered = d.consequences.buses.filter((b) => b.old && b.new && b.old.number !== b.new.number).length;
  if (renumbered) parts.push(`${plural(renumbered, 'bus', 'buses')} renumbered`);
  const shifted = d.consequences.untouched.filter((u) => u.effects.some((e) => e.property === 'bdf')).length;
  if (shifted) parts.push(`${plural(shifted, 'untouched device')} at a new address`);
  else if (d.consequences.untouched.length) parts.push(`${plural(d.consequences.untouched.length, 'untouched device')} changed`);
  if (d.consequences.names.length) parts.push(`${plural(d.consequences.names.length, 'guest name')} changed`);
  if (d.resources.windows.length || d.resources.root.length) parts.push('PCI windows changed');
  if (d.memory.layout.length || d.memory.e820.length) parts.push('memory map changed');
  if (d.acpi.tables.length) parts.push(`${plural(d.acpi.tables.length, 'ACPI table')} changed`);
  return parts.join(', ');
}
