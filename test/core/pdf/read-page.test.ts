import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import type { Segment } from '../../../core/model/index.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import type { RawPage } from '../../../core/pdf/raw-page.js';
import { readPage } from '../../../core/pdf/read-page.js';
import { makePdf, type PageSpec } from '../../helpers/make-pdf.js';

async function readFirstPage(spec: PageSpec): Promise<RawPage> {
  const pdf = await openPdf(await makePdf([spec]), DEFAULT_LIMITS);
  if (isProblem(pdf)) throw new Error(pdf.message);
  try {
    return await readPage(await pdf.getPage(1));
  } finally {
    await pdf.destroy();
  }
}

const near = (a: number, b: number, tol = 0.6): boolean => Math.abs(a - b) <= tol;
const hasSegment = (segments: readonly Segment[], s: Segment): boolean =>
  segments.some((x) => x.axis === s.axis && near(x.at, s.at) && near(x.from, s.from) && near(x.to, s.to));

describe('readPage', () => {
  it('places text runs with a top-left origin', async () => {
    const raw = await readFirstPage({ texts: [{ x: 100, y: 200, text: 'Total', size: 12 }] });
    expect(raw.size).toEqual({ width: 595, height: 842 });
    expect(raw.rotation).toBe(0);
    const g = raw.glyphs.find((x) => x.text === 'Total');
    expect(g).toBeDefined();
    expect(g?.dir).toBe(0);
    expect(near(g?.box.x0 ?? 0, 100)).toBe(true);
    // baseline at y = 200: the box spans the ascent above it and the descent below
    expect(g?.box.y0).toBeLessThan(200);
    expect(g?.box.y1).toBeGreaterThan(200);
    expect(g?.size).toBeCloseTo(12, 3);
  });

  it('reads stroked lines as horizontal and vertical segments', async () => {
    const raw = await readFirstPage({
      lines: [
        { x1: 50, y1: 100, x2: 300, y2: 100 },
        { x1: 50, y1: 100, x2: 50, y2: 180 },
        { x1: 60, y1: 300, x2: 200, y2: 400 }, // diagonal: not a rule
      ],
    });
    expect(hasSegment(raw.segments, { axis: 'h', at: 100, from: 50, to: 300 })).toBe(true);
    expect(hasSegment(raw.segments, { axis: 'v', at: 50, from: 100, to: 180 })).toBe(true);
    expect(raw.segments).toHaveLength(2);
  });

  it('reads thin filled rectangles as rules and grey rectangles as shading, ignoring white', async () => {
    const raw = await readFirstPage({
      rects: [
        { x: 40, y: 500, w: 200, h: 1, gray: 0 },
        { x: 40, y: 520, w: 1, h: 60, gray: 0 },
        { x: 300, y: 500, w: 100, h: 30, gray: 0.8 },
        { x: 300, y: 600, w: 100, h: 30, gray: 1 },
      ],
    });
    expect(hasSegment(raw.segments, { axis: 'h', at: 500.5, from: 40, to: 240 })).toBe(true);
    expect(hasSegment(raw.segments, { axis: 'v', at: 40.5, from: 520, to: 580 })).toBe(true);
    expect(raw.fills).toHaveLength(1);
    expect(raw.fills[0]?.luminance).toBeCloseTo(0.8, 1);
    expect(near(raw.fills[0]?.box.y0 ?? 0, 500)).toBe(true);
  });

  it('turns a page with /Rotate 90 upright: size swapped, coordinates on the upright page', async () => {
    const raw = await readFirstPage({ rotate: 90, lines: [{ x1: 100, y1: 50, x2: 100, y2: 250 }] });
    expect(raw.rotation).toBe(90);
    expect(raw.size).toEqual({ width: 842, height: 595 });
    // a vertical rule on the unrotated sheet is horizontal on the page as seen upright
    expect(raw.segments).toHaveLength(1);
    expect(raw.segments[0]?.axis).toBe('h');
  });

  it('turns a portrait page whose text runs sideways (a table set at 90°) so its text reads left to right', async () => {
    const texts = ['Review upheld', 'Review corrected', 'Other result', 'Pending', 'Total'].map((text, i) => ({
      x: 100 + i * 30,
      y: 700,
      text,
      rotate: 90 as const,
    }));
    const raw = await readFirstPage({ texts, lines: [{ x1: 90, y1: 400, x2: 90, y2: 720 }] });
    expect(raw.rotation).toBe(90);
    expect(raw.glyphs.every((g) => g.dir === 0)).toBe(true);
    const ordered = [...raw.glyphs].sort((a, b) => a.box.y0 - b.box.y0).map((g) => g.text);
    expect(ordered).toEqual(['Review upheld', 'Review corrected', 'Other result', 'Pending', 'Total']);
    expect(raw.segments[0]?.axis).toBe('h');
  });

  it('counts invisible characters and measures image coverage (a scan with an OCR layer)', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 200, b: 200 } } })
      .png()
      .toBuffer();
    const raw = await readFirstPage({
      images: [{ png: new Uint8Array(png), x: 0, y: 0, w: 595, h: 421 }],
      invisibleText: true,
      texts: [{ x: 10, y: 20, text: 'hidden words' }],
    });
    expect(raw.imageCoverage).toBeCloseTo(0.5, 2);
    expect(raw.textStats.hidden).toBe(raw.textStats.shown);
    expect(raw.textStats.shown).toBeGreaterThan(0);
  });

  it('counts shown characters for the text-layer verdict', async () => {
    const raw = await readFirstPage({ texts: [{ x: 10, y: 20, text: 'abc' }] });
    expect(raw.textStats).toEqual({ shown: 3, hidden: 0, unmapped: 0 });
    expect(raw.imageCoverage).toBe(0);
  });
});
