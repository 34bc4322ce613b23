/**
 * The command-line conventions people expect, end to end through the built
 * CLI: a closed pipe is not an error, `-` is standard input (and `-o -`
 * standard output where the output is one stream), a file that cannot be
 * read exits 2 in every command with no made-up position, `--json` where
 * tools want it, `--color`, and shell completion in bash, zsh and fish.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, machcAsync as machc, requireBuiltCli, ROOT } from '../support/cli.js';
import { needTools } from '../support/tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'machc-conventions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(requireBuiltCli);

const SWITCH = join(ROOT, 'machines', 'switch-mixed.yaml');
const LARGE = join(ROOT, 'machines', 'large-fabric.yaml');
const STACK = /\n\s+at .*(\.c?js|\.ts|node:internal)/;

/** Runs machc with standard output a pipe closed before it writes a byte. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a reader that goes away (machc ... | head)', () => {
  const cases = [['models'], ['explain'], ['show', '--yaml', LARGE], ['show', '--json', LARGE], ['lspci', '-v', LARGE], ['graph', '--format', 'dot', LARGE], ['diff', '--format', 'json', SWITCH, LARGE]];
  for (const args of cases) {
    it(`machc ${args.join(' ').replace(ROOT + '/', '')}: stops quietly, exit code as it was`, async () => {
      const r = await withClosedStdout(args);
      expect(r.stderr).not.toMatch(/EPIPE|Error|internal error/);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.signal).toBeNull();
      // diff of two different machines exits 1 (they differ); the others 0.
      expect(r.code).toBe(args[0] === 'diff' ? 1 : 0);
    });
  }
});

describe('- is standard input, -o - standard output', () => {
  const text = readFileSync(SWITCH, 'utf8');

  it('check, show, lspci, run and graph read the machine from standard input', async () => {
    expect((await machc(['check', '-'], { input: text }))).toMatchObject({ code: 0, stderr: expect.stringContaining('<stdin>: ok, 16 PCI functions on 8 buses\n') });
    expect((await machc(['show', '-'], { input: text })).stdout).toBe((await machc(['show', SWITCH])).stdout);
    expect((await machc(['lspci', '-'], { input: text })).stdout).toBe((await machc(['lspci', SWITCH])).stdout);
    const q35 = readFileSync(join(ROOT, 'machines', 'q35-default.yaml'), 'utf8');
    expect(JSON.parse((await machc(['run', '-', '--max-insns', '1000', '--json'], { input: q35 })).stdout)).toMatchObject({ machine: 'q35-default', stopped: 'instruction-limit' });
    expect((await machc(['graph', '-', '--format', 'dot'], { input: text })).stdout).toBe((await machc(['graph', SWITCH, '--format', 'dot'])).stdout);
  });

  it('diagnostics in standard input are located in <stdin>', async () => {
    const r = (await machc(['check', '-'], { input: 'chipset: q35\nmemroy: 1 GiB\n' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('<stdin>:2:1 error MD1002');
  });

  it('build reads standard input; its output is named after the machine (or stdin)', async () => {
    const out = join(tmp, 'from-stdin');
    const r = (await machc(['build', '-', '-o', out], { input: text }));
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { machine: string; source: { file: string } };
    expect(manifest.machine).toBe('switch-mixed');
    expect(manifest.source.file).toBe('<stdin>');
    // The same machine from its file gives the same tables.
    const fromFile = join(tmp, 'from-file');
    expect((await machc(['build', SWITCH, '-o', fromFile])).code).toBe(0);
    for (const f of ['acpi/DSDT.aml', 'fw_cfg/etc/acpi/tables', 'e820.txt']) expect(readFileSync(join(out, f)).equals(readFileSync(join(fromFile, f))), f).toBe(true);
    const unnamed = (await machc(['show', '--json', '-'], { input: 'chipset: q35\n' }));
    expect(JSON.parse(unnamed.stdout)).toMatchObject({ machine: 'stdin' });
  });

  it('fmt - prints the formatted text; --check - reports it; --write - is refused', async () => {
    const messy = 'devices:\n  - {model: e1000e, id: nic0}\nchipset: q35\n';
    const printed = (await machc(['fmt', '-'], { input: messy }));
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe((await machc(['fmt', '-'], { input: printed.stdout })).stdout);
    const check = (await machc(['fmt', '--check', '-'], { input: messy }));
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('--- <stdin>');
    const write = (await machc(['fmt', '--write', '-'], { input: messy }));
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/^machc: --write .*standard input/);
  });

  it('diff takes - for one side', async () => {
    const r = (await machc(['diff', '-', join(ROOT, 'machines', 'q35-default.yaml')], { input: text }));
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('graph -o - writes to standard output, not a file named -', async () => {
    const r = (await machc(['graph', SWITCH, '-o', '-'], { cwd: tmp }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await machc(['graph', SWITCH])).stdout);
    expect(spawnSync('ls', [join(tmp, '-')]).status).not.toBe(0);
  });

  it('build -o - and a second - are usage errors', async () => {
    expect((await machc(['build', '-o', '-']))).toMatchObject({ code: 2, stderr: expect.stringMatching(/^machc: -o -: build writes a folder/) });
    expect((await machc(['check', '-', '-'], { input: '' }))).toMatchObject({ code: 2, stderr: 'machc: standard input (-) can be given only once\n' });
    expect((await machc(['diff', '-', '-'], { input: '' })).code).toBe(2);
  });

  it('more standard input than a machine file may hold is refused after the limit, not read to the end', async () => {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', `head -c 1000000 /dev/zero | "${process.execPath}" "${BIN}" check -`]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('<stdin>: error MD0004: the file is more than 524288 bytes');
  });
});

describe('a file that cannot be read', () => {
  const missing = join(tmp, 'missing.yaml');
  const commands: string[][] = [['check', missing], ['show', missing], ['build', missing, '-o', join(tmp, 'o')], ['qemu', missing, '--qemu', process.execPath], ['graph', missing], ['lspci', missing], ['run', missing], ['fmt', missing], ['diff', missing, SWITCH]];
  for (const args of commands) {
    it(`machc ${args[0]}: exit 2, the file named without a position`, async () => {
      const r = await machc(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${missing}: error MD0001: cannot read the file: no such file`);
      expect(r.stderr).not.toMatch(/missing\.yaml:1:1/);
    });
  }

  it('in JSON the diagnostic has the file and no line or column', async () => {
    const r = (await machc(['check', '--json', missing]));
    expect(r.code).toBe(2);
    const d = (JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] }).diagnostics[0]!;
    expect(d).toMatchObject({ code: 'MD0001', file: missing });
    expect(d).not.toHaveProperty('line');
  });

  it('a directory is not a machine file either', async () => {
    expect((await machc(['check', tmp]))).toMatchObject({ code: 2, stderr: expect.stringContaining(`${tmp}: error MD0001: cannot read the file: it is a directory`) });
  });
});

describe('--json for tools', () => {
  it('models: every model with its properties, types, defaults and QEMU names', async () => {
    const models = JSON.parse((await machc(['models', '--json'])).stdout) as { name: string; description: string; qemuDevice: string; properties: { name: string; type: string; default?: unknown; qemu?: string }[] }[];
    expect(models.map((m) => m.name)).toContain('pcie-root-port');
    const rp = models.find((m) => m.name === 'pcie-root-port')!;
    expect(rp.description).toMatch(/root port/);
    expect(rp.properties.find((p) => p.name === 'hotplug')).toMatchObject({ type: 'boolean', default: true, qemu: 'hotplug' });
    expect(rp.properties.find((p) => p.name === 'io-reserve')).toMatchObject({ type: 'size', qemu: 'io-reserve' });
    // Every model has its own description.
    expect(new Set(models.map((m) => m.description)).size).toBe(models.length);
    expect(JSON.parse((await machc(['models', 'nvme', '--json'])).stdout)).toMatchObject({ name: 'nvme', qemuDevice: 'nvme', sriov: { totalVfs: { max: 127 } } });
  });

  it('explain: one code, and the list', async () => {
    expect(JSON.parse((await machc(['explain', 'MD1203', '--json'])).stdout)).toMatchObject({ code: 'MD1203', name: 'slot-in-use', severity: 'error' });
    const list = JSON.parse((await machc(['explain', '--json'])).stdout) as { code: string }[];
    expect(list.length).toBeGreaterThan(50);
  });

  it('lspci: what the text listing shows, as data', async () => {
    const json = JSON.parse((await machc(['lspci', '--json', join(ROOT, 'machines', 'sriov-nvme.yaml')])).stdout) as {
      functions: { bdf: string; bars: { size: number }[]; physfn?: string; sriov?: { numVfs: number }; bridge?: { secondary: number } }[];
    };
    const text = (await machc(['lspci', join(ROOT, 'machines', 'sriov-nvme.yaml')])).stdout;
    expect(json.functions.map((f) => f.bdf)).toEqual(text.trim().split('\n').map((l) => l.split(' ')[0]));
    const pf = json.functions.find((f) => f.sriov)!;
    expect(pf.sriov!.numVfs).toBe(8);
    expect(json.functions.filter((f) => f.physfn === pf.bdf)).toHaveLength(8);
    expect(json.functions.find((f) => f.bdf === '00:02.0')!.bridge!.secondary).toBe(1);
  });

  it('fmt --check: each file with its status and diff', async () => {
    const messy = join(tmp, 'messy.yaml');
    writeFileSync(messy, 'devices:\n  - {model: e1000e, id: nic0}\nchipset: q35\n');
    const r = (await machc(['fmt', '--check', '--json', messy, join(ROOT, 'machines', 'q35-default.yaml')]));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { files: { file: string; status: string; diff?: string }[] };
    expect(out.files.map((f) => f.status)).toEqual(['would-change', 'formatted']);
    expect(out.files[0]!.diff).toContain('+  - { id: nic0, model: e1000e }');
  });

  it('run: the summary of the run', async () => {
    expect(JSON.parse((await machc(['run', '--json', '--max-insns', '5000'])).stdout)).toEqual({
      machine: 'q35-default',
      stopped: 'instruction-limit',
      instructions: 5000,
      guestMs: 0.005,
      wallMs: expect.any(Number),
      resets: 0,
      tripleFaults: 0,
      // the translations the boot's last run kept that this one took, and those it added
      store: { taken: expect.any(Number), added: expect.any(Number) },
      // what the CPUs translated: 5,000 instructions are too few for any block to be compiled
      translation: { blocks: expect.any(Number), compiled: 0, recompiled: 0, fromStore: 0, source: 0, compiledRuns: 0, tier1Instructions: 5000 },
    });
  });

  it('errors of a --json command are JSON too', async () => {
    const r = (await machc(['lspci', '--json', '-'], { input: 'chipset: q35\nmemroy: 1 GiB\n' }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ diagnostics: [{ code: 'MD1002' }] });
  });
});

describe('--color', () => {
  const bad = join(tmp, 'bad.yaml');
  beforeAll(() => writeFileSync(bad, 'chipset: q35\nmemroy: 1 GiB\n'));

  it('always colours, never does not, whatever the environment; before or after the command', async () => {
    expect((await machc(['--color', 'always', 'check', bad])).stderr).toContain('\x1b[');
    expect((await machc(['check', bad, '--color=always'])).stderr).toContain('\x1b[');
    expect((await machc(['check', '--color', 'never', bad], { env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stderr).not.toContain('\x1b[');
    expect((await machc(['check', bad], { env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stderr).toContain('\x1b[');
    expect((await machc(['check', bad])).stderr).not.toContain('\x1b[');
  });

  it('anything else is a usage error', async () => {
    expect((await machc(['--color', 'sometimes', 'check']))).toMatchObject({ code: 2, stderr: expect.stringContaining("'sometimes' is invalid") });
  });
});

describe('machc completion', () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`${shell}: a script the shell parses`, async () => {
      if (!needTools(shell)) return;
      const r = (await machc(['completion', shell]));
      expect(r.code).toBe(0);
      const file = join(tmp, `completion.${shell}`);
      writeFileSync(file, r.stdout);
      expect(spawnSync(shell, ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    });
  }

  /** What bash completes for a command line (the words so far, the last being completed). */
  function bashComplete(words: string[]): string[] {
    const script = `source ${JSON.stringify(join(tmp, 'completion.bash'))}; cd ${JSON.stringify(ROOT)}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _machc; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  }

  it('bash completes commands, options, option values, codes, models and machine files', async () => {
    if (!needTools('bash')) return;
    writeFileSync(join(tmp, 'completion.bash'), (await machc(['completion', 'bash'])).stdout);
    expect(bashComplete(['machc', 'ch'])).toEqual(['check']);
    expect(bashComplete(['machc', 'show', '--format', ''])).toEqual(['json', 'tree', 'yaml']);
    expect(bashComplete(['machc', '--color', 'never', 'graph', '--vfs', 'e'])).toEqual(['expanded']);
    expect(bashComplete(['machc', 'build', '--n'])).toEqual(['--no-lockfile', '--no-ts']);
    expect(bashComplete(['machc', 'explain', 'MD120'])).toContain('MD1203');
    expect(bashComplete(['machc', 'models', 'virtio-'])).toEqual(['virtio-balloon', 'virtio-blk', 'virtio-gpu', 'virtio-net', 'virtio-rng', 'virtio-scsi', 'virtio-serial']);
    expect(bashComplete(['machc', 'check', 'machines/sriov-'])).toEqual(['machines/sriov-igb.yaml', 'machines/sriov-nvme.yaml']);
  });

  it('fish completes the same things', async () => {
    if (!needTools('fish')) return;
    const file = join(tmp, 'completion.fish');
    writeFileSync(file, (await machc(['completion', 'fish'])).stdout);
    const complete = (line: string) =>
      spawnSync('fish', ['-c', `source ${file}; cd ${ROOT}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]!)
        .sort();
    expect(complete('machc ch')).toEqual(['check']);
    expect(complete('machc show --format ')).toEqual(['json', 'tree', 'yaml']);
    expect(complete('machc models virtio-')).toEqual(['virtio-balloon', 'virtio-blk', 'virtio-gpu', 'virtio-net', 'virtio-rng', 'virtio-scsi', 'virtio-serial']);
    expect(complete('machc check machines/sriov-')).toEqual(['machines/sriov-igb.yaml', 'machines/sriov-nvme.yaml']);
  });

  it('zsh: loading the script registers the completion function for machc', async () => {
    if (!needTools('zsh')) return;
    const r = spawnSync('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -D && eval "$(${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} completion zsh)" && print -r -- $_comps[machc] && whence -w _machc`], { encoding: 'utf8', cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_machc\n_machc: function\n');
  });

  it('an unknown shell is a usage error', async () => {
    expect((await machc(['completion', 'tcsh']))).toMatchObject({ code: 2, stderr: expect.stringContaining("no shell 'tcsh'") });
  });
});

describe('machc schema', () => {
  it('prints the schema machines are checked against, and where the package keeps it', async () => {
    const schema = await machc(['schema']);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toBe(readFileSync(join(ROOT, 'schemas', 'machine.schema.json'), 'utf8'));
    const path = await machc(['schema', '--path']);
    expect(path.stdout).toBe(`${join(ROOT, 'schemas', 'machine.schema.json')}\n`);
  });

  it('says what each model is, for editors completing `model:`', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'machine.schema.json'), 'utf8')) as { $defs: { device: { properties: { model: { enum: string[]; enumDescriptions: string[] } } } } };
    const model = schema.$defs.device.properties.model;
    expect(model.enumDescriptions).toHaveLength(model.enum.length);
    expect(new Set(model.enumDescriptions).size).toBe(model.enum.length);
  });
});
