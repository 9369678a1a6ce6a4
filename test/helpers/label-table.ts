import { createCanvas } from '@napi-rs/canvas';
import type { Box, Cell, Table } from '../../core/model/index.js';
import type { OcrEngine } from '../../core/ocr/ocr-engine.js';
import { cellKey } from '../../core/raster/find-raster-tables.js';
import type { Raster } from '../../core/raster/raster.js';

/**
 * The label column of a ruled table at 300 dpi in Noto Sans CJK (12 pt), its skeleton and its cell
 * crops; the skeleton is `cols` wide (表三: a label column and seven value columns, left blank here).
 */
export function labelTable(
  labels: readonly string[],
  cols = 8,
  /** How far right of its cell's usual place each label is printed, pixels (sub-pixel shifts change the ink a little, as a scan does). */
  shifts: readonly number[] = [],
  /** The face the labels are printed in. */
  font = 'Noto Sans CJK SC',
): { raster: Raster; skeleton: Table; crops: Map<string, Box> } {
  // Wide enough for the longest label on one row (table 三's note is 33 characters).
  const cellW = Math.max(1500, 60 + 52 * Math.max(...labels.map((l) => l.length)));
  // A label with line breaks is printed over that many text rows (table 三's wrapped column heads).
  const lines = Math.max(...labels.map((l) => l.split('\n').length));
  const rowH = 90 + 60 * (lines - 1);
  const canvas = createCanvas(cellW + 20, rowH * labels.length + 20);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.font = `50px "${font}"`;
  const crops = new Map<string, Box>();
  const cells: Cell[] = labels.map((text, row) => {
    const y = 10 + row * rowH;
    ctx.fillRect(10, y, cellW, 3);
    text.split('\n').forEach((line, k) => ctx.fillText(line, 30 + (shifts[row] ?? 0), y + 65 + 60 * k));
    const crop = { x0: 14, y0: y + 4, x1: 10 + cellW - 4, y1: y + rowH - 1 };
    crops.set(cellKey(0, row, 0), crop);
    const k = 72 / 300;
    const box = { x0: crop.x0 * k, y0: crop.y0 * k, x1: crop.x1 * k, y1: crop.y1 * k };
    return {
      row,
      col: 0,
      rowSpan: 1,
      colSpan: 1,
      page: 1,
      box,
      text: '',
      origin: 'ocr',
      confidence: 0,
      shaded: false,
      vertical: false,
    };
  });
  ctx.fillRect(10, 10 + rowH * labels.length, cellW, 3);
  ctx.fillRect(10, 10, 3, rowH * labels.length);
  ctx.fillRect(10 + cellW, 10, 3, rowH * labels.length + 3);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4] ?? 255;
  const raster: Raster = { width: canvas.width, height: canvas.height, data, dpi: 300 };
  const box = { x0: 0, y0: 0, x1: (canvas.width * 72) / 300, y1: (canvas.height * 72) / 300 };
  const skeleton: Table = {
    id: 'p1-t1',
    pages: [1],
    rows: labels.length,
    cols,
    cells,
    detection: 'raster',
    confidence: 1,
    box,
  };
  return { raster, skeleton, crops };
}

/** The engine with the width over height of every label crop it reads summed: what label reading costs. */
export function measured(engine: OcrEngine): { engine: OcrEngine; widths: () => number; calls: () => number } {
  let sum = 0;
  let calls = 0;
  return {
    engine: {
      ...engine,
      readLine: (image, kind, dpi, rows, opts) => {
        if (kind === 'label') {
          sum += (image.width / image.height) * (rows ?? 1);
          calls++;
        }
        return engine.readLine(image, kind, dpi, rows, opts);
      },
      stats: () => engine.stats(),
    },
    widths: () => sum,
    calls: () => calls,
  };
}
