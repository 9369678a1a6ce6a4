import { describe, expect, it } from 'vitest';
import { findRasterTables } from '../../../core/raster/find-raster-tables.js';
import { darkestChannel, type ColourRaster } from '../../../core/raster/line-channel.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';
import { blankPage, drawGrid, drawTextRow, type GridSpec } from './synthetic-page.js';

const DPI = 150;
const GRID: GridSpec = { x: 120, y: 320, colWidths: [300, 240, 240], rowHeights: [80, 80, 80, 80], thickness: 2 };
type Rgb = [number, number, number];

/**
 * A colour form as decodeImage hands it over: the gray page is the red channel, `darkest` the
 * min over channels. Drawn on three planes: black text, the grid in `rule` colour, optional stamp.
 */
function colourForm(rule: Rgb, stamp?: Rgb): ColourRaster {
  const planes = [0, 1, 2].map(() => blankPage(8.27, 11.69, DPI));
  planes.forEach((p, c) => {
    for (let r = 0; r < 4; r++) drawTextRow(p, 120, 100 + r * 45, 26, 26);
    drawGrid(p, { ...GRID, ink: rule[c]! });
    for (let r = 0; r < 4; r++) for (const x of [140, 440, 680]) drawTextRow(p, x, 345 + r * 80, 4, 26);
    // a round seal with text over the middle of the table, as red stamps sit on settlement statements
    if (stamp) {
      const cx = 560;
      const cy = 480;
      for (let y = cy - 110; y <= cy + 110; y++) {
        for (let x = cx - 110; x <= cx + 110; x++) {
          const d = Math.hypot(x - cx, y - cy);
          if ((d > 100 && d <= 110) || (d < 70 && (y - cy + 200) % 24 < 6))
            p.data[y * p.width + x] = Math.min(p.data[y * p.width + x]!, stamp[c]!);
        }
      }
    }
  });
  const [red, green, blue] = planes as [ColourRaster, ColourRaster, ColourRaster];
  const n = red.width * red.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[3 * i] = red.data[i]!;
    rgb[3 * i + 1] = green.data[i]!;
    rgb[3 * i + 2] = blue.data[i]!;
  }
  const darkest = darkestChannel(rgb, red.width, red.height, 3);
  return { width: red.width, height: red.height, dpi: DPI, data: red.data, ...(darkest ? { darkest } : {}) };
}

describe('darkestChannel', () => {
  it('is null for a gray image stored as RGB, and min(R, G, B) for a coloured one', () => {
    const gray = new Uint8Array(300 * 3).map((_, i) => (Math.floor(i / 3) % 2 ? 40 : 240));
    expect(darkestChannel(gray, 100, 3, 3)).toBeNull();
    const colour = new Uint8Array(300 * 3).map((_, i) => [240, 90, 120][i % 3]!);
    const out = darkestChannel(colour, 100, 3, 3)!;
    expect(out).toHaveLength(300);
    expect(out.every((v) => v === 90)).toBe(true);
  });
});

describe('coloured ruling lines', () => {
  it('finds a grid ruled in red, which the red-channel page alone does not show', async () => {
    const page = colourForm([246, 70, 70]);
    expect(page.darkest).toBeDefined();
    const { darkest: _, ...grayOnly } = page;
    expect(findRasterTables(await prepareScan(grayOnly), 1).tables).toEqual([]);
    const prepared = await prepareScan(page);
    expect(prepared.lineBinary).toBeDefined();
    const { tables } = findRasterTables(prepared, 1);
    expect(tables).toHaveLength(1);
    expect([tables[0]!.rows, tables[0]!.cols]).toEqual([4, 3]);
    expect(tables[0]!.cells).toHaveLength(12);
  });

  it('keeps a black-ruled table whole under a red stamp', async () => {
    const { tables } = findRasterTables(await prepareScan(colourForm([20, 20, 20], [246, 60, 60])), 1);
    expect(tables).toHaveLength(1);
    expect([tables[0]!.rows, tables[0]!.cols]).toEqual([4, 3]);
    expect(tables[0]!.cells).toHaveLength(12);
  });
});
