/**
 * A small client for machc's QMP-style monitor (`machc run --monitor
 * unix:PATH`): connects once the socket exists, keeps the greeting and the
 * events, and sends commands one at a time.
 */
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface QmpReply {
  readonly return?: unknown;
  readonly error?: { readonly class: string; readonly desc: string };
  readonly id?: unknown;
}

export class QmpClient {
  readonly events: Record<string, unknown>[] = [];
  greeting: Record<string, unknown> | undefined;
  private readonly lines: Record<string, unknown>[] = [];
  private waiter: (() => void) | undefined;
  private buf = '';
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
        const msg = JSON.parse(this.buf.slice(0, nl)) as Record<string, unknown>;
        this.buf = this.buf.slice(nl + 1);
        if ('event' in msg) this.events.push(msg);
        else if ('QMP' in msg) this.greeting = msg;
        else this.lines.push(msg);
        this.waiter?.();
      }
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `path`, waiting up to `timeoutMs` for machc to create it; resolves after the greeting. */
  static async open(path: string, timeoutMs = 60_000): Promise<QmpClient> {
    const end = Date.now() + timeoutMs;
    while (!existsSync(path)) {
      if (Date.now() > end) throw new Error(`no monitor socket at ${path}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const c = new QmpClient(socket);
    await c.until(() => c.greeting !== undefined, 10_000);
    return c;
  }

  /** Resolves once `ok()` holds (checked whenever a message arrives), or fails after `timeoutMs`. */
  async until(ok: () => boolean, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!ok()) {
      if (this.closed) throw new Error('the monitor connection closed');
      const left = end - Date.now();
      if (left <= 0) throw new Error('timed out waiting on the monitor');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** Sends a raw line; resolves with the next reply. */
  async raw(line: string, timeoutMs = 120_000): Promise<QmpReply> {
    this.socket.write(`${line}\n`);
    await this.until(() => this.lines.length > 0, timeoutMs);
    return this.lines.shift() as QmpReply;
  }

  /** `{"execute": name, "arguments": args}`; resolves with the reply. */
  execute(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<QmpReply> {
    return this.raw(JSON.stringify({ execute: name, ...(args ? { arguments: args } : {}) }), timeoutMs);
  }

  /** The same, failing on an error reply; resolves with its `return`. */
  async ok<T = unknown>(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    const r = await this.execute(name, args, timeoutMs);
    if (r.error) throw new Error(`${name}: ${r.error.class}: ${r.error.desc}`);
    return r.return as T;
  }

  /** Waits for an event named `name` (after `from` events already seen). */
  async event(name: string, timeoutMs: number, from = 0): Promise<Record<string, unknown>> {
    await this.until(() => this.events.slice(from).some((e) => e['event'] === name), timeoutMs);
    return this.events.slice(from).find((e) => e['event'] === name)!;
  }

  close(): void {
    this.socket.end();
  }
}

/** A function as `query-pci` reports it (QEMU's PciDeviceInfo, the fields the tests read). */
export interface PciDev {
  bus: number;
  slot: number;
  function: number;
  id: { vendor: number; device: number };
  qdev_id: string;
  regions: { bar: number; type: string; address: number; size: number }[];
  pci_bridge?: { bus: { number: number; secondary: number; subordinate: number; memory_range: { base: number; limit: number }; prefetchable_range: { base: number; limit: number } }; devices: PciDev[] };
}

/** Every function of a `query-pci` device list, bridges' subordinate devices included. */
export function flattenPci(devs: PciDev[]): PciDev[] {
  return devs.flatMap((d) => [d, ...flattenPci(d.pci_bridge?.devices ?? [])]);
}
