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
 * Captures of devices QEMU 7.2 lacks come from a newer QEMU running the same
 * machine type, pc-q35-7.2 (the capture's README names the QEMU). There,
 * NEWER_QEMU lists what that QEMU does differently from 7.2 on devices the
 * runtime models as 7.2 has them, again one entry per register with the
 * reason.
 *
 * Device properties a machine file does not express are taken from the
 * capture's QEMU command line: the port number in LinkCap (`port=`) and the
 * nvme queue and vector budget (`max_ioqpairs`, `msix_qsize`,
 * `sriov_vi_flexible`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import { capabilities, ecamAccess, extCapabilities } from '../../runtime/guest/config-access.js';
import { loadGenerated, resolveMachine, ROOT } from '../codegen/support.js';
import { diffConfig, parseBdf } from './support.js';

const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'qemu-7.2-q35');
const CAPTURES = join(ROOT, 'tests/fixtures/captures');
const DEFAULT = join(ROOT, 'machines/q35-default.yaml');

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly machine: string;
}

function cases(): Case[] {
  // The shared references when this checkout has them beside it; the captures in the repository cover the same topologies.
  const out: Case[] = existsSync(REFERENCE)
    ? [
        { name: 'reference/01-default', dir: join(REFERENCE, '01-default'), machine: DEFAULT },
        { name: 'reference/02-rootport-e1000e', dir: join(REFERENCE, '02-rootport-e1000e'), machine: join(ROOT, 'tests/fixtures/machines/cap-rootport-e1000e.yaml') },
      ]
    : [];
  for (const name of readdirSync(CAPTURES).sort()) {
    const dir = join(CAPTURES, name);
    if (!existsSync(join(dir, 'cfg')) || readdirSync(join(dir, 'cfg')).length === 0) continue;
    const machine = name === 'default' || name === 'acpi-off-default' ? DEFAULT : join(ROOT, 'tests/fixtures/machines', `cap-${name}.yaml`);
    out.push({ name: `captures/${name}`, dir, machine });
  }
  return out;
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
    if (props.has('max_ioqpairs')) o['maxIoqpairs'] = Number(props.get('max_ioqpairs'));
    if (props.has('msix_qsize')) o['msixQsize'] = Number(props.get('msix_qsize'));
    if (Object.keys(o).length) out[id] = o;
    if (props.has('sriov_vi_flexible')) (out[id] ??= {})['sriov'] = { totalVfs: Number(props.get('sriov_max_vfs')), viFlexible: Number(props.get('sriov_vi_flexible')) } as never;
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

/** Registers a QEMU newer than 7.2 resets differently on the pc-q35-7.2 machine type. */
const NEWER_QEMU: Programmed[] = [
  {
    register: 'hot-plug port Slot Control: Power Indicator Control (bits 9:8)',
    why:
      'QEMU 10 resets a populated hot-plug slot with the Power Indicator Off (11b) where 7.2 sets it On (01b), ' +
      'with ACPI hot-plug on or off and on every machine type (read through CF8/CFC before the guest runs); the runtime keeps 7.2\'s',
    where: (f) => ((f.headerType & 0x7f) === 1 ? inCap(0x10, 0x18, 2, 0x0300)(f) : []),
  },
];

/** The QEMU release a capture came from, as its README names it ('7.2', '10.0'). */
function captureQemu(dir: string): { major: number; minor: number } {
  const m = /QEMU (\d+)\.(\d+)/.exec(readFileSync(join(dir, 'README.md'), 'utf8'));
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : { major: 7, minor: 2 };
}

describe('booted config spaces equal QEMU 7.2 (or pc-q35-7.2 on a newer QEMU) + SeaBIOS + Linux captures', () => {
  for (const c of cases()) {
    it(c.name, async () => {
      const resolved = resolveMachine(c.machine);
      const mod = await loadGenerated(resolved);
      const overrides = overridesFor(c.dir);
      // Without ACPI tables (no etc/table-loader) SeaBIOS keeps the PM base at 0xb000.
      const pmBase = c.name.endsWith('acpi-off-default') ? 0xb000 : undefined;
      const boot = bootGuest(resolved, { ...mod, createMachine: (o) => mod.createMachine(o, overrides) }, { pmBase });
      const cfg = ecamAccess(boot.machine, boot.firmware.ecamBase);
      const vfs = enabledVfs(c.dir);
      const qemu = existsSync(join(c.dir, 'README.md')) ? captureQemu(c.dir) : { major: 7, minor: 2 };
      const differs = qemu.major > 7 || (qemu.major === 7 && qemu.minor > 2) ? [...PROGRAMMED, ...NEWER_QEMU] : PROGRAMMED;
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
