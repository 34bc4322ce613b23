/**
 * The I/O APIC at 0xfec00000 (Intel 82093AA datasheet; ICH9 datasheet
 * §5.10, §13.5), version 0x20 with 24 inputs, as QEMU 7.2 models it
 * (hw/intc/ioapic.c):
 *
 *   0x00  IOREGSEL: the register IOWIN reaches
 *   0x10  IOWIN: 0x00 ID (bits 27:24), 0x01 version (0x170020), 0x02
 *         arbitration ID (the ID), 0x10 + 2n / 0x11 + 2n redirection entry n
 *   0x40  EOI: a vector; clears Remote IRR of level entries with that vector
 *
 * A redirection entry (82093AA §3.2.4): vector 7:0, delivery mode 10:8,
 * destination mode 11, delivery status 12 (read-only), polarity 13, remote
 * IRR 14 (read-only), trigger mode 15, mask 16, destination 63:56. Delivery
 * is an MSI-format message to the APIC bus (QEMU ioapic_service); ExtINT
 * entries take their vector from the 8259 pair. Input 0 is wired to pin 2,
 * as QEMU wires IRQ 0. Edge inputs fire on a rising level while unmasked;
 * level inputs fire while high, once per EOI (Remote IRR).
 */
import type { RegionHandler, Width } from '../../bus/types.js';

export const IOAPIC_BASE = 0xfec0_0000;
export const IOAPIC_SIZE = 0x1000;
export const IOAPIC_PINS = 24;
const IOREGSEL = 0x00;
const IOWIN = 0x10;
const EOI = 0x40;
const REG_ID = 0x00;
const REG_VER = 0x01;
const REG_ARB = 0x02;
const REG_REDTBL = 0x10;
const VERSION = 0x20;
const ID_SHIFT = 24;
const ID_MASK = 0xf;

const VECTOR_MASK = 0xff;
const DELIV_MODE_SHIFT = 8;
const DM_EXTINT = 7;
const DEST_MODE_SHIFT = 11;
const DELIV_STATUS = 1 << 12;
const REMOTE_IRR = 1 << 14;
const TRIGGER_LEVEL = 1 << 15;
const MASKED = 1 << 16;
/** Read-only bits of the low dword. */
const RO_BITS = DELIV_STATUS | REMOTE_IRR;

export interface IoApicWiring {
  /** An interrupt message (MSI address and data) to the local APICs. */
  readonly send: (address: number, data: number) => void;
  /** The 8259 pair's INTA cycle, for ExtINT entries. */
  readonly picVector: () => number;
}

export class IoApic {
  id = 0;
  private ioregsel = 0;
  /** Pending requests, one bit per pin. */
  private irr = 0;
  /** Input levels (to fire edges only on a rising level). */
  private levels = 0;
  /** Redirection entries, low and high dwords. */
  readonly lo = new Uint32Array(IOAPIC_PINS);
  readonly hi = new Uint32Array(IOAPIC_PINS);
  readonly region: RegionHandler;

  constructor(private readonly wiring: IoApicWiring) {
    this.region = { read: (off, width) => this.read(off, width), write: (off, width, value) => this.write(off, width, value) };
    this.reset();
  }

  /** QEMU ioapic_reset_common: ID 0, every entry masked. */
  reset(): void {
    this.id = 0;
    this.ioregsel = 0;
    this.irr = 0;
    this.lo.fill(MASKED);
    this.hi.fill(0);
  }

  /** An input's level (GSI n drives input n; input 0, the ISA timer, is pin 2). */
  setInput(input: number, level: boolean): void {
    const pin = input === 0 ? 2 : input;
    if (pin >= IOAPIC_PINS) return;
    const bit = 1 << pin;
    const rising = level && !(this.levels & bit);
    this.levels = level ? this.levels | bit : this.levels & ~bit;
    const entry = this.lo[pin]!;
    if (entry & TRIGGER_LEVEL) {
      if (level) {
        this.irr |= bit;
        if (!(entry & REMOTE_IRR)) this.service();
      } else this.irr &= ~bit;
    } else if (rising && !(entry & MASKED)) {
      // 82093AA: edge requests on a masked pin are ignored.
      this.irr |= bit;
      this.service();
    }
  }

  /** Delivers every pending, unmasked request (QEMU ioapic_service). */
  private service(): void {
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const bit = 1 << pin;
      if (!(this.irr & bit)) continue;
      const entry = this.lo[pin]!;
      if (entry & MASKED) continue;
      if (entry & TRIGGER_LEVEL) {
        // Still being handled (no EOI yet): nothing new to send.
        if (entry & REMOTE_IRR) continue;
        this.lo[pin] = entry | REMOTE_IRR;
      } else this.irr &= ~bit;
      const mode = (entry >> DELIV_MODE_SHIFT) & 7;
      const vector = mode === DM_EXTINT ? this.wiring.picVector() : entry & VECTOR_MASK;
      // The entry as an MSI (QEMU ioapic_entry_parse): destination in address bits 19:4, mode in bit 2.
      const destIdx = this.hi[pin]! >>> 16;
      const address = (0xfee0_0000 | (destIdx << 4) | (((entry >> DEST_MODE_SHIFT) & 1) << 2)) >>> 0;
      const data = vector | (mode << 8) | (entry & TRIGGER_LEVEL);
      this.wiring.send(address, data);
    }
  }

  /** A local APIC's EOI for `vector` (or a write of the EOI register): level entries with that vector may fire again. */
  eoi(vector: number): void {
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const entry = this.lo[pin]!;
      if ((entry & VECTOR_MASK) !== vector || !(entry & TRIGGER_LEVEL) || !(entry & REMOTE_IRR)) continue;
      this.lo[pin] = entry & ~REMOTE_IRR;
    }
    this.service();
  }

  private readRegister(): number {
    const sel = this.ioregsel;
    if (sel === REG_ID) return (this.id << ID_SHIFT) >>> 0;
    if (sel === REG_VER) return VERSION | ((IOAPIC_PINS - 1) << 16);
    if (sel === REG_ARB) return (this.id << ID_SHIFT) >>> 0;
    const n = (sel - REG_REDTBL) >> 1;
    if (sel >= REG_REDTBL && n < IOAPIC_PINS) return sel & 1 ? this.hi[n]! : this.lo[n]!;
    return 0;
  }

  private writeRegister(v: number): void {
    const sel = this.ioregsel;
    if (sel === REG_ID) {
      this.id = (v >>> ID_SHIFT) & ID_MASK;
      return;
    }
    const n = (sel - REG_REDTBL) >> 1;
    if (sel < REG_REDTBL || n >= IOAPIC_PINS) return;
    if (sel & 1) this.hi[n] = v;
    else {
      let entry = ((v & ~RO_BITS) | (this.lo[n]! & RO_BITS)) >>> 0;
      // Edge entries have no Remote IRR.
      if (!(entry & TRIGGER_LEVEL)) entry &= ~REMOTE_IRR;
      this.lo[n] = entry;
    }
    this.service();
  }

  private read(off: number, width: Width): number {
    switch (off & 0xff) {
      case IOREGSEL:
        return this.ioregsel;
      case IOWIN:
        return width === 4 ? this.readRegister() : 0;
      default:
        return 0;
    }
  }

  private write(off: number, width: Width, value: number): void {
    switch (off & 0xff) {
      case IOREGSEL:
        this.ioregsel = value & 0xff;
        break;
      case IOWIN:
        if (width === 4) this.writeRegister(value >>> 0);
        break;
      case EOI:
        this.eoi(value & 0xff);
        break;
    }
  }
}
