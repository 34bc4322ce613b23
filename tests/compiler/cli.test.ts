/**
 * The command line as users meet it: exit codes (0 ok, 1 diagnostics, 2
 * usage), help everywhere, JSON for tools, no stack traces on bad input.
 * Runs the built CLI (npm test builds it first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, program } from '../../compiler/cli/main.js';
import { bufferIo } from '../../compiler/cli/io.js';
import { machc, requireBuiltCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(requireBuiltCli);

describe('machc check', () => {
  it('checks the built-in default machine when given no file', () => {
    const r = machc(['check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('q35-default.yaml: ok, 5 PCI functions on 1 bus');
  });

  it('reports every error at once, located, with exit 1 and no stack trace', () => {
    const bad = write('bad.yaml', 'chipset: q35\nmemory: 3 GB\ndevices:\n  - { id: a, model: e1000e, addr: 3.0 }\n  - { id: a, model: e1000e, addr: 3.0 }\n');
    const r = machc(['check', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:2:\d+ error MD1101/);
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+ error MD1201/);
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+ error MD1203: slot 00:03\.0 is already used by a \(line 4\)/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
    expect(r.stderr).toMatch(/\d+ errors, 0 warnings in 1 file/);
  });

  it('prints diagnostics as JSON for tools', () => {
    const bad = write('bad2.yaml', 'chipset: q35\nmemroy: 1 GiB\n');
    const r = machc(['check', '--json', bad]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number; fix?: { message: string } }[] };
    expect(out.diagnostics).toMatchObject([{ code: 'MD1002', line: 2, column: 1, fix: { message: "did you mean 'memory'?" } }]);
  });

  it('checks several files and fails if any fails (exit 2 when one cannot be read at all)', () => {
    const good = write('good.yaml', 'chipset: q35\n');
    const bad = write('bad3.yaml', 'chipset: q35\nmemroy: 1 GiB\n');
    const r = machc(['check', good, join(tmp, 'missing.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.yaml: error MD0001: cannot read the file: no such file');
    expect(r.stderr).toContain('good.yaml: ok');
    expect(machc(['check', good, bad]).code).toBe(1);
  });

  it('--lock writes the lockfile, then finds it up to date', () => {
    const m = write('locked.yaml', 'chipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }\n');
    expect(machc(['check', '--lock', m]).stderr).toContain('locked.yaml.lock: written');
    expect(readFileSync(`${m}.lock`, 'utf8')).toContain("rp1: { bus: pcie.0, addr: '02.0', secondary-bus: 1 }");
    expect(machc(['check', '--lock', m]).stderr).toContain('locked.yaml.lock: up to date');
  });
});

describe('usage errors and help', () => {
  it('an unknown option is a usage error (exit 2)', () => {
    const r = machc(['check', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it('an unknown command is a usage error (exit 2)', () => {
    expect(machc(['chekc']).code).toBe(2);
  });

  it('no command prints the help (exit 2)', () => {
    const r = machc([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: machc');
  });

  for (const cmd of ['check', 'show', 'explain', 'models']) {
    it(`machc ${cmd} --help`, () => {
      const r = machc([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: machc ${cmd}`);
    });
  }

  it('the command list is every command; a command line naming one defines only that one, with the same help', () => {
    const io = bufferIo();
    const all = program(io, () => {});
    expect(all.commands.map((c) => c.name())).toEqual([...COMMANDS]);
    for (const name of COMMANDS) {
      const one = program(io, () => {}, [], name);
      expect(one.commands.map((c) => c.name())).toEqual([name]);
      expect(one.commands[0]!.helpInformation()).toBe(all.commands.find((c) => c.name() === name)!.helpInformation());
    }
  });

  it('help and a misspelt command still see every command', () => {
    expect(machc(['--help']).stdout).toMatch(/build \[options\] \[file\][\s\S]*lspci \[options\] \[file\][\s\S]*completion/);
    expect(machc(['--color', 'never', 'help']).stdout).toContain('lspci [options] [file]');
    expect(machc(['biuld']).stderr).toContain('(Did you mean build?)');
  });

  it('explain prints a code and rejects unknown ones', () => {
    expect(machc(['explain', 'MD1203']).stdout).toContain('MD1203 slot-in-use (error)');
    expect(machc(['explain', 'MD9999']).code).toBe(2);
  });
});

describe('machc show', () => {
  it('prints the default machine as a tree', () => {
    const r = machc(['show']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('`-- 00:1f.3  smbus');
  });

  it('--json is the canonical form with source lines', () => {
    const r = machc(['show', '--json', 'machines/switch-mixed.yaml']);
    const m = JSON.parse(r.stdout) as { functions: { id: string; bdf: string; line?: number }[] };
    expect(m.functions.find((f) => f.id === 'nvme0')).toMatchObject({ bdf: '05:00.0', line: 54 });
  });

  it('--canonical has no line numbers, so moving lines changes nothing', () => {
    const a = machc(['show', '--canonical', 'machines/switch-mixed.yaml']).stdout;
    expect(a).not.toMatch(/line:/);
    expect(a).toContain('bdf: 05:00.0');
  });

  it('a broken file gives diagnostics and exit 1', () => {
    const r = machc(['show', write('broken.yaml', 'chipset: [\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error MD0005');
  });
});
