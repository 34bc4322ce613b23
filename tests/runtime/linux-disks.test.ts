/**
 * Linux's own drivers on the runtime's disk models: a machine with a
 * virtio-blk disk and an NVMe namespace on raw images boots Debian's 6.1
 * kernel; at the shell (typed on COM1 through `machc run -i`) a file goes
 * onto each disk (as a tar archive written to the block device: the
 * initramfs has no file-system modules), `sync`, power off. The images on
 * the host now hold the archives (`--persist`); a second boot, without
 * `--persist`, reads both files back.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInitramfs } from '../interop/initramfs.js';
import { guestCommandLine, qemuAvailable } from '../interop/qemu.js';
import { requireBuiltCli } from '../support/cli.js';
import { machcConsole } from '../support/console.js';
import { needTools } from '../support/tools.js';

const ready = needTools('/usr/share/seabios/bios-256k.bin', '/usr/share/qemu/linuxboot_dma.bin') && qemuAvailable().ok;
const tmp = mkdtempSync(join(tmpdir(), 'machc-linux-disks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MACHINE = `name: disks
chipset: q35
cpus: 1
memory: 512 MiB
devices:
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
  - { id: vd0, model: virtio-blk, bus: rp1, image: vd0.raw }
  - { id: rp2, model: pcie-root-port, chassis: 1, slot: 2 }
  - { id: nvme0, model: nvme, bus: rp2, serial: MACHC-NV0, image: nv0.raw }
`;
const PROMPT = '\n/ # ';

describe.runIf(ready)('Linux on the runtime: virtio-blk and NVMe', () => {
  it('a file written to a virtio-blk disk and to an NVMe namespace, synced, reads back on the next boot', { timeout: 3_600_000 }, async () => {
    requireBuiltCli();
    const file = join(tmp, 'disks.yaml');
    writeFileSync(file, MACHINE);
    for (const img of ['vd0.raw', 'nv0.raw']) writeFileSync(join(tmp, img), new Uint8Array(16 * 2 ** 20));
    const { kernel, path: initrd } = buildInitramfs();
    const args = (persist: boolean) => [file, '--kernel', kernel.vmlinuz, '--initrd', initrd, '--append', guestCommandLine({ loadModules: ['virtio_pci', 'virtio_blk', 'nvme'], append: 'machc.shell' }), '--max-insns', '40000000000', ...(persist ? ['--persist'] : [])];

    const write = await machcConsole(
      args(true),
      [
        { after: PROMPT, type: 'test -b /dev/vda && test -b /dev/nvme0n1 && cd /tmp && echo "virtio $((6*7))" > v && echo "nvme $((7*8))" > n && tar cf /dev/vda v && tar cf /dev/nvme0n1 n && sync && echo wrote-$((1+1))\n' },
        { after: 'wrote-2\r\n', type: 'poweroff -f\n' },
      ],
      1_700_000,
    );
    expect(write.code, `${write.err}\n${write.out.slice(-3000)}`).toBe(0);
    expect(write.err).toMatch(/the guest powered off/);
    expect(write.out).toContain('wrote-2\r\n');
    // The kernel's drivers found both disks (16 MiB each).
    expect(write.out).not.toMatch(/I\/O error|timeout|Abort/i);
    // On the host: a tar header naming the file, then its contents, at the start of each image.
    const vd = Buffer.from(readFileSync(join(tmp, 'vd0.raw')));
    const nv = Buffer.from(readFileSync(join(tmp, 'nv0.raw')));
    expect(vd.subarray(0, 2).toString('latin1')).toBe('v\0');
    expect(vd.subarray(512, 522).toString('latin1')).toBe('virtio 42\n');
    expect(nv.subarray(0, 2).toString('latin1')).toBe('n\0');
    expect(nv.subarray(512, 520).toString('latin1')).toBe('nvme 56\n');

    const read = await machcConsole(
      args(false),
      [
        { after: PROMPT, type: 'tar xOf /dev/vda v; tar xOf /dev/nvme0n1 n; echo read-$((1+2))\n' },
        { after: 'read-3\r\n', type: 'poweroff -f\n' },
      ],
      1_700_000,
    );
    expect(read.code, `${read.err}\n${read.out.slice(-3000)}`).toBe(0);
    expect(read.out).toMatch(/\r\nvirtio 42\r\nnvme 56\r\nread-3\r\n/);
  });
});
