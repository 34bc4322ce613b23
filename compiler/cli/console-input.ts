/**
 * Standard input as the guest's serial console (`machc run -i`). On a
 * terminal, the terminal goes to raw mode (every key, Ctrl-C included, goes
 * to the guest) and, as with QEMU's `-serial mon:stdio`, Ctrl-A starts a
 * command: Ctrl-A x quits, Ctrl-A Ctrl-A sends a Ctrl-A, Ctrl-A h lists them.
 * From a pipe or a file, the bytes go to the guest as they are; the end of
 * the input leaves the machine running.
 */
import type { HostInput } from '../../runtime/machine/interactive.js';
import { waitOrWake } from '../../runtime/machine/wake.js';

const CTRL_A = 0x01;

export class StdinConsole implements HostInput {
  private readonly queue: number[] = [];
  /** Ends the current `wait` early (see wake.ts). */
  wake: (() => void) | undefined = undefined;
  private escape = false;
  private stopped = false;
  private readonly onData = (chunk: Buffer): void => this.accept(chunk);
  private readonly raw: boolean;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly say: (text: string) => void,
  ) {
    this.raw = Boolean(stdin.isTTY);
    if (this.raw) stdin.setRawMode(true);
    stdin.on('data', this.onData);
    stdin.resume();
  }

  get pending(): number {
    return this.queue.length;
  }

  get quit(): boolean {
    return this.stopped;
  }

  take(max: number): number[] {
    return this.queue.splice(0, max);
  }

  wait(ms: number): Promise<void> {
    return waitOrWake(this, ms);
  }

  /** Gives the terminal back and stops reading. */
  close(): void {
    this.stdin.off('data', this.onData);
    if (this.raw) this.stdin.setRawMode(false);
    this.stdin.pause();
  }

  private accept(chunk: Buffer): void {
    for (const b of chunk) {
      if (!this.raw) this.queue.push(b);
      else if (this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) {
          this.stopped = true;
          this.say('\r\nmachc: terminated by Ctrl-A x\r\n');
        } else if (b === CTRL_A) this.queue.push(CTRL_A);
        else if (b === 0x68 /* h */ || b === 0x3f /* ? */) this.say('\r\nC-a x    quit\r\nC-a C-a  send C-a\r\nC-a h    this help\r\n');
      } else if (b === CTRL_A) this.escape = true;
      else this.queue.push(b);
    }
    this.wake?.();
  }
}
