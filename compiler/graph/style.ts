/** Colours per node kind, shared by the DOT and Mermaid writers (light fills, dark text, readable in print). */
import type { NodeKind } from './model.js';

export interface NodeStyle {
  readonly fill: string;
  readonly stroke: string;
  readonly dashed?: boolean;
}

export const NODE_STYLE: Record<NodeKind, NodeStyle> = {
  root: { fill: '#1e3a8a', stroke: '#1e3a8a' },
  chipset: { fill: '#f1f5f9', stroke: '#94a3b8' },
  'root-port': { fill: '#dbeafe', stroke: '#2563eb' },
  switch: { fill: '#ede9fe', stroke: '#7c3aed' },
  'pci-bridge': { fill: '#fef3c7', stroke: '#d97706' },
  endpoint: { fill: '#dcfce7', stroke: '#16a34a' },
  vf: { fill: '#f0fdf4', stroke: '#16a34a', dashed: true },
  drive: { fill: '#fafaf9', stroke: '#78716c' },
};

export const FONT = 'Helvetica,Arial,sans-serif';
