/**
 * v86 (the npm package) in Node, as the benchmarks run it: a firmware image as its BIOS, the
 * debug console on port 0x402 (reading back 0xE9, which SeaBIOS checks before it logs) and
 * QEMU's isa-debug-exit on 0xf4, hooked into v86's port IO.
 */
import { createRequire } from 'node:module';
import { V86 } from 'v86';

const require = createRequire(import.meta.url);

export interface V86Run {
  /** From the emulator's start to the stop (exit port or text). */
  readonly runMs: number;
  /** From creating the emulator (its WebAssembly included) to the stop. */
  readonly totalMs: number;
  readonly debugcon: string;
  readonly exitCode?: number;
  readonly error?: string;
}

export interface V86Options {
  readonly memoryMiB?: number;
  /** Stop when this text is on the debug console. */
  readonly until?: string;
  readonly timeoutMs?: number;
}

/** Internal v86 objects the port hooks need (not in its typings). */
interface V86Internals {
  v86: { cpu: { io: { register_read(port: number, dev: object, r8: () => number): void; register_write(port: number, dev: object, w8: (v: number) => void): void } } };
}

export function runOnV86(image: Uint8Array, opts: V86Options = {}): Promise<V86Run> {
  const bios = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer;
  return new Promise((resolve) => {
    const t0 = performance.now();
    let t1 = t0;
    let text = '';
    let done = false;
    const emulator = new V86({
      wasm_path: require.resolve('v86/build/v86.wasm'),
      bios: { buffer: bios },
      memory_size: (opts.memoryMiB ?? 128) * 2 ** 20,
      autostart: false,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
    });
    const finish = (r: Omit<V86Run, 'runMs' | 'totalMs' | 'debugcon'>): void => {
      if (done) return;
      done = true;
      const now = performance.now();
      clearTimeout(timer);
      void emulator.destroy();
      resolve({ runMs: now - t1, totalMs: now - t0, debugcon: text, ...r });
    };
    const timer = setTimeout(() => finish({ error: `no exit within ${opts.timeoutMs ?? 600_000} ms` }), opts.timeoutMs ?? 600_000);
    emulator.add_listener('emulator-loaded', () => {
      const io = (emulator as unknown as V86Internals).v86.cpu.io;
      io.register_read(0x402, {}, () => 0xe9);
      io.register_write(0x402, {}, (b) => {
        text += String.fromCharCode(b);
        if (opts.until !== undefined && text.endsWith(opts.until)) finish({});
      });
      io.register_write(0xf4, {}, (v) => finish({ exitCode: v & 0x7f }));
      t1 = performance.now();
      void emulator.run();
    });
  });
}
