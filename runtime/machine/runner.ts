/**
 * Runs a machine: its CPUs (runtime/cpu) over its devices, in virtual time
 * by default. The loop fires due timers, gives each CPU a slice of
 * instructions that ends at the next timer deadline (round robin, always in
 * the same order, so a run is deterministic), skips time forward when every
 * CPU is halted, and stops on what the caller asked for (a text on a
 * console, an instruction count) or what the guest did (power off, a
 * failure such as a triple fault, halting with nothing left to wake it).
 * A system reset resets the platform and the CPUs and goes on, as QEMU does.
 */
import { CodeCache, Cpu, type TranslationStats } from '../cpu/cpu.js';
import { IF } from '../cpu/flags.js';
import type { PluginHost } from '../cpu/plugins.js';
import type { TranslationStore } from '../cpu/store.js';
import type { Q35Machine } from './q35.js';

export type StopReason = 'until' | 'instruction-limit' | 'power-off' | 'halted' | 'guest-failure' | 'debug-exit' | 'paused' | 'idle' | 'quit' | 'reset';

export interface ComputerOptions {
  /** Tier-1 only (no compiled blocks). */
  readonly interpretOnly?: boolean;
  /**
   * As QEMU -no-reboot: a triple fault stops the run as a guest failure, and a
   * reset the guest asks for (port 0xcf9, the keyboard controller, ACPI) stops
   * it (reason `reset`), instead of resetting the machine.
   */
  readonly noReboot?: boolean;
  readonly jitThreshold?: number;
  readonly plugins?: PluginHost;
  /** Translations from earlier runs of this machine, which also keeps this run's (not used with plugins). */
  readonly store?: TranslationStore;
}

export interface RunLimits {
  /** Stop after this many instructions (all CPUs together). */
  readonly maxInstructions?: number;
  /** Stop once this text has appeared on the watched output. */
  readonly until?: string;
  /** Instructions per CPU turn (default 20,000). */
  readonly slice?: number;
  /**
   * Return (reason `paused`) once this much wall time has gone by, between two
   * CPU turns, so that a caller can serve host events; `run` again goes on.
   */
  readonly wallMs?: number;
  /**
   * When every CPU waits for an interrupt: `skip` moves guest time to the next
   * timer at once (the default: a deterministic run), `return` gives control
   * back (reason `idle`, with `nextDeadlineNs`) so that an interactive caller
   * can wait for host input or for the timer in wall time.
   */
  readonly idle?: 'skip' | 'return';
}

export interface RunResult {
  readonly reason: StopReason;
  readonly instructions: number;
  /** Guest time at the stop, in nanoseconds. */
  readonly guestNs: number;
  readonly resets: number;
  /** Triple faults that reset the machine (each also counts as a reset), the last one described. */
  readonly tripleFaults: number;
  readonly lastTripleFault?: string;
  /** A description of the failure with the CPU state (reason guest-failure or halted). */
  readonly detail?: string;
  /** Reason idle: guest time of the next timer (Infinity when none is armed). */
  readonly nextDeadlineNs?: number;
  /** What the machine's CPUs translated and how they ran it. */
  readonly translation: TranslationSummary;
}

/** What translating cost a run (the machine's shared code cache), and where its instructions ran. */
export interface TranslationSummary extends Readonly<TranslationStats> {
  /** Runs of compiled functions: transitions through the dispatcher. */
  readonly compiledRuns: number;
  /** Instructions of the blocks run in tier 1 (the rest ran in compiled functions). */
  readonly tier1Instructions: number;
}

/**
 * Collects console output and looks for a text in it. Each console (COM1,
 * the debug console) is its own stream: a guest writing a line to both
 * interleaves their bytes, and the text must appear whole on one of them.
 */
export class OutputWatch {
  /** Per stream, how much of the text its last bytes match (a Knuth-Morris-Pratt automaton: nothing allocated per byte). */
  private readonly states: number[] = [];
  /** For each prefix length, the longest proper prefix of the text that is also its suffix. */
  private readonly fallback: Int32Array;
  private found = false;
  constructor(readonly text: string | undefined) {
    const t = text ?? '';
    this.fallback = new Int32Array(t.length);
    for (let n = 1, k = 0; n < t.length; n++) {
      while (k > 0 && t.charCodeAt(n) !== t.charCodeAt(k)) k = this.fallback[k - 1]!;
      if (t.charCodeAt(n) === t.charCodeAt(k)) k++;
      this.fallback[n] = k;
    }
  }
  /** Feeds one byte (Latin-1) of output stream `stream`. */
  push(byte: number, stream = 0): void {
    const t = this.text;
    if (t === undefined || this.found) return;
    let k = this.states[stream] ?? 0;
    while (k > 0 && t.charCodeAt(k) !== byte) k = this.fallback[k - 1]!;
    if (t.charCodeAt(k) === byte) k++;
    if (k === t.length) this.found = true;
    this.states[stream] = k;
  }
  get matched(): boolean {
    return this.found;
  }
}

export class Computer {
  readonly cpus: Cpu[];
  /** The code the CPUs share: what one translates the others run. */
  private readonly codeCache: CodeCache;
  private resets = 0;
  private tripleFaults = 0;
  private lastTripleFault: string | undefined;
  private readonly noReboot: boolean;

  constructor(
    readonly machine: Q35Machine,
    opts: ComputerOptions = {},
  ) {
    this.noReboot = opts.noReboot ?? false;
    // One code cache for all CPUs: what one translates the others run, what one rewrites none runs stale.
    const codeCache = (this.codeCache = new CodeCache(opts.store));
    this.cpus = Array.from({ length: machine.cpus }, (_, i) => {
      const cpu = new Cpu({ platform: machine.platform(i), index: i, interpretOnly: opts.interpretOnly, jitThreshold: opts.jitThreshold, codeCache });
      cpu.plugins = opts.plugins;
      return cpu;
    });
    const cpus = this.cpus;
    machine.clock.instructions = () => {
      let n = 0;
      for (let k = 0; k < cpus.length; k++) n += cpus[k]!.icount + cpus[k]!.icountK;
      return n;
    };
    machine.clock.rebase(0);
    machine.ram.onCodeWrite = (page) => {
      for (const c of cpus) c.ramPageWritten(page);
    };
    machine.clock.onReschedule = () => {
      for (const c of cpus) c.pendingCheck = true;
    };
    machine.clock.onDue = () => {
      for (const c of cpus) c.kick();
    };
    // A reset or power-off takes effect when the writing instruction's block ends, as on QEMU.
    machine.onStopRequest = () => {
      for (const c of cpus) c.kick();
    };
  }

  get instructions(): number {
    let n = 0;
    for (const c of this.cpus) n += c.icount;
    return n;
  }

  /** Where the run stands, as a result with `reason` (for a caller that stops it without running). */
  status(reason: StopReason, detail?: string, nextDeadlineNs?: number): RunResult {
    return {
      reason,
      instructions: this.instructions,
      guestNs: this.machine.clock.now(),
      resets: this.resets,
      tripleFaults: this.tripleFaults,
      ...(this.lastTripleFault ? { lastTripleFault: this.lastTripleFault } : {}),
      ...(detail ? { detail } : {}),
      ...(nextDeadlineNs !== undefined ? { nextDeadlineNs } : {}),
      translation: this.translation(),
    };
  }

  private translation(): TranslationSummary {
    let compiledRuns = 0;
    let tier1Instructions = 0;
    for (const c of this.cpus) {
      compiledRuns += c.compiledRuns;
      tier1Instructions += c.tier1Insns;
    }
    return { ...this.codeCache.stats, compiledRuns, tier1Instructions };
  }

  /** Runs until a limit or the guest stops it. `watch` is fed by the machine's console sinks. */
  run(limits: RunLimits = {}, watch?: OutputWatch): RunResult {
    const m = this.machine;
    const clock = m.clock;
    const slice = limits.slice ?? 20_000;
    const max = limits.maxInstructions ?? Infinity;
    const wallEnd = limits.wallMs === undefined ? Infinity : performance.now() + limits.wallMs;
    const result = (reason: StopReason, detail?: string, nextDeadlineNs?: number): RunResult => this.status(reason, detail, nextDeadlineNs);
    for (;;) {
      if (wallEnd !== Infinity && performance.now() >= wallEnd) return result('paused');
      clock.runDue();
      if (m.powerOffRequested) return result('power-off');
      if (m.resetRequested) {
        if (this.noReboot) return result('reset');
        this.resets++;
        m.reset();
        for (const c of this.cpus) c.reset();
        continue;
      }
      let busy = false;
      for (const cpu of this.cpus) {
        if (cpu.waitSipi && !cpu.pendingCheck) continue;
        const left = max - this.instructions;
        if (left <= 0) return result('instruction-limit');
        const due = clock.instructionsUntilDeadline();
        const budget = Math.max(1, Math.min(slice, left, due));
        // A slice's end need not be exact; a timer's deadline and the instruction limit are.
        const why = cpu.run(budget, left <= slice || due <= slice);
        if (cpu.failure) {
          const what = `${cpu.failure.message}\n${cpu.describe()}`;
          if (cpu.failure.kind !== 'triple-fault' || this.noReboot) return result('guest-failure', what);
          // QEMU resets the machine on a triple fault (without -no-reboot).
          this.tripleFaults++;
          this.lastTripleFault = what;
          cpu.failure = undefined;
          m.requestReset();
          break;
        }
        if (cpu.stopRequested) return result('debug-exit');
        if (why === 'budget' || why === 'kicked') busy = true;
        if (watch?.matched) return result('until');
        if (m.powerOffRequested || m.resetRequested) break;
      }
      if (!busy && !m.resetRequested && !m.powerOffRequested) {
        // Every CPU waits for an interrupt: skip to the next timer, or stop if nothing will ever come.
        const next = clock.nextDeadline();
        // HLT with interrupts disabled (a boot sector's cli; hlt) on every CPU: timers fire, nothing wakes it.
        if (this.cpus.every((c) => c.halted && !(c.flags & IF) && !c.platform.interrupts.nmi && !c.platform.interrupts.smi)) {
          return result('halted', `every CPU is halted with interrupts disabled\n${this.cpus[0]!.describe()}`);
        }
        // An interactive caller waits for the timer or for input in wall time.
        if (limits.idle === 'return') return result('idle', undefined, next);
        if (next === Infinity) {
          const c = this.cpus[0]!;
          return result('halted', `every CPU is halted and no timer is armed\n${c.describe()}`);
        }
        clock.advanceTo(next);
      }
    }
  }
}
