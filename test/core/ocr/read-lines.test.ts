import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchLabels } from '../../../core/ocr/batch-labels.js';
import { createOcrEngine } from '../../../core/ocr/create-ocr-engine.js';
import { encodeTiff } from '../../../core/ocr/encode-tiff.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import type { LineKind, LineReading, LineRequest, OcrEngine } from '../../../core/ocr/ocr-engine.js';
import { parseHocrLines } from '../../../core/ocr/parse-hocr.js';

/** Row labels of 表三 as a report prints them. */
const LABELS = [
  '一、本年新收政府信息公开申请数量',
  '二、上年结转政府信息公开申请数量',
  '（一）予以公开',
  '1.属于国家秘密',
  '2.其他法律行政法规禁止公开',
  '3.危及“三安全一稳定”',
  '4.保护第三方合法权益',
  '5.属于三类内部事务信息',
  '6.属于四类过程性信息',
  '7.属于行政执法案卷',
  '四、结转下年度继续办理',
];

/** One label crop at 300 dpi: 10.5-pt Noto Serif CJK on white with a quiet margin; `vertical` sets one glyph a line. */
function crop(text: string, vertical = false): GrayRaster {
  const px = 44;
  const glyphs = [...text];
  const [w, h] = vertical ? [px + 30, glyphs.length * (px + 8) + 30] : [glyphs.length * px + 40, px + 34];
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#111';
  ctx.font = `${px}px "Noto Serif CJK SC"`;
  if (vertical) glyphs.forEach((g, i) => ctx.fillText(g, 15, 15 + px * 0.88 + i * (px + 8)));
  else ctx.fillText(text, 20, 17 + px * 0.88);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4] ?? 255;
  return { width: w, height: h, data };
}

const bare = (s: string): string => s.replace(/\s/g, '');

describe('encodeTiff', () => {
  it('writes a multi-page gray TIFF whose pages keep their own size and resolution', async () => {
    const pages = [
      { ...crop('予以公开'), dpi: 300 },
      { ...crop('总计', true), dpi: 200 },
    ];
    const tiff = encodeTiff(pages);
    const meta = await sharp(tiff).metadata();
    expect(meta.pages).toBe(2);
    for (const [i, p] of pages.entries()) {
      const page = sharp(tiff, { page: i });
      const m = await page.metadata();
      expect([m.width, m.height, m.density, m.channels]).toEqual([p.width, p.height, p.dpi, 1]);
      const raw = await page.extractChannel(0).raw().toBuffer();
      expect(Buffer.compare(raw, Buffer.from(p.data))).toBe(0);
    }
  });
});

describe('parseHocrLines', () => {
  const page = (chars: [string, number][][]): string =>
    `<div class='ocr_page' id='page_1' title='bbox 0 0 10 10'>${chars
      .map(
        (w) =>
          `<span class='ocrx_word' title='bbox 0 0 1 1; x_wconf 90'>${w
            .map(([c, conf]) => `<span class='ocrx_cinfo' title='x_bboxes 0 0 1 1; x_conf ${conf}'>${c}</span>`)
            .join('')}</span>`,
      )
      .join(' ')}</div>`;
  it('gives each page its words, joined as one line, with mean and weakest symbol confidence', () => {
    const hocr = [
      page([
        [
          ['1', 90],
          ['.', 80],
        ],
        [
          ['属', 100],
          ['于', 70],
        ],
      ]),
      page([]),
      page([[['&amp;', 50]]]),
    ].join('\n');
    const [a, b, c] = parseHocrLines(hocr, 3);
    expect(a).toMatchObject({ text: '1. 属于', weakest: 0.7 });
    expect(a!.confidence).toBeCloseTo(0.85);
    expect(b).toEqual({ text: '', confidence: 0, weakest: 0 });
    expect(c).toMatchObject({ text: '&', weakest: 0.5 });
  });
  it('refuses output whose page count does not match the crops sent', () => {
    expect(() => parseHocrLines(page([[['一', 99]]]), 2)).toThrow(/1 pages, 2 were sent/);
  });
});

describe('readLines (real tesseract: native CLI and tesseract.js)', () => {
  let engine: OcrEngine;
  beforeAll(async () => {
    engine = await createOcrEngine({ workers: 1 });
  });
  afterAll(async () => {
    await engine.terminate();
  });

  it('reads a table’s labels in one recogniser run, as reading them one by one does', async () => {
    const lines: LineRequest[] = LABELS.map((t) => ({ image: crop(t), dpi: 300, rows: 1 }));
    const alone: LineReading[] = [];
    for (const l of lines) alone.push(await engine.readLine(l.image, 'label', l.dpi, l.rows));
    const before = engine.stats().calls;
    const together = await engine.readLines(lines, 'label');
    expect(engine.stats().calls - before).toBe(1);
    // The same recogniser natively: at most one label reads differently (in the dev scans' labels, 6 of 135).
    const differ = together.filter((r, i) => bare(r.text) !== bare(alone[i]!.text));
    expect(differ.length).toBeLessThanOrEqual(1);
    // The texts are the labels (a quote mark and a glyph may go wrong in either reading).
    const right = together.filter((r, i) => bare(r.text).normalize('NFKC') === LABELS[i]!.normalize('NFKC'));
    expect(right.length).toBeGreaterThanOrEqual(LABELS.length - 2);
    for (const [i, r] of together.entries()) {
      expect(r.confidence).toBeCloseTo(alone[i]!.confidence, 1);
      expect(r.weakest).toBeLessThanOrEqual(r.confidence);
    }
  }, 60_000);

  it('keeps the callers’ order when vertical writing goes to tesseract.js and few labels are read one by one', async () => {
    const lines: LineRequest[] = LABELS.map((t) => ({ image: crop(t), dpi: 300, rows: 1 }));
    lines.splice(3, 0, { image: crop('总计', true), dpi: 300, rows: 2 });
    const vertical = await engine.readLine(lines[3]!.image, 'label', 300, 2);
    const before = engine.stats().calls;
    const read = await engine.readLines(lines, 'label');
    expect(engine.stats().calls - before).toBe(2); // one native run, one tesseract.js call
    expect(read[3]!.text).toBe(vertical.text);
    expect(bare(read[4]!.text)).toBe('1.属于国家秘密');
    const few = await engine.readLines(lines.slice(0, 3), 'label');
    expect(engine.stats().calls - before).toBe(5);
    expect(few.map((r) => bare(r.text))).toEqual(read.slice(0, 3).map((r) => bare(r.text)));
  }, 60_000);
});

describe('batchLabels', () => {
  /** The real engine, its batch reads recorded. */
  function recorded(engine: OcrEngine): { engine: OcrEngine; batches: number[] } {
    const batches: number[] = [];
    return {
      batches,
      engine: {
        ...engine,
        readLines: (lines: readonly LineRequest[], kind: LineKind) => {
          batches.push(lines.length);
          return engine.readLines(lines, kind);
        },
      },
    };
  }
  let engine: OcrEngine;
  beforeAll(async () => {
    engine = await createOcrEngine({ workers: 1 });
  });
  afterAll(async () => {
    await engine.terminate();
  });

  it('gathers the label reads of one turn into one batch; numbers and reads with options go alone', async () => {
    const { engine: inner, batches } = recorded(engine);
    const cells = batchLabels(inner);
    const digits = crop('1234');
    const [labels, number, second] = await Promise.all([
      Promise.all(LABELS.map((t) => cells.readLine(crop(t), 'label', 300))),
      cells.readLine(digits, 'digits', 300),
      cells.readLine(digits, 'digits', 300, 1, { second: true }),
    ]);
    expect(batches).toEqual([LABELS.length]);
    expect(bare(labels[3]!.text)).toBe('1.属于国家秘密');
    expect(number.text).toBe('1234');
    expect(second.text).toBe('1234');
    // A read asked for after the batch was sent makes a batch of its own.
    await cells.readLine(crop(LABELS[0]!), 'label', 300);
    expect(batches).toEqual([LABELS.length, 1]);
  }, 60_000);
});
