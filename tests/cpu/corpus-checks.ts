/**
 * Known answers for the corpus programs, checked on QEMU's records: a few values the Intel SDM
 * fixes, and that programs which run the same tables in two modes get the same results in
 * both. They prove the programs exercise what they say; the differential comparison with
 * machc's CPU covers everything else.
 */
import { expect } from 'vitest';
import type { HarnessRecord } from './lib/records.js';

export const EXIT_DONE = 0x10;

type Rec<K extends HarnessRecord['kind']> = Extract<HarnessRecord, { kind: K }>;

const of = <K extends HarnessRecord['kind']>(recs: readonly HarnessRecord[], kind: K): Rec<K>[] => recs.filter((r): r is Rec<K> => r.kind === kind);
const snapshot = (recs: readonly HarnessRecord[], id: number): Rec<'snapshot'> => {
  const s = of(recs, 'snapshot').find((r) => r.id === id);
  if (!s) throw new Error(`no snapshot ${id}`);
  return s;
};

const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
const ARITH = CF | PF | AF | ZF | SF | OF;

/** Results of the first and second half of a program that runs one table in two modes. */
function halves(recs: readonly HarnessRecord[]): [Rec<'result'>[], Rec<'result'>[]] {
  const r = of(recs, 'result');
  expect(r.length % 2).toBe(0);
  return [r.slice(0, r.length / 2), r.slice(r.length / 2)];
}

/** The two modes agree on every value, flag and (apart from numbering) every record. */
function sameInBothModes(recs: readonly HarnessRecord[]): void {
  const [a, b] = halves(recs);
  const strip = (x: Rec<'result'>): [number, number, number] => [x.eax, x.edx, x.eflags];
  expect(b.map(strip)).toEqual(a.map(strip));
  const e = of(recs, 'exception');
  expect(e.length % 2).toBe(0);
}

/** The result with this EDX (the loop indices) among those numbered `id`. */
function result(recs: readonly HarnessRecord[], id: number, edx: number): Rec<'result'> {
  const r = of(recs, 'result').find((x) => x.id === id && x.edx === edx);
  if (!r) throw new Error(`no result ${id} with edx ${edx.toString(16)}`);
  return r;
}

export const CORPUS_CHECKS: Record<string, (recs: readonly HarnessRecord[]) => void> = {
  smoke(recs) {
    const s1 = snapshot(recs, 1);
    expect(s1.regs).toEqual({ eax: 0x11111111, ecx: 0x22222222, edx: 0x33333333, ebx: 0x44444444, esp: 0x8000, ebp: 0x55555555, esi: 0x66666666, edi: 0x77777777 });
    expect(s1.segs.cs).toBe(0xf000);
    expect(s1.crs.cr0 & 1).toBe(0);
    const [de16, de32] = of(recs, 'exception');
    expect(de16!.vector).toBe(0);
    expect(de16!.mode).toBe(16);
    // real-mode frame: IP of the div, CS, FLAGS (words)
    expect(de16!.stack[0]! >>> 16).toBe(0xf000);
    expect(de16!.regs.ecx).toBe(0x22220000);
    const s2 = snapshot(recs, 2);
    expect(s2.regs.eax).toBe(0x11111111);
    expect(s2.regs.esp).toBe(0x8000);
    const s3 = snapshot(recs, 3);
    expect([s3.segs.cs, s3.segs.ds, s3.crs.cr0 & 1]).toEqual([0x08, 0x10, 1]);
    expect(de32!.vector).toBe(0);
    expect(de32!.mode).toBe(32);
    expect(de32!.stack[1]).toBe(0x08);
    const mem = of(recs, 'memory')[0]!;
    expect([mem.address, ...mem.bytes.slice(0, 4)]).toEqual([0x10000, 0xef, 0xbe, 0xad, 0xde]);
  },
  alu16(recs) {
    // add 0x7fffffff + 1 (values 9 and 1), 32-bit, flags clear on entry
    const add = result(recs, 2, 0x0109);
    expect(add.eax).toBe(0x80000000);
    expect(add.eflags & ARITH).toBe(OF | SF | AF | PF);
    // sub 0 - 1, 8-bit
    const sub = result(recs, 8 + 0, 0x0100);
    expect(sub.eax & 0xff).toBe(0xff);
    expect(sub.eflags & ARITH).toBe(CF | SF | AF | PF);
  },
  alu32(recs) {
    CORPUS_CHECKS['alu16']!(recs);
  },
  shifts(recs) {
    sameInBothModes(recs);
    // rolb %cl, %al: 0x80 by 1 -> 0x01, CF = OF = 1
    const rol = result(recs, 0, 0x0102);
    expect([rol.eax & 0xff, rol.eflags & (CF | OF)]).toEqual([1, CF | OF]);
    // shll %cl, %eax by 32 (masked to 0): value and flags unchanged
    const shl0 = result(recs, 4 * 13 + 2, (10 << 8) | 7);
    expect([shl0.eax, shl0.eflags & ARITH]).toEqual([0x80000001, 0]);
  },
  muldiv(recs) {
    sameInBothModes(recs);
    // mull: 0xffffffff * 0xffffffff = 0xfffffffe_00000001, CF = OF = 1
    const mul = of(recs, 'result').find((x) => x.id === 2 && x.eax === 1 && x.edx === 0xfffffffe);
    expect(mul && mul.eflags & (CF | OF)).toBe(CF | OF);
    const de = of(recs, 'exception');
    expect(de.length).toBeGreaterThan(0);
    expect(de.every((e) => e.vector === 0)).toBe(true);
  },
  bits(recs) {
    sameInBothModes(recs);
    expect(of(recs, 'snapshot').map((s) => s.eflags & ZF)).toEqual([ZF, 0, ZF, 0]);
  },
  bcd(recs) {
    sameInBothModes(recs);
    // daa with AL = 0x9a, AF = CF = 0 -> AL = 0x00, CF = AF = 1
    const daa = result(recs, 0, 0x9a);
    expect([daa.eax & 0xff, daa.eflags & (CF | AF)]).toEqual([0, CF | AF]);
    const de = of(recs, 'exception');
    expect(de.map((e) => e.vector)).toEqual([0, 0]);
  },
  strings(recs) {
    // real mode, rep movsb of 3 with 16-bit addresses: SI/DI/CX count, the upper halves stay
    const s = snapshot(recs, 4);
    expect([s.regs.esi, s.regs.edi, s.regs.ecx]).toEqual([0x56780043, 0x5678004b, 0x56780000]);
    const dst = of(recs, 'memory')[4]!;
    expect([...dst.bytes.slice(0x18, 0x1b)]).toEqual([0xc1, 0xc8, 0xcf]);
  },
  io(recs) {
    expect(snapshot(recs, 0).regs.eax & 0xff).toBe(0xe9);
    expect(snapshot(recs, 2).regs.eax & 0xff).toBe(0xff);
    const raw = of(recs, 'raw').map((r) => Buffer.from(r.bytes).toString('latin1'));
    expect(raw).toEqual(['a', 'abcdefhg']);
    const [gp, int80] = of(recs, 'exception');
    expect([gp!.vector, gp!.stack[0], gp!.stack[2]]).toEqual([13, 0, 0x2b]);
    expect(int80!.vector).toBe(0x80);
  },
  exceptions(recs) {
    // (vector, error code) of the faults whose codes the SDM fixes
    const e = of(recs, 'exception');
    const pm = e.filter((x) => x.mode === 32).map((x) => [x.vector, x.stack[0]]);
    expect(pm).toContainEqual([13, 0x800]);
    expect(pm).toContainEqual([11, 0x50]);
    expect(pm).toContainEqual([12, 0x70]);
    expect(pm).toContainEqual([11, 0x70 * 8 + 2]);
    expect(pm).toContainEqual([13, 0x71 * 8 + 2]);
    expect(e.at(-1)!.vector).toBe(8);
    expect(e.at(-1)!.stack[0]).toBe(0);
    expect(e.filter((x) => x.vector === 6).length).toBeGreaterThanOrEqual(5);
  },
  paging(recs) {
    const pf = of(recs, 'exception').filter((x) => x.vector === 14);
    expect(pf.map((x) => [x.stack[0], x.crs.cr2])).toEqual([
      [0, 0x41000],
      [2, 0x41004],
      [0, 0x41010],
      [3, 0x42004],
      [2, 0x41000],
      [5, 0x43000],
      [7, 0x42008],
    ]);
    expect([snapshot(recs, 2).regs.eax, snapshot(recs, 2).regs.ebx]).toEqual([0x50505050, 0x12345678]);
    expect([snapshot(recs, 4).regs.ecx, snapshot(recs, 4).regs.edx]).toEqual([0x60606060, 0x70707070]);
    // rep movsb stopped at the page boundary: 6 bytes copied, 10 left
    expect([snapshot(recs, 3).regs.ecx, snapshot(recs, 3).regs.edi]).toEqual([10, 0x41000]);
  },
  modes(recs) {
    expect([snapshot(recs, 7).regs.eax, snapshot(recs, 7).regs.ebx]).toEqual([0x0badf00d, 0x5a5a5a5a]);
    expect(snapshot(recs, 9).crs.cr0 & 1).toBe(1);
    const a20 = snapshot(recs, 11).regs;
    expect([a20.edx, a20.esi, a20.edi]).toEqual([0x22222222, 0x22222222, 0x33333333]);
  },
  control(recs) {
    expect(snapshot(recs, 4).regs.eax & 0xffff).toBe(55);
    const back = of(recs, 'exception').find((x) => x.vector === 0x80)!;
    expect([back.regs.edi, back.regs.esi & 0xffff]).toEqual([0x7000, 0x33]);
  },
  segments(recs) {
    const probes = of(recs, 'memory').find((m) => m.address === 0x10000)!;
    const v = new DataView(probes.bytes.buffer, probes.bytes.byteOffset);
    // selector 0x08 (index 2): lar 0x00c09b00, lar and lsl succeed, verr yes, verw no (code)
    expect([v.getUint32(16, true), ...probes.bytes.slice(20, 24)]).toEqual([0x00c09b00, 1, 1, 1, 0]);
    // the null selector fails everything
    expect([...probes.bytes.slice(4, 8)]).toEqual([0, 0, 0, 0]);
  },
  misc(recs) {
    const s = snapshot(recs, 0);
    const vendor = Buffer.alloc(12);
    vendor.writeUInt32LE(s.regs.ebx, 0);
    vendor.writeUInt32LE(s.regs.edx, 4);
    vendor.writeUInt32LE(s.regs.ecx, 8);
    expect(vendor.toString('latin1')).toMatch(/^(AuthenticAMD|GenuineIntel)$/);
  },
};

/** Programs that end other than by DONE, and how QEMU reports it. */
export const CORPUS_ENDINGS: Record<string, RegExp> = {
  'triple-fault': /reset or shut down|triple fault|shutdown/i,
};
