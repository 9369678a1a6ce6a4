import { describe, expect, it } from 'vitest';
import { readCell } from '../../../core/ocr/read-cell.js';
import { ruledCell } from '../../helpers/ruled-cell.js';
import { scripted } from '../../helpers/scripted-engine.js';

/**
 * A cell at 300 dpi: paper, ruled on four sides, with upright bars of the given widths (a 1 is ≈ 8 px
 * wide, other digits ≈ 18), or (`arcs`) the two halves of a 0 whose hairlines are lost, as on a fax.
 */
function cell(widths: readonly number[], arcs = false, loneArc = false): ReturnType<typeof ruledCell> {
  return ruledCell((fill) => {
    let x = 80;
    for (const w of widths) {
      fill(x, 25, x + w, 65);
      x += w + 8;
    }
    if (loneArc)
      // One curved thin stroke right of the bars: a 1 whose stem a dropout bent and broke.
      for (let y = 25; y < 65; y++) {
        const bulge = Math.round(7 * (1 - ((y - 45) / 20) ** 2));
        fill(x + 7 - bulge, y, x + 7 - bulge + 4, y + 1);
      }
    if (arcs)
      for (let y = 25; y < 65; y++) {
        const bulge = Math.round(7 * (1 - ((y - 45) / 20) ** 2)); // ( and ): 7 px out at the middle, 0 at the ends
        fill(80 + 7 - bulge, y, 80 + 7 - bulge + 4, y + 1);
        fill(100 + bulge, y, 100 + bulge + 4, y + 1);
      }
  });
}

describe('a number must account for the upright glyphs of its ink', () => {
  it('keeps a reading that accounts for every glyph, without asking the second reader', async () => {
    const { raster, frame } = cell([18, 18]);
    const engine = scripted('40', 'never');
    const r = await readCell(raster, frame, 300, engine);
    expect(r).toMatchObject({ text: '40', kind: 'digits' });
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
    expect(engine.seconds).toBe(0);
  });

  it('takes the second reader when the first lost a glyph (11 read as 1), as a doubtful reading', async () => {
    const { raster, frame } = cell([8, 8]);
    const r = await readCell(raster, frame, 300, scripted('1', '11'));
    expect(r.text).toBe('11');
    expect(r.confidence).toBeLessThan(0.9);
    expect(r.alternatives).toContain('1');
  });

  it('reads a lone thin stroke that both recognisers miss as 1 by its shape, doubtful', async () => {
    const { raster, frame } = cell([8]);
    const r = await readCell(raster, frame, 300, scripted('', ''));
    expect(r.text).toBe('1');
    expect(r.confidence).toBeLessThan(0.9);
  });

  it('takes the digits the label setup saw beside a bracket it made up (1] is 1) when they account for the ink', async () => {
    const { raster, frame } = cell([18]);
    const r = await readCell(raster, frame, 300, scripted('', '', '4]'));
    expect(r).toMatchObject({ text: '4', kind: 'digits' });
    expect(r.confidence).toBeLessThan(0.6);
  });

  it('lets the second reader add a glyph the first lost, never replace the ones it saw (0 beside a streak is not 11)', async () => {
    const { raster, frame } = cell([18, 4]);
    const r = await readCell(raster, frame, 300, scripted('0', '11'));
    expect(r.text).toBe('0');
    expect(r.confidence).toBeLessThanOrEqual(0.5);
  });

  it('leaves doubtful a number that does not account for a lone thin curved stroke (17 read as 4)', async () => {
    const { raster, frame } = cell([18], false, true);
    const r = await readCell(raster, frame, 300, scripted('4', '4'));
    expect(r.text).toBe('4');
    expect(r.confidence).toBeLessThanOrEqual(0.5);
  });

  it('does not take the two arcs of a broken 0 for two 1s', async () => {
    const { raster, frame } = cell([], true);
    const kept = await readCell(raster, frame, 300, scripted('0', '0'));
    expect(kept.text).toBe('0');
    expect(kept.confidence).toBeGreaterThanOrEqual(0.9);
    const missed = await readCell(raster, frame, 300, scripted('', ''));
    expect(missed.text).not.toBe('11');
  });

  it('never reads a wide glyph as 1; a reading that cannot account for the ink is left doubtful', async () => {
    const blank = await readCell(cell([18]).raster, cell([18]).frame, 300, scripted('', ''));
    expect(blank.text).toBe('');
    const lost = await readCell(cell([18, 18]).raster, cell([18, 18]).frame, 300, scripted('4', '4'));
    expect(lost.text).toBe('4');
    expect(lost.confidence).toBeLessThanOrEqual(0.5);
  });
});
