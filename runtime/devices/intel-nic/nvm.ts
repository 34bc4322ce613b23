/**
 * The NVM (EEPROM) image an Intel gigabit NIC loads at power-up, as QEMU
 * builds it for e1000e and igb (hw/net/e1000e.c, igb.c: the 82574L's NVM
 * map, 82574L datasheet §6.1 Table 36, with the MAC address in words 0-2,
 * the PCI Device ID in words 0x0b and 0x0d, and word 0x3f making the sum
 * of words 0x00-0x3f 0xbaba, §6.1.2.19). Drivers read it word by word
 * through EERD (§10.2.2.4).
 */

export const NVM_WORDS = 64;
export const NVM_CHECKSUM_WORD = 0x3f;
export const NVM_SUM = 0xbaba;

// EERD / EEWR (§10.2.2.4): start, done, the word address (bits 15:2) and the data (bits 31:16).
export const EERW_START = 1 << 0;
export const EERW_DONE = 1 << 1;
export const EERW_ADDR_SHIFT = 2;
export const EERW_ADDR_MASK = (1 << 14) - 1;
export const EERW_DATA_SHIFT = 16;

/** Words 0x00-0x3f of QEMU's template (words 0-2, 0x0b, 0x0d and 0x3f are filled in per device). */
const TEMPLATE = [
  0x0000, 0x0000, 0x0000, 0x0420, 0xf746, 0x2010, 0xffff, 0xffff,
  0x0000, 0x0000, 0x026b, 0x0000, 0x8086, 0x0000, 0x0000, 0x8058,
  0x0000, 0x2001, 0x7e7c, 0xffff, 0x1000, 0x00c8, 0x0000, 0x2704,
  0x6cc9, 0x3150, 0x070e, 0x460b, 0x2d84, 0x0100, 0xf000, 0x0706,
  0x6000, 0x0080, 0x0f04, 0x7fff, 0x4f01, 0xc600, 0x0000, 0x20ff,
  0x0028, 0x0003, 0x0000, 0x0000, 0x0000, 0x0003, 0x0000, 0xffff,
  0x0100, 0xc000, 0x121c, 0xc007, 0xffff, 0xffff, 0xffff, 0xffff,
  0xffff, 0xffff, 0xffff, 0xffff, 0x0000, 0x0120, 0xffff, 0x0000,
] as const;

/**
 * The 82576's words as QEMU's igb starts from (hw/net/igb.c; 82576
 * datasheet §6.1 Table 6-1): 65 words, the rest of its 1024-word NVM zero.
 */
export const IGB_TEMPLATE = [
  0x0000, 0x0000, 0x0000, 0x0d34, 0xffff, 0x2010, 0xffff, 0xffff,
  0x1040, 0xffff, 0x002b, 0x0000, 0x8086, 0x10c9, 0x0000, 0x70c3,
  0x0004, 0x10c9, 0x5c00, 0x0000, 0x2880, 0x0014, 0x4a40, 0x0060,
  0x6cfb, 0xc7b0, 0x0abe, 0x0403, 0x0783, 0x10a6, 0x0001, 0x0602,
  0x0004, 0x0020, 0x0000, 0x004a, 0x2080, 0x00f5, 0x10ca, 0x0000,
  0x0000, 0x0000, 0x4784, 0x4602, 0x0000, 0x0000, 0x1000, 0xffff,
  0x0100, 0x4000, 0x131f, 0x4013, 0x0100, 0x4000, 0xffff, 0xffff,
  0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0x00e0, 0xffff, 0x0000,
  0x0003,
] as const;
export const IGB_NVM_WORDS = 1024;

/** The NVM words for a NIC with this MAC address and PCI Device ID (`words` long, from `template`). */
export function nvmImage(mac: readonly number[], deviceId: number, template: readonly number[] = TEMPLATE, words = NVM_WORDS): Uint16Array {
  const w = new Uint16Array(words);
  w.set(template);
  for (let i = 0; i < 3; i++) w[i] = (mac[2 * i]! | (mac[2 * i + 1]! << 8)) & 0xffff;
  w[0x0b] = w[0x0d] = deviceId;
  let sum = 0;
  for (let i = 0; i < NVM_CHECKSUM_WORD; i++) sum += w[i]!;
  w[NVM_CHECKSUM_WORD] = (NVM_SUM - sum) & 0xffff;
  return w;
}

/** An EERD write: the word at the address with DONE, or no DONE for an address past the NVM (§10.2.2.4). */
export function eerdResult(nvm: Uint16Array, value: number): number {
  const addr = (value >>> EERW_ADDR_SHIFT) & EERW_ADDR_MASK;
  if (!(value & EERW_START) || addr >= nvm.length) return (addr << EERW_ADDR_SHIFT) >>> 0;
  return (EERW_DONE | (addr << EERW_ADDR_SHIFT) | (nvm[addr]! << EERW_DATA_SHIFT)) >>> 0;
}
