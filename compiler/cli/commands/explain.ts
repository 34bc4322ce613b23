import { allEntries } from '../../diagnostics/catalog.js';
import type { Io } from '../io.js';

export async function runExplain(io: Io, code: string | undefined): Promise<number> {
  const entries = allEntries();
  if (!code) {
    for (const e of entries) io.out(`${e.code}  ${e.severity.padEnd(7)}  ${e.name}\n`);
    return 0;
  }
  const e = entries.find((x) => x.code.toLowerCase() === code.toLowerCase() || x.name === code);
  if (!e) {
    io.err(`machc: no diagnostic code '${code}' (run machc explain to list them)\n`);
    return 2;
  }
  io.out(`${e.code} ${e.name} (${e.severity})\n\n${e.explanation}\n`);
  return 0;
}
