/**
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst; QEMU 7.2
 * hw/nvram/fw_cfg.c), IO flavour as on x86:
 *
 *   0x510  selector (16-bit write; bit 14 write channel, bit 15 arch-local)
 *   0x511  data (byte reads step through the selected item; past its end, 0)
 *   0x514  DMA: the guest-physical address of an FWCfgDmaAccess, big endian,
 *          high dword at 0x514, low dword at 0x518 (writing it starts the
 *          transfer); reads return the signature "QEMU CFG"
 *
 * Items: 0x0000-0x0018 and 0x8000-0x8004 are fixed keys (signature, ID,
 * RAM size, CPU counts, NUMA...), 0x0019 is the file directory (count, then
 * size, selector and 56-byte name per file, big endian), and files take the
 * selectors from 0x0020 on in name order, as QEMU 7.2 sorts them.
 *
 * A DMA transfer (FWCfgDmaAccess: control, length, address; big endian)
 * may select an item, then reads it into guest memory, skips over it or
 * (for writable items, which this machine has none of) writes it; past an
 * item's end reads fill zeros. The control word is written back with 0 or
 * the error bit.
 */
import type { RegionHandler, Width } from '../../bus/types.js';

export const FW_CFG_PORT = 0x510;
export const FW_CFG_DMA_PORT = 0x514;

export const FW_CFG_SIGNATURE = 0x00;
export const FW_CFG_ID = 0x01;
export const FW_CFG_UUID = 0x02;
export const FW_CFG_RAM_SIZE = 0x03;
export const FW_CFG_NOGRAPHIC = 0x04;
export const FW_CFG_NB_CPUS = 0x05;
export const FW_CFG_KERNEL_ADDR = 0x07;
export const FW_CFG_KERNEL_SIZE = 0x08;
export const FW_CFG_KERNEL_CMDLINE = 0x09;
export const FW_CFG_INITRD_ADDR = 0x0a;
export const FW_CFG_INITRD_SIZE = 0x0b;
export const FW_CFG_NUMA = 0x0d;
export const FW_CFG_BOOT_MENU = 0x0e;
export const FW_CFG_MAX_CPUS = 0x0f;
export const FW_CFG_KERNEL_ENTRY = 0x10;
export const FW_CFG_KERNEL_DATA = 0x11;
export const FW_CFG_INITRD_DATA = 0x12;
export const FW_CFG_CMDLINE_ADDR = 0x13;
export const FW_CFG_CMDLINE_SIZE = 0x14;
export const FW_CFG_CMDLINE_DATA = 0x15;
export const FW_CFG_SETUP_ADDR = 0x16;
export const FW_CFG_SETUP_SIZE = 0x17;
export const FW_CFG_SETUP_DATA = 0x18;
export const FW_CFG_FILE_DIR = 0x19;
export const FW_CFG_FILE_FIRST = 0x20;
export const FW_CFG_WRITE_CHANNEL = 0x4000;
export const FW_CFG_ARCH_LOCAL = 0x8000;
export const FW_CFG_IRQ0_OVERRIDE = 0x8002;
export const FW_CFG_HPET = 0x8004;
const ENTRY_MASK = ~(FW_CFG_WRITE_CHANNEL | FW_CFG_ARCH_LOCAL) & 0xffff;
/** Items per key space: QEMU's fw_cfg_max_entry (0x20 + 0x1000 files, the default file slots). */
const MAX_ENTRY = FW_CFG_FILE_FIRST + 0x1000;
const INVALID = 0xffff;
/** Traditional interface and DMA (the ID item). */
export const FW_CFG_VERSION = 0x01;
export const FW_CFG_VERSION_DMA = 0x02;
/** "QEMU CFG", what reads of the DMA address register return. */
const DMA_SIGNATURE = 0x5145_4d55_2043_4647n;
const FILE_NAME_SIZE = 56;
const ZERO_CHUNK = 4096;
const ZEROS = new Uint8Array(ZERO_CHUNK);

export const DMA_CTL_ERROR = 0x01;
export const DMA_CTL_READ = 0x02;
export const DMA_CTL_SKIP = 0x04;
export const DMA_CTL_SELECT = 0x08;
export const DMA_CTL_WRITE = 0x10;

export interface FwCfgFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Guest memory as the device's DMA engine reaches it (plain guest-physical memory, not through PCI). */
export interface FwCfgDmaMemory {
  read(addr: number, into: Uint8Array): boolean;
  write(addr: number, data: Uint8Array): boolean;
}

export class FwCfg {
  /** Items by selector (with the arch-local bit, without the write channel). */
  private readonly items = new Map<number, Uint8Array>();
  private readonly files: { name: string; select: number; bytes: Uint8Array }[] = [];
  private cur = INVALID;
  private offset = 0;
  private dmaAddr = 0n;
  readonly ioRegion: RegionHandler;
  readonly dmaRegion: RegionHandler;

  constructor(private readonly dma: FwCfgDmaMemory) {
    this.setItem(FW_CFG_SIGNATURE, new TextEncoder().encode('QEMU'));
    this.setItem(FW_CFG_ID, le(FW_CFG_VERSION | FW_CFG_VERSION_DMA, 4));
    this.ioRegion = {
      // Any read is byte reads of the data register (QEMU splits wider ones).
      read: (_off: number, width: Width) => {
        let v = 0;
        for (let i = 0; i < width; i++) v |= this.readData() << (8 * i);
        return v >>> 0;
      },
      write: (off: number, width: Width, value: number) => {
        // A 16-bit write at 0x510 selects; data writes are ignored (QEMU >= 2.4).
        if (off === 0 && width === 2) this.select(value & 0xffff);
      },
    };
    this.dmaRegion = {
      read: (off: number, width: Width) => {
        const shift = BigInt((8 - off - width) * 8);
        const be = Number((DMA_SIGNATURE >> shift) & ((1n << BigInt(width * 8)) - 1n));
        return byteswap(be, width);
      },
      write: (off: number, width: Width, value: number) => {
        if (width !== 4) return;
        const v = BigInt(byteswap(value >>> 0, 4));
        if (off === 0) this.dmaAddr = v << 32n;
        else if (off === 4) {
          this.dmaAddr |= v;
          this.transfer();
        }
      },
    };
  }

  /** Adds or replaces a fixed item. */
  setItem(key: number, bytes: Uint8Array): void {
    this.items.set(key & (ENTRY_MASK | FW_CFG_ARCH_LOCAL), bytes);
  }

  /** The files, as the directory lists them. */
  get fileList(): readonly { readonly name: string; readonly select: number; readonly size: number }[] {
    return this.files.map((f) => ({ name: f.name, select: f.select, size: f.bytes.length }));
  }

  /** Sets the files (replacing any): selectors from 0x20 in name order, and the directory. */
  setFiles(files: readonly FwCfgFile[]): void {
    for (const f of this.files) this.items.delete(f.select);
    this.files.length = 0;
    const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sorted.forEach((f, i) => {
      if (new TextEncoder().encode(f.name).length >= FILE_NAME_SIZE) throw new RangeError(`fw_cfg file name too long: ${f.name}`);
      if (i > 0 && sorted[i - 1]!.name === f.name) throw new RangeError(`fw_cfg file ${f.name} given twice`);
      const select = FW_CFG_FILE_FIRST + i;
      this.files.push({ name: f.name, select, bytes: f.bytes });
      this.items.set(select, f.bytes);
    });
    const dir = new Uint8Array(4 + 64 * sorted.length);
    const view = new DataView(dir.buffer);
    view.setUint32(0, sorted.length);
    this.files.forEach((f, i) => {
      view.setUint32(4 + 64 * i, f.bytes.length);
      view.setUint16(8 + 64 * i, f.select);
      dir.set(new TextEncoder().encode(f.name), 12 + 64 * i);
    });
    this.items.set(FW_CFG_FILE_DIR, dir);
  }

  /** The item a selector reaches (undefined: no such item). */
  item(key: number): Uint8Array | undefined {
    return this.items.get(key & (ENTRY_MASK | FW_CFG_ARCH_LOCAL));
  }

  /** QEMU fw_cfg_select: keys past the last possible entry select nothing. */
  select(key: number): void {
    this.offset = 0;
    this.cur = (key & ENTRY_MASK) >= MAX_ENTRY ? INVALID : key;
  }

  private current(): Uint8Array | undefined {
    return this.cur === INVALID ? undefined : this.item(this.cur);
  }

  private readData(): number {
    const e = this.current();
    if (!e || this.offset >= e.length) return 0;
    return e[this.offset++]!;
  }

  reset(): void {
    this.select(0);
    this.dmaAddr = 0n;
  }

  /** QEMU fw_cfg_dma_transfer. */
  private transfer(): void {
    const at = Number(this.dmaAddr);
    this.dmaAddr = 0n;
    const header = new Uint8Array(16);
    if (!this.dma.read(at, header)) {
      this.dma.write(at, be32(DMA_CTL_ERROR));
      return;
    }
    const view = new DataView(header.buffer);
    let control = view.getUint32(0);
    let length = view.getUint32(4);
    let address = Number(view.getBigUint64(8));
    if (control & DMA_CTL_SELECT) this.select(control >>> 16);
    const e = this.current();
    let read = false;
    let write = false;
    if (control & DMA_CTL_READ) read = true;
    else if (control & DMA_CTL_WRITE) write = true;
    else if (!(control & DMA_CTL_SKIP)) length = 0;
    control = 0;
    while (length > 0 && !(control & DMA_CTL_ERROR)) {
      let len: number;
      if (!e || this.offset >= e.length) {
        // Past the item: reads fill zeros (QEMU dma_memory_set), a page at a time here, stopping at the
        // first address nothing answers.
        len = length;
        if (read) {
          for (let done = 0; done < len && !(control & DMA_CTL_ERROR); done += ZERO_CHUNK) {
            if (!this.dma.write(address + done, ZEROS.subarray(0, Math.min(ZERO_CHUNK, len - done)))) control |= DMA_CTL_ERROR;
          }
        }
        if (write) control |= DMA_CTL_ERROR;
      } else {
        len = Math.min(length, e.length - this.offset);
        if (read && !this.dma.write(address, e.subarray(this.offset, this.offset + len))) control |= DMA_CTL_ERROR;
        // No item of this machine is writable.
        if (write) control |= DMA_CTL_ERROR;
        this.offset += len;
      }
      address += len;
      length -= len;
    }
    this.dma.write(at, be32(control));
  }
}

function le(v: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
  return b;
}

function be32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

function byteswap(v: number, width: number): number {
  let r = 0;
  for (let i = 0; i < width; i++) r = r * 256 + ((v >>> (8 * i)) & 0xff);
  return r >>> 0;
}

/** Little-endian integer items (QEMU fw_cfg_add_i16/i32/i64). */
export function fwCfgInt(value: number, bytes: 2 | 4 | 8): Uint8Array {
  return le(value, bytes);
}
