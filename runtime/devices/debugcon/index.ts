/**
 * The ISA debug console (QEMU's isa-debugcon, hw/char/debugcon.c): one port,
 * 0x402 on machines machc builds (0xe9 by default on QEMU). Every byte
 * written goes to the sink; a read returns the "readback" value, 0xe9,
 * which is how SeaBIOS finds out that the port is there before it logs.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';

export const DEBUGCON_PORT = 0x402;
export const DEBUGCON_READBACK = 0xe9;

export class DebugCon {
  readonly region: RegionHandler;

  constructor(sink: (byte: number) => void, readback = DEBUGCON_READBACK) {
    this.region = byteRegisters(
      () => readback,
      (_off, v) => sink(v),
    );
  }
}
