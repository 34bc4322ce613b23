/**
 * A Q35 machine as QEMU 7.2 builds one (hw/i386/pc_q35.c with smm=off):
 * guest RAM and the physical memory map, the port IO space, the PCI host
 * and the chipset's built-in functions (MCH 00:00.0, std VGA 00:01.0, ICH9
 * LPC 00:1f.0, AHCI 00:1f.2, SMBus 00:1f.3), and the platform devices:
 *
 *   8259 pair 0x20/0xa0 (ELCR 0x4d0)   8254 PIT 0x40, port B 0x61   i8042 0x60/0x64
 *   RTC/CMOS 0x70                      port A 0x92 (fast A20)        POST port 0x80, FERR 0xf0
 *   COM1 0x3f8 IRQ 4, LPT1 0x378 IRQ 7 (when present)                debug console 0x402 (when given a sink)
 *   fw_cfg 0x510, DMA 0x514            VGA 0x3b0-0x3df, VBE 0x1ce    kvmvapic 0x7e
 *   I/O APIC 0xfec00000   HPET 0xfed00000   local APICs 0xfee00000 (per CPU)
 *   BIOS ROM below 4 GiB, its last 128 KiB at 0xe0000; VGA window 0xa0000; QEMU's empty pc.rom at 0xc0000
 *
 * Interrupts: ISA IRQs and the ICH9 PIRQs reach the 8259 pair and the
 * I/O APIC through the GSI router; the I/O APIC, PCI MSIs and IPIs reach
 * the local APICs over the APIC bus; each CPU's inputs combine its APIC and
 * the 8259 (machine/cpu.ts). Time comes from one VirtualClock.
 *
 * Generated machine modules create one, attach their devices bus by bus,
 * install the compiled dispatch table and reset it; a CPU takes
 * `platform(i)` and runs.
 */
import { PortIoSpace } from '../bus/io.js';
import { PhysicalMemory } from '../bus/memory.js';
import { GuestRam } from '../bus/ram.js';
import { hasDrives, type Drive, type OpenOptions } from '../backends/drive.js';
import { EthernetSwitch, type NetPort } from '../backends/net.js';
import { byteRegisters, RomRegion, type RegionHandler } from '../bus/types.js';
import { DebugCon, DEBUGCON_PORT } from '../devices/debugcon/index.js';
import { FW_CFG_DMA_PORT, FW_CFG_PORT, FwCfg, type FwCfgFile } from '../devices/fw-cfg/index.js';
import { Hpet, HPET_BASE, HPET_SIZE } from '../devices/hpet/index.js';
import { I8042, I8042_DATA, I8042_STATUS, KBD_IRQ, MOUSE_IRQ } from '../devices/i8042/index.js';
import { I8254, PIT_BASE } from '../devices/i8254/index.js';
import { ELCR_BASE, I8259Pair, MASTER_BASE, SLAVE_BASE } from '../devices/i8259/index.js';
import { Ich9Ahci, type SataDriveParams } from '../devices/ich9-ahci/index.js';
import { Ich9Lpc } from '../devices/ich9-lpc/index.js';
import { AcpiPciHotplug, PCIHP_BASE, PCIHP_SIZE } from '../devices/ich9-lpc/pcihp.js';
import { Ich9Smbus } from '../devices/ich9-smbus/index.js';
import { IoApic, IOAPIC_BASE, IOAPIC_SIZE } from '../devices/ioapic/index.js';
import { ApicBus } from '../devices/lapic/bus.js';
import { LocalApic } from '../devices/lapic/index.js';
import { Mc146818Rtc, RTC_BASE } from '../devices/mc146818/index.js';
import { fillPcNvram, type DiskGeometry } from '../devices/mc146818/nvram.js';
import { LPT1_BASE, LPT1_IRQ, LPT_SIZE, ParallelPort } from '../devices/parallel/index.js';
import { mapBios } from '../devices/pc-bios/index.js';
import { PcSpeaker, PORT_B } from '../devices/pcspk/index.js';
import { Port92, PORT_92 } from '../devices/port92/index.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../devices/compat.js';
import { Q35Mch } from '../devices/q35-mch/index.js';
import { LINUXBOOT_ROM, linuxBootItems, type LinuxBoot } from './linux-boot.js';
import { COM1_BASE, COM1_IRQ, Uart16550, UART_SIZE } from '../devices/serial/index.js';
import { StdVga } from '../devices/std-vga/index.js';
import { VirtioVga } from '../devices/virtio/index.js';
import { VBE_DISPI_IOPORT_INDEX } from '../devices/std-vga/vga.js';
import { PciBridge } from '../pci/bridge.js';
import { nativeHotPlug } from '../pci/slot.js';
import { PcieCapability } from '../pci/pcie-cap.js';
import type { PciBus } from '../pci/bus.js';
import type { PciFunction } from '../pci/function.js';
import { PciHost } from '../pci/host.js';
import { VirtualClock } from '../time/clock.js';
import { CpuInterruptPins, Q35CpuPlatform } from './cpu.js';
import { qemuFwCfgItems, type NumaLayout } from './fw-cfg.js';
import { GsiRouter } from './gsi.js';

export const CONFIG_ADDRESS_PORT = 0xcf8;
export const CONFIG_DATA_PORT = 0xcfc;
const POST_PORT = 0x80;
const FERR_PORT = 0xf0;
const VAPIC_PORT = 0x7e;
const LEGACY_VGA_BASE = 0xa_0000;
const PC_ROM_BASE = 0xc_0000;
const PC_ROM_SIZE = 0x2_0000;
const LEGACY_VGA_SIZE = 0x2_0000;
/** The VGA ports QEMU registers (hw/display/vga.c vga_portio_list): base and count. */
const VGA_PORT_RANGES: readonly [number, number][] = [
  [0x3b4, 2],
  [0x3ba, 1],
  [0x3c0, 16],
  [0x3d4, 2],
  [0x3da, 1],
];

export interface Q35MachineOptions {
  /** RAM below 4 GiB and above it (at `above4gBase`, 4 GiB unless moved past the HyperTransport hole). */
  readonly ram: { readonly below4g: number; readonly above4g?: number; readonly above4gBase?: number };
  readonly cpus?: number;
  /** Each CPU's APIC ID (default: its index). */
  readonly apicIds?: readonly number[];
  /** Possible CPUs (QEMU -smp maxcpus; default: cpus): fw_cfg's MAX_CPUS is the APIC ID limit they imply. */
  readonly maxCpus?: number;
  /** The APIC ID limit (one above the highest possible APIC ID; default: maxCpus). */
  readonly apicIdLimit?: number;
  readonly numa?: NumaLayout;
  /** A package's dies, cores per die and threads per core (QEMU -smp), for CPUID; default one of each. */
  readonly package?: { readonly dies: number; readonly cores: number; readonly threads: number };
  readonly display?: 'std-vga' | 'virtio-vga' | 'none';
  readonly sata?: boolean;
  readonly smbus?: boolean;
  /** Drives on the AHCI ports; undefined: QEMU's default empty CD-ROM drive on port 2. */
  readonly sataDrives?: readonly SataDriveParams[];
  /** Legacy COM1 and LPT1 present (the devices and the LPC decode bits). */
  readonly serial?: boolean;
  readonly parallel?: boolean;
  /** Guest time: every device reads time and arms timers here (default: a virtual clock). */
  readonly clock?: VirtualClock;
  /** The firmware image (SeaBIOS's bios.bin or bios-256k.bin): ROM ending at 4 GiB, its last 128 KiB at 0xe0000. */
  readonly bios?: Uint8Array;
  /** The VGA BIOS the display's ROM BAR serves (vgabios-stdvga.bin, vgabios-virtio.bin). */
  readonly vgaBios?: Uint8Array;
  /** Option ROM images by device model (QEMU's `romfile`), put in each such function's ROM BAR at reset. */
  readonly optionRoms?: Readonly<Record<string, Uint8Array>>;
  /** fw_cfg files: the build's (ACPI tables, loader, e820, bootorder) and what QEMU adds (SMBIOS, genroms...). */
  readonly fwCfgFiles?: readonly FwCfgFile[];
  /** COM1 output, byte by byte. */
  readonly serialSink?: (byte: number) => void;
  /** LPT1 output. */
  readonly parallelSink?: (byte: number) => void;
  /** The isa-debugcon port at 0x402 exists when this is given: every byte written there. */
  readonly debugconSink?: (byte: number) => void;
  /** Calendar time (ms since the epoch, UTC) the RTC shows at power-on (default: a fixed date). */
  readonly rtcStart?: number;
  /** CMOS boot order (QEMU -boot order, default "cad") and the AHCI port 0/1 disk geometries. */
  readonly bootOrder?: string;
  readonly cmosDisks?: readonly (DiskGeometry | undefined)[];
  /** The QEMU release whose machine type the registers follow (default: 7.2's). */
  readonly compat?: DeviceCompat;
  /** Boot this kernel (with initrd and command line) through fw_cfg and linuxboot_dma.bin, as QEMU -kernel does. */
  readonly linux?: LinuxBoot;
}

export interface MachineSummary {
  readonly functions: number;
  readonly buses: number;
  readonly ramBytes: number;
  readonly cpus: number;
}

export class Q35Machine {
  readonly ram: GuestRam;
  readonly memory: PhysicalMemory;
  readonly io = new PortIoSpace();
  readonly pci: PciHost;
  readonly clock: VirtualClock;
  readonly cpus: number;
  /** The QEMU release whose machine type the registers follow; devices attached later take it from here. */
  readonly compat: DeviceCompat;
  readonly mch: Q35Mch;
  readonly lpc: Ich9Lpc;
  /** The display at 00:01.0: the std VGA or virtio-vga, both with a VGA core. */
  readonly vga: StdVga | VirtioVga | undefined;
  readonly ahci: Ich9Ahci | undefined;
  readonly smbus: Ich9Smbus | undefined;
  /** GSI 0-23: ISA IRQs and PIRQs to the 8259 pair and the I/O APIC. */
  readonly gsi = new GsiRouter();
  readonly pic = new I8259Pair();
  readonly ioapic: IoApic;
  readonly apicBus = new ApicBus();
  readonly lapics: readonly LocalApic[];
  readonly pit: I8254;
  readonly speaker: PcSpeaker;
  readonly rtc: Mc146818Rtc;
  readonly hpet: Hpet;
  readonly kbc: I8042;
  readonly port92: Port92;
  readonly serial: Uart16550 | undefined;
  readonly parallel: ParallelPort | undefined;
  readonly fwCfg: FwCfg;
  /** The A20 gate (true: address bit 20 passes). */
  a20 = true;
  /** QEMU's ACPI PCI hot-plug registers (0xCC0), served by the ICH9 LPC. */
  readonly pciHotplug = new AcpiPciHotplug();
  /** Set when the guest asks for a system reset (RST_CNT, port 0x92, i8042); the owner decides when to reset. */
  resetRequested = false;
  /** Set when the guest powers the machine off (ACPI S5). */
  powerOffRequested = false;
  /** The CPU making the current port access (for SMIs from APM_CNT). */
  currentCpu = 0;
  private readonly opts: Q35MachineOptions;
  private readonly pins: CpuInterruptPins[] = [];
  private readonly platforms: Q35CpuPlatform[] = [];

  constructor(opts: Q35MachineOptions) {
    this.opts = opts;
    const below4g = opts.ram.below4g;
    const above4g = opts.ram.above4g ?? 0;
    this.cpus = opts.cpus ?? 1;
    this.compat = opts.compat ?? DEFAULT_COMPAT;
    this.clock = opts.clock ?? new VirtualClock();
    const clock = this.clock;
    this.ram = new GuestRam(below4g + above4g);
    this.memory = new PhysicalMemory(this.ram, { below4g, above4g, above4gBase: opts.ram.above4gBase ?? 2 ** 32 });
    this.pci = new PciHost(this.memory, this.io);
    this.pci.clock = this.clock;
    const io = this.io;
    const mmio = this.memory.mmio;
    io.map('pci-conf-idx', CONFIG_ADDRESS_PORT, 4, this.pci.configAddressPort);
    io.map('pci-conf-data', CONFIG_DATA_PORT, 4, this.pci.configDataPort);
    io.map('acpi-pci-hotplug', PCIHP_BASE, PCIHP_SIZE, this.pciHotplug);

    // Interrupt controllers.
    this.gsi.pic = this.pic;
    this.ioapic = new IoApic({ send: (a, d) => this.apicBus.msi(a, d), picVector: () => this.pic.acknowledge() });
    this.gsi.ioapic = this.ioapic;
    this.apicBus.eoiListeners.push((v) => this.ioapic.eoi(v));
    this.apicBus.signal = (apic, kind, vector) => this.pins[apic.cpuIndex]?.signal(kind, vector);
    this.pci.dma.msi = (address, data) => this.apicBus.msi(address, data);
    const lapics: LocalApic[] = [];
    for (let i = 0; i < this.cpus; i++) {
      const lapic = new LocalApic(i, opts.apicIds?.[i] ?? i, i === 0, {
        clock,
        ipi: (from, icr, dest) => this.apicBus.ipi(from, icr, dest),
        eoiBroadcast: (v) => this.apicBus.eoiBroadcast(v),
        picOutput: () => this.pic.output,
        changed: () => this.pins[i]?.changed(),
        signal: (kind, vector) => this.pins[i]?.signal(kind, vector),
      });
      lapics.push(lapic);
      this.apicBus.apics.push(lapic);
      this.pins.push(new CpuInterruptPins(lapic, this.pic));
    }
    this.lapics = lapics;
    this.pic.onOutput = (level) => {
      for (const l of lapics) l.picChanged(level);
      for (const p of this.pins) p.changed();
    };
    io.map('pic-master', MASTER_BASE, 2, this.pic.region(this.pic.master));
    io.map('pic-slave', SLAVE_BASE, 2, this.pic.region(this.pic.slave));
    io.map('elcr1', ELCR_BASE, 1, this.pic.elcrRegion(this.pic.master));
    io.map('elcr2', ELCR_BASE + 1, 1, this.pic.elcrRegion(this.pic.slave));
    mmio.map('ioapic', IOAPIC_BASE, IOAPIC_SIZE, this.ioapic.region);

    // Timers.
    this.pit = new I8254({ clock, irq0: this.gsi.isaIrq(0) });
    this.speaker = new PcSpeaker(this.pit);
    io.map('pit', PIT_BASE, 4, this.pit.region);
    io.map('pcspk', PORT_B, 1, this.speaker.region);
    this.hpet = new Hpet({ clock, irq: (route, level) => this.gsi.setGsi(route, level), pitEnabled: (on) => this.pit.setIrqDisabled(!on) });
    mmio.map('hpet', HPET_BASE, HPET_SIZE, this.hpet.region);
    this.rtc = new Mc146818Rtc({ clock, irq: (level) => this.hpet.rtcIrq(level), ...(opts.rtcStart !== undefined ? { start: opts.rtcStart } : {}) });
    io.map('rtc', RTC_BASE, 2, this.rtc.region);

    // Keyboard controller, A20, reset.
    this.kbc = new I8042({
      irqKbd: this.gsi.isaIrq(KBD_IRQ),
      irqMouse: this.gsi.isaIrq(MOUSE_IRQ),
      a20: (on) => this.setA20(on),
      reset: () => this.requestReset(),
    });
    io.map('i8042-data', I8042_DATA, 1, this.kbc.dataRegion);
    io.map('i8042-cmd', I8042_STATUS, 1, this.kbc.commandRegion);
    this.port92 = new Port92({ a20: (on) => this.setA20(on), reset: () => this.requestReset() });
    io.map('port92', PORT_92, 1, this.port92.region);
    io.map('ioport80', POST_PORT, 1, IGNORED);
    io.map('ioportF0', FERR_PORT, 1, IGNORED);
    io.map('kvmvapic', VAPIC_PORT, 4, IGNORED);

    // Serial, parallel, debug console.
    const serial = opts.serial ?? true;
    const parallel = opts.parallel ?? true;
    this.serial = serial ? new Uart16550({ clock, irq: this.gsi.isaIrq(COM1_IRQ), sink: opts.serialSink ?? (() => undefined) }) : undefined;
    if (this.serial) io.map('serial', COM1_BASE, UART_SIZE, this.serial.region);
    this.parallel = parallel ? new ParallelPort({ irq: this.gsi.isaIrq(LPT1_IRQ), ...(opts.parallelSink ? { sink: opts.parallelSink } : {}) }) : undefined;
    if (this.parallel) io.map('parallel', LPT1_BASE, LPT_SIZE, this.parallel.region, 0, true);
    if (opts.debugconSink) io.map('isa-debugcon', DEBUGCON_PORT, 1, new DebugCon(opts.debugconSink).region);

    // fw_cfg.
    this.fwCfg = new FwCfg({
      read: (addr, into) => this.memory.busRead(addr, into),
      write: (addr, data) => this.memory.busWrite(addr, data),
    });
    io.map('fwcfg', FW_CFG_PORT, 2, this.fwCfg.ioRegion);
    io.map('fwcfg.dma', FW_CFG_DMA_PORT, 8, this.fwCfg.dmaRegion);
    for (const item of qemuFwCfgItems({
      ramSize: below4g + above4g,
      cpus: this.cpus,
      apicIds: lapics.map((l) => l.initialId),
      apicIdLimit: opts.apicIdLimit ?? opts.maxCpus ?? this.cpus,
      ...(opts.numa ? { numa: opts.numa } : {}),
    })) {
      this.fwCfg.setItem(item.key, item.bytes);
    }
    const files = [...(opts.fwCfgFiles ?? [])];
    if (opts.linux) {
      // A direct kernel boot, as QEMU's -kernel: the pieces in fw_cfg and the option ROM that loads them.
      for (const item of linuxBootItems(opts.linux, below4g)) this.fwCfg.setItem(item.key, item.bytes);
      files.push({ name: LINUXBOOT_ROM, bytes: opts.linux.optionRom });
    }
    this.fwCfg.setFiles(files);

    // Firmware, and QEMU's "pc.rom": 128 KiB of read-only zeros on the PCI side at 0xc0000
    // (where QEMU would place ISA option ROMs), what PAM segments set to PCI show there.
    if (opts.bios) mapBios(this.memory, opts.bios);
    mmio.map('pc.rom', PC_ROM_BASE, PC_ROM_SIZE, new RomRegion(new Uint8Array(0), PC_ROM_SIZE));

    // PCI: the chipset's functions.
    const root = this.pci.root;
    this.mch = root.attach(0x00, 0, new Q35Mch({ host: this.pci, memory: this.memory }, { extTsegMbytes: this.compat.extTsegMbytes }));
    const display = opts.display ?? 'std-vga';
    const rom = opts.vgaBios ? { rom: opts.vgaBios } : {};
    this.vga =
      display === 'std-vga'
        ? root.attach(0x01, 0, new StdVga(rom))
        : display === 'virtio-vga'
          ? root.attach(0x01, 0, new VirtioVga({ bus: 'pcie-root', compat: this.compat, ...rom }))
          : undefined;
    if (this.vga) {
      const vga = this.vga.vga;
      mmio.map('vga-lowmem', LEGACY_VGA_BASE, LEGACY_VGA_SIZE, vga.legacyMemory);
      for (const [base, count] of VGA_PORT_RANGES) io.map('vga', base, count, offsetPorts(vga.ports, base - 0x3b0), 0, true);
      io.map('vbe', VBE_DISPI_IOPORT_INDEX, 3, vga.vbePorts, 0, true);
    }
    this.lpc = root.attach(
      0x1f,
      0,
      new Ich9Lpc(
        {
          io,
          memory: this.memory,
          clock,
          setGsi: (gsi, level) => this.gsi.setGsi(gsi, level),
          smi: () => this.pins[this.currentCpu]?.signal('smi'),
          onReset: () => this.requestReset(),
          onPowerOff: () => {
            this.powerOffRequested = true;
            this.onStopRequest?.();
          },
        },
        { com1: serial, lpt1: parallel },
      ),
    );
    root.intxRouter = this.lpc;
    this.ahci = opts.sata ?? true ? root.attach(0x1f, 2, new Ich9Ahci(opts.sataDrives)) : undefined;
    this.smbus = opts.smbus ?? true ? root.attach(0x1f, 3, new Ich9Smbus()) : undefined;
  }

  /** The root bus, pcie.0. */
  get root(): PciBus {
    return this.pci.root;
  }

  /** What CPU `index` is wired to. */
  platform(index: number): Q35CpuPlatform {
    if (!(index >= 0 && index < this.cpus)) throw new RangeError(`no CPU ${index} (the machine has ${this.cpus})`);
    let p = this.platforms[index];
    if (!p) {
      p = new Q35CpuPlatform(index, this.lapics[index]!, this.pins[index]!, {
        memory: this.memory,
        io: this.io,
        clock: this.clock,
        apicBus: this.apicBus,
        a20: () => this.a20,
        current: () => void (this.currentCpu = index),
        smram: (addr) => this.mch.smramTarget(addr),
        package: this.opts.package ?? { dies: 1, cores: 1, threads: 1 },
      });
      this.platforms[index] = p;
    }
    return p;
  }

  /** Places a function on a bus at device.function; `acpiIndex` is QEMU's acpi-index property. */
  attach<F extends PciFunction>(bus: PciBus, device: number, fn: number, f: F, opts: { acpiIndex?: number } = {}): F {
    if (opts.acpiIndex !== undefined) f.acpiIndex = opts.acpiIndex;
    return bus.attach(device, fn, f);
  }

  /**
   * Hot-plugs `f` at `device`.`fn` behind `port` (device_add), the way QEMU
   * 7.2's q35 does for that port: a bus served by ACPI PCI hot-plug (ports
   * below pcie.0; the host bridge's _OSC keeps native hot-plug from the OS)
   * gets the device with slot power on, its PCIU bit and GPE0 bit 1
   * (acpi_pcihp_device_plug_cb); any other port's slot signals the plug
   * itself (PCI Express native hot-plug: Slot Status events and the port's
   * interrupt; ports below a pxb-pcie expander). `rid` is where the compiled
   * dispatch table finds the function (its routing ID with firmware's bus
   * numbers). Throws when the slot cannot take it.
   */
  hotPlug(port: PciBridge, f: PciFunction, device: number, fn: number, rid: number): void {
    const bus = port.secondary;
    // A port's link has one device, whose functions come together (no multifunction hot-plug).
    if (bus.functions().length > 0) throw new Error('the slot is occupied');
    if (this.pciHotplug.serves(bus)) {
      bus.attach(device, fn, f);
      port.capability(PcieCapability)?.enableSlotPower(port.config);
      this.pciHotplug.plugged(bus, device);
      this.lpc.pm.raiseGpe(ACPI_PCI_HOTPLUG_GPE);
    } else nativeHotPlug(port, f, device, fn);
    this.pci.addDispatchEntry(rid, f);
  }

  /** Whether `port`'s slot takes a hot-plugged device now (empty; hot-plug capable and not locked, or served by ACPI hot-plug). */
  canHotPlug(port: PciBridge): boolean {
    if (port.secondary.functions().length > 0) return false;
    if (this.pciHotplug.serves(port.secondary)) return true;
    const cap = port.capability(PcieCapability);
    return cap !== undefined && cap.hotplugRefusal(port.config) === undefined;
  }

  /** The buses QEMU serves with ACPI PCI hot-plug, with the BSEL numbers its DSDT gives them. */
  useAcpiHotplug(buses: readonly (readonly [number, PciBus])[]): void {
    for (const [bsel, bus] of buses) this.pciHotplug.register(bsel, bus);
  }

  /**
   * Installs the compiled configuration dispatch table: the machine file's
   * functions by routing ID (the chipset's own are added here) and every
   * bridge with the bus numbers firmware gives it.
   */
  useDispatchTable(entries: readonly (readonly [number, PciFunction])[], bridges: readonly (readonly [PciBridge, number, number])[]): void {
    const chipset: [number, PciFunction | undefined][] = [
      [0x00, this.mch],
      [0x08, this.vga],
      [0xf8, this.lpc],
      [0xfa, this.ahci],
      [0xfb, this.smbus],
    ];
    const own = chipset.filter((e): e is [number, PciFunction] => e[1] !== undefined);
    this.pci.useDispatchTable([...own, ...entries], bridges);
  }

  private setA20(enabled: boolean): void {
    if (enabled === this.a20) return;
    this.a20 = enabled;
    this.memory.mapChanged();
  }

  /** Called when the guest asks for a reset or power-off: the run loop ends the CPUs' turns there. */
  onStopRequest: (() => void) | undefined = undefined;

  /** Asks for a system reset (the guest through RST_CNT, port 0x92 or the i8042; the run loop on a triple fault). */
  requestReset(): void {
    this.resetRequested = true;
    this.onStopRequest?.();
  }

  /** System reset: the platform devices, then every PCI function in tree order, as after power-on. */
  reset(): void {
    this.resetRequested = false;
    this.powerOffRequested = false;
    this.pic.reset();
    this.ioapic.reset();
    for (const l of this.lapics) l.reset();
    for (const p of this.pins) {
      p.nmi = p.smi = p.init = false;
      p.sipi = undefined;
    }
    this.pit.reset();
    this.speaker.reset();
    this.hpet.reset();
    this.rtc.reset();
    this.kbc.reset();
    this.port92.reset();
    this.serial?.reset();
    this.parallel?.reset();
    this.fwCfg.reset();
    this.setA20(true);
    fillPcNvram(this.rtc.cmos, {
      below4g: this.opts.ram.below4g,
      above4g: this.opts.ram.above4g ?? 0,
      cpus: this.cpus,
      ...(this.opts.bootOrder !== undefined ? { bootOrder: this.opts.bootOrder } : {}),
      ...(this.opts.cmosDisks ? { disks: this.opts.cmosDisks } : {}),
    });
    this.pci.configAddress = 0;
    this.pciHotplug.reset();
    this.loadOptionRoms();
    const visit = (bus: PciBus) => {
      for (const f of bus.functions()) {
        f.reset();
        if (f instanceof PciBridge) visit(f.secondary);
        else if (f.rootBus) visit(f.rootBus);
      }
    };
    visit(this.pci.root);
    this.pci.busesChanged();
    this.pci.remap();
    this.memory.mapChanged();
  }

  private readonly romsLoaded = new Set<PciFunction>();

  /** Fills the ROM BAR of each function whose model has an image in `optionRoms` (once). */
  private loadOptionRoms(): void {
    const roms = this.opts.optionRoms;
    if (!roms) return;
    for (const f of this.pci.allFunctions()) {
      const image = roms[f.model];
      if (!image || this.romsLoaded.has(f) || !f.barRegion(6)) continue;
      f.loadRom(image);
      this.romsLoaded.add(f);
    }
  }

  /** Buses reachable through bridges (the root bus and expanders' root buses included). */
  buses(): PciBus[] {
    const out: PciBus[] = [];
    const visit = (bus: PciBus) => {
      out.push(bus);
      for (const f of bus.functions()) {
        if (f instanceof PciBridge) visit(f.secondary);
        else if (f.rootBus) visit(f.rootBus);
      }
    };
    visit(this.pci.root);
    return out;
  }

  /** Every drive of the machine's storage devices (AHCI ports, virtio-blk, NVMe namespaces), in tree order. */
  drives(): Drive[] {
    return this.driveOwners().flatMap(([, d]) => d);
  }

  private driveOwners(): [PciFunction, readonly Drive[]][] {
    return this.pci.allFunctions().flatMap((f): [PciFunction, readonly Drive[]][] => (hasDrives(f) ? [[f, f.drives]] : []));
  }

  /**
   * Opens every drive's image before the guest runs (read-only, behind an
   * in-memory overlay, or written through with `persist`). Returns one
   * message per drive that could not be opened (the function named by
   * `nameOf`), an empty list when all are.
   */
  openDrives(opts: OpenOptions, nameOf: (f: PciFunction) => string = (f) => f.label): string[] {
    const errors: string[] = [];
    for (const [f, drives] of this.driveOwners()) {
      for (const d of drives) {
        try {
          d.open(opts);
        } catch (e) {
          errors.push(`${nameOf(f)} ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return errors;
  }

  /**
   * Attaches every NIC with a data path (virtio-net) to `network` (by
   * default a new in-process switch of this machine's own, so its NICs talk
   * to each other; pass one switch to several machines to join them).
   * Returns the switch.
   */
  connectNetwork(network = new EthernetSwitch()): EthernetSwitch {
    for (const f of this.pci.allFunctions()) {
      const nic = f as PciFunction & { connect?: (port: NetPort) => void };
      if (typeof nic.connect === 'function') nic.connect(network.attach(f.label));
    }
    return network;
  }

  summary(): MachineSummary {
    return { functions: this.pci.allFunctions().length, buses: this.buses().length, ramBytes: this.ram.size, cpus: this.cpus };
  }

}

/** The GPE0 bit of ACPI PCI hot-plug events (QEMU ACPI_PCI_HOTPLUG_STATUS). */
const ACPI_PCI_HOTPLUG_GPE = 1;

/** Ports nothing behind them answers meaningfully: reads 0xff, writes dropped (QEMU's ioport80, FERR, vapic). */
const IGNORED: RegionHandler = byteRegisters(
  () => 0xff,
  () => undefined,
);

/** A handler at a range base that forwards to one whose offsets start `shift` earlier. */
function offsetPorts(h: RegionHandler, shift: number): RegionHandler {
  return { read: (off, width) => h.read(off + shift, width), write: (off, width, value) => h.write(off + shift, width, value) };
}
