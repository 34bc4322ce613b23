/**
 * System control port A at 0x92 (ICH9 datasheet §13.7.2, "fast A20 and
 * init"), as QEMU 7.2 models it (hw/i386/port92.c):
 *
 *   bit 0  INIT_NOW: writing 1 resets the machine (reads back 0 after reset)
 *   bit 1  ALT_A20_GATE: the A20 gate
 *
 * Every write drives the A20 line from bit 1 (as QEMU does, the last of
 * port 0x92 and the i8042 output port to be written decides A20).
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';

export const PORT_92 = 0x92;
const INIT_NOW = 0x01;
const A20 = 0x02;

export interface Port92Wiring {
  readonly a20: (enabled: boolean) => void;
  readonly reset: () => void;
}

export class Port92 {
  private outport = 0;
  readonly region: RegionHandler;

  constructor(private readonly wiring: Port92Wiring) {
    this.region = byteRegisters(
      () => this.outport,
      (_off, v) => this.write(v),
    );
  }

  /** QEMU port92_reset: INIT_NOW reads back 0. */
  reset(): void {
    this.outport &= ~INIT_NOW;
  }

  private write(v: number): void {
    const old = this.outport;
    this.outport = v;
    this.wiring.a20((v & A20) !== 0);
    if (v & INIT_NOW && !(old & INIT_NOW)) this.wiring.reset();
  }
}
