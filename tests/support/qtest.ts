/**
 * Differential tests of platform devices against QEMU 7.2 through its qtest
 * protocol: the same script of port and memory accesses runs on a stopped
 * QEMU (`-qtest stdio -S`, no CPU running, virtual time frozen) and on our
 * machine, and the values read must be equal.
 *
 * A script is qtest's own command language, one command per line:
 *   outb|outw|outl PORT VALUE     inb|inw|inl PORT
 *   writeb|writew|writel|writeq ADDR VALUE     readb|readw|readl|readq ADDR
 * Numbers in hex (0x...) or decimal. `# ...` lines are comments.
 * QEMU runs with -no-reboot and the script ends with a reset through 0xcf9,
 * which makes it exit at once.
 */
import { spawnSync } from 'node:child_process';

export interface QtestTarget {
  io: { read(port: number, width: 1 | 2 | 4): number; write(port: number, width: 1 | 2 | 4, value: number): void };
  memory: { read(addr: number, width: 1 | 2 | 4): number; write(addr: number, width: 1 | 2 | 4, value: number): void };
}

export interface Command {
  readonly op: string;
  readonly args: readonly number[];
  readonly line: number;
  readonly text: string;
}

const WIDTH: Record<string, 1 | 2 | 4 | 8> = { b: 1, w: 2, l: 4, q: 8 };

export function parseScript(script: string): Command[] {
  const out: Command[] = [];
  script.split('\n').forEach((raw, i) => {
    const text = raw.replace(/#.*/, '').trim();
    if (!text) return;
    const [op, ...rest] = text.split(/\s+/);
    if (!/^(in|out|read|write)[bwlq]$/.test(op!)) throw new Error(`line ${i + 1}: unknown qtest command ${op}`);
    out.push({ op: op!, args: rest.map((a) => Number(a)), line: i + 1, text });
  });
  return out;
}

/** The values the script's reads return, in order (each labelled with its command). */
export type Results = string[];

/** Runs the script on QEMU 7.2 with `args` (machine options); the reads' results. */
export function runOnQemu(args: readonly string[], script: string): Results {
  const cmds = parseScript(script);
  const input = `${cmds.map((c) => c.text).join('\n')}\noutl 0xcf9 0x6\n`;
  const r = spawnSync(
    'qemu-system-x86_64',
    ['-display', 'none', '-qtest', 'stdio', '-qtest-log', '/dev/null', '-S', '-no-reboot', '-nodefaults', ...args],
    { input, encoding: 'utf8', timeout: 30_000 },
  );
  if (r.error) throw r.error;
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('OK') || l.startsWith('FAIL') || l.startsWith('ERR'));
  if (lines.length < cmds.length) throw new Error(`QEMU answered ${lines.length} of ${cmds.length} commands\n${r.stderr}`);
  const out: Results = [];
  cmds.forEach((c, i) => {
    const l = lines[i]!;
    if (!l.startsWith('OK')) throw new Error(`QEMU refused line ${c.line} (${c.text}): ${l}`);
    if (c.op.startsWith('in') || c.op.startsWith('read')) {
      const width = WIDTH[c.op.at(-1)!]!;
      out.push(`${c.text} = ${hexValue(BigInt(l.slice(3).trim()), width)}`);
    }
  });
  return out;
}

/** Runs the script on our machine; the reads' results in the same form as runOnQemu. */
export function runOnMachine(m: QtestTarget, script: string): Results {
  const out: Results = [];
  for (const c of parseScript(script)) {
    const width = WIDTH[c.op.at(-1)!]!;
    const [a, v] = c.args as [number, number];
    if (c.op.startsWith('out')) m.io.write(a, width as 1 | 2 | 4, v);
    else if (c.op.startsWith('in')) out.push(`${c.text} = ${hexValue(BigInt(m.io.read(a, width as 1 | 2 | 4)), width)}`);
    else if (c.op.startsWith('write')) {
      if (width === 8) {
        m.memory.write(a, 4, Number(BigInt(v) & 0xffff_ffffn));
        m.memory.write(a + 4, 4, Number(BigInt(v) >> 32n));
      } else m.memory.write(a, width, v);
    } else {
      const value = width === 8 ? BigInt(m.memory.read(a, 4)) | (BigInt(m.memory.read(a + 4, 4)) << 32n) : BigInt(m.memory.read(a, width));
      out.push(`${c.text} = ${hexValue(value, width)}`);
    }
  }
  return out;
}

function hexValue(v: bigint, width: number): string {
  return `0x${(v & ((1n << BigInt(8 * width)) - 1n)).toString(16).padStart(2 * width, '0')}`;
}
