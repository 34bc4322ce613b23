/**
 * Tier 2's bookkeeping over the AST it emits: which identifiers a body names
 * and assigns (visitIds), and the prologue it derives from that, which loads
 * only the register and flag locals the block's code uses.
 */
import { describe, expect, it } from 'vitest';
import { assign, bin, call, comment, cond, i32, id, ifs, index, intId, letv, lit, mapCalls, method, num, printExpr, printStmts, prop, set, seq, stmt, visitIds, type Stmt } from '../../runtime/cpu/ast.js';
import { decode, Insn } from '../../runtime/cpu/decode.js';
import { HF } from '../../runtime/cpu/gen.js';
import { CC } from '../../runtime/cpu/flags.js';
import { compileBlock, handlerFor, handlerStats, setHandlers } from '../../runtime/cpu/tiers.js';
import { blockCpu, decodeAll } from './cpu-blocks.js';

describe('mapCalls and the printer', () => {
  it('replaces each call, innermost first, wherever it stands, and keeps the rest', () => {
    const body: Stmt[] = [
      letv('t0', call('f', method('cpu', 'rd8', id('a')))),
      ifs(bin('<', id('x'), num(1)), [stmt(method('cpu', 'wr8', id('a'), num(0)))], [set(id('y'), num(2))]),
    ];
    const out = mapCalls(body, (c) => (c.f.k === 'prop' ? seq(assign(id('tq'), c), id('tq')) : undefined));
    expect(printStmts(out)).toBe('let t0 = f((tq = cpu.rd8(a), tq));\nif ((x < 1)) {\n  (tq = cpu.wr8(a, 0), tq);\n} else {\n  y = 2;\n}\n');
    // The original is left as it was.
    expect(printStmts(body)).toBe('let t0 = f(cpu.rd8(a));\nif ((x < 1)) {\n  cpu.wr8(a, 0);\n} else {\n  y = 2;\n}\n');
  });

  it('shares what it does not change with the original, down to the statement list where no call is replaced', () => {
    const kept = ifs(id('x'), [set(id('y'), bin('+', id('y'), num(1)))]);
    const hit = letv('t0', bin('+', num(1), call('g', id('a'))));
    const body: Stmt[] = [kept, hit];
    const out = mapCalls(body, (c) => (c.f.k === 'id' && c.f.name === 'g' ? call('h') : undefined));
    expect(out[0]).toBe(kept);
    expect(out[1]).not.toBe(hit);
    expect(printStmts(out)).toBe('if (x) {\n  y = (y + 1);\n}\nlet t0 = (1 + h());\n');
    expect(mapCalls(body, () => undefined)).toBe(body);
  });

  it('prints the literals true, false and undefined, which are not names the walk reports', () => {
    const body: Stmt[] = [set(prop('cpu', 'inhibitIrq'), lit(true)), stmt(bin('===', id('q'), lit(undefined))), stmt(lit(false))];
    expect(printStmts(body)).toBe('cpu.inhibitIrq = true;\n(q === undefined);\nfalse;\n');
    const seen: string[] = [];
    visitIds(body, (name) => seen.push(name));
    expect(seen).toEqual(['cpu', 'q']);
    // As names they would be walked as names: the printer refuses them.
    for (const name of ['true', 'false', 'undefined']) expect(() => printExpr(id(name))).toThrow(/a literal: lit\(\)/);
  });

  it('prints an assignment an operator takes in parentheses (JavaScript takes none bare there)', () => {
    const e = bin('&&', prop('cpu', 'pendingCheck'), assign(id('lim'), num(-1)));
    expect(printExpr(e)).toBe('(cpu.pendingCheck && (lim = (-1)))');
    expect(new Function('cpu', 'let lim = 5; ' + printExpr(e) + '; return lim;')({ pendingCheck: true })).toBe(-1);
  });
});

describe('visitIds', () => {
  it('names every identifier once per use, marks assignment targets, and skips property names, declarations and comments', () => {
    const body: Stmt[] = [
      letv('t0', index('R', num(3))),
      comment('r7 ccSrc'),
      set(id('r0'), method('cpu', 'rd32', id('t0'))),
      ifs(id('ccOp'), [stmt(assign(prop('cpu', 'ccDst'), id('r1')))], [set(id('ccSrc'), num(1))]),
    ];
    const seen: string[] = [];
    visitIds(body, (name, assigned) => seen.push(`${name}${assigned ? '=' : ''}`));
    expect(seen).toEqual(['R', 'r0=', 'cpu', 't0', 'ccOp', 'cpu', 'r1', 'ccSrc=']);
  });

  it('walks into a group, which the printer prints in place', () => {
    const body: Stmt[] = [{ k: 'group', body: [set(id('r0'), id('a')), stmt(id('b'))] }, set(id('r1'), num(2))];
    const seen: string[] = [];
    visitIds(body, (name, assigned) => seen.push(`${name}${assigned ? '=' : ''}`));
    expect(seen).toEqual(['r0=', 'a', 'b', 'r1=']);
    expect(printStmts(body, '  ')).toBe('  r0 = a;\n  b;\n  r1 = 2;\n');
  });
});

describe('i32', () => {
  it('leaves alone what is an int32 already (bit operators, int32 names, loads from the int32 arrays) and coerces the rest', () => {
    const print = (e: Parameters<typeof i32>[0]) => printStmts([stmt(i32(e))], '');
    expect(print(bin('+', id('a'), num(1)))).toBe('((a + 1) | 0);\n');
    expect(print(id('a'))).toBe('(a | 0);\n');
    expect(print(intId('r3'))).toBe('r3;\n');
    expect(print(bin('&', id('a'), num(0xff)))).toBe('(a & 255);\n');
    expect(print(index('M8', id('a')))).toBe('M8[a];\n');
    expect(print(index('SB', num(3)))).toBe('(SB[3] | 0);\n');
    expect(print(cond(id('c'), intId('r1'), index('R', num(2))))).toBe('(c ? r1 : R[2]);\n');
    expect(print(cond(id('c'), intId('r1'), id('x')))).toBe('((c ? r1 : x) | 0);\n');
    expect(print(num(-0))).toBe('0;\n');
    expect(print(num(2 ** 31))).toBe('(-2147483648);\n');
  });

  it('a 32-bit block writes a sum to its register local once, without a second coercion', () => {
    // add eax, ebx ; jmp $+0
    const c = compileBlock(decodeAll([0x01, 0xd8, 0xeb, 0xfe], 32), HF.PE | HF.CS32 | HF.SS32, 'b');
    expect(c.source).toMatch(/const (v\d+) = \(\(r0 \+ v\d+\) \| 0\);\s*r0 = \1;/);
  });
});

describe('tier 2 prologue', () => {
  it('loads only the registers and flag fields a 32-bit block names', () => {
    // add eax, ebx ; jmp $+0
    const c = compileBlock(decodeAll([0x01, 0xd8, 0xeb, 0xfe], 32), HF.PE | HF.CS32 | HF.SS32, 'b');
    const lets = [...c.source.matchAll(/let (\w+) = /g)].map((m) => m[1]);
    expect(lets).toContain('r0');
    expect(lets).toContain('r3');
    for (const r of ['r1', 'r2', 'r4', 'r5', 'r6', 'r7']) expect(lets).not.toContain(r);
    // ADD writes the lazy flags: they are locals written back on exit, to the CPU's slots of them
    // (an Int32Array: a field the code loaded would be boxed at every load until V8 optimizes).
    expect(c.source).toMatch(/const CC = cpu\.cc;/);
    expect(c.source).toMatch(/CC\[1\] = ccDst/);
    expect(c.source).not.toMatch(/cpu\.cc(Op|Dst|Src)/);
  });

  it('loads the high halves of the 64-bit registers a long-mode block names, and no others', () => {
    // add rax, rbx ; jmp $+0
    const c = compileBlock(decodeAll([0x48, 0x01, 0xd8, 0xeb, 0xfe], 64), HF.PE | HF.LMA | HF.CS64, 'b');
    const lets = [...c.source.matchAll(/let (\w+) = /g)].map((m) => m[1]);
    expect(lets.filter((n) => /^[rh]\d+$/.test(n ?? '')).sort()).toEqual(['h0', 'h3', 'r0', 'r3']);
  });
});

/** What condition `cc` (0-15) says after `cmp a, b` at `bits`, from the operands themselves. */
function expected(cc: number, a: number, b: number, bits: number): boolean {
  const m = 2 ** bits;
  const ua = ((a % m) + m) % m;
  const ub = ((b % m) + m) % m;
  const sa = ua >= m / 2 ? ua - m : ua;
  const sb = ub >= m / 2 ? ub - m : ub;
  const d = (((ua - ub) % m) + m) % m;
  const sd = d >= m / 2 ? d - m : d;
  const of = sa - sb !== sd;
  const pf = [...Array(8).keys()].filter((i) => (d >> i) & 1).length % 2 === 0;
  const r = [of, ua < ub, ua === ub, ua <= ub, sd < 0, pf, sa < sb, sa <= sb][cc >> 1]!;
  return cc & 1 ? !r : r;
}

describe('conditions after a compare, compiled', () => {
  it('CMP then SETcc in one block, for all 16 conditions at 8, 16 and 32 bits, on edge values: what the operands say', () => {
    const values = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x1234_5678, 0xedcb_a987];
    for (const [bits, cmp] of [[8, [0x38, 0xd8]], [16, [0x66, 0x39, 0xd8]], [32, [0x39, 0xd8]]] as const) {
      for (let cc = 0; cc < 16; cc++) {
        // cmp al/ax/eax, bl/bx/ebx ; setcc cl ; jmp $
        const block = compileBlock(decodeAll([...cmp, 0x0f, 0x90 + cc, 0xc1, 0xeb, 0xfe], 32), HF.PE | HF.CS32 | HF.SS32, 'b');
        for (const a of values) {
          for (const b of values) {
            const cpu = { r: new Int32Array(16), rh: new Int32Array(16), cc: new Int32Array(6), icRel: 0, runLim: 1e9, pendingCheck: false, eip: 0 };
            cpu.r[0] = a;
            cpu.r[3] = b;
            cpu.r[1] = 0x5555_5555;
            block.fn(cpu);
            expect(cpu.r[1]! & 0xff, `cmp ${bits} ${a.toString(16)}, ${b.toString(16)}; set ${cc}`).toBe(expected(cc, a, b, bits) ? 1 : 0);
          }
        }
      }
    }
  });
});

describe('conditions after 64-bit compares', () => {
  it('a jump on B, BE, L, LE or their negations after CMP or TEST of 64-bit registers tests the lazy state inline, not through testCond', () => {
    const hf = HF.PE | HF.LMA | HF.CS64;
    for (const jcc of [0x72, 0x73, 0x76, 0x77, 0x7c, 0x7d, 0x7e, 0x7f]) {
      // cmp rax, rbx ; jcc $+0 / test rax, rax ; jcc $+0
      for (const op of [[0x48, 0x39, 0xd8], [0x48, 0x85, 0xc0]]) {
        const c = compileBlock(decodeAll([...op, jcc, 0xfe], 64), hf, 'b');
        expect(c.source, `${op} ${jcc.toString(16)}`).not.toMatch(/testCond/);
      }
    }
    // (Overflow and parity still materialise the flags.)
    expect(compileBlock(decodeAll([0x48, 0x39, 0xd8, 0x70, 0xfe], 64), hf, 'b').source).toMatch(/testCond/);
  });
});

describe('a compiled function taking in the blocks its exits reach', () => {
  /** Decodes `bytes` placed at linear address `base`. */
  const decodeAt = (bytes: number[], base: number): Insn[] => {
    const out: Insn[] = [];
    for (let eip = base; eip < base + bytes.length; ) {
      const i = new Insn();
      expect(decode(i, (o) => bytes[o - base] ?? -1, eip, 32)).toBe(true);
      out.push(i);
      eip += i.len;
    }
    return out;
  };
  /** Block k of a chain at (k + 1) x 0x1000: four `add eax, ebx`, then `jmp` to block k + 1. */
  const member = (k: number) => {
    const base = 0x1000 * (k + 1);
    const body = [0x01, 0xd8, 0x01, 0xd8, 0x01, 0xd8, 0x01, 0xd8];
    const rel = (base + 0x1000 - (base + body.length + 5)) >>> 0;
    body.push(0xe9, rel & 255, (rel >>> 8) & 255, (rel >>> 16) & 255, rel >>> 24);
    return { insns: decodeAt(body, base) };
  };
  const compileChain = (blocks: number) => {
    const head = member(0);
    const into = (eip: number) => (eip % 0x1000 === 0 && eip / 0x1000 <= blocks ? member(eip / 0x1000 - 1) : undefined);
    return compileBlock(head.insns, HF.PE | HF.CS32 | HF.SS32, 'b', undefined, head, into);
  };

  it('takes in a short chain whole; of a long one, what fits, leaving to the block after it', () => {
    expect(compileChain(6).region.length).toBe(6);
    const long = compileChain(40);
    expect(long.region.length).toBeGreaterThan(1);
    expect(long.region.length).toBeLessThan(32);
    expect(long.targets).toContain(0x1000 * (long.region.length + 1));
  });

  // 0x1000: mov ds, ecx (a block of its own: a state call, which the locals go to the CPU before
  // and are read back after) / 0x1002: jmp 0x2000 / 0x2000: add eax, ebx ; jmp 0x1000.
  const loopHf = HF.PE | HF.CS32 | HF.SS32;
  const loopA = { insns: decodeAt([0x8e, 0xd9], 0x1000) };
  const loopJ = { insns: decodeAt([0xe9, ...le32(0x2000 - 0x1007)], 0x1002) };
  const loopB = { insns: decodeAt([0x01, 0xd8, 0xe9, ...le32(0x1000 - 0x2007)], 0x2000) };
  const loopBlocks = new Map([[0x1000, loopA], [0x1002, loopJ], [0x2000, loopB]]);
  const compileLoop = () => compileBlock(loopA.insns, loopHf, 'b', undefined, loopA, (eip) => loopBlocks.get(eip));
  /**
   * A CPU for that loop (eax 10, ebx 3) whose segment load records EAX and, at its `raiseAt`-th
   * call, raises an event (sets `pendingCheck`), as a device would.
   */
  const loopCpu = (runLim: number, raiseAt = 0, pendingAtEntry = false) => {
    const seen: number[] = [];
    const cpu = {
      r: Int32Array.from([10, 0, 0, 3, 0, 0, 0, 0]),
      rh: new Int32Array(16),
      cc: new Int32Array(6),
      seg: new Int32Array(8),
      icRel: 0,
      runLim,
      pendingCheck: pendingAtEntry,
      eip: 0,
      hflags: loopHf,
      loadSegment(this: { r: Int32Array; pendingCheck: boolean }) {
        seen.push(this.r[0]!);
        if (seen.length === raiseAt) this.pendingCheck = true;
      },
    };
    return { cpu, seen };
  };

  it('round a loop, a state call hands over registers the loop writes after it (the write-backs are completed once the function is whole)', () => {
    const c = compileLoop();
    expect(c.region).toEqual([loopA, loopJ, loopB]);
    const { cpu, seen } = loopCpu(9);
    c.fn(cpu);
    // Each state call sees the sum so far. Two rounds of four instructions and the third MOV fit
    // the budget of 9; the JMP after it does not: the function leaves for 0x1002.
    expect(seen).toEqual([10, 13, 16]);
    expect(cpu.r[0]).toBe(16);
    expect(cpu.icRel).toBe(9);
    expect(cpu.eip).toBe(0x1002);
  });

  describe('something pending leaves the function at the next member, as between blocks', () => {
    it('an event a call raises inside a loop ends the run after the member that made the call', () => {
      const { cpu, seen } = loopCpu(1_000, 2);
      expect(compileLoop().fn(cpu)).toBeGreaterThanOrEqual(0);
      // Round one (4 instructions), then the segment load of round two raises: the function
      // leaves for the JMP at 0x1002 with 5 instructions retired, not at the run's budget.
      expect(seen).toEqual([10, 13]);
      expect(cpu.r[0]).toBe(13);
      expect(cpu.icRel).toBe(5);
      expect(cpu.eip).toBe(0x1002);
    });

    it('an event pending at entry ends it after the first member', () => {
      const { cpu, seen } = loopCpu(1_000, 0, true);
      compileLoop().fn(cpu);
      expect(seen).toEqual([10]);
      expect(cpu.icRel).toBe(1);
      expect(cpu.eip).toBe(0x1002);
    });

    it('a call into the CPU is followed by a look at pendingCheck; the checks between members read only the budget', () => {
      const src = compileLoop().source;
      expect(src).toMatch(/tq = cpu\.loadSegment\(/);
      expect(src).toMatch(/\(cpu\.pendingCheck === true\) && \(lim = /);
      // pendingCheck is read in the prologue and after each call into the CPU, nowhere else: the
      // member checks themselves read only the budget.
      const calls = src.match(/tq = cpu\.[A-Za-z]+\(/g)!.length;
      const watches = src.match(/\(cpu\.pendingCheck === true\) && \(lim = /g)!.length;
      expect(watches).toBe(calls);
      expect(src.match(/pendingCheck/g)!.length).toBe(watches + 1);
      expect(src).toMatch(/let lim = \(\(cpu\.pendingCheck === true\) \?/);
    });
  });
});

/** A number's 4 bytes, little-endian. */
function le32(v: number): number[] {
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
}

describe('tier 1: one handler for the opcodes of a +cc or +r row', () => {
  const HF32 = HF.PE | HF.CS32 | HF.SS32;
  const HF64 = HF.PE | HF.LMA | HF.CS64;
  /** Runs `insns` one by one through their tier-1 handlers. */
  function interpret(insns: Insn[], hf: number, cpu: ReturnType<typeof blockCpu>): void {
    for (const i of insns) handlerFor(i, hf)(cpu, i);
  }

  it('SETcc, CMOVcc and Jcc test the condition the instruction names, through one handler per row, at 32 and 64 bits', () => {
    const values = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x1234_5678];
    for (const [mode, hf, rex] of [[32, HF32, []], [64, HF64, [0x48]]] as const) {
      const handlers = { set: new Set<unknown>(), cmov: new Set<unknown>(), jcc: new Set<unknown>() };
      for (let cc = 0; cc < 16; cc++) {
        // cmp eax, ebx ; setcc cl ; cmovcc edx, esi (rex: rdx, rsi) ; jcc +0x10
        const insns = decodeAll([0x39, 0xd8, 0x0f, 0x90 + cc, 0xc1, ...rex, 0x0f, 0x40 + cc, 0xd6, 0x0f, 0x80 + cc, 0x10, 0, 0, 0], mode);
        handlers.set.add(handlerFor(insns[1]!, hf));
        handlers.cmov.add(handlerFor(insns[2]!, hf));
        handlers.jcc.add(handlerFor(insns[3]!, hf));
        for (const a of values) {
          for (const b of values) {
            const cpu = blockCpu();
            cpu.r.set([a, 0x5555_5555, 7, b, 0, 0, 9]);
            interpret(insns, hf, cpu);
            const holds = expected(cc, a, b, 32);
            const what = `${mode}-bit cmp ${a.toString(16)}, ${b.toString(16)}; cc ${cc}`;
            expect(cpu.r[1]! & 0xff, what).toBe(holds ? 1 : 0);
            expect(cpu.r[2], what).toBe(holds ? 9 : 7);
            expect(cpu.eip, what).toBe(insns[3]!.next + (holds ? 0x10 : 0));
          }
        }
      }
      expect([handlers.set.size, handlers.cmov.size, handlers.jcc.size]).toEqual([1, 1, 1]);
    }
  });

  it('MOV r, imm and BSWAP r write the register the opcode names, through one handler per row', () => {
    for (const [mode, hf] of [[32, HF32], [64, HF64]] as const) {
      const movs = new Set<unknown>();
      const swaps = new Set<unknown>();
      for (let r = 0; r < (mode === 64 ? 16 : 8); r++) {
        const rex = r >= 8 ? [0x41] : [];
        // mov r32, 0x11223344+r ; bswap r32
        const insns = decodeAll([...rex, 0xb8 + (r & 7), 0x44 + r, 0x33, 0x22, 0x11, ...rex, 0x0f, 0xc8 + (r & 7)], mode);
        movs.add(handlerFor(insns[0]!, hf));
        swaps.add(handlerFor(insns[1]!, hf));
        const cpu = blockCpu();
        interpret(insns, hf, cpu);
        for (let n = 0; n < 16; n++) expect(cpu.r[n], `${mode}-bit r${r}: r${n}`).toBe(n === r ? ((0x44 + r) << 24) | 0x332211 : 0);
      }
      expect([movs.size, swaps.size]).toEqual([1, 1]);
    }
  });

  it('the new forms of a block compile together, in one script; instructions of one form share its handler', () => {
    // 16-bit code in 32-bit mode (forms no other test makes): mov ax, 0x1234 ; mov bx, 0x10 ; sbb ax, bx ; mov cx, 0x1
    const insns = decodeAll([0x66, 0xb8, 0x34, 0x12, 0x66, 0xbb, 0x10, 0x00, 0x66, 0x19, 0xd8, 0x66, 0xb9, 0x01, 0x00], 32);
    const before = handlerStats();
    setHandlers(insns, HF32);
    expect(handlerStats()).toEqual({ forms: before.forms + 2, scripts: before.scripts + 1 });
    expect(insns.map((i) => insns.findIndex((j) => j.h === i.h))).toEqual([0, 0, 2, 0]);
    const cpu = blockCpu();
    cpu.cc.set([CC.EFLAGS, 0, 1]); // CF set
    for (const i of insns) i.h!(cpu, i);
    expect([cpu.r[0], cpu.r[3], cpu.r[1]]).toEqual([0x1234 - 0x10 - 1, 0x10, 1]);
  });
});
