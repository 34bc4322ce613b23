/**
 * `machc completion bash|zsh|fish`: a completion script for the shell,
 * generated from the command definitions themselves (commands, options,
 * option values), so it cannot fall behind them. Diagnostic codes complete
 * after `explain`, model names after `models`, machine files (*.yaml)
 * elsewhere.
 */
import type { Command, Option } from 'commander';
import { allEntries } from '../../diagnostics/catalog.js';
import { DEVICE_MODELS } from '../../schema/validate.js';
import type { Io } from '../io.js';
import { UsageError } from '../main.js';

interface OptionSpec {
  readonly long: string | undefined;
  readonly short: string | undefined;
  readonly description: string;
  /** Takes a value (`-o DIR`, `--format F`). */
  readonly takesValue: boolean;
  /** The values it takes, when they are a fixed list. */
  readonly choices: readonly string[] | undefined;
}

interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** What its arguments are: machine files, diagnostic codes, model names, shells. */
  readonly args: 'files' | 'words';
  readonly words: readonly string[];
}

function optionSpec(o: Option): OptionSpec {
  return {
    long: o.long,
    short: o.short,
    description: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices,
  };
}

const ARG_WORDS: Readonly<Record<string, () => readonly string[]>> = {
  explain: () => allEntries().map((e) => e.code),
  models: () => DEVICE_MODELS,
  completion: () => ['bash', 'zsh', 'fish'],
};

function specs(program: Command): { global: OptionSpec[]; commands: CommandSpec[] } {
  const help: OptionSpec = { long: '--help', short: '-h', description: 'display help', takesValue: false, choices: undefined };
  const commands = program.commands.map((c) => {
    const words = ARG_WORDS[c.name()]?.() ?? [];
    return { name: c.name(), description: c.description(), options: [...c.options.map(optionSpec), help], args: ARG_WORDS[c.name()] ? ('words' as const) : ('files' as const), words };
  });
  return { global: [...program.options.map(optionSpec), help], commands };
}

const flags = (o: OptionSpec) => [o.long, o.short].filter((f): f is string => f !== undefined);
/** Single-quoted for sh, bash and zsh (no escapes inside: a quote closes, is escaped, reopens). */
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Single-quoted for fish, which reads \\ and \' inside single quotes. */
const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function bash(program: Command): string {
  const { global, commands } = specs(program);
  const valued = [...global, ...commands.flatMap((c) => c.options)].filter((o) => o.takesValue).flatMap(flags);
  const lines = [
    '# machc completion for bash. Load it with: eval "$(machc completion bash)"',
    '_machc() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case ${COMP_WORDS[i]} in',
    `      ${[...new Set(valued)].join('|')}) ((i++)) ;;`,
    '      -*) ;;',
    '      *) cmd=${COMP_WORDS[i]}; break ;;',
    '    esac',
    '  done',
    '  local words="" files=1',
    '  case "$cmd:$prev" in',
  ];
  for (const o of global.filter((x) => x.choices)) lines.push(`    *:${o.long}) COMPREPLY=($(compgen -W ${shq(o.choices!.join(' '))} -- "$cur")); return ;;`);
  for (const c of commands) for (const o of c.options.filter((x) => x.choices)) for (const f of flags(o)) lines.push(`    ${c.name}:${f}) COMPREPLY=($(compgen -W ${shq(o.choices!.join(' '))} -- "$cur")); return ;;`);
  for (const c of commands) {
    const valuedHere = c.options.filter((o) => o.takesValue && !o.choices).flatMap(flags);
    if (valuedHere.length) lines.push(`    ${c.name}:${valuedHere.join(`|${c.name}:`)}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`);
  }
  lines.push('  esac', '  case $cmd in');
  lines.push(`    "") words=${shq([...commands.map((c) => c.name), ...global.flatMap(flags)].join(' '))}; files=0 ;;`);
  for (const c of commands) {
    const opts = c.options.flatMap(flags).join(' ');
    lines.push(`    ${c.name}) words=${shq(c.args === 'words' ? `${opts} ${c.words.join(' ')}` : opts)}${c.args === 'words' ? '; files=0' : ''} ;;`);
  }
  lines.push(
    '  esac',
    '  if [[ $cur == -* || $files == 0 ]]; then',
    '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '  else',
    '    compopt -o filenames 2>/dev/null',
    "    COMPREPLY=($(compgen -f -X '!*.yaml' -- \"$cur\") $(compgen -f -X '!*.yml' -- \"$cur\") $(compgen -d -- \"$cur\"))",
    '  fi',
    '}',
    'complete -F _machc machc',
    '',
  );
  return lines.join('\n');
}

function zshSpec(o: OptionSpec): string[] {
  const desc = o.description.replace(/[[\]:\\]/g, (c) => `\\${c}`);
  const value = o.takesValue ? (o.choices ? `:value:(${o.choices.join(' ')})` : ':file:_files') : '';
  const names = flags(o);
  // zsh expands {-o,--output} (outside the quotes) into the two spellings of one option.
  if (names.length === 2) return [`'(${names.join(' ')})'{${names.join(',')}}${shq(`[${desc}]${value}`)}`];
  return names.map((n) => shq(`${n}[${desc}]${value}`));
}

function zsh(program: Command): string {
  const { global, commands } = specs(program);
  const lines = [
    '#compdef machc',
    '# machc completion for zsh. Load it with: eval "$(machc completion zsh)", or save it as _machc in a folder of $fpath.',
    '_machc() {',
    '  local -a commands',
    `  commands=(${commands.map((c) => shq(`${c.name}:${c.description.replace(/:/g, '\\:')}`)).join(' ')})`,
    '  local curcontext=$curcontext state line',
    '  _arguments -C \\',
    ...global.filter((o) => o.long !== '--help').flatMap(zshSpec).map((s) => `    ${s} \\`),
    "    '1:command:->command' \\",
    "    '*::arg:->args'",
    '  case $state in',
    '    command) _describe -t commands command commands ;;',
    '    args)',
    '      case $line[1] in',
  ];
  for (const c of commands) {
    const args = c.args === 'words' ? `'*:value:(${c.words.join(' ')})'` : "'*:machine file:_files -g \"*.(yaml|yml)\"'";
    lines.push(`        ${c.name}) _arguments ${[...c.options.flatMap(zshSpec), args].join(' ')} ;;`);
  }
  lines.push('      esac ;;', '  esac', '}', 'if (( $+functions[compdef] )); then compdef _machc machc; else _machc "$@"; fi', '');
  return lines.join('\n');
}

function fish(program: Command): string {
  const { global, commands } = specs(program);
  const names = commands.map((c) => c.name).join(' ');
  const opt = (o: OptionSpec, cond: string) => {
    const parts = ['complete -c machc', `-n ${fq(cond)}`];
    if (o.long) parts.push(`-l ${o.long.slice(2)}`);
    if (o.short) parts.push(`-s ${o.short.slice(1)}`);
    if (o.takesValue) parts.push(o.choices ? `-x -a ${fq(o.choices.join(' '))}` : '-r -F');
    parts.push(`-d ${fq(o.description)}`);
    return parts.join(' ');
  };
  const lines = ['# machc completion for fish. Load it with: machc completion fish | source (or save it in ~/.config/fish/completions/machc.fish)', 'complete -c machc -e', 'complete -c machc -f'];
  for (const o of global) lines.push(opt(o, 'true'));
  for (const c of commands) lines.push(`complete -c machc -n ${fq(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${fq(c.description)}`);
  for (const c of commands) {
    const seen = `__fish_seen_subcommand_from ${c.name}`;
    for (const o of c.options) lines.push(opt(o, seen));
    if (c.args === 'words') lines.push(`complete -c machc -n ${fq(seen)} -a ${fq(c.words.join(' '))}`);
    else lines.push(`complete -c machc -n ${fq(seen)} -k -a ${fq('(__fish_complete_suffix .yaml; __fish_complete_suffix .yml)')}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runCompletion(io: Io, shell: string, program: Command): Promise<number> {
  const make = { bash, zsh, fish }[shell as 'bash' | 'zsh' | 'fish'];
  if (!make) throw new UsageError(`completion: no shell '${shell}'; machc completes in bash, zsh and fish`);
  io.out(make(program));
  return 0;
}
