/**
 * Where an acpi-index (QEMU's `acpi-index`, PCI Firmware Spec 3.1 §4.6.7 "_DSM
 * for naming a PCI device") reaches the guest, per target:
 *
 * - in a hot-plug slot (a bus with ACPI PCI hot-plug), the slot's _DSM asks
 *   QEMU for the index of the device in that slot (PDSM -> AIDX reads PIDX,
 *   hw/acpi/pcihp.c): one index per slot, so the slot must hold one function;
 *   QEMU 8.0 and later describe no slot for a bridge there;
 * - elsewhere (pcie.0, behind a port with hotplug=off) QEMU 8.0 and later
 *   give the function a _DSM of its own with the index (EDSM); 7.2 has no
 *   way to report it.
 *
 * Indexes are unique in the machine (QEMU refuses a second device with the
 * same one).
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { DeviceDesc, MachineDescription } from '../model/description.js';
import { since } from '../model/target.js';
import type { PciBus, PciFunction } from '../model/topology.js';
import { newerTargetFix, targetNote } from '../diagnostics/target.js';

export function checkAcpiIndexes(desc: MachineDescription, functions: readonly PciFunction[], buses: readonly PciBus[], diags: DiagnosticBag): void {
  const fnOf = new Map(functions.map((f) => [f.key, f]));
  const busOf = new Map(buses.map((b) => [b.number, b]));
  const seen = new Map<number, DeviceDesc>();
  // In file order, so a duplicate is reported at the later line.
  for (const d of desc.devices) {
    const f = fnOf.get(d.id);
    const span = d.spans['acpi-index'];
    if (!f || f.acpiIndex === undefined || !span) continue;
    const first = seen.get(f.acpiIndex);
    if (first) {
      const at = first.spans['acpi-index'];
      diags.report(Diag.acpiIndexTaken, span, { index: f.acpiIndex, owner: first.id, line: at?.line }, { notes: at ? [{ message: `${first.id} has it here`, span: at }] : [] });
      continue;
    }
    seen.set(f.acpiIndex, d);
    const bus = busOf.get(f.bus);
    if (bus?.acpiHotplug) {
      const slotmates = functions.filter((g) => g.bus === f.bus && g.device === f.device && g !== f && g.role !== 'vf');
      if (slotmates.length > 0) {
        diags.report(Diag.acpiIndexIgnored, span, {
          device: f.key,
          why: `${f.bdf} shares its hot-plug slot with ${slotmates.map((g) => g.key).join(', ')}, and QEMU reports one acpi-index per hot-plug slot`,
        }, { fix: { message: 'give the index to a device alone in its slot' } });
      } else if (f.bridge && since(desc.qemu, '8.0')) {
        diags.report(Diag.acpiIndexIgnored, span, {
          device: f.key,
          why: `QEMU ${desc.qemu.version} describes no hot-plug slot for a bridge on a hot-plug bus, so nothing reports its index`,
        });
      }
    } else if (!since(desc.qemu, '8.0')) {
      diags.report(Diag.targetLacksProperty, span, {
        property: `acpi-index on ${f.key}`,
        since: '8.0',
        target: desc.qemu.version,
        detail: `QEMU ${desc.qemu.version} reports an acpi-index only for a hot-plug slot, and ${f.bdf} is on ${bus?.name ?? 'a bus'}, which has no ACPI hot-plug`,
      }, { notes: targetNote(desc), fix: newerTargetFix('8.0') });
    }
  }
}
