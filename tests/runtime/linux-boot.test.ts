/**
 * Linux on machc's runtime: Debian's 6.1 kernel booted directly, as QEMU
 * -kernel does (fw_cfg and QEMU's linuxboot_dma.bin through SeaBIOS), runs
 * its real-mode setup, decompresses itself in long mode and starts: its
 * first log lines come out on COM1. Run as a child process (a boot is tens
 * of seconds of CPU).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli } from '../support/cli.js';
import { needTools } from '../support/tools.js';

const kernel = existsSync('/boot') ? readdirSync('/boot').filter((f) => /^vmlinuz-6\.1\./.test(f)).sort().at(-1) : undefined;
const ready = needTools('/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin', ...(kernel ? [] : ['/boot/vmlinuz-6.1 (linux-image-amd64)']));

function machcRun(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, 'run', ...args]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe.runIf(ready)('Linux 6.1 on the runtime', () => {
  it('machc run --kernel: setup, decompression in long mode, the kernel\'s first log lines on the serial console', async () => {
    requireBuiltCli();
    const r = await machcRun(['--kernel', `/boot/${kernel}`, '--append', 'console=ttyS0 earlyprintk=ttyS0 nokaslr', '--until', 'DMI: ', '--max-insns', '8000000000']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/saw "DMI: " after [\d,]+ instructions/);
    // The setup code ran on SeaBIOS (EDD through INT 13h), the kernel parsed our command line and SMBIOS.
    expect(r.out).toContain('Probing EDD (edd=off to disable)... ok');
    expect(r.out).toMatch(/Linux version 6\.1\.\d+/);
    expect(r.out).toContain('Command line: console=ttyS0 earlyprintk=ttyS0 nokaslr');
    expect(r.out).toContain('DMI: ');
  }, 600_000);
});
