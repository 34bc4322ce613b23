/**
 * The Markdown rendering of a diff, for pull-request comments: a summary line,
 * warnings for what guests will notice, tables with the YAML line on each
 * side, and a Mermaid picture of the changed subtree (added green, removed red,
 * moved yellow).
 */
import type { FileOutcome, MachineDiff, TreeNode, Where } from './types.js';
import { ARROW, busText, changeText, deviceAddress, deviceBus, headline, sizeText, valueText, whereText } from './words.js';

/** GitHub refuses comments above 65,536 characters; stay well below. */
export const MARKDOWN_LIMIT = 60_000;

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => (s ? `\`${s.replace(/`/g, "'")}\`` : '');
const lines = (w: Where) => cell(whereText(w));

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

// ---- Mermaid --------------------------------------------------------------------------

const CLASS_DEFS = [
  'classDef added fill:#dafbe1,stroke:#1a7f37,color:#0d3d1c',
  'classDef removed fill:#ffebe9,stroke:#cf222e,color:#5c0a0f,stroke-dasharray:4 3',
  'classDef moved fill:#fff8c5,stroke:#9a6700,color:#3d2a00',
  'classDef shifted fill:#fff8c5,stroke:#9a6700,color:#3d2a00,stroke-dasharray:4 3',
  'classDef changed fill:#ddf4ff,stroke:#0969da,color:#0a3069',
];

const mermaidText = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

function nodeLabel(n: TreeNode): string {
  const parts = [n.key];
  if (n.model && n.key !== 'pcie.0') parts.push(n.model);
  const a = n.address;
  if (a.old && a.new && a.old !== a.new) parts.push(`${a.old} ${ARROW} ${a.new}`);
  else if (a.new ?? a.old) parts.push((a.new ?? a.old)!);
  const v = n.vfs;
  if (v.old !== undefined || v.new !== undefined) parts.push(v.old !== v.new && v.old !== undefined && v.new !== undefined ? `VFs ${v.old} ${ARROW} ${v.new}` : `${v.new ?? v.old} VFs`);
  return parts.map(mermaidText).join('<br/>');
}

/** A Mermaid flowchart of the changed subtree. */
export function mermaidTree(tree: readonly TreeNode[]): string {
  const ids = new Map(tree.map((n, i) => [n.key, `n${i}`]));
  const out = ['graph TD'];
  for (const n of tree) {
    const id = ids.get(n.key)!;
    out.push(`  ${id}["${nodeLabel(n)}"]${n.status === 'context' ? '' : `:::${n.status}`}`);
  }
  for (const n of tree) {
    const id = ids.get(n.key)!;
    const parent = n.parent !== undefined ? ids.get(n.parent) : undefined;
    if (parent) out.push(`  ${parent} --> ${id}`);
    const old = n.oldParent !== undefined ? ids.get(n.oldParent) : undefined;
    if (old) out.push(`  ${old} -. was here .-> ${id}`);
  }
  out.push(...CLASS_DEFS.map((c) => `  ${c}`));
  return out.join('\n');
}

// ---- one machine -----------------------------------------------------------------------

export function renderMachineMarkdown(d: MachineDiff, heading = '###'): string {
  const out: string[] = [];
  const title = d.old.name === d.new.name ? d.new.name : `${d.old.name} ${ARROW} ${d.new.name}`;
  out.push(`${heading} machc diff: ${code(title)}`, '');
  out.push(`${code(d.old.file)} ${ARROW} ${code(d.new.file)}: **${headline(d)}**`, '');
  if (d.same) return out.join('\n');

  const renamed = d.consequences.names;
  const untouchedMoves = d.consequences.untouched.filter((u) => u.effects.some((e) => e.property === 'bdf'));
  if (renamed.length > 0 || untouchedMoves.length > 0) {
    out.push('> [!WARNING]');
    for (const n of renamed) out.push(`> Guest ${n.kind === 'nic' ? 'NIC' : 'disk'} ${code(n.id)} is renamed ${code(n.old)} ${ARROW} ${code(n.new)}${n.touched ? '' : ' although the device was not edited'}.  `);
    for (const u of untouchedMoves) {
      const bdf = u.effects.find((e) => e.property === 'bdf')!;
      out.push(`> ${code(u.id)} moves ${bdf.old} ${ARROW} ${bdf.new} without being edited${u.cause ? `: ${u.cause}` : ''}.  `);
    }
    out.push('');
  }

  if (d.machine.length > 0) {
    out.push('#### Machine', '');
    out.push(...table(['Property', 'Before', 'After', 'Lines'], d.machine.map((c) => [code(c.property), valueText(c.old), valueText(c.new), lines(c.at)])), '');
  }

  if (d.devices.length > 0) {
    out.push('#### Devices', '');
    const mark = { added: '🟢 added', removed: '🔴 removed', moved: '🟡 moved', changed: '🔵 changed' } as const;
    out.push(...table(['', 'Device', 'Model', 'Address', 'Bus', 'Guest name', 'Lines'], d.devices.map((x) => {
      const o = x.names.old?.join(', ');
      const n = x.names.new?.join(', ');
      const guest = x.status === 'added' ? n ?? '' : x.status === 'removed' ? o ?? '' : o !== n ? `${o ?? 'none'} ${ARROW} ${n ?? 'none'}` : n ?? '';
      return [mark[x.status], code(x.id), x.model, deviceAddress(x), deviceBus(x), guest, lines(x.at)];
    })), '');
    const edited = d.devices.filter((x) => x.changes.length > 0 || x.effects.length > 0);
    for (const x of edited) {
      out.push(`- ${code(x.id)}:`);
      for (const c of x.changes) out.push(`  - ${code(c.property)} ${valueText(c.old)} ${ARROW} ${valueText(c.new)} (${whereText(c.at)})`);
      for (const e of x.effects) out.push(`  - then ${code(e.property)} ${valueText(e.old)} ${ARROW} ${valueText(e.new)}`);
    }
    if (edited.length > 0) out.push('');
  }

  if (d.tree.length > 0) {
    out.push('#### Changed subtree', '', '```mermaid', mermaidTree(d.tree), '```', '');
  }

  const c = d.consequences;
  if (c.buses.length > 0 || c.untouched.length > 0 || c.names.length > 0) {
    out.push('#### Consequences', '');
    if (c.buses.length > 0) {
      out.push('**Bus numbers**', '');
      out.push(...table(['Bus', 'Change', 'Why', 'Lines'], c.buses.map((b) => [code(b.name), busText(b), b.cause ?? '', lines(b.at)])), '');
    }
    if (c.untouched.length > 0) {
      out.push('**Devices nobody edited**', '');
      out.push(...table(['Device', 'Model', 'What changes', 'Why', 'Lines'], c.untouched.map((u) => [code(u.id), u.model, u.effects.map(changeText).join('; '), u.cause ?? '', lines(u.at)])), '');
    }
    if (c.names.length > 0) {
      out.push('**Guest device names**', '');
      out.push(...table(['Device', 'Kind', 'Before', 'After', 'Device edited', 'Lines'], c.names.map((n) => [code(n.id), n.kind === 'nic' ? 'NIC' : 'disk', code(n.old), code(n.new), n.touched ? 'yes' : 'no', lines(n.at)])), '');
    }
  }
  out.push('**Budgets**', '');
  out.push(...table(['', 'Before', 'After', 'Limit'], c.budgets.map((b) => [b.what, String(b.old), b.old === b.new ? String(b.new) : `**${b.new}**`, b.limit === undefined ? '' : String(b.limit)])), '');

  if (d.resources.windows.length > 0 || d.resources.root.length > 0) {
    out.push('#### PCI windows', '');
    const rows = [
      ...d.resources.windows.map((w) => [code(w.bridge), w.kind, sizeText(w.old), sizeText(w.new), lines(w.at)]),
      ...d.resources.root.map((r) => ['root', r.what, r.old, r.new, lines(r.at)]),
    ];
    out.push(...table(['Bridge', 'Window', 'Before', 'After', 'Lines'], rows), '');
  }

  if (d.memory.layout.length > 0 || d.memory.e820.length > 0) {
    out.push('#### Memory map', '');
    if (d.memory.layout.length > 0) out.push(...table(['', 'Before', 'After', 'Lines'], d.memory.layout.map((r) => [r.what, r.old, r.new, lines(r.at)])), '');
    if (d.memory.e820.length > 0) out.push(`e820 as the guest sees it (${whereText(d.memory.e820[0]!.at)}):`, '', '```diff', ...d.memory.e820.map((e) => `${e.op} ${e.entry}`), '```', '');
  }

  if (d.acpi.tables.length > 0) {
    out.push('#### ACPI tables', '');
    for (const t of d.acpi.tables) {
      const size = t.size.old !== undefined && t.size.new !== undefined ? ` (${t.size.old} ${ARROW} ${t.size.new} bytes)` : '';
      out.push(`- **${t.signature}** ${t.status}${size}`);
    }
    const withEntries = d.acpi.tables.filter((t) => t.entries.length > 0);
    for (const t of withEntries) {
      out.push('', `${t.signature}:`, '', '```diff');
      for (const e of t.entries) {
        const op = e.op === '~' ? '!' : e.op;
        const value = e.op === '~' ? `: ${e.old ?? ''} ${ARROW} ${e.new ?? ''}` : e.op === '+' && e.new ? ` = ${e.new}` : e.op === '-' && e.old ? ` = ${e.old}` : '';
        out.push(`${op}${e.what}${value}${e.at.new ?? e.at.old ? `  (${whereText(e.at)})` : ''}`);
      }
      out.push('```');
    }
    out.push('');
  } else if (!d.acpi.available) {
    out.push(`_ACPI tables not compared${d.acpi.note ? `: ${d.acpi.note}` : ''}._`, '');
  }
  return out.join('\n');
}

// ---- a whole run ----------------------------------------------------------------------------

export function renderMarkdown(outcomes: readonly FileOutcome[], git: { rev: string } | undefined): string {
  const out: string[] = [];
  if (git) {
    out.push(`## Machine topology changes since \`${git.rev}\``, '');
    const changed = outcomes.filter((o) => o.status !== 'unchanged');
    if (changed.length === 0) out.push(`No machine file changes what the guest sees (${outcomes.length} compared).`, '');
    for (const o of outcomes) {
      if (o.status === 'added') out.push(`- 🟢 ${code(o.path)}: new machine ${code(o.summary.name)} (${o.summary.devices} devices, ${o.summary.functions} PCI functions)`);
      else if (o.status === 'deleted') out.push(`- 🔴 ${code(o.path)}: machine ${code(o.summary.name)} deleted (${o.summary.devices} devices, ${o.summary.functions} PCI functions)`);
    }
    if (outcomes.some((o) => o.status === 'added' || o.status === 'deleted')) out.push('');
  }
  let used = out.join('\n').length;
  let omitted = 0;
  for (const o of outcomes) {
    if (o.status !== 'modified' && !(o.status === 'unchanged' && !git)) continue;
    const part = renderMachineMarkdown(o.diff, git ? '###' : '###');
    if (used + part.length > MARKDOWN_LIMIT) {
      omitted++;
      continue;
    }
    out.push(part);
    used += part.length;
  }
  if (omitted > 0) out.push(`_${omitted} more machine diff${omitted === 1 ? '' : 's'} left out to keep this comment short: run \`machc diff${git ? ` --git ${git.rev}` : ''}\` locally._`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
