/**
 * The ICH9 ACPI power-management IO block at PMBASE (128 bytes; ICH9
 * datasheet §13.8.3, ACPI 6.4 §4.8), as QEMU 7.2 models it (hw/acpi/ich9.c,
 * hw/acpi/core.c):
 *
 *   0x00 PM1_STS  write-1-to-clear; TMR_STS set when PM timer bit 23 toggles
 *   0x02 PM1_EN
 *   0x04 PM1_CNT  SCI_EN, SLP_TYP/SLP_EN (S5 powers off)
 *   0x08 PM_TMR   24-bit free-running counter at 3.579545 MHz
 *   0x20 GPE0_STS (8 bytes, write-1-to-clear), 0x28 GPE0_EN (8 bytes)
 *   0x30 SMI_EN   APMC_EN lets APM_CNT writes raise SMI; bit 0 locks with SMI_LOCK
 *   0x34 SMI_STS
 *
 * The SCI is level: (PM1_STS & PM1_EN & {RTC, PWRBTN, GBL, TMR}) or
 * (GPE0_STS & GPE0_EN). The TCO block at 0x60 is not modelled (reads 0).
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import type { Timer, VirtualClock } from '../../time/clock.js';

export const PM_IO_SIZE = 128;
export const PM1_STS = 0x00;
export const PM1_EN = 0x02;
export const PM1_CNT = 0x04;
export const PM_TMR = 0x08;
export const GPE0_STS = 0x20;
export const GPE0_EN = 0x28;
export const GPE0_LEN = 8;
export const SMI_EN = 0x30;
export const SMI_STS = 0x34;

export const PM1_STS_TMR = 0x0001;
export const PM1_STS_GBL = 0x0020;
export const PM1_STS_PWRBTN = 0x0100;
export const PM1_STS_RTC = 0x0400;
export const PM1_STS_WAK = 0x8000;
/** The PM1 events that raise the SCI (QEMU ACPI_BITMASK_PM1_COMMON_ENABLED). */
const PM1_SCI_EVENTS = PM1_STS_TMR | PM1_STS_GBL | PM1_STS_PWRBTN | PM1_STS_RTC;
export const PM1_CNT_SCI_EN = 0x0001;
const PM1_CNT_SLP_TYP_SHIFT = 10;
const PM1_CNT_SLP_EN = 0x2000;
export const SMI_EN_GBL_SMI_EN = 0x0001;
export const SMI_EN_APMC_EN = 0x0020;

export const PM_TIMER_HZ = 3_579_545;
/** The PM timer's bit 23 toggles every 2^23 ticks (TMR_STS, ACPI 6.4 §4.8.3.3). */
const TMR_OVERFLOW = 0x80_0000;

export interface PmWiring {
  readonly clock: VirtualClock;
  /** The SCI line's level changed. */
  readonly sci: (level: boolean) => void;
  /** SLP_EN with SLP_TYP 0: the guest powers the machine off. */
  readonly powerOff?: () => void;
}

export class Ich9PmBlock {
  pm1Sts = 0;
  pm1En = 0;
  pm1Cnt = 0;
  readonly gpe0Sts = new Uint8Array(GPE0_LEN);
  readonly gpe0En = new Uint8Array(GPE0_LEN);
  smiEn = 0;
  smiSts = 0;
  /** SMI_EN bits the guest may write (GBL_SMI_EN drops out with SMI_LOCK). */
  smiEnWmask = 0xffff_ffff;
  private sciLevel = false;
  private overflowAt = 0;
  private readonly overflowTimer: Timer;

  constructor(private readonly wiring: PmWiring) {
    this.overflowTimer = wiring.clock.timer('pm-timer-overflow', () => this.update());
  }

  reset(): void {
    this.pm1Sts = 0;
    this.pm1En = 0;
    this.pm1Cnt = 0;
    this.gpe0Sts.fill(0);
    this.gpe0En.fill(0);
    this.smiEn = 0;
    this.smiSts = 0;
    this.smiEnWmask = 0xffff_ffff;
    // QEMU acpi_pm_tmr_reset: TMR_STS reads set until software first clears it.
    this.overflowAt = 0;
    this.update();
  }

  /** The PM timer: ticks of 3.579545 MHz since power-on, 24 bits. A guest-visible time source read. */
  timer(now = this.wiring.clock.poll()): number {
    return Math.floor((now * PM_TIMER_HZ) / 1e9) % 2 ** 24;
  }

  /** Guest time (ns) of the next toggle of timer bit 23 after `now`. */
  private nextOverflow(now: number): number {
    const ticks = Math.floor((now * PM_TIMER_HZ) / 1e9);
    const next = (Math.floor(ticks / TMR_OVERFLOW) + 1) * TMR_OVERFLOW;
    return Math.ceil((next * 1e9) / PM_TIMER_HZ);
  }

  /** PM1_STS with TMR_STS brought up to date (QEMU acpi_pm1_evt_get_sts). */
  private status(): number {
    if (this.wiring.clock.now() >= this.overflowAt) this.pm1Sts |= PM1_STS_TMR;
    return this.pm1Sts;
  }

  /** Recomputes the SCI and arms the overflow timer while TMR_EN waits for TMR_STS (QEMU acpi_update_sci). */
  update(): void {
    const sts = this.status();
    let gpe = false;
    for (let i = 0; i < GPE0_LEN; i++) if (this.gpe0Sts[i]! & this.gpe0En[i]!) gpe = true;
    const level = (sts & this.pm1En & PM1_SCI_EVENTS) !== 0 || gpe;
    if (level !== this.sciLevel) {
      this.sciLevel = level;
      this.wiring.sci(level);
    }
    if (this.pm1En & PM1_STS_TMR && !(sts & PM1_STS_TMR)) this.overflowTimer.set(this.overflowAt);
    else this.overflowTimer.clear();
  }

  /** The power button is pressed (QEMU acpi_pm1_evt_power_down): PWRBTN_STS, an SCI if enabled. */
  powerButton(): void {
    this.pm1Sts |= PM1_STS_PWRBTN;
    this.update();
  }

  /** Raises a general-purpose event (GPE0 status bit `bit`). */
  raiseGpe(bit: number): void {
    this.gpe0Sts[bit >> 3] = this.gpe0Sts[bit >> 3]! | (1 << (bit & 7));
    this.update();
  }

  /** APM_CNT 0x02/0x03 turn SCI_EN on/off (ACPI 6.4 §4.8.2.5, QEMU acpi_pm1_cnt_update). */
  setSciEnable(on: boolean): void {
    this.pm1Cnt = on ? this.pm1Cnt | PM1_CNT_SCI_EN : this.pm1Cnt & ~PM1_CNT_SCI_EN;
  }

  readonly region: RegionHandler = {
    read: (off: number, width: Width) => {
      if (off === PM_TMR && width === 4) return this.timer();
      let v = 0;
      for (let i = 0; i < width; i++) v |= this.readByte(off + i) << (8 * i);
      return v >>> 0;
    },
    write: (off: number, width: Width, value: number) => {
      if (off === SMI_EN && width === 4) {
        this.smiEn = ((this.smiEn & ~this.smiEnWmask) | (value & this.smiEnWmask)) >>> 0;
        return;
      }
      for (let i = 0; i < width; i++) this.writeByte(off + i, (value >>> (8 * i)) & 0xff);
      if (off < PM1_CNT + 2 && PM1_CNT < off + width) this.sleepControl();
      this.update();
    },
  };

  private readByte(off: number): number {
    if (off < 2) return (this.status() >>> (8 * off)) & 0xff;
    if (off < 4) return (this.pm1En >>> (8 * (off - 2))) & 0xff;
    if (off < 6) return (this.pm1Cnt >>> (8 * (off - 4))) & 0xff;
    if (off >= PM_TMR && off < PM_TMR + 4) return (this.timer() >>> (8 * (off - PM_TMR))) & 0xff;
    if (off >= GPE0_STS && off < GPE0_STS + GPE0_LEN) return this.gpe0Sts[off - GPE0_STS]!;
    if (off >= GPE0_EN && off < GPE0_EN + GPE0_LEN) return this.gpe0En[off - GPE0_EN]!;
    if (off >= SMI_EN && off < SMI_EN + 4) return (this.smiEn >>> (8 * (off - SMI_EN))) & 0xff;
    if (off >= SMI_STS && off < SMI_STS + 4) return (this.smiSts >>> (8 * (off - SMI_STS))) & 0xff;
    return 0;
  }

  /** PM1_STS and GPE0_STS are write-1-to-clear (ACPI 6.4 §4.8.3.1.1, §4.8.4.1). */
  private writeByte(off: number, v: number): void {
    if (off < 2) {
      // Clearing TMR_STS arms the next bit-23 toggle (QEMU acpi_pm1_evt_write_sts).
      if (off === 0 && this.status() & v & PM1_STS_TMR) this.overflowAt = this.nextOverflow(this.wiring.clock.now());
      this.pm1Sts &= ~(v << (8 * off));
    } else if (off < 4) this.pm1En = (this.pm1En & ~(0xff << (8 * (off - 2)))) | (v << (8 * (off - 2)));
    else if (off < 6) this.pm1Cnt = (this.pm1Cnt & ~(0xff << (8 * (off - 4)))) | (v << (8 * (off - 4)));
    else if (off >= GPE0_STS && off < GPE0_STS + GPE0_LEN) this.gpe0Sts[off - GPE0_STS]! &= ~v;
    else if (off >= GPE0_EN && off < GPE0_EN + GPE0_LEN) this.gpe0En[off - GPE0_EN] = v;
    else if (off >= SMI_EN && off < SMI_EN + 4) {
      const shift = 8 * (off - SMI_EN);
      const mask = (this.smiEnWmask >>> shift) & 0xff;
      this.smiEn = ((this.smiEn & ~(mask << shift)) | ((v & mask) << shift)) >>> 0;
    }
  }

  /** SLP_EN is write-only: it acts and reads back 0; SLP_TYP 0 is S5 on q35 (QEMU acpi_pm1_cnt_write). */
  private sleepControl(): void {
    const cnt = this.pm1Cnt;
    this.pm1Cnt &= ~PM1_CNT_SLP_EN;
    if (!(cnt & PM1_CNT_SLP_EN)) return;
    if (((cnt >> PM1_CNT_SLP_TYP_SHIFT) & 7) === 0) this.wiring.powerOff?.();
  }
}
