/**
 * Network backends that need no privileges: an in-process Ethernet switch.
 * Every NIC (of one machine, or of several machines in one process)
 * attaches a port; a frame a port sends is delivered to the port that
 * learnt its destination MAC, or flooded to every other port for broadcast,
 * multicast and unknown destinations (IEEE 802.1D learning, without ageing).
 *
 * Delivery is synchronous, inside the register access that made the NIC
 * transmit: a run is the same every time. A port whose NIC has no receive
 * buffers keeps a few frames (as a NIC's FIFO would) and drops the rest.
 */

/** The smallest and largest frames carried (without FCS): 14-byte header, 9000-byte jumbo payload. */
export const MIN_FRAME = 14;
export const MAX_FRAME = 9018;

export interface NetPort {
  /** Sends an Ethernet frame (destination MAC first) into the network. */
  send(frame: Uint8Array): void;
  /** Called with each frame the network delivers to this port. */
  receive: (frame: Uint8Array) => void;
  readonly name: string;
}

export class EthernetSwitch {
  private readonly ports: SwitchPort[] = [];
  /** MAC (as a 12-digit hex string) to the port it was last seen on. */
  private readonly table = new Map<string, SwitchPort>();
  /** Frames carried (for tests and summaries). */
  frames = 0;

  /** How many ports (NICs) are attached. */
  get portCount(): number {
    return this.ports.length;
  }

  /** A new port; `name` is for messages. */
  attach(name: string): NetPort {
    const p = new SwitchPort(this, name);
    this.ports.push(p);
    return p;
  }

  /** @internal Forwards a frame from `from`. */
  forward(from: SwitchPort, frame: Uint8Array): void {
    if (frame.length < MIN_FRAME || frame.length > MAX_FRAME) return;
    this.frames++;
    const dst = macKey(frame, 0);
    const src = macKey(frame, 6);
    if (!(frame[6]! & 1)) this.table.set(src, from);
    const known = frame[0]! & 1 ? undefined : this.table.get(dst);
    const copy = () => frame.slice();
    if (known) {
      if (known !== from) known.receive(copy());
      return;
    }
    for (const p of this.ports) if (p !== from) p.receive(copy());
  }
}

class SwitchPort implements NetPort {
  receive: (frame: Uint8Array) => void = () => undefined;
  constructor(
    private readonly sw: EthernetSwitch,
    readonly name: string,
  ) {}

  send(frame: Uint8Array): void {
    this.sw.forward(this, frame);
  }
}

function macKey(frame: Uint8Array, at: number): string {
  let s = '';
  for (let i = at; i < at + 6; i++) s += frame[i]!.toString(16).padStart(2, '0');
  return s;
}
