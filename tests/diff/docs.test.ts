/**
 * The review examples in docs/review/: the Markdown diff a pull request gets
 * (example-diff.md) and a screenshot of the coloured terminal diff
 * (diff-terminal.png), both for the "add a switch downstream port" pair. They must be
 * what machc produces today; regenerate with
 * `MACHC_UPDATE_DOCS=1 npx vitest run tests/diff/docs.test.ts` and look at them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type Browser } from '../support/browser.js';
import { bufferIo, type Io } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { needTools } from '../support/tools.js';

const DOCS = 'docs/review';
const PAIR = ['tests/fixtures/diff/switch-port/old.yaml', 'tests/fixtures/diff/switch-port/new.yaml'];
const update = Boolean(process.env['MACHC_UPDATE_DOCS']);

async function diff(format: string, color = false): Promise<string> {
  const io: Io & { stdout: string } = { ...bufferIo(), colorOut: color };
  const out = Object.assign(io, { out: (t: string) => void (out.stdout += t), err: () => undefined });
  await main(['diff', '--format', format, ...PAIR], out);
  return out.stdout;
}

/** The part of a Markdown diff that machc's own passes decide (ACPI tables come from the table generator). */
const withoutAcpi = (md: string) => md.replace(/#### ACPI tables[\s\S]*$/, '');

describe('docs/review/example-diff.md', () => {
  it('is the Markdown machc diff writes for the example pair', async () => {
    const md = await diff('markdown');
    if (update) writeFileSync(join(DOCS, 'example-diff.md'), md);
    const doc = readFileSync(join(DOCS, 'example-diff.md'), 'utf8');
    expect(withoutAcpi(doc)).toBe(withoutAcpi(md));
    expect(doc).toContain('Guest NIC `wan0` is renamed `enp6s0` → `enp7s0` although the device was not edited.');
    expect(doc).toContain('```mermaid');
  });
});

const ANSI: Record<string, string> = { '1': 'font-weight:bold', '2': 'opacity:.6', '31': 'color:#f87171', '32': 'color:#4ade80', '33': 'color:#facc15', '36': 'color:#22d3ee' };

/** Terminal output as HTML: the few SGR codes the text renderer uses, as spans. */
function terminalHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let html = '';
  let open = 0;
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    const m = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!m) html += esc(part);
    else if (m[1] === '0') {
      html += '</span>'.repeat(open);
      open = 0;
    } else {
      html += `<span style="${m[1]!.split(';').map((c) => ANSI[c] ?? '').join(';')}">`;
      open++;
    }
  }
  return `<!doctype html><html><body style="margin:0;background:#0f172a"><pre id="term" style="margin:0;padding:16px 20px;font:13px/1.45 'DejaVu Sans Mono',monospace;color:#e2e8f0;background:#0f172a;display:inline-block">${html}</pre></body></html>`;
}

describe.skipIf(!needTools('chromium'))('docs/review/diff-terminal.png', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await openBrowser({ width: 1700, height: 900 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the coloured diff reads as a terminal shows it', async () => {
    const text = await diff('text', true);
    expect(text).toContain('\x1b[');
    await page.setContent(terminalHtml(text));
    const shown = (await page.textContent('#term')) ?? '';
    expect(shown).toContain('wan0  NIC enp6s0 → enp7s0 (device not edited)');
    // Markers keep their colours: added green, moved/renamed yellow, changed cyan.
    const colours = await page.$$eval('#term span', (spans) => spans.map((s) => [s.textContent, (s as unknown as { style: { color: string } }).style.color]));
    expect(colours).toContainEqual(['+', 'rgb(74, 222, 128)']);
    expect(colours).toContainEqual(['!', 'rgb(250, 204, 21)']);
    expect(colours).toContainEqual(['~', 'rgb(34, 211, 238)']);
    const png = await (await page.$('#term'))!.screenshot();
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
    if (update) writeFileSync(join(DOCS, 'diff-terminal.png'), png);
    const doc = readFileSync(join(DOCS, 'diff-terminal.png'));
    expect(Math.abs(doc.readUInt32BE(20) - png.readUInt32BE(20))).toBeLessThanOrEqual(2);
  });
});
