/**
 * The ICH9 AHCI controller, 00:1f.2 (8086:2922, class 01 06 01; ICH9
 * datasheet §14): BAR4 is the 32-byte index/data pair, BAR5 the 4 KiB ABAR
 * with the AHCI registers (hba.ts). Capabilities as QEMU 7.2 lays them
 * out: MSI (64-bit, one vector) at 0x80, then the SATA capability at 0xa8
 * naming BAR4 + 0x10 as the index/data pair. The MAP register (0x90)
 * selects AHCI mode.
 *
 * Drives: a SATA disk or ATAPI CD-ROM per port (ata.ts). Like QEMU's q35
 * machine, a controller given no drives at all gets QEMU's default empty
 * CD-ROM drive on port 2 (`-drive if=ide,index=2,media=cdrom` that every
 * QEMU started without -nodefaults adds unless an ide-hd/ide-cd device is
 * created); `drives: []` means a controller with no drives.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { Drive, type DriveOwner } from '../../backends/drive.js';
import type { DriveSpec } from '../../backends/block.js';
import { MsiCapability, SataCapability } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';
import { barOf } from '../common.js';
import { SataDrive } from './ata.js';
import { AhciHba, AHCI_PORTS } from './hba.js';

export const MAP = 0x90;
const MSI_OFFSET = 0x80;
const SATA_CAP_OFFSET = 0xa8;
const IDP_BAR = 4;
const IDP_INDEX_LOG2 = 4;
/** The index/data pair inside BAR4 (ICH9 §14.2: AIDP at 0x10, AIDD at 0x14). */
const IDP_INDEX = 0x10;
const IDP_DATA = 0x14;
const ABAR_SIZE = 0x1000;
/** Port of QEMU's default CD-ROM drive (drive index 2 on a machine with one drive per IDE bus). */
export const DEFAULT_CDROM_PORT = 2;

/** A drive on one AHCI port, as the machine file describes it. */
export interface SataDriveParams {
  readonly port: number;
  readonly kind: 'disk' | 'cdrom';
  /** The image; none for an empty CD-ROM drive. */
  readonly drive?: DriveSpec;
}

export class Ich9Ahci extends PciFunction implements DriveOwner {
  readonly hba: AhciHba;
  /** The drive on each port that has one. */
  readonly sata: readonly (SataDrive | undefined)[];
  readonly drives: readonly Drive[];
  private readonly msi: MsiCapability;

  /** `drives` undefined: QEMU's default (an empty CD-ROM on port 2). */
  constructor(drives?: readonly SataDriveParams[]) {
    const id = CHIPSET.ahci;
    super('ich9-ahci', id, { configSize: 256, multifunction: true });
    const params = drives ?? [{ port: DEFAULT_CDROM_PORT, kind: 'cdrom' }];
    const sata: (SataDrive | undefined)[] = new Array(AHCI_PORTS).fill(undefined);
    for (const d of params) {
      if (d.port < 0 || d.port >= AHCI_PORTS || sata[d.port]) throw new RangeError(`AHCI port ${d.port} is not free`);
      sata[d.port] = new SataDrive(d.kind, new Drive(d.drive, `port ${d.port}`), d.port);
    }
    this.sata = sata;
    this.drives = sata.filter((s): s is SataDrive => s !== undefined).map((s) => s.drive);
    this.config.set8(MAP, 1 << 6);
    this.hba = new AhciHba(
      {
        dmaRead: (a, into) => this.dmaRead(a, into),
        dmaWrite: (a, data) => this.dmaWrite(a, data),
        setInterrupt: (level) => this.interrupt(level),
      },
      sata,
    );
    this.registerBar(barOf(id, 4), new IndexDataPair(this.hba));
    this.registerBar(barOf(id, 5), this.hba);
    this.addCapability(new SataCapability(IDP_BAR + 4, IDP_INDEX_LOG2), SATA_CAP_OFFSET);
    this.msi = this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), MSI_OFFSET);
  }

  /** QEMU ahci_irq_raise/lower: an MSI message on every raise while MSI is on, else the INTx level. */
  private interrupt(level: boolean): void {
    if (this.msi?.enabled(this.config)) {
      if (level) this.notifyMsi(0);
      return;
    }
    this.setIntx(level);
  }

  protected override resetDevice(): void {
    this.hba?.reset();
  }
}

/** BAR4: the AHCI index/data pair, a window onto ABAR through IO space (QEMU ahci_idp_read/write). */
class IndexDataPair implements RegionHandler {
  private index = 0;
  constructor(private readonly hba: AhciHba) {}

  read(offset: number, width: Width): number {
    const lane = offset & 3;
    if (offset - lane === IDP_INDEX) return (this.index >>> (8 * lane)) & (width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1);
    if (offset - lane === IDP_DATA) return this.hba.read(this.index + lane, width);
    return 0;
  }

  write(offset: number, width: Width, value: number): void {
    if (offset === IDP_INDEX) this.index = value & (ABAR_SIZE - 1) & ~3;
    else if (offset - (offset & 3) === IDP_DATA) this.hba.write(this.index + (offset & 3), width, value);
  }
}
