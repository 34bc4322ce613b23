/**
 * Destination address filtering shared by Intel's gigabit MACs (82574L
 * datasheet §7.1.1.1, 82576 §7.1.1): exact matches against the Receive
 * Address registers (RAL/RAH pairs with Address Valid), and the 4096-bit
 * Multicast Table Array indexed by 12 bits of the address chosen by
 * RCTL.MO.
 */

/** RAH.AV: the entry is valid. */
export const RAH_AV = 0x8000_0000;
/** RCTL.MO (bits 13:12): which 12 bits of the address index the MTA. */
export const RCTL_MO_SHIFT = 12;
const MO_SHIFTS = [4, 3, 2, 0];

/** Whether RAL/RAH hold this destination MAC (low 32 bits in RAL, next 16 in RAH). */
export function receiveAddressMatches(ral: number, rah: number, frame: Uint8Array): boolean {
  if (!(rah & RAH_AV)) return false;
  for (let i = 0; i < 4; i++) if (frame[i] !== ((ral >>> (8 * i)) & 0xff)) return false;
  return frame[4] === (rah & 0xff) && frame[5] === ((rah >>> 8) & 0xff);
}

/** The MTA bit a destination address selects (QEMU e1000x_rx_group_filter). */
export function multicastTableIndex(frame: Uint8Array, rctl: number): number {
  const shift = MO_SHIFTS[(rctl >>> RCTL_MO_SHIFT) & 3]!;
  return ((((frame[5] ?? 0) << 8) | (frame[4] ?? 0)) >>> shift) & 0xfff;
}

/** RAL/RAH for a MAC address, Address Valid set. */
export function receiveAddressFor(mac: readonly number[]): [number, number] {
  const ral = (mac[0]! | (mac[1]! << 8) | (mac[2]! << 16) | (mac[3]! << 24)) >>> 0;
  const rah = (mac[4]! | (mac[5]! << 8) | RAH_AV) >>> 0;
  return [ral, rah];
}
