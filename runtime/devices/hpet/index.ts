/**
 * The HPET at 0xfed00000 (IA-PC HPET specification 1.0a), as QEMU 7.2
 * models it on q35 (hw/timer/hpet.c): a 64-bit main counter at 100 MHz and
 * three comparators, interrupt routes to IRQ 2, 8 or GSI 16-23 (QEMU's
 * intcap 0xff0104), no FSB delivery.
 *
 *   0x000 capabilities: revision 1, 3 timers, 64-bit counter, legacy route
 *         capable, vendor 0x8086, period 10^7 fs (upper dword)
 *   0x010 configuration: ENABLE_CNF, LEG_RT_CNF
 *   0x020 general interrupt status (write 1 to clear level interrupts)
 *   0x0f0 main counter (writable while halted)
 *   0x100 + 0x20n  timer n: configuration/capabilities, comparator, FSB route
 *
 * Registers are 32 bits wide here, with QEMU's semantics for 32-bit
 * accesses (what Linux uses); a CPU's 8-byte access arrives as two, low
 * first, so a 64-bit comparator write with SETVAL sets the low half of the
 * comparator and then the high half of the period, where QEMU's one 8-byte
 * access would set the whole comparator.
 * The counter is computed from guest time; each enabled comparator arms a
 * timer on the machine's clock. Legacy replacement sends timer 0 to IRQ 0
 * and timer 1 to IRQ 8, takes IRQ 0 from the PIT and IRQ 8 from the RTC.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import type { Timer, VirtualClock } from '../../time/clock.js';

export const HPET_BASE = 0xfed0_0000;
export const HPET_SIZE = 0x400;
export const HPET_TIMERS = 3;
/** Femtoseconds per tick (10 ns: 100 MHz). */
export const HPET_PERIOD_FS = 10_000_000;
const NS_PER_TICK = 10n;
const INTCAP = 0x00ff_0104n;

const REG_ID = 0x000;
const REG_PERIOD = 0x004;
const REG_CFG = 0x010;
const REG_STATUS = 0x020;
const REG_COUNTER = 0x0f0;
const TN_BASE = 0x100;
const TN_STRIDE = 0x20;
const TN_CFG = 0x00;
const TN_CMP = 0x08;
const TN_ROUTE = 0x10;

const CFG_ENABLE = 0x1;
const CFG_LEGACY = 0x2;
const CFG_WRITE_MASK = 0x3;
const TN_TYPE_LEVEL = 0x002;
const TN_ENABLE = 0x004;
const TN_PERIODIC = 0x008;
const TN_PERIODIC_CAP = 0x010;
const TN_SIZE_CAP = 0x020;
const TN_SETVAL = 0x040;
const TN_32BIT = 0x100;
const TN_INT_ROUTE_SHIFT = 9;
const TN_FSB_ENABLE = 0x4000;
const TN_CFG_WRITE_MASK = 0x7f4e;

const MASK64 = (1n << 64n) - 1n;
const MASK32 = 0xffff_ffffn;
const RTC_IRQ = 8;

/** Capabilities: revision 1, NUM_TIM_CAP 2, COUNT_SIZE_CAP, LEG_RT_CAP, vendor 0x8086, then the period. */
const CAPABILITY = (BigInt(HPET_PERIOD_FS) << 32n) | 0x8086_a201n;

export interface HpetWiring {
  readonly clock: VirtualClock;
  /** Drives GSI/ISA IRQ `route`. */
  readonly irq: (route: number, level: boolean) => void;
  /** The PIT's IRQ 0 is taken away (legacy replacement) or given back. */
  readonly pitEnabled: (enabled: boolean) => void;
}

class HpetTimer {
  config = 0n;
  cmp = MASK64;
  period = 0n;
  fsb = 0n;
  wrapFlag = false;
  timer!: Timer;
  constructor(readonly index: number) {}

  get periodic(): boolean {
    return (this.config & BigInt(TN_PERIODIC)) !== 0n;
  }
  get enabled(): boolean {
    return (this.config & BigInt(TN_ENABLE)) !== 0n;
  }
  get is32(): boolean {
    return (this.config & BigInt(TN_32BIT)) !== 0n;
  }
  get route(): number {
    return Number((this.config >> BigInt(TN_INT_ROUTE_SHIFT)) & 0x1fn);
  }
}

export class Hpet {
  config = 0n;
  isr = 0n;
  private counter = 0n;
  private offset = 0n;
  private rtcLevel = false;
  readonly timers: HpetTimer[] = [];
  readonly region: RegionHandler;

  constructor(private readonly wiring: HpetWiring) {
    for (let i = 0; i < HPET_TIMERS; i++) {
      const t = new HpetTimer(i);
      t.timer = wiring.clock.timer(`hpet${i}`, () => this.expired(t));
      this.timers.push(t);
    }
    this.region = { read: (off, width) => this.read(off, width), write: (off, width, value) => this.write(off, width, value) };
    this.reset();
  }

  reset(): void {
    for (const t of this.timers) {
      t.timer.clear();
      t.cmp = MASK64;
      t.config = BigInt(TN_PERIODIC_CAP | TN_SIZE_CAP) | (INTCAP << 32n);
      t.period = 0n;
      t.wrapFlag = false;
    }
    this.wiring.pitEnabled(true);
    this.counter = 0n;
    this.offset = 0n;
    this.config = 0n;
    this.rtcLevel = false;
  }

  get legacy(): boolean {
    return (this.config & BigInt(CFG_LEGACY)) !== 0n;
  }

  private get enabled(): boolean {
    return (this.config & BigInt(CFG_ENABLE)) !== 0n;
  }

  /** The RTC's IRQ 8 passes through the HPET: cut off while legacy replacement owns IRQ 8. */
  rtcIrq(level: boolean): void {
    this.rtcLevel = level;
    if (!this.legacy) this.wiring.irq(RTC_IRQ, level);
  }

  private now(): bigint {
    return BigInt(this.wiring.clock.now());
  }

  /** The main counter (a guest-visible time source read). */
  private ticks(): bigint {
    this.wiring.clock.poll();
    return ((this.now() + this.offset) / NS_PER_TICK) & MASK64;
  }

  private updateIrq(t: HpetTimer, set: boolean): void {
    const route = t.index <= 1 && this.legacy ? (t.index === 0 ? 0 : RTC_IRQ) : t.route;
    const mask = 1n << BigInt(t.index);
    const fsb = (t.config & BigInt(TN_FSB_ENABLE)) !== 0n;
    if (!set || !t.enabled || !this.enabled) {
      this.isr &= ~mask;
      if (!fsb) this.wiring.irq(route, false);
    } else if (fsb) {
      // FSB (MSI) delivery is not offered (no FSB capability bit).
    } else if (t.config & BigInt(TN_TYPE_LEVEL)) {
      this.isr |= mask;
      this.wiring.irq(route, true);
    } else {
      this.isr &= ~mask;
      this.wiring.irq(route, true);
      this.wiring.irq(route, false);
    }
  }

  /** Ticks until the comparator (at least 1; QEMU hpet_calculate_diff). */
  private diff(t: HpetTimer, current: bigint): bigint {
    if (t.is32) {
      const d = ((t.cmp & MASK32) - (current & MASK32)) & MASK32;
      return d > 0n && d < 0x8000_0000n ? d : 1n;
    }
    const d = (t.cmp - current) & MASK64;
    return d > 0n && d < 1n << 63n ? d : 1n;
  }

  private arm(t: HpetTimer, ticks: bigint): void {
    t.timer.set(this.wiring.clock.now() + Number(ticks * NS_PER_TICK));
  }

  private setTimer(t: HpetTimer): void {
    const cur = this.ticks();
    t.wrapFlag = false;
    let d = this.diff(t, cur);
    // One-shot 32-bit timers also fire when the counter wraps (HPET 1.0a §2.3.9.2.4).
    if (t.is32 && !t.periodic) {
      const wrap = MASK32 - (cur & MASK32);
      if (wrap < (d & MASK32)) {
        d = wrap;
        t.wrapFlag = true;
      }
    }
    this.arm(t, d);
  }

  private expired(t: HpetTimer): void {
    const cur = ((this.now() + this.offset) / NS_PER_TICK) & MASK64;
    if (t.periodic && t.period !== 0n) {
      // QEMU steps the comparator by the period while the counter is past it (modular, signed
      // comparison); done here in one step. Its timers run a little after their deadline, so the
      // counter is always past the comparator by then; ours run exactly on time, where the counter
      // equals the comparator, which counts as past too (else the timer would fire twice).
      const [mask, half] = t.is32 ? [MASK32, 0x8000_0000n] : [MASK64, 1n << 63n];
      const behind = (cur - t.cmp) & mask;
      if (behind < half) {
        const n = behind / t.period + 1n;
        t.cmp = (t.cmp + n * t.period) & mask;
      }
      this.arm(t, this.diff(t, cur));
    } else if (t.is32 && !t.periodic && t.wrapFlag) {
      this.arm(t, this.diff(t, cur));
      t.wrapFlag = false;
    }
    this.updateIrq(t, true);
  }

  /** A 32-bit register (QEMU hpet_ram_read). */
  private reg(off: number): bigint {
    if (off >= TN_BASE && off < HPET_SIZE) {
      const n = Math.floor((off - TN_BASE) / TN_STRIDE);
      const t = this.timers[n];
      if (!t) return 0n;
      switch ((off - TN_BASE) % TN_STRIDE) {
        case TN_CFG:
          return t.config & MASK32;
        case TN_CFG + 4:
          return t.config >> 32n;
        case TN_CMP:
          return t.cmp & MASK32;
        case TN_CMP + 4:
          return t.cmp >> 32n;
        case TN_ROUTE:
          return t.fsb & MASK32;
        case TN_ROUTE + 4:
          return t.fsb >> 32n;
        default:
          return 0n;
      }
    }
    switch (off) {
      case REG_ID:
        return CAPABILITY & MASK32;
      case REG_PERIOD:
        return CAPABILITY >> 32n;
      case REG_CFG:
        return this.config & MASK32;
      case REG_COUNTER:
        return (this.enabled ? this.ticks() : this.counter) & MASK32;
      case REG_COUNTER + 4:
        return (this.enabled ? this.ticks() : this.counter) >> 32n;
      case REG_STATUS:
        return this.isr & MASK32;
      default:
        return 0n;
    }
  }

  private read(off: number, width: Width): number {
    if (width !== 4 || off & 3) return 0;
    return Number(this.reg(off));
  }

  private write(off: number, width: Width, value: number): void {
    if (width !== 4 || off & 3) return;
    const oldVal = this.reg(off);
    const newVal = BigInt(value >>> 0);
    const activating = (bit: number) => !(oldVal & BigInt(bit)) && (newVal & BigInt(bit)) !== 0n;
    const deactivating = (bit: number) => (oldVal & BigInt(bit)) !== 0n && !(newVal & BigInt(bit));
    const fixup = (mask: number) => (newVal & BigInt(mask)) | (oldVal & ~BigInt(mask) & MASK32);
    if (off >= TN_BASE && off < HPET_SIZE) {
      const t = this.timers[Math.floor((off - TN_BASE) / TN_STRIDE)];
      if (!t) return;
      switch ((off - TN_BASE) % TN_STRIDE) {
        case TN_CFG:
          if (activating(TN_FSB_ENABLE)) this.updateIrq(t, false);
          t.config = (t.config & ~MASK32) | fixup(TN_CFG_WRITE_MASK);
          if (newVal & BigInt(TN_32BIT)) {
            t.cmp &= MASK32;
            t.period &= MASK32;
          }
          if (activating(TN_ENABLE) && this.enabled) this.setTimer(t);
          else if (deactivating(TN_ENABLE)) t.timer.clear();
          return;
        case TN_CMP: {
          const v = newVal;
          const setval = (t.config & BigInt(TN_SETVAL)) !== 0n;
          if (!t.periodic || setval) t.cmp = (t.cmp & ~MASK32) | v;
          if (t.periodic) t.period = (t.period & ~MASK32) | (t.is32 ? (v < 0x7fff_ffffn ? v : 0x7fff_ffffn) : v);
          t.config &= ~BigInt(TN_SETVAL);
          if (this.enabled) this.setTimer(t);
          return;
        }
        case TN_CMP + 4: {
          const setval = (t.config & BigInt(TN_SETVAL)) !== 0n;
          if (!t.periodic || setval) t.cmp = (t.cmp & MASK32) | (newVal << 32n);
          else t.period = (t.period & MASK32) | ((newVal < 0x7fff_ffffn ? newVal : 0x7fff_ffffn) << 32n);
          t.config &= ~BigInt(TN_SETVAL);
          if (this.enabled) this.setTimer(t);
          return;
        }
        case TN_ROUTE:
          t.fsb = (t.fsb & ~MASK32) | newVal;
          return;
        case TN_ROUTE + 4:
          t.fsb = (newVal << 32n) | (t.fsb & MASK32);
          return;
        default:
          return;
      }
    }
    switch (off) {
      case REG_CFG:
        this.config = (this.config & ~MASK32) | fixup(CFG_WRITE_MASK);
        if (activating(CFG_ENABLE)) {
          this.offset = this.counter * NS_PER_TICK - this.now();
          for (const t of this.timers) if (t.cmp !== MASK64) this.setTimer(t);
        } else if (deactivating(CFG_ENABLE)) {
          this.counter = this.ticks();
          for (const t of this.timers) t.timer.clear();
        }
        if (activating(CFG_LEGACY)) {
          this.wiring.pitEnabled(false);
          this.wiring.irq(0, false);
          this.wiring.irq(RTC_IRQ, false);
        } else if (deactivating(CFG_LEGACY)) {
          this.wiring.irq(0, false);
          this.wiring.pitEnabled(true);
          this.wiring.irq(RTC_IRQ, this.rtcLevel);
        }
        return;
      case REG_STATUS: {
        const clear = newVal & this.isr;
        for (const t of this.timers) if (clear & (1n << BigInt(t.index))) this.updateIrq(t, false);
        return;
      }
      case REG_COUNTER:
        this.counter = (this.counter & ~MASK32) | newVal;
        return;
      case REG_COUNTER + 4:
        this.counter = (this.counter & MASK32) | (newVal << 32n);
        return;
      default:
        return;
    }
  }
}
