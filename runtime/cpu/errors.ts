/**
 * What can stop an instruction: an architectural exception (delivered to
 * the guest), a request to re-run an instruction in the first tier after it
 * wrote its own block's code, and a guest failure the machine reports
 * (triple fault, unsupported feature) with the CPU state.
 */

export const VEC = {
  DE: 0,
  DB: 1,
  NMI: 2,
  BP: 3,
  OF: 4,
  BR: 5,
  UD: 6,
  NM: 7,
  DF: 8,
  TS: 10,
  NP: 11,
  SS: 12,
  GP: 13,
  PF: 14,
  MF: 16,
  AC: 17,
  MC: 18,
  XM: 19,
} as const;

export const VECTOR_NAMES = ['#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', '#MF-old', '#TS', '#NP', '#SS', '#GP', '#PF', '(15)', '#MF', '#AC', '#MC', '#XM'];

/** An exception raised by an instruction, delivered through the IVT/IDT. */
export class CpuException {
  constructor(
    readonly vector: number,
    /** Error code, or -1 for none. */
    readonly code: number,
  ) {}
}

/** The instruction wrote into its own (compiled) block: re-run it in tier 1. */
export class SmcRestart {}

/** The guest did something the machine cannot continue from; carries a description. */
export class GuestFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'triple-fault' | 'unsupported' | 'shutdown' | 'bad-code',
  ) {
    super(message);
  }
}
