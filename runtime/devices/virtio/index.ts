/**
 * virtio-pci functions (virtio 1.1 §4.1), virtio-net, virtio-blk,
 * virtio-serial, virtio-balloon, virtio-rng and virtio-gpu, as QEMU 7.2
 * builds them. Behind a PCIe root or downstream port they are
 * modern-only (1af4:1040 + the virtio device ID, rev 1) with PCIe and PM
 * capabilities and 4 KiB config space; elsewhere (pcie.0, conventional
 * buses) they are transitional (1af4:1000-1005, rev 0) with a legacy IO BAR0
 * and 256 bytes of config space, except virtio-gpu, which is modern-only
 * everywhere (catalog.ts VIRTIO_KINDS).
 *
 * All have the vendor capabilities that locate the modern registers in
 * BAR4 (common 0x0000, ISR 0x1000, device 0x2000, notify 0x3000 with a
 * multiplier of 4), the PCI configuration access capability (a window into
 * BAR4 through config space), and an exclusive MSI-X BAR1 (not
 * virtio-balloon under 7.2's machine type, which has no vectors there; from
 * 10.0's it has 2). The virtio registers
 * (transport.ts) are live with the device model behind them: virtio-blk
 * (blk.ts), virtio-net (net.ts), the console (console.ts), the balloon
 * (balloon.ts), the entropy device (rng.ts) and the 2D GPU (gpu.ts);
 * a virtio-net PF with VFs offers VIRTIO_F_SR_IOV, and each VF is a
 * virtio-net of its own (its own transport, queues and network port).
 */
import { Drive, type DriveOwner } from '../../backends/drive.js';
import type { DriveSpec } from '../../backends/block.js';
import { CompositeRegion, RomRegion, ZERO_REGION, type RegionHandler } from '../../bus/types.js';
import { stdVgaMmio, VramRegion } from '../std-vga/index.js';
import { Vram, VgaCore } from '../std-vga/vga.js';
import { Capability } from '../../pci/capability.js';
import { MsixCapability, PmCapability, VendorCapability } from '../../pci/caps.js';
import type { ConfigSpace } from '../../pci/config-space.js';
import { AriCapability } from '../../pci/ext-caps.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { SriovCapability, VirtualFunction } from '../../pci/sriov.js';
import { CHIPSET, virtioMsixVectors, type BarSpec, type BusKind, type Identity, type VirtioKind } from '../catalog.js';
import { barOf, catalogIdentity, catalogModel, macBytes, romOf } from '../common.js';
import type { NetPort } from '../../backends/net.js';
import { VirtioBalloonDevice } from './balloon.js';
import { VirtioBlkDevice } from './blk.js';
import { VirtioConsoleDevice, type ConsolePortSpec } from './console.js';
import { VirtioGpuDevice } from './gpu.js';
import { NET_F_MRG_RXBUF, VirtioNetDevice } from './net.js';
import type { QueueDma } from './queue.js';
import { VirtioRngDevice, type EntropySource } from './rng.js';
import { VirtioScsiDevice } from './scsi.js';
import { ScsiUnit } from './scsi-unit.js';
import { F_SR_IOV, F_VERSION_1, VirtioTransport, type VirtioDevice } from './transport.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

// virtio_pci_cap cfg_type values (virtio 1.1 §4.1.4).
export const VIRTIO_PCI_CAP_COMMON_CFG = 1;
export const VIRTIO_PCI_CAP_NOTIFY_CFG = 2;
export const VIRTIO_PCI_CAP_ISR_CFG = 3;
export const VIRTIO_PCI_CAP_DEVICE_CFG = 4;
export const VIRTIO_PCI_CAP_PCI_CFG = 5;

const MODERN_BAR = 4;
const MSIX_BAR = 1;
const NOTIFY_MULTIPLIER = 4;
const QUEUE_MAX = 1024;
/** Offsets in struct virtio_pci_cfg_cap. */
const CFG_CAP_BAR = 4;
const CFG_CAP_OFFSET = 8;
const CFG_CAP_LENGTH = 12;
const CFG_CAP_DATA = 16;

export interface VirtioParams {
  /** The kind of bus it sits on: modern-only behind PCIe ports, transitional elsewhere. */
  readonly bus: BusKind;
  /** MSI-X vectors (QEMU `vectors`); default as QEMU 7.2 computes it. */
  readonly vectors?: number;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

/** virtio_pci_cap: cap_len, cfg_type, bar, id, padding, offset, length (+ extra). */
function virtioCap(type: number, bar: number, offset: number, length: number, extra: number[] = []): Uint8Array {
  const len = 16 + extra.length;
  const b = new Uint8Array(len - 2);
  const v = new DataView(b.buffer);
  b[0] = len;
  b[1] = type;
  b[2] = bar;
  v.setUint32(8 - 2, offset, true);
  v.setUint32(12 - 2, length, true);
  b.set(extra, 16 - 2);
  return b;
}

/**
 * Where a function's virtio registers are: the BAR of the modern registers
 * and of MSI-X, and each block's offset and length in the modern BAR.
 */
export interface VirtioLayout {
  readonly modernBar: number;
  readonly msixBar: number;
  readonly common: readonly [number, number];
  readonly isr: readonly [number, number];
  readonly device: readonly [number, number];
  readonly notify: readonly [number, number];
}

/** virtio-pci's layout (BAR4: common 0x0000, ISR 0x1000, device 0x2000, notify 0x3000, 4 KiB each; MSI-X in BAR1). */
export const DEFAULT_LAYOUT: VirtioLayout = { modernBar: MODERN_BAR, msixBar: MSIX_BAR, common: [0x0000, 0x1000], isr: [0x1000, 0x1000], device: [0x2000, 0x1000], notify: [0x3000, 0x1000] };

/** What building the virtio registers needs from the function they belong to. */
interface VirtioHost {
  addCapability<C extends Capability>(cap: C): C;
  registerBar(spec: BarSpec, handler: RegionHandler): void;
}

/**
 * The registers every virtio-pci function has (a PF and each of its VFs
 * alike): the PCIe and PM capabilities behind a PCIe port, the vendor
 * capabilities locating the modern registers in BAR4, the PCI configuration
 * access capability, MSI-X in BAR1, the legacy IO BAR elsewhere.
 */
class VirtioRegisters {
  /** Absent when the function has no MSI-X vectors (virtio-balloon under 7.2's machine type). */
  readonly msix: MsixCapability | undefined;
  readonly cfgCap: VendorCapability;
  readonly modernRegion = new CompositeRegion();
  readonly modernSize: number;

  constructor(host: VirtioHost, id: Identity, vectors: number, compat: DeviceCompat, handlers?: { modern: RegionHandler; legacy: RegionHandler }, layout: VirtioLayout = DEFAULT_LAYOUT) {
    if (id.pcie) {
      // virtio_pci_realize on a PCIe port: PCIe (first free: 0x40), PM (0x7c), FLR, error and link bits.
      host.addCapability(new PcieCapability({ version: 2, type: R.EXP_TYPE_ENDPOINT, deverr: true, lnkctl: true, flr: true, extTag: compat.pcieExtTag }));
      host.addCapability(new PmCapability({ pmc: R.PM_CAP_VER_1_2, pmcsrWmask: R.PM_CTRL_STATE_MASK, resetPmcsr: true }));
    }
    // virtio_pci_device_plugged: the modern capabilities, then MSI-X, then the legacy BAR.
    const bar4 = barOf(id, layout.modernBar);
    this.modernSize = bar4.size;
    // Each block of the transport's registers (at DEFAULT_LAYOUT's offsets) where the layout puts it.
    const modern = handlers?.modern ?? ZERO_REGION;
    for (const block of ['common', 'isr', 'device', 'notify'] as const) {
      const [at, size] = layout[block];
      const from = DEFAULT_LAYOUT[block][0];
      this.modernRegion.add(at, size, { read: (off, w) => modern.read(from + off, w), write: (off, w, v) => modern.write(from + off, w, v) });
    }
    const cap = (type: number, block: readonly [number, number], extra?: number[]) => new VendorCapability(virtioCap(type, layout.modernBar, block[0], block[1], extra));
    host.addCapability(cap(VIRTIO_PCI_CAP_COMMON_CFG, layout.common));
    host.addCapability(cap(VIRTIO_PCI_CAP_ISR_CFG, layout.isr));
    host.addCapability(cap(VIRTIO_PCI_CAP_DEVICE_CFG, layout.device));
    const mult = [NOTIFY_MULTIPLIER, 0, 0, 0];
    host.addCapability(cap(VIRTIO_PCI_CAP_NOTIFY_CFG, [layout.notify[0], NOTIFY_MULTIPLIER * QUEUE_MAX], mult));
    host.registerBar(bar4, this.modernRegion);
    const cfgMask = new Uint8Array(18);
    cfgMask[CFG_CAP_BAR - 2] = 0xff;
    cfgMask.fill(0xff, CFG_CAP_OFFSET - 2, CFG_CAP_OFFSET - 2 + 4);
    cfgMask.fill(0xff, CFG_CAP_LENGTH - 2, CFG_CAP_LENGTH - 2 + 4);
    cfgMask.fill(0xff, CFG_CAP_DATA - 2, CFG_CAP_DATA - 2 + 4);
    this.cfgCap = host.addCapability(new VendorCapability(virtioCap(VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0, [0, 0, 0, 0]), cfgMask));
    if (vectors > 0) {
      const bar1 = barOf(id, layout.msixBar);
      // msix_init_exclusive_bar: table at 0, PBA at half the BAR (or after the table).
      const pbaOffset = Math.max(bar1.size / 2, vectors * R.MSIX_ENTRY_SIZE);
      this.msix = host.addCapability(new MsixCapability({ vectors, tableBar: layout.msixBar, tableOffset: 0, pbaBar: layout.msixBar, pbaOffset }));
      host.registerBar(bar1, this.msix.barRegion());
    } else this.msix = undefined;
    const legacy = id.bars.find((b) => b.index === 0 && b.kind === 'io');
    if (legacy) host.registerBar(legacy, handlers?.legacy ?? ZERO_REGION);
  }

  /**
   * The BAR4 access a config access at `offset` makes through the PCI
   * configuration access capability's data field (virtio 1.1 §4.1.4.8), if any.
   */
  private windowAccess(cs: ConfigSpace, offset: number, width: number): { data: number; at: number; len: 1 | 2 | 4 } | undefined {
    const data = this.cfgCap.offset + CFG_CAP_DATA;
    if (offset >= data + 4 || data >= offset + width) return undefined;
    const len = cs.get32(this.cfgCap.offset + CFG_CAP_LENGTH);
    if (len !== 1 && len !== 2 && len !== 4) return undefined;
    const off = cs.get32(this.cfgCap.offset + CFG_CAP_OFFSET);
    const at = off - (off % len);
    return at + len <= this.modernSize ? { data, at, len } : undefined;
  }

  /** Before a config read: reads of the data field come from BAR4. */
  beforeRead(cs: ConfigSpace, offset: number, width: number): void {
    const w = this.windowAccess(cs, offset, width);
    if (!w) return;
    const v = this.modernRegion.read(w.at, w.len);
    for (let i = 0; i < w.len; i++) cs.set8(w.data + i, (v >>> (8 * i)) & 0xff);
  }

  /** After a config write: writes of the data field land in BAR4. */
  afterWrite(cs: ConfigSpace, offset: number, width: number): void {
    const w = this.windowAccess(cs, offset, width);
    if (!w) return;
    this.modernRegion.write(w.at, w.len, w.len === 4 ? cs.get32(w.data) : w.len === 2 ? cs.get16(w.data) : cs.get8(w.data));
  }
}

/**
 * The virtio transport of function `fn` in front of the device `device`
 * makes: DMA as the function's bus master, MSI-X through `msix` (the
 * function's capability, once built), INTx on the function's pin.
 */
function transportOf(fn: PciFunction, vectors: number, msix: () => MsixCapability | undefined, device: (dma: QueueDma) => VirtioDevice): VirtioTransport {
  const dma: QueueDma = { dmaRead: (a, into) => fn.dmaRead(a, into), dmaWrite: (a, data) => fn.dmaWrite(a, data) };
  return new VirtioTransport(
    { ...dma, msixEnabled: () => msix()?.enabled(fn.config) ?? false, notifyMsi: (v) => fn.notifyMsi(v), msixVectors: vectors, setIntx: (level) => fn.setIntx(level) },
    device(dma),
  );
}

/** A virtio-net device behind its transport: its queues, its header size as negotiated, its interrupts. */
function wireNet(net: VirtioNetDevice, transport: VirtioTransport): void {
  net.queues = transport.queues;
  net.headerSize = () => (transport.has(F_VERSION_1) || transport.has(NET_F_MRG_RXBUF) ? 12 : 10);
  net.onUsed = (q) => transport.queueInterrupt(q);
}

export class VirtioPci extends PciFunction {
  readonly modern: boolean;
  readonly msix: MsixCapability | undefined;
  protected readonly identity: Identity;
  private readonly registers: VirtioRegisters;
  /** The modern BAR's regions (devices add their own beside the virtio blocks: virtio-vga's VGA MMIO). */
  protected get modernRegion(): CompositeRegion {
    return this.registers.modernRegion;
  }
  /** The virtio registers and queues, when a device model is behind them. */
  readonly transport: VirtioTransport | undefined;

  constructor(kind: VirtioKind, params: VirtioParams, cpus = 1, device?: (dma: QueueDma) => VirtioDevice, as?: { model: string; identity: Identity; layout: VirtioLayout }) {
    const model = as?.model ?? `virtio-${kind}`;
    const compat = params.compat ?? DEFAULT_COMPAT;
    const id = as?.identity ?? catalogIdentity(model, params.bus, compat);
    super(model, id, { configSize: id.pcie ? 4096 : 256, multifunction: params.multifunction });
    this.modern = id.pcie;
    this.identity = id;
    const vectors = params.vectors ?? virtioMsixVectors(kind, cpus, compat);
    this.transport = device ? transportOf(this, vectors, () => this.msix, device) : undefined;
    this.registers = new VirtioRegisters(
      { addCapability: (cap) => this.addCapability(cap), registerBar: (spec, handler) => this.registerBar(spec, handler) },
      id,
      vectors,
      compat,
      this.transport ? { modern: this.transport.modernRegion, legacy: this.transport.legacyRegion } : undefined,
      as?.layout,
    );
    this.msix = this.registers.msix;
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }

  override configRead(offset: number, width: 1 | 2 | 4): number {
    this.registers.beforeRead(this.config, offset, width);
    return super.configRead(offset, width);
  }

  protected override onConfigWrite(offset: number, width: number): void {
    this.registers.afterWrite(this.config, offset, width);
  }

  protected override resetDevice(): void {
    this.transport?.reset();
  }
}

export interface VirtioNetParams extends VirtioParams {
  readonly mac?: string;
  /**
   * SR-IOV from user-created VFs (QEMU >= 10.1, `sriov-pf=`): as many VFs as
   * were created, First VF Offset and VF Stride as they were placed.
   */
  readonly sriov?: {
    readonly totalVfs: number;
    readonly offset: number;
    readonly stride: number;
    /** Each VF's MAC (default: the PF's plus the VF's number + 1). */
    readonly macs?: readonly string[];
  };
}

/** The MAC `n` after `mac` (the low three bytes counting, with carry; the OUI kept). */
function followingMac(mac: readonly number[], n: number): string {
  const low = (((mac[3]! << 16) | (mac[4]! << 8) | mac[5]!) + n) & 0xff_ffff;
  return [mac[0]!, mac[1]!, mac[2]!, low >> 16, (low >> 8) & 0xff, low & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The PF's ARI capability as QEMU leaves it at 0x140: the Next Function Number, but a header of 0 (see VirtioNet). */
class HeaderlessAri extends Capability {
  readonly id = 0;
  override readonly extended = true;
  readonly size = R.ARI_SIZEOF;

  constructor(private readonly nextFunction: number) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set32(this.offset + R.ARI_CAP, this.nextFunction << 8);
  }
}

/**
 * virtio-net: MSI-X vectors 2 per queue pair + 2 (4 by default).
 *
 * With user-created VFs (QEMU 11.1, pcie_sriov_pf_init_from_user_created_vfs,
 * measured in tests/fixtures/captures/qemu-11.1/virtio-net-sriov) the PF gets the
 * SR-IOV capability at 0x100: InitialVFs = TotalVFs = the VFs created, the
 * VF Device ID and BARs of the VFs (BAR1 4 KiB, BAR4 16 KiB 64-bit
 * prefetchable). It links on to 0x140, where QEMU puts the PF's ARI
 * capability (its Next Function Number as the machine type has it), but the header there reads 0,
 * which ends the list (PCIe 4.0 §7.6.3): the guest sees no ARI on the PF.
 */
export class VirtioNet extends VirtioPci {
  readonly sriov: SriovCapability | undefined;
  readonly net: VirtioNetDevice;

  constructor(params: VirtioNetParams) {
    let net: VirtioNetDevice | undefined;
    // QEMU's default MAC for a NIC without one: 52:54:00:12:34:56.
    const mac = macBytes(params.mac ?? '52:54:00:12:34:56');
    super('net', params, 1, (dma) => (net = new VirtioNetDevice(dma, mac)));
    this.net = net!;
    const transport = this.transport!;
    wireNet(this.net, transport);
    const sr = params.sriov;
    if (sr && sr.totalVfs > 0 && this.modern) {
      const spec = catalogModel('virtio-net').sriov!;
      this.sriov = this.addExtCapability(
        new SriovCapability(this, { totalVfs: sr.totalVfs, initialVfs: sr.totalVfs, offset: sr.offset, stride: sr.stride, vfDeviceId: spec.vfDeviceId, vfBars: spec.vfBars }),
        R.CONFIG_SPACE_SIZE,
      );
      const compat = params.compat ?? DEFAULT_COMPAT;
      this.addExtCapability(new HeaderlessAri(compat.ariNextFn1 ? 1 : 0), R.CONFIG_SPACE_SIZE + R.SRIOV_SIZEOF);
      for (let i = 0; i < sr.totalVfs; i++) this.sriov.vfs.push(new VirtioNetVf(this, i, params.vectors ?? virtioMsixVectors('net', 1), compat, sr.macs?.[i] ?? followingMac(mac, i + 1)));
      // virtio_pci_device_plugged: a PF with user-created VFs offers VIRTIO_F_SR_IOV, without which
      // Linux's virtio_pci refuses to enable VFs (virtio_pci_sriov_configure).
      transport.functionFeatures |= 1n << F_SR_IOV;
    } else this.sriov = undefined;
  }

  /** Connects the NIC to a network (a port of an EthernetSwitch). */
  connect(port: NetPort): void {
    this.net.connect(port);
  }

  /** VF `n` (0-based); it answers config cycles only while enabled. */
  vf(n: number): VirtioNetVf {
    const vf = this.sriov?.vfs[n];
    if (!vf) throw new RangeError(`${this.label} has no VF ${n}`);
    return vf as VirtioNetVf;
  }
}

/**
 * A user-created virtio-net VF: a whole virtio-net-pci function (the same
 * capabilities as its PF, INTA in Interrupt Pin) with the VF rules applied
 * (Vendor and Device ID 0xffff, BAR registers 0, no expansion ROM) and an
 * ARI capability at 0x100 (Next Function Number as the machine type has it).
 * As in QEMU, where each VF is a virtio-net-pci with a netdev of its own, it
 * has its own transport, queues and network port: its frames do not pass
 * through the PF.
 */
export class VirtioNetVf extends VirtualFunction {
  private readonly registers: VirtioRegisters;
  readonly net: VirtioNetDevice;
  readonly transport: VirtioTransport;

  constructor(pf: VirtioNet, index: number, vectors: number, compat: DeviceCompat, mac: string) {
    const id = catalogIdentity('virtio-net', 'pcie-link');
    super('virtio-net', pf, pf.sriov!, index, { revision: id.revision, classCode: id.classCode, subsystemVendorId: id.subsystemVendorId, subsystemId: id.subsystemId, pin: 1 });
    const vfBars = catalogModel('virtio-net').sriov!.vfBars;
    let net: VirtioNetDevice | undefined;
    this.transport = transportOf(this, vectors, () => this.registers.msix, (dma) => (net = new VirtioNetDevice(dma, macBytes(mac))));
    this.net = net!;
    wireNet(this.net, this.transport);
    this.registers = new VirtioRegisters(
      {
        addCapability: (cap) => this.addCapability(cap),
        registerBar: (spec, handler) => this.setVfRegion(vfBars.find((b) => b.index === spec.index) ?? spec, handler),
      },
      id,
      vectors,
      compat,
      { modern: this.transport.modernRegion, legacy: this.transport.legacyRegion },
    );
    this.addExtCapability(new AriCapability(compat.ariNextFn1 ? 1 : 0), R.CONFIG_SPACE_SIZE);
  }

  /** Connects the VF to a network (a port of an EthernetSwitch). */
  connect(port: NetPort): void {
    this.net.connect(port);
  }

  protected override resetDevice(): void {
    this.transport.reset();
  }

  override configRead(offset: number, width: 1 | 2 | 4): number {
    this.registers.beforeRead(this.config, offset, width);
    return super.configRead(offset, width);
  }

  protected override onConfigWrite(offset: number, width: number): void {
    this.registers.afterWrite(this.config, offset, width);
  }
}

export interface VirtioBlkParams extends VirtioParams {
  /** vCPUs of the machine: QEMU 7.2 gives virtio-blk one queue per vCPU, so vCPUs + 1 vectors. */
  readonly cpus?: number;
  /** The image (none: a drive without a medium, capacity 0). */
  readonly drive?: DriveSpec;
  /** What GET_ID returns (QEMU `serial`). */
  readonly serial?: string;
}

export class VirtioBlk extends VirtioPci implements DriveOwner {
  readonly drive: Drive;
  readonly blk: VirtioBlkDevice;

  constructor(params: VirtioBlkParams) {
    const drive = new Drive(params.drive, 'disk');
    let blk: VirtioBlkDevice | undefined;
    const queues = Math.min(Math.max(params.cpus ?? 1, 1), 1024);
    super('blk', params, params.cpus ?? 1, (dma) => (blk = new VirtioBlkDevice(dma, drive, queues, params.serial)));
    this.drive = drive;
    this.blk = blk!;
    const transport = this.transport!;
    this.blk.onUsed = (q) => transport.queueInterrupt(q);
  }

  get drives(): readonly Drive[] {
    return [this.drive];
  }
}

export interface VirtioSerialParams extends VirtioParams {
  /** The ports (virtconsole / virtserialport), in the machine file's order. */
  readonly ports?: readonly ConsolePortSpec[];
}

/** virtio-serial-pci: the console device with its ports (console.ts); 2 MSI-X vectors. */
export class VirtioSerial extends VirtioPci {
  readonly console: VirtioConsoleDevice;

  constructor(params: VirtioSerialParams) {
    let dev: VirtioConsoleDevice | undefined;
    super('serial', params, 1, (dma) => (dev = new VirtioConsoleDevice(dma, params.ports ?? [])));
    this.console = dev!;
    const transport = this.transport!;
    this.console.queues = transport.queues;
    this.console.onUsed = (q) => transport.queueInterrupt(q);
  }
}

/**
 * virtio-balloon-pci: the memory balloon (balloon.ts). Under QEMU 7.2's
 * machine type it has no MSI-X, so INTx only; from 10.0's it has 2 vectors
 * (configuration and queues share them as the driver assigns), MSI-X in BAR1.
 */
export class VirtioBalloon extends VirtioPci {
  readonly balloon: VirtioBalloonDevice;

  constructor(params: VirtioParams) {
    let dev: VirtioBalloonDevice | undefined;
    super('balloon', params, 1, (dma) => (dev = new VirtioBalloonDevice(dma)));
    this.balloon = dev!;
    const transport = this.transport!;
    this.balloon.onUsed = (q) => transport.queueInterrupt(q);
    this.balloon.onConfigChange = () => transport.configInterrupt();
  }
}

export interface VirtioRngParams extends VirtioParams {
  /** Where entropy comes from (default: the host's cryptographic generator). */
  readonly entropy?: EntropySource;
}

/** virtio-rng-pci: the entropy device (rng.ts); 2 MSI-X vectors. */
export class VirtioRng extends VirtioPci {
  readonly rng: VirtioRngDevice;

  constructor(params: VirtioRngParams) {
    let dev: VirtioRngDevice | undefined;
    super('rng', params, 1, (dma) => (dev = new VirtioRngDevice(dma, params.entropy)));
    this.rng = dev!;
    const transport = this.transport!;
    this.rng.onUsed = (q) => transport.queueInterrupt(q);
  }
}

/** virtio-gpu-pci: the 2D GPU (gpu.ts), modern-only wherever it sits; 3 MSI-X vectors. */
export class VirtioGpu extends VirtioPci {
  readonly gpu: VirtioGpuDevice;

  constructor(params: VirtioParams) {
    let dev: VirtioGpuDevice | undefined;
    super('gpu', params, 1, (dma) => (dev = new VirtioGpuDevice(dma)));
    this.gpu = dev!;
    const transport = this.transport!;
    this.gpu.onUsed = (q) => transport.queueInterrupt(q);
  }
}

/** A logical unit on a virtio-scsi controller: the machine file's scsi-hd or scsi-cd. */
export interface ScsiUnitSpec {
  readonly kind: 'disk' | 'cdrom';
  readonly target: number;
  readonly lun: number;
  /** The image (none: an empty CD-ROM). */
  readonly drive?: DriveSpec;
}

export interface VirtioScsiParams extends VirtioParams {
  /** vCPUs of the machine: QEMU 7.2 gives virtio-scsi one request queue per vCPU, so vCPUs + 3 vectors. */
  readonly cpus?: number;
  readonly units?: readonly ScsiUnitSpec[];
}

/** virtio-scsi-pci: the SCSI host adapter (scsi.ts) with its logical units (scsi-unit.ts). */
export class VirtioScsi extends VirtioPci implements DriveOwner {
  readonly scsi: VirtioScsiDevice;
  readonly units: readonly ScsiUnit[];

  constructor(params: VirtioScsiParams) {
    const specs = params.units ?? [];
    const units: ScsiUnit[] = specs.map(
      (u) => new ScsiUnit(u.kind, u.target, u.lun, new Drive(u.drive, `target ${u.target} lun ${u.lun}`), () => specs.filter((x) => x.target === u.target).map((x) => x.lun)),
    );
    const queues = Math.min(Math.max(params.cpus ?? 1, 1), 1024);
    let dev: VirtioScsiDevice | undefined;
    super('scsi', params, params.cpus ?? 1, (dma) => (dev = new VirtioScsiDevice(dma, units, queues)));
    this.scsi = dev!;
    this.units = units;
    const transport = this.transport!;
    this.scsi.onUsed = (q) => transport.queueInterrupt(q);
  }

  get drives(): readonly Drive[] {
    return this.units.map((u) => u.drive);
  }
}

/**
 * virtio-vga (-vga virtio, hw/display/virtio-vga.c): the 2D virtio GPU at
 * 00:01.0 with VGA compatibility. Modern-only, as QEMU makes it, with its
 * own layout: BAR0 the VGA's 8 MiB VRAM, BAR2 the virtio registers (common
 * 0x1000 and ISR 0x1800, 2 KiB each, device 0x2000, notify 0x3000) after the
 * std VGA's MMIO block at 0x0000, BAR4 MSI-X (3 vectors), and a 64 KiB
 * expansion ROM for the VGA BIOS (vgabios-virtio.bin). The VGA core answers
 * the legacy ports and the 0xa0000 window, which the machine maps.
 */
export class VirtioVga extends VirtioPci {
  readonly gpu: VirtioGpuDevice;
  readonly vga: VgaCore;
  readonly vram: VramRegion;
  readonly rom: RomRegion | undefined;

  constructor(params: VirtioParams & { readonly rom?: Uint8Array }) {
    let dev: VirtioGpuDevice | undefined;
    super('gpu', params, 1, (dma) => (dev = new VirtioGpuDevice(dma)), { model: 'virtio-vga', identity: CHIPSET.virtioVga, layout: VIRTIO_VGA_LAYOUT });
    this.gpu = dev!;
    const transport = this.transport!;
    this.gpu.onUsed = (q) => transport.queueInterrupt(q);
    const bar0 = barOf(CHIPSET.virtioVga, 0);
    this.vram = new VramRegion(new Vram(bar0.size));
    this.vga = new VgaCore(this.vram.vram);
    this.vram.vram.onAllocate = () => this.bus?.host?.memory.mapChanged();
    this.registerBar(bar0, this.vram);
    this.modernRegion.add(0, 0x1000, stdVgaMmio(this.vga));
    const romSpec = romOf(CHIPSET.virtioVga)!;
    if (params.rom && params.rom.length > romSpec.size) throw new RangeError(`VGA BIOS of ${params.rom.length} bytes does not fit the ${romSpec.size}-byte ROM BAR`);
    this.rom = new RomRegion(params.rom ?? new Uint8Array(0), romSpec.size);
    this.registerBar(romSpec, this.rom);
  }

  protected override resetDevice(): void {
    super.resetDevice();
    this.vga?.reset();
  }
}

/** virtio-vga's layout (virtio_vga_base_realize with page-per-vq off: common and ISR halved, the VGA MMIO first). */
export const VIRTIO_VGA_LAYOUT: VirtioLayout = { modernBar: 2, msixBar: 4, common: [0x1000, 0x800], isr: [0x1800, 0x800], device: [0x2000, 0x1000], notify: [0x3000, 0x1000] };
