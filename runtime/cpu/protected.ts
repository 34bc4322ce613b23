/**
 * Segmentation and privilege: segment register loads, far jumps, calls and
 * returns, IRET, interrupt and exception delivery in real and protected
 * mode, LDT/TSS loading and the descriptor queries (LAR, LSL, VERR/VERW).
 * Behaviour and checks follow the Intel SDM Vol. 3 chapters 5-6 as QEMU 7.2
 * implements them (target/i386/tcg/seg_helper.c): including that, like
 * QEMU's TCG, data accesses are not checked against segment limits.
 * Task switches through task gates are not modelled (a clear guest failure).
 */
import type { Cpu } from './cpu.js';
import { CS, DS, ES, FS, GS, SS } from './decode.js';
import { GuestFailure, VEC, VECTOR_NAMES } from './errors.js';
import { AC, IF, IOPL, NT, RF, TF, VM, VIF, VIP, ID, DF } from './flags.js';
import { CR0, DESC, EAX, ECX, ESP, LDTR, REG_NAMES, TR } from './state.js';

export function vectorName(v: number): string {
  return VECTOR_NAMES[v] ?? `vector ${v}`;
}

interface Descriptor {
  lo: number;
  hi: number;
}

const selIndexErr = (sel: number): number => sel & 0xfffc;

function descBase(d: Descriptor): number {
  return ((d.lo >>> 16) | ((d.hi & 0xff) << 16) | (d.hi & 0xff00_0000)) >>> 0;
}

function descLimit(d: Descriptor): number {
  const raw = (d.lo & 0xffff) | (d.hi & 0xf_0000);
  return d.hi & DESC.G ? raw * 4096 + 4095 : raw;
}

const dpl = (hi: number): number => (hi >> DESC.DPL_SHIFT) & 3;

/** Reads the descriptor for `sel` from the GDT or LDT; undefined when outside the table's limit. */
function loadDescriptor(cpu: Cpu, sel: number, k: number): Descriptor | undefined {
  const ldt = (sel & 4) !== 0;
  const base = ldt ? cpu.segBase[LDTR]! : cpu.gdtBase;
  const limit = ldt ? cpu.segLimit[LDTR]! : cpu.gdtLimit;
  const index = sel & ~7;
  if (index + 7 > limit) return undefined;
  const la = cpu.lin(base, index);
  return { lo: cpu.sysRead(la, 4, k), hi: cpu.sysRead(cpu.lin(la, 4), 4, k) };
}

/** Sets the accessed bit in a descriptor in memory (as the CPU does on load). */
function markAccessed(cpu: Cpu, sel: number, d: Descriptor, k: number): void {
  if (d.hi & DESC.A) return;
  d.hi |= DESC.A;
  const base = sel & 4 ? cpu.segBase[LDTR]! : cpu.gdtBase;
  cpu.sysWrite(cpu.lin(base, (sel & ~7) + 4), 4, d.hi, k);
}

function cacheFromDescriptor(cpu: Cpu, seg: number, sel: number, d: Descriptor): void {
  // In 64-bit mode loading FS or GS keeps the 32-bit base from the descriptor (the MSRs set the rest).
  cpu.setSeg(seg, sel, descBase(d), descLimit(d), d.hi & 0x00f0_ff00);
}

/** Changes CPL (and the TLB set the fast path uses). */
export function setCpl(cpu: Cpu, cpl: number): void {
  cpu.cpl = cpl & 3;
  cpu.updateHflags();
  cpu.selectTlb();
}

/** MOV/POP/LDS... to a segment register. Real and virtual-8086 mode only set selector and base. */
export function loadSegment(cpu: Cpu, seg: number, sel: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) {
    // Like QEMU (gen_op_movl_seg_T0_vm): limit and attributes stay as they are ("unreal mode").
    cpu.segSel[seg] = sel;
    cpu.setSegBase(seg, sel << 4);
    if (cpu.flags & VM) cpu.segLimit[seg] = 0xffff;
    cpu.updateHflags();
    return;
  }
  const rpl = sel & 3;
  if ((sel & 0xfffc) === 0) {
    if (seg === SS) {
      if (!(cpu.hflags & 0x200) || cpu.cpl === 3 || rpl !== cpu.cpl) cpu.raise(VEC.GP, 0, k);
      cpu.setSeg(SS, sel, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.P | DESC.S | DESC.W | DESC.A | (cpu.cpl << DESC.DPL_SHIFT));
      return;
    }
    // A null selector keeps the base in 64-bit mode (FS/GS bases come from MSRs there).
    if (cpu.hflags & 0x200) cpu.setSeg(seg, sel, seg >= FS ? cpu.segBase[seg]! : 0, 0, 0);
    else cpu.setSeg(seg, sel, 0, 0, 0);
    return;
  }
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const type = d.hi;
  if (!(type & DESC.S)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const ddpl = dpl(type);
  if (seg === SS) {
    if (rpl !== cpu.cpl || type & DESC.CS || !(type & DESC.W) || ddpl !== cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
    if (!(type & DESC.P)) cpu.raise(VEC.SS, selIndexErr(sel), k);
  } else {
    if ((type & (DESC.CS | DESC.R)) === DESC.CS) cpu.raise(VEC.GP, selIndexErr(sel), k);
    if (!(type & DESC.CS) || !(type & DESC.C)) {
      if (ddpl < cpu.cpl || ddpl < rpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
    }
    if (!(type & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  }
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, seg, sel, d);
}

// ---- stack helpers (on SS, with its size) --------------------------------------------------

class StackWriter {
  private sp: number;
  constructor(
    private readonly cpu: Cpu,
    private readonly base: number,
    sp: number,
    private readonly mask: number,
    private readonly k: number,
  ) {
    this.sp = sp;
  }
  push(v: number, w: number): void {
    this.sp = (this.sp - w) & this.mask;
    this.cpu.sysWrite(this.cpu.lin(this.base, this.sp), w as 2 | 4, v, this.k);
  }
  get esp(): number {
    return this.sp;
  }
}

function pop(cpu: Cpu, sp: { v: number }, w: number, base: number, mask: number, k: number): number {
  const v = cpu.sysRead(cpu.lin(base, sp.v & mask), w as 2 | 4, k);
  sp.v = (sp.v + w) & mask;
  return w === 2 ? v & 0xffff : v >>> 0;
}

function spMask(cpu: Cpu): number {
  return cpu.segAttr[SS]! & DESC.B ? 0xffff_ffff : 0xffff;
}

function setEsp(cpu: Cpu, v: number, mask: number): void {
  cpu.r[ESP] = mask === 0xffff ? (cpu.r[ESP]! & ~0xffff) | (v & 0xffff) : v | 0;
}

// ---- real mode --------------------------------------------------------------------------------

export function realModeInterrupt(cpu: Cpu, v: number, next: number): void {
  if (v * 4 + 3 > cpu.idtLimit) cpu.raise(VEC.GP, v * 8 + 2, cpu.faultK);
  const ip = cpu.sysRead((cpu.idtBase + v * 4) | 0, 2, cpu.faultK);
  const cs = cpu.sysRead((cpu.idtBase + v * 4 + 2) | 0, 2, cpu.faultK);
  const mask = 0xffff;
  const st = new StackWriter(cpu, cpu.segBase[SS]!, cpu.r[ESP]!, mask, cpu.faultK);
  st.push(cpu.eflags, 2);
  st.push(cpu.segSel[CS]!, 2);
  st.push(next, 2);
  setEsp(cpu, st.esp, mask);
  cpu.flags &= ~(IF | TF | AC | RF);
  cpu.segSel[CS] = cs;
  cpu.segBase[CS] = cs << 4;
  cpu.updateHflags();
  cpu.eip = ip;
}

// ---- protected mode interrupts -------------------------------------------------------------------

/** Reads the ring-`level` stack pointer from the current TSS (16- or 32-bit TSS). */
function tssStack(cpu: Cpu, level: number, k: number): { ss: number; esp: number } {
  const type = (cpu.segAttr[TR]! >> DESC.TYPE_SHIFT) & 0xf;
  if (!(cpu.segAttr[TR]! & DESC.P)) throw new GuestFailure('interrupt needs a stack switch but no TSS is loaded', 'unsupported');
  const shift = type & 8 ? 1 : 0;
  const index = (level * 4 + 2) << shift;
  if (index + (4 << shift) - 1 > cpu.segLimit[TR]!) cpu.raise(VEC.TS, cpu.segSel[TR]! & 0xfffc, k);
  const base = cpu.segBase[TR]!;
  if (shift === 0) return { esp: cpu.sysRead(cpu.lin(base, index), 2, k), ss: cpu.sysRead(cpu.lin(base, index + 2), 2, k) };
  return { esp: cpu.sysRead(cpu.lin(base, index), 4, k) >>> 0, ss: cpu.sysRead(cpu.lin(base, index + 4), 2, k) };
}

/** Exceptions that push an error code. */
export function hasErrorCode(v: number): boolean {
  return v === 8 || (v >= 10 && v <= 14) || v === 17;
}

export function protectedModeInterrupt(cpu: Cpu, v: number, code: number, next: number, external: boolean, software: boolean): void {
  const k = cpu.faultK;
  const idtErr = v * 8 + 2 + (external && !software ? 1 : 0);
  if (v * 8 + 7 > cpu.idtLimit) cpu.raise(VEC.GP, idtErr, k);
  const la = cpu.lin(cpu.idtBase, v * 8);
  const lo = cpu.sysRead(la, 4, k);
  const hi = cpu.sysRead(cpu.lin(la, 4), 4, k);
  const type = (hi >> 8) & 0x1f;
  if (type === 5) throw new GuestFailure(`interrupt ${v} through a task gate: task switches are not modelled`, 'unsupported');
  if (type !== 6 && type !== 7 && type !== 14 && type !== 15) cpu.raise(VEC.GP, idtErr, k);
  const gateDpl = dpl(hi);
  if (software && gateDpl < cpu.cpl) cpu.raise(VEC.GP, idtErr, k);
  if (!(hi & DESC.P)) cpu.raise(VEC.NP, idtErr, k);
  const shift = type >> 3;
  const sel = lo >>> 16;
  const offset = ((hi & 0xffff_0000) | (lo & 0xffff)) >>> 0;
  if ((sel & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.S) || !(d.hi & DESC.CS)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const cdpl = dpl(d.hi);
  if (cdpl > cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  const vm86 = (cpu.flags & VM) !== 0;
  if (vm86 && cdpl !== 0) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const pushCode = !software && !external ? hasErrorCode(v) : !software && hasErrorCode(v) && code >= 0;
  const eflags = cpu.eflags;
  const w = shift ? 4 : 2;
  let newCpl = cpu.cpl;
  let ssBase: number;
  let mask: number;
  let espStart: number;
  let newSs: { sel: number; d: Descriptor } | undefined;
  if (!(d.hi & DESC.C) && cdpl < cpu.cpl) {
    // Inner privilege: switch to the stack the TSS gives for the new level.
    const st = tssStack(cpu, cdpl, k);
    if ((st.ss & 0xfffc) === 0) cpu.raise(VEC.TS, st.ss & 0xfffc, k);
    if ((st.ss & 3) !== cdpl) cpu.raise(VEC.TS, st.ss & 0xfffc, k);
    const sd = loadDescriptor(cpu, st.ss, k);
    if (!sd) cpu.raise(VEC.TS, st.ss & 0xfffc, k);
    if (dpl(sd.hi) !== cdpl || !(sd.hi & DESC.S) || sd.hi & DESC.CS || !(sd.hi & DESC.W)) cpu.raise(VEC.TS, st.ss & 0xfffc, k);
    if (!(sd.hi & DESC.P)) cpu.raise(VEC.SS, st.ss & 0xfffc, k);
    newSs = { sel: st.ss, d: sd };
    newCpl = cdpl;
    ssBase = descBase(sd);
    mask = sd.hi & DESC.B ? 0xffff_ffff : 0xffff;
    espStart = st.esp;
  } else {
    if (vm86) cpu.raise(VEC.GP, selIndexErr(sel), k);
    ssBase = cpu.segBase[SS]!;
    mask = spMask(cpu);
    espStart = cpu.r[ESP]!;
  }
  const st = new StackWriter(cpu, ssBase, espStart & mask, mask, k);
  if (newSs) {
    if (vm86) {
      st.push(cpu.segSel[GS]!, w);
      st.push(cpu.segSel[FS]!, w);
      st.push(cpu.segSel[DS]!, w);
      st.push(cpu.segSel[ES]!, w);
    }
    st.push(cpu.segSel[SS]!, w);
    st.push(cpu.r[ESP]!, w);
  }
  st.push(eflags, w);
  st.push(cpu.segSel[CS]!, w);
  st.push(next, w);
  if (pushCode) st.push(code < 0 ? 0 : code, w);

  // Commit.
  if (newSs) {
    if (vm86) for (const s of [ES, DS, FS, GS]) cpu.setSeg(s, 0, 0, 0, 0);
    cacheFromDescriptor(cpu, SS, (newSs.sel & ~3) | newCpl, newSs.d);
  }
  setEsp(cpu, st.esp, mask);
  cpu.flags &= ~(TF | VM | RF | NT);
  if ((type & 1) === 0) cpu.flags &= ~IF;
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, CS, (sel & 0xfffc) | newCpl, d);
  setCpl(cpu, newCpl);
  cpu.eip = shift ? offset : offset & 0xffff;
}

// ---- far transfers ---------------------------------------------------------------------------------

/** Loads CS for a far JMP/CALL to a code segment (no gates): returns the descriptor after checks. */
function checkCodeTarget(cpu: Cpu, sel: number, k: number): Descriptor {
  if ((sel & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  return d;
}

/** Real or virtual-8086 mode: CS is `sel`, based at sel x 16. */
function realModeCs(cpu: Cpu, sel: number): void {
  cpu.segSel[CS] = sel;
  cpu.segBase[CS] = sel << 4;
  cpu.updateHflags();
}

/**
 * A far JMP or CALL straight to a code segment (no gate) stays at the current privilege level:
 * a conforming segment of DPL <= CPL, or a non-conforming one of DPL = CPL and RPL <= CPL; present.
 */
function checkSamePrivilegeCode(cpu: Cpu, sel: number, d: Descriptor, k: number): void {
  if (!(d.hi & DESC.CS)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const cdpl = dpl(d.hi);
  if (d.hi & DESC.C) {
    if (cdpl > cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  } else if ((sel & 3) > cpu.cpl || cdpl !== cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
}

export function farJump(cpu: Cpu, sel: number, off: number, osize: number, next: number, k: number): void {
  void next;
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) {
    realModeCs(cpu, sel);
    cpu.eip = osize === 2 ? off & 0xffff : off >>> 0;
    return;
  }
  const d = checkCodeTarget(cpu, sel, k);
  if (d.hi & DESC.S) {
    checkSamePrivilegeCode(cpu, sel, d, k);
    const eip = farOffset(d, off, osize);
    // (In long mode no limit applies, as QEMU has it.)
    if (!cpu.longMode && eip > descLimit(d)) cpu.raise(VEC.GP, selIndexErr(sel), k);
    markAccessed(cpu, sel, d, k);
    cacheFromDescriptor(cpu, CS, (sel & 0xfffc) | cpu.cpl, d);
    cpu.eip = eip;
    return;
  }
  if (cpu.longMode) {
    const g = gateTarget64(cpu, sel, d, k);
    const cd = checkGateCode64(cpu, g.sel, false, k);
    markAccessed(cpu, g.sel, cd, k);
    cacheFromDescriptor(cpu, CS, (g.sel & 0xfffc) | cpu.cpl, cd);
    cpu.eip = g.off;
    return;
  }
  const type = (d.hi >> 8) & 0xf;
  if (type === 4 || type === 12) {
    // Call gate used by JMP: same privilege only.
    const g = gateTarget(cpu, sel, d, k);
    const cd = checkCodeTarget(cpu, g.sel, k);
    const cdpl = dpl(cd.hi);
    if (!(cd.hi & DESC.S) || !(cd.hi & DESC.CS) || (cd.hi & DESC.C ? cdpl > cpu.cpl : cdpl !== cpu.cpl)) cpu.raise(VEC.GP, selIndexErr(g.sel), k);
    if (!(cd.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(g.sel), k);
    markAccessed(cpu, g.sel, cd, k);
    cacheFromDescriptor(cpu, CS, (g.sel & 0xfffc) | cpu.cpl, cd);
    cpu.eip = type === 4 ? g.off & 0xffff : g.off;
    return;
  }
  throw new GuestFailure(`far jump to a ${type === 5 ? 'task gate' : 'TSS'} (task switches are not modelled)`, 'unsupported');
}

/**
 * The offset a far JMP or CALL straight to code segment `d` goes to: a 16:64 pointer's whole
 * offset into 64-bit code (RIP as a signed canonical number), else its low 16 or 32 bits.
 */
function farOffset(d: Descriptor, off: number, osize: number): number {
  // (A 16:64 pointer exists only in 64-bit code, so in long mode.)
  if (osize === 8 && d.hi & DESC.L) return off;
  return osize === 2 ? off & 0xffff : off >>> 0;
}

function gateTarget(cpu: Cpu, sel: number, d: Descriptor, k: number): { sel: number; off: number; params: number } {
  const gdpl = dpl(d.hi);
  if (gdpl < cpu.cpl || gdpl < (sel & 3)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  return { sel: d.lo >>> 16, off: ((d.hi & 0xffff_0000) | (d.lo & 0xffff)) >>> 0, params: d.hi & 0x1f };
}

/**
 * A far JMP or CALL through a system descriptor in long mode: it must be a 64-bit call gate
 * (16 bytes, the second half's type 0; task gates and TSSs are #GP there), checked as a gate is
 * (DPL >= CPL and RPL, present). Its target: selector and 64-bit offset (a signed canonical number).
 */
function gateTarget64(cpu: Cpu, sel: number, d: Descriptor, k: number): { sel: number; off: number } {
  if (((d.hi >> 8) & 0xf) !== 12) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const g = gateTarget(cpu, sel, d, k);
  const upper = loadDescriptor(cpu, sel + 8, k);
  if (!upper || ((upper.hi >> 8) & 0x1f) !== 0) cpu.raise(VEC.GP, selIndexErr(sel), k);
  return { sel: g.sel, off: (upper.lo | 0) * TWO32 + g.off };
}

/**
 * The code segment a 64-bit call gate names: a 64-bit code segment (L set, D clear), present,
 * at the caller's privilege for a JMP (conforming: DPL <= CPL), at it or inner for a CALL.
 */
function checkGateCode64(cpu: Cpu, sel: number, call: boolean, k: number): Descriptor {
  const cd = checkCodeTarget(cpu, sel, k);
  const cdpl = dpl(cd.hi);
  const privilegeOk = call || (cd.hi & DESC.C) !== 0 ? cdpl <= cpu.cpl : cdpl === cpu.cpl;
  if (!(cd.hi & DESC.S) || !(cd.hi & DESC.CS) || !privilegeOk || !(cd.hi & DESC.L) || cd.hi & DESC.B) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(cd.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  return cd;
}

export function farCall(cpu: Cpu, sel: number, off: number, osize: number, next: number, k: number): void {
  const w = osize;
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) {
    const mask = spMask(cpu);
    const st = new StackWriter(cpu, cpu.segBase[SS]!, cpu.r[ESP]! & mask, mask, k);
    st.push(cpu.segSel[CS]!, w);
    st.push(next, w);
    setEsp(cpu, st.esp, mask);
    realModeCs(cpu, sel);
    cpu.eip = w === 2 ? off & 0xffff : off >>> 0;
    return;
  }
  const d = checkCodeTarget(cpu, sel, k);
  if (d.hi & DESC.S) {
    checkSamePrivilegeCode(cpu, sel, d, k);
    if (w === 8) {
      // A 16:64 pointer (REX.W, 64-bit mode): CS and RIP pushed as quadwords at RSP, no limit.
      setReg64(cpu, ESP, pushQuads(cpu, reg64(cpu, ESP), [cpu.segSel[CS]!, next], k));
      markAccessed(cpu, sel, d, k);
      cacheFromDescriptor(cpu, CS, (sel & 0xfffc) | cpu.cpl, d);
      cpu.eip = farOffset(d, off, w);
      return;
    }
    const mask = spMask(cpu);
    const st = new StackWriter(cpu, cpu.segBase[SS]!, cpu.r[ESP]! & mask, mask, k);
    st.push(cpu.segSel[CS]!, w);
    st.push(next, w);
    const eip = w === 2 ? off & 0xffff : off >>> 0;
    if (eip > descLimit(d)) cpu.raise(VEC.GP, selIndexErr(sel), k);
    setEsp(cpu, st.esp, mask);
    markAccessed(cpu, sel, d, k);
    cacheFromDescriptor(cpu, CS, (sel & 0xfffc) | cpu.cpl, d);
    cpu.eip = eip;
    return;
  }
  if (cpu.longMode) {
    const g = gateTarget64(cpu, sel, d, k);
    const cd = checkGateCode64(cpu, g.sel, true, k);
    // To an inner level: the stack is the TSS's RSPn and SS a null selector of the new CPL, with
    // the old SS:RSP pushed first; 64-bit gates copy no parameters. Every push is a quadword.
    const inner = !(cd.hi & DESC.C) && dpl(cd.hi) < cpu.cpl;
    const newCpl = inner ? dpl(cd.hi) : cpu.cpl;
    const rsp = reg64(cpu, ESP);
    const frame = inner ? [cpu.segSel[SS]!, rsp, cpu.segSel[CS]!, next] : [cpu.segSel[CS]!, next];
    const top = pushQuads(cpu, inner ? tss64(cpu, newCpl, k) : rsp, frame, k);
    if (inner) cpu.setSeg(SS, newCpl, 0, 0xffff_ffff, DATA64 | (newCpl << DESC.DPL_SHIFT));
    setReg64(cpu, ESP, top);
    markAccessed(cpu, g.sel, cd, k);
    cacheFromDescriptor(cpu, CS, (g.sel & 0xfffc) | newCpl, cd);
    setCpl(cpu, newCpl);
    cpu.eip = g.off;
    return;
  }
  const type = (d.hi >> 8) & 0xf;
  if (type !== 4 && type !== 12) throw new GuestFailure(`far call to system descriptor type ${type} (task switches are not modelled)`, 'unsupported');
  const g = gateTarget(cpu, sel, d, k);
  const cd = checkCodeTarget(cpu, g.sel, k);
  const cdpl = dpl(cd.hi);
  if (!(cd.hi & DESC.S) || !(cd.hi & DESC.CS) || cdpl > cpu.cpl) cpu.raise(VEC.GP, selIndexErr(g.sel), k);
  if (!(cd.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(g.sel), k);
  const gw = type === 12 ? 4 : 2;
  const target = gw === 2 ? g.off & 0xffff : g.off;
  if (!(cd.hi & DESC.C) && cdpl < cpu.cpl) {
    const ts = tssStack(cpu, cdpl, k);
    const sd = loadDescriptor(cpu, ts.ss, k);
    if (!sd || (ts.ss & 3) !== cdpl || dpl(sd.hi) !== cdpl || !(sd.hi & DESC.W) || sd.hi & DESC.CS) cpu.raise(VEC.TS, ts.ss & 0xfffc, k);
    if (!(sd.hi & DESC.P)) cpu.raise(VEC.SS, ts.ss & 0xfffc, k);
    const mask = sd.hi & DESC.B ? 0xffff_ffff : 0xffff;
    const oldMask = spMask(cpu);
    const st = new StackWriter(cpu, descBase(sd), ts.esp & mask, mask, k);
    st.push(cpu.segSel[SS]!, gw);
    st.push(cpu.r[ESP]!, gw);
    for (let n = g.params - 1; n >= 0; n--) {
      const v = cpu.sysRead(cpu.lin(cpu.segBase[SS]!, (cpu.r[ESP]! + n * gw) & oldMask), gw as 2 | 4, k);
      st.push(v, gw);
    }
    st.push(cpu.segSel[CS]!, gw);
    st.push(next, gw);
    cacheFromDescriptor(cpu, SS, (ts.ss & ~3) | cdpl, sd);
    setEsp(cpu, st.esp, mask);
  } else {
    const mask = spMask(cpu);
    const st = new StackWriter(cpu, cpu.segBase[SS]!, cpu.r[ESP]! & mask, mask, k);
    st.push(cpu.segSel[CS]!, gw);
    st.push(next, gw);
    setEsp(cpu, st.esp, mask);
  }
  markAccessed(cpu, g.sel, cd, k);
  const newCpl = cd.hi & DESC.C ? cpu.cpl : cdpl;
  cacheFromDescriptor(cpu, CS, (g.sel & 0xfffc) | newCpl, cd);
  setCpl(cpu, newCpl);
  cpu.eip = target;
}

/** After a return to an outer level: data segment registers the new CPL may not use become null. */
function validateSegments(cpu: Cpu): void {
  for (const s of [ES, DS, FS, GS]) {
    const a = cpu.segAttr[s]!;
    const isConformingCode = (a & (DESC.CS | DESC.C)) === (DESC.CS | DESC.C);
    if ((cpu.segSel[s]! & 0xfffc) === 0) continue;
    if (!isConformingCode && dpl(a) < cpu.cpl) cpu.setSeg(s, 0, cpu.segBase[s]!, cpu.segLimit[s]!, 0);
  }
}

/**
 * The code segment a far return or IRET goes back to, in every mode (QEMU helper_ret_protected):
 * not null, a code segment, RPL >= CPL, DPL = RPL (a conforming one: DPL <= RPL), present.
 */
function checkReturnCode(cpu: Cpu, sel: number, k: number): Descriptor {
  const d = checkCodeTarget(cpu, sel, k);
  const rpl = sel & 3;
  if (!(d.hi & DESC.S) || !(d.hi & DESC.CS) || rpl < cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const cdpl = dpl(d.hi);
  if (d.hi & DESC.C ? cdpl > rpl : cdpl !== rpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  return d;
}

/** Protected-mode return to CS:EIP popped from the stack (RETF and IRET share it). */
function returnTo(cpu: Cpu, sel: number, eip: number, sp: { v: number }, w: number, imm: number, mask: number, k: number): number {
  const d = checkReturnCode(cpu, sel, k);
  const rpl = sel & 3;
  sp.v = (sp.v + imm) & mask;
  if (rpl === cpu.cpl) {
    markAccessed(cpu, sel, d, k);
    cacheFromDescriptor(cpu, CS, sel, d);
    setEsp(cpu, sp.v, mask);
    cpu.eip = eip;
    return rpl;
  }
  // Return to an outer level: pop SS:ESP too.
  const newEsp = pop(cpu, sp, w, cpu.segBase[SS]!, mask, k);
  const newSs = pop(cpu, sp, w, cpu.segBase[SS]!, mask, k) & 0xffff;
  if ((newSs & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  if ((newSs & 3) !== rpl) cpu.raise(VEC.GP, newSs & 0xfffc, k);
  const sd = loadDescriptor(cpu, newSs, k);
  if (!sd) cpu.raise(VEC.GP, newSs & 0xfffc, k);
  if (!(sd.hi & DESC.S) || sd.hi & DESC.CS || !(sd.hi & DESC.W) || dpl(sd.hi) !== rpl) cpu.raise(VEC.GP, newSs & 0xfffc, k);
  if (!(sd.hi & DESC.P)) cpu.raise(VEC.SS, newSs & 0xfffc, k);
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, CS, sel, d);
  markAccessed(cpu, newSs, sd, k);
  cacheFromDescriptor(cpu, SS, newSs, sd);
  const nmask = sd.hi & DESC.B ? 0xffff_ffff : 0xffff;
  setEsp(cpu, (newEsp + imm) & nmask, nmask);
  setCpl(cpu, rpl);
  validateSegments(cpu);
  cpu.eip = eip;
  return rpl;
}

export function farReturn(cpu: Cpu, osize: number, imm: number, k: number): void {
  const w = osize;
  const mask = spMask(cpu);
  const sp = { v: cpu.r[ESP]! & mask };
  const ssBase = cpu.segBase[SS]!;
  const eip = pop(cpu, sp, w, ssBase, mask, k);
  const sel = pop(cpu, sp, w, ssBase, mask, k) & 0xffff;
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) {
    sp.v = (sp.v + imm) & mask;
    setEsp(cpu, sp.v, mask);
    realModeCs(cpu, sel);
    cpu.eip = eip;
    return;
  }
  returnTo(cpu, sel, eip, sp, w, imm, mask, k);
}

/** Writes EFLAGS from IRET/POPF with the privilege rules (IOPL only at CPL 0, IF only at CPL <= IOPL). */
export function loadEflags(cpu: Cpu, v: number, osize: number, cplForRules: number): void {
  let mask = TF | AC | ID | NT | DF | RF | 0x8d5;
  const iopl = (cpu.flags >> 12) & 3;
  if (cplForRules === 0) mask |= IOPL | IF;
  else if (cplForRules <= iopl) mask |= IF;
  if (osize === 2) mask &= 0xffff;
  const cur = cpu.eflags;
  cpu.eflags = (cur & ~mask) | (v & mask);
}

export function iret(cpu: Cpu, osize: number, k: number): void {
  const w = osize;
  const mask = spMask(cpu);
  const sp = { v: cpu.r[ESP]! & mask };
  const ssBase = cpu.segBase[SS]!;
  if (!(cpu.cr0 & CR0.PE)) {
    const eip = pop(cpu, sp, w, ssBase, mask, k);
    const sel = pop(cpu, sp, w, ssBase, mask, k) & 0xffff;
    const fl = pop(cpu, sp, w, ssBase, mask, k);
    setEsp(cpu, sp.v, mask);
    cpu.segSel[CS] = sel;
    cpu.segBase[CS] = sel << 4;
    // Real mode: every flag but VM, VIF, VIP may change (QEMU helper_iret_real).
    let m = TF | AC | ID | IF | IOPL | NT | RF | DF | 0x8d5;
    if (w === 2) m &= 0xffff;
    cpu.eflags = (cpu.eflags & ~m) | (fl & m);
    cpu.updateHflags();
    cpu.eip = eip;
    return;
  }
  if (cpu.flags & VM) {
    if (((cpu.flags >> 12) & 3) !== 3) cpu.raise(VEC.GP, 0, k);
    const eip = pop(cpu, sp, w, ssBase, mask, k);
    const sel = pop(cpu, sp, w, ssBase, mask, k) & 0xffff;
    const fl = pop(cpu, sp, w, ssBase, mask, k);
    setEsp(cpu, sp.v, mask);
    cpu.segSel[CS] = sel;
    cpu.segBase[CS] = sel << 4;
    let m = TF | AC | ID | IF | NT | RF | DF | 0x8d5;
    if (w === 2) m &= 0xffff;
    cpu.eflags = (cpu.eflags & ~m) | (fl & m);
    cpu.eip = eip;
    return;
  }
  if (cpu.flags & NT) throw new GuestFailure('IRET with EFLAGS.NT set: task return (task switches are not modelled)', 'unsupported');
  const eip = pop(cpu, sp, w, ssBase, mask, k);
  const sel = pop(cpu, sp, w, ssBase, mask, k) & 0xffff;
  const fl = pop(cpu, sp, w, ssBase, mask, k);
  if (w === 4 && fl & VM && cpu.cpl === 0) {
    // Return to virtual-8086 mode.
    const esp = pop(cpu, sp, 4, ssBase, mask, k);
    const ss = pop(cpu, sp, 4, ssBase, mask, k) & 0xffff;
    const es = pop(cpu, sp, 4, ssBase, mask, k) & 0xffff;
    const ds = pop(cpu, sp, 4, ssBase, mask, k) & 0xffff;
    const fs = pop(cpu, sp, 4, ssBase, mask, k) & 0xffff;
    const gs = pop(cpu, sp, 4, ssBase, mask, k) & 0xffff;
    cpu.eflags = (fl & (TF | AC | ID | IF | IOPL | NT | RF | VM | VIF | VIP | DF | 0x8d5)) | 2;
    const v86 = DESC.P | DESC.S | DESC.W | DESC.A | (3 << DESC.DPL_SHIFT);
    for (const [s, v] of [
      [ES, es],
      [DS, ds],
      [FS, fs],
      [GS, gs],
      [SS, ss],
    ] as const)
      cpu.setSeg(s, v, v << 4, 0xffff, v86);
    cpu.setSeg(CS, sel, sel << 4, 0xffff, v86 | DESC.CS);
    cpu.r[ESP] = esp | 0;
    setCpl(cpu, 3);
    cpu.eip = eip & 0xffff;
    return;
  }
  const oldCpl = cpu.cpl;
  returnTo(cpu, sel, eip, sp, w, 0, mask, k);
  loadEflags(cpu, fl, w, oldCpl);
  cpu.updateHflags();
}

// ---- LDT, TR and descriptor queries ---------------------------------------------------------

export function lldt(cpu: Cpu, sel: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) cpu.raise(VEC.UD, -1, k);
  sel &= 0xffff;
  if ((sel & 0xfffc) === 0) {
    cpu.setSeg(LDTR, 0, 0, 0, 0);
    return;
  }
  if (sel & 4) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (d.hi & DESC.S || ((d.hi >> 8) & 0xf) !== 2) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  cacheFromDescriptor(cpu, LDTR, sel, d);
  systemBase64(cpu, LDTR, sel, k);
}

/** In long mode system descriptors are 16 bytes: base bits 63:32 in the third dword (Linux's TSS is at 0xfffffe...). */
function systemBase64(cpu: Cpu, seg: number, sel: number, k: number): void {
  if (!cpu.longMode) return;
  const hi = cpu.sysRead(cpu.lin(cpu.gdtBase, (sel & ~7) + 8), 4, k) | 0;
  cpu.segBase[seg] = hi * 4294967296 + (cpu.segBase[seg]! >>> 0);
}

export function ltr(cpu: Cpu, sel: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) cpu.raise(VEC.UD, -1, k);
  sel &= 0xffff;
  if ((sel & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  if (sel & 4) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const type = (d.hi >> 8) & 0xf;
  if (d.hi & DESC.S || (type !== 1 && type !== 9)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  d.hi |= 0x200; // busy
  cpu.sysWrite(cpu.lin(cpu.gdtBase, (sel & ~7) + 4), 4, d.hi, k);
  cacheFromDescriptor(cpu, TR, sel, d);
  systemBase64(cpu, TR, sel, k);
}

/** The descriptor LAR/LSL/VERR/VERW may look at, or undefined (then ZF is cleared). */
function queryDescriptor(cpu: Cpu, sel: number, k: number, forLimit: boolean, forLar: boolean): Descriptor | undefined {
  if ((sel & 0xfffc) === 0) return undefined;
  const d = loadDescriptor(cpu, sel, k);
  if (!d) return undefined;
  const rpl = sel & 3;
  const ddpl = dpl(d.hi);
  if (d.hi & DESC.S) {
    if ((d.hi & (DESC.CS | DESC.C)) === (DESC.CS | DESC.C)) return d;
    if (ddpl < cpu.cpl || ddpl < rpl) return undefined;
    return d;
  }
  const type = (d.hi >> 8) & 0xf;
  const okLimit = [1, 2, 3, 9, 11];
  const okLar = [1, 2, 3, 4, 5, 9, 11, 12];
  if (!(forLimit ? okLimit : forLar ? okLar : []).includes(type)) return undefined;
  if (ddpl < cpu.cpl || ddpl < rpl) return undefined;
  return d;
}

function setZf(cpu: Cpu, on: boolean): void {
  const f = cpu.eflags;
  cpu.eflags = on ? f | 0x40 : f & ~0x40;
}

/**
 * A 32-bit result in a general register: in long mode the upper half is
 * cleared, as for every 32-bit destination (CPUID, RDTSC and RDMSR results
 * included; Linux combines RDTSC's halves with 64-bit shifts and ORs).
 */
export function set32(cpu: Cpu, r: number, v: number): void {
  cpu.r[r] = v | 0;
  if (cpu.longMode) cpu.rh[r] = 0;
}

export function lar(cpu: Cpu, sel: number, reg: number, osize: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) cpu.raise(VEC.UD, -1, k);
  const d = queryDescriptor(cpu, sel & 0xffff, k, false, true);
  setZf(cpu, d !== undefined);
  if (!d) return;
  const v = d.hi & 0x00f0_ff00;
  if (osize === 2) cpu.r[reg] = (cpu.r[reg]! & ~0xffff) | (v & 0xffff);
  else set32(cpu, reg, v);
}

export function lsl(cpu: Cpu, sel: number, reg: number, osize: number, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) cpu.raise(VEC.UD, -1, k);
  const d = queryDescriptor(cpu, sel & 0xffff, k, true, false);
  setZf(cpu, d !== undefined);
  if (!d) return;
  const v = descLimit(d);
  if (osize === 2) cpu.r[reg] = (cpu.r[reg]! & ~0xffff) | (v & 0xffff);
  else set32(cpu, reg, v);
}

export function verify(cpu: Cpu, sel: number, write: boolean, k: number): void {
  if (!(cpu.cr0 & CR0.PE) || cpu.flags & VM) cpu.raise(VEC.UD, -1, k);
  sel &= 0xffff;
  let ok = false;
  if ((sel & 0xfffc) !== 0) {
    const d = loadDescriptor(cpu, sel, k);
    if (d && d.hi & DESC.S) {
      const code = (d.hi & DESC.CS) !== 0;
      const conforming = code && (d.hi & DESC.C) !== 0;
      const ddpl = dpl(d.hi);
      const privOk = conforming || (ddpl >= cpu.cpl && ddpl >= (sel & 3));
      ok = privOk && (write ? !code && (d.hi & DESC.W) !== 0 : !code || (d.hi & DESC.R) !== 0);
    }
  }
  setZf(cpu, ok);
}

// ---- SYSENTER / SYSEXIT ---------------------------------------------------------------------

export function sysenter(cpu: Cpu, k: number): void {
  if ((cpu.sysenterCs & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  cpu.flags &= ~(VM | IF | RF);
  const cs = cpu.sysenterCs & 0xfffc;
  cpu.setSeg(CS, cs, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.S | DESC.P | DESC.CS | DESC.R | DESC.A);
  cpu.setSeg(SS, (cs + 8) & 0xfffc, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.S | DESC.P | DESC.W | DESC.A);
  setCpl(cpu, 0);
  cpu.r[ESP] = cpu.sysenterEsp | 0;
  cpu.eip = cpu.sysenterEip >>> 0;
}

export function sysexit(cpu: Cpu, osize: number, k: number): void {
  void osize;
  if ((cpu.sysenterCs & 0xfffc) === 0 || cpu.cpl !== 0) cpu.raise(VEC.GP, 0, k);
  const cs = ((cpu.sysenterCs + 16) & 0xfffc) | 3;
  const ss = ((cpu.sysenterCs + 24) & 0xfffc) | 3;
  const dpl3 = 3 << DESC.DPL_SHIFT;
  cpu.setSeg(CS, cs, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.S | DESC.P | dpl3 | DESC.CS | DESC.R | DESC.A);
  cpu.setSeg(SS, ss, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.S | DESC.P | dpl3 | DESC.W | DESC.A);
  setCpl(cpu, 3);
  cpu.r[ESP] = cpu.r[ECX]!;
  cpu.eip = cpu.r[2]! >>> 0;
}

// ---- reports ---------------------------------------------------------------------------------

export function describeState(cpu: Cpu): string {
  const h = (v: number, n = 8) => (v >>> 0).toString(16).padStart(n, '0');
  if (cpu.longMode) return describeLong(cpu, h);
  const regs = REG_NAMES.map((n, i) => `${n}=${h(cpu.r[i]!)}`).join(' ');
  const segs = ['es', 'cs', 'ss', 'ds', 'fs', 'gs']
    .map((n, i) => `${n}=${h(cpu.segSel[i]!, 4)}[${h(cpu.segBase[i]!)}+${h(cpu.segLimit[i]!)}]`)
    .join(' ');
  return [
    `  ${regs}`,
    `  eip=${h(cpu.eip)} eflags=${h(cpu.eflags)} cpl=${cpu.cpl} mode=${cpu.cr0 & CR0.PE ? (cpu.flags & VM ? 'vm86' : 'protected') : 'real'} icount=${cpu.icount}`,
    `  ${segs}`,
    `  cr0=${h(cpu.cr0)} cr2=${h(cpu.cr2)} cr3=${h(cpu.cr3)} cr4=${h(cpu.cr4)} gdt=${h(cpu.gdtBase)}+${h(cpu.gdtLimit, 4)} idt=${h(cpu.idtBase)}+${h(cpu.idtLimit, 4)}`,
  ].join('\n');
}

/** The state in long mode: 64-bit registers, RIP, segment bases as 64-bit numbers, EFER. */
function describeLong(cpu: Cpu, h: (v: number, n?: number) => string): string {
  const h64 = (lo: number, hi: number) => `${h(hi)}${h(lo)}`;
  const num64 = (v: number) => h64(v % TWO32 | 0, Math.floor(v / TWO32) | 0);
  const names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
  const regs = names.map((n, i) => `${n.padStart(3)}=${h64(cpu.r[i]!, cpu.rh[i]!)}`);
  const code = cpu.segAttr[1]! & (1 << 21) ? '64-bit' : 'compatibility';
  const segs = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'].map((n, i) => `${n}=${h(cpu.segSel[i]!, 4)}[${num64(cpu.segBase[i]!)}]`).join(' ');
  return [
    ...[0, 4, 8, 12].map((k) => `  ${regs.slice(k, k + 4).join(' ')}`),
    `  rip=${num64(cpu.eip)} rflags=${h(cpu.eflags)} cpl=${cpu.cpl} mode=long ${code} icount=${cpu.icount}`,
    `  ${segs}`,
    `  cr0=${h(cpu.cr0)} cr2=${num64(cpu.cr2)} cr3=${h64(cpu.cr3, cpu.cr3Hi)} cr4=${h(cpu.cr4)} efer=${h(cpu.efer, 4)} gdt=${num64(cpu.gdtBase)}+${h(cpu.gdtLimit, 4)} idt=${num64(cpu.idtBase)}+${h(cpu.idtLimit, 4)}`,
  ].join('\n');
}

export { EAX };

// ---- long mode ---------------------------------------------------------------------------------

const TWO32 = 4294967296;
const q = (lo: number, hi: number): number => hi * TWO32 + (lo >>> 0);

function setReg64(cpu: Cpu, r: number, v: number): void {
  cpu.r[r] = v % TWO32 | 0;
  cpu.rh[r] = Math.floor(v / TWO32) | 0;
}

function reg64(cpu: Cpu, r: number): number {
  return q(cpu.r[r]!, cpu.rh[r]!);
}

/** A 64-bit read at a linear address (two dwords). */
function read64(cpu: Cpu, la: number, k: number): number {
  return q(cpu.sysRead(la, 4, k), cpu.sysRead(la + 4, 4, k));
}

/** Pushes `values` as quadwords below linear address `rsp`, first value highest; returns the new top. */
function pushQuads(cpu: Cpu, rsp: number, values: readonly number[], k: number): number {
  for (const value of values) {
    rsp -= 8;
    write64(cpu, rsp, value, k);
  }
  return rsp;
}

function write64(cpu: Cpu, la: number, v: number, k: number): void {
  cpu.sysWrite(la, 4, v % TWO32 | 0, k);
  cpu.sysWrite(la + 4, 4, Math.floor(v / TWO32) | 0, k);
}

/** Long-mode stack pointers from the 64-bit TSS: RSPn (n < 3) or ISTn-3. */
function tss64(cpu: Cpu, index: number, k: number): number {
  const off = 8 * index + 4;
  if (off + 7 > cpu.segLimit[TR]!) cpu.raise(VEC.TS, cpu.segSel[TR]! & 0xfffc, k);
  return read64(cpu, cpu.segBase[TR]! + off, k);
}

/** The flat 64-bit code and data caches loaded by SYSCALL/SYSRET and null SS. */
const CODE64 = DESC.G | DESC.P | DESC.S | DESC.CS | DESC.R | DESC.A | DESC.L;
const DATA64 = DESC.G | DESC.B | DESC.P | DESC.S | DESC.W | DESC.A;

/** Interrupt and exception delivery in long mode (16-byte IDT gates, IST, 16-byte stack alignment). */
export function longModeInterrupt(cpu: Cpu, v: number, code: number, next: number, external: boolean, software: boolean): void {
  const k = cpu.faultK;
  const idtErr = v * 8 + 2 + (external && !software ? 1 : 0);
  if (v * 16 + 15 > cpu.idtLimit) cpu.raise(VEC.GP, idtErr, k);
  const la = cpu.idtBase + v * 16;
  const lo = cpu.sysRead(la, 4, k);
  const hi = cpu.sysRead(la + 4, 4, k);
  const top = cpu.sysRead(la + 8, 4, k);
  const type = (hi >> 8) & 0x1f;
  if (type !== 14 && type !== 15) cpu.raise(VEC.GP, idtErr, k);
  if (software && dpl(hi) < cpu.cpl) cpu.raise(VEC.GP, idtErr, k);
  if (!(hi & DESC.P)) cpu.raise(VEC.NP, idtErr, k);
  const sel = lo >>> 16;
  const offset = q(((hi & 0xffff_0000) | (lo & 0xffff)) >>> 0, top);
  const ist = hi & 7;
  if ((sel & 0xfffc) === 0) cpu.raise(VEC.GP, 0, k);
  const d = loadDescriptor(cpu, sel, k);
  if (!d) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.S) || !(d.hi & DESC.CS)) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const cdpl = dpl(d.hi);
  if (cdpl > cpu.cpl) cpu.raise(VEC.GP, selIndexErr(sel), k);
  if (!(d.hi & DESC.P)) cpu.raise(VEC.NP, selIndexErr(sel), k);
  if (!(d.hi & DESC.L) || d.hi & DESC.B) cpu.raise(VEC.GP, selIndexErr(sel), k);
  const pushCode = !software && hasErrorCode(v) && (!external || code >= 0);
  let newCpl = cpu.cpl;
  let rsp: number;
  const inner = !(d.hi & DESC.C) && cdpl < cpu.cpl;
  if (inner || ist) {
    newCpl = inner ? cdpl : cpu.cpl;
    rsp = ist ? tss64(cpu, ist + 3, k) : tss64(cpu, cdpl, k);
  } else rsp = reg64(cpu, ESP);
  rsp -= ((rsp % 16) + 16) % 16;
  const eflags = cpu.eflags;
  const frame = [q(cpu.segSel[SS]!, 0), reg64(cpu, ESP), eflags >>> 0, cpu.segSel[CS]!, next];
  if (pushCode) frame.push(code < 0 ? 0 : code >>> 0);
  rsp = pushQuads(cpu, rsp, frame, k);
  // Commit.
  if (inner) cpu.setSeg(SS, newCpl, 0, 0xffff_ffff, DATA64 | (newCpl << DESC.DPL_SHIFT));
  setReg64(cpu, ESP, rsp);
  cpu.flags &= ~(TF | VM | RF | NT);
  if ((type & 1) === 0) cpu.flags &= ~IF;
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, CS, (sel & 0xfffc) | newCpl, d);
  setCpl(cpu, newCpl);
  cpu.eip = offset;
}

/** IRET in long mode (any operand size; IRETQ pops five quadwords). */
export function iretLong(cpu: Cpu, osize: number, k: number): void {
  if (cpu.flags & NT) throw new GuestFailure('IRET with EFLAGS.NT set in long mode', 'unsupported');
  const w = osize;
  let rsp = cpu.hflags & 0x200 ? reg64(cpu, ESP) : (cpu.segBase[SS]! + (cpu.r[ESP]! & spMask(cpu))) >>> 0;
  const popv = (): number => {
    const v = w === 8 ? read64(cpu, rsp, k) : w === 4 ? cpu.sysRead(rsp, 4, k) >>> 0 : cpu.sysRead(rsp, 2, k);
    rsp += w;
    return v;
  };
  const rip = popv();
  const sel = popv() & 0xffff;
  const fl = popv();
  const newRsp = popv();
  const ss = popv() & 0xffff;
  const d = checkReturnCode(cpu, sel, k);
  const rpl = sel & 3;
  const oldCpl = cpu.cpl;
  const to64 = (d.hi & DESC.L) !== 0;
  if ((ss & 0xfffc) === 0) {
    // A null SS is allowed when returning to 64-bit code below ring 3.
    if (!to64 || rpl === 3) cpu.raise(VEC.GP, 0, k);
    cpu.setSeg(SS, ss, 0, 0xffff_ffff, DATA64 | (rpl << DESC.DPL_SHIFT));
  } else {
    if ((ss & 3) !== rpl) cpu.raise(VEC.GP, ss & 0xfffc, k);
    const sd = loadDescriptor(cpu, ss, k);
    if (!sd) cpu.raise(VEC.GP, ss & 0xfffc, k);
    if (!(sd.hi & DESC.S) || sd.hi & DESC.CS || !(sd.hi & DESC.W) || dpl(sd.hi) !== rpl) cpu.raise(VEC.GP, ss & 0xfffc, k);
    if (!(sd.hi & DESC.P)) cpu.raise(VEC.SS, ss & 0xfffc, k);
    markAccessed(cpu, ss, sd, k);
    cacheFromDescriptor(cpu, SS, ss, sd);
  }
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, CS, sel, d);
  setReg64(cpu, ESP, to64 ? newRsp : newRsp % TWO32);
  setCpl(cpu, rpl);
  if (rpl > oldCpl) validateSegments(cpu);
  loadEflags(cpu, fl % TWO32 | 0, w === 2 ? 2 : 4, oldCpl);
  cpu.updateHflags();
  cpu.eip = to64 ? rip : rip % TWO32;
}

/** Far return in long mode (RETF; REX.W pops 8-byte RIP and CS). */
export function farReturnLong(cpu: Cpu, osize: number, imm: number, k: number): void {
  const w = osize;
  let rsp = cpu.hflags & 0x200 ? reg64(cpu, ESP) : (cpu.segBase[SS]! + (cpu.r[ESP]! & spMask(cpu))) >>> 0;
  const popv = (): number => {
    const v = w === 8 ? read64(cpu, rsp, k) : w === 4 ? cpu.sysRead(rsp, 4, k) >>> 0 : cpu.sysRead(rsp, 2, k);
    rsp += w;
    return v;
  };
  const rip = popv();
  const sel = popv() & 0xffff;
  const d = checkReturnCode(cpu, sel, k);
  const rpl = sel & 3;
  rsp += imm;
  if (rpl !== cpu.cpl) {
    const newRsp = popv();
    const ss = popv() & 0xffff;
    const sd = (ss & 0xfffc) === 0 ? undefined : loadDescriptor(cpu, ss, k);
    if (sd) cacheFromDescriptor(cpu, SS, ss, sd);
    else cpu.setSeg(SS, ss, 0, 0xffff_ffff, DATA64 | (rpl << DESC.DPL_SHIFT));
    rsp = newRsp + imm;
    setCpl(cpu, rpl);
    validateSegments(cpu);
  }
  markAccessed(cpu, sel, d, k);
  cacheFromDescriptor(cpu, CS, sel, d);
  setReg64(cpu, ESP, rsp);
  cpu.eip = d.hi & DESC.L ? rip : rip % TWO32;
}

/** SYSCALL (AMD64): to LSTAR (64-bit callers) or CSTAR (compatibility mode), CPL 0. */
export function syscall(cpu: Cpu, next: number, k: number): void {
  if (!(cpu.efer & 1)) cpu.raise(VEC.UD, -1, k);
  const sel = Number((cpu.star >> 32n) & 0xffffn) & 0xfffc;
  if (cpu.longMode) {
    const from64 = (cpu.hflags & 0x200) !== 0;
    setReg64(cpu, ECX, next);
    setReg64(cpu, 11, cpu.eflags >>> 0);
    cpu.eflags = cpu.eflags & ~cpu.fmask & ~RF;
    cpu.setSeg(CS, sel, 0, 0xffff_ffff, CODE64);
    cpu.setSeg(SS, sel + 8, 0, 0xffff_ffff, DATA64);
    setCpl(cpu, 0);
    cpu.eip = from64 ? cpu.lstar : cpu.cstar;
    return;
  }
  cpu.r[ECX] = next | 0;
  cpu.flags &= ~(VM | IF | RF);
  cpu.setSeg(CS, sel, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.P | DESC.S | DESC.CS | DESC.R | DESC.A);
  cpu.setSeg(SS, sel + 8, 0, 0xffff_ffff, DATA64);
  setCpl(cpu, 0);
  cpu.eip = Number(cpu.star & 0xffff_ffffn);
}

/** SYSRET: back to CPL 3, 64-bit code with REX.W, else compatibility-mode code. */
export function sysret(cpu: Cpu, osize: number, k: number): void {
  if (!(cpu.efer & 1)) cpu.raise(VEC.UD, -1, k);
  if (cpu.cpl !== 0 || !(cpu.cr0 & CR0.PE)) cpu.raise(VEC.GP, 0, k);
  const sel = Number((cpu.star >> 48n) & 0xffffn);
  const dpl3 = 3 << DESC.DPL_SHIFT;
  if (cpu.longMode) {
    if (osize === 8) {
      cpu.setSeg(CS, ((sel + 16) & 0xfffc) | 3, 0, 0xffff_ffff, CODE64 | dpl3);
      cpu.eip = reg64(cpu, ECX);
    } else {
      cpu.setSeg(CS, sel | 3, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.P | DESC.S | DESC.CS | DESC.R | DESC.A | dpl3);
      cpu.eip = cpu.r[ECX]! >>> 0;
    }
    cpu.setSeg(SS, ((sel + 8) & 0xfffc) | 3, 0, 0xffff_ffff, DATA64 | dpl3);
    const fl = cpu.r[11]!;
    setCpl(cpu, 3);
    loadEflags(cpu, fl, 4, 0);
    cpu.flags &= ~(VM | RF);
    cpu.updateHflags();
    return;
  }
  cpu.setSeg(CS, sel | 3, 0, 0xffff_ffff, DESC.G | DESC.B | DESC.P | DESC.S | DESC.CS | DESC.R | DESC.A | dpl3);
  cpu.setSeg(SS, ((sel + 8) & 0xfffc) | 3, 0, 0xffff_ffff, DATA64 | dpl3);
  cpu.flags |= IF;
  setCpl(cpu, 3);
  cpu.eip = cpu.r[ECX]! >>> 0;
}
