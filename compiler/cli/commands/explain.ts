/**
 * `machc explain [CODE] [--json]`: what a diagnostic means and how to fix it,
 * or the list of every code.
 */
import { allEntries } from '../../diagnostics/catalog.js';
import type { Io } from '../io.js';

export interface ExplainOptions {
  json?: boolean;
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
  if (opts.json) io.out(`${JSON.stringify({ code: e.code, name: e.name, severity: e.severity, explanation: e.explanation }, null, 2)}\n`);
  else io.out(`${e.code} ${e.name} (${e.severity})\n\n${e.explanation}\n`);
  return 0;
}
