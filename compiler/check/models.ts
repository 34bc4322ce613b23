/**
 * What the checks and the resolver need to know about a device model, from
 * the hardware catalog (runtime/devices/catalog.ts).
 */
import { deviceModel, type BusKind, type DeviceModel } from '../../runtime/devices/catalog.js';

export type ModelInfo = DeviceModel & {
  /** Can sit directly on pcie.0. */
  readonly onRoot: boolean;
  readonly notOnRootReason: string | undefined;
  readonly pcie: boolean;
  /** Can sit on a conventional PCI bus. */
  readonly conventionalOk: boolean;
  readonly sata: boolean;
};

const cache = new Map<string, ModelInfo | undefined>();

export function modelInfo(name: string): ModelInfo | undefined {
  if (cache.has(name)) return cache.get(name);
  const m = deviceModel(name);
  let info: ModelInfo | undefined;
  if (m) {
    const notOnRootReason =
      m.role === 'upstream-port'
        ? 'a switch upstream port belongs behind a root port or a downstream port'
        : m.role === 'downstream-port'
          ? 'downstream ports belong on a switch upstream port (x3130-upstream)'
          : m.role === 'sata-drive'
            ? 'SATA drives sit on the AHCI controller (bus: ahci)'
            : m.role === 'attached'
              ? 'it sits on a controller (bus: the controller\'s id)'
              : undefined;
    info = Object.assign(Object.create(null) as object, m, {
      onRoot: notOnRootReason === undefined,
      notOnRootReason,
      pcie: m.bus === 'express' || m.bus === 'hybrid',
      conventionalOk: m.bus === 'conventional' || m.bus === 'hybrid',
      sata: m.bus === 'sata',
    }) as ModelInfo;
  }
  cache.set(name, info);
  return info;
}

/** The kind of bus behind a bridge model (or the root bus an expander opens). */
export function busKindForBridge(model: string): BusKind | undefined {
  const m = deviceModel(model);
  // An expander bridge opens a root bus of its own.
  return m?.role === 'expander' ? 'pcie-root' : m?.bridge?.secondary;
}
