import type { Glyph, RawPage } from '../../core/pdf/raw-page.js';

/** A run of text at (x, top) with font size `size`; width is estimated (CJK 1 em, others 0.5 em). */
export function glyph(text: string, x: number, top: number, size = 10): Glyph {
  const ems = [...text].reduce((s, c) => s + (/[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(c) ? 1 : 0.5), 0);
  return { text, box: { x0: x, y0: top, x1: x + ems * size, y1: top + size }, size, dir: 0 };
}

/** One glyph per character, advancing by the same estimate (pdf.js splits CJK text so). */
export function glyphsOf(text: string, x: number, top: number, size = 10): Glyph[] {
  const out: Glyph[] = [];
  let at = x;
  for (const c of text) {
    const g = glyph(c, at, top, size);
    out.push(g);
    at = g.box.x1;
  }
  return out;
}

export function rawPage(parts: Partial<RawPage>): RawPage {
  return {
    number: 1,
    size: { width: 595, height: 842 },
    rotation: 0,
    glyphs: [],
    segments: [],
    fills: [],
    imageCoverage: 0,
    textStats: { shown: 0, hidden: 0, unmapped: 0 },
    ...parts,
  };
}
