/**
 * `machc run -i` driven by a script, as a person at the serial console would
 * drive it: each step waits for a text on the console, then types a line.
 */
import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface ConsoleStep {
  /** Text to wait for on the console (after the previous step's). */
  readonly after: string;
  /** What to type then. */
  readonly type: string;
}

/**
 * `machc run -i` as a child process with a script typed on its standard input: each
 * step waits for a text on the console, then types a line. Killed if it outlives
 * `timeoutMs` (so a test that times out leaves nothing behind).
 */
export function machcConsole(args: string[], script: readonly ConsoleStep[], timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, 'run', '-i', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let step = 0;
    let from = 0;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      for (let next = script[step]; next; next = script[step]) {
        const at = out.indexOf(next.after, from);
        if (at < 0) break;
        step++;
        from = at + next.after.length;
        p.stdin.write(next.type);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    p.on('close', (code) => done({ code, out, err }));
  });
}

