/**
 * A 16550A UART (National Semiconductor PC16550D datasheet), as QEMU 7.2's
 * isa-serial models it (hw/char/serial.c): COM1 at 0x3f8, IRQ 4.
 *
 *   +0  RBR (read) / THR (write); with LCR.DLAB the divisor latch low byte
 *   +1  IER (bits 3:0); with DLAB the divisor latch high byte
 *   +2  IIR (read) / FCR (write): 16-byte FIFOs, receive trigger level
 *   +3  LCR   +4  MCR (bits 4:0; LOOP loops the transmitter back)
 *   +5  LSR   +6  MSR (DCD, DSR, CTS asserted)   +7  SCR
 *
 * Transmission takes no time, as on QEMU: a byte written to THR goes to the
 * sink at once and THRE/TEMT come straight back, raising the THR-empty
 * interrupt when IER enables it. Received bytes (`receive`) fill the RBR or
 * the receive FIFO, with the character timeout after four character times.
 * Interrupt priority: line status, character timeout, received data, THR
 * empty, modem status (QEMU serial_update_irq).
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';
import type { Timer, VirtualClock } from '../../time/clock.js';
import { NS_PER_SECOND } from '../../time/units.js';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;
export const UART_SIZE = 8;

const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IER_RLSI = 0x04;
const IER_MSI = 0x08;
const IIR_NO_INT = 0x01;
const IIR_ID = 0x06;
const IIR_MSI = 0x00;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_RLSI = 0x06;
const IIR_CTI = 0x0c;
const IIR_FE = 0xc0;
const FCR_FE = 0x01;
const FCR_RFR = 0x02;
const FCR_XFR = 0x04;
const FCR_STICKY = 0xc9;
const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
const MCR_OUT2 = 0x08;
const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_BI = 0x10;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
/** LSR bits that raise the line status interrupt. */
const LSR_INT_ANY = 0x1e;
const MSR_DCD = 0x80;
const MSR_DSR = 0x20;
const MSR_CTS = 0x10;
const MSR_ANY_DELTA = 0x0f;
const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];

export interface UartWiring {
  readonly clock: VirtualClock;
  readonly irq: (level: boolean) => void;
  /** Every transmitted byte (COM1 output). */
  readonly sink: (byte: number) => void;
}

export class Uart16550 {
  rbr = 0;
  ier = 0;
  iir = IIR_NO_INT;
  lcr = 0;
  mcr = MCR_OUT2;
  lsr = LSR_TEMT | LSR_THRE;
  msr = MSR_DCD | MSR_DSR | MSR_CTS;
  scr = 0;
  fcr = 0;
  divider = 0x0c;
  private thrIpending = false;
  private timeoutIpending = false;
  private recvFifo: number[] = [];
  private recvTriggerLevel = 1;
  private readonly fifoTimeout: Timer;
  readonly region: RegionHandler;

  constructor(private readonly wiring: UartWiring) {
    this.fifoTimeout = wiring.clock.timer('uart-fifo-timeout', () => {
      if (this.recvFifo.length) {
        this.timeoutIpending = true;
        this.updateIrq();
      }
    });
    this.region = byteRegisters(
      (off) => this.read(off & 7),
      (off, v) => this.write(off & 7, v),
    );
  }

  reset(): void {
    this.rbr = 0;
    this.ier = 0;
    this.iir = IIR_NO_INT;
    this.lcr = 0;
    this.lsr = LSR_TEMT | LSR_THRE;
    this.msr = MSR_DCD | MSR_DSR | MSR_CTS;
    this.divider = 0x0c;
    this.mcr = MCR_OUT2;
    this.scr = 0;
    this.fcr = 0;
    this.timeoutIpending = false;
    this.thrIpending = false;
    this.recvFifo = [];
    this.fifoTimeout.clear();
    this.wiring.irq(false);
  }

  /** Ten bits (start, 8 data, stop) at the programmed rate. */
  private charTime(): number {
    const baud = 115200 / Math.max(1, this.divider);
    return Math.floor((NS_PER_SECOND / baud) * 10);
  }

  private updateIrq(): void {
    let id = IIR_NO_INT;
    if (this.ier & IER_RLSI && this.lsr & LSR_INT_ANY) id = IIR_RLSI;
    else if (this.ier & IER_RDI && this.timeoutIpending) id = IIR_CTI;
    else if (this.ier & IER_RDI && this.lsr & LSR_DR && (!(this.fcr & FCR_FE) || this.recvFifo.length >= this.recvTriggerLevel)) id = IIR_RDI;
    else if (this.ier & IER_THRI && this.thrIpending) id = IIR_THRI;
    else if (this.ier & IER_MSI && this.msr & MSR_ANY_DELTA) id = IIR_MSI;
    this.iir = id | (this.iir & 0xf0);
    this.wiring.irq(id !== IIR_NO_INT);
  }

  /** How many bytes the line can take now without an overrun (host input waits for room, as QEMU's character backends do). */
  canReceive(): number {
    if (this.mcr & MCR_LOOP) return 0;
    if (this.fcr & FCR_FE) return FIFO_SIZE - this.recvFifo.length;
    return this.lsr & LSR_DR ? 0 : 1;
  }

  /** Bytes arriving on the line (host input). */
  receive(bytes: readonly number[]): void {
    if (bytes.length === 0) return;
    if (this.fcr & FCR_FE) {
      for (const b of bytes) {
        if (this.recvFifo.length < FIFO_SIZE) this.recvFifo.push(b & 0xff);
        else this.lsr |= LSR_OE;
      }
      this.lsr |= LSR_DR;
      this.fifoTimeout.set(this.wiring.clock.now() + this.charTime() * 4);
    } else {
      if (this.lsr & LSR_DR) this.lsr |= LSR_OE;
      this.rbr = bytes[bytes.length - 1]! & 0xff;
      this.lsr |= LSR_DR;
    }
    this.updateIrq();
  }

  /** Sends the byte in THR (QEMU serial_xmit: no transmit time). */
  private transmit(b: number): void {
    this.lsr |= LSR_THRE;
    if (!this.thrIpending) {
      this.thrIpending = true;
      this.updateIrq();
    }
    if (this.mcr & MCR_LOOP) this.receive([b]);
    else this.wiring.sink(b);
    this.lsr |= LSR_TEMT;
  }

  private read(off: number): number {
    switch (off) {
      case 0: {
        if (this.lcr & LCR_DLAB) return this.divider & 0xff;
        let ret: number;
        if (this.fcr & FCR_FE) {
          ret = this.recvFifo.shift() ?? 0;
          if (this.recvFifo.length === 0) this.lsr &= ~(LSR_DR | LSR_BI);
          else this.fifoTimeout.set(this.wiring.clock.now() + this.charTime() * 4);
          this.timeoutIpending = false;
        } else {
          ret = this.rbr;
          this.lsr &= ~(LSR_DR | LSR_BI);
        }
        this.updateIrq();
        return ret;
      }
      case 1:
        return this.lcr & LCR_DLAB ? (this.divider >> 8) & 0xff : this.ier;
      case 2: {
        const ret = this.iir;
        if ((ret & IIR_ID) === IIR_THRI) {
          this.thrIpending = false;
          this.updateIrq();
        }
        return ret;
      }
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5: {
        const ret = this.lsr;
        if (this.lsr & (LSR_BI | LSR_OE)) {
          this.lsr &= ~(LSR_BI | LSR_OE);
          this.updateIrq();
        }
        return ret;
      }
      case 6:
        if (this.mcr & MCR_LOOP) return ((this.mcr & 0x0c) << 4) | ((this.mcr & 0x02) << 3) | ((this.mcr & 0x01) << 5);
        return this.msr;
      default:
        return this.scr;
    }
  }

  private write(off: number, v: number): void {
    switch (off) {
      case 0:
        if (this.lcr & LCR_DLAB) {
          this.divider = (this.divider & 0xff00) | v;
          return;
        }
        this.thrIpending = false;
        this.lsr &= ~(LSR_THRE | LSR_TEMT);
        this.updateIrq();
        this.transmit(v);
        return;
      case 1: {
        if (this.lcr & LCR_DLAB) {
          this.divider = (this.divider & 0x00ff) | (v << 8);
          return;
        }
        const changed = (this.ier ^ v) & 0x0f;
        this.ier = v & 0x0f;
        // Enabling THRI with THR empty raises the interrupt again (QEMU, as Windows expects).
        if (changed & IER_THRI) this.thrIpending = (this.ier & IER_THRI) !== 0 && (this.lsr & LSR_THRE) !== 0;
        if (changed) this.updateIrq();
        return;
      }
      case 2: {
        if ((v ^ this.fcr) & FCR_FE) v |= FCR_XFR | FCR_RFR;
        if (v & FCR_RFR) {
          this.lsr &= ~(LSR_DR | LSR_BI);
          this.fifoTimeout.clear();
          this.timeoutIpending = false;
          this.recvFifo = [];
        }
        if (v & FCR_XFR) {
          this.lsr |= LSR_THRE;
          this.thrIpending = true;
        }
        this.fcr = v & FCR_STICKY;
        if (this.fcr & FCR_FE) {
          this.iir |= IIR_FE;
          this.recvTriggerLevel = TRIGGER_LEVELS[(this.fcr >> 6) & 3]!;
        } else this.iir &= ~IIR_FE;
        this.updateIrq();
        return;
      }
      case 3:
        this.lcr = v;
        return;
      case 4:
        this.mcr = v & 0x1f;
        return;
      case 7:
        this.scr = v;
        return;
      default:
        return;
    }
  }
}
