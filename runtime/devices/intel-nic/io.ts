/**
 * The I/O BAR of Intel's gigabit MACs (82574L §10.2.1, 82576 §8.1.3): an
 * indirect window on the memory-mapped registers. IOADDR (offset 0) selects
 * a register, IODATA (offset 4) reads or writes it. Accesses narrower than a
 * dword see their lanes of it; narrower writes carry zeros in the others.
 */
import type { RegionHandler, Width } from '../../bus/types.js';

const IOADDR = 0;
const IODATA = 4;
/** IOADDR values that reach the register file (QEMU e1000e_io_get_reg_idx). */
const IO_REGISTER_LIMIT = 0x1ffff;

/** The window onto `registers`; `reset` returns a function that clears IOADDR. */
export function ioWindow(registers: RegionHandler): { handler: RegionHandler; reset: () => void } {
  let ioaddr = 0;
  const dword = (off: number): number => {
    if (off === IOADDR) return ioaddr;
    if (off === IODATA && ioaddr < IO_REGISTER_LIMIT) return registers.read(ioaddr & ~3, 4);
    return 0;
  };
  const handler: RegionHandler = {
    read: (off: number, width: Width) => {
      const v = dword(off & ~3) >>> ((off & 3) * 8);
      return width === 4 ? v >>> 0 : v & (width === 2 ? 0xffff : 0xff);
    },
    write: (off: number, width: Width, value: number) => {
      const v = width === 4 ? value >>> 0 : ((value & (width === 2 ? 0xffff : 0xff)) << ((off & 3) * 8)) >>> 0;
      if ((off & ~3) === IOADDR) ioaddr = v;
      else if ((off & ~3) === IODATA && ioaddr < IO_REGISTER_LIMIT) registers.write(ioaddr & ~3, 4, v);
    },
  };
  return { handler, reset: () => (ioaddr = 0) };
}
