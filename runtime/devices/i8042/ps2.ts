/**
 * PS/2 devices behind the i8042 (IBM PS/2 Technical Reference; QEMU 7.2
 * hw/input/ps2.c): an MF2 keyboard and a mouse (with IntelliMouse and
 * Explorer detection). Each keeps a queue of bytes for the controller:
 * replies to commands go ahead of scan codes or motion packets already
 * waiting (QEMU's command-reply queue), and scan data stops at 16 bytes.
 * Reading an empty queue returns the last byte again, as QEMU does.
 */

const QUEUE_SIZE = 16;

// Keyboard commands and replies.
const KBD_CMD_SET_LEDS = 0xed;
const KBD_CMD_ECHO = 0xee;
const KBD_CMD_SCANCODE = 0xf0;
const KBD_CMD_GET_ID = 0xf2;
const KBD_CMD_SET_RATE = 0xf3;
const KBD_CMD_ENABLE = 0xf4;
const KBD_CMD_RESET_DISABLE = 0xf5;
const KBD_CMD_RESET_ENABLE = 0xf6;
const KBD_CMD_SET_TYPEMATIC = 0xf7;
const KBD_CMD_SET_MAKE_BREAK = 0xfc;
const KBD_CMD_RESET = 0xff;
const KBD_REPLY_POR = 0xaa;
const KBD_REPLY_ID = 0xab;
export const KBD_REPLY_ACK = 0xfa;
const KBD_REPLY_RESEND = 0xfe;
/** What "get scan code set" reports for sets 1-3 when the controller translates (QEMU translate_table). */
const TRANSLATED_SET = [0xff, 0x43, 0x41, 0x3f];

// Mouse commands.
const AUX_SET_SCALE11 = 0xe6;
const AUX_SET_SCALE21 = 0xe7;
const AUX_SET_RES = 0xe8;
const AUX_GET_SCALE = 0xe9;
const AUX_SET_STREAM = 0xea;
const AUX_POLL = 0xeb;
const AUX_RESET_WRAP = 0xec;
const AUX_SET_WRAP = 0xee;
const AUX_SET_REMOTE = 0xf0;
const AUX_GET_TYPE = 0xf2;
const AUX_SET_SAMPLE = 0xf3;
const AUX_ENABLE_DEV = 0xf4;
const AUX_DISABLE_DEV = 0xf5;
const AUX_SET_DEFAULT = 0xf6;
const AUX_RESET = 0xff;
const AUX_ACK = 0xfa;
const MOUSE_STATUS_REMOTE = 0x40;
const MOUSE_STATUS_ENABLED = 0x20;
const MOUSE_STATUS_SCALE21 = 0x10;

/** A PS/2 device's output: command replies first, then data. */
export abstract class Ps2Device {
  protected replies: number[] = [];
  protected data: number[] = [];
  private last = 0;
  /** The command byte whose parameter comes next, or -1. */
  protected writeCmd = -1;
  /** Data is waiting (the controller's pending bit for this port). */
  onPending: (pending: boolean) => void = () => undefined;

  get count(): number {
    return this.replies.length + this.data.length;
  }

  protected reply(...bytes: number[]): void {
    this.replies.push(...bytes);
    this.onPending(true);
  }

  /** Queues device data (scan codes, motion packets); dropped when 16 bytes wait. */
  protected queue(b: number): void {
    if (this.count >= QUEUE_SIZE) return;
    this.data.push(b & 0xff);
    this.onPending(true);
  }

  read(): number {
    const b = this.replies.length ? this.replies.shift() : this.data.shift();
    if (b === undefined) return this.last;
    this.last = b;
    this.onPending(this.count !== 0);
    return b;
  }

  protected resetQueue(): void {
    this.replies = [];
    this.data = [];
    this.writeCmd = -1;
    this.onPending(false);
  }

  abstract write(val: number): void;
  abstract reset(): void;
}

export class Ps2Keyboard extends Ps2Device {
  scanEnabled = true;
  /** The controller translates to scan code set 1 (i8042 mode byte bit 6). */
  translate = false;
  scancodeSet = 2;
  ledState = 0;

  /** Device reset (QEMU ps2_kbd_reset). */
  reset(): void {
    this.resetQueue();
    this.scanEnabled = true;
    this.translate = false;
    this.scancodeSet = 2;
  }

  /** The keyboard's own reset command (QEMU ps2_reset_keyboard). */
  private resetKeyboard(): void {
    this.scanEnabled = true;
    this.scancodeSet = 2;
    this.replies = [];
    this.data = [];
    this.ledState = 0;
  }

  write(val: number): void {
    switch (this.writeCmd) {
      case KBD_CMD_SET_MAKE_BREAK:
      case KBD_CMD_SET_RATE:
        this.writeCmd = -1;
        this.reply(KBD_REPLY_ACK);
        return;
      case KBD_CMD_SCANCODE:
        this.writeCmd = -1;
        if (val === 0) this.reply(KBD_REPLY_ACK, this.translate ? TRANSLATED_SET[this.scancodeSet]! : this.scancodeSet);
        else if (val >= 1 && val <= 3) {
          this.scancodeSet = val;
          this.reply(KBD_REPLY_ACK);
        } else this.reply(KBD_REPLY_RESEND);
        return;
      case KBD_CMD_SET_LEDS:
        this.writeCmd = -1;
        this.ledState = val;
        this.reply(KBD_REPLY_ACK);
        return;
    }
    switch (val) {
      case 0x00:
        this.reply(KBD_REPLY_ACK);
        break;
      case 0x05:
        this.reply(KBD_REPLY_RESEND);
        break;
      case KBD_CMD_GET_ID:
        // An MF2 AT keyboard.
        this.reply(KBD_REPLY_ACK, KBD_REPLY_ID, this.translate ? 0x41 : 0x83);
        break;
      case KBD_CMD_ECHO:
        this.reply(KBD_CMD_ECHO);
        break;
      case KBD_CMD_ENABLE:
        this.scanEnabled = true;
        this.reply(KBD_REPLY_ACK);
        break;
      case KBD_CMD_SCANCODE:
      case KBD_CMD_SET_LEDS:
      case KBD_CMD_SET_RATE:
      case KBD_CMD_SET_MAKE_BREAK:
        this.writeCmd = val;
        this.reply(KBD_REPLY_ACK);
        break;
      case KBD_CMD_RESET_DISABLE:
        this.resetKeyboard();
        this.scanEnabled = false;
        this.reply(KBD_REPLY_ACK);
        break;
      case KBD_CMD_RESET_ENABLE:
        this.resetKeyboard();
        this.scanEnabled = true;
        this.reply(KBD_REPLY_ACK);
        break;
      case KBD_CMD_RESET:
        this.resetKeyboard();
        this.reply(KBD_REPLY_ACK, KBD_REPLY_POR);
        break;
      case KBD_CMD_SET_TYPEMATIC:
        this.reply(KBD_REPLY_ACK);
        break;
      default:
        this.reply(KBD_REPLY_RESEND);
        break;
    }
  }

  /** Key bytes from the host, in the code set the guest sees (ignored while scanning is off). */
  sendScancodes(bytes: readonly number[]): void {
    if (!this.scanEnabled) return;
    for (const b of bytes) this.queue(b);
  }
}

export class Ps2Mouse extends Ps2Device {
  status = 0;
  resolution = 0;
  sampleRate = 0;
  wrap = false;
  /** 0 PS/2, 3 IntelliMouse, 4 IntelliMouse Explorer. */
  type = 0;
  private detectState = 0;
  private dx = 0;
  private dy = 0;
  private dz = 0;
  buttons = 0;

  reset(): void {
    this.resetQueue();
    this.status = 0;
    this.resolution = 0;
    this.sampleRate = 0;
    this.wrap = false;
    this.type = 0;
    this.detectState = 0;
    this.dx = this.dy = this.dz = 0;
    this.buttons = 0;
  }

  write(val: number): void {
    if (this.writeCmd === AUX_SET_SAMPLE) {
      this.sampleRate = val;
      // 200, 100, 80 selects IntelliMouse; 200, 200, 80 the Explorer.
      switch (this.detectState) {
        case 1:
          this.detectState = val === 100 ? 2 : val === 200 ? 3 : 0;
          break;
        case 2:
          if (val === 80) this.type = 3;
          this.detectState = 0;
          break;
        case 3:
          if (val === 80) this.type = 4;
          this.detectState = 0;
          break;
        default:
          if (val === 200) this.detectState = 1;
      }
      this.writeCmd = -1;
      this.reply(AUX_ACK);
      return;
    }
    if (this.writeCmd === AUX_SET_RES) {
      this.resolution = val;
      this.writeCmd = -1;
      this.reply(AUX_ACK);
      return;
    }
    if (this.wrap) {
      if (val === AUX_RESET_WRAP) {
        this.wrap = false;
        this.reply(AUX_ACK);
        return;
      }
      if (val !== AUX_RESET) {
        this.reply(val);
        return;
      }
    }
    switch (val) {
      case AUX_SET_SCALE11:
        this.status &= ~MOUSE_STATUS_SCALE21;
        this.reply(AUX_ACK);
        break;
      case AUX_SET_SCALE21:
        this.status |= MOUSE_STATUS_SCALE21;
        this.reply(AUX_ACK);
        break;
      case AUX_SET_STREAM:
        this.status &= ~MOUSE_STATUS_REMOTE;
        this.reply(AUX_ACK);
        break;
      case AUX_SET_WRAP:
        this.wrap = true;
        this.reply(AUX_ACK);
        break;
      case AUX_SET_REMOTE:
        this.status |= MOUSE_STATUS_REMOTE;
        this.reply(AUX_ACK);
        break;
      case AUX_GET_TYPE:
        this.reply(AUX_ACK, this.type);
        break;
      case AUX_SET_RES:
      case AUX_SET_SAMPLE:
        this.writeCmd = val;
        this.reply(AUX_ACK);
        break;
      case AUX_GET_SCALE:
        this.reply(AUX_ACK, this.status, this.resolution, this.sampleRate);
        break;
      case AUX_POLL:
        this.reply(AUX_ACK);
        this.sendPacket();
        break;
      case AUX_ENABLE_DEV:
        this.status |= MOUSE_STATUS_ENABLED;
        this.reply(AUX_ACK);
        break;
      case AUX_DISABLE_DEV:
        this.status &= ~MOUSE_STATUS_ENABLED;
        this.reply(AUX_ACK);
        break;
      case AUX_SET_DEFAULT:
        this.sampleRate = 100;
        this.resolution = 2;
        this.status = 0;
        this.reply(AUX_ACK);
        break;
      case AUX_RESET:
        this.sampleRate = 100;
        this.resolution = 2;
        this.status = 0;
        this.type = 0;
        this.reply(AUX_ACK, 0xaa, this.type);
        break;
      default:
        break;
    }
  }

  /** Relative motion and buttons from the host (stream mode sends packets while enabled). */
  move(dx: number, dy: number, dz: number, buttons: number): void {
    if (!(this.status & MOUSE_STATUS_ENABLED)) return;
    this.dx += dx;
    this.dy -= dy;
    this.dz += dz;
    this.buttons = buttons;
    if (this.status & MOUSE_STATUS_REMOTE) return;
    for (let guard = 0; guard < 8 && this.count < QUEUE_SIZE - 4; guard++) {
      this.sendPacket();
      if (!this.dx && !this.dy && !this.dz) break;
    }
  }

  private sendPacket(): void {
    const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
    const dx = clamp(this.dx, 127);
    const dy = clamp(this.dy, 127);
    let dz = 0;
    this.queue(0x08 | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0) | (this.buttons & 0x07));
    this.queue(dx & 0xff);
    this.queue(dy & 0xff);
    if (this.type === 3) {
      dz = clamp(this.dz, 127);
      this.queue(dz & 0xff);
    } else if (this.type === 4) {
      dz = clamp(this.dz, 7);
      this.queue((dz & 0x0f) | ((this.buttons & 0x18) << 1));
    }
    this.dx -= dx;
    this.dy -= dy;
    this.dz -= dz;
  }
}
