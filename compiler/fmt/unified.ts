/**
 * Line diffs in the unified format (`diff -u`, `git diff`), for
 * `machc fmt --check`, from the `diff` library (jsdiff).
 */
import { createTwoFilesPatch } from 'diff';

/** A unified diff of two texts with three lines of context, or '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const patch = createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, { context });
  // jsdiff starts with an "Index:"/"====" preamble when given headers; keep the part diff -u prints.
  return patch.slice(patch.indexOf(`--- ${oldName}`)).replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
}
