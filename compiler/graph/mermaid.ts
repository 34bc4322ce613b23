/** The topology graph as a Mermaid flowchart (renders in GitHub and GitLab Markdown). */
import type { TopologyGraph } from './model.js';
import { NODE_STYLE } from './style.js';

const text = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function toMermaid(g: TopologyGraph): string {
  const out = ['flowchart LR'];
  const byBus = new Map<number, string[]>();
  for (const n of g.nodes) {
    const shape = `${n.id}["${n.lines.map(text).join('<br/>')}"]`;
    if (n.bus === undefined) out.push(`  ${shape}`);
    else byBus.set(n.bus, [...(byBus.get(n.bus) ?? []), shape]);
  }
  for (const b of g.buses) {
    out.push(`  subgraph bus_${b.number}["${text(b.label)}"]`);
    for (const s of byBus.get(b.number) ?? []) out.push(`    ${s}`);
    out.push('  end');
  }
  for (const e of g.edges) out.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'} ${e.to}`);
  for (const [kind, s] of Object.entries(NODE_STYLE)) {
    const color = kind === 'root' ? ',color:#ffffff' : ',color:#0f172a';
    out.push(`  classDef ${kind.replace(/-/g, '_')} fill:${s.fill},stroke:${s.stroke}${color}${s.dashed ? ',stroke-dasharray:4 3' : ''}`);
  }
  const byKind = new Map<string, string[]>();
  for (const n of g.nodes) byKind.set(n.kind, [...(byKind.get(n.kind) ?? []), n.id]);
  for (const [kind, ids] of byKind) out.push(`  class ${ids.join(',')} ${kind.replace(/-/g, '_')}`);
  return `${out.join('\n')}\n`;
}
