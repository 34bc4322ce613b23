/**
 * The runtime against the compiler, for every example and test machine: the
 * generated module is instantiated, firmware is played through the
 * machine's config mechanisms only, and what it discovers and programs must
 * be what the compiler resolved.
 *
 * - BARs sized through config space (write all ones, read back) equal the
 *   resolved BARs and ROM sizes of every function; VF BARs, sized through
 *   the PF's SR-IOV capability, equal the resolved VF BARs.
 * - Bus numbers firmware assigns equal the resolved ones; the placement it
 *   computes from the sizes it discovered equals the resolved firmware plan
 *   (every BAR and window), and the registers hold those addresses.
 * - Once firmware has numbered the buses, config cycles go through the
 *   compiled dispatch table, and it answers exactly like the bus walk.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest } from '../../compiler/cli/commands/lspci.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';
import { ecamAccess, findExtCapability, type ConfigAccess } from '../../runtime/guest/config-access.js';
import { exampleMachines, loadGenerated, resolveMachine, testMachines } from '../codegen/support.js';

const machines = [...exampleMachines(), ...testMachines().filter((p) => !p.endsWith('many-rootports-16.yaml'))];

/** Size and type of a BAR register pair, found by writing all ones (and restoring). */
function sizeBar(cfg: ConfigAccess, bus: number, devfn: number, ofs: number, rom: boolean): { kind: string; prefetchable: boolean; size: number } | undefined {
  const old = cfg.read(bus, devfn, ofs, 4);
  cfg.write(bus, devfn, ofs, 4, 0xffff_ffff);
  const lo = cfg.read(bus, devfn, ofs, 4);
  cfg.write(bus, devfn, ofs, 4, old);
  if (rom) return lo ? { kind: 'mem32', prefetchable: false, size: (~(lo & 0xffff_f800) >>> 0) + 1 } : undefined;
  if (!lo) return undefined;
  if (lo & 1) return { kind: 'io', prefetchable: false, size: ((~(lo & 0xffff_fffc) >>> 0) & 0xffff) + 1 };
  const is64 = (lo & 6) === 4;
  let hi = 0xffff_ffff;
  if (is64) {
    const oldHi = cfg.read(bus, devfn, ofs + 4, 4);
    cfg.write(bus, devfn, ofs + 4, 4, 0xffff_ffff);
    hi = cfg.read(bus, devfn, ofs + 4, 4);
    cfg.write(bus, devfn, ofs + 4, 4, oldHi);
  }
  const size = (0xffff_ffff - hi) * 2 ** 32 + (~(lo & 0xffff_fff0) >>> 0) + 1;
  return { kind: is64 ? 'mem64' : 'mem32', prefetchable: (lo & 8) !== 0, size };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

async function boot(resolved: ResolvedMachine) {
  const mod = await loadGenerated(resolved);
  return bootGuest(resolved, mod);
}

describe('runtime and compiler agree', () => {
  for (const path of machines) {
    const name = basename(path);

    it(`${name}: BARs sized through config space equal the resolved BARs (VFs included)`, async () => {
      const resolved = resolveMachine(path);
      const { machine, firmware } = await boot(resolved);
      const cfg = ecamAccess(machine, firmware.ecamBase);
      for (const f of resolved.pci.functions) {
        const devfn = f.device * 8 + f.fn;
        if (f.role === 'vf') {
          const pf = resolved.pci.functions.find((p) => p.key === f.physfn)!;
          const sriov = findExtCapability(cfg, pf.bus, pf.device * 8 + pf.fn, 0x10);
          const bars = [];
          for (let i = 0; i < 6; i++) {
            const b = sizeBar(cfg, pf.bus, pf.device * 8 + pf.fn, sriov + 0x24 + 4 * i, false);
            if (b) bars.push({ index: i, ...b });
            if (b?.kind === 'mem64') i++;
          }
          expect(bars, `${f.bdf} ${f.key}`).toEqual(f.bars.map((b) => ({ index: b.index, kind: b.kind, prefetchable: b.prefetchable, size: b.size })));
          // VF BAR registers read 0 and VF IDs read 0xffff (SR-IOV 1.1 §3.4.1).
          expect(cfg.read(f.bus, devfn, 0x00, 4), f.bdf).toBe(0xffff_ffff);
          for (let o = 0x10; o < 0x28; o += 4) expect(cfg.read(f.bus, devfn, o, 4)).toBe(0);
          continue;
        }
        const bridge = (cfg.read(f.bus, devfn, 0x0e, 1) & 0x7f) === 1;
        const bars = [];
        for (let i = 0; i < (bridge ? 2 : 6); i++) {
          const b = sizeBar(cfg, f.bus, devfn, 0x10 + 4 * i, false);
          if (b) bars.push({ index: i, ...b });
          if (b?.kind === 'mem64') i++;
        }
        expect(bars, `${f.bdf} ${f.key}`).toEqual(f.bars.map((b) => ({ index: b.index, kind: b.kind, prefetchable: b.prefetchable, size: b.size })));
        expect(sizeBar(cfg, f.bus, devfn, bridge ? 0x38 : 0x30, true)?.size ?? 0, `${f.bdf} ROM`).toBe(f.romSize);
        expect(cfg.read(f.bus, devfn, 0x00, 2)).toBe(f.vendorId);
        expect(cfg.read(f.bus, devfn, 0x02, 2)).toBe(f.deviceId);
        expect(cfg.read(f.bus, devfn, 0x08, 4) >>> 8).toBe(f.classCode);
        expect(cfg.read(f.bus, devfn, 0x08, 1)).toBe(f.revision);
      }
    });

    it(`${name}: firmware's bus numbers and placement equal the resolved machine and plan`, async () => {
      const resolved = resolveMachine(path);
      const { machine, firmware } = await boot(resolved);
      const cfg = ecamAccess(machine, firmware.ecamBase);
      const keyOf = new Map(resolved.pci.functions.map((f) => [f.bdf, f.key]));
      expect(firmware.functions.map((f) => f.bdf)).toEqual(resolved.pci.functions.filter((f) => f.role !== 'vf').map((f) => f.bdf));
      for (const f of resolved.pci.functions) {
        if (!f.bridge) continue;
        const devfn = f.device * 8 + f.fn;
        expect([cfg.read(f.bus, devfn, 0x18, 1), cfg.read(f.bus, devfn, 0x19, 1), cfg.read(f.bus, devfn, 0x1a, 1)], f.key).toEqual([f.bus, f.bridge.secondary, f.bridge.subordinate]);
      }
      const plan = resolved.firmware;
      expect(firmware.placement.bars.map((b) => ({ ...b, key: keyOf.get(b.bdf) }))).toEqual(plan.bars);
      expect(firmware.placement.windows.map((w) => ({ ...w, key: keyOf.get(w.key) }))).toEqual(plan.windows);
      // The registers hold what was placed (SeaBIOS's SMBus setup then moves its BAR4 to PM base + 0x100).
      for (const b of plan.bars) {
        const f = resolved.pci.functions.find((x) => x.key === b.key)!;
        const devfn = f.device * 8 + f.fn;
        const ofs = b.bar === 6 ? (f.bridge ? 0x38 : 0x30) : 0x10 + 4 * b.bar;
        const lo = cfg.read(f.bus, devfn, ofs, 4);
        const hi = b.is64 ? cfg.read(f.bus, devfn, ofs + 4, 4) : 0;
        const mask = b.region === 'io' ? 0xffff_fffc : b.bar === 6 ? 0xffff_f800 : 0xffff_fff0;
        const at = hi * 2 ** 32 + ((lo & mask) >>> 0);
        const want = f.model === 'ich9-smbus' && b.bar === 4 ? 0x700 : b.address;
        expect(hex(at), `${b.bdf} BAR${b.bar}`).toBe(hex(want));
      }
    });

    it(`${name}: the compiled dispatch table answers like the bus walk once buses are numbered`, async () => {
      const resolved = resolveMachine(path);
      const mod = await loadGenerated(resolved);
      const { machine } = mod.createMachine();
      expect(machine.pci.dispatchTableActive).toBe(resolved.pci.buses.length === 1);
      const { machine: booted } = bootGuest(resolved, mod);
      expect(booted.pci.dispatchTableActive).toBe(true);
      for (let bus = 0; bus <= resolved.pci.buses[resolved.pci.buses.length - 1]!.subordinate + 1; bus++) {
        for (let devfn = 0; devfn < 256; devfn++) {
          const walked = booted.pci.walk(bus, devfn);
          expect(booted.pci.lookup(bus, devfn), `${bus}:${devfn}`).toBe(walked && walked.present ? walked : undefined);
        }
      }
    });
  }
});
