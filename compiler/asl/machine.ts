/**
 * The ASL of a machine file: each device's `asl:` block compiled into that
 * device's scope in the DSDT, and each `ssdts:` entry compiled into its own
 * table. Names in a device block resolve against the DSDT machc generates
 * for the machine (read back through machc's own ASL printer and compiler),
 * so a block may call \_SB.PCI0 methods, and a name that clashes with one
 * machc generates (a second _ADR, _SUN ...) is an error at its line.
 *
 * Runs after resolution, only for machines that have ASL; the commands that
 * need it import this module lazily (it pulls in chevrotain).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { scope as scopeTerm, type AmlTerm } from '../emit/acpi/aml.js';
import { definitionBlock } from '../emit/acpi/dsdt.js';
import type { AcpiTable } from '../emit/acpi/header.js';
import { buildAcpiTables } from '../emit/acpi/index.js';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { AslText, MachineDescription } from '../model/description.js';
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import { SourceFile } from '../source/source-file.js';
import { AslCompiler } from './compile.js';
import { reportAslProblems } from './diagnostics.js';
import { compileAsl, MACHC_CREATOR_ID, MACHC_CREATOR_REVISION } from './index.js';
import type { Namespace } from './namespace.js';
import { parseAsl } from './parse.js';

export interface MachineAsl {
  /** Scope (device path) { terms } blocks to append to the DSDT. */
  readonly dsdt: readonly AmlTerm[];
  /** The extra SSDTs, complete tables. */
  readonly ssdts: readonly AcpiTable[];
}

/** Whether the machine has any ASL to compile. */
export function hasAsl(d: MachineDescription): boolean {
  return d.ssdts.length > 0 || d.devices.some((x) => x.asl !== undefined);
}

/** The DSDT's integer width: machc's DSDT is revision 1 (32-bit integers, as QEMU's). */
const DSDT_REVISION = 1;

/** Maps an offset in a block scalar's text to the file offset (lines[] holds each line's start). */
function fileMapper(t: AslText): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < t.text.length; i++) if (t.text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
    return (t.lines[line] ?? t.span.offset) + (offset - starts[line]!);
  };
}

/** The ACPI path of a PCI function's Device object in machc's DSDT (\_SB.PCI0.Sxx.Syy), if it has one. */
function acpiPath(machine: ResolvedMachine, f: PciFunction): string | undefined {
  const segs: string[] = [];
  let cur: PciFunction | undefined = f;
  while (cur) {
    if (cur.fn !== 0 && cur.bridge === undefined && cur.model !== 'ich9-smbus') return undefined;
    segs.unshift(`S${((cur.device << 3) | cur.fn).toString(16).toUpperCase().padStart(2, '0')}`);
    if (cur.bus === 0) break;
    const bus: number = cur.bus;
    cur = machine.pci.functions.find((b) => b.bridge?.secondary === bus);
    if (!cur) return undefined;
  }
  return `\\_SB.PCI0.${segs.join('.')}`;
}

/** The namespace of machc's own DSDT for this machine (declarations only). */
function dsdtNamespace(machine: ResolvedMachine, creationOrder: readonly string[] | undefined): { ns: Namespace; compiler: AslCompiler } {
  const dsdt = buildAcpiTables(machine, { creationOrder }).tables.find((t) => t.signature === 'DSDT')!;
  const parsed = parseAsl(dsdt.asl);
  const compiler = new AslCompiler({ revision: DSDT_REVISION, optimizeNames: true });
  if (parsed.ok) {
    const block = parsed.items.find((i) => i.kind === 'call' && i.name === 'DefinitionBlock');
    if (block?.kind === 'call') compiler.declareTerms(block.body ?? [], compiler.ns.root, '<dsdt>');
  }
  if (!parsed.ok || compiler.problems.length > 0) throw new Error('machc could not read back its own DSDT');
  return { ns: compiler.ns, compiler };
}

export function compileMachineAsl(
  desc: MachineDescription,
  machine: ResolvedMachine,
  source: SourceFile,
  diags: DiagnosticBag,
  options: { readonly creationOrder?: readonly string[] | undefined } = {},
): MachineAsl {
  const dsdt: AmlTerm[] = [];
  const withAsl = desc.devices.filter((d) => d.asl !== undefined);
  if (withAsl.length > 0) {
    const { ns } = dsdtNamespace(machine, options.creationOrder);
    for (const d of withAsl) {
      const text = d.asl!;
      const f = machine.pci.functions.find((x) => x.key === d.id);
      const path = f ? acpiPath(machine, f) : undefined;
      if (!path) {
        diags.report(Diag.aslType, d.spans['asl$key'] ?? text.span, {
          detail: `${d.id} has no Device object in the DSDT to put ASL in (only PCI functions 0, bridges and SMBus have one)`,
        });
        continue;
      }
      const toFile = fileMapper(text);
      const parsed = parseAsl(text.text);
      if (!parsed.ok) {
        reportAslProblems(diags, [{ kind: 'syntax', message: parsed.error.message, range: parsed.error.range }], source, toFile);
        continue;
      }
      const c = new AslCompiler({ revision: DSDT_REVISION, optimizeNames: true }, ns);
      const scope = ns.lookup({ root: true, parents: 0, segs: path.slice(1).split('.').map((s) => s.padEnd(4, '_')) }, ns.root, false)!;
      c.declareTerms(parsed.items, scope, source.path);
      const terms = c.terms(parsed.items, { scope, topLevel: false });
      const ext = c.externalBlock();
      reportAslProblems(diags, c.problems, source, toFile);
      if (c.problems.length === 0) dsdt.push(scopeTerm(path, [...ext, ...terms]));
    }
  }
  const ssdts: AcpiTable[] = [];
  for (const s of desc.ssdts) {
    let text: string;
    let file: SourceFile;
    let toFile: (o: number) => number = (o) => o;
    if ('file' in s) {
      const path = resolve(dirname(source.path), s.file);
      try {
        text = readFileSync(path, 'latin1');
      } catch (e) {
        diags.report(Diag.aslDefinitionBlock, s.span, { detail: `cannot read ${s.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
        continue;
      }
      file = new SourceFile(s.file, text);
    } else {
      text = s.asl.text;
      file = source;
      toFile = fileMapper(s.asl);
    }
    const r = compileAsl(text, file.path, { creatorId: MACHC_CREATOR_ID, creatorRevision: MACHC_CREATOR_REVISION });
    const problems = [...r.problems];
    for (const t of r.tables) {
      if (t.signature !== 'SSDT') problems.push({ kind: 'definition-block', message: `an ssdts entry holds SSDTs, not a ${t.signature}`, range: t.range });
    }
    reportAslProblems(diags, problems, file, toFile);
    if (problems.length > 0) continue;
    for (const t of r.tables) {
      ssdts.push(definitionBlock('SSDT', t.revision, {
        oemId: t.oemId, oemTableId: t.oemTableId, oemRevision: t.oemRevision,
        creatorId: MACHC_CREATOR_ID, creatorRevision: MACHC_CREATOR_REVISION,
      }, t.terms));
    }
  }
  return { dsdt, ssdts };
}
