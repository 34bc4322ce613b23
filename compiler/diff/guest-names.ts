/**
 * The names a Linux guest gives the machine's NICs and disks, derived from the
 * resolved topology, so a diff can say "enp3s0 becomes enp4s0".
 *
 * - PCI probe order is Linux's pci_bus_add_devices() (drivers/pci/bus.c): all
 *   functions of a bus in device.function order, then the buses behind its
 *   bridges, each the same way.
 * - NICs get udev's path-based predictable name (ID_NET_NAME_PATH, systemd's
 *   net_id builtin): "en" + "p<bus>s<slot>" in decimal, "f<function>" when the
 *   function is not 0 or the device is multi-function, the function taken as
 *   the 8-bit ARI function when the link has ARI forwarding enabled; an SR-IOV
 *   VF takes its PF's name plus "v<index>". (Where firmware exposes a slot
 *   number the guest may prefer a slot name, ens<N>; the path name always exists.)
 * - virtio-blk disks are vda, vdb, ... and NVMe controllers nvme0, nvme1, ... in
 *   probe order (namespaces nvme<N>n<nsid>); SATA disks are sda, sdb, ... and
 *   CD-ROMs sr0, sr1, ... in AHCI port order.
 */
import type { DeviceDesc } from '../model/description.js';
import type { PciFunction, ResolvedMachine } from '../model/topology.js';

export interface GuestNames {
  /** Device id to the NIC names (a PF's VFs are under `pf/vfN`). */
  readonly nics: ReadonlyMap<string, string>;
  /** Device id to its disk names (an NVMe controller can have several namespaces). */
  readonly disks: ReadonlyMap<string, readonly string[]>;
}

/** Functions (no VFs) in the order Linux probes them. */
export function probeOrder(m: ResolvedMachine): PciFunction[] {
  const byBus = new Map<number, PciFunction[]>();
  for (const f of m.pci.functions) {
    if (f.role === 'vf') continue;
    let list = byBus.get(f.bus);
    if (!list) byBus.set(f.bus, (list = []));
    list.push(f);
  }
  const out: PciFunction[] = [];
  const seen = new Set<number>();
  const visit = (bus: number) => {
    if (seen.has(bus)) return;
    seen.add(bus);
    const fns = byBus.get(bus) ?? [];
    out.push(...fns);
    for (const f of fns) if (f.bridge) visit(f.bridge.secondary);
  };
  visit(0);
  return out;
}

/** Whether the bus a function sits on has ARI forwarding enabled (Linux pci_configure_ari). */
function ariEnabled(f: PciFunction, byBdf: ReadonlyMap<string, PciFunction>, bridgeOfBus: ReadonlyMap<number, PciFunction>): boolean {
  const bridge = bridgeOfBus.get(f.bus);
  if (!bridge?.bridge?.ariForwarding) return false;
  const fn0 = byBdf.get(`${f.bdf.slice(0, 2)}:00.0`);
  return Boolean(fn0?.ari);
}

/** udev's ID_NET_NAME_PATH for a function (not a VF). */
export function pathName(f: PciFunction, ari: boolean): string {
  const fn = ari ? f.device * 8 + f.fn : f.fn;
  return `enp${f.bus}s${f.device}${fn > 0 || f.multifunction ? `f${fn}` : ''}`;
}

/** vda, ..., vdz, vdaa, ... (the kernel's sd/virtio_blk disk naming). */
export function diskLetters(index: number): string {
  let s = '';
  let n = index;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

const NIC_CLASS = 0x02;

export function guestNames(m: ResolvedMachine): GuestNames {
  const descs = new Map<string, DeviceDesc>(m.devices.map((d) => [d.id, d]));
  const byBdf = new Map(m.pci.functions.map((f) => [f.bdf, f]));
  const bridgeOfBus = new Map<number, PciFunction>();
  for (const f of m.pci.functions) if (f.bridge) bridgeOfBus.set(f.bridge.secondary, f);
  const nics = new Map<string, string>();
  const disks = new Map<string, string[]>();
  let vd = 0;
  let nvme = 0;
  for (const f of probeOrder(m)) {
    if (f.classCode >> 16 === NIC_CLASS) {
      const name = pathName(f, ariEnabled(f, byBdf, bridgeOfBus));
      nics.set(f.key, name);
      for (const [i, vf] of (f.sriov?.vfs ?? []).entries()) nics.set(vf, `${name}v${i}`);
    } else if (f.model === 'virtio-blk') {
      disks.set(f.key, [`vd${diskLetters(vd++)}`]);
    } else if (f.model === 'nvme') {
      const n = nvme++;
      const d = descs.get(f.key);
      const nsids = d && d.namespaces.length > 0 ? d.namespaces.map((ns) => ns.nsid) : d?.drive ? [1] : [];
      disks.set(f.key, nsids.length > 0 ? nsids.map((id) => `nvme${n}n${id}`) : [`nvme${n}`]);
    }
  }
  let sd = 0;
  let sr = 0;
  for (const drive of m.storage.sata) disks.set(drive.id, [drive.kind === 'disk' ? `sd${diskLetters(sd++)}` : `sr${sr++}`]);
  return { nics, disks };
}
