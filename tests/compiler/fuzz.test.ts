/**
 * Malformed input never crashes the compiler: 10,000+ generated and mutated
 * machine files, and every diagnostic they produce has a location inside the
 * file. Hostile input is bounded: recursive aliases, endless or blocking
 * non-regular files, and files of every slow shape up to the size limit,
 * each diagnosed in under 2 s with its diagnostics capped.
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bufferIo, printDiagnostics } from '../../compiler/cli/io.js';
import { DIAGNOSTIC_LIMIT, DiagnosticBag } from '../../compiler/diagnostics/diagnostic.js';
import { compileMachine, type CompileResult } from '../../compiler/driver.js';
import { readLock } from '../../compiler/resolve/lock.js';
import { MAX_FILE_BYTES } from '../../compiler/source/load.js';
import { compileText, render } from './helpers.js';
import { apply, mutation } from './mutations.js';

const MACHINES = join(import.meta.dirname, '..', '..', 'machines');
// The example machines as seeds, except the large one (mutating it thousands of times only costs time).
const SEEDS = readdirSync(MACHINES)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(MACHINES, f), 'utf8'))
  .filter((text) => text.length < 8_000);

function assertLocated(input: string | Uint8Array, r: CompileResult): void {
  for (const d of r.diagnostics.items) {
    if (!d.span) throw new Error(`${d.code} has no location for input ${JSON.stringify(input).slice(0, 200)}`);
    const lines = r.source ? r.source.lineCount : 1;
    if (d.span.line < 1 || d.span.column < 1 || d.span.line > Math.max(1, lines)) {
      throw new Error(`${d.code} at ${d.span.line}:${d.span.column} is outside the file (${lines} lines)`);
    }
    for (const n of d.notes) if (n.span && (n.span.line < 1 || n.span.column < 1)) throw new Error(`${d.code} has a badly located note`);
  }
}

function check(input: string | Uint8Array): void {
  const r = compileText(input);
  assertLocated(input, r);
  if (r.machine) expect(r.diagnostics.hasErrors).toBe(false);
}

/** Machine-shaped documents built from the language's vocabulary, valid or not. */
const key = fc.constantFrom('name', 'chipset', 'cpus', 'memory', 'numa', 'builtins', 'devices', 'boot', 'id', 'model', 'bus', 'addr', 'chassis', 'slot', 'hotplug', 'mac', 'image', 'sriov', 'vfs', 'total-vfs', 'serial', 'namespaces', 'count', 'sockets', 'display', 'sata', 'bus-reserve', 'mem-reserve', 'port', 'removable');
const scalar = fc.oneof(
  fc.constantFrom('q35', 'pcie-root-port', 'e1000e', 'nvme', 'igb', 'virtio-net', 'x3130-upstream', 'xio3130-downstream', 'pcie-pci-bridge', 'e1000', 'sata-disk', 'rp1', 'pcie.0', 'ahci', '1c.0', '0.0', '00:1c.2', '52:54:00:12:34:56', '512 MiB', '4 GiB', '2 GiB + 512 MiB', '0..3', 'std-vga', 'none'),
  fc.integer({ min: -3, max: 300 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 5 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
})).node;
const document = fc.record({
  chipset: fc.constantFrom('q35', 'q35', 'i440fx'),
  devices: fc.array(fc.dictionary(key, value, { maxKeys: 6 }), { maxLength: 8 }),
  extra: fc.dictionary(key, value, { maxKeys: 3 }),
});

describe('the compiler never crashes and always locates its diagnostics', () => {
  it('on mutated example machines (6,000 files)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, muts) => {
        check(muts.reduce(apply, SEEDS[seed]!));
      }),
      { numRuns: 6_000 },
    );
  }, 120_000);

  it('on generated machine-shaped documents (3,000 files)', () => {
    fc.assert(
      fc.property(document, (doc) => {
        check(stringify({ ...doc.extra, chipset: doc.chipset, devices: doc.devices }));
      }),
      { numRuns: 3_000 },
    );
  }, 120_000);

  it('on arbitrary text and bytes (1,500 inputs)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => check(s)), { numRuns: 1_000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => check(b)), { numRuns: 500 });
  });
});

/** CPU time (user + system, ms) that `f` takes in this process: steadier than wall time on a shared machine. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('hostile input is bounded', () => {
  it('recursive aliases anywhere (machine file or lockfile) are a located MD0009, never a stack overflow', () => {
    const recursive = fc.tuple(fc.constantFrom('[*a]', '{ x: *a }', '[1, [2, { y: *a }]]', '\n  - *a', '\n  k: [*a]'), fc.constantFrom('x', 'devices', 'cpus', 'extra'));
    fc.assert(
      fc.property(recursive, fc.integer({ min: 0, max: SEEDS.length - 1 }), ([body, key], seed) => {
        const text = `${SEEDS[seed]!.replace(/^chipset:.*$/m, '')}\nchipset: q35\n${key}2: &a ${body}\n`;
        const r = compileText(text);
        assertLocated(text, r);
        expect(r.diagnostics.items.map((d) => d.code)).toContain('MD0009');
        const dir = mkdtempSync(join(tmpdir(), 'machc-fuzz-'));
        try {
          const lockDiags = new DiagnosticBag();
          writeFileSync(join(dir, 'm.yaml.lock'), `lock-version: 1\ndevices: &a ${body}\n`);
          readLock(join(dir, 'm.yaml.lock'), lockDiags);
          expect(lockDiags.items.map((d) => d.code)).toContain('MD0009');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('non-regular files: endless devices are cut at the size limit, a FIFO without a writer reads as empty, a directory is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'machc-fuzz-'));
    try {
      const fifo = join(dir, 'fifo.yaml');
      execFileSync('mkfifo', [fifo]);
      symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
      writeFileSync(join(dir, 'm.yaml'), 'chipset: q35\n');
      symlinkSync('/dev/urandom', join(dir, 'm.yaml.lock'));
      const cases: [string, string][] = [
        ['/dev/zero', 'MD0004'],
        ['/dev/urandom', 'MD0004'],
        [join(dir, 'zero.yaml'), 'MD0004'],
        [fifo, 'MD0003'],
        [dir, 'MD0001'],
      ];
      for (const [path, code] of cases) {
        const started = Date.now();
        const r = compileMachine(path);
        expect(Date.now() - started, path).toBeLessThan(10_000);
        expect(r.diagnostics.items.map((d) => d.code), path).toEqual([code]);
      }
      const lockDiags = new DiagnosticBag();
      readLock(join(dir, 'm.yaml.lock'), lockDiags);
      expect(lockDiags.items.map((d) => d.code)).toEqual(['MD0004']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Files just under the size limit, of every shape that used to be slow (quadratic schema errors, huge mappings,
  // the yaml library's path): each is diagnosed in under 2 s, and the diagnostics are capped with "and N more".
  const line = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');
  const fill = (head: string, f: (i: number) => string) => {
    const per = f(99_999).length;
    const text = head + line(Math.floor((MAX_FILE_BYTES - head.length - 64) / per), f);
    expect(text.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
    return text;
  };
  const shapes: [string, () => string][] = [
    ['empty devices', () => fill('chipset: q35\ndevices:\n', () => '  - {}\n')],
    ['unknown top-level keys', () => fill('chipset: q35\n', (i) => `k${i}: 1\n`)],
    ['devices through the yaml library (an anchor)', () => fill('x: &a 1\nchipset: q35\ndevices:\n', (i) => `  - { id: n${i}, model: e1000e }\n`)],
    ['devices on the fast path', () => fill('chipset: q35\ndevices:\n', (i) => `  - { id: n${i}, model: e1000e }\n`)],
    ['duplicate ids', () => fill('chipset: q35\ndevices:\n', () => '  - { id: a, model: e1000e, addr: 3.0 }\n')],
    ['block devices with a bad property each', () => fill('chipset: q35\ndevices:\n', (i) => `  - id: n${i}\n    model: nvme\n    seriall: x\n`)],
    ['aliases up to the budget', () => `a: &a [${'x, '.repeat(9_000)}x]\nb: *a\nchipset: q35\n`],
  ];
  for (const [name, make] of shapes) {
    it(`under 2 s of CPU, capped: ${name}`, () => {
      const text = make();
      let r: CompileResult | undefined;
      let rendered = '';
      const ms = cpuMs(() => {
        r = compileText(text);
        const io = bufferIo();
        printDiagnostics(io, [r], false);
        rendered = io.stderr;
      });
      expect(ms, `${name}: ${ms.toFixed(0)} ms of CPU`).toBeLessThan(2_000);
      assertLocated(text, r!);
      expect(r!.diagnostics.items.length).toBeLessThanOrEqual(DIAGNOSTIC_LIMIT);
      const omitted = r!.diagnostics.omitted.errors + r!.diagnostics.omitted.warnings;
      if (omitted > 0) expect(rendered).toContain(`... and ${r!.diagnostics.omitted.errors} more errors`);
    }, 30_000);
  }
});

describe('deep nesting', () => {
  it('collections nested past what the YAML reader follows are a located MD0009, not a crash', () => {
    for (const open of ['[', '{a: ']) {
      const close = open === '[' ? ']' : '}';
      const text = `chipset: q35\nx: ${open.repeat(5_000)}1${close.repeat(5_000)}\n`;
      const r = compileText(text);
      assertLocated(text, r);
      // Where the reader gives up depends on the stack the worker has; what it reports does not.
      expect(r.machine).toBeUndefined();
      expect(r.diagnostics.items.map((d) => `${d.code} ${d.message}`)).toContain('MD0009 unsupported YAML: collections nested deeper than the YAML reader follows (some 800 levels)');
    }
  });
});

describe('rendering hostile text', () => {
  it('no control character from the file reaches the terminal; very long lines show a window around the caret', () => {
    const text = `chipset: q35\n"\\e[2J\\u0007x": 1\ny: "a\u001b]0;title\u0007b" ${'#'.repeat(50_000)}\nz${' '.repeat(30_000)}: [\n`;
    const r = compileText(text);
    const out = render(r);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    for (const l of out.split('\n')) expect(l.length).toBeLessThan(400);
    expect(r.diagnostics.items.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 300 }), (s) => {
        expect(render(compileText(`chipset: q35\n${s}`))).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }),
      { numRuns: 300 },
    );
  });
});
