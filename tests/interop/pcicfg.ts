// Small decoder for captured PCI config spaces (capability chains, SR-IOV fields).
// usage: npx tsx tests/interop/pcicfg.ts tests/fixtures/captures/NAME/cfg/BDF.bin ...

export interface Capability {
  offset: number;
  id: number;
  name: string;
  extended: boolean;
  version?: number;
}

const CAP_NAMES: Record<number, string> = {
  0x01: 'PM',
  0x05: 'MSI',
  0x09: 'Vendor',
  0x0d: 'SSVID',
  0x10: 'PCIe',
  0x11: 'MSI-X',
  0x12: 'SATA',
  0x13: 'AF',
};
const EXT_NAMES: Record<number, string> = {
  0x0001: 'AER',
  0x0002: 'VC',
  0x0003: 'DSN',
  0x000b: 'VSEC',
  0x000d: 'ACS',
  0x000e: 'ARI',
  0x0010: 'SR-IOV',
  0x0017: 'TPH',
  0x0019: 'SecPCIe',
  0x0023: 'DVSEC',
};

export function capabilities(cfg: Buffer): Capability[] {
  const out: Capability[] = [];
  const status = cfg.readUInt16LE(6);
  if (status & 0x10) {
    let p = cfg[0x34] ?? 0;
    const seen = new Set<number>();
    while (p >= 0x40 && p < 0x100 && !seen.has(p)) {
      seen.add(p);
      const id = cfg[p] ?? 0;
      out.push({ offset: p, id, name: CAP_NAMES[id] ?? `cap${id.toString(16)}`, extended: false });
      p = (cfg[p + 1] ?? 0) & 0xfc;
    }
  }
  if (cfg.length >= 0x1000) {
    let p = 0x100;
    const seen = new Set<number>();
    while (p >= 0x100 && p < 0x1000 && !seen.has(p)) {
      seen.add(p);
      const hdr = cfg.readUInt32LE(p);
      if (hdr === 0 || hdr === 0xffffffff) break;
      const id = hdr & 0xffff;
      out.push({ offset: p, id, name: EXT_NAMES[id] ?? `ext${id.toString(16)}`, extended: true, version: (hdr >> 16) & 0xf });
      p = (hdr >>> 20) & 0xffc;
    }
  }
  return out;
}

export interface SriovCap {
  offset: number;
  caps: number;
  control: number;
  status: number;
  initialVfs: number;
  totalVfs: number;
  numVfs: number;
  funcDepLink: number;
  firstVfOffset: number;
  vfStride: number;
  vfDeviceId: number;
  supportedPageSizes: number;
  systemPageSize: number;
  vfBars: number[];
  migrationStateArrayOffset: number;
}

export function sriov(cfg: Buffer): SriovCap | undefined {
  const c = capabilities(cfg).find((x) => x.extended && x.id === 0x10);
  if (!c) return undefined;
  const o = c.offset;
  return {
    offset: o,
    caps: cfg.readUInt32LE(o + 0x04),
    control: cfg.readUInt16LE(o + 0x08),
    status: cfg.readUInt16LE(o + 0x0a),
    initialVfs: cfg.readUInt16LE(o + 0x0c),
    totalVfs: cfg.readUInt16LE(o + 0x0e),
    numVfs: cfg.readUInt16LE(o + 0x10),
    funcDepLink: cfg[o + 0x12] ?? 0,
    firstVfOffset: cfg.readUInt16LE(o + 0x14),
    vfStride: cfg.readUInt16LE(o + 0x16),
    vfDeviceId: cfg.readUInt16LE(o + 0x1a),
    supportedPageSizes: cfg.readUInt32LE(o + 0x1c),
    systemPageSize: cfg.readUInt32LE(o + 0x20),
    vfBars: [0, 1, 2, 3, 4, 5].map((i) => cfg.readUInt32LE(o + 0x24 + 4 * i)),
    migrationStateArrayOffset: cfg.readUInt32LE(o + 0x3c),
  };
}

export function describeConfig(cfg: Buffer): string {
  const h = (n: number, w = 4): string => '0x' + n.toString(16).padStart(w, '0');
  const lines = [
    `id ${h(cfg.readUInt16LE(0))}:${h(cfg.readUInt16LE(2))} cmd ${h(cfg.readUInt16LE(4))} status ${h(cfg.readUInt16LE(6))} ` +
      `rev ${h(cfg[8] ?? 0, 2)} class ${h(cfg.readUIntLE(9, 3), 6)} hdr ${h(cfg[0x0e] ?? 0, 2)} size ${cfg.length}`,
    'caps: ' + capabilities(cfg).map((c) => `${c.name}@${h(c.offset, 3)}${c.version !== undefined ? `v${c.version}` : ''}`).join(' '),
  ];
  const s = sriov(cfg);
  if (s) {
    lines.push(
      `sriov: caps ${h(s.caps, 8)} ctrl ${h(s.control)} initial ${s.initialVfs} total ${s.totalVfs} num ${s.numVfs} ` +
        `offset ${s.firstVfOffset} stride ${s.vfStride} vfDevice ${h(s.vfDeviceId)} pages ${h(s.supportedPageSizes, 8)}/${h(s.systemPageSize, 8)} ` +
        `vfBARs ${s.vfBars.map((b) => h(b, 8)).join(' ')}`,
    );
  }
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const f of process.argv.slice(2)) {
    process.stdout.write(`${f}\n${describeConfig(readFileSync(f))}\n`);
  }
}
