/**
 * What the language server knows, as plain functions of a document's text
 * and the compiler's result: diagnostics located as `machc check` locates
 * them, completion of models, properties and `bus:` values, hover (model and
 * property docs, a device's resolved BDF and BARs through the where engine),
 * go-to-definition on a `bus:` reference, and `fmt` as formatting. No LSP
 * library here: server.ts turns these into protocol messages.
 */
import { placementProblem } from '../check/checks.js';
import { busKindForBridge, modelInfo } from '../check/models.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompileResult } from '../driver.js';
import { formatMachine } from '../fmt/format.js';
import { modelDocs, type ModelDoc, type PropertyDoc } from '../schema/models.js';
import { WhereEngine } from '../query/where.js';
import { humanSize } from '../util/format.js';
import schemaJson from '../../schemas/machine.schema.json' with { type: 'json' };

/** A position as LSP counts it: 0-based line, UTF-16 character. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface LspDiagnostic {
  readonly range: Range;
  /** 1 error, 2 warning. */
  readonly severity: 1 | 2;
  readonly code: string;
  readonly source: 'machc';
  readonly message: string;
  readonly relatedInformation?: readonly { readonly location: { readonly uri: string; readonly range: Range }; readonly message: string }[];
}

export interface Completion {
  readonly label: string;
  /** LSP CompletionItemKind: 10 Property, 12 Value, 6 Variable, 20 EnumMember. */
  readonly kind: number;
  readonly detail?: string;
  readonly documentation?: string;
}

/** The text's line starts, for offset and position conversions. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  offset(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + p.character, this.text.length);
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const next = this.starts[line + 1] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

// ---- diagnostics ----------------------------------------------------------------------------

/**
 * The compiler's diagnostics for the document at `path`, at the line,
 * column and length `machc check` prints. Problems about the whole file sit
 * at its start; notes in the same file become related information.
 */
export function lspDiagnostics(result: CompileResult, text: string, uri: string): LspDiagnostic[] {
  const lines = new LineMap(text);
  const here = (file: string | undefined) => file === undefined || file === result.path;
  const rangeOf = (d: Pick<Diagnostic, 'span'>): Range => (d.span && here(d.span.file) ? lines.range(d.span.offset, d.span.length) : lines.range(0, 0));
  return result.diagnostics.sorted().map((d) => {
    const related = d.notes.filter((n) => n.span && here(n.span.file)).map((n) => ({ location: { uri, range: rangeOf(n) }, message: n.message }));
    const help = [...d.notes.filter((n) => !n.span).map((n) => `note: ${n.message}`), ...(d.fix ? [`help: ${d.fix.message}`] : [])];
    // A problem in another file (an SSDT's .asl) is shown at the top, with where it is.
    const elsewhere = d.span && !here(d.span.file) ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : d.file && !here(d.file) ? `${d.file}: ` : '';
    return {
      range: rangeOf(d),
      severity: d.severity === 'error' ? 1 : 2,
      code: d.code,
      source: 'machc',
      message: [elsewhere + d.message, ...help].join('\n'),
      ...(related.length > 0 ? { relatedInformation: related } : {}),
    };
  });
}

// ---- the device list, read from the text ---------------------------------------------------

/** One item of `devices:` as written, found in the text so it works while the file does not parse. */
export interface DeviceItem {
  readonly start: number;
  readonly end: number;
  readonly id: { readonly value: string; readonly offset: number } | undefined;
  readonly model: string | undefined;
  readonly bus: string | undefined;
}

/** A `key: value` in an item's text: the value without quotes and where it starts. */
function field(text: string, key: string): { value: string; index: number } | undefined {
  const m = new RegExp(`(^|[\\s{,])${key}:[ \\t]*([^\\s,}\\]#]+)`).exec(text);
  if (!m) return undefined;
  const raw = m[2]!;
  const quoted = /^["']/.test(raw);
  return { value: raw.replace(/^["']|["']$/g, ''), index: m.index + m[0].length - raw.length + (quoted ? 1 : 0) };
}

/** The items of the top-level `devices:` list. */
export function deviceItems(text: string): DeviceItem[] {
  const lines = new LineMap(text);
  const items: DeviceItem[] = [];
  let inDevices = false;
  let dash: number | undefined;
  let cur: { start: number } | undefined;
  const close = (end: number) => {
    if (!cur) return;
    const body = text.slice(cur.start, end);
    const id = field(body, 'id');
    items.push({ start: cur.start, end, id: id ? { value: id.value, offset: cur.start + id.index } : undefined, model: field(body, 'model')?.value, bus: field(body, 'bus')?.value });
    cur = undefined;
  };
  for (let l = 0; l < lines.lineCount; l++) {
    const line = lines.lineText(l);
    const at = lines.offset({ line: l, character: 0 });
    if (/^\S/.test(line) && !line.startsWith('#')) {
      close(at);
      inDevices = /^devices:/.test(line);
      dash = undefined;
      continue;
    }
    if (!inDevices) continue;
    const m = /^(\s*)- /.exec(line);
    if (m && (dash === undefined || m[1]!.length === dash)) {
      dash = m[1]!.length;
      close(at);
      cur = { start: at + m[1]!.length };
    }
  }
  close(text.length);
  return items;
}

// ---- completion ---------------------------------------------------------------------------

let docsCache: ModelDoc[] | undefined;
const docs = (): ModelDoc[] => (docsCache ??= modelDocs());

const TOP_KEYS = Object.entries((schemaJson as { properties: Record<string, { description?: string }> }).properties);

/** Where a device of `model` (the item `self`) can sit: pcie.0, or the ids of the file's ports and bridges whose bus takes it. */
export function busChoices(items: readonly DeviceItem[], self: DeviceItem | undefined, model: string | undefined): string[] {
  const info = model ? modelInfo(model) : undefined;
  if (info?.sata) return ['ahci'];
  // A SCSI disk, USB device or codec: the controllers of its kind.
  if (info?.role === 'attached') return items.filter((b) => b !== self && b.id && b.model && modelInfo(b.model)?.controls?.bus === info.bus).map((b) => b.id!.value);
  const out: string[] = [];
  for (const b of items) {
    if (b === self || !b.id || !b.model) continue;
    const kind = busKindForBridge(b.model);
    if (!kind) continue;
    if (info && placementProblem(info, kind) !== undefined) continue;
    // A PCIe link takes one device: a port already used by another is no choice.
    const id = b.id.value;
    if (kind === 'pcie-link' && items.some((x) => x !== self && x.bus === id)) continue;
    out.push(id);
  }
  if (!info || info.onRoot) out.push('pcie.0');
  return out;
}

function propertyCompletion(p: PropertyDoc): Completion {
  return { label: p.name, kind: 10, detail: p.type + (p.default !== undefined ? ` (default ${String(p.default)})` : ''), documentation: p.description };
}

/** Completions at `offset`: a model after `model:`, a bus after `bus:`, a property name where a key goes in a device, a top-level key at the margin. */
export function completions(text: string, offset: number): Completion[] {
  const lines = new LineMap(text);
  const pos = lines.position(offset);
  const before = lines.lineText(pos.line).slice(0, pos.character);
  const items = deviceItems(text);
  const item = items.find((i) => i.start <= offset && offset <= i.end);
  if (/(^|[\s{,])model:\s*[\w.-]*$/.test(before)) return docs().map((d) => ({ label: d.name, kind: 20, detail: `-device ${d.qemuDevice}`, documentation: d.description }));
  if (/(^|[\s{,])bus:\s*[\w.-]*$/.test(before)) {
    return busChoices(items, item, item?.model).map((id) => {
      const target = items.find((i) => i.id?.value === id);
      return { label: id, kind: 12, detail: target?.model ?? (id === 'pcie.0' ? 'the root complex' : 'the AHCI controller') };
    });
  }
  if (item && /(^\s*(- )?|[{,]\s*)[\w-]*$/.test(before)) {
    const doc = docs().find((d) => d.name === item.model);
    const props = doc?.properties ?? docs()[0]!.properties.filter((p) => ['id', 'model', 'bus', 'addr'].includes(p.name));
    return props.map(propertyCompletion);
  }
  if (/^[\w-]*$/.test(before)) return TOP_KEYS.map(([k, v]) => ({ label: k, kind: 10, ...(v.description ? { documentation: v.description } : {}) }));
  return [];
}

// ---- hover and definition ------------------------------------------------------------------

/** The word (id, model or key characters) around an offset. */
function wordAt(text: string, offset: number): { word: string; start: number } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[\w.-]/.test(c);
  let s = offset;
  while (s > 0 && isWord(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && isWord(text[e])) e++;
  return e > s ? { word: text.slice(s, e), start: s } : undefined;
}

/** Markdown about a device as resolved: its BDF, how it got there, its BARs where firmware placed them. */
function deviceHover(result: CompileResult, id: string): string | undefined {
  const { machine, description, source } = result;
  if (!machine || !description || !source) return undefined;
  const f = machine.pci.functions.find((x) => x.key === id);
  if (!f) return undefined;
  const a = new WhereEngine({ machine, description, source }).functionAnswer(f);
  const out = [`**${a.summary}**`, ''];
  const bars = machine.firmware.bars.filter((b) => b.key === id);
  for (const b of bars) out.push(`- ${b.bar === 6 ? 'ROM' : `BAR${b.bar}`} ${b.region} ${humanSize(b.bar === 6 ? f.romSize : (f.bars.find((x) => x.index === b.bar)?.size ?? b.size))} at 0x${b.address.toString(16)}`);
  const w = machine.firmware.windows.filter((x) => x.key === id && x.size > 0);
  for (const x of w) out.push(`- ${x.region} window for bus ${x.secondary}: 0x${x.base.toString(16)} (${humanSize(x.size)})`);
  if (f.sriov) out.push(`- SR-IOV: ${f.sriov.numVfs} of ${f.sriov.totalVfs} VFs enabled, at ${f.sriov.vfs.map((k) => machine.pci.functions.find((x) => x.key === k)?.bdf).join(', ') || 'none'}`);
  if (bars.length + w.length > 0 || f.sriov) out.push('');
  out.push(...a.chain.map((c) => `- ${c}`));
  return out.join('\n');
}

function modelHover(d: ModelDoc): string {
  const props = d.properties.map((p) => `- \`${p.name}\` (${p.type}${p.required ? ', required' : ''})`).join('\n');
  return `**${d.name}**: ${d.description}\n\nQEMU \`-device ${d.qemuDevice}\` (since ${d.qemuSince})\n\n${props}`;
}

/** Markdown for what is under the cursor, or undefined. */
export function hover(text: string, offset: number, result: CompileResult): string | undefined {
  const w = wordAt(text, offset);
  if (!w) return undefined;
  const lines = new LineMap(text);
  const pos = lines.position(w.start);
  const before = lines.lineText(pos.line).slice(0, pos.character);
  const after = text.slice(w.start + w.word.length);
  const item = deviceItems(text).find((i) => i.start <= offset && offset <= i.end);
  if (/(^|[\s{,])model:\s*$/.test(before)) {
    const d = docs().find((x) => x.name === w.word);
    return d ? modelHover(d) : undefined;
  }
  if (/(^|[\s{,])(id|bus):\s*$/.test(before)) return deviceHover(result, w.word);
  if (item && /^\s*:/.test(after)) {
    const doc = docs().find((d) => d.name === item.model);
    const p = doc?.properties.find((x) => x.name === w.word);
    if (p) return `**${p.name}** (${p.type}${p.default !== undefined ? `, default ${String(p.default)}` : ''}${p.qemu ? `, QEMU \`${p.qemu}\`` : ''})\n\n${p.description}`;
  }
  return undefined;
}

/** Where the device a `bus:` value names is declared (its `id:` value), as an offset and length. */
export function definition(text: string, offset: number): { offset: number; length: number } | undefined {
  const w = wordAt(text, offset);
  if (!w) return undefined;
  const lines = new LineMap(text);
  const pos = lines.position(w.start);
  if (!/(^|[\s{,])bus:\s*$/.test(lines.lineText(pos.line).slice(0, pos.character))) return undefined;
  const target = deviceItems(text).find((i) => i.id?.value === w.word);
  return target?.id ? { offset: target.id.offset, length: target.id.value.length } : undefined;
}

// ---- formatting ----------------------------------------------------------------------------

/** The whole document as `machc fmt` writes it, or undefined when it cannot be formatted (or already is). */
export function formatted(path: string, text: string): string | undefined {
  const r = formatMachine(path, text);
  return r.text === undefined || r.text === text ? undefined : r.text;
}
