/**
 * What each CPU of a q35 machine is wired to (the CpuPlatform contract):
 *
 * - Interrupt inputs combining its local APIC and the 8259 pair as QEMU
 *   7.2 does (hw/intc/apic.c, hw/i386/x86.c pic_irq_request and
 *   cpu_get_pic_interrupt): INTR is up while the APIC has a deliverable
 *   vector or LINT0 passes the 8259's INT as ExtINT; the INTA cycle asks the
 *   APIC first and the 8259 when the APIC has nothing or an ExtINT waits.
 * - Memory as this CPU sees it: its local APIC's registers at 0xfee00000
 *   (QEMU 7.2 keeps the window there whatever IA32_APIC_BASE says), where
 *   writes outside the register page, or to offset 0, are interrupt
 *   messages (QEMU apic_mem_write); everything else is the machine's
 *   physical memory.
 * - Port IO (the machine's), guest time, the A20 gate, IA32_APIC_BASE.
 */
import type { PhysicalMemory } from '../bus/memory.js';
import type { PortIoSpace } from '../bus/io.js';
import type { Width } from '../bus/types.js';
import type { CpuInterruptInputs, CpuIoBus, CpuMemoryBus, CpuPlatform, CpuTopology, DirectPage } from '../cpu/platform.js';
import type { I8259Pair } from '../devices/i8259/index.js';
import type { ApicBus } from '../devices/lapic/bus.js';
import { APIC_BASE_DEFAULT, MSR_APIC_BASE, type LocalApic } from '../devices/lapic/index.js';
import type { VirtualClock } from '../time/clock.js';

export const APIC_WINDOW = APIC_BASE_DEFAULT;
export const APIC_WINDOW_SIZE = 0x10_0000;

export class CpuInterruptPins implements CpuInterruptInputs {
  nmi = false;
  smi = false;
  init = false;
  sipi: number | undefined = undefined;
  onChange: (() => void) | undefined = undefined;

  constructor(
    readonly lapic: LocalApic,
    private readonly pic: I8259Pair,
  ) {}

  get intr(): boolean {
    return this.lapic.pending() > 0 || this.lapic.picInterrupt();
  }

  acknowledge(): number {
    const v = this.lapic.acknowledge();
    if (v >= 0) return v;
    // Nothing from the APIC: the 8259 answers the INTA cycle (its spurious IRQ 7 when it has nothing either).
    return this.pic.acknowledge();
  }

  /** An input changed: the running CPU should look again soon. */
  changed(): void {
    this.onChange?.();
  }

  /** A signal for the CPU from its APIC (NMI, SMI, INIT, SIPI). */
  signal(kind: 'nmi' | 'smi' | 'init' | 'sipi', vector?: number): void {
    if (kind === 'nmi') this.nmi = true;
    else if (kind === 'smi') this.smi = true;
    else if (kind === 'init') this.init = true;
    else this.sipi = vector;
    this.onChange?.();
  }
}

/** One CPU's view of memory: its APIC window over the machine's physical memory. */
export class CpuMemoryView implements CpuMemoryBus {
  /** The CPU is in System Management Mode: SMRAM replaces what others see where `smram` says. */
  smm = false;

  constructor(
    private readonly memory: PhysicalMemory,
    private readonly lapic: LocalApic,
    private readonly apicBus: ApicBus,
    /** The RAM address an SMM access at `addr` reaches, or -1 for the common view (the MCH's SMRAM decoding). */
    private readonly smram: (addr: number) => number = () => -1,
  ) {}

  read(addr: number, width: Width): number {
    if (this.smm) {
      const ram = this.smram(addr);
      if (ram >= 0) return this.memory.ram.read(ram, width);
    }
    if (addr >= APIC_WINDOW && addr < APIC_WINDOW + APIC_WINDOW_SIZE) {
      // QEMU apic_mem_read: only 32-bit accesses; the register index repeats across the window.
      return width === 4 ? this.lapic.readRegister((addr - APIC_WINDOW) & 0xfff) : 0;
    }
    return this.memory.read(addr, width);
  }

  write(addr: number, width: Width, value: number): void {
    if (this.smm) {
      const ram = this.smram(addr);
      if (ram >= 0) return this.memory.ram.write(ram, width, value);
    }
    if (addr >= APIC_WINDOW && addr < APIC_WINDOW + APIC_WINDOW_SIZE) {
      if (width !== 4) return;
      const off = addr - APIC_WINDOW;
      // Offset 0 and anything past the register page are interrupt messages (QEMU apic_mem_write).
      if (off > 0xfff || ((off >> 4) & 0xff) === 0) this.apicBus.msi(addr, value >>> 0);
      else this.lapic.writeRegister(off, value >>> 0);
      return;
    }
    this.memory.write(addr, width, value);
  }

  directPage(page: number): DirectPage | undefined {
    if (this.smm) {
      const ram = this.smram(page);
      if (ram >= 0) return this.memory.ramPage(ram);
    }
    if (page >= APIC_WINDOW && page < APIC_WINDOW + APIC_WINDOW_SIZE) return undefined;
    return this.memory.directPage(page);
  }

  onMapChange(listener: () => void): void {
    this.memory.onMapChange(listener);
  }
}

/** What the machine lends each CPU's platform. */
export interface CpuWiring {
  readonly memory: PhysicalMemory;
  readonly io: PortIoSpace;
  readonly clock: VirtualClock;
  readonly apicBus: ApicBus;
  readonly a20: () => boolean;
  /** This CPU is about to make a port access (the machine tracks who wrote APM_CNT). */
  readonly current: () => void;
  /** SMRAM decoding for CPUs in SMM (see CpuMemoryView). */
  readonly smram?: (addr: number) => number;
  /** The package's dies, cores per die and threads per core, for CPUID. */
  readonly package: { readonly dies: number; readonly cores: number; readonly threads: number };
}

export class Q35CpuPlatform implements CpuPlatform {
  readonly memory: CpuMemoryView;
  readonly io: CpuIoBus;
  readonly topology: CpuTopology;

  constructor(
    readonly index: number,
    readonly lapic: LocalApic,
    readonly interrupts: CpuInterruptPins,
    private readonly wiring: CpuWiring,
  ) {
    this.memory = new CpuMemoryView(wiring.memory, lapic, wiring.apicBus, wiring.smram);
    this.topology = { apicId: lapic.initialId, ...wiring.package };
    const io = wiring.io;
    this.io = {
      read: (port, width) => {
        wiring.current();
        return io.read(port, width);
      },
      write: (port, width, value) => {
        wiring.current();
        io.write(port, width, value);
      },
    };
  }

  setSmm(on: boolean): void {
    this.memory.smm = on;
  }

  now(): number {
    return this.wiring.clock.now();
  }

  poll(): number {
    return this.wiring.clock.poll();
  }

  get a20(): boolean {
    return this.wiring.a20();
  }

  readMsr(index: number): bigint | undefined {
    if (index === MSR_APIC_BASE) return BigInt(this.lapic.apicBase);
    return undefined;
  }

  writeMsr(index: number, value: bigint): boolean {
    if (index !== MSR_APIC_BASE) return false;
    this.lapic.setApicBase(Number(value & 0xffff_ffffn));
    return true;
  }
}
