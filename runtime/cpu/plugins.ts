/**
 * Plugins, in the spirit of QEMU's TCG plugins: a plugin sees each block
 * when it is translated (its instructions with address, bytes and
 * disassembly) and registers, at that moment, what should happen when the
 * block or one of its instructions runs: a callback, an inline counter that
 * costs no call (compiled into the block as an add), or a callback on every
 * memory access of an instruction. Callbacks can read guest registers and,
 * when the plugin host allows it, write them.
 *
 * A plugin is an object `{ name, install(api) }`; `machc run --plugin NAME`
 * takes a built-in one (icount, trace, hotblocks) or a path to a module whose
 * default export is such an object.
 */
import { disassemble } from './disasm.js';
import { A, type Insn } from './decode.js';
import { REG_NAMES } from './state.js';

export type MemoryCallback = (cpu: PluginCpu, address: number, width: number, write: boolean) => void;
export type ExecCallback = (cpu: PluginCpu) => void;

/** Counters that inline adds update; a plugin reads them whenever it likes (e.g. at exit). */
export class PluginCounter {
  readonly values: Float64Array;
  constructor(
    readonly name: string,
    slots = 1,
  ) {
    this.values = new Float64Array(slots);
  }
  total(): number {
    let t = 0;
    for (const v of this.values) t += v;
    return t;
  }
}

export interface PluginInsn {
  readonly index: number;
  /** Linear address of the first byte (its low 32 bits in long mode: the exact RIP is `cpu.register64('rip')`). */
  readonly address: number;
  readonly eip: number;
  readonly bytes: Uint8Array;
  readonly text: string;
  /**
   * A REP-prefixed string instruction: it executes once per iteration, as
   * on QEMU, so its own hooks (onExecute, inlineAdd) run once per iteration;
   * block-level hooks run once per execution of the block.
   */
  readonly repeats: boolean;
  onExecute(cb: ExecCallback, opts?: { writeRegisters?: boolean }): void;
  inlineAdd(counter: PluginCounter, n?: number, slot?: number): void;
  onMemory(cb: MemoryCallback): void;
}

export interface PluginBlock {
  readonly address: number;
  readonly insns: readonly PluginInsn[];
  onExecute(cb: ExecCallback): void;
  inlineAdd(counter: PluginCounter, n?: number, slot?: number): void;
}

/** A register view of the CPU a callback runs on. */
export interface PluginCpu {
  readonly index: number;
  /** Instructions retired before the current one. */
  readonly instructions: number;
  readonly eip: number;
  readonly cs: number;
  readonly mode: 'real' | 'protected' | 'vm86' | 'long';
  /** A register's low 32 bits (eax..edi, eip, eflags, a segment's selector). */
  register(name: string): number;
  /** A whole register in long mode: rax..rdi, r8..r15, rip, rflags. */
  register64(name: string): bigint;
  setRegister(name: string, value: number): void;
}

export interface PluginApi {
  readonly args: Readonly<Record<string, string>>;
  readonly allowRegisterWrites: boolean;
  onTranslate(cb: (block: PluginBlock) => void): void;
  onInterrupt(cb: (cpu: PluginCpu, vector: number, kind: 'exception' | 'hardware' | 'software') => void): void;
  onExit(cb: () => void): void;
  counter(name: string, slots?: number): PluginCounter;
  /** Where a plugin writes its report (the run command's standard error or a file). */
  output(text: string): void;
}

export interface MachcPlugin {
  readonly name: string;
  readonly description?: string;
  install(api: PluginApi): void;
}

/** What the CPU keeps per instrumented block and instruction. */
export interface InsnInstr {
  exec: { cb: ExecCallback; write: boolean }[];
  inline: { values: Float64Array; slot: number; n: number }[];
  mem: MemoryCallback[];
}
export interface BlockInstr {
  exec: ExecCallback[];
  inline: { values: Float64Array; slot: number; n: number }[];
  insns: InsnInstr[];
  /** Any instruction has memory callbacks (handlers with memory hooks are needed). */
  anyMem: boolean;
  /** Any instruction-level hook. */
  anyInsn: boolean;
}

/** The minimal view of a CPU the host needs (the Cpu class provides it). */
export interface HostCpu {
  readonly index: number;
  readonly r: Int32Array;
  readonly rh: Int32Array;
  readonly longMode: boolean;
  eip: number;
  icount: number;
  icountK: number;
  readonly segSel: Int32Array;
  readonly cr0: number;
  readonly flags: number;
  eflags: number;
}

export interface TranslatedInsns {
  readonly lin: number;
  readonly csBase: number;
  readonly insns: readonly Insn[];
}

/** Holds the installed plugins' callbacks and instruments blocks as they are translated. */
export class PluginHost {
  private readonly translateCbs: ((b: PluginBlock) => void)[] = [];
  private readonly interruptCbs: ((cpu: PluginCpu, v: number, kind: 'exception' | 'hardware' | 'software') => void)[] = [];
  private readonly exitCbs: (() => void)[] = [];
  readonly names: string[] = [];

  constructor(
    readonly allowRegisterWrites = false,
    readonly output: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  install(plugin: MachcPlugin, args: Record<string, string> = {}): void {
    const api: PluginApi = {
      args,
      allowRegisterWrites: this.allowRegisterWrites,
      onTranslate: (cb) => void this.translateCbs.push(cb),
      onInterrupt: (cb) => void this.interruptCbs.push(cb),
      onExit: (cb) => void this.exitCbs.push(cb),
      counter: (name, slots) => new PluginCounter(name, slots),
      output: (t) => this.output(t),
    };
    plugin.install(api);
    this.names.push(plugin.name);
  }

  get wantsTranslate(): boolean {
    return this.translateCbs.length > 0;
  }

  /** Offers a freshly translated block to the plugins; returns its instrumentation (or undefined). */
  instrument(b: TranslatedInsns, readCode: (lin: number, len: number) => Uint8Array): BlockInstr | undefined {
    if (this.translateCbs.length === 0) return undefined;
    const instr: BlockInstr = { exec: [], inline: [], insns: [], anyMem: false, anyInsn: false };
    const insns: PluginInsn[] = b.insns.map((i, index) => {
      const slot: InsnInstr = { exec: [], inline: [], mem: [] };
      instr.insns.push(slot);
      const address = (b.csBase + i.eip) >>> 0;
      let bytes: Uint8Array | undefined;
      let text: string | undefined;
      return {
        index,
        address,
        eip: i.eip,
        get bytes() {
          return (bytes ??= readCode(address, i.len));
        },
        get text() {
          return (text ??= disassemble(i));
        },
        repeats: i.rep !== 0 && (i.entry.attrs & (A.rep | A.repcc)) !== 0,
        onExecute: (cb, opts) => {
          if (opts?.writeRegisters && !this.allowRegisterWrites) throw new Error('this run does not allow plugins to write registers');
          slot.exec.push({ cb, write: opts?.writeRegisters ?? false });
          instr.anyInsn = true;
        },
        inlineAdd: (counter, n = 1, s = 0) => {
          slot.inline.push({ values: counter.values, slot: s, n });
          instr.anyInsn = true;
        },
        onMemory: (cb) => {
          slot.mem.push(cb);
          instr.anyMem = true;
          instr.anyInsn = true;
        },
      };
    });
    const block: PluginBlock = {
      address: b.lin >>> 0,
      insns,
      onExecute: (cb) => void instr.exec.push(cb),
      inlineAdd: (counter, n = 1, s = 0) => void instr.inline.push({ values: counter.values, slot: s, n }),
    };
    for (const cb of this.translateCbs) cb(block);
    if (!instr.exec.length && !instr.inline.length && !instr.anyInsn) return undefined;
    return instr;
  }

  interrupt(cpu: HostCpu, v: number, kind: 'exception' | 'hardware' | 'software'): void {
    if (!this.interruptCbs.length) return;
    const view = this.view(cpu, false);
    for (const cb of this.interruptCbs) cb(view, v, kind);
  }

  exit(): void {
    for (const cb of this.exitCbs) cb();
  }

  private readonly views = new Map<HostCpu, [PluginCpu, PluginCpu]>();

  /** The (cached) register view of a CPU handed to callbacks. */
  view(cpu: HostCpu, write: boolean): PluginCpu {
    let v = this.views.get(cpu);
    if (!v) this.views.set(cpu, (v = [new CpuView(cpu, false), new CpuView(cpu, true)]));
    return v[write ? 1 : 0];
  }
}

const SEG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const REG64_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

function regIndex(name: string): number {
  const n = REG_NAMES.indexOf(name as (typeof REG_NAMES)[number]);
  if (n < 0) throw new Error(`unknown register ${name}`);
  return n;
}

class CpuView implements PluginCpu {
  constructor(
    private readonly cpu: HostCpu,
    private readonly write: boolean,
  ) {}
  get index(): number {
    return this.cpu.index;
  }
  get instructions(): number {
    return this.cpu.icount + this.cpu.icountK;
  }
  get eip(): number {
    return this.cpu.eip;
  }
  get cs(): number {
    return this.cpu.segSel[1]!;
  }
  get mode(): 'real' | 'protected' | 'vm86' | 'long' {
    if (this.cpu.longMode) return 'long';
    return this.cpu.cr0 & 1 ? (this.cpu.flags & 0x2_0000 ? 'vm86' : 'protected') : 'real';
  }
  register64(name: string): bigint {
    // (long mode keeps RIP as an exact signed number)
    if (name === 'rip') return BigInt.asUintN(64, BigInt(this.cpu.eip));
    if (name === 'rflags') return BigInt(this.cpu.eflags >>> 0);
    const n = REG64_NAMES.indexOf(name);
    if (n < 0) throw new Error(`unknown register ${name}`);
    return (BigInt(this.cpu.rh[n]! >>> 0) << 32n) | BigInt(this.cpu.r[n]! >>> 0);
  }
  register(name: string): number {
    if (name === 'eip') return this.cpu.eip >>> 0;
    if (name === 'eflags') return this.cpu.eflags >>> 0;
    const s = SEG.indexOf(name);
    if (s >= 0) return this.cpu.segSel[s]!;
    return this.cpu.r[regIndex(name)]! >>> 0;
  }
  setRegister(name: string, value: number): void {
    if (!this.write) throw new Error('register writes need onExecute(cb, { writeRegisters: true }) and a run that allows them');
    if (name === 'eflags') this.cpu.eflags = value;
    else this.cpu.r[regIndex(name)] = value | 0;
  }
}

// ---- built-in plugins ----------------------------------------------------------------------

/** Counts instructions: inline adds per block (default) or a callback per instruction (`mode=callback`). */
export const icountPlugin: MachcPlugin = {
  name: 'icount',
  description: 'count executed instructions (args: mode=inline|callback)',
  install(api) {
    const c = api.counter('insns');
    const callback = api.args['mode'] === 'callback';
    let calls = 0;
    api.onTranslate((b) => {
      if (callback) for (const i of b.insns) i.onExecute(() => void calls++);
      else {
        // One add per block, and one per iteration of each REP string.
        const reps = b.insns.filter((i) => i.repeats);
        if (b.insns.length > reps.length) b.inlineAdd(c, b.insns.length - reps.length);
        for (const i of reps) i.inlineAdd(c);
      }
    });
    api.onExit(() => api.output(`icount: ${callback ? calls : c.total()} instructions\n`));
  },
};

const LONG_TRACE_REGS = [...REG64_NAMES, 'rflags'];

/** Writes the linear address of every executed instruction (`regs=1` adds EAX..EDI and EFLAGS; in long mode RIP, RAX..R15 and RFLAGS). */
export const tracePlugin: MachcPlugin = {
  name: 'trace',
  description: 'log every executed instruction: address [and registers with regs=1] (args: regs=0|1, limit=N)',
  install(api) {
    const regs = api.args['regs'] === '1';
    const limit = Number(api.args['limit'] ?? Infinity);
    let n = 0;
    const lines: string[] = [];
    const flush = () => {
      if (lines.length) api.output(lines.join(''));
      lines.length = 0;
    };
    api.onTranslate((b) => {
      for (const i of b.insns) {
        const addr = i.address.toString(16).padStart(8, '0');
        i.onExecute((cpu) => {
          if (n++ >= limit) return;
          if (cpu.mode === 'long') {
            let line = cpu.register64('rip').toString(16).padStart(16, '0');
            if (regs) for (const r of LONG_TRACE_REGS) line += ` ${r}=${cpu.register64(r).toString(16).padStart(16, '0')}`;
            lines.push(line + '\n');
            if (lines.length >= 4096) flush();
            return;
          }
          let line = addr;
          if (regs) for (const r of ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eflags']) line += ` ${r}=${cpu.register(r).toString(16).padStart(8, '0')}`;
          lines.push(line + '\n');
          if (lines.length >= 4096) flush();
        });
      }
    });
    api.onExit(flush);
  },
};

/** The blocks that ran most: executions and instructions, top N (`top=20`). */
export const hotblocksPlugin: MachcPlugin = {
  name: 'hotblocks',
  description: 'report the most executed blocks (args: top=N)',
  install(api) {
    const top = Number(api.args['top'] ?? 20);
    const blocks: { address: number; count: PluginCounter; insns: number; first: string }[] = [];
    api.onTranslate((b) => {
      const count = api.counter(`block ${b.address.toString(16)}`);
      b.inlineAdd(count);
      blocks.push({ address: b.address, count, insns: b.insns.length, first: b.insns[0]?.text ?? '' });
    });
    api.onExit(() => {
      const byAddr = new Map<number, { execs: number; insns: number; first: string }>();
      for (const b of blocks) {
        const e = byAddr.get(b.address) ?? { execs: 0, insns: 0, first: b.first };
        e.execs += b.count.total();
        e.insns += b.count.total() * b.insns;
        byAddr.set(b.address, e);
      }
      const rows = [...byAddr.entries()].sort((a, b) => b[1].insns - a[1].insns || a[0] - b[0]).slice(0, top);
      const total = [...byAddr.values()].reduce((s, e) => s + e.insns, 0);
      let out = `hotblocks: ${byAddr.size} blocks, ${total} instructions\n     address      execs       insns  share  first instruction\n`;
      for (const [addr, e] of rows) out += `  ${addr.toString(16).padStart(10, '0')} ${String(e.execs).padStart(10)} ${String(e.insns).padStart(11)} ${((100 * e.insns) / Math.max(1, total)).toFixed(1).padStart(5)}%  ${e.first}\n`;
      api.output(out);
    });
  },
};

export const BUILTIN_PLUGINS: Readonly<Record<string, MachcPlugin>> = {
  icount: icountPlugin,
  trace: tracePlugin,
  hotblocks: hotblocksPlugin,
};

/** Parses `NAME[,key=value...]` or `PATH[,key=value...]`. */
export function parsePluginSpec(spec: string): { name: string; args: Record<string, string> } {
  const [name, ...rest] = spec.split(',');
  const args: Record<string, string> = {};
  for (const kv of rest) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`plugin argument '${kv}' is not key=value`);
    args[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { name: name ?? '', args };
}
