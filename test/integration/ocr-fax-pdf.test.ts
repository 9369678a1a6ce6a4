import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { addFaxPage, ENCODINGS, faxify, FAX_XDPI, type Encoding, type FaxPage } from '../../bench/fax-pdf.js';
import { DEFAULT_LIMITS, extractDocument } from '../../core/index.js';
import { OCR_FLAG_THRESHOLD } from '../../core/ocr/calibrate-confidence.js';
import { LOW_CONFIDENCE } from '../../core/report/confidence.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../../core/pdf/page-image.js';
import { drawRuledTable } from '../helpers/draw-ruled-table.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

/** A small ruled table of digits (10.5-pt-like glyphs at 204 dpi) under a title, as a fax sends it. */
const ROWS: readonly (readonly string[])[] = [
  ['信息内容', '本年制发件数', '现行有效件数'],
  ['规章', '12', '345'],
  ['规范性文件', '67', '890'],
  ['行政许可', '4051', '2'],
];
const COL_W = [330, 300, 300];
const ROW_H = 95;
const GRID_X = 110;
const GRID_Y = 260;

/** The page at 204 dpi square, gray: what the fax machine's scanner sees before it thresholds. */
function drawPage(): { gray: Buffer; width: number; height: number } {
  const width = 1500;
  const height = 900;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 3;
  ctx.font = 'bold 46px "Noto Serif CJK SC"';
  ctx.fillText('二〇二四年政府信息公开工作年度报告', GRID_X, 170);
  ctx.font = '40px "Noto Serif CJK SC"';
  drawRuledTable(ctx, { x: GRID_X, y: GRID_Y, colWidths: COL_W, rowHeight: ROW_H, rows: ROWS }, 30, 0.68);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = Buffer.alloc(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4] ?? 255;
  return { gray, width, height };
}

async function faxPdf(page: FaxPage, encoding: Encoding): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  await addFaxPage(pdf, page, encoding);
  return pdf.save({ useObjectStreams: false });
}

async function embeddedImage(bytes: Uint8Array) {
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  try {
    return await readPageImage(indexPdfObjects(bytes), (await opened.getPage(1)) as unknown as ImagePage);
  } finally {
    await opened.destroy();
  }
}

describe('fax-quality PDFs (1-bit CCITT G4, 1-bit Flate, image masks, non-square fax pixels)', () => {
  let fine: FaxPage;
  let standard: FaxPage;
  beforeAll(async () => {
    const { gray, width, height } = drawPage();
    const opts = { seed: 7, header: '2024-03-05 10:32  FROM: 0517-83901234  P.001/001', streak: false };
    fine = await faxify(gray, width, height, { ...opts, ydpi: 196 });
    standard = await faxify(gray, width, height, { ...opts, ydpi: 98 });
  });

  it.each(ENCODINGS)('reads the embedded %s image pel for pel, without rendering', async (encoding) => {
    const raster = await embeddedImage(await faxPdf(fine, encoding));
    expect(raster).not.toBeNull();
    // 204 × 196 dpi pels come back square at 204 dpi: one line in 25 is doubled.
    expect(raster!.dpi).toBe(FAX_XDPI);
    expect(raster!.width).toBe(fine.width);
    expect(Math.abs(raster!.height - Math.round((fine.height * FAX_XDPI) / 196))).toBeLessThanOrEqual(1);
    // Against the pels: compare at the line each output row came from (nearest source line).
    let wrong = 0;
    for (let y = 0; y < raster!.height; y++) {
      const sy = Math.min(fine.height - 1, Math.floor(((y + 0.5) * fine.height) / raster!.height));
      for (let x = 0; x < fine.width; x += 3) {
        const ink = raster!.data[y * raster!.width + x]! < 128;
        if (ink !== (fine.bits[sy * fine.width + x] === 0)) wrong++;
      }
    }
    // Only edge pels where interpolation crosses a line boundary may differ.
    expect(wrong / ((raster!.height * fine.width) / 3)).toBeLessThan(0.02);
  });

  it('stretches standard-resolution lines (204 × 98 dpi) to square pixels', async () => {
    const raster = await embeddedImage(await faxPdf(standard, 'g4'));
    expect(raster!.dpi).toBe(FAX_XDPI);
    expect(Math.abs(raster!.height - Math.round((standard.height * FAX_XDPI) / 98))).toBeLessThanOrEqual(1);
    // The page remembers its coarse lines; a fine-mode page (one line in 25 doubled) is square enough.
    expect(raster!.lineDpi).toBeCloseTo(98, 0);
    expect((await embeddedImage(await faxPdf(fine, 'g4')))!.lineDpi).toBeUndefined();
  });

  describe('OCR (real tesseract.js)', () => {
    const ocr = useOcrEngine();

    /** Every digit cell right, or below OCR_FLAG_THRESHOLD (a person looks at it): never silently wrong. */
    async function expectRightOrDoubtful(bytes: Uint8Array): Promise<void> {
      const doc = await extractDocument({ bytes, name: 'fax.pdf' }, { ocr: ocr() });
      expect(doc.status).not.toBe('failed');
      expect(doc.pages[0]!.method).toBe('ocr');
      expect(doc.tables).toHaveLength(1);
      const table = doc.tables[0]!;
      expect([table.rows, table.cols]).toEqual([ROWS.length, ROWS[0]!.length]);
      const silent: string[] = [];
      for (let r = 1; r < ROWS.length; r++)
        for (let c = 1; c < ROWS[r]!.length; c++) {
          const cell = table.cells.find((x) => x.row === r && x.col === c);
          if (cell?.text !== ROWS[r]![c] && (cell?.confidence ?? 0) >= OCR_FLAG_THRESHOLD)
            silent.push(`${ROWS[r]![c]} read ${JSON.stringify(cell?.text)} at ${cell?.confidence}`);
        }
      expect(silent).toEqual([]);
    }

    it('a fine-mode G4 fax page: every digit right or flagged as doubtful, never silently wrong', async () => {
      await expectRightOrDoubtful(await faxPdf(fine, 'g4'));
    }, 120_000);

    it('a standard-mode stencil-mask fax page: every digit right or flagged as doubtful, never silently wrong', async () => {
      await expectRightOrDoubtful(await faxPdf(standard, 'mask-g4'));
    }, 120_000);

    it('a standard-mode page is marked with its 98 lines an inch, and no number on it is trusted unchecked', async () => {
      const doc = await extractDocument({ bytes: await faxPdf(standard, 'g4'), name: 'fax.pdf' }, { ocr: ocr() });
      expect(doc.pages[0]!.image?.lineDpi).toBeCloseTo(98, 0);
      // 表二-like cells no sum checks: each reading, right or wrong, stays below the flag line.
      const numbers = doc.tables[0]!.cells.filter((c) => c.row > 0 && c.col > 0 && c.text !== '');
      expect(numbers.length).toBeGreaterThan(0);
      for (const c of numbers) expect(c.confidence).toBeLessThan(LOW_CONFIDENCE);
    }, 120_000);
  });
});
