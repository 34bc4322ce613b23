/**
 * SeaBIOS boots a boot sector from each disk model on the runtime: an AHCI
 * SATA disk, virtio-blk and NVMe, from raw and from qcow2 images, chosen by
 * the machine's `boot:` order (`machc run FILE --until ...` in process).
 * Where QEMU 7.2 is installed the same build boots the same images there
 * and prints the same marker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { OutputWatch } from '../../runtime/machine/runner.js';
import { seabiosOnQemu } from '../support/seabios.js';
import { inCi, needTools, toolStatus } from '../support/tools.js';

const BIOS = '/usr/share/seabios/bios-256k.bin';
const dir = mkdtempSync(join(tmpdir(), 'machc-disk-boot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A 512-byte MBR boot sector that writes `text` and a newline to the debug
 * console (0x402) and COM1 (0x3f8), then stops with cli; hlt. Loaded at
 * 0000:7c00 by the BIOS; the text sits at 0x7c20.
 */
function bootSector(text: string): Uint8Array {
  const code = [
    0x31, 0xc0, //             xor ax, ax
    0x8e, 0xd8, //             mov ds, ax
    0xbe, 0x20, 0x7c, //       mov si, 0x7c20
    0xac, //             next: lodsb
    0x84, 0xc0, //             test al, al
    0x74, 0x0a, //             jz done
    0xba, 0x02, 0x04, //       mov dx, 0x402
    0xee, //                   out dx, al
    0xba, 0xf8, 0x03, //       mov dx, 0x3f8
    0xee, //                   out dx, al
    0xeb, 0xf1, //             jmp next
    0xfa, //             done: cli
    0xf4, //                   hlt
    0xeb, 0xfc, //             jmp done
  ];
  const s = new Uint8Array(512);
  s.set(code);
  s.set(Buffer.from(`${text}\n\0`, 'latin1'), 0x20);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

const DISKS = [
  { id: 'sata0', what: 'AHCI SATA disk', line: (image: string) => `{ id: sata0, model: sata-disk, bus: ahci, port: 0, image: ${image} }` },
  { id: 'vblk0', what: 'virtio-blk', line: (image: string) => `{ id: vblk0, model: virtio-blk, image: ${image} }` },
  { id: 'nvme0', what: 'NVMe', line: (image: string) => `{ id: nvme0, model: nvme, serial: NVME0001, image: ${image} }` },
] as const;
type Format = 'raw' | 'qcow2';

/**
 * A machine with the three disks, each holding a boot sector that names
 * its own device, booting from `boot`; returns the machine file's path.
 */
function machine(boot: string, format: Format): string {
  const folder = mkdtempSync(join(dir, `${boot}-${format}-`));
  for (const d of DISKS) {
    const disk = new Uint8Array(1024 * 1024);
    disk.set(bootSector(`machc-boot-ok ${d.id}`));
    writeFileSync(join(folder, `${d.id}.raw`), disk);
    if (format === 'qcow2') {
      const r = spawnSync('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', `${d.id}.raw`, `${d.id}.qcow2`], { cwd: folder, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`qemu-img: ${r.stderr}`);
      rmSync(join(folder, `${d.id}.raw`));
    }
  }
  const file = join(folder, 'boot.yaml');
  writeFileSync(
    file,
    [`name: boot-${boot}`, 'chipset: q35', 'cpus: 1', 'memory: 128 MiB', `boot: [${boot}]`, 'devices:', ...DISKS.map((d) => `  - ${d.line(`${d.id}.${format}`)}`), ''].join('\n'),
  );
  return file;
}

async function run(...args: string[]) {
  const io = bufferIo();
  const code = await main(['run', ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

const cases = (['raw', 'qcow2'] as const).flatMap((format) => DISKS.map((d) => [d.what, format, d.id] as const));

describe.runIf(needTools(BIOS))('SeaBIOS boots a boot sector on the runtime', () => {
  it.each(cases)('from the %s (%s image), first in the boot order', async (_what, format, id) => {
    if (format === 'qcow2' && !needTools('qemu-img')) return;
    const file = machine(id, format);
    const log = join(file, '..', 'debugcon.log');
    const r = await run(file, '--until', `machc-boot-ok ${id}`, '--max-insns', '60_000_000', '--debugcon', log);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`saw "machc-boot-ok ${id}" after`));
    // COM1 carries the boot sector's line (the run stops as the debug console completes it), and nothing of another disk's sector.
    expect(r.out).toMatch(new RegExp(`^machc-boot-ok ${id}\n?$`));
    // SeaBIOS found the three disks and booted the first in the order.
    const text = readFileSync(log, 'latin1');
    expect(text).toContain('AHCI/0: registering: "AHCI/0: QEMU HARDDISK ATA-7 Hard-Disk (1 MiBytes)"');
    expect(text).toContain('pci dev 00:02.0 using modern (1.0) virtio mode');
    expect(text.match(/^drive 0x[0-9a-f]+: PCHS=.* s=2048$/gm)).toHaveLength(3);
    expect(text).toContain(`Booting from Hard Disk...\nBooting from 0000:7c00\nmachc-boot-ok ${id}\n`);
  }, 600_000);

  it('--persist on a writable qcow2 drive is refused before the guest starts (exit 2, the drive named)', async () => {
    if (!needTools('qemu-img')) return;
    const file = machine('vblk0', 'qcow2');
    const r = await run(file, '--persist');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`boot.yaml:8: vblk0: disk: ${join(file, '..', 'vblk0.qcow2')} is a qcow2 image; qcow2 images run with an in-memory overlay only`);
    expect(r.err).toContain(`boot.yaml:9: nvme0: namespace 1: ${join(file, '..', 'nvme0.qcow2')} is a qcow2 image`);
    expect(r.err).toContain(`ich9-ahci 00:1f.2: port 0: ${join(file, '..', 'sata0.qcow2')} is a qcow2 image`);
  });

  it('a boot sector that stops with cli; hlt ends the run (exit 4: halted with interrupts disabled)', async () => {
    const r = await run(machine('vblk0', 'raw'), '--max-insns', '60_000_000');
    expect(r.code, r.err).toBe(4);
    expect(r.out).toBe('machc-boot-ok vblk0\n');
    expect(r.err).toContain('every CPU is halted with interrupts disabled');
  }, 600_000);
});

describe('the console watch', () => {
  it('sees a text written to COM1 and the debug console byte by byte in turn, on each stream', () => {
    const w = new OutputWatch('machc-boot-ok');
    for (const c of Buffer.from('machc-boot-o', 'latin1')) {
      w.push(c, 0);
      w.push(c, 1);
    }
    expect(w.matched).toBe(false);
    w.push(0x6b, 1);
    expect(w.matched).toBe(true);
  });

  it('finds a text whose start repeats inside it, after a false start of it', () => {
    for (const [text, out, found] of [
      ['aab', 'aaab', true],
      ['abab', 'abaabab', true],
      ['\n/ # ', 'x\n/ \n/ # ', true],
      ['abc', 'abxabd', false],
    ] as const) {
      const w = new OutputWatch(text);
      for (const c of Buffer.from(out, 'latin1')) w.push(c);
      expect(w.matched, `${JSON.stringify(text)} in ${JSON.stringify(out)}`).toBe(found);
    }
  });
});

const qemu = toolStatus('qemu-system-x86_64').ok && toolStatus('qemu-img').ok;
describe.runIf(needTools(BIOS) && (qemu || inCi()))('the same machines on QEMU 7.2', () => {
  it.each(cases)('QEMU boots the %s (%s image) the same way', async (_what, format, id) => {
    if (!needTools('qemu-system-x86_64', 'qemu-img')) return;
    const file = machine(id, format);
    const r = compileMachine(file);
    expect(r.machine, r.diagnostics.sorted().map((d) => d.message).join('; ')).toBeDefined();
    const until = new RegExp(`^machc-boot-ok \\w+$`, 'm');
    const q = await seabiosOnQemu(r.machine!, { bios: BIOS, imageDir: join(file, '..'), until, timeoutMs: 60_000 });
    expect(q.stop).toBe('stop pattern');
    expect(until.exec(q.log)![0]).toBe(`machc-boot-ok ${id}`);
    expect(q.log).toContain(`Booting from Hard Disk...\nBooting from 0000:7c00\nmachc-boot-ok ${id}\n`);
    expect(q.log.match(/^drive 0x[0-9a-f]+: PCHS=.* s=2048$/gm)).toHaveLength(3);
  }, 120_000);
});
