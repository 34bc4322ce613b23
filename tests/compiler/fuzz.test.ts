/**
 * Malformed input never crashes the compiler: 10,000+ generated and mutated
 * machine files, and every diagnostic they produce has a location inside the
 * file.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { CompileResult } from '../../compiler/driver.js';
import { compileText } from './helpers.js';
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
