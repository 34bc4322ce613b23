/**
 * One v86 process, as the benchmarks run it whole (bench/cpu.ts bundles this file with esbuild
 * and starts it with node, no TypeScript loader in the way):
 *
 *   node v86-main.mjs BIOS MEMORY_MIB UNTIL
 *
 * boots BIOS and writes the debug console to standard output once UNTIL is on it (exit 0), or
 * the error (exit 1).
 */
import { readFileSync } from 'node:fs';
import { runOnV86 } from './v86.js';

const [bios, mib, until] = process.argv.slice(2);
const r = await runOnV86(new Uint8Array(readFileSync(bios!)), { memoryMiB: Number(mib), until, timeoutMs: 120_000 });
process.stdout.write(r.debugcon);
if (r.error) process.stderr.write(`v86: ${r.error}\n`);
process.exit(r.error ? 1 : 0);
