/**
 * `machc graph`: the picture model (every function with BDF and id, buses as
 * groups, VFs folded or expanded) and its DOT and Mermaid texts (goldens:
 * `npx vitest run tests/graph -u`, then read the files under __snapshots__).
 */
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { renderGraph, topologyGraph } from '../../compiler/graph/index.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';

function machine(path: string): ResolvedMachine {
  const r = compileMachine(path);
  if (!r.machine) throw new Error(`${path}: ${r.diagnostics.items.map((d) => d.message).join('; ')}`);
  return r.machine;
}

describe('topology graph', () => {
  const m = machine('docs/review/example.yaml');

  it('has a node per function with its BDF and id, inside its bus group', () => {
    const g = topologyGraph(m);
    for (const f of m.pci.functions.filter((x) => x.role !== 'vf')) {
      const node = g.nodes.find((n) => n.bdf === f.bdf && n.lines[0] === `${f.bdf}  ${f.key}`);
      expect(node, f.key).toBeDefined();
      expect(node!.bus).toBe(f.bus);
    }
    expect(g.buses.map((b) => b.label)).toContain('bus 07  pcibr  (PCI)');
    expect(g.buses.map((b) => b.label)).toContain('bus 03  sw0  (switch)');
  });

  it('draws an edge from each bridge to the functions behind it', () => {
    const g = topologyGraph(m);
    const edge = (from: string, to: string) => g.edges.some((e) => e.from === `fn_${from}` && e.to === `fn_${to}`);
    expect(edge('rp2', 'sw0')).toBe(true);
    expect(edge('sw0', 'sw0_p2')).toBe(true);
    expect(edge('pcibr', 'legacy0')).toBe(true);
    expect(g.edges.some((e) => e.from === 'bus_pcie_0' && e.to === 'fn_rp1')).toBe(true);
  });

  it('folds VFs into one node per PF, or draws each', () => {
    const folded = topologyGraph(m, 'folded');
    const vfs = folded.nodes.filter((n) => n.kind === 'vf');
    expect(vfs).toHaveLength(1);
    expect(vfs[0]!.lines).toEqual(['4 VFs of uplink0', '04:10.0 - 04:10.6', '8086:10ca']);
    const expanded = topologyGraph(m, 'expanded');
    const each = expanded.nodes.filter((n) => n.kind === 'vf');
    expect(each.map((n) => n.bdf)).toEqual(['04:10.0', '04:10.2', '04:10.4', '04:10.6']);
    expect(expanded.edges.filter((e) => e.dashed).map((e) => e.from)).toEqual(['fn_uplink0', 'fn_uplink0', 'fn_uplink0', 'fn_uplink0']);
  });

  it('keeps ids unique and safe for DOT and Mermaid', () => {
    const g = topologyGraph(machine('machines/large-fabric.yaml'), 'expanded');
    const ids = g.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });

  it('DOT and Mermaid match the goldens', async () => {
    await expect(await renderGraph(m, 'dot')).toMatchFileSnapshot('__snapshots__/example.dot');
    await expect(await renderGraph(m, 'mermaid')).toMatchFileSnapshot('__snapshots__/example.mmd');
  });
});

describe('machc graph', () => {
  async function run(args: string[], stdin = '') {
    const io = bufferIo(stdin);
    const code = await main(args, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  it('prints Mermaid by default and SVG on request', async () => {
    const mermaid = await run(['graph', 'docs/review/example.yaml']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    const svg = await run(['graph', 'docs/review/example.yaml', '--format', 'svg', '--vfs', 'expanded']);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain('<svg');
    expect(svg.stdout).toContain('04:10.6');
  });

  it('gives the same bytes every time', async () => {
    const a = await run(['graph', 'docs/review/example.yaml', '--format', 'svg']);
    const b = await run(['graph', 'docs/review/example.yaml', '--format', 'svg']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exit 1 with diagnostics for a bad machine, 2 for a missing file or a bad option', async () => {
    const bad = await run(['graph', 'no/such.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MD0001');
    const invalid = await run(['graph', '-'], 'chipset: q35\nmemroy: 1 GiB\n');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('MD1002');
    expect((await run(['graph', 'docs/review/example.yaml', '--format', 'png'])).code).toBe(2);
  });
});
