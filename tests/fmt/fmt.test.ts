/**
 * `machc fmt`: canonical key order, comments kept, idempotence (property-
 * tested on generated files laid out the way people write them), the same
 * machine after formatting, `--check` with a unified diff, `--write` in place.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { compileMachine } from '../../compiler/driver.js';
import { diffSides, sideOf } from '../../compiler/diff/index.js';
import { formatMachine } from '../../compiler/fmt/format.js';

const fmt = (text: string, path = 'm.yaml') => formatMachine(path, text).text;

const scratch = mkdtempSync(join(tmpdir(), 'machc-fmt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('canonical layout', () => {
  it('orders keys as the schema does and keeps every comment with its key', () => {
    const input = [
      '# top comment',
      'devices:',
      '  # the NIC',
      '  - mac: 52:54:00:00:00:01   # fixed MAC',
      '    bus: rp1',
      '    model: e1000e',
      '    id: nic0',
      '',
      '  - slot: 1',
      '    chassis: 1',
      '    model: pcie-root-port',
      '    id: rp1',
      'memory: 1 GiB',
      'chipset: q35 # the only one',
      'boot: [ nic0 ]',
      'name: small',
      'cpus: {cores: 2, sockets: 1}',
      '',
    ].join('\n');
    expect(fmt(input)).toBe([
      '# top comment',
      'name: small',
      'chipset: q35 # the only one',
      'cpus: { sockets: 1, cores: 2 }',
      'memory: 1 GiB',
      'devices:',
      '  # the NIC',
      '  - id: nic0',
      '    model: e1000e',
      '    bus: rp1',
      '    mac: 52:54:00:00:00:01 # fixed MAC',
      '',
      '  - id: rp1',
      '    model: pcie-root-port',
      '    chassis: 1',
      '    slot: 1',
      'boot: [nic0]',
      '',
    ].join('\n'));
  });

  it('orders nested mappings: sriov, namespaces, NUMA nodes, builtins', () => {
    const out = fmt([
      'chipset: q35',
      'builtins: { smbus: false, display: none }',
      'numa:',
      '  - memory: 512 MiB',
      '    cpus: [0]',
      '    id: n0',
      'cpus: 1',
      'memory: 512 MiB',
      'devices:',
      '  - { model: pcie-root-port, id: rp1 }',
      '  - id: nv',
      '    sriov: { vfs: 2, total-vfs: 4 }',
      '    namespaces:',
      '      - image: a.raw',
      '        id: ns1',
      '    bus: rp1',
      '    model: nvme',
      '',
    ].join('\n'))!;
    expect(out).toContain('builtins: { display: none, smbus: false }');
    expect(out).toContain('  - id: n0\n    cpus: [0]\n    memory: 512 MiB');
    expect(out).toContain('  - { id: rp1, model: pcie-root-port }');
    expect(out).toContain('  - id: nv\n    model: nvme\n    bus: rp1\n    namespaces:\n      - id: ns1\n        image: a.raw\n    sriov: { total-vfs: 4, vfs: 2 }');
    expect(out.indexOf('cpus: 1')).toBeLessThan(out.indexOf('numa:'));
    expect(out.indexOf('numa:')).toBeLessThan(out.indexOf('builtins:'));
  });

  it('leaves values as written (a formatter does not change meaning)', () => {
    const out = fmt("chipset: q35\nmemory: 2G + 512 MiB\ncpus: 0x4\nname: 'quoted'\n")!;
    expect(out).toBe("name: 'quoted'\nchipset: q35\ncpus: 0x4\nmemory: 2G + 512 MiB\n");
  });

  it('is the identity on its own output for every example machine', () => {
    const files = readdirSync('machines').map((f) => join('machines', f));
    for (const f of files) {
      const once = fmt(readFileSync(f, 'utf8'), f)!;
      expect(once, f).toBeDefined();
      expect(fmt(once, f)).toBe(once);
    }
  });
});

describe('bad input', () => {
  it.each([
    ['YAML syntax', 'chipset: q35\ndevices: [\n', 'MD0005'],
    ['duplicate key', 'chipset: q35\nchipset: q35\n', 'MD0006'],
    ['unknown property', 'chipset: q35\ncpuz: 2\n', 'MD1002'],
    ['not UTF-8', Buffer.from([0x63, 0x68, 0xff, 0x0a]), 'MD0002'],
  ] as const)('%s: diagnostics, no text', (_name, input, code) => {
    const r = formatMachine('bad.yaml', typeof input === 'string' ? input : new Uint8Array(input));
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.items.map((d) => d.code)).toContain(code);
  });

  it('formats a file with topology mistakes (they are check\'s business)', () => {
    const text = 'chipset: q35\ndevices:\n  - id: a\n    model: e1000e\n    addr: 3.0\n  - id: b\n    model: e1000e\n    addr: 3.0\n';
    expect(compileMachine('t.yaml', { text }).diagnostics.hasErrors).toBe(true);
    expect(fmt(text)).toBe(text);
  });
});

// ---- property tests ------------------------------------------------------------------------

type Value = string | { readonly flow?: boolean; readonly map: readonly Entry[] } | { readonly flow?: boolean; readonly seq: readonly Value[] };
interface Entry {
  readonly key: string;
  readonly value: Value;
  readonly comment?: string;
  readonly trailing?: string;
  readonly blank?: boolean;
}

let commentId = 0;
// Some comments hold U+2028 or U+2029 (not line breaks in YAML): the yaml library once split comments there.
const comment = () => `c${commentId}${['', ' a\u2028b', ' #\u2029#'][commentId++ % 3]}`;

/** Writes YAML the way people do: 2 or 4 space indents, lists indented or not, comments, blank lines, flow or block. */
function emit(entries: readonly Entry[], indent: number, step: number, seqIndent: boolean): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const e of entries) {
    if (e.blank) lines.push('');
    if (e.comment) lines.push(`${pad}# ${e.comment}`);
    const tail = e.trailing ? ` # ${e.trailing}` : '';
    const v = e.value;
    if (typeof v === 'string') lines.push(`${pad}${e.key}: ${v}${tail}`);
    else if ('map' in v && v.flow) lines.push(`${pad}${e.key}: {${v.map.map((x) => `${x.key}: ${x.value as string}`).join(', ')}}${tail}`);
    else if ('seq' in v && v.flow) lines.push(`${pad}${e.key}: [${v.seq.join(', ')}]${tail}`);
    else if ('map' in v) {
      lines.push(`${pad}${e.key}:${tail}`);
      lines.push(...emit(v.map, indent + step, step, seqIndent));
    } else {
      lines.push(`${pad}${e.key}:${tail}`);
      const itemPad = ' '.repeat(indent + (seqIndent ? step : 0));
      for (const item of v.seq) {
        if (typeof item === 'string') lines.push(`${itemPad}- ${item}`);
        else if ('map' in item) {
          const inner = emit(item.map, indent + (seqIndent ? step : 0) + 2, step, seqIndent);
          const first = inner.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
          const head = inner.slice(0, first);
          lines.push(...head, `${itemPad}- ${inner[first]!.trimStart()}`, ...inner.slice(first + 1));
        }
      }
    }
  }
  return lines;
}

const shuffled = <T,>(items: readonly T[]) => fc.shuffledSubarray(items as T[], { minLength: items.length, maxLength: items.length });
const decorate = (e: Omit<Entry, 'comment' | 'trailing' | 'blank'>) =>
  fc.record({ c: fc.boolean(), t: fc.boolean(), b: fc.integer({ min: 0, max: 5 }) }).map(({ c, t, b }): Entry => ({
    ...e,
    ...(c ? { comment: comment() } : {}),
    ...(t && typeof e.value === 'string' ? { trailing: comment() } : {}),
    ...(b === 0 ? { blank: true } : {}),
  }));

function deviceArb(i: number) {
  const port = [
    { key: 'id', value: `rp${i}` },
    { key: 'model', value: 'pcie-root-port' },
    { key: 'chassis', value: '1' },
    { key: 'slot', value: String(i + 1) },
  ];
  const endpoint = [
    [{ key: 'id', value: `nic${i}` }, { key: 'model', value: 'e1000e' }, { key: 'bus', value: `rp${i}` }, { key: 'mac', value: `52:54:00:00:00:${(i + 16).toString(16)}` }],
    [{ key: 'id', value: `disk${i}` }, { key: 'model', value: 'virtio-blk' }, { key: 'bus', value: `rp${i}` }, { key: 'image', value: `images/d${i}.raw` }, { key: 'serial', value: `S${i}` }],
    [{ key: 'id', value: `nvme${i}` }, { key: 'model', value: 'nvme' }, { key: 'bus', value: `rp${i}` }, { key: 'serial', value: `N${i}` }, { key: 'image', value: `images/n${i}.raw` }],
  ];
  const asMap = (entries: { key: string; value: string }[]) =>
    fc.tuple(shuffled(entries), fc.boolean()).chain(([order, flow]) =>
      flow ? fc.constant({ flow: true, map: order } as Value) : fc.tuple(...order.map((e) => decorate(e))).map((map) => ({ map }) as Value),
    );
  return fc.tuple(asMap(port), fc.integer({ min: 0, max: 2 }).chain((k) => asMap(endpoint[k]!)));
}

const machineArb = fc
  .record({
    ports: fc.integer({ min: 0, max: 3 }),
    cpusMap: fc.boolean(),
    memMap: fc.boolean(),
    builtins: fc.boolean(),
    step: fc.constantFrom(2, 4),
    seqIndent: fc.boolean(),
  })
  .chain((o) =>
    fc.tuple(fc.constant(o), fc.tuple(...Array.from({ length: o.ports }, (_, i) => deviceArb(i))), fc.boolean()).chain(([o, devs, bootFlow]) => {
      const devices: Value[] = devs.flat();
      const top: Omit<Entry, 'comment' | 'trailing' | 'blank'>[] = [
        { key: 'name', value: 'gen' },
        { key: 'chipset', value: 'q35' },
        { key: 'cpus', value: o.cpusMap ? { map: [{ key: 'cores', value: '2' }, { key: 'sockets', value: '1' }] } : '2' },
        { key: 'memory', value: o.memMap ? { map: [{ key: 'size', value: '1 GiB' }] } : '1 GiB' },
        ...(o.builtins ? [{ key: 'builtins', value: { flow: true, map: [{ key: 'smbus', value: 'false' }, { key: 'sata', value: 'true' }] } as Value }] : []),
        ...(devices.length > 0 ? [{ key: 'devices', value: { seq: devices } as Value }] : []),
        ...(o.ports > 0 ? [{ key: 'boot', value: { flow: bootFlow, seq: [`rp0`].map(() => (devs[0]![1] as { map: Entry[] }).map.find((e) => e.key === 'id')!.value as string) } as Value }] : []),
      ];
      return fc.tuple(shuffled(top), fc.boolean()).chain(([order, headComment]) =>
        fc.tuple(...order.map((e) => decorate(e))).map((entries) => `${headComment ? '# generated machine\n' : ''}${emit(entries, 0, o.step, o.seqIndent).join('\n')}\n`),
      );
    }),
  );

const comments = (text: string) => [...text.matchAll(/# (c\d+|generated machine)/g)].map((m) => m[1]).sort();

describe('properties', () => {
  it('fmt(fmt(x)) == fmt(x), same data, same comments, canonical top-level order', () => {
    fc.assert(
      fc.property(machineArb, (text) => {
        const once = fmt(text);
        expect(once, text).toBeDefined();
        expect(fmt(once!)).toBe(once);
        expect(parse(once!)).toEqual(parse(text));
        expect(comments(once!)).toEqual(comments(text));
        const keys = Object.keys(parse(once!) as object);
        const canonical = ['name', 'description', 'chipset', 'cpus', 'memory', 'numa', 'builtins', 'devices', 'boot'];
        expect(keys).toEqual(canonical.filter((k) => keys.includes(k)));
      }),
      { numRuns: 300 },
    );
  });

  it('the formatted file is the same machine (machc diff finds nothing)', () => {
    fc.assert(
      fc.property(machineArb, (text) => {
        const a = sideOf(compileMachine('a.yaml', { text }));
        const b = sideOf(compileMachine('b.yaml', { text: fmt(text)! }));
        expect(a && b).toBeTruthy();
        expect(diffSides(a!, b!, { acpiTables: null }).same).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

// ---- the command -----------------------------------------------------------------------------

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('machc fmt', () => {
  const messy = 'memory: 1 GiB\nchipset: q35 # q35 only\nname: m\n';
  const tidy = 'name: m\nchipset: q35 # q35 only\nmemory: 1 GiB\n';

  it('prints the formatted file', async () => {
    const f = join(scratch, 'print.yaml');
    writeFileSync(f, messy);
    expect(await run(['fmt', f])).toEqual({ code: 0, stdout: tidy, stderr: '' });
  });

  it('--check: exit 1 with a unified diff, 0 when formatted', async () => {
    const f = join(scratch, 'check.yaml');
    writeFileSync(f, messy);
    const r = await run(['fmt', '--check', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`--- ${f}\n+++ ${f} (formatted)\n@@ -1,3 +1,3 @@\n-memory: 1 GiB\n-chipset: q35 # q35 only\n name: m\n+chipset: q35 # q35 only\n+memory: 1 GiB\n`);
    expect(r.stderr).toContain('1 file would be reformatted');
    expect(readFileSync(f, 'utf8')).toBe(messy);
    writeFileSync(f, tidy);
    expect(await run(['fmt', '--check', f])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--write rewrites in place and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(scratch, 'w-'));
    const f = join(dir, 'write.yaml');
    writeFileSync(f, messy);
    const r = await run(['fmt', '--write', f]);
    expect(r.code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(tidy);
    expect(readdirSync(dir)).toEqual(['write.yaml']);
    const mtime = statSync(f).mtimeMs;
    expect((await run(['fmt', '--write', f])).stderr).toBe('');
    expect(statSync(f).mtimeMs).toBe(mtime);
  });

  it('exit 2 with located diagnostics for a broken file; the other files are still checked', async () => {
    const bad = join(scratch, 'bad.yaml');
    const good = join(scratch, 'good.yaml');
    writeFileSync(bad, 'chipset: q35\ncpus: [\n');
    writeFileSync(good, messy);
    const r = await run(['fmt', '--check', bad, good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:`);
    expect(r.stderr).toContain('MD0005');
    expect(r.stdout).toContain(`--- ${good}`);
  });

  it('the diff fixtures are formatted', async () => {
    const files = readdirSync('tests/fixtures/diff').flatMap((c) => ['old.yaml', 'new.yaml'].map((f) => join('tests/fixtures/diff', c, f)));
    expect(await run(['fmt', '--check', ...files])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('usage errors exit 2', async () => {
    expect((await run(['fmt'])).code).toBe(2);
    expect((await run(['fmt', '--check', '--write', 'x.yaml'])).code).toBe(2);
    expect((await run(['fmt', 'a.yaml', 'b.yaml'])).code).toBe(2);
    expect((await run(['fmt', join(scratch, 'missing.yaml')])).code).toBe(2);
  });
});

describe('the project follows its own formatter', () => {
  it('every example machine is formatted', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { formatMachine } = await import('../../compiler/fmt/format.js');
    const dir = join(import.meta.dirname, '..', '..', 'machines');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const r = formatMachine(f, text);
      expect(r.text, `${f} is not formatted: run machc fmt --write machines/${f}`).toBe(text);
    }
  });
});
