import { describe, expect, it } from 'vitest';
import { binarizeSauvola } from '../../../core/raster/binarize-sauvola.js';
import { textScaleDpi } from '../../../core/raster/estimate-text-scale.js';
import { blankPage, drawTextRow } from './synthetic-page.js';

/** A page of 0.12-in glyphs (≈ 10.5-pt CJK) drawn at `dpi`, then labelled with `declared` dpi. */
function textPage(dpi: number, declared: number): ReturnType<typeof binarizeSauvola> {
  const page = blankPage(6, 8, dpi);
  const size = Math.round(0.12 * dpi);
  // glyphs two sizes apart, as in a form's spaced-out labels (机 打 代 码)
  for (let r = 0; r < 12; r++)
    for (let c = 0; c < 12; c++) drawTextRow(page, dpi / 2 + c * size * 2, dpi / 2 + r * size * 2, 1, size);
  return { ...binarizeSauvola(page), dpi: declared };
}

describe('textScaleDpi', () => {
  it('keeps the declared resolution when the text agrees with it', () => {
    expect(textScaleDpi(textPage(200, 200))).toBe(200);
    expect(textScaleDpi(textPage(300, 300))).toBe(300);
  });

  it("gives a photo's real scale when its declared dpi is a placeholder", () => {
    // a 100-dpi photo that the decoder labels 300 dpi (no usable density in the file)
    const dpi = textScaleDpi(textPage(100, 300));
    expect(dpi).toBeGreaterThan(80);
    expect(dpi).toBeLessThanOrEqual(130);
  });

  it('trusts the declared dpi on a page without text', () => {
    expect(textScaleDpi({ ...binarizeSauvola(blankPage(4, 4, 150)), dpi: 150 })).toBe(150);
  });
});
