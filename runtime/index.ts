/**
 * machc's device runtime: address spaces, the PCI configuration engine and
 * the device models of a QEMU Q35 machine. Generated machine modules import
 * it as `machc/runtime`.
 */
export { GuestRam, RamBank, BANK_SIZE, BANK_SHIFT, BANK_MASK } from './bus/ram.js';
export { MmioSpace, type MmioRegion } from './bus/mmio.js';
export { PortIoSpace, type IoRange } from './bus/io.js';
export { PhysicalMemory, type MemoryLayout } from './bus/memory.js';
export { allOnes, ByteRegion, CompositeRegion, ZERO_REGION, type RegionHandler, type Width } from './bus/types.js';

export * as registers from './pci/registers.js';
export { ConfigSpace } from './pci/config-space.js';
export { Capability } from './pci/capability.js';
export { MsiCapability, MsixCapability, PmCapability, SataCapability, SsvidCapability, VendorCapability } from './pci/caps.js';
export { PcieCapability } from './pci/pcie-cap.js';
export { AcsCapability, AerCapability, AriCapability, DsnCapability } from './pci/ext-caps.js';
export { SriovCapability, VirtualFunction } from './pci/sriov.js';
export { ShpcCapability } from './pci/shpc.js';
export { PciFunction, barOffset, type PciDevice, type DecodedBar } from './pci/function.js';
export { PciBridge, type PciBridgeDevice } from './pci/bridge.js';
export { PciBus } from './pci/bus.js';
export { PciHost } from './pci/host.js';

export { DEFAULT_COMPAT, DEVICE_COMPAT, deviceCompat, type DeviceCompat } from './devices/compat.js';
export { Q35Mch } from './devices/q35-mch/index.js';
export { Ich9Lpc } from './devices/ich9-lpc/index.js';
export { Ich9Ahci, type SataDriveParams } from './devices/ich9-ahci/index.js';
export { Ich9Smbus } from './devices/ich9-smbus/index.js';
export { StdVga } from './devices/std-vga/index.js';
export { PcieRootPort, type PcieRootPortParams } from './devices/pcie-root-port/index.js';
export { Ioh3420, type Ioh3420Params } from './devices/ioh3420/index.js';
export { BochsDisplay, type BochsDisplayParams } from './devices/bochs-display/index.js';
export { PvpanicPci, type PvpanicParams } from './devices/pvpanic/index.js';
export { QemuXhci, type XhciParams } from './devices/qemu-xhci/index.js';
export { IntelHda, type IntelHdaParams } from './devices/ich9-intel-hda/index.js';
export { VfioPci, type VfioParams } from './devices/vfio-pci/index.js';
export { X3130Upstream, type X3130UpstreamParams } from './devices/x3130-upstream/index.js';
export { Xio3130Downstream, type Xio3130DownstreamParams } from './devices/xio3130-downstream/index.js';
export { PciePciBridge, type PciePciBridgeParams } from './devices/pcie-pci-bridge/index.js';
export { PxbPcie, type PxbPcieParams } from './devices/pxb-pcie/index.js';
export { E1000e, type E1000eParams } from './devices/e1000e/index.js';
export { E1000, type E1000Params } from './devices/e1000/index.js';
export { Igb, IgbVf, type IgbParams } from './devices/igb/index.js';
export {
  VirtioNet, VirtioNetVf, VirtioBlk, VirtioPci, VirtioSerial, VirtioBalloon, VirtioRng, VirtioGpu, VirtioScsi, VirtioVga,
  type VirtioParams, type VirtioNetParams, type VirtioBlkParams, type VirtioSerialParams, type VirtioRngParams, type VirtioScsiParams, type ScsiUnitSpec,
} from './devices/virtio/index.js';
export { Nvme, NvmeVf, type NvmeParams } from './devices/nvme/index.js';

export { MemoryBlockBackend, OverlayBackend, RawFileBackend, SECTOR_SIZE, type BlockBackend, type DriveMode, type DriveSpec } from './backends/block.js';
export { EthernetSwitch, type NetPort } from './backends/net.js';
export { Drive, memoryDrive, type DriveOwner, type OpenOptions } from './backends/drive.js';
export { VirtualClock, Timer, type ClockMode, type ClockOptions } from './time/clock.js';
export { GsiRouter, type InterruptInputs } from './machine/gsi.js';
export { RootComplexDma, MSI_WINDOW_BASE, MSI_WINDOW_SIZE, type DmaTranslator, type MsiSink } from './pci/dma.js';
export { swizzle, type IntxRouter } from './pci/intx.js';
export { Ich9PmBlock } from './devices/ich9-lpc/pm.js';
export { mapBios, biosImageProblem } from './devices/pc-bios/index.js';
export { loadHostFirmware, FirmwareError, SEABIOS_BIN, SEABIOS_256K, VGABIOS_STDVGA, KVMVAPIC, NIC_ROMS, type HostFirmware, type HostFirmwarePaths } from './machine/firmware.js';
export type { FwCfgFile } from './devices/fw-cfg/index.js';
export type { NumaLayout } from './machine/fw-cfg.js';
export { Q35Machine, CONFIG_ADDRESS_PORT, CONFIG_DATA_PORT, type Q35MachineOptions, type MachineSummary } from './machine/q35.js';
