/**
 * String instructions (MOVS, STOS, LODS, CMPS, SCAS, INS, OUTS) with and
 * without REP/REPE/REPNE. Every iteration updates the registers before the
 * next, so a fault in the middle leaves them as the SDM says and the
 * instruction restarts where it stopped. A REP runs up to `CHUNK`
 * iterations per dispatch (then EIP stays on the instruction so interrupts
 * and the instruction budget get their turn), and counts each iteration
 * as an instruction retired, as QEMU's TCG does. Forward MOVS/STOS within
 * RAM pages go a page at a time through typed-array copies.
 */
import type { Cpu } from './cpu.js';
import { ES } from './decode.js';
import { CC, DF } from './flags.js';
import { checkIo } from './system.js';
import { EAX, ECX, EDI, EDX, ESI } from './state.js';

const CHUNK = 1 << 16;
const PAGE = 4096;

interface Regs {
  readonly amask: number;
  readonly step: number;
}

function setup(cpu: Cpu, w: number, a: number): Regs {
  return { amask: a === 2 ? 0xffff : 0xffff_ffff, step: cpu.flags & DF ? -w : w };
}

function reg(cpu: Cpu, r: number, amask: number): number {
  return (cpu.r[r]! >>> 0) & amask;
}

function setReg(cpu: Cpu, r: number, v: number, amask: number): void {
  cpu.r[r] = amask === 0xffff ? (cpu.r[r]! & ~0xffff) | (v & 0xffff) : v | 0;
}

function rd(cpu: Cpu, la: number, w: number, k: number): number {
  return w === 1 ? cpu.rd8(la, k) : w === 2 ? cpu.rd16(la, k) : cpu.rd32(la, k);
}

function wr(cpu: Cpu, la: number, w: number, v: number, k: number): void {
  if (w === 1) cpu.wr8(la, v, k);
  else if (w === 2) cpu.wr16(la, v, k);
  else cpu.wr32(la, v, k);
}

const accMask = (w: number) => (w === 1 ? 0xff : w === 2 ? 0xffff : -1);

/**
 * Runs `body` once (no REP) or while ECX != 0 (and the REPE/REPNE condition
 * holds), at most CHUNK times; sets EIP to `next` when done, to `eip` to
 * continue later.
 */
function repeat(cpu: Cpu, a: number, rep: number, eip: number, next: number, cc: 'none' | 'e' | 'ne', body: () => void): void {
  if (!rep) {
    body();
    return;
  }
  const amask = a === 2 ? 0xffff : 0xffff_ffff;
  let n = 0;
  for (;;) {
    const c = reg(cpu, ECX, amask);
    if (c === 0) {
      cpu.eip = next;
      break;
    }
    body();
    setReg(cpu, ECX, c - 1, amask);
    n++;
    if (cc !== 'none') {
      const zf = (cpu.eflags & 0x40) !== 0;
      if ((rep === 1) !== zf) {
        cpu.eip = next;
        break;
      }
    }
    if (c - 1 === 0) {
      cpu.eip = next;
      break;
    }
    if (n >= CHUNK) {
      cpu.eip = eip;
      break;
    }
  }
  if (n > 1) cpu.icount += n - 1;
}

export function movs(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const r = setup(cpu, w, a);
  if (rep && r.step > 0) {
    const n = bulkMovs(cpu, w, r.amask, seg, k);
    if (n > 0 && reg(cpu, ECX, r.amask) === 0) {
      cpu.icount += n - 1;
      cpu.eip = next;
      return;
    }
    cpu.icount += n;
  }
  repeat(cpu, a, rep, eip, next, 'none', () => {
    const si = reg(cpu, ESI, r.amask);
    const di = reg(cpu, EDI, r.amask);
    const v = rd(cpu, (cpu.segBase[seg]! + si) | 0, w, k);
    wr(cpu, (cpu.segBase[ES]! + di) | 0, w, v, k);
    setReg(cpu, ESI, si + r.step, r.amask);
    setReg(cpu, EDI, di + r.step, r.amask);
  });
}

export function stos(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const r = setup(cpu, w, a);
  const v = cpu.r[EAX]! & accMask(w);
  if (rep && r.step > 0) {
    const n = bulkStos(cpu, w, r.amask, v, k);
    if (n > 0 && reg(cpu, ECX, r.amask) === 0) {
      cpu.icount += n - 1;
      cpu.eip = next;
      return;
    }
    cpu.icount += n;
  }
  repeat(cpu, a, rep, eip, next, 'none', () => {
    const di = reg(cpu, EDI, r.amask);
    wr(cpu, (cpu.segBase[ES]! + di) | 0, w, v, k);
    setReg(cpu, EDI, di + r.step, r.amask);
  });
}

export function lods(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const r = setup(cpu, w, a);
  repeat(cpu, a, rep, eip, next, 'none', () => {
    const si = reg(cpu, ESI, r.amask);
    const v = rd(cpu, (cpu.segBase[seg]! + si) | 0, w, k);
    if (w === 4) cpu.r[EAX] = v;
    else cpu.r[EAX] = (cpu.r[EAX]! & ~accMask(w)) | v;
    setReg(cpu, ESI, si + r.step, r.amask);
  });
}

function setSubFlags(cpu: Cpu, w: number, x: number, y: number): void {
  cpu.ccOp = CC.SUB + (w === 1 ? 0 : w === 2 ? 1 : 2);
  cpu.ccDst = (x - y) | 0;
  cpu.ccSrc = y;
}

export function cmps(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const r = setup(cpu, w, a);
  repeat(cpu, a, rep, eip, next, rep === 2 ? 'ne' : 'e', () => {
    const si = reg(cpu, ESI, r.amask);
    const di = reg(cpu, EDI, r.amask);
    const x = rd(cpu, (cpu.segBase[seg]! + si) | 0, w, k);
    const y = rd(cpu, (cpu.segBase[ES]! + di) | 0, w, k);
    setReg(cpu, ESI, si + r.step, r.amask);
    setReg(cpu, EDI, di + r.step, r.amask);
    setSubFlags(cpu, w, x, y);
  });
}

export function scas(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const r = setup(cpu, w, a);
  const x = cpu.r[EAX]! & accMask(w);
  repeat(cpu, a, rep, eip, next, rep === 2 ? 'ne' : 'e', () => {
    const di = reg(cpu, EDI, r.amask);
    const y = rd(cpu, (cpu.segBase[ES]! + di) | 0, w, k);
    setReg(cpu, EDI, di + r.step, r.amask);
    setSubFlags(cpu, w, x, y);
  });
}

export function ins(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const r = setup(cpu, w, a);
  const port = cpu.r[EDX]! & 0xffff;
  checkIo(cpu, port, w, k);
  repeat(cpu, a, rep, eip, next, 'none', () => {
    const di = reg(cpu, EDI, r.amask);
    const la = (cpu.segBase[ES]! + di) | 0;
    // The destination is checked before the port is read (a fault must not lose input).
    cpu.translate(la, 1, cpu.cpl === 3, k);
    const v = cpu.ioIn(port, w as 1 | 2 | 4, k);
    wr(cpu, la, w, v, k);
    setReg(cpu, EDI, di + r.step, r.amask);
  });
}

export function outs(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const r = setup(cpu, w, a);
  const port = cpu.r[EDX]! & 0xffff;
  checkIo(cpu, port, w, k);
  repeat(cpu, a, rep, eip, next, 'none', () => {
    const si = reg(cpu, ESI, r.amask);
    const v = rd(cpu, (cpu.segBase[seg]! + si) | 0, w, k);
    cpu.ioOut(port, w as 1 | 2 | 4, v, k);
    setReg(cpu, ESI, si + r.step, r.amask);
  });
}

// ---- bulk paths -------------------------------------------------------------------------------

/** The bank-0 RAM offset behind a linear address for a write/read of `len` bytes within one page, or -1. */
function ramSpan(cpu: Cpu, la: number, write: boolean, k: number): number {
  const t = write ? cpu.tlbW : cpu.tlbR;
  let e = t[la >>> 12]!;
  if (e === 0) {
    // Let the slow path fill the entry (or raise the fault), then look again.
    cpu.translate(la, write ? 1 : 0, cpu.cpl === 3, k);
    e = t[la >>> 12]!;
    if (e === 0) return -1;
  }
  return ((e & ~0xfff) ^ la) >>> 0;
}

/** Forward REP MOVS a page run at a time while both sides are fast RAM pages: the iterations done. */
function bulkMovs(cpu: Cpu, w: number, amask: number, seg: number, k: number): number {
  let done = 0;
  for (let guard = 0; guard < 64; guard++) {
    const count = reg(cpu, ECX, amask);
    if (count === 0) return done;
    const si = reg(cpu, ESI, amask);
    const di = reg(cpu, EDI, amask);
    const src = (cpu.segBase[seg]! + si) | 0;
    const dst = (cpu.segBase[ES]! + di) | 0;
    const room = Math.min(PAGE - (src & 0xfff), PAGE - (dst & 0xfff), amask - si + 1, amask - di + 1);
    const n = Math.min(count, Math.floor(room / w));
    if (n < 1) return done;
    const ps = ramSpan(cpu, src, false, k);
    const pd = ramSpan(cpu, dst, true, k);
    if (ps < 0 || pd < 0) return done;
    const bytes = n * w;
    if (pd > ps && pd < ps + bytes) return done;
    cpu.m8.copyWithin(pd, ps, ps + bytes);
    setReg(cpu, ESI, si + bytes, amask);
    setReg(cpu, EDI, di + bytes, amask);
    setReg(cpu, ECX, count - n, amask);
    done += n;
  }
  return done;
}

function bulkStos(cpu: Cpu, w: number, amask: number, v: number, k: number): number {
  let done = 0;
  for (let guard = 0; guard < 64; guard++) {
    const count = reg(cpu, ECX, amask);
    if (count === 0) return done;
    const di = reg(cpu, EDI, amask);
    const dst = (cpu.segBase[ES]! + di) | 0;
    const room = Math.min(PAGE - (dst & 0xfff), amask - di + 1);
    const n = Math.min(count, Math.floor(room / w));
    if (n < 1) return done;
    const pd = ramSpan(cpu, dst, true, k);
    if (pd < 0) return done;
    const bytes = n * w;
    if (w === 1 || (v & 0xff) * (w === 2 ? 0x101 : 0x1010101) === (w === 2 ? v : v >>> 0)) cpu.m8.fill(v & 0xff, pd, pd + bytes);
    else for (let o = 0; o < bytes; o += w) for (let b = 0; b < w; b++) cpu.m8[pd + o + b] = (v >>> (8 * b)) & 0xff;
    setReg(cpu, EDI, di + bytes, amask);
    setReg(cpu, ECX, count - n, amask);
    done += n;
  }
  return done;
}
