/**
 * What `machc diff` finds between two resolved machines: data only, JSON-
 * serialisable, in a stable order. compare.ts builds it; render-*.ts print it.
 *
 * Two kinds of change are kept apart on purpose:
 *  - changes written in the file (a property's text differs), listed under
 *    the device or machine section they belong to;
 *  - consequences: what moved or changed although nobody edited it (bus
 *    renumbering, shifted BDFs, guest device names, default MACs, interrupt
 *    routes, windows, budgets). These are what a reviewer misses in a YAML diff.
 */

/** A position in a machine file (1-based line). */
export interface Loc {
  readonly file: string;
  readonly line: number;
}

/** Where an entry is on each side; a side is absent when the thing does not exist there. */
export interface Where {
  readonly old?: Loc;
  readonly new?: Loc;
}

/** One value that differs. `undefined` means the property is absent on that side. */
export interface ValueChange {
  /** Property path as a reviewer reads it: 'mac', 'sriov.vfs', 'memory.size', 'bdf', 'intx'. */
  readonly property: string;
  readonly old: string | undefined;
  readonly new: string | undefined;
  readonly at: Where;
}

export type DeviceStatus = 'added' | 'removed' | 'moved' | 'changed';

/** A device (or built-in function) whose file entry was added, removed or edited. */
export interface DeviceDiff {
  readonly id: string;
  readonly model: string;
  readonly status: DeviceStatus;
  /** BDF on each side ('ahci port N' for SATA drives; absent for devices without an address). */
  readonly address: { readonly old?: string; readonly new?: string };
  /** The bus it sits on (by name) on each side. */
  readonly bus: { readonly old?: string; readonly new?: string };
  /** Properties whose text in the file changed. */
  readonly changes: readonly ValueChange[];
  /** What follows for this device: identity, BARs, interrupt route, VF addresses, boot path. */
  readonly effects: readonly ValueChange[];
  /** Guest names of the device on each side (enp1s0, vda, nvme0...). */
  readonly names: { readonly old?: readonly string[]; readonly new?: readonly string[] };
  readonly at: Where;
}

/** A device nobody edited that still changes. */
export interface UntouchedChange {
  readonly id: string;
  readonly model: string;
  readonly effects: readonly ValueChange[];
  /** A sentence on why (for example 'bus 2 is now 3: sw0-p4 was added and enumerates before it'). */
  readonly cause: string | undefined;
  readonly at: Where;
}

export interface BusRenumber {
  /** The bus's name: the id of the bridge that creates it. */
  readonly name: string;
  readonly old: { readonly number: number; readonly subordinate: number } | undefined;
  readonly new: { readonly number: number; readonly subordinate: number } | undefined;
  readonly cause: string | undefined;
  readonly at: Where;
}

export type GuestNameKind = 'nic' | 'disk';

export interface GuestNameChange {
  readonly id: string;
  readonly kind: GuestNameKind;
  readonly old: string;
  readonly new: string;
  /** Whether the device itself was edited (moved or changed) in the file. */
  readonly touched: boolean;
  readonly at: Where;
}

export interface Budget {
  readonly what: string;
  readonly old: number;
  readonly new: number;
  readonly limit: number | undefined;
  /** The `devices` list on each side. */
  readonly at: Where;
}

export type WindowKind = 'io' | 'mem' | 'prefmem';

/** A bridge window whose size firmware opens differently. */
export interface WindowChange {
  readonly bridge: string;
  readonly kind: WindowKind;
  readonly old: number;
  readonly new: number;
  readonly at: Where;
}

export interface ResourceChange {
  /** 'IO needed at the root', 'firmware 32-bit MMIO window', '64-bit PCI hole'... */
  readonly what: string;
  readonly old: string;
  readonly new: string;
  readonly at: Where;
}

export interface E820Change {
  readonly op: '+' | '-';
  readonly entry: string;
  /** The memory size on each side (RAM placement decides the map). */
  readonly at: Where;
}

export type AcpiOp = '+' | '-' | '~';

export interface AcpiEntry {
  readonly op: AcpiOp;
  /** `Device(\_SB.PCI0.S10)`, `Name(\_SB.PCI0.S10._SUN)`, or a table field ('Local APIC 3'). */
  readonly what: string;
  readonly old: string | undefined;
  readonly new: string | undefined;
  readonly at: Where;
}

export interface AcpiTableDiff {
  readonly signature: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly size: { readonly old?: number; readonly new?: number };
  readonly entries: readonly AcpiEntry[];
}

export interface AcpiDiff {
  /** False when the tables were not compared (the caller left ACPI out). */
  readonly available: boolean;
  readonly tables: readonly AcpiTableDiff[];
  /** Why the tables were not compared, when the generator failed. */
  readonly note?: string;
}

export type TreeStatus = 'added' | 'removed' | 'moved' | 'changed' | 'shifted' | 'context';

/**
 * The part of the topology a change touches: changed functions and their
 * ancestors up to pcie.0, for pictures of the change (Mermaid in Markdown).
 */
export interface TreeNode {
  /** Function key, 'pcie.0' for the root bus, or a SATA drive id. */
  readonly key: string;
  /** Parent node on the new side (the old side for removed nodes); undefined for the root. */
  readonly parent: string | undefined;
  /** For moved nodes whose parent changed: the old parent. */
  readonly oldParent: string | undefined;
  readonly model: string;
  readonly address: { readonly old?: string; readonly new?: string };
  /** VFs of a PF on each side. */
  readonly vfs: { readonly old?: number; readonly new?: number };
  readonly status: TreeStatus;
}

export interface MachineDiff {
  readonly old: { readonly file: string; readonly name: string };
  readonly new: { readonly file: string; readonly name: string };
  /** True when nothing a guest or firmware can see differs (comments and key order do not count). */
  readonly same: boolean;
  /** Machine-level properties written in the file: name, QEMU target, ACPI choices, CPUs, memory, NUMA, built-ins, boot order. */
  readonly machine: readonly ValueChange[];
  readonly devices: readonly DeviceDiff[];
  readonly consequences: {
    readonly buses: readonly BusRenumber[];
    readonly untouched: readonly UntouchedChange[];
    readonly names: readonly GuestNameChange[];
    readonly budgets: readonly Budget[];
  };
  readonly resources: {
    readonly windows: readonly WindowChange[];
    readonly root: readonly ResourceChange[];
  };
  readonly memory: {
    readonly layout: readonly ResourceChange[];
    readonly e820: readonly E820Change[];
  };
  readonly acpi: AcpiDiff;
  readonly tree: readonly TreeNode[];
}

/** A machine as a one-line summary (files added or deleted in `machc diff --git`). */
export interface MachineSummary {
  readonly file: string;
  readonly name: string;
  readonly devices: number;
  readonly functions: number;
  readonly buses: number;
}

/** One machine file's outcome in a diff run. */
export type FileOutcome =
  | { readonly path: string; readonly status: 'modified' | 'unchanged'; readonly diff: MachineDiff }
  | { readonly path: string; readonly status: 'added' | 'deleted'; readonly summary: MachineSummary }
  | { readonly path: string; readonly status: 'error' };
