// The AML encoder, term by term: each row is the ASL next to the bytes it
// must encode to (ACPI 6.4 §20), written as annotated byte rows.
import { describe, expect, it } from 'vitest';
import {
  Acquire, arg, Binary, Break, Buffer, call, Compare, CreateField, Debug, DerefOf, device, EisaId, encodeNameString, encodePkgLength,
  encodePkgLengthValue, encodeTerms, eq, Field, If, Increment, Index, Int, local, method, Mutex, name, Notify, Ones, OperationRegion,
  Package, ref, Release, ret, scope, store, Str, Uuid, VarPackage, While, ZERO, ONE, type AmlTerm,
} from '../../compiler/emit/acpi/aml.js';
import {
  dwordMemory, ExtendedInterrupt, IoPort, Irq, IrqNoFlags, Memory32Fixed, qwordMemory, ResourceTemplate, wordBusNumber, wordIo,
} from '../../compiler/emit/acpi/resources.js';
import { ByteSink } from '../../compiler/emit/acpi/sink.js';

/** "08 5F 41 44 52 00" -> bytes; '|' separates annotated groups and is ignored. */
function hex(text: string): number[] {
  return text
    .replace(/\|/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((b) => parseInt(b, 16));
}

const bytesOf = (t: AmlTerm): number[] => Array.from(encodeTerms([t]));

describe('integers: the smallest encoding that holds the value (§20.2.3)', () => {
  const cases: [number, string, string][] = [
    [0, 'Zero', '00'],
    [1, 'One', '01'],
    [2, '0x02', '0A 02'],
    [0xff, '0xFF', '0A FF'],
    [0x100, '0x0100', '0B 00 01'],
    [0xffff, '0xFFFF', '0B FF FF'],
    [0x1_0000, '0x00010000', '0C 00 00 01 00'],
    [0xfed0_0000, '0xFED00000', '0C 00 00 D0 FE'],
    [0xffff_ffff, '0xFFFFFFFF', '0C FF FF FF FF'],
    [0x1_0000_0000, '0x0000000100000000', '0E 00 00 00 00 01 00 00 00'],
    [0x8_ffff_ffff, '0x00000008FFFFFFFF', '0E FF FF FF FF 08 00 00 00'],
  ];
  it.each(cases)('%d is %s', (v, asl, bytes) => {
    expect(new Int(v).toAsl()).toBe(asl);
    expect(bytesOf(new Int(v))).toEqual(hex(bytes));
  });
  it('Ones has its own opcode', () => expect(bytesOf(Ones)).toEqual([0xff]));
  it('rejects negative and fractional values', () => {
    expect(() => new Int(-1)).toThrow();
    expect(() => new Int(1.5)).toThrow();
  });
});

describe('PkgLength (§20.2.4): 1 byte up to 63, then 2, 3, 4 bytes', () => {
  // content length -> encoded bytes (the value includes the PkgLength bytes themselves)
  const cases: [number, string][] = [
    [0, '01'],
    [62, '3F'], // 62 + 1 = 63: still one byte
    [63, '41 04'], // 63 + 2 = 65 = 0x041: lead 0x40 | 1, then 0x04
    [64, '42 04'],
    [4093, '4F FF'], // 4093 + 2 = 4095 = 0xFFF: the largest two-byte value
    [4094, '81 00 01'], // 4094 + 3 = 4097 = 0x1001: lead 0x80 | 1, then 0x100
    [4095, '82 00 01'],
    [4096, '83 00 01'],
    [0xf_fffc, '8F FF FF'], // + 3 = 0xFFFFF
    [0xf_fffd, 'C1 00 00 01'], // + 4 = 0x100001
  ];
  it.each(cases)('content of %d bytes', (len, bytes) => {
    const out = new ByteSink();
    encodePkgLength(out, len);
    expect(Array.from(out.toBytes())).toEqual(hex(bytes));
  });
  it('field lengths are plain values (no self length), sized as QEMU sizes them', () => {
    const enc = (v: number) => {
      const out = new ByteSink();
      encodePkgLengthValue(out, v);
      return Array.from(out.toBytes());
    };
    expect(enc(8)).toEqual([0x08]);
    expect(enc(62)).toEqual([0x3e]);
    // QEMU's build_prepend_package_length takes two bytes once value + 1 reaches 64.
    expect(enc(63)).toEqual(hex('4F 03'));
    expect(enc(64)).toEqual(hex('40 04'));
    expect(enc(0x80)).toEqual(hex('40 08'));
  });
});

describe('name strings (§20.2.2)', () => {
  const cases: [string, string][] = [
    ['_ADR', '5F 41 44 52'],
    ['SB', '53 42 5F 5F'], // padded with '_'
    ['\\', '5C 00'], // root, NullName
    ['\\_SB', '5C | 5F 53 42 5F'],
    ['^S80', '5E | 53 38 30 5F'],
    ['^^PCNT', '5E 5E | 50 43 4E 54'],
    ['PCI0.SF8', '2E | 50 43 49 30 | 53 46 38 5F'], // DualNamePrefix
    ['\\_SB.PCI0.PRES', '5C 2F 03 | 5F 53 42 5F | 50 43 49 30 | 50 52 45 53'], // MultiNamePrefix, 3 segments
  ];
  it.each(cases)('%s', (path, bytes) => {
    const out = new ByteSink();
    encodeNameString(out, path);
    expect(Array.from(out.toBytes())).toEqual(hex(bytes));
  });
  it('rejects bad segments', () => {
    expect(() => ref('TOOLONG')).toThrow(/segment/);
    expect(() => ref('1ABC')).toThrow(/segment/);
  });
});

describe('terms: ASL and bytes from one tree', () => {
  const cases: [string, AmlTerm, string, string][] = [
    ['Name', name('_UID', ONE), 'Name (_UID, One)', '08 | 5F 55 49 44 | 01'],
    ['String', new Str('QEMU0002'), '"QEMU0002"', '0D | 51 45 4D 55 30 30 30 32 | 00'],
    ['EISAID', new EisaId('PNP0A08'), 'EisaId ("PNP0A08")', '0C | 41 D0 0A 08'],
    ['EISAID PNP0C0F', new EisaId('PNP0C0F'), 'EisaId ("PNP0C0F")', '0C | 41 D0 0C 0F'],
    ['Store', store(arg(0), ref('\\PICF')), '\\PICF = Arg0', '70 | 68 | 5C 50 49 43 46'],
    ['Or with target', new Binary('Or', ref('CDW1'), new Int(8), ref('CDW1')), 'CDW1 |= 0x08', '7D | 43 44 57 31 | 0A 08 | 43 44 57 31'],
    ['And no target', new Binary('And', new Int(0x80), arg(0)), '(0x80 & Arg0)', '7B | 0A 80 | 68 | 00'],
    ['ShiftLeft', new Binary('ShiftLeft', ONE, arg(1), ref('B0EJ')), 'B0EJ = (One << Arg1)', '79 | 01 | 69 | 42 30 45 4A'],
    ['LEqual', eq(local(0), ZERO), '(Local0 == Zero)', '93 | 60 | 00'],
    ['LNotEqual = LNot LEqual', new Compare('LNotEqual', arg(1), ONE), '(Arg1 != One)', '92 93 | 69 | 01'],
    ['LLessEqual = LNot LGreater', new Compare('LLessEqual', local(1), local(2)), '(Local1 <= Local2)', '92 94 | 61 | 62'],
    ['LAnd', new Compare('LAnd', local(0), local(1)), '(Local0 && Local1)', '90 | 60 | 61'],
    ['Increment', new Increment(local(2)), 'Local2++', '75 62'],
    ['DerefOf Index', new DerefOf(new Index(local(0), local(2))), 'DerefOf (Local0 [Local2])', '83 | 88 60 62 00'],
    ['Notify', new Notify(ref('S00'), arg(1)), 'Notify (S00, Arg1)', '86 | 53 30 30 5F | 69'],
    ['Call', call('PCEJ', ref('BSEL'), ref('_SUN')), 'PCEJ (BSEL, _SUN)', '50 43 45 4A | 42 53 45 4C | 5F 53 55 4E'],
    ['Return', ret(new Int(0x0b)), 'Return (0x0B)', 'A4 | 0A 0B'],
    ['Break', Break, 'Break', 'A5'],
    ['Debug', store(local(3), Debug), 'Debug = Local3', '70 | 63 | 5B 31'],
    ['Mutex', new Mutex('BLCK', 0), 'Mutex (BLCK, 0x00)', '5B 01 | 42 4C 43 4B | 00'],
    ['Acquire', new Acquire('BLCK', 0xffff), 'Acquire (BLCK, 0xFFFF)', '5B 23 | 42 4C 43 4B | FF FF'],
    ['Release', new Release('BLCK'), 'Release (BLCK)', '5B 27 | 42 4C 43 4B'],
    ['CreateDWordField', new CreateField(4, arg(3), ZERO, 'CDW1'), 'CreateDWordField (Arg3, Zero, CDW1)', '8A | 6B | 00 | 43 44 57 31'],
    [
      'OperationRegion',
      new OperationRegion('PCST', 'SystemIO', new Int(0xcc0), new Int(8)),
      'OperationRegion (PCST, SystemIO, 0x0CC0, 0x08)',
      '5B 80 | 50 43 53 54 | 01 | 0B C0 0C | 0A 08',
    ],
    ['Buffer', new Buffer(Uint8Array.of(0, 8, 0, 0, 1, 0, 0, 0)), 'Buffer (0x08)\n{\n    0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00\n}', '11 0B | 0A 08 | 00 08 00 00 01 00 00 00'],
    ['empty Package', new Package([], 0xff), 'Package (0xFF) {}', '12 02 FF'],
    ['Package', new Package([ONE, ONE, ZERO, ZERO]), 'Package (0x04) { One, One, Zero, Zero }', '12 06 04 | 01 01 00 00'],
    ['long Package', new Package(Array<AmlTerm>(9).fill(ONE)), `Package (0x09)\n{\n${Array(9).fill('    One').join(',\n')}\n}`, '12 0B 09 | 01 01 01 01 01 01 01 01 01'],
    ['VarPackage', new VarPackage([ONE], arg(0)), 'Package (Arg0)\n{\n    One\n}', '13 03 | 68 | 01'],
  ];
  it.each(cases)('%s', (_label, term, asl, bytes) => {
    expect(term.toAsl()).toBe(asl);
    expect(bytesOf(term)).toEqual(hex(bytes));
  });

  it('ToUUID lays the GUID out mixed-endian (§19.6.143)', () => {
    const u = new Uuid('33db4d5b-1ff7-401c-9657-7441c03dd766');
    expect(u.toAsl()).toBe('ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766")');
    expect(bytesOf(u)).toEqual(hex('11 13 0A 10 | 5B 4D DB 33 | F7 1F | 1C 40 | 96 57 | 74 41 C0 3D D7 66'));
  });

  it('Method flags: argument count and SerializeFlag (§20.2.5.2)', () => {
    expect(bytesOf(method('_PIC', 1, false, [store(arg(0), ref('PICF'))]))).toEqual(hex('14 0C | 5F 50 49 43 | 01 | 70 68 50 49 43 46'));
    expect(bytesOf(method('CSTA', 1, true, []))).toEqual(hex('14 06 | 43 53 54 41 | 09'));
    expect(method('CSTA', 1, true, []).toAsl()).toBe('Method (CSTA, 1, Serialized)\n{\n}');
  });

  it('Device, Scope and nesting', () => {
    const t = scope('\\_SB', [device('LNKA', [name('_UID', ZERO)])]);
    expect(t.toAsl()).toBe('Scope (\\_SB)\n{\n    Device (LNKA)\n    {\n        Name (_UID, Zero)\n    }\n}');
    expect(bytesOf(t)).toEqual(hex('10 13 | 5C 5F 53 42 5F | 5B 82 0B | 4C 4E 4B 41 | 08 5F 55 49 44 00'));
  });

  it('If / Else / ElseIf (§20.2.5.3)', () => {
    const t = new If(eq(arg(0), ZERO), [ret(ONE)], new If(eq(arg(0), ONE), [ret(ZERO)]));
    expect(t.toAsl()).toBe('If ((Arg0 == Zero))\n{\n    Return (One)\n}\nElseIf ((Arg0 == One))\n{\n    Return (Zero)\n}');
    expect(bytesOf(t)).toEqual(hex('A0 06 | 93 68 00 | A4 01 | A1 08 | A0 06 93 68 01 A4 00'));
  });

  it('While', () => {
    const t = new While(new Compare('LLess', local(2), local(1)), [new Increment(local(2))]);
    expect(bytesOf(t)).toEqual(hex('A2 06 | 95 62 61 | 75 62'));
  });

  it('Field: access flags, Offset () as reserved bits, bit fields (§20.2.5.2)', () => {
    const f = new Field('PRST', 'ByteAcc', false, 'WriteAsZeros', [
      { offset: 4 },
      { name: 'CPEN', bits: 1 },
      { name: 'CINS', bits: 1 },
      { offset: 5 },
      { name: 'CCMD', bits: 8 },
    ]);
    // flags: ByteAcc (1) | WriteAsZeros (2 << 5) = 0x41; Offset (4) = 32 reserved bits; Offset (5) after 2 bits = 6 reserved bits
    expect(bytesOf(f)).toEqual(hex('5B 81 19 | 50 52 53 54 | 41 | 00 20 | 43 50 45 4E 01 | 43 49 4E 53 01 | 00 06 | 43 43 4D 44 08'));
    expect(f.toAsl()).toBe('Field (PRST, ByteAcc, NoLock, WriteAsZeros)\n{\n    Offset (0x04),\n    CPEN,   1,\n    CINS,   1,\n    Offset (0x05),\n    CCMD,   8\n}');
    const locked = new Field('HPTM', 'DWordAcc', true, 'Preserve', [{ name: 'VEND', bits: 32 }]);
    expect(bytesOf(locked).slice(7, 8)).toEqual([0x13]); // DWordAcc (3) | Lock (0x10)
  });
});

describe('resource descriptors (ACPI 6.4 §6.4)', () => {
  const cases: [string, { toBytes(o: ByteSink): void; toAsl(): string }, string][] = [
    ['IO', new IoPort(0x0cf8, 0x0cf8, 1, 8), '47 01 | F8 0C | F8 0C | 01 | 08'],
    ['IRQNoFlags', new IrqNoFlags([12]), '22 | 00 10'],
    ['Memory32Fixed', new Memory32Fixed(0xfed0_0000, 0x400, false), '86 09 00 | 00 | 00 00 D0 FE | 00 04 00 00'],
    ['Interrupt', new ExtendedInterrupt({ consumer: true, edge: false, activeLow: false, shared: true }, [5, 10, 11]), '89 0E 00 | 09 | 03 | 05 00 00 00 | 0A 00 00 00 | 0B 00 00 00'],
    ['WordBusNumber', wordBusNumber(0, 0xff), '88 0D 00 | 02 0C 00 | 00 00 | 00 00 | FF 00 | 00 00 | 00 01'],
    ['WordIO', wordIo(0x0d00, 0xffff), '88 0D 00 | 01 0C 03 | 00 00 | 00 0D | FF FF | 00 00 | 00 F3'],
    ['DWordMemory', dwordMemory(0xa0000, 0xbffff, 'Cacheable'), '87 17 00 | 00 0C 03 | 00 00 00 00 | 00 00 0A 00 | FF FF 0B 00 | 00 00 00 00 | 00 00 02 00'],
    [
      'QWordMemory',
      qwordMemory(0x1_0000_0000, 0x8_ffff_ffff, 'Cacheable'),
      '8A 2B 00 | 00 0C 03 | 00 00 00 00 00 00 00 00 | 00 00 00 00 01 00 00 00 | FF FF FF FF 08 00 00 00 | 00 00 00 00 00 00 00 00 | 00 00 00 00 08 00 00 00',
    ],
  ];
  it.each(cases)('%s', (_l, d, bytes) => {
    const out = new ByteSink();
    d.toBytes(out);
    expect(Array.from(out.toBytes())).toEqual(hex(bytes));
  });

  it('a ResourceTemplate ends with an End Tag of checksum 0 ("valid", what QEMU and iasl write)', () => {
    const t = new ResourceTemplate([new IoPort(0x510, 0x510, 1, 0x0c)]);
    expect(Array.from(t.bytes)).toEqual(hex('47 01 10 05 10 05 01 0C 79 00'));
    expect(t.toAsl()).toBe('ResourceTemplate ()\n{\n    IO (Decode16, 0x0510, 0x0510, 0x01, 0x0C)\n}');
  });

  it('an IRQ descriptor with flags (3 bytes)', () => {
    const t = new ResourceTemplate([new Irq(false, true, true, [4])]);
    expect(Array.from(t.bytes)).toEqual(hex('23 10 00 18 79 00'));
    expect(t.toAsl()).toContain('IRQ (Level, ActiveLow, Shared, ) {4}');
  });

  it('rejects ranges that do not fit the descriptor', () => {
    expect(() => dwordMemory(0, 0x1_0000_0000, 'Cacheable')).toThrow();
    expect(() => new IrqNoFlags([16])).toThrow();
  });
});
