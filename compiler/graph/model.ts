/**
 * `machc graph`: the resolved topology as a picture model, independent of the
 * output format. Buses are groups (bus number, name, kind); every function is
 * a node with its BDF, id, model and vendor:device; bridges point to the
 * functions on their secondary bus; a PF's VFs are one folded node or one
 * node each. SATA drives hang off the AHCI controller.
 */
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import { barText } from '../view/canonical.js';

export type VfMode = 'folded' | 'expanded';

export type NodeKind = 'root' | 'chipset' | 'root-port' | 'switch' | 'pci-bridge' | 'endpoint' | 'vf' | 'drive';

export interface GraphNode {
  /** Identifier safe for DOT and Mermaid: letters, digits, underscores. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Label lines, first line the most important (BDF and id). */
  readonly lines: readonly string[];
  /** Bus number of the group the node is drawn in; undefined for nodes outside any bus. */
  readonly bus: number | undefined;
  /** The function's BDF (for tests and tooltips). */
  readonly bdf: string | undefined;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Dashed edges: PF to VF. */
  readonly dashed: boolean;
}

export interface GraphBus {
  readonly number: number;
  readonly label: string;
}

export interface TopologyGraph {
  readonly title: string;
  readonly buses: readonly GraphBus[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const id4 = (n: number) => n.toString(16).padStart(4, '0');

function safeId(prefix: string, key: string, used: Set<string>): string {
  let id = `${prefix}_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
  while (used.has(id)) id += '_';
  used.add(id);
  return id;
}

function kindOf(f: PciFunction): NodeKind {
  switch (f.role) {
    case 'host-bridge':
    case 'chipset':
    case 'display':
      return 'chipset';
    case 'root-port':
      return 'root-port';
    case 'upstream-port':
    case 'downstream-port':
      return 'switch';
    case 'pcie-pci-bridge':
      return 'pci-bridge';
    case 'vf':
      return 'vf';
    default:
      return 'endpoint';
  }
}

function functionLines(f: PciFunction): string[] {
  const lines = [`${f.bdf}  ${f.key}`, `${f.model}  ${id4(f.vendorId)}:${id4(f.deviceId)}`];
  if (f.bridge) {
    const b = f.bridge;
    const range = b.secondary === b.subordinate ? `bus ${hex2(b.secondary)}` : `buses ${hex2(b.secondary)}-${hex2(b.subordinate)}`;
    const slot = b.slot !== undefined ? `, slot ${b.slot}${b.hotplug ? ' hotplug' : ''}` : b.hotplug ? ', hotplug' : '';
    lines.push(`${range}${slot}`);
  } else if (f.sriov) {
    lines.push(`SR-IOV ${f.sriov.numVfs}/${f.sriov.totalVfs} VFs`);
  } else if (f.bars.length > 0 && f.role !== 'vf') {
    lines.push(f.bars.map(barText).join(', ').replace(/BAR(\d) /g, '$1:'));
  }
  return lines;
}

function busLabel(m: ResolvedMachine, number: number): string {
  const bus = m.pci.buses.find((b) => b.number === number);
  if (!bus) return `bus ${hex2(number)} (VFs)`;
  const kind = bus.kind === 'pcie-root' ? 'root complex' : bus.kind === 'pcie-link' ? 'PCIe link' : bus.kind === 'pcie-switch' ? 'switch' : 'PCI';
  return `bus ${hex2(number)}  ${bus.name}  (${kind})`;
}

export function topologyGraph(m: ResolvedMachine, vfs: VfMode = 'folded'): TopologyGraph {
  const used = new Set<string>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const idOf = new Map<string, string>();
  const root = safeId('bus', 'pcie.0', used);
  nodes.push({ id: root, kind: 'root', lines: [`${m.name}`, `pcie.0  (segment 0000)`], bus: undefined, bdf: undefined });
  const byKey = new Map(m.pci.functions.map((f) => [f.key, f]));
  const busNumbers = new Set<number>();

  for (const f of m.pci.functions) {
    if (f.role === 'vf' && vfs === 'folded') continue;
    const id = safeId('fn', f.key, used);
    idOf.set(f.key, id);
    nodes.push({ id, kind: kindOf(f), lines: functionLines(f), bus: f.bus, bdf: f.bdf });
    busNumbers.add(f.bus);
  }
  for (const f of m.pci.functions) {
    const id = idOf.get(f.key);
    if (!id) continue;
    if (f.role === 'vf') {
      const pf = f.physfn ? idOf.get(f.physfn) : undefined;
      if (pf) edges.push({ from: pf, to: id, dashed: true });
      continue;
    }
    const parent = f.busName === 'pcie.0' ? root : idOf.get(f.busName);
    if (parent) edges.push({ from: parent, to: id, dashed: false });
  }
  if (vfs === 'folded') {
    for (const f of m.pci.functions) {
      if (!f.sriov || f.sriov.vfs.length === 0) continue;
      const first = byKey.get(f.sriov.vfs[0]!);
      const last = byKey.get(f.sriov.vfs[f.sriov.vfs.length - 1]!);
      if (!first || !last) continue;
      const id = safeId('vfs', f.key, used);
      const n = f.sriov.vfs.length;
      const range = n === 1 ? first.bdf : `${first.bdf} - ${last.bdf}`;
      nodes.push({ id, kind: 'vf', lines: [`${n} VF${n === 1 ? '' : 's'} of ${f.key}`, range, `${id4(f.vendorId)}:${id4(f.sriov.vfDeviceId)}`], bus: first.bus, bdf: first.bdf });
      busNumbers.add(first.bus);
      edges.push({ from: idOf.get(f.key)!, to: id, dashed: true });
    }
  }
  const ahci = idOf.get('ahci');
  if (ahci) {
    for (const d of m.storage.sata) {
      const id = safeId('drive', d.id, used);
      nodes.push({ id, kind: 'drive', lines: [`port ${d.port}  ${d.id}`, `sata-${d.kind}${d.image ? `  ${d.image}` : ''}`], bus: undefined, bdf: undefined });
      edges.push({ from: ahci, to: id, dashed: false });
    }
  }
  const buses = [...busNumbers].sort((a, b) => a - b).map((number) => ({ number, label: busLabel(m, number) }));
  return { title: m.name, buses, nodes, edges };
}
