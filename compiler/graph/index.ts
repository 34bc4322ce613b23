/** `machc graph` as a library: a resolved machine to Mermaid, DOT or SVG. */
import type { ResolvedMachine } from '../model/topology.js';
import { toDot } from './dot.js';
import { toMermaid } from './mermaid.js';
import { topologyGraph, type VfMode } from './model.js';

export type GraphFormat = 'mermaid' | 'dot' | 'svg';
export type { TopologyGraph, VfMode } from './model.js';
export { topologyGraph } from './model.js';

export async function renderGraph(m: ResolvedMachine, format: GraphFormat, vfs: VfMode = 'folded'): Promise<string> {
  const g = topologyGraph(m, vfs);
  if (format === 'mermaid') return toMermaid(g);
  if (format === 'dot') return toDot(g);
  const { toSvg } = await import('./svg.js');
  return toSvg(g);
}
