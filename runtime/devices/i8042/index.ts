/**
 * The 8042 keyboard controller (IBM PC/AT Technical Reference; Linux's
 * drivers/input/serio/i8042.h), as QEMU 7.2 models it with its extended
 * state (hw/input/pckbd.c):
 *
 *   0x60  data: read the output buffer; write a device byte or a command's parameter
 *   0x64  status (read): OBF, SELFTEST, CMD, UNLOCKED, MOUSE_OBF; command (write)
 *
 * Controller commands: read/write the mode byte (0x20/0x60), disable/enable
 * the mouse (0xa7/0xa8) and keyboard (0xad/0xae) ports, self and interface
 * tests (0xaa returns 0x55; 0xa9, 0xab return 0), read the input port
 * (0xc0) and output port (0xd0), write the output port (0xd1: bit 1 drives
 * A20, bit 0 low resets the machine), write the output buffer as the
 * keyboard or mouse (0xd2/0xd3), send to the mouse (0xd4), A20 off/on
 * (0xdd/0xdf) and pulse reset (0xf0-0xfe). The output buffer is fed from
 * the controller's own replies first, then the keyboard, then the mouse;
 * IRQ 1 and IRQ 12 follow the buffer as the mode byte enables them.
 */
import { byteRegisters, type RegionHandler } from '../../bus/types.js';
import { Ps2Keyboard, Ps2Mouse } from './ps2.js';

export const I8042_DATA = 0x60;
export const I8042_STATUS = 0x64;
export const KBD_IRQ = 1;
export const MOUSE_IRQ = 12;

const CCMD_READ_MODE = 0x20;
const CCMD_WRITE_MODE = 0x60;
const CCMD_MOUSE_DISABLE = 0xa7;
const CCMD_MOUSE_ENABLE = 0xa8;
const CCMD_TEST_MOUSE = 0xa9;
const CCMD_SELF_TEST = 0xaa;
const CCMD_KBD_TEST = 0xab;
const CCMD_KBD_DISABLE = 0xad;
const CCMD_KBD_ENABLE = 0xae;
const CCMD_READ_INPORT = 0xc0;
const CCMD_READ_OUTPORT = 0xd0;
const CCMD_WRITE_OUTPORT = 0xd1;
const CCMD_WRITE_OBUF = 0xd2;
const CCMD_WRITE_AUX_OBUF = 0xd3;
const CCMD_WRITE_MOUSE = 0xd4;
const CCMD_DISABLE_A20 = 0xdd;
const CCMD_ENABLE_A20 = 0xdf;
const CCMD_PULSE_BITS_3_0 = 0xf0;
const CCMD_RESET = 0xfe;
const CCMD_NO_OP = 0xff;

export const STAT_OBF = 0x01;
const STAT_SELFTEST = 0x04;
const STAT_CMD = 0x08;
const STAT_UNLOCKED = 0x10;
export const STAT_MOUSE_OBF = 0x20;

const MODE_KBD_INT = 0x01;
const MODE_MOUSE_INT = 0x02;
const MODE_DISABLE_KBD = 0x10;
const MODE_DISABLE_MOUSE = 0x20;
const MODE_KCC = 0x40;

const OUT_RESET = 0x01;
export const OUT_A20 = 0x02;
const OUT_OBF = 0x10;
const OUT_MOUSE_OBF = 0x20;
/** QEMU sets the unused output-port bits. */
const OUT_ONES = 0xcc;

// Who has data for the output buffer (QEMU's pending bits, extended state).
const PENDING_CTRL_KBD = 0x04;
const PENDING_CTRL_AUX = 0x08;
const PENDING_KBD = MODE_DISABLE_KBD;
const PENDING_AUX = MODE_DISABLE_MOUSE;
const SRC_KBD = 1;
const SRC_MOUSE = 2;
const SRC_CTRL = 4;

export interface I8042Wiring {
  readonly irqKbd: (level: boolean) => void;
  readonly irqMouse: (level: boolean) => void;
  /** The output port's A20 bit was driven. */
  readonly a20: (enabled: boolean) => void;
  /** The guest pulsed the reset line. */
  readonly reset: () => void;
}

export class I8042 {
  readonly keyboard = new Ps2Keyboard();
  readonly mouse = new Ps2Mouse();
  private writeCmd = 0;
  status = 0;
  mode = 0;
  outport = 0;
  private pending = 0;
  private obsrc = 0;
  private obdata = 0;
  private cbdata = 0;
  /** Port 0x60. */
  readonly dataRegion: RegionHandler;
  /** Port 0x64. */
  readonly commandRegion: RegionHandler;

  constructor(private readonly wiring: I8042Wiring) {
    this.keyboard.onPending = (p) => this.devicePending(PENDING_KBD, p);
    this.mouse.onPending = (p) => this.devicePending(PENDING_AUX, p);
    this.dataRegion = byteRegisters(
      () => this.readData(),
      (_off, v) => this.writeData(v),
    );
    this.commandRegion = byteRegisters(
      () => this.status,
      (_off, v) => this.writeCommand(v),
    );
  }

  reset(): void {
    this.mode = MODE_KBD_INT | MODE_MOUSE_INT;
    this.status = STAT_CMD | STAT_UNLOCKED;
    this.outport = OUT_RESET | OUT_A20 | OUT_ONES;
    this.pending = 0;
    this.writeCmd = 0;
    this.keyboard.reset();
    this.mouse.reset();
    this.deassert();
  }

  /** Pending sources not held back by a disabled port. */
  private effectivePending(): number {
    return this.pending & (~this.mode | ~(PENDING_KBD | PENDING_AUX));
  }

  private updateLines(): void {
    let kbd = false;
    let mouse = false;
    if (this.status & STAT_OBF) {
      if (this.status & STAT_MOUSE_OBF) mouse = (this.mode & MODE_MOUSE_INT) !== 0;
      else kbd = (this.mode & MODE_KBD_INT) !== 0 && !(this.mode & MODE_DISABLE_KBD);
    }
    this.wiring.irqKbd(kbd);
    this.wiring.irqMouse(mouse);
  }

  private deassert(): void {
    this.status &= ~(STAT_OBF | STAT_MOUSE_OBF);
    this.outport &= ~(OUT_OBF | OUT_MOUSE_OBF);
    this.updateLines();
  }

  /** Fills the output buffer from the highest-priority source (QEMU kbd_update_irq). */
  private fill(): void {
    const pending = this.effectivePending();
    this.status &= ~(STAT_OBF | STAT_MOUSE_OBF);
    this.outport &= ~(OUT_OBF | OUT_MOUSE_OBF);
    if (pending) {
      this.status |= STAT_OBF;
      this.outport |= OUT_OBF;
      if (pending & PENDING_CTRL_KBD) this.obsrc = SRC_CTRL;
      else if (pending & PENDING_CTRL_AUX) {
        this.status |= STAT_MOUSE_OBF;
        this.outport |= OUT_MOUSE_OBF;
        this.obsrc = SRC_CTRL;
      } else if (pending & PENDING_KBD) this.obsrc = SRC_KBD;
      else {
        this.status |= STAT_MOUSE_OBF;
        this.outport |= OUT_MOUSE_OBF;
        this.obsrc = SRC_MOUSE;
      }
    }
    this.updateLines();
  }

  /** Refills the buffer only when it is empty (QEMU kbd_safe_update_irq). */
  private safeFill(): void {
    if (this.status & STAT_OBF) return;
    if (this.effectivePending()) this.fill();
  }

  private devicePending(bit: number, on: boolean): void {
    this.pending = on ? this.pending | bit : this.pending & ~bit;
    this.safeFill();
  }

  /** A byte from the controller itself, as if from the keyboard or the mouse port. */
  private queue(b: number, aux: boolean): void {
    this.cbdata = b & 0xff;
    this.pending &= ~(PENDING_CTRL_KBD | PENDING_CTRL_AUX);
    this.pending |= aux ? PENDING_CTRL_AUX : PENDING_CTRL_KBD;
    this.safeFill();
  }

  private dequeue(): number {
    this.pending &= ~(PENDING_CTRL_KBD | PENDING_CTRL_AUX);
    if (this.effectivePending()) this.fill();
    return this.cbdata;
  }

  private writeOutport(v: number): void {
    this.outport = v;
    this.wiring.a20((v & OUT_A20) !== 0);
    if (!(v & OUT_RESET)) this.wiring.reset();
  }

  private writeCommand(v: number): void {
    // Pulse commands: bit 0 low pulses the reset line; the others do nothing.
    if ((v & CCMD_PULSE_BITS_3_0) === CCMD_PULSE_BITS_3_0) v = v & 1 ? CCMD_NO_OP : CCMD_RESET;
    switch (v) {
      case CCMD_READ_MODE:
        this.queue(this.mode, false);
        break;
      case CCMD_WRITE_MODE:
      case CCMD_WRITE_OBUF:
      case CCMD_WRITE_AUX_OBUF:
      case CCMD_WRITE_MOUSE:
      case CCMD_WRITE_OUTPORT:
        this.writeCmd = v;
        break;
      case CCMD_MOUSE_DISABLE:
        this.mode |= MODE_DISABLE_MOUSE;
        break;
      case CCMD_MOUSE_ENABLE:
        this.mode &= ~MODE_DISABLE_MOUSE;
        this.safeFill();
        break;
      case CCMD_TEST_MOUSE:
      case CCMD_KBD_TEST:
        this.queue(0x00, false);
        break;
      case CCMD_SELF_TEST:
        this.status |= STAT_SELFTEST;
        this.queue(0x55, false);
        break;
      case CCMD_KBD_DISABLE:
        this.mode |= MODE_DISABLE_KBD;
        break;
      case CCMD_KBD_ENABLE:
        this.mode &= ~MODE_DISABLE_KBD;
        this.safeFill();
        break;
      case CCMD_READ_INPORT:
        this.queue(0x80, false);
        break;
      case CCMD_READ_OUTPORT:
        this.queue(this.outport, false);
        break;
      case CCMD_ENABLE_A20:
        this.outport |= OUT_A20;
        this.wiring.a20(true);
        break;
      case CCMD_DISABLE_A20:
        this.outport &= ~OUT_A20;
        this.wiring.a20(false);
        break;
      case CCMD_RESET:
        this.wiring.reset();
        break;
      default:
        break;
    }
  }

  private readData(): number {
    if (this.status & STAT_OBF) {
      this.deassert();
      if (this.obsrc & SRC_KBD) this.obdata = this.keyboard.read();
      else if (this.obsrc & SRC_MOUSE) this.obdata = this.mouse.read();
      else if (this.obsrc & SRC_CTRL) this.obdata = this.dequeue();
    }
    return this.obdata;
  }

  private writeData(v: number): void {
    switch (this.writeCmd) {
      case 0:
        this.keyboard.write(v);
        // Sending to the keyboard enables its port again.
        this.mode &= ~MODE_DISABLE_KBD;
        this.safeFill();
        break;
      case CCMD_WRITE_MODE:
        this.mode = v;
        this.keyboard.translate = (v & MODE_KCC) !== 0;
        this.updateLines();
        this.safeFill();
        break;
      case CCMD_WRITE_OBUF:
        this.queue(v, false);
        break;
      case CCMD_WRITE_AUX_OBUF:
        this.queue(v, true);
        break;
      case CCMD_WRITE_OUTPORT:
        this.writeOutport(v);
        break;
      case CCMD_WRITE_MOUSE:
        this.mouse.write(v);
        this.mode &= ~MODE_DISABLE_MOUSE;
        this.safeFill();
        break;
    }
    this.writeCmd = 0;
  }
}
