/**
 * System instructions: CPUID (QEMU 7.2's default `qemu64` CPU under TCG,
 * as measured from QEMU itself), time stamp counter, MSRs, control and
 * debug registers, descriptor-table registers, EFLAGS privilege rules
 * (CLI/STI/POPF), the IO permission check, and a few instructions with
 * awkward memory behaviour (ENTER, BOUND, CMPXCHG8B). Unknown MSRs read 0
 * and ignore writes, as QEMU's TCG does.
 */
import type { Cpu } from './cpu.js';
import type { CpuTopology } from './platform.js';
import { CS, SS } from './decode.js';
import { VEC, GuestFailure } from './errors.js';
import { AC, IF, IOPL, RF, VIF, VIP, VM, ID, TF, NT, DF } from './flags.js';
import { loadEflags, set32, setCpl } from './protected.js';
import { CR0, CR4, DESC, EAX, EBP, ECX, EDX, EBX, ESP, TR } from './state.js';

/**
 * CPUID leaf -> [eax, ebx, ecx, edx] for one CPU on QEMU 7.2 (`-cpu qemu64`,
 * TCG, one vCPU); read from QEMU with a bare-metal probe. Leaf 1 EBX's APIC
 * ID and logical CPU count (with EDX.HTT) and leaf 0x80000001's CmpLegacy
 * are filled in from the platform's topology.
 */
const CPUID: Record<number, readonly [number, number, number, number]> = {
  0x0: [0x0000000d, 0x68747541, 0x444d4163, 0x69746e65],
  0x1: [0x00060fb1, 0x00000800, 0x80002001, 0x078bfbfd],
  0x5: [0x00000000, 0x00000000, 0x00000003, 0x00000000],
  0x80000000: [0x8000000a, 0x68747541, 0x444d4163, 0x69746e65],
  0x80000001: [0x00060fb1, 0x00000000, 0x00000005, 0x2193fbfd],
  0x80000002: [0x554d4551, 0x72695620, 0x6c617574, 0x55504320],
  0x80000003: [0x72657620, 0x6e6f6973, 0x352e3220, 0x0000002b],
  0x80000005: [0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140],
  0x80000006: [0x00000000, 0x42004200, 0x02008140, 0x00808140],
  0x80000008: [0x00003028, 0x00000000, 0x00000000, 0x00000000],
  0x8000000a: [0x00000001, 0x00000010, 0x00000000, 0x00000000],
  0x40000000: [0x40000001, 0x54474354, 0x43544743, 0x47435447],
};
const MAX_BASIC = 0xd;
const MAX_EXT = 0x8000000a;

export function cpuidVersion(): number {
  return CPUID[1]![0];
}

export function cpuid(cpu: Cpu): void {
  let leaf = cpu.r[EAX]! >>> 0;
  if (leaf >= 0x8000_0000) {
    if (leaf > MAX_EXT) leaf = MAX_BASIC;
  } else if (leaf >= 0x4000_0000) {
    if (leaf > 0x4000_0001) leaf = MAX_BASIC;
  } else if (leaf > MAX_BASIC) leaf = MAX_BASIC;
  const v = CPUID[leaf] ?? [0, 0, 0, 0];
  let [, ebx, ecx, edx] = v;
  const t = cpu.platform.topology;
  // QEMU 7.2: the logical CPUs of a package are nr_cores x nr_threads (cores per die, dies left out).
  const threads = t ? t.cores * t.threads : 1;
  if (leaf === 1) {
    // The initial APIC ID and, with several logical CPUs a package, their count and HTT.
    ebx = (ebx & 0xffff) | ((t?.apicId ?? cpu.index) << 24);
    if (threads > 1) {
      ebx |= (threads & 0xff) << 16;
      edx |= 1 << 28;
    }
  }
  if (threads > 1) {
    // CmpLegacy on QEMU's AMD-vendor models; NC and the APIC ID bits below the package ID.
    if (leaf === 0x8000_0001) ecx |= 1 << 1;
    if (leaf === 0x8000_0008) ecx = (packageIdShift(t!) << 12) | (threads - 1);
  }
  set32(cpu, EAX, v[0]!);
  set32(cpu, EBX, ebx);
  set32(cpu, ECX, ecx);
  set32(cpu, EDX, edx);
}

/** Bits of an APIC ID below the package ID (QEMU's apicid_pkg_offset): thread, core and die fields, each as wide as its count needs. */
function packageIdShift(t: CpuTopology): number {
  const bits = (n: number) => (n <= 1 ? 0 : 32 - Math.clz32(n - 1));
  return bits(t.threads) + bits(t.cores) + bits(t.dies);
}

/** TSC ticks per guest nanosecond (a 1 GHz TSC). */
const TSC_PER_NS = 1;

export function rdtsc(cpu: Cpu, k: number): void {
  if (cpu.cr4 & CR4.TSD && cpu.cpl !== 0) cpu.raise(VEC.GP, 0, k);
  const t = Math.floor(cpu.readTsc(k) * TSC_PER_NS) + cpu.tscOffset;
  set32(cpu, EAX, t % 2 ** 32);
  set32(cpu, EDX, Math.floor(t / 2 ** 32));
}

// ---- MSRs ------------------------------------------------------------------------------

const MSR = {
  TSC: 0x10,
  APIC_BASE: 0x1b,
  SYSENTER_CS: 0x174,
  SYSENTER_ESP: 0x175,
  SYSENTER_EIP: 0x176,
  EFER: 0xc000_0080,
  STAR: 0xc000_0081,
  LSTAR: 0xc000_0082,
  CSTAR: 0xc000_0083,
  FMASK: 0xc000_0084,
  FS_BASE: 0xc000_0100,
  GS_BASE: 0xc000_0101,
  KERNEL_GS_BASE: 0xc000_0102,
  TSC_AUX: 0xc000_0103,
} as const;

/** An exact signed number to its 64-bit two's complement. */
const toU64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));
/** A 64-bit value to an exact signed number (addresses: canonical ones are exact). */
const fromU64 = (v: bigint): number => Number(BigInt.asIntN(64, v));

function msrGet(cpu: Cpu, n: number): bigint {
  switch (n) {
    case MSR.TSC:
      return BigInt(Math.floor(cpu.readTsc(0) * TSC_PER_NS) + cpu.tscOffset);
    case MSR.APIC_BASE:
      return BigInt(cpu.apicBase >>> 0) | (cpu.index === 0 ? 0x100n : 0n);
    case MSR.SYSENTER_CS:
      return BigInt(cpu.sysenterCs);
    case MSR.SYSENTER_ESP:
      return BigInt(cpu.sysenterEsp >>> 0);
    case MSR.SYSENTER_EIP:
      return BigInt(cpu.sysenterEip >>> 0);
    case MSR.EFER:
      return BigInt(cpu.efer);
    case MSR.STAR:
      return cpu.star;
    case MSR.LSTAR:
      return toU64(cpu.lstar);
    case MSR.CSTAR:
      return toU64(cpu.cstar);
    case MSR.FMASK:
      return BigInt(cpu.fmask >>> 0);
    case MSR.FS_BASE:
      return toU64(cpu.segBase[4]!);
    case MSR.GS_BASE:
      return toU64(cpu.segBase[5]!);
    case MSR.KERNEL_GS_BASE:
      return toU64(cpu.kernelGsBase);
    case MSR.TSC_AUX:
      return BigInt(cpu.tscAux >>> 0);
    case 0xfe: // IA32_MTRRCAP as QEMU reports it: 8 variable ranges, fixed ranges, write-combining
      return 0x508n;
    case 0x8b: // IA32_UCODE_REV: QEMU's default for an AMD-vendor CPU model such as qemu64
      return 0x0100_0065n;
    case 0x179: // IA32_MCG_CAP: MCG_CTL_P, MCG_SER_P and 10 banks, as QEMU's mce_init gives a family >= 6 CPU with MCE and MCA
      return MCG_CAP;
    case 0x198: // IA32_PERF_STATUS as QEMU's TCG reports it
      return 1000n | (4n << 40n);
  }
  // QEMU's TCG keeps the MSRs it knows and reads every other one as 0 (no #GP):
  // Linux probes the performance counters that way and finds none.
  return storedMsr(n) ? (cpu.msrs.get(n) ?? storedMsrReset(n)) : 0n;
}

const MCG_CAP = 0x0100_010an;
const MCE_BANKS = 10;

/** The MSRs QEMU's TCG stores besides those the CPU state names: MTRRs, PAT, MISC_ENABLE, machine-check state, BNDCFGS, PKRS, VM_HSAVE_PA. */
function storedMsr(n: number): boolean {
  return (
    (n >= 0x200 && n <= 0x20f) || // MTRRphysBase/Mask 0-7
    n === 0x250 || n === 0x258 || n === 0x259 || (n >= 0x268 && n <= 0x26f) || n === 0x2ff || // fixed MTRRs, MTRRdefType
    n === 0x277 || n === 0x1a0 || n === 0x17a || n === 0x17b || // PAT, MISC_ENABLE, MCG_STATUS, MCG_CTL
    (n >= 0x400 && n < 0x400 + 4 * MCE_BANKS) || // MCi_CTL/STATUS/ADDR/MISC
    n === 0xd90 || n === 0x6e1 || n === 0xc001_0117 // BNDCFGS, PKRS, VM_HSAVE_PA
  );
}

/** A stored MSR's value until the guest writes it (QEMU: MCG_CTL and each bank's MCi_CTL all ones). */
function storedMsrReset(n: number): bigint {
  return n === 0x17b || (n >= 0x400 && n < 0x400 + 4 * MCE_BANKS && (n & 3) === 0) ? 0xffff_ffff_ffff_ffffn : 0n;
}

function msrSet(cpu: Cpu, n: number, v: bigint): void {
  switch (n) {
    case MSR.TSC:
      cpu.tscOffset = Number(v) - Math.floor(cpu.platform.now() * TSC_PER_NS);
      return;
    case MSR.APIC_BASE:
      cpu.apicBase = Number(v & 0xffff_fd00n) | 0;
      return;
    case MSR.SYSENTER_CS:
      cpu.sysenterCs = Number(v & 0xffffn);
      return;
    case MSR.SYSENTER_ESP:
      cpu.sysenterEsp = Number(v & 0xffff_ffffn);
      return;
    case MSR.SYSENTER_EIP:
      cpu.sysenterEip = Number(v & 0xffff_ffffn);
      return;
    case MSR.EFER: {
      // LMA is read-only (it follows LME and CR0.PG).
      cpu.efer = (Number(v & 0xd01n) & ~0x400) | (cpu.efer & 0x400);
      cpu.flushTlb();
      cpu.updateHflags();
      return;
    }
    case MSR.STAR:
      cpu.star = v;
      return;
    case MSR.LSTAR:
      cpu.lstar = fromU64(v);
      return;
    case MSR.CSTAR:
      cpu.cstar = fromU64(v);
      return;
    case MSR.FMASK:
      cpu.fmask = Number(v & 0xffff_ffffn) | 0;
      return;
    case MSR.FS_BASE:
      cpu.setSegBase(4, fromU64(v));
      return;
    case MSR.GS_BASE:
      cpu.setSegBase(5, fromU64(v));
      return;
    case MSR.KERNEL_GS_BASE:
      cpu.kernelGsBase = fromU64(v);
      return;
    case MSR.TSC_AUX:
      cpu.tscAux = Number(v & 0xffff_ffffn);
      return;
    case 0x17b: // MCG_CTL: all zeros or all ones
      if (v === 0n || v === 0xffff_ffff_ffff_ffffn) cpu.msrs.set(n, v);
      return;
  }
  // A machine-check bank's MCi_CTL takes all zeros or all ones; other MSRs QEMU does not know ignore the write.
  if (n >= 0x400 && n < 0x400 + 4 * MCE_BANKS && (n & 3) === 0 && v !== 0n && v !== 0xffff_ffff_ffff_ffffn) return;
  if (storedMsr(n)) cpu.msrs.set(n, v);
}

export function rdmsr(cpu: Cpu, k: number): void {
  if (cpu.cpl !== 0) cpu.raise(VEC.GP, 0, k);
  const n = cpu.r[ECX]! >>> 0;
  const v = cpu.platform.readMsr?.(n) ?? msrGet(cpu, n);
  set32(cpu, EAX, Number(v & 0xffff_ffffn));
  set32(cpu, EDX, Number((v >> 32n) & 0xffff_ffffn));
}

export function wrmsr(cpu: Cpu, k: number): void {
  if (cpu.cpl !== 0) cpu.raise(VEC.GP, 0, k);
  const v = (BigInt(cpu.r[EDX]! >>> 0) << 32n) | BigInt(cpu.r[EAX]! >>> 0);
  const n = cpu.r[ECX]! >>> 0;
  if (cpu.platform.writeMsr?.(n, v)) return;
  msrSet(cpu, n, v);
}

// ---- control and debug registers ------------------------------------------------------------

export function movToCr(cpu: Cpu, n: number, v: number, hi: number, k: number): void {
  const u = v >>> 0;
  switch (n) {
    case 0: {
      if (u & CR0.PG && !(u & CR0.PE)) cpu.raise(VEC.GP, 0, k);
      const old = cpu.cr0;
      // Turning paging on with EFER.LME activates long mode (PAE required); off deactivates it.
      if (u & CR0.PG && !(old & CR0.PG) && cpu.efer & EFER_LME) {
        if (!(cpu.cr4 & CR4.PAE)) cpu.raise(VEC.GP, 0, k);
        cpu.efer |= EFER_LMA;
      } else if (!(u & CR0.PG) && old & CR0.PG && cpu.efer & EFER_LMA) {
        if (cpu.hflags & 0x200) cpu.raise(VEC.GP, 0, k);
        cpu.efer &= ~EFER_LMA;
      }
      cpu.cr0 = (u & 0xe005_003f) | CR0.ET;
      // With paging off before and after, linear addresses are physical in either mode: a switch
      // between real and protected mode (SeaBIOS makes thousands, calling its 16-bit code) keeps
      // the TLB and the jump cache, whose blocks are told apart by their mode flags.
      if ((old | cpu.cr0) & CR0.PG && (old ^ cpu.cr0) & (CR0.PG | CR0.WP | CR0.PE)) cpu.flushTlb();
      cpu.updateHflags();
      return;
    }
    case 2:
      cpu.cr2 = cpu.longMode ? hi * 4294967296 + u : u;
      return;
    case 3:
      cpu.cr3 = u;
      cpu.cr3Hi = cpu.longMode ? hi & 0xf_ffff : 0;
      if (cpu.cr4 & CR4.PGE) cpu.flushNonGlobal();
      else cpu.flushTlb();
      return;
    case 4: {
      const old = cpu.cr4;
      cpu.cr4 = u & 0x0000_07ff;
      if ((old ^ cpu.cr4) & (CR4.PSE | CR4.PAE | CR4.PGE)) cpu.flushTlb();
      return;
    }
    case 8:
      return;
  }
  cpu.raise(VEC.UD, -1, k);
}

export function movFromCr(cpu: Cpu, n: number, k: number): number {
  switch (n) {
    case 0:
      return cpu.cr0 | 0;
    case 2:
      return cpu.cr2 % 4294967296 | 0;
    case 3:
      return cpu.cr3 | 0;
    case 4:
      return cpu.cr4 | 0;
    case 8:
      return 0;
  }
  return cpu.raise(VEC.UD, -1, k);
}

export function movToDr(cpu: Cpu, n: number, v: number, k: number): void {
  if (n === 4 || n === 5) {
    if (cpu.cr4 & CR4.DE) cpu.raise(VEC.UD, -1, k);
    n += 2;
  }
  if (n === 6) cpu.dr[6] = ((v | 0xffff_0ff0) >>> 0) & ~0x1000;
  else if (n === 7) cpu.dr[7] = ((v | 0x400) >>> 0) & ~0x2000;
  else cpu.dr[n] = v >>> 0;
}

export function movFromDr(cpu: Cpu, n: number, k: number): number {
  if (n === 4 || n === 5) {
    if (cpu.cr4 & CR4.DE) cpu.raise(VEC.UD, -1, k);
    n += 2;
  }
  return cpu.dr[n]! | 0;
}

export function lmsw(cpu: Cpu, v: number, k: number): void {
  // LMSW sets PE, MP, EM, TS but cannot clear PE.
  const nv = (cpu.cr0 & ~0xe) | (v & 0xf) | (cpu.cr0 & CR0.PE);
  movToCr(cpu, 0, nv, 0, k);
}

export function loadDescriptorTable(cpu: Cpu, which: number, la: number, osize: number, k: number): void {
  const next = (n: number) => (cpu.longMode ? la + n : (la + n) | 0);
  const limit = cpu.rd16(la, k);
  let base = cpu.rd32(next(2), k) >>> 0;
  if (osize === 8) base = cpu.rd32(next(6), k) * 4294967296 + base;
  if (osize === 2) base &= 0xff_ffff;
  if (which === 0) {
    cpu.gdtBase = base;
    cpu.gdtLimit = limit;
  } else {
    cpu.idtBase = base;
    cpu.idtLimit = limit;
  }
}

export function storeDescriptorTable(cpu: Cpu, which: number, la: number, osize: number, k: number): void {
  const limit = which === 0 ? cpu.gdtLimit : cpu.idtLimit;
  let base = which === 0 ? cpu.gdtBase : cpu.idtBase;
  if (osize === 2) base &= 0xff_ffff;
  const next = (n: number) => (cpu.longMode ? la + n : (la + n) | 0);
  cpu.wr16(la, limit, k);
  cpu.wr32(next(2), base % 4294967296 | 0, k);
  if (osize === 8) cpu.wr32(next(6), Math.floor(base / 4294967296) | 0, k);
}

/** 0F 01 with a register operand: SWAPGS in 64-bit code; nothing else on this CPU model (RDTSCP, MONITOR...: #UD). */
export function group7Register(cpu: Cpu, reg: number, rm: number, next: number, k: number): void {
  void next;
  if (reg === 7 && (rm & 7) === 0 && cpu.hflags & 0x200) {
    if (cpu.cpl !== 0) cpu.raise(VEC.GP, 0, k);
    const gs = cpu.segBase[5]!;
    cpu.setSegBase(5, cpu.kernelGsBase);
    cpu.kernelGsBase = gs;
    return;
  }
  cpu.raise(VEC.UD, -1, k);
}

// ---- EFLAGS privilege rules -----------------------------------------------------------------

const iopl = (cpu: Cpu) => (cpu.flags >> 12) & 3;

export function cli(cpu: Cpu, k: number): void {
  if (cpu.cr0 & CR0.PE && cpu.cpl > iopl(cpu)) cpu.raise(VEC.GP, 0, k);
  cpu.flags &= ~IF;
}

export function sti(cpu: Cpu, k: number): void {
  if (cpu.cr0 & CR0.PE && cpu.cpl > iopl(cpu)) cpu.raise(VEC.GP, 0, k);
  if (!(cpu.flags & IF)) cpu.inhibitIrq = true;
  cpu.flags |= IF;
  cpu.pendingCheck = true;
}

const EFER_LME = 0x100;
const EFER_LMA = 0x400;

export function pushfValue(cpu: Cpu, k: number): number {
  if (cpu.flags & VM && iopl(cpu) !== 3) cpu.raise(VEC.GP, 0, k);
  return cpu.eflags & ~(VM | RF);
}

export function popf(cpu: Cpu, osize: number, k: number): void {
  if (cpu.flags & VM && iopl(cpu) !== 3) cpu.raise(VEC.GP, 0, k);
  const mask = osize === 2 ? 0xffff : 0xffff_ffff;
  const sp = cpu.r[ESP]!;
  const long = (cpu.hflags & 0x200) !== 0;
  const ss32 = (cpu.segAttr[SS]! & DESC.B) !== 0;
  const off = ss32 ? sp : sp & 0xffff;
  const la = long ? cpu.rh[ESP]! * 4294967296 + (sp >>> 0) : (cpu.segBase[SS]! + off) | 0;
  const v = osize === 2 ? cpu.rd16(la, k) : cpu.rd32(la, k);
  const wasIf = cpu.flags & IF;
  let m = TF | AC | ID | NT | DF | 0x8d5;
  if (!(cpu.cr0 & CR0.PE) || cpu.cpl === 0) m |= IOPL | IF;
  else if (cpu.cpl <= iopl(cpu)) m |= IF;
  if (cpu.flags & VM) m = (m | IF) & ~IOPL;
  m &= mask;
  cpu.eflags = (cpu.eflags & ~m) | (v & m);
  if (long) {
    const n = la + osize;
    cpu.r[ESP] = n % 4294967296 | 0;
    cpu.rh[ESP] = Math.floor(n / 4294967296) | 0;
  } else if (ss32) cpu.r[ESP] = (sp + osize) | 0;
  else cpu.r[ESP] = (sp & ~0xffff) | ((sp + osize) & 0xffff);
  if (!wasIf && cpu.flags & IF) cpu.pendingCheck = true;
  void VIF;
  void VIP;
  void loadEflags;
}

/** The protected-mode IO permission check (IOPL, then the TSS bitmap). */
export function checkIo(cpu: Cpu, port: number, width: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || (cpu.cpl <= iopl(cpu) && !(cpu.flags & VM))) return;
  const attr = cpu.segAttr[TR]!;
  const type = (attr >> DESC.TYPE_SHIFT) & 0xf;
  if (!(attr & DESC.P) || (type & 0xd) !== 9 || cpu.segLimit[TR]! < 103) cpu.raise(VEC.GP, 0, k);
  const base = cpu.segBase[TR]!;
  const bitmap = cpu.sysRead(cpu.lin(base, 0x66), 2, k);
  const off = bitmap + (port >> 3);
  if (off + 1 > cpu.segLimit[TR]!) cpu.raise(VEC.GP, 0, k);
  const bits = cpu.sysRead(cpu.lin(base, off), 2, k);
  const mask = ((1 << width) - 1) << (port & 7);
  if (bits & mask) cpu.raise(VEC.GP, 0, k);
}

// ---- ENTER, BOUND, CMPXCHG8B ---------------------------------------------------------------

export function enter(cpu: Cpu, osize: number, size: number, level: number, k: number): void {
  const ss32 = (cpu.segAttr[SS]! & DESC.B) !== 0;
  const mask = ss32 ? 0xffff_ffff : 0xffff;
  const base = cpu.segBase[SS]!;
  let sp = cpu.r[ESP]! & mask;
  const w = osize;
  const wr = (v: number) => {
    sp = (sp - w) & mask;
    if (w === 2) cpu.wr16((base + sp) | 0, v, k);
    else cpu.wr32((base + sp) | 0, v, k);
  };
  const rd = (at: number) => (w === 2 ? cpu.rd16((base + (at & mask)) | 0, k) : cpu.rd32((base + (at & mask)) | 0, k));
  const bp = cpu.r[EBP]!;
  wr(bp);
  const frame = sp;
  level &= 31;
  if (level > 0) {
    let ebp = ss32 ? bp : bp & 0xffff;
    for (let n = 1; n < level; n++) {
      ebp = (ebp - w) & mask;
      wr(rd(ebp));
    }
    wr(frame);
  }
  sp = (sp - size) & mask;
  if (w === 2) cpu.r[EBP] = (bp & ~0xffff) | (frame & 0xffff);
  else cpu.r[EBP] = frame | 0;
  if (ss32) cpu.r[ESP] = sp | 0;
  else cpu.r[ESP] = (cpu.r[ESP]! & ~0xffff) | (sp & 0xffff);
}

export function bound(cpu: Cpu, la: number, osize: number, value: number, k: number): void {
  if (osize === 2) {
    const lo = (cpu.rd16(la, k) << 16) >> 16;
    const hi = (cpu.rd16((la + 2) | 0, k) << 16) >> 16;
    const v = (value << 16) >> 16;
    if (v < lo || v > hi) cpu.raise(VEC.BR, -1, k);
  } else {
    const lo = cpu.rd32(la, k);
    const hi = cpu.rd32((la + 4) | 0, k);
    if (value < lo || value > hi) cpu.raise(VEC.BR, -1, k);
  }
}

export function cmpxchg16b(cpu: Cpu, la: number, k: number): void {
  if (la % 16 !== 0) cpu.raise(VEC.GP, 0, k);
  const at = (n: number) => la + n;
  const m = [cpu.rd32(la, k), cpu.rd32(at(4), k), cpu.rd32(at(8), k), cpu.rd32(at(12), k)];
  const f = cpu.eflags;
  const eq = m[0] === cpu.r[EAX] && m[1] === cpu.rh[EAX] && m[2] === cpu.r[EDX] && m[3] === cpu.rh[EDX];
  const out = eq ? [cpu.r[EBX]!, cpu.rh[EBX]!, cpu.r[ECX]!, cpu.rh[ECX]!] : m;
  cpu.wr64(la, out[0]!, out[1]!, k);
  cpu.wr64(at(8), out[2]!, out[3]!, k);
  if (eq) cpu.eflags = f | 0x40;
  else {
    cpu.r[EAX] = m[0]!;
    cpu.rh[EAX] = m[1]!;
    cpu.r[EDX] = m[2]!;
    cpu.rh[EDX] = m[3]!;
    cpu.eflags = f & ~0x40;
  }
}

export function cmpxchg8b(cpu: Cpu, la: number, k: number): void {
  const lo = cpu.rd32(la, k);
  const hi = cpu.rd32((la + 4) | 0, k);
  const f = cpu.eflags;
  const la4 = cpu.longMode ? la + 4 : (la + 4) | 0;
  if (lo === cpu.r[EAX] && hi === cpu.r[EDX]) {
    cpu.wr32(la, cpu.r[EBX]!, k);
    cpu.wr32(la4, cpu.r[ECX]!, k);
    cpu.eflags = f | 0x40;
  } else {
    // QEMU writes the old value back (the locked compare-and-exchange stores unconditionally).
    cpu.wr32(la, lo, k);
    cpu.wr32(la4, hi, k);
    cpu.r[EAX] = lo;
    cpu.r[EDX] = hi;
    if (cpu.longMode) {
      cpu.rh[EAX] = 0;
      cpu.rh[EDX] = 0;
    }
    cpu.eflags = f & ~0x40;
  }
}

/**
 * x87 escapes. With CR0.EM or CR0.TS the SDM's #NM; otherwise the few
 * control instructions firmware uses to probe for an FPU (FNINIT, FNSTSW,
 * FNSTCW, FLDCW) act on a minimal x87 state; arithmetic is not modelled yet
 * and stops the machine with a clear message.
 */
export function fpu(cpu: Cpu, low: number, modrm: number, la: number, isReg: boolean, k: number): void {
  if (cpu.cr0 & (CR0.EM | CR0.TS)) cpu.raise(VEC.NM, -1, k);
  const reg = (modrm >> 3) & 7;
  const op = 0xd8 + low;
  if (op === 0xdb && modrm === 0xe3) {
    cpu.fpuControl = 0x37f;
    cpu.fpuStatus = 0;
    return;
  }
  if (op === 0xdb && modrm === 0xe2) {
    cpu.fpuStatus &= 0x7f00;
    return;
  }
  if (op === 0xdf && modrm === 0xe0) {
    cpu.r[EAX] = (cpu.r[EAX]! & ~0xffff) | cpu.fpuStatus;
    return;
  }
  if (!isReg && op === 0xdb && reg === 0) return fpuPushInt(cpu, cpu.rd32(la, k));
  if (!isReg && op === 0xdd && reg === 7) return cpu.wr16(la, cpu.fpuStatus, k);
  if (!isReg && op === 0xd9 && reg === 7) return cpu.wr16(la, cpu.fpuControl, k);
  if (!isReg && op === 0xd9 && reg === 5) {
    cpu.fpuControl = cpu.rd16(la, k);
    return;
  }
  throw new GuestFailure(`x87 instruction ${op.toString(16)} ${modrm.toString(16).padStart(2, '0')} is not modelled`, 'unsupported');
}

/**
 * FILD m32int: the integer, exactly, as an 80-bit extended value pushed on
 * the register stack (TOP decremented, its tag valid). Linux executes one
 * (after FNCLEX; EMMS) before each FXRSTOR on CPUs with AMD's FXSAVE leak,
 * which QEMU's AMD-vendor qemu64 model is.
 */
function fpuPushInt(cpu: Cpu, v: number): void {
  const top = (((cpu.fpuStatus >> 11) & 7) + 7) & 7;
  if (cpu.fpuTagAbridged & (1 << top)) {
    // Stack overflow: the invalid-operation exception, masked by FNINIT's control word.
    cpu.fpuStatus |= 0x41; // IE | SF
    if (!(cpu.fpuControl & 1)) throw new GuestFailure('x87 stack overflow with the invalid-operation exception unmasked is not modelled', 'unsupported');
  }
  const ext = new Uint8Array(16);
  const mag = Math.abs(v);
  if (mag !== 0) {
    const msb = 31 - Math.clz32(mag);
    const mant = BigInt(mag) << BigInt(63 - msb);
    for (let i = 0; i < 8; i++) ext[i] = Number((mant >> BigInt(8 * i)) & 0xffn);
    const exp = 16383 + msb;
    ext[8] = exp & 0xff;
    ext[9] = (exp >> 8) | (v < 0 ? 0x80 : 0);
  }
  // The FXSAVE image keeps the registers in stack order: ST(0) first.
  cpu.fpuRegs.copyWithin(16, 0, 112);
  cpu.fpuRegs.set(ext, 0);
  cpu.fpuStatus = (cpu.fpuStatus & ~0x3800) | (top << 11);
  cpu.fpuTagAbridged |= 1 << top;
}

/** EMMS: every x87 register tagged empty (#UD with CR0.EM, #NM with CR0.TS, as MMX instructions). */
export function emms(cpu: Cpu, k: number): void {
  if (cpu.cr0 & CR0.EM) cpu.raise(VEC.UD, -1, k);
  if (cpu.cr0 & CR0.TS) cpu.raise(VEC.NM, -1, k);
  cpu.fpuTagAbridged = 0;
}

export { CS, setCpl, RF, VM };
