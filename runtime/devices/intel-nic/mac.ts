/**
 * What the 82574L's and the 82576's MACs (../e1000e/core.ts,
 * ../igb/core.ts) do alike, as QEMU's e1000e and igb cores do it: a
 * 128 KiB register file read and written a dword at a time, the general
 * registers of both datasheets (CTRL and its reset, STATUS's duplex and
 * speed, EECD, EERD, SWSM's semaphore, MDIC to the PHY), the receive
 * backlog that holds frames while the guest has no buffers, descriptor
 * rings' registers, statistics counters, and the RSS hash over RSSRK and
 * RETA. Each core adds its interrupts, descriptor formats and queues.
 */
import type { NetPort } from '../../backends/net.js';
import type { RegionHandler, Width } from '../../bus/types.js';
import type { VirtualClock } from '../../time/clock.js';
import { eerdResult } from './nvm.js';
import { ipv4ChecksumValid, l4ChecksumValid, rssInput, toeplitz, type FrameLayout } from './packet.js';
import type { Phy } from './phy.js';
import * as C from './regs.js';

/** What the MAC needs from its PCI function. */
export interface MacHost {
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, data: Uint8Array): boolean;
  busMaster(): boolean;
  msixEnabled(): boolean;
  msiEnabled(): boolean;
  /** Signals MSI-X vector `vector` (or the MSI message for vector 0). */
  notify(vector: number): void;
  msixClearPending(vector: number): void;
  setIntx(level: boolean): void;
  clock(): VirtualClock | undefined;
}

/** BAR0's registers, in dwords. */
const MAC_REGS = 0x20000 / 4;
/** A descriptor's size (legacy, extended and advanced alike). */
export const DESC = 16;
/** Bytes one transmitted packet may gather from its descriptors (a 64 KiB TSO payload and its headers). */
export const MAX_TX_PACKET = 0x10000 + 256;
/** Frames kept while the guest has no receive buffers posted (QEMU queues them in the net layer). */
const RX_BACKLOG = 64;

/** A descriptor ring as its registers describe it; `at` is its register block (Q_BAL's offset). */
export interface Ring {
  base: number;
  count: number;
  head: number;
  tail: number;
  at: number;
}

/** A register access `width` bytes wide at `offset` sees these lanes of the dword `v`. */
export function readLanes(v: number, offset: number, width: Width): number {
  return width === 4 ? v >>> 0 : (v >>> ((offset & 3) * 8)) & (width === 2 ? 0xffff : 0xff);
}

/** The dword a write of `value`, `width` bytes wide at `offset`, stores: narrower writes carry zeros in the other lanes (QEMU widens to its 4-byte minimum). */
export function writeLanes(offset: number, width: Width, value: number): number {
  return width === 4 ? value >>> 0 : ((value & (width === 2 ? 0xffff : 0xff)) << ((offset & 3) * 8)) >>> 0;
}

/**
 * MDIC after software writes `v` (82574 §10.2.2.7, 82576 §8.2.4): one PHY
 * register read (`op` 'read', the data in bits 15:0) or write, done at
 * once, READY set; another PHY address keeps `current` and sets ERROR, as
 * does a register the PHY lacks. The caller decodes the opcode.
 */
export function mdicResult(phy: Phy, v: number, current: number, op: 'read' | 'write' | undefined): number {
  if (((v >>> C.MDIC_PHY_SHIFT) & 0x1f) !== C.PHY_ADDRESS) return current | C.MDIC_ERROR | C.MDIC_READY;
  const reg = (v >>> C.MDIC_REG_SHIFT) & 0x1f;
  if (op === 'read') {
    const got = phy.read(reg);
    return (got === undefined ? v | C.MDIC_ERROR : (v & ~C.MDIC_DATA_MASK) | got) | C.MDIC_READY;
  }
  if (op === 'write' && !phy.write(reg, v & C.MDIC_DATA_MASK)) return v | C.MDIC_ERROR | C.MDIC_READY;
  return v | C.MDIC_READY;
}

/**
 * The checksum bits a received frame's descriptor reports as RXCSUM asks:
 * with IPOFLD an IPv4 header checked (IPCS, IPE when wrong), with TUOFLD a
 * TCP or UDP checksum checked (`l4Status`, the part's status bits for it,
 * and TCPE when wrong).
 */
export function receiveChecksumBits(frame: Uint8Array, l: FrameLayout, rxcsum: number, l4Status: number): number {
  let bits = 0;
  if (rxcsum & C.RXCSUM_IPOFLD) {
    const ok = ipv4ChecksumValid(frame, l);
    if (ok !== undefined) bits |= C.RXD_STAT_IPCS | (ok ? 0 : C.RXDEXT_ERR_IPE);
  }
  if (rxcsum & C.RXCSUM_TUOFLD) {
    const ok = l4ChecksumValid(frame, l);
    if (ok !== undefined) bits |= l4Status | (ok ? 0 : C.RXDEXT_ERR_TCPE);
  }
  return bits;
}

export abstract class IntelMac implements RegionHandler {
  protected readonly regs = new Uint32Array(MAC_REGS);
  abstract readonly phy: Phy;
  private port: NetPort | undefined;
  private readonly backlog: Uint8Array[] = [];
  /** Frames dropped because the guest had no receive buffers for too long. */
  dropped = 0;

  constructor(
    /** The NVM words EERD reads. */
    readonly nvm: Uint16Array,
  ) {}

  /** The register at byte offset `offset` as stored. */
  reg(offset: number): number {
    return this.regs[offset >> 2]!;
  }

  protected set(offset: number, value: number): void {
    this.regs[offset >> 2] = value >>> 0;
  }

  /** Power-on reset, or with `software` the reset CTRL.RST asks for. */
  abstract reset(software?: boolean): void;

  // ---- register access ----------------------------------------------------------------------

  read(offset: number, width: Width): number {
    return readLanes(this.readRegister(this.decode(offset & 0x1fffc)), offset, width);
  }

  write(offset: number, width: Width, value: number): void {
    this.writeRegister(this.decode(offset & 0x1fffc), writeLanes(offset, width, value));
  }

  /** The register a BAR0 offset stands for (where a part has aliases). */
  protected decode(offset: number): number {
    return offset;
  }

  protected abstract readRegister(r: number): number;
  protected abstract writeRegister(r: number, v: number): void;

  /** Reads of the general registers both parts treat alike; undefined for any other. */
  protected readGeneral(r: number): number | undefined {
    switch (r) {
      case C.CTRL: case C.CTRL_DUP: return this.reg(C.CTRL);
      case C.SWSM: {
        // Reading takes the software semaphore (SMBI; 82574 §10.2.2.27, 82576 §8.6.4).
        const v = this.reg(C.SWSM);
        this.set(C.SWSM, v | 1);
        return v;
      }
      default: return undefined;
    }
  }

  /** Writes of the general registers both parts treat alike; false for any other. */
  protected writeGeneral(r: number, v: number): boolean {
    switch (r) {
      case C.CTRL: case C.CTRL_DUP:
        this.set(C.CTRL, v & ~C.CTRL_RST);
        if (v & C.CTRL_RST) this.reset(true);
        if (v & C.CTRL_PHY_RST) this.set(C.STATUS, this.reg(C.STATUS) | C.STATUS_PHYRA);
        return true;
      case C.STATUS:
        if (!(v & C.STATUS_PHYRA)) this.set(C.STATUS, this.reg(C.STATUS) & ~C.STATUS_PHYRA);
        return true;
      case C.EECD: {
        const ro = C.EECD_PRES | C.EECD_AUTO_RD | C.EECD_SIZE_EX_MASK;
        this.set(C.EECD, (this.reg(C.EECD) & ro) | (v & ~ro));
        return true;
      }
      case C.EERD:
        this.set(C.EERD, eerdResult(this.nvm, v));
        return true;
      default: return false;
    }
  }

  /** STATUS's duplex and speed as read: forced by CTRL (FRCDPX, FRCSPD or CTRL_EXT.SPD_BYPS), else full duplex at 1000 Mb/s. */
  protected duplexAndSpeed(): number {
    const ctrl = this.reg(C.CTRL);
    let s = ctrl & C.CTRL_FRCDPX ? (ctrl & C.CTRL_FD ? C.STATUS_FD : 0) : C.STATUS_FD;
    if (ctrl & C.CTRL_FRCSPD || this.reg(C.CTRL_EXT) & C.CTRL_EXT_SPD_BYPS) {
      const sel = ctrl & C.CTRL_SPD_SEL;
      s |= sel === C.CTRL_SPD_10 ? C.STATUS_SPEED_10 : sel === C.CTRL_SPD_100 ? C.STATUS_SPEED_100 : C.STATUS_SPEED_1000;
    } else s |= C.STATUS_SPEED_1000;
    return s;
  }

  // ---- the network side -----------------------------------------------------------------------

  /** Connects the NIC to a network port (replacing any earlier one). */
  connect(port: NetPort): void {
    this.port = port;
    port.receive = (frame) => this.deliver(frame);
  }

  /** A frame from the network: into the guest's buffers now, or held until it can be. */
  deliver(frame: Uint8Array): void {
    if (this.backlog.length > 0 || !this.canReceive()) {
      if (this.backlog.length < RX_BACKLOG) this.backlog.push(frame);
      else this.dropped++;
      return;
    }
    this.receive(frame);
  }

  /** Frames the guest could not take yet go in now (receive enabled, descriptors posted, bus mastering on). */
  drainBacklog(): void {
    while (this.backlog.length > 0 && this.canReceive()) this.receive(this.backlog.shift()!);
  }

  protected clearBacklog(): void {
    this.backlog.length = 0;
  }

  protected abstract canReceive(): boolean;
  protected abstract receive(frame: Uint8Array): void;

  /** A frame out to the network port. */
  protected toNetwork(frame: Uint8Array): void {
    this.port?.send(frame);
  }

  /** Transmitted frames come back to the receive side: the PHY or the MAC (RCTL.LBM) in loopback. */
  protected loopback(): boolean {
    return this.phy.loopback || (this.reg(C.RCTL) & C.RCTL_LBM_MASK) === C.RCTL_LBM_MAC;
  }

  // ---- rings, statistics, RSS -----------------------------------------------------------------

  /** The ring whose registers start at `at`. */
  protected ringAt(at: number): Ring {
    const base = this.reg(at + C.Q_BAH) * 2 ** 32 + this.reg(at + C.Q_BAL);
    return { base, count: Math.floor(this.reg(at + C.Q_LEN) / DESC), head: this.reg(at + C.Q_HEAD), tail: this.reg(at + C.Q_TAIL), at };
  }

  /** A 32-bit statistics counter counts one more, stopping at its maximum. */
  protected bump(r: number): void {
    if (this.reg(r) !== 0xffff_ffff) this.set(r, this.reg(r) + 1);
  }

  /** The Toeplitz hash of a frame's addresses (and ports, `withPorts`) under the key in RSSRK (82574 §7.1.9, 82576 §7.1.2.9). */
  protected rssHash(frame: Uint8Array, l: FrameLayout, withPorts: boolean): number {
    const key = new Uint8Array(40);
    for (let i = 0; i < 10; i++) new DataView(key.buffer).setUint32(4 * i, this.reg(C.RSSRK + 4 * i), true);
    return toeplitz(key, rssInput(frame, l, withPorts));
  }

  /** The RETA byte the hash's low 7 bits select (128 one-byte entries). */
  protected retaEntry(hash: number): number {
    const idx = hash & 0x7f;
    return (this.reg(C.RETA + (idx & ~3)) >>> (8 * (idx & 3))) & 0xff;
  }
}
