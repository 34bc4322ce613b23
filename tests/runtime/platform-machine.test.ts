/**
 * The platform devices in motion, through the machine's ports, memory and
 * each CPU's CpuPlatform: what QEMU's stopped clock cannot show in the
 * differential tests. Guest time here is the VirtualClock driven by a fake
 * instruction counter (1 ns per instruction), and timers fire when the test
 * runs them, as a CPU's run loop would.
 *
 * - Timers: PIT counter 0 interrupts at its rate through the 8259 to the
 *   CPU, RTC periodic and update-ended interrupts, the local APIC timer
 *   (one-shot and periodic), HPET comparators with legacy replacement.
 * - Delivery: I/O APIC edge and level entries (Remote IRR until EOI), MSIs
 *   from PCI functions, IPIs including INIT and SIPI, TPR/PPR blocking,
 *   the 8259's ExtINT through LINT0.
 * - The CPU's view: direct pages for RAM, ROM and read-only shadows, none
 *   for MMIO and the APIC page, map-change notices, the A20 gate.
 * - Sinks: COM1, the debug console (with its 0xe9 read-back), LPT1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Nvme, PcieRootPort, Q35Machine, VirtualClock, registers as R, type Q35MachineOptions } from '../../runtime/index.js';
import { cf8Write, ecamWrite, enableEcam } from './support.js';
import { needTools } from '../support/tools.js';

const MiB = 2 ** 20;

/** A machine whose guest time the test moves (1 instruction = 1 ns). */
function rig(opts: Partial<Q35MachineOptions> = {}) {
  let insns = 0;
  const clock = new VirtualClock({ pollStep: 0 });
  clock.instructions = () => insns;
  const m = new Q35Machine({ ram: { below4g: 256 * MiB }, clock, ...opts });
  m.reset();
  const advance = (ns: number) => {
    const target = clock.now() + ns;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = Math.min(clock.nextDeadline(), target);
      insns += Math.max(0, due - clock.now());
      clock.runDue();
      if (clock.now() >= target) return;
    }
    throw new Error('timers never settle');
  };
  return { m, clock, advance, cpu: m.platform(0) };
}

/** ICW1-4 for both 8259s with vector bases 0x08 and 0x70, as a BIOS sets them; everything unmasked. */
function initPic(m: Q35Machine): void {
  const w = (port: number, v: number) => m.io.write(port, 1, v);
  w(0x20, 0x11);
  w(0x21, 0x08);
  w(0x21, 0x04);
  w(0x21, 0x01);
  w(0xa0, 0x11);
  w(0xa1, 0x70);
  w(0xa1, 0x02);
  w(0xa1, 0x01);
  w(0x21, 0x00);
  w(0xa1, 0x00);
}

const eoi = (m: Q35Machine, slave = false) => {
  if (slave) m.io.write(0xa0, 1, 0x20);
  m.io.write(0x20, 1, 0x20);
};

describe('timers', () => {
  it('PIT counter 0 in mode 2 interrupts every count ticks: IRQ 0 through the 8259 and LINT0 to the CPU', () => {
    const { m, advance, cpu } = rig();
    initPic(m);
    // Mode 2, count 1193 (1.000 ms at 1.193182 MHz).
    m.io.write(0x43, 1, 0x34);
    m.io.write(0x40, 1, 1193 & 0xff);
    m.io.write(0x40, 1, 1193 >> 8);
    expect(cpu.interrupts.intr).toBe(false);
    const times: number[] = [];
    const start = m.clock.now();
    for (let t = 0; t < 3_500_000; t += 10_000) {
      advance(10_000);
      if (cpu.interrupts.intr) {
        times.push(m.clock.now() - start);
        expect(cpu.interrupts.acknowledge()).toBe(0x08);
        eoi(m);
      }
    }
    // 1193 ticks = 999,847 ns: one interrupt per millisecond, seen at the next 10 us step.
    expect(times).toEqual([1_000_000, 2_000_000, 3_000_000]);
  });

  it('port 0x61 shows counter 2 OUT rising after a mode 0 count, with the gate from bit 0', () => {
    const { m, advance } = rig();
    m.io.write(0x61, 1, 0x01);
    m.io.write(0x43, 1, 0xb0);
    m.io.write(0x42, 1, 0x00);
    m.io.write(0x42, 1, 0x08); // 0x800 ticks, about 1.7 ms
    expect(m.io.read(0x61, 1) & 0x20).toBe(0);
    advance(1_700_000);
    expect(m.io.read(0x61, 1) & 0x20).toBe(0);
    advance(20_000);
    expect(m.io.read(0x61, 1) & 0x21).toBe(0x21);
  });

  it('RTC: periodic interrupt at the register A rate on IRQ 8, flags in register C cleared by reading it', () => {
    const { m, advance, cpu } = rig();
    initPic(m);
    const cmos = (i: number, v?: number) => {
      m.io.write(0x70, 1, i);
      if (v === undefined) return m.io.read(0x71, 1);
      m.io.write(0x71, 1, v);
      return v;
    };
    cmos(0x0a, 0x26); // 1024 Hz
    cmos(0x0b, 0x42); // PIE, 24-hour
    advance(970_000);
    expect(cpu.interrupts.intr).toBe(false);
    advance(10_000);
    expect(cpu.interrupts.intr).toBe(true);
    expect(cpu.interrupts.acknowledge()).toBe(0x70);
    expect(cmos(0x0c)).toBe(0xc0);
    expect(cmos(0x0c)).toBe(0x00);
    eoi(m, true);
  });

  it('RTC: the calendar runs in guest time from the start date, update-ended interrupts once a second, UIP before the update', () => {
    const { m, advance } = rig({ rtcStart: Date.UTC(2023, 11, 31, 23, 59, 59) });
    const cmos = (i: number) => {
      m.io.write(0x70, 1, i);
      return m.io.read(0x71, 1);
    };
    expect([cmos(9), cmos(8), cmos(7), cmos(4), cmos(2), cmos(0), cmos(0x32)]).toEqual([0x23, 0x12, 0x31, 0x23, 0x59, 0x59, 0x20]);
    m.io.write(0x70, 1, 0x0b);
    m.io.write(0x71, 1, 0x12); // UIE
    advance(999_800_000);
    expect(cmos(0x0a) & 0x80).toBe(0x80); // update in progress
    advance(300_000);
    expect(cmos(0x0c)).toBe(0xb0); // IRQF | AF | UF: the alarm registers are 0, and it is midnight
    expect([cmos(9), cmos(8), cmos(7), cmos(4), cmos(2), cmos(0), cmos(0x32)]).toEqual([0x24, 0x01, 0x01, 0x00, 0x00, 0x00, 0x20]);
  });

  it('local APIC timer: one-shot and periodic with the divide configuration, current count, vector delivery and EOI', () => {
    const { advance, cpu } = rig();
    const apic = (off: number, v?: number) => (v === undefined ? cpu.memory.read(0xfee0_0000 + off, 4) : cpu.memory.write(0xfee0_0000 + off, 4, v));
    apic(0xf0, 0x1ff); // software enable
    apic(0x3e0, 0x0b); // divide by 1
    apic(0x320, 0x40); // one-shot, vector 0x40
    apic(0x380, 1000);
    advance(400);
    expect(apic(0x390)).toBe(600);
    expect(cpu.interrupts.intr).toBe(false);
    advance(601);
    expect(cpu.interrupts.intr).toBe(true);
    expect(cpu.interrupts.acknowledge()).toBe(0x40);
    expect(apic(0x100 + 0x20)).toBe(1); // ISR bit 0x40
    expect(cpu.interrupts.intr).toBe(false);
    apic(0xb0, 0);
    expect(apic(0x100 + 0x20)).toBe(0);
    apic(0x3e0, 0x00); // divide by 2
    apic(0x320, 0x20041); // periodic, vector 0x41
    apic(0x380, 100);
    let n = 0;
    for (let i = 0; i < 100; i++) {
      advance(10);
      if (cpu.interrupts.intr) {
        expect(cpu.interrupts.acknowledge()).toBe(0x41);
        apic(0xb0, 0);
        n++;
      }
    }
    expect(n).toBe(4); // every 202 ns over 1000 ns
  });

  it('HPET: legacy replacement takes IRQ 0 from the PIT; a periodic comparator interrupts through I/O APIC pin 2', () => {
    const { m, advance, cpu } = rig();
    const mem = m.memory;
    m.io.write(0x21, 1, 0xff); // the 8259 masked, as an OS using the I/O APIC leaves it
    cpu.memory.write(0xfee0_00f0, 4, 0x1ff);
    mem.write(0xfec0_0000, 4, 0x14); // redirection entry 2
    mem.write(0xfec0_0010, 4, 0x50); // vector 0x50, edge, unmasked
    mem.write(0xfed0_0100, 4, 0x14c); // timer 0: 32-bit, periodic, enabled, SETVAL (as Linux sets it)
    mem.write(0xfed0_0108, 4, 1000); // 10 us at 100 MHz
    mem.write(0xfed0_0010, 4, 0x3); // enable, legacy route
    let n = 0;
    for (let i = 0; i < 50; i++) {
      advance(1_000);
      if (cpu.interrupts.intr) {
        expect(cpu.interrupts.acknowledge()).toBe(0x50);
        cpu.memory.write(0xfee0_00b0, 4, 0);
        n++;
      }
    }
    expect(n).toBe(5);
    expect(mem.read(0xfed0_00f0, 4)).toBe(5_000);
  });
});

describe('interrupt delivery', () => {
  it('I/O APIC level entry: Remote IRR holds it until the local APIC EOIs, then it fires again while the line is high', () => {
    const { m, cpu } = rig();
    cpu.memory.write(0xfee0_00f0, 4, 0x1ff);
    m.memory.write(0xfec0_0000, 4, 0x10 + 2 * 16);
    m.memory.write(0xfec0_0010, 4, 0xa061); // vector 0x61, level, active low (polarity is not modelled)
    m.gsi.setGsi(16, true);
    expect(cpu.interrupts.acknowledge()).toBe(0x61);
    expect(m.memory.read(0xfec0_0010, 4) & 0x4000).toBe(0x4000);
    expect(cpu.interrupts.intr).toBe(false);
    cpu.memory.write(0xfee0_00b0, 4, 0); // EOI: TMR set, broadcast
    expect(cpu.interrupts.intr).toBe(true);
    expect(cpu.interrupts.acknowledge()).toBe(0x61);
    m.gsi.setGsi(16, false);
    cpu.memory.write(0xfee0_00b0, 4, 0);
    expect(cpu.interrupts.intr).toBe(false);
    expect(m.memory.read(0xfec0_0010, 4) & 0x4000).toBe(0);
  });

  it('TPR and PPR: a vector in a class at or below the priority waits; the 8259 still gets through ExtINT', () => {
    const { m, cpu } = rig();
    const apic = (off: number, v?: number) => (v === undefined ? cpu.memory.read(0xfee0_0000 + off, 4) : cpu.memory.write(0xfee0_0000 + off, 4, v));
    apic(0xf0, 0x1ff);
    apic(0x80, 0x50);
    m.apicBus.msi(0xfee0_0000, 0x45);
    expect(cpu.interrupts.intr).toBe(false);
    expect(apic(0xa0)).toBe(0x50);
    initPic(m);
    m.gsi.setGsi(1, true);
    expect(cpu.interrupts.intr).toBe(true);
    expect(cpu.interrupts.acknowledge()).toBe(0x09); // the 8259's IRQ 1
    m.gsi.setGsi(1, false);
    apic(0x80, 0x30);
    expect(cpu.interrupts.acknowledge()).toBe(0x45);
    expect(apic(0xa0)).toBe(0x40);
  });

  it('an MSI from a PCI function reaches the local APIC named in its address', () => {
    let nvme!: Nvme;
    const { m, cpu } = rig({ cpus: 2 });
    const m2 = m;
    void m2;
    const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp', chassis: 1, slot: 1 }));
    nvme = rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 'x' }));
    m.reset();
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(m, 1, 0, R.COMMAND, 2, R.CMD_MASTER);
    const cpu1 = m.platform(1);
    for (const c of [cpu, cpu1]) c.memory.write(0xfee0_00f0, 4, 0x1ff);
    // A dword write to the interrupt window, as MSI does, for APIC ID 1, vector 0x66.
    expect(nvme.dmaWrite(0xfee0_1000, Uint8Array.of(0x66, 0, 0, 0))).toBe(true);
    expect(cpu.interrupts.intr).toBe(false);
    expect(cpu1.interrupts.acknowledge()).toBe(0x66);
  });

  it('IPIs: fixed to another CPU by ID, INIT resets its APIC and SIPI starts it once; shorthands', () => {
    const { m, cpu } = rig({ cpus: 3 });
    const aps = [m.platform(1), m.platform(2)];
    const icr = (hi: number, lo: number) => {
      cpu.memory.write(0xfee0_0310, 4, hi);
      cpu.memory.write(0xfee0_0300, 4, lo);
    };
    for (const c of [cpu, ...aps]) c.memory.write(0xfee0_00f0, 4, 0x1ff);
    icr(2 << 24, 0x4070);
    expect(aps[0]!.interrupts.intr).toBe(false);
    expect(aps[1]!.interrupts.acknowledge()).toBe(0x70);
    icr(0, 0x000c_4500); // INIT to all but self
    expect(aps.map((c) => c.interrupts.init)).toEqual([true, true]);
    expect(aps[0]!.memory.read(0xfee0_00f0, 4)).toBe(0xff); // APIC back to its INIT state
    icr(0, 0x000c_4608); // SIPI vector 8
    expect(aps.map((c) => c.interrupts.sipi)).toEqual([8, 8]);
    aps[0]!.interrupts.sipi = undefined;
    icr(0, 0x000c_4609); // a second SIPI is ignored: no longer waiting
    expect(aps[0]!.interrupts.sipi).toBeUndefined();
    expect(cpu.interrupts.init).toBe(false);
    icr(0, 0x0004_4400); // NMI to self
    expect(cpu.interrupts.nmi).toBe(true);
  });

  it('APM_CNT raises an SMI on the CPU that wrote it, once SMI_EN.APMC_EN is set', () => {
    const { m } = rig({ cpus: 2 });
    const [c0, c1] = [m.platform(0), m.platform(1)];
    cf8Write(m, 0, 0xf8, 0x40, 0x601);
    cf8Write(m, 0, 0xf8, 0x44, 0x80);
    c1.io.write(0xb2, 1, 0x55);
    expect(c1.interrupts.smi).toBe(false);
    c0.io.write(0x630, 4, 0x21);
    c1.io.write(0xb2, 1, 0x55);
    expect([c0.interrupts.smi, c1.interrupts.smi]).toEqual([false, true]);
  });
});

describe("the CPU's view of memory", () => {
  it('direct pages: RAM writable, the BIOS ROM and read-only shadows not, nothing for MMIO, the APIC page or the VGA window', () => {
    if (!needTools('/usr/share/seabios/bios.bin')) return;
    const bios = new Uint8Array(readFileSync('/usr/share/seabios/bios.bin'));
    const { m, cpu } = rig({ bios });
    const mem = cpu.memory;
    const ram = mem.directPage(0x1000)!;
    expect([ram.writable, ram.bank, ram.offset]).toEqual([true, 0, 0x1000]);
    const top = mem.directPage(0xffff_f000)!;
    expect([top.writable, top.bank]).toEqual([false, -1]);
    expect(top.bytes[top.offset + 0xff0]).toBe(bios[bios.length - 16]);
    expect(mem.directPage(0xfee0_0000)).toBeUndefined();
    expect(mem.directPage(0xfec0_0000)).toBeUndefined();
    expect(mem.directPage(0xb_8000)).toBeUndefined();
    // PAM0 = 0: the BIOS alias, read-only.
    const f = mem.directPage(0xf_0000)!;
    expect([f.writable, f.bank]).toEqual([false, -1]);
    expect(f.bytes[f.offset]).toBe(bios[bios.length - 0x1_0000]);
    let changes = 0;
    mem.onMapChange(() => changes++);
    cf8Write(m, 0, 0, 0x90, 0x30);
    expect(changes).toBe(1);
    expect(mem.directPage(0xf_0000)).toMatchObject({ writable: true, bank: 0, offset: 0xf_0000 });
    cf8Write(m, 0, 0, 0x90, 0x10);
    expect(mem.directPage(0xf_0000)).toMatchObject({ writable: false, bank: 0 });
    // A CPU write to an RE-only segment is dropped, as QEMU's TCG discards it.
    mem.write(0xf_0000, 4, 0x1234_5678);
    expect(mem.read(0xf_0000, 4)).toBe(m.ram.read(0xf_0000, 4));
    expect(m.ram.read(0xf_0000, 4)).not.toBe(0x1234_5678);
  });

  it('BAR and ROM BAR changes fire map changes; the VGA BIOS in the ROM BAR is a direct ROM page', () => {
    const vgaBios = new Uint8Array(0x9c00).map((_, i) => i & 0xff);
    vgaBios[0] = 0x55;
    vgaBios[1] = 0xaa;
    const { m, cpu } = rig({ vgaBios });
    let changes = 0;
    cpu.memory.onMapChange(() => changes++);
    cf8Write(m, 0, 0x08, 0x30, 0xfeb0_0001);
    cf8Write(m, 0, 0x08, 0x04, 0x0002);
    expect(changes).toBeGreaterThan(0);
    const rom = cpu.memory.directPage(0xfeb0_0000)!;
    expect([rom.bytes[rom.offset], rom.bytes[rom.offset + 1], rom.writable]).toEqual([0x55, 0xaa, false]);
    expect(cpu.memory.read(0xfeb0_9bff, 1)).toBe(0xff);
    expect(cpu.memory.read(0xfeb0_c000, 4)).toBe(0);
  });

  it("an option ROM naming another device of the function's vendor gets the function's device ID, its sum kept (QEMU's pci_patch_ids)", () => {
    const image = (vendor: number) => {
      const rom = new Uint8Array(0x800);
      rom.set([0x55, 0xaa, 4]);
      rom.set([0x40, 0], 0x18);
      rom.set([...Buffer.from('PCIR'), vendor & 0xff, vendor >> 8, 0x99, 0x99], 0x40);
      rom[0x7ff] = (0x100 - (rom.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
      return rom;
    };
    const rom = image(0x1234);
    const other = image(0x8086); // another vendor: left alone
    for (const [image, device] of [[rom, 0x1111], [other, 0x9999]] as const) {
      const { m, cpu } = rig({ optionRoms: { 'std-vga': image } });
      cf8Write(m, 0, 0x08, 0x30, 0xfeb0_0001);
      cf8Write(m, 0, 0x08, 0x04, 0x0002);
      const seen = Array.from({ length: 0x800 }, (_, i) => cpu.memory.read(0xfeb0_0000 + i, 1));
      expect(seen[0x46]! | (seen[0x47]! << 8)).toBe(device);
      expect(seen.reduce((a, b) => a + b, 0) & 0xff).toBe(0);
    }
    expect(rom[0x46]).toBe(0x99);
  });

  it('A20: port 0x92 and the i8042 output port drive it, the last one wins; each change is a map change', () => {
    const { m, cpu } = rig();
    let changes = 0;
    cpu.memory.onMapChange(() => changes++);
    expect(cpu.a20).toBe(true);
    m.io.write(0x92, 1, 0x00);
    expect([cpu.a20, changes]).toEqual([false, 1]);
    m.io.write(0x64, 1, 0xdf);
    expect([cpu.a20, changes]).toEqual([true, 2]);
    m.io.write(0x64, 1, 0xd1);
    m.io.write(0x60, 1, 0xdd);
    expect(cpu.a20).toBe(false);
    m.io.write(0x92, 1, 0x02);
    expect(cpu.a20).toBe(true);
    m.io.write(0x92, 1, 0x03);
    expect(m.resetRequested).toBe(true);
  });

  it('IA32_APIC_BASE: BSP flag on CPU 0 only, enable bit; disabling turns the APIC off for good', () => {
    const { m } = rig({ cpus: 2 });
    expect(m.platform(0).readMsr(0x1b)).toBe(0xfee0_0900n);
    expect(m.platform(1).readMsr(0x1b)).toBe(0xfee0_0800n);
    expect(m.platform(1).readMsr(0x10)).toBeUndefined();
    expect(m.platform(1).writeMsr(0x1b, 0xfee0_0000n)).toBe(true);
    m.platform(1).writeMsr(0x1b, 0xfee0_0800n);
    expect(m.platform(1).readMsr(0x1b)).toBe(0xfee0_0000n);
  });
});

describe('sinks', () => {
  it('COM1 bytes reach the serial sink and raise IRQ 4 when THRE interrupts are on; the debug console reads back 0xe9', () => {
    const out: number[] = [];
    const dbg: number[] = [];
    const { m, cpu } = rig({ serialSink: (b) => out.push(b), debugconSink: (b) => dbg.push(b) });
    initPic(m);
    for (const c of 'Hi\n') m.io.write(0x3f8, 1, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe('Hi\n');
    m.io.write(0x3fc, 1, 0x08);
    m.io.write(0x3f9, 1, 0x02);
    expect(cpu.interrupts.acknowledge()).toBe(0x0c);
    expect(m.io.read(0x402, 1)).toBe(0xe9);
    m.io.write(0x402, 1, 0x41);
    expect(dbg).toEqual([0x41]);
  });

  it('without a debug console sink port 0x402 is unclaimed, as on a QEMU without isa-debugcon', () => {
    const { m } = rig();
    expect(m.io.read(0x402, 1)).toBe(0xff);
  });

  it('keystrokes raise IRQ 1 once the keyboard is enabled and translated', () => {
    const { m, cpu } = rig();
    initPic(m);
    m.kbc.keyboard.sendScancodes([0x1e]);
    expect(cpu.interrupts.acknowledge()).toBe(0x09);
    expect(m.io.read(0x60, 1)).toBe(0x1e);
    expect(m.io.read(0x64, 1) & 1).toBe(0);
  });
});
