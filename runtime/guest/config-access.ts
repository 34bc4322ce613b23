/**
 * Configuration access as guest software does it: through CONFIG_ADDRESS /
 * CONFIG_DATA (PCI 3.0 §3.2.2.3.2) or through ECAM (PCIe 4.0 §7.2.2), using
 * only the machine's port IO and memory spaces.
 */

/** What guest code can touch: the port IO space and the physical memory space. */
export interface GuestBus {
  readonly io: { read(port: number, width: 1 | 2 | 4): number; write(port: number, width: 1 | 2 | 4, value: number): void };
  readonly memory: { read(addr: number, width: 1 | 2 | 4): number; write(addr: number, width: 1 | 2 | 4, value: number): void };
}

export interface ConfigAccess {
  read(bus: number, devfn: number, offset: number, width: 1 | 2 | 4): number;
  write(bus: number, devfn: number, offset: number, width: 1 | 2 | 4, value: number): void;
}

/** Mechanism #1: registers 0x00-0xff through ports 0xcf8/0xcfc. */
export function cf8Access(guest: GuestBus): ConfigAccess {
  const select = (bus: number, devfn: number, offset: number) => guest.io.write(0xcf8, 4, (0x8000_0000 | (bus << 16) | (devfn << 8) | (offset & 0xfc)) >>> 0);
  return {
    read(bus, devfn, offset, width) {
      select(bus, devfn, offset);
      return guest.io.read(0xcfc + (offset & 3), width);
    },
    write(bus, devfn, offset, width, value) {
      select(bus, devfn, offset);
      guest.io.write(0xcfc + (offset & 3), width, value);
    },
  };
}

/** ECAM at `base`: bus 27:20, device/function 19:12, register 11:0. */
export function ecamAccess(guest: GuestBus, base: number): ConfigAccess {
  const at = (bus: number, devfn: number, offset: number) => base + bus * 0x10_0000 + devfn * 0x1000 + offset;
  return {
    read: (bus, devfn, offset, width) => guest.memory.read(at(bus, devfn, offset), width),
    write: (bus, devfn, offset, width, value) => guest.memory.write(at(bus, devfn, offset), width, value),
  };
}

/** The capability chain of a function: [offset, id] in chain order (loops and bad pointers end the walk). */
export function capabilities(cfg: ConfigAccess, bus: number, devfn: number): [number, number][] {
  const out: [number, number][] = [];
  if (!(cfg.read(bus, devfn, 0x06, 2) & 0x10)) return out;
  let pos = cfg.read(bus, devfn, 0x34, 1) & 0xfc;
  const seen = new Set<number>();
  while (pos >= 0x40 && !seen.has(pos) && out.length < 48) {
    seen.add(pos);
    out.push([pos, cfg.read(bus, devfn, pos, 1)]);
    pos = cfg.read(bus, devfn, pos + 1, 1) & 0xfc;
  }
  return out;
}

/** The extended capability chain (ECAM only): [offset, id, version]. */
export function extCapabilities(cfg: ConfigAccess, bus: number, devfn: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  let pos = 0x100;
  const seen = new Set<number>();
  while (pos >= 0x100 && pos < 0x1000 && !seen.has(pos) && out.length < 96) {
    seen.add(pos);
    const header = cfg.read(bus, devfn, pos, 4);
    if (header === 0 || header === 0xffff_ffff) break;
    out.push([pos, header & 0xffff, (header >>> 16) & 0xf]);
    pos = (header >>> 20) & 0xffc;
  }
  return out;
}

export function findCapability(cfg: ConfigAccess, bus: number, devfn: number, id: number): number {
  return capabilities(cfg, bus, devfn).find(([, i]) => i === id)?.[0] ?? 0;
}

export function findExtCapability(cfg: ConfigAccess, bus: number, devfn: number, id: number): number {
  return extCapabilities(cfg, bus, devfn).find(([, i]) => i === id)?.[0] ?? 0;
}
