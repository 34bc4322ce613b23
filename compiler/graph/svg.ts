/**
 * SVG through Graphviz compiled to WebAssembly (@viz-js/viz): no system
 * graphviz needed. The module (about 1.5 MB) is loaded only when SVG is asked for.
 */
import type { TopologyGraph } from './model.js';
import { toDot } from './dot.js';

export async function toSvg(g: TopologyGraph): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(toDot(g), { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    // The DOT is generated here, so a failure is a bug, not bad input.
    throw new Error(`graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}
