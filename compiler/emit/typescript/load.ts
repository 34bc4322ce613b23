/**
 * Loads a generated machine in memory: the module printer's JavaScript
 * form (the TypeScript of `machine.ts` without its types), as a function
 * that is handed the runtime and returns the module's exports. No
 * TypeScript compiler, no module loader, nothing written to disk; the
 * runtime is the one the caller was built with.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import type * as Runtime from '../../../runtime/index.js';
import type { PciFunction, Q35Machine, Q35MachineOptions } from '../../../runtime/index.js';
import { emitMachineScript, type EmitOptions } from './index.js';

/** What a generated module exports (see emitMachineModule). */
export interface MachineModule {
  readonly topology: {
    readonly name: string;
    readonly source: string;
    readonly cpus: number;
    readonly memory: { readonly size: number; readonly below4g: number; readonly above4g: number; readonly above4gBase: number };
    readonly ecam: { readonly base: number; readonly size: number; readonly buses: number };
    readonly buses: readonly { readonly number: number; readonly name: string; readonly kind: string }[];
    readonly functions: readonly { readonly bdf: string; readonly key: string; readonly model: string }[];
  };
  createMachine(options?: Partial<Q35MachineOptions>, overrides?: Record<string, unknown>): { machine: Q35Machine; devices: Record<string, PciFunction> };
}

/** The machine's module, evaluated against `runtime` (the runtime's exports, as `import * as runtime` gives them). */
export function loadMachine(machine: ResolvedMachine, runtime: typeof Runtime, options: EmitOptions = {}): MachineModule {
  const body = emitMachineScript(machine, { ...options, form: 'function' });
  // The body is printed by machc from the resolved machine; every value in it goes through the printer's literal encoders.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('runtime', `'use strict';\n${body}`)(runtime) as MachineModule;
}
