/**
 * Runs a machine with a person (or a program) at its serial console: host
 * input goes to COM1 as the UART can take it, and guest time follows the
 * wall clock while the guest idles, so a shell waiting at its prompt waits
 * for the keyboard rather than racing through its timers. Between idle
 * periods the CPUs run in virtual time as in a batch run; what the guest
 * does with the input, and when, depends on when it arrives, so an
 * interactive run is not deterministic (a batch run is).
 */
import type { Uart16550 } from '../devices/serial/index.js';
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
  const clock = computer.machine.clock;
  const feed = (): void => {
    const room = uart.canReceive();
    if (room > 0 && input.pending > 0) uart.receive(input.take(room));
  };
  for (;;) {
    feed();
    const res = computer.run({ ...limits, wallMs: SLICE_MS, idle: 'return' }, watch);
    beforeWait?.();
    if (input.quit) return { ...res, reason: 'quit' };
    if (res.reason === 'paused') {
      await input.wait(0);
      continue;
    }
    if (res.reason !== 'idle') return res;
    // Input the UART can take now wakes the guest at once.
    if (input.pending > 0 && uart.canReceive() > 0) continue;
    const now = clock.now();
    const next = res.nextDeadlineNs ?? Infinity;
    const started = performance.now();
    const wantMs = next === Infinity ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, (next - now) / 1e6);
    await input.wait(wantMs);
    if (input.quit) return { ...res, reason: 'quit' };
    const waitedNs = Math.round((performance.now() - started) * 1e6);
    // Guest time moves on by the time waited, up to the timer (which then fires).
    clock.advanceTo(Math.min(next, now + Math.max(waitedNs, 1)));
  }
}
