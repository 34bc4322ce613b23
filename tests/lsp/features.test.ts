/**
 * The language server's answers as functions of the text (compiler/lsp/features.ts):
 * block-style items, files that do not parse, related notes, definitions.
 */
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../compiler/driver.js';
import { busChoices, completions, definition, deviceItems, hover, lspDiagnostics, LineMap } from '../../compiler/lsp/features.js';

const BLOCK = `name: b
chipset: q35
devices:
  - id: rp1
    model: pcie-root-port
    chassis: 1
    slot: 1
  - id: pb
    model: pcie-pci-bridge
    bus: rp1
  - id: disk
    model: nvme
    namespaces:
      - id: disk-ns1
        image: a.raw
    bus: \n`;

describe('lsp features', () => {
  it('reads block-style items, nested lists and all, while the file does not parse', () => {
    const items = deviceItems(BLOCK);
    expect(items.map((i) => [i.id?.value, i.model, i.bus])).toEqual([
      ['rp1', 'pcie-root-port', undefined],
      ['pb', 'pcie-pci-bridge', 'rp1'],
      ['disk', 'nvme', undefined],
    ]);
    expect(BLOCK.slice(items[1]!.id!.offset, items[1]!.id!.offset + 2)).toBe('pb');
  });

  it('offers an nvme (PCIe only) no conventional bus, and pcie.0', () => {
    const at = BLOCK.indexOf('bus: \n') + 5;
    // rp1 has pb behind it already: a PCIe link takes one device.
    expect(completions(BLOCK, at).map((c) => c.label)).toEqual(['pcie.0']);
    const items = deviceItems(BLOCK);
    expect(busChoices(items, undefined, 'e1000')).toEqual(['pb', 'pcie.0']);
    expect(busChoices(items, undefined, 'sata-disk')).toEqual(['ahci']);
    expect(busChoices(items, undefined, 'pcie-root-port')).toEqual(['pcie.0']);
    const scsi = deviceItems(`${BLOCK}  - { id: hba, model: virtio-scsi, bus: pb }\n`);
    expect(busChoices(scsi, undefined, 'scsi-hd')).toEqual(['hba']);
  });

  it('completes keys of the item under the cursor, and top-level keys at the margin', () => {
    const text = BLOCK.replace('    bus: \n', '    se\n');
    const keys = completions(text, text.indexOf('    se\n') + 6).map((c) => c.label);
    expect(keys).toEqual(expect.arrayContaining(['serial', 'sriov', 'max-ioqpairs']));
    const top = `${BLOCK}me`;
    expect(completions(top, top.length).map((c) => c.label)).toEqual(expect.arrayContaining(['memory', 'cpus', 'devices']));
  });

  it('goes to the id a block-style bus: names; nothing for an unknown id', () => {
    const at = BLOCK.indexOf('bus: rp1') + 6;
    expect(definition(BLOCK, at)).toEqual({ offset: BLOCK.indexOf('id: rp1') + 4, length: 3 });
    expect(definition(BLOCK.replace('bus: rp1', 'bus: rp9'), at)).toBeUndefined();
  });

  it('diagnostics: the CLI span as a range, notes in the file as related information', () => {
    const text = 'name: d\nchipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, addr: 10.0, chassis: 1, slot: 1 }\n  - { id: nic1, model: e1000e, addr: 10.0 }\n';
    const r = compileMachine('d.yaml', { text });
    const [d] = lspDiagnostics(r, text, 'file:///d.yaml');
    expect(d).toMatchObject({ code: 'MD1203', severity: 1, range: { start: { line: 4, character: 37 }, end: { line: 4, character: 41 } } });
    expect(d!.relatedInformation?.[0]).toMatchObject({ location: { uri: 'file:///d.yaml', range: { start: { line: 3, character: 44 } } } });
    expect(d!.message).toMatch(/\nhelp: /);
  });

  it('hover on a VF-capable PF lists its VFs; nothing on plain text', () => {
    const text = 'name: h\nchipset: q35\ndevices:\n  - { id: rp1, model: pcie-root-port, chassis: 1, slot: 1 }\n  - { id: nvme0, model: nvme, bus: rp1, serial: S, sriov: { total-vfs: 4, vfs: 2 } }\n';
    const r = compileMachine('h.yaml', { text });
    const h = hover(text, text.indexOf('id: nvme0') + 5, r);
    expect(h).toMatch(/^\*\*0000:01:00.0 is nvme0 \(nvme\)\*\*/);
    expect(h).toMatch(/SR-IOV: 2 of 4 VFs enabled, at 01:00.1, 01:00.2/);
    expect(hover(text, text.indexOf('name: h') + 7, r)).toBeUndefined();
  });

  it('maps offsets and positions both ways, CRLF included', () => {
    const m = new LineMap('a\r\nbc\nd');
    expect(m.position(4)).toEqual({ line: 1, character: 1 });
    expect(m.offset({ line: 2, character: 0 })).toBe(6);
    expect(m.lineText(0)).toBe('a');
  });
});
