/**
 * The virtio console (virtio 1.1 §5.3) as QEMU 7.2's virtio-serial offers
 * it: MULTIPORT (max_nr_ports 31) and EMERG_WRITE, a 12-byte configuration
 * (cols, rows, max_nr_ports, emerg_wr), and 64 queues: port 0's receive and
 * transmit queues, the control receive and transmit queues, then a pair for
 * each of ports 1-30; 128 entries each.
 *
 * The ports are the machine file's: a console (virtconsole) and named
 * channels (virtserialport), numbered as QEMU numbers them (the first
 * console takes port 0, the others the lowest free number from 1). The
 * control protocol (§5.3.6.2) announces them when the driver is ready
 * (DEVICE_ADD), and on PORT_READY says which is the console (CONSOLE_PORT),
 * names the named ones (PORT_NAME) and opens those whose host side is
 * connected (PORT_OPEN). What the guest writes to a port goes to that
 * port's sink; `send` queues bytes for the guest, delivered into the port's
 * receive buffers as the driver provides them.
 */
import type { Width } from '../../bus/types.js';
import { chainBytes, readChain, writeChain, type QueueDma, type Virtqueue } from './queue.js';
import type { VirtioDevice } from './transport.js';

export const CONSOLE_F_SIZE = 0n;
export const CONSOLE_F_MULTIPORT = 1n;
export const CONSOLE_F_EMERG_WRITE = 2n;
/** Control events (§5.3.6.2). */
export const CONSOLE_EVENT = {
  DEVICE_READY: 0, DEVICE_ADD: 1, DEVICE_REMOVE: 2, PORT_READY: 3, CONSOLE_PORT: 4, RESIZE: 5, PORT_OPEN: 6, PORT_NAME: 7,
} as const;
/** QEMU 7.2's virtio-serial max_ports default. */
export const MAX_PORTS = 31;
const QUEUE_SIZE = 128;
const CONFIG_SIZE = 12;
const CONTROL_RX = 2;
const CONTROL_TX = 3;

export interface ConsolePortSpec {
  /** The port's id in the machine file. */
  readonly id: string;
  /** virtconsole (hvc in Linux) or a named channel (virtserialport, /dev/vportNpM). */
  readonly kind: 'console' | 'channel';
  /** The channel's name (virtserialport `name`), e.g. org.qemu.guest_agent.0. */
  readonly name?: string;
}

interface Port {
  readonly spec: ConsolePortSpec;
  readonly nr: number;
  /** The guest has the port open. */
  guestOpen: boolean;
  /** Bytes waiting for receive buffers. */
  pending: Uint8Array[];
}

/** QEMU's numbering: the first console is port 0, every other port takes the lowest free number from 1. */
export function consolePortNumbers(specs: readonly ConsolePortSpec[]): number[] {
  const taken = new Set<number>();
  const out: number[] = [];
  let consoleAtZero = false;
  for (const s of specs) {
    let nr: number;
    if (s.kind === 'console' && !consoleAtZero) {
      nr = 0;
      consoleAtZero = true;
    } else {
      nr = 1;
      while (taken.has(nr)) nr++;
    }
    taken.add(nr);
    out.push(nr);
  }
  return out;
}

export class VirtioConsoleDevice implements VirtioDevice {
  readonly queueCount = 2 * (MAX_PORTS + 1);
  readonly queueMax = QUEUE_SIZE;
  readonly configSize = CONFIG_SIZE;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  /** Where a port's output goes (by port id); by default it is dropped, as on a null chardev. */
  sink: (portId: string, data: Uint8Array) => void = () => undefined;
  /** The transport's queues (set by the function), to deliver host bytes when they arrive. */
  queues: readonly Virtqueue[] = [];
  private readonly ports: Port[];
  private control: Uint8Array[] = [];

  constructor(
    private readonly dma: QueueDma,
    specs: readonly ConsolePortSpec[],
  ) {
    const nrs = consolePortNumbers(specs);
    this.ports = specs.map((spec, i) => ({ spec, nr: nrs[i]!, guestOpen: false, pending: [] }));
  }

  features(): bigint {
    return (1n << CONSOLE_F_MULTIPORT) | (1n << CONSOLE_F_EMERG_WRITE);
  }

  /** The port number the driver knows a port by. */
  portNumber(id: string): number | undefined {
    return this.ports.find((p) => p.spec.id === id)?.nr;
  }

  /** Whether the guest has the port open. */
  isOpen(id: string): boolean {
    return this.ports.find((p) => p.spec.id === id)?.guestOpen ?? false;
  }

  configRead(offset: number, width: Width): number {
    const v = new DataView(new ArrayBuffer(CONFIG_SIZE));
    v.setUint32(4, MAX_PORTS, true);
    if (offset + width > CONFIG_SIZE) return 0;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  configWrite(offset: number, width: Width, value: number): void {
    // emerg_wr: one character for the console port, usable before the queues are set up.
    if (offset === 8 && width === 4) {
      const con = this.ports.find((p) => p.spec.kind === 'console') ?? this.ports[0];
      if (con) this.sink(con.spec.id, new Uint8Array([value & 0xff]));
    }
  }

  reset(): void {
    this.control = [];
    for (const p of this.ports) {
      p.guestOpen = false;
      p.pending = [];
    }
  }

  /** Queues bytes for the guest on a port. */
  send(portId: string, data: Uint8Array): void {
    const p = this.ports.find((x) => x.spec.id === portId);
    if (!p) throw new RangeError(`no virtio-serial port ${portId}`);
    p.pending.push(data.slice());
    const q = this.queues[this.rxQueue(p.nr)];
    if (q?.ready) this.fillRx(q, p);
  }

  private rxQueue(nr: number): number {
    return nr === 0 ? 0 : 2 * (nr + 1);
  }

  notify(q: Virtqueue): void {
    if (q.index === CONTROL_TX) return this.controlIn(q);
    if (q.index === CONTROL_RX) return this.flushControl(q);
    const rx = q.index % 2 === 0;
    const nr = q.index < 2 ? 0 : Math.floor(q.index / 2) - 1;
    const port = this.ports.find((p) => p.nr === nr);
    if (rx) {
      if (port) this.fillRx(q, port);
      return;
    }
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      const data = new Uint8Array(chainBytes(chain.segments, false));
      if (port && readChain(this.dma, chain.segments, 0, data)) this.sink(port.spec.id, data);
      q.push(chain.head, 0);
      used = true;
    }
    if (used) this.onUsed(q);
  }

  private fillRx(q: Virtqueue, port: Port): void {
    let used = false;
    while (port.pending.length > 0) {
      const chain = q.pop();
      if (!chain) break;
      const data = port.pending[0]!;
      const n = Math.max(0, writeChain(this.dma, chain.segments, 0, data));
      if (n >= data.length) port.pending.shift();
      else port.pending[0] = data.subarray(n);
      q.push(chain.head, n);
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** struct virtio_console_control: le32 id, le16 event, le16 value, then any payload. */
  private post(id: number, event: number, value: number, payload?: Uint8Array): void {
    const msg = new Uint8Array(8 + (payload?.length ?? 0));
    const v = new DataView(msg.buffer);
    v.setUint32(0, id, true);
    v.setUint16(4, event, true);
    v.setUint16(6, value, true);
    if (payload) msg.set(payload, 8);
    this.control.push(msg);
  }

  private controlIn(q: Virtqueue): void {
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      const msg = new Uint8Array(Math.min(chainBytes(chain.segments, false), 8));
      if (msg.length === 8 && readChain(this.dma, chain.segments, 0, msg)) this.handleControl(new DataView(msg.buffer));
      q.push(chain.head, 0);
      used = true;
    }
    if (used) this.onUsed(q);
    const rx = this.queues[CONTROL_RX];
    if (rx?.ready) this.flushControl(rx);
  }

  private handleControl(v: DataView): void {
    const id = v.getUint32(0, true);
    const event = v.getUint16(4, true);
    const value = v.getUint16(6, true);
    const port = this.ports.find((p) => p.nr === id);
    switch (event) {
      case CONSOLE_EVENT.DEVICE_READY:
        if (value === 1) for (const p of this.ports) this.post(p.nr, CONSOLE_EVENT.DEVICE_ADD, 1);
        break;
      case CONSOLE_EVENT.PORT_READY:
        if (!port || value !== 1) break;
        if (port.spec.kind === 'console') this.post(port.nr, CONSOLE_EVENT.CONSOLE_PORT, 1);
        if (port.spec.name !== undefined) this.post(port.nr, CONSOLE_EVENT.PORT_NAME, 1, new TextEncoder().encode(`${port.spec.name}\0`));
        // The host side is always there (the machine's sink), as a connected chardev is on QEMU.
        this.post(port.nr, CONSOLE_EVENT.PORT_OPEN, 1);
        break;
      case CONSOLE_EVENT.PORT_OPEN:
        if (port) port.guestOpen = value === 1;
        break;
    }
  }

  private flushControl(q: Virtqueue): void {
    let used = false;
    while (this.control.length > 0) {
      const chain = q.pop();
      if (!chain) break;
      const msg = this.control.shift()!;
      q.push(chain.head, Math.max(0, writeChain(this.dma, chain.segments, 0, msg)));
      used = true;
    }
    if (used) this.onUsed(q);
  }
}
