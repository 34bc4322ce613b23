/**
 * The SVG from `machc graph --format svg` in a real headless browser (Debian's
 * chromium driven by playwright-core): every BDF is on the page as text, the
 * picture is not blank, its size is sane and every label sits inside its box.
 * The example in docs/review/ must be what machc draws today; regenerate it with
 * `MACHC_UPDATE_DOCS=1 npx vitest run tests/graph` (then look at the PNG).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type Browser } from '../support/browser.js';
import { compileMachine } from '../../compiler/driver.js';
import { renderGraph } from '../../compiler/graph/index.js';
import { needTools } from '../support/tools.js';

const DOCS = 'docs/review';
const run = needTools('chromium');

interface PageReport {
  readonly texts: string[];
  readonly width: number;
  readonly height: number;
  /** Labels whose box sticks out of their node's shape. */
  readonly overflowing: string[];
  /** Share of non-white pixels and number of distinct colours, from the SVG drawn on a canvas. */
  readonly ink: number;
  readonly colours: number;
}

/**
 * Runs in the page (plain JavaScript: the project's types have no DOM): text of
 * every <text>, labels outside their node's shape, size, and the SVG drawn on a
 * canvas to count inked pixels and colours.
 */
const INSPECT = `async (source) => {
  const root = document.querySelector('svg');
  // Graphviz writes runs of spaces as a space and no-break spaces.
  const texts = [...root.querySelectorAll('text')].map((t) => (t.textContent || '').replace(/\\u00a0/g, ' '));
  const overflowing = [];
  for (const node of root.querySelectorAll('g.node')) {
    const shape = node.querySelector('path, polygon, ellipse');
    if (!shape) continue;
    const box = shape.getBBox();
    for (const t of node.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < box.x - 1 || b.y < box.y - 1 || b.x + b.width > box.x + box.width + 1 || b.y + b.height > box.y + box.height + 1) overflowing.push(t.textContent);
    }
  }
  const r = root.getBoundingClientRect();
  const img = new Image();
  img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(source)));
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) inked++;
    colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
  }
  return { texts, width: r.width, height: r.height, overflowing, ink: inked / (data.length / 4), colours: colours.size };
}`;

async function inspect(page: Page, svg: string): Promise<PageReport> {
  await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg.replace(/^<\?xml[^>]*>\s*<!DOCTYPE[^>]*>/, '')}</body></html>`);
  return (await page.evaluate(`(${INSPECT})(${JSON.stringify(svg)})`)) as PageReport;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!run)('SVG in headless Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await openBrowser({ width: 1600, height: 1000 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  const machine = (path: string) => {
    const r = compileMachine(path);
    if (!r.machine) throw new Error(`${path} does not compile`);
    return r.machine;
  };

  it('the example: every BDF and id on the page, not blank, sane size, labels inside their boxes', async () => {
    const m = machine('docs/review/example.yaml');
    const svg = await renderGraph(m, 'svg');
    const report = await inspect(page, svg);
    for (const f of m.pci.functions.filter((x) => x.role !== 'vf')) expect(report.texts, f.key).toContain(`${f.bdf}  ${f.key}`);
    expect(report.texts).toContain('4 VFs of uplink0');
    expect(report.texts).toContain('bus 07  pcibr  (PCI)');
    expect(report.overflowing).toEqual([]);
    expect(report.width).toBeGreaterThan(600);
    expect(report.width).toBeLessThan(4000);
    expect(report.height).toBeGreaterThan(200);
    expect(report.height).toBeLessThan(3000);
    expect(report.ink).toBeGreaterThan(0.05);
    expect(report.ink).toBeLessThan(0.6);
    expect(report.colours).toBeGreaterThan(8);

    const png = await (await page.$('svg'))!.screenshot();
    const size = pngSize(png);
    expect(Math.abs(size.width - report.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(size.height - report.height)).toBeLessThanOrEqual(2);

    if (process.env['MACHC_UPDATE_DOCS']) {
      writeFileSync(join(DOCS, 'topology.svg'), svg);
      writeFileSync(join(DOCS, 'topology.png'), png);
    }
    // The picture in the docs is what machc draws today.
    expect(readFileSync(join(DOCS, 'topology.svg'), 'utf8')).toBe(svg);
    expect(existsSync(join(DOCS, 'topology.png'))).toBe(true);
    const docPng = pngSize(readFileSync(join(DOCS, 'topology.png')));
    expect(Math.abs(docPng.width - size.width)).toBeLessThanOrEqual(2);
  });

  it('the checks catch a broken picture: labels too big for their boxes, an empty drawing', async () => {
    const svg = await renderGraph(machine('docs/review/example.yaml'), 'svg');
    const big = await inspect(page, svg.replace(/font-size="10\.00"/g, 'font-size="16.00"'));
    expect(big.overflowing.length).toBeGreaterThan(10);
    const empty = await inspect(page, svg.replace(/<g id="graph0"[\s\S]*<\/g>\s*<\/svg>/, '</svg>'));
    expect(empty.texts).toEqual([]);
    expect(empty.ink).toBeLessThan(0.01);
  });

  it('expanded VFs: one labelled node per VF', async () => {
    const m = machine('machines/sriov-igb.yaml');
    const report = await inspect(page, await renderGraph(m, 'svg', 'expanded'));
    const vfs = m.pci.functions.filter((f) => f.role === 'vf');
    expect(vfs).toHaveLength(12);
    for (const vf of vfs) expect(report.texts).toContain(`${vf.bdf}  ${vf.key}`);
    expect(report.overflowing).toEqual([]);
  });

  it('a large machine still lays out with readable labels', async () => {
    const m = machine('machines/large-fabric.yaml');
    const report = await inspect(page, await renderGraph(m, 'svg'));
    expect(report.overflowing).toEqual([]);
    for (const f of m.pci.functions.filter((x) => x.role !== 'vf')) expect(report.texts).toContain(`${f.bdf}  ${f.key}`);
  });
});
