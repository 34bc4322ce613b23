/**
 * Capabilities as small objects that lay themselves out in a function's
 * configuration space and react to the writes that concern them.
 *
 * Conventional capabilities (PCI 3.0 §6.7) are linked from the Capabilities
 * Pointer; like QEMU, each new one is inserted at the head of the list, so
 * the chain reads in the reverse of the order a device adds them, and an
 * offset of 0 means "the first free gap at or above 0x40". Extended
 * capabilities (PCIe 4.0 §7.6) start at 0x100 and are appended in order.
 */
import type { ConfigSpace } from './config-space.js';
import * as R from './registers.js';

/** What a capability may ask of the function it belongs to. */
export interface CapabilityOwner {
  readonly config: ConfigSpace;
  /** Function-level reset (FLR): everything a reset clears. */
  functionReset(): void;
  /** BAR decoding or the set of functions behind this one may have changed. */
  mappingsChanged(): void;
  /** Sends an interrupt message: a dword memory write upstream, as the function's bus master (dropped while Bus Master Enable is clear). */
  sendMessage(address: number, data: number): void;
  /** Signals an interrupt through MSI-X or MSI, whichever is enabled; false when neither is (then INTx). */
  notifyMsi(vector: number): boolean;
  /** Drives the INTx pin. */
  setIntx(level: boolean): void;
}

export abstract class Capability {
  /** Offset in configuration space, set when the capability is added. */
  offset = 0;
  owner!: CapabilityOwner;
  abstract readonly id: number;
  /** Bytes the capability occupies. */
  abstract readonly size: number;
  /** True for extended capabilities (0x100 and up). */
  readonly extended: boolean = false;
  /** Extended capabilities: the capability version. */
  readonly version: number = 0;

  /** Writes the capability's registers and masks (the header is already written). */
  abstract layout(cs: ConfigSpace): void;

  /** Called on reset, after the header registers were reset. */
  reset(_cs: ConfigSpace): void {}

  /** Called before a guest write lands (to keep old values that the write handler compares). */
  beforeWrite(_cs: ConfigSpace, _addr: number, _width: number): void {}

  /** Called after a guest write landed, for every write (check the range yourself). */
  afterWrite(_cs: ConfigSpace, _addr: number, _width: number, _value: number): void {}

  /** Whether `beforeRead` computes registers (the function skips the call otherwise). */
  get computesOnRead(): boolean {
    return false;
  }

  /** Called before a guest read, for registers computed on read. */
  beforeRead(_cs: ConfigSpace, _addr: number, _width: number): void {}

  protected covers(addr: number, width: number, reg: number, len: number): boolean {
    return addr < this.offset + reg + len && this.offset + reg < addr + width;
  }
}

/** Adds a conventional capability at `offset` (0: first free gap), linking it at the head of the list. */
export function addCapability(cs: ConfigSpace, owner: CapabilityOwner, cap: Capability, offset = 0): number {
  const at = offset || cs.findSpace(cap.size);
  if (!at) throw new Error(`no room for capability ${cap.id.toString(16)} (${cap.size} bytes)`);
  cs.set8(at, cap.id);
  cs.set8(at + 1, cs.get8(R.CAPABILITY_LIST));
  cs.set8(R.CAPABILITY_LIST, at);
  cs.set16(R.STATUS, cs.get16(R.STATUS) | R.STATUS_CAP_LIST);
  cs.claim(at, cap.size);
  cap.offset = at;
  cap.owner = owner;
  cap.layout(cs);
  return at;
}

/** Adds an extended capability at `offset` (>= 0x100), appending it to the chain that starts at 0x100. */
export function addExtCapability(cs: ConfigSpace, owner: CapabilityOwner, cap: Capability, offset: number): number {
  if (offset !== R.CONFIG_SPACE_SIZE) {
    // Walk to the last header and point it here.
    let pos = R.CONFIG_SPACE_SIZE;
    for (let guard = 0; guard < 64; guard++) {
      const next = cs.get32(pos) >>> R.EXT_CAP_NEXT_SHIFT;
      if (!next) break;
      pos = next;
    }
    cs.set32(pos, ((cs.get32(pos) & 0x000f_ffff) | (offset << R.EXT_CAP_NEXT_SHIFT)) >>> 0);
  }
  cs.set32(offset, (cap.id | (cap.version << 16)) >>> 0);
  cs.wmask.fill(0, offset, offset + cap.size);
  cs.w1cmask.fill(0, offset, offset + cap.size);
  cap.offset = offset;
  cap.owner = owner;
  cap.layout(cs);
  return offset;
}
