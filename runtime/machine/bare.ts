/**
 * A bare board for running raw x86 code with nothing but a CPU: RAM, a
 * firmware image mapped at the top of 4 GiB (its last 128 KiB also below
 * 1 MiB, read-only, as QEMU maps a `-bios` image), the 0x402/0xe9 debug
 * console, QEMU's isa-debug-exit at 0xf4 and the A20 gate of port 0x92 (bit 1,
 * as on q35; the reset bit is ignored). It is what the differential
 * tests run programs on: the same image runs on QEMU with `-bios` and
 * `-device isa-debugcon -device isa-debug-exit`.
 */
import { GuestRam } from '../bus/ram.js';
import type { Width } from '../bus/types.js';
import { Cpu, type CodeCache } from '../cpu/cpu.js';
import type { CpuInterruptInputs, CpuPlatform, DirectPage } from '../cpu/platform.js';
import { VirtualClock } from '../time/clock.js';

export interface BareOptions {
  /** RAM size in bytes (default 32 MiB). */
  readonly ram?: number;
  /** Bytes per RAM bank (default 4 GiB; smaller to exercise the CPU's paths for banks beyond the first). */
  readonly ramBank?: number;
  /** Tier-1 only (no compilation). */
  readonly interpretOnly?: boolean;
  readonly jitThreshold?: number;
  /** Runs of a compiled block before it is compiled again with the blocks it reaches. */
  readonly inlineAfter?: number;
  /** The CPU's translated code (default: a cache of its own), for looking into it. */
  readonly codeCache?: CodeCache;
  /** The CPU's place for CPUID (default: APIC ID 0, alone in its package). */
  readonly topology?: CpuPlatform['topology'];
}

export interface BareResult {
  /** Bytes written to the debug console. */
  readonly debugcon: Uint8Array;
  /** isa-debug-exit's exit status ((value << 1) | 1), if the program used it. */
  readonly exitCode?: number;
  /** Why the run ended otherwise: a guest failure, a halt with interrupts off, the instruction limit. */
  readonly error?: string;
  readonly instructions: number;
  readonly cpu: Cpu;
}

const LEGACY_ROM = 0xe_0000;
const PAGE = 4096;

export class BareBoard implements CpuPlatform {
  readonly ram: GuestRam;
  readonly rom: Uint8Array;
  readonly clock = new VirtualClock();
  readonly cpu: Cpu;
  private readonly out: number[] = [];
  exitCode: number | undefined;
  /** The A20 gate (on at power-on) and port 0x92's last value, which it reads back (0 at power-on, as QEMU's). */
  a20 = true;
  private port92 = 0;
  private readonly listeners: (() => void)[] = [];
  readonly interrupts: CpuInterruptInputs = {
    intr: false,
    acknowledge: () => -1,
    nmi: false,
    smi: false,
    init: false,
    sipi: undefined,
    onChange: undefined,
  };

  readonly topology: CpuPlatform['topology'];

  constructor(image: Uint8Array, opts: BareOptions = {}) {
    this.topology = opts.topology;
    if (image.length === 0 || image.length % PAGE !== 0 || image.length > 16 * 2 ** 20) throw new RangeError('firmware image must be a whole number of 4 KiB pages, up to 16 MiB');
    this.ram = new GuestRam(opts.ram ?? 32 * 2 ** 20, opts.ramBank);
    this.rom = image;
    this.cpu = new Cpu({ platform: this, interpretOnly: opts.interpretOnly, jitThreshold: opts.jitThreshold, inlineAfter: opts.inlineAfter, codeCache: opts.codeCache });
    this.clock.instructions = () => this.cpu.icount + this.cpu.icountK;
    this.ram.onCodeWrite = (page) => this.cpu.ramPageWritten(page);
  }

  get romBase(): number {
    return 2 ** 32 - this.rom.length;
  }

  readonly memory = {
    read: (addr: number, width: Width): number => this.read(addr, width),
    write: (addr: number, width: Width, value: number): void => this.write(addr, width, value),
    directPage: (page: number): DirectPage | undefined => this.directPage(page),
    onMapChange: (l: () => void): void => void this.listeners.push(l),
  };

  readonly io = {
    read: (port: number, width: Width): number => {
      if (port === 0x402 || port === 0xe9) return 0xe9;
      if (port === 0x92 && width === 1) return this.port92;
      return width === 1 ? 0xff : width === 2 ? 0xffff : 0xffff_ffff;
    },
    write: (port: number, width: Width, value: number): void => {
      if (port === 0x402 || port === 0xe9) this.out.push(value & 0xff);
      else if (port === 0x92 && width === 1) {
        this.port92 = value & 0xfe;
        const on = (value & 2) !== 0;
        if (on !== this.a20) {
          this.a20 = on;
          for (const l of this.listeners) l();
        }
      } else if (port === 0xb2 && value !== 2 && value !== 3) {
        // APM_CNT: an SMI, as ICH9 raises one once a program has set SMI_EN.APMC_EN (0x02/0x03 switch ACPI mode).
        this.interrupts.smi = true;
        this.cpu.pendingCheck = true;
      } else if (port === 0xf4) {
        this.exitCode = ((value & (width === 1 ? 0xff : width === 2 ? 0xffff : 0xffff_ffff)) << 1) | 1;
        this.cpu.stopRequested = true;
        this.cpu.pendingCheck = true;
      }
    },
  };

  now(): number {
    return this.clock.now();
  }
  poll(): number {
    return this.clock.poll();
  }

  private directPage(page: number): DirectPage | undefined {
    if (page < this.ram.size && (page < 0xa_0000 || page >= 0x10_0000)) {
      const index = Math.floor(page / this.ram.bankSize);
      const b = this.ram.bank(index);
      return { bytes: b.u8, offset: page - index * this.ram.bankSize, writable: true, bank: index, codePages: b.codePages };
    }
    const alias = Math.min(this.rom.length, 0x2_0000);
    if (page >= 0x10_0000 - alias && page < 0x10_0000) return { bytes: this.rom, offset: this.rom.length - (0x10_0000 - page), writable: false, bank: -1 };
    if (page >= this.romBase && page < 2 ** 32) return { bytes: this.rom, offset: page - this.romBase, writable: false, bank: -1 };
    return undefined;
  }

  private read(addr: number, width: Width): number {
    let v = 0;
    for (let n = 0; n < width; n++) {
      const a = addr + n;
      const dp = this.directPage(a - (a % PAGE));
      v |= (dp ? dp.bytes[dp.offset + (a % PAGE)]! : 0xff) << (8 * n);
    }
    return v >>> 0;
  }

  private write(addr: number, width: Width, value: number): void {
    for (let n = 0; n < width; n++) {
      const a = addr + n;
      const dp = this.directPage(a - (a % PAGE));
      if (dp?.writable) dp.bytes[dp.offset + (a % PAGE)] = (value >>> (8 * n)) & 0xff;
    }
  }

  /** Runs until the program exits, the CPU stops or `maxInstructions` retire. */
  run(maxInstructions = 100_000_000): BareResult {
    const cpu = this.cpu;
    let error: string | undefined;
    while (cpu.icount < maxInstructions) {
      const why = cpu.run(Math.min(1_000_000, maxInstructions - cpu.icount));
      if (cpu.failure) {
        error = `${cpu.failure.message}`;
        break;
      }
      if (why === 'stop') break;
      if (why === 'halt') {
        error = `halted with nothing to wake it at eip=${cpu.eip.toString(16)}\n${cpu.describe()}`;
        break;
      }
    }
    if (!error && this.exitCode === undefined && cpu.icount >= maxInstructions) error = `instruction limit ${maxInstructions} reached`;
    return { debugcon: Uint8Array.from(this.out), exitCode: this.exitCode, error, instructions: cpu.icount, cpu };
  }
}

void LEGACY_ROM;

/** Runs a raw firmware image on a bare board (see BareBoard). */
export function runBareMetal(image: Uint8Array, opts: BareOptions & { maxInstructions?: number } = {}): BareResult {
  return new BareBoard(image, opts).run(opts.maxInstructions);
}
