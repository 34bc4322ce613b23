// Golden ASL of the example machines, printed from the same term trees as
// the bytes (update with `npx vitest run tests/acpi -u` and read the diff),
// and a check that the printed DSDT is ASL iasl compiles without errors.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needTools } from '../support/tools.js';
import { buildAcpiTables, loadMachine, ROOT, run, writeTables } from './support.js';

const EXAMPLES = ['q35-default', 'switch-mixed', 'multifunction-rootports', 'nested-switch-pcipci', 'sriov-igb', 'sriov-nvme', 'large-fabric'];
const haveIasl = needTools('iasl');

describe.each(EXAMPLES)('%s', async (example) => {
  const machine = await loadMachine(join(ROOT, 'machines', `${example}.yaml`));
  if (!machine) throw new Error(`${example} does not resolve`);
  const set = buildAcpiTables(machine);
  const dsdt = set.tables.find((t) => t.signature === 'DSDT')!;

  it('DSDT ASL', async () => {
    await expect(dsdt.asl).toMatchFileSnapshot(`__snapshots__/${example}.dsdt.asl`);
  });

  it('data tables', async () => {
    const text = [...set.tables, set.rsdp].filter((t) => t !== dsdt).map((t) => t.asl).join('\n');
    await expect(text).toMatchFileSnapshot(`__snapshots__/${example}.tables.txt`);
  });

  it.runIf(haveIasl)('the printed DSDT compiles with iasl', async () => {
    const dir = writeTables(set);
    writeFileSync(join(dir, 'printed.asl'), dsdt.asl);
    const r = await run('iasl', ['-p', 'printed', 'printed.asl'], dir);
    expect(r.out, r.out).toMatch(/Compilation successful\. 0 Errors/);
    expect(basename(dir)).not.toBe('');
  });
});
