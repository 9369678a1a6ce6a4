import sharp from 'sharp';

/** A page's pixels, one gray byte each: crops are cut from these without decoding the page again. */
export type Gray = { gray: Uint8Array; width: number; height: number };

type Box = { x0: number; y0: number; x1: number; y1: number };

/** Around the cell: this many cell heights above and below, one cell width to the right. */
const ROWS_AROUND = 2;

/**
 * Colours of a crop's palette PNG: gray levels of the page and the red outline. A phone photo's crop
 * is 2.8× smaller than as full-colour PNG (58 vs 165 KB over the dev scan's crops, digits as legible;
 * bytes every reader and the server copy on each request), and it stays a lossless-edged PNG.
 */
const CROP_COLOURS = 32;

/**
 * The cell with its row label (from the table's left edge) and ROWS_AROUND rows above and below, one
 * cell width of context to the right; the cell outlined in red. The rows are copied out of the page's
 * pixels here, so only the crop's few thousand pixels go through sharp.
 */
export async function cropAround(page: Gray, cell: Box, table: Box): Promise<Buffer> {
  const { width, height } = page;
  const h = Math.max(8, cell.y1 - cell.y0);
  const w = Math.max(8, cell.x1 - cell.x0);
  const left = Math.min(width - 1, Math.max(0, Math.min(cell.x0 - w, Math.max(0, table.x0 - 8))));
  const top = Math.min(height - 1, Math.max(0, cell.y0 - ROWS_AROUND * h));
  const right = Math.min(width, cell.x1 + w);
  const bottom = Math.min(height, cell.y1 + ROWS_AROUND * h);
  const cw = Math.max(1, right - left);
  const ch = Math.max(1, bottom - top);
  const pixels = Buffer.alloc(cw * ch, 255);
  for (let y = 0; y < ch; y++) {
    const from = (top + y) * width + left;
    pixels.set(page.gray.subarray(from, from + Math.min(cw, width - left)), y * cw);
  }
  const outline = Buffer.from(
    `<svg width="${cw}" height="${ch}" xmlns="http://www.w3.org/2000/svg"><rect x="${cell.x0 - left - 2}" y="${cell.y0 - top - 2}" width="${w + 4}" height="${h + 4}" fill="none" stroke="#d00" stroke-width="3"/></svg>`,
  );
  return sharp(pixels, { raw: { width: cw, height: ch, channels: 1 } })
    .toColourspace('srgb')
    .composite([{ input: outline, top: 0, left: 0 }])
    .png({ palette: true, colours: CROP_COLOURS, effort: 1 })
    .toBuffer();
}
