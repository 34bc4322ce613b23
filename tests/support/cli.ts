/**
 * Running the built command line as users do: `node bin/machc.cjs ARGS` in a
 * child process. `npm test` builds it first (`npm run build`).
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'machc.cjs');
export const BUNDLE = join(ROOT, 'dist', 'cli', 'machc.cjs');

/** Throws unless the CLI is built (tests that run the bin call this in beforeAll). */
export function requireBuiltCli(): void {
  if (!existsSync(BUNDLE)) throw new Error('the CLI is not built: run `npm run build` (npm test does)');
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `machc ARGS` (no colour unless the environment given asks for it). */
export function machc(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer; bin?: string } = {}): CliResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  };
  const r = spawnSync(process.execPath, [options.bin ?? BIN, ...args], spawnOptions);
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * The same, without blocking the test worker while machc runs (vitest's
 * worker must keep answering its runner; use this where a test runs several
 * commands or large machines).
 */
export function machcAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer; bin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
