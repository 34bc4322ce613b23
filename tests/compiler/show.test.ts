/**
 * Golden `machc show` output for every example machine (tree and canonical
 * YAML). Update with `npx vitest run tests/compiler/show.test.ts -u` and read
 * the diff before committing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileMachine } from '../../compiler/driver.js';
import { toCanonical } from '../../compiler/view/canonical.js';
import { renderTree } from '../../compiler/view/tree.js';

const MACHINES = join(import.meta.dirname, '..', '..', 'machines');

describe('machc show, for every example machine', () => {
  const files = readdirSync(MACHINES).filter((f) => f.endsWith('.yaml')).sort();
  it('has the six kinds of example machines the project promises', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    it(`${name}: tree`, async () => {
      const r = compileMachine(join('machines', file));
      // No errors and no warnings (sriov-igb targets QEMU 10.0, which has igb).
      expect(r.diagnostics.items.map((d) => d.message)).toEqual([]);
      await expect(renderTree(r.machine!, { vfs: true })).toMatchFileSnapshot(`__snapshots__/show/${name}.tree.txt`);
    });
    it(`${name}: canonical YAML`, async () => {
      const r = compileMachine(join('machines', file));
      await expect(stringify(toCanonical(r.machine!), { lineWidth: 0 })).toMatchFileSnapshot(`__snapshots__/show/${name}.canonical.yaml`);
    });
  }
});
