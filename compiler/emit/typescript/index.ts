/**
 * The TypeScript machine module: a resolved machine as code that builds it
 * with the runtime (`machc/runtime`). The module exports the resolved
 * topology as constants and `createMachine()`, which creates the Q35
 * machine, attaches every device with its resolved parameters (a comment
 * names the machine-file line it comes from), installs the flat
 * configuration dispatch table (routing ID -> function, for the bus
 * numbers firmware assigns) and resets the machine.
 *
 * Printed with ts-morph; deterministic (same machine, same text). Load
 * this module only when emitting: ts-morph is large.
 */
import { IndentationText, NewLineKind, Project, QuoteKind, VariableDeclarationKind, type CodeBlockWriter } from 'ts-morph';
import type { ResolvedMachine } from '../../model/topology.js';
import { commentText, docCommentText, memberAccess, propertyKey, stringLiteral } from './encode.js';
import { planModule, type ParamValue } from './plan.js';

export interface EmitOptions {
  /** The machine file as the header names it (default: the file name of `machine.file`). */
  readonly sourceName?: string;
  /** Module specifier of the runtime (default 'machc/runtime'). */
  readonly runtimeImport?: string;
  /** machc's version for the header. */
  readonly version?: string;
}

const hex = (n: number, width = 0): string => {
  const digits = n.toString(16).padStart(width, '0');
  // Group long numbers in fours for readability (0x8000_0000).
  const grouped = digits.length > 4 ? digits.replace(/\B(?=([0-9a-f]{4})+$)/g, '_') : digits;
  return `0x${grouped}`;
};

function value(v: ParamValue): string {
  if (typeof v === 'string') return stringLiteral(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if ('hex' in v && typeof v.hex === 'number') return hex(v.hex);
  return `{ ${Object.entries(v).map(([k, x]) => `${propertyKey(k)}: ${value(x)}`).join(', ')} }`;
}

export function emitMachineModule(machine: ResolvedMachine, options: EmitOptions = {}): string {
  const plan = planModule(machine);
  const source = options.sourceName ?? machine.file.split(/[\\/]/).pop() ?? machine.file;
  const runtime = options.runtimeImport ?? 'machc/runtime';
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: NewLineKind.LineFeed },
  });
  const sf = project.createSourceFile('machine.ts', '', { overwrite: true });
  const mem = machine.memory;

  const classes = [...new Set(plan.devices.map((d) => d.className))].sort();
  const paramTypes = [...new Set(plan.devices.map((d) => d.paramsType))].sort();
  sf.addImportDeclaration({
    moduleSpecifier: runtime,
    namedImports: [...classes, 'Q35Machine', ...paramTypes.map((t) => `type ${t}`), 'type Q35MachineOptions'].sort((a, b) =>
      a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')),
    ),
  });

  // The resolved topology as constants.
  sf.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [`The machine as machc resolved it from ${docCommentText(source)}: bus numbers and addresses as firmware assigns them.`],
    declarations: [
      {
        name: 'topology',
        initializer: (w) => {
          w.writeLine('{');
          w.indent(() => {
            w.writeLine(`name: ${value(machine.name)},`);
            w.writeLine(`source: ${value(source)},`);
            w.writeLine(`cpus: ${machine.cpus.count},`);
            w.writeLine(`memory: { size: ${hex(mem.ramSize)}, below4g: ${hex(mem.below4g)}, above4g: ${hex(mem.above4g)}, above4gBase: ${hex(mem.above4gBase)} },`);
            w.writeLine(`ecam: { base: ${hex(mem.ecam.base)}, size: ${hex(mem.ecam.size)}, buses: ${mem.ecam.buses} },`);
            w.writeLine('buses: [');
            w.indent(() => {
              for (const b of machine.pci.buses) {
                const bridge = b.bridge ? `, bridge: ${value(b.bridge)}` : '';
                w.writeLine(`{ number: ${hex(b.number, 2)}, name: ${value(b.name)}, kind: ${value(b.kind)}${bridge}, subordinate: ${hex(b.subordinate, 2)} },`);
              }
            });
            w.writeLine('],');
            w.writeLine('functions: [');
            w.indent(() => {
              for (const f of machine.pci.functions) {
                w.writeLine(
                  `{ bdf: ${value(f.bdf)}, key: ${value(f.key)}, model: ${value(f.model)}, id: ${value(`${hex4(f.vendorId)}:${hex4(f.deviceId)}`)}, class: 0x${f.classCode.toString(16).padStart(6, '0')} },`,
                );
              }
            });
            w.writeLine('],');
          });
          w.write('}');
          w.write(' as const');
        },
      },
    ],
  });

  sf.addInterface({
    isExported: true,
    name: 'Overrides',
    docs: ['Parameters to change per device (tests, experiments): merged over the resolved ones.'],
    properties: plan.devices.map((d) => ({ name: propertyKey(d.id), isReadonly: true, hasQuestionToken: true, type: `Partial<${d.paramsType}>` })),
  });

  sf.addInterface({
    isExported: true,
    name: 'Devices',
    docs: ['The devices of the machine file, by id.'],
    properties: plan.devices.map((d) => ({ name: propertyKey(d.id), isReadonly: true, type: d.className })),
  });

  sf.addFunction({
    isExported: true,
    name: 'createMachine',
    docs: ['Builds the machine in its power-on state (every function reset), with its devices by id.'],
    parameters: [
      { name: 'options', type: 'Partial<Q35MachineOptions>', initializer: '{}' },
      // A machine without devices of its own has nothing to override; the parameter stays for a uniform signature.
      { name: plan.devices.length > 0 ? 'overrides' : '_overrides', type: 'Overrides', initializer: '{}' },
    ],
    returnType: '{ machine: Q35Machine; devices: Devices }',
    statements: (w) => {
      w.write('const m = new Q35Machine(').inlineBlock(() => {
        w.writeLine(`ram: { below4g: ${hex(mem.below4g)}, above4g: ${hex(mem.above4g)}, above4gBase: ${hex(mem.above4gBase)} },`);
        w.writeLine(`cpus: ${machine.cpus.count},`);
        w.writeLine(`display: ${value(machine.platform.display)},`);
        w.writeLine(`sata: ${machine.pci.functions.some((f) => f.key === 'ahci')},`);
        w.writeLine(`smbus: ${machine.pci.functions.some((f) => f.key === 'smbus')},`);
        w.writeLine('...options,');
      });
      w.write(');').newLine();
      for (const d of plan.devices) {
        w.blankLineIfLastNot();
        const where = d.line !== undefined ? ` (${source}:${d.line})` : '';
        const vfs = d.vfs > 0 ? `, ${d.vfs} VF${d.vfs === 1 ? '' : 's'} enabled at boot` : '';
        w.writeLine(`// ${commentText(`${d.id}: ${d.model} at ${d.bdf}${vfs}${where}`)}`);
        const params = [...d.params.map(([k, v]) => `${propertyKey(k)}: ${value(v)}`), `...overrides${memberAccess(d.id)}`].join(', ');
        w.writeLine(`const ${d.name} = m.attach(${d.parentBus}, ${hex(d.device, 2)}, ${d.fn}, new ${d.className}({ ${params} }));`);
      }
      w.blankLine();
      w.writeLine('// Configuration cycles by routing ID (bus << 8 | device << 3 | function) while the bridges hold these bus numbers.');
      w.write('m.useDispatchTable(').newLine();
      w.indent(() => {
        writeList(w, plan.dispatch.map((e) => ({ text: `[${hex(e.rid, 4)}, ${e.expr}]`, comment: e.comment })));
        writeList(w, plan.bridges.map((b) => ({ text: `[${b.name}, ${hex(b.secondary, 2)}, ${hex(b.subordinate, 2)}]`, comment: `${b.id}: buses ${hex2(b.secondary)}-${hex2(b.subordinate)}` })));
      });
      w.writeLine(');');
      w.writeLine('m.reset();');
      const byId = plan.devices.map((d) => (propertyKey(d.id) === d.name ? d.name : `${propertyKey(d.id)}: ${d.name}`));
      w.writeLine(`return { machine: m, devices: { ${byId.join(', ')} } };`);
    },
  });

  const version = options.version ? ` ${options.version}` : '';
  const header = [
    '// <auto-generated />',
    `// ${commentText(`Generated by machc${version} from ${source}. Do not edit: change the machine file and rebuild.`)}`,
    `// ${commentText(`${machine.name}${machine.description ? `: ${machine.description}` : ''}`)}`,
    '',
  ].join('\n');
  sf.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true });
  return `${header}\n${sf.getFullText().trimEnd()}\n`;
}

function writeList(w: CodeBlockWriter, items: { text: string; comment: string }[]): void {
  if (items.length === 0) {
    w.writeLine('[],');
    return;
  }
  w.writeLine('[');
  w.indent(() => {
    for (const it of items) w.writeLine(`${it.text}, // ${commentText(it.comment)}`);
  });
  w.writeLine('],');
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
