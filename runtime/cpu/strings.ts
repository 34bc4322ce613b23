/**
 * String instructions (MOVS, STOS, LODS, CMPS, SCAS, INS, OUTS) with and
 * without REP/REPE/REPNE, at every address size (16, 32, 64) and operand
 * width (1-8). Every iteration updates the registers before the next, so a
 * fault in the middle leaves them as the SDM says and the instruction
 * restarts where it stopped. A REP runs up to `CHUNK` iterations per
 * dispatch (then EIP stays on the instruction so interrupts and the budget
 * get their turn), and counts each iteration as an instruction retired, as
 * QEMU's TCG does. REP MOVS/STOS go a page at a time through typed-array
 * copies, either direction, from RAM or ROM into RAM (pages of code too: their
 * translations are dropped first, as a store drops them).
 */
import type { BulkSpan, Cpu } from './cpu.js';
import { ES } from './decode.js';
import { CC, DF } from './flags.js';
import { checkIo } from './system.js';
import { EAX, ECX, EDI, EDX, ESI } from './state.js';

const CHUNK = 1 << 16;
const PAGE = 4096;
const TWO32 = 4294967296;

/** Register access at an address size: 2 and 4 wrap, 8 is an exact signed 64-bit number. */
class Ptrs {
  readonly step: number;
  constructor(
    private readonly cpu: Cpu,
    readonly w: number,
    readonly a: number,
  ) {
    this.step = cpu.flags & DF ? -w : w;
  }
  get(r: number): number {
    const c = this.cpu;
    if (this.a === 8) return c.rh[r]! * TWO32 + (c.r[r]! >>> 0);
    return this.a === 2 ? c.r[r]! & 0xffff : c.r[r]! >>> 0;
  }
  set(r: number, v: number): void {
    const c = this.cpu;
    if (this.a === 8) {
      // Split without leaving the signed range: an address in the upper half
      // (a kernel's) is a small negative number here, exact, and would lose its
      // low bits as an unsigned number above 2^53.
      const hi = Math.floor(v / TWO32);
      c.r[r] = (v - hi * TWO32) | 0;
      c.rh[r] = hi | 0;
    } else if (this.a === 2) c.r[r] = (c.r[r]! & ~0xffff) | (v & 0xffff);
    else {
      c.r[r] = v | 0;
      if (c.longMode) c.rh[r] = 0;
    }
  }
  /** The most this register can advance before wrapping. */
  room(v: number): number {
    return this.a === 2 ? 0x1_0000 - v : this.a === 4 ? TWO32 - v : Infinity;
  }
  /** Linear address of an offset in a segment. */
  lin(seg: number, off: number): number {
    const c = this.cpu;
    if (c.hflags & 0x200) return seg >= 4 ? c.segBase[seg]! + off : off;
    if (c.longMode) return (c.segBase[seg]! + off) >>> 0;
    return (c.segBase[seg]! + off) | 0;
  }
}

function rd(cpu: Cpu, la: number, w: number, k: number): [number, number] {
  if (w === 8) return [cpu.rd32(la, k), cpu.rd32(la + 4, k)];
  return [w === 1 ? cpu.rd8(la, k) : w === 2 ? cpu.rd16(la, k) : cpu.rd32(la, k), 0];
}

function wr(cpu: Cpu, la: number, w: number, v: [number, number], k: number): void {
  if (w === 8) cpu.wr64(la, v[0], v[1], k);
  else if (w === 1) cpu.wr8(la, v[0], k);
  else if (w === 2) cpu.wr16(la, v[0], k);
  else cpu.wr32(la, v[0], k);
}

const accMask = (w: number) => (w === 1 ? 0xff : w === 2 ? 0xffff : -1);

function readAcc(cpu: Cpu, w: number): [number, number] {
  return [cpu.r[EAX]! & accMask(w), w === 8 ? cpu.rh[EAX]! : 0];
}

/**
 * Runs `body` once (no REP) or while the count register is not 0 (and the
 * REPE/REPNE condition holds), at most CHUNK times; sets EIP to `next` when
 * done, to `eip` to continue later.
 */
/** Iterations instruction `k` may still run before the run's instruction budget ends (at least 1). */
function repBudget(cpu: Cpu, k: number): number {
  return Math.max(1, cpu.runEnd - cpu.icount - k);
}

function repeat(cpu: Cpu, p: Ptrs, rep: number, eip: number, next: number, k: number, cc: boolean, body: () => void): void {
  if (!rep) {
    body();
    return;
  }
  const chunk = Math.min(CHUNK, repBudget(cpu, k));
  let n = 0;
  for (;;) {
    const c = p.get(ECX);
    if (c === 0) {
      cpu.eip = next;
      break;
    }
    try {
      body();
    } catch (e) {
      // A fault in iteration n + 1: the n before it are retired (the instruction restarts at the fault's).
      if (n > 0) cpu.repeated(k, n);
      throw e;
    }
    p.set(ECX, c - 1);
    n++;
    if (cc) {
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
    if (n >= chunk) {
      cpu.eip = eip;
      break;
    }
  }
  if (n > 1) cpu.repeated(k, n - 1);
}

export function movs(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const p = new Ptrs(cpu, w, a);
  if (rep && bulkFirst(cpu, p, seg, k, undefined, eip, next)) return;
  repeat(cpu, p, rep, eip, next, k, false, () => {
    const si = p.get(ESI);
    const di = p.get(EDI);
    const v = rd(cpu, p.lin(seg, si), w, k);
    wr(cpu, p.lin(ES, di), w, v, k);
    p.set(ESI, si + p.step);
    p.set(EDI, di + p.step);
  });
}

export function stos(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const p = new Ptrs(cpu, w, a);
  const v = readAcc(cpu, w);
  if (rep && bulkFirst(cpu, p, ES, k, v, eip, next)) return;
  repeat(cpu, p, rep, eip, next, k, false, () => {
    const di = p.get(EDI);
    wr(cpu, p.lin(ES, di), w, v, k);
    p.set(EDI, di + p.step);
  });
}

export function lods(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const p = new Ptrs(cpu, w, a);
  repeat(cpu, p, rep, eip, next, k, false, () => {
    const si = p.get(ESI);
    const [lo, hi] = rd(cpu, p.lin(seg, si), w, k);
    if (w >= 4) {
      cpu.r[EAX] = lo;
      if (w === 8 || cpu.longMode) cpu.rh[EAX] = hi;
    } else cpu.r[EAX] = (cpu.r[EAX]! & ~accMask(w)) | lo;
    p.set(ESI, si + p.step);
  });
}

function setSubFlags(cpu: Cpu, w: number, x: [number, number], y: [number, number]): void {
  if (w === 8) {
    const lo = (x[0] - y[0]) | 0;
    const borrow = x[0] >>> 0 < y[0] >>> 0 ? 1 : 0;
    cpu.ccOp = CC.SUB + 3;
    cpu.ccDst = lo;
    cpu.ccDstHi = (x[1] - y[1] - borrow) | 0;
    cpu.ccSrc = y[0];
    cpu.ccSrcHi = y[1];
    return;
  }
  cpu.ccOp = CC.SUB + (w === 1 ? 0 : w === 2 ? 1 : 2);
  cpu.ccDst = (x[0] - y[0]) | 0;
  cpu.ccSrc = y[0];
}

export function cmps(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const p = new Ptrs(cpu, w, a);
  repeat(cpu, p, rep, eip, next, k, true, () => {
    const si = p.get(ESI);
    const di = p.get(EDI);
    const x = rd(cpu, p.lin(seg, si), w, k);
    const y = rd(cpu, p.lin(ES, di), w, k);
    p.set(ESI, si + p.step);
    p.set(EDI, di + p.step);
    setSubFlags(cpu, w, x, y);
  });
}

export function scas(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const p = new Ptrs(cpu, w, a);
  const x = readAcc(cpu, w);
  repeat(cpu, p, rep, eip, next, k, true, () => {
    const di = p.get(EDI);
    const y = rd(cpu, p.lin(ES, di), w, k);
    p.set(EDI, di + p.step);
    setSubFlags(cpu, w, x, y);
  });
}

export function ins(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  void seg;
  const p = new Ptrs(cpu, w, a);
  const port = cpu.r[EDX]! & 0xffff;
  checkIo(cpu, port, w, k);
  repeat(cpu, p, rep, eip, next, k, false, () => {
    const di = p.get(EDI);
    const la = p.lin(ES, di);
    // The destination is checked before the port is read (a fault must not lose input).
    cpu.translate(la, 1, cpu.cpl === 3, k);
    const v = cpu.ioIn(port, w as 1 | 2 | 4, k);
    wr(cpu, la, w, [v, 0], k);
    p.set(EDI, di + p.step);
  });
}

export function outs(cpu: Cpu, w: number, a: number, seg: number, rep: number, eip: number, next: number, k: number): void {
  const p = new Ptrs(cpu, w, a);
  const port = cpu.r[EDX]! & 0xffff;
  checkIo(cpu, port, w, k);
  repeat(cpu, p, rep, eip, next, k, false, () => {
    const si = p.get(ESI);
    const [v] = rd(cpu, p.lin(seg, si), w, k);
    cpu.ioOut(port, w as 1 | 2 | 4, v, k);
    p.set(ESI, si + p.step);
  });
}

// ---- bulk paths -------------------------------------------------------------------------------

/**
 * REP MOVS or STOS through the bulk path first: true when that ended the instruction for now
 * (done; out of the run's instruction budget, as iterations count as instructions; or a device
 * it wrote asked the CPU to stop), the rest running later; false when the element loop goes on
 * from where it left off.
 */
function bulkFirst(cpu: Cpu, p: Ptrs, seg: number, k: number, fill: [number, number] | undefined, eip: number, next: number): boolean {
  const pending = cpu.pendingCheck;
  const n = bulk(cpu, p, seg, k, fill);
  const finished = p.get(ECX) === 0;
  if (n > 0 && (finished || n >= repBudget(cpu, k) || (cpu.pendingCheck && !pending))) {
    cpu.repeated(k, n - 1);
    cpu.eip = finished ? next : eip;
    return true;
  }
  cpu.repeated(k, n);
  return false;
}

/**
 * REP MOVS (fill undefined) or STOS (fill = the value) a page run at a time
 * (`Cpu.bulkSpan`: the source RAM, ROM or a device, the destination RAM or a
 * device, a device's side element by element), forward or (DF set) backward:
 * the iterations done. A run whose element-by-element result would differ from
 * a block copy (the destination overlapping ahead of the source in the
 * direction of the copy) is left to the element loop.
 */
function bulk(cpu: Cpu, p: Ptrs, seg: number, k: number, fill: [number, number] | undefined): number {
  const counted = { done: 0 };
  try {
    return bulkRuns(cpu, p, seg, k, fill, counted);
  } catch (e) {
    // A page fault after some runs: their iterations are retired.
    if (counted.done > 0) cpu.repeated(k, counted.done);
    throw e;
  }
}

function bulkRuns(cpu: Cpu, p: Ptrs, seg: number, k: number, fill: [number, number] | undefined, counted: { done: number }): number {
  const w = p.w;
  const back = p.step < 0;
  const budget = repBudget(cpu, k);
  const pending = cpu.pendingCheck;
  let done = 0;
  for (let guard = 0; guard < 64; guard++) {
    const count = p.get(ECX);
    if (count === 0) return done;
    const di = p.get(EDI);
    const dst = p.lin(ES, di);
    // Elements that fit in this page (and before the register wraps), from the current one on.
    const fit = (lin: number, reg: number): number =>
      back ? ((lin & 0xfff) + w > PAGE ? 0 : Math.min(Math.floor(((lin & 0xfff) + w) / w), p.a === 8 ? Infinity : Math.floor(reg / w) + 1)) : Math.floor(Math.min(PAGE - (lin & 0xfff), p.room(reg)) / w);
    let n = Math.min(count, fit(dst, di), budget - done);
    let si = 0;
    let src = 0;
    if (!fill) {
      si = p.get(ESI);
      src = p.lin(seg, si);
      n = Math.min(n, fit(src, si));
    }
    if (n < 1) return done;
    const bytes = n * w;
    // The lowest address of the run: its first element going forward, its last going back.
    const low = (lin: number) => (back ? lin - (n - 1) * w : lin);
    // The source first: a fault reading it must not leave the destination's code dropped.
    const s = fill ? undefined : cpu.bulkSpan(low(src), bytes, false, k);
    if (!fill && !s) return done;
    const d = cpu.bulkSpan(low(dst), bytes, true, k);
    if (!d) return done;
    let m = n;
    const pd = d.at;
    const db = d.bytes;
    const sb = s?.bytes;
    if (db === undefined || (s !== undefined && sb === undefined)) m = deviceRun(cpu, s, d, n, w, back, fill);
    else if (sb) {
      const ps = s!.at;
      if (sb !== db) db.set(sb.subarray(ps, ps + bytes), pd);
      else {
        if (back ? pd < ps && pd + bytes > ps : pd > ps && pd < ps + bytes) return done;
        db.copyWithin(pd, ps, ps + bytes);
      }
    } else {
      const [lo, hi] = fill!;
      const same = w === 1 || (w === 2 && (lo & 0xff) * 0x101 === lo) || (w >= 4 && (lo & 0xff) * 0x1010101 === lo >>> 0 && (w === 4 || hi === lo));
      if (same) db.fill(lo & 0xff, pd, pd + bytes);
      else for (let o = 0; o < bytes; o += w) for (let b = 0; b < w; b++) db[pd + o + b] = ((b < 4 ? lo : hi) >>> (8 * (b & 3))) & 0xff;
    }
    const moved = m * w;
    if (!fill) p.set(ESI, back ? si - moved : si + moved);
    p.set(EDI, back ? di - moved : di + moved);
    p.set(ECX, count - m);
    done += m;
    counted.done = done;
    // (A device that asked the CPU to stop: the rest after that. A map change: the next run walks again.)
    if (cpu.pendingCheck && !pending) return done;
  }
  return done;
}

/** Little-endian `width` bytes (up to 4) at `at`. */
function bytesAt(b: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let n = 0; n < width; n++) v |= b[at + n]! << (8 * n);
  return v;
}

/**
 * A bulk run with a device's memory on either side (the VGA window SeaBIOS clears and loads
 * fonts into): element by element in the instruction's order, through physical accesses to the
 * page walked once. It ends after an access that changes the memory map (the VGA's first write
 * to its memory maps it: the next run walks the page again) or asks the CPU to stop. The
 * elements done.
 */
function deviceRun(cpu: Cpu, s: BulkSpan | undefined, d: BulkSpan, n: number, w: number, back: boolean, fill: [number, number] | undefined): number {
  const maps = cpu.mapChanges;
  const pending = cpu.pendingCheck;
  const part = w === 8 ? 4 : (w as 1 | 2 | 4);
  for (let j = 0; j < n; j++) {
    const o = back ? (n - 1 - j) * w : j * w;
    let lo: number;
    let hi = 0;
    if (fill) [lo, hi] = fill;
    else if (s!.bytes) {
      lo = bytesAt(s!.bytes, s!.at + o, part);
      if (w === 8) hi = bytesAt(s!.bytes, s!.at + o + 4, 4);
    } else {
      lo = cpu.physRead(s!.at + o, part);
      if (w === 8) hi = cpu.physRead(s!.at + o + 4, 4);
    }
    if (d.bytes) {
      for (let b = 0; b < w; b++) d.bytes[d.at + o + b] = ((b < 4 ? lo : hi) >>> (8 * (b & 3))) & 0xff;
    } else {
      cpu.physWrite(d.at + o, part, lo);
      if (w === 8) cpu.physWrite(d.at + o + 4, 4, hi);
    }
    if (cpu.mapChanges !== maps || (cpu.pendingCheck && !pending)) return j + 1;
  }
  return n;
}
