/**
 * The ICH9 LPC bridge, 00:1f.0 (8086:2918; Intel I/O Controller Hub 9
 * datasheet §13.1, with QEMU 7.2's behaviour):
 *
 *   0x40  PMBASE     ACPI PM I/O base (bits 15:7); mapped while ACPI_CNTL.ACPI_EN
 *   0x44  ACPI_CNTL  ACPI_EN (bit 7), SCI IRQ select (bits 2:0)
 *   0x60  PIRQA-D_ROUT, 0x68 PIRQE-H_ROUT: IRQEN (bit 7 = routing off), ISA IRQ (3:0)
 *   0x82  LPC_EN     COM1/COM2/LPT/FDC decode (set once when the machine is built)
 *   0xa0  GEN_PMCON_1: SMI_LOCK locks itself and GBL_SMI_EN
 *   0xf0  RCBA       root complex register block (16 KiB) base and enable
 *
 * plus the fixed ports the chipset answers: the PM block (PM1 status,
 * enable and control, the 3.579545 MHz PM timer, GPE0, SMI_EN/SMI_STS),
 * APM_CNT/APM_STS (0xb2/0xb3) and the reset control register (0xcf9).
 * QEMU's write mask for PMBASE is 0xff87 (its ACPI_CNTL mask overwrote the
 * low byte); that quirk is kept.
 */
import type { PortIoSpace, IoRange } from '../../bus/io.js';
import type { PhysicalMemory } from '../../bus/memory.js';
import type { RegionHandler, Width } from '../../bus/types.js';
import { readLe, writeLe } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';

export const PMBASE = 0x40;
export const ACPI_CNTL = 0x44;
export const PIRQA_ROUT = 0x60;
export const PIRQE_ROUT = 0x68;
export const LPC_EN = 0x82;
export const GEN_PMCON_1 = 0xa0;
export const RCBA = 0xf0;

const PMBASE_MASK = 0xff80;
const ACPI_EN = 0x80;
const PIRQ_DEFAULT = 0x80;
const SMI_LOCK = 0x10;
const RCBA_EN = 0x1;
const RCBA_MASK = 0xffff_c000;
export const PM_IO_SIZE = 128;
const RCRB_SIZE = 16 * 1024;

// PM I/O registers (offsets from PMBASE; ICH9 datasheet §13.8.3).
export const PM1_STS = 0x00;
export const PM1_EN = 0x02;
export const PM1_CNT = 0x04;
export const PM_TMR = 0x08;
export const GPE0_STS = 0x20;
export const GPE0_EN = 0x28;
export const SMI_EN = 0x30;
export const SMI_STS = 0x34;
const PM1_CNT_SCI_EN = 0x0001;
const PM1_CNT_SLP_EN = 0x2000;
const PM_TIMER_HZ = 3_579_545;
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
  /** Monotonic time in nanoseconds (for the PM timer). */
  readonly clock: () => number;
  /** The guest asked for a system reset (RST_CNT). */
  readonly onReset?: () => void;
}

export class Ich9Lpc extends PciFunction {
  private readonly wiring: LpcWiring;
  private pmRange: IoRange | undefined;
  private rcrbRegion: { unmap(): void } | undefined;
  private readonly rcrb = new Uint8Array(RCRB_SIZE);
  private pm1Sts = 0;
  private pm1En = 0;
  private pm1Cnt = 0;
  private readonly gpe0 = new Uint8Array(16);
  private smiEn = 0;
  private smiSts = 0;
  private smiEnWmask = 0xffff_ffff;
  private apmCnt = 0;
  private apmSts = 0;
  private rstCnt = 0;

  constructor(wiring: LpcWiring, opts: LpcOptions = {}) {
    super('ich9-lpc', CHIPSET.lpc, { configSize: 256, multifunction: true });
    this.wiring = wiring;
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
    for (const off of [0x3140, 0x3144, 0x3146, 0x3148, 0x314c, 0x3150]) writeLe(this.rcrb, off, 2, 0x3210);
    writeLe(this.rcrb, 0x310c, 4, 0x0021_4321);
    writeLe(this.rcrb, 0x3410, 4, 0x20);
    this.pm1Sts = 0;
    this.pm1En = 0;
    this.pm1Cnt = 0;
    this.gpe0.fill(0);
    this.smiEn = 0;
    this.smiSts = 0;
    this.rstCnt = 0;
    this.updatePmBase();
    this.updateRcba();
  }

  protected override onConfigWrite(offset: number, width: number): void {
    const hits = (start: number, len: number) => offset < start + len && start < offset + width;
    if (hits(PMBASE, 4) || hits(ACPI_CNTL, 1)) this.updatePmBase();
    if (hits(RCBA, 4)) this.updateRcba();
    if (hits(GEN_PMCON_1, 8)) {
      const cs = this.config;
      if (cs.get16(GEN_PMCON_1) & SMI_LOCK) {
        cs.setWmask16(GEN_PMCON_1, cs.getWmask16(GEN_PMCON_1) & ~SMI_LOCK);
        this.smiEnWmask &= ~1;
      }
    }
  }

  private updatePmBase(): void {
    const cs = this.config;
    const base = cs.get8(ACPI_CNTL) & ACPI_EN ? cs.get32(PMBASE) & PMBASE_MASK : 0;
    if (this.pmRange && this.pmRange.base === base) return;
    if (this.pmRange) this.wiring.io.unmap(this.pmRange);
    this.pmRange = base ? this.wiring.io.map('ich9-pm', base, PM_IO_SIZE, this.pmBlock) : undefined;
  }

  private updateRcba(): void {
    this.rcrbRegion?.unmap();
    this.rcrbRegion = undefined;
    const rcba = this.config.get32(RCBA);
    if (rcba & RCBA_EN) {
      this.rcrbRegion = this.wiring.memory.mapOverlay('lpc-rcrb', (rcba & RCBA_MASK) >>> 0, RCRB_SIZE, {
        read: (off, width) => readLe(this.rcrb, off, width),
        write: (off, width, value) => writeLe(this.rcrb, off, width, value),
      });
    }
  }

  /** The PM timer: a free-running 24-bit counter at 3.579545 MHz. */
  pmTimer(): number {
    return Math.floor((this.wiring.clock() * PM_TIMER_HZ) / 1e9) & 0xff_ffff;
  }

  private readonly pmBlock: RegionHandler = {
    read: (off: number, width: Width) => {
      let v = 0;
      for (let i = 0; i < width; i++) v |= this.pmReadByte(off + i) << (8 * i);
      return v >>> 0;
    },
    write: (off: number, width: Width, value: number) => {
      if (off === SMI_EN && width === 4) {
        this.smiEn = ((this.smiEn & ~this.smiEnWmask) | (value & this.smiEnWmask)) >>> 0;
        return;
      }
      for (let i = 0; i < width; i++) this.pmWriteByte(off + i, (value >>> (8 * i)) & 0xff);
    },
  };

  private pmReadByte(off: number): number {
    if (off < 2) return (this.pm1Sts >>> (8 * off)) & 0xff;
    if (off < 4) return (this.pm1En >>> (8 * (off - 2))) & 0xff;
    if (off < 6) return (this.pm1Cnt >>> (8 * (off - 4))) & 0xff;
    if (off >= PM_TMR && off < PM_TMR + 4) return (this.pmTimer() >>> (8 * (off - PM_TMR))) & 0xff;
    if (off >= GPE0_STS && off < GPE0_STS + 16) return this.gpe0[off - GPE0_STS]!;
    if (off >= SMI_EN && off < SMI_EN + 4) return (this.smiEn >>> (8 * (off - SMI_EN))) & 0xff;
    if (off >= SMI_STS && off < SMI_STS + 4) return (this.smiSts >>> (8 * (off - SMI_STS))) & 0xff;
    return 0;
  }

  /** PM1_STS and GPE0_STS are write-1-to-clear (ACPI 6.4 §4.8.3.1.1, §4.8.4.1). */
  private pmWriteByte(off: number, v: number): void {
    if (off < 2) this.pm1Sts &= ~(v << (8 * off));
    else if (off < 4) this.pm1En = (this.pm1En & ~(0xff << (8 * (off - 2)))) | (v << (8 * (off - 2)));
    else if (off < 6) this.pm1Cnt = ((this.pm1Cnt & ~(0xff << (8 * (off - 4)))) | (v << (8 * (off - 4)))) & ~PM1_CNT_SLP_EN;
    else if (off >= GPE0_STS && off < GPE0_STS + 8) this.gpe0[off - GPE0_STS]! &= ~v;
    else if (off >= GPE0_EN && off < GPE0_EN + 8) this.gpe0[off - GPE0_STS] = v;
  }

  /** APM_CNT (0xb2) and APM_STS (0xb3); writing 0x02/0x03 to APM_CNT enables/disables ACPI mode (SCI_EN). */
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
          if (b === APM_ACPI_ENABLE) this.pm1Cnt |= PM1_CNT_SCI_EN;
          if (b === APM_ACPI_DISABLE) this.pm1Cnt &= ~PM1_CNT_SCI_EN;
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

  /** The IRQ a PIRQ link routes to, or undefined while routing is disabled (IRQEN set). */
  pirqRoute(link: number): number | undefined {
    const reg = this.config.get8(link < 4 ? PIRQA_ROUT + link : PIRQE_ROUT + link - 4);
    return reg & 0x80 ? undefined : reg & 0x0f;
  }
}
