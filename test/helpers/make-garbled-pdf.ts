/**
 * A born-digital PDF whose text layer is garbage: the page shows a raster (a title line and a small
 * ruled table with digits, drawn with @napi-rs/canvas in Noto Serif CJK) and carries a text layer
 * under it with the same strings as UTF-8 bytes decoded as Windows-1252 (the mojibake a wrong
 * encoding makes of Chinese), drawn with Helvetica at the places the visible strings sit. The
 * image is drawn last, so the garbage is covered, as in PDFs whose visible text is an image and
 * whose extractable text is junk.
 */
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { cellTextOrigin, drawRuledTable, type RuledTable } from './draw-ruled-table.js';

export interface GarbledPdf {
  readonly bytes: Uint8Array;
  /** What the image shows. */
  readonly title: string;
  readonly rows: readonly (readonly string[])[];
  /** The text layer's strings (mojibake), in drawing order. */
  readonly garbage: readonly string[];
}

const TITLE = '二〇二四年政府信息公开工作年度报告';
const ROWS: readonly (readonly string[])[] = [
  ['信息内容', '本年制发件数', '现行有效件数'],
  ['规章', '12', '345'],
  ['规范性文件', '67', '890'],
];

/** Page in points and raster resolution (200 dpi, like the heavy scans). */
const PAGE_W = 420;
const PAGE_H = 300;
const DPI = 200;
const PX = DPI / 72;
const TITLE_Y = 50; // baseline, points from the top
const GRID_X = 40;
const GRID_Y = 90;
const COL_W = [120, 110, 110];
const ROW_H = 40;
const FONT_PT = 14;

/** UTF-8 bytes read as Windows-1252, keeping only what WinAnsi (Helvetica) can encode. */
export function mojibake(text: string): string {
  const decoded = new TextDecoder('windows-1252').decode(new TextEncoder().encode(text));
  return [...decoded].filter((ch) => !/[\u0000-\u001F\u007F-\u009F]/u.test(ch)).join('');
}

const GRID: RuledTable = { x: GRID_X, y: GRID_Y, colWidths: COL_W, rowHeight: ROW_H, rows: ROWS };
const TEXT_INSET = 8;
const BASELINE = 0.65;

function drawPng(): Buffer {
  const canvas = createCanvas(Math.round(PAGE_W * PX), Math.round(PAGE_H * PX));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(PX, PX);
  ctx.fillStyle = '#000000';
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 1;
  ctx.textBaseline = 'alphabetic';
  ctx.font = `bold ${FONT_PT + 2}px "Noto Serif CJK SC"`;
  ctx.fillText(TITLE, GRID_X, TITLE_Y);
  ctx.font = `${FONT_PT}px "Noto Serif CJK SC"`;
  drawRuledTable(ctx, GRID, TEXT_INSET, BASELINE);
  return canvas.toBuffer('image/png');
}

export async function makeGarbledPdf(): Promise<GarbledPdf> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([PAGE_W, PAGE_H]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const garbage: string[] = [];
  const put = (text: string, x: number, yTop: number, size: number): void => {
    const g = mojibake(text);
    garbage.push(g);
    // Squeeze the mojibake into the width the visible string takes, as a real layer would.
    const target = [...text].length * size;
    const fit = Math.min(size, (size * target) / font.widthOfTextAtSize(g, size));
    page.drawText(g, { x, y: PAGE_H - yTop, size: fit, font });
  };
  put(TITLE, GRID_X, TITLE_Y, FONT_PT + 2);
  ROWS.forEach((row, r) =>
    row.forEach((text, c) => {
      const o = cellTextOrigin(GRID, r, c, TEXT_INSET, BASELINE);
      put(text, o.x, o.y, FONT_PT);
    }),
  );
  const png = await pdf.embedPng(drawPng());
  page.drawImage(png, { x: 0, y: 0, width: PAGE_W, height: PAGE_H });
  return { bytes: await pdf.save(), title: TITLE, rows: ROWS, garbage };
}
