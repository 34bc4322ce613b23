/**
 * `machc qemu FILE [-o DIR] [--qemu PATH] [-- QEMU OPTIONS...]`: builds the
 * machine (as `machc build`) and boots it in QEMU with machc's firmware
 * files, through the build's run-qemu.sh. Before starting, it checks that
 * the QEMU found is new enough for the machine (its target's machine type,
 * pc-q35-V, needs release V; igb 8.0, virtio-net SR-IOV 10.1) and says why
 * when it is not; it explains the fw_cfg warning
 * QEMU prints. The exit code is QEMU's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { compareVersions, parseVersion } from '../../emit/qemu/version.js';
import { FW_CFG_WARNING } from '../../emit/qemu/launcher.js';
import type { Io } from '../io.js';
import { UsageError } from '../main.js';
import { buildToFolder, type BuildOptions } from './build.js';

export interface QemuOptions extends Omit<BuildOptions, 'qemu'> {
  /** The QEMU binary (default: $QEMU, else qemu-system-x86_64 on PATH). The target release is the file's `qemu:`. */
  qemu?: string;
}

/** The QEMU binary's version (`QEMU emulator version 7.2.19 (...)`), or why it cannot be run. */
export function qemuVersionOf(qemu: string): { version: string } | { problem: string } {
  const r = spawnSync(qemu, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${qemu} was not found (install qemu-system-x86, or give --qemu PATH)` : `${qemu} could not be run (${r.error.message})` };
  }
  const m = /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(r.stdout ?? '');
  return m ? { version: m[1]! } : { problem: `${qemu} -version did not say which QEMU it is` };
}

export async function runQemu(io: Io, file: string | undefined, extra: readonly string[], opts: QemuOptions): Promise<number> {
  const built = await buildToFolder(io, file, { ...opts, qemu: undefined });
  if (typeof built === 'number') return built;
  const qemu = opts.qemu ?? process.env['QEMU'] ?? 'qemu-system-x86_64';
  const found = qemuVersionOf(qemu);
  if ('problem' in found) throw new UsageError(`qemu: ${found.problem}`);
  const { manifest } = built.artifacts;
  if (compareVersions(parseVersion(found.version), parseVersion(manifest.qemu.minVersion)) < 0) {
    const why = manifest.qemu.reasons.length > 0 ? `: ${manifest.qemu.reasons.join('; ')}` : '';
    io.err(`machc: ${qemu} is QEMU ${found.version}; machine ${manifest.machine} needs QEMU >= ${manifest.qemu.minVersion}${why}. Give a newer QEMU with --qemu PATH (or QEMU=PATH).\n`);
    return 2;
  }
  const launcher = resolve(built.out, 'run-qemu.sh');
  const under = opts.firmware === 'ovmf' ? ' with OVMF (FIRMWARE=ovmf)' : '';
  io.err(`machc: booting ${manifest.machine} in QEMU ${found.version}${under}: ${launcher}${extra.length ? ` ${extra.join(' ')}` : ''}\n`);
  io.err(`machc: note: ${FW_CFG_WARNING}\n`);
  return new Promise((done, fail) => {
    const env = { ...process.env, QEMU: qemu, ...(opts.firmware ? { FIRMWARE: opts.firmware } : {}) };
    const child = spawn('sh', [launcher, ...extra], { stdio: 'inherit', env });
    child.on('error', fail);
    child.on('exit', (code, signal) => done(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15)));
  });
}
