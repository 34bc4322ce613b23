/**
 * machc's execution-trace format, written by the QEMU plugin (trace/plugin.c) and, for machc's
 * CPU, by its trace plugin through TraceWriter; read here for comparison (trace/compare.ts).
 *
 *   header: "MCTRACE1", u32 flags, u32 0
 *     flags bit 0  registers: eax ecx edx ebx esp ebp esi edi eflags (u32 each) in every record,
 *                  as they were before its first instruction ran
 *     flags bit 1  rep once: a REP-prefixed string instruction counts once, not once per iteration
 *                  (QEMU, like the SDM's "instructions retired", counts every iteration)
 *     flags bit 2  per instruction: one record per instruction, with its size
 *     flags bit 3  EFLAGS's arithmetic bits (CF PF AF ZF SF OF) are not valid: QEMU computes
 *                  them lazily and its plugin API reads EFLAGS as last materialised
 *   records, per run (bit 2 clear): u32 linear address, [registers], LEB128 count: `count`
 *     instructions executed one after another, each falling through into the next (a run ends
 *     wherever control goes anywhere else, so two CPUs that execute the same instructions write
 *     the same runs, whatever their block boundaries)
 *   records, per instruction (bit 2 set): u32 linear address, u8 size, [registers]
 *
 * Linear addresses are CS base + EIP. An instruction that faults counts (it started); an
 * interrupt or exception ends the run before the handler's first instruction.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export const TRACE_MAGIC = 'MCTRACE1';
export const FLAG_REGS = 1;
export const FLAG_REP_ONCE = 2;
export const FLAG_PER_INSN = 4;
export const FLAG_NO_ARITH_FLAGS = 8;
/** CF PF AF ZF SF OF */
export const ARITH_FLAGS = 0x8d5;
export const TRACE_REGS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eflags'] as const;

export interface TraceHeader {
  readonly regs: boolean;
  readonly repOnce: boolean;
  readonly perInsn: boolean;
  /** EFLAGS's arithmetic bits are not valid (QEMU's plugin API). */
  readonly noArithFlags?: boolean;
}

/** One record: a run of `count` instructions from `pc`, or (per instruction) one of `size` bytes. */
export interface TraceRecord {
  readonly pc: number;
  readonly count: number;
  readonly size?: number;
  /** eax ecx edx ebx esp ebp esi edi eflags before the record's first instruction. */
  readonly regs?: readonly number[];
}

export class TraceFormatError extends Error {}

export function readHeader(bytes: Uint8Array): TraceHeader {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== TRACE_MAGIC) {
    throw new TraceFormatError(`not a machc trace (no ${TRACE_MAGIC} header)`);
  }
  const flags = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  return { regs: (flags & FLAG_REGS) !== 0, repOnce: (flags & FLAG_REP_ONCE) !== 0, perInsn: (flags & FLAG_PER_INSN) !== 0, noArithFlags: (flags & FLAG_NO_ARITH_FLAGS) !== 0 };
}

/** The records of a trace, in order. A record cut short at the end (a killed writer) ends it. */
export function* readTrace(bytes: Uint8Array): Generator<TraceRecord> {
  const h = readHeader(bytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 16;
  const regsBytes = h.regs ? 36 : 0;
  while (p + 4 <= bytes.length) {
    const pc = v.getUint32(p, true);
    let q = p + 4;
    let size: number | undefined;
    if (h.perInsn) {
      if (q + 1 > bytes.length) return;
      size = bytes[q++]!;
    }
    if (q + regsBytes > bytes.length) return;
    const regs = h.regs ? Array.from({ length: 9 }, (_, i) => v.getUint32(q + 4 * i, true)) : undefined;
    q += regsBytes;
    let count = 1;
    if (!h.perInsn) {
      count = 0;
      let shift = 0;
      for (;;) {
        if (q >= bytes.length) return;
        const b = bytes[q++]!;
        count += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
    }
    p = q;
    yield { pc, count, ...(size !== undefined ? { size } : {}), ...(regs ? { regs } : {}) };
  }
}

/**
 * Writes a trace from per-instruction calls, as the QEMU plugin does: `instruction(pc, size)`
 * before each instruction executes (faulting ones included), registers read only when a record
 * starts. For machc's CPU's trace plugin.
 */
export class TraceWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(1 << 20);
  private len = 0;
  private expectNext = -1;
  private runLen = 0;
  private lastPc = -1;
  private lastWasRep = false;

  constructor(
    path: string,
    readonly header: TraceHeader,
  ) {
    this.fd = openSync(path, 'w');
    this.bytes(Buffer.from(TRACE_MAGIC, 'latin1'));
    this.u32((header.regs ? FLAG_REGS : 0) | (header.repOnce ? FLAG_REP_ONCE : 0) | (header.perInsn ? FLAG_PER_INSN : 0) | (header.noArithFlags ? FLAG_NO_ARITH_FLAGS : 0));
    this.u32(0);
  }

  /**
   * One instruction about to execute. `repString`: a REP-prefixed string instruction (with rep
   * once, its further iterations are not counted). `regs` is called only when needed.
   */
  instruction(pc: number, size: number, regs?: () => readonly number[], repString = false): void {
    if (this.header.repOnce && repString && this.lastWasRep && pc === this.lastPc) return;
    this.lastPc = pc;
    this.lastWasRep = repString;
    if (this.header.perInsn) {
      this.u32(pc);
      this.byte(size);
      if (this.header.regs) this.regs(regs);
      return;
    }
    if (pc !== this.expectNext) {
      this.flushRun();
      this.u32(pc);
      if (this.header.regs) this.regs(regs);
    }
    this.runLen++;
    this.expectNext = (pc + size) >>> 0;
  }

  close(): void {
    this.flushRun();
    this.flush();
    closeSync(this.fd);
  }

  private regs(read: (() => readonly number[]) | undefined): void {
    const r = read?.() ?? [];
    for (let i = 0; i < 9; i++) this.u32(r[i] ?? 0);
  }

  private flushRun(): void {
    if (this.header.perInsn || this.runLen === 0) return;
    let n = this.runLen;
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      this.byte(b);
    } while (n);
    this.runLen = 0;
  }

  private byte(b: number): void {
    if (this.len === this.buf.length) this.flush();
    this.buf[this.len++] = b;
  }

  private u32(v: number): void {
    for (let i = 0; i < 4; i++) this.byte((v >>> (8 * i)) & 0xff);
  }

  private bytes(b: Uint8Array): void {
    for (const x of b) this.byte(x);
  }

  private flush(): void {
    if (this.len) writeSync(this.fd, this.buf, 0, this.len);
    this.len = 0;
  }
}
