/**
 * A local APIC in xAPIC mode (Intel SDM Vol. 3 ch. 11), as QEMU 7.2's TCG
 * APIC models it (hw/intc/apic.c, apic_common.c): version 0x14 with six
 * LVT entries, the registers at 0xfee00000 as each CPU sees them (32-bit
 * accesses only; narrower ones read 0 and are dropped), IA32_APIC_BASE.
 *
 *   0x020 ID            0x030 version       0x080 TPR        0x0a0 PPR
 *   0x0b0 EOI           0x0d0 LDR           0x0e0 DFR        0x0f0 SVR
 *   0x100-0x170 ISR     0x180-0x1f0 TMR     0x200-0x270 IRR  0x280 ESR
 *   0x300/0x310 ICR     0x320-0x370 LVT timer, thermal, perf, LINT0, LINT1, error
 *   0x380 initial count 0x390 current count 0x3e0 divide configuration
 *
 * Priorities (§11.8.3): an IRR vector is delivered when its class is above
 * PPR = max(TPR, class of the highest ISR vector). The timer counts the
 * 1 GHz bus clock (QEMU's 1 ns) divided by 1-128, one-shot or periodic. At
 * reset the BSP's LINT0 is ExtINT and unmasked, so the 8259's INT reaches
 * the CPU through it (QEMU apic_reset_common). TSC-deadline and x2APIC
 * modes are not modelled (QEMU 7.2's TCG CPU offers neither).
 */
import type { Timer, VirtualClock } from '../../time/clock.js';
import { startAsDoubles } from '../../number-fields.js';

export const APIC_BASE_DEFAULT = 0xfee0_0000;
export const APIC_VERSION = 0x14;
export const APIC_LVT_COUNT = 6;

export const LVT_TIMER = 0;
export const LVT_THERMAL = 1;
export const LVT_PERF = 2;
export const LVT_LINT0 = 3;
export const LVT_LINT1 = 4;
export const LVT_ERROR = 5;

export const LVT_MASKED = 1 << 16;
const LVT_TIMER_PERIODIC = 1 << 17;
const LVT_LEVEL_TRIGGER = 1 << 15;

/** Delivery modes (§10.6.1). */
export const DM_FIXED = 0;
export const DM_LOWPRI = 1;
export const DM_SMI = 2;
export const DM_NMI = 4;
export const DM_INIT = 5;
export const DM_SIPI = 6;
export const DM_EXTINT = 7;

export const SVR_ENABLE = 0x100;
const SVR_DIRECTED_EOI = 0x1000;
const ESR_ILLEGAL_ADDRESS = 0x80;

export const MSR_APIC_BASE = 0x1b;
export const APIC_BASE_BSP = 0x100;
export const APIC_BASE_ENABLE = 0x800;

/** What a local APIC asks of its CPU and of the APIC bus. */
export interface LapicWiring {
  readonly clock: VirtualClock;
  /** Sends an IPI from the ICR (destination, its mode, delivery mode, vector, trigger, level, shorthand). */
  readonly ipi: (from: LocalApic, icrLow: number, dest: number) => void;
  /** A level-triggered vector was EOI'd: the I/O APICs may deliver again. */
  readonly eoiBroadcast: (vector: number) => void;
  /** The 8259's INT output (for LINT0 in ExtINT mode). */
  readonly picOutput: () => boolean;
  /** Something the CPU looks at changed (a vector, NMI, SMI, INIT, SIPI). */
  readonly changed: () => void;
  /** An NMI, SMI or INIT for this APIC's CPU (an INIT also resets the APIC). */
  readonly signal: (kind: 'nmi' | 'smi' | 'init' | 'sipi', vector?: number) => void;
}

/** 256-bit vector sets (IRR, ISR, TMR) as eight dwords. */
class VectorSet {
  readonly words = new Uint32Array(8);
  set(v: number): void {
    this.words[v >> 5]! |= 1 << (v & 31);
  }
  clear(v: number): void {
    this.words[v >> 5]! &= ~(1 << (v & 31));
  }
  has(v: number): boolean {
    return (this.words[v >> 5]! & (1 << (v & 31))) !== 0;
  }
  /** The highest vector set, or -1. */
  highest(): number {
    for (let i = 7; i >= 0; i--) {
      const w = this.words[i]!;
      if (w) return i * 32 + 31 - Math.clz32(w);
    }
    return -1;
  }
  reset(): void {
    this.words.fill(0);
  }
}

export class LocalApic {
  apicBase: number;
  id: number;
  tpr = 0;
  spuriousVec = 0xff;
  logDest = 0;
  destMode = 0xf;
  readonly isr = new VectorSet();
  readonly tmr = new VectorSet();
  readonly irr = new VectorSet();
  readonly lvt = new Uint32Array(APIC_LVT_COUNT);
  esr = 0;
  readonly icr = new Uint32Array(2);
  divideConf = 0;
  countShift = 0;
  initialCount = 0;
  initialCountLoadTime = 0;
  private nextTime = 0;
  /** An AP after INIT waits for a startup IPI. */
  waitForSipi: boolean;
  private readonly timer: Timer;

  constructor(
    readonly cpuIndex: number,
    readonly initialId: number,
    readonly bsp: boolean,
    private readonly wiring: LapicWiring,
  ) {
    this.apicBase = (APIC_BASE_DEFAULT | (bsp ? APIC_BASE_BSP : 0) | APIC_BASE_ENABLE) >>> 0;
    this.id = initialId;
    this.waitForSipi = !bsp;
    this.timer = wiring.clock.timer(`lapic${cpuIndex}`, () => this.timerFired());
    startAsDoubles(this, 'initialCountLoadTime', 'nextTime');
    this.reset();
  }

  /** System reset (QEMU apic_reset_common): base, ID, the INIT state, and LINT0 ExtINT on the BSP. */
  reset(): void {
    this.apicBase = (APIC_BASE_DEFAULT | (this.apicBase & APIC_BASE_BSP) | APIC_BASE_ENABLE) >>> 0;
    this.id = this.initialId;
    this.initReset();
    if (this.bsp) this.lvt[LVT_LINT0] = DM_EXTINT << 8;
  }

  /** INIT (QEMU apic_init_reset): everything but the base and ID. */
  initReset(): void {
    this.tpr = 0;
    this.spuriousVec = 0xff;
    this.logDest = 0;
    this.destMode = 0xf;
    this.isr.reset();
    this.tmr.reset();
    this.irr.reset();
    this.lvt.fill(LVT_MASKED);
    this.esr = 0;
    this.icr.fill(0);
    this.divideConf = 0;
    this.countShift = 0;
    this.initialCount = 0;
    this.initialCountLoadTime = 0;
    this.nextTime = 0;
    this.waitForSipi = !this.bsp;
    this.timer.clear();
  }

  get hardwareEnabled(): boolean {
    return (this.apicBase & APIC_BASE_ENABLE) !== 0;
  }

  get softwareEnabled(): boolean {
    return (this.spuriousVec & SVR_ENABLE) !== 0;
  }

  // ---- IA32_APIC_BASE ---------------------------------------------------------------------

  /** WRMSR IA32_APIC_BASE (QEMU apic_set_base): the base moves; once disabled, the APIC stays disabled. */
  setApicBase(value: number): void {
    this.apicBase = ((value & 0xffff_f000) | (this.apicBase & (APIC_BASE_BSP | APIC_BASE_ENABLE))) >>> 0;
    if (!(value & APIC_BASE_ENABLE)) {
      this.apicBase = (this.apicBase & ~APIC_BASE_ENABLE) >>> 0;
      this.spuriousVec &= ~SVR_ENABLE;
    }
    this.wiring.changed();
  }

  // ---- priorities and delivery -----------------------------------------------------------

  /** PPR (§11.8.3.1). */
  ppr(): number {
    const isrv = Math.max(this.isr.highest(), 0) >> 4;
    return this.tpr >> 4 >= isrv ? this.tpr : isrv << 4;
  }

  /**
   * The deliverable vector (QEMU apic_irq_pending): > 0 a vector, 0 none
   * (or software-disabled), -1 when the highest request is held back by PPR.
   */
  pending(): number {
    if (!this.softwareEnabled) return 0;
    const irrv = this.irr.highest();
    if (irrv < 0) return 0;
    const ppr = this.ppr();
    if (ppr && (irrv & 0xf0) <= (ppr & 0xf0)) return -1;
    return irrv;
  }

  /** Whether 8259 interrupts reach the CPU (QEMU apic_accept_pic_intr): APIC disabled or LINT0 unmasked. */
  acceptsPic(): boolean {
    return !this.hardwareEnabled || !(this.lvt[LVT_LINT0]! & LVT_MASKED);
  }

  /** Whether LINT0 passes the 8259's INT to the CPU as ExtINT right now. */
  picInterrupt(): boolean {
    if (!this.wiring.picOutput() || !this.acceptsPic()) return false;
    const lint0 = this.lvt[LVT_LINT0]!;
    return !this.hardwareEnabled || ((lint0 >> 8) & 7) === DM_EXTINT;
  }

  /** A fixed vector arrives (QEMU apic_set_irq). */
  setIrq(vector: number, level: boolean): void {
    this.irr.set(vector);
    if (level) this.tmr.set(vector);
    else this.tmr.clear(vector);
    this.wiring.changed();
  }

  /** An LVT entry fires (QEMU apic_local_deliver). */
  localDeliver(lvtIndex: number): void {
    const lvt = this.lvt[lvtIndex]!;
    if (lvt & LVT_MASKED) return;
    switch ((lvt >> 8) & 7) {
      case DM_SMI:
        this.wiring.signal('smi');
        break;
      case DM_NMI:
        this.wiring.signal('nmi');
        break;
      case DM_EXTINT:
        this.wiring.changed();
        break;
      case DM_FIXED: {
        const level = (lvtIndex === LVT_TIMER || lvtIndex === LVT_LINT0 || lvtIndex === LVT_LINT1) && (lvt & LVT_LEVEL_TRIGGER) !== 0;
        this.setIrq(lvt & 0xff, level);
        break;
      }
    }
  }

  /** The 8259's INT output changed (QEMU apic_deliver_pic_intr). */
  picChanged(level: boolean): void {
    if (!this.acceptsPic()) return;
    if (level) {
      this.localDeliver(LVT_LINT0);
      return;
    }
    const lvt = this.lvt[LVT_LINT0]!;
    const mode = (lvt >> 8) & 7;
    if (mode === DM_FIXED && lvt & LVT_LEVEL_TRIGGER) this.irr.clear(lvt & 0xff);
    if (mode === DM_FIXED || mode === DM_EXTINT) this.wiring.changed();
  }

  /**
   * The INTA cycle on the APIC side (QEMU apic_get_interrupt): the vector
   * now in service, the spurious vector when PPR holds the request back, or
   * -1 when the 8259 should answer instead (APIC disabled, nothing pending,
   * or an ExtINT from the 8259 waiting).
   */
  acknowledge(): number {
    if (!this.softwareEnabled) return -1;
    const v = this.pending();
    if (v === 0 || this.picInterrupt()) return -1;
    if (v < 0) return this.spuriousVec & 0xff;
    this.irr.clear(v);
    this.isr.set(v);
    this.wiring.changed();
    return v;
  }

  private eoi(): void {
    const v = this.isr.highest();
    if (v < 0) return;
    this.isr.clear(v);
    if (!(this.spuriousVec & SVR_DIRECTED_EOI) && this.tmr.has(v)) this.wiring.eoiBroadcast(v);
    this.wiring.changed();
  }

  // ---- timer --------------------------------------------------------------------------------

  currentCount(): number {
    const now = this.wiring.clock.poll();
    const d = Math.floor((now - this.initialCountLoadTime) / 2 ** this.countShift);
    if (this.lvt[LVT_TIMER]! & LVT_TIMER_PERIODIC) return this.initialCount - (d % (this.initialCount + 1));
    return d >= this.initialCount ? 0 : this.initialCount - d;
  }

  /** Arms the timer for the next expiry after `now` (QEMU apic_next_timer). */
  private timerUpdate(now: number): void {
    const lvt = this.lvt[LVT_TIMER]!;
    if (lvt & LVT_MASKED) {
      this.timer.clear();
      return;
    }
    const scale = 2 ** this.countShift;
    let d = Math.floor((now - this.initialCountLoadTime) / scale);
    if (lvt & LVT_TIMER_PERIODIC) {
      if (!this.initialCount) {
        this.timer.clear();
        return;
      }
      d = (Math.floor(d / (this.initialCount + 1)) + 1) * (this.initialCount + 1);
    } else {
      if (d >= this.initialCount) {
        this.timer.clear();
        return;
      }
      d = this.initialCount + 1;
    }
    this.nextTime = this.initialCountLoadTime + d * scale;
    this.timer.set(this.nextTime);
  }

  private timerFired(): void {
    this.localDeliver(LVT_TIMER);
    this.timerUpdate(this.nextTime);
  }

  // ---- registers --------------------------------------------------------------------------

  /** A 32-bit register read at `offset` into the 4 KiB page. */
  readRegister(offset: number): number {
    const index = (offset >> 4) & 0xff;
    switch (index) {
      case 0x02:
        return (this.id << 24) >>> 0;
      case 0x03:
        return APIC_VERSION | ((APIC_LVT_COUNT - 1) << 16);
      case 0x08:
        return this.tpr;
      case 0x09:
        return 0;
      case 0x0a:
        return this.ppr();
      case 0x0b:
        return 0;
      case 0x0d:
        return (this.logDest << 24) >>> 0;
      case 0x0e:
        return ((this.destMode << 28) | 0x0fff_ffff) >>> 0;
      case 0x0f:
        return this.spuriousVec;
      case 0x28:
        return this.esr;
      case 0x30:
      case 0x31:
        return this.icr[index - 0x30]!;
      case 0x38:
        return this.initialCount;
      case 0x39:
        return this.currentCount();
      case 0x3e:
        return this.divideConf;
    }
    if (index >= 0x10 && index < 0x18) return this.isr.words[index - 0x10]!;
    if (index >= 0x18 && index < 0x20) return this.tmr.words[index - 0x18]!;
    if (index >= 0x20 && index < 0x28) return this.irr.words[index - 0x20]!;
    if (index >= 0x32 && index < 0x38) return this.lvt[index - 0x32]!;
    this.esr |= ESR_ILLEGAL_ADDRESS;
    return 0;
  }

  writeRegister(offset: number, value: number): void {
    const index = (offset >> 4) & 0xff;
    const v = value >>> 0;
    switch (index) {
      case 0x02:
        this.id = v >>> 24;
        return;
      case 0x03:
      case 0x09:
      case 0x0a:
        return;
      case 0x08:
        this.tpr = v & 0xff;
        this.wiring.changed();
        return;
      case 0x0b:
        this.eoi();
        return;
      case 0x0d:
        this.logDest = v >>> 24;
        return;
      case 0x0e:
        this.destMode = v >>> 28;
        return;
      case 0x0f:
        this.spuriousVec = v & 0x1ff;
        this.wiring.changed();
        return;
      case 0x28:
        this.esr = 0;
        return;
      case 0x30:
        this.icr[0] = v;
        this.wiring.ipi(this, v, (this.icr[1]! >>> 24) & 0xff);
        return;
      case 0x31:
        this.icr[1] = v;
        return;
      case 0x38:
        this.initialCount = v;
        this.initialCountLoadTime = this.wiring.clock.now();
        this.timerUpdate(this.initialCountLoadTime);
        return;
      case 0x39:
        return;
      case 0x3e: {
        this.divideConf = v & 0xb;
        const d = (this.divideConf & 3) | ((this.divideConf >> 1) & 4);
        this.countShift = (d + 1) & 7;
        return;
      }
    }
    if (index >= 0x10 && index < 0x28) return;
    if (index >= 0x32 && index < 0x38) {
      const n = index - 0x32;
      this.lvt[n] = v;
      if (n === LVT_TIMER) this.timerUpdate(this.wiring.clock.now());
      else if (n === LVT_LINT0) this.wiring.changed();
      return;
    }
    this.esr |= ESR_ILLEGAL_ADDRESS;
  }
}
