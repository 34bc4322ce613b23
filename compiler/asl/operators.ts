/**
 * The ASL operators that are plain AML opcodes with operands (ACPI 6.4
 * §19.6 for the ASL, §20.2.5 for the encoding), as data: each keyword's
 * opcode bytes and the kind of each operand.
 *
 *   T  TermArg (any expression)
 *   S  SuperName (a name, LocalX, ArgX, Debug, or a reference expression)
 *   O  Target: a SuperName or, when left out, NullName
 *   N  NameString of an existing object
 *   B  ByteData constant, W WordData, D DWordData
 *   M  match operator keyword (MTR, MEQ, MLE, MLT, MGE, MGT)
 */
export type OperandKind = 'T' | 'S' | 'O' | 'N' | 'B' | 'W' | 'D' | 'M';

export interface OperatorSpec {
  readonly keyword: string;
  readonly opcode: readonly number[];
  readonly operands: readonly OperandKind[];
  /** Operands that must be written; the rest may be left out (targets become NullName). */
  readonly required: number;
  /** Default for a left-out trailing TermArg (ToString's length, Return's value). */
  readonly defaults?: Readonly<Record<number, 'Ones' | 'Zero'>>;
}

const spec = (keyword: string, opcode: readonly number[], operands: string, required = operands.replace(/O/g, '').length, defaults?: Record<number, 'Ones' | 'Zero'>): OperatorSpec => ({
  keyword, opcode, operands: [...operands] as OperandKind[], required, ...(defaults ? { defaults } : {}),
});

export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(
  [
    spec('Store', [0x70], 'TS'),
    spec('RefOf', [0x71], 'S'),
    spec('Add', [0x72], 'TTO'),
    spec('Concatenate', [0x73], 'TTO'),
    spec('Subtract', [0x74], 'TTO'),
    spec('Increment', [0x75], 'S'),
    spec('Decrement', [0x76], 'S'),
    spec('Multiply', [0x77], 'TTO'),
    spec('Divide', [0x78], 'TTOO'),
    spec('ShiftLeft', [0x79], 'TTO'),
    spec('ShiftRight', [0x7a], 'TTO'),
    spec('And', [0x7b], 'TTO'),
    spec('NAnd', [0x7c], 'TTO'),
    spec('Or', [0x7d], 'TTO'),
    spec('NOr', [0x7e], 'TTO'),
    spec('Xor', [0x7f], 'TTO'),
    spec('Not', [0x80], 'TO'),
    spec('FindSetLeftBit', [0x81], 'TO'),
    spec('FindSetRightBit', [0x82], 'TO'),
    spec('DerefOf', [0x83], 'T'),
    spec('ConcatenateResTemplate', [0x84], 'TTO'),
    spec('Mod', [0x85], 'TTO'),
    spec('Notify', [0x86], 'ST'),
    spec('SizeOf', [0x87], 'S'),
    spec('Index', [0x88], 'TTO'),
    spec('Match', [0x89], 'TMTMTT'),
    spec('ObjectType', [0x8e], 'S'),
    spec('LAnd', [0x90], 'TT'),
    spec('LOr', [0x91], 'TT'),
    spec('LNot', [0x92], 'T'),
    spec('LEqual', [0x93], 'TT'),
    spec('LGreater', [0x94], 'TT'),
    spec('LLess', [0x95], 'TT'),
    spec('LNotEqual', [0x92, 0x93], 'TT'),
    spec('LLessEqual', [0x92, 0x94], 'TT'),
    spec('LGreaterEqual', [0x92, 0x95], 'TT'),
    spec('ToBuffer', [0x96], 'TO'),
    spec('ToDecimalString', [0x97], 'TO'),
    spec('ToHexString', [0x98], 'TO'),
    spec('ToInteger', [0x99], 'TO'),
    spec('ToString', [0x9c], 'TTO', 1, { 1: 'Ones' }),
    spec('CopyObject', [0x9d], 'TS'),
    spec('Mid', [0x9e], 'TTTO'),
    spec('Continue', [0x9f], ''),
    spec('Noop', [0xa3], ''),
    spec('Return', [0xa4], 'T', 0, { 0: 'Zero' }),
    spec('Break', [0xa5], ''),
    spec('BreakPoint', [0xcc], ''),
    spec('Load', [0x5b, 0x20], 'NO'),
    spec('Stall', [0x5b, 0x21], 'T'),
    spec('Sleep', [0x5b, 0x22], 'T'),
    spec('Acquire', [0x5b, 0x23], 'SW'),
    spec('Signal', [0x5b, 0x24], 'S'),
    spec('Wait', [0x5b, 0x25], 'ST'),
    spec('Reset', [0x5b, 0x26], 'S'),
    spec('Release', [0x5b, 0x27], 'S'),
    spec('FromBCD', [0x5b, 0x28], 'TO'),
    spec('ToBCD', [0x5b, 0x29], 'TO'),
    spec('Unload', [0x5b, 0x2a], 'S'),
    spec('Timer', [0x5b, 0x33], ''),
    spec('Fatal', [0x5b, 0x32], 'BDT'),
    spec('CondRefOf', [0x5b, 0x12], 'SO'),
    spec('LoadTable', [0x5b, 0x1f], 'TTTTTT', 3),
  ].map((s) => [s.keyword, s]),
);

/** ASL 2.0 binary operators and the operator each stands for (§19.2.4). */
export const BINARY_KEYWORD: Readonly<Record<string, string>> = {
  '+': 'Add', '-': 'Subtract', '*': 'Multiply', '/': 'Divide', '%': 'Mod', '<<': 'ShiftLeft', '>>': 'ShiftRight',
  '&': 'And', '|': 'Or', '^': 'Xor', '&&': 'LAnd', '||': 'LOr', '==': 'LEqual', '!=': 'LNotEqual',
  '<': 'LLess', '>': 'LGreater', '<=': 'LLessEqual', '>=': 'LGreaterEqual',
};

/** Compound assignments `X op= Y` (X = X op Y, with X as the target). */
export const COMPOUND_KEYWORD: Readonly<Record<string, string>> = {
  '+=': 'Add', '-=': 'Subtract', '*=': 'Multiply', '/=': 'Divide', '%=': 'Mod', '<<=': 'ShiftLeft', '>>=': 'ShiftRight',
  '&=': 'And', '|=': 'Or', '^=': 'Xor',
};

/**
 * Operators whose result `X = Op (...)` writes straight into their own
 * Target instead of a Store (iasl's TrCreateAssignmentOp).
 */
export const TARGET_ASSIGNABLE = new Set([
  'Add', 'Subtract', 'Multiply', 'Divide', 'Mod', 'ShiftLeft', 'ShiftRight', 'And', 'Or', 'Xor', 'Not', 'Index',
]);

const MATCH_OPS: Readonly<Record<string, number>> = { MTR: 0, MEQ: 1, MLE: 2, MLT: 3, MGE: 4, MGT: 5 };
export const matchOp = (k: string): number | undefined => MATCH_OPS[k];

/**
 * Constant folding, as iasl evaluates constant expressions: operators of
 * integers only, computed in the table's integer width. Logical results are
 * Ones (true) or Zero, as the interpreter returns them.
 */
export function fold(keyword: string, a: readonly bigint[], ones: bigint): bigint | undefined {
  const [x = 0n, y = 0n] = a;
  const t = (b: boolean): bigint => (b ? ones : 0n);
  const bits = ones === 0xffff_ffffn ? 32n : 64n;
  switch (keyword) {
    case 'Add': return (x + y) & ones;
    case 'Subtract': return (x - y) & ones;
    case 'Multiply': return (x * y) & ones;
    case 'Divide': return y === 0n ? undefined : x / y;
    case 'Mod': return y === 0n ? undefined : x % y;
    case 'ShiftLeft': return y >= bits ? 0n : (x << y) & ones;
    case 'ShiftRight': return y >= bits ? 0n : x >> y;
    case 'And': return x & y;
    case 'Or': return x | y;
    case 'Xor': return x ^ y;
    case 'NAnd': return ~(x & y) & ones;
    case 'NOr': return ~(x | y) & ones;
    case 'Not': return ~x & ones;
    case 'FindSetLeftBit': return x === 0n ? 0n : BigInt(x.toString(2).length);
    case 'FindSetRightBit': {
      if (x === 0n) return 0n;
      let n = 1n;
      while (((x >> (n - 1n)) & 1n) === 0n) n++;
      return n;
    }
    case 'LAnd': return t(x !== 0n && y !== 0n);
    case 'LOr': return t(x !== 0n || y !== 0n);
    case 'LNot': return t(x === 0n);
    case 'LEqual': return t(x === y);
    case 'LGreater': return t(x > y);
    case 'LLess': return t(x < y);
    case 'LNotEqual': return t(x !== y);
    case 'LLessEqual': return t(x <= y);
    case 'LGreaterEqual': return t(x >= y);
    case 'ToInteger': return x;
    default: return undefined;
  }
}
