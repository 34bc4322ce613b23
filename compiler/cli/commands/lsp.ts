/**
 * `machc lsp [--stdio]`: the language server for machine files, on standard
 * input and output (what editors start; see the README).
 */
import type { Io } from '../io.js';

export async function runLsp(_io: Io): Promise<number> {
  const { startServer } = await import('../../lsp/server.js');
  await startServer(process.stdin, process.stdout);
  return 0;
}
