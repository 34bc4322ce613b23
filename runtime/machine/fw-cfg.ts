/**
 * The fixed fw_cfg items QEMU 7.2 gives a PC machine (hw/nvram/fw_cfg.c
 * fw_cfg_init1, hw/i386/fw_cfg.c fw_cfg_arch_create): the signature and ID
 * come with the device; these are the rest, little endian.
 *
 *   0x0002 UUID (16 bytes, zero without -uuid)   0x0003 RAM size (u64)
 *   0x0004 NOGRAPHIC (u16)   0x0005 NB_CPUS (u16)   0x000e BOOT_MENU (u16)
 *   0x000f MAX_CPUS (u16): the APIC ID limit, not a CPU count
 *   0x000d NUMA: node count, the node of each APIC ID below the limit, each node's memory (u64s)
 *   0x8002 IRQ0_OVERRIDE (u32 1)   0x8004 HPET: count and one 15-byte entry per HPET block
 */
import {
  FW_CFG_BOOT_MENU,
  FW_CFG_HPET,
  FW_CFG_IRQ0_OVERRIDE,
  FW_CFG_MAX_CPUS,
  FW_CFG_NB_CPUS,
  FW_CFG_NOGRAPHIC,
  FW_CFG_NUMA,
  FW_CFG_RAM_SIZE,
  FW_CFG_UUID,
  fwCfgInt,
} from '../devices/fw-cfg/index.js';
import { HPET_BASE } from '../devices/hpet/index.js';

/** NUMA as QEMU describes it: the node of each possible CPU (by APIC ID) and each node's memory. */
export interface NumaLayout {
  readonly cpus: readonly { readonly apicId: number; readonly node: number }[];
  readonly nodeMemory: readonly number[];
}

export interface FwCfgFacts {
  readonly ramSize: number;
  readonly cpus: number;
  readonly apicIds: readonly number[];
  readonly apicIdLimit: number;
  readonly numa?: NumaLayout;
}

/** QEMU's hpet_fw_entry for the one HPET: event timer block ID (capabilities), address, minimum tick, page protection. */
const HPET_BLOCK_ID = 0x8086_a201;
const HPET_FW_ENTRIES = 8;
const HPET_FW_ENTRY_SIZE = 15;

export function qemuFwCfgItems(f: FwCfgFacts): { key: number; bytes: Uint8Array }[] {
  const nodes = f.numa?.nodeMemory.length ?? 0;
  const numa = new Uint8Array(8 * (1 + f.apicIdLimit + nodes));
  const numaView = new DataView(numa.buffer);
  numaView.setBigUint64(0, BigInt(nodes), true);
  for (const c of f.numa?.cpus ?? []) if (c.apicId < f.apicIdLimit) numaView.setBigUint64(8 * (1 + c.apicId), BigInt(c.node), true);
  f.numa?.nodeMemory.forEach((m, i) => numaView.setBigUint64(8 * (1 + f.apicIdLimit + i), BigInt(m), true));
  const hpet = new Uint8Array(1 + HPET_FW_ENTRIES * HPET_FW_ENTRY_SIZE);
  const hv = new DataView(hpet.buffer);
  hpet[0] = 1;
  hv.setUint32(1, HPET_BLOCK_ID, true);
  hv.setBigUint64(5, BigInt(HPET_BASE), true);
  return [
    { key: FW_CFG_UUID, bytes: new Uint8Array(16) },
    { key: FW_CFG_RAM_SIZE, bytes: fwCfgInt(f.ramSize, 8) },
    { key: FW_CFG_NOGRAPHIC, bytes: fwCfgInt(0, 2) },
    { key: FW_CFG_NB_CPUS, bytes: fwCfgInt(f.cpus, 2) },
    { key: FW_CFG_BOOT_MENU, bytes: fwCfgInt(0, 2) },
    { key: FW_CFG_MAX_CPUS, bytes: fwCfgInt(f.apicIdLimit, 2) },
    { key: FW_CFG_NUMA, bytes: numa },
    { key: FW_CFG_IRQ0_OVERRIDE, bytes: fwCfgInt(1, 4) },
    { key: FW_CFG_HPET, bytes: hpet },
  ];
}
