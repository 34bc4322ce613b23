/**
 * The predefined names iasl checks at compile time (ACPI 6.4 §5.6.8 and the
 * object chapters that define each name): which must be control methods and
 * with how many arguments, and what object types their value may be. iasl
 * reports a `Name` of a predefined name whose value has another type, and a
 * literal `Return` of another type inside its method, as error 6105; a `Name`
 * of a name that must be a method (it takes arguments, or returns nothing) as
 * error 6103; so does machc. The table was read off iasl's verdicts for each
 * name and type (tests/asl/predefined.test.ts asks iasl again for every
 * entry); names outside it are not checked, nor the elements of packages.
 *
 * Types: I Integer, S String, B Buffer, P Package, R a reference (a name);
 * `*` any object, `-` nothing (a method without a return value).
 */
import type { AmlTerm } from '../emit/acpi/aml.js';
import { ByteSink } from '../emit/acpi/sink.js';

export type PredefinedType = 'I' | 'S' | 'B' | 'P' | 'R';

export interface Predefined {
  /** Arguments the method takes (0 for a name that may be data). */
  readonly args: number;
  /** The object types a value may have; undefined: any; empty: none (a method that returns nothing). */
  readonly types: readonly PredefinedType[] | undefined;
}

/** `types args: names`, one line per group. */
const TABLE = `
* 4: _DSM
- 0: _DIS _INI _IRC _OFF _ON_ _PS0 _PS1 _PS2 _PS3 _RST
- 1: _BCM _BFS _BMC _BTH _BTP _DOS _DSS _DTI _EJ0 _EJ1 _EJ2 _EJ3 _EJ4 _EVT _FDM _FSL _GTS _LCK _MSG _PDC _PIC _PSE _PSW _PTS _SCP _SDD _SRS _SST _TPT
- 2: _REG
- 3: _BLT _DSW _OST _STM
B 0: _AEI _CRS _DMA _FDE _FIT _GRT _GTF _GTM _HMA _MAT _NBS _NCH _NIC _NIG _PRS _SLI _STR
B 1: _NIH
B 2: _ROM
B 4: _OSC
I 0: _AC0 _AC1 _AC2 _AC3 _AC4 _AC5 _AC6 _AC7 _AC8 _AC9 _ADR _ALC _ALI _ALP _ALT _BBN _BDN _BQC _CBA _CCA _CDM _CR3 _CRT _DCS _DGS _EC_ _GAI _GCP _GHL _GLK _GPD _GPE _GSB _HOT _HRV _IFT _LID _MTL _NTT _PDL _PMM _PPC _PPE _PSC _PSR _PSV _PXM _REV _RMV _RTV _S0W _S1D _S1W _S2D _S2W _S3D _S3W _S4D _S4W _SBS _SEG _SRV _STA _SUN _SWS _TC1 _TC2 _TDL _TFP _TMP _TPC _TSP _TST _TZP _UPD _UPP _VPO _WPC _WPP
I 1: _BCT _BMA _BMS _BTM _CWS _DCK _GWS _PAI _SHL _SPD _SRT _TIP _TIV
I 2: _PTP _STP _STV
I 3: _ERR _LSW
I 4: _MSM
IB 1: _DDC
IP 1: _WAK
IS 0: _HID _UID
ISP 0: _CID
P 0: _AL0 _AL1 _AL2 _AL3 _AL4 _AL5 _AL6 _AL7 _AL8 _AL9 _ALR _ART _BCL _BIF _BIX _BMD _BST _CLS _CPC _CSD _CST _DEP _DLM _DOD _DSD _EDL _FDI _FIF _FIX _FPS _FST _HPP _HPX _LPI _LSI _MBM _MLS _PCL _PCT _PIF _PLD _PMC _PMD _PR0 _PR1 _PR2 _PR3 _PRE _PRL _PRR _PRT _PRW _PSD _PSL _PSS _PTC _PUR _RDI _S0_ _S1_ _S2_ _S3_ _S4_ _S5_ _SBA _SBI _TRT _TSD _TSS _TZD _UPC
P 2: _LSR
P 3: _SBR
P 4: _SBT
P 5: _SBW
R 0: _TSN _TZM
S 0: _DDN _EJD _OS_ _SUB
`;

export const PREDEFINED: ReadonlyMap<string, Predefined> = new Map(
  TABLE.trim().split('\n').flatMap((line) => {
    const [head, names] = line.split(': ') as [string, string];
    const [types, args] = head.split(' ') as [string, string];
    const entry: Predefined = { args: Number(args), types: types === '*' ? undefined : types === '-' ? [] : ([...types] as PredefinedType[]) };
    return names.split(' ').map((n) => [n, entry] as const);
  }),
);

/** General-purpose events and embedded controller queries (_Lxx, _Exx, _Wxx, _Qxx): methods without arguments. */
const EVENT = /^_[LEWQ][0-9A-F]{2}$/;

/** What iasl requires of a predefined name, or undefined for any other name. */
export function predefined(seg: string): Predefined | undefined {
  return PREDEFINED.get(seg) ?? (EVENT.test(seg) ? { args: 0, types: [] } : undefined);
}

/** A name declared with `Name` must instead be a method (iasl's error 6103): why, or undefined. */
export function mustBeMethod(p: Predefined): string | undefined {
  if (p.args > 0) return `with ${p.args} argument${p.args === 1 ? '' : 's'}`;
  if (p.types?.length === 0) return 'with no arguments';
  return undefined;
}

export const TYPE_NAMES: Readonly<Record<PredefinedType, string>> = { I: 'Integer', S: 'String', B: 'Buffer', P: 'Package', R: 'reference' };

/**
 * The type of a compiled value as iasl sees it after constant folding: an
 * integer, string, buffer or package by its opcode (EisaId, ToUUID,
 * ResourceTemplate and folded expressions included), a name as a reference;
 * anything else (an expression, LocalX, ArgX, a call) is undefined.
 */
export function literalType(term: AmlTerm): PredefinedType | undefined {
  const out = new ByteSink(64);
  term.toAml(out);
  const op = out.toBytes()[0];
  if (op === undefined) return undefined;
  if (op === 0x00 || op === 0x01 || op === 0xff || op === 0x0a || op === 0x0b || op === 0x0c || op === 0x0e) return 'I';
  if (op === 0x0d) return 'S';
  if (op === 0x11) return 'B';
  if (op === 0x12 || op === 0x13) return 'P';
  // NameString: a lead character, a root or parent prefix, or a dual/multi name prefix (§20.2.2).
  if (op === 0x5c || op === 0x5e || op === 0x2e || op === 0x2f || op === 0x5f || (op >= 0x41 && op <= 0x5a)) return 'R';
  return undefined;
}

/**
 * iasl's checks of a device's identification strings (ACPI 6.4 §6.1.5, §6.1.2):
 * neither _HID nor _CID may be empty or start with `*`; a _HID string must be
 * a PNP ID (three upper-case letters and four hexadecimal digits, "PNP0A03")
 * or an ACPI ID (four upper-case letters or digits and four hexadecimal
 * digits, "ACPI0007"). What is wrong with `value`, or undefined.
 */
export function badDeviceId(seg: '_HID' | '_CID', value: string): string | undefined {
  if (value === '') return `${seg} is an empty string`;
  if (value.startsWith('*')) return `${seg} '${value}' starts with '*'`;
  if (seg === '_CID') return undefined;
  if (!/^[A-Za-z0-9]*$/.test(value)) return `_HID '${value}' may hold only letters and digits`;
  if (value.length !== 7 && value.length !== 8) return `_HID '${value}' must be a PNP ID of 7 characters ("PNP0A03") or an ACPI ID of 8 ("ACPI0007")`;
  if (value.length === 7 && !/^[A-Z]{3}/.test(value)) return `_HID '${value}' is a PNP ID, which starts with three upper-case letters`;
  if (value.length === 8 && !/^[A-Z0-9]{4}/.test(value)) return `_HID '${value}' is an ACPI ID, which starts with four upper-case letters or digits`;
  if (!/[0-9A-Fa-f]{4}$/.test(value)) return `_HID '${value}' must end in four hexadecimal digits`;
  return undefined;
}
