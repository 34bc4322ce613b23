/**
 * The fw_cfg files a stopped QEMU 7.2 offers for a command line, read
 * through its qtest protocol: the directory through the IO port, each file
 * with one fw_cfg DMA transfer into guest RAM and a qtest `b64read`. This is
 * the ground truth for what machc's machine must serve (SMBIOS tables,
 * etc/system-states, bootorder...).
 */
import { spawnSync } from 'node:child_process';

export interface QemuFwCfgFile {
  readonly name: string;
  readonly select: number;
  readonly bytes: Uint8Array;
}

const DMA_DESC = 0x1000;
const DMA_BUF = 0x10_0000;

/** Every fw_cfg file QEMU has for `args` (machine options; run with -nodefaults unless `defaults`). */
export function qemuFwCfgFiles(args: readonly string[], opts: { defaults?: boolean } = {}): QemuFwCfgFile[] {
  const run = (script: string[]): string[] => {
    const r = spawnSync(
      'qemu-system-x86_64',
      ['-display', 'none', '-qtest', 'stdio', '-qtest-log', '/dev/null', '-S', '-no-reboot', ...(opts.defaults ? [] : ['-nodefaults']), ...args],
      { input: `${script.join('\n')}\noutl 0xcf9 0x6\n`, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 2 ** 20 },
    );
    if (r.error) throw r.error;
    return r.stdout.split('\n').filter((l) => l.startsWith('OK') || l.startsWith('FAIL') || l.startsWith('ERR'));
  };
  const countLines = run(['outw 0x510 0x19', 'inb 0x511', 'inb 0x511', 'inb 0x511', 'inb 0x511']);
  const count = countLines.slice(1, 5).reduce((n, l) => n * 256 + parseInt(l.slice(3), 16), 0);
  const dir = run(['outw 0x510 0x19', ...new Array<string>(4 + 64 * count).fill('inb 0x511')])
    .slice(1, 5 + 64 * count)
    .map((l) => parseInt(l.slice(3), 16));
  const entries = Array.from({ length: count }, (_, i) => {
    const e = dir.slice(4 + 64 * i, 4 + 64 * (i + 1));
    const size = ((e[0]! << 24) | (e[1]! << 16) | (e[2]! << 8) | e[3]!) >>> 0;
    const select = (e[4]! << 8) | e[5]!;
    const name = Buffer.from(e.slice(8, e.indexOf(0, 8))).toString('latin1');
    return { name, select, size };
  });
  const script: string[] = [];
  const hex = (n: number) => `0x${n.toString(16)}`;
  const be = (n: number) => hex(((n & 0xff) << 24 | (n & 0xff00) << 8 | (n >>> 8) & 0xff00 | n >>> 24) >>> 0);
  for (const e of entries) {
    if (e.size === 0) continue;
    // FWCfgDmaAccess: control (select + read), length, address (big endian).
    script.push(`writel ${hex(DMA_DESC)} ${be(((e.select << 16) | 0x0a) >>> 0)}`);
    script.push(`writel ${hex(DMA_DESC + 4)} ${be(e.size)}`);
    script.push(`writel ${hex(DMA_DESC + 8)} 0x0`);
    script.push(`writel ${hex(DMA_DESC + 12)} ${be(DMA_BUF)}`);
    script.push('outl 0x514 0x0', `outl 0x518 ${be(DMA_DESC)}`);
    script.push(`b64read ${hex(DMA_BUF)} ${hex(e.size)}`);
  }
  const out = run(script);
  let at = 0;
  return entries.map((e) => {
    if (e.size === 0) return { name: e.name, select: e.select, bytes: new Uint8Array(0) };
    at += 6;
    const line = out[at++]!;
    if (!line.startsWith('OK ')) throw new Error(`QEMU did not read ${e.name}: ${line}`);
    return { name: e.name, select: e.select, bytes: new Uint8Array(Buffer.from(line.slice(3).trim(), 'base64')) };
  });
}
