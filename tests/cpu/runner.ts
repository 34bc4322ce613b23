/**
 * The runtime side of the differential CPU tests: the one function machc's CPU provides to them.
 *
 * `runBareMetal(image, opts)` runs `image` on machc's runtime exactly as the QEMU side runs it
 * (lib/qemu.ts):
 *
 *   qemu-system-x86_64 -machine q35 -accel tcg -nodefaults -no-reboot -m <memoryMiB>M -smp 1
 *     -bios <image> -device isa-debugcon,iobase=0x402 -device isa-debug-exit,iobase=0xf4,iosize=4
 *
 * The contract:
 * - `image` is a firmware image (a whole number of 64 KiB, at most 16 MiB), mapped read-only
 *   ending at 4 GiB (base 0x1_0000_0000 - size), and its last min(size, 128 KiB) also ending at
 *   1 MiB (0xE0000/0xF0000, QEMU's isa-bios alias; writes there are ignored, as on QEMU at reset
 *   with every PAM register clear). RAM is `memoryMiB` MiB from 0, zero-filled.
 * - The CPU starts as QEMU's does after reset: real mode, CS=F000 with base 0xFFFF0000,
 *   EIP=0xFFF0, A20 enabled, interrupts off. The machine's other devices are q35's (the tests
 *   program none of them, apart from the two ports below and unclaimed ports).
 * - Every byte OUT to port 0x402 is appended to `debugcon`; a byte IN from it returns 0xE9 (QEMU's
 *   isa-debugcon takes byte accesses only: wider OUTs there write nothing, wider INs read 0; the
 *   tests use bytes). Unclaimed ports read all ones and ignore writes.
 * - A write of value v to port 0xF4 (any width) ends the run with `exitCode` = v & 0x7f (QEMU
 *   exits with status (v << 1) | 1, which the QEMU side reads back as the same v & 0x7f).
 * - Anything else that ends the run sets `error` to one line saying why, with the guest's state
 *   where it helps: a triple fault or shutdown (QEMU with -no-reboot exits then), more than
 *   `maxInstructions` instructions, HLT with interrupts disabled, an internal error. It never
 *   throws for anything the guest does.
 *
 * The implementation is the CPU's bare board (runtime/machine/bare.ts); when it is undefined the
 * tests that need it are skipped with a message saying so.
 */
import { runBareMetal as runOnBareBoard } from '../../runtime/machine/bare.js';

export interface BareMetalOptions {
  /** RAM in MiB (the QEMU side passes -m; default 128). */
  readonly memoryMiB?: number;
  /** Stop with an error after this many instructions (default: no limit beyond the test's timeout). */
  readonly maxInstructions?: number;
}

export interface BareMetalResult {
  /** Everything the guest wrote to port 0x402, in order. */
  readonly debugcon: Uint8Array;
  /** The value the guest wrote to port 0xF4 (& 0x7f), when it ended the run that way. */
  readonly exitCode?: number;
  /** Why the run ended otherwise (one line). */
  readonly error?: string;
}

export type RunBareMetal = (image: Uint8Array, opts: BareMetalOptions) => BareMetalResult | Promise<BareMetalResult>;

/** machc's CPU running a bare-metal image on the bare board. */
export const runBareMetal: RunBareMetal | undefined = (image, opts) => {
  const r = runOnBareBoard(image, { ram: (opts.memoryMiB ?? 128) * 2 ** 20, ...(opts.maxInstructions !== undefined ? { maxInstructions: opts.maxInstructions } : {}) });
  // the bare board reports QEMU's exit status, (v << 1) | 1
  return { debugcon: r.debugcon, ...(r.exitCode !== undefined ? { exitCode: ((r.exitCode - 1) >> 1) & 0x7f } : {}), ...(r.error !== undefined ? { error: r.error } : {}) };
};

/** The runtime side, or why the tests of it are skipped. */
export function runtimeSide(): { run: RunBareMetal } | { skip: string } {
  if (runBareMetal === undefined) return { skip: 'the CPU has not landed yet (tests/cpu/runner.ts: runBareMetal is undefined)' };
  return { run: runBareMetal };
}
