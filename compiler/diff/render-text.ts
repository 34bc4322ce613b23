/**
 * The terminal rendering of a diff: sections a reviewer reads top to bottom,
 * every entry ending with the YAML line on each side. Colour only when asked
 * (the CLI decides: NO_COLOR, FORCE_COLOR, a TTY).
 */
import type { MachineDiff, ValueChange, Where } from './types.js';
import { ARROW, busText, changeText, deviceAddress, deviceBus, headline, namesText, sizeText, whereText } from './words.js';

export interface TextOptions {
  readonly color: boolean;
}

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function renderText(d: MachineDiff, o: TextOptions): string {
  const paint = (code: string) => (s: string) => (o.color && s ? `${code}${s}${ANSI.reset}` : s);
  const red = paint(ANSI.red);
  const green = paint(ANSI.green);
  const yellow = paint(ANSI.yellow);
  const cyan = paint(ANSI.cyan);
  const dim = paint(ANSI.dim);
  const bold = paint(ANSI.bold);
  const lines: string[] = [];
  const at = (w: Where) => {
    const t = whereText(w);
    return t ? `  ${dim(t)}` : '';
  };
  const section = (title: string) => {
    if (lines.length > 0) lines.push('');
    lines.push(bold(title));
  };
  const changeLines = (indent: string, list: readonly ValueChange[], label = '', withAt = true) => {
    for (const c of list) lines.push(`${indent}${label}${changeText(c)}${withAt ? at(c.at) : ''}`);
  };

  const title = d.old.name === d.new.name ? d.new.name : `${d.old.name} ${ARROW} ${d.new.name}`;
  lines.push(`${bold(`machc diff ${title}`)}: ${d.old.file} ${ARROW} ${d.new.file}`);
  lines.push(headline(d));

  if (d.machine.length > 0) {
    section('Machine');
    changeLines('  ~ ', d.machine);
  }

  if (d.devices.length > 0) {
    section('Devices');
    const w = Math.max(...d.devices.map((x) => x.id.length));
    for (const x of d.devices) {
      const mark = x.status === 'added' ? green('+') : x.status === 'removed' ? red('-') : x.status === 'moved' ? yellow('>') : cyan('~');
      const verb = x.status === 'moved' ? 'moved ' : '';
      const addr = deviceAddress(x);
      const bus = deviceBus(x);
      const names = namesText(x);
      const where = [addr && `${verb}${addr}`, bus && `on ${bus}`].filter(Boolean).join(' ');
      lines.push(`  ${mark} ${x.id.padEnd(w)}  ${x.model}${where ? ` ${where}` : ''}${names ? ` (${names})` : ''}${at(x.at)}`);
      changeLines('      ', x.changes);
      changeLines('      ', x.effects, dim('then '), false);
    }
  }

  const c = d.consequences;
  const renumbered = c.buses;
  if (renumbered.length > 0 || c.untouched.length > 0 || c.names.length > 0) {
    section('Consequences');
    if (renumbered.length > 0) {
      lines.push('  Bus numbers');
      const w = Math.max(...renumbered.map((b) => b.name.length));
      for (const b of renumbered) {
        lines.push(`    ${yellow('~')} ${b.name.padEnd(w)}  ${busText(b)}${b.cause ? `: ${b.cause}` : ''}${at(b.at)}`);
      }
    }
    if (c.untouched.length > 0) {
      lines.push('  Devices nobody touched');
      const w = Math.max(...c.untouched.map((u) => u.id.length));
      for (const u of c.untouched) {
        lines.push(`    ${yellow('>')} ${u.id.padEnd(w)}  ${u.model}${u.cause ? `: ${u.cause}` : ''}${at(u.at)}`);
        for (const e of u.effects) lines.push(`        ${changeText(e)}`);
      }
    }
    if (c.names.length > 0) {
      lines.push('  Guest device names');
      const w = Math.max(...c.names.map((n) => n.id.length));
      for (const n of c.names) {
        const what = n.kind === 'nic' ? 'NIC' : 'disk';
        lines.push(`    ${yellow('!')} ${n.id.padEnd(w)}  ${what} ${n.old} ${ARROW} ${n.new}${n.touched ? '' : dim(' (device not edited)')}${at(n.at)}`);
      }
    }
  }
  const budgets = c.budgets.filter((b) => b.old !== b.new);
  if (budgets.length > 0) {
    section('Budgets');
    lines[lines.length - 1] += at(budgets[0]!.at);
    for (const b of budgets) lines.push(`  ${b.what}: ${b.old} ${ARROW} ${b.new}${b.limit !== undefined ? ` of ${b.limit}` : ''}`);
  }

  if (d.resources.windows.length > 0 || d.resources.root.length > 0) {
    section('PCI windows');
    const byBridge = new Map<string, typeof d.resources.windows[number][]>();
    for (const w of d.resources.windows) byBridge.set(w.bridge, [...(byBridge.get(w.bridge) ?? []), w]);
    const w = Math.max(0, ...[...byBridge.keys()].map((k) => k.length));
    for (const [bridge, list] of byBridge) {
      const text = list.map((x) => `${x.kind} ${sizeText(x.old)} ${ARROW} ${sizeText(x.new)}`).join(', ');
      lines.push(`  ~ ${bridge.padEnd(w)}  ${text}${at(list[0]!.at)}`);
    }
    for (const r of d.resources.root) lines.push(`  ~ ${r.what}: ${r.old} ${ARROW} ${r.new}`);
  }

  if (d.memory.layout.length > 0 || d.memory.e820.length > 0) {
    section('Memory map');
    for (const r of d.memory.layout) lines.push(`  ~ ${r.what}: ${r.old} ${ARROW} ${r.new}${at(r.at)}`);
    if (d.memory.e820.length > 0) {
      lines.push(`  e820${at(d.memory.e820[0]!.at)}`);
      for (const e of d.memory.e820) lines.push(`    ${e.op === '+' ? green('+') : red('-')} ${e.entry}`);
    }
  }

  if (d.acpi.tables.length > 0) {
    section('ACPI tables');
    for (const t of d.acpi.tables) {
      const mark = t.status === 'added' ? green('+') : t.status === 'removed' ? red('-') : cyan('~');
      const size = t.size.old !== undefined && t.size.new !== undefined && t.size.old !== t.size.new ? ` (${t.size.old} ${ARROW} ${t.size.new} bytes)` : '';
      lines.push(`  ${mark} ${t.signature}${size}`);
      for (const e of t.entries) {
        const m = e.op === '+' ? green('+') : e.op === '-' ? red('-') : cyan('~');
        const value = e.op === '~' ? `: ${e.old ?? ''} ${ARROW} ${e.new ?? ''}` : e.op === '+' && e.new ? ` = ${e.new}` : e.op === '-' && e.old ? ` = ${e.old}` : '';
        lines.push(`      ${m}${e.what}${value}${at(e.at)}`);
      }
    }
  } else if (!d.acpi.available && !d.same) {
    lines.push('');
    lines.push(dim(`ACPI tables not compared${d.acpi.note ? `: ${d.acpi.note}` : ''}.`));
  }
  return `${lines.join('\n')}\n`;
}
