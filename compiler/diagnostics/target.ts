/**
 * The notes and fixes of diagnostics about the QEMU target (MD16xx): where
 * the file sets its target, and the oldest target that has what is missing.
 */
import type { MachineDescription } from '../model/description.js';
import { since, TARGET_VERSIONS, TARGETS } from '../model/target.js';
import type { Span } from '../source/source-file.js';

/** A note pointing at the file's `qemu:`, when it has one. */
export function targetNote(desc: MachineDescription): { message: string; span?: Span }[] {
  const span = desc.spans['qemu'];
  return span ? [{ message: `the target is set here`, span }] : [{ message: `no \`qemu:\` in the file: the default target is QEMU ${desc.qemu.version}` }];
}

/** The fix for a feature a target lacks: the oldest target that has it. */
export function newerTargetFix(version: string): { message: string } {
  const v = TARGET_VERSIONS.find((t) => since(TARGETS[t], version)) ?? TARGET_VERSIONS[TARGET_VERSIONS.length - 1]!;
  return { message: `build for a newer QEMU: qemu: "${v}"` };
}

