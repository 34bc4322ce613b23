/**
 * Guest time. By default it is virtual: a fixed number of nanoseconds per
 * retired instruction, so a run is deterministic and does not depend on
 * how fast the host is. Every device reads time here and arms its timers
 * here; the machine's run loop asks how far the CPU may run before the next
 * timer is due, and skips ahead when the CPU halts with nothing to do.
 *
 * Busy-waits: firmware polls a time source (TSC, PM timer, PIT, HPET, the
 * RTC) in a loop until some time has passed. A guest-visible read goes
 * through `poll()`, which in virtual mode also moves time on by `pollStep`
 * nanoseconds, so such a loop ends after a few thousand iterations instead
 * of running through millions of instructions; all time sources read the
 * one clock, so they stay consistent with each other.
 *
 * In wall-clock mode (`mode: 'wall'`) time is the host's monotonic clock
 * since the machine started; timers still fire from the run loop.
 */
import { startAsDoubles } from '../number-fields.js';

export type ClockMode = 'virtual' | 'wall';

export interface ClockOptions {
  readonly mode?: ClockMode;
  /** Virtual nanoseconds per retired instruction (default 1: a 1 GHz, 1 IPC guest). */
  readonly nsPerInsn?: number;
  /** Virtual nanoseconds each guest read of a time source adds (default 1000). */
  readonly pollStep?: number;
}

/** One timer: a callback and the guest time it is due at (or none while disarmed). */
export class Timer {
  /** Due time in ns, or Infinity while disarmed. */
  deadline = Infinity;
  constructor(
    private readonly clock: VirtualClock,
    readonly name: string,
    readonly callback: (now: number) => void,
  ) {}

  /** Arms the timer for guest time `ns` (re-arming replaces the old deadline). */
  set(ns: number): void {
    this.deadline = ns;
    this.clock.rescheduled();
  }

  clear(): void {
    this.deadline = Infinity;
    this.clock.rescheduled();
  }

  get armed(): boolean {
    return this.deadline !== Infinity;
  }
}

export class VirtualClock {
  readonly mode: ClockMode;
  readonly nsPerInsn: number;
  readonly pollStep: number;
  /** Retired instructions: the machine points this at its CPUs' counter. */
  instructions: () => number = () => 0;
  private base = 0;
  private insnBase = 0;
  /** performance.now() when the clock started, in wall mode (reading it loads perf_hooks, a cost at every start otherwise). */
  private readonly wallStart: number;
  private readonly timers: Timer[] = [];
  private nextDue = Infinity;
  /** Called when a timer's deadline changes, so a running CPU can end its slice early. */
  onReschedule: (() => void) | undefined;
  /** Called when a guest read of time reaches a timer's deadline: the run loop must fire it before the CPU goes on. */
  onDue: (() => void) | undefined;

  constructor(opts: ClockOptions = {}) {
    this.mode = opts.mode ?? 'virtual';
    this.nsPerInsn = opts.nsPerInsn ?? 1;
    this.pollStep = opts.pollStep ?? 1000;
    this.wallStart = this.mode === 'wall' ? performance.now() : 0;
    // Nanoseconds and instruction counts pass 2^31 within seconds (number-fields.ts).
    startAsDoubles(this, 'base', 'insnBase');
  }

  /** Guest time in nanoseconds (a whole number in virtual mode). */
  now(): number {
    if (this.mode === 'wall') return Math.floor((performance.now() - this.wallStart) * 1e6) + this.base;
    return this.base + (this.instructions() - this.insnBase) * this.nsPerInsn;
  }

  /** A guest read of a time source: the time, moved on by `pollStep` in virtual mode. */
  poll(): number {
    if (this.mode === 'virtual') {
      this.base += this.pollStep;
      // A busy-wait that polls its way past a timer's deadline must see that
      // timer fire (an interrupt that ends the wait, as Linux's timer checks
      // expect), not run on to the end of a slice sized in instructions.
      const now = this.now();
      if (now >= this.nextDue) this.onDue?.();
      return now;
    }
    return this.now();
  }

  /** Moves guest time forward to `ns` (never back): the CPU idles until then. */
  advanceTo(ns: number): void {
    const now = this.now();
    if (ns > now) this.base += ns - now;
  }

  /** Re-bases the instruction counter (when the machine swaps or resets its CPUs' counters). */
  rebase(instructions: number): void {
    this.base = this.now();
    this.insnBase = instructions;
  }

  timer(name: string, callback: (now: number) => void): Timer {
    const t = new Timer(this, name, callback);
    this.timers.push(t);
    return t;
  }

  /** The earliest armed deadline (Infinity when none). */
  nextDeadline(): number {
    return this.nextDue;
  }

  /** Retired instructions until the next deadline (Infinity when none; 0 when one is due). */
  instructionsUntilDeadline(): number {
    if (this.nextDue === Infinity) return Infinity;
    const dt = this.nextDue - this.now();
    if (dt <= 0) return 0;
    return this.mode === 'virtual' ? Math.ceil(dt / this.nsPerInsn) : Infinity;
  }

  /** Fires every timer that is due, earliest first (a callback may re-arm its own or others). */
  runDue(): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const now = this.now();
      if (this.nextDue > now) return;
      let first: Timer | undefined;
      for (const t of this.timers) if (t.deadline <= now && (!first || t.deadline < first.deadline)) first = t;
      if (!first) {
        this.recompute();
        return;
      }
      first.deadline = Infinity;
      this.recompute();
      first.callback(now);
    }
    throw new Error('timers keep re-arming for the current time');
  }

  /** @internal */
  rescheduled(): void {
    this.recompute();
    this.onReschedule?.();
  }

  private recompute(): void {
    let d = Infinity;
    for (const t of this.timers) if (t.deadline < d) d = t.deadline;
    this.nextDue = d;
  }
}
