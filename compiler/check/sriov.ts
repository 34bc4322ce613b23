/**
 * An SR-IOV request (a device's `sriov:`) read against its model's
 * capability: TotalVFs, NumVFs, First VF Offset and VF Stride as the PF will
 * have them, or why they cannot be. The checks run it, so its problems come
 * with every other problem of the file (MD1305 among them); the resolver
 * runs it again for the numbers.
 */
import type { SriovSpec } from '../../runtime/devices/catalog.js';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { DeviceDesc } from '../model/description.js';
import type { Span } from '../source/source-file.js';

export interface SriovPlan {
  readonly total: number;
  readonly num: number;
  readonly offset: number;
  readonly stride: number;
}

/** The PF's SR-IOV numbers for device `d` of a model with capability `spec`; problems are reported, and give undefined. */
export function sriovPlan(d: DeviceDesc, spec: SriovSpec, diags: DiagnosticBag): SriovPlan | undefined {
  if (!d.sriov) return undefined;
  const s = d.sriov;
  const span = (k: string): Span | undefined => s.spans[k] ?? s.spans['$'];
  let total = s.totalVfs ?? spec.defaultTotalVfs ?? s.vfs;
  if (spec.fixedTotalVfs && s.totalVfs !== undefined && s.totalVfs !== spec.defaultTotalVfs) {
    diags.report(Diag.sriovOverride, span('total-vfs'), { model: d.model, field: 'TotalVFs', value: s.totalVfs, fixed: spec.defaultTotalVfs! });
    total = spec.defaultTotalVfs!;
  }
  if (total > spec.maxTotalVfs) {
    diags.report(Diag.valueOutOfRange, span('total-vfs') ?? span('vfs'), { detail: `${d.model} supports at most ${spec.maxTotalVfs} VFs, not ${total}` });
    return undefined;
  }
  if (s.vfs > total) {
    diags.report(Diag.vfsExceedTotal, span('vfs'), { pf: d.id, vfs: s.vfs, total });
    return undefined;
  }
  let offset = spec.offset;
  let stride = spec.stride;
  for (const [field, given, fixed] of [['First VF Offset', s.vfOffset, spec.offset], ['VF Stride', s.vfStride, spec.stride]] as const) {
    if (given === undefined) continue;
    if (!spec.configurableRouting && given !== fixed) {
      diags.report(Diag.sriovOverride, span(field === 'VF Stride' ? 'vf-stride' : 'vf-offset'), { model: d.model, field, value: given, fixed });
      return undefined;
    }
    if (field === 'VF Stride') stride = given;
    else offset = given;
  }
  if (total > 0 && (offset === 0 || (total > 1 && stride === 0))) {
    diags.report(Diag.valueOutOfRange, span(offset === 0 ? 'vf-offset' : 'vf-stride'), { detail: 'First VF Offset and VF Stride must be at least 1' });
    return undefined;
  }
  return { total, num: s.vfs, offset, stride };
}
