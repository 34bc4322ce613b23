/**
 * `machc explain [CODE] [--json]`: what a diagnostic means and how to fix it,
 * with a machine file that gets it and the same file put right (as
 * `rustc --explain` does); or the list of every code.
 */
import { allEntries } from '../../diagnostics/catalog.js';
import { EXAMPLES, type Example } from '../../diagnostics/examples.js';
import type { Io } from '../io.js';

export interface ExplainOptions {
  json?: boolean;
}

const indent = (text: string) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** An example as text: the machine file, and what else it takes to see the diagnostic. */
function exampleText(e: Example): string {
  if (e.import && 'qemu' in e.import) return `    $ machc import qemu -- ${e.import.qemu.map((a) => (/^[\w.,=:/+-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`;
  if (e.import) return ['    $ machc import libvirt domain.xml        (domain.xml:)', indent(e.import.libvirt)].join('\n');
  if (e.missing) return `    $ machc check ${e.machine}        (no file of that name)`;
  const parts = [indent(e.machine)];
  if (e.padTo !== undefined) parts.push(`    # ... and comment lines up to ${Math.round(e.padTo / 1024)} KiB`);
  if (e.latin1) parts.push('    (saved as Latin-1: é is the byte 0xe9, not UTF-8)');
  if (e.lock !== undefined) parts.push('  with its lockfile, machine.yaml.lock:', indent(e.lock));
  const files = Object.entries(e.files ?? {});
  if (files.length > 0) parts.push(`  beside it: ${files.map(([f, n]) => `${f} (${n} bytes)`).join(', ')}`);
  return parts.join('\n');
}

export async function runExplain(io: Io, code: string | undefined, opts: ExplainOptions = {}): Promise<number> {
  const entries = allEntries();
  if (!code) {
    if (opts.json) io.out(`${JSON.stringify(entries.map((e) => ({ code: e.code, name: e.name, severity: e.severity })), null, 2)}\n`);
    else for (const e of entries) io.out(`${e.code}  ${e.severity.padEnd(7)}  ${e.name}\n`);
    return 0;
  }
  const e = entries.find((x) => x.code.toLowerCase() === code.toLowerCase() || x.name === code);
  if (!e) {
    io.err(`machc: no diagnostic code '${code}' (run machc explain to list them)\n`);
    return 2;
  }
  const examples = EXAMPLES[e.code];
  if (opts.json) {
    io.out(`${JSON.stringify({ code: e.code, name: e.name, severity: e.severity, explanation: e.explanation, ...(examples ? { examples } : {}) }, null, 2)}\n`);
    return 0;
  }
  const text = [`${e.code} ${e.name} (${e.severity})`, '', e.explanation];
  if (examples) {
    const head = examples.unreachable ? `Would get ${e.code} (${examples.unreachable}):` : `Gets ${e.code}:`;
    text.push('', head, exampleText(examples.wrong), '', 'Put right:', exampleText(examples.right));
  }
  io.out(`${text.join('\n')}\n`);
  return 0;
}
