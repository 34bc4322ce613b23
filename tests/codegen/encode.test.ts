/**
 * The encoders every string from a machine file goes through on its way into
 * a generated module (compiler/emit/typescript/encode.ts), property-tested on
 * arbitrary Unicode (lone surrogates, controls and line terminators
 * included): what they print parses back, with TypeScript and with
 * JavaScript itself, to exactly the input, and nothing can end a literal or a
 * comment early or bind a name the module uses. Then whole modules from
 * hostile machine files: nothing in them runs, and names that clash with the
 * module's own still load.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import {
  bindingIdentifier,
  commentText,
  decodeCommentText,
  docCommentText,
  memberAccess,
  propertyKey,
  RESERVED_NAMES,
  stringLiteral,
} from '../../compiler/emit/typescript/encode.js';
import { emitMachineModule, emitMachineScript } from '../../compiler/emit/typescript/index.js';
import { loadMachine } from '../../compiler/emit/typescript/load.js';
import * as runtime from '../../runtime/index.js';
import { MODULE_NAMES } from '../../compiler/emit/typescript/plan.js';
import { loadGenerated } from './support.js';

/** Any UTF-16 string: code units at random (lone surrogates too), and whole code points. */
const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\\', "'", '"', '`', '*/', '/*', '${', '\0', 'a', ' '), maxLength: 20 }),
);
const RUNS = { numRuns: 200 };
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Parses `text` as a TypeScript module; throws on any syntax error. */
function parse(text: string): ts.SourceFile {
  const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length > 0) throw new Error(`${errors.join('; ')} in: ${JSON.stringify(text)}`);
  return ts.createSourceFile('m.ts', text, ts.ScriptTarget.ES2022, true);
}

describe('generated-module encoders (arbitrary Unicode)', () => {
  it('stringLiteral: one literal on one line, whose value is exactly the input', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const lit = stringLiteral(s);
        expect(lit).not.toMatch(LINE_TERMINATOR);
        const sf = parse(`export const x = ${lit};\n`);
        expect(sf.statements).toHaveLength(1);
        const init = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0]!.initializer!;
        expect(ts.isStringLiteral(init) && init.text).toBe(s);
        expect(new Function(`'use strict'; return ${lit};`)()).toBe(s);
      }),
      RUNS,
    );
  });

  it('commentText / docCommentText: stay comments, and decode to exactly the input', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const line = commentText(s);
        expect(line).not.toMatch(LINE_TERMINATOR);
        expect(decodeCommentText(line)).toBe(s);
        const doc = docCommentText(s);
        expect(doc).not.toMatch(LINE_TERMINATOR);
        expect(doc).not.toContain('*/');
        expect(decodeCommentText(doc)).toBe(s);
        const text = `// ${line}\n/** ${doc} */\nexport const y = 1;\n`;
        const sf = parse(text);
        expect(sf.statements).toHaveLength(1);
        const comments = ts.getLeadingCommentRanges(text, 0)!.map((r) => text.slice(r.pos, r.end));
        expect(comments).toEqual([`// ${line}`, `/** ${doc} */`]);
        expect(new Function(`'use strict'; // ${line}\n/** ${doc} */ return 42;`)()).toBe(42);
      }),
      RUNS,
    );
  });

  it('propertyKey and memberAccess: name exactly the input', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const obj = new Function(`'use strict'; return { ${propertyKey(s)}: 1 };`)() as Record<string, number>;
        expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
        expect(Object.keys(obj)).toEqual([s]);
        expect(new Function('o', `'use strict'; return o${memberAccess(s)};`)({ [s]: 7 })).toBe(7);
        parse(`interface I { readonly ${propertyKey(s)}?: number }\nexport const o = { ${propertyKey(s)}: 1 };\n`);
      }),
      RUNS,
    );
  });

  it('bindingIdentifier: distinct, bindable names that are never reserved or already taken', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, fc.constantFrom(...RESERVED_NAMES, ...MODULE_NAMES)), { maxLength: 12 }), (texts) => {
        const taken = new Set(MODULE_NAMES);
        const names = texts.map((t) => bindingIdentifier(t, taken));
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) {
          expect(MODULE_NAMES).not.toContain(n);
          expect(RESERVED_NAMES.has(n)).toBe(false);
          expect(new Function(`'use strict'; const ${n} = 5; return ${n};`)()).toBe(5);
        }
        parse(names.map((n) => `export const ${n} = 1;`).join('\n'));
      }),
      RUNS,
    );
    expect(bindingIdentifier('sw0-p1', new Set())).toBe('sw0P1');
  });
});

function emit(yaml: string, sourceName = 'hostile.yaml'): string {
  const r = compileMachine(sourceName, { text: yaml });
  if (!r.machine) throw new Error(r.diagnostics.sorted().map((d) => `${d.code} ${d.message}`).join('; '));
  return emitMachineModule(r.machine, { sourceName });
}

describe('modules from hostile machine files', () => {
  const g = globalThis as { machcPwned?: number };

  it('a description or file name with line breaks stays in its comment; nothing of it runs', async () => {
    const descriptions = [
      'x\nglobalThis.machcPwned = 1\n//',
      'x\rglobalThis.machcPwned = 2\r//',
      'x\u2028globalThis.machcPwned = 3\u2028//',
      'x\u2029globalThis.machcPwned = 4\u2029//',
      'first line\nsecond line\n',
      '*/ globalThis.machcPwned = 5; /*',
    ];
    for (const description of descriptions) {
      const yaml = `name: pwn\nchipset: q35\ndescription: ${JSON.stringify(description)}\ndevices:\n  - { id: nvme0, model: nvme, serial: "a'\\\\b" }\n`;
      const text = emit(yaml, 'evil\nglobalThis.machcPwned = 6\n.yaml');
      const lines = text.split('\n');
      expect(decodeCommentText(lines[2]!.slice(3))).toBe(`pwn: ${description}`);
      expect(decodeCommentText(lines[1]!.slice(3))).toContain('evil\nglobalThis.machcPwned = 6\n.yaml');
      const r = compileMachine('pwn.yaml', { text: yaml });
      const mod = await loadGenerated(r.machine!);
      expect(g.machcPwned).toBeUndefined();
      expect(mod.createMachine().devices['nvme0']).toBeDefined();
      // The JavaScript form run and lspci evaluate, named after the same file.
      const inMemory = loadMachine(r.machine!, runtime, { sourceName: 'evil\nglobalThis.machcPwned = 6\n.yaml' });
      expect(g.machcPwned).toBeUndefined();
      expect(inMemory.createMachine().devices['nvme0']).toBeDefined();
    }
    const r = compileMachine('pwn.yaml', { text: 'name: pwn\nchipset: q35\ndescription: "a\\u2028b"\n' });
    expect(emitMachineScript(r.machine!, { sourceName: 'f\u2028g.yaml', form: 'function' })).not.toMatch(/\u2028/);
  });

  it('device ids that clash with the module’s own names or with strict-mode words load and build', async () => {
    const ids = ['Nvme', 'E1000e', 'PcieRootPort', 'Q35Machine', 'eval', 'arguments', 'topology', 'createMachine', 'm', 'options', 'overrides', 'Devices', 'NvmeParams', 'await', 'let', 'undefined', 'Object', 'runtime'];
    const devices = ids.map((id, i) => (i === 0 ? `  - { id: ${id}, model: nvme, serial: s }` : `  - { id: ${id}, model: e1000e }`));
    const yaml = `name: clash\nchipset: q35\ndevices:\n${devices.join('\n')}\n`;
    const r = compileMachine('clash.yaml', { text: yaml });
    expect(r.diagnostics.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    const mod = await loadGenerated(r.machine!);
    const { devices: byId } = mod.createMachine();
    expect(Object.keys(byId).sort()).toEqual([...ids].sort());
    expect(byId['Nvme']!.constructor.name).toBe('Nvme');
    expect(byId['eval']!.constructor.name).toBe('E1000e');
    const inMemory = loadMachine(r.machine!, runtime).createMachine().devices;
    expect(Object.keys(inMemory).sort()).toEqual([...ids].sort());
    expect(inMemory['runtime']!.constructor.name).toBe('E1000e');
  });
});
