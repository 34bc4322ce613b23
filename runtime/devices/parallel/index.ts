/**
 * The parallel port LPT1 at 0x378, IRQ 7, as QEMU 7.2's isa-parallel answers
 * it without a host parallel port (hw/char/parallel.c, "sw" handlers):
 *
 *   +0  data (reads back the last byte written, or the input latch with DIR)
 *   +1  status: nBUSY, nACK, SELECT, nERROR, TIMEOUT; reading it steps the
 *       handshake QEMU fakes after a strobe, and clears the interrupt
 *   +2  control: STROBE, AUTOLF, nINIT, SELECT, IRQ enable, DIR (bits 7:6 read 1)
 *   +3..+7  EPP registers: not modelled, read 0xff
 *
 * A strobe's rising edge with SELECT and nINIT high prints the data byte
 * to the sink. SeaBIOS's probe writes 0xaa to the data port and reads it back.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';

export const LPT1_BASE = 0x378;
export const LPT1_IRQ = 7;
export const LPT_SIZE = 8;

const REG_DATA = 0;
const REG_STS = 1;
const REG_CTR = 2;
const STS_TMOUT = 0x01;
const STS_ERROR = 0x08;
const STS_ONLINE = 0x10;
const STS_ACK = 0x40;
const STS_BUSY = 0x80;
const CTR_STROBE = 0x01;
const CTR_INIT = 0x04;
const CTR_SELECT = 0x08;
const CTR_INTEN = 0x10;
const CTR_DIR = 0x20;
const CTR_ONES = 0xc0;

export interface ParallelWiring {
  readonly irq: (level: boolean) => void;
  /** Bytes printed (strobed out). */
  readonly sink?: (byte: number) => void;
}

export class ParallelPort {
  datar = 0xff;
  dataw = 0xff;
  status = 0;
  control = 0;
  private irqPending = false;
  readonly region: RegionHandler;

  constructor(private readonly wiring: ParallelWiring) {
    this.region = byteRegisters(
      (off) => this.read(off & 7),
      (off, v) => this.write(off & 7, v),
    );
    this.reset();
  }

  reset(): void {
    this.datar = 0xff;
    this.dataw = 0xff;
    this.status = STS_BUSY | STS_ACK | STS_ONLINE | STS_ERROR | STS_TMOUT;
    this.control = CTR_SELECT | CTR_INIT | CTR_ONES;
    this.irqPending = false;
    this.wiring.irq(false);
  }

  private read(off: number): number {
    switch (off) {
      case REG_DATA:
        return this.control & CTR_DIR ? this.datar : this.dataw;
      case REG_STS: {
        const ret = this.status;
        this.irqPending = false;
        if (!(this.status & STS_BUSY) && !(this.control & CTR_STROBE)) {
          if (this.status & STS_ACK) this.status &= ~STS_ACK;
          else this.status |= STS_ACK | STS_BUSY;
        }
        this.wiring.irq(this.irqPending);
        return ret;
      }
      case REG_CTR:
        return this.control;
      default:
        return 0xff;
    }
  }

  private write(off: number, v: number): void {
    if (off === REG_DATA) {
      this.dataw = v;
      this.wiring.irq(this.irqPending);
      return;
    }
    if (off !== REG_CTR) return;
    v |= CTR_ONES;
    if (!(v & CTR_INIT)) this.status = STS_BUSY | STS_ACK | STS_ONLINE | STS_ERROR;
    else if (v & CTR_SELECT) {
      if (v & CTR_STROBE) {
        this.status &= ~STS_BUSY;
        if (!(this.control & CTR_STROBE)) this.wiring.sink?.(this.dataw);
      } else if (this.control & CTR_INTEN) this.irqPending = true;
    }
    this.wiring.irq(this.irqPending);
    this.control = v;
  }
}
