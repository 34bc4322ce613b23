/** The topology graph in Graphviz DOT: one cluster per bus, left to right from the root complex. */
import type { TopologyGraph } from './model.js';
import { FONT, NODE_STYLE } from './style.js';

/** A DOT double-quoted string (lines joined with DOT's centred line break). */
function quote(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

/** Children of the same parent drawn in a bus group, in BDF order (only groups of two or more). */
function siblingChains(g: TopologyGraph, bus: number): string[][] {
  const inBus = new Set(g.nodes.filter((n) => n.bus === bus).map((n) => n.id));
  const byParent = new Map<string, string[]>();
  for (const e of g.edges) {
    if (e.dashed || !inBus.has(e.to)) continue;
    byParent.set(e.from, [...(byParent.get(e.from) ?? []), e.to]);
  }
  return [...byParent.values()].filter((c) => c.length > 1);
}

export function toDot(g: TopologyGraph): string {
  const out: string[] = [];
  out.push(`digraph ${quote([g.title])} {`);
  out.push(`  graph [rankdir=LR, fontname="${FONT}", fontsize=11, nodesep=0.18, ranksep=0.5, bgcolor="white", pad=0.2];`);
  out.push(`  node [shape=box, style="rounded,filled", fontname="${FONT}", fontsize=10, margin="0.12,0.05", penwidth=1.2];`);
  out.push('  edge [color="#64748b", arrowsize=0.6];');
  const byBus = new Map<number, string[]>();
  const loose: string[] = [];
  for (const n of g.nodes) {
    const s = NODE_STYLE[n.kind];
    const font = n.kind === 'root' ? ', fontcolor="white"' : '';
    const style = s.dashed ? ', style="rounded,filled,dashed"' : '';
    const line = `${n.id} [label=${quote(n.lines)}, fillcolor="${s.fill}", color="${s.stroke}"${font}${style}];`;
    if (n.bus === undefined) loose.push(line);
    else byBus.set(n.bus, [...(byBus.get(n.bus) ?? []), line]);
  }
  for (const l of loose) out.push(`  ${l}`);
  for (const b of g.buses) {
    const members = byBus.get(b.number) ?? [];
    out.push(`  subgraph cluster_bus_${b.number} {`);
    out.push(`    label=${quote([b.label])}; labeljust=l; fontsize=9; fontcolor="#475569"; style="rounded,dashed"; color="#94a3b8";`);
    for (const m of members) out.push(`    ${m}`);
    // Siblings stacked in BDF order from the top: same rank, chained by invisible edges (in a
    // cluster, dot stacks a flat chain bottom-up, hence the reverse).
    for (const chain of siblingChains(g, b.number)) out.push(`    { rank=same; ${[...chain].reverse().join(' -> ')} [style=invis]; }`);
    out.push('  }');
  }
  for (const e of g.edges) out.push(`  ${e.from} -> ${e.to}${e.dashed ? ' [style=dashed]' : ''};`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
