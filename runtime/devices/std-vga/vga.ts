/**
 * The VGA core of QEMU's standard VGA (IBM VGA Technical Reference; QEMU 7.2
 * hw/display/vga.c): the register file at 0x3b0-0x3df, the legacy memory
 * window 0xa0000-0xbffff over planar VRAM, and the Bochs VBE "DISPI"
 * extension at 0x1ce/0x1cf. No picture is produced; what the guest can read
 * back is what QEMU would give it.
 *
 *   0x3c0/0x3c1  attribute controller (index/data flip-flop, reset by 0x3da)
 *   0x3c2        misc output (write) / input status 0 (read)
 *   0x3c4/0x3c5  sequencer     0x3c7-0x3c9 DAC (read index, write index, data)
 *   0x3cc        misc output (read)   0x3ca feature control (read)
 *   0x3ce/0x3cf  graphics controller
 *   0x3d4/0x3d5  CRT controller (0x3b4/0x3b5 in monochrome addressing)
 *   0x3da        input status 1: retrace bits toggle on every read
 *
 * Memory: memory map select (GR6) picks the window; chain-4, odd/even and
 * planar access with the four latches, write modes 0-3, read modes 0-1,
 * rotation, set/reset, logical operations and the bit mask, as QEMU does.
 */
import { byteRegisters, type RegionHandler, type Width } from '../../bus/types.js';

export const VBE_DISPI_IOPORT_INDEX = 0x1ce;
export const VBE_DISPI_ID0 = 0xb0c0;
export const VBE_DISPI_ID5 = 0xb0c5;
export const VBE_DISPI_MAX_XRES = 16000;
export const VBE_DISPI_MAX_YRES = 12000;
export const VBE_DISPI_MAX_BPP = 32;
export const VBE_INDEX_ID = 0x0;
export const VBE_INDEX_XRES = 0x1;
export const VBE_INDEX_YRES = 0x2;
export const VBE_INDEX_BPP = 0x3;
export const VBE_INDEX_ENABLE = 0x4;
export const VBE_INDEX_BANK = 0x5;
export const VBE_INDEX_VIRT_WIDTH = 0x6;
export const VBE_INDEX_VIRT_HEIGHT = 0x7;
export const VBE_INDEX_X_OFFSET = 0x8;
export const VBE_INDEX_Y_OFFSET = 0x9;
/** Registers below this are plain; this one reads the VRAM size in 64 KiB units. */
export const VBE_INDEX_NB = 0xa;
export const VBE_INDEX_VIDEO_MEMORY_64K = 0xa;
export const VBE_ENABLED = 0x01;
export const VBE_GETCAPS = 0x02;
const VBE_8BIT_DAC = 0x20;
const VBE_NOCLEARMEM = 0x80;

// Register indexes.
const SEQ_CLOCK_MODE = 1;
const SEQ_PLANE_WRITE = 2;
const SEQ_MEMORY_MODE = 4;
const SR04_CHN_4M = 0x08;
const SR02_ALL_PLANES = 0x0f;
const GFX_SR_VALUE = 0;
const GFX_SR_ENABLE = 1;
const GFX_COMPARE_VALUE = 2;
const GFX_DATA_ROTATE = 3;
const GFX_PLANE_READ = 4;
const GFX_MODE = 5;
const GFX_MISC = 6;
const GFX_COMPARE_MASK = 7;
const GFX_BIT_MASK = 8;
const GR06_GRAPHICS_MODE = 0x01;
const CRTC_H_DISP = 0x01;
const CRTC_OVERFLOW = 0x07;
const CRTC_MAX_SCAN = 0x09;
const CRTC_V_DISP_END = 0x12;
const CRTC_OFFSET = 0x13;
const CRTC_MODE = 0x17;
const CRTC_LINE_COMPARE = 0x18;
const CRTC_V_SYNC_END = 0x11;
const MSR_COLOR_EMULATION = 0x01;
const ST01_V_RETRACE = 0x08;
const ST01_DISP_ENABLE = 0x01;
const AR_INDEX_MASK = 0x1f;
const AR_PALETTE_ENABLE = 0x20;
const AR_COUNT = 0x15;

/** Writable bits of each sequencer and graphics register (QEMU sr_mask, gr_mask). */
const SR_MASK = [0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0x00, 0x00, 0xff];
const GR_MASK = [0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

/** A 32-bit latch pattern: byte n is 0xff where bit n of `v` is set. */
function mask16(v: number): number {
  return ((v & 1 ? 0xff : 0) | (v & 2 ? 0xff00 : 0) | (v & 4 ? 0xff_0000 : 0) | (v & 8 ? 0xff00_0000 : 0)) >>> 0;
}

/**
 * Video memory, allocated on the first write (a machine that never draws
 * costs nothing); until then it reads zeros.
 */
export class Vram {
  private buf: Uint8Array | undefined;
  private buf32: Uint32Array | undefined;
  /** Called once when the memory gets allocated (the CPU may now map it directly). */
  onAllocate: (() => void) | undefined;
  constructor(readonly size: number) {}

  get allocated(): Uint8Array | undefined {
    return this.buf;
  }

  bytes(): Uint8Array {
    if (!this.buf) {
      this.buf = new Uint8Array(this.size);
      this.buf32 = new Uint32Array(this.buf.buffer);
      this.onAllocate?.();
    }
    return this.buf;
  }

  words(): Uint32Array {
    this.bytes();
    return this.buf32!;
  }

  get8(i: number): number {
    return this.buf ? this.buf[i]! : 0;
  }

  get32(i: number): number {
    return this.buf32 ? this.buf32[i]! : 0;
  }
}

export class VgaCore {
  readonly vram: Vram;
  readonly sr = new Uint8Array(8);
  readonly gr = new Uint8Array(16);
  readonly cr = new Uint8Array(256);
  readonly ar = new Uint8Array(AR_COUNT);
  readonly palette = new Uint8Array(768);
  readonly vbeRegs = new Uint16Array(VBE_INDEX_NB);
  srIndex = 0;
  grIndex = 0;
  crIndex = 0;
  arIndex = 0;
  arFlipFlop = false;
  msr = 0;
  fcr = 0;
  st00 = 0;
  st01 = 0;
  dacState = 0;
  dacSubIndex = 0;
  dacReadIndex = 0;
  dacWriteIndex = 0;
  private readonly dacCache = new Uint8Array(3);
  dac8bit = false;
  private latch = 0;
  vbeIndex = 0;
  private bankOffset = 0;
  private vbeLineOffset = 0;
  private vbeStartAddr = 0;
  /** 0x3c0-0x3cf and 0x3b4/0x3b5, 0x3ba, 0x3d4/0x3d5, 0x3da, each as its own byte registers. */
  readonly ports: RegionHandler;
  /** The 0xa0000-0xbffff window. */
  readonly legacyMemory: RegionHandler;
  /** 0x1ce index, 0x1cf data (16-bit), 0x1d0 data alias. */
  readonly vbePorts: RegionHandler;

  constructor(vram: Vram) {
    this.vram = vram;
    this.ports = byteRegisters(
      (off) => this.readPort(0x3b0 + off),
      (off, v) => this.writePort(0x3b0 + off, v),
    );
    this.legacyMemory = byteRegisters(
      (off) => this.memRead(off),
      (off, v) => this.memWrite(off, v),
    );
    this.vbePorts = {
      read: (off: number, width: Width) => (off === 0 ? this.vbeIndex : this.vbeReadData()) & (width === 1 ? 0xff : 0xffff),
      write: (off: number, _width: Width, value: number) => {
        if (off === 0) this.vbeIndex = value & 0xffff;
        else this.vbeWriteData(value & 0xffff);
      },
    };
    this.reset();
  }

  /** QEMU vga_common_reset. */
  reset(): void {
    this.sr.fill(0);
    this.gr.fill(0);
    this.cr.fill(0);
    this.ar.fill(0);
    this.palette.fill(0);
    this.srIndex = this.grIndex = this.crIndex = this.arIndex = 0;
    this.arFlipFlop = false;
    this.msr = this.fcr = this.st00 = this.st01 = 0;
    this.dacState = this.dacSubIndex = this.dacReadIndex = this.dacWriteIndex = 0;
    this.dac8bit = false;
    this.latch = 0;
    this.bankOffset = 0;
    this.vbeIndex = 0;
    this.vbeRegs.fill(0);
    this.vbeRegs[VBE_INDEX_ID] = VBE_DISPI_ID5;
    this.vbeLineOffset = 0;
    this.vbeStartAddr = 0;
  }

  private get vbeEnabled(): boolean {
    return (this.vbeRegs[VBE_INDEX_ENABLE]! & VBE_ENABLED) !== 0;
  }

  /** The sequencer as memory accesses see it (QEMU's sr_vbe while VBE is on: chain-4, all planes). */
  private seq(index: number): number {
    let v = this.sr[index]!;
    if (this.vbeEnabled && this.vbeRegs[VBE_INDEX_BPP] !== 4) {
      if (index === SEQ_MEMORY_MODE) v |= SR04_CHN_4M;
      if (index === SEQ_PLANE_WRITE) v |= SR02_ALL_PLANES;
    }
    return v;
  }

  // ---- ports ---------------------------------------------------------------------------

  /** Ports of the addressing mode not selected by MSR bit 0 do not answer. */
  private invalid(port: number): boolean {
    if (this.msr & MSR_COLOR_EMULATION) return (port & 0xfff0) === 0x3b0;
    return (port & 0xfff0) === 0x3d0;
  }

  private readPort(port: number): number {
    if (this.invalid(port)) return 0xff;
    switch (port) {
      case 0x3c0:
        return this.arFlipFlop ? 0 : this.arIndex;
      case 0x3c1: {
        const i = this.arIndex & AR_INDEX_MASK;
        return i < AR_COUNT ? this.ar[i]! : 0;
      }
      case 0x3c2:
        return this.st00;
      case 0x3c4:
        return this.srIndex;
      case 0x3c5:
        return this.sr[this.srIndex]!;
      case 0x3c7:
        return this.dacState;
      case 0x3c8:
        return this.dacWriteIndex;
      case 0x3c9: {
        const v = this.palette[this.dacReadIndex * 3 + this.dacSubIndex]!;
        if (++this.dacSubIndex === 3) {
          this.dacSubIndex = 0;
          this.dacReadIndex = (this.dacReadIndex + 1) & 0xff;
        }
        return v;
      }
      case 0x3ca:
        return this.fcr;
      case 0x3cc:
        return this.msr;
      case 0x3ce:
        return this.grIndex;
      case 0x3cf:
        return this.gr[this.grIndex]!;
      case 0x3b4:
      case 0x3d4:
        return this.crIndex;
      case 0x3b5:
      case 0x3d5:
        return this.cr[this.crIndex]!;
      case 0x3ba:
      case 0x3da:
        // Not real retrace timing: the display-enable and vertical-retrace bits toggle on each read.
        this.st01 ^= ST01_V_RETRACE | ST01_DISP_ENABLE;
        this.arFlipFlop = false;
        return this.st01;
      default:
        return 0x00;
    }
  }

  private writePort(port: number, v: number): void {
    if (this.invalid(port)) return;
    switch (port) {
      case 0x3c0:
        if (!this.arFlipFlop) this.arIndex = v & 0x3f;
        else {
          const i = this.arIndex & AR_INDEX_MASK;
          if (i <= 0x0f) this.ar[i] = v & 0x3f;
          else if (i === 0x10) this.ar[i] = v & ~0x10;
          else if (i === 0x11) this.ar[i] = v;
          else if (i === 0x12) this.ar[i] = v & ~0xc0;
          else if (i === 0x13) this.ar[i] = v & ~0xf0;
          else if (i === 0x14) this.ar[i] = v & ~0xf0;
        }
        this.arFlipFlop = !this.arFlipFlop;
        return;
      case 0x3c2:
        this.msr = v & ~0x10;
        return;
      case 0x3c4:
        this.srIndex = v & 7;
        return;
      case 0x3c5:
        this.sr[this.srIndex] = v & SR_MASK[this.srIndex]!;
        return;
      case 0x3c7:
        this.dacReadIndex = v;
        this.dacSubIndex = 0;
        this.dacState = 3;
        return;
      case 0x3c8:
        this.dacWriteIndex = v;
        this.dacSubIndex = 0;
        this.dacState = 0;
        return;
      case 0x3c9:
        this.dacCache[this.dacSubIndex] = v;
        if (++this.dacSubIndex === 3) {
          this.palette.set(this.dacCache, this.dacWriteIndex * 3);
          this.dacSubIndex = 0;
          this.dacWriteIndex = (this.dacWriteIndex + 1) & 0xff;
        }
        return;
      case 0x3ce:
        this.grIndex = v & 0x0f;
        return;
      case 0x3cf:
        this.gr[this.grIndex] = v & GR_MASK[this.grIndex]!;
        return;
      case 0x3b4:
      case 0x3d4:
        this.crIndex = v;
        return;
      case 0x3b5:
      case 0x3d5: {
        // CR11 bit 7 protects CR0-CR7, except the line compare bit of CR7.
        if (this.cr[CRTC_V_SYNC_END]! & 0x80 && this.crIndex <= CRTC_OVERFLOW) {
          if (this.crIndex === CRTC_OVERFLOW) this.cr[CRTC_OVERFLOW] = (this.cr[CRTC_OVERFLOW]! & ~0x10) | (v & 0x10);
          return;
        }
        this.cr[this.crIndex] = v;
        return;
      }
      case 0x3ba:
      case 0x3da:
        this.fcr = v & 0x10;
        return;
      default:
        return;
    }
  }

  // ---- legacy memory ----------------------------------------------------------------------

  /** A window offset (0-0x1ffff from 0xa0000) as a VGA memory offset, or -1 outside the selected map. */
  private vgaOffset(off: number): number {
    let addr = off & 0x1_ffff;
    switch ((this.gr[GFX_MISC]! >> 2) & 3) {
      case 0:
        return addr;
      case 1:
        return addr >= 0x1_0000 ? -1 : addr + this.bankOffset;
      case 2:
        addr -= 0x1_0000;
        return addr < 0 || addr >= 0x8000 ? -1 : addr;
      default:
        addr -= 0x1_8000;
        return addr < 0 || addr >= 0x8000 ? -1 : addr;
    }
  }

  private memRead(off: number): number {
    const addr = this.vgaOffset(off);
    if (addr < 0) return 0xff;
    const gr = this.gr;
    if (this.seq(SEQ_MEMORY_MODE) & SR04_CHN_4M) return addr < this.vram.size ? this.vram.get8(addr) : 0xff;
    if (gr[GFX_MODE]! & 0x10) {
      // Odd/even (text mode): even addresses plane 0/2, odd 1/3.
      const plane = (gr[GFX_PLANE_READ]! & 2) | (addr & 1);
      const a = ((addr & ~1) << 1) | plane;
      return a < this.vram.size ? this.vram.get8(a) : 0xff;
    }
    if (addr * 4 >= this.vram.size) return 0xff;
    this.latch = this.vram.get32(addr);
    if (!(gr[GFX_MODE]! & 0x08)) return (this.latch >>> (8 * (gr[GFX_PLANE_READ]! & 3))) & 0xff;
    // Read mode 1: colour compare.
    let r = ((this.latch ^ mask16(gr[GFX_COMPARE_VALUE]!)) & mask16(gr[GFX_COMPARE_MASK]!)) >>> 0;
    r |= r >>> 16;
    r |= r >>> 8;
    return ~r & 0xff;
  }

  /** A byte rotated right by the data-rotate count (GR03), as write modes 0 and 3 take it. */
  private rotate(v: number): number {
    const b = this.gr[GFX_DATA_ROTATE]! & 7;
    return ((v >> b) | (v << (8 - b))) & 0xff;
  }

  private memWrite(off: number, value: number): void {
    const addr = this.vgaOffset(off);
    if (addr < 0) return;
    const gr = this.gr;
    if (this.seq(SEQ_MEMORY_MODE) & SR04_CHN_4M) {
      if (this.seq(SEQ_PLANE_WRITE) & (1 << (addr & 3)) && addr < this.vram.size) this.vram.bytes()[addr] = value;
      return;
    }
    if (gr[GFX_MODE]! & 0x10) {
      const plane = (gr[GFX_PLANE_READ]! & 2) | (addr & 1);
      if (!(this.seq(SEQ_PLANE_WRITE) & (1 << plane))) return;
      const a = ((addr & ~1) << 1) | plane;
      if (a < this.vram.size) this.vram.bytes()[a] = value;
      return;
    }
    let val: number;
    let bitMask = 0;
    const writeMode = gr[GFX_MODE]! & 3;
    if (writeMode === 1) val = this.latch;
    else {
      if (writeMode === 2) {
        val = mask16(value & 0x0f);
        bitMask = gr[GFX_BIT_MASK]!;
      } else if (writeMode === 3) {
        bitMask = gr[GFX_BIT_MASK]! & this.rotate(value);
        val = mask16(gr[GFX_SR_VALUE]!);
      } else {
        let v = this.rotate(value);
        v |= v << 8;
        v = (v | (v << 16)) >>> 0;
        const setMask = mask16(gr[GFX_SR_ENABLE]!);
        val = ((v & ~setMask) | (mask16(gr[GFX_SR_VALUE]!) & setMask)) >>> 0;
        bitMask = gr[GFX_BIT_MASK]!;
      }
      switch (gr[GFX_DATA_ROTATE]! >> 3) {
        case 1:
          val &= this.latch;
          break;
        case 2:
          val |= this.latch;
          break;
        case 3:
          val ^= this.latch;
          break;
      }
      bitMask |= bitMask << 8;
      bitMask = (bitMask | (bitMask << 16)) >>> 0;
      val = ((val & bitMask) | (this.latch & ~bitMask)) >>> 0;
    }
    const writeMask = mask16(this.seq(SEQ_PLANE_WRITE));
    if (addr * 4 >= this.vram.size) return;
    const words = this.vram.words();
    words[addr] = ((words[addr]! & ~writeMask) | (val & writeMask)) >>> 0;
  }

  // ---- VBE ----------------------------------------------------------------------------------

  vbeReadData(): number {
    const i = this.vbeIndex;
    if (i < VBE_INDEX_NB) {
      if (this.vbeRegs[VBE_INDEX_ENABLE]! & VBE_GETCAPS) {
        if (i === VBE_INDEX_XRES) return VBE_DISPI_MAX_XRES;
        if (i === VBE_INDEX_YRES) return VBE_DISPI_MAX_YRES;
        if (i === VBE_INDEX_BPP) return VBE_DISPI_MAX_BPP;
      }
      return this.vbeRegs[i]!;
    }
    if (i === VBE_INDEX_VIDEO_MEMORY_64K) return Math.floor(this.vram.size / 0x1_0000);
    return 0;
  }

  vbeWriteData(v: number): void {
    const i = this.vbeIndex;
    const r = this.vbeRegs;
    switch (i) {
      case VBE_INDEX_ID:
        if (v >= VBE_DISPI_ID0 && v <= VBE_DISPI_ID5) r[i] = v;
        return;
      case VBE_INDEX_XRES:
      case VBE_INDEX_YRES:
      case VBE_INDEX_BPP:
      case VBE_INDEX_VIRT_WIDTH:
      case VBE_INDEX_X_OFFSET:
      case VBE_INDEX_Y_OFFSET:
        r[i] = v;
        this.vbeFixup();
        this.vbeUpdateVgaRegs();
        return;
      case VBE_INDEX_BANK:
        v &= this.vram.size / 0x1_0000 - 1;
        r[i] = v;
        this.bankOffset = v << 16;
        return;
      case VBE_INDEX_ENABLE:
        if (v & VBE_ENABLED && !(r[VBE_INDEX_ENABLE]! & VBE_ENABLED)) {
          r[VBE_INDEX_VIRT_WIDTH] = 0;
          r[VBE_INDEX_X_OFFSET] = 0;
          r[VBE_INDEX_Y_OFFSET] = 0;
          r[VBE_INDEX_ENABLE] = r[VBE_INDEX_ENABLE]! | VBE_ENABLED;
          this.vbeFixup();
          this.vbeUpdateVgaRegs();
          if (!(v & VBE_NOCLEARMEM)) this.vram.allocated?.fill(0, 0, Math.min(this.vram.size, r[VBE_INDEX_YRES]! * this.vbeLineOffset));
        } else this.bankOffset = 0;
        this.dac8bit = (v & VBE_8BIT_DAC) !== 0;
        r[i] = v;
        return;
      default:
        return;
    }
  }

  /** Keeps the mode registers consistent with VRAM (QEMU vbe_fixup_regs). */
  private vbeFixup(): void {
    if (!this.vbeEnabled) return;
    const r = this.vbeRegs;
    let bits: number;
    switch (r[VBE_INDEX_BPP]) {
      case 4:
      case 8:
      case 16:
      case 24:
      case 32:
        bits = r[VBE_INDEX_BPP]!;
        break;
      case 15:
        bits = 16;
        break;
      default:
        bits = r[VBE_INDEX_BPP] = 8;
    }
    r[VBE_INDEX_XRES] = r[VBE_INDEX_XRES]! & ~7;
    if (r[VBE_INDEX_XRES] === 0) r[VBE_INDEX_XRES] = 8;
    if (r[VBE_INDEX_XRES]! > VBE_DISPI_MAX_XRES) r[VBE_INDEX_XRES] = VBE_DISPI_MAX_XRES;
    r[VBE_INDEX_VIRT_WIDTH] = r[VBE_INDEX_VIRT_WIDTH]! & ~7;
    if (r[VBE_INDEX_VIRT_WIDTH]! > VBE_DISPI_MAX_XRES) r[VBE_INDEX_VIRT_WIDTH] = VBE_DISPI_MAX_XRES;
    if (r[VBE_INDEX_VIRT_WIDTH]! < r[VBE_INDEX_XRES]!) r[VBE_INDEX_VIRT_WIDTH] = r[VBE_INDEX_XRES]!;
    const lineLength = Math.floor((r[VBE_INDEX_VIRT_WIDTH]! * bits) / 8);
    const maxY = Math.floor(this.vram.size / lineLength);
    if (r[VBE_INDEX_YRES] === 0) r[VBE_INDEX_YRES] = 1;
    if (r[VBE_INDEX_YRES]! > VBE_DISPI_MAX_YRES) r[VBE_INDEX_YRES] = VBE_DISPI_MAX_YRES;
    if (r[VBE_INDEX_YRES]! > maxY) r[VBE_INDEX_YRES] = maxY;
    if (r[VBE_INDEX_X_OFFSET]! > VBE_DISPI_MAX_XRES) r[VBE_INDEX_X_OFFSET] = VBE_DISPI_MAX_XRES;
    if (r[VBE_INDEX_Y_OFFSET]! > VBE_DISPI_MAX_YRES) r[VBE_INDEX_Y_OFFSET] = VBE_DISPI_MAX_YRES;
    let offset = Math.floor((r[VBE_INDEX_X_OFFSET]! * bits) / 8) + r[VBE_INDEX_Y_OFFSET]! * lineLength;
    if (offset + r[VBE_INDEX_YRES]! * lineLength > this.vram.size) {
      r[VBE_INDEX_Y_OFFSET] = 0;
      offset = Math.floor((r[VBE_INDEX_X_OFFSET]! * bits) / 8);
      if (offset + r[VBE_INDEX_YRES]! * lineLength > this.vram.size) {
        r[VBE_INDEX_X_OFFSET] = 0;
        offset = 0;
      }
    }
    r[VBE_INDEX_VIRT_HEIGHT] = maxY;
    this.vbeLineOffset = lineLength;
    this.vbeStartAddr = offset >> 2;
  }

  /** The VGA registers a VBE mode implies (QEMU vbe_update_vgaregs). */
  private vbeUpdateVgaRegs(): void {
    if (!this.vbeEnabled) return;
    const gr = this.gr;
    const cr = this.cr;
    gr[GFX_MISC] = (gr[GFX_MISC]! & ~0x0c) | 0x04 | GR06_GRAPHICS_MODE;
    cr[CRTC_MODE] = cr[CRTC_MODE]! | 3;
    cr[CRTC_OFFSET] = this.vbeLineOffset >> 3;
    cr[CRTC_H_DISP] = (this.vbeRegs[VBE_INDEX_XRES]! >> 3) - 1;
    const h = this.vbeRegs[VBE_INDEX_YRES]! - 1;
    cr[CRTC_V_DISP_END] = h;
    cr[CRTC_OVERFLOW] = (cr[CRTC_OVERFLOW]! & ~0x42) | ((h >> 7) & 0x02) | ((h >> 3) & 0x40);
    cr[CRTC_LINE_COMPARE] = 0xff;
    cr[CRTC_OVERFLOW] = cr[CRTC_OVERFLOW]! | 0x10;
    cr[CRTC_MAX_SCAN] = cr[CRTC_MAX_SCAN]! | 0x40;
    let shiftControl: number;
    if (this.vbeRegs[VBE_INDEX_BPP] === 4) {
      shiftControl = 0;
      this.sr[SEQ_CLOCK_MODE] = this.sr[SEQ_CLOCK_MODE]! & ~8;
    } else shiftControl = 2;
    gr[GFX_MODE] = (gr[GFX_MODE]! & ~0x60) | (shiftControl << 5);
    cr[CRTC_MAX_SCAN] = cr[CRTC_MAX_SCAN]! & ~0x9f;
  }

  /** Where the displayed VBE picture starts in VRAM (bytes). */
  get vbeStart(): number {
    return this.vbeStartAddr * 4;
  }

  get palettePageEnabled(): boolean {
    return (this.arIndex & AR_PALETTE_ENABLE) !== 0;
  }
}
