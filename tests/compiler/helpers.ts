/** Fixture helpers for compiler tests: compile YAML text in memory and find diagnostics. */
import { compileMachine, type CompileResult, type CompileOptions } from '../../compiler/driver.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { renderText } from '../../compiler/diagnostics/render.js';

/** The position marker used in test YAML: the diagnostic must start right after it. */
export const MARK = '»';

export function compileText(yaml: string | Uint8Array, options: CompileOptions = {}): CompileResult {
  return compileMachine('test.yaml', { ...options, text: yaml });
}

export function render(result: CompileResult): string {
  return renderText(result.diagnostics.sorted(), () => result.source, { color: false });
}

/** Line and column (1-based) of the marker in the text, and the text without it. */
export function locateMark(marked: string): { text: string; line: number; column: number } {
  const at = marked.indexOf(MARK);
  if (at < 0) throw new Error('test text has no » marker');
  const before = marked.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { text: marked.slice(0, at) + marked.slice(at + MARK.length), line, column };
}

export function findDiag(result: CompileResult, code: string): Diagnostic | undefined {
  return result.diagnostics.items.find((d) => d.code === code);
}
