/**
 * What a CPU needs from the machine around it. runtime/cpu imports nothing
 * from runtime/machine or runtime/devices: the machine hands each CPU these
 * objects, built from its address spaces, interrupt controllers and clock.
 */
import type { Width } from '../bus/types.js';

/** Guest-physical memory as the CPU reaches it. */
export interface CpuMemoryBus {
  /** Slow path: any access, RAM, ROM or MMIO (8-byte accesses are two 4-byte ones, low first). */
  read(addr: number, width: Width): number;
  write(addr: number, width: Width, value: number): void;
  /**
   * The plain memory (RAM or ROM) behind the whole 4 KiB page at `page`
   * (a page-aligned guest-physical address), for the CPU's TLB; undefined
   * when any part of the page is MMIO or unclaimed, or the chipset routes
   * reads and writes of it differently (a PAM segment reading ROM and
   * writing RAM maps for reads only).
   */
  directPage(page: number): DirectPage | undefined;
  /** Registers a listener called whenever the physical map changes (a `directPage` answer may be stale). */
  onMapChange(listener: () => void): void;
}

export interface DirectPage {
  /** The backing bytes; the page starts at `offset`. */
  readonly bytes: Uint8Array;
  readonly offset: number;
  /** Writes may go straight to `bytes` (RAM); false for ROM and read-only shadows. */
  readonly writable: boolean;
  /** Index of the RAM bank `bytes` belongs to, or -1 for memory that is not guest RAM (ROM, VRAM; the CPU tracks code written in RAM). */
  readonly bank: number;
  /**
   * For RAM: the bank's per-page map (indexed by offset / 4096) the CPU marks
   * while it holds code translated from a page; writes from outside the CPU
   * (DMA, loaders) to a marked page are reported back through the machine.
   */
  readonly codePages?: Uint8Array;
}

/** The port IO space. */
export interface CpuIoBus {
  read(port: number, width: Width): number;
  write(port: number, width: Width, value: number): void;
}

/**
 * The interrupt inputs of one CPU: what its local APIC and, through it or
 * directly, the 8259 PIC present. The CPU looks at `intr` at instruction
 * boundaries while EFLAGS.IF is set and runs the INTA cycle with
 * `acknowledge()`. `nmi`, `smi`, `init` and `sipi` are edge requests the
 * CPU consumes (sets back to false/undefined) when it takes them.
 */
export interface CpuInterruptInputs {
  /** A maskable external interrupt is pending. */
  readonly intr: boolean;
  /** INTA: the vector of the highest-priority pending interrupt, now in service. */
  acknowledge(): number;
  nmi: boolean;
  smi: boolean;
  init: boolean;
  /** A startup IPI's vector, pending until the CPU takes it (only in wait-for-SIPI). */
  sipi: number | undefined;
  /** Called by the controller whenever any input changes, so a running CPU ends its block soon. */
  onChange: (() => void) | undefined;
}

/** Everything a CPU is wired to. */
/** A CPU's place in the machine (QEMU -smp): its initial APIC ID and its package's dies, cores per die and threads per core. */
export interface CpuTopology {
  readonly apicId: number;
  readonly dies: number;
  readonly cores: number;
  readonly threads: number;
}

export interface CpuPlatform {
  readonly memory: CpuMemoryBus;
  readonly io: CpuIoBus;
  readonly interrupts: CpuInterruptInputs;
  /** Guest time in ns, as devices see it (for RDTSC). */
  now(): number;
  /** A guest-visible read of a time source (RDTSC): may advance virtual time (see VirtualClock.poll). */
  poll(): number;
  /**
   * The A20 gate (port 0x92 and the i8042 output port, the last written
   * wins): false makes the CPU force physical address bit 20 to 0. Read it
   * again whenever `memory.onMapChange` listeners run.
   */
  readonly a20?: boolean;
  /**
   * Model-specific registers the platform implements (IA32_APIC_BASE, 0x1b,
   * of this CPU's local APIC): the value, or undefined when the MSR is not
   * the platform's (the CPU handles it itself or raises #GP).
   */
  readMsr?(index: number): bigint | undefined;
  /** Where the CPU sits, for CPUID; default: APIC ID = CPU index, alone in its package. */
  readonly topology?: CpuTopology;
  /** Writes a platform MSR; false when the MSR is not the platform's. */
  writeMsr?(index: number, value: bigint): boolean;
  /**
   * The CPU entered (true) or left (false) System Management Mode: its
   * memory view may change (SMRAM); the CPU drops its translations after.
   */
  setSmm?(on: boolean): void;
}
