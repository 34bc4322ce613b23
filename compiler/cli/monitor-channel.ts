/**
 * Where `machc run --monitor` listens: `stdio` (commands on standard input,
 * replies and events on standard output; the end of standard input quits
 * the run, as the controlling program is gone) or `unix:PATH` (a Unix
 * socket machc creates and removes; clients may come and go, each gets its
 * own greeting and negotiation). Lines are split here; the protocol is
 * runtime/machine/monitor.ts.
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Monitor, MonitorClient } from '../../runtime/machine/monitor.js';
import { UsageError } from './main.js';

/** A line longer than this is refused (and the connection's input up to its end dropped). */
const MAX_LINE = 16 << 20;

export type MonitorSpec = { readonly kind: 'stdio' } | { readonly kind: 'unix'; readonly path: string };

export interface MonitorChannel {
  close(): Promise<void>;
}

/** Feeds a byte stream to the monitor line by line. */
function lineReader(monitor: Monitor, client: MonitorClient): (chunk: Buffer) => void {
  let buf = '';
  let dropping = false;
  return (chunk) => {
    buf += chunk.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (dropping) dropping = false;
      else void monitor.input(client, line);
    }
    if (buf.length > MAX_LINE) {
      client.send(JSON.stringify({ error: { class: 'GenericError', desc: `JSON parse error, a line longer than ${MAX_LINE} bytes` } }));
      buf = '';
      dropping = true;
    }
  };
}

/** Starts listening. `onEnd` runs when standard input ends (stdio). */
export async function openMonitorChannel(spec: MonitorSpec, monitor: Monitor, onEnd: () => void): Promise<MonitorChannel> {
  if (spec.kind === 'stdio') {
    const client: MonitorClient = { send: (line) => void process.stdout.write(`${line}\n`) };
    monitor.connect(client);
    const onData = lineReader(monitor, client);
    const stdin = process.stdin;
    const end = (): void => onEnd();
    stdin.on('data', onData);
    stdin.on('end', end);
    stdin.resume();
    return {
      close: async () => {
        stdin.off('data', onData);
        stdin.off('end', end);
        stdin.pause();
        monitor.disconnect(client);
      },
    };
  }
  const path = spec.path;
  if (existsSync(path)) throw new UsageError(`--monitor unix:${path}: the path exists (remove it, or choose another)`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const client: MonitorClient = { send: (line) => void (socket.writable && socket.write(`${line}\n`)) };
    monitor.connect(client);
    socket.on('data', lineReader(monitor, client));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      monitor.disconnect(client);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`--monitor unix:${path}: ${e.message}`)));
    server.listen(path, () => resolve());
  });
  return {
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The last replies and SHUTDOWN go out; a client that does not hang up is cut off shortly after.
      for (const s of sockets) s.end();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 200);
      await closed;
      clearTimeout(timer);
      rmSync(path, { force: true });
    },
  };
}
