/**
 * The CPU on the bare board against QEMU 7.2's TCG: the same firmware image
 * gives the same debug-console output and exit status, in tier 1 alone and
 * with compiled blocks.
 */
import { describe, expect, it, vi } from 'vitest';
import { BareBoard, runBareMetal } from '../../runtime/machine/bare.js';
import { ACCESS_READ, CodeCache, Cpu, RUN_MAX, type CpuOptions } from '../../runtime/cpu/cpu.js';
import { CR0, CR4, DESC, EFER } from '../../runtime/cpu/state.js';
import { CS } from '../../runtime/cpu/decode.js';
import { icountPlugin, PluginHost } from '../../runtime/cpu/plugins.js';
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
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }]) {
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
    const jit = runBareMetal(img, { jitThreshold: 2, inlineAfter: 2 });
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
    const jit = runBareMetal(img, { jitThreshold: 2, inlineAfter: 2 });
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
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
    }
  }, 120_000);

  it('long mode privilege changes: a TSS above 4 GiB (16-byte descriptor), IRETQ to CPL 3, INT3 and a user page fault on RSP0 and IST stacks, LRETQ to a segment whose DPL is not its RPL, far JMP and CALL through 16:64 pointers and through 64-bit call gates (a CALL from CPL 3 to CPL 0 too, on the stack RSP0 names), a load from a non-canonical address: same output', () => {
    const img = cImage64('user64.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^tr=0000000000000028\nint3 rsp=ffff888000601fd8 rip=[0-9a-f]{16} cs=000000000000001b ss=0000000000000023\npf rsp=ffff888000602fc0 err=0000000000000004 rip=[0-9a-f]{16} cs=000000000000001b\nlret err=0000000000000018 cs=0000000000000008\nljmp rip=ffff888000[0-9a-f]{6} lcall rip=ffff888000[0-9a-f]{6} cs=0000000000000008\ngate ljmp rip=ffff888000[0-9a-f]{6} lcall rip=ffff888000[0-9a-f]{6} cs=0000000000000008\ngate inner rsp=ffff888000601fe0 rip=[0-9a-f]{16} cs=000000000000001b rsp=[0-9a-f]{16} ss=0000000000000023 then cs=000000000000001b\nnoncanonical err=0000000000000000 cs=0000000000000008\n$/);
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
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
      const quiet = runBareMetal(noFault, opts);
      expect(Buffer.from(quiet.debugcon).toString('latin1')).toBe('faults=0000000000000000 over=0000000000000000 bad=0000000000000000\n');
      expect(r.instructions - quiet.instructions).toBe(40 * 11);
    }
  }, 120_000);

  it('self-modifying and copied code (patched hot blocks, a block rewriting itself, a compiled block rewriting itself after two instructions, REP MOVS over code): same output', () => {
    const img = cImage('smc.c');
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^a=[0-9a-f]{8} b=[0-9a-f]{8} c=[0-9a-f]{8},[0-9a-f]{8},[0-9a-f]{8} d=[0-9a-f]{8}\n$/);
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }, { jitThreshold: 50 }]) {
      const r = runBareMetal(img, opts);
      expect(r.error).toBeUndefined();
      expect(Buffer.from(r.debugcon).toString('latin1')).toBe(text);
    }
  }, 120_000);

  it('programs whose code, data, page tables and stacks lie in RAM banks beyond the first (1 MiB banks): same output, through TLB entries of those banks', () => {
    // smc.c runs (and rewrites) code copied to 1 MiB; the 64-bit programs run from 2 MiB with their
    // stack at 1.5 MiB and user64.c's TSS stacks at 6 MiB: banks 1 to 6 of a board with 1 MiB banks.
    const programs: [string, Uint8Array][] = [
      ['smc.c', cImage('smc.c')],
      ['crc-sieve.c (64-bit)', cImage64('crc-sieve.c', { ROUNDS: 1 })],
      ['ops64.c', cImage64('ops64.c')],
      ['user64.c', cImage64('user64.c')],
    ];
    for (const [name, img] of programs) {
      const q = runOnQemu(img);
      for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }]) {
        const r = runBareMetal(img, { ...opts, ramBank: 2 ** 20 });
        expect(r.error, name).toBeUndefined();
        expect(Buffer.from(r.debugcon).toString('latin1'), name).toBe(Buffer.from(q.debugcon).toString('latin1'));
        expect(r.exitCode, name).toBe(q.exitCode);
        // The program's pages are in the TLB as entries of their own banks (not left to walks).
        const banks = new Set<number>();
        for (const t of [r.cpu.tlbR, r.cpu.tlbW]) for (const e of t) if (e !== 0 && (e & 1) === 0) banks.add((e >>> 1) & 0x7ff);
        expect(banks.size, name).toBeGreaterThan(0);
        expect([...banks].every((b) => b >= 1 && b < 32), name).toBe(true);
      }
    }
  }, 240_000);

  it('SSE2 (integer lanes, shuffles, packs, shifts, byte scans, scalar doubles): same output', () => {
    const img = cImage64('sse.c', {}, true);
    const q = runOnQemu(img);
    const text = Buffer.from(q.debugcon).toString('latin1');
    expect(text).toMatch(/^int=[0-9a-f]{16}\nshuf=[0-9a-f]{16}\nscan=0000000000000bb9 [0-9a-f]{16}\nfp=[0-9a-f]{16} [0-9a-f]{16}\nx87=[0-9a-f]{16}\n$/);
    const interp = runBareMetal(img, { interpretOnly: true });
    expect(interp.error).toBeUndefined();
    expect(Buffer.from(interp.debugcon).toString('latin1')).toBe(text);
    const jit = runBareMetal(img, { jitThreshold: 2, inlineAfter: 2 });
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
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 2, inlineAfter: 2 }]) {
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

  it('a budget past 2^30 instructions ends the run there, counted exactly by compiled code (which counts in int32s)', () => {
    const cpu = new BareBoard(spin([]).rom, { jitThreshold: 2, inlineAfter: 2 }).cpu;
    expect(RUN_MAX).toBe(2 ** 30);
    expect(cpu.run(3 * RUN_MAX)).toBe('budget');
    expect(cpu.icount).toBe(RUN_MAX);
    expect(cpu.run(1001)).toBe('budget');
    expect(cpu.icount).toBe(RUN_MAX + 1001);
    // NOP at 0xfff0, JMP at 0xfff1: an odd count ends after a NOP.
    expect(cpu.eip).toBe(0xfff1);
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

  describe('blocks compiled into the function of the block that reaches them', () => {
    /**
     * Real mode at 0000:1000, a loop of two blocks (a JMP splits them):
     *   L0: inc si ; jmp L1
     *   L1: mov bl, cl ; sub bl, 50 ; mov ax, 100 ; div bl ; add di, ax ; dec cx ; jnz L0 ; hlt
     * DIV faults (#DE) when CL reaches 50, in the fourth instruction of the second block; the
     * #DE handler at 0000:3000 halts. The stack is at 0000:8000.
     */
    const loop = [0x46, 0xeb, 0x00, 0x88, 0xcb, 0x80, 0xeb, 0x32, 0xb8, 0x64, 0x00, 0xf6, 0xf3, 0x01, 0xc7, 0x49, 0x75, 0xee, 0xf4];
    const start = (opts: { interpretOnly?: boolean; jitThreshold?: number; inlineAfter?: number }) => {
      const rom = new Uint8Array(0x1_0000);
      rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
      const cache = new CodeCache();
      const b = new BareBoard(rom, { ...opts, codeCache: cache });
      const ram = b.ram.bank(0).u8;
      ram.set(loop, 0x1000);
      ram.set([0x00, 0x30, 0x00, 0x00], 0); // IVT[0] = 0000:3000
      ram.set([0xf4], 0x3000);
      return { b, ram, cpu: b.cpu, cache };
    };
    const runLoop = (cpu: Cpu, cx: number) => {
      cpu.halted = false;
      cpu.eip = 0x1000;
      cpu.r[1] = cx;
      cpu.r[4] = 0x8000;
      cpu.r[6] = 0;
      cpu.r[7] = 0;
      cpu.pendingCheck = true;
      expect(cpu.run(100_000)).toBe('halt');
    };
    const state = (cpu: Cpu, ram: Uint8Array) => ({ regs: [...cpu.r.slice(0, 8)], eip: cpu.eip, icount: cpu.icount, frame: [...ram.slice(0x7ffa, 0x8000)] });
    /** The largest number of blocks one compiled function holds. */
    const widest = (cache: CodeCache) => Math.max(0, ...[...cache.pages.values()].flatMap((p) => p.blocks.map((b) => (b.fn ? (b.region?.length ?? 0) : 0))));

    it('a fault in a block taken into another block\'s function is delivered at its instruction, with the count and registers of tier 1', () => {
      const ref = start({ interpretOnly: true });
      ref.cpu.run(100);
      runLoop(ref.cpu, 100);
      const jit = start({ jitThreshold: 2, inlineAfter: 2 });
      jit.cpu.run(100);
      runLoop(jit.cpu, 100);
      expect(widest(jit.cache)).toBe(2);
      expect(state(jit.cpu, jit.ram)).toEqual(state(ref.cpu, ref.ram));
      // #DE's frame: IP of the DIV (0x100b), CS 0; the loop ran 51 times (CL 100 down to 50).
      expect(ref.ram[0x7ffa]! | (ref.ram[0x7ffb]! << 8)).toBe(0x100b);
      expect(ref.cpu.r[6]! & 0xffff).toBe(51);
    });

    it('run in slices of 37 instructions, the count is exact and the part compiled code keeps stays below the slice', () => {
      const ref = start({ interpretOnly: true });
      ref.cpu.run(100);
      runLoop(ref.cpu, 100);
      const jit = start({ jitThreshold: 2, inlineAfter: 2 });
      const cpu = jit.cpu;
      cpu.run(100);
      cpu.halted = false;
      cpu.eip = 0x1000;
      cpu.r[1] = 100;
      cpu.r[4] = 0x8000;
      cpu.r[6] = 0;
      cpu.r[7] = 0;
      cpu.pendingCheck = true;
      let slices = 0;
      for (let last = ''; last !== 'halt'; slices++) {
        last = cpu.run(37);
        // A block runs whole once started (at most 8 instructions here): the slice's end, a little past.
        expect(cpu.icRel).toBeLessThanOrEqual(37 + 8);
      }
      expect(slices).toBeGreaterThan(10);
      expect(state(cpu, jit.ram)).toEqual(state(ref.cpu, ref.ram));
    });

    it('plugin inline counters run inside such functions and count what ran, REP iterations too; blocks with callbacks stay apart', () => {
      const programs: [string, Uint8Array][] = [
        ['crc-sieve.c', cImage('crc-sieve.c', { ROUNDS: 1 })],
        ['ops64.c', cImage64('ops64.c')],
      ];
      // (Programs that fault or rewrite running code are left out: an inline counter counts a
      // block as it starts, as QEMU's do, so a block a fault cuts short counts whole.)
      for (const [name, img] of programs) {
        for (const mode of ['inline', 'callback'] as const) {
          const cache = new CodeCache();
          const board = new BareBoard(img, { jitThreshold: 2, inlineAfter: 2, codeCache: cache, ram: 128 * 2 ** 20 });
          let out = '';
          const host = new PluginHost(false, (text) => (out += text));
          host.install(icountPlugin, { mode });
          board.cpu.plugins = host;
          const r = board.run();
          host.exit();
          expect(r.error, name).toBeUndefined();
          expect(out.trim(), `${name} ${mode}`).toBe(`icount: ${r.instructions} instructions`);
          if (mode === 'inline') expect(widest(cache), name).toBeGreaterThan(1);
          else expect(widest(cache), name).toBe(1);
        }
      }
    }, 120_000);

    it('a function taking in a loop of many branches stays small enough for V8 to optimize, and computes what tier 1 does', () => {
      // L0: 24 times "test cx, 1 << (n % 16) ; jz +1 ; inc si|di", then dec cx ; jnz L0 (rel16) ; hlt.
      // Each JZ makes a diamond, and nesting the blocks each arm reaches copies what follows it.
      const body: number[] = [];
      for (let n = 0; n < 24; n++) {
        const mask = 1 << n % 16;
        body.push(0xf7, 0xc1, mask & 0xff, mask >> 8, 0x74, 0x01, n % 2 ? 0x47 : 0x46);
      }
      body.push(0x49, 0x0f, 0x85);
      const back = -(body.length + 2);
      body.push(back & 0xff, (back >> 8) & 0xff, 0xf4);
      const run = (opts: { interpretOnly?: boolean; jitThreshold?: number; inlineAfter?: number }) => {
        const t = start(opts);
        t.ram.set(body, 0x1000);
        t.cpu.run(100);
        runLoop(t.cpu, 1000);
        return t;
      };
      const ref = run({ interpretOnly: true });
      const jit = run({ jitThreshold: 2, inlineAfter: 2 });
      expect(state(jit.cpu, jit.ram)).toEqual(state(ref.cpu, ref.ram));
      expect(widest(jit.cache)).toBeGreaterThan(2);
      // Without a bound on its size, the head's function held 160 instructions' worth of copies (185 KB).
      const sizes = [...jit.cache.pages.values()].flatMap((p) => p.blocks.map((b) => (b.fn ? String(b.fn).length : 0)));
      expect(Math.max(...sizes)).toBeLessThan(24_000);
    });

    it('a write into a block another function holds drops that function, from the CPU or from outside it', () => {
      const ref = start({ interpretOnly: true });
      const jit = start({ jitThreshold: 2, inlineAfter: 2 });
      for (const { cpu } of [ref, jit]) cpu.run(100);
      const step = (f: (t: ReturnType<typeof start>) => void) => {
        for (const t of [ref, jit]) f(t);
        expect(state(jit.cpu, jit.ram)).toEqual(state(ref.cpu, ref.ram));
      };
      step((t) => runLoop(t.cpu, 100));
      expect(widest(jit.cache)).toBe(2);
      // From outside the CPU (as DMA): SUB BL, 50 becomes SUB BL, 20 in the second block.
      step((t) => {
        t.b.ram.write(0x1007, 1, 20);
        runLoop(t.cpu, 100);
      });
      expect(jit.cpu.r[6]! & 0xffff).toBe(81);
      // A CPU store: ADD DI, AX becomes ADD DI, BX in the second block (written by code at 0000:2000).
      step((t) => {
        t.ram.set([0xc6, 0x06, 0x0e, 0x10, 0xdf, 0xf4], 0x2000); // mov byte [0x100e], 0xdf; hlt
        t.cpu.halted = false;
        t.cpu.eip = 0x2000;
        t.cpu.pendingCheck = true;
        expect(t.cpu.run(100)).toBe('halt');
        runLoop(t.cpu, 100);
      });
      expect(widest(jit.cache)).toBe(2);
    });
  });

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

    it(`drops what is kept of a ${pae ? '2 MiB' : '4 MiB'} page outside RAM (no TLB entry, a translation kept from its walk) at any of its addresses`, () => {
      const { cpu } = mapped(pae);
      const mem = new DataView((cpu.platform as BareBoard).ram.bank(0).buffer);
      const pde = pae ? 0x11000 + 2 * 8 : 0x10000 + 4;
      const big = pae ? 0x20_0000 : 0x40_0000;
      mem.setUint32(pde, 0xfe00_0083, true);
      expect(cpu.translate(0x40_1000, ACCESS_READ, false, 0)).toBe(0xfe00_1000);
      expect(cpu.tlbR[0x401]).toBe(0);
      // Moved, and not yet invalidated: the kept translation stands, as a TLB's would.
      mem.setUint32(pde, (0xfe00_0000 - big) | 0x83, true);
      expect(cpu.translate(0x40_1000, ACCESS_READ, false, 0)).toBe(0xfe00_1000);
      cpu.flushPage(0x40_0000);
      expect(cpu.translate(0x40_1000, ACCESS_READ, false, 0)).toBe(0xfe00_1000 - big);
    });
  }
});

describe('the TLB on RAM banks beyond the first', () => {
  const MiB = 2 ** 20;
  /** The bank of a TLB entry: bit 0 marks bank 0 (the inline fast path's), bits 1-11 name the others. */
  const bankOf = (e: number) => (e === 0 ? undefined : e & 1 ? 0 : (e >>> 1) & 0x7ff);

  /**
   * A bare board with 1 MiB RAM banks and 32-bit paging: the page directory at 0x10000 and a page table
   * at 0x11000 (bank 0) map linear 0x400000 onto 0x300000 (bank 3) and 0x401000 onto 0x502000 (bank 5).
   */
  const paged = () => {
    const board = new BareBoard(new Uint8Array(0x1_0000), { ram: 8 * MiB, ramBank: MiB });
    const cpu = board.cpu;
    const pte = (la: number, phys: number) => board.ram.write(0x11000 + ((la >>> 12) & 0x3ff) * 4, 4, phys | 3);
    board.ram.write(0x10000 + 1 * 4, 4, 0x11003);
    pte(0x40_0000, 0x30_0000);
    pte(0x40_1000, 0x50_2000);
    cpu.cr3 = 0x10000;
    cpu.cr0 |= CR0.PE | CR0.PG;
    return { board, cpu, pte };
  };

  it('an entry names its bank, and loads and stores of every width reach that bank, aligned or not', () => {
    const { board, cpu } = paged();
    cpu.wr32(0x40_0010, 0x1122_3344, 0);
    cpu.wr8(0x40_1ff0, 0xab, 0);
    expect(bankOf(cpu.tlbW[0x400]!)).toBe(3);
    expect(bankOf(cpu.tlbW[0x401]!)).toBe(5);
    expect(Array.from(board.ram.bank(3).u8.subarray(0x10, 0x14))).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(board.ram.bank(5).u8[0x2ff0]).toBe(0xab);
    cpu.wr16(0x40_0021, 0xbeef, 0);
    cpu.wr32(0x40_0033, 0xcafe_f00d, 0);
    cpu.wr64(0x40_0040, 0x0102_0304, 0x0506_0708, 0);
    cpu.wr64(0x40_0055, 0x1112_1314, 0x1516_1718, 0);
    const bank3 = new DataView(board.ram.bank(3).buffer);
    expect(bank3.getUint16(0x21, true)).toBe(0xbeef);
    expect(bank3.getUint32(0x33, true)).toBe(0xcafe_f00d);
    expect(bank3.getBigUint64(0x40, true)).toBe(0x0506_0708_0102_0304n);
    expect(bank3.getBigUint64(0x55, true)).toBe(0x1516_1718_1112_1314n);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1122_3344);
    expect(cpu.rd8(0x40_0011, 0)).toBe(0x33);
    expect(cpu.rd16(0x40_0012, 0)).toBe(0x1122);
    expect(cpu.rd16(0x40_0011, 0)).toBe(0x2233);
    expect(cpu.rd32(0x40_0033, 0) >>> 0).toBe(0xcafe_f00d);
    expect(cpu.rd8(0x40_1ff0, 0)).toBe(0xab);
    expect(bankOf(cpu.tlbR[0x400]!)).toBe(3);
  });

  it('accesses use the entry, not a walk (a page-table change without INVLPG is not seen), and INVLPG and a CR3 write drop the entries', () => {
    const { board, cpu, pte } = paged();
    board.ram.write(0x30_0010, 4, 0x1111_1111);
    board.ram.write(0x60_0010, 4, 0x6666_6666);
    board.ram.write(0x50_2010, 4, 0x5555_5555);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    cpu.wr32(0x40_0014, 0x2222_2222, 0);
    pte(0x40_0000, 0x60_0000);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    cpu.wr32(0x40_0014, 0x3333_3333, 0);
    expect(board.ram.read(0x30_0014, 4)).toBe(0x3333_3333);
    cpu.invlpg(0x40_0000, 0);
    expect([cpu.tlbR[0x400], cpu.tlbW[0x400]]).toEqual([0, 0]);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x6666_6666);
    expect(bankOf(cpu.tlbR[0x400]!)).toBe(6);
    // A CR3 write drops every entry, those of other banks with the rest.
    expect(cpu.rd32(0x40_1010, 0)).toBe(0x5555_5555);
    cpu.wr8(0x40_1020, 1, 0);
    pte(0x40_1000, 0x30_0000);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect([cpu.tlbR[0x400], cpu.tlbR[0x401], cpu.tlbW[0x401]]).toEqual([0, 0, 0]);
    expect(cpu.rd32(0x40_1010, 0)).toBe(0x1111_1111);
  });

  it('in long mode an entry serves only the linear page it was filled for (its tag is checked in the calls too)', () => {
    const board = new BareBoard(new Uint8Array(0x1_0000), { ram: 8 * MiB, ramBank: MiB });
    const cpu = board.cpu;
    const q = (at: number, v: number) => board.ram.write(at, 4, v);
    // PML4 0x10000 -> PDPT 0x11000; PDPT[0] -> PD 0x12000 -> PT 0x13000 (linear 0x400000 onto 0x300000);
    // PDPT[4] -> PD 0x14000 -> PT 0x15000 (linear 4 GiB + 0x400000 onto 0x500000): the same TLB slot.
    q(0x10000, 0x11003);
    q(0x11000, 0x12003);
    q(0x12000 + 2 * 8, 0x13003);
    q(0x13000, 0x30_0003);
    q(0x11000 + 4 * 8, 0x14003);
    q(0x14000 + 2 * 8, 0x15003);
    q(0x15000, 0x50_0003);
    q(0x30_0008, 0x3333_3333);
    q(0x50_0008, 0x5555_5555);
    cpu.cr3 = 0x10000;
    cpu.cr4 |= CR4.PAE;
    cpu.efer |= EFER.LME | EFER.LMA;
    cpu.cr0 |= CR0.PE | CR0.PG;
    const high = 2 ** 32 + 0x40_0008;
    for (let n = 0; n < 2; n++) {
      expect(cpu.rd32(0x40_0008, 0)).toBe(0x3333_3333);
      expect(bankOf(cpu.tlbR[0x400]!)).toBe(3);
      expect(cpu.rd32(high, 0)).toBe(n === 0 ? 0x5555_5555 : 0x5050_5050);
      expect(bankOf(cpu.tlbR[0x400]!)).toBe(5);
      cpu.wr32(high, 0x5050_5050 + n, 0);
      expect(cpu.rd8(0x40_0008, 0)).toBe(0x33);
    }
    expect(board.ram.read(0x50_0008, 4)).toBe(0x5050_5051);
    expect(board.ram.read(0x30_0008, 4)).toBe(0x3333_3333);
  });

  /**
   * A board in long mode (64-bit code segment) whose 4-level tables map the first 2 MiB as they
   * are, linear 4 GiB - 4 KiB onto 0x300000, 4 GiB onto 0x500000 (the TLB slot of linear 0) and
   * the last page of the address space (2^64 - 4 KiB) onto 0x600000.
   */
  function lineBoard(opts: Partial<CpuOptions>): { board: BareBoard; cpu: Cpu } {
    const board = new BareBoard(new Uint8Array(0x1_0000), { ram: 8 * MiB, ramBank: MiB, ...opts });
    const cpu = board.cpu;
    const q = (at: number, v: number) => board.ram.write(at, 4, v);
    // PML4 0x10000 -> PDPT 0x11000. PDPT[0] -> PD 0x12000 -> PT 0x13000. PDPT[3] -> PD 0x14000,
    // PD[511] -> PT 0x15000, PT[511]. PDPT[4] -> PD 0x16000 -> PT 0x17000, PT[0]. PML4[511] ->
    // PDPT 0x18000, [511] -> PD 0x19000, [511] -> PT 0x1a000, [511].
    q(0x10000, 0x11003);
    q(0x11000, 0x12003);
    q(0x12000, 0x13003);
    for (let p = 0; p < 512; p++) q(0x13000 + 8 * p, (p << 12) | 3);
    q(0x11000 + 3 * 8, 0x14003);
    q(0x14000 + 511 * 8, 0x15003);
    q(0x15000 + 511 * 8, 0x30_0003);
    q(0x11000 + 4 * 8, 0x16003);
    q(0x16000, 0x17003);
    q(0x17000, 0x50_0003);
    q(0x10000 + 511 * 8, 0x18003);
    q(0x18000 + 511 * 8, 0x19003);
    q(0x19000 + 511 * 8, 0x1a003);
    q(0x1a000 + 511 * 8, 0x60_0003);
    cpu.cr3 = 0x10000;
    cpu.cr4 |= CR4.PAE;
    cpu.efer |= EFER.LME | EFER.LMA;
    cpu.cr0 |= CR0.PE | CR0.PG;
    cpu.setSeg(1, 8, 0, 0xffff_ffff, DESC.S | DESC.CS | DESC.P | DESC.L | DESC.R);
    return { board, cpu };
  }

  /** Runs `cpu` from 0x2000 to its HLT, then reads its 64-bit registers. */
  function runToHalt(cpu: Cpu): (n: number) => bigint {
    cpu.eip = 0x2000;
    cpu.pendingCheck = true;
    cpu.halted = false;
    expect(cpu.run(10_000), cpu.failure?.message).toBe('halt');
    return (n) => (BigInt(cpu.rh[n]! >>> 0) << 32n) | BigInt(cpu.r[n]! >>> 0);
  }

  it('64-bit code addresses memory across the 4 GiB line, in halves, with the carry and borrow between them, and calls and returns across it (both tiers)', () => {
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 1, inlineAfter: 1 }]) {
      const { board, cpu } = lineBoard(opts);
      // mov rsp, 0x1_0000_0008; mov r10d, 3; mov rax, 0x1122334455667788; push rax; push rax;
      // mov rbx, 0xfffffff0; mov rcx, [rbx+8]; mov dword [rbx+0x10], 0x12345678;
      // mov r9, [rbx+r10*8-8]; mov r12, gs:[0x10] (GS based at 4 GiB - 16); pop rdx; pop rsi;
      // mov rax, 0x1_0000_0100; call rax (there: mov r11d, 7; ret); push r9; pop qword [rsp]
      // (addressed with RSP after the pop); dec rdi; jnz (back to the start, twice); hlt
      const code = [
        0x48, 0xbc, 0x08, 0, 0, 0, 1, 0, 0, 0, 0x41, 0xba, 3, 0, 0, 0, 0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
        0x50, 0x50, 0x48, 0xbb, 0xf0, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x48, 0x8b, 0x4b, 0x08, 0xc7, 0x43, 0x10, 0x78, 0x56, 0x34, 0x12,
        0x4e, 0x8b, 0x4c, 0xd3, 0xf8, 0x65, 0x4c, 0x8b, 0x24, 0x25, 0x10, 0, 0, 0, 0x5a, 0x5e, 0x48, 0xb8, 0x00, 0x01, 0, 0, 1, 0,
        0, 0, 0xff, 0xd0, 0x41, 0x51, 0x8f, 0x04, 0x24, 0x48, 0xff, 0xcf, 0x75, 0xa9, 0xf4,
      ];
      board.ram.writeBytes(0x2000, Uint8Array.from(code));
      board.ram.writeBytes(0x50_0100, Uint8Array.from([0x41, 0xbb, 7, 0, 0, 0, 0xc3]));
      cpu.setSegBase(5, 0xffff_fff0);
      cpu.r[7] = 3;
      const reg = runToHalt(cpu);
      expect(reg(1).toString(16)).toBe('1122334455667788');
      expect(reg(2).toString(16)).toBe('1122334455667788');
      expect(reg(6).toString(16)).toBe('1122334412345678');
      expect(reg(9).toString(16)).toBe('1122334412345678');
      expect(reg(11)).toBe(7n);
      expect(reg(12).toString(16)).toBe('1122334412345678');
      expect(reg(4).toString(16)).toBe('100000008');
      expect([board.ram.read(0x30_0ff8, 4), board.ram.read(0x30_0ffc, 4)]).toEqual([0x5566_7788, 0x1122_3344]);
      // (where the dword went, then the call's return address, then R9 pushed; R9 popped one above)
      expect([board.ram.read(0x50_0000, 4), board.ram.read(0x50_0004, 4)]).toEqual([0x1234_5678, 0x1122_3344]);
      expect([board.ram.read(0x50_0008, 4), board.ram.read(0x50_000c, 4)]).toEqual([0x1234_5678, 0x1122_3344]);
    }
  });

  it('a quadword load straddling two pages reads its halves through both, across the 4 GiB line and around 2^64 (both tiers)', () => {
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 1, inlineAfter: 1 }]) {
      const { board, cpu } = lineBoard(opts);
      // mov edi, 3; L: mov rbx, 0xfffffffc; mov r8, [rbx]; mov rbx, -4; mov r9, [rbx]; dec rdi; jnz L; hlt
      const code = [
        0xbf, 3, 0, 0, 0, 0x48, 0xbb, 0xfc, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x4c, 0x8b, 0x03, 0x48, 0xc7, 0xc3, 0xfc, 0xff, 0xff, 0xff,
        0x4c, 0x8b, 0x0b, 0x48, 0xff, 0xcf, 0x75, 0xe4, 0xf4,
      ];
      board.ram.writeBytes(0x2000, Uint8Array.from(code));
      board.ram.write(0x30_0ffc, 4, 0x4433_2211);
      board.ram.write(0x50_0000, 4, 0x8877_6655);
      board.ram.write(0x60_0ffc, 4, 0x0d0c_0b0a);
      board.ram.write(0, 4, 0x1f1e_1d1c);
      const reg = runToHalt(cpu);
      expect(reg(8).toString(16)).toBe('8877665544332211');
      expect(reg(9).toString(16)).toBe('1f1e1d1c0d0c0b0a');
    }
  });

  it('a page beyond the banks an entry can name (2047) gets no entry and is reached through walks', () => {
    // 4 KiB banks: page 0xa00 is bank 2560.
    const board = new BareBoard(new Uint8Array(0x1_0000), { ram: 16 * MiB, ramBank: 0x1000 });
    const cpu = board.cpu;
    board.ram.write(0xa0_0010, 4, 0x1234_5678);
    expect(cpu.rd32(0xa0_0010, 0)).toBe(0x1234_5678);
    expect(cpu.tlbR[0xa00]).toBe(0);
    cpu.wr32(0xa0_0014, 0x9abc_def0, 0);
    expect(board.ram.read(0xa0_0014, 4)).toBe(0x9abc_def0);
    expect(cpu.rd32(0x7f_f010, 0)).toBe(0);
    expect(bankOf(cpu.tlbR[0x7ff]!)).toBe(0x7ff);
  });

  describe('code in a bank beyond the first', () => {
    /**
     * Real mode, 64 KiB banks. The ROM jumps to 1000:0000 (physical 0x10000, bank 1), where
     * `mov al, 1; hlt` is; `mov byte [0x0001], 2; hlt` at 2000:0000 (bank 2, DS = 0x1000) rewrites its immediate.
     */
    const board = () => {
      const rom = new Uint8Array(0x1_0000);
      rom.set([0xea, 0x00, 0x00, 0x00, 0x10], 0xfff0); // jmp 1000:0000
      const b = new BareBoard(rom, { jitThreshold: 1, ramBank: 0x1_0000 });
      b.ram.writeBytes(0x1_0000, Uint8Array.from([0xb0, 0x01, 0xf4])); // mov al, 1; hlt
      b.ram.writeBytes(0x2_0000, Uint8Array.from([0xc6, 0x06, 0x01, 0x00, 0x02, 0xf4])); // mov byte [0x0001], 2; hlt
      return b;
    };
    const runAt = (cpu: Cpu, cs: number, ip: number) => {
      cpu.halted = false;
      cpu.loadSegment(1, cs, 0);
      cpu.eip = ip;
      cpu.pendingCheck = true;
      expect(cpu.run(100)).toBe('halt');
    };

    it('a CPU store into it drops the compiled block (self-modifying code), and so does a write from outside the CPU (DMA)', () => {
      const b = board();
      const cpu = b.cpu;
      cpu.run(100);
      for (let n = 0; n < 5; n++) runAt(cpu, 0x1000, 0);
      expect(cpu.r[0]! & 0xff).toBe(1);
      expect(bankOf(cpu.tlbR[0x10]!)).toBe(1);
      cpu.loadSegment(3, 0x1000, 0);
      runAt(cpu, 0x2000, 0);
      expect(b.ram.read(0x1_0001, 1)).toBe(2);
      runAt(cpu, 0x1000, 0);
      expect(cpu.r[0]! & 0xff).toBe(2);
      for (let n = 0; n < 5; n++) runAt(cpu, 0x1000, 0);
      b.ram.write(0x1_0001, 1, 3);
      runAt(cpu, 0x1000, 0);
      expect(cpu.r[0]! & 0xff).toBe(3);
    });
  });
});

/** Runs `cpu` from `ip` (in the code segment it has) until it halts. */
function runFrom(cpu: Cpu, ip: number, budget = 1_000_000): void {
  cpu.halted = false;
  cpu.eip = ip;
  cpu.pendingCheck = true;
  expect(cpu.run(budget)).toBe('halt');
}

describe('code on a page that is not plain memory', () => {
  it('is fetched through the platform a byte at a time and runs, decoded afresh each time (no direct page to read it from)', () => {
    // mov al, [0x5000]; inc al; mov [0x5000], al; hlt: at 0x3000, which the platform serves as MMIO.
    const board = pagingBoard([[0x3000, [0xa0, 0x00, 0x50, 0xfe, 0xc0, 0xa2, 0x00, 0x50, 0xf4]]]);
    const fetched: number[] = [];
    const memory = {
      ...board.memory,
      directPage: (page: number) => (page === 0x3000 ? undefined : board.memory.directPage(page)),
      read: (addr: number, width: 1 | 2 | 4) => {
        if (addr >= 0x3000 && addr < 0x4000) fetched.push(addr);
        return board.memory.read(addr, width);
      },
    };
    const platform = new Proxy(board, { get: (t, k) => (k === 'memory' ? memory : Reflect.get(t, k)) });
    for (const opts of [{ interpretOnly: true }, { jitThreshold: 1 }]) {
      board.ram.write(0x5000, 1, 0x41);
      fetched.length = 0;
      const cpu = new Cpu({ platform, ...opts });
      expect(cpu.run(100)).toBe('halt');
      for (let n = 1; n <= 3; n++) {
        runFrom(cpu, 0x3000);
        expect(cpu.r[0]! & 0xff).toBe(0x41 + n);
      }
      // Nine bytes of code, each fetched on its own, at every run.
      expect(fetched.length).toBe(3 * 9);
      expect(new Set(fetched).size).toBe(9);
    }
  });
});

describe('the TLB across mode switches', () => {
  it('switching between real and protected mode with paging off keeps the TLB; turning paging on flushes it', () => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
    const board = new BareBoard(rom);
    // mov al, [0x5000]; mov eax, cr0; or al, 1; mov cr0, eax; hlt
    board.ram.bank(0).u8.set([0xa0, 0x00, 0x50, 0x0f, 0x20, 0xc0, 0x0c, 0x01, 0x0f, 0x22, 0xc0, 0xf4], 0x1000);
    const cpu = board.cpu;
    expect(cpu.run(100)).toBe('halt');
    expect(cpu.cr0 & CR0.PE).toBe(CR0.PE);
    expect(cpu.tlbR[5]).not.toBe(0);
    // Paging on (a directory whose first table maps the first 4 MiB as they are): flushed.
    board.ram.write(0x10000, 4, 0x11003);
    for (let p = 0; p < 1024; p++) board.ram.write(0x11000 + 4 * p, 4, (p << 12) | 3);
    cpu.cr3 = 0x10000;
    // mov eax, cr0; or eax, 0x80000000; mov cr0, eax; hlt (32-bit code after a far jump is not
    // needed: CS keeps its real-mode base, and the operand-size prefix makes OR 32-bit)
    board.ram.bank(0).u8.set([0x0f, 0x20, 0xc0, 0x66, 0x0d, 0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xf4], 0x2000);
    runFrom(cpu, 0x2000, 100);
    expect(cpu.cr0 & CR0.PG).toBe(CR0.PG);
    expect(cpu.tlbR[5]).toBe(0);
  });
});

describe('global pages and the translations the fast path does not serve', () => {
  const MiB = 2 ** 20;
  /**
   * 32-bit paging with CR4.PGE: the directory at 0x10000 and a table at 0x11000 map linear
   * 0x400000 onto 0x300000 with the G bit, and 0x401000 onto 0x302000 without it.
   */
  const paged = () => {
    const board = new BareBoard(new Uint8Array(0x1_0000), { ram: 8 * MiB, ramBank: MiB });
    const cpu = board.cpu;
    const pte = (la: number, phys: number, global: boolean) => board.ram.write(0x11000 + ((la >>> 12) & 0x3ff) * 4, 4, phys | 3 | (global ? 0x100 : 0));
    board.ram.write(0x10000 + 1 * 4, 4, 0x11003);
    pte(0x40_0000, 0x30_0000, true);
    pte(0x40_1000, 0x30_2000, false);
    cpu.cr3 = 0x10000;
    cpu.cr4 |= CR4.PGE;
    cpu.cr0 |= CR0.PE | CR0.PG;
    for (const [at, v] of [[0x30_0010, 0x1111_1111], [0x30_2010, 0x2222_2222], [0x50_0010, 0x5555_5555], [0x50_2010, 0x6666_6666]] as const) board.ram.write(at, 4, v);
    return { board, cpu, pte };
  };

  it('a CR3 write keeps the translations of global pages (the G bit, with CR4.PGE) and drops the rest; INVLPG, a CR4.PGE toggle, and any CR3 write without PGE drop them', () => {
    const { cpu, pte } = paged();
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    expect(cpu.rd32(0x40_1010, 0)).toBe(0x2222_2222);
    // Both mappings move; the kernel switches address spaces.
    pte(0x40_0000, 0x50_0000, true);
    pte(0x40_1000, 0x50_2000, false);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(cpu.tlbR[0x400]).not.toBe(0);
    expect(cpu.tlbR[0x401]).toBe(0);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    expect(cpu.rd32(0x40_1010, 0)).toBe(0x6666_6666);
    cpu.invlpg(0x40_0000, 0);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x5555_5555);
    // Back, and CR4.PGE cleared and set again (Linux's flush of everything).
    pte(0x40_0000, 0x30_0000, true);
    cpu.movToCr(4, cpu.cr4 & ~CR4.PGE, 0, 0);
    cpu.movToCr(4, cpu.cr4 | CR4.PGE, 0, 0);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    // Without CR4.PGE the G bit means nothing.
    cpu.movToCr(4, cpu.cr4 & ~CR4.PGE, 0, 0);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x1111_1111);
    pte(0x40_0000, 0x50_0000, true);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(cpu.rd32(0x40_0010, 0)).toBe(0x5555_5555);
  });

  it('REP STOS, whose pages the TLB entries do not serve, uses the translation of its last walk until INVLPG or a CR3 write, global or not', () => {
    const { board, cpu, pte } = paged();
    const fill = (la: number, v: number) => {
      cpu.r[7] = la; // EDI
      cpu.r[1] = 8; // ECX
      cpu.r[0] = v; // AL
      cpu.stos(1, 4, 0, 1, 0, 0, 0);
    };
    const at = (phys: number) => board.ram.read(phys, 1);
    for (const [la, was, now, global] of [[0x40_0000, 0x30_0000, 0x50_0000, true], [0x40_1000, 0x30_2000, 0x50_2000, false]] as const) {
      fill(la, 0xa1);
      pte(la, now, global);
      fill(la, 0xb2);
      expect([at(was), at(now)]).toEqual([0xb2, 0]);
      cpu.invlpg(la, 0);
      fill(la, 0xc3);
      expect([at(was), at(now)]).toEqual([0xb2, 0xc3]);
      pte(la, was, global);
      cpu.movToCr(3, 0x10000, 0, 0);
      fill(la, 0xd4);
      // A global page keeps its translation across the CR3 write; the other does not.
      expect([at(was), at(now)]).toEqual(global ? [0xb2, 0xd4] : [0xd4, 0xc3]);
      cpu.flushTlb();
    }
  });
});

/**
 * A board whose reset code jumps to a `hlt` at 0000:2000, with `code` in its RAM (physical
 * address, bytes), for CPUs that `pagedCpu` starts.
 */
function pagingBoard(code: readonly (readonly [number, readonly number[]])[]): BareBoard {
  const rom = new Uint8Array(0x1_0000);
  rom.set([0xea, 0x00, 0x20, 0x00, 0x00], 0xfff0); // jmp 0000:2000 (hlt)
  const board = new BareBoard(rom);
  const ram = board.ram.bank(0).u8;
  ram[0x2000] = 0xf4;
  for (const [at, bytes] of code) ram.set(bytes, at);
  return board;
}

/**
 * A CPU of `board` halted at its reset code, then in 16-bit protected mode with paging through
 * the page directory at `dir` (its page table at dir + 0x1000), linear 0x2000 mapped to itself
 * and `maps` (linear, physical) to theirs; `pte` writes an entry (with the G bit if `global`).
 */
function pagedCpu(board: BareBoard, opts: Omit<CpuOptions, 'platform'>, dir: number, maps: readonly (readonly [number, number])[]) {
  const cpu = new Cpu({ platform: board, ...opts });
  expect(cpu.run(100)).toBe('halt');
  const pte = (la: number, phys: number, global = false) => board.ram.write(dir + 0x1000 + (la >>> 12) * 4, 4, phys | 3 | (global ? 0x100 : 0));
  board.ram.write(dir, 4, (dir + 0x1000) | 3);
  pte(0x2000, 0x2000);
  for (const [la, phys] of maps) pte(la, phys);
  cpu.movToCr(3, dir, 0, 0);
  cpu.movToCr(0, cpu.cr0 | CR0.PE | CR0.PG, 0, 0);
  return { cpu, pte };
}

describe.each([
  ['compiled blocks', 1],
  ['tier-1 successors', 1_000_000],
])('links between blocks on different pages (%s)', (_, jitThreshold) => {
  /**
   * 16-bit code under paging, CPUs sharing one code cache: linear 0x5000 (physical 0x3000) holds
   * `jmp 0x6000`, and linear 0x6000 maps to 0x7000 (`mov al, 1; hlt`) or 0x8000 (`mov al, 2; hlt`)
   * by the CPU's own page directory (its page table at directory + 0x1000). A compiled block
   * links its exit to the block it reached; a block run in tier 1 keeps the blocks run after it.
   */
  const setup = () => {
    const board = pagingBoard([
      [0x3000, [0xe9, 0xfd, 0x0f]], // jmp 0x6000 (at linear 0x5000)
      [0x7000, [0xb0, 0x01, 0xf4]],
      [0x8000, [0xb0, 0x02, 0xf4]],
    ]);
    const cache = new CodeCache();
    const cpuWith = (dir: number, target: number) =>
      pagedCpu(board, { jitThreshold, inlineAfter: 1_000_000, codeCache: cache }, dir, [
        [0x5000, 0x3000],
        [0x6000, target],
      ]);
    const al = (cpu: Cpu) => {
      runFrom(cpu, 0x5000);
      return cpu.r[0]! & 0xff;
    };
    return { cpuWith, al };
  };

  it('stand until the CPU\'s TLB is flushed: INVLPG of the target\'s page, or a CR3 write, retargets the exit', () => {
    const { cpuWith, al } = setup();
    const { cpu, pte } = cpuWith(0x10000, 0x7000);
    for (let n = 0; n < 4; n++) expect(al(cpu)).toBe(1);
    pte(0x6000, 0x8000);
    cpu.invlpg(0x6000, 0);
    expect(al(cpu)).toBe(2);
    pte(0x6000, 0x7000);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(al(cpu)).toBe(1);
  });

  it('are made under one CPU\'s mappings: another CPU running the same block follows its own', () => {
    const { cpuWith, al } = setup();
    const a = cpuWith(0x10000, 0x7000).cpu;
    const b = cpuWith(0x20000, 0x8000).cpu;
    for (let n = 0; n < 4; n++) expect(al(a)).toBe(1);
    for (let n = 0; n < 4; n++) expect(al(b)).toBe(2);
    expect(al(a)).toBe(1);
  });
});

describe('the blocks run after a block that left through no link', () => {
  /**
   * Real mode: 0000:1000 holds `retf`, to 0300:0010 (`mov al, 1; hlt`) or 0400:0010
   * (`mov al, 2; hlt`), whichever the stack at 0000:8000 names: the same IP in another code
   * segment. In tier 1, and compiled (a far return is an exit no link serves).
   */
  const setup = (jitThreshold: number) => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x20, 0x00, 0x00], 0xfff0); // jmp 0000:2000 (hlt)
    const board = new BareBoard(rom);
    board.ram.bank(0).u8.set([0xcb], 0x1000);
    board.ram.bank(0).u8.set([0xb0, 0x01, 0xf4], 0x3010);
    board.ram.bank(0).u8.set([0xb0, 0x02, 0xf4], 0x4010);
    board.ram.bank(0).u8[0x2000] = 0xf4;
    const cpu = new Cpu({ platform: board, jitThreshold, inlineAfter: 1_000_000 });
    expect(cpu.run(100)).toBe('halt');
    const lookups = vi.spyOn(cpu as unknown as { lookup: () => unknown }, 'lookup');
    const al = (cs: number) => {
      board.ram.write(0x8000, 2, 0x0010);
      board.ram.write(0x8002, 2, cs);
      cpu.setSeg(CS, 0, 0, 0xffff, cpu.segAttr[CS]!);
      cpu.r[4] = 0x8000;
      runFrom(cpu, 0x1000);
      return cpu.r[0]! & 0xff;
    };
    return { al, lookups };
  };

  it.each([
    ['tier 1', 1_000_000],
    ['compiled', 1],
  ])('%s: the last two are found without a lookup, and one at the same IP in another code segment is not taken for them', (_, jitThreshold) => {
    const { al, lookups } = setup(jitThreshold);
    for (let n = 0; n < 3; n++) expect([al(0x300), al(0x400)]).toEqual([1, 2]);
    lookups.mockClear();
    expect([al(0x300), al(0x400), al(0x300)]).toEqual([1, 2, 1]);
    // One lookup a run, for the `retf` block it starts with.
    expect(lookups).toHaveBeenCalledTimes(3);
  });
});

describe('a compiled function with direct and indirect exits', () => {
  it('drops the blocks it found after its indirect exit when its links go: a new mapping is followed either way', () => {
    // 16-bit code under paging: linear 0x5000 holds `test al, al; jne 0x5010; ret`, and 0x5010
    // `jmp 0x6000`; the stack at 0x9000 returns to 0x6000 too. Linear 0x6000 maps to 0x7000
    // (`mov bl, 1; hlt`) or 0x8000 (`mov bl, 2; hlt`). Compiled at once, `ret` taken in.
    const board = pagingBoard([
      [0x5000, [0x84, 0xc0, 0x75, 0x0c, 0xc3]],
      [0x5010, [0xe9, 0xed, 0x0f]],
      [0x7000, [0xb3, 0x01, 0xf4]],
      [0x8000, [0xb3, 0x02, 0xf4]],
    ]);
    const { cpu, pte } = pagedCpu(board, { jitThreshold: 1, inlineAfter: 1 }, 0x10000, [
      [0x5000, 0x5000],
      [0x6000, 0x7000],
      [0x9000, 0x9000],
    ]);
    const bl = (al: number) => {
      board.ram.write(0x9000, 2, 0x6000);
      cpu.r[0] = al;
      cpu.r[4] = 0x9000;
      runFrom(cpu, 0x5000);
      return cpu.r[3]! & 0xff;
    };
    for (let n = 0; n < 4; n++) expect([bl(0), bl(1)]).toEqual([1, 1]);
    pte(0x6000, 0x8000);
    cpu.invlpg(0x6000, 0);
    // The direct exit first (its links go), then the return.
    expect([bl(1), bl(0)]).toEqual([2, 2]);
  });
});

describe('the jump cache under INVLPG and CR3 writes', () => {
  /**
   * 16-bit code under paging: linear 0x6000 maps to 0x7000 (`mov al, 1; hlt`) or 0x8000
   * (`mov al, 2; hlt`). Linear 0xa000 maps to 0xb000, whose last byte starts a `mov al, imm8`
   * that ends in linear 0xb000: 0xc000 (`01 f4`: the immediate 1, then `hlt`) or 0xd000 (`02 f4`).
   */
  const setup = () => {
    const board = pagingBoard([
      [0xbfff, [0xb0]],
      [0xc000, [0x01, 0xf4]],
      [0xd000, [0x02, 0xf4]],
      [0x7000, [0xb0, 0x01, 0xf4]],
      [0x8000, [0xb0, 0x02, 0xf4]],
      [0x9000, [0xb0, 0x05, 0xf4]],
    ]);
    const { cpu, pte } = pagedCpu(board, { jitThreshold: 1_000_000 }, 0x10000, [
      [0x6000, 0x7000],
      [0x9000, 0x9000],
      [0xa000, 0xb000],
      [0xb000, 0xc000],
    ]);
    const al = (ip: number) => {
      runFrom(cpu, ip);
      return cpu.r[0]! & 0xff;
    };
    // (Lookups past the jump cache: through the code cache, or a new translation.)
    const slowLookups = vi.spyOn(cpu as unknown as { findOrTranslate: () => unknown }, 'findOrTranslate');
    return { cpu, pte, al, slowLookups };
  };

  it('INVLPG of another page keeps the jump cache\'s blocks; of theirs, it drops them', () => {
    const { cpu, pte, al, slowLookups } = setup();
    for (let n = 0; n < 3; n++) expect(al(0x6000)).toBe(1);
    slowLookups.mockClear();
    cpu.invlpg(0x9000, 0);
    expect(al(0x6000)).toBe(1);
    expect(slowLookups).not.toHaveBeenCalled();
    pte(0x6000, 0x8000);
    cpu.invlpg(0x6000, 0);
    expect(al(0x6000)).toBe(2);
    expect(slowLookups).toHaveBeenCalled();
  });

  it('a CR3 write with CR4.PGE keeps the blocks of pages translated globally, and drops the rest', () => {
    const { cpu, pte, al, slowLookups } = setup();
    cpu.movToCr(4, cpu.cr4 | CR4.PGE, 0, 0);
    pte(0x6000, 0x7000, true);
    cpu.movToCr(3, 0x10000, 0, 0);
    for (let n = 0; n < 3; n++) expect([al(0x6000), al(0x9000)]).toEqual([1, 5]);
    // Both mappings move; the kernel switches address spaces.
    pte(0x6000, 0x8000, true);
    pte(0x9000, 0x8000);
    slowLookups.mockClear();
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(al(0x6000)).toBe(1);
    expect(slowLookups).not.toHaveBeenCalled();
    expect(al(0x9000)).toBe(2);
    expect(slowLookups).toHaveBeenCalled();
    // Without CR4.PGE, a CR3 write drops them all.
    cpu.movToCr(4, cpu.cr4 & ~CR4.PGE, 0, 0);
    pte(0x6000, 0x7000, true);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(al(0x6000)).toBe(1);
    pte(0x6000, 0x8000, true);
    cpu.movToCr(3, 0x10000, 0, 0);
    expect(al(0x6000)).toBe(2);
  });

  it('INVLPG of the page a block runs into drops the block: it runs what the page maps to now', () => {
    const { cpu, pte, al } = setup();
    for (let n = 0; n < 3; n++) expect(al(0xafff)).toBe(1);
    pte(0xb000, 0xd000);
    cpu.invlpg(0xb000, 0);
    expect(al(0xafff)).toBe(2);
  });
});

describe('the end of a time slice', () => {
  it('a run that need not end exactly runs the block its budget ends in whole; an exact one stops inside it', () => {
    for (const exact of [true, false]) {
      const rom = new Uint8Array(0x1_0000);
      rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
      const board = new BareBoard(rom);
      board.ram.bank(0).u8.set([0x40, 0x40, 0x40, 0x40, 0x40, 0xf4], 0x1000); // inc ax (5 times); hlt
      const cpu = board.cpu;
      expect(cpu.run(1)).toBe('budget');
      cpu.r[0] = 0;
      const before = cpu.icount;
      cpu.run(2, exact);
      expect([cpu.icount - before, cpu.r[0]! & 0xffff, cpu.halted]).toEqual(exact ? [2, 2, false] : [6, 5, true]);
      if (exact) expect(cpu.run(100)).toBe('halt');
      expect(cpu.r[0]! & 0xffff).toBe(5);
    }
  });
});

describe('REP MOVS and STOS on device memory', () => {
  /**
   * A board whose 0xa0000-0xeffff is a device (the bare board's memory there is neither RAM nor
   * ROM) that records each access; `onWrite` runs at every write with its number (from 1).
   * 0000:1000 holds `code`, then hlt.
   */
  const board = (code: number[], onWrite?: (n: number, b: BareBoard) => void) => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x10, 0x00, 0x00], 0xfff0); // jmp 0000:1000
    const b = new BareBoard(rom);
    b.ram.bank(0).u8.set([...code, 0xf4], 0x1000);
    const writes: [number, number, number][] = [];
    const reads: [number, number][] = [];
    b.memory.write = (addr, width, value) => {
      writes.push([addr, width, value]);
      onWrite?.(writes.length, b);
    };
    b.memory.read = (addr, width) => {
      reads.push([addr, width]);
      let v = 0;
      for (let n = 0; n < width; n++) v |= (((addr + n) & 0xff) ^ 0x5a) << (8 * n);
      return v >>> 0;
    };
    return { b, cpu: b.cpu, writes, reads };
  };
  // mov ax, 0xb800; mov es, ax; xor di, di; mov cx, 0x4000; mov ax, 0x0720; cld; rep stosw
  const clearText = [0xb8, 0x00, 0xb8, 0x8e, 0xc0, 0x31, 0xff, 0xb9, 0x00, 0x40, 0xb8, 0x20, 0x07, 0xfc, 0xf3, 0xab];
  const words = (from: number, n: number, step: number, value: number) => Array.from({ length: n }, (_, j) => [from + j * step, 2, value]);

  it('REP STOSW into a device writes each element once, in order, without the element loop, and leaves the registers and count as that loop does', () => {
    const { cpu, writes } = board(clearText);
    const stores = vi.spyOn(cpu, 'wr16');
    expect(cpu.run(100_000)).toBe('halt');
    expect(stores).not.toHaveBeenCalled();
    expect(writes).toEqual(words(0xb_8000, 0x4000, 2, 0x0720));
    expect([cpu.r[1]! & 0xffff, cpu.r[7]! & 0xffff]).toEqual([0, 0x8000]);
    // Six instructions, 0x4000 iterations, hlt.
    expect(cpu.icount).toBe(1 + 6 + 0x4000 + 1);
  });

  it('REP STOSB into RAM stays a fill a page at a time (the device path is for devices only)', () => {
    // mov ax, 0x1000; mov es, ax; xor di, di; mov cx, 0x3000; mov al, 0x5a; cld; rep stosb
    const { b, cpu, writes } = board([0xb8, 0x00, 0x10, 0x8e, 0xc0, 0x31, 0xff, 0xb9, 0x00, 0x30, 0xb0, 0x5a, 0xfc, 0xf3, 0xaa]);
    const fills = vi.spyOn(Uint8Array.prototype, 'fill');
    try {
      expect(cpu.run(100_000)).toBe('halt');
      const ram = b.ram.bank(0).u8;
      expect(fills.mock.calls.filter((c) => c[0] === 0x5a)).toEqual([
        [0x5a, 0x1_0000, 0x1_1000],
        [0x5a, 0x1_1000, 0x1_2000],
        [0x5a, 0x1_2000, 0x1_3000],
      ]);
      expect(ram.subarray(0x1_0000, 0x1_3000).every((v) => v === 0x5a)).toBe(true);
      expect(writes).toEqual([]);
    } finally {
      fills.mockRestore();
    }
  });

  it('backwards (DF set), doublewords across pages, with a count that ends mid-page', () => {
    // mov ax, 0xa000; mov es, ax; mov di, 0x7ffc; mov cx, 0x1001; mov eax, 0x11223344; std; rep stosd
    const { cpu, writes } = board([0xb8, 0x00, 0xa0, 0x8e, 0xc0, 0xbf, 0xfc, 0x7f, 0xb9, 0x01, 0x10, 0x66, 0xb8, 0x44, 0x33, 0x22, 0x11, 0xfd, 0xf3, 0x66, 0xab]);
    expect(cpu.run(100_000)).toBe('halt');
    expect(writes).toEqual(Array.from({ length: 0x1001 }, (_, j) => [0xa_7ffc - 4 * j, 4, 0x1122_3344]));
    expect([cpu.r[1]! & 0xffff, cpu.r[7]! & 0xffff]).toEqual([0, 0x3ff8]);
  });

  it('REP MOVSB from RAM into a device and from a device into RAM', () => {
    // ds = es = 0; si = 0x2000; di = 0x3000 + es 0xa000 (the device); cx = 0x1800: RAM -> device;
    // then ds = 0xa000, si = 0x100, es = 0, di = 0x5000, cx = 0x20: device -> RAM
    const { b, cpu, writes, reads } = board([
      0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x00, 0x20, 0xb8, 0x00, 0xa0, 0x8e, 0xc0, 0xbf, 0x00, 0x30, 0xb9, 0x00, 0x18, 0xfc, 0xf3, 0xa4,
      0x8e, 0xd8, 0xbe, 0x00, 0x01, 0x31, 0xc0, 0x8e, 0xc0, 0xbf, 0x00, 0x50, 0xb9, 0x20, 0x00, 0xf3, 0xa4,
    ]);
    const ram = b.ram.bank(0).u8;
    for (let n = 0; n < 0x1800; n++) ram[0x2000 + n] = (n * 13) & 0xff;
    expect(cpu.run(100_000)).toBe('halt');
    expect(writes).toEqual(Array.from({ length: 0x1800 }, (_, j) => [0xa_3000 + j, 1, (j * 13) & 0xff]));
    expect(reads).toEqual(Array.from({ length: 0x20 }, (_, j) => [0xa_0100 + j, 1]));
    expect([...ram.subarray(0x5000, 0x5020)]).toEqual(Array.from({ length: 0x20 }, (_, j) => j ^ 0x5a));
  });

  it('a write that changes the memory map ends the run there: the page is walked again and the rest follows, each element once', () => {
    const walks = { n: 0 };
    const { cpu, writes } = board(clearText, (n, b) => {
      if (n === 100) b.cpu.mapChanged();
    });
    const memory = cpu.platform.memory;
    const own = memory.directPage.bind(memory);
    const directPage = vi.spyOn(memory, 'directPage').mockImplementation((page) => {
      if (page === 0xb_8000) walks.n++;
      return own(page);
    });
    const stores = vi.spyOn(cpu, 'wr16');
    expect(cpu.run(100_000)).toBe('halt');
    expect(stores).not.toHaveBeenCalled();
    expect(writes).toEqual(words(0xb_8000, 0x4000, 2, 0x0720));
    // Once for the first run, once after the map changed.
    expect(walks.n).toBe(2);
    directPage.mockRestore();
  });

  it('a write that asks the CPU to stop ends the instruction there, mid-page or at the end of a page; it goes on where it stopped', () => {
    for (const at of [100, 2048]) {
      const { cpu, writes } = board(clearText, (n, b) => {
        if (n === at) {
          b.cpu.stopRequested = true;
          b.cpu.pendingCheck = true;
        }
      });
      expect(cpu.run(100_000)).toBe('stop');
      expect(writes.length).toBe(at);
      expect([cpu.r[1]! & 0xffff, cpu.r[7]! & 0xffff, cpu.eip]).toEqual([0x4000 - at, 2 * at, 0x100e]);
      cpu.stopRequested = false;
      expect(cpu.run(100_000)).toBe('halt');
      expect(writes).toEqual(words(0xb_8000, 0x4000, 2, 0x0720));
    }
  });
});

describe('stores into memory that holds translated code', () => {
  const MiB = 2 ** 20;

  it('REP MOVSB copies from ROM into RAM a page run at a time, over a compiled block, which is dropped', () => {
    // ROM f000:0000 holds 8 KiB whose second page starts with `mov al, 7; hlt`. In RAM, 0000:4000
    // holds `mov al, 1; hlt`, compiled first; the copy from the ROM to 0000:3000 overwrites it.
    const rom = new Uint8Array(0x1_0000);
    for (let n = 0; n < 0x2000; n++) rom[n] = (n * 7) & 0xff;
    rom.set([0xb0, 0x07, 0xf4], 0x1000);
    rom.set([0xea, 0x00, 0x40, 0x00, 0x00], 0xfff0); // jmp 0000:4000
    const board = new BareBoard(rom, { jitThreshold: 1 });
    const ram = board.ram.bank(0).u8;
    ram.set([0xb0, 0x01, 0xf4], 0x4000);
    // 0000:1000: mov ax, 0xf000; mov ds, ax; xor si, si; xor ax, ax; mov es, ax; mov di, 0x3000;
    // mov cx, 0x2000; cld; rep movsb; hlt
    ram.set([0xb8, 0x00, 0xf0, 0x8e, 0xd8, 0x31, 0xf6, 0x31, 0xc0, 0x8e, 0xc0, 0xbf, 0x00, 0x30, 0xb9, 0x00, 0x20, 0xfc, 0xf3, 0xa4, 0xf4], 0x1000);
    const cpu = board.cpu;
    const runAt = (ip: number) => runFrom(cpu, ip);
    expect(cpu.run(100)).toBe('halt');
    for (let n = 0; n < 3; n++) runAt(0x4000);
    expect(cpu.r[0]! & 0xff).toBe(1);
    // The copy, counting the byte loads it makes.
    const loads = vi.spyOn(cpu, 'rd8');
    const before = cpu.icount;
    runAt(0x1000);
    expect(loads).not.toHaveBeenCalled();
    expect(cpu.icount - before).toBe(9 + 0x2000 - 1 + 1);
    expect(Buffer.from(ram.subarray(0x3000, 0x5000)).equals(Buffer.from(rom.subarray(0, 0x2000)))).toBe(true);
    runAt(0x4000);
    expect(cpu.r[0]! & 0xff).toBe(7);
  });

  it('a page written into its code again and again drops all of its code, and what runs there again is translated again', () => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x20, 0x00, 0x00], 0xfff0); // jmp 0000:2000 (hlt)
    const codeCache = new CodeCache();
    const board = new BareBoard(rom, { codeCache });
    const ram = board.ram.bank(0).u8;
    ram[0x2000] = 0xf4;
    // 64 blocks `mov al, n; hlt`, 16 bytes apart, in page 3.
    for (let n = 0; n < 64; n++) ram.set([0xb0, n, 0xf4], 0x3000 + 16 * n);
    // 0000:1000: mov di, 0x3080; l: dec di; mov byte [di], 0xf4; cmp di, 0x3000; jnz l; hlt
    ram.set([0xbf, 0x80, 0x30, 0x4f, 0xc6, 0x05, 0xf4, 0x81, 0xff, 0x00, 0x30, 0x75, 0xf6, 0xf4], 0x1000);
    const cpu = board.cpu;
    const runAt = (ip: number) => {
      runFrom(cpu, ip);
      return cpu.r[0]! & 0xff;
    };
    expect(cpu.run(100)).toBe('halt');
    for (let n = 0; n < 64; n++) expect(runAt(0x3000 + 16 * n)).toBe(n);
    expect(codeCache.pages.get(3)?.blocks).toHaveLength(64);
    // 128 byte stores over the first 8 blocks, each into a 32-byte chunk with code: past 32 of
    // them the page's other 56 blocks go too, and its stores take the fast path again.
    const before = cpu.icount;
    runAt(0x1000);
    expect(cpu.icount - before).toBe(2 + 4 * 128);
    expect(codeCache.pages.has(3)).toBe(false);
    expect(Buffer.from(ram.subarray(0x3000, 0x3080)).every((b) => b === 0xf4)).toBe(true);
    // The untouched blocks run again, as they were; the overwritten ones are `hlt` now.
    expect(runAt(0x3000 + 16 * 63)).toBe(63);
    expect(runAt(0x3000 + 16 * 8)).toBe(8);
    expect(runAt(0x3000)).toBe(8);
    expect(codeCache.pages.get(3)?.blocks).toHaveLength(3);
  });

  /**
   * Real mode first: `mov al, 1; hlt` at 0x2000 is translated, so its page holds code and gets no
   * write entry. Then 32-bit paging (directory at 0x10000, table at 0x11000) maps linear 0x400000
   * onto that page.
   */
  const codePage = () => {
    const rom = new Uint8Array(0x1_0000);
    rom.set([0xea, 0x00, 0x20, 0x00, 0x00], 0xfff0); // jmp 0000:2000
    const board = new BareBoard(rom, { ram: 8 * MiB, ramBank: MiB, jitThreshold: 1 });
    board.ram.bank(0).u8.set([0xb0, 0x01, 0xf4], 0x2000);
    const cpu = board.cpu;
    expect(cpu.run(100)).toBe('halt');
    const map = (phys: number) => board.ram.write(0x11000, 4, phys | 3);
    board.ram.write(0x10000 + 1 * 4, 4, 0x11003);
    map(0x2000);
    cpu.cr3 = 0x10000;
    cpu.cr0 |= CR0.PE | CR0.PG;
    return { board, cpu, map, ram: board.ram.bank(0).u8 };
  };

  it('stores beside the code go to the page the mapping names now: INVLPG and a TLB flush retarget them', () => {
    const { cpu, map, ram } = codePage();
    cpu.wr8(0x40_0100, 0x55, 0);
    cpu.wr32(0x40_0104, 0x1122_3344, 0);
    expect(ram[0x2100]).toBe(0x55);
    expect(new DataView(ram.buffer).getUint32(0x2104, true)).toBe(0x1122_3344);
    expect(cpu.tlbW[0x400]).toBe(0); // a page of code: every store is checked against the code
    // The kernel maps the page elsewhere and invalidates the old translation.
    map(0x6000);
    cpu.flushPage(0x40_0000);
    cpu.wr8(0x40_0100, 0x66, 0);
    expect([ram[0x6100], ram[0x2100]]).toEqual([0x66, 0x55]);
    // Back, through a full flush this time (a CR3 write).
    map(0x2000);
    cpu.wr16(0x40_0100, 0x7788, 0); // to 0x6000: no flush yet, its write entry stands
    expect([ram[0x6100], ram[0x6101]]).toEqual([0x88, 0x77]);
    cpu.flushTlb();
    cpu.wr16(0x40_0100, 0x99aa, 0);
    expect([ram[0x2100], ram[0x2101]]).toEqual([0xaa, 0x99]);
    expect(cpu.tlbW[0x400]).toBe(0);
  });

  it('a store that drops the last block of a page leaves the page to the fast path', () => {
    const { cpu, ram } = codePage();
    cpu.wr8(0x40_0200, 1, 0);
    expect(cpu.tlbW[0x400]).toBe(0);
    cpu.wr8(0x40_0001, 2, 0); // into `mov al, 1`: the page's only block goes
    cpu.wr8(0x40_0200, 3, 0);
    expect(cpu.tlbW[0x400]).not.toBe(0);
    cpu.wr8(0x40_0201, 4, 0);
    expect(Array.from(ram.subarray(0x2000, 0x2002))).toEqual([0xb0, 2]);
    expect(Array.from(ram.subarray(0x2200, 0x2202))).toEqual([3, 4]);
  });
});
