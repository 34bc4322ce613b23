/**
 * The decoder against GNU objdump on real machine code nobody here wrote:
 * every instruction of Debian's static busybox (64-bit) and of the 32-bit
 * C library (gcc-multilib's /usr/lib32/libc.a). For each instruction
 * objdump decodes, machc's decoder must find the same length and the same
 * operation (mnemonics compared through a small alias table: machc names
 * store forms and immediate shifts apart, prints x87 escapes as `fpu`, and
 * decodes what qemu64 lacks as its fallback, e.g. TZCNT as BSF); the only
 * instructions it may leave undecoded are those of ISA extensions the
 * emulated CPU does not advertise (AVX, AVX-512, SSSE3, SSE4, BMI, TSX...).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, Insn, type CodeMode } from '../../runtime/cpu/decode.js';
import { disassemble } from '../../runtime/cpu/disasm.js';
import { inCi, needTools } from '../support/tools.js';

/** Extensions qemu64 does not have: instructions from them decode to #UD. */
const UNSUPPORTED = /^(v[a-z]|k[a-z]+[bwdq]$|kortest|ktest|kunpck|palignr|pshufb|pmaddubsw|pmulhrsw|psign|pabs|phadd|phsub|pcmp[ei]str|ptest|pminu[dw]|pmaxu[dw]|pmins[bd]|pmaxs[bd]|pmovzx|pmovsx|pblend|pextr[bdq]|pinsr[bdq]|round|blend|dpp[sd]|insertps|extractps|pmulld|pmuldq|packusdw|pcmpeqq|pcmpgtq|movntdqa|crc32|popcnt|lzcnt|movbe|andn|bextr|blsi|blsmsk|blsr|bzhi|[sm]ulx|pdep|pext|rorx|sarx|shlx|shrx|adcx|adox|xtest|xbegin|xend|xabort|xgetbv|xsetbv|xsave|xrstor|rdrand|rdseed|rdtscp|rdpid|clwb|clflushopt|incssp|rdssp|wrss|setssbsy|saveprevssp|rstorssp|endbr|fxsave64|fxrstor64|aes|pclmul|sha|gf2p8|mwait|monitor|lddqu|addsub|hadd|hsub|movddup|movs[hl]dup|fisttp|prefetchw|rdpkru|wrpkru)/;

const ALIASES: Record<string, string> = {
  xchg: 'nop',
  movabs: 'mov',
  movdqa: 'movaps',
  movntps: 'movaps',
  movntdq: 'movaps',
  movntpd: 'movaps',
  movapd: 'movaps',
  movhlps: 'movlps',
  movlhps: 'movhps',
  movlpd: 'movlps',
  movhpd: 'movhps',
  xorps: 'pxor',
  xorpd: 'pxor',
  andps: 'pand',
  andpd: 'pand',
  orps: 'por',
  orpd: 'por',
  andnps: 'pandn',
  andnpd: 'pandn',
  tzcnt: 'bsf',
  lzcnt: 'bsr',
  endbr64: 'nop',
  endbr32: 'nop',
  // CET shadow-stack instructions are hint NOPs on a CPU without CET.
  rdsspq: 'nop',
  rdsspd: 'nop',
  incsspq: 'nop',
  incsspd: 'nop',
  jecxz: 'jcxz',
  jrcxz: 'jcxz',
  pause: 'nop',
  sfence: 'nop',
  lfence: 'nop',
  mfence: 'nop',
  stos: 'stos',
  movs: 'movs',
  cmps: 'cmps',
  scas: 'scas',
  lods: 'lods',
  movq: 'movd',
};

const PREFIXES = /^(lock|rep|repz|repnz|repe|repne|bnd|notrack|data16|cs|ds|ss|es|fs|gs|addr32)\s+/;

function normalize(m: string, x87: boolean): string {
  let s = m.replace(/_(st|i)$/, '');
  if (/^(movs|stos|lods|cmps|scas|ins|outs)[bwdq]$/.test(s)) s = s.slice(0, -1);
  if (x87 && s === 'fpu') return 'fpu';
  if (s.startsWith('prefetch') || s === 'clflush' || s.startsWith('nop')) return 'nop';
  return ALIASES[s] ?? s;
}

function compareWithObjdump(file: string, mode: CodeMode): { compared: number; lengths: string[]; ops: string[]; undecoded: string[] } {
  const out = execFileSync('objdump', ['-d', '-w', '-M', 'intel', file], { maxBuffer: 1 << 30 }).toString();
  const lengths: string[] = [];
  const ops: string[] = [];
  const undecoded: string[] = [];
  let compared = 0;
  const buf = new Array<number>(32).fill(0);
  for (const line of out.split('\n')) {
    const m = /^\s+[0-9a-f]+:\t((?:[0-9a-f]{2} )+)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const hex = m[1]!.trim();
    const text = m[2]!.replace(/\s+#.*$/, '').trim();
    if (text.startsWith('(bad)') || text.includes('.byte')) continue;
    const bytes = hex.split(' ').map((h) => parseInt(h, 16));
    for (let n = 0; n < 32; n++) buf[n] = bytes[n] ?? 0;
    const i = new Insn();
    decode(i, (o) => buf[o] ?? -1, 0, mode);
    const theirs = text.replace(PREFIXES, '').replace(PREFIXES, '').split(/\s+/)[0]!;
    if (i.entry.mnemonic === 'ud') {
      if (!UNSUPPORTED.test(theirs) && theirs !== 'ud2') undecoded.push(`${hex} | ${text}`);
      continue;
    }
    compared++;
    if (i.len !== bytes.length) lengths.push(`${hex} | ${text} | ours: ${i.len} bytes, ${disassemble(i)}`);
    const ours = disassemble(i).replace(/^(lock|rep|repe|repne) /, '').split(' ')[0]!;
    const x87 = theirs.startsWith('f') && !/^fx(save|rstor)/.test(theirs);
    if (normalize(ours, x87) !== normalize(theirs, x87) && !(x87 && ours === 'fpu') && !(ours === 'fwait' && theirs === 'fwait'))
      ops.push(`${hex} | ${text} | ours: ${disassemble(i)}`);
  }
  return { compared, lengths, ops, undecoded };
}

const haveObjdump = needTools('objdump');

describe.runIf(haveObjdump)('decoder against objdump on real code', () => {
  const cases: [string, string, CodeMode][] = [
    ['64-bit: Debian static busybox', '/bin/busybox', 64],
    ['32-bit: the i386 C library', '/usr/lib32/libc.a', 32],
  ];
  for (const [name, file, mode] of cases) {
    it.runIf(existsSync(file) || inCi())(`${name} (${file}): same lengths and operations`, () => {
      const r = compareWithObjdump(file, mode);
      expect(r.compared).toBeGreaterThan(300_000);
      expect(r.lengths.slice(0, 10)).toEqual([]);
      expect(r.undecoded.slice(0, 10)).toEqual([]);
      expect(r.ops.slice(0, 10)).toEqual([]);
    }, 120_000);
  }
});
