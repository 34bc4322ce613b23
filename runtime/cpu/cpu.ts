/**
 * One x86 CPU: the translator's dispatcher, the memory management unit and
 * the entry points generated code calls.
 *
 * Execution: the dispatcher finds the block at CS:EIP (a direct-mapped jump
 * cache by linear address, then the blocks of its code page), runs it in
 * tier 1 until it has run `jitThreshold` times, then compiles it (tier 2)
 * and chains compiled blocks through their static exits within a page.
 * Blocks are kept per backing page (RAM offset or ROM) and dropped when
 * the bytes they were decoded from are written (self-modifying code, code
 * copied into RAM, DMA).
 *
 * Memory: linear addresses go through a software TLB of 2^20 entries per
 * access kind and privilege (read/write x supervisor/user). An entry is
 * non-zero only for a page of RAM the access may reach without a walk: the
 * access is permitted and, for writes, the page is dirty and holds no
 * translated code. Its high 20 bits XOR the linear page give the page's
 * offset in its RAM bank; its low 12 bits say which bank: 1 for bank 0 (bit
 * 0, the one bit the inline fast path tests), bank << 1 for the others,
 * which the calls the generated code makes (rd8...wr64) serve from the
 * entry without a walk. Everything else takes the slow path here.
 */
import type { CpuPlatform, DirectPage } from './platform.js';
import { CS, decode, Insn, A, type CodeMode, type FetchByte } from './decode.js';
import { HF } from './gen.js';
import { CpuState, CR0, CR4, EFER } from './state.js';
import { CpuException, GuestFailure, SmcRestart, VEC } from './errors.js';
import { compileBlock, countersOnly, setHandlers } from './tiers.js';
import { wrap64 } from './helpers.js';
import { IF, TF } from './flags.js';
import * as P from './protected.js';
import * as S from './system.js';
import * as STR from './strings.js';
import * as SSE from './sse.js';
import * as SMM from './smm.js';
import type { BlockInstr, PluginHost } from './plugins.js';
import type { TranslationStore } from './store.js';
import { startAsDoubles } from '../number-fields.js';

const PAGE = 4096;
const TLB_SIZE = 1 << 20;
/** Slots of the walk cache for each kind of access (direct-mapped by linear page). */
const WC_SIZE = 4096;
/**
 * The jump cache: direct-mapped by linear address, in groups of slots by page (as QEMU's), so
 * that an INVLPG empties its page's group and not the whole cache. Linux's boot to its shell runs
 * 40,000 INVLPGs (fixmaps, text patching) and 17,000 CR3 writes: emptying the whole cache at
 * each (and 4,096 slots) sent 2.44 million lookups on to the code cache, against 0.79 million now.
 */
const JC_GROUP_BITS = 7;
const JC_SLOT_BITS = 8;
const JC_GROUPS = 1 << JC_GROUP_BITS;
const JC_SLOTS = 1 << JC_SLOT_BITS;
const JC_SIZE = JC_GROUPS * JC_SLOTS;

/** The jump-cache slot of a block at linear address `l32` (low 32 bits): its page's group, then its offset. */
function jcSlot(l32: number): number {
  return (((l32 >>> 12) & (JC_GROUPS - 1)) << JC_SLOT_BITS) | ((l32 ^ (l32 >>> JC_SLOT_BITS)) & (JC_SLOTS - 1));
}
const MAX_BLOCK = 48;
const BANK0 = 0;
/** Banks a TLB entry can name (11 bits; the RAM of a machine with more is reached by walks). */
const TLB_BANKS = 0x800;
/** Bank page numbers (RAM page keys) per bank: a bank's keys start at index x 2^32. */
const BANK_PAGES = 2 ** 20;
/** ROM and other non-RAM backing keys start here (RAM offsets are below). */
const ROM_KEY_BASE = 2 ** 44;
/**
 * The high 32 bits of a linear address (an exact number in long mode), as an int32: the TLB's
 * tag. Its index is the low half's page number, so the two make the whole page.
 */
function highHalf(la: number): number {
  return Math.floor(la / 4294967296) | 0;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, v) => v.toString(16).padStart(2, '0'));

export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;

/** The most instructions one `Cpu.run` covers: `icRel` and compiled code's count stay int32s. */
export const RUN_MAX = 2 ** 30;

/** A translated block: decoded instructions (tier 1) and, once hot, its compiled function (tier 2). */
export class Block {
  valid = true;
  runs = 0;
  fn: ((cpu: unknown) => number) | undefined = undefined;
  targets: number[] = [];
  links: (Block | undefined)[] = [];
  /** The `linkStamp` of the CPU, and its mappings, its links (and successors) were made under. */
  linkStamp = 0;
  /**
   * The last two blocks run after this one where it left through no link (in tier 1, or through
   * an indirect exit), valid under `linkStamp` too: the dispatcher finds its successor here before
   * it looks in the jump cache, whose slot it would most often have to load from memory.
   */
  succ0: Block | undefined = undefined;
  succ1: Block | undefined = undefined;
  /** The last instruction sets EIP itself (branch, far transfer, REP string). */
  selfExit = false;
  /** What plugins asked to run with this block, if anything. */
  instr: BlockInstr | undefined = undefined;
  /** The blocks its compiled function covers (itself first). */
  region: Block[] | undefined = undefined;
  /** Compiled blocks whose functions hold this block's code (they are dropped with it). */
  inlinedBy: Block[] | undefined = undefined;
  constructor(
    readonly lin: number,
    readonly eip: number,
    readonly csBase: number,
    readonly hf: number,
    /** Backing key of the first byte; the block covers [key, key + bytes). */
    readonly key: number,
    readonly bytes: number,
    readonly insns: Insn[],
    /** Backing page keys the block's bytes lie in (one or two). */
    readonly pages: number[],
    /** Whether the code lives in cacheable memory (RAM/ROM); MMIO code is decoded afresh each time. */
    readonly cached: boolean,
  ) {
    this.count = insns.length;
  }
  /** How many instructions it holds (read at every dispatch, without a load of `insns`). */
  readonly count: number;
}

interface CodePage {
  readonly blocks: Block[];
  /** Which 32-byte chunks of the page hold code of its blocks (a write elsewhere in the page drops nothing). */
  readonly chunks: Uint32Array;
  /** Writes into its chunks of code since a block was last added to it. */
  writes: number;
}

/**
 * Writes into a page's code after which the next drops all of its code (but a running block's):
 * firmware clearing memory that held code it ran once writes it byte by byte, and each write
 * looked through the page's blocks (SeaBIOS: 7% of its boot). Code run again is translated again.
 */
const DROP_PAGE_AFTER = 32;

/** Forgets the blocks `b` found after it: its links and its last successors. */
function unlink(b: Block): void {
  b.links.length = 0;
  b.succ0 = b.succ1 = undefined;
}

/** Whether block `b` is the one at `eip` in a code segment based at `csBase`, in mode `hf` (and still valid). */
function runsAt(b: Block | undefined, eip: number, hf: number, csBase: number): b is Block {
  return b !== undefined && b.eip === eip && b.hf === hf && b.csBase === csBase && b.valid === true;
}

/** The linear address of the page block `b` runs into, when its last instruction does. */
function secondPage(b: Block): number {
  return (Math.floor(b.lin / PAGE) + 1) * PAGE;
}

/** Where block `b`'s bytes start in backing page `page` (its first page, or the one its end runs into). */
function startIn(b: Block, page: number): number {
  return Math.floor(b.key / PAGE) === page ? b.key : page * PAGE;
}

/** Where block `b`'s bytes in backing page `page` end (exclusive). */
function endIn(b: Block, page: number): number {
  const first = Math.min(b.bytes, PAGE - (b.key % PAGE));
  return Math.floor(b.key / PAGE) === page ? b.key + first : page * PAGE + (b.bytes - first);
}

/** Sets the chunk bits of bytes [from, to) (backing keys within one page). */
function markChunks(chunks: Uint32Array, from: number, to: number): void {
  for (let c = (from % PAGE) >>> 5; c <= ((to - 1) % PAGE) >>> 5; c++) chunks[c >>> 5]! |= 1 << (c & 31);
}

/** Whether any chunk of bytes [from, to) (backing keys within one page) holds code. */
function anyChunk(chunks: Uint32Array, from: number, to: number): boolean {
  for (let c = (from % PAGE) >>> 5; c <= ((to - 1) % PAGE) >>> 5; c++) if (chunks[c >>> 5]! & (1 << (c & 31))) return true;
  return false;
}

/**
 * Translated code, shared by the CPUs of one machine: they run the same
 * kernel and programs, so a block one CPU translated (and compiled) serves
 * the others; and code one CPU rewrites (the kernel patching its text,
 * a freed page reused for new code) is dropped for every CPU, not only for
 * the one that wrote it.
 */
export class CodeCache {
  /** Blocks by backing page key (bank x 2^20 + page in the bank for RAM, or a ROM's key page). */
  readonly pages = new Map<number, CodePage>();
  /**
   * Valid blocks by the backing key of their first byte. A TLB flush empties the jump cache, and
   * the lookups after it find their blocks here: scanning the page's blocks instead cost SeaBIOS
   * 4.4 million comparisons (3,851 flushes, 76,000 lookups, pages of 60 blocks).
   */
  readonly byKey = new Map<number, Block[]>();
  /** The CPUs sharing it: a page that gets code loses its fast write entries in each. */
  readonly cpus: Cpu[] = [];
  /** The last `linkStamp` handed out (stamps are unique across the CPUs sharing the cache). */
  stamps = 0;
  /** A number per ROM image, so keys name the same bytes on every CPU. */
  readonly romIds = new Map<Uint8Array, number>();
  /** The ROM images by their number. */
  readonly roms: Uint8Array[] = [];
  /**
   * Per RAM bank, the pages holding translated code (by offset in the bank / 4096; the bank's
   * `codePages`, which the machine also checks for writes from outside the CPUs).
   */
  readonly codeMaps: Uint8Array[] = [];

  /** What translating has cost so far, for every CPU sharing the cache. */
  readonly stats = new TranslationStats();

  /** Translations from earlier runs, which also keeps this run's (none where plugins instrument code). */
  constructor(readonly store?: TranslationStore) {}
}

/** What translating has cost (`machc run --json`: `translation`, with each CPU's counts of how it ran). */
export class TranslationStats {
  /** Blocks decoded. */
  blocks = 0;
  /** Blocks compiled into a function of their own (tier 2). */
  compiled = 0;
  /** Compiled blocks compiled again with the blocks they reach. */
  recompiled = 0;
  /** Compiled functions taken from the translation store instead. */
  fromStore = 0;
  /** Generated JavaScript, in characters. */
  source = 0;
  constructor() {
    startAsDoubles(this, 'source');
  }
}

export interface CpuOptions {
  readonly platform: CpuPlatform;
  /** Index of this CPU (APIC ID order). */
  readonly index?: number;
  /**
   * Tier-1 runs of a block before it is compiled (default 32,768). A compiled function costs
   * machc about 0.6 ms to generate and V8 to parse, then runs in V8's baseline tier, no faster
   * than tier 1's shared handlers, until V8 optimizes it after some 500 calls, at about 5 ms
   * more; only a block that keeps running long after that earns it back, and Linux's kernel runs
   * tens of thousands of blocks hundreds to thousands of times each. Boots to the shell side by
   * side, one per core, each setting on each core: 47.8, 46.5, 47.9 and 57.7 s at 512 against
   * 36.8, 34.9, 35.2 and 42.1 s at 32,768; each doubling between them was faster, 131,072 no
   * faster. SeaBIOS to its boot attempt, translations made afresh: 0.84 s at 512, 0.78 s at
   * 32,768 (medians on one core); with them kept, the same. The sets: bench/HISTORY.md.
   */
  readonly jitThreshold?: number;
  /** Never compile (tier 1 only), for testing the tiers against each other. */
  readonly interpretOnly?: boolean;
  /** Runs of a compiled block after which it is compiled again with the blocks it reaches (default 256). */
  readonly inlineAfter?: number;
  /** Translated code shared with the machine's other CPUs (default: a cache of its own). */
  readonly codeCache?: CodeCache;
}

export type StopReason = 'budget' | 'halt' | 'stop' | 'wait-sipi' | 'kicked';

/** What `Cpu.bulkSpan` finds: a page's bytes and the offset in them, or (`bytes` undefined) a device's physical address. */
export type BulkSpan = { bytes: Uint8Array; at: number } | { bytes: undefined; at: number };

export class Cpu extends CpuState {
  readonly platform: CpuPlatform;
  readonly index: number;
  readonly jitThreshold: number;
  readonly interpretOnly: boolean;
  readonly inlineAfter: number;

  // ---- TLB and the RAM views the fast path uses ------------------------------------
  private readonly tlbRs = new Int32Array(TLB_SIZE);
  private readonly tlbWs = new Int32Array(TLB_SIZE);
  private readonly tlbRu = new Int32Array(TLB_SIZE);
  private readonly tlbWu = new Int32Array(TLB_SIZE);
  tlbR = this.tlbRs;
  tlbW = this.tlbWs;
  // Tags: the high half of the page's linear address (the index is its low half's page number),
  // checked by the fast path in long mode only, as int32s, so that 64-bit code can test an address
  // it holds in halves without making it a number. They are allocated (16 MiB) on the first fill
  // in long mode: until then they are empty, and writes to them are dropped, as nothing reads them.
  private tagRs = new Int32Array(0);
  private tagWs = new Int32Array(0);
  private tagRu = new Int32Array(0);
  private tagWu = new Int32Array(0);
  tlbRTag = this.tagRs;
  tlbWTag = this.tagWs;
  /** The TLB pages filled since the last flush that may hold a translation that is not global. */
  private tlbFilled: number[] = [];
  /**
   * The pages filled only from global translations (CR4.PGE and the G bit: the kernel's
   * mappings), which a CR3 write keeps (`tlbKept` marks them); a full flush drops them too.
   */
  private tlbGlobal: number[] = [];
  private readonly tlbKept = new Uint8Array(TLB_SIZE);
  /** Fast write entries listed in `writeRev` since the last full flush (a CR3 write leaves the lists). */
  private writeRevCount = 0;
  /**
   * The walk cache: the physical page of each linear page translated, by kind of access (read,
   * write, fetch) and privilege, as the walk found it (with its permission checks and A/D bits),
   * flushed with the TLB. It serves what the fast TLB entries do not: looking a block up after the
   * jump cache missed, stores to pages holding code, MMIO, the string instructions' pages and the
   * descriptor tables, each of which walked the page tables (four million walks in a Linux boot).
   */
  private readonly wcPage = new Float64Array(3 * WC_SIZE).fill(Number.NaN);
  private readonly wcPhys = new Float64Array(3 * WC_SIZE);
  private readonly wcUser = new Uint8Array(3 * WC_SIZE);
  private readonly wcGlobal = new Uint8Array(3 * WC_SIZE);
  /** Whether the walk allowed a fast write entry (bit 0) and user access (bit 1). */
  private readonly wcPerm = new Uint8Array(3 * WC_SIZE);
  private readonly wcFilled: number[] = [];
  /** Bank 0, which the inline fast path reaches. */
  m8: Uint8Array = new Uint8Array(0);
  m16: Uint16Array = new Uint16Array(0);
  m32: Int32Array = new Int32Array(0);
  /** Every bank the TLB has entries for, by bank index (bank 0 too), for the calls that serve entries. */
  private readonly bank8: Uint8Array[] = [];
  private readonly bank16: Uint16Array[] = [];
  private readonly bank32: Int32Array[] = [];
  private readonly code: CodeCache;
  private readonly jc: (Block | undefined)[] = new Array<Block | undefined>(JC_SIZE).fill(undefined);
  /** The jump-cache slots filled since it was last cleared (a clear touches only these, unless they are many). */
  private readonly jcFilled: number[] = [];
  a20Mask = -1;

  // ---- dispatcher state ------------------------------------------------------------------
  /** Index in its block of the instruction that raised (set by the slow paths and `raise`). */
  faultK = 0;
  /** Instructions of the current block already retired when a device reads the time. */
  icountK = 0;
  curBlock: Block | undefined = undefined;
  /** Names this CPU and its mappings since its TLB was last flushed, for the links between blocks. */
  private linkStamp = 0;
  private curRegion: Block[] | undefined = undefined;
  private inJit = false;
  /** Set by interrupt inputs and devices: look at interrupts and stop requests before the next block. */
  pendingCheck = true;
  /** A device asked the machine to stop (debug exit, reset, shutdown). */
  stopRequested = false;
  /** Set when the CPU cannot continue (triple fault...). */
  failure: GuestFailure | undefined = undefined;
  plugins: PluginHost | undefined = undefined;

  constructor(opts: CpuOptions) {
    super();
    this.platform = opts.platform;
    this.index = opts.index ?? 0;
    this.jitThreshold = opts.jitThreshold ?? 32_768;
    this.interpretOnly = opts.interpretOnly ?? false;
    this.inlineAfter = opts.inlineAfter ?? 256;
    this.code = opts.codeCache ?? new CodeCache();
    this.code.cpus.push(this);
    opts.platform.memory.onMapChange(() => this.mapChanged());
    const intr = opts.platform.interrupts;
    const prev = intr.onChange;
    intr.onChange = () => {
      prev?.();
      this.pendingCheck = true;
    };
    this.reset();
    // Fields that come to hold addresses, bases and counts beyond V8's small integers (number-fields.ts).
    startAsDoubles(this, 'eip', 'icBase', 'gdtBase', 'idtBase', 'cr2', 'lstar', 'cstar', 'kernelGsBase', 'sysenterEip', 'sysenterEsp', 'cwLa', 'cwPhys', 'walkBig', 'lastDpPage', 'compiledRunsBase', 'tier1Base');
  }

  reset(): void {
    if (this.inSmm) this.platform.setSmm?.(false);
    this.inSmm = false;
    this.failure = undefined;
    this.kicked = false;
    this.resetState(S.cpuidVersion());
    this.mapChanged();
    this.pendingCheck = true;
    this.waitSipi = this.index !== 0;
  }

  // =======================================================================================
  // Memory management
  // =======================================================================================

  /** Physical memory map changed (PAM, SMRAM, BARs, A20): drop every cached translation. */
  mapChanged(): void {
    this.mapChanges++;
    this.a20Mask = this.platform.a20 === false ? ~(1 << 20) : -1;
    this.lastDpPage = -1;
    this.lastDp = undefined;
    this.pageCache.clear();
    this.flushTlb();
  }

  /** Empties the jump cache (translations or code changed). */
  private clearJumpCache(): void {
    const filled = this.jcFilled;
    if (filled.length > JC_SIZE / 8) this.jc.fill(undefined);
    else for (let n = 0; n < filled.length; n++) this.jc[filled[n]!] = undefined;
    filled.length = 0;
  }

  /**
   * Empties the jump-cache groups of `n` linear pages from page `first` (low 32 bits), and of the
   * page before them: a block there may run into the first.
   */
  private clearJumpCachePages(first: number, n: number): void {
    if (n >= JC_GROUPS - 1) {
      this.clearJumpCache();
      return;
    }
    for (let p = first - 1; p < first + n; p++) {
      const at = (p & (JC_GROUPS - 1)) << JC_SLOT_BITS;
      this.jc.fill(undefined, at, at + JC_SLOTS);
    }
    // (The list of filled slots now names some empty ones, which fill again and are named twice:
    // past the cache's size, it is made again from the cache.)
    const filled = this.jcFilled;
    if (filled.length > JC_SIZE) {
      filled.length = 0;
      for (let slot = 0; slot < JC_SIZE; slot++) if (this.jc[slot] !== undefined) filled.push(slot);
    }
  }

  /** Drops all TLB entries and the jump cache (CR3 writes, paging changes). */
  flushTlb(): void {
    // (Past an eighth of the TLB, one fill is cheaper; below that, clearing only the entries
    // filled also leaves the untouched parts of the 16 MiB of arrays uncommitted.)
    if (this.tlbFilled.length + this.tlbGlobal.length > TLB_SIZE / 8) {
      this.tlbRs.fill(0);
      this.tlbWs.fill(0);
      this.tlbRu.fill(0);
      this.tlbWu.fill(0);
      this.tlbKept.fill(0);
    } else {
      this.clearPages(this.tlbFilled);
      this.clearPages(this.tlbGlobal);
    }
    this.tlbFilled.length = 0;
    this.tlbGlobal.length = 0;
    this.clearWalkCache(false);
    this.largeRegions.fill(0);
    this.hugeFilled = false;
    if (this.writeRev.size) this.writeRev.clear();
    this.writeRevCount = 0;
    this.clearJumpCache();
    this.translationsChanged();
  }

  /**
   * A CR3 write with CR4.PGE set: drops every TLB entry but those of global translations, which
   * stay across address spaces as on hardware (Linux switches address spaces thousands of times
   * in a boot, and walked its own mappings again after each). The jump cache goes: its blocks were
   * found through the old tables. The reverse lists of write entries stay (an entry they name
   * that is gone is dropped again, harmlessly), up to a bound past which this is a full flush.
   */
  flushNonGlobal(): void {
    if (this.tlbFilled.length > TLB_SIZE / 8 || this.tlbGlobal.length > TLB_SIZE / 8 || this.writeRevCount > TLB_SIZE / 8) {
      this.flushTlb();
      return;
    }
    this.clearPages(this.tlbFilled);
    this.tlbFilled.length = 0;
    this.clearWalkCache(true);
    this.keepGlobalJumps();
    this.translationsChanged();
  }

  /**
   * After any flush (which has emptied the jump cache as far as it must): what else was found
   * through the old translations goes (the last code page's store translation) and the links
   * between blocks get a new stamp.
   */
  private translationsChanged(): void {
    this.cwLa = -1;
    this.linkStamp = ++this.code.stamps;
  }

  /**
   * Empties the jump cache but for blocks whose pages the TLB still translates, with global
   * translations only (after a CR3 write with CR4.PGE: the kernel's code stays where it was).
   */
  private keepGlobalJumps(): void {
    const filled = this.jcFilled;
    let kept = 0;
    for (let n = 0; n < filled.length; n++) {
      const slot = filled[n]!;
      const b = this.jc[slot];
      if (b === undefined) continue;
      if (this.keptGlobal(b.lin) && (b.pages.length === 1 || this.keptGlobal(secondPage(b)))) filled[kept++] = slot;
      else this.jc[slot] = undefined;
    }
    filled.length = kept;
  }

  /** Whether the TLB translates linear address `la`'s page, with global translations only. */
  private keptGlobal(la: number): boolean {
    const p = (la | 0) >>> 12;
    if (!this.tlbKept[p]) return false;
    if (this.tagRs.length === 0) return (this.tlbRs[p]! | this.tlbRu[p]! | this.tlbWs[p]! | this.tlbWu[p]!) !== 0;
    const tag = highHalf(la);
    return (
      (this.tlbRs[p] !== 0 && this.tagRs[p] === tag) ||
      (this.tlbRu[p] !== 0 && this.tagRu[p] === tag) ||
      (this.tlbWs[p] !== 0 && this.tagWs[p] === tag) ||
      (this.tlbWu[p] !== 0 && this.tagWu[p] === tag)
    );
  }

  /** Empties the walk cache, but for its global translations with `keepGlobal`. */
  private clearWalkCache(keepGlobal: boolean): void {
    const filled = this.wcFilled;
    if (filled.length > 3 * WC_SIZE) {
      this.wcPage.fill(Number.NaN);
      filled.length = 0;
      return;
    }
    let kept = 0;
    for (let n = 0; n < filled.length; n++) {
      const slot = filled[n]!;
      if (keepGlobal && this.wcGlobal[slot] && !Number.isNaN(this.wcPage[slot]!)) filled[kept++] = slot;
      else this.wcPage[slot] = Number.NaN;
    }
    filled.length = kept;
  }

  private clearPages(pages: readonly number[]): void {
    for (let n = 0; n < pages.length; n++) {
      const p = pages[n]!;
      this.tlbRs[p] = 0;
      this.tlbWs[p] = 0;
      this.tlbRu[p] = 0;
      this.tlbWu[p] = 0;
      this.tlbKept[p] = 0;
    }
  }

  /**
   * INVLPG: drops the entries of the page holding `la`. The TLB keeps a 4 KiB
   * entry per page touched, so for a large page (which INVLPG drops whole,
   * as the kernel relies on when it changes a 2 MiB mapping with one INVLPG)
   * every entry of the large page goes.
   */
  flushPage(la: number): void {
    const p = (la | 0) >>> 12;
    const r = p >>> 9;
    const pair = r & ~1;
    if (this.hugeFilled) {
      this.flushTlb();
      return;
    }
    if (this.largeRegions[pair] === 2 || this.largeRegions[pair + 1] === 2) this.flushRange(pair << 9, 1024);
    else if (this.largeRegions[r]) this.flushRange(r << 9, 512);
    else {
      this.tlbRs[p] = 0;
      this.tlbWs[p] = 0;
      this.tlbRu[p] = 0;
      this.tlbWu[p] = 0;
      for (let kind = 0; kind < 3; kind++) this.wcPage[kind * WC_SIZE + (p & (WC_SIZE - 1))] = Number.NaN;
      this.clearJumpCachePages(p, 1);
      this.translationsChanged();
    }
  }

  /** By 2 MiB of TLB index: 1 when an entry came from a 2 MiB page, 2 from a 4 MiB page. */
  private readonly largeRegions = new Uint8Array(TLB_SIZE >>> 9);
  /** An entry came from a 1 GiB page since the last full flush (INVLPG then flushes everything). */
  private hugeFilled = false;

  private noteLargePage(page: number): void {
    if (this.walkBig >= 2 ** 30) this.hugeFilled = true;
    const r = page >>> 9;
    const v = this.walkBig === 0x40_0000 ? 2 : 1;
    if (this.largeRegions[r]! < v) this.largeRegions[r] = v;
  }

  private flushRange(first: number, n: number): void {
    this.tlbRs.fill(0, first, first + n);
    this.tlbWs.fill(0, first, first + n);
    this.tlbRu.fill(0, first, first + n);
    this.tlbWu.fill(0, first, first + n);
    this.largeRegions.fill(0, first >>> 9, (first + n) >>> 9);
    this.clearWalkCache(false);
    this.clearJumpCachePages(first, n);
    this.translationsChanged();
  }

  /** Picks the TLB arrays for the current privilege level. */
  selectTlb(): void {
    if (this.cpl === 3) {
      this.tlbR = this.tlbRu;
      this.tlbW = this.tlbWu;
      this.tlbRTag = this.tagRu;
      this.tlbWTag = this.tagWu;
    } else {
      this.tlbR = this.tlbRs;
      this.tlbW = this.tlbWs;
      this.tlbRTag = this.tagRs;
      this.tlbWTag = this.tagWs;
    }
  }

  get paging(): boolean {
    return (this.cr0 & CR0.PG) !== 0;
  }

  /** Long mode is active (EFER.LMA): linear addresses are exact signed numbers. */
  get longMode(): boolean {
    return (this.efer & EFER.LMA) !== 0;
  }

  /**
   * Whether a lookup of a block or a descriptor read at `la` goes through `translate`: with
   * paging on, and to fill the read entry of a page `tlb` has none for (so later loads from it
   * are direct). Refilling an entry at every lookup was a twentieth of SeaBIOS's boot.
   */
  private needsWalk(la: number, tlb: Int32Array): boolean {
    return this.paging || this.longMode || tlb[(la | 0) >>> 12] === 0;
  }

  /** `translate` with paging off for a page that has its TLB entry: the address itself, with A20. */
  private unpagedPhys(la: number, k: number): number {
    this.faultK = k;
    this.icountK = k & 63;
    return this.withA20(la >>> 0);
  }

  /** A physical address as the A20 gate lets it through (bit 20 cleared while the gate is off). */
  private withA20(phys: number): number {
    return this.a20Mask !== -1 && Math.floor(phys / 0x10_0000) % 2 === 1 ? phys - 0x10_0000 : phys;
  }

  /**
   * Linear to physical for an access of `kind` at privilege `user`; fills
   * the TLB entry the fast path uses. Raises #PF (CR2, error code), or #GP
   * for a non-canonical address, at instruction `k`. `la` is an int32 in
   * legacy mode and an exact number in long mode.
   */
  translate(la: number, kind: number, user: boolean, k: number): number {
    // A write through here may hit translated code of the running block (SmcRestart): the
    // restart replays instruction k. A device behind it reads the clock at that instruction.
    this.faultK = k;
    this.icountK = k & 63;
    if (this.longMode) {
      if (la >= 0x8000_0000_0000 || la < -0x8000_0000_0000) this.raise(VEC.GP, 0, k);
    } else la >>>= 0;
    let phys: number;
    let writable = true;
    let userOk = true;
    this.walkBig = 0;
    this.walkGlobal = false;
    if (!this.paging) phys = this.withA20(la);
    else {
      const page = Math.floor(la / PAGE);
      const slot = kind * WC_SIZE + (((la | 0) >>> 12) & (WC_SIZE - 1));
      const u = user ? 1 : 0;
      if (this.wcPage[slot] === page && this.wcUser[slot] === u) {
        phys = this.wcPhys[slot]! + (la - page * PAGE);
        // The fast entry may have gone meanwhile (the page's code was dropped, or another page
        // took its slot): the access that finds it missing fills it again.
        if (this.fastEntryMissing(la, kind, user)) {
          const perm = this.wcPerm[slot]!;
          this.walkGlobal = this.wcGlobal[slot] === 1;
          this.fillTlb(la, phys, kind, (perm & 1) !== 0, (perm & 2) !== 0);
        }
        return phys;
      }
      phys = this.withA20(this.walk(la, kind, user, k));
      writable = this.walkWritable;
      userOk = this.walkUser;
      // (Noted here, not at the fill: the walk cache serves a large page's other 4 KiB pages,
      // which INVLPG of any address in it must drop.)
      if (this.walkBig) this.noteLargePage(((la | 0) >>> 12) >>> 0);
      this.wcPage[slot] = page;
      this.wcPhys[slot] = phys - (phys % PAGE);
      this.wcUser[slot] = u;
      this.wcGlobal[slot] = this.walkGlobal ? 1 : 0;
      this.wcPerm[slot] = (writable ? 1 : 0) | (userOk ? 2 : 0);
      this.wcFilled.push(slot);
    }
    this.fillTlb(la, phys, kind, writable, userOk);
    return phys;
  }

  /** Whether the fast path has no entry of `kind` for `la` at privilege `user`. */
  private fastEntryMissing(la: number, kind: number, user: boolean): boolean {
    const page = (la | 0) >>> 12;
    const w = kind === ACCESS_WRITE;
    const entries = w ? (user ? this.tlbWu : this.tlbWs) : user ? this.tlbRu : this.tlbRs;
    if (entries[page] === 0) return true;
    if (!this.longMode) return false;
    const tags = w ? (user ? this.tagWu : this.tagWs) : user ? this.tagRu : this.tagRs;
    return tags[page] !== highHalf(la);
  }

  /** Like translate() but answers -1 instead of faulting, and fills nothing (instruction prefetch). */
  probe(la: number, kind: number, user: boolean): number {
    if (this.longMode) {
      if (la >= 0x8000_0000_0000 || la < -0x8000_0000_0000) return -1;
    } else la >>>= 0;
    if (!this.paging) return this.withA20(la);
    this.probing = true;
    try {
      return this.withA20(this.walk(la, kind, user, 0));
    } catch (e) {
      if (e instanceof CpuException) return -1;
      throw e;
    } finally {
      this.probing = false;
    }
  }

  private probing = false;
  /** The size of the large page the last walk ended on (2 MiB, 4 MiB, 1 GiB), 0 for a 4 KiB page. */
  private walkBig = 0;
  /** The last walk ended on a global translation (its G bit, with CR4.PGE). */
  private walkGlobal = false;
  private walkWritable = true;
  private walkUser = true;

  /**
   * The page-table walk: 32-bit (with PSE 4 MiB pages), PAE, or long mode's
   * four levels (2 MiB and 1 GiB pages), with NX when EFER.NXE. Sets the
   * accessed and dirty bits and checks U/S, R/W (with CR0.WP) and NX.
   */
  private walk(la: number, kind: number, user: boolean, k: number): number {
    const wp = (this.cr0 & CR0.WP) !== 0;
    const write = kind === ACCESS_WRITE;
    const nxe = (this.efer & EFER.NXE) !== 0 && (this.cr4 & CR4.PAE) !== 0;
    const fault = (present: boolean): never => {
      if (this.probing) throw new CpuException(VEC.PF, 0);
      this.cr2 = la;
      const code = (present ? 1 : 0) | (write ? 2 : 0) | (user ? 4 : 0) | (kind === ACCESS_EXEC && nxe ? 16 : 0);
      return this.raise(VEC.PF, code, k);
    };
    const lo = la | 0;
    if (this.cr4 & CR4.PAE) {
      let rw = true;
      let us = true;
      let nx = false;
      let table: number;
      let level: number;
      if (this.longMode) {
        table = pageBase64({ lo: this.cr3, hi: this.cr3Hi });
        level = 4;
      } else {
        const pdpte = this.physRead64(((this.cr3 & ~0x1f) >>> 0) + ((lo >>> 30) << 3));
        if (!(pdpte.lo & 1)) fault(false);
        table = pageBase64(pdpte);
        level = 2;
      }
      for (;;) {
        const shift = 12 + 9 * (level - 1);
        const idx = (level === 4 ? Math.floor(la / 2 ** 39) : level === 3 ? Math.floor(la / 2 ** 30) : lo >>> shift) & 0x1ff;
        const addr = table + idx * 8;
        const e = this.physRead64(addr);
        if (!(e.lo & 1)) fault(false);
        rw = rw && (e.lo & 2) !== 0;
        us = us && (e.lo & 4) !== 0;
        if (nxe && e.hi < 0) nx = true;
        const big = level <= 3 && level >= 2 && (e.lo & 0x80) !== 0 && (level === 2 || this.longMode);
        if (level === 1 || big) {
          if (!this.checkPerm(rw, us, write, user, wp) || (kind === ACCESS_EXEC && nx)) fault(true);
          this.setAD(addr, e.lo, write);
          const size = 2 ** shift;
          const base = pageBase64(e) - (pageBase64(e) % size);
          this.walkWritable = write && rw;
          this.walkUser = us;
          this.walkGlobal = this.globalLeaf(e.lo);
          this.walkBig = level === 1 ? 0 : size;
          return base + (level === 1 ? lo & 0xfff : mod(la, size));
        }
        if (!(e.lo & 0x20) && !this.probing) this.physWrite(addr, 4, e.lo | 0x20);
        table = pageBase64(e);
        level--;
      }
    }
    const pdeAddr = ((this.cr3 & ~0xfff) >>> 0) + ((lo >>> 22) << 2);
    const pde = this.physRead(pdeAddr, 4);
    if (!(pde & 1)) fault(false);
    let rw = (pde & 2) !== 0;
    let us = (pde & 4) !== 0;
    let phys: number;
    if (pde & 0x80 && this.cr4 & CR4.PSE) {
      this.checkPerm(rw, us, write, user, wp) || fault(true);
      this.setAD(pdeAddr, pde, write);
      phys = ((pde & 0xffc0_0000) >>> 0) + ((pde >>> 13) & 0xff) * 2 ** 32 + (lo & 0x3f_ffff);
      this.walkBig = 0x40_0000;
      this.walkGlobal = this.globalLeaf(pde);
    } else {
      const pteAddr = ((pde & ~0xfff) >>> 0) + (((lo >>> 12) & 0x3ff) << 2);
      const pte = this.physRead(pteAddr, 4);
      if (!(pte & 1)) fault(false);
      rw = rw && (pte & 2) !== 0;
      us = us && (pte & 4) !== 0;
      this.checkPerm(rw, us, write, user, wp) || fault(true);
      if (!(pde & 0x20) && !this.probing) this.physWrite(pdeAddr, 4, pde | 0x20);
      this.setAD(pteAddr, pte, write);
      phys = ((pte & ~0xfff) >>> 0) + (lo & 0xfff);
      this.walkGlobal = this.globalLeaf(pte);
    }
    // Only a write access may leave a writable fast entry (the D bit is set by now).
    this.walkWritable = write && rw;
    this.walkUser = us;
    return phys;
  }

  /** Whether a leaf entry (its low half) is a global translation: its G bit, with CR4.PGE. */
  private globalLeaf(entry: number): boolean {
    return (entry & 0x100) !== 0 && (this.cr4 & CR4.PGE) !== 0;
  }

  private checkPerm(rw: boolean, us: boolean, write: boolean, user: boolean, wp: boolean): boolean {
    if (user) return us && (!write || rw);
    return !write || rw || !wp;
  }

  private setAD(addr: number, entry: number, write: boolean): void {
    if (this.probing) return;
    const want = entry | 0x20 | (write ? 0x40 : 0);
    if (want !== entry) this.physWrite(addr, 4, want);
  }

  private fillTlb(la: number, phys: number, kind: number, writable: boolean, userOk: boolean): void {
    // Any page of RAM, wherever it sits physically: on a machine with more than the 2 GiB below
    // the PCI hole, Linux allocates most of its memory above 4 GiB, and beyond bank 0 on a big one.
    const dp = this.directPage(phys);
    if (!dp || dp.bank < 0 || dp.bank >= TLB_BANKS) return;
    if (this.longMode && this.tagRs.length === 0) {
      this.tagRs = new Int32Array(TLB_SIZE);
      this.tagWs = new Int32Array(TLB_SIZE);
      this.tagRu = new Int32Array(TLB_SIZE);
      this.tagWu = new Int32Array(TLB_SIZE);
      this.selectTlb();
    }
    const bank = dp.bank;
    if (this.bank8[bank]?.buffer !== dp.bytes.buffer) this.useBank(dp);
    const off = dp.offset;
    const lo = la | 0;
    const page = lo >>> 12;
    const tag = highHalf(la);
    const entry = ((off ^ (lo & ~0xfff)) | (bank === BANK0 ? 1 : bank << 1)) | 0;
    const user = this.cpl === 3;
    if (user && !userOk) return;
    const read = kind !== ACCESS_WRITE;
    const codePage = this.code.codeMaps[bank]![off >>> 12] !== 0;
    const write = dp.writable && !codePage && (kind === ACCESS_WRITE ? writable : !this.paging);
    // (A store to a page holding code gets no entry: refilled from the walk cache at each such
    // store, it must not list the page again each time.)
    if (!read && !write) return;
    // Listed once while it has any entry, so a flush costs the pages filled, not the fills; in
    // the global list while every entry it has is of a global translation.
    if ((this.tlbRs[page]! | this.tlbWs[page]! | this.tlbRu[page]! | this.tlbWu[page]!) === 0) {
      if (this.walkGlobal) {
        this.tlbGlobal.push(page);
        this.tlbKept[page] = 1;
      } else this.tlbFilled.push(page);
    } else if (this.tlbKept[page] && !this.walkGlobal) {
      this.tlbFilled.push(page);
      this.tlbKept[page] = 0;
    }
    if (read) {
      if (user) {
        this.tlbRu[page] = entry;
        this.tagRu[page] = tag;
      } else {
        this.tlbRs[page] = entry;
        this.tagRs[page] = tag;
      }
    }
    if (write) {
      if (user) {
        this.tlbWu[page] = entry;
        this.tagWu[page] = tag;
      } else {
        this.tlbWs[page] = entry;
        this.tagWs[page] = tag;
      }
      const rp = bank * BANK_PAGES + (off >>> 12);
      this.writeRevCount++;
      const list = this.writeRev.get(rp);
      if (list) list.push(page);
      else this.writeRev.set(rp, [page]);
    }
  }

  /** Virtual pages with fast write entries, by the RAM page (bank page number) they map (to revoke them when the page gets code). */
  private writeRev = new Map<number, number[]>();

  /** Views of the RAM bank behind `dp` (a page of RAM, dp.bank >= 0) for the TLB's calls, and its code map. */
  private useBank(dp: DirectPage): void {
    const bytes = dp.bytes;
    const bank = dp.bank;
    this.bank8[bank] = bytes;
    this.bank16[bank] = new Uint16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
    this.bank32[bank] = new Int32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
    const maps = this.code.codeMaps;
    maps[bank] = dp.codePages ?? maps[bank] ?? new Uint8Array(Math.ceil(bytes.length / PAGE));
    if (bank === BANK0) {
      this.m8 = bytes;
      this.m16 = this.bank16[bank]!;
      this.m32 = this.bank32[bank]!;
    }
  }

  /**
   * The memory behind `len` bytes at linear `la`, within one page, for the bulk string paths,
   * through a page walk (with its faults and A/D bits): RAM or ROM as its bytes; a device's
   * memory (MMIO, which the string paths then access element by element, without a walk each) as
   * its physical address; undefined for a write to ROM. Before a write, translated code in the
   * range is dropped as the slow write path drops it (a write into the running block restarts it).
   */
  bulkSpan(la: number, len: number, write: boolean, k: number): BulkSpan | undefined {
    const phys = this.translate(la, write ? ACCESS_WRITE : ACCESS_READ, this.userAccess, k);
    const dp = this.directPage(phys);
    if (!dp) return { bytes: undefined, at: phys };
    if (write && !dp.writable) return undefined;
    const at = dp.offset + (phys % PAGE);
    if (write) this.dropCodeAt(dp, at, len);
    return { bytes: dp.bytes, at };
  }

  /**
   * Before `len` bytes at offset `at` of page `dp` are written: drops the translated code there
   * when it is a page of RAM (a write into the running block restarts it, SmcRestart).
   */
  private dropCodeAt(dp: DirectPage, at: number, len: number): void {
    if (dp.bank < 0) return;
    if (this.bank8[dp.bank]?.buffer !== dp.bytes.buffer) this.useBank(dp);
    if (this.code.codeMaps[dp.bank]![at >>> 12]) this.codeWritten(dp.bank * 2 ** 32 + at, len);
  }

  /** The machine reports a write from outside the CPU to RAM page `page` that holds translated code. */
  ramPageWritten(page: number): void {
    this.ramWritten(page * PAGE, PAGE);
  }

  /** Changes of the physical memory map so far (a device access that changes it ends a bulk string run). */
  mapChanges = 0;
  private lastDpPage = -1;
  private lastDp: DirectPage | undefined;
  /**
   * What the machine has at each page asked for (null: no plain memory, MMIO), until the map
   * changes. Firmware walking ECAM reads a new page at every function, and asking the machine
   * each time (its regions, its overlays) was most of a config read's cost; and the machine
   * answers with a new object each time.
   */
  private readonly pageCache = new Map<number, DirectPage | null>();
  private directPage(phys: number): DirectPage | undefined {
    const page = phys - (phys % PAGE);
    if (page === this.lastDpPage) return this.lastDp;
    let dp = this.pageCache.get(page);
    if (dp === undefined) this.pageCache.set(page, (dp = this.platform.memory.directPage(page) ?? null));
    this.lastDpPage = page;
    this.lastDp = dp ?? undefined;
    return this.lastDp;
  }

  // ---- physical access (page tables, descriptors, the slow paths) ----------------------

  physRead(phys: number, width: 1 | 2 | 4): number {
    const dp = this.directPage(phys);
    const o = phys % PAGE;
    if (dp && o + width <= PAGE) {
      const b = dp.bytes;
      const at = dp.offset + o;
      if (width === 1) return b[at]!;
      if (width === 2) return b[at]! | (b[at + 1]! << 8);
      return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
    }
    if (o + width > PAGE) {
      let v = 0;
      for (let n = 0; n < width; n++) v |= this.physRead(phys + n, 1) << (8 * n);
      return width === 4 ? v | 0 : v;
    }
    const v = this.platform.memory.read(phys, width);
    return width === 4 ? v | 0 : v;
  }

  physRead64(phys: number): { lo: number; hi: number } {
    return { lo: this.physRead(phys, 4), hi: this.physRead(phys + 4, 4) };
  }

  physWrite(phys: number, width: 1 | 2 | 4, value: number): void {
    const dp = this.directPage(phys);
    const o = phys % PAGE;
    if (dp && o + width <= PAGE) {
      if (!dp.writable) return;
      const at = dp.offset + o;
      this.dropCodeAt(dp, at, width);
      const b = dp.bytes;
      b[at] = value;
      if (width > 1) b[at + 1] = value >>> 8;
      if (width > 2) {
        b[at + 2] = value >>> 16;
        b[at + 3] = value >>> 24;
      }
      return;
    }
    if (o + width > PAGE) {
      for (let n = 0; n < width; n++) this.physWrite(phys + n, 1, (value >>> (8 * n)) & 0xff);
      return;
    }
    this.platform.memory.write(phys, width, value >>> 0);
  }

  // ---- the slow paths generated code calls ---------------------------------------------------

  private get userAccess(): boolean {
    return this.cpl === 3;
  }

  /**
   * The TLB entry for an access at `la` that stays inside its page, or 0: what
   * the inline test leaves to these calls (pages of banks other than 0,
   * misaligned accesses) is served from it without a walk.
   */
  private readEntry(la: number): number {
    const lo = la | 0;
    const page = lo >>> 12;
    const e = this.tlbR[page]!;
    return e !== 0 && (!this.longMode || this.tlbRTag[page] === highHalf(la)) ? e : 0;
  }

  private writeEntry(la: number): number {
    const lo = la | 0;
    const page = lo >>> 12;
    const e = this.tlbW[page]!;
    return e !== 0 && (!this.longMode || this.tlbWTag[page] === highHalf(la)) ? e : 0;
  }

  rd8(la: number, k: number): number {
    const e = this.readEntry(la);
    if (e !== 0) return this.bank8[(e >>> 1) & 0x7ff]![((e & -4096) ^ la) >>> 0]!;
    return this.physRead(this.translate(la, ACCESS_READ, this.userAccess, k), 1);
  }

  /** A segment or table base plus an offset, as a linear address in the current mode. */
  lin(base: number, off: number): number {
    return this.longMode ? base + off : (base + off) | 0;
  }

  /** la + n in the current address arithmetic (64-bit in long mode, 32-bit otherwise). */
  private addLa(la: number, n: number): number {
    return this.longMode ? la + n : (la + n) | 0;
  }

  rd16(la: number, k: number): number {
    if ((la & 0xfff) > 0xffe) return this.rd8(la, k) | (this.rd8(this.addLa(la, 1), k) << 8);
    const e = this.readEntry(la);
    if (e !== 0) {
      const at = ((e & -4096) ^ la) >>> 0;
      const bank = (e >>> 1) & 0x7ff;
      if ((at & 1) === 0) return this.bank16[bank]![at >>> 1]!;
      const b = this.bank8[bank]!;
      return b[at]! | (b[at + 1]! << 8);
    }
    return this.physRead(this.translate(la, ACCESS_READ, this.userAccess, k), 2);
  }

  rd32(la: number, k: number): number {
    if ((la & 0xfff) > 0xffc) return this.rd16(la, k) | (this.rd16(this.addLa(la, 2), k) << 16);
    const e = this.readEntry(la);
    if (e !== 0) {
      const at = ((e & -4096) ^ la) >>> 0;
      const bank = (e >>> 1) & 0x7ff;
      if ((at & 3) === 0) return this.bank32[bank]![at >>> 2]!;
      const b = this.bank8[bank]!;
      return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
    }
    return this.physRead(this.translate(la, ACCESS_READ, this.userAccess, k), 4);
  }

  /** The high dword of the last `rd64`. */
  hi64 = 0;

  /**
   * 8 bytes as two dwords, the slow path of generated 64-bit loads (one call site instead of
   * two): the low dword is returned, the high one left in `hi64`. In long mode the second
   * address wraps at 2^64, as the guest's address arithmetic does.
   */
  rd64(la: number, k: number): number {
    const lo = this.rd32(la, k);
    this.hi64 = this.rd32(this.longMode ? wrap64(la + 4) : (la + 4) | 0, k);
    return lo;
  }

  /**
   * The last page the slow path wrote that holds translated code (so it has no write entry):
   * its linear page, privilege and physical page. SeaBIOS keeps its variables in the pages of its
   * code, and a loop storing there walked and refilled the TLB at every store. Dropped with the
   * TLB, and once the page holds no code (the next store then gets a write entry).
   */
  private cwLa = -1;
  private cwUser = false;
  private cwPhys = 0;
  private cwBank = 0;
  private cwPage = 0;

  /** The physical address a store at `la` (within its page) goes to, as `translate` finds it. */
  private writePhys(la: number, k: number): number {
    const o = la & 0xfff;
    const base = la - o;
    const user = this.userAccess;
    if (base === this.cwLa && user === this.cwUser) {
      if (this.code.codeMaps[this.cwBank]![this.cwPage] !== 0) {
        this.faultK = k;
        this.icountK = k & 63;
        return this.cwPhys + o;
      }
      this.cwLa = -1;
    }
    const phys = this.translate(la, ACCESS_WRITE, user, k);
    const dp = this.directPage(phys);
    if (dp && dp.bank >= 0 && dp.bank < TLB_BANKS && dp.writable) {
      const pg = (dp.offset + o) >>> 12;
      if (this.code.codeMaps[dp.bank]?.[pg]) {
        this.cwLa = base;
        this.cwUser = user;
        this.cwPhys = phys - o;
        this.cwBank = dp.bank;
        this.cwPage = pg;
      }
    }
    return phys;
  }

  // A write entry exists only for a dirty RAM page without translated code (fillTlb), so the
  // stores below need no code check: the entries of a page that gets code are revoked first.

  wr8(la: number, v: number, k: number): void {
    const e = this.writeEntry(la);
    if (e !== 0) {
      this.bank8[(e >>> 1) & 0x7ff]![((e & -4096) ^ la) >>> 0] = v;
      return;
    }
    this.physWrite(this.writePhys(la, k), 1, v);
  }

  /** Stores `width` bytes of `v` at byte `at` of `bank` (a write entry's page). */
  private storeBank(bank: number, at: number, width: 2 | 4, v: number): void {
    if (width === 4 && (at & 3) === 0) this.bank32[bank]![at >>> 2] = v;
    else if (width === 2 && (at & 1) === 0) this.bank16[bank]![at >>> 1] = v;
    else {
      const b = this.bank8[bank]!;
      for (let n = 0; n < width; n++) b[at + n] = v >>> (8 * n);
    }
  }

  wr16(la: number, v: number, k: number): void {
    if ((la & 0xfff) <= 0xffe) {
      const e = this.writeEntry(la);
      if (e !== 0) return this.storeBank((e >>> 1) & 0x7ff, ((e & -4096) ^ la) >>> 0, 2, v);
    } else {
      const p0 = this.translate(la, ACCESS_WRITE, this.userAccess, k);
      const p1 = this.translate(this.addLa(la, 1), ACCESS_WRITE, this.userAccess, k);
      this.physWrite(p0, 1, v & 0xff);
      this.physWrite(p1, 1, (v >>> 8) & 0xff);
      return;
    }
    this.physWrite(this.writePhys(la, k), 2, v);
  }

  wr32(la: number, v: number, k: number): void {
    if ((la & 0xfff) <= 0xffc) {
      const e = this.writeEntry(la);
      if (e !== 0) return this.storeBank((e >>> 1) & 0x7ff, ((e & -4096) ^ la) >>> 0, 4, v);
    } else {
      const n = PAGE - (la & 0xfff);
      const p0 = this.translate(la, ACCESS_WRITE, this.userAccess, k);
      const p1 = this.translate(this.addLa(la, n), ACCESS_WRITE, this.userAccess, k);
      for (let b = 0; b < 4; b++) this.physWrite(b < n ? p0 + b : p1 + (b - n), 1, (v >>> (8 * b)) & 0xff);
      return;
    }
    this.physWrite(this.writePhys(la, k), 4, v);
  }

  /** 8 bytes, as two dwords (both pages checked before either is written). */
  wr64(la: number, lo: number, hi: number, k: number): void {
    if ((la & 0xfff) <= 0xff8) {
      const e = this.writeEntry(la);
      if (e !== 0) {
        const bank = (e >>> 1) & 0x7ff;
        const at = ((e & -4096) ^ la) >>> 0;
        this.storeBank(bank, at, 4, lo);
        this.storeBank(bank, at + 4, 4, hi);
        return;
      }
    }
    const la2 = this.addLa(la, 4);
    this.translate(la, ACCESS_WRITE, this.userAccess, k);
    this.translate(this.addLa(la, 7), ACCESS_WRITE, this.userAccess, k);
    this.wr32(la, lo, k);
    this.wr32(la2, hi, k);
  }

  /** A supervisor-mode access (descriptor tables, TSS, IDT) regardless of CPL. */
  sysRead(la: number, width: 1 | 2 | 4, k: number): number {
    if ((la & 0xfff) > PAGE - width) {
      let v = 0;
      for (let n = 0; n < width; n++) v |= this.physRead(this.translate(this.addLa(la, n), ACCESS_READ, false, k), 1) << (8 * n);
      return width === 4 ? v | 0 : v;
    }
    return this.physRead(this.needsWalk(la, this.tlbRs) ? this.translate(la, ACCESS_READ, false, k) : this.unpagedPhys(la, k), width);
  }

  sysWrite(la: number, width: 1 | 2 | 4, v: number, k: number): void {
    for (let n = 0; n < width; n++) this.physWrite(this.translate(this.addLa(la, n), ACCESS_WRITE, false, k), 1, (v >>> (8 * n)) & 0xff);
  }

  // =======================================================================================
  // Translated code: blocks, invalidation
  // =======================================================================================

  /** Backing key of a physical address's byte (RAM offset, or a ROM key), or -1 for MMIO. */
  private backingKey(phys: number): number {
    const dp = this.directPage(phys);
    if (!dp) return -1;
    const o = phys % PAGE;
    if (dp.bank >= 0) {
      if (this.bank8[dp.bank]?.buffer !== dp.bytes.buffer) this.useBank(dp);
      return dp.bank * 2 ** 32 + dp.offset + o;
    }
    let id = this.code.romIds.get(dp.bytes);
    if (id === undefined) {
      this.code.romIds.set(dp.bytes, (id = this.code.romIds.size));
      this.code.roms.push(dp.bytes);
    }
    return ROM_KEY_BASE + id * 2 ** 32 + dp.offset + o;
  }

  /** Bytes at backing key range [key, key+len) were written: drop blocks decoded from them. */
  private codeWritten(key: number, len: number): void {
    const page = Math.floor(key / PAGE);
    const cp = this.code.pages.get(page);
    const end = Math.min(key + len, (page + 1) * PAGE);
    if (!cp || !anyChunk(cp.chunks, key, end)) return;
    const all = ++cp.writes > DROP_PAGE_AFTER;
    let dropped = 0;
    for (let n = 0; n < cp.blocks.length; n++) {
      const b = cp.blocks[n]!;
      if (!b.valid) continue;
      const hit = end > startIn(b, page) && key < endIn(b, page);
      if (!hit && !all) continue;
      if (this.inJit && (b === this.curBlock || this.curRegion?.includes(b))) {
        if (hit) throw new SmcRestart();
        continue;
      }
      b.valid = false;
      this.forget(b);
      // Functions that took its code in go back to tier 1 (and compile again once hot).
      for (const h of b.inlinedBy ?? []) {
        if (!h.region?.includes(b)) continue;
        h.fn = h.region = undefined;
        h.runs = 0;
        unlink(h);
      }
      dropped++;
    }
    if (dropped === 0) return;
    this.clearJumpCache();
    const live = cp.blocks.filter((b) => b.valid);
    if (live.length === 0) {
      this.code.pages.delete(page);
      const map = key < ROM_KEY_BASE ? this.code.codeMaps[Math.floor(page / BANK_PAGES)] : undefined;
      if (map) map[page % BANK_PAGES] = 0;
    } else {
      cp.blocks.splice(0, cp.blocks.length, ...live);
      cp.chunks.fill(0);
      for (const b of live) markChunks(cp.chunks, startIn(b, page), endIn(b, page));
    }
  }

  /** Writes into RAM from outside the CPU (DMA, loaders): drop translated code there. */
  ramWritten(ramOffset: number, len: number): void {
    for (let p = Math.floor(ramOffset / PAGE); p * PAGE < ramOffset + len; p++) {
      if (this.code.pages.has(p)) this.codeWritten(Math.max(ramOffset, p * PAGE), Math.min(ramOffset + len, (p + 1) * PAGE) - Math.max(ramOffset, p * PAGE));
    }
  }

  /** Drops invalid block `b` from the key index. */
  private forget(b: Block): void {
    const at = this.code.byKey.get(b.key);
    if (!at) return;
    const n = at.indexOf(b);
    if (n >= 0) at.splice(n, 1);
    if (at.length === 0) this.code.byKey.delete(b.key);
  }

  private registerCode(b: Block): void {
    const at = this.code.byKey.get(b.key);
    if (at) at.push(b);
    else this.code.byKey.set(b.key, [b]);
    for (const page of b.pages) {
      let cp = this.code.pages.get(page);
      if (!cp) {
        cp = { blocks: [], chunks: new Uint32Array(PAGE / 32 / 32), writes: 0 };
        this.code.pages.set(page, cp);
        if (page * PAGE < ROM_KEY_BASE) {
          // backingKey() took the bank's views when it named the page.
          this.code.codeMaps[Math.floor(page / BANK_PAGES)]![page % BANK_PAGES] = 1;
          // Writes to this page must now take the slow path, on every CPU.
          for (const c of this.code.cpus) c.dropWriteEntriesFor(page);
        }
      }
      cp.blocks.push(b);
      cp.writes = 0;
      markChunks(cp.chunks, startIn(b, page), endIn(b, page));
    }
  }

  /** Removes fast write entries that point at RAM page `ramPage` (a bank page number). */
  private dropWriteEntriesFor(ramPage: number): void {
    const list = this.writeRev.get(ramPage);
    if (!list) return;
    for (const vp of list) {
      this.tlbWs[vp] = 0;
      this.tlbWu[vp] = 0;
    }
    this.writeRev.delete(ramPage);
  }

  /** The block at CS:EIP for the current mode, translated if needed. Raises fetch faults. */
  private lookup(): Block {
    const eip = this.eip;
    const hf = this.hflags;
    const csBase = hf & HF.CS64 ? 0 : this.segBase[CS]!;
    const lin = hf & HF.LMA ? (hf & HF.CS64 ? eip : (csBase + eip) >>> 0) : (csBase + eip) | 0;
    const l32 = lin | 0;
    const slot = jcSlot(l32);
    const b = this.jc[slot];
    if (b !== undefined && b.lin === lin && b.eip === eip && b.hf === hf && b.valid === true && b.csBase === csBase) return b;
    const found = this.findOrTranslate(lin, eip, csBase, hf);
    if (found.cached === true) {
      if (this.jc[slot] === undefined) this.jcFilled.push(slot);
      this.jc[slot] = found;
    }
    return found;
  }

  private findOrTranslate(lin: number, eip: number, csBase: number, hf: number): Block {
    const phys = this.needsWalk(lin, this.tlbR) ? this.translate(lin, ACCESS_EXEC, this.cpl === 3, 0) : this.unpagedPhys(lin, 0);
    const key = this.backingKey(phys);
    if (key >= 0) {
      const at = this.code.byKey.get(key);
      if (at) {
        for (let n = 0; n < at.length; n++) {
          const b = at[n]!;
          if (b.eip === eip && b.hf === hf && b.csBase === csBase && b.lin === lin && (b.pages.length === 1 || this.secondPageIs(b))) return b;
        }
      }
    }
    return this.translateBlock(lin, eip, csBase, hf, phys, key);
  }

  /** Whether the page block `b` runs into (its last instruction starts in the page before) still maps to the memory it was decoded from. */
  private secondPageIs(b: Block): boolean {
    const phys = this.probe(secondPage(b), ACCESS_EXEC, this.cpl === 3);
    const key = phys < 0 ? -1 : this.backingKey(phys);
    return key >= 0 && Math.floor(key / PAGE) === b.pages[1];
  }

  private translateBlock(lin: number, eip: number, csBase: number, hf: number, phys0: number, key0: number): Block {
    this.code.stats.blocks++;
    const mode: CodeMode = hf & HF.CS64 ? 64 : hf & HF.CS32 ? 32 : 16;
    const ipWrap = (v: number): number => (mode === 16 ? v & 0xffff : mode === 32 ? v >>> 0 : v);
    const linOf = (off: number): number => (mode === 64 ? off : hf & HF.LMA ? (csBase + off) >>> 0 : (csBase + off) | 0);
    const pageOf = (la: number): number => Math.floor(la / PAGE);
    const firstPage = pageOf(lin);
    let curPage = firstPage;
    let curPhys = phys0 - (phys0 % PAGE);
    let faulted = false;
    let pages = [key0 >= 0 ? Math.floor(key0 / PAGE) : -1];
    // The current page's bytes where it is plain memory (read directly: the decoder fetches a
    // byte at a time), else undefined (MMIO: read through physRead); looked up at its first byte.
    let curBytes: Uint8Array | undefined;
    let curAt = -1;
    const fetch: FetchByte = (off) => {
      const la = linOf(ipWrap(off));
      const page = pageOf(la);
      if (page !== curPage) {
        const p2 = this.probe(page * PAGE, ACCESS_EXEC, this.cpl === 3);
        if (p2 < 0) {
          faulted = true;
          return -1;
        }
        curPhys = p2;
        curPage = page;
        curAt = -1;
        const k = this.backingKey(curPhys);
        const pk = k >= 0 ? Math.floor(k / PAGE) : -1;
        if (!pages.includes(pk)) pages = [...pages, pk];
      }
      const o = la - page * PAGE;
      if (curAt < 0) {
        const dp = this.directPage(curPhys);
        curBytes = dp?.bytes;
        curAt = dp ? dp.offset : 0;
      }
      return curBytes !== undefined ? curBytes[curAt + o]! : this.physRead(curPhys + o, 1);
    };
    const insns: Insn[] = [];
    let p = eip;
    const maxInsns = hf & 0x80 ? 1 : MAX_BLOCK;
    for (let n = 0; n < maxInsns; n++) {
      const i = new Insn();
      const pagesBefore = pages.length;
      if (!decode(i, fetch, p, mode)) {
        if (n === 0) {
          // The first instruction runs into a page it cannot fetch: the fault belongs to it.
          this.faultK = 0;
          const la = linOf(p);
          if (faulted) this.translate((pageOf(la) + 1) * PAGE, ACCESS_EXEC, this.cpl === 3, 0);
          throw new GuestFailure(`cannot fetch code at ${hex(la)}`, 'bad-code');
        }
        pages.length = pagesBefore;
        break;
      }
      i.k = n;
      insns.push(i);
      p = i.next;
      const e = i.entry;
      if (e.attrs & (A.branch | A.end) || (i.rep && e.attrs & (A.rep | A.repcc))) break;
      if (pageOf(linOf(p)) !== firstPage) break;
    }
    setHandlers(insns, hf, false, this.store);
    const last = insns[insns.length - 1]!;
    const bytes = mode === 64 ? p - eip : ipWrap(p - eip);
    const cached = !pages.includes(-1);
    const b = new Block(lin, eip, csBase, hf, key0, bytes, insns, pages, cached);
    b.selfExit = (last.entry.attrs & A.branch) !== 0 || (last.rep !== 0 && (last.entry.attrs & (A.rep | A.repcc)) !== 0);
    if (cached) this.registerCode(b);
    if (this.plugins?.wantsTranslate) {
      b.instr = this.plugins.instrument(b, this.readCode);
      if (b.instr?.anyMem) setHandlers(insns.filter((i) => b.instr!.insns[i.k]!.mem.length), hf, true);
    }
    return b;
  }

  /** Code bytes at a linear address, for plugins. */
  private readonly readCode = (la: number, len: number): Uint8Array => {
    const out = new Uint8Array(len);
    for (let k = 0; k < len; k++) out[k] = this.physRead(this.probe((la + k) | 0, ACCESS_EXEC, false), 1);
    return out;
  };

  /** The first `n` instructions of block `b` as a block of their own, not cached. */
  private truncated(b: Block, n: number): Block {
    const insns = b.insns.slice(0, n);
    const last = insns[n - 1]!;
    const bytes = b.hf & HF.CS64 ? last.next - b.eip : (last.next - b.eip) & (b.hf & HF.CS32 ? -1 : 0xffff);
    const t = new Block(b.lin, b.eip, b.csBase, b.hf, b.key, bytes >>> 0, insns, b.pages, false);
    if (this.plugins?.wantsTranslate) t.instr = this.plugins.instrument(t, this.readCode);
    return t;
  }

  // =======================================================================================
  // The dispatcher
  // =======================================================================================

  /** Where the current run() ends, relative to `icBase` (what compiled loops compare `icRel` with). */
  runLim = 0;
  /**
   * Runs of compiled functions (each a transition through the dispatcher) and instructions
   * retired by blocks run in tier 1 (a REP string instruction counts each iteration): counted
   * from the run's start, small integers as `icRel` is, and folded at the next start.
   */
  private compiledRunsRel = 0;
  private tier1Rel = 0;
  private compiledRunsBase = 0;
  private tier1Base = 0;
  get compiledRuns(): number {
    return this.compiledRunsBase + this.compiledRunsRel;
  }
  get tier1Insns(): number {
    return this.tier1Base + this.tier1Rel;
  }
  /** Where the current run() ends, in retired instructions. */
  get runEnd(): number {
    return this.icBase + this.runLim;
  }
  private kicked = false;

  /** Ends the current run() at the next block boundary (the machine must act first: a reset, a power-off). */
  kick(): void {
    this.kicked = true;
    this.pendingCheck = true;
  }
  /** A PAUSE ended the turn: run() returns after the current block. */
  private pauseYield = false;

  /**
   * Runs up to `budget` instructions, exactly (`exact`: a timer is due or an instruction limit
   * is reached there) or up to the end of the block the budget ends in (the end of a time slice,
   * where stopping exactly would run that block's first instructions as a block of their own and
   * then translate a block from the middle of it: 250,000 times in a Linux boot).
   */
  run(budget: number, exact = true): StopReason {
    // One run covers at most RUN_MAX instructions (compiled code counts in int32 arithmetic);
    // a larger budget ends there, with 'budget', as a time slice does.
    if (budget > RUN_MAX) budget = RUN_MAX;
    this.icBase += this.icRel;
    this.icRel = 0;
    this.compiledRunsBase += this.compiledRunsRel;
    this.compiledRunsRel = 0;
    this.tier1Base += this.tier1Rel;
    this.tier1Rel = 0;
    this.runLim = budget;
    this.selectTlb();
    while (this.icRel < budget) {
      if (this.pendingCheck === true || this.halted === true || this.waitSipi === true) {
        if (this.kicked) {
          this.kicked = false;
          this.pendingCheck = true;
          return 'kicked';
        }
        this.checkEvents();
        if (this.stopRequested || this.failure) return 'stop';
        if (this.waitSipi) return 'wait-sipi';
        if (this.halted) return 'halt';
      }
      try {
        this.runBlocks(budget, exact);
      } catch (e) {
        this.handleThrow(e);
      }
      if (this.halted || this.stopRequested || this.failure) this.pendingCheck = true;
      if (this.pauseYield) {
        this.pauseYield = false;
        return 'budget';
      }
    }
    return 'budget';
  }

  // (The dispatcher tests its boolean fields with `=== true` / `=== false`: V8's optimized code
  // for a bare truth test of a field that holds true or false checks for every falsy kind of
  // value, about ten instructions, where a comparison is one. With the same in compiled code's
  // prologue, 2.8% of the host's instructions over the Linux boot's first 3x10^8.)
  /**
   * Runs blocks up to `end` (in `icRel`, which counts from this run's start: a small integer,
   * where `icount` is a sum of doubles), the last one cut there when `exact`.
   */
  private runBlocks(end: number, exact: boolean): void {
    this.curBlock = undefined;
    let b = this.lookup();
    for (;;) {
      this.curBlock = b;
      let exit: number;
      if (exact && this.icRel + b.count > end) {
        // The budget ends inside this block: as QEMU does, a block of just the instructions
        // that fit (translated for this once, shown to plugins as such) runs in tier 1.
        b = this.curBlock = this.truncated(b, end - this.icRel);
        this.runInterpreted(b);
        exit = -1;
      } else if (b.fn !== undefined) {
        if (++b.runs === this.jitThreshold + this.inlineAfter && b.region!.length === 1) this.compile(b, true);
        this.inJit = true;
        this.curRegion = b.region;
        this.compiledRunsRel++;
        exit = b.fn(this);
        this.inJit = false;
        this.curRegion = undefined;
      } else {
        this.runInterpreted(b);
        if (this.interpretOnly === false && b.cached === true && ++b.runs >= this.jitThreshold) this.compile(b);
        exit = -1;
      }
      this.icountK = 0;
      if (this.pendingCheck === true || this.icRel >= end) return;
      // A link (or a successor) names a block found through this CPU's mappings, on another page
      // too: it stands until this CPU's TLB is flushed (a new stamp) or another CPU links.
      if (b.linkStamp !== this.linkStamp) {
        unlink(b);
        b.linkStamp = this.linkStamp;
      }
      let next: Block | undefined;
      if (exit >= 0) {
        next = b.links[exit];
        if (next === undefined || next.valid === false || next.hf !== this.hflags) {
          this.curBlock = undefined;
          next = this.lookup();
          if (next.cached === true && next.hf === b.hf) b.links[exit] = next;
        }
      } else if (b.cached === true) {
        next = this.lastSuccessor(b);
      } else {
        this.curBlock = undefined;
        next = this.lookup();
      }
      b = next;
    }
  }

  /** The block to run after `b` left through no link: one of the last two that did, if it is the block at CS:EIP in this mode, else the one lookup() finds. */
  private lastSuccessor(b: Block): Block {
    const eip = this.eip;
    const hf = this.hflags;
    const csBase = hf & HF.CS64 ? 0 : this.segBase[CS]!;
    if (runsAt(b.succ0, eip, hf, csBase)) return b.succ0;
    if (runsAt(b.succ1, eip, hf, csBase)) return b.succ1;
    this.curBlock = undefined;
    const next = this.lookup();
    if (next.cached) {
      b.succ1 = b.succ0;
      b.succ0 = next;
    }
    return next;
  }

  /** Runs block `b` in tier 1, counting what it retires (a REP's iterations each) in `tier1Insns`. */
  private runInterpreted(b: Block): void {
    const ic0 = this.icRel;
    const insns = b.insns;
    const n = insns.length;
    const instr = b.instr;
    if (instr !== undefined) this.pluginBlock();
    for (let k = 0; k < n; k++) {
      const i = insns[k]!;
      if (instr?.anyInsn) {
        this.eip = i.eip;
        this.pluginInsn(k);
      }
      i.h!(this, i);
      if (b.valid === false && k < n - 1) {
        // The instruction rewrote code later in this block: stop after it.
        this.eip = i.next;
        this.icRel += k + 1;
        this.tier1Rel += this.icRel - ic0;
        return;
      }
    }
    if (b.selfExit === false) this.eip = insns[n - 1]!.next;
    this.icRel += n;
    this.tier1Rel += this.icRel - ic0;
  }

  /**
   * Compiles block `b` alone, or (`inline`, once its function has been run `inlineAfter` more
   * times and its direct exits reach blocks worth it) with the blocks it reaches: a function
   * holding several blocks costs more to build, which only code that keeps running earns back.
   */
  private compile(b: Block, inline = false): void {
    const into = (eip: number) => this.inlineCandidate(b, eip);
    if (inline && !b.targets.some((t) => into(t) !== undefined)) return;
    const store = this.store;
    const hex = store && this.codeHex(b);
    const key = hex === undefined ? undefined : `${b.hf}|${b.csBase}|${b.eip}|${b.lin}|${inline ? 'r' : 'b'}|${hex}`;
    const stored = key === undefined ? undefined : store!.block(key);
    const storedRegion = stored && this.storedRegion(b, stored.members, into);
    if (storedRegion) {
      store!.tookBlock(key!);
      this.code.stats.fromStore++;
      this.install(b, stored!.fn, [...stored!.targets], storedRegion);
      return;
    }
    const c = compileBlock(b.insns, b.hf, `b_${(b.lin >>> 0).toString(16)}`, b.instr, b, inline ? into : undefined);
    const stats = this.code.stats;
    if (inline) stats.recompiled++;
    else stats.compiled++;
    stats.source += c.source.length;
    // (Too large with any other block taken in: the function it has, which V8 has warmed, stays.)
    if (inline && c.region.length === 1) return;
    const region = c.region as Block[];
    if (key !== undefined) {
      const members: [number, string][] = [];
      for (const m of region) {
        const h = m === b ? hex : this.codeHex(m);
        if (h === undefined) break;
        members.push([m.eip, h]);
      }
      if (members.length === region.length) store!.addBlock(key, { members, targets: c.targets, fn: c.fn });
    }
    this.install(b, c.fn, c.targets, region);
  }

  /** The translation store, unless plugins instrument this CPU's code (then nothing is stored or taken). */
  private get store(): TranslationStore | undefined {
    return this.plugins ? undefined : this.code.store;
  }

  /** The blocks a stored function holds, if each is now one `into` offers, decoded from the same bytes. */
  private storedRegion(b: Block, members: readonly (readonly [number, string])[], into: (eip: number) => Block | undefined): Block[] | undefined {
    const region = [b];
    for (let n = 1; n < members.length; n++) {
      const [eip, hex] = members[n]!;
      const m = into(eip);
      if (!m || this.codeHex(m) !== hex) return undefined;
      region.push(m);
    }
    return region;
  }

  /**
   * The bytes block `b` was decoded from, in hex, read where its backing keys say (not through
   * the page tables, which the block may just have changed); undefined where this CPU has no
   * view of them.
   */
  private codeHex(b: Block): string | undefined {
    let s = '';
    for (let k = 0; k < b.bytes; ) {
      const key = k === 0 ? b.key : b.pages[1]! * PAGE;
      const inPage = Math.min(b.bytes - k, PAGE - (key % PAGE));
      const rom = key >= ROM_KEY_BASE;
      const bytes = rom ? this.code.roms[Math.floor((key - ROM_KEY_BASE) / 2 ** 32)] : this.bank8[Math.floor(key / 2 ** 32)];
      if (!bytes) return undefined;
      const at = (rom ? key - ROM_KEY_BASE : key) % 2 ** 32;
      for (let n = 0; n < inPage; n++) s += HEX_BYTE[bytes[at + n]!];
      k += inPage;
    }
    return s;
  }

  /** Block `b` runs function `fn`, compiled for `region` (b first) with exits to `targets`. */
  private install(b: Block, fn: (cpu: unknown) => number, targets: number[], region: Block[]): void {
    b.fn = fn;
    b.targets = targets;
    unlink(b);
    b.region = region;
    for (const m of b.region) {
      if (m === b) continue;
      m.inlinedBy ??= [];
      if (!m.inlinedBy.includes(b)) m.inlinedBy.push(b);
    }
  }

  /**
   * The block at `eip` whose code a function compiled for `head` may hold: one that has run
   * (or been compiled) in the same mode and code segment, decoded entirely from the head's first
   * page, which its linear address shares (so the head's translation also maps it).
   */
  private inlineCandidate(head: Block, eip: number): Block | undefined {
    const lin = head.hf & HF.CS64 ? eip : head.hf & HF.LMA ? (head.csBase + eip) >>> 0 : (head.csBase + eip) | 0;
    if (Math.floor(lin / PAGE) !== Math.floor(head.lin / PAGE) || head.key < 0) return undefined;
    const page = Math.floor(head.key / PAGE);
    const cp = this.code.pages.get(page);
    if (!cp) return undefined;
    for (let n = 0; n < cp.blocks.length; n++) {
      const m = cp.blocks[n]!;
      if (m.valid && m.eip === eip && m.lin === lin && m.hf === head.hf && m.csBase === head.csBase && m.cached && countersOnly(m.instr)) {
        const onePage = m.pages.length === 1 && m.pages[0] === page;
        return onePage && m.runs * 2 >= this.jitThreshold ? m : undefined;
      }
    }
    return undefined;
  }

  /** A throw out of a block: an exception to deliver, a code rewrite to replay, or a real failure. */
  private handleThrow(e: unknown): void {
    this.inJit = false;
    const region = this.curRegion;
    this.curRegion = undefined;
    let b = this.curBlock;
    this.icountK = 0;
    if (e instanceof CpuException || e instanceof SmcRestart) {
      if (b) {
        // A compiled function counts faults in the block it took in as k + 64 x member.
        if (this.faultK >= 64) {
          b = this.curBlock = region?.[this.faultK >> 6] ?? b;
          this.faultK &= 63;
        }
        const k = Math.min(this.faultK, b.insns.length - 1);
        this.eip = b.insns[k]!.eip;
        this.icRel += k;
        if (e instanceof SmcRestart) {
          // Replay the writing instruction alone in tier 1; its write now just invalidates.
          const i = b.insns[k]!;
          const prev = this.curBlock;
          this.curBlock = undefined;
          try {
            i.h!(this, i);
            if (!(i.entry.attrs & A.branch) && !(i.rep && i.entry.attrs & (A.rep | A.repcc))) this.eip = i.next;
            this.icRel++;
          } catch (e2) {
            this.curBlock = prev;
            this.faultK = 0;
            if (e2 instanceof CpuException) {
              this.eip = i.eip;
              this.exception(e2.vector, e2.code);
              return;
            }
            throw e2;
          }
          return;
        }
      }
      if (e instanceof CpuException) this.exception(e.vector, e.code);
      return;
    }
    if (e instanceof GuestFailure) {
      this.failure = e;
      this.pendingCheck = true;
      return;
    }
    throw e;
  }

  /** Interrupts, halts, stop requests, SIPI: returns true when run() must look at its state. */
  private checkEvents(): boolean {
    this.pendingCheck = false;
    const intr = this.platform.interrupts;
    if (this.stopRequested || this.failure) return true;
    if (intr.init) {
      intr.init = false;
      this.reset();
      this.waitSipi = this.index !== 0;
      if (!this.waitSipi) return false;
    }
    if (this.waitSipi) {
      if (intr.sipi !== undefined) {
        const v = intr.sipi;
        intr.sipi = undefined;
        this.waitSipi = false;
        this.halted = false;
        this.setSeg(CS, v << 8, v << 12, 0xffff, this.segAttr[CS]!);
        this.eip = 0;
        return false;
      }
      return true;
    }
    this.curBlock = undefined;
    this.faultK = 0;
    // An SMI waits while the CPU is in SMM; NMIs wait for RSM too.
    if (intr.smi && !this.inSmm) {
      intr.smi = false;
      SMM.enterSmm(this);
      return false;
    }
    if (intr.nmi && !this.inSmm) {
      intr.nmi = false;
      this.halted = false;
      this.deliverExternal(VEC.NMI);
      return false;
    }
    if (this.flags & IF && intr.intr) {
      if (this.inhibitIrq) {
        this.inhibitIrq = false;
        this.pendingCheck = true;
      } else {
        this.halted = false;
        const v = intr.acknowledge();
        if (v >= 0) this.deliverExternal(v);
        return false;
      }
    }
    this.inhibitIrq = false;
    return this.halted;
  }

  // =======================================================================================
  // Exceptions and interrupts
  // =======================================================================================

  /** An external interrupt or NMI between instructions; a fault while delivering it is delivered in turn. */
  private deliverExternal(v: number): void {
    try {
      this.interrupt(v, -1, this.eip, false, true);
    } catch (e) {
      if (e instanceof CpuException) this.exception(e.vector, e.code);
      else if (e instanceof GuestFailure) {
        this.failure = e;
        this.pendingCheck = true;
      } else throw e;
    }
  }

  /** Raises exception `vector` at instruction `k` of the current block. */
  raise(vector: number, code: number, k: number): never {
    this.faultK = k;
    throw new CpuException(vector, code);
  }

  private faultDepth = 0;
  private faultVector = -1;

  /** Delivers an exception whose instruction state is already restored (EIP at the faulting instruction). */
  exception(vector: number, code: number): void {
    const prev = this.faultVector;
    const contributory = (v: number) => v === 0 || (v >= 10 && v <= 13);
    let v = vector;
    let c = code;
    if (this.faultDepth > 0) {
      if (prev === VEC.DF) {
        this.failure = new GuestFailure(`triple fault (${P.vectorName(vector)} while delivering #DF)\n${this.describe()}`, 'triple-fault');
        this.pendingCheck = true;
        return;
      }
      if ((contributory(prev) && contributory(v)) || (prev === VEC.PF && (contributory(v) || v === VEC.PF))) {
        v = VEC.DF;
        c = 0;
      }
    }
    this.faultDepth++;
    this.faultVector = v;
    this.curBlock = undefined;
    this.faultK = 0;
    try {
      this.interrupt(v, c, this.eip, true, false);
    } catch (e) {
      if (e instanceof CpuException) {
        this.exception(e.vector, e.code);
        return;
      }
      if (e instanceof GuestFailure) {
        this.failure = e;
        this.pendingCheck = true;
        return;
      }
      throw e;
    } finally {
      this.faultDepth--;
      this.faultVector = prev;
    }
  }

  /** Delivers vector `v` (real mode IVT or protected-mode IDT); `next` is the EIP to return to. */
  interrupt(v: number, code: number, next: number, isException: boolean, isHardware: boolean, software = false): void {
    if (this.plugins) this.plugins.interrupt(this, v, isException ? 'exception' : software ? 'software' : 'hardware');
    if (!(this.cr0 & CR0.PE)) P.realModeInterrupt(this, v, next);
    else if (this.longMode) P.longModeInterrupt(this, v, code, next, isException || isHardware, software);
    else P.protectedModeInterrupt(this, v, code, next, isException || isHardware, software);
    this.selectTlb();
    this.halted = false;
  }

  // =======================================================================================
  // Entry points of generated code (whole-state helpers)
  // =======================================================================================

  loadSegment(seg: number, sel: number, k: number): void {
    P.loadSegment(this, seg, sel & 0xffff, k);
  }
  farJump(sel: number, off: number, osize: number, next: number, k: number): void {
    P.farJump(this, sel, off, osize, next, k);
  }
  farCall(sel: number, off: number, osize: number, next: number, k: number): void {
    P.farCall(this, sel, off, osize, next, k);
  }
  /** The far pointer m16:16/32/64 at `la`: [offset, selector]. */
  private farPointer(la: number, osize: number, k: number): [number, number] {
    const off = osize === 2 ? this.rd16(la, k) : osize === 4 ? this.rd32(la, k) >>> 0 : (this.rd32(la, k) >>> 0) + this.rd32(this.addLa(la, 4), k) * 4294967296;
    return [off, this.rd16(this.addLa(la, osize), k)];
  }
  farJumpIndirect(la: number, osize: number, next: number, k: number): void {
    const [off, sel] = this.farPointer(la, osize, k);
    P.farJump(this, sel, off, osize, next, k);
  }
  farCallIndirect(la: number, osize: number, next: number, k: number): void {
    const [off, sel] = this.farPointer(la, osize, k);
    P.farCall(this, sel, off, osize, next, k);
  }
  farReturn(osize: number, imm: number, k: number): void {
    if (this.longMode) P.farReturnLong(this, osize, imm, k);
    else P.farReturn(this, osize, imm, k);
  }
  iret(osize: number, k: number): void {
    if (this.longMode) P.iretLong(this, osize, k);
    else P.iret(this, osize, k);
    this.selectTlb();
  }
  softInt(v: number, next: number, k: number): void {
    this.faultK = k;
    if (this.flags & 0x2_0000 && ((this.flags >> 12) & 3) !== 3) this.raise(VEC.GP, 0, k);
    this.interrupt(v, -1, next, false, false, true);
  }
  int1(next: number, k: number): void {
    this.softInt(1, next, k);
  }
  into(next: number, k: number): void {
    if (this.eflags & 0x800) this.softInt(4, next, k);
    else this.eip = next;
  }
  /** PAUSE: on to the next instruction, and the rest of this turn to the other CPUs (QEMU's helper_pause leaves the CPU loop). */
  pause(next: number): void {
    this.eip = next;
    this.pauseYield = true;
    this.pendingCheck = true;
  }
  hlt(next: number, k: number): void {
    if (this.cpl !== 0) this.raise(VEC.GP, 0, k);
    this.eip = next;
    this.halted = true;
    this.pendingCheck = true;
  }
  cli(k: number): void {
    S.cli(this, k);
  }
  sti(k: number): void {
    S.sti(this, k);
  }
  pushfValue(k: number): number {
    return S.pushfValue(this, k);
  }
  popf(osize: number, k: number): void {
    S.popf(this, osize, k);
  }
  ioIn(port: number, width: 1 | 2 | 4, k: number): number {
    S.checkIo(this, port, width, k);
    this.icountK = k & 63;
    const v = this.platform.io.read(port & 0xffff, width);
    return width === 4 ? v | 0 : v;
  }
  ioOut(port: number, width: 1 | 2 | 4, value: number, k: number): void {
    S.checkIo(this, port, width, k);
    this.icountK = k & 63;
    this.platform.io.write(port & 0xffff, width, width === 4 ? value >>> 0 : value & (width === 1 ? 0xff : 0xffff));
  }
  cpuid(k: number): void {
    void k;
    S.cpuid(this);
  }
  rdtsc(k: number): void {
    S.rdtsc(this, k);
  }
  /** RDPMC as QEMU's TCG has it: #GP from user mode unless CR4.PCE, otherwise #UD (no counters). */
  rdpmc(k: number): void {
    if (!(this.cr4 & CR4.PCE) && this.cpl !== 0) this.raise(VEC.GP, 0, k);
    this.raise(VEC.UD, -1, k);
  }
  emms(k: number): void {
    S.emms(this, k);
  }
  rdmsr(k: number): void {
    S.rdmsr(this, k);
  }
  wrmsr(k: number): void {
    S.wrmsr(this, k);
  }
  movToCr(n: number, v: number, hi: number, k: number): void {
    S.movToCr(this, n, v, hi, k);
  }
  movFromCr(n: number, k: number): number {
    return S.movFromCr(this, n, k);
  }
  movFromCrHi(n: number, k: number): number {
    void k;
    // CR2 holds a faulting linear address: in long mode an exact signed number (kernel addresses are negative).
    if (n === 2) return Math.floor(this.cr2 / 4294967296) | 0;
    return n === 3 ? this.cr3Hi : 0;
  }
  syscall(next: number, k: number): void {
    P.syscall(this, next, k);
  }
  sysret(osize: number, k: number): void {
    P.sysret(this, osize, k);
  }
  movToDr(n: number, v: number, k: number): void {
    S.movToDr(this, n, v, k);
  }
  movFromDr(n: number, k: number): number {
    return S.movFromDr(this, n, k);
  }
  clts(): void {
    this.cr0 &= ~CR0.TS;
  }
  invlpg(la: number, k: number): void {
    void k;
    this.flushPage(la);
  }
  lmsw(v: number, k: number): void {
    S.lmsw(this, v, k);
  }
  loadDescriptorTable(which: number, la: number, osize: number, k: number): void {
    S.loadDescriptorTable(this, which, la, osize, k);
  }
  storeDescriptorTable(which: number, la: number, osize: number, k: number): void {
    S.storeDescriptorTable(this, which, la, osize, k);
  }
  lldt(sel: number, k: number): void {
    P.lldt(this, sel, k);
  }
  ltr(sel: number, k: number): void {
    P.ltr(this, sel, k);
  }
  lar(sel: number, reg: number, osize: number, k: number): void {
    P.lar(this, sel, reg, osize, k);
  }
  lsl(sel: number, reg: number, osize: number, k: number): void {
    P.lsl(this, sel, reg, osize, k);
  }
  verify(sel: number, write: number, k: number): void {
    P.verify(this, sel, write !== 0, k);
  }
  group7Register(reg: number, rm: number, next: number, k: number): void {
    S.group7Register(this, reg, rm, next, k);
  }
  enter(osize: number, size: number, level: number, k: number): void {
    S.enter(this, osize, size, level, k);
  }
  bound(la: number, osize: number, value: number, k: number): void {
    S.bound(this, la, osize, value, k);
  }
  cmpxchg8b(la: number, osize: number, k: number): void {
    if (osize === 8) S.cmpxchg16b(this, la, k);
    else S.cmpxchg8b(this, la, k);
  }
  fwait(k: number): void {
    if ((this.cr0 & (CR0.MP | CR0.TS)) === (CR0.MP | CR0.TS)) this.raise(VEC.NM, -1, k);
  }
  fpu(low: number, modrm: number, la: number, reg: number, k: number): void {
    S.fpu(this, low, modrm, la, reg !== 0, k);
  }
  /** An SSE instruction (sse.ts): #UD without CR4.OSFXSR or with CR0.EM, #NM with CR0.TS. */
  sse(id: number, reg: number, rm: number, la: number, imm: number, osize: number, k: number): void {
    this.sseCheck(k);
    SSE.SSE_LIST[id]!(this, reg, rm, la, imm, osize, k);
  }
  private sseCheck(k: number): void {
    if (this.cr0 & CR0.EM || !(this.cr4 & CR4.OSFXSR)) this.raise(VEC.UD, -1, k);
    if (this.cr0 & CR0.TS) this.raise(VEC.NM, -1, k);
  }
  fxsave(la: number, k: number): void {
    if (this.cr0 & (CR0.EM | CR0.TS)) this.raise(VEC.NM, -1, k);
    SSE.fxsave(this, la, k);
  }
  fxrstor(la: number, k: number): void {
    if (this.cr0 & (CR0.EM | CR0.TS)) this.raise(VEC.NM, -1, k);
    SSE.fxrstor(this, la, k);
  }
  ldmxcsr(la: number, k: number): void {
    this.sseCheck(k);
    SSE.ldmxcsr(this, la, k);
  }
  stmxcsr(la: number, k: number): void {
    this.sseCheck(k);
    SSE.stmxcsr(this, la, k);
  }
  sysenter(k: number): void {
    P.sysenter(this, k);
  }
  sysexit(osize: number, k: number): void {
    P.sysexit(this, osize, k);
  }
  rsm(k: number): void {
    SMM.rsm(this, k);
  }
  movs(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.movs(this, w, a, seg, rep, eip, next, k);
  }
  stos(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.stos(this, w, a, seg, rep, eip, next, k);
  }
  lods(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.lods(this, w, a, seg, rep, eip, next, k);
  }
  cmps(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.cmps(this, w, a, seg, rep, eip, next, k);
  }
  scas(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.scas(this, w, a, seg, rep, eip, next, k);
  }
  ins(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.ins(this, w, a, seg, rep, eip, next, k);
  }
  outs(w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
    STR.outs(this, w, a, seg, rep, eip, next, k);
  }

  /** Guest time as devices see it, for RDTSC (a guest-visible read: may warp virtual time). */
  readTsc(k: number): number {
    this.icountK = k & 63;
    return this.platform.poll();
  }

  /** Registers, flags, segments and control registers, for error reports. */
  describe(): string {
    return P.describeState(this);
  }

  // ---- plugin hooks (generated code and the tier-1 loop call these) ---------------------------

  /** Block-level plugin work: inline counters and callbacks. */
  pluginBlock(): void {
    const instr = this.curBlock?.instr;
    if (!instr || !this.plugins) return;
    for (const c of instr.inline) c.values[c.slot]! += c.n;
    if (instr.exec.length) {
      const view = this.plugins.view(this, false);
      for (const cb of instr.exec) cb(view);
    }
  }

  /**
   * Instruction `k` of the current block, a REP string, ran `n` iterations
   * beyond the one its execution counts: they retire as instructions, and
   * its instruction-level plugin hooks run for each.
   */
  repeated(k: number, n: number): void {
    this.icRel += n;
    // (in a function holding several blocks, k names the member too: k + 64 x member)
    const b = k >= 64 ? this.curRegion?.[k >> 6] : this.curBlock;
    const slot = this.plugins && n > 0 ? b?.instr?.insns[k & 63] : undefined;
    if (!slot) return;
    for (const c of slot.inline) c.values[c.slot]! += c.n * n;
    if (slot.exec.length) {
      this.icountK = k & 63;
      for (let i = 0; i < n; i++) for (const e of slot.exec) e.cb(this.plugins!.view(this, e.write));
    }
  }

  /** Instruction-level plugin work before instruction `k` of the current block. */
  pluginInsn(k: number): void {
    const slot = this.curBlock?.instr?.insns[k];
    if (!slot || !this.plugins) return;
    for (const c of slot.inline) c.values[c.slot]! += c.n;
    if (slot.exec.length) {
      this.icountK = k;
      for (const e of slot.exec) e.cb(this.plugins.view(this, e.write));
    }
  }

  /** After a memory access of instruction `k` (only in handlers built with memory hooks). */
  memHook(k: number, la: number, width: number, write: boolean): void {
    const slot = this.curBlock?.instr?.insns[k];
    if (!slot || !this.plugins) return;
    const view = this.plugins.view(this, false);
    for (const cb of slot.mem) cb(view, la >>> 0, width, write);
  }

  /** Whether interrupts may be taken now. */
  get interruptible(): boolean {
    return (this.flags & IF) !== 0 && !this.inhibitIrq;
  }

  get trapFlag(): boolean {
    return (this.flags & TF) !== 0;
  }
}

function pageBase64(e: { lo: number; hi: number }): number {
  return ((e.lo & ~0xfff) >>> 0) + (e.hi & 0xf_ffff) * 2 ** 32;
}

/** Non-negative remainder (for exact numbers that may be negative). */
function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

export function hex(v: number, digits = 8): string {
  return (v >>> 0).toString(16).padStart(digits, '0');
}
