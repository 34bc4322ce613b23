/**
 * CPU topology: QEMU 7.2's APIC ID layout (include/hw/i386/topology.h). Each
 * level of sockets/dies/cores/threads gets the bit width of (n - 1).
 */
import type { CpuDesc, NumaNodeDesc } from '../model/description.js';
import type { Cpu, CpuTopology } from '../model/topology.js';

/** Bits needed to number n items: width(1) = 0, width(2) = 1, width(3) = width(4) = 2. */
export function idWidth(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

export function apicIdOf(index: number, t: { dies: number; cores: number; threads: number }): number {
  const smtW = idWidth(t.threads);
  const coreW = idWidth(t.cores);
  const dieW = idWidth(t.dies);
  const smt = index % t.threads;
  const core = Math.floor(index / t.threads) % t.cores;
  const die = Math.floor(index / (t.cores * t.threads)) % t.dies;
  const pkg = Math.floor(index / (t.dies * t.cores * t.threads));
  return pkg * 2 ** (smtW + coreW + dieW) + die * 2 ** (smtW + coreW) + core * 2 ** smtW + smt;
}

/** qemu64 and the TCG `max` model report AMD; Intel models report Intel. */
export function vendorOf(model: CpuDesc['model']): CpuTopology['vendor'] {
  return model === 'Skylake-Server' ? 'GenuineIntel' : 'AuthenticAMD';
}

/** QEMU's default phys-bits for a 64-bit CPU under TCG. */
export const DEFAULT_PHYS_BITS = 40;

export function resolveCpus(desc: CpuDesc, numa: readonly NumaNodeDesc[]): CpuTopology {
  const nodeOf = new Map<number, number>();
  numa.forEach((n, i) => n.cpus.forEach((c) => nodeOf.set(c, i)));
  const cpus: Cpu[] = [];
  for (let index = 0; index < desc.max; index++) {
    const t = desc.threads;
    const c = desc.cores;
    const d = desc.dies;
    cpus.push({
      index,
      apicId: apicIdOf(index, desc),
      thread: index % t,
      core: Math.floor(index / t) % c,
      die: Math.floor(index / (c * t)) % d,
      socket: Math.floor(index / (d * c * t)),
      present: index < desc.count,
      node: nodeOf.get(index) ?? 0,
    });
  }
  return {
    count: desc.count,
    max: desc.max,
    sockets: desc.sockets,
    dies: desc.dies,
    cores: desc.cores,
    threads: desc.threads,
    model: desc.model,
    vendor: vendorOf(desc.model),
    physBits: DEFAULT_PHYS_BITS,
    cpus,
  };
}
