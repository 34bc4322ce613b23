// Helpers for the ACPI table tests: compile machines, write tables, run iasl
// and acpiexec, and read namespaces out of iasl's disassembly.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMachine } from '../../compiler/driver.js';
import { arg, Binary, call, Buffer, Compare, DerefOf, Increment, Index, int, method, name, ONE, Package, ref, ret, Uuid, store, local, While, ZERO, type AmlTerm } from '../../compiler/emit/acpi/aml.js';
import { definitionBlock } from '../../compiler/emit/acpi/dsdt.js';
import { tableIds } from '../../compiler/emit/acpi/header.js';
import { buildAcpiTables, type AcpiTableSet } from '../../compiler/emit/acpi/index.js';
import type { ResolvedMachine } from '../../compiler/model/topology.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Example machines and test machines that resolve without errors. */
export function machineFiles(): string[] {
  const list = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ROOT, dir, f));
  return [...list('machines'), ...list('tests/fixtures/machines')];
}

export async function loadMachine(file: string): Promise<ResolvedMachine | undefined> {
  const r = await compileMachine(file);
  return r.machine;
}

export const fileName = (signature: string): string => (signature === 'RSD PTR ' ? 'RSDP' : signature);

/** Writes the tables as .aml files into a temporary folder, removed when the calling test ends. */
export function writeTables(set: AcpiTableSet, dir = mkdtempSync(join(tmpdir(), 'machc-acpi-'))): string {
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const t of [...set.tables, set.rsdp]) writeFileSync(join(dir, `${fileName(t.signature)}.aml`), t.bytes);
  return dir;
}

/** Runs a tool without blocking the test worker (stdin closed: acpiexec would wait on it). */
export function run(cmd: string, args: string[], cwd: string): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    // Standard output, then standard error: read as they arrive, a chunk of one could land in the
    // middle of a multi-line result printed on the other.
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => resolve({ status: -1, out: `${out}${err}${String(e)}` }));
    child.on('close', (code) => resolve({ status: code ?? -1, out: err ? `${out}\n${err}` : out }));
  });
}

/**
 * Runs acpiexec batches (its command line holds at most 1023 characters) and
 * returns their joined output; `commands` run in order, and every batch
 * replays the state-changing commands (`evaluate \\_PIC n`) seen so far.
 */
export async function acpiexec(dir: string, commands: readonly string[], tables: readonly string[]): Promise<{ status: number; out: string }> {
  const batches: string[][] = [];
  let current: string[] = [];
  let state: string[] = [];
  for (const c of commands) {
    if ([...current, c].join('; ').length > 900) {
      batches.push(current);
      current = [...state];
    }
    current.push(c);
    if (c.startsWith('evaluate \\_PIC')) state = [c];
  }
  if (current.length) batches.push(current);
  let out = '';
  let status = 0;
  for (const b of batches) {
    const r = await run('acpiexec', ['-b', b.join('; '), ...tables], dir);
    out += r.out;
    status ||= r.status;
  }
  return { status, out };
}

/**
 * An SSDT of probes for acpiexec (its debugger cannot print a whole 128-entry
 * _PRT): TPRT (n) returns 16 _PRT entries, TOSC returns _OSC's answer to a
 * request for every control.
 */
export function probeSsdt(): Uint8Array {
  const terms: AmlTerm[] = [
    // TPRT (n): _PRT entries 16n .. 16n + 15 (acpiexec prints at most 16 KiB per result).
    method('TPRT', 1, true, [
      name('RES', new Package([], 16)),
      store(call('\\_SB.PCI0._PRT'), local(0)),
      store(ZERO, local(1)),
      new While(new Compare('LLess', local(1), int(16)), [
        store(new DerefOf(new Index(local(0), new Binary('Add', new Binary('Multiply', arg(0), int(16)), local(1)))), new Index(ref('RES'), local(1))),
        new Increment(local(1)),
      ]),
      ret(ref('RES')),
    ]),
    method('TOSC', 0, true, [
      name('CAPS', new Buffer(Uint8Array.of(0, 0, 0, 0, 0x1f, 0, 0, 0, 0x1f, 0, 0, 0))),
      store(call('\\_SB.PCI0._OSC', new Uuid('33db4d5b-1ff7-401c-9657-7441c03dd766'), ONE, int(3), ref('CAPS')), local(0)),
      ret(local(0)),
    ]),
  ];
  return definitionBlock('SSDT', 2, tableIds(), terms).bytes;
}

/** A Device or Processor in a disassembled namespace, with the names that identify it. */
export interface NsObject {
  readonly path: string;
  readonly kind: 'Device' | 'Processor';
  readonly names: Record<string, string>;
}

function joinPath(scope: string, name: string): string {
  if (name.startsWith('\\')) return name;
  let s = scope;
  let n = name;
  while (n.startsWith('^')) {
    s = s.slice(0, s.lastIndexOf('.')) || '\\';
    n = n.slice(1);
  }
  return s === '\\' ? `\\${n}` : `${s}.${n}`;
}

/**
 * Devices (and Processors) of an `iasl -d` listing by absolute path, with the
 * values of their simple Name()s (_ADR, _HID, _UID, _SUN, BSEL, ...).
 */
export function dslDevices(dsl: string): Map<string, NsObject> {
  const out = new Map<string, NsObject>();
  const stack: { path: string; obj: NsObject | undefined }[] = [];
  let pending: { path: string; obj: NsObject | undefined } | undefined;
  for (const raw of dsl.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trim();
    const top = stack[stack.length - 1];
    const here = top?.path ?? '\\';
    let m: RegExpExecArray | null;
    if ((m = /^(Scope|Device|Processor) \(([^,)]+)/.exec(line))) {
      const path = joinPath(here, m[2]!.trim().replace(/^\\(?=[^\\])/, '\\'));
      const normalized = path.split('.').map((s) => s.replace(/_+$/, '') || '_').join('.');
      const obj = m[1] === 'Scope' ? undefined : { path: normalized, kind: m[1] as 'Device' | 'Processor', names: {} };
      if (obj) out.set(normalized, obj);
      pending = { path: normalized, obj };
      continue;
    }
    if (line === '{' || line.endsWith('{')) {
      stack.push(pending ?? { path: here, obj: undefined });
      pending = undefined;
      continue;
    }
    if (line.startsWith('}')) {
      stack.pop();
      continue;
    }
    if ((m = /^Name \((\w+), (.+?)\)?$/.exec(line)) && top?.obj) {
      const v = m[2]!.replace(/\)$/, '').trim();
      if (!/ResourceTemplate|Package|Buffer/.test(v)) top.obj.names[m[1]!.replace(/_+$/, '')] = v;
    }
  }
  return out;
}

export interface PrtEntry {
  readonly address: number;
  readonly pin: number;
  readonly source: string;
}

/** The entries of package `name` (PRTP or PRTA) in an `iasl -d` listing. */
export function dslRoutingTable(dsl: string, pkg: string): PrtEntry[] {
  const start = dsl.indexOf(`Name (${pkg}, Package`);
  if (start < 0) return [];
  const end = dsl.indexOf('})', start);
  const body = dsl.slice(start, end);
  const entries: PrtEntry[] = [];
  const re = /Package \(0x04\)\s*\{\s*([^,]+),\s*([^,]+),\s*([^,]+),\s*([^,}\s]+)\s*\}/g;
  let m: RegExpExecArray | null;
  const num = (s: string) => (s.trim() === 'Zero' ? 0 : s.trim() === 'One' ? 1 : Number(s.trim()));
  while ((m = re.exec(body))) entries.push({ address: num(m[1]!), pin: num(m[2]!), source: m[3]!.trim() });
  return entries;
}

/** The ASL of a Name (_CRS, ResourceTemplate () {...}) directly inside `device` (first match). */
export function dslResourceTemplate(dsl: string, marker: string): string {
  const start = dsl.indexOf(marker);
  if (start < 0) return '';
  const from = dsl.indexOf('ResourceTemplate', start);
  const end = dsl.indexOf('})', from);
  return dsl
    .slice(from, end)
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trim())
    .filter((l) => l && l !== '{' && !l.startsWith('ResourceTemplate'))
    .join(' ');
}

/** Disassembles `file.aml` in `dir` and returns the .dsl text (without the date line). */
export async function disassemble(dir: string, file: string): Promise<{ status: number; out: string; dsl: string }> {
  const r = await run('iasl', ['-d', file], dir);
  let dsl = '';
  try {
    dsl = readFileSync(join(dir, file.replace(/\.aml$/, '.dsl')), 'utf8');
  } catch {
    dsl = '';
  }
  return { ...r, dsl: dsl.replace(/^ \* Disassembly of .*\n/m, '') };
}

export { buildAcpiTables };
