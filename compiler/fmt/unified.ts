/**
 * Line diffs in the unified format (`diff -u`, `git diff`), for
 * `machc fmt --check`. Myers' O(ND) algorithm ("An O(ND) Difference Algorithm
 * and Its Variations", 1986) finds a shortest edit script; hunks carry three
 * lines of context.
 */

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Marks a last line that has no newline after it, so it differs from the same line with one. */
const NO_EOL = '\u0000';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** A shortest edit script turning `a` into `b`. */
export function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = frontier[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: ' ', line: a[x]! });
    }
    if (d > 0) {
      if (x === prevX) edits.push({ op: '+', line: b[prevY]! });
      else edits.push({ op: '-', line: a[prevX]! });
    }
    x = prevX;
    y = prevY;
  }
  return edits.reverse();
}

/** A unified diff of two texts, or '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const edits = editScript(a, b);
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  // Positions of each edit in both files.
  const pos: { ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    pos.push({ ai, bi });
    if (e.op !== '+') ai++;
    if (e.op !== '-') bi++;
  }
  let i = 0;
  while (i < edits.length) {
    if (edits[i]!.op === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change near it.
    const start = Math.max(0, i - context);
    let end = i;
    let quiet = 0;
    for (let j = i; j < edits.length; j++) {
      if (edits[j]!.op === ' ') {
        quiet++;
        if (quiet > 2 * context) break;
      } else {
        quiet = 0;
        end = j;
      }
    }
    const stop = Math.min(edits.length, end + context + 1);
    const hunk = edits.slice(start, stop);
    const aLen = hunk.filter((e) => e.op !== '+').length;
    const bLen = hunk.filter((e) => e.op !== '-').length;
    const aStart = aLen === 0 ? pos[start]!.ai : pos[start]!.ai + 1;
    const bStart = bLen === 0 ? pos[start]!.bi : pos[start]!.bi + 1;
    out.push(`@@ -${aStart}${aLen === 1 ? '' : `,${aLen}`} +${bStart}${bLen === 1 ? '' : `,${bLen}`} @@`);
    for (const e of hunk) {
      if (e.line.endsWith(NO_EOL)) out.push(`${e.op}${e.line.slice(0, -1)}`, '\\ No newline at end of file');
      else out.push(`${e.op}${e.line}`);
    }
    i = stop;
  }
  return `${out.join('\n')}\n`;
}
