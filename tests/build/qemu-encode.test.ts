/**
 * Strings from a machine file on their way to QEMU (compiler/emit/qemu/encode.ts
 * and the MD1109/MD1110 checks), property-tested with arbitrary Unicode: a
 * string the checks accept comes back out of qemu.args exactly (read the way
 * QEMU reads option values), adds no option, and an image path always names
 * the same file and never a protocol; a string with a control character is
 * refused with a located MD1109. The machine file's own name cannot add
 * options either.
 */
import { dirname, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { parseQemuArgs, qemuCommand, renderQemuArgs } from '../../compiler/emit/qemu/args.js';
import { imagePathConcern, looksLikeProtocol, qemuImagePath } from '../../compiler/emit/qemu/encode.js';
import { firstControlCharacter } from '../../compiler/util/text.js';

/** QemuOpts (util/qemu-option.c get_opt_value/opts_do_parse): `head,key=value,...`, `,,` is a comma. */
function qemuOpts(value: string): { head: string; props: [string, string][] } {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === ',') {
      if (value[i + 1] === ',') {
        cur += ',';
        i++;
        continue;
      }
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += value[i];
  }
  parts.push(cur);
  const [head, ...rest] = parts;
  return { head: head!, props: rest.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]) };
}

const OPTIONS = new Set(['-machine', '-cpu', '-m', '-smp', '-global', '-object', '-numa', '-vga', '-net', '-netdev', '-device', '-drive']);

const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(',', '=', ':', '/', ' ', '-', '#', 'nbd:', 'json:{', '\n', '\r', '\0', '\u2028', 'a', '.', '\\'), minLength: 1, maxLength: 12 }),
);

const yamlString = (s: string) => JSON.stringify(s);

function machineWith(image: string, serial: string, cdrom: string): string {
  return [
    'name: enc',
    'chipset: q35',
    'devices:',
    `  - { id: blk0, model: virtio-blk, image: ${yamlString(image)} }`,
    `  - { id: nvme0, model: nvme, serial: ${yamlString(serial)} }`,
    `  - { id: cd0, model: sata-cdrom, image: ${yamlString(cdrom)} }`,
    '',
  ].join('\n');
}

describe('qemu.args encoding (arbitrary Unicode)', () => {
  it('accepted strings come back exactly; refused ones are located MD1109 errors', () => {
    fc.assert(
      fc.property(anyText, anyText.map((s) => [...s].slice(0, 20).join('')), anyText, anyText, (image, serial, cdrom, fileName) => {
        const file = `/machines/${fileName.replace(/\//g, '_')}.yaml`;
        const r = compileMachine(file, { text: machineWith(image, serial, cdrom) });
        const md1109 = r.diagnostics.items.filter((d) => d.code === 'MD1109');
        const bad = [image, serial, cdrom].filter((s) => firstControlCharacter(s));
        expect(md1109).toHaveLength(bad.length);
        for (const d of md1109) expect(d.span?.line ?? 0).toBeGreaterThanOrEqual(4);
        if (bad.length > 0) {
          expect(r.machine).toBeUndefined();
          return;
        }
        expect(r.machine, r.diagnostics.sorted().map((d) => d.message).join('; ')).toBeDefined();
        const cmd = qemuCommand(r.machine!);
        const argv = parseQemuArgs(renderQemuArgs(cmd, r.machine!, file.split('/').pop()!));
        // Every line is one option with its value: nothing was added or split.
        expect(argv.length).toBe(cmd.options.reduce((n, o) => n + (o.value === undefined ? 1 : 2), 0));
        for (let i = 0; i < argv.length; i += 2) expect(OPTIONS.has(argv[i]!), argv[i]).toBe(true);
        const values = (opt: string) => argv.flatMap((a, i) => (a === opt ? [qemuOpts(argv[i + 1]!)] : []));
        const drives = new Map(values('-drive').map((o) => [o.props.find(([k]) => k === 'id')![1], new Map(o.props)]));
        for (const [id, given] of [['drive-blk0', image], ['drive-cd0', cdrom]] as const) {
          const path = drives.get(id)!.get('file')!;
          // QEMU opens the same file, and never reads the name as a protocol.
          expect(looksLikeProtocol(path)).toBe(false);
          expect(resolve(dirname(file), path)).toBe(resolve(dirname(file), given));
          if (!looksLikeProtocol(given)) expect(path).toBe(given);
        }
        const nvme = values('-device').find((o) => o.head === 'nvme')!;
        expect(new Map(nvme.props).get('serial')).toBe(serial);
      }),
      { numRuns: 300 },
    );
  });

  it('the injection examples: serial and image line breaks, NUL, the file name', () => {
    const r = compileMachine('m.yaml', { text: machineWith('a.img\n-S', 'x\n-s\n-S', 'c\0d') });
    expect(r.diagnostics.sorted().map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`)).toEqual(['MD1109 4:43', 'MD1109 5:39', 'MD1109 6:42']);
    const ok = compileMachine('m.yaml', { text: machineWith('a.img', 's', 'c.iso') });
    const text = renderQemuArgs(qemuCommand(ok.machine!), ok.machine!, 'evil\n-s\n-S\u2028.yaml');
    expect(parseQemuArgs(text)).not.toContain('-s');
    expect(text.split('\n')[0]).toContain('evil\\u000a-s\\u000a-S\\u2028.yaml');
  });

  it('image paths: plain files unchanged; protocol-like names opened as files, with MD1110', () => {
    expect(qemuImagePath('images/pool.raw')).toBe('images/pool.raw');
    expect(qemuImagePath('/var/lib/a:b.img')).toBe('/var/lib/a:b.img');
    expect(qemuImagePath('nbd://host/x')).toBe('./nbd://host/x');
    expect(qemuImagePath('json:{"driver":"null-co"}')).toBe('./json:{"driver":"null-co"}');
    expect(qemuImagePath('fat:rw:/')).toBe('./fat:rw:/');
    expect(imagePathConcern('images/pool.raw')).toBeUndefined();
    expect(imagePathConcern('a:b/c.img')).toMatch(/protocol/);
    for (const [image, why] of [['/dev/sda', /host device/], ['nbd://h/x', /protocol \(nbd:\)/], ['json:{}', /protocol/], ['fat:rw:/', /protocol/], ['/proc/self/mem', /pseudo/], ['images/', /directory/]] as const) {
      const r = compileMachine('m.yaml', { text: machineWith(image, 's', 'c.iso') });
      const w = r.diagnostics.items.filter((d) => d.code === 'MD1110');
      expect(w.map((d) => d.message)).toEqual([expect.stringMatching(why)]);
      expect(w[0]!.severity).toBe('warning');
      expect(w[0]!.span?.line).toBe(4);
      expect(r.machine).toBeDefined();
    }
  });
});
