/**
 * The Q35 MCH host bridge, 00:00.0 (8086:29c0, Intel 3 Series Express
 * Chipset datasheet §5.1, with QEMU 7.2's registers):
 *
 *   0x50  EXT_TSEG_MBYTES  QEMU extension: write 0xffff, read the TSEG size in MiB
 *   0x60  PCIEXBAR         ECAM base, length (256/128/64 MiB) and enable
 *   0x90  PAM0-PAM6        shadowing of 0xc0000-0xfffff (reads and writes to RAM or PCI)
 *   0x9c  F_SMBASE         QEMU extension: SMRAM at SMBASE
 *   0x9d  SMRAM            D_OPEN, D_CLS, D_LCK, G_SMRAME
 *   0x9e  ESMRAMC          H_SMRAME, TSEG size, T_EN
 *
 * Everything else from 0x40 up is plain read/write storage, as on QEMU.
 */
import type { DirectPage } from '../../cpu/platform.js';
import { LEGACY_START, PAGE_SIZE, type LegacyDecoder, type PhysicalMemory } from '../../bus/memory.js';
import { AliasRegion, allOnes, type RegionHandler, type Width } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import type { PciHost } from '../../pci/host.js';
import { CHIPSET } from '../catalog.js';

export const EXT_TSEG_MBYTES = 0x50;
export const PCIEXBAR = 0x60;
export const PAM0 = 0x90;
const PAM_COUNT = 7;
/** PAM attribute bits (datasheet §5.1.12): RE sends reads to DRAM, WE writes. */
const PAM_PCI = 0;
const PAM_RE = 1;
const PAM_WE = 2;
export const F_SMBASE = 0x9c;
export const SMRAM = 0x9d;
export const ESMRAMC = 0x9e;

export const PCIEXBAR_DEFAULT = 0xb000_0000;
export const PCIEXBAR_EN = 0x1;
const PCIEXBAR_LENGTH_MASK = 0x6;
/** Address bits 35:28 (QEMU's mask; bits 26 and 25 join for 128 and 64 MiB, bit 27 never does). */
const PCIEXBAR_ADMSK_LO = 0xf000_0000;
const PCIEXBAR_ADMSK_HI = 0xf;
const PCIEXBAR_128ADMSK = 1 << 26;
const PCIEXBAR_64ADMSK = 1 << 25;

const SMRAM_D_OPEN = 0x40;
const SMRAM_D_LCK = 0x10;
const SMRAM_G_SMRAME = 0x08;
const SMRAM_DEFAULT = 0x02;
const SMRAM_WMASK = 0x78;
const SMRAM_WMASK_LCK = 0x20;
const ESMRAMC_H_SMRAME = 0x80;
const ESMRAMC_TSEG_SZ_MASK = 0x06;
const ESMRAMC_T_EN = 0x01;
const ESMRAMC_DEFAULT = 0x38;
const ESMRAMC_WMASK = 0x87;
const F_SMBASE_QUERY = 0xff;
const F_SMBASE_IN_RAM = 0x01;
const F_SMBASE_LCK = 0x02;
const EXT_TSEG_QUERY = 0xffff;
/** Where H_SMRAME shows the 0xa0000-0xbffff SMRAM while D_OPEN (QEMU's "smram-open-high"). */
const HIGH_SMRAM = 0xfeda_0000;
const SMRAM_C_BASE = 0xa_0000;
const SMRAM_C_SIZE = 0x2_0000;

export interface MchOptions {
  /** QEMU extended-tseg-mbytes (16 by default). */
  readonly extTsegMbytes?: number;
}

/** The chipset resources the MCH decodes. */
export interface MchWiring {
  readonly host: PciHost;
  readonly memory: PhysicalMemory;
}

export class Q35Mch extends PciFunction {
  private readonly wiring: MchWiring;
  private readonly extTseg: number;
  private tsegOverlay: { unmap(): void } | undefined;
  private highSmramOverlay: { unmap(): void } | undefined;

  constructor(wiring: MchWiring, opts: MchOptions = {}) {
    const id = CHIPSET.mch;
    super('q35-mch', id, { configSize: 256 });
    this.wiring = wiring;
    this.extTseg = opts.extTsegMbytes ?? 16;
    wiring.memory.legacy = this.legacyWindow;
    this.resetDevice();
  }

  /** The ECAM window firmware programmed: base and size in bytes, or undefined while disabled. */
  get ecam(): { base: number; size: number } | undefined {
    const cs = this.config;
    const lo = cs.get32(PCIEXBAR);
    const hi = cs.get32(PCIEXBAR + 4);
    if (!(lo & PCIEXBAR_EN)) return undefined;
    let mask = PCIEXBAR_ADMSK_LO;
    let size: number;
    switch (lo & PCIEXBAR_LENGTH_MASK) {
      case 0:
        size = 256 * 2 ** 20;
        break;
      case 2:
        size = 128 * 2 ** 20;
        mask |= PCIEXBAR_128ADMSK | PCIEXBAR_64ADMSK;
        break;
      case 4:
        size = 64 * 2 ** 20;
        mask |= PCIEXBAR_64ADMSK;
        break;
      default:
        // Reserved length: QEMU leaves the window as it was.
        return this.wiring.host.ecamWindow;
    }
    return { base: (hi & PCIEXBAR_ADMSK_HI) * 2 ** 32 + ((lo & mask) >>> 0), size };
  }

  protected override resetDevice(): void {
    const cs = this.config;
    cs.set32(PCIEXBAR, PCIEXBAR_DEFAULT);
    cs.set32(PCIEXBAR + 4, 0);
    cs.set8(SMRAM, SMRAM_DEFAULT);
    cs.set8(ESMRAMC, ESMRAMC_DEFAULT);
    cs.setWmask8(SMRAM, SMRAM_WMASK);
    cs.setWmask8(ESMRAMC, ESMRAMC_WMASK);
    if (this.extTseg > 0) cs.set16(EXT_TSEG_MBYTES, EXT_TSEG_QUERY);
    cs.set8(F_SMBASE, 0);
    cs.setWmask8(F_SMBASE, 0xff);
    this.updatePciexbar();
    this.updateSmram();
    this.updateExtTseg();
  }

  protected override onConfigWrite(offset: number, width: number): void {
    const hits = (start: number, len: number) => offset < start + len && start < offset + width;
    if (hits(PCIEXBAR, 8)) this.updatePciexbar();
    if (hits(SMRAM, 2)) this.updateSmram();
    if (hits(PAM0, PAM_COUNT)) this.wiring.memory.mapChanged();
    if (hits(EXT_TSEG_MBYTES, 2)) this.updateExtTseg();
    if (hits(F_SMBASE, 1)) this.updateSmbase();
  }

  private updatePciexbar(): void {
    const cs = this.config;
    if ((cs.get32(PCIEXBAR) & PCIEXBAR_LENGTH_MASK) === PCIEXBAR_LENGTH_MASK) return;
    const w = this.ecam;
    this.wiring.host.setEcam(w?.base ?? 0, w?.size ?? 0);
  }

  private updateSmram(): void {
    const cs = this.config;
    if (cs.get8(SMRAM) & SMRAM_D_LCK) {
      cs.set8(SMRAM, cs.get8(SMRAM) & ~SMRAM_D_OPEN);
      cs.setWmask8(SMRAM, SMRAM_WMASK_LCK);
      cs.setWmask8(ESMRAMC, 0);
    }
    const memory = this.wiring.memory;
    // TSEG: a blackhole at the top of low RAM for non-SMM accesses.
    this.tsegOverlay?.unmap();
    this.tsegOverlay = undefined;
    const size = this.tsegSize();
    if (size > 0) this.tsegOverlay = memory.mapOverlay('tseg-blackhole', memory.layout.below4g - size, size, BLACKHOLE);
    // D_OPEN with H_SMRAME shows the low SMRAM at 0xfeda0000 instead of at 0xa0000.
    const open = (cs.get8(SMRAM) & SMRAM_D_OPEN) !== 0 && (cs.get8(ESMRAMC) & ESMRAMC_H_SMRAME) !== 0;
    if (open && !this.highSmramOverlay) {
      const ramView: RegionHandler = { read: (o, w) => memory.ram.read(o, w), write: (o, w, v) => memory.ram.write(o, w, v) };
      this.highSmramOverlay = memory.mapOverlay('smram-open-high', HIGH_SMRAM, SMRAM_C_SIZE, new AliasRegion(ramView, SMRAM_C_BASE, SMRAM_C_SIZE));
    } else if (!open && this.highSmramOverlay) {
      this.highSmramOverlay.unmap();
      this.highSmramOverlay = undefined;
    }
    memory.mapChanged();
  }

  /**
   * What a CPU in System Management Mode reaches at `addr` where its view
   * differs from everyone else's (QEMU's smram address space, mch_update_smram):
   * with G_SMRAME, the low SMRAM at 0xa0000-0xbffff is RAM (or, with
   * H_SMRAME, at 0xfeda0000 instead) and TSEG is RAM, not the blackhole.
   * Returns the RAM address behind `addr`, or -1 where SMM sees what
   * everyone sees.
   */
  smramTarget(addr: number): number {
    const cs = this.config;
    const smram = cs.get8(SMRAM);
    if (!(smram & SMRAM_G_SMRAME)) return -1;
    const high = (cs.get8(ESMRAMC) & ESMRAMC_H_SMRAME) !== 0;
    if (!high && addr >= SMRAM_C_BASE && addr < SMRAM_C_BASE + SMRAM_C_SIZE) return addr;
    if (high && addr >= HIGH_SMRAM && addr < HIGH_SMRAM + SMRAM_C_SIZE) return addr - HIGH_SMRAM + SMRAM_C_BASE;
    const tseg = this.tsegSize();
    const top = this.wiring.memory.layout.below4g;
    if (tseg > 0 && addr >= top - tseg && addr < top) return addr;
    return -1;
  }

  /** Bytes of TSEG while it is enabled (ESMRAMC.T_EN and SMRAM.G_SMRAME), else 0. */
  tsegSize(): number {
    const cs = this.config;
    if (!(cs.get8(ESMRAMC) & ESMRAMC_T_EN) || !(cs.get8(SMRAM) & SMRAM_G_SMRAME)) return 0;
    switch (cs.get8(ESMRAMC) & ESMRAMC_TSEG_SZ_MASK) {
      case 0:
        return 2 ** 20;
      case 2:
        return 2 * 2 ** 20;
      case 4:
        return 8 * 2 ** 20;
      default:
        return this.extTseg * 2 ** 20;
    }
  }

  private updateExtTseg(): void {
    if (this.extTseg > 0 && this.config.get16(EXT_TSEG_MBYTES) === EXT_TSEG_QUERY) this.config.set16(EXT_TSEG_MBYTES, this.extTseg);
  }

  private updateSmbase(): void {
    const cs = this.config;
    if (cs.get8(F_SMBASE) === F_SMBASE_QUERY) {
      cs.setWmask8(F_SMBASE, F_SMBASE_LCK);
      cs.set8(F_SMBASE, F_SMBASE_IN_RAM);
      return;
    }
    if (cs.wmask[F_SMBASE] === 0xff) cs.set8(F_SMBASE, 0);
    if (cs.get8(F_SMBASE) & F_SMBASE_LCK) {
      cs.setWmask8(F_SMBASE, cs.wmask[F_SMBASE]! & ~F_SMBASE_LCK);
      cs.set8(F_SMBASE, F_SMBASE_LCK);
    }
  }

  /**
   * What a non-SMM access to 0xa0000-0xfffff reaches, as on QEMU 7.2
   * (hw/pci-host/q35.c mch_update_smram, hw/pci-host/pam.c):
   *
   * - 0xa0000-0xbffff: RAM while SMRAM is open (D_OPEN without H_SMRAME),
   *   otherwise the PCI side (the VGA window).
   * - Each PAM segment: mode 0 sends reads and writes to the PCI side; RE
   *   alone reads RAM and drops CPU writes (QEMU's read-only RAM alias); WE
   *   alone and RE|WE read and write RAM (QEMU does not tell WE-only apart,
   *   where the datasheet would read PCI).
   * - The PCI side is transparent where nothing claims it: QEMU maps it as
   *   an alias of the PCI address space over RAM, so an address no PCI
   *   region covers (no VGA on the machine, no ROM there) reaches RAM. The
   *   BIOS alias at 0xe0000 and the VGA window are what normally covers it.
   */
  private readonly legacyWindow: LegacyDecoder = {
    read: (off: number, width: Width) => {
      const addr = LEGACY_START + off;
      const memory = this.wiring.memory;
      if (this.legacyMode(addr) === PAM_PCI && memory.mmio.find(addr)) return memory.mmio.read(addr, width);
      return memory.ram.read(addr, width);
    },
    write: (off: number, width: Width, value: number) => {
      const addr = LEGACY_START + off;
      const memory = this.wiring.memory;
      const mode = this.legacyMode(addr);
      if (mode === PAM_PCI && memory.mmio.find(addr)) memory.mmio.write(addr, width, value);
      else if (mode !== PAM_RE) memory.ram.write(addr, width, value);
    },
    directPage: (page: number): DirectPage | undefined => {
      const memory = this.wiring.memory;
      const mode = this.legacyMode(page);
      if (mode === PAM_RE) return memory.readOnlyRamPage(page);
      if (mode !== PAM_PCI) return memory.ramPage(page);
      const claim = memory.mmio.claims(page, page + PAGE_SIZE);
      if (!claim.any) return memory.ramPage(page);
      return memory.pciPage(page);
    },
  };

  /** The PAM attributes of the segment holding `addr` (RE, WE; 0: PCI); the SMRAM window as RE|WE while open. */
  private legacyMode(addr: number): number {
    const cs = this.config;
    if (addr < 0xc_0000) {
      const smram = cs.get8(SMRAM);
      const open = (smram & SMRAM_D_OPEN) !== 0 && !(cs.get8(ESMRAMC) & ESMRAMC_H_SMRAME);
      return open ? PAM_RE | PAM_WE : PAM_PCI;
    }
    if (addr >= 0xf_0000) return (cs.get8(PAM0) >> 4) & 3;
    const seg = Math.floor((addr - 0xc_0000) / 0x4000);
    const reg = cs.get8(PAM0 + 1 + (seg >> 1));
    return (seg & 1 ? reg >> 4 : reg) & 3;
  }
}

const BLACKHOLE: RegionHandler = { read: (_o, w) => allOnes(w), write: () => undefined };
