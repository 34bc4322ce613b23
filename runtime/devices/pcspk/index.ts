/**
 * Port 0x61, NMI status and control (ICH9 datasheet §13.7.1; PC/AT port B),
 * as QEMU 7.2's PC speaker answers it (hw/audio/pcspk.c):
 *
 *   bit 0  timer counter 2 gate (read/write)
 *   bit 1  speaker data enable (read/write)
 *   bit 4  refresh cycle toggle: flips on every read
 *   bit 5  timer counter 2 OUT
 *
 * No sound is produced.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';
import type { I8254 } from '../i8254/index.js';

export const PORT_B = 0x61;
const GATE2 = 0x01;
const SPEAKER_DATA = 0x02;
const REFRESH = 0x10;
const OUT2 = 0x20;

export class PcSpeaker {
  private dataOn = false;
  private refresh = 0;
  readonly region: RegionHandler;

  constructor(private readonly pit: I8254) {
    this.region = byteRegisters(
      () => this.read(),
      (_off, v) => this.write(v),
    );
  }

  reset(): void {
    this.dataOn = false;
  }

  private read(): number {
    const ch = this.pit.channel2();
    this.refresh ^= REFRESH;
    return (ch.gate ? GATE2 : 0) | (this.dataOn ? SPEAKER_DATA : 0) | this.refresh | (ch.out ? OUT2 : 0);
  }

  private write(v: number): void {
    this.dataOn = (v & SPEAKER_DATA) !== 0;
    this.pit.setGate(2, (v & GATE2) !== 0);
  }
}
