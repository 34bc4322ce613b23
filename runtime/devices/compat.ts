/**
 * What a QEMU release and its q35 machine type change in the devices'
 * registers, for the releases machc targets. Most are QEMU's compat
 * properties: a machine type keeps the behaviour of its release, and a newer
 * one gets the new default (hw/core/machine.c hw_compat_*). The rest changed
 * in the device code itself. Each entry names the property or the change.
 * Pure data; the device models read it when they are built.
 */

export interface DeviceCompat {
  /** The release ('7.2', '10.0', '11.1'). */
  readonly release: string;
  /** PCIe DevCap Extended Tag Field Supported (x-pcie-ext-tag: machine types after 9.1). */
  readonly pcieExtTag: boolean;
  /** AER Uncorrectable Error Mask starts with Internal Error and TLP Prefix Blocked masked (x-pcie-err-unc-mask: after 7.2). */
  readonly aerUncMask: boolean;
  /** ARI Next Function Number 1 instead of 0 (x-pcie-ari-nextfn-1: up to 8.0). */
  readonly ariNextFn1: boolean;
  /** igb and igbvf Function Level Reset (x-pcie-flr-init: after 8.1). */
  readonly igbFlr: boolean;
  /** nvme VFs report Interrupt Pin 0, as SR-IOV requires (hw/nvme, after 7.2). */
  readonly nvmeVfPinZero: boolean;
  /** Hot-plug slot reset leaves the Power Indicator Off even on a populated slot (hw/pci/pcie.c, after 7.2). */
  readonly slotIndicatorsOffAtReset: boolean;
  /** The MCH's extended TSEG answer in MiB (mch extended-tseg-mbytes; 64 on 11.1's machine type). */
  readonly extTsegMbytes: number;
  /**
   * MSI-X vectors of a virtio-balloon-pci (its `vectors`): none up to 9.2's machine type
   * (hw_compat_9_2 sets vectors=0), 2 from 10.0's, which gives the function an MSI-X
   * capability and a 4 KiB BAR1.
   */
  readonly balloonVectors: number;
}

export const DEVICE_COMPAT: Readonly<Record<string, DeviceCompat>> = {
  '7.2': { release: '7.2', pcieExtTag: false, aerUncMask: false, ariNextFn1: true, igbFlr: false, nvmeVfPinZero: false, slotIndicatorsOffAtReset: false, extTsegMbytes: 16, balloonVectors: 0 },
  '10.0': { release: '10.0', pcieExtTag: true, aerUncMask: true, ariNextFn1: false, igbFlr: true, nvmeVfPinZero: true, slotIndicatorsOffAtReset: true, extTsegMbytes: 16, balloonVectors: 2 },
  '11.1': { release: '11.1', pcieExtTag: true, aerUncMask: true, ariNextFn1: false, igbFlr: true, nvmeVfPinZero: true, slotIndicatorsOffAtReset: true, extTsegMbytes: 64, balloonVectors: 2 },
};

/** QEMU 7.2's q35 (pc-q35-7.2): what a device gets when it is not told otherwise. */
export const DEFAULT_COMPAT: DeviceCompat = DEVICE_COMPAT['7.2']!;

/** The compat of a release, or a programming error. */
export function deviceCompat(release: string): DeviceCompat {
  const c = DEVICE_COMPAT[release];
  if (!c) throw new Error(`no device compat for QEMU ${release}`);
  return c;
}
