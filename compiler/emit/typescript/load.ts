/**
 * Loads a generated machine module in memory: TypeScript's transpileModule
 * (through ts-morph, already loaded for emitting) strips the types, the
 * `machc/runtime` import is pointed at an absolute URL of the built runtime,
 * and the result is imported from a data: URL. Nothing is written to disk.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { PciFunction, Q35Machine, Q35MachineOptions } from '../../../runtime/index.js';

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

/** JavaScript for a generated module, with the runtime import replaced by `runtimeUrl`. */
export function transpileMachineModule(source: string, runtimeUrl: string): string {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false, isolatedModules: true },
  }).outputText;
  return js.replace(/(from\s+)(['"])machc\/runtime\2/g, (_m, from: string) => `${from}${JSON.stringify(runtimeUrl)}`);
}

export async function loadMachineModule(source: string, runtimeUrl: string): Promise<MachineModule> {
  const js = transpileMachineModule(source, runtimeUrl);
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as MachineModule;
}

/**
 * Where the built runtime is: MACHC_RUNTIME (a bundle's path or URL) when
 * set, else `machc/runtime` as the package exports it (dist/runtime/index.js),
 * found from this module or from the package root. Undefined when the
 * runtime has not been built.
 */
export function builtRuntimeUrl(packageRoot: string): string | undefined {
  const override = process.env['MACHC_RUNTIME'];
  if (override) return /^[a-z]+:/.test(override) ? override : pathToFileURL(override).href;
  try {
    const resolved = import.meta.resolve?.('machc/runtime');
    if (resolved && resolved.endsWith('.js')) return resolved;
  } catch {
    // Not resolvable from here (sources run directly): use the package root.
  }
  const file = join(packageRoot, 'dist', 'runtime', 'index.js');
  return existsSync(file) ? pathToFileURL(file).href : undefined;
}
