/**
 * The platform devices against QEMU 7.2 itself: the same port and memory
 * accesses go to a stopped QEMU through its qtest protocol and to our
 * machine (no CPU on either side, guest time frozen at 0), and every value
 * read must be equal. Each script exercises one device the way firmware and
 * OSes program it, including the corners QEMU has opinions about (masks,
 * read-only bits, latches, flip-flops).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Q35Machine, VirtualClock, type Q35MachineOptions } from '../../runtime/index.js';
import { runOnMachine, runOnQemu } from '../support/qtest.js';
import { needTools } from '../support/tools.js';

const MiB = 2 ** 20;
const haveQemu = needTools('qemu-system-x86_64');
const SEABIOS = '/usr/share/seabios/bios.bin';

interface Setup {
  /** QEMU options after -nodefaults. */
  readonly qemu: readonly string[];
  readonly machine: Q35MachineOptions;
}

const BASE: Setup = {
  qemu: ['-machine', 'pc-q35-7.2,smm=off', '-m', '512M'],
  machine: { ram: { below4g: 512 * MiB }, display: 'none', serial: false, parallel: false },
};

const LEGACY: Setup = {
  qemu: ['-machine', 'pc-q35-7.2,smm=off', '-m', '512M', '-serial', 'null', '-parallel', 'null', '-vga', 'std'],
  machine: { ram: { below4g: 512 * MiB } },
};

function machine(s: Setup): Q35Machine {
  const m = new Q35Machine({ clock: new VirtualClock({ pollStep: 0 }), ...s.machine });
  m.reset();
  return m;
}

function same(setup: Setup, script: string): void {
  const ours = runOnMachine(machine(setup), script);
  const qemu = runOnQemu(setup.qemu, script);
  expect(ours).toEqual(qemu);
}

describe.skipIf(!haveQemu)('platform devices answer as QEMU 7.2 does', () => {
  it('8259 pair: ELCR masks, initialization words, IMR, IRR/ISR select, poll, special mask', () => {
    same(
      BASE,
      `
      inb 0x20
      inb 0x21
      inb 0xa1
      outb 0x4d0 0xff
      inb 0x4d0
      outb 0x4d1 0xff
      inb 0x4d1
      outw 0x4d0 0x0c00
      inb 0x4d0
      inb 0x4d1
      # ICW1-4 on both, then masks
      outb 0x20 0x11
      outb 0x21 0x08
      outb 0x21 0x04
      outb 0x21 0x01
      outb 0xa0 0x11
      outb 0xa1 0x70
      outb 0xa1 0x02
      outb 0xa1 0x01
      outb 0x21 0xb8
      outb 0xa1 0x8f
      inb 0x21
      inb 0xa1
      outb 0x20 0x0b
      inb 0x20
      outb 0x20 0x0a
      inb 0x20
      outb 0x20 0x0c
      inb 0x20
      inb 0x20
      outb 0x20 0x68
      inb 0x21
      outw 0x20 0xfe0a
      inb 0x21
      inw 0x20
      outb 0x20 0xc3
      outb 0x20 0x20
      inb 0x20
      `,
    );
  });

  it('8254: control words, latches, read-back status, LSB/MSB sequencing and port 0x61', () => {
    same(
      BASE,
      `
      inb 0x40
      inb 0x40
      inb 0x61
      inb 0x61
      outb 0x43 0x34
      outb 0x40 0x9c
      outb 0x40 0x2e
      inb 0x40
      inb 0x40
      outb 0x43 0x00
      inb 0x40
      outb 0x43 0xe2
      inb 0x40
      inb 0x40
      inb 0x40
      outb 0x43 0xb0
      outb 0x42 0x00
      outb 0x42 0x08
      outb 0x61 0x01
      inb 0x61
      outb 0x43 0xd8
      inb 0x42
      outb 0x43 0x54
      outb 0x41 0x12
      inb 0x41
      inb 0x43
      outb 0x61 0x03
      inb 0x61
      `,
    );
  });

  it('RTC/CMOS: registers A-D, the NVRAM QEMU fills for 512 MiB, the index ignores the NMI bit', () => {
    const nvram = [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, ...Array.from({ length: 0x80 - 0x10 }, (_, i) => 0x10 + i).filter((i) => i !== 0x32)];
    const script = nvram.map((i) => `outb 0x70 0x${(i | 0x80).toString(16)}\ninb 0x71`).join('\n');
    same(BASE, `${script}\ninb 0x70\noutb 0x70 0x0b\noutb 0x71 0x86\ninb 0x71\noutb 0x70 0x0a\noutb 0x71 0x2a\ninb 0x71\noutb 0x70 0x0c\ninb 0x71`);
  });

  for (const [label, qemu, ram, cpus] of [
    ['4 GiB (RAM above 4 GiB)', ['-m', '4G'], { below4g: 2 * 1024 * MiB, above4g: 2 * 1024 * MiB }, 1],
    ['4 CPUs', ['-m', '512M', '-smp', '4'], { below4g: 512 * MiB }, 4],
  ] as const) {
    it(`CMOS NVRAM with ${label}`, () => {
      const script = Array.from({ length: 0x70 }, (_, i) => 0x10 + i)
        .filter((i) => i !== 0x32)
        .map((i) => `outb 0x70 0x${i.toString(16)}\ninb 0x71`)
        .join('\n');
      same({ qemu: ['-machine', 'pc-q35-7.2,smm=off', ...qemu], machine: { ...BASE.machine, ram, cpus } }, script);
    });
  }

  it('i8042: status, self tests, mode byte, output port, keyboard reset and ID through the controller', () => {
    same(
      BASE,
      `
      inb 0x64
      outb 0x64 0xaa
      inb 0x64
      inb 0x60
      inb 0x64
      outb 0x64 0xab
      inb 0x60
      outb 0x64 0x20
      inb 0x60
      outb 0x64 0x60
      outb 0x60 0x61
      outb 0x64 0x20
      inb 0x60
      outb 0x64 0xd0
      inb 0x60
      outb 0x64 0xad
      outb 0x64 0xa7
      outb 0x60 0xff
      inb 0x64
      inb 0x60
      inb 0x64
      inb 0x60
      inb 0x64
      outb 0x60 0xf2
      inb 0x60
      inb 0x60
      inb 0x60
      outb 0x60 0xf0
      inb 0x60
      outb 0x60 0x02
      inb 0x60
      outb 0x60 0xf0
      inb 0x60
      outb 0x60 0x00
      inb 0x60
      inb 0x60
      outb 0x64 0xd4
      outb 0x60 0xff
      inb 0x64
      inb 0x60
      inb 0x64
      inb 0x60
      inb 0x60
      outb 0x64 0xd4
      outb 0x60 0xf2
      inb 0x60
      inb 0x60
      outb 0x64 0xd2
      outb 0x60 0x5a
      inb 0x64
      inb 0x60
      outb 0x64 0xd3
      outb 0x60 0xa5
      inb 0x64
      inb 0x60
      inb 0x60
      outb 0x64 0xc0
      inb 0x60
      outb 0x64 0xdd
      outb 0x64 0xd0
      inb 0x60
      outb 0x64 0xdf
      outb 0x64 0xd0
      inb 0x60
      inb 0x64
      `,
    );
  });

  it('16550 UART: divisor latch, IER/IIR (THRE interrupt), FIFO control, loopback, scratch', () => {
    same(
      LEGACY,
      `
      inb 0x3f9
      inb 0x3fa
      inb 0x3fb
      inb 0x3fc
      inb 0x3fd
      inb 0x3fe
      outb 0x3f9 0x02
      inb 0x3f9
      inb 0x3fa
      inb 0x3fa
      outb 0x3f9 0x00
      outb 0x3f9 0x02
      inb 0x3fa
      outb 0x3f9 0x00
      outb 0x3fb 0x83
      outb 0x3f8 0x01
      outb 0x3f9 0x00
      inb 0x3f8
      inb 0x3f9
      outb 0x3fb 0x03
      outb 0x3fa 0xc7
      inb 0x3fa
      outb 0x3fc 0x1b
      inb 0x3fc
      inb 0x3fe
      outb 0x3f8 0x41
      inb 0x3fd
      outb 0x3f9 0x01
      inb 0x3fa
      inb 0x3f8
      inb 0x3fd
      inb 0x3fa
      outb 0x3fa 0x00
      outb 0x3f8 0x42
      outb 0x3f8 0x43
      inb 0x3fd
      inb 0x3f8
      inb 0x3fd
      outb 0x3ff 0x5a
      inb 0x3ff
      `,
    );
  });

  it('parallel port: SeaBIOS probe, control and status handshake', () => {
    same(
      LEGACY,
      `
      inb 0x378
      inb 0x379
      inb 0x37a
      inb 0x37b
      outb 0x37a 0x0c
      outb 0x378 0xaa
      inb 0x378
      outb 0x37a 0x0d
      inb 0x379
      outb 0x37a 0x0c
      inb 0x379
      inb 0x379
      inb 0x379
      outb 0x37a 0x08
      inb 0x379
      outb 0x37a 0x2c
      inb 0x378
      inb 0x37a
      `,
    );
  });

  it('port 0x92 and the kvmvapic, POST and FERR ports', () => {
    same(BASE, 'inb 0x92\noutb 0x92 0x02\ninb 0x92\noutb 0x92 0x00\ninb 0x92\ninb 0x80\ninb 0xf0\ninb 0x7e\ninl 0x7e');
  });

  it('I/O APIC: ID, version, arbitration, redirection entries with read-only bits, narrow accesses', () => {
    same(
      BASE,
      `
      readl 0xfec00000
      writel 0xfec00000 0x00
      readl 0xfec00010
      writel 0xfec00010 0x0f000000
      readl 0xfec00010
      writel 0xfec00010 0xffffffff
      readl 0xfec00010
      writel 0xfec00000 0x01
      readl 0xfec00010
      writel 0xfec00000 0x02
      readl 0xfec00010
      writel 0xfec00000 0x10
      readl 0xfec00010
      writel 0xfec00010 0x0001d030
      readl 0xfec00010
      writel 0xfec00000 0x11
      writel 0xfec00010 0xff000000
      readl 0xfec00010
      writel 0xfec00000 0x3f
      readl 0xfec00010
      writel 0xfec00000 0x40
      readl 0xfec00010
      readl 0xfec00000
      readb 0xfec00000
      readw 0xfec00010
      `,
    );
  });

  it('HPET: capabilities, configuration, timer capabilities, counter while halted, legacy route bits', () => {
    same(
      BASE,
      `
      readl 0xfed00000
      readl 0xfed00004
      readl 0xfed00010
      readl 0xfed00020
      readl 0xfed000f0
      readl 0xfed00100
      readl 0xfed00104
      readl 0xfed00108
      readl 0xfed0010c
      readl 0xfed00120
      readl 0xfed00124
      readl 0xfed00140
      readl 0xfed00160
      readl 0xfed00164
      writel 0xfed000f0 0x12345678
      writel 0xfed000f4 0x9
      readl 0xfed000f0
      readl 0xfed000f4
      writel 0xfed00100 0xffffffff
      readl 0xfed00100
      writel 0xfed00010 0xffffffff
      readl 0xfed00010
      writel 0xfed00010 0x0
      writel 0xfed00108 0x1000
      readl 0xfed00108
      readl 0xfed0010c
      writel 0xfed00000 0x0
      readl 0xfed00000
      `,
    );
  });

  it('fw_cfg: signature and ID through the IO and DMA ports, the DMA register signature, odd widths', () => {
    same(
      BASE,
      `
      outw 0x510 0x0000
      inb 0x511
      inb 0x511
      inb 0x511
      inb 0x511
      inb 0x511
      outw 0x510 0x0001
      inb 0x510
      inw 0x510
      inl 0x511
      inl 0x514
      inl 0x518
      inw 0x516
      inb 0x517
      outw 0x510 0x0003
      inb 0x511
      inb 0x511
      inb 0x511
      inb 0x511
      outw 0x510 0x0005
      inb 0x511
      inb 0x511
      outw 0x510 0x000f
      inb 0x511
      outw 0x510 0x8002
      inb 0x511
      outw 0x510 0x7fff
      inb 0x511
      outl 0x510 0x0000
      inb 0x511
      `,
    );
  });

  it('fw_cfg DMA: select and read the signature into RAM, skip, read past the end, control written back', () => {
    // FWCfgDmaAccess at 0x1000 (big endian): control, length, address.
    same(
      BASE,
      `
      writel 0x1000 0x08000000
      writel 0x1004 0x06000000
      writel 0x1008 0x00000000
      writel 0x100c 0x00200000
      writel 0x1000 0x0a000000
      outl 0x514 0x0
      outl 0x518 0x00100000
      readl 0x1000
      readl 0x2000
      readl 0x2004
      writel 0x1000 0x0a000100
      writel 0x1004 0x02000000
      writel 0x100c 0x10200000
      outl 0x514 0x0
      outl 0x518 0x00100000
      readl 0x1000
      readl 0x2010
      writel 0x1000 0x04000000
      writel 0x1004 0x01000000
      outl 0x514 0x0
      outl 0x518 0x00100000
      readl 0x1000
      writel 0x1000 0x10000000
      writel 0x1004 0x01000000
      outl 0x514 0x0
      outl 0x518 0x00100000
      readl 0x1000
      `,
    );
  });

  it('std VGA: VBE ID, memory size and capabilities, DAC, sequencer and graphics masks, attribute flip-flop', () => {
    same(
      LEGACY,
      `
      outw 0x1ce 0x0000
      inw 0x1cf
      outw 0x1cf 0xb0c0
      inw 0x1cf
      outw 0x1cf 0x1234
      inw 0x1cf
      outw 0x1cf 0xb0c5
      outw 0x1ce 0x000a
      inw 0x1cf
      outw 0x1ce 0x0004
      outw 0x1cf 0x0002
      outw 0x1ce 0x0001
      inw 0x1cf
      outw 0x1ce 0x0002
      inw 0x1cf
      outw 0x1ce 0x0003
      inw 0x1cf
      outw 0x1ce 0x0004
      outw 0x1cf 0x0000
      outw 0x1ce 0x0001
      inw 0x1cf
      inw 0x1ce
      outb 0x3c8 0x10
      outb 0x3c9 0x3f
      outb 0x3c9 0x20
      outb 0x3c9 0x01
      outb 0x3c7 0x10
      inb 0x3c9
      inb 0x3c9
      inb 0x3c9
      inb 0x3c7
      inb 0x3c8
      inb 0x3c6
      outw 0x3c4 0xff01
      outb 0x3c4 0x01
      inb 0x3c5
      outw 0x3ce 0xff05
      outb 0x3ce 0x05
      inb 0x3cf
      inb 0x3cc
      outb 0x3c2 0x67
      inb 0x3cc
      inb 0x3da
      outb 0x3c0 0x10
      outb 0x3c0 0xff
      outb 0x3c0 0x10
      inb 0x3c1
      inb 0x3c0
      inb 0x3da
      inb 0x3c0
      outb 0x3d4 0x11
      outb 0x3d5 0x80
      outb 0x3d4 0x01
      outb 0x3d5 0x55
      inb 0x3d5
      outb 0x3d4 0x11
      outb 0x3d5 0x00
      outb 0x3d4 0x01
      outb 0x3d5 0x55
      inb 0x3d5
      inb 0x3b5
      inb 0x3b0
      `,
    );
  });

  it('std VGA memory: odd/even text writes, planar write modes and read modes through the 0xa0000 window', () => {
    same(
      LEGACY,
      `
      outb 0x3c2 0x67
      outw 0x3ce 0x0e06
      outw 0x3ce 0x1005
      outw 0x3c4 0x0302
      outw 0x3c4 0x0204
      writew 0xb8000 0x0741
      writew 0xb8002 0x1f42
      readw 0xb8000
      readw 0xb8002
      readb 0xa0000
      outw 0x3ce 0x0506
      outw 0x3ce 0x0005
      outw 0x3c4 0x0604
      outw 0x3c4 0x0f02
      outw 0x3ce 0xff08
      writeb 0xa0010 0x3c
      outw 0x3ce 0x0004
      readb 0xa0010
      outw 0x3ce 0x0104
      readb 0xa0010
      outw 0x3c4 0x0402
      writeb 0xa0011 0xf0
      outw 0x3ce 0x0204
      readb 0xa0011
      outw 0x3c4 0x0f02
      outw 0x3ce 0x0f01
      outw 0x3ce 0x0a00
      outw 0x3ce 0x3c08
      writeb 0xa0012 0x00
      outw 0x3ce 0x0104
      readb 0xa0012
      outw 0x3ce 0x0304
      readb 0xa0012
      outw 0x3ce 0x0805
      outw 0x3ce 0x0a02
      outw 0x3ce 0x0f07
      readb 0xa0012
      outw 0x3ce 0x0205
      outw 0x3ce 0xff08
      writeb 0xa0013 0x05
      outw 0x3ce 0x0005
      outw 0x3ce 0x0004
      readb 0xa0013
      outw 0x3ce 0x0204
      readb 0xa0013
      outw 0x3ce 0x1803
      outw 0x3ce 0x0001
      readb 0xa0010
      writeb 0xa0013 0xff
      outw 0x3ce 0x0004
      readb 0xa0013
      outw 0x3c4 0x0e04
      writel 0xa0020 0x11223344
      readl 0xa0020
      readb 0xb0000
      `,
    );
  });

  it('BIOS flash and PAM: the image below 4 GiB, its last 128 KiB at 0xe0000, shadowing, the PCI side transparent over RAM', () => {
    if (!needTools(SEABIOS)) return;
    const bios = new Uint8Array(readFileSync(SEABIOS));
    // No writes while a segment is RE-only: QEMU's debug path (qtest, DMA) writes RAM there, while its CPU's
    // writes are discarded (TLB_DISCARD_WRITE); our machine does what the CPU sees (tested below).
    same(
      { qemu: [...BASE.qemu, '-bios', SEABIOS], machine: { ...BASE.machine, bios } },
      `
      readl 0xfffffff0
      readl 0xfffe0000
      readl 0xffff0000
      readl 0xf0000
      readl 0xffff0
      readl 0xe0000
      writel 0xf0000 0x12345678
      readl 0xf0000
      outl 0xcf8 0x80000090
      outl 0xcfc 0x33333330
      readl 0xf0000
      writel 0xf0000 0x12345678
      readl 0xf0000
      outl 0xcfc 0x00000010
      readl 0xf0000
      outl 0xcfc 0x00000000
      readl 0xf0000
      readl 0xc0000
      writel 0xc0000 0x55aa
      readl 0xc0000
      outl 0xcfc 0x00002200
      writel 0xc4000 0x66bb
      readl 0xc4000
      outl 0xcfc 0x00000000
      readl 0xc4000
      outl 0xcf8 0x8000009c
      inb 0xcfd
      readl 0xa0000
      writel 0xa0000 0x11111111
      outb 0xcfd 0x4a
      readl 0xa0000
      writel 0xa0000 0x22222222
      readl 0xa0000
      outb 0xcfd 0x0a
      readl 0xa0000
      readl 0xe0000000
      readl 0xfec01000
      `,
    );
  });

  it('with a VGA the closed SMRAM window is the VGA memory, not RAM', () => {
    same(
      LEGACY,
      `
      outw 0x3ce 0x0006
      outw 0x3ce 0x0005
      outw 0x3c4 0x0f02
      outw 0x3c4 0x0e04
      writel 0xa0000 0x11111111
      readl 0xa0000
      outl 0xcf8 0x8000009c
      outb 0xcfd 0x4a
      readl 0xa0000
      writel 0xa0000 0x22222222
      outb 0xcfd 0x0a
      readl 0xa0000
      outb 0xcfd 0x4a
      readl 0xa0000
      `,
    );
  });
});
