/**
 * `machc import qemu [--file F] -- ARGS...` and `machc import libvirt FILE`:
 * a QEMU command line or a libvirt domain as a machine file, on standard
 * output or in `-o FILE`. The file is compiled before it is written, so what
 * comes out resolves. Exit 0 (warnings allowed), 1 when something cannot be
 * expressed (MD1701, unless --lenient), a value is bad (MD1703), the XML is
 * not a domain (MD1704) or the result does not compile; nothing is written
 * then. 2 for usage errors.
 */
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { compileMachine } from '../../driver.js';
import { Diag } from '../../diagnostics/catalog.js';
import { DiagnosticBag, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderText, summaryLine, toJson } from '../../diagnostics/render.js';
import { argsFromArgv, argsFromText, type ArgList } from '../../import/args.js';
import { renderMachineDoc, type DocObject, type MachineDoc } from '../../import/document.js';
import { importQemu } from '../../import/qemu.js';
import type { TargetVersion } from '../../model/target.js';
import { decodeSource } from '../../source/load.js';
import type { SourceFile } from '../../source/source-file.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { Io } from '../io.js';
import { readInput } from '../machine.js';
import { UsageError } from '../main.js';
import { checkOutputFile, writeOrUsageError } from '../output.js';

export interface ImportOptions {
  output?: string;
  file?: string;
  lenient?: boolean;
  json?: boolean;
  qemu?: TargetVersion;
  name?: string;
}

/** With --lenient, what cannot be expressed is left out on purpose: its diagnostics become warnings. */
function lenient(diags: DiagnosticBag): void {
  for (let i = 0; i < diags.items.length; i++) {
    const d = diags.items[i]!;
    if (d.code === Diag.importUnsupported.code) diags.items[i] = { ...d, severity: 'warning', message: `${d.message} (left out: --lenient)` };
  }
}

/** Diagnostics as text on standard error, or with --json as JSON on standard output, with the machine file when there is one to print. */
function print(io: Io, json: boolean, diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], machine?: string): void {
  const sorted = [...diagnostics];
  if (json) {
    io.out(`${JSON.stringify({ diagnostics: sorted.map(toJson), ...(machine !== undefined ? { machine } : {}) }, null, 2)}\n`);
    return;
  }
  if (sorted.length === 0) return;
  const lookup = (f: string) => sources.find((s) => s.path === f);
  io.err(renderText(sorted, lookup, { color: io.colorErr }));
  io.err(`${summaryLine(sorted, 1)}\n`);
}

/** The text the import read (`--file`, the XML file), for diagnostics; usage error when it cannot be read. */
function readText(io: Io, path: string, diags: DiagnosticBag): SourceFile | undefined {
  const { name, bytes } = readInput(io, path, diags);
  return bytes ? decodeSource(name, bytes, diags) : undefined;
}

/** Relative image paths, as given from `from`, made relative to `toDir` (the machine file's folder). */
function rebaseImages(doc: MachineDoc, from: string, toDir: string): void {
  const fix = (o: DocObject) => {
    const p = o['image'];
    if (typeof p === 'string' && !isAbsolute(p)) o['image'] = relative(toDir, resolve(from, p)) || '.';
  };
  for (const d of doc.devices) {
    fix(d);
    for (const ns of (d['namespaces'] as DocObject[] | undefined) ?? []) fix(ns);
  }
}

export async function runImport(io: Io, kind: string, file: string | undefined, qemuArgs: readonly string[], opts: ImportOptions): Promise<number> {
  if (kind !== 'qemu' && kind !== 'libvirt') throw new UsageError(`import: the formats are qemu and libvirt, not '${kind}'`);
  const diags = new DiagnosticBag();
  const sources: SourceFile[] = [];
  let doc: MachineDoc | undefined;
  let from: string;
  if (kind === 'qemu') {
    if (file !== undefined) throw new UsageError(`import qemu: give the QEMU arguments after --, or a file of them with --file (not '${file}')`);
    let list: ArgList;
    if (opts.file !== undefined) {
      const text = readText(io, opts.file, diags);
      if (!text) {
        print(io, Boolean(opts.json), diags.items, []);
        return 2;
      }
      list = argsFromText(text.path, text.text, (span, detail) => diags.report(Diag.importBadValue, span, { what: 'the arguments file', detail }));
      from = basename(text.path);
    } else {
      if (qemuArgs.length === 0) throw new UsageError('import qemu: give the QEMU arguments after -- (machc import qemu -- -machine q35 ...), or --file FILE');
      list = argsFromArgv(qemuArgs);
      from = 'a QEMU command line';
    }
    sources.push(list.source);
    doc = importQemu(list, diags, { qemu: opts.qemu });
  } else {
    if (file === undefined) throw new UsageError('import libvirt: give the domain XML file (- for standard input)');
    if (opts.file !== undefined) throw new UsageError('import libvirt: --file is for import qemu; give the XML file as the argument');
    const text = readText(io, file, diags);
    if (!text) {
      print(io, Boolean(opts.json), diags.items, []);
      return 2;
    }
    sources.push(text);
    from = basename(text.path);
    const { importLibvirt } = await import('../../import/libvirt.js');
    doc = importLibvirt(text, diags);
  }
  if (opts.lenient) lenient(diags);
  if (diags.hasErrors || !doc) {
    print(io, Boolean(opts.json), diags.sorted(), sources);
    return 1;
  }
  if (opts.name !== undefined) doc.name = opts.name;
  const output = opts.output === '-' ? undefined : opts.output;
  // QEMU opens relative image paths from its working directory; a machine file names them from its own folder.
  if (output !== undefined) rebaseImages(doc, process.cwd(), dirname(resolve(output)));
  const text = renderMachineDoc(doc, [`Imported by machc import ${kind} from ${from}.`]);
  // What is written must resolve: compile it first (disk images are looked at when the machine is built).
  const outName = output ?? '<import>';
  const compiled = compileMachine(outName, { text });
  if (compiled.diagnostics.hasErrors) {
    if (compiled.source) sources.push(compiled.source);
    print(io, Boolean(opts.json), [...diags.sorted(), ...compiled.diagnostics.sorted()], sources);
    io.err(`machc: the imported machine does not compile; nothing written\n`);
    return 1;
  }
  print(io, Boolean(opts.json), diags.sorted(), sources, output === undefined ? text : undefined);
  if (output !== undefined) {
    checkOutputFile('-o', output, [opts.file ?? file ?? ''].filter((f) => f !== '' && f !== '-'));
    const wrote = writeOrUsageError(`-o ${output}`, () => writeFileAtomic(output, text));
    io.err(`${output}: ${wrote ? 'written' : 'up to date'}\n`);
  } else if (!opts.json) io.out(text);
  return 0;
}
