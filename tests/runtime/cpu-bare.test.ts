/**
 * The CPU on the bare board against QEMU 7.2's TCG: the same firmware image
 * gives the same debug-console output and exit status, in tier 1 alone and
 * with compiled blocks.
 */
import { describe, expect, it } from 'vitest';
import { BareBoard, runBareMetal } from '../../runtime/machine/bare.js';
import { ACCESS_READ, CodeCache, Cpu } from '../../runtime/cpu/cpu.js';
import { CR0, CR4 } from '../../runtime/cpu/state.js';
import { needTools } from '../support/tools.js';
import { cImage, cImage64, flatImage, runOnQemu } from './cpu-build.js';

const tools = needTools('as', 'ld', 'gcc', 'objcopy', 'qemu-system-x86_64');

describe.runIf(tools)('bare-metal programs equal QEMU', () => {
  it('CPUID reports what QEMU 7.2 qemu64 reports, leaf by leaf', () => {
    const img = flatImage('cpuid.S');
    const q = runOnQemu(img);
    const ours = runBareMetal(img);
    expect(ours.error).toBeUndefined();
    expect(q.debugcon.length).toBe(25 * 16);
    expect(Buffer.from(ours.debugcon).toString('hex')).toBe(Buffer.from(q.debugcon).toString('hex'));
    expect(ours.exitCode).toBe(q.exitCode);
  });

  it('LOCK on a register destination raises #UD whichever form of the instruction ran first, in both tiers', () => {
    const img = flatImage('lock.S');
    const q = runOnQemu(img);
    // per round: add, #UD, #UD, add
    expect(Buffer.from(q.debugcon).toString('latin1')).toBe('AUAUABCUCUCDEUEUEF');
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(Buffer.from(q.debugcon).toString('latin1'));
    }
  });

  it('SMM: SMIs from real and protected mode save the AMD64-format map, relocate SMBASE and RSM back (tier 1 and compiled)', () => {
    const img = flatImage('smm.S');
    const q = runOnQemu(img);
    // Three SMIs: the handler prints 8 fields each, the interrupted code the incremented EAX after RSM.
    expect(q.debugcon.length).toBe(3 * 9 * 4);
    expect(Buffer.from(q.debugcon.subarray(0, 4)).readUInt32LE(0)).toBe(0x20064);
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 1 }]) {
      const ours = runBareMetal(img, opts);
      expect(ours.error).toBeUndefined();
      expect(Buffer.from(ours.debugcon).toString('hex')).toBe(Buffer.from(q.debugcon).toString('hex'));
      expect(ours.exitCode).toBe(q.exitCode);
      expect(ours.cpu.smbase).toBe(0x40000);
      expect(ours.cpu.inSmm).toBe(false);
    }
  });

  it('CPUID with several CPUs in a package (-smp): the logical CPU count, HTT and CmpLegacy as QEMU 7.2 reports them', () => {
    const img = flatImage('cpuid.S');
    const cases: [string, { dies: number; cores: number; threads: number }][] = [
      ['2', { dies: 1, cores: 2, threads: 1 }],
      ['4,sockets=2,cores=2', { dies: 1, cores: 2, threads: 1 }],
      ['8,sockets=1,cores=2,threads=4', { dies: 1, cores: 2, threads: 4 }],
      ['3,sockets=3', { dies: 1, cores: 1, threads: 1 }],
      ['6,sockets=1,cores=3,threads=2', { dies: 1, cores: 3, threads: 2 }],
      ['8,sockets=1,dies=2,cores=2,threads=2', { dies: 2, cores: 2, threads: 2 }],
      ['15,sockets=1,cores=5,threads=3', { dies: 1, cores: 5, threads: 3 }],
    ];
    for (const [smp, pkg] of cases) {
      const q = runOnQemu(img, 60_000, ['-smp', smp]);
      const ours = runBareMetal(img, { topology: { apicId: 0, ...pkg } });
      expect(Buffer.from(ours.debugcon).toString('hex'), `-smp ${smp}`).toBe(Buffer.from(q.debugcon).toString('hex'));
    }
    // Leaf 1 EBX[31:24] is the initial APIC ID of the CPU that asks.
    const ap = runBareMetal(img, { topology: { apicId: 5, dies: 1, cores: 1, threads: 1 } });
    expect(new DataView(ap.debugcon.buffer).getUint32(16 + 4, true) >>> 24).toBe(5);
  }, 120_000);

  it('gcc -m32 code (CRC32 and a sieve): same output on QEMU, tier 1 and compiled', () => {
    const img = cImage('crc-sieve.c', { ROUNDS: 1 });
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^crc=[0-9a-f]{8} primes=00014069\n$/);
    const interp = runBareMetal(img, { interpretOnly: true });
    const jit = runBareMetal(img, { jitThreshold: 2 });
    expect(Buffer.from(interp.debugcon).toString('latin1')).toBe(text);
    expect(Buffer.from(jit.debugcon).toString('latin1')).toBe(text);
    expect(interp.exitCode).toBe(q.exitCode);
    // Both tiers retire exactly the same instructions.
    expect(jit.instructions).toBe(interp.instructions);
  }, 120_000);

  it('gcc -m64 code after a switch to long mode (4-level paging, payload copied into RAM): same output', () => {
    const img = cImage64('crc-sieve.c', { ROUNDS: 1 });
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^crc=[0-9a-f]{8} primes=00014069\n$/);
    const interp = runBareMetal(img, { interpretOnly: true });
    const jit = runBareMetal(img, { jitThreshold: 2 });
    expect(interp.error).toBeUndefined();
    expect(Buffer.from(interp.debugcon).toString('latin1')).toBe(text);
    expect(Buffer.from(jit.debugcon).toString('latin1')).toBe(text);
    expect(jit.instructions).toBe(interp.instructions);
  }, 120_000);

  it('gcc -m64 integer code (carries and 128-bit products, division, shifts, bit scans, conditions, narrow results, REP strings both ways, strings through upper-half addresses, 32-bit results of system instructions, jump tables): same hashes', () => {
    const img = cImage64('ops64.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^arith=[0-9a-f]{16}\ndiv=[0-9a-f]{16}\nshift=[0-9a-f]{16}\nbits=[0-9a-f]{16}\ncond=[0-9a-f]{16}\nnarrow=[0-9a-f]{16}\nstring=[0-9a-f]{16}\nhigh=[0-9a-f]{16}\nsys=[0-9a-f]{16}\ncalls=[0-9a-f]{16}\n$/);
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
    }
  }, 120_000);

  it('long mode privilege changes: a TSS above 4 GiB (16-byte descriptor), IRETQ to CPL 3, INT3 and a user page fault on RSP0 and IST stacks: same output', () => {
    const img = cImage64('user64.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^tr=0000000000000028\nint3 rsp=ffff888000601fd8 rip=[0-9a-f]{16} cs=000000000000001b ss=0000000000000023\npf rsp=ffff888000602fc0 err=0000000000000004 rip=[0-9a-f]{16} cs=000000000000001b\n$/);
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 1 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
    }
  }, 120_000);

  it('a page fault inside a compiled REP MOVSQ whose count the same block computed: the copy resumes with the iterations left (Linux copying into a copy-on-write page)', () => {
    const img = cImage64('copyfault.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toBe('faults=0000000000000028 over=0000000000000000 bad=0000000000000000\n');
    // The same program without the faults retires exactly the 11 instructions of each of the 40
    // handler runs fewer: the iterations a REP completed before its fault count as retired.
    const noFault = cImage64('copyfault.c', { FAULT: 0 });
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
      const quiet = runBareMetal(noFault, opts);
      expect(Buffer.from(quiet.debugcon).toString('latin1')).toBe('faults=0000000000000000 over=0000000000000000 bad=0000000000000000\n');
      expect(r.instructions - quiet.instructions).toBe(40 * 11);
    }
  }, 120_000);

  it('self-modifying and copied code (patched hot blocks, a block rewriting itself, REP MOVS over code): same output', () => {
    const img = cImage('smc.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^a=[0-9a-f]{8} b=[0-9a-f]{8} c=[0-9a-f]{8},[0-9a-f]{8} d=[0-9a-f]{8}\n$/);
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2 }, { jitThreshold: 50 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
    }
  }, 120_000);

  it('SSE2 (integer lanes, shuffles, packs, shifts, byte scans, scalar doubles): same output', () => {
    const img = cImage64('sse.c', {}, true);
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^int=[0-9a-f]{16}\nshuf=[0-9a-f]{16}\nscan=0000000000000bb9 [0-9a-f]{16}\nfp=[0-9a-f]{16} [0-9a-f]{16}\nx87=[0-9a-f]{16}\n$/);
    const interp = runBareMetal(img, { interpretOnly: true });
    expect(interp.error).toBeUndefined();
    expect(Buffer.from(interp.debugcon).toString('latin1')).toBe(text);
    const jit = runBareMetal(img, { jitThreshold: 2 });
    expect(Buffer.from(jit.debugcon).toString('latin1')).toBe(text);
  }, 120_000);
});

describe('PAUSE', () => {
  /** A 64 KiB image whose reset vector runs `prefix 90` then jumps back to it, forever. */
  const spin = (prefix: number[]) => {
    const img = new Uint8Array(0x1_0000);
    img.set([...prefix, 0x90, 0xeb, 0xfd - prefix.length], 0xfff0);
    return new BareBoard(img);
  };

  it('F3 90 ends the CPU turn after it (QEMU leaves its CPU loop to let another CPU run), in both tiers', () => {
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2 }]) {
      const board = new BareBoard(spin([0xf3]).rom, opts);
      const cpu = board.cpu;
      expect(cpu.run(1000)).toBe('budget');
      expect(cpu.icount).toBe(1);
      for (let i = 0; i < 10; i++) cpu.run(1000);
      // Each later turn: the jump back, then PAUSE.
      expect(cpu.icount).toBe(21);
      expect(cpu.eip).toBe(0xfff2);
    }
  });

  it('90 and F2 90 are NOPs that do not end the turn', () => {
    for (const prefix of [[], [0xf2]]) {
      const cpu = spin(prefix).cpu;
      cpu.run(1000);
      expect(cpu.icount).toBeGreaterThanOrEqual(1000);
    }
  });
});

describe('code shared by the CPUs of a machine', () => {
  /**
   * Two CPUs on one board. Both reset into a ROM that jumps to 0000:1000 in
   * RAM, where `mov al, 1; hlt` is. CPU A runs it until it is compiled; CPU B
   * then rewrites the immediate with its own store (`mov byte [0x1001], 2`,
   * an ordinary CPU write, not DMA); CPU A must run the new code.
   */
  const board = (shared: boolean) => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
    const b = new BareBoard(rom, { jitThreshold: 1 });
    b.ram.bank(0).u8.set([0xb0, 0x01, 0xf4], 0x1000); // mov al, 1; hlt
    b.ram.bank(0).u8.set([0xc6, 0x06, 0x01, 0x10, 0x02, 0xf4], 0x2000); // mov byte [0x1001], 2; hlt
    const cache = shared ? new CodeCache() : undefined;
    const a = new Cpu({ platform: b, jitThreshold: 1, codeCache: cache });
    const w = new Cpu({ platform: b, jitThreshold: 1, codeCache: cache });
    return { a, w };
  };
  /** Runs `cpu` from 0000:`ip` (after its reset jump) to its HLT. */
  const runAt = (cpu: Cpu, ip: number) => {
    cpu.halted = false;
    cpu.eip = ip;
    cpu.pendingCheck = true;
    expect(cpu.run(100)).toBe('halt');
  };

  it('a block one CPU compiled is dropped when another CPU writes its bytes', () => {
    const { a, w } = board(true);
    a.run(100); // reset vector, far jump, the code, HLT
    for (let n = 0; n < 5; n++) runAt(a, 0x1000);
    expect(a.r[0]! & 0xff).toBe(1);
    w.run(100);
    runAt(w, 0x2000);
    runAt(a, 0x1000);
    expect(a.r[0]! & 0xff).toBe(2);
  });

  it('(the same CPUs with caches of their own would run the stale block: what the shared cache prevents)', () => {
    const { a, w } = board(false);
    a.run(100);
    for (let n = 0; n < 5; n++) runAt(a, 0x1000);
    w.run(100);
    runAt(w, 0x2000);
    runAt(a, 0x1000);
    expect(a.r[0]! & 0xff).toBe(1);
  });
});

describe('INVLPG on a large page', () => {
  /** A board whose CPU maps linear 0x400000 as one large page (the TLB then holds a 4 KiB entry per page touched). */
  const mapped = (pae: boolean) => {
    const rom = new Uint8Array(0x1_0000);
    const board = new BareBoard(rom);
    const cpu = board.cpu;
    const mem = new DataView(board.ram.bank(0).buffer);
    if (pae) {
      // PDPT at 0x10000, its first entry the page directory at 0x11000, whose entry 2 maps 0x400000 as a 2 MiB page.
      mem.setUint32(0x10000, 0x11001, true);
      mem.setUint32(0x11000 + 2 * 8, 0x400083, true);
      cpu.cr4 |= CR4.PAE;
    } else {
      // The page directory at 0x10000: entry 1 maps 0x400000 as a 4 MiB page.
      mem.setUint32(0x10000 + 4, 0x400083, true);
      cpu.cr4 |= CR4.PSE;
    }
    // A 4 KiB page elsewhere: linear 0x1000000 (directory entry 8 or 4) through a page table at 0x12000.
    const pde = pae ? 0x11000 + 8 * 8 : 0x10000 + 4 * 4;
    mem.setUint32(pde, 0x12003, true);
    mem.setUint32(0x12000, 0x200003, true);
    cpu.cr3 = 0x10000;
    cpu.cr0 |= CR0.PE | CR0.PG;
    return { cpu, small: 0x100_0000, lastOfLarge: pae ? 0x5f_f000 : 0x7f_f000 };
  };

  for (const pae of [true, false]) {
    it(`drops every page of a ${pae ? '2 MiB (PAE)' : '4 MiB (PSE)'} page, and only those`, () => {
      const { cpu, small, lastOfLarge } = mapped(pae);
      for (const la of [0x40_0000, 0x40_1000, lastOfLarge, small]) expect(cpu.translate(la, ACCESS_READ, false, 0)).toBe(la === small ? 0x20_0000 : la);
      const entry = (la: number) => cpu.tlbR[la >>> 12];
      expect([entry(0x40_0000), entry(lastOfLarge), entry(small)].every((e) => e !== 0)).toBe(true);
      // The kernel changes the large mapping and invalidates it with one INVLPG at its start.
      cpu.flushPage(0x40_0000);
      expect([entry(0x40_0000), entry(0x40_1000), entry(lastOfLarge)]).toEqual([0, 0, 0]);
      expect(entry(small)).not.toBe(0);
      // An INVLPG inside the large page drops it too.
      cpu.translate(lastOfLarge, ACCESS_READ, false, 0);
      cpu.flushPage(0x40_3000);
      expect(entry(lastOfLarge)).toBe(0);
    });
  }
});
