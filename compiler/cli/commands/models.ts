/**
 * `machc models [MODEL] [--json]`: the device models, what each is, and the
 * properties it accepts with their types, defaults and QEMU names, from the
 * JSON Schema (compiler/schema/models.ts).
 */
import { modelDocs, type ModelDoc, type PropertyDoc } from '../../schema/models.js';
import { closest } from '../../util/suggest.js';
import type { Io } from '../io.js';
import { UsageError } from '../main.js';

export interface ModelsOptions {
  json?: boolean;
}

function propertyLines(props: readonly PropertyDoc[], indent: string): string[] {
  const width = Math.max(...props.map((p) => p.name.length));
  return props.flatMap((p) => {
    const facts = [p.type, p.required ? 'required' : undefined, p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined, p.qemu ? `QEMU ${p.qemu}` : undefined];
    const head = `${indent}${p.name.padEnd(width)}  ${facts.filter(Boolean).join('; ')}`;
    const lines = [head, ...(p.description ? [`${indent}${' '.repeat(width + 2)}${p.description}`] : [])];
    return p.properties ? [...lines, ...propertyLines(p.properties, `${indent}    `)] : lines;
  });
}

function modelText(m: ModelDoc): string {
  const lines = [`${m.name}: ${m.description}`, `  QEMU -device ${m.qemuDevice} (QEMU ${m.qemuSince}+)`];
  if (m.sriov) {
    const total = 'fixed' in m.sriov.totalVfs ? `${m.sriov.totalVfs.fixed} VFs` : `up to ${m.sriov.totalVfs.max} VFs`;
    lines.push(`  SR-IOV: VF device ${m.sriov.vfDeviceId}, offset ${m.sriov.offset}, stride ${m.sriov.stride}, ${total} (QEMU ${m.sriov.qemuSince}+)`);
  }
  lines.push('  properties:', ...propertyLines(m.properties, '    '));
  return `${lines.join('\n')}\n`;
}

export async function runModels(io: Io, model: string | undefined, opts: ModelsOptions = {}): Promise<number> {
  const all = modelDocs();
  const chosen = model === undefined ? all : all.filter((m) => m.name === model);
  if (chosen.length === 0) {
    const near = closest(model!, all.map((m) => m.name));
    throw new UsageError(`no device model '${model}'${near ? ` (did you mean '${near}'?)` : ''}; machc models lists them`);
  }
  if (opts.json) io.out(`${JSON.stringify(model === undefined ? chosen : chosen[0], null, 2)}\n`);
  else io.out(chosen.map(modelText).join('\n'));
  return 0;
}
