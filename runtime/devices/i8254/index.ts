/**
 * The 8254 programmable interval timer (Intel 82C54 datasheet; ICH9
 * datasheet §5.8), as QEMU 7.2 models it (hw/timer/i8254.c,
 * i8254_common.c): three 16-bit counters at 1.193182 MHz.
 *
 *   0x40-0x42  counter 0-2: count in (LSB, MSB or LSB then MSB), count or status out
 *   0x43       control word: counter select, read/write mode, mode 0-5, BCD;
 *              counter latch (access 0) and read-back (select 3)
 *
 * Counter 0 drives IRQ 0 (unless the HPET's legacy replacement takes it);
 * counter 1 is the DRAM refresh counter; counter 2's gate and output are on
 * port 0x61 (see pcspk). Counts are computed from guest time when read, not
 * ticked: the load time and the mode give the count and the OUT level at
 * any moment, and one timer follows OUT's transitions for counter 0's IRQ.
 * As on QEMU, the gate only restarts modes 1, 2, 3 and 5 on a rising edge
 * and never stops counting, and BCD is stored but counts stay binary.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';
import type { Timer, VirtualClock } from '../../time/clock.js';
import { nsFor, ticksIn } from '../../time/units.js';
import { startAsDoubles } from '../../number-fields.js';

export const PIT_BASE = 0x40;
export const PIT_HZ = 1_193_182;
const CONTROL = 3;
const SELECT_READBACK = 3;
const ACCESS_LATCH = 0;
const READBACK_NO_COUNT = 0x20;
const READBACK_NO_STATUS = 0x10;

/** Read/write state: which byte comes next. */
const RW_LSB = 1;
const RW_MSB = 2;
const RW_WORD0 = 3;
const RW_WORD1 = 4;

export class PitChannel {
  count = 0x10000;
  loadTime = 0;
  mode = 3;
  bcd = 0;
  gate = false;
  /** 0 until the first control word: reads and writes then go LSB only (QEMU's zeroed state). */
  rwMode = 0;
  readState = 0;
  writeState = 0;
  writeLatch = 0;
  latchedCount = 0;
  /** 0, or the rw mode the latched count is read with. */
  countLatched = 0;
  status = 0;
  statusLatched = false;
  /** For counter 0: the guest time of the next OUT transition, -1 for none. */
  nextTransition = -1;

  constructor(readonly index: number) {
    startAsDoubles(this, 'loadTime', 'nextTransition');
  }

  /** Ticks since the count was loaded, at guest time `now`. */
  private elapsed(now: number): number {
    return ticksIn(now - this.loadTime, PIT_HZ);
  }

  /** The counting element's value at `now`. */
  countAt(now: number): number {
    const d = this.elapsed(now);
    switch (this.mode) {
      case 0:
      case 1:
      case 4:
      case 5:
        return (this.count - d) & 0xffff;
      case 3:
        // Square wave counts down by two (QEMU: approximate for odd counts).
        return this.count - ((2 * d) % this.count);
      default:
        return this.count - (d % this.count);
    }
  }

  /** The OUT pin at `now`. */
  outAt(now: number): boolean {
    const d = this.elapsed(now);
    switch (this.mode) {
      case 1:
        return d < this.count;
      case 2:
      case 6:
        return d % this.count === 0 && d !== 0;
      case 3:
      case 7:
        return d % this.count < (this.count + 1) >> 1;
      case 4:
      case 5:
        return d === this.count;
      default:
        return d >= this.count;
    }
  }

  /** The guest time of OUT's next transition after `now`, or -1 when it stays put. */
  nextTransitionAfter(now: number): number {
    const d = this.elapsed(now);
    let next: number;
    switch (this.mode) {
      case 2:
      case 6: {
        const base = d - (d % this.count);
        next = d - base === 0 && d !== 0 ? base + this.count - 1 : base + this.count;
        break;
      }
      case 3:
      case 7: {
        const base = d - (d % this.count);
        const half = (this.count + 1) >> 1;
        next = d - base < half ? base + half : base + this.count;
        break;
      }
      case 4:
      case 5:
        if (d < this.count) next = this.count;
        else if (d === this.count) next = this.count + 1;
        else return -1;
        break;
      default:
        if (d < this.count) next = this.count;
        else return -1;
        break;
    }
    const t = this.loadTime + nsFor(next, PIT_HZ);
    return t <= now ? now + 1 : t;
  }
}

export interface PitWiring {
  readonly clock: VirtualClock;
  /** Counter 0's OUT, to IRQ 0. */
  readonly irq0: (level: boolean) => void;
}

export class I8254 {
  readonly channels = [new PitChannel(0), new PitChannel(1), new PitChannel(2)];
  /** Counter 0 no longer drives IRQ 0 (the HPET's legacy replacement route took it). */
  private irqDisabled = false;
  private readonly timer: Timer;
  readonly region: RegionHandler;

  constructor(private readonly wiring: PitWiring) {
    this.timer = wiring.clock.timer('pit', () => this.irqTimerUpdate(this.channels[0]!.nextTransition));
    this.region = byteRegisters(
      (off) => this.readPort(off & 3),
      (off, v) => this.writePort(off & 3, v),
    );
  }

  /**
   * Reset: every counter in mode 3 with count 0x10000; gates of counters 0
   * and 1 high (QEMU pit_reset_common, which leaves the access state alone).
   */
  reset(): void {
    const now = this.wiring.clock.now();
    for (const s of this.channels) {
      s.mode = 3;
      s.gate = s.index !== 2;
      s.loadTime = now;
      s.count = 0x10000;
    }
    const c0 = this.channels[0]!;
    if (!this.irqDisabled) {
      c0.nextTransition = c0.nextTransitionAfter(now);
      this.timer.set(c0.nextTransition);
    }
  }

  /** Counter `index`'s gate input (counter 2's from port 0x61). */
  setGate(index: number, gate: boolean): void {
    const s = this.channels[index]!;
    if (!s.gate && gate && s.mode !== 0 && s.mode !== 4) {
      // A rising edge restarts modes 1, 2, 3 and 5.
      s.loadTime = this.wiring.clock.now();
      if (index === 0) this.irqTimerUpdate(s.loadTime);
    }
    s.gate = gate;
  }

  /** Counter 2's gate and OUT, as port 0x61 shows them (a guest read of a time source). */
  channel2(): { gate: boolean; out: boolean } {
    const s = this.channels[2]!;
    return { gate: s.gate, out: s.outAt(this.wiring.clock.poll()) };
  }

  /** The HPET's legacy replacement route takes IRQ 0 from counter 0 (and gives it back). */
  setIrqDisabled(disabled: boolean): void {
    if (disabled === this.irqDisabled) return;
    this.irqDisabled = disabled;
    if (disabled) {
      this.timer.clear();
      this.wiring.irq0(false);
    } else this.irqTimerUpdate(this.wiring.clock.now());
  }

  private irqTimerUpdate(now: number): void {
    const s = this.channels[0]!;
    if (this.irqDisabled) return;
    const next = s.nextTransitionAfter(now);
    this.wiring.irq0(s.outAt(now));
    s.nextTransition = next;
    if (next !== -1) this.timer.set(next);
    else this.timer.clear();
  }

  private load(s: PitChannel, value: number): void {
    s.count = value === 0 ? 0x10000 : value;
    s.loadTime = this.wiring.clock.now();
    if (s.index === 0) this.irqTimerUpdate(s.loadTime);
  }

  private latchCount(s: PitChannel, now: number): void {
    if (s.countLatched) return;
    s.latchedCount = s.countAt(now);
    s.countLatched = s.rwMode;
  }

  private writePort(port: number, v: number): void {
    if (port === CONTROL) {
      const select = v >> 6;
      if (select === SELECT_READBACK) {
        const now = this.wiring.clock.poll();
        for (const s of this.channels) {
          if (!(v & (2 << s.index))) continue;
          if (!(v & READBACK_NO_COUNT)) this.latchCount(s, now);
          if (!(v & READBACK_NO_STATUS) && !s.statusLatched) {
            s.status = ((s.outAt(now) ? 1 : 0) << 7) | (s.rwMode << 4) | (s.mode << 1) | s.bcd;
            s.statusLatched = true;
          }
        }
        return;
      }
      const s = this.channels[select]!;
      const access = (v >> 4) & 3;
      if (access === ACCESS_LATCH) {
        this.latchCount(s, this.wiring.clock.poll());
        return;
      }
      s.rwMode = access;
      s.readState = access;
      s.writeState = access;
      s.mode = (v >> 1) & 7;
      s.bcd = v & 1;
      return;
    }
    const s = this.channels[port]!;
    switch (s.writeState) {
      case RW_MSB:
        this.load(s, v << 8);
        break;
      case RW_WORD0:
        s.writeLatch = v;
        s.writeState = RW_WORD1;
        break;
      case RW_WORD1:
        this.load(s, s.writeLatch | (v << 8));
        s.writeState = RW_WORD0;
        break;
      case RW_LSB:
      default:
        this.load(s, v);
        break;
    }
  }

  private readPort(port: number): number {
    if (port === CONTROL) return 0;
    const s = this.channels[port]!;
    if (s.statusLatched) {
      s.statusLatched = false;
      return s.status;
    }
    if (s.countLatched) {
      switch (s.countLatched) {
        case RW_MSB:
          s.countLatched = 0;
          return (s.latchedCount >> 8) & 0xff;
        case RW_WORD0:
          s.countLatched = RW_MSB;
          return s.latchedCount & 0xff;
        default:
          s.countLatched = 0;
          return s.latchedCount & 0xff;
      }
    }
    const count = s.countAt(this.wiring.clock.poll());
    switch (s.readState) {
      case RW_MSB:
        return (count >> 8) & 0xff;
      case RW_WORD0:
        s.readState = RW_WORD1;
        return count & 0xff;
      case RW_WORD1:
        s.readState = RW_WORD0;
        return (count >> 8) & 0xff;
      default:
        return count & 0xff;
    }
  }
}
