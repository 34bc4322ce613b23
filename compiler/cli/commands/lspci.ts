/**
 * `machc lspci FILE [-t] [-v] [-n]`: what a guest would see. The machine is
 * compiled to its TypeScript module and instantiated; firmware is played
 * through the machine's own configuration mechanisms (CONFIG_ADDRESS/DATA,
 * then ECAM once PCIEXBAR is programmed): buses numbered, BARs sized by
 * writing all ones and placed with SeaBIOS's algorithm, bridges programmed;
 * then the VFs the file asks for are enabled through their SR-IOV
 * capabilities, and the result is listed the way lspci lists it.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { planFirmware } from '../../resolve/firmware-plan.js';
import { planOvmf } from '../../resolve/firmware-plan-ovmf.js';
import { FOUR_GIB } from '../../resolve/memory.js';
import type { MachineModule } from '../../emit/typescript/load.js';
import { enableVfs, playFirmware, type EnabledVfs, type FirmwareResult } from '../../../runtime/guest/firmware.js';
import { lspci, lspciJson } from '../../../runtime/guest/lspci.js';
import type { Q35Machine } from '../../../runtime/index.js';
import type { Io } from '../io.js';
import { commandMachine, loadGeneratedModule } from '../machine.js';
import type { TargetVersion } from '../../model/target.js';

export interface LspciCommandOptions {
  tree?: boolean;
  verbose?: boolean;
  numeric?: boolean;
  json?: boolean;
  lockfile?: boolean;
  qemu?: TargetVersion;
  /** Whose PCI placement the boot replays: SeaBIOS's (default) or OVMF's. */
  firmware?: 'seabios' | 'ovmf';
}

export interface GuestBoot {
  readonly machine: Q35Machine;
  readonly firmware: FirmwareResult;
  readonly vfs: readonly EnabledVfs[];
  /** The expanders' root buses, which the guest finds through the DSDT. */
  readonly roots: readonly number[];
}

/** Instantiates a machine module and boots it as far as PCI goes: firmware, then the VFs the file enables. */
export function bootGuest(resolved: ResolvedMachine, mod: MachineModule, firmwareOptions: { pmBase?: number | undefined; firmware?: 'seabios' | 'ovmf' | undefined } = {}): GuestBoot {
  const { machine } = mod.createMachine();
  const mem = resolved.memory;
  const firmware = playFirmware(machine, {
    // OVMF: its placement of what sizing found (bridge padding from the slots' hot-plug capability and QEMU's reserve capability).
    placer: firmwareOptions.firmware === 'ovmf' ? (fns, _busCount, ramEnd) => ({ plan: planOvmf(fns, ramEnd, { ecamBase: mem.ecam.base }) }) : planFirmware,
    ramAbove4gEnd: mem.above4g > 0 ? mem.above4gBase + mem.above4g : FOUR_GIB,
    ecamBase: mem.ecam.base,
    extraRoots: resolved.pci.buses.filter((b) => b.expander !== undefined).length,
    ...(firmwareOptions.pmBase !== undefined ? { pmBase: firmwareOptions.pmBase } : {}),
  });
  const requests = resolved.pci.functions
    .filter((f) => f.sriov && f.sriov.numVfs > 0)
    .map((f) => ({ bus: f.bus, devfn: f.device * 8 + f.fn, numVfs: f.sriov!.numVfs }));
  const vfs = enableVfs(machine, firmware.ecamBase, requests);
  return { machine, firmware, vfs, roots: resolved.pci.buses.filter((b) => b.expander !== undefined).map((b) => b.number) };
}

export function guestListing(boot: GuestBoot, opts: LspciCommandOptions): string {
  return lspci(boot.machine, boot.firmware.ecamBase, { roots: boot.roots, tree: Boolean(opts.tree), verbose: Boolean(opts.verbose), numeric: Boolean(opts.numeric) });
}

export async function runLspci(io: Io, file: string | undefined, opts: LspciCommandOptions): Promise<number> {
  const { path, machine, failure } = commandMachine(io, file, opts);
  if (!machine) return failure;
  const boot = bootGuest(machine, await loadGeneratedModule(machine, path), { firmware: opts.firmware });
  if (opts.json) io.out(`${JSON.stringify({ machine: machine.name, functions: lspciJson(boot.machine, boot.firmware.ecamBase, boot.roots) }, null, 2)}\n`);
  else io.out(guestListing(boot, opts));
  return 0;
}
