/**
 * What a guest sees, for every example machine, as lspci would print it
 * (goldens: the listing, -t and -v). Produced by booting the generated
 * module: firmware played through the machine's config mechanisms, then the
 * VFs the file enables. The `machc lspci` command is run too, loading the
 * module's JavaScript form against the runtime, and must print the same
 * listing.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootGuest, guestListing } from '../../compiler/cli/commands/lspci.js';
import { bufferIo } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { exampleMachines, loadGenerated, resolveMachine, ROOT } from '../codegen/support.js';

async function listing(path: string, opts: { tree?: boolean; verbose?: boolean; numeric?: boolean }): Promise<string> {
  const resolved = resolveMachine(path);
  return guestListing(bootGuest(resolved, await loadGenerated(resolved)), opts);
}

describe('lspci goldens', () => {
  for (const path of exampleMachines()) {
    const name = basename(path, '.yaml');
    it(`${name}: listing and tree`, async () => {
      await expect(await listing(path, {})).toMatchFileSnapshot(`__snapshots__/lspci/${name}.txt`);
      await expect(await listing(path, { tree: true })).toMatchFileSnapshot(`__snapshots__/lspci/${name}.tree.txt`);
    });
    if (name === 'large-fabric') continue;
    it(`${name}: -v`, async () => {
      await expect(await listing(path, { verbose: true })).toMatchFileSnapshot(`__snapshots__/lspci/${name}.verbose.txt`);
    });
  }
  it('sriov-igb: -n', async () => {
    await expect(await listing(join(ROOT, 'machines/sriov-igb.yaml'), { numeric: true })).toMatchFileSnapshot('__snapshots__/lspci/sriov-igb.numeric.txt');
  });
});

describe('machc lspci (the module loaded in memory)', () => {
  it('machc lspci -v prints what the runtime shows a guest', async () => {
    const path = join(ROOT, 'machines/sriov-nvme.yaml');
    const io = bufferIo();
    expect(await main(['lspci', '-v', path], io)).toBe(0);
    expect(io.stderr).toBe('');
    expect(io.stdout).toBe(await listing(path, { verbose: true }));
  });

  it('a bad machine file gives diagnostics and exit 1, not a stack trace', async () => {
    const io = bufferIo();
    expect(await main(['lspci', join(ROOT, 'tests/fixtures/machines/cap-many-rootports-16.yaml')], io)).toBe(1);
    expect(io.stderr).toMatch(/error/);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });
});
