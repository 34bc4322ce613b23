/**
 * PCI Express native hot-plug on the runtime's ports, as QEMU's pcie.c does
 * it: a hot-plugged device sets Presence Detect State and Data Link Layer
 * Link Active and raises Presence Detect Changed and Attention Button
 * Pressed; the port signals enabled events through MSI-X (or INTx while
 * MSI-X is off) once per assertion, Slot Control writes complete at once
 * with a signalled Command Completed, slot power follows Power Controller
 * Control, and slots that cannot take a device refuse it.
 */
import { describe, expect, it } from 'vitest';
import { PcieRootPort, Q35Machine, registers as R, VirtioRng } from '../../runtime/index.js';
import { ecamRead, ecamWrite, enableEcam } from './support.js';

const MiB = 2 ** 20;
const PORT = 0x80; // 00:10.0
const EXP = 0x54; // the root port's PCIe capability
const MSIX = 0x48;
const BAR = 0xfe80_0000;

function machine(opts: { hotplug?: boolean } = {}) {
  const m = new Q35Machine({ ram: { below4g: 256 * MiB } });
  const port = m.attach(m.root, 0x10, 0, new PcieRootPort({ busName: 'rp', chassis: 1, slot: 1, nativeHotplug: true, ...(opts.hotplug === false ? { hotplug: false } : {}) }));
  m.reset();
  enableEcam(m);
  ecamWrite(m, 0, PORT, R.PRIMARY_BUS, 4, 0x0001_0100);
  ecamWrite(m, 0, PORT, 0x10, 4, BAR);
  ecamWrite(m, 0, PORT, R.MEMORY_BASE, 4, 0xfe70_fe00); // window 0xfe000000-0xfe7fffff
  ecamWrite(m, 0, PORT, R.COMMAND, 2, R.CMD_MEMORY | R.CMD_MASTER);
  const msgs: [number, number][] = [];
  m.pci.dma.msi = (a, d) => msgs.push([a, d]);
  return { m, port, msgs };
}

function enableMsix(m: Q35Machine): void {
  m.memory.write(BAR, 4, 0xfee0_0000);
  m.memory.write(BAR + 4, 4, 0);
  m.memory.write(BAR + 8, 4, 0x31);
  m.memory.write(BAR + 12, 4, 0);
  ecamWrite(m, 0, PORT, MSIX + R.MSIX_FLAGS, 2, R.MSIX_FLAGS_ENABLE);
}

const sltsta = (m: Q35Machine) => ecamRead(m, 0, PORT, EXP + R.EXP_SLTSTA, 2);
const sltctl = (m: Q35Machine) => ecamRead(m, 0, PORT, EXP + R.EXP_SLTCTL, 2);
const EVENTS = R.EXP_SLTCTL_HPIE | R.EXP_SLTCTL_PDCE | R.EXP_SLTCTL_ABPE | R.EXP_SLTCTL_CCIE;

describe('PCI Express native hot-plug', () => {
  it('signals the plug through MSI-X: presence, link, events; power on; Command Completed per Slot Control write', () => {
    const { m, port, msgs } = machine();
    enableMsix(m);
    // The empty slot is powered off at reset (PCC set), nothing present.
    expect(sltctl(m) & R.EXP_SLTCTL_PCC).toBeTruthy();
    expect(sltsta(m) & R.EXP_SLTSTA_PDS).toBe(0);
    // The OS enables hot-plug interrupts: the write itself completes with a signalled Command Completed.
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTCTL, 2, sltctl(m) | EVENTS);
    expect(msgs).toEqual([[0xfee0_0000, 0x31]]);
    expect(sltsta(m) & R.EXP_SLTSTA_CC).toBeTruthy();
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_CC);
    expect(sltsta(m) & R.EXP_SLTSTA_CC).toBe(0);

    const rng = new VirtioRng({ bus: 'pcie-link' });
    m.hotPlug(port, rng, 0, 0, 0x100);
    const sta = sltsta(m);
    expect(sta & (R.EXP_SLTSTA_PDS | R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP)).toBe(R.EXP_SLTSTA_PDS | R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP);
    expect(ecamRead(m, 0, PORT, EXP + R.EXP_LNKSTA, 2) & R.EXP_LNKSTA_DLLLA).toBeTruthy();
    expect(msgs.length).toBe(2);
    // Powered off until the OS turns the slot on: the device reads all ones.
    expect(ecamRead(m, 1, 0, 0, 4)).toBe(0xffff_ffff);
    // The OS acknowledges the events and powers the slot: the device answers, the write completes.
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP);
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTCTL, 2, sltctl(m) & ~R.EXP_SLTCTL_PCC);
    expect(msgs.length).toBe(3);
    expect(ecamRead(m, 1, 0, 0, 4)).toBe(0x1044_1af4);
    expect(m.pci.lookup(1, 0)).toBe(rng);
  });

  it('an event while one is outstanding sends no second message; INTx follows the pending events while MSI-X is off', () => {
    const { m, port, msgs } = machine();
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTCTL, 2, sltctl(m) | EVENTS);
    // No MSI-X: the Command Completed of that write asserts INTx, until the OS clears it.
    expect(msgs).toEqual([]);
    expect(port.intxAsserted).toBe(true);
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_CC);
    expect(port.intxAsserted).toBe(false);
    m.hotPlug(port, new VirtioRng({ bus: 'pcie-link' }), 0, 0, 0x100);
    expect(port.intxAsserted).toBe(true);
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_PDC);
    expect(port.intxAsserted).toBe(true); // ABP still pending
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_ABP);
    expect(port.intxAsserted).toBe(false);
  });

  it('a bus served by ACPI PCI hot-plug: slot power on, the PCIU bit of the slot (cleared when read), GPE0 bit 1', () => {
    const { m, port, msgs } = machine();
    m.useAcpiHotplug([[3, port.secondary]]);
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTCTL, 2, sltctl(m) | EVENTS);
    msgs.length = 0;
    ecamWrite(m, 0, PORT, EXP + R.EXP_SLTSTA, 2, R.EXP_SLTSTA_CC);
    expect(m.canHotPlug(port)).toBe(true);
    const rng = new VirtioRng({ bus: 'pcie-link' });
    m.hotPlug(port, rng, 0, 0, 0x100);
    expect(m.lpc.pm.gpe0Sts[0]! & 2).toBe(2);
    // No native events: the port's slot only powers on.
    expect(msgs).toEqual([]);
    expect(sltsta(m) & (R.EXP_SLTSTA_PDC | R.EXP_SLTSTA_ABP)).toBe(0);
    expect(sltctl(m) & R.EXP_SLTCTL_PCC).toBe(0);
    expect(ecamRead(m, 1, 0, 0, 4)).toBe(0x1044_1af4);
    m.io.write(0xcc0 + 0x10, 4, 3); // BNUM: bus 3
    expect(m.io.read(0xcc0, 4)).toBe(1); // PCIU: slot 0
    expect(m.io.read(0xcc0, 4)).toBe(0);
    expect(m.canHotPlug(port)).toBe(false);
    expect(() => m.hotPlug(port, new VirtioRng({ bus: 'pcie-link' }), 0, 0, 0x100)).toThrow(/occupied/);
  });

  it('refuses slots without hot-plug and occupied slots', () => {
    const off = machine({ hotplug: false });
    expect(() => off.m.hotPlug(off.port, new VirtioRng({ bus: 'pcie-link' }), 0, 0, 0x100)).toThrow(/hot-plug is off on the slot/);
    expect(off.m.canHotPlug(off.port)).toBe(false);
    const { m, port } = machine();
    expect(m.canHotPlug(port)).toBe(true);
    m.hotPlug(port, new VirtioRng({ bus: 'pcie-link' }), 0, 0, 0x100);
    expect(m.canHotPlug(port)).toBe(false);
    expect(() => m.hotPlug(port, new VirtioRng({ bus: 'pcie-link' }), 0, 0, 0x100)).toThrow(/occupied/);
  });
});
