/**
 * The ICH9 LPC bridge, 00:1f.0 (8086:2918; Intel I/O Controller Hub 9
 * datasheet §13.1, with QEMU 7.2's behaviour, hw/isa/lpc_ich9.c):
 *
 *   0x40  PMBASE     ACPI PM I/O base (bits 15:7); mapped while ACPI_CNTL.ACPI_EN
 *   0x44  ACPI_CNTL  ACPI_EN (bit 7), SCI IRQ select (bits 2:0: 9, 10, 11, -, 20, 21)
 *   0x60  PIRQA-D_ROUT, 0x68 PIRQE-H_ROUT: IRQEN (bit 7 = routing off), ISA IRQ (3:0)
 *   0x82  LPC_EN     COM1/COM2/LPT/FDC decode (set once when the machine is built)
 *   0xa0  GEN_PMCON_1: SMI_LOCK locks itself and GBL_SMI_EN
 *   0xf0  RCBA       root complex register block (16 KiB) base and enable
 *
 * plus the fixed ports the chipset answers: the PM block (pm.ts),
 * APM_CNT/APM_STS (0xb2/0xb3) and the reset control register (0xcf9).
 * QEMU's write mask for PMBASE is 0xff87 (its ACPI_CNTL mask overwrote the
 * low byte); that quirk is kept.
 *
 * Interrupt routing (datasheet §5.8, §10.1.37-10.1.43): the LPC is the root
 * bus's INTx router. Each root-bus slot's pins map to PIRQ A-H: slots 25-29
 * and 31 through the D25IR-D31IR registers in the RCRB (default INTA-D to
 * PIRQA-D), slot 30 to PIRQE-H, every other slot to PIRQ[(slot + pin) mod 4
 * + 4] (QEMU ich9_cc_init). PIRQ n drives I/O APIC input 16 + n always, and
 * the 8259 input its PIRQx_ROUT register names while IRQEN is clear (wired-OR
 * with the other PIRQs and the SCI routed there). The SCI goes to the IRQ
 * ACPI_CNTL selects.
 */
import type { IoRange, PortIoSpace } from '../../bus/io.js';
import type { PhysicalMemory } from '../../bus/memory.js';
import type { RegionHandler, Width } from '../../bus/types.js';
import { readLe, writeLe } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import type { IntxRouter } from '../../pci/intx.js';
import type { VirtualClock } from '../../time/clock.js';
import { CHIPSET } from '../catalog.js';
import { Ich9PmBlock, PM_IO_SIZE, SMI_EN_APMC_EN } from './pm.js';

export { PM_IO_SIZE } from './pm.js';

export const PMBASE = 0x40;
export const ACPI_CNTL = 0x44;
export const PIRQA_ROUT = 0x60;
export const PIRQE_ROUT = 0x68;
export const LPC_EN = 0x82;
export const GEN_PMCON_1 = 0xa0;
export const RCBA = 0xf0;

const PMBASE_MASK = 0xff80;
const ACPI_EN = 0x80;
const SCI_IRQ_SEL_MASK = 0x07;
/** SCI IRQ for each ACPI_CNTL select value (undefined: reserved). */
const SCI_IRQS: readonly (number | undefined)[] = [9, 10, 11, undefined, 20, 21, undefined, undefined];
const PIRQ_ROUT_IRQEN = 0x80;
const PIRQ_ROUT_IRQ_MASK = 0x0f;
const PIRQ_DEFAULT = 0x80;
export const PIRQS = 8;
/** ISA IRQs the 8259 pair has; PIRQ n is I/O APIC input 16 + n. */
const PIC_PINS = 16;
const SMI_LOCK = 0x10;
const RCBA_EN = 0x1;
const RCBA_MASK = 0xffff_c000;
const RCRB_SIZE = 16 * 1024;

// Chipset configuration registers in the RCRB (datasheet §10.1).
/** Device 31-25 Interrupt Route registers: 4 bits per pin, PIRQ number in bits 2:0. */
export const D31IR = 0x3140;
export const D30IR = 0x3142;
export const D29IR = 0x3144;
export const D28IR = 0x3146;
export const D27IR = 0x3148;
export const D26IR = 0x314c;
export const D25IR = 0x3150;
const DIR_DEFAULT = 0x3210;
const D30IR_DEFAULT = 0x0021_4321; // QEMU's reset value (read-only routing: PIRQE-H)
const GCS = 0x3410;
const GCS_NO_REBOOT = 0x20;
const IR_REGISTERS: readonly [number, number][] = [
  [25, D25IR],
  [26, D26IR],
  [27, D27IR],
  [28, D28IR],
  [29, D29IR],
  [31, D31IR],
];

const APM_ACPI_ENABLE = 0x02;
const APM_ACPI_DISABLE = 0x03;

export interface LpcOptions {
  /** Which legacy ISA devices the machine has (LPC_EN decode bits). */
  readonly com1?: boolean;
  readonly lpt1?: boolean;
}

export interface LpcWiring {
  readonly io: PortIoSpace;
  readonly memory: PhysicalMemory;
  readonly clock: VirtualClock;
  /** Drives a GSI: 0-15 reach the 8259 pair and the I/O APIC, 16-23 the I/O APIC only. */
  readonly setGsi?: (gsi: number, level: boolean) => void;
  /** APM_CNT written with SMI_EN.APMC_EN set: a System Management Interrupt for the CPU that wrote. */
  readonly smi?: () => void;
  /** The guest asked for a system reset (RST_CNT). */
  readonly onReset?: () => void;
  /** The guest powered the machine off (PM1_CNT SLP_EN, S5). */
  readonly onPowerOff?: () => void;
}

export class Ich9Lpc extends PciFunction implements IntxRouter {
  readonly inputs = PIRQS;
  readonly pm: Ich9PmBlock;
  private readonly wiring: LpcWiring;
  private pmRange: IoRange | undefined;
  private rcrbRegion: { unmap(): void } | undefined;
  private readonly rcrb = new Uint8Array(RCRB_SIZE);
  /** PIRQ of each root-bus slot's pins, [slot * 4 + pin]. */
  private readonly irr = new Uint8Array(32 * 4);
  private sciLevel = false;
  private apmCnt = 0;
  private apmSts = 0;
  private rstCnt = 0;

  constructor(wiring: LpcWiring, opts: LpcOptions = {}) {
    super('ich9-lpc', CHIPSET.lpc, { configSize: 256, multifunction: true });
    this.wiring = wiring;
    this.pm = new Ich9PmBlock({ clock: wiring.clock, sci: (level) => this.setSci(level), powerOff: () => wiring.onPowerOff?.() });
    const cs = this.config;
    cs.setWmask32(PMBASE, PMBASE_MASK);
    cs.setWmask8(PMBASE, ACPI_EN | 0x07);
    // LPC_EN is set when the machine is built (QEMU ich9_lpc_machine_ready).
    cs.set8(LPC_EN, (opts.com1 ?? true ? 0x01 : 0) | (opts.lpt1 ?? true ? 0x04 : 0));
    wiring.io.map('ich9-apm', 0xb2, 2, this.apm);
    wiring.io.map('ich9-reset-control', 0xcf9, 1, this.resetControl, 1);
    this.resetDevice();
  }

  /** The IO base of the PM block while it is decoded. */
  get pmBase(): number | undefined {
    return this.pmRange?.base;
  }

  protected override resetDevice(): void {
    const cs = this.config;
    for (let i = 0; i < 4; i++) {
      cs.set8(PIRQA_ROUT + i, PIRQ_DEFAULT);
      cs.set8(PIRQE_ROUT + i, PIRQ_DEFAULT);
    }
    cs.set8(ACPI_CNTL, 0);
    cs.set32(PMBASE, 0x1);
    cs.set32(RCBA, 0);
    this.rcrb.fill(0);
    for (const [, off] of IR_REGISTERS) writeLe(this.rcrb, off, 4, DIR_DEFAULT);
    writeLe(this.rcrb, D30IR, 4, D30IR_DEFAULT);
    writeLe(this.rcrb, GCS, 4, GCS_NO_REBOOT);
    this.updateRouting();
    this.pm.reset();
    this.rstCnt = 0;
    this.updatePmBase();
    this.updateRcba();
    this.refreshAllIrqs();
  }

  protected override onConfigWrite(offset: number, width: number): void {
    const hits = (start: number, len: number) => offset < start + len && start < offset + width;
    if (hits(PMBASE, 4) || hits(ACPI_CNTL, 1)) this.updatePmBase();
    if (hits(ACPI_CNTL, 1)) this.refreshAllIrqs();
    if (hits(RCBA, 4)) this.updateRcba();
    if (hits(PIRQA_ROUT, 4) || hits(PIRQE_ROUT, 4)) this.refreshAllIrqs();
    if (hits(GEN_PMCON_1, 8)) {
      const cs = this.config;
      if (cs.get16(GEN_PMCON_1) & SMI_LOCK) {
        cs.setWmask16(GEN_PMCON_1, cs.getWmask16(GEN_PMCON_1) & ~SMI_LOCK);
        this.pm.smiEnWmask &= ~1;
      }
    }
  }

  private updatePmBase(): void {
    const cs = this.config;
    const base = cs.get8(ACPI_CNTL) & ACPI_EN ? cs.get32(PMBASE) & PMBASE_MASK : 0;
    if (this.pmRange && this.pmRange.base === base) return;
    if (this.pmRange) this.wiring.io.unmap(this.pmRange);
    this.pmRange = base ? this.wiring.io.map('ich9-pm', base, PM_IO_SIZE, this.pm.region) : undefined;
  }

  private updateRcba(): void {
    this.rcrbRegion?.unmap();
    this.rcrbRegion = undefined;
    const rcba = this.config.get32(RCBA);
    if (rcba & RCBA_EN) {
      this.rcrbRegion = this.wiring.memory.mapOverlay('lpc-rcrb', (rcba & RCBA_MASK) >>> 0, RCRB_SIZE, {
        read: (off, width) => readLe(this.rcrb, off, width),
        write: (off, width, value) => {
          writeLe(this.rcrb, off, width, value);
          this.updateRouting();
        },
      });
    }
  }

  /** The PM timer value (24 bits at 3.579545 MHz), as a guest read sees it. */
  pmTimer(): number {
    return this.pm.timer();
  }

  // ---- interrupt routing --------------------------------------------------------------

  /** Recomputes the slot/pin to PIRQ map from the D2xIR registers (QEMU ich9_cc_update). */
  private updateRouting(): void {
    for (let slot = 0; slot < 32; slot++) for (let pin = 0; pin < 4; pin++) this.irr[slot * 4 + pin] = ((slot + pin) % 4) + 4;
    for (const [slot, off] of IR_REGISTERS) {
      const ir = readLe(this.rcrb, off, 2);
      for (let pin = 0; pin < 4; pin++) this.irr[slot * 4 + pin] = (ir >> (4 * pin)) & 7;
    }
    for (let pin = 0; pin < 4; pin++) this.irr[30 * 4 + pin] = pin + 4;
  }

  /** IntxRouter: the PIRQ a root-bus function's pin is wired to. */
  map(devfn: number, pin: number): number {
    return this.irr[(devfn >> 3) * 4 + (pin & 3)]!;
  }

  /** IntxRouter: PIRQ `pirq`'s level changed. */
  inputChanged(pirq: number, _level: boolean): void {
    this.updateApicInput(PIC_PINS + pirq);
    const irq = this.pirqRoute(pirq);
    if (irq !== undefined) this.updatePicInput(irq);
  }

  /** The ISA IRQ a PIRQ routes to, or undefined while routing is disabled (IRQEN set). */
  pirqRoute(pirq: number): number | undefined {
    const reg = this.config.get8(pirq < 4 ? PIRQA_ROUT + pirq : PIRQE_ROUT + pirq - 4);
    return reg & PIRQ_ROUT_IRQEN ? undefined : reg & PIRQ_ROUT_IRQ_MASK;
  }

  /** The IRQ the SCI goes to (ACPI_CNTL bits 2:0), undefined when reserved. */
  get sciIrq(): number | undefined {
    return SCI_IRQS[this.config.get8(ACPI_CNTL) & SCI_IRQ_SEL_MASK];
  }

  private pirqLevel(pirq: number): boolean {
    return this.bus?.intxLevel(pirq) ?? false;
  }

  /** An 8259 input: the OR of the PIRQs routed to it and the SCI (QEMU ich9_lpc_update_pic). */
  private updatePicInput(irq: number): void {
    if (irq >= PIC_PINS) return;
    let level = false;
    for (let p = 0; p < PIRQS; p++) if (this.pirqRoute(p) === irq && this.pirqLevel(p)) level = true;
    if (irq === this.sciIrq && this.sciLevel) level = true;
    this.wiring.setGsi?.(irq, level);
  }

  /** An I/O APIC input 16-23: its PIRQ, OR the SCI when it is routed there (QEMU ich9_lpc_update_apic). */
  private updateApicInput(gsi: number): void {
    let level = gsi >= PIC_PINS && this.pirqLevel(gsi - PIC_PINS);
    if (gsi === this.sciIrq && this.sciLevel) level = true;
    this.wiring.setGsi?.(gsi, level);
  }

  private setSci(level: boolean): void {
    this.sciLevel = level;
    const irq = this.sciIrq;
    if (irq === undefined) return;
    if (irq < PIC_PINS) this.updatePicInput(irq);
    else this.updateApicInput(irq);
  }

  /**
   * Re-drives every line the LPC owns after its routing registers changed:
   * unlike QEMU, which leaves a line where it was until the next edge, a
   * re-routed asserted PIRQ moves at once, as on the real chipset.
   */
  private refreshAllIrqs(): void {
    if (!this.wiring.setGsi) return;
    const irqs = new Set<number>();
    for (let p = 0; p < PIRQS; p++) {
      const irq = this.pirqRoute(p);
      if (irq !== undefined) irqs.add(irq);
    }
    for (const irq of this.drivenPicIrqs) irqs.add(irq);
    const sci = this.sciIrq;
    if (sci !== undefined && sci < PIC_PINS) irqs.add(sci);
    this.drivenPicIrqs = new Set(irqs);
    for (const irq of irqs) this.updatePicInput(irq);
    for (let gsi = PIC_PINS; gsi < PIC_PINS + PIRQS; gsi++) this.updateApicInput(gsi);
  }

  /** The 8259 inputs the LPC drove at the last refresh (to release those no longer routed). */
  private drivenPicIrqs = new Set<number>();

  // ---- fixed ports ---------------------------------------------------------------------

  /**
   * APM_CNT (0xb2) and APM_STS (0xb3). Writing 0x02/0x03 to APM_CNT enables
   * or disables ACPI mode (SCI_EN); any other value raises an SMI while
   * SMI_EN.APMC_EN is set (QEMU ich9_apm_ctrl_changed).
   */
  private readonly apm: RegionHandler = {
    read: (off: number, width: Width) => {
      let v = 0;
      for (let i = 0; i < width; i++) v |= (off + i === 0 ? this.apmCnt : off + i === 1 ? this.apmSts : 0) << (8 * i);
      return v >>> 0;
    },
    write: (off: number, width: Width, value: number) => {
      for (let i = 0; i < width; i++) {
        const b = (value >>> (8 * i)) & 0xff;
        if (off + i === 0) {
          this.apmCnt = b;
          if (b === APM_ACPI_ENABLE || b === APM_ACPI_DISABLE) {
            this.pm.setSciEnable(b === APM_ACPI_ENABLE);
            continue;
          }
          if (this.pm.smiEn & SMI_EN_APMC_EN) this.wiring.smi?.();
        } else if (off + i === 1) this.apmSts = b;
      }
    },
  };

  /** RST_CNT (0xcf9): bits 1 and 3 are kept; setting bit 2 resets the system. */
  private readonly resetControl: RegionHandler = {
    read: () => this.rstCnt,
    write: (off: number, _width: Width, value: number) => {
      if (off !== 0) return;
      if (value & 0x4) {
        this.wiring.onReset?.();
        return;
      }
      this.rstCnt = value & 0xa;
    },
  };
}
