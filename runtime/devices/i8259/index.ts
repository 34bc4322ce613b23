/**
 * The cascaded 8259A programmable interrupt controllers of the PC (Intel
 * 8259A datasheet; ICH9 datasheet §5.9), as QEMU 7.2 models them
 * (hw/intc/i8259.c, i8259_common.c):
 *
 *   0x20/0x21  master: command (ICW1, OCW2, OCW3) / data (ICW2-4, OCW1 = IMR)
 *   0xa0/0xa1  slave, its INT output on master input 2
 *   0x4d0/0x4d1  ELCR: per-IRQ edge (0) or level (1) triggering; IRQ 0-2, 8
 *                and 13 are always edge (masks 0xf8 and 0xde)
 *
 * Edge inputs latch IRR on a rising edge; level inputs follow the line.
 * Supported: fully nested and special fully nested mode, automatic EOI with
 * optional rotation, specific and non-specific EOI, priority rotation,
 * special mask mode, poll mode, IRR/ISR read select. Not supported (as on
 * QEMU): ICW1's LTIM (level mode for all inputs), buffered mode.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';

export const MASTER_BASE = 0x20;
export const SLAVE_BASE = 0xa0;
export const ELCR_BASE = 0x4d0;
/** IRQ 0 (timer), 1 (keyboard), 2 (cascade) and 8 (RTC), 13 (FPU) are edge only. */
export const ELCR_MASK_MASTER = 0xf8;
export const ELCR_MASK_SLAVE = 0xde;
const CASCADE_IRQ = 2;
const SPURIOUS = 7;

// Command port bits.
const ICW1 = 0x10;
const ICW1_IC4 = 0x01;
const ICW1_SNGL = 0x02;
const OCW3 = 0x08;
const OCW3_POLL = 0x04;
const OCW3_RR = 0x02;
const OCW3_RIS = 0x01;
const OCW3_ESMM = 0x40;
const OCW3_SMM = 0x20;
const ICW4_AEOI = 0x02;
const ICW4_SFNM = 0x10;

/** One 8259A. */
export class I8259 {
  irr = 0;
  imr = 0;
  isr = 0;
  elcr = 0;
  /** Priority rotation: the IRQ with the lowest priority is (priorityAdd - 1) & 7. */
  priorityAdd = 0;
  irqBase = 0;
  readIsr = false;
  poll = false;
  specialMask = false;
  /** 0: operational; 1-3: expecting ICW2, ICW3, ICW4. */
  initState = 0;
  autoEoi = false;
  rotateOnAutoEoi = false;
  specialFullyNested = false;
  init4 = false;
  singleMode = false;
  /** Input levels seen last (edge detection). */
  private lastIrr = 0;

  constructor(
    readonly master: boolean,
    readonly elcrMask: number,
    /** The INT output changed. */
    private readonly output: (level: boolean) => void,
  ) {}

  /** Power-on and ICW1 reset (QEMU pic_reset_common); ELCR survives ICW1. */
  initReset(): void {
    this.lastIrr = 0;
    this.irr &= this.elcr;
    this.imr = 0;
    this.isr = 0;
    this.priorityAdd = 0;
    this.irqBase = 0;
    this.readIsr = false;
    this.poll = false;
    this.specialMask = false;
    this.initState = 0;
    this.autoEoi = false;
    this.rotateOnAutoEoi = false;
    this.specialFullyNested = false;
    this.init4 = false;
    this.singleMode = false;
    this.update();
  }

  reset(): void {
    this.elcr = 0;
    this.initReset();
  }

  /** The highest priority set in `mask` as 0 (highest) to 7, or 8 when none. */
  private priority(mask: number): number {
    if (!(mask & 0xff)) return 8;
    let p = 0;
    while (!(mask & (1 << ((p + this.priorityAdd) & 7)))) p++;
    return p;
  }

  /** The IRQ (0-7) the controller would deliver now, or -1. */
  pending(): number {
    const p = this.priority(this.irr & ~this.imr);
    if (p === 8) return -1;
    let inService = this.isr;
    if (this.specialMask) inService &= ~this.imr;
    // Special fully nested mode: the slave's own in-service bit does not block it.
    if (this.specialFullyNested && this.master) inService &= ~(1 << CASCADE_IRQ);
    return p < this.priority(inService) ? (p + this.priorityAdd) & 7 : -1;
  }

  get int(): boolean {
    return this.pending() >= 0;
  }

  update(): void {
    this.output(this.int);
  }

  /** An input line's level (edge or level triggered per ELCR). */
  setInput(irq: number, level: boolean): void {
    const bit = 1 << irq;
    if (this.elcr & bit) {
      if (level) {
        this.irr |= bit;
        this.lastIrr |= bit;
      } else {
        this.irr &= ~bit;
        this.lastIrr &= ~bit;
      }
    } else if (level) {
      if (!(this.lastIrr & bit)) this.irr |= bit;
      this.lastIrr |= bit;
    } else this.lastIrr &= ~bit;
    this.update();
  }

  /** The INTA cycle for `irq`: it goes in service (unless automatic EOI); an edge request is consumed. */
  intack(irq: number): void {
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.priorityAdd = (irq + 1) & 7;
    } else this.isr |= 1 << irq;
    if (!(this.elcr & (1 << irq))) this.irr &= ~(1 << irq);
    this.update();
  }

  writeCommand(v: number): void {
    if (v & ICW1) {
      this.initReset();
      this.initState = 1;
      this.init4 = (v & ICW1_IC4) !== 0;
      this.singleMode = (v & ICW1_SNGL) !== 0;
      return;
    }
    if (v & OCW3) {
      if (v & OCW3_POLL) this.poll = true;
      if (v & OCW3_RR) this.readIsr = (v & OCW3_RIS) !== 0;
      if (v & OCW3_ESMM) this.specialMask = (v & OCW3_SMM) !== 0;
      return;
    }
    // OCW2: R, SL, EOI in bits 7:5, the level in 2:0.
    const cmd = v >> 5;
    switch (cmd) {
      case 0: // rotate in automatic EOI mode: clear
      case 4: // ...: set
        this.rotateOnAutoEoi = cmd === 4;
        break;
      case 1: // non-specific EOI
      case 5: {
        // rotate on non-specific EOI
        const p = this.priority(this.isr);
        if (p !== 8) {
          const irq = (p + this.priorityAdd) & 7;
          this.isr &= ~(1 << irq);
          if (cmd === 5) this.priorityAdd = (irq + 1) & 7;
          this.update();
        }
        break;
      }
      case 3: // specific EOI
        this.isr &= ~(1 << (v & 7));
        this.update();
        break;
      case 6: // set priority
        this.priorityAdd = (v + 1) & 7;
        this.update();
        break;
      case 7: // rotate on specific EOI
        this.isr &= ~(1 << (v & 7));
        this.priorityAdd = ((v & 7) + 1) & 7;
        this.update();
        break;
      default: // 2: no operation
        break;
    }
  }

  writeData(v: number): void {
    switch (this.initState) {
      case 0:
        this.imr = v;
        this.update();
        break;
      case 1:
        this.irqBase = v & 0xf8;
        this.initState = this.singleMode ? (this.init4 ? 3 : 0) : 2;
        break;
      case 2:
        this.initState = this.init4 ? 3 : 0;
        break;
      case 3:
        this.specialFullyNested = (v & ICW4_SFNM) !== 0;
        this.autoEoi = (v & ICW4_AEOI) !== 0;
        this.initState = 0;
        break;
    }
  }

  /** A read of the command (0) or data (1) port; in poll mode, the poll word (and the INTA it implies). */
  read(port: number): number {
    if (this.poll) {
      this.poll = false;
      const irq = this.pending();
      if (irq < 0) return 0;
      this.intack(irq);
      return irq | 0x80;
    }
    if (port === 0) return this.readIsr ? this.isr : this.irr;
    return this.imr;
  }
}

/** The master/slave pair with its ELCR ports. */
export class I8259Pair {
  readonly master: I8259;
  readonly slave: I8259;
  private out = false;
  /** The master's INT output changed (to the CPU or its local APIC's LINT0). */
  onOutput: ((level: boolean) => void) | undefined;

  constructor() {
    this.master = new I8259(true, ELCR_MASK_MASTER, (level) => {
      if (level === this.out) return;
      this.out = level;
      this.onOutput?.(level);
    });
    this.slave = new I8259(false, ELCR_MASK_SLAVE, (level) => this.master.setInput(CASCADE_IRQ, level));
  }

  reset(): void {
    this.slave.reset();
    this.master.reset();
  }

  /** The master's INT output (QEMU pic_get_output). */
  get output(): boolean {
    return this.master.int;
  }

  /** ISA IRQ 0-15. */
  setInput(irq: number, level: boolean): void {
    if (irq < 8) this.master.setInput(irq, level);
    else if (irq < 16) this.slave.setInput(irq - 8, level);
  }

  /** The INTA cycle: the vector of the highest-priority request, in service now; spurious IRQ 7 (or 15) when none. */
  acknowledge(): number {
    const m = this.master;
    const irq = m.pending();
    if (irq < 0) return m.irqBase + SPURIOUS;
    let vector: number;
    if (irq === CASCADE_IRQ) {
      const s = this.slave;
      const irq2 = s.pending();
      if (irq2 >= 0) s.intack(irq2);
      vector = s.irqBase + (irq2 >= 0 ? irq2 : SPURIOUS);
    } else vector = m.irqBase + irq;
    m.intack(irq);
    return vector;
  }

  /** Ports 0x20-0x21 or 0xa0-0xa1 (byte registers). */
  region(chip: I8259): RegionHandler {
    return byteRegisters(
      (off) => chip.read(off & 1),
      (off, v) => (off & 1 ? chip.writeData(v) : chip.writeCommand(v)),
    );
  }

  /** ELCR1 at 0x4d0 or ELCR2 at 0x4d1 (one byte port per chip). */
  elcrRegion(chip: I8259): RegionHandler {
    return byteRegisters(
      () => chip.elcr,
      (_off, v) => void (chip.elcr = v & chip.elcrMask),
    );
  }
}
