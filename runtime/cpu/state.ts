/**
 * The architectural state of one x86 CPU, held in an object (never in module
 * globals): general registers, EIP, the lazy arithmetic flags and the rest
 * of EFLAGS, segment registers with their descriptor caches, descriptor
 * tables, control and debug registers, MSRs and the mode bits translations
 * depend on. The layout leaves room for long mode and SSE: sixteen general
 * registers with high halves, 64-bit segment bases, EFER.
 */
import { ARITH, CC, computeArith, DF, IF, TF, VM } from './flags.js';
import { CS, DS, ES, FS, GS, SS } from './decode.js';
import { HF } from './gen.js';
import { XmmFile } from './sse.js';

export const EAX = 0;
export const ECX = 1;
export const EDX = 2;
export const EBX = 3;
export const ESP = 4;
export const EBP = 5;
export const ESI = 6;
export const EDI = 7;
export const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;

/** Descriptor-cache slots beyond the six segment registers. */
export const LDTR = 6;
export const TR = 7;

/** Descriptor attribute bits as they sit in a descriptor's high dword (QEMU keeps the same layout). */
export const DESC = {
  A: 1 << 8,
  /** Data: writable. Code: readable. */
  W: 1 << 9,
  R: 1 << 9,
  /** Data: expand-down. Code: conforming. */
  E: 1 << 10,
  C: 1 << 10,
  /** Code segment. */
  CS: 1 << 11,
  TYPE_SHIFT: 8,
  TYPE_MASK: 15 << 8,
  /** Code or data (not system). */
  S: 1 << 12,
  DPL_SHIFT: 13,
  P: 1 << 15,
  AVL: 1 << 20,
  L: 1 << 21,
  /** Default operand size / big. */
  B: 1 << 22,
  G: 1 << 23,
} as const;

export const CR0 = { PE: 1, MP: 2, EM: 4, TS: 8, ET: 0x10, NE: 0x20, WP: 1 << 16, AM: 1 << 18, NW: 1 << 29, CD: 1 << 30, PG: 1 << 31 } as const;
export const CR4 = { VME: 1, PVI: 2, TSD: 4, DE: 8, PSE: 0x10, PAE: 0x20, MCE: 0x40, PGE: 0x80, PCE: 0x100, OSFXSR: 0x200, OSXMMEXCPT: 0x400 } as const;
export const EFER = { SCE: 1, LME: 1 << 8, LMA: 1 << 10, NXE: 1 << 11 } as const;

/** The EFLAGS bits software can change at all (QEMU's mask for a 486+ with CPUID, no VIF/VIP games). */
export const EFLAGS_WRITABLE = 0x003f_7fd5;

/** The slot of each lazy-flag field in `CpuState.cc`. */
export const CC_SLOT = { ccOp: 0, ccDst: 1, ccSrc: 2, ccSrc2: 3, ccDstHi: 4, ccSrcHi: 5 } as const;

export class CpuState {
  /** General registers, low 32 bits (RAX..R15). */
  readonly r = new Int32Array(16);
  /** High halves, for long mode. */
  readonly rh = new Int32Array(16);
  /** Offset of the next instruction in CS (unsigned). */
  eip = 0;

  /**
   * Lazy arithmetic flags (flags.ts), int32s in slots `CC_SLOT` names: ccOp, ccDst, ccSrc,
   * ccSrc2, and the high halves of ccDst and ccSrc for 64-bit operations (each an accessor of
   * its slot, defined below the class). An array, not fields:
   * V8 stores a field that has held a number outside the small-integer range as a double, and
   * code not (yet) optimized then boxes it anew at every load, as every guest block's prologue
   * did, several times per block run. Compiled code reads the slots; the accessors serve the rest.
   */
  readonly cc = new Int32Array(6);
  declare ccOp: number;
  declare ccDst: number;
  declare ccSrc: number;
  declare ccSrc2: number;
  declare ccDstHi: number;
  declare ccSrcHi: number;
  /** EFLAGS without the six arithmetic flags; bit 1 always set. */
  flags = 2;

  // Segment registers ES CS SS DS FS GS, then LDTR and TR: selector and descriptor cache.
  readonly segSel = new Int32Array(8);
  readonly segBase = new Float64Array(8);
  /**
   * The FS and GS bases as int32 halves (FS low, FS high, GS low, GS high), for 64-bit code,
   * which adds them to addresses it makes in halves. Bases are written through setSegBase.
   */
  readonly fsGsHalves = new Int32Array(4);
  /** Limits as byte counts minus one (unsigned, up to 0xffffffff). */
  readonly segLimit = new Float64Array(8);
  /** Descriptor attributes (DESC bits). */
  readonly segAttr = new Int32Array(8);

  gdtBase = 0;
  gdtLimit = 0xffff;
  idtBase = 0;
  idtLimit = 0xffff;

  cr0 = 0x6000_0010;
  cr2 = 0;
  cr3 = 0;
  /** CR3 bits 63:32 (long mode page tables above 4 GiB). */
  cr3Hi = 0;
  cr4 = 0;
  efer = 0;
  /** Long mode's extra MSRs: STAR, LSTAR, CSTAR, FMASK, KERNEL_GS_BASE (numbers), TSC_AUX. */
  star = 0n;
  lstar = 0;
  cstar = 0;
  fmask = 0;
  kernelGsBase = 0;
  tscAux = 0;
  readonly dr = new Float64Array(8);
  /** Model-specific registers the CPU keeps (by number); others live in `msrs`. */
  readonly msrs = new Map<number, bigint>();
  apicBase = 0xfee0_0900;
  tscOffset = 0;
  sysenterCs = 0;
  sysenterEsp = 0;
  sysenterEip = 0;
  smbase = 0x3_0000;
  /** In System Management Mode (between an SMI and RSM). */
  inSmm = false;

  /** x87 control and status words (the FPU is modelled only as far as firmware probes it). */
  fpuControl = 0x37f;
  fpuStatus = 0;
  /** The abridged tag word and the eight register slots as FXSAVE lays them out (kept, not computed on). */
  fpuTagAbridged = 0;
  readonly fpuRegs = new Uint8Array(128);
  /** XMM0-15 and MXCSR. */
  readonly xmm = new XmmFile();

  /** Current privilege level. */
  cpl = 0;
  /** The mode bits translations depend on (HF); recomputed by `updateHflags`. */
  hflags = 0;
  /**
   * Instructions retired: `icBase + icRel`. Compiled code counts in `icRel`, which `Cpu.run`
   * folds into `icBase` at every start so it stays a small integer: V8 boxes a field holding a
   * larger number at every load from code it has not optimized, and Linux passes 2^30
   * instructions within seconds. The rest of the runtime uses `icount`.
   */
  icBase = 0;
  icRel = 0;
  get icount(): number {
    return this.icBase + this.icRel;
  }
  set icount(v: number) {
    this.icRel = v - this.icBase;
  }
  /** Interrupts are held off for one instruction (after STI, MOV SS, POP SS). */
  inhibitIrq = false;
  halted = false;
  /** Waiting for a startup IPI (application processors after INIT). */
  waitSipi = false;

  /** EFLAGS as software sees it. */
  get eflags(): number {
    return (this.flags & ~ARITH) | computeArith(this) | 2;
  }

  /** Sets all of EFLAGS (callers apply privilege rules first). */
  set eflags(v: number) {
    this.ccSrc = v & ARITH;
    this.ccOp = CC.EFLAGS;
    const old = this.flags;
    this.flags = (v & ~ARITH) | 2;
    if ((old ^ this.flags) & (VM | TF)) this.updateHflags();
  }

  /** Replaces the six arithmetic flags (COMISD and other helpers that compute them directly). */
  setArithFlags(f: number): void {
    this.ccSrc = f & ARITH;
    this.ccOp = CC.EFLAGS;
  }

  get df(): number {
    return this.flags & DF ? -1 : 1;
  }

  get interruptsEnabled(): boolean {
    return (this.flags & IF) !== 0;
  }

  /** Loads a segment cache entry. */
  setSeg(seg: number, sel: number, base: number, limit: number, attr: number): void {
    this.segSel[seg] = sel & 0xffff;
    this.setSegBase(seg, base);
    this.segLimit[seg] = limit;
    this.segAttr[seg] = attr;
    if (seg === CS || seg === SS || seg <= GS) this.updateHflags();
  }

  /** Sets a segment's base (an exact number: up to 64 bits for FS and GS in long mode). */
  setSegBase(seg: number, base: number): void {
    this.segBase[seg] = base;
    if (seg === FS || seg === GS) {
      const at = 2 * (seg - FS);
      this.fsGsHalves[at] = base | 0;
      this.fsGsHalves[at + 1] = Math.floor(base / 4294967296) | 0;
    }
  }

  /** Recomputes hflags from CR0, EFLAGS and the segment caches. */
  updateHflags(): void {
    const pe = (this.cr0 & CR0.PE) !== 0;
    const vm = (this.flags & VM) !== 0;
    let h = 0;
    if (pe) h |= HF.PE;
    if (vm) h |= HF.VM86;
    const lma = (this.efer & EFER.LMA) !== 0;
    if (lma) h |= HF.LMA;
    if (lma && this.segAttr[CS]! & DESC.L) h |= HF.CS64;
    else if (this.segAttr[CS]! & DESC.B && pe && !vm) h |= HF.CS32;
    if ((this.segAttr[SS]! & DESC.B && pe && !vm) || h & HF.CS64) h |= HF.SS32;
    h |= (this.cpl & 3) << HF.CPL_SHIFT;
    if (!(h & HF.CS64) && (!pe || vm || this.segBase[DS] !== 0 || this.segBase[ES] !== 0 || this.segBase[SS] !== 0)) h |= HF.ADDSEG;
    if (this.flags & TF) h |= HF.TF;
    this.hflags = h;
  }

  /** Power-on / RESET state (Intel SDM Vol. 3 §9.1.1, as QEMU's x86_cpu_reset). */
  resetState(cpuidVersion: number): void {
    this.r.fill(0);
    this.rh.fill(0);
    this.r[EDX] = cpuidVersion;
    this.eip = 0xfff0;
    this.ccOp = CC.EFLAGS;
    this.ccSrc = 0;
    this.ccDst = 0;
    this.ccSrc2 = 0;
    this.flags = 2;
    const data = DESC.P | DESC.S | DESC.W | DESC.A;
    for (const s of [ES, SS, DS, FS, GS]) this.setSeg(s, 0, 0, 0xffff, data);
    this.setSeg(CS, 0xf000, 0xffff_0000, 0xffff, DESC.P | DESC.S | DESC.CS | DESC.R | DESC.A);
    this.setSeg(LDTR, 0, 0, 0xffff, DESC.P | (2 << DESC.TYPE_SHIFT));
    this.setSeg(TR, 0, 0, 0xffff, DESC.P | (11 << DESC.TYPE_SHIFT));
    this.gdtBase = 0;
    this.gdtLimit = 0xffff;
    this.idtBase = 0;
    this.idtLimit = 0xffff;
    this.cr0 = 0x6000_0010;
    this.cr2 = 0;
    this.cr3 = 0;
    this.cr3Hi = 0;
    this.cr4 = 0;
    this.efer = 0;
    this.star = 0n;
    this.lstar = 0;
    this.cstar = 0;
    this.fmask = 0;
    this.kernelGsBase = 0;
    this.dr.fill(0);
    this.dr[6] = 0xffff_0ff0;
    this.dr[7] = 0x400;
    this.cpl = 0;
    this.apicBase = 0xfee0_0900;
    // the other MSRs as QEMU resets them: zero (MTRRs), IA32_PAT at its power-on value
    this.msrs.clear();
    this.msrs.set(0x277, 0x0007_0406_0007_0406n);
    this.smbase = 0x3_0000;
    this.inhibitIrq = false;
    this.halted = false;
    this.updateHflags();
  }
}

// The lazy-flag fields as accessors of their slots in `cc`.
for (const [name, slot] of Object.entries(CC_SLOT)) {
  Object.defineProperty(CpuState.prototype, name, {
    get(this: CpuState): number {
      return this.cc[slot]!;
    },
    set(this: CpuState, v: number) {
      this.cc[slot] = v;
    },
  });
}

export { CS, DS, ES, FS, GS, SS };
