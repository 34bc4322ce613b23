/**
 * Arguments to import, each with where it came from, so every diagnostic
 * points at the argument (and the option inside it) it is about.
 *
 * Arguments given on machc's own command line become one line of text named
 * `<arguments>`, separated by spaces, each remembered with its index; a file
 * of arguments (`--file F`) is split into words the way a POSIX shell splits
 * them (single and double quotes, backslash escapes; `#` starts a comment at
 * the start of a word), with no expansions, so a qemu.args file or a command
 * copied from a shell script reads as QEMU would have received it.
 */
import { SourceFile, type Span } from '../source/source-file.js';

export interface Arg {
  /** The argument as QEMU receives it. */
  readonly text: string;
  /** 0-based position in the argument list. */
  readonly index: number;
  /** Where its text starts in `source` (the first character inside any quotes). */
  readonly offset: number;
  /** Length of the argument in `source` (with its quotes). */
  readonly length: number;
  /** Whether `text` is exactly the source text from `offset` (no quotes or escapes), so sub-spans are exact. */
  readonly verbatim: boolean;
  /** How diagnostics name it when it was made from something else (a libvirt element); default 'argument N'. */
  readonly label?: string;
}

export interface ArgList {
  readonly source: SourceFile;
  readonly args: readonly Arg[];
}

export const ARGUMENTS_NAME = '<arguments>';

/** Arguments from machc's command line, as one line of source text. */
export function argsFromArgv(argv: readonly string[]): ArgList {
  const args: Arg[] = [];
  let offset = 0;
  const parts: string[] = [];
  argv.forEach((text, index) => {
    // A line break inside an argument would break the excerpt; it is shown as a space.
    const shown = text.replace(/[\r\n]/g, ' ');
    args.push({ text, index, offset, length: shown.length, verbatim: shown === text });
    parts.push(shown);
    offset += shown.length + 1;
  });
  return { source: new SourceFile(ARGUMENTS_NAME, parts.join(' ')), args };
}

/** Arguments from a file, split into words as a shell would (without expansions); `problem` reports an unclosed quote. */
export function argsFromText(path: string, text: string, problem: (span: Span, detail: string) => void): ArgList {
  const source = new SourceFile(path, text);
  const args: Arg[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      // A line continuation separates words like a space.
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    let word = '';
    let verbatim = true;
    while (i < n && !/[ \t\r\n]/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === "'" || ch === '"') {
        verbatim = false;
        const close = text.indexOf(ch, i + 1);
        if (close < 0) {
          problem(source.span(i, 1), `this ${ch === "'" ? 'single' : 'double'} quote is never closed`);
          word += text.slice(i + 1);
          i = n;
          break;
        }
        const inner = text.slice(i + 1, close);
        word += ch === '"' ? inner.replace(/\\([$`"\\\n])/g, '$1') : inner;
        i = close + 1;
      } else if (ch === '\\' && i + 1 < n) {
        verbatim = false;
        if (text[i + 1] !== '\n') word += text[i + 1];
        i += 2;
      } else {
        word += ch;
        i++;
      }
    }
    args.push({ text: word, index: args.length, offset: start, length: i - start, verbatim });
  }
  return { source, args };
}

/** The span of a whole argument. */
export function argSpan(list: ArgList, arg: Arg): Span {
  return list.source.span(arg.offset, arg.length);
}

/** The span of `length` characters at `at` inside an argument's text, or the whole argument when its text was quoted. */
export function subSpan(list: ArgList, arg: Arg, at: number, length: number): Span {
  return arg.verbatim ? list.source.span(arg.offset + at, length) : argSpan(list, arg);
}
