/**
 * machc's command line. Each command module is loaded only when its command
 * runs, so `machc check` never loads the code generators.
 * Exit codes: 0 success, 1 diagnostics (or differences, for diff), 2 usage.
 */
import { Command, CommanderError, Option } from 'commander';
import { TARGET_VERSIONS } from '../model/target.js';
import { applyColor, processIo, type ColorMode, type Io } from './io.js';

export const EXIT_OK = 0;
export const EXIT_DIAGNOSTICS = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands for usage errors (bad flags, unreadable output dir...). */
export class UsageError extends Error {}

/** --qemu VERSION: the QEMU to build for, overriding the file's `qemu:`. */
const qemuOption = (): Option =>
  new Option('--qemu <version>', "the QEMU release to build for (overrides the file's qemu:)").choices(TARGET_VERSIONS);
const firmwareOption = (what: string) =>
  new Option('--firmware <firmware>', `the firmware whose PCI placement ${what}: SeaBIOS (-bios) or OVMF (UEFI, pflash)`).choices(['seabios', 'ovmf']).default('seabios');

/** The command a command line names: its first word that is not an option (or --color's value). */
function commandName(argv: readonly string[]): string | undefined {
  return argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--color');
}

/** Every command, in the order `machc --help` lists them. */
export const COMMANDS = ['check', 'show', 'where', 'lsp', 'build', 'asl', 'qemu', 'import', 'export', 'diff', 'fmt', 'graph', 'run', 'lspci', 'explain', 'models', 'schema', 'completion'] as const;

/**
 * `machc --help`, an unknown command and `completion` (which lists them all)
 * need every command; a command line naming one needs only that one, and
 * defining the others is a noticeable part of a short run.
 */
function onlyCommand(argv: readonly string[]): string | undefined {
  const name = commandName(argv);
  return name !== undefined && name !== 'completion' && (COMMANDS as readonly string[]).includes(name) ? name : undefined;
}

/**
 * `machc qemu FILE -- OPTIONS` and `machc import qemu -- ARGS`: what follows `--` is QEMU's, not machc's.
 * Only for those commands; elsewhere `--` keeps its usual meaning (the end of options).
 */
function splitQemuArgs(argv: string[]): { argv: string[]; qemuArgs: string[] } {
  const command = commandName(argv);
  const dd = argv.indexOf('--');
  if ((command !== 'qemu' && command !== 'import') || dd < 0) return { argv, qemuArgs: [] };
  return { argv: argv.slice(0, dd), qemuArgs: argv.slice(dd + 1) };
}

/** The command line's parser: every command, or only `only`. */
export function program(io: Io, setExit: (code: number) => void, qemuArgs: readonly string[] = [], only?: string): Command {
  const wanted = (name: (typeof COMMANDS)[number]) => only === undefined || only === name;
  const p = new Command('machc');
  p.description('Compile Q35 machine descriptions: validate, resolve, generate firmware tables, diff topologies.')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addOption(new Option('--color <when>', 'colour diagnostics and diffs').choices(['auto', 'always', 'never']).default('auto'))
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .hook('preAction', (cmd) => applyColor(io, cmd.opts()['color'] as ColorMode));

  if (wanted('check')) {
    p.command('check')
      .description('Validate and resolve machine files; report every problem at its line and column.')
      .argument('[files...]', 'machine files, - for standard input (default: the built-in q35 default machine)')
      .option('--json', 'print diagnostics as JSON')
      .option('--lock', 'write (or check against) an address lockfile next to each file')
      .option('--relock', 'with --lock: accept address changes and rewrite the lockfile')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (files: string[], opts) => setExit(await (await import('./commands/check.js')).runCheck(io, files, opts)));
  }

  if (wanted('show')) {
    p.command('show')
      .description('Print the resolved topology as a tree (like lspci -tv), or in canonical JSON/YAML.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .addOption(new Option('--format <format>', 'output format').choices(['tree', 'json', 'yaml']).default('tree'))
      .option('--json', 'same as --format json')
      .option('--yaml', 'same as --format yaml')
      .option('--canonical', 'canonical YAML for git textconv (same as --format yaml)')
      .option('--vfs', 'list every VF in the tree (default: folded)')
      .option('--firmware-plan', "print where firmware places every BAR and bridge window: SeaBIOS's as its log lines, OVMF's one per line")
      .addOption(firmwareOption('--firmware-plan shows'))
      .option('--iomem', "print the guest's memory map as Linux's /proc/iomem shows it")
      .option('--ioports', "print the guest's IO ports as Linux's /proc/ioports shows them")
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/show.js')).runShow(io, file, opts)));
  }

  if (wanted('where')) {
    p.command('where')
      .description('Show the YAML lines behind a BDF, an ACPI path, a memory or IO address (io:0xc000), a QEMU id or a name in machine.ts, and how machc resolved it.')
      .argument('<file>', 'machine file, - for standard input')
      .argument('<thing>', 'what to look up: 0000:03:00.1, \\_SB.PCI0.S10.S00, 0xfe800000, io:0xc000, nic0, net-nic0...')
      .option('--json', 'print the answer as JSON')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string, thing: string, opts) => setExit(await (await import('./commands/where.js')).runWhere(io, file, thing, opts)));
  }

  if (wanted('lsp')) {
    p.command('lsp')
      .description('Run the language server for machine files on standard input and output (diagnostics, completion, hover, go to definition, formatting).')
      .option('--stdio', 'talk on standard input and output (the default and only transport)')
      .action(async () => setExit(await (await import('./commands/lsp.js')).runLsp(io)));
  }

  if (wanted('build')) {
    p.command('build')
      .description('Write the fw_cfg files (ACPI tables, table-loader, e820, bootorder), each ACPI table with its ASL, and the QEMU command line.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .option('-o, --output <dir>', 'output directory (default: build/<machine name>)')
      .option('--json', 'print the manifest (every file with its size and sha256) as JSON')
      .option('--no-ts', 'do not write machine.ts (the machine as a TypeScript module)')
      .addOption(qemuOption())
      .addOption(new Option('--firmware <firmware>', "the firmware the ACPI tables are for: SeaBIOS, or OVMF (UEFI), whose 64-bit BARs the DSDT's 64-bit window must hold; run-qemu.sh boots it").choices(['seabios', 'ovmf']).default('seabios'))
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/build.js')).runBuild(io, file, opts)));
  }

  if (wanted('asl')) {
    p.command('asl')
      .description('Compile an ASL file (.asl, or a .dsl from iasl -d) to AML with machc\'s own ASL compiler, as iasl does.')
      .argument('<file>', 'ASL source with one DefinitionBlock')
      .option('-o, --output <file>', 'output file (default: the input with .aml)')
      .option('--json', 'print diagnostics as JSON')
      .option('--creator-id <id>', 'Creator ID in the table header (default MCHC; iasl writes INTL)')
      .option('--creator-revision <n>', 'Creator revision in the table header (default 1; iasl writes its version, e.g. 0x20200925)')
      .option('--print', 'print the compiled table as ASL (machc\'s printer) on standard output')
      .option('--externals-in-methods', 'accept External names inside a method, as iasl -vw 6163 does (iasl -d writes them for some tables)')
      .action(async (file: string, opts) => setExit(await (await import('./commands/asl.js')).runAsl(io, file, opts)));
  }

  if (wanted('qemu')) {
    p.command('qemu')
      .description('Build the machine and boot it in QEMU with machc\'s firmware files (the build\'s run-qemu.sh); options after -- go to QEMU. Checks the QEMU is new enough first; exits with QEMU\'s code.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .option('-o, --output <dir>', 'build folder (default: build/<machine name>)')
      .option('--qemu <path>', 'the QEMU to run (default: $QEMU, else qemu-system-x86_64)')
      .addOption(new Option('--firmware <firmware>', "build for and boot SeaBIOS (QEMU's default) or OVMF (UEFI, from pflash; as build --firmware ovmf)").choices(['seabios', 'ovmf']))
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/qemu.js')).runQemu(io, file, qemuArgs, { ...opts, ts: false })));
  }

  if (wanted('import')) {
    p.command('import')
      .description('Write a machine file from a QEMU q35 command line (import qemu -- ARGS, or --file) or a libvirt domain (import libvirt FILE.xml). What a machine file cannot say is reported at its argument or element (exit 1, unless --lenient).')
      .argument('<format>', 'qemu or libvirt')
      .argument('[file]', 'import libvirt: the domain XML, - for standard input')
      .option('-o, --output <file>', 'write the machine file here (atomically) instead of standard output')
      .option('--file <file>', 'import qemu: read the arguments from a file (split into words as a shell would; # comments)')
      .option('--lenient', 'leave out what a machine file cannot express (reported as warnings) instead of failing')
      .option('--name <name>', 'the machine\'s name (default: the output file\'s name)')
      .addOption(new Option('--qemu <version>', 'import qemu: the QEMU whose -machine q35 this is (default 7.2; pc-q35-X.Y says it itself)').choices(TARGET_VERSIONS))
      .option('--json', 'print the diagnostics and the machine file as JSON')
      .action(async (format: string, file: string | undefined, opts) => setExit(await (await import('./commands/import.js')).runImport(io, format, file, qemuArgs, opts)));
  }

  if (wanted('export')) {
    p.command('export')
      .description('Write a resolved machine as libvirt domain XML (export libvirt FILE): every controller, device and address as machc resolved it, so libvirt renumbers nothing.')
      .argument('<format>', 'libvirt')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .option('-o, --output <file>', 'write the XML here (atomically) instead of standard output')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (format: string, file: string | undefined, opts) => setExit(await (await import('./commands/export.js')).runExport(io, format, file, opts)));
  }

  if (wanted('diff')) {
    p.command('diff')
      .description('Compare two machines after resolution: devices, bus numbers, guest names, windows, memory map, ACPI. Exit 0 same, 1 different, 2 error.')
      .argument('[files...]', 'OLD NEW machine files (one may be - for standard input), or with --git the paths to compare (default: every machine file)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
      .option('--git <rev>', 'compare the work tree with a git revision (old side read with git show REV:path)')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore existing lockfiles')
      .action(async (files: string[], opts) => setExit(await (await import('./commands/diff.js')).runDiff(io, files, opts)));
  }

  if (wanted('fmt')) {
    p.command('fmt')
      .description('Format machine files canonically (key order, indentation), keeping comments. Exit 0 ok, 1 would change (--check), 2 error.')
      .argument('[files...]', 'machine files, - for standard input')
      .option('--check', 'print a unified diff for each file that is not formatted; exit 1 if any')
      .option('--write', 'rewrite the files in place (atomically)')
      .option('--json', 'with --check or --write: report each file as JSON')
      .action(async (files: string[], opts) => setExit(await (await import('./commands/fmt.js')).runFmt(io, files, opts)));
  }

  if (wanted('graph')) {
    p.command('graph')
      .description('Draw the resolved topology: buses, ports, switches and functions with BDFs and ids.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
      .addOption(new Option('--vfs <mode>', 'SR-IOV VFs as one node per PF or one node each').choices(['folded', 'expanded']).default('folded'))
      .option('-o, --output <file>', 'write to a file (atomically) instead of standard output (- is standard output)')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/graph.js')).runGraph(io, file, opts)));
  }

  if (wanted('run')) {
    p.command('run')
      .description('Run the machine: its CPUs through the firmware (SeaBIOS) with machc\'s ACPI tables and fw_cfg files; serial on standard output, a summary on standard error.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .option('--bios <path>', 'firmware image (default: /usr/share/seabios/bios-256k.bin, what QEMU 7.2 loads for q35)')
      .option('--vga-bios <path>', 'the std VGA\'s option ROM (default: /usr/share/seabios/vgabios-stdvga.bin)')
      .option('--until <text>', 'stop once this text appears on the serial or debug console')
      .option('--max-insns <n>', 'stop after this many instructions')
      .option('--plugin <spec>', 'a plugin: icount, trace, hotblocks or a module path, with ,key=value arguments (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--debugcon <file>', 'write the 0x402 debug console (SeaBIOS\'s log) to a file (- for standard error)')
      .option('--interpret', 'never compile blocks (tier 1 only)')
      .option('--no-store', "neither take the translations earlier runs of this boot kept nor keep this run's")
      .option('--no-reboot', 'a triple fault stops the run with the CPU state, a reset the guest asks for stops it (default: the machine resets, as QEMU does)')
      .option('--persist', 'let the guest write to its disk images (default: writes go to an in-memory overlay)')
      .option('--kernel <bzImage>', 'boot this Linux kernel directly, as QEMU -kernel (through fw_cfg and QEMU\'s linuxboot_dma.bin)')
      .option('--initrd <file>', 'the initramfs for --kernel')
      .option('--append <cmdline>', 'the kernel command line for --kernel')
      .option('-i, --interactive', 'standard input to the serial console (on a terminal: raw mode, Ctrl-A x quits); guest time follows the wall clock while the guest idles, so the run is not deterministic')
      .option('--monitor <where>', 'a QMP-style monitor (JSON lines): stdio (the console then goes to standard error) or unix:PATH (a socket machc creates)')
      .option('--paused', 'start with the CPUs stopped, as QEMU -S; the monitor\'s cont starts them')
      .option('--json', 'print the summary as JSON on standard output, with what the CPUs translated (translation: blocks, compiles, runs of compiled code, tier-1 instructions)')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/run.js')).runRun(io, file, opts)));
  }

  if (wanted('lspci')) {
    p.command('lspci')
      .description('Boot the machine as far as PCI (firmware played through its config mechanisms, VFs enabled) and list what a guest sees, like lspci.')
      .argument('[file]', 'machine file, - for standard input (default: the built-in q35 default machine)')
      .option('-t, --tree', 'show a tree of buses, bridges and functions (lspci -t)')
      .option('-v, --verbose', 'show BARs, bridge windows, capabilities and SR-IOV details (lspci -v)')
      .option('-n, --numeric', 'show numeric IDs instead of names (lspci -n)')
      .addOption(firmwareOption('the boot replays'))
      .option('--json', 'print every function the guest finds as JSON (IDs, class, BARs, bridge windows, capabilities, VFs)')
      .addOption(qemuOption())
      .option('--no-lockfile', 'ignore an existing lockfile')
      .action(async (file: string | undefined, opts) => setExit(await (await import('./commands/lspci.js')).runLspci(io, file, opts)));
  }

  if (wanted('explain')) {
    p.command('explain')
      .description('Explain a diagnostic code (e.g. machc explain MD1203), or list them all.')
      .argument('[code]', 'diagnostic code')
      .option('--json', 'print the explanation (or the list) as JSON')
      .action(async (code: string | undefined, opts) => setExit(await (await import('./commands/explain.js')).runExplain(io, code, opts)));
  }

  if (wanted('models')) {
    p.command('models')
      .description('List the device models: what each is, its properties with their types, defaults and QEMU names.')
      .argument('[model]', 'one model (default: all)')
      .option('--json', 'print the models as JSON')
      .action(async (model: string | undefined, opts) => setExit(await (await import('./commands/models.js')).runModels(io, model, opts)));
  }

  if (wanted('schema')) {
    p.command('schema')
      .description('Print the JSON Schema of machine files (save it beside yours for the YAML language server), or with --path where machc keeps it.')
      .option('--path', 'print the path of the installed schema file instead')
      .action(async (opts) => setExit(await (await import('./commands/schema.js')).runSchema(io, opts)));
  }

  if (wanted('completion')) {
    p.command('completion')
      .description('Print a shell completion script: eval "$(machc completion bash)", or see the README for zsh and fish.')
      .argument('<shell>', 'bash, zsh or fish')
      .action(async (shell: string) => setExit(await (await import('./commands/completion.js')).runCompletion(io, shell, p)));
  }

  return p;
}

export async function main(args: string[], io: Io = processIo()): Promise<number> {
  let code = EXIT_OK;
  const { argv, qemuArgs } = splitQemuArgs(args);
  const p = program(
    io,
    (c) => {
      code = c;
    },
    qemuArgs,
    onlyCommand(argv),
  );
  try {
    if (argv.length === 0) {
      io.err(p.helpInformation());
      return EXIT_USAGE;
    }
    await p.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      io.err(`machc: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // A bug, not bad input: say so plainly, with enough to file a report.
    const err = e as Error;
    io.err(`machc: internal error: ${err.message}\nThis is a bug in machc; please report it with the input file.\n`);
    if (process.env['MACHC_DEBUG']) io.err(`${err.stack ?? ''}\n`);
    return 70;
  }
}
