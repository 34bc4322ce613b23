/**
 * Linux on machc's runtime: Debian's 6.1 kernel booted directly, as QEMU
 * -kernel does (fw_cfg and QEMU's linuxboot_dma.bin through SeaBIOS), with a
 * busybox initramfs: real-mode setup, decompression in long mode, the
 * kernel's start (timers through the I/O APIC, machc's ACPI tables through
 * the AML interpreter, PCI enumeration, the initramfs unpacked), then
 * /init runs busybox in user space and the shell's prompt comes out on
 * COM1. Run as a child process (a boot is a minute or more of CPU).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../support/cli.js';
import { machcConsole } from '../support/console.js';
import { BUSYBOX, SHELL_PROMPT, writeShellInitramfs } from '../support/shell-initramfs.js';
import { needTools } from '../support/tools.js';

const kernel = existsSync('/boot') ? readdirSync('/boot').filter((f) => /^vmlinuz-6\.1\./.test(f)).sort().at(-1) : undefined;
const ready = needTools('/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin', BUSYBOX, ...(kernel ? [] : ['/boot/vmlinuz-6.1 (linux-image-amd64)']));
const tmp = mkdtempSync(join(tmpdir(), 'machc-linux-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(ready)('Linux 6.1 on the runtime', () => {
  it('machc run -i --kernel --initrd: the kernel starts on machc\'s tables, runs /init from a busybox initramfs, its shell runs what is typed on COM1 and powers the machine off', async () => {
    requireBuiltCli();
    const script = [
      { after: SHELL_PROMPT, type: 'echo typed-$((6*7)) $(cat /sys/bus/pci/devices/0000:00:1f.2/vendor)\n' },
      { after: 'typed-42 0x8086', type: 'poweroff -f\n' },
    ];
    const args = ['--kernel', `/boot/${kernel}`, '--initrd', writeShellInitramfs(tmp), '--append', 'console=ttyS0 earlyprintk=ttyS0 nokaslr', '--max-insns', '20000000000'];
    const r = await machcConsole(args, script, 1_700_000);
    expect(r.code, `${r.err}\n${r.out.slice(-3000)}`).toBe(0);
    expect(r.err).toMatch(/the guest powered off after [\d,]+ instructions/);
    const out = r.out;
    // The setup code ran on SeaBIOS (EDD through INT 13h), the kernel parsed our command line and QEMU's SMBIOS.
    expect(out).toContain('Probing EDD (edd=off to disable)... ok');
    expect(out).toMatch(/Linux version 6\.1\.\d+/);
    expect(out).toContain('Command line: console=ttyS0 earlyprintk=ttyS0 nokaslr');
    expect(out).toContain('DMI: QEMU Standard PC (Q35 + ICH9, 2009)');
    // Time: the TSC calibrated against the PIT, the timer through I/O APIC pin 2, sane timestamps.
    expect(out).toMatch(/tsc: Detected 1000\.\d+ MHz processor/);
    expect(out).not.toContain('timer doesn\'t work');
    expect(out).toMatch(/\[ {4}0\.\d{6}\] ACPI: Interpreter enabled/);
    // machc's DSDT through the AML interpreter and the PCI root bridge it describes.
    expect(out).toContain('ACPI: PCI Root Bridge [PCI0] (domain 0000 [bus 00-ff])');
    expect(out).toContain('pci 0000:00:01.0: [1234:1111] type 00 class 0x030000');
    expect(out).toContain('pci 0000:00:1f.2: [8086:2922] type 00 class 0x010601');
    expect(out).toMatch(/ttyS0 at I\/O 0x3f8 \(irq = 4, base_baud = 115200\) is a 16550A/);
    expect(out).not.toMatch(/ACPI (Error|BIOS Error)|Firmware Bug/);
    expect(out).toContain('Trying to unpack rootfs image as initramfs...');
    expect(out).toMatch(/Freeing initrd memory: \d+K/);
    expect(out).toContain('Run /init as init process');
    // User space: busybox ran (execve, page faults, system calls from CPL 3), counted the PCI functions
    // of the default machine (host bridge, display, LPC, AHCI, SMBus) and computed a digest.
    expect(out).toMatch(/machc-user: Linux 6\.1\.\d+-\d+-amd64 cpus=1 pci=5\r?\n/);
    expect(out).toContain('machc-sum: dc4d9c70252d514dba54d32fee79c346  -');
    expect(out).toMatch(/BusyBox v1\.\d+\.\d+ .* built-in shell \(ash\)/);
    // What was typed reached the shell through the UART's receiver (echoed by the tty after the line editor's
    // cursor-position query), ran, and powered the machine off through ACPI.
    expect(out).toContain('\x1b[6necho typed-$((6*7)) $(cat /sys/bus/pci/devices/0000:00:1f.2/vendor)\r\ntyped-42 0x8086\r\n');
    expect(out).toContain('ACPI: PM: Preparing to enter system sleep state S5');
    expect(out).toMatch(/reboot: Power down/);
  }, 1_800_000);
});
