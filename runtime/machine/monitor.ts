/**
 * A machine-readable monitor in the manner of QEMU's QMP (docs/interop/qmp-spec):
 * one JSON object per line each way. A client gets a greeting, negotiates
 * capabilities with `qmp_capabilities`, then sends
 * `{"execute": NAME, "arguments": {...}, "id": ANY}` and gets
 * `{"return": ..., "id": ...}` or `{"error": {"class": ..., "desc": ...}, "id": ...}`;
 * asynchronous events (`{"event": NAME, "data": {...}, "timestamp": {...}}`) go to
 * every client that has negotiated.
 *
 * The monitor holds no run loop of its own: the loop (interactive.ts
 * runSession) runs the CPUs in slices and looks at `paused` and
 * `quitRequested` between them; commands are served between slices, never
 * while a CPU runs, so what they read and write is a consistent machine.
 * Bad input gets a QMP error, never an exception out of the monitor.
 */
import type { Computer } from './runner.js';
import type { PciFunction } from '../pci/function.js';
import { queryPci } from './monitor-pci.js';
import { readRegisters, WRITABLE_REGISTERS, writeRegister } from './monitor-cpu.js';
import { waitOrWake } from './wake.js';

/** A QMP error: its class (GenericError, CommandNotFound, DeviceNotFound...) and description. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    desc: string,
  ) {
    super(desc);
  }
}

/** What device_add did: the new device's id and where it sits now. */
export interface DeviceAdded {
  readonly id: string;
  /** The bus (port) it went behind, by name. */
  readonly bus: string;
  /** Its address with the bus numbers the guest programmed: BB:DD.F. */
  readonly bdf: string;
}

/** What the monitor works on besides the CPUs. */
export interface MonitorMachine {
  readonly computer: Computer;
  /** A function's id in the machine file ('' when it has none). */
  idOf(f: PciFunction): string;
  /** Hot-plugs a device (device_add's arguments); absent when the run cannot. Throws QmpError. */
  deviceAdd?(args: Readonly<Record<string, unknown>>): Promise<DeviceAdded>;
  /** Presses the ACPI power button (system_powerdown). */
  powerButton?(): void;
  /** The greeting's version: the QEMU release the machine follows, and machc's own. */
  readonly version: { readonly qemu: string; readonly package: string };
}

/** One client connection: where its lines go. */
export interface MonitorClient {
  send(line: string): void;
}

interface ClientState {
  negotiated: boolean;
  /** Commands of one client run in order, even when one of them is asynchronous. */
  queue: Promise<void>;
}

type RunState = 'running' | 'paused' | 'shutdown';

/** Largest read or write through the monitor (pmem-read / pmem-write). */
export const MAX_MEMORY_BYTES = 1 << 20;

interface CommandSpec {
  readonly args: Readonly<Record<string, { readonly type: 'int' | 'str' | 'bool' | 'int-or-str' | 'any'; readonly optional?: boolean }>>;
  /** Accept arguments not listed (device_add's device properties). */
  readonly open?: boolean;
  run(args: Record<string, unknown>): unknown;
}

export class Monitor {
  private state: RunState;
  private quit = false;
  private readonly clients = new Map<MonitorClient, ClientState>();
  private readonly commands: Record<string, CommandSpec>;
  /** Ends the current `wait` early (see wake.ts). */
  wake: (() => void) | undefined = undefined;

  constructor(
    private readonly machine: MonitorMachine,
    opts: { paused?: boolean } = {},
  ) {
    this.state = opts.paused ? 'paused' : 'running';
    this.commands = this.buildCommands();
  }

  /** Whether the CPUs are stopped (`stop`, or started paused). */
  get paused(): boolean {
    return this.state === 'paused';
  }

  /** A client asked to end the run (`quit`). */
  get quitRequested(): boolean {
    return this.quit;
  }

  /** Ends the run at the next slice boundary (as `quit`); the loop wakes after the command's reply went out. */
  requestQuit(): void {
    this.quit = true;
    setImmediate(() => this.wake?.());
  }

  /** Resolves after `ms`, or earlier when a command changes the run state. */
  wait(ms: number): Promise<void> {
    return waitOrWake(this, ms);
  }

  /** A new client: it gets the greeting and must negotiate before anything else. */
  connect(client: MonitorClient): void {
    this.clients.set(client, { negotiated: false, queue: Promise.resolve() });
    const [major = 0, minor = 0, micro = 0] = this.machine.version.qemu.split('.').map(Number);
    client.send(JSON.stringify({ QMP: { version: { qemu: { micro, minor, major }, package: this.machine.version.package }, capabilities: [] } }));
  }

  disconnect(client: MonitorClient): void {
    this.clients.delete(client);
  }

  /** One line from a client; the answer goes back to it (after any earlier command of its own). */
  input(client: MonitorClient, line: string): Promise<void> {
    const st = this.clients.get(client);
    if (!st || line.trim() === '') return Promise.resolve();
    st.queue = st.queue.then(async () => {
      const reply = await this.handle(st, line);
      if (reply !== undefined) client.send(JSON.stringify(reply));
    });
    return st.queue;
  }

  /** An asynchronous event to every negotiated client. */
  event(name: string, data?: Record<string, unknown>): void {
    const now = Date.now();
    const line = JSON.stringify({ event: name, ...(data ? { data } : {}), timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 } });
    for (const [c, st] of this.clients) if (st.negotiated) c.send(line);
  }

  /** The run ended (the guest powered off, a limit, a failure, quit): SHUTDOWN, and no more CPU time. */
  shutdown(guest: boolean, reason: string, detail?: Record<string, unknown>): void {
    if (this.state === 'shutdown') return;
    this.state = 'shutdown';
    this.event('SHUTDOWN', { guest, reason, ...detail });
  }

  private async handle(st: ClientState, line: string): Promise<Record<string, unknown> | undefined> {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      return errorReply(new QmpError('GenericError', `JSON parse error, ${(e as Error).message}`));
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return errorReply(new QmpError('GenericError', 'QMP input must be a JSON object'));
    const m = msg as Record<string, unknown>;
    const id = 'id' in m ? { id: m['id'] } : {};
    try {
      for (const k of Object.keys(m)) if (k !== 'execute' && k !== 'arguments' && k !== 'id') throw new QmpError('GenericError', `QMP input member '${k}' is unexpected`);
      if (!('execute' in m)) throw new QmpError('GenericError', "QMP input lacks member 'execute'");
      const name = m['execute'];
      if (typeof name !== 'string') throw new QmpError('GenericError', "QMP input member 'execute' must be a string");
      const args = m['arguments'] ?? {};
      if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new QmpError('GenericError', "QMP input member 'arguments' must be an object");
      if (name === 'qmp_capabilities') {
        if (st.negotiated) throw new QmpError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
        const enable = (args as Record<string, unknown>)['enable'];
        if (enable !== undefined) {
          if (!Array.isArray(enable)) throw new QmpError('GenericError', "Parameter 'enable' expects an array");
          if (enable.length > 0) throw new QmpError('GenericError', `Capability '${String(enable[0])}' not available`);
        }
        st.negotiated = true;
        return { return: {}, ...id };
      }
      if (!st.negotiated) throw new QmpError('CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
      const cmd = Object.hasOwn(this.commands, name) ? this.commands[name] : undefined;
      if (!cmd) throw new QmpError('CommandNotFound', `The command ${name} has not been found`);
      const checked = checkArgs(cmd, args as Record<string, unknown>);
      const ret = await cmd.run(checked);
      return { return: ret ?? {}, ...id };
    } catch (e) {
      if (e instanceof QmpError) return errorReply(e, id);
      // A bug in a command must not end the run: report it as the command's failure.
      return errorReply(new QmpError('GenericError', `internal error: ${e instanceof Error ? e.message : String(e)}`), id);
    }
  }

  private setState(s: 'running' | 'paused'): void {
    if (this.state === 'shutdown' || this.state === s) return;
    this.state = s;
    this.event(s === 'paused' ? 'STOP' : 'RESUME');
    this.wake?.();
  }

  private cpu(args: Record<string, unknown>) {
    const cpus = this.machine.computer.cpus;
    const index = (args['cpu-index'] as number | undefined) ?? 0;
    const cpu = cpus[index];
    if (!cpu) throw new QmpError('GenericError', `Parameter 'cpu-index' expects a CPU index from 0 to ${cpus.length - 1}`);
    return cpu;
  }

  private buildCommands(): Record<string, CommandSpec> {
    const m = this.machine;
    const memory = m.computer.machine.memory;
    const commands: Record<string, CommandSpec> = {
      'query-version': {
        args: {},
        run: () => {
          const [major = 0, minor = 0, micro = 0] = m.version.qemu.split('.').map(Number);
          return { qemu: { major, minor, micro }, package: m.version.package };
        },
      },
      'query-commands': { args: {}, run: () => ['qmp_capabilities', ...Object.keys(this.commands)].map((name) => ({ name })) },
      'query-status': { args: {}, run: () => ({ running: this.state === 'running', singlestep: false, status: this.state }) },
      stop: { args: {}, run: () => this.setState('paused') },
      cont: { args: {}, run: () => this.setState('running') },
      quit: { args: {}, run: () => this.requestQuit() },
      system_powerdown: {
        args: {},
        run: () => {
          if (!m.powerButton) throw new QmpError('GenericError', 'this machine has no ACPI power button');
          m.powerButton();
          this.event('POWERDOWN');
        },
      },
      'query-cpus-fast': {
        args: {},
        run: () => m.computer.cpus.map((c) => ({ 'cpu-index': c.index, 'qom-path': `/machine/unattached/device[${c.index}]`, 'thread-id': process.pid, target: 'x86_64', props: { 'core-id': c.index } })),
      },
      'query-registers': { args: { 'cpu-index': { type: 'int', optional: true } }, run: (a) => readRegisters(this.cpu(a)) },
      'set-register': {
        args: { 'cpu-index': { type: 'int', optional: true }, name: { type: 'str' }, value: { type: 'int-or-str' } },
        run: (a) => {
          const name = String(a['name']).toLowerCase();
          if (!WRITABLE_REGISTERS.includes(name)) throw new QmpError('GenericError', `Parameter 'name': register '${String(a['name'])}' cannot be written (writable: ${WRITABLE_REGISTERS.join(', ')})`);
          writeRegister(this.cpu(a), name, toBigInt('value', a['value']));
        },
      },
      'pmem-read': {
        args: { address: { type: 'int-or-str' }, size: { type: 'int' } },
        run: (a) => {
          const { address, size } = range(a['address'], a['size'] as number);
          const bytes = new Uint8Array(size);
          if (!memory.busRead(address, bytes)) throw new QmpError('GenericError', `Nothing answers in [0x${address.toString(16)}, 0x${(address + size).toString(16)})`);
          return { data: Buffer.from(bytes).toString('hex') };
        },
      },
      'pmem-write': {
        args: { address: { type: 'int-or-str' }, data: { type: 'str' } },
        run: (a) => {
          const hex = String(a['data']);
          if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new QmpError('GenericError', "Parameter 'data' expects hexadecimal bytes (two digits each)");
          const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
          if (bytes.length === 0) return;
          const { address } = range(a['address'], bytes.length);
          if (!memory.busWrite(address, bytes)) throw new QmpError('GenericError', `Nothing answers in [0x${address.toString(16)}, 0x${(address + bytes.length).toString(16)})`);
        },
      },
      'query-pci': { args: {}, run: () => queryPci(m.computer.machine.root, (f) => m.idOf(f)) },
    };
    if (m.deviceAdd) {
      const add = m.deviceAdd;
      commands['device_add'] = {
        args: { driver: { type: 'str' }, id: { type: 'str' }, bus: { type: 'str', optional: true } },
        open: true,
        run: async (a) => {
          const done = await add(a);
          this.event('DEVICE_ADDED', { device: done.id, bus: done.bus, bdf: done.bdf });
          return {};
        },
      };
    }
    return commands;
  }
}

function errorReply(e: QmpError, id: Record<string, unknown> = {}): Record<string, unknown> {
  return { error: { class: e.errorClass, desc: e.message }, ...id };
}

/** Checks a command's arguments against its spec (QMP's messages for missing, unexpected and mistyped ones). */
function checkArgs(cmd: CommandSpec, args: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(args)) if (!cmd.open && !Object.hasOwn(cmd.args, k)) throw new QmpError('GenericError', `Parameter '${k}' is unexpected`);
  for (const [k, spec] of Object.entries(cmd.args)) {
    const v = args[k];
    if (v === undefined) {
      if (!spec.optional) throw new QmpError('GenericError', `Parameter '${k}' is missing`);
      continue;
    }
    const ok =
      spec.type === 'any' ||
      (spec.type === 'int' && typeof v === 'number' && Number.isSafeInteger(v)) ||
      (spec.type === 'str' && typeof v === 'string') ||
      (spec.type === 'bool' && typeof v === 'boolean') ||
      (spec.type === 'int-or-str' && ((typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'string'));
    if (!ok) throw new QmpError('GenericError', `Parameter '${k}' expects ${spec.type === 'int-or-str' ? 'an integer or a string such as "0x1000"' : spec.type === 'int' ? 'an integer' : spec.type === 'str' ? 'a string' : 'a boolean'}`);
  }
  return args;
}

/** An integer argument given as a JSON number or a string (decimal or 0x hex), for values past 2^53. */
function toBigInt(name: string, v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  const s = String(v).trim();
  if (!/^(0x[0-9a-fA-F]+|-?[0-9]+)$/.test(s)) throw new QmpError('GenericError', `Parameter '${name}' expects an integer, not '${s}'`);
  const n = BigInt(s);
  if (n < -(1n << 63n) || n >= 1n << 64n) throw new QmpError('GenericError', `Parameter '${name}' is out of the 64-bit range`);
  return n;
}

function range(addressArg: unknown, size: number): { address: number; size: number } {
  const address = toBigInt('address', addressArg);
  if (address < 0n || address >= 1n << 52n) throw new QmpError('GenericError', "Parameter 'address' expects a guest-physical address (0 to 2^52 - 1)");
  if (!(size > 0 && size <= MAX_MEMORY_BYTES)) throw new QmpError('GenericError', `Parameter 'size' expects 1 to ${MAX_MEMORY_BYTES} bytes`);
  if (address + BigInt(size) > 1n << 52n) throw new QmpError('GenericError', 'The range passes the end of the guest-physical address space');
  return { address: Number(address), size };
}
