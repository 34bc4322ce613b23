/**
 * schemas/machine.schema.json is the published contract: editors validate
 * against it. These tests keep the schema, the compiler and the hardware
 * catalog in agreement.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { allDeviceModels } from '../../runtime/devices/catalog.js';
import { createAjv, generateValidatorSource, GENERATED_PATH, SCHEMA_PATH } from '../../compiler/schema/generate.js';
import { DEVICE_MODELS } from '../../compiler/schema/validate.js';
import { compileText } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
const validate = createAjv(false).compile(schema);
/** Codes the schema pass reports (MD1215 is the schema's `const: true` on the built-ins that cannot be turned off). */
const STRUCTURE = /^MD10\d\d$|^MD1215$/;

describe('the schema and the compiler agree', () => {
  it('the generated validator is up to date with the schema (npm run schema)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateValidatorSource());
  });

  it('the schema lists exactly the catalog models', () => {
    expect([...DEVICE_MODELS].sort()).toEqual(allDeviceModels().map((m) => m.name).sort());
  });

  const examples = [
    ...readdirSync(join(ROOT, 'machines')).map((f) => join(ROOT, 'machines', f)),
    ...readdirSync(join(ROOT, 'tests/fixtures/machines')).map((f) => join(ROOT, 'tests/fixtures/machines', f)),
  ].filter((f) => f.endsWith('.yaml'));

  for (const file of examples) {
    it(`${file.slice(ROOT.length + 1)} is valid for the schema and for the compiler`, () => {
      const text = readFileSync(file, 'utf8');
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
      const r = compileText(text);
      expect(r.diagnostics.items.filter((d) => STRUCTURE.test(d.code)).map((d) => d.message)).toEqual([]);
    });
  }

  it('example machines point editors at the schema', () => {
    for (const f of readdirSync(join(ROOT, 'machines'))) {
      expect(readFileSync(join(ROOT, 'machines', f), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/machine.schema.json');
    }
  });

  // Documents made from the language's vocabulary, mostly well-formed: the schema accepts one exactly
  // when the compiler finds no structural (MD10xx) problem in it.
  const models = allDeviceModels().map((m) => m.name);
  const device = fc.record(
    {
      id: fc.constantFrom('a', 'b', 'rp1', '9x'),
      model: fc.constantFrom(...models, 'e1000x'),
      bus: fc.constantFrom('pcie.0', 'rp1'),
      addr: fc.constantFrom('1.0', '2.0', 3),
      chassis: fc.constantFrom(1, 'x'),
      slot: fc.integer({ min: 0, max: 3 }),
      hotplug: fc.constantFrom(true, 'yes'),
      mac: fc.constant('52:54:00:00:00:01'),
      image: fc.constantFrom('a.raw', ''),
      serial: fc.constantFrom('S1', 'X'.repeat(21)),
      sriov: fc.constantFrom({ vfs: 2 }, { vfs: 2, bogus: 1 }),
      port: fc.integer({ min: 0, max: 5 }),
      removable: fc.boolean(),
      colour: fc.constant('red'),
    },
    { requiredKeys: [] },
  );
  const doc = fc.record(
    {
      chipset: fc.constantFrom('q35', 'i440fx'),
      name: fc.constantFrom('m1', 'bad name'),
      cpus: fc.constantFrom(2, '4', { sockets: 2 }, { sockets: 2, cpus: 1 }, [1]),
      memory: fc.constantFrom('1 GiB', 512, { size: '2 GiB' }, { below: 1 }, true),
      builtins: fc.constantFrom({ display: 'none' }, { display: 'vga' }, { sata: false, smbus: true }, { lpc: true }, { lpc: false }),
      devices: fc.array(device, { maxLength: 4 }),
      boot: fc.constantFrom(['a'], ['0bad'], 'a'),
      extra: fc.constant(1),
    },
    { requiredKeys: [] },
  );

  it('on 1,000 generated documents, schema-valid means no structural diagnostics', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const text = stringify(d);
        const schemaOk = validate(parse(text)) as boolean;
        const structural = compileText(text).diagnostics.items.filter((x) => STRUCTURE.test(x.code));
        expect(structural.length === 0, `${text}\nschema: ${JSON.stringify(validate.errors)}\ncompiler: ${structural.map((x) => x.message).join('; ')}`).toBe(schemaOk);
      }),
      { numRuns: 1_000 },
    );
  });
});
