/**
 * The address spaces and the chipset's decoding: RAM, MMIO and port IO
 * dispatch, CONFIG_ADDRESS/CONFIG_DATA and ECAM (as QEMU's q35 decodes
 * PCIEXBAR), bridge routing and forwarding, BAR sizing, the ICH9 PM block
 * and RCBA, MCH PAM/SMRAM/TSEG, slot power and the SHPC window.
 */
import { describe, expect, it } from 'vitest';
import {
  E1000,
  E1000e,
  GuestRam,
  Nvme,
  PciePciBridge,
  PcieRootPort,
  PhysicalMemory,
  PortIoSpace,
  Q35Machine,
  VirtioNet,
  ByteRegion,
  MmioSpace,
  VirtualClock,
  mapBios,
} from '../../runtime/index.js';
import { ACCESS_READ, Cpu } from '../../runtime/cpu/cpu.js';
import { CR0, CR4 } from '../../runtime/cpu/state.js';
import { cf8Read, cf8Write, ecamRead, ecamWrite, enableEcam } from './support.js';

const MiB = 2 ** 20;

function q35(extra?: (m: Q35Machine) => void, clock?: VirtualClock): Q35Machine {
  const m = new Q35Machine({ ram: { below4g: 256 * MiB }, ...(clock ? { clock } : {}) });
  extra?.(m);
  m.reset();
  return m;
}

describe('RAM', () => {
  it('reads back every width at any alignment, across a bank boundary, and zeros where untouched', () => {
    const ram = new GuestRam(2 * 1024 * MiB);
    expect(ram.read(0x1234, 4)).toBe(0);
    expect(ram.banks.every((b) => b === undefined)).toBe(true);
    ram.write(0x3fff_fffe, 4, 0xdead_beef); // straddles banks 0 and 1
    expect(ram.read(0x3fff_fffe, 4)).toBe(0xdead_beef);
    expect(ram.read(0x4000_0000, 2)).toBe(0xdead);
    ram.write(0x101, 2, 0xabcd);
    expect(ram.read(0x100, 4)).toBe(0x00ab_cd00);
    expect(ram.read(0x102, 1)).toBe(0xab);
  });

  it('maps RAM above 4 GiB after the low RAM, and the PCI hole reads 0 (QEMU unassigned memory)', () => {
    const ram = new GuestRam(3 * 1024 * MiB);
    const mem = new PhysicalMemory(ram, { below4g: 2 * 1024 * MiB, above4g: 1024 * MiB, above4gBase: 2 ** 32 });
    mem.write(2 ** 32 + 8, 4, 0x1122_3344);
    expect(ram.read(2 * 1024 * MiB + 8, 4)).toBe(0x1122_3344);
    expect(mem.read(0xc000_0000, 4)).toBe(0);
    expect(mem.read(0xc000_0000, 2)).toBe(0);
    expect(mem.read64(0xc000_0000)).toBe(0n);
    mem.write64(2 ** 32, 0x0102_0304_0506_0708n);
    expect(mem.read64(2 ** 32)).toBe(0x0102_0304_0506_0708n);
  });
});

describe('MMIO dispatch', () => {
  it('routes by address, lets later regions cover earlier ones, and splits accesses that run off a region', () => {
    const mmio = new MmioSpace();
    const a = new ByteRegion(new Uint8Array(0x1000));
    const b = new ByteRegion(new Uint8Array(0x100));
    mmio.map('a', 0x1000, 0x1000, a);
    const rb = mmio.map('b', 0x1800, 0x100, b);
    mmio.write(0x1800, 4, 0x1111_1111);
    expect(a.read(0x800, 4)).toBe(0);
    expect(b.read(0, 4)).toBe(0x1111_1111);
    mmio.unmap(rb);
    mmio.write(0x1800, 4, 0x2222_2222);
    expect(a.read(0x800, 4)).toBe(0x2222_2222);
    // Last two bytes in the region, next two unclaimed (unclaimed memory reads 0, as on QEMU).
    mmio.write(0x1ffe, 2, 0xabcd);
    expect(mmio.read(0x1ffe, 4)).toBe(0x0000_abcd);
    expect(mmio.read64(0x1800)).toBe(0x0000_0000_2222_2222n);
    expect(mmio.read(0x5_0000_0000, 4)).toBe(0);
  });
});

describe('port IO', () => {
  it('gives an access to the range owning its first port; unclaimed ports read all ones; overlaps restore', () => {
    const io = new PortIoSpace();
    const low = new ByteRegion(new Uint8Array(8));
    const high = new ByteRegion(new Uint8Array(1));
    io.map('low', 0x100, 8, low);
    const r = io.map('high', 0x101, 1, high, 1);
    io.write(0x100, 4, 0x4433_2211);
    expect(low.read(0, 4)).toBe(0x4433_2211);
    io.write(0x101, 1, 0x99);
    expect(high.read(0, 1)).toBe(0x99);
    io.unmap(r);
    expect(io.read(0x101, 1)).toBe(0x22);
    expect(io.read(0x200, 1)).toBe(0xff);
    expect(io.read(0x200, 2)).toBe(0xffff);
    expect(io.read(0x1_0100, 1)).toBe(0x11); // ports wrap at 64 KiB
  });
});

describe('configuration mechanisms', () => {
  it('CONFIG_ADDRESS latches on dword writes only; CONFIG_DATA needs the enable bit; byte lanes select bytes', () => {
    const m = q35();
    m.io.write(0xcf8, 4, 0x8000_0000);
    expect(m.io.read(0xcfc, 4)).toBe(0x29c0_8086);
    expect(m.io.read(0xcfe, 2)).toBe(0x29c0);
    expect(m.io.read(0xcfd, 1)).toBe(0x80);
    m.io.write(0xcf8, 2, 0x0008); // ignored: not a dword
    expect(m.io.read(0xcf8, 4)).toBe(0x8000_0000);
    m.io.write(0xcf8, 4, 0x0000_0000); // enable bit clear
    expect(m.io.read(0xcfc, 4)).toBe(0xffff_ffff);
    expect(cf8Read(m, 0, 0xf8, 0)).toBe(0x2918_8086);
    expect(cf8Read(m, 0, 0x18, 0)).toBe(0xffff_ffff); // 00:03.0 is empty
  });

  it('ECAM is off until PCIEXBAR.EN, follows PCIEXBAR, and decodes 256/128/64 MiB as QEMU does', () => {
    const m = q35();
    expect(m.memory.read(0xb000_0000, 4)).toBe(0);
    enableEcam(m);
    expect(ecamRead(m, 0, 0, 0)).toBe(0x29c0_8086);
    expect(m.pci.ecamWindow).toEqual({ base: 0xb000_0000, size: 256 * MiB });
    cf8Write(m, 0, 0, 0x60, 0xe000_0001);
    expect(m.memory.read(0xb000_0000, 4)).toBe(0);
    expect(m.memory.read(0xe000_0000 + 0xf8 * 0x1000, 4)).toBe(0x2918_8086);
    // 128 MiB: address bits 35:28 plus 26 and 25 (QEMU never includes bit 27).
    cf8Write(m, 0, 0, 0x60, 0xb800_0000 | 0x2 | 1);
    expect(m.pci.ecamWindow).toEqual({ base: 0xb000_0000, size: 128 * MiB });
    cf8Write(m, 0, 0, 0x60, 0xb600_0000 | 0x2 | 1);
    expect(m.pci.ecamWindow).toEqual({ base: 0xb600_0000, size: 128 * MiB });
    // 64 MiB: bit 25 joins the mask, bit 26 does not.
    cf8Write(m, 0, 0, 0x60, 0xb600_0000 | 0x4 | 1);
    expect(m.pci.ecamWindow).toEqual({ base: 0xb200_0000, size: 64 * MiB });
    // Reserved length: the window stays where it was.
    cf8Write(m, 0, 0, 0x60, 0xc000_0000 | 0x6 | 1);
    expect(m.pci.ecamWindow).toEqual({ base: 0xb200_0000, size: 64 * MiB });
    cf8Write(m, 0, 0, 0x60, 0xb000_0000);
    expect(m.pci.ecamWindow).toBeUndefined();
  });

  it('conventional functions read all ones past 0xff through ECAM; PCIe ones show a null header at 0x100', () => {
    const m = q35((m) => m.attach(m.root, 3, 0, new VirtioNet({ bus: 'pcie-root' })));
    enableEcam(m);
    expect(ecamRead(m, 0, 0xfa, 0x100)).toBe(0xffff_ffff); // AHCI, conventional
    expect(ecamRead(m, 0, 0x18, 0x100)).toBe(0xffff_ffff); // transitional virtio on pcie.0: 256 bytes
    const n = q35((m) => m.attach(m.root, 5, 0, new E1000e({ bus: 'pcie-root' })));
    enableEcam(n);
    expect(ecamRead(n, 0, 0x28, 0x100) & 0xffff).toBe(0x0001); // AER first
    expect(n.memory.read64(0xb000_0000 + 0x28 * 0x1000)).toBe(0x0010_0000_10d3_8086n);
  });
});

describe('BARs and bridges', () => {
  it('BAR sizing: all ones read back the size mask with the type bits; 64-bit pairs; ROM enable bit', () => {
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 's' }));
    });
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(m, 1, 0, 0x10, 4, 0xffff_ffff);
    ecamWrite(m, 1, 0, 0x14, 4, 0xffff_ffff);
    expect([ecamRead(m, 1, 0, 0x10), ecamRead(m, 1, 0, 0x14)]).toEqual([0xffff_c004, 0xffff_ffff]);
    ecamWrite(m, 0, 0x08, 0x30, 4, 0xffff_ffff); // VGA ROM
    expect(ecamRead(m, 0, 0x08, 0x30)).toBe(0xffff_0001);
    ecamWrite(m, 0, 0xfa, 0x20, 4, 0xffff_ffff); // AHCI BAR4, IO 32 bytes
    expect(ecamRead(m, 0, 0xfa, 0x20)).toBe(0xffff_ffe1);
  });

  it('config cycles cross a bridge by its bus range (type 1 -> type 0), not while Secondary Bus Reset is set', () => {
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new E1000e({ bus: 'pcie-link' }));
    });
    enableEcam(m);
    expect(ecamRead(m, 1, 0, 0)).toBe(0xffff_ffff);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0002_0100); // buses 1-2
    expect(ecamRead(m, 1, 0, 0)).toBe(0x10d3_8086);
    expect(ecamRead(m, 2, 0, 0)).toBe(0xffff_ffff);
    ecamWrite(m, 0, 0x80, 0x3e, 2, 0x0040);
    expect(ecamRead(m, 1, 0, 0)).toBe(0xffff_ffff);
    ecamWrite(m, 0, 0x80, 0x3e, 2, 0x0000);
    expect(ecamRead(m, 1, 0, 0x04, 2)).toBe(0); // the secondary bus reset reset the endpoint
  });

  it('a BAR behind a bridge decodes only inside the forwarding window with memory decoding on', () => {
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new E1000e({ bus: 'pcie-link' }));
    });
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(m, 1, 0, 0x1c, 4, 0xfe88_0000); // BAR3 (MSI-X) at 0xfe880000
    ecamWrite(m, 1, 0, 0x04, 2, 0x0002);
    const vector0Ctrl = 0xfe88_0000 + 12;
    expect(m.memory.read(vector0Ctrl, 4)).toBe(0); // window closed at reset: unclaimed
    ecamWrite(m, 0, 0x80, 0x20, 4, 0xfe80_fe80); // memory window 0xfe800000-0xfe8fffff
    expect(m.memory.read(vector0Ctrl, 4)).toBe(0); // bridge memory decoding still off
    ecamWrite(m, 0, 0x80, 0x04, 2, 0x0002);
    expect(m.memory.read(vector0Ctrl, 4)).toBe(1); // vector 0 masked
    ecamWrite(m, 0, 0x80, 0x20, 4, 0xfe70_fe70); // window moves away
    expect(m.memory.read(vector0Ctrl, 4)).toBe(0);
  });

  it('VGA Enable forwards the legacy VGA ranges; ISA Enable keeps the top 768 bytes of each KiB on the primary side', () => {
    let rp!: PcieRootPort;
    const m = q35((m) => {
      rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
    });
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x1c, 2, 0x1010); // IO window 0x1000-0x1fff
    ecamWrite(m, 0, 0x80, 0x04, 2, 0x0003);
    expect(rp.forwards('io', 0x1000, 0x20)).toBe(true);
    expect(rp.forwards('io', 0x3c0, 0x20)).toBe(false);
    ecamWrite(m, 0, 0x80, 0x3e, 2, 0x0008);
    expect(rp.forwards('io', 0x3c0, 0x20)).toBe(true);
    expect(rp.forwards('mem', 0xa_0000, 0x2_0000)).toBe(true);
    ecamWrite(m, 0, 0x80, 0x3e, 2, 0x0004);
    expect(rp.forwards('io', 0x1000, 0x20)).toBe(true);
    expect(rp.forwards('io', 0x1100, 0x20)).toBe(false);
  });

  it('slot power: Power Controller Control off hides and resets the function below; on brings it back', () => {
    const m = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new E1000e({ bus: 'pcie-link' }));
    });
    enableEcam(m);
    ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(m, 1, 0, 0x04, 2, 0x0006);
    const sltctl = 0x54 + 0x18;
    expect(ecamRead(m, 0, 0x80, sltctl, 2)).toBe(0x01c0); // populated: power on, power indicator on
    ecamWrite(m, 0, 0x80, sltctl, 2, 0x05c0);
    expect(ecamRead(m, 1, 0, 0)).toBe(0xffff_ffff);
    ecamWrite(m, 0, 0x80, sltctl, 2, 0x01c0);
    expect(ecamRead(m, 1, 0, 0)).toBe(0x10d3_8086);
    expect(ecamRead(m, 1, 0, 0x04, 2)).toBe(0);
    expect(ecamRead(m, 0, 0x80, 0x54 + 0x1a, 2) & 0x10).toBe(0x10); // Command Completed
  });

  it('the SHPC window reads the selected controller dword (an empty slot: disabled, MRL open, LED off)', () => {
    const m = q35((m) => {
      const br = m.attach(m.root, 0x11, 0, new PciePciBridge({ busName: 'ppb1' }));
      br.secondary.attach(1, 0, new E1000({ bus: 'pci' }));
    });
    enableEcam(m);
    ecamWrite(m, 0, 0x88, 0x42, 1, 0x27);
    expect(ecamRead(m, 0, 0x88, 0x44)).toBe(0x7f00_0d0f);
    ecamWrite(m, 0, 0x88, 0x42, 1, 0x09); // slot 0 (device 1): enabled, power LED on
    expect(ecamRead(m, 0, 0x88, 0x44)).toBe(0x7f00_0006);
  });

  it('FLR resets the function and reads back 0', () => {
    const m = q35((m) => m.attach(m.root, 5, 0, new Nvme({ bus: 'pcie-root', serial: 's' })));
    enableEcam(m);
    ecamWrite(m, 0, 0x28, 0x04, 2, 0x0006);
    ecamWrite(m, 0, 0x28, 0x80 + 0x08, 2, 0x8000);
    expect(ecamRead(m, 0, 0x28, 0x04, 2)).toBe(0);
    expect(ecamRead(m, 0, 0x28, 0x80 + 0x08, 2)).toBe(0);
  });
});

describe('chipset registers', () => {
  it('ICH9 PM block: mapped at PMBASE while ACPI_EN, PM1 status write-1-to-clear, SCI_EN through APM, 3.579545 MHz timer', () => {
    const clock = new VirtualClock({ pollStep: 0 });
    const m = q35(undefined, clock);
    expect(m.io.read(0x608, 4)).toBe(0xffff_ffff);
    cf8Write(m, 0, 0xf8, 0x40, 0x601);
    expect(m.io.read(0x608, 4)).toBe(0xffff_ffff); // not until ACPI_EN
    cf8Write(m, 0, 0xf8, 0x44, 0x80);
    clock.advanceTo(1e9);
    expect(m.io.read(0x608, 4)).toBe(3_579_545 & 0xff_ffff);
    m.io.write(0x602, 2, 0x0121);
    expect(m.io.read(0x602, 2)).toBe(0x0121);
    expect(m.io.read(0x604, 2) & 1).toBe(0);
    m.io.write(0xb2, 1, 0x02);
    expect(m.io.read(0x604, 2) & 1).toBe(1);
    m.io.write(0xb2, 1, 0x03);
    expect(m.io.read(0x604, 2) & 1).toBe(0);
  });

  it('RCBA maps the chipset configuration registers; PIRQ routing starts disabled', () => {
    const m = q35();
    expect(cf8Read(m, 0, 0xf8, 0x60)).toBe(0x8080_8080);
    cf8Write(m, 0, 0xf8, 0xf0, 0xfed1_c001);
    expect(m.memory.read(0xfed1_c000 + 0x3140, 2)).toBe(0x3210); // D31IR
    expect(m.memory.read(0xfed1_c000 + 0x3410, 4)).toBe(0x20); // GCS: NO_REBOOT
  });

  it('MCH: PAM decides RAM or PCI for the BIOS area; EXT_TSEG_MBYTES answers its query; D_LCK locks SMRAM', () => {
    const m = q35((m) => mapBios(m.memory, new Uint8Array(0x2_0000).fill(0xbb)));
    m.memory.write(0xf_0000, 4, 0x1234_5678);
    expect(m.memory.read(0xf_0000, 4)).toBe(0xbbbb_bbbb); // PAM0 = 0: PCI, the BIOS alias (ROM)
    cf8Write(m, 0, 0, 0x90, 0x30); // PAM0 hi nibble: RE | WE
    m.memory.write(0xf_0000, 4, 0x1234_5678);
    expect(m.memory.read(0xf_0000, 4)).toBe(0x1234_5678);
    cf8Write(m, 0, 0, 0x90, 0x10); // read-only
    m.memory.write(0xf_0000, 4, 0);
    expect(m.memory.read(0xf_0000, 4)).toBe(0x1234_5678);
    cf8Write(m, 0, 0, 0x90, 0x00);
    expect(m.memory.read(0xf_0000, 4)).toBe(0xbbbb_bbbb);
    expect(cf8Read(m, 0, 0, 0x50) & 0xffff).toBe(0x0010);
    cf8Write(m, 0, 0, 0x9c, 0x3802_0000 | 0); // SMRAM: D_OPEN | C_BASE_SEG, ESMRAMC as is
    m.io.write(0xcf8, 4, 0x8000_009c);
    m.io.write(0xcfd, 1, 0x4a);
    expect(cf8Read(m, 0, 0, 0x9c) >>> 8 & 0xff).toBe(0x4a);
    m.io.write(0xcfd, 1, 0x1a); // D_LCK: D_OPEN clears, only G_SMRAME stays writable
    m.io.write(0xcfd, 1, 0x42);
    expect(cf8Read(m, 0, 0, 0x9c) >>> 8 & 0xff).toBe(0x1a & ~0x40);
  });

  it('a system reset brings every function back to its power-on state', () => {
    const fresh = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 's', sriov: { totalVfs: 2 } }));
    });
    const dirty = q35((m) => {
      const rp = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp1', chassis: 1, slot: 1 }));
      rp.secondary.attach(0, 0, new Nvme({ bus: 'pcie-link', serial: 's', sriov: { totalVfs: 2 } }));
    });
    enableEcam(dirty);
    ecamWrite(dirty, 0, 0x80, 0x18, 4, 0x0001_0100);
    ecamWrite(dirty, 1, 0, 0x04, 2, 0x0007);
    ecamWrite(dirty, 1, 0, 0x130, 2, 2);
    ecamWrite(dirty, 1, 0, 0x128, 2, 0x19);
    dirty.reset();
    for (const m of [fresh, dirty]) enableEcam(m);
    const read = (m: Q35Machine, bus: number, devfn: number) => Array.from({ length: 1024 }, (_, i) => ecamRead(m, bus, devfn, i * 4));
    for (const devfn of [0x00, 0x80, 0xf8]) expect(read(dirty, 0, devfn)).toEqual(read(fresh, 0, devfn));
    for (const m of [fresh, dirty]) ecamWrite(m, 0, 0x80, 0x18, 4, 0x0001_0100);
    expect(read(dirty, 1, 0)).toEqual(read(fresh, 1, 0));
    expect(ecamRead(dirty, 1, 1, 0)).toBe(0xffff_ffff);
  });
});


describe('the CPU on RAM above 4 GiB', () => {
  it('a page of RAM above 4 GiB gets a TLB fast-path entry, as one below does (Linux allocates most of its memory there once a machine has more than the 2 GiB below the PCI hole)', () => {
    const m = new Q35Machine({ ram: { below4g: 16 * MiB, above4g: 16 * MiB } });
    m.reset();
    const cpu = new Cpu({ platform: m.platform(0) });
    // PAE paging: the PDPT at 0x1000, its page directory at 0x2000; 2 MiB pages: linear 0 onto
    // physical 0 (below 4 GiB), linear 4 MiB onto physical 4 GiB + 2 MiB (RAM offset 18 MiB).
    m.memory.write(0x1000, 4, 0x2001);
    m.memory.write(0x2000, 4, 0x83);
    m.memory.write(0x2000 + 2 * 8, 4, 0x20_0083);
    m.memory.write(0x2000 + 2 * 8 + 4, 4, 1);
    m.memory.write(2 ** 32 + 2 * MiB + 0x10, 4, 0x1234_5678);
    cpu.cr3 = 0x1000;
    cpu.cr4 |= CR4.PAE;
    cpu.cr0 |= CR0.PE | CR0.PG;
    const fast = (la: number) => {
      const e = cpu.tlbR[la >>> 12]!;
      return e === 0 ? undefined : ((e & ~0xfff) ^ la) >>> 0;
    };
    expect(cpu.translate(0x10, ACCESS_READ, false, 0)).toBe(0x10);
    expect(fast(0x10)).toBe(0x10);
    expect(cpu.translate(0x40_0010, ACCESS_READ, false, 0)).toBe(2 ** 32 + 2 * MiB + 0x10);
    // The entry gives the RAM offset (16 MiB below 4 GiB, then 2 MiB into the RAM above), where the value is.
    expect(fast(0x40_0010)).toBe(18 * MiB + 0x10);
    expect(m.ram.read(fast(0x40_0010)!, 4)).toBe(0x1234_5678);
  });
});
