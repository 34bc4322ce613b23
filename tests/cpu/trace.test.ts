/**
 * The QEMU-side tracing tools (tests/cpu/trace/): the TCG plugin built with gcc against our own
 * declarations of QEMU's plugin API, its instruction counts (exact on a program whose count is
 * known), its traces (equal to QEMU's own -d log of the same run, and to themselves at run and
 * instruction granularity), registers through the plugin API on QEMU 10, the writer machc's CPU
 * uses, and the comparison finding a divergence.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuFor } from '../interop/qemu.js';
import { needTools } from '../support/tools.js';
import { assemble } from './lib/asm.js';
import { QEMU_X86_64 } from './lib/qemu.js';
import { compareTraces, loadTrace, readQemuLog, toRuns } from './trace/compare.js';
import { readTrace, TraceWriter } from './trace/format.js';
import { buildPlugin, type BuiltPlugin, pluginApiFor, runWithPlugin } from './trace/plugin.js';

const haveTools = needTools('as', 'ld', 'objcopy', 'nm', 'gcc', QEMU_X86_64);
const work = mkdtempSync(join(tmpdir(), 'machc-trace-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * 1 (the reset jump) + 5 nops + 1 mov + 32 loop + 2 movs + rep stosb of 5 + 3 (the exit): 45
 * instructions with rep=once; 50 as QEMU counts, which executes a REP string instruction once
 * per iteration and once more to find (E)CX zero.
 */
const COUNTED = `
  .section .text16, "ax"
  .code16
start:
  nop
  nop
  nop
  nop
  nop
  movw $32, %cx
1:
  loop 1b
  movw $5, %cx
  movw $0x1000, %di
  rep stosb %al, %es:(%di)
  movw $0xf4, %dx
  movb $0x10, %al
  outb %al, %dx
2:
  hlt
  jmp 2b
  .section .reset, "ax"
  ljmp $0xf000, $start
  .fill 11, 1, 0
`;

describe('trace plugin API versions', () => {
  it('follow QEMU releases', () => {
    expect(['7.2.22', '8.1.0', '9.0.0', '9.1.2', '9.2.0', '10.0.2', '10.1.0', '11.0.0'].map(pluginApiFor)).toEqual([1, 1, 2, 3, 4, 4, 5, 6]);
  });
});

describe('trace compare', () => {
  it('finds the first divergence, with context, and agrees with itself', () => {
    const write = (path: string, pcs: number[]): void => {
      const w = new TraceWriter(path, { regs: true, repOnce: true, perInsn: false });
      pcs.forEach((pc, i) => w.instruction(pc, pc === 0x100 ? 2 : 1, () => [i, 0, 0, 0, 0x7000, 0, 0, 0, 2]));
      w.close();
    };
    // two runs (0x10..0x13, then 0x100..), the second trace jumps elsewhere after 0x12
    const a = join(work, 'a.trace');
    const b = join(work, 'b.trace');
    write(a, [0x10, 0x11, 0x12, 0x13, 0x100, 0x102]);
    write(b, [0x10, 0x11, 0x12, 0x200, 0x201]);
    expect([...readTrace(new Uint8Array(readFileSync(a)))].map((r) => [r.pc, r.count])).toEqual([[0x10, 4], [0x100, 2]]);
    const c = compareTraces(loadTrace(a), loadTrace(b));
    expect(c.divergence?.what).toBe('the run from here is 4 instructions in one and 3 in the other');
    expect(c.divergence?.index).toBe(0);
    expect(compareTraces(loadTrace(a), loadTrace(a)).divergence).toBeUndefined();
    // registers: same control flow, one register differs at the second run
    const w = new TraceWriter(b, { regs: true, repOnce: true, perInsn: false });
    [0x10, 0x11, 0x12, 0x13, 0x100, 0x102].forEach((pc, i) => w.instruction(pc, pc === 0x100 ? 2 : 1, () => [i === 4 ? 99 : i, 0, 0, 0, 0x7000, 0, 0, 0, 2]));
    w.close();
    const r = compareTraces(loadTrace(a), loadTrace(b));
    expect([r.divergence?.index, r.divergence?.what, r.divergence?.instructions]).toEqual([1, 'registers differ: eax', 4]);
  });
});

describe.skipIf(!haveTools)('trace plugin on QEMU 7.2', () => {
  let plugin: BuiltPlugin;
  const bios = join(work, 'counted.bin');
  afterAll(() => plugin?.dispose());

  it('builds against our declarations of the plugin API', () => {
    plugin = buildPlugin(QEMU_X86_64);
    expect(plugin.api).toBe(1);
    writeFileSync(bios, assemble(COUNTED));
  });

  it('counts instructions exactly, REP iterations each or once', async () => {
    const each = await runWithPlugin({ qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults'], bios, extraArgs: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4'] });
    const once = await runWithPlugin({ qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults'], bios, repOnce: true, extraArgs: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4'] });
    expect([each.instructions, once.instructions]).toEqual([50, 45]);
    expect(each.stopped).toBe('QEMU exited');
  });

  it('stops at a text on the debug console, and after N instructions', async () => {
    const prog = assemble(`
  .section .text16, "ax"
  .code16
start:
  movw $0x402, %dx
  movw $msg, %si
1:
  movb %cs:(%si), %al
  outb %al, %dx
  incw %si
  cmpb $0, %al
  jne 1b
2:
  jmp 2b
msg:
  .asciz "hello boot attempt!"
  .section .reset, "ax"
  ljmp $0xf000, $start
  .fill 11, 1, 0
`);
    const path = join(work, 'hello.bin');
    writeFileSync(path, prog);
    // 2 + 5 per character: 'hello boot' (10 characters) is complete after the 10th OUT
    const r = await runWithPlugin({ qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults'], bios: path, until: 'hello boot' });
    expect([r.stopped, r.instructions, r.debugcon]).toEqual(['until', 1 + 2 + 9 * 5 + 2, 'hello boot']);
    const m = await runWithPlugin({ qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults'], bios: path, max: 1000 });
    expect([m.stopped, m.instructions]).toEqual(['max', 1000]);
  });

  it('writes the same execution as QEMU -d cpu,exec,nochain -singlestep, per instruction and per run', async () => {
    const corpus = join(import.meta.dirname, 'corpus');
    const smoke = join(work, 'smoke.bin');
    writeFileSync(smoke, assemble(readFileSync(join(corpus, 'smoke.s'), 'utf8'), { includeDirs: [corpus] }));
    const insn = join(work, 'smoke.insn');
    const runs = join(work, 'smoke.runs');
    const log = join(work, 'smoke.log');
    const common = { qemu: QEMU_X86_64, plugin, args: ['-machine', 'q35', '-nodefaults'], bios: smoke };
    const exit = ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4'];
    const a = await runWithPlugin({ ...common, trace: insn, unit: 'insn', extraArgs: [...exit, '-d', 'cpu,exec,nochain', '-singlestep', '-D', log] });
    const b = await runWithPlugin({ ...common, trace: runs, extraArgs: [...exit, '-singlestep'] });
    expect(a.instructions).toBe(b.instructions);
    const fromLog = [...readQemuLog(log)];
    const fromPlugin = [...readTrace(new Uint8Array(readFileSync(insn)))];
    expect(fromLog.length).toBe(a.instructions);
    expect(fromPlugin.map((r) => r.pc)).toEqual(fromLog.map((r) => r.pc));
    expect(fromLog[0]!.pc).toBe(0xfffffff0);
    expect(fromLog[0]!.regs![8]).toBe(2);
    expect(compareTraces(loadTrace(insn), loadTrace(log)).divergence).toBeUndefined();
    expect(compareTraces(loadTrace(insn), loadTrace(runs)).divergence).toBeUndefined();
    expect([...toRuns(fromPlugin)].reduce((s, r) => s + r.count, 0)).toBe(a.instructions);
    // the writer machc's CPU uses writes the plugin's bytes
    const again = join(work, 'smoke.rewritten');
    const w = new TraceWriter(again, { regs: false, repOnce: false, perInsn: false });
    for (const r of fromPlugin) w.instruction(r.pc, r.size!);
    w.close();
    expect(readFileSync(again).equals(readFileSync(runs))).toBe(true);
  });

  it('measures SeaBIOS to its boot attempt, the same count twice with -icount', async () => {
    const args = ['-machine', 'q35', '-nodefaults', '-m', '512M', '-vga', 'std', '-net', 'none'];
    const run = (): ReturnType<typeof runWithPlugin> =>
      runWithPlugin({ qemu: QEMU_X86_64, plugin, args, bios: '/usr/share/seabios/bios.bin', until: 'Booting from', repOnce: true, extraArgs: ['-icount', 'shift=0,sleep=off'] });
    if (!existsSync('/usr/share/seabios/bios.bin')) return;
    const [a, b] = [await run(), await run()];
    expect(a.stopped).toBe('until');
    expect(a.debugcon).toMatch(/SeaBIOS \(version [^)]*\)[\s\S]*Booting from$/);
    expect(b.instructions).toBe(a.instructions);
    expect(a.instructions).toBeGreaterThan(1_000_000);
    console.log(`SeaBIOS to "Booting from" on QEMU 7.2 with -icount shift=0: ${a.instructions} instructions (REP once)`);
  }, 120_000);
});

const q10 = qemuFor('9.0');
describe.skipIf(!haveTools || 'skip' in q10)(`trace plugin with registers on ${'skip' in q10 ? 'QEMU >= 9 (skipped: ' + q10.skip + ')' : `QEMU ${q10.version}`}`, () => {
  it('reads the registers through the plugin API, as QEMU logs them', async () => {
    if ('skip' in q10) return;
    const plugin = buildPlugin(q10.path);
    try {
      const corpus = join(import.meta.dirname, 'corpus');
      const smoke = join(work, 'smoke10.bin');
      writeFileSync(smoke, assemble(readFileSync(join(corpus, 'smoke.s'), 'utf8'), { includeDirs: [corpus] }));
      const trace = join(work, 'smoke10.insn');
      const log = join(work, 'smoke10.log');
      const r = await runWithPlugin({
        qemu: q10.path,
        plugin,
        args: ['-machine', 'pc-q35-7.2', '-nodefaults'],
        bios: smoke,
        trace,
        regs: true,
        unit: 'insn',
        accel: 'tcg,one-insn-per-tb=on',
        extraArgs: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-d', 'cpu,exec,nochain', '-D', log],
      });
      expect(r.instructions).toBeGreaterThan(100);
      const c = compareTraces(loadTrace(trace), loadTrace(log));
      expect(c.notes).toEqual(["EFLAGS compared without CF PF AF ZF SF OF (QEMU's plugin API cannot read them)"]);
      expect(c.divergence).toBeUndefined();
      const recs = [...readTrace(new Uint8Array(readFileSync(trace)))];
      expect(recs.some((x) => x.regs![0] === 0x11111111)).toBe(true);
    } finally {
      plugin.dispose();
    }
  }, 120_000);
});
