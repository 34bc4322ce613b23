/**
 * The vCPU registers a monitor reads and writes: general registers, RIP and
 * RFLAGS as 64-bit values (hex strings: they do not fit a JSON number), the
 * segment registers with their descriptor caches, descriptor tables,
 * control registers and EFER. Writes are limited to what changes no
 * translation state behind the CPU's back: the general registers, RIP and
 * RFLAGS.
 */
import type { Cpu } from '../cpu/cpu.js';

const GPR = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
const SEGMENTS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'ldtr', 'tr'] as const;

/** The registers a monitor may write. */
export const WRITABLE_REGISTERS: readonly string[] = [...GPR, 'rip', 'rflags'];

function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}

function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

function gpr(cpu: Cpu, n: number): bigint {
  return (BigInt(cpu.rh[n]! >>> 0) << 32n) | BigInt(cpu.r[n]! >>> 0);
}

/** The CPU mode: real, vm86, protected or long (64-bit or compatibility code). */
export function cpuMode(cpu: Cpu): 'real' | 'vm86' | 'protected' | 'long' {
  if (cpu.longMode) return 'long';
  if (!(cpu.cr0 & 1)) return 'real';
  return cpu.flags & 0x2_0000 ? 'vm86' : 'protected';
}

/** Every register of `cpu`, for query-registers. */
export function readRegisters(cpu: Cpu): Record<string, unknown> {
  const out: Record<string, unknown> = { 'cpu-index': cpu.index, mode: cpuMode(cpu), halted: cpu.halted };
  GPR.forEach((name, n) => (out[name] = hex64(gpr(cpu, n))));
  out['rip'] = hex64(BigInt(cpu.eip));
  out['rflags'] = hex64(BigInt(cpu.eflags >>> 0));
  SEGMENTS.forEach((name, n) => {
    out[name] = { selector: cpu.segSel[n]! & 0xffff, base: hex64(BigInt(cpu.segBase[n]!)), limit: hex32(cpu.segLimit[n]!), attributes: hex32(cpu.segAttr[n]!) };
  });
  out['gdt'] = { base: hex64(BigInt(cpu.gdtBase)), limit: cpu.gdtLimit };
  out['idt'] = { base: hex64(BigInt(cpu.idtBase)), limit: cpu.idtLimit };
  out['cr0'] = hex64(BigInt(cpu.cr0 >>> 0));
  out['cr2'] = hex64(BigInt(cpu.cr2));
  out['cr3'] = hex64((BigInt(cpu.cr3Hi >>> 0) << 32n) | BigInt(cpu.cr3 >>> 0));
  out['cr4'] = hex64(BigInt(cpu.cr4 >>> 0));
  out['efer'] = hex64(BigInt(cpu.efer >>> 0));
  return out;
}

/** Writes register `name` of `cpu` (one of WRITABLE_REGISTERS); `value` is its 64-bit value. */
export function writeRegister(cpu: Cpu, name: string, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  const n = (GPR as readonly string[]).indexOf(name);
  if (n >= 0) {
    cpu.r[n] = Number(v & 0xffff_ffffn) | 0;
    cpu.rh[n] = Number(v >> 32n) | 0;
  } else if (name === 'rip') {
    // Long mode keeps RIP as an exact signed number; elsewhere EIP is 32 bits.
    cpu.eip = cpu.longMode ? Number(BigInt.asIntN(64, v)) : Number(v & 0xffff_ffffn);
  } else if (name === 'rflags') {
    cpu.eflags = Number(v & 0xffff_ffffn);
  } else {
    throw new RangeError(`register ${name} cannot be written (writable: ${WRITABLE_REGISTERS.join(', ')})`);
  }
  // The CPU looks at interrupts and its state again before its next instruction.
  cpu.pendingCheck = true;
}
