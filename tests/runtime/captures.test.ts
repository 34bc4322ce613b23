/**
 * Booted state against real QEMU 7.2 + SeaBIOS 1.16.2 + Linux 6.1: for every
 * shared reference topology and every capture with config dumps, the
 * machine file is compiled to its module and instantiated, firmware is
 * played through the runtime's own config mechanisms (SeaBIOS's PCI setup,
 * SMM and shadowing), the VFs the capture enabled are enabled, and every
 * function's configuration space read through ECAM must equal the dump,
 * except in the registers listed in PROGRAMMED: what Linux writes (or, for
 * a few registers, what SeaBIOS writes outside its PCI setup), one entry per
 * register with the reason.
 *
 * Each capture is compared under the target it was taken on (QEMU 7.2 for
 * tests/fixtures/captures/NAME, QEMU V and its machine type pc-q35-V for
 * captures/qemu-V/NAME): the generated module builds the machine with that
 * target's device compat (runtime/devices/compat.ts).
 *
 * The one device property a machine file does not express, the port number
 * in LinkCap (`port=`), is taken from the capture's QEMU command line; the
 * nvme queue and vector budget comes from the machine file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import { capabilities, ecamAccess, extCapabilities } from '../../runtime/guest/config-access.js';
import { captureCases, type CaptureCase } from '../build/machines.js';
import { loadGenerated, resolveMachine } from '../codegen/support.js';
import { diffConfig, parseBdf } from './support.js';

/** Every capture and shared reference with config dumps, with its machine file and target. */
function cases(): CaptureCase[] {
  return captureCases().filter((c) => existsSync(join(c.dir, 'cfg')) && readdirSync(join(c.dir, 'cfg')).length > 0);
}

/** `-device` properties by id from a capture's QEMU arguments. */
function deviceProps(dir: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const text = readFileSync(join(dir, 'qemu.args'), 'utf8');
  for (const m of text.matchAll(/-device\s+([^\s]+)/g)) {
    const props = new Map<string, string>();
    for (const part of m[1]!.split(',').slice(1)) {
      const eq = part.indexOf('=');
      if (eq > 0) props.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const id = props.get('id');
    if (id) out.set(id, props);
  }
  return out;
}

function overridesFor(dir: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [id, props] of deviceProps(dir)) {
    const o: Record<string, number> = {};
    if (props.has('port')) o['port'] = Number(props.get('port'));
    if (Object.keys(o).length) out[id] = o;
  }
  return out;
}

/** VFs the capture's guest enabled (sriov.txt: `BDF PF totalvfs=N numvfs=M`). */
function enabledVfs(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const file = join(dir, 'sriov.txt');
  if (!existsSync(file)) return out;
  for (const m of readFileSync(file, 'utf8').matchAll(/^(\S+) PF .*numvfs=(\d+)/gm)) out.set(m[1]!.replace(/^0000:/, ''), Number(m[2]));
  return out;
}

/**
 * The registers the OS programs (the runtime replays firmware, not Linux):
 * which bits, where, and why. `where` gives [byte offset, bit mask] pairs
 * for one function, its capabilities located through config space.
 */
interface Programmed {
  readonly register: string;
  readonly why: string;
  readonly where: (f: FunctionView) => [number, number][];
}

interface FunctionView {
  readonly caseName: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly headerType: number;
  cap(id: number): number;
  ext(id: number): number;
}

/** `bits` of the little-endian register of `len` bytes at `off`. */
const reg = (off: number, len: number, bits: number): [number, number][] =>
  Array.from({ length: len }, (_, i): [number, number] => [off + i, (bits >>> (8 * i)) & 0xff]).filter(([, b]) => b !== 0);
const inCap = (id: number, off: number, len: number, bits: number) => (f: FunctionView) => (f.cap(id) ? reg(f.cap(id) + off, len, bits) : []);
const isLpc = (f: FunctionView) => f.vendorId === 0x8086 && f.deviceId === 0x2918;

const PROGRAMMED: Programmed[] = [
  {
    register: 'Command: Bus Master Enable, Interrupt Disable',
    why: 'Linux drivers (ahci, pcieport, pci-pf-stub) enable bus mastering; pcieport sets INTx Disable once it uses MSI/MSI-X',
    where: () => reg(0x04, 2, 0x0404),
  },
  {
    register: 'ICH9 LPC PIRQA-H_ROUT (0x60-0x63, 0x68-0x6b) bit 7 IRQEN',
    why: "Linux evaluates _DIS of the PCI interrupt links it leaves unused; QEMU's DSDT _DIS sets IRQEN",
    where: (f) => (isLpc(f) ? [...reg(0x60, 4, 0x8080_8080), ...reg(0x68, 4, 0x8080_8080)] : []),
  },
  {
    register: 'std VGA 0x60-0x63 (device-specific scratch)',
    why: "with acpi=off Linux routes INTx through SeaBIOS's $PIR table, which names 00:01.0 as the interrupt router, and writes its PIRQ bytes there",
    where: (f) => (f.caseName.endsWith('acpi-off-default') && f.vendorId === 0x1234 ? reg(0x60, 4, 0xffff_ffff) : []),
  },
  {
    register: 'MCH PAM5 (0x95: shadow RAM 0xd0000-0xdffff)',
    why: "SeaBIOS leaves the upper-memory blocks its USB keyboard and mass-storage drivers allocated from writable; the runtime's firmware replay sets PAM as SeaBIOS does with the VGA ROM alone",
    where: (f) => (f.caseName.endsWith('usb-xhci') && f.vendorId === 0x8086 && f.deviceId === 0x29c0 ? reg(0x95, 1, 0xff) : []),
  },
  {
    register: 'Bridge IO base and limit (0x1c, 0x1d)',
    why: 'Linux gives hot-plug ports that firmware left without an IO window one of its own (pci=hpiosize)',
    where: (f) => ((f.headerType & 0x7f) === 1 ? reg(0x1c, 2, 0xf0f0) : []),
  },
  {
    register: 'MSI Message Control (enable, Multiple Message Enable), Address, Data',
    why: 'Linux pcieport enables MSI on switch ports and programs the message',
    where: (f) => {
      const o = f.cap(0x05);
      return o ? [...reg(o + 2, 2, 0x0071), ...reg(o + 4, 4, 0xffff_ffff), ...reg(o + 8, 4, 0xffff_ffff), ...reg(o + 12, 2, 0xffff)] : [];
    },
  },
  {
    register: 'MSI-X Message Control: MSI-X Enable, Function Mask',
    why: 'Linux pcieport enables MSI-X on root ports (PME, AER and hot-plug interrupts)',
    where: inCap(0x11, 2, 2, 0xc000),
  },
  {
    register: 'PCIe Device Control: error reporting enables (bits 3:0)',
    why: "Linux's AER service enables correctable, non-fatal, fatal and unsupported-request reporting on ports",
    where: inCap(0x10, 0x08, 2, 0x000f),
  },
  {
    register: 'PCIe Slot Control: hot-plug event and interrupt enables (bits 5:0, 12)',
    why: 'Linux pciehp drives the slots whose hot-plug _OSC leaves to the OS (the ports below expander bridges) and enables their events',
    where: inCap(0x10, 0x18, 2, 0x103f),
  },
  {
    register: 'AER Root Error Command',
    why: "Linux's AER root port service enables the error interrupts",
    where: (f) => (f.ext(0x0001) && f.cap(0x10) ? reg(f.ext(0x0001) + 0x2c, 4, 0x7) : []),
  },
  {
    register: 'SHPC DWORD Select and DWORD Data',
    why: 'Linux shpchp reads the controller through this window; the last dword it selected stays there',
    where: (f) => (f.cap(0x0c) ? [...reg(f.cap(0x0c) + 2, 1, 0xff), ...reg(f.cap(0x0c) + 4, 4, 0xffff_ffff)] : []),
  },
];

describe('booted config spaces equal the captures of QEMU 7.2, 10.0 and 11.1 (each on its own machine type) + SeaBIOS + Linux', () => {
  for (const c of cases()) {
    it(c.name, async () => {
      const resolved = resolveMachine(c.machine, c.target);
      const mod = await loadGenerated(resolved);
      const overrides = overridesFor(c.dir);
      // Without ACPI tables (no etc/table-loader) SeaBIOS keeps the PM base at 0xb000.
      const pmBase = c.name.endsWith('acpi-off-default') ? 0xb000 : undefined;
      const boot = bootGuest(resolved, { ...mod, createMachine: (o) => mod.createMachine(o, overrides) }, { pmBase });
      const cfg = ecamAccess(boot.machine, boot.firmware.ecamBase);
      const vfs = enabledVfs(c.dir);
      const differs = PROGRAMMED;
      expect([...vfs.entries()]).toEqual(resolved.pci.functions.filter((f) => f.sriov && f.sriov.numVfs > 0).map((f) => [f.bdf, f.sriov!.numVfs]));
      const problems: string[] = [];
      for (const file of readdirSync(join(c.dir, 'cfg')).sort()) {
        const { bus, devfn } = parseBdf(file.replace('.bin', ''));
        const want = new Uint8Array(readFileSync(join(c.dir, 'cfg', file)));
        const got = new Uint8Array(want.length);
        const view = new DataView(got.buffer);
        for (let off = 0; off < want.length; off += 4) view.setUint32(off, cfg.read(bus, devfn, off, 4), true);
        const caps = capabilities(cfg, bus, devfn);
        const exts = extCapabilities(cfg, bus, devfn);
        const f: FunctionView = {
          caseName: c.name,
          vendorId: want[0]! | (want[1]! << 8),
          deviceId: want[2]! | (want[3]! << 8),
          headerType: want[0x0e]!,
          cap: (id) => caps.find(([, i]) => i === id)?.[0] ?? 0,
          ext: (id) => exts.find(([, i]) => i === id)?.[0] ?? 0,
        };
        const mask = new Uint8Array(want.length);
        for (const p of differs) for (const [o, bits] of p.where(f)) mask[o] = mask[o]! | bits;
        const clear = (b: Uint8Array) => b.map((x, i) => x & ~mask[i]!);
        for (const d of diffConfig(clear(got), clear(want))) problems.push(`${file} ${d}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
