/**
 * Linux's own drivers on the runtime's disk and network models: a machine
 * with a virtio-blk disk and an NVMe namespace on raw images, and an e1000e
 * and a virtio-net NIC, boots Debian's 6.1 kernel; at the shell (typed on
 * COM1 through `machc run -i`) a file goes onto each disk (as a tar archive
 * written to the block device: the initramfs has no file-system modules),
 * `sync`, power off. The images on the host now hold the archives
 * (`--persist`); a second boot, without `--persist`, reads both files back
 * and, in the same boot (one boot less in CI), pings from one NIC to the
 * other.
 *
 * Two interfaces of one Linux route each other's addresses through `lo`, so
 * the virtio-net interface is moved into a network namespace of its own
 * (busybox's unshare, `ip link set ... netns`, nsenter): the echo requests
 * and replies then leave through one NIC, cross the runtime's in-process
 * switch and come in through the other, which the interfaces' counters and
 * the switch's frame count in `machc run`'s summary show.
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
  - { id: rp3, model: pcie-root-port, chassis: 1, slot: 3 }
  - { id: nic0, model: e1000e, bus: rp3, mac: 52:54:00:0e:00:01 }
  - { id: rp4, model: pcie-root-port, chassis: 1, slot: 4 }
  - { id: nic1, model: virtio-net, bus: rp4, mac: 52:54:00:0e:00:02 }
`;
const PROMPT = '\n/ # ';

/**
 * The ping, typed at the shell: A (e1000e, 10.0.14.1) stays in the initial
 * network namespace, B (virtio-net, 10.0.14.2) moves into a new one held by
 * a sleeping process. Each line ends with a marker the next step waits for.
 */
const NET_SETUP = [
  'A=$(grep -l 52:54:00:0e:00:01 /sys/class/net/*/address | cut -d/ -f5); B=$(grep -l 52:54:00:0e:00:02 /sys/class/net/*/address | cut -d/ -f5)',
  'unshare -n sleep 3600 & P=$!',
  'while [ "$(readlink /proc/$P/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.1; done',
  'ip link set $B netns $P && nsenter -t $P -n sh -c "ip addr add 10.0.14.2/24 dev $B && ip link set $B up"',
  'ip addr add 10.0.14.1/24 dev $A && ip link set $A up && echo "net-$((2*3)) $A $B"',
].join('; ');
const PING = [
  'n=0; while [ "$(cat /sys/class/net/$A/operstate)" != up ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done',
  'ping -c 3 -A -W 5 10.0.14.2',
  'echo "nic-a tx=$(cat /sys/class/net/$A/statistics/tx_packets) rx=$(cat /sys/class/net/$A/statistics/rx_packets)"',
  // /proc/net/dev as the namespace sees it: B's counters (its sysfs entry left with it).
  'nsenter -t $P -n cat /proc/net/dev | grep "$B:" | { read i rb rp x x x x x x tb tp x; echo "nic-b tx=$tp rx=$rp"; }',
  'echo pinged-$((3*3))',
].join('; ');

describe.runIf(ready)('Linux on the runtime: virtio-blk, NVMe, e1000e and virtio-net', () => {
  it('a file written to a virtio-blk disk and to an NVMe namespace, synced, reads back on the next boot; an e1000e and a virtio-net NIC exchange a ping', { timeout: 3_600_000 }, async () => {
    requireBuiltCli();
    const file = join(tmp, 'disks.yaml');
    writeFileSync(file, MACHINE);
    for (const img of ['vd0.raw', 'nv0.raw']) writeFileSync(join(tmp, img), new Uint8Array(16 * 2 ** 20));
    const { kernel, path: initrd } = buildInitramfs();
    const args = (persist: boolean, nics = false) => {
      const loadModules = ['virtio_pci', 'virtio_blk', 'nvme', ...(nics ? ['e1000e', 'virtio_net'] : [])];
      return [file, '--kernel', kernel.vmlinuz, '--initrd', initrd, '--append', guestCommandLine({ loadModules, append: 'machc.shell' }), '--max-insns', '40000000000', ...(persist ? ['--persist'] : [])];
    };

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
      args(false, true),
      [
        { after: PROMPT, type: 'tar xOf /dev/vda v; tar xOf /dev/nvme0n1 n; echo read-$((1+2))\n' },
        { after: 'read-3\r\n', type: `${NET_SETUP}\n` },
        { after: 'net-6 ', type: `${PING}\n` },
        { after: 'pinged-9\r\n', type: 'poweroff -f\n' },
      ],
      1_700_000,
    );
    expect(read.code, `${read.err}\n${read.out.slice(-3000)}`).toBe(0);
    expect(read.out).toMatch(/\r\nvirtio 42\r\nnvme 56\r\nread-3\r\n/);

    // The ping: every request answered, through both NICs.
    expect(read.out).toMatch(/net-6 eth\d eth\d\r\n/);
    expect(read.out).toContain('3 packets transmitted, 3 packets received, 0% packet loss');
    const counters = (nic: string) => {
      const m = new RegExp(`${nic} tx=(\\d+) rx=(\\d+)\\r\\n`).exec(read.out);
      expect(m, `${nic}'s counters in ${read.out.slice(-1500)}`).not.toBeNull();
      return { tx: Number(m![1]), rx: Number(m![2]) };
    };
    const a = counters('nic-a');
    const b = counters('nic-b');
    // Each side sent at least its three echo messages and received the other's (ARP and IPv6 come on top).
    for (const nic of [a, b]) {
      expect(nic.tx).toBeGreaterThanOrEqual(3);
      expect(nic.rx).toBeGreaterThanOrEqual(3);
    }
    // The runtime's switch carried every frame the two NICs sent (more may follow before the power-off).
    const frames = /, ([\d,]+) Ethernet frames switched between 2 NICs/.exec(read.err);
    expect(frames, read.err).not.toBeNull();
    expect(Number(frames![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(a.tx + b.tx);
  });
});
