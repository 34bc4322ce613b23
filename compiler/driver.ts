/**
 * The front and middle of the compiler as one call: read, parse, validate,
 * describe, check, resolve. Every later command (show, build, diff, graph,
 * run) starts here. Nothing in this path throws for bad input: problems come
 * back as diagnostics.
 */
import { DiagnosticBag } from './diagnostics/diagnostic.js';
import { runChecks } from './check/checks.js';
import { describeMachine } from './check/describe.js';
import type { MachineDescription } from './model/description.js';
import type { TargetVersion } from './model/target.js';
import type { ResolvedMachine } from './model/topology.js';
import { resolveMachine, type ResolveOptions } from './resolve/index.js';
import { validateStructure } from './schema/validate.js';
import { decodeSource, readSourceBytes } from './source/load.js';
import type { SourceFile } from './source/source-file.js';
import { parseYamlTree, toPlain } from './source/yaml-tree.js';

export interface CompileResult {
  readonly path: string;
  readonly source: SourceFile | undefined;
  /** The bytes the source was read from (undefined when they could not be read). */
  readonly bytes: Uint8Array | undefined;
  readonly diagnostics: DiagnosticBag;
  readonly description: MachineDescription | undefined;
  readonly machine: ResolvedMachine | undefined;
}

export interface CompileOptions extends ResolveOptions {
  /** Use this text instead of reading the file (editors, tests). */
  readonly text?: string | Uint8Array;
  /** Stop after the checks (no resolution). */
  readonly checkOnly?: boolean;
  /** The QEMU target from the command line (overrides the file's `qemu:`). */
  readonly qemu?: TargetVersion | undefined;
  /** Look at the disk images the file names (MD1111: missing, smaller than a sector); commands that give them to QEMU do. */
  readonly checkImages?: boolean;
}

export function compileMachine(path: string, options: CompileOptions = {}): CompileResult {
  const diags = new DiagnosticBag();
  const bytes = options.text === undefined ? readSourceBytes(path, diags) : typeof options.text === 'string' ? new TextEncoder().encode(options.text) : options.text;
  const done = (source?: SourceFile, description?: MachineDescription, machine?: ResolvedMachine): CompileResult => ({
    path,
    source,
    bytes,
    diagnostics: diags,
    description,
    machine,
  });
  const source = bytes ? decodeSource(path, bytes, diags) : undefined;
  if (!source) return done();
  if (diags.hasErrors) return done(source);
  const root = parseYamlTree(source, diags);
  if (!root) return done(source);
  const structureOk = validateStructure(root, toPlain(root), diags);
  const description = describeMachine(root, source, diags, { qemu: options.qemu });
  runChecks(description, diags, { images: options.checkImages });
  if (!structureOk || diags.hasErrors || options.checkOnly) return done(source, description);
  const machine = resolveMachine(description, diags, options);
  return done(source, description, diags.hasErrors ? undefined : machine);
}
