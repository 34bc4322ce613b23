/**
 * `machc diff OLD NEW` and `machc diff --git REV [PATH...]`: semantic
 * differences between machines after resolution. Exit codes follow diff(1):
 * 0 same, 1 different, 2 trouble (a side does not compile, bad arguments).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMachine, type CompileResult } from '../../driver.js';
import { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { readLock } from '../../resolve/lock.js';
import { diffSides, sideOf } from '../../diff/index.js';
import { GitError, listMachineFiles } from '../../diff/git.js';
import { renderText } from '../../diff/render-text.js';
import type { FileOutcome, MachineSummary } from '../../diff/types.js';
import { printDiagnostics, type Io } from '../io.js';
import { UsageError } from '../main.js';
import { checkStdinOnce, compileWithLock } from '../machine.js';
import type { TargetVersion } from '../../model/target.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

export interface DiffOptions {
  format?: DiffFormat;
  git?: string;
  lockfile?: boolean;
  qemu?: TargetVersion;
}

export const DIFF_SAME = 0;
export const DIFF_DIFFERENT = 1;
export const DIFF_TROUBLE = 2;

function summaryOf(r: CompileResult): MachineSummary {
  const m = r.machine!;
  return { file: r.path, name: m.name, devices: m.devices.length, functions: m.pci.functions.length, buses: m.pci.buses.length };
}

/** Compiles a file's text at a revision, with that revision's lockfile when there is one. */
function compileOld(label: string, text: Uint8Array, lock: Uint8Array | undefined, useLock: boolean, qemu: TargetVersion | undefined): CompileResult {
  if (!useLock || !lock) return compileMachine(label, { text, qemu });
  const dir = mkdtempSync(join(tmpdir(), 'machc-diff-'));
  try {
    const lockPath = join(dir, 'machine.yaml.lock');
    writeFileSync(lockPath, lock);
    const lockDiags = new DiagnosticBag();
    const parsed = readLock(lockPath, lockDiags);
    const result = compileMachine(label, { text, lock: parsed, qemu });
    result.diagnostics.items.push(...lockDiags.items);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function render(io: Io, outcomes: readonly FileOutcome[], format: DiffFormat, git: { rev: string } | undefined): Promise<void> {
  if (format === 'json') {
    const plain = outcomes.map((o) => ('diff' in o ? { path: o.path, status: o.status, diff: o.diff } : o));
    const body = git ? { rev: git.rev, files: plain } : plain.length === 1 && 'diff' in outcomes[0]! ? outcomes[0].diff : { files: plain };
    io.out(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  if (format === 'markdown') {
    const { renderMarkdown } = await import('../../diff/render-markdown.js');
    io.out(renderMarkdown(outcomes, git));
    return;
  }
  const parts: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'modified' || (o.status === 'unchanged' && !git)) parts.push(renderText(o.diff, { color: io.colorOut }));
    else if (o.status === 'added' || o.status === 'deleted') {
      const s = o.summary;
      const sign = o.status === 'added' ? '+' : '-';
      parts.push(`${sign} ${o.path}: machine '${s.name}' ${o.status} (${s.devices} devices, ${s.functions} PCI functions, ${s.buses} buses)\n`);
    }
  }
  if (git && parts.length === 0) parts.push(`no changes to machine files since ${git.rev} (${outcomes.length} compared)\n`);
  io.out(parts.join('\n'));
}

export async function runDiff(io: Io, files: string[], opts: DiffOptions): Promise<number> {
  const format = opts.format ?? 'text';
  const useLock = opts.lockfile !== false;
  const outcomes: FileOutcome[] = [];
  const failed: CompileResult[] = [];
  const compiled: CompileResult[] = [];

  if (opts.git !== undefined) {
    let listing;
    try {
      listing = listMachineFiles(process.cwd(), opts.git, files);
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(e.message);
      throw e;
    }
    for (const f of listing.files) {
      const label = `${listing.rev}:${f.path}`;
      const before = f.oldText ? compileOld(label, f.oldText, f.oldLock, useLock, opts.qemu) : undefined;
      const after = f.inWorkTree ? compileWithLock(f.diskPath, { useLock, qemu: opts.qemu }) : undefined;
      compiled.push(...[before, after].filter((r): r is CompileResult => r !== undefined));
      const bad = [before, after].filter((r): r is CompileResult => r !== undefined && (!r.machine || r.diagnostics.hasErrors));
      if (bad.length > 0) {
        failed.push(...bad);
        outcomes.push({ path: f.diskPath, status: 'error' });
        continue;
      }
      if (before && after) {
        const diff = diffSides(sideOf(before)!, sideOf(after)!);
        outcomes.push({ path: f.diskPath, status: diff.same ? 'unchanged' : 'modified', diff });
      } else if (after) outcomes.push({ path: f.diskPath, status: 'added', summary: summaryOf(after) });
      else if (before) outcomes.push({ path: f.diskPath, status: 'deleted', summary: summaryOf(before) });
    }
  } else {
    if (files.length !== 2) throw new UsageError(`diff takes two machine files (OLD NEW), or --git REV [PATH...]; got ${files.length}`);
    checkStdinOnce(files);
    const [a, b] = files.map((p) => compileWithLock(p, { useLock, io, qemu: opts.qemu })) as [CompileResult, CompileResult];
    compiled.push(a, b);
    for (const r of [a, b]) if (!r.machine || r.diagnostics.hasErrors) failed.push(r);
    if (failed.length === 0) {
      const diff = diffSides(sideOf(a)!, sideOf(b)!);
      outcomes.push({ path: b.path, status: diff.same ? 'unchanged' : 'modified', diff });
    }
  }

  if (failed.length > 0) {
    printDiagnostics(io, failed, format === 'json');
    return DIFF_TROUBLE;
  }
  // Warnings of the compiled sides still reach the reviewer.
  if (format !== 'json') printDiagnostics(io, compiled, false, true);
  await render(io, outcomes, format, opts.git !== undefined ? { rev: opts.git } : undefined);
  return outcomes.some((o) => o.status !== 'unchanged') ? DIFF_DIFFERENT : DIFF_SAME;
}
