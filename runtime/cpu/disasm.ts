/**
 * Intel-syntax disassembly of decoded instructions, for plugins, traces and
 * error reports. Driven by the same table rows the decoder used.
 */
import { CONDITIONS } from './table.js';
import { SEG_NAMES, type Insn, type OperandSpec } from './decode.js';
import { specWidth } from './gen.js';

const EXT = ['r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', ...EXT];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', ...EXT.map((r) => r + 'd')];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', ...EXT.map((r) => r + 'w')];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const R8REX = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', ...EXT.map((r) => r + 'b')];
const PTR: Record<number, string> = { 1: 'byte ptr ', 2: 'word ptr ', 4: 'dword ptr ', 8: 'qword ptr ', 6: 'fword ptr ' };

const hex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

let rexNow = 0;

function reg(idx: number, width: number, sh = 0): string {
  if (width === 1) return rexNow ? R8REX[idx]! : R8[idx + (sh ? 4 : 0)]!;
  return (width === 2 ? R16 : width === 8 ? R64 : R32)[idx]!;
}

function mem(i: Insn, width: number | undefined): string {
  const a = i.asize === 2 ? R16 : i.asize === 8 ? R64 : R32;
  if (i.base === -2) return `${width !== undefined ? PTR[width] ?? '' : ''}[rip+${hex(i.disp)}]`;
  const parts: string[] = [];
  if (i.base >= 0) parts.push(a[i.base]!);
  if (i.index >= 0) parts.push(i.scale ? `${a[i.index]}*${1 << i.scale}` : a[i.index]!);
  let s = parts.join('+');
  if (i.disp || !parts.length) s += parts.length ? (i.disp < 0 ? `-${hex(-i.disp).slice(0)}` : `+${hex(i.disp)}`) : hex(i.asize === 2 ? i.disp & 0xffff : i.disp >>> 0);
  const seg = i.segOvr >= 0 ? `${SEG_NAMES[i.segOvr]}:` : '';
  return `${width !== undefined ? PTR[width] ?? '' : ''}${seg}[${s}]`;
}

function operand(i: Insn, o: OperandSpec, n: number): string {
  const w = specWidth(o, i.osize);
  switch (o.kind) {
    case 'E':
      return i.mod === 3 ? reg(i.eReg, w, i.eSh) : mem(i, o.size === 'x' ? undefined : w);
    case 'G':
      return reg(i.gReg, w, i.gSh);
    case 'R':
      return reg(i.eReg, w);
    case 'M':
      return mem(i, o.size === 'p' ? i.osize + 2 : undefined);
    case 'O':
      return mem(i, w);
    case 'Z':
      return reg(i.zReg, w, i.zSh);
    case 'reg':
      return reg(o.reg, w);
    case 'seg':
      return SEG_NAMES[o.reg]!;
    case 'S':
      return SEG_NAMES[i.reg] ?? `seg${i.reg}`;
    case 'C':
      return `cr${i.reg}`;
    case 'D':
      return `dr${i.reg}`;
    case 'I': {
      const first = n === 0 || !i.entry.operands.slice(0, n).some((p) => p.kind === 'I');
      if (first && w === 8 && o.size === 'v') return `0x${((BigInt(i.immHi >>> 0) << 32n) | BigInt(i.imm >>> 0)).toString(16)}`;
      return hex(first ? i.imm : i.imm2);
    }
    case 'J':
      return i.imm < 0 ? `0x${(BigInt.asUintN(64, BigInt(i.imm))).toString(16)}` : hex(i.imm);
    case 'A':
      return `${hex(i.imm2)}:${hex(i.imm >>> 0)}`;
    case 'one':
      return '1';
    case 'X':
    case 'Y':
      return '';
  }
  return '?';
}

const RENAME: Record<string, string> = {
  imul1: 'imul',
  imul2: 'imul',
  imul3: 'imul',
  movseg: 'mov',
  movfromseg: 'mov',
  movtocr: 'mov',
  movfromcr: 'mov',
  movtodr: 'mov',
  movfromdr: 'mov',
  calli: 'call',
  jmpi: 'jmp',
  callf: 'call far',
  jmpf: 'jmp far',
  callfi: 'call far',
  jmpfi: 'jmp far',
  retf: 'retf',
  ud: '(bad)',
  grp7reg: '(group 7)',
};

const STRING = new Set(['movs', 'cmps', 'stos', 'lods', 'scas', 'ins', 'outs']);

export function disassemble(i: Insn): string {
  rexNow = i.rex;
  const e = i.entry;
  let m = RENAME[e.mnemonic] ?? e.mnemonic;
  if (e.mnemonic === 'jcc') m = `j${CONDITIONS[e.low]}`;
  else if (e.mnemonic === 'setcc') m = `set${CONDITIONS[e.low]}`;
  else if (e.mnemonic === 'cmovcc') m = `cmov${CONDITIONS[e.low]}`;
  else if (e.mnemonic === 'lfp') m = `l${SEG_NAMES[e.operands[0]!.reg]}`;
  else if (e.mnemonic === 'cbw') m = i.osize === 2 ? 'cbw' : i.osize === 8 ? 'cdqe' : 'cwde';
  else if (e.mnemonic === 'cwd') m = i.osize === 2 ? 'cwd' : i.osize === 8 ? 'cqo' : 'cdq';
  else if (e.mnemonic === 'pusha' || e.mnemonic === 'popa' || e.mnemonic === 'pushf' || e.mnemonic === 'popf' || e.mnemonic === 'iret') m += i.osize === 4 ? 'd' : i.osize === 8 ? 'q' : '';
  if (STRING.has(e.mnemonic)) {
    const sOp = e.operands.find((o) => o.kind === 'X' || o.kind === 'Y')!;
    const w = specWidth(sOp, i.osize);
    m += w === 1 ? 'b' : w === 2 ? 'w' : w === 8 ? 'q' : 'd';
    const prefix = i.rep === 0 ? '' : e.attrs & 0x20 ? (i.rep === 1 ? 'repe ' : 'repne ') : 'rep ';
    return prefix + m + (i.segOvr >= 0 ? ` ${SEG_NAMES[i.segOvr]}:` : '');
  }
  let ops = e.operands.filter((o) => o.kind !== 'X' && o.kind !== 'Y');
  if (e.mnemonic === 'lfp') ops = ops.slice(1);
  if (e.mnemonic === 'fpu') return `fpu ${(0xd8 + e.low).toString(16)} /${(i.modrm >> 3) & 7}${i.mod === 3 ? ` st(${i.modrm & 7})` : ' ' + mem(i, undefined)}`;
  const text = ops.map((o) => operand(i, o, e.operands.indexOf(o))).filter(Boolean).join(', ');
  const lock = i.lock ? 'lock ' : '';
  return `${lock}${m}${text ? ' ' + text : ''}`;
}
