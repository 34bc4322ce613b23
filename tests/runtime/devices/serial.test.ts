/**
 * The 16550 UART's receiver as host input sees it: `canReceive` says how many
 * bytes the line takes without an overrun (the FIFO's free room, one byte
 * without the FIFO, none in loopback), so console input waits for the guest.
 */
import { describe, expect, it } from 'vitest';
import { Uart16550 } from '../../../runtime/devices/serial/index.js';
import { VirtualClock } from '../../../runtime/time/clock.js';

function uart() {
  const irqs: boolean[] = [];
  const u = new Uart16550({ clock: new VirtualClock(), irq: (l) => irqs.push(l), sink: () => undefined });
  return { u, irqs, reg: (off: number) => u.region.read(off, 1), set: (off: number, v: number) => u.region.write(off, 1, v) };
}

describe('16550 receiver flow control', () => {
  it('without the FIFO: one byte until the guest reads it', () => {
    const { u, reg } = uart();
    expect(u.canReceive()).toBe(1);
    u.receive([0x41]);
    expect(u.canReceive()).toBe(0);
    expect(reg(5) & 1).toBe(1); // LSR.DR
    expect(reg(0)).toBe(0x41);
    expect(u.canReceive()).toBe(1);
  });

  it('with the FIFO: its free room, and nothing is lost when input waits for it', () => {
    const { u, reg, set } = uart();
    set(2, 0x01); // FCR: FIFO on
    expect(u.canReceive()).toBe(16);
    const text = [...'hello, machine!!xyz'].map((c) => c.charCodeAt(0));
    const queue = [...text];
    u.receive(queue.splice(0, u.canReceive()));
    expect(u.canReceive()).toBe(0);
    expect(reg(5) & 2).toBe(0); // no overrun
    const got: number[] = [];
    while (reg(5) & 1) got.push(reg(0));
    u.receive(queue.splice(0, u.canReceive()));
    while (reg(5) & 1) got.push(reg(0));
    expect(String.fromCharCode(...got)).toBe('hello, machine!!xyz');
  });

  it('in loopback the line takes nothing from the host', () => {
    const { u, set } = uart();
    set(4, 0x10); // MCR.LOOP
    expect(u.canReceive()).toBe(0);
  });

  it('received data raises the interrupt the guest enabled', () => {
    const { u, irqs, set } = uart();
    set(1, 0x01); // IER: received data available
    u.receive([0x0d]);
    expect(irqs.at(-1)).toBe(true);
  });
});
