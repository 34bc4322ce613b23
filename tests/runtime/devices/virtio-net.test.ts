/**
 * virtio-net NICs on the in-process Ethernet switch: two NICs of one
 * machine, and NICs of two machines, exchange frames through their
 * receive and transmit queues as Linux's virtio_net drives them (modern
 * interface, 12-byte headers, MSI-X); a PF's enabled VF is a virtio-net of
 * its own on the same network.
 */
import { describe, expect, it } from 'vitest';
import { EthernetSwitch, Q35Machine, VirtioNet, type PciFunction } from '../../../runtime/index.js';
import { MsixCapability } from '../../../runtime/pci/caps.js';
import * as R from '../../../runtime/pci/registers.js';
import { NET_CONFIG, NET_F_MAC, NET_F_MRG_RXBUF, NET_F_STATUS, RX_QUEUE, TX_QUEUE } from '../../../runtime/devices/virtio/net.js';
import { COMMON, F_SR_IOV, F_VERSION_1, MODERN, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK } from '../../../runtime/devices/virtio/transport.js';
import { captureMsi, GuestView, mapBar } from './guest.js';
import { Ring } from './vring.js';

const MiB = 1024 * 1024;

/**
 * A NIC brought up the way Linux's virtio_net does: features, rx and tx queues, MSI-X vectors 1 and 2, rx buffers posted.
 * Its BARs are mapped at `bar4` and `bar1` (a VF's are where its PF's VF BARs put them: `mapped`). The
 * driver accepts VIRTIO_F_SR_IOV when it is offered, as virtio_pci does.
 */
class NetDriver {
  readonly rx: Ring;
  readonly tx: Ring;
  private readonly rxBufs: number[] = [];
  /** The device's features, as offered. */
  readonly offered: bigint;

  constructor(
    readonly m: Q35Machine,
    readonly nic: PciFunction,
    readonly g: GuestView,
    readonly bar4: number,
    bar1: number,
    mapped = false,
  ) {
    if (!mapped) {
      mapBar(nic, 4, bar4, { mem64: true });
      mapBar(nic, 1, bar1);
    }
    const c = (off: number) => bar4 + MODERN.COMMON + off;
    m.memory.write(c(COMMON.STATUS), 1, 0);
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    m.memory.write(c(COMMON.DFSELECT), 4, 0);
    const low = BigInt(m.memory.read(c(COMMON.DF), 4) >>> 0);
    m.memory.write(c(COMMON.DFSELECT), 4, 1);
    this.offered = low | (BigInt(m.memory.read(c(COMMON.DF), 4) >>> 0) << 32n);
    expect(this.offered & ((1n << NET_F_MAC) | (1n << NET_F_STATUS) | (1n << NET_F_MRG_RXBUF) | (1n << F_VERSION_1))).toBe((1n << NET_F_MAC) | (1n << NET_F_STATUS) | (1n << NET_F_MRG_RXBUF) | (1n << F_VERSION_1));
    const accepted = (1n << NET_F_MAC) | (1n << NET_F_STATUS) | (1n << NET_F_MRG_RXBUF) | (1n << F_VERSION_1) | (this.offered & (1n << F_SR_IOV));
    m.memory.write(c(COMMON.GFSELECT), 4, 0);
    m.memory.write(c(COMMON.GF), 4, Number(accepted & 0xffff_ffffn));
    m.memory.write(c(COMMON.GFSELECT), 4, 1);
    m.memory.write(c(COMMON.GF), 4, Number(accepted >> 32n));
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    expect(m.memory.read(c(COMMON.STATUS), 1) & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
    nic.configWrite(nic.capability(MsixCapability)!.offset + 2, 2, 0x8000);
    for (let v = 0; v < 4; v++) {
      m.memory.write(bar1 + 16 * v, 4, 0xfee0_0000);
      m.memory.write(bar1 + 16 * v + 8, 4, 0x50 + v);
      m.memory.write(bar1 + 16 * v + 12, 4, 0); // unmask
    }
    const rings: Ring[] = [];
    for (const q of [RX_QUEUE, TX_QUEUE]) {
      m.memory.write(c(COMMON.Q_SELECT), 2, q);
      m.memory.write(c(COMMON.Q_SIZE), 2, 16);
      m.memory.write(c(COMMON.Q_MSIX), 2, q + 1);
      const ring = new Ring(g, 16);
      m.memory.write(c(COMMON.Q_DESCLO), 4, ring.desc);
      m.memory.write(c(COMMON.Q_AVAILLO), 4, ring.avail);
      m.memory.write(c(COMMON.Q_USEDLO), 4, ring.used);
      m.memory.write(c(COMMON.Q_ENABLE), 2, 1);
      rings.push(ring);
    }
    [this.rx, this.tx] = rings as [Ring, Ring];
    m.memory.write(c(COMMON.STATUS), 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
  }

  mac(): number[] {
    return Array.from({ length: 6 }, (_, i) => this.m.memory.read(this.bar4 + MODERN.DEVICE + NET_CONFIG.MAC + i, 1));
  }

  postRx(n: number): void {
    for (let i = 0; i < n; i++) {
      const buf = this.g.alloc(2048, 64);
      this.rxBufs.push(buf);
      this.rx.add([{ address: buf, length: 2048, write: true }]);
    }
    this.m.memory.write(this.bar4 + MODERN.NOTIFY + RX_QUEUE * MODERN.NOTIFY_MULTIPLIER, 2, RX_QUEUE);
  }

  send(frame: Uint8Array): void {
    const buf = this.g.alloc(12 + frame.length);
    this.g.write(buf + 12, frame);
    this.tx.add([{ address: buf, length: 12 + frame.length, write: false }]);
    this.m.memory.write(this.bar4 + MODERN.NOTIFY + TX_QUEUE * MODERN.NOTIFY_MULTIPLIER, 2, TX_QUEUE);
    expect(this.tx.takeUsed().length).toBe(1);
  }

  /** Frames received since the last call (without their 12-byte headers). */
  received(): Uint8Array[] {
    return this.rx.takeUsed().map((u) => {
      const buf = this.rxBufs[u.id]!;
      expect(this.g.r16(buf + 10)).toBe(1); // num_buffers
      return this.g.read(buf + 12, u.len - 12);
    });
  }
}

function frame(dst: number[], src: number[], payload: string): Uint8Array {
  const p = new TextEncoder().encode(payload);
  const f = new Uint8Array(14 + Math.max(p.length, 46));
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = 0x88;
  f[13] = 0xb5; // local experimental EtherType
  f.set(p, 14);
  return f;
}

describe('virtio-net on the in-process switch', () => {
  it('two NICs of one machine: broadcast floods, unicast follows what the switch learnt, frames wait for receive buffers', () => {
    const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
    const a = m.attach(m.root, 0x04, 0, new VirtioNet({ bus: 'pcie-link', mac: '52:54:00:00:00:0a' }));
    const b = m.attach(m.root, 0x05, 0, new VirtioNet({ bus: 'pcie-link', mac: '52:54:00:00:00:0b' }));
    m.reset();
    m.connectNetwork();
    const g = new GuestView(m);
    const msi = captureMsi(m);
    const da = new NetDriver(m, a, g, 0xfe00_0000, 0xfd00_0000);
    const db = new NetDriver(m, b, g, 0xfe10_0000, 0xfd10_0000);
    expect(da.mac()).toEqual([0x52, 0x54, 0, 0, 0, 0x0a]);
    const macA = da.mac();
    const macB = db.mac();
    da.postRx(4);
    // B has posted no receive buffers yet: its frame waits until it does.
    const hello = frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], macA, 'who has B?');
    da.send(hello);
    expect(db.received()).toEqual([]);
    db.postRx(4);
    expect(db.received()).toEqual([hello]);
    msi.length = 0;
    const reply = frame(macA, macB, 'B is here');
    db.send(reply);
    expect(da.received()).toEqual([reply]);
    // Delivery happens inside B's transmit: A's receive interrupt (vector 1, rid 0x20) comes before B's transmit completion (vector 2, rid 0x28).
    expect(msi).toEqual([
      { address: 0xfee0_0000, data: 0x51, rid: 0x20 },
      { address: 0xfee0_0000, data: 0x52, rid: 0x28 },
    ]);
    // Unicast to A is not flooded back to B.
    db.send(frame(macA, macB, 'again'));
    expect(db.received()).toEqual([]);
    expect(da.received().length).toBe(1);
  });

  it('NICs of two machines in one process talk through one switch', () => {
    const sw = new EthernetSwitch();
    const sides = [0x0a, 0x0b].map((last) => {
      const m = new Q35Machine({ ram: { below4g: 256 * MiB } });
      const nic = m.attach(m.root, 0x04, 0, new VirtioNet({ bus: 'pcie-link', mac: `52:54:00:00:01:${last.toString(16)}` }));
      m.reset();
      nic.connect(sw.attach(`m${last}`));
      const d = new NetDriver(m, nic, new GuestView(m), 0xfe00_0000, 0xfd00_0000);
      d.postRx(2);
      return d;
    });
    const [x, y] = sides as [NetDriver, NetDriver];
    const f = frame(y.mac(), x.mac(), 'ping');
    x.send(f);
    expect(y.received()).toEqual([f]);
    expect(x.received()).toEqual([]);
    // Runt and oversized frames are not carried.
    x.send(new Uint8Array(8));
    expect(sw.frames).toBe(1);
  });
});

describe('virtio-net SR-IOV (user-created VFs, QEMU 11.1)', () => {
  it('the PF offers VIRTIO_F_SR_IOV (only it); an enabled VF is a virtio-net of its own, with its own MAC, queues and MSI-X, that exchanges frames with its PF through the network', () => {
    const m = new Q35Machine({ ram: { below4g: 512 * MiB } });
    const pf = m.attach(m.root, 0x04, 0, new VirtioNet({ bus: 'pcie-link', mac: '52:54:00:00:00:0a', sriov: { totalVfs: 2, offset: 1, stride: 1 } }));
    m.reset();
    m.connectNetwork();
    const g = new GuestView(m);
    const msi = captureMsi(m);
    const dp = new NetDriver(m, pf, g, 0xfe00_0000, 0xfd00_0000);
    expect(dp.offered & (1n << F_SR_IOV)).toBe(1n << F_SR_IOV);
    // virtio_pci_sriov_configure -> pci_enable_sriov: NumVFs, the VF BARs (BAR1 MSI-X, BAR4 64-bit), VF Enable and VF MSE.
    const sriov = pf.sriov!.offset;
    pf.configWrite(sriov + R.SRIOV_NUM_VF, 2, 2);
    pf.configWrite(sriov + R.SRIOV_BAR + 4, 4, 0xfd20_0000);
    pf.configWrite(sriov + R.SRIOV_BAR + 16, 4, 0xfe20_0000);
    pf.configWrite(sriov + R.SRIOV_BAR + 20, 4, 0);
    pf.configWrite(sriov + R.SRIOV_CTRL, 2, R.SRIOV_CTRL_VFE | R.SRIOV_CTRL_MSE);
    const vf = pf.vf(0);
    vf.configWrite(R.COMMAND, 2, R.CMD_MASTER);
    const dv = new NetDriver(m, vf, g, 0xfe20_0000, 0xfd20_0000, true);
    expect(dv.offered & (1n << F_SR_IOV)).toBe(0n);
    // Each VF has a MAC of its own: the PF's plus the VF's number + 1.
    expect(dv.mac()).toEqual([0x52, 0x54, 0, 0, 0, 0x0b]);
    dp.postRx(4);
    dv.postRx(4);
    const hello = frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], dp.mac(), 'who has the VF?');
    dp.send(hello);
    expect(dv.received()).toEqual([hello]);
    msi.length = 0;
    const reply = frame(dp.mac(), dv.mac(), 'the VF is here');
    dv.send(reply);
    expect(dp.received()).toEqual([reply]);
    // The PF's receive interrupt (rid 0x20), then the VF's transmit completion from the VF's own routing ID (00:04.1).
    expect(msi).toEqual([
      { address: 0xfee0_0000, data: 0x51, rid: 0x20 },
      { address: 0xfee0_0000, data: 0x52, rid: 0x21 },
    ]);
    // VF Enable cleared: the VF resets (its driver must start over).
    pf.configWrite(sriov + R.SRIOV_CTRL, 2, 0);
    expect(vf.transport.status).toBe(0);
  });
});
