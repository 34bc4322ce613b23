/**
 * Runs a machine with a person (or a program) at its serial console and/or
 * a monitor (monitor.ts): host input goes to COM1 as the UART can take it,
 * monitor commands are served between slices of CPU time, and guest time
 * follows the wall clock while the guest idles, so a shell waiting at its
 * prompt waits for the keyboard rather than racing through its timers.
 * Between idle periods the CPUs run in virtual time as in a batch run; what
 * the guest does with the input, and when, depends on when it arrives, so
 * an interactive run is not deterministic (a batch run is). With a monitor
 * and no console, an idle guest skips to its next timer at once, as in a
 * batch run. While the monitor has the machine stopped, neither the CPUs
 * nor guest time move.
 */
import type { Uart16550 } from '../devices/serial/index.js';
import type { Monitor } from './monitor.js';
import type { Computer, OutputWatch, RunLimits, RunResult } from './runner.js';

/** Bytes from the host for the guest's console. */
export interface HostInput {
  /** Bytes waiting to go to the guest. */
  readonly pending: number;
  /** Takes up to `max` waiting bytes. */
  take(max: number): number[];
  /** Resolves after `ms` milliseconds, or earlier when input arrives or the user quits. */
  wait(ms: number): Promise<void>;
  /** The user asked to stop the machine (e.g. Ctrl-A x on a terminal). */
  readonly quit: boolean;
}

/** How long the CPUs run before host events are served (keeps typing responsive). */
const SLICE_MS = 20;
/** The longest single wait while idle, so a quit is noticed even with no timer armed. */
const MAX_WAIT_MS = 250;

/** `beforeWait` runs whenever control goes back to the host (to flush console output, say). */
export async function runInteractive(computer: Computer, uart: Uart16550, input: HostInput, limits: RunLimits, watch?: OutputWatch, beforeWait?: () => void): Promise<RunResult> {
  return runSession(computer, { console: { uart, input } }, limits, watch, beforeWait);
}

export interface SessionIo {
  /** Host input for COM1. */
  readonly console?: { readonly uart: Uart16550; readonly input: HostInput };
  readonly monitor?: Monitor;
}

/**
 * The loop behind `-i` and `--monitor`: CPU slices of SLICE_MS, host events
 * between them. The monitor gets the RESET events of resets the guest asked
 * for and, when the run ends, SHUTDOWN.
 */
export async function runSession(computer: Computer, io: SessionIo, limits: RunLimits, watch?: OutputWatch, beforeWait?: () => void): Promise<RunResult> {
  const res = await loop(computer, io, limits, watch, beforeWait);
  // A quit from the console (Ctrl-A x) is the host's, not a monitor command.
  const reason = res.reason === 'quit' && !io.monitor?.quitRequested ? 'host-signal' : shutdownReason(res.reason);
  io.monitor?.shutdown(res.reason !== 'quit', reason, { 'machc-reason': res.reason });
  return res;
}

async function loop(computer: Computer, io: SessionIo, limits: RunLimits, watch?: OutputWatch, beforeWait?: () => void): Promise<RunResult> {
  const clock = computer.machine.clock;
  const { console: con, monitor } = io;
  const input = con?.input;
  const feed = (): void => {
    if (!con) return;
    const room = con.uart.canReceive();
    if (room > 0 && con.input.pending > 0) con.uart.receive(con.input.take(room));
  };
  const wait = (ms: number): Promise<void> => {
    const waits = [input?.wait(ms), monitor?.wait(ms)].filter((w): w is Promise<void> => w !== undefined);
    return waits.length ? Promise.race(waits) : new Promise((r) => setTimeout(r, ms));
  };
  const quit = (): boolean => Boolean(input?.quit || monitor?.quitRequested);
  let resets = 0;
  let lastYield = performance.now();
  for (;;) {
    if (monitor?.paused) {
      beforeWait?.();
      if (quit()) return computer.status('quit');
      await wait(MAX_WAIT_MS);
      continue;
    }
    feed();
    const res = computer.run({ ...limits, wallMs: SLICE_MS, idle: 'return' }, watch);
    beforeWait?.();
    if (monitor && res.resets > resets) {
      for (; resets < res.resets; resets++) monitor.event('RESET', { guest: true, reason: 'guest-reset' });
    }
    if (quit()) return { ...res, reason: 'quit' };
    if (res.reason === 'paused') {
      await wait(0);
      lastYield = performance.now();
      continue;
    }
    if (res.reason !== 'idle') return res;
    const now = clock.now();
    const next = res.nextDeadlineNs ?? Infinity;
    if (!con) {
      // A monitor alone: guest time skips to the next timer, as in a batch run; with none armed, only a command can wake the guest.
      if (next === Infinity) await wait(MAX_WAIT_MS);
      else {
        clock.advanceTo(next);
        // Host events are served at least every slice, not on every idle period.
        if (performance.now() - lastYield < SLICE_MS) continue;
        await wait(0);
      }
      lastYield = performance.now();
      if (quit()) return { ...res, reason: 'quit' };
      continue;
    }
    // Input the UART can take now wakes the guest at once.
    if (con.input.pending > 0 && con.uart.canReceive() > 0) continue;
    const started = performance.now();
    const wantMs = next === Infinity ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, (next - now) / 1e6);
    await wait(wantMs);
    if (quit()) return { ...res, reason: 'quit' };
    if (monitor?.paused) continue;
    const waitedNs = Math.round((performance.now() - started) * 1e6);
    // Guest time moves on by the time waited, up to the timer (which then fires).
    clock.advanceTo(Math.min(next, now + Math.max(waitedNs, 1)));
  }
}

/** QEMU's ShutdownCause names for why a run ended. */
function shutdownReason(reason: RunResult['reason']): string {
  switch (reason) {
    case 'quit':
      return 'host-qmp-quit';
    case 'power-off':
      return 'guest-shutdown';
    case 'reset':
      return 'guest-reset';
    case 'guest-failure':
    case 'halted':
      return 'guest-panic';
    default:
      return 'host-signal';
  }
}
