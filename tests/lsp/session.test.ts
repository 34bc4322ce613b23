/**
 * `machc lsp` driven over stdio as an editor drives it: initialize, didOpen,
 * the diagnostics it publishes (where `machc check --json` puts them),
 * completion, hover, go to definition, formatting, didChange, shutdown and
 * exit. The built command runs in a child process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, machc, requireBuiltCli, ROOT } from '../support/cli.js';

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** A client on the server's stdio: Content-Length framed JSON-RPC. */
class Client {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly waiting: { method: string; match: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];
  readonly notifications: Message[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => this.read(d));
    this.exited = new Promise((r) => child.on('exit', (code) => r(code)));
  }

  private read(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
      if (this.buffer.length < end + 4 + length) return;
      const m = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (m.id !== undefined && m.method === undefined) this.pending.get(m.id)?.(m);
      else if (m.method !== undefined) {
        this.notifications.push(m);
        const w = this.waiting.findIndex((x) => x.method === m.method && x.match(m.params));
        if (w >= 0) this.waiting.splice(w, 1)[0]!.resolve(m.params);
      }
    }
  }

  private send(m: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next notification of `method` whose params match (one already received counts). */
  next(method: string, match: (p: unknown) => boolean = () => true): Promise<unknown> {
    return new Promise((resolve) => this.waiting.push({ method, match, resolve }));
  }
}

const MACHINE = `name: lsp-test
chipset: q35
memory: 1 GiB
devices:
  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }
  - { id: rp2, model: pcie-root-port, chassis: 1, slot: 2 }
  - { id: sw0, model: x3130-upstream, bus: rp2 }
  - { id: sw0-p0, model: xio3130-downstream, bus: sw0, chassis: 2, slot: 0 }
  - id: nic0
    model: e1000e
    bus: rp1
  - { id: nic1, model: e1000e, bus: sw0, mac: 52:54:00:00:00:zz }
`;

describe('machc lsp over stdio', () => {
  let dir: string;
  let file: string;
  let uri: string;
  let client: Client;

  beforeAll(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'machc-lsp-'));
    file = join(dir, 'm.yaml');
    writeFileSync(file, MACHINE);
    uri = pathToFileURL(file).href;
    client = new Client(spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }));
  });
  afterAll(() => {
    if (client.child.exitCode === null) client.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = (text: string, needle: string, delta = 0) => {
    const offset = text.indexOf(needle) + delta;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before.at(-1)!.length };
  };

  it('initializes with its capabilities', { timeout: 30_000 }, async () => {
    const r = await client.request('initialize', { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
    expect(r.result).toMatchObject({
      capabilities: { hoverProvider: true, definitionProvider: true, documentFormattingProvider: true, completionProvider: {} },
      serverInfo: { name: 'machc' },
    });
    client.notify('initialized', {});
  });

  it('publishes the diagnostics machc check reports, at the same places', { timeout: 30_000 }, async () => {
    const published = client.next('textDocument/publishDiagnostics', (p) => (p as { uri: string }).uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: MACHINE } });
    const { diagnostics } = (await published) as { diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; severity: number; message: string }[] };
    const cli = JSON.parse(machc(['check', '--json', file]).stdout) as { diagnostics: { code: string; line: number; column: number; length: number; severity: string }[] };
    const cliDiags = cli.diagnostics;
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.map((d) => ({ code: d.code, line: d.range.start.line + 1, column: d.range.start.character + 1, length: d.range.end.character - d.range.start.character, severity: d.severity === 1 ? 'error' : 'warning' }))).toEqual(
      cliDiags.map((d) => ({ code: d.code, line: d.line, column: d.column, length: d.length, severity: d.severity })),
    );
    // The bad MAC, at the group that is wrong inside the value.
    expect(diagnostics.filter((d) => d.range.start.line === 11).map((d) => d.range.start.character)).toContain(MACHINE.split('\n')[11]!.indexOf('zz'));
  });

  it('completes models, properties and only the buses a device can sit on', { timeout: 30_000 }, async () => {
    const text = `${MACHINE.replace(', mac: 52:54:00:00:00:zz', '')}  - { id: d1, model: xio3130-downstream, bus:  }\n  - { id: n2, model: \n  - { id: n3, model: e1000e, bus:  }\n  - { id: n4, model: e1000e, ma }\n`;
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const labels = async (pos: { line: number; character: number }) =>
      ((await client.request('textDocument/completion', { textDocument: { uri }, position: pos })).result as { label: string }[]).map((c) => c.label);
    const dsBus = await labels(at(text, 'downstream, bus: ', 'downstream, bus: '.length));
    expect(dsBus).toEqual(['sw0']);
    const models = await labels(at(text, 'n2, model: ', 'n2, model: '.length));
    expect(models).toEqual(expect.arrayContaining(['e1000e', 'nvme', 'pcie-root-port', 'xio3130-downstream']));
    // An endpoint: a free port (sw0-p0, and d1 being written) or pcie.0; not sw0 (a switch's internal bus), not rp1 or rp2 (taken).
    const nicBus = await labels(at(text, 'n3, model: e1000e, bus: ', 'n3, model: e1000e, bus: '.length));
    expect(nicBus.sort()).toEqual(['d1', 'pcie.0', 'sw0-p0']);
    const props = await labels(at(text, 'ma }', 2));
    expect(props).toEqual(expect.arrayContaining(['mac', 'bus', 'addr', 'acpi-index']));
    expect(props).not.toContain('namespaces');
  });

  it('hovers with model docs, property docs and the resolved BDF and BARs', { timeout: 30_000 }, async () => {
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: MACHINE.replace(', mac: 52:54:00:00:00:zz', '').replace('bus: sw0 }', 'bus: sw0-p0 }') }] });
    const text = MACHINE.replace(', mac: 52:54:00:00:00:zz', '').replace('bus: sw0 }', 'bus: sw0-p0 }');
    const hoverAt = async (pos: { line: number; character: number }) =>
      ((await client.request('textDocument/hover', { textDocument: { uri }, position: pos })).result as { contents: { value: string } } | null)?.contents.value;
    expect(await hoverAt(at(text, 'model: e1000e', 9))).toMatch(/^\*\*e1000e\*\*: .*\n\nQEMU `-device e1000e`/);
    expect(await hoverAt(at(text, 'chassis: 1, slot: 1', 2))).toMatch(/^\*\*chassis\*\*/);
    const nic = await hoverAt(at(text, 'id: nic0', 5));
    expect(nic).toMatch(/^\*\*0000:01:00.0 is nic0 \(e1000e\)\*\*/);
    expect(nic).toMatch(/- BAR0 mem 128 KiB at 0x[0-9a-f]+/);
    expect(nic).toMatch(/bus 1 because rp1 \(line 5\) is the first bridge on pcie.0/);
    const nic1 = await hoverAt(at(text, 'bus: sw0-p0 }', 6));
    expect(nic1).toMatch(/^\*\*0000:03:00.0 is sw0-p0 \(xio3130-downstream\)\*\*\n\n- io window for bus 4: /);
  });

  it('goes from a bus: reference to the device it names', { timeout: 30_000 }, async () => {
    const text = MACHINE.replace(', mac: 52:54:00:00:00:zz', '').replace('bus: sw0 }', 'bus: sw0-p0 }');
    const r = await client.request('textDocument/definition', { textDocument: { uri }, position: at(text, 'bus: sw0-p0 }', 7) });
    expect(r.result).toEqual({ uri, range: { start: at(text, 'id: sw0-p0', 4), end: at(text, 'id: sw0-p0', 10) } });
    const none = await client.request('textDocument/definition', { textDocument: { uri }, position: at(text, 'model: e1000e', 9) });
    expect(none.result).toBeNull();
  });

  it('formats the document as machc fmt does', { timeout: 30_000 }, async () => {
    const messy = 'chipset: q35\nname: lsp-test\ndevices:\n    - {model: e1000e,   id: nic0}\n';
    client.notify('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: messy }] });
    const r = await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    const edits = r.result as { newText: string; range: unknown }[];
    expect(edits).toHaveLength(1);
    const fmt = machc(['fmt', '-'], { input: messy });
    expect(fmt.code).toBe(0);
    expect(edits[0]!.newText).toBe(fmt.stdout);
    expect(edits[0]!.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 4, character: 0 } });
  });

  it('shuts down and exits cleanly', { timeout: 30_000 }, async () => {
    const r = await client.request('shutdown', null);
    expect(r.error).toBeUndefined();
    client.notify('exit', null);
    expect(await client.exited).toBe(0);
  });
});
