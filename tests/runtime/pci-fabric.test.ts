/**
 * The PCI side of the interrupt fabric and bus-master DMA, through the
 * machine's own registers:
 *
 * - INTx from every function of every example machine reaches exactly the
 *   GSI the compiler resolved (bridge swizzle, ICH9 slot map), and the 8259
 *   IRQ a PIRQx_ROUT register names; INTx Disable, Interrupt Status,
 *   wired-OR sharing and D2xIR re-routing behave as on QEMU.
 * - DMA honours Bus Master Enable, reaches RAM (reporting pages that hold
 *   translated code), goes through an IOMMU when one is installed, and never
 *   leaves guest-physical memory.
 * - MSI and MSI-X messages are dword writes into 0xfee00000 reaching the
 *   machine's MSI sink, with per-vector masking and pending bits.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import { E1000, E1000e, Nvme, PciePciBridge, PcieRootPort, PxbPcie, Q35Machine, registers as R, VirtioNet, type PciFunction } from '../../runtime/index.js';
import { routeExpanderIntx } from '../../compiler/resolve/interrupts.js';
import { exampleMachines, loadGenerated, resolveMachine } from '../codegen/support.js';
import { cf8Write, ecamWrite, enableEcam } from './support.js';

const MiB = 2 ** 20;

function q35(extra?: (m: Q35Machine) => void): Q35Machine {
  const m = new Q35Machine({ ram: { below4g: 256 * MiB } });
  extra?.(m);
  m.reset();
  enableEcam(m);
  return m;
}

/** The GSIs currently high. */
function high(m: Q35Machine): number[] {
  return [...m.gsi.levels].flatMap((l, gsi) => (l ? [gsi] : []));
}

const LPC = 0xf8;

describe('INTx', () => {
  for (const path of exampleMachines()) {
    it(`${basename(path)}: every function's pin reaches the GSI and the 8259 IRQ the compiler resolved`, async () => {
      const resolved = resolveMachine(path);
      // Firmware routes the PIRQs to 8259 IRQs as SeaBIOS does (10, 10, 11, 11, ...).
      const { machine } = bootGuest(resolved, await loadGenerated(resolved));
      let checked = 0;
      for (const f of resolved.pci.functions) {
        if (!f.intx) continue;
        const fn = machine.pci.lookup(f.bus, f.device * 8 + f.fn)!;
        expect(fn.intxPin + 1, f.bdf).toBe(f.intx.pin);
        const link = resolved.interrupts.links.find((l) => l.name === f.intx!.link)!;
        fn.setIntx(true);
        expect(high(machine), f.bdf).toEqual([link.picIrq, f.intx.gsi]);
        fn.setIntx(false);
        expect(high(machine), f.bdf).toEqual([]);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it("an expander bridge's bus: QEMU's pxb_map_irq_fn takes the expander's slot off the pin, and ICH9's table is read at the expander's slot (rows before it for a negative pin); config cycles reach the bus by its number", () => {
    const nics: E1000e[] = [];
    const m = q35((m) => {
      const pxb = m.attach(m.root, 0x05, 0, new PxbPcie({ busName: 'pxb0', busNr: 0x40 }));
      for (const slot of [0, 1, 2, 3]) {
        const rp = m.attach(pxb.rootBus, slot, 0, new PcieRootPort({ busName: `rp${slot}`, chassis: 2, slot: slot + 1 }));
        nics.push(m.attach(rp.secondary, 0, 0, new E1000e({ bus: 'pcie-link', mac: `52:54:00:00:00:0${slot + 1}` })));
      }
    });
    // Root port at slot s swizzles INTA to pin s; the entry read is 5 * 4 + s - 5 = 15 + s: slot 3 pin 3, then slot 4 pins 0-2.
    // Slot 3 pin 3 is PIRQ[(3 + 3) % 4 + 4] = G, slot 4 pin p is PIRQ[(4 + p) % 4 + 4] = E, F, G.
    const gsis = nics.map((f) => {
      f.setIntx(true);
      const g = high(m);
      f.setIntx(false);
      return g;
    });
    expect(gsis).toEqual([[22], [20], [21], [22]]);
    expect(gsis.map(([g]) => g)).toEqual([0, 1, 2, 3].map((s) => routeExpanderIntx(1, [0], s, 5).gsi));
    // Wired-OR on pcie.0's router: two wires into PIRQ G, one drops, the input stays high.
    nics[0]!.setIntx(true);
    nics[3]!.setIntx(true);
    nics[0]!.setIntx(false);
    expect(high(m)).toEqual([22]);
    nics[3]!.setIntx(false);
    expect(m.pci.lookup(0x40, 0x08)?.model).toBe('pcie-root-port');
    expect(m.pci.lookup(0x00, 0x28)?.vendorId).toBe(0x1b36);
  });

  it('bridges swizzle by device number, and root slot 0x10 sends INTA-D to PIRQ E-H (QEMU ich9_cc_init)', () => {
    let bridge!: PciePciBridge;
    const fns: E1000[] = [];
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp', chassis: 1, slot: 1 }));
      bridge = rp.secondary.attach(0, 0, new PciePciBridge({ busName: 'pb' }));
      for (const slot of [1, 2, 3, 4]) fns.push(bridge.secondary.attach(slot, 0, new E1000({ bus: 'pci', mac: `52:54:00:00:00:0${slot}` })));
    });
    void m;
    // Slot 0x10 pin p goes to PIRQ[(0x10 + p) % 4 + 4]; the bridge at 01:00.0 behind the port keeps its pin
    // (device 0), and devices 1-4 behind it present INTA as INTB, INTC, INTD, INTA.
    const gsis = fns.map((f) => {
      f.setIntx(true);
      const g = high(m);
      f.setIntx(false);
      return g;
    });
    expect(gsis).toEqual([[21], [22], [23], [20]]);
  });

  it('INTx Disable keeps the wire low but Interrupt Status follows the device; clearing it delivers a pending level', () => {
    let nic!: E1000e;
    const m = q35((m) => {
      nic = m.attach(m.root, 0x05, 0, new E1000e({ bus: 'pcie-root', mac: '52:54:00:00:00:01' }));
    });
    const status = () => nic.configRead(R.STATUS, 2) & R.STATUS_INTERRUPT;
    ecamWrite(m, 0, 0x28, R.COMMAND, 2, R.CMD_INTX_DISABLE);
    nic.setIntx(true);
    expect(status()).toBe(R.STATUS_INTERRUPT);
    expect(high(m)).toEqual([]);
    ecamWrite(m, 0, 0x28, R.COMMAND, 2, 0);
    expect(high(m)).toEqual([21]); // slot 5 INTA -> PIRQ (5 + 0) mod 4 + 4 = F
    ecamWrite(m, 0, 0x28, R.COMMAND, 2, R.CMD_INTX_DISABLE);
    expect(high(m)).toEqual([]);
    nic.setIntx(false);
    expect(status()).toBe(0);
  });

  it('wired-OR: two functions on one PIRQ keep it high until both deassert; a reset drops the pin', () => {
    const nics: E1000e[] = [];
    const m = q35((m) => {
      // Slots 0x04 and 0x08 both map INTA to PIRQE.
      nics.push(m.attach(m.root, 0x04, 0, new E1000e({ bus: 'pcie-root', mac: '52:54:00:00:00:01' })));
      nics.push(m.attach(m.root, 0x08, 0, new E1000e({ bus: 'pcie-root', mac: '52:54:00:00:00:02' })));
    });
    nics[0]!.setIntx(true);
    nics[1]!.setIntx(true);
    expect(high(m)).toEqual([20]);
    nics[0]!.setIntx(false);
    expect(high(m)).toEqual([20]);
    nics[1]!.reset();
    expect(high(m)).toEqual([]);
    expect(nics[1]!.intxAsserted).toBe(false);
  });

  it('PIRQx_ROUT sends a PIRQ to an 8259 IRQ as well; IRQEN and re-routing move the level at once', () => {
    let nic!: E1000e;
    const m = q35((m) => {
      nic = m.attach(m.root, 0x04, 0, new E1000e({ bus: 'pcie-root', mac: '52:54:00:00:00:01' }));
    });
    nic.setIntx(true);
    expect(high(m)).toEqual([20]);
    ecamWrite(m, 0, LPC, 0x68, 1, 0x0b); // PIRQE -> IRQ 11
    expect(high(m)).toEqual([11, 20]);
    ecamWrite(m, 0, LPC, 0x68, 1, 0x0a); // -> IRQ 10
    expect(high(m)).toEqual([10, 20]);
    ecamWrite(m, 0, LPC, 0x68, 1, 0x8a); // IRQEN: routing off
    expect(high(m)).toEqual([20]);
    nic.setIntx(false);
    expect(high(m)).toEqual([]);
  });

  it('D31IR in the RCRB re-routes slot 31 (AHCI INTA) from PIRQA to PIRQD', () => {
    const m = q35();
    cf8Write(m, 0, LPC, 0xf0, 0xfed1_c001);
    const ahci = m.ahci!;
    ahci.setIntx(true);
    expect(high(m)).toEqual([16]);
    ahci.setIntx(false);
    m.memory.write(0xfed1_c000 + 0x3140, 2, 0x3213); // INTA -> PIRQD
    ahci.setIntx(true);
    expect(high(m)).toEqual([19]);
  });

  it('the SCI follows ACPI_CNTL: IRQ 9 by default, GSI 20 when selected', () => {
    const m = q35();
    cf8Write(m, 0, LPC, 0x40, 0x601);
    cf8Write(m, 0, LPC, 0x44, 0x80);
    m.io.write(0x600, 2, 0xffff); // clear TMR_STS (set since reset, as on QEMU)
    m.io.write(0x602, 2, 0x0100); // PWRBTN_EN
    expect(high(m)).toEqual([]);
    m.lpc.pm.pm1Sts |= 0x0100;
    m.lpc.pm.update();
    expect(high(m)).toEqual([9]);
    cf8Write(m, 0, LPC, 0x44, 0x84); // SCI on IRQ 20
    expect(high(m)).toEqual([20]);
    m.io.write(0x600, 2, 0x0100);
    expect(high(m)).toEqual([]);
  });
});

/** A machine with one device whose memory space and bus mastering are on. */
function withNvme(): { m: Q35Machine; nvme: Nvme } {
  let nvme!: Nvme;
  const m = q35((m) => {
    const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp', chassis: 1, slot: 1 }));
    nvme = rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 'x' }));
  });
  ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
  ecamWrite(m, 0, 0x80, 0x20, 4, 0xfe00_fe00); // memory window 0xfe000000-0xfe0fffff
  ecamWrite(m, 0, 0x80, R.COMMAND, 2, R.CMD_MEMORY);
  return { m, nvme };
}

function enableMaster(m: Q35Machine, f: PciFunction): void {
  ecamWrite(m, f.bus!.number, f.devfn, R.COMMAND, 2, R.CMD_MEMORY | R.CMD_MASTER);
}

describe('DMA', () => {
  it('needs Bus Master Enable; reads and writes RAM, across pages and banks', () => {
    const { m, nvme } = withNvme();
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => i * 7);
    expect(nvme.dmaWrite(0x1_0ff0, data)).toBe(false);
    expect(m.ram.read(0x1_0ff0, 4)).toBe(0);
    enableMaster(m, nvme);
    expect(nvme.dmaWrite(0x1_0ff0, data)).toBe(true);
    expect(m.ram.readBytes(0x1_0ff0, data.length)).toEqual(data);
    const back = new Uint8Array(data.length);
    expect(nvme.dmaRead(0x1_0ff0, back)).toBe(true);
    expect(back).toEqual(data);
  });

  it('reports writes to pages holding translated code, once per marked page touched', () => {
    const { m, nvme } = withNvme();
    enableMaster(m, nvme);
    const hits: number[] = [];
    m.ram.onCodeWrite = (page) => hits.push(page);
    m.ram.bank(0).codePages[0x12] = 1;
    m.ram.bank(0).codePages[0x14] = 1;
    nvme.dmaWrite(0x11_ff0, new Uint8Array(0x2020)); // pages 0x11-0x14
    expect(hits).toEqual([0x12, 0x14]);
    hits.length = 0;
    m.memory.write(0x12_ffe, 4, 1); // the slow path straddling pages 0x12 and 0x13
    expect(hits).toEqual([0x12]);
  });

  it('never leaves guest-physical memory: addresses nothing answers fail (QEMU decode error), impossible ones too', () => {
    const { m, nvme } = withNvme();
    enableMaster(m, nvme);
    const buf = new Uint8Array(8).fill(0x5a);
    expect(nvme.dmaRead(0xe000_0000, buf)).toBe(false);
    expect(nvme.dmaRead(2 ** 53, buf)).toBe(false);
    expect(nvme.dmaRead(-4096, buf)).toBe(false);
    expect(nvme.dmaWrite(0xe000_0000, buf)).toBe(false);
    // Other memory-mapped registers answer too (peer to peer): here ECAM, the config space of 00:10.0.
    expect(nvme.dmaRead(0xb000_0000 + 0x80_000, buf)).toBe(true);
    expect(m.ram.banks.every((b) => !b || b.u8.every((x) => x === 0))).toBe(true);
  });

  it('an IOMMU translates each page for the requester and may refuse', () => {
    const { m, nvme } = withNvme();
    enableMaster(m, nvme);
    const seen: string[] = [];
    m.pci.dma.iommu = {
      translate(rid, addr, size, write) {
        seen.push(`${rid.toString(16)} ${addr.toString(16)}+${size.toString(16)} ${write ? 'w' : 'r'}`);
        return addr < 0x10_0000 ? addr + 0x20_0000 : undefined;
      },
    };
    expect(nvme.dmaWrite(0xff8, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).toBe(true);
    expect(seen).toEqual(['100 ff8+8 w', '100 1000+2 w']);
    expect(m.ram.readBytes(0x20_0ff8, 10)).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    expect(nvme.dmaRead(0x10_0000, new Uint8Array(4))).toBe(false);
  });
});

describe('MSI and MSI-X', () => {
  it('MSI: address and data from config space, vector in the low data bits, masking with pending', () => {
    let vnet!: VirtioNet;
    let bridge!: PciePciBridge;
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp', chassis: 1, slot: 1 }));
      bridge = rp.secondary.attach(0, 0, new PciePciBridge({ busName: 'pb' }));
      vnet = bridge.secondary.attach(1, 0, new VirtioNet({ bus: 'pci', mac: '52:54:00:00:00:01' }));
    });
    void vnet;
    // A conventional device with plain MSI: the pcie-pci-bridge itself (MSI, 64-bit, per-vector mask).
    const msg: [number, number, number][] = [];
    m.pci.dma.msi = (a, d, rid) => msg.push([a, d, rid]);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0002_0100);
    enableMaster(m, bridge);
    const cap = findCap(bridge, R.CAP_ID_MSI);
    expect(cap).toBeGreaterThan(0);
    const flags = bridge.configRead(cap + 2, 2);
    expect(flags & R.MSI_FLAGS_64BIT).toBeTruthy();
    expect(flags & R.MSI_FLAGS_MASKBIT).toBeTruthy();
    ecamWrite(m, 1, 0, cap + 4, 4, 0xfee0_1000);
    ecamWrite(m, 1, 0, cap + 8, 4, 0);
    ecamWrite(m, 1, 0, cap + 12, 2, 0x4041);
    expect(bridge.notifyMsi(0)).toBe(false); // MSI disabled: use INTx
    ecamWrite(m, 1, 0, cap + 2, 2, R.MSI_FLAGS_ENABLE);
    expect(bridge.notifyMsi(0)).toBe(true);
    expect(msg).toEqual([[0xfee0_1000, 0x4041, 0x100]]);
    ecamWrite(m, 1, 0, cap + 16, 4, 1); // mask vector 0
    bridge.notifyMsi(0);
    expect(msg.length).toBe(1);
    expect(bridge.configRead(cap + 20, 4)).toBe(1); // pending
    ecamWrite(m, 1, 0, cap + 16, 4, 0);
    expect(msg).toEqual([
      [0xfee0_1000, 0x4041, 0x100],
      [0xfee0_1000, 0x4041, 0x100],
    ]);
    expect(bridge.configRead(cap + 20, 4)).toBe(0);
    // Without Bus Master Enable the message is not sent.
    ecamWrite(m, 1, 0, R.COMMAND, 2, R.CMD_MEMORY);
    bridge.notifyMsi(0);
    expect(msg.length).toBe(2);
  });

  it('MSI-X: table entries in the BAR, function mask and vector mask hold messages in the PBA until unmasked', () => {
    const { m, nvme } = withNvme();
    const msg: [number, number][] = [];
    m.pci.dma.msi = (a, d) => msg.push([a, d]);
    ecamWrite(m, 1, 0, 0x10, 4, 0xfe00_0000);
    ecamWrite(m, 1, 0, 0x14, 4, 0);
    enableMaster(m, nvme);
    const cap = findCap(nvme, R.CAP_ID_MSIX);
    const table = nvme.config.get32(cap + R.MSIX_TABLE);
    const pba = nvme.config.get32(cap + R.MSIX_PBA);
    const entry = 0xfe00_0000 + (table & ~7) + 3 * 16;
    m.memory.write(entry, 4, 0xfee0_2000);
    m.memory.write(entry + 4, 4, 0);
    m.memory.write(entry + 8, 4, 0x0000_0033);
    ecamWrite(m, 1, 0, cap + 2, 2, R.MSIX_FLAGS_ENABLE | R.MSIX_FLAGS_MASKALL);
    nvme.notifyMsi(3);
    expect(msg).toEqual([]);
    expect(m.memory.read(0xfe00_0000 + (pba & ~7), 4)).toBe(1 << 3);
    ecamWrite(m, 1, 0, cap + 2, 2, R.MSIX_FLAGS_ENABLE); // function unmasked, vector still masked
    expect(msg).toEqual([]);
    m.memory.write(entry + 12, 4, 0); // unmask vector 3: the pending message goes out
    expect(msg).toEqual([[0xfee0_2000, 0x33]]);
    expect(m.memory.read(0xfe00_0000 + (pba & ~7), 4)).toBe(0);
    nvme.notifyMsi(3);
    expect(msg.length).toBe(2);
  });

  it('a DMA write of a dword into the interrupt window is an interrupt message; other sizes are dropped', () => {
    const { m, nvme } = withNvme();
    enableMaster(m, nvme);
    const msg: number[][] = [];
    m.pci.dma.msi = (a, d, rid) => msg.push([a, d, rid]);
    expect(nvme.dmaWrite(0xfee0_0000, Uint8Array.of(0x41, 0, 0, 0))).toBe(true);
    expect(nvme.dmaWrite(0xfee0_0002, Uint8Array.of(1, 2))).toBe(false);
    expect(msg).toEqual([[0xfee0_0000, 0x41, 0x100]]);
  });
});

/** A conventional capability's offset, by walking the list. */
function findCap(f: PciFunction, id: number): number {
  let at = f.configRead(R.CAPABILITY_LIST, 1);
  for (let guard = 0; at && guard < 48; guard++) {
    if (f.configRead(at, 1) === id) return at;
    at = f.configRead(at + 1, 1);
  }
  return 0;
}
