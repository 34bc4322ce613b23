/**
 * The MC146818 real-time clock and its 128 bytes of CMOS RAM (Motorola
 * MC146818A datasheet; ICH9 datasheet §5.15), as QEMU 7.2 models it
 * (hw/rtc/mc146818rtc.c, base year 0, lost ticks discarded):
 *
 *   0x70  index (bit 7, the NMI mask, is dropped); reads 0xff
 *   0x71  data: 0x00-0x09 time and alarm, 0x0a-0x0d registers A-D,
 *         0x32 century (0x37 is an alias), the rest NVRAM (see nvram.ts)
 *
 * Time is not ticked: the RTC keeps the calendar time of a moment (`baseRtc`
 * seconds at guest time `lastUpdate`, plus `offset` ns into that second) and
 * computes the registers when they are read. The clock starts at a date the
 * machine chooses (a fixed one by default, so runs are reproducible) and
 * runs in guest time. Two timers on the machine's clock raise IRQ 8: the
 * periodic interrupt (rate in register A, 2 Hz to 8 kHz) and the
 * once-a-second update-ended event with the alarm. Register A's UIP reads
 * set in the last 244 us of each second.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';
import type { Timer, VirtualClock } from '../../time/clock.js';
import { muldiv, NS_PER_SECOND } from '../../time/units.js';
import { startAsDoubles } from '../../number-fields.js';

export const RTC_BASE = 0x70;
export const RTC_IRQ = 8;

export const RTC_SECONDS = 0x00;
export const RTC_SECONDS_ALARM = 0x01;
export const RTC_MINUTES = 0x02;
export const RTC_MINUTES_ALARM = 0x03;
export const RTC_HOURS = 0x04;
export const RTC_HOURS_ALARM = 0x05;
export const RTC_DAY_OF_WEEK = 0x06;
export const RTC_DAY_OF_MONTH = 0x07;
export const RTC_MONTH = 0x08;
export const RTC_YEAR = 0x09;
export const RTC_REG_A = 0x0a;
export const RTC_REG_B = 0x0b;
export const RTC_REG_C = 0x0c;
export const RTC_REG_D = 0x0d;
export const RTC_CENTURY = 0x32;
export const RTC_IBM_PS2_CENTURY = 0x37;

export const REG_A_UIP = 0x80;
/** Divider bits 6:4: 0x60 holds the divider chain in reset. */
const REG_A_DV_RESET = 0x60;
const REG_A_DV_MASK = 0x70;
const REG_A_DV_RUNNING_MAX = 0x20;
const REG_A_RATE = 0x0f;
export const REG_B_SET = 0x80;
export const REG_B_PIE = 0x40;
export const REG_B_AIE = 0x20;
export const REG_B_UIE = 0x10;
const REG_B_SQWE = 0x08;
export const REG_B_DM = 0x04;
export const REG_B_24H = 0x02;
export const REG_C_IRQF = 0x80;
export const REG_C_PF = 0x40;
export const REG_C_AF = 0x20;
export const REG_C_UF = 0x10;
const REG_C_MASK = 0x70;

const RTC_CLOCK_RATE = 32768;
/** How long UIP reads set before each update (8 cycles of the 32.768 kHz clock). */
const UIP_HOLD_LENGTH = Math.floor((8 * NS_PER_SECOND) / RTC_CLOCK_RATE);
const SEC_PER_MIN = 60;
const MIN_PER_HOUR = 60;
const HOUR_PER_DAY = 24;
const SEC_PER_DAY = 86400;

/** The date a machine's RTC starts at unless told otherwise (UTC). */
export const DEFAULT_RTC_START = Date.UTC(2024, 0, 1, 0, 0, 0);

export interface RtcWiring {
  readonly clock: VirtualClock;
  readonly irq: (level: boolean) => void;
  /** Calendar time (ms since the epoch, UTC) the clock shows at guest time 0. */
  readonly start?: number;
}

interface Tm {
  sec: number;
  min: number;
  hour: number;
  wday: number;
  mday: number;
  mon: number;
  year: number;
}

/** The periodic rate select (register A bits 3:0) as a period in 32.768 kHz cycles, 0 for none. */
function periodicTicks(code: number): number {
  if (!code) return 0;
  return 1 << ((code <= 2 ? code + 7 : code) - 1);
}

export class Mc146818Rtc {
  readonly cmos = new Uint8Array(128);
  index = 0;
  /** Calendar seconds at `lastUpdate`. */
  private baseRtc = 0;
  private lastUpdate = 0;
  /** Nanoseconds into the calendar second at `lastUpdate`. */
  private offset = 0;
  private period = 0;
  private nextPeriodicTime = 0;
  private nextAlarmTime = 0;
  private readonly periodicTimer: Timer;
  private readonly updateTimer: Timer;
  readonly region: RegionHandler;

  constructor(private readonly wiring: RtcWiring) {
    const c = this.cmos;
    c[RTC_REG_A] = 0x26;
    c[RTC_REG_B] = 0x02;
    c[RTC_REG_C] = 0x00;
    c[RTC_REG_D] = 0x80;
    this.periodicTimer = wiring.clock.timer('rtc-periodic', () => this.periodicTick());
    this.updateTimer = wiring.clock.timer('rtc-update', () => this.updateTick());
    startAsDoubles(this, 'nextAlarmTime', 'nextPeriodicTime');
    this.setDate(wiring.start ?? DEFAULT_RTC_START);
    this.region = byteRegisters(
      (off) => this.readPort(off & 1),
      (off, v) => this.writePort(off & 1, v),
    );
  }

  private get now(): number {
    return this.wiring.clock.now();
  }

  /** Sets the calendar to `ms` since the epoch (UTC), as QEMU does from the host at start. */
  setDate(ms: number): void {
    this.baseRtc = Math.floor(ms / 1000);
    this.lastUpdate = this.now;
    this.offset = 0;
    this.setCmos(gmtime(this.baseRtc));
    this.checkUpdateTimer();
  }

  /** Reset (QEMU rtc_reset): the shutdown status byte, interrupt enables and flags. */
  reset(): void {
    const c = this.cmos;
    if (c[0x0f] !== 0xfe) c[0x0f] = 0x00;
    c[RTC_REG_B]! &= ~(REG_B_PIE | REG_B_AIE | REG_B_SQWE);
    c[RTC_REG_C]! &= ~(REG_C_UF | REG_C_IRQF | REG_C_PF | REG_C_AF);
    this.checkUpdateTimer();
    this.wiring.irq(false);
  }

  // ---- time ---------------------------------------------------------------------------

  private running(): boolean {
    const c = this.cmos;
    return !(c[RTC_REG_B]! & REG_B_SET) && (c[RTC_REG_A]! & REG_A_DV_MASK) <= REG_A_DV_RUNNING_MAX;
  }

  /** Calendar time in ns. */
  private guestRtcNs(): number {
    return this.baseRtc * NS_PER_SECOND + this.now - this.lastUpdate + this.offset;
  }

  private toBcd(a: number): number {
    return this.cmos[RTC_REG_B]! & REG_B_DM ? a : (Math.floor(a / 10) << 4) | a % 10;
  }

  /** A register's value in binary, -1 for "don't care" (bits 7:6 set). */
  private fromBcd(a: number): number {
    if ((a & 0xc0) === 0xc0) return -1;
    return this.cmos[RTC_REG_B]! & REG_B_DM ? a : (a >> 4) * 10 + (a & 0x0f);
  }

  private readTm(): Tm {
    const c = this.cmos;
    let hour = this.fromBcd(c[RTC_HOURS]! & 0x7f);
    if (!(c[RTC_REG_B]! & REG_B_24H)) {
      hour %= 12;
      if (c[RTC_HOURS]! & 0x80) hour += 12;
    }
    return {
      sec: this.fromBcd(c[RTC_SECONDS]!),
      min: this.fromBcd(c[RTC_MINUTES]!),
      hour,
      wday: this.fromBcd(c[RTC_DAY_OF_WEEK]!) - 1,
      mday: this.fromBcd(c[RTC_DAY_OF_MONTH]!),
      mon: this.fromBcd(c[RTC_MONTH]!) - 1,
      year: this.fromBcd(c[RTC_YEAR]!) + this.fromBcd(c[RTC_CENTURY]!) * 100,
    };
  }

  /** The calendar registers were written: the clock now runs from them (QEMU rtc_set_time). */
  private setTime(): void {
    const tm = this.readTm();
    this.baseRtc = Math.floor(Date.UTC(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec) / 1000);
    this.lastUpdate = this.now;
  }

  private setCmos(tm: Tm): void {
    const c = this.cmos;
    c[RTC_SECONDS] = this.toBcd(tm.sec);
    c[RTC_MINUTES] = this.toBcd(tm.min);
    if (c[RTC_REG_B]! & REG_B_24H) c[RTC_HOURS] = this.toBcd(tm.hour);
    else {
      const h = tm.hour % 12 ? tm.hour % 12 : 12;
      c[RTC_HOURS] = this.toBcd(h) | (tm.hour >= 12 ? 0x80 : 0);
    }
    c[RTC_DAY_OF_WEEK] = this.toBcd(tm.wday + 1);
    c[RTC_DAY_OF_MONTH] = this.toBcd(tm.mday);
    c[RTC_MONTH] = this.toBcd(tm.mon + 1);
    c[RTC_YEAR] = this.toBcd(tm.year % 100);
    c[RTC_CENTURY] = this.toBcd(Math.floor(tm.year / 100));
  }

  /** Brings the calendar registers up to the current time (unless SET holds them). */
  private updateTime(): void {
    const sec = Math.floor(this.guestRtcNs() / NS_PER_SECOND);
    if (!(this.cmos[RTC_REG_B]! & REG_B_SET)) this.setCmos(gmtime(sec));
  }

  private updateInProgress(): boolean {
    if (!this.running()) return false;
    if (this.updateTimer.armed && this.now >= this.updateTimer.deadline - UIP_HOLD_LENGTH) {
      // Latched until the update timer fires.
      this.cmos[RTC_REG_A]! |= REG_A_UIP;
      return true;
    }
    return this.guestRtcNs() % NS_PER_SECOND >= NS_PER_SECOND - UIP_HOLD_LENGTH;
  }

  // ---- interrupts -----------------------------------------------------------------------

  private periodicTimerUpdate(currentTime: number, oldPeriod: number, periodChange: boolean): void {
    const period = this.cmos[RTC_REG_B]! & REG_B_PIE ? periodicTicks(this.cmos[RTC_REG_A]! & REG_A_RATE) : 0;
    this.period = period;
    if (!period) {
      this.periodicTimer.clear();
      return;
    }
    const curClock = muldiv(currentTime, RTC_CLOCK_RATE, NS_PER_SECOND);
    let lost = 0;
    if (oldPeriod && periodChange) {
      const nextClock = muldiv(this.nextPeriodicTime, RTC_CLOCK_RATE, NS_PER_SECOND);
      lost = Math.max(0, curClock - (nextClock - oldPeriod));
    }
    // Lost ticks are discarded: time moves on by at most one period.
    lost = Math.min(lost, period);
    this.nextPeriodicTime = muldiv(curClock + period - lost, NS_PER_SECOND, RTC_CLOCK_RATE) + 1;
    this.periodicTimer.set(this.nextPeriodicTime);
  }

  private periodicTick(): void {
    this.periodicTimerUpdate(this.nextPeriodicTime, this.period, false);
    const c = this.cmos;
    c[RTC_REG_C]! |= REG_C_PF;
    if (c[RTC_REG_B]! & REG_B_PIE) {
      c[RTC_REG_C]! |= REG_C_IRQF;
      this.wiring.irq(true);
    }
  }

  /** Seconds until the alarm matches (QEMU get_next_alarm). */
  private nextAlarm(): number {
    this.updateTime();
    const c = this.cmos;
    const hour12 = (h: number) => {
      if (this.cmos[RTC_REG_B]! & REG_B_24H) return h;
      return (h % 12) + (c[RTC_HOURS]! & 0x80 ? 12 : 0);
    };
    let aSec = this.fromBcd(c[RTC_SECONDS_ALARM]!);
    let aMin = this.fromBcd(c[RTC_MINUTES_ALARM]!);
    let aHour = this.fromBcd(c[RTC_HOURS_ALARM]!);
    aHour = aHour === -1 ? -1 : hour12(aHour);
    const sec = this.fromBcd(c[RTC_SECONDS]!);
    const min = this.fromBcd(c[RTC_MINUTES]!);
    const hour = hour12(this.fromBcd(c[RTC_HOURS]!));
    if (aHour === -1) {
      aHour = hour;
      if (aMin === -1) {
        aMin = min;
        if (aSec === -1) aSec = sec + 1;
        else if (sec > aSec) aMin++;
      } else if (min === aMin) {
        if (aSec === -1) aSec = sec + 1;
        else if (sec > aSec) aHour++;
        if (aSec === SEC_PER_MIN) {
          aSec = 0;
          aHour++;
        }
      } else if (min > aMin) aHour++;
    } else if (hour === aHour) {
      if (aMin === -1) {
        aMin = min;
        if (aSec === -1) aSec = sec + 1;
        else if (sec > aSec) aMin++;
        if (aSec === SEC_PER_MIN) {
          aSec = 0;
          aMin++;
        }
        aMin %= MIN_PER_HOUR;
      } else if (min === aMin) {
        if (aSec === -1) aSec = sec + 1;
        aSec %= SEC_PER_MIN;
      }
    }
    if (aMin === -1) aMin = 0;
    if (aSec === -1) aSec = 0;
    if (aSec === SEC_PER_MIN) {
      aSec = 0;
      aMin++;
    }
    if (aMin === MIN_PER_HOUR) {
      aMin = 0;
      aHour++;
    }
    aHour %= HOUR_PER_DAY;
    const s = ((aHour - hour) * MIN_PER_HOUR + aMin - min) * SEC_PER_MIN + aSec - sec;
    return s <= 0 ? s + SEC_PER_DAY : s;
  }

  /** Arms the update-ended/alarm timer (QEMU check_update_timer). */
  private checkUpdateTimer(): void {
    const c = this.cmos;
    if ((c[RTC_REG_A]! & REG_A_DV_RESET) === REG_A_DV_RESET) {
      this.updateTimer.clear();
      return;
    }
    const guestNsec = this.guestRtcNs() % NS_PER_SECOND;
    let nextUpdate = this.now + NS_PER_SECOND - guestNsec;
    this.nextAlarmTime = nextUpdate + (this.nextAlarm() - 1) * NS_PER_SECOND;
    if (!(c[RTC_REG_A]! & REG_A_UIP) && c[RTC_REG_C]! & REG_C_UF) {
      if (c[RTC_REG_B]! & REG_B_SET || c[RTC_REG_C]! & REG_C_AF) {
        this.updateTimer.clear();
        return;
      }
      nextUpdate = this.nextAlarmTime;
    }
    if (nextUpdate !== this.updateTimer.deadline) this.updateTimer.set(nextUpdate);
  }

  private updateTick(): void {
    const c = this.cmos;
    this.updateTime();
    c[RTC_REG_A]! &= ~REG_A_UIP;
    let irqs = REG_C_UF;
    if (this.now >= this.nextAlarmTime) irqs |= REG_C_AF;
    const fresh = irqs & ~c[RTC_REG_C]!;
    c[RTC_REG_C]! |= irqs;
    if (fresh & c[RTC_REG_B]!) {
      c[RTC_REG_C]! |= REG_C_IRQF;
      this.wiring.irq(true);
    }
    this.checkUpdateTimer();
  }

  // ---- ports ------------------------------------------------------------------------------

  private readPort(port: number): number {
    if (port === 0) return 0xff;
    const c = this.cmos;
    if (this.index === RTC_IBM_PS2_CENTURY) this.index = RTC_CENTURY;
    const i = this.index;
    if (i <= RTC_YEAR && i !== RTC_SECONDS_ALARM && i !== RTC_MINUTES_ALARM && i !== RTC_HOURS_ALARM) {
      this.wiring.clock.poll();
      if (this.running()) this.updateTime();
      return c[i]!;
    }
    if (i === RTC_CENTURY) {
      if (this.running()) this.updateTime();
      return c[i]!;
    }
    if (i === RTC_REG_A) {
      this.wiring.clock.poll();
      return c[i]! | (this.updateInProgress() ? REG_A_UIP : 0);
    }
    if (i === RTC_REG_C) {
      const ret = c[i]!;
      this.wiring.irq(false);
      c[RTC_REG_C] = 0;
      if (ret & (REG_C_UF | REG_C_AF)) this.checkUpdateTimer();
      return ret;
    }
    return c[i]!;
  }

  private writePort(port: number, data: number): void {
    if (port === 0) {
      this.index = data & 0x7f;
      return;
    }
    const c = this.cmos;
    if (this.index === RTC_IBM_PS2_CENTURY) this.index = RTC_CENTURY;
    const i = this.index;
    switch (i) {
      case RTC_SECONDS_ALARM:
      case RTC_MINUTES_ALARM:
      case RTC_HOURS_ALARM:
        c[i] = data;
        this.checkUpdateTimer();
        return;
      case RTC_CENTURY:
      case RTC_SECONDS:
      case RTC_MINUTES:
      case RTC_HOURS:
      case RTC_DAY_OF_WEEK:
      case RTC_DAY_OF_MONTH:
      case RTC_MONTH:
      case RTC_YEAR:
        c[i] = data;
        if (this.running()) {
          this.setTime();
          this.checkUpdateTimer();
        }
        return;
      case RTC_REG_A: {
        const updatePeriodic = ((c[RTC_REG_A]! ^ data) & REG_A_RATE) !== 0;
        const oldPeriod = this.period;
        if ((data & REG_A_DV_RESET) === REG_A_DV_RESET) {
          if (this.running()) this.updateTime();
          c[RTC_REG_A]! &= ~REG_A_UIP;
        } else if ((c[RTC_REG_A]! & REG_A_DV_RESET) === REG_A_DV_RESET && (data & REG_A_DV_MASK) <= REG_A_DV_RUNNING_MAX) {
          // Leaving divider reset: the first update comes half a second later.
          if (!(c[RTC_REG_B]! & REG_B_SET)) {
            this.offset = 500_000_000;
            this.setTime();
          }
          c[RTC_REG_A]! &= ~REG_A_UIP;
        }
        c[RTC_REG_A] = (data & ~REG_A_UIP) | (c[RTC_REG_A]! & REG_A_UIP);
        if (updatePeriodic) this.periodicTimerUpdate(this.now, oldPeriod, true);
        this.checkUpdateTimer();
        return;
      }
      case RTC_REG_B: {
        const updatePeriodic = ((c[RTC_REG_B]! ^ data) & REG_B_PIE) !== 0;
        const oldPeriod = this.period;
        if (data & REG_B_SET) {
          if (this.running()) this.updateTime();
          c[RTC_REG_A]! &= ~REG_A_UIP;
          data &= ~REG_B_UIE;
        } else if (c[RTC_REG_B]! & REG_B_SET && (c[RTC_REG_A]! & REG_A_DV_MASK) <= REG_A_DV_RUNNING_MAX) {
          this.offset = this.guestRtcNs() % NS_PER_SECOND;
          this.setTime();
        }
        // A flag already set when its interrupt gets enabled raises IRQ 8 at once.
        if (data & c[RTC_REG_C]! & REG_C_MASK) {
          c[RTC_REG_C]! |= REG_C_IRQF;
          this.wiring.irq(true);
        } else {
          c[RTC_REG_C]! &= ~REG_C_IRQF;
          this.wiring.irq(false);
        }
        c[RTC_REG_B] = data;
        if (updatePeriodic) this.periodicTimerUpdate(this.now, oldPeriod, true);
        this.checkUpdateTimer();
        return;
      }
      case RTC_REG_C:
      case RTC_REG_D:
        return;
      default:
        c[i] = data;
    }
  }
}

/** UTC calendar fields of `sec` seconds since the epoch (gmtime). */
function gmtime(sec: number): Tm {
  const d = new Date(sec * 1000);
  return {
    sec: d.getUTCSeconds(),
    min: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    wday: d.getUTCDay(),
    mday: d.getUTCDate(),
    mon: d.getUTCMonth(),
    year: d.getUTCFullYear(),
  };
}
