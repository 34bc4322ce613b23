/**
 * A small code writer: lines, indentation and blank-line rules, nothing
 * else. The machine-module printer (index.ts) writes through it, so the
 * printed code never depends on a formatter.
 */
export class CodeWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  constructor(private readonly unit = '  ') {}

  /** One line at the current indentation (an empty string writes an empty line). */
  line(text: string): this {
    this.lines.push(text === '' ? '' : `${this.unit.repeat(this.depth)}${text}`);
    return this;
  }

  /** An empty line, unless the last line is already empty or nothing was written yet. */
  blank(): this {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  /** Writes `body` one level deeper. */
  indent(body: () => void): this {
    this.depth++;
    try {
      body();
    } finally {
      this.depth--;
    }
    return this;
  }

  /** `open`, the body one level deeper, then `close`. */
  block(open: string, body: () => void, close: string): this {
    this.line(open);
    this.indent(body);
    return this.line(close);
  }

  /** The text written, each line ended by a line feed. */
  toString(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }
}
