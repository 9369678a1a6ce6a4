import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import type { Table } from '../../../core/model/index.js';
import { inferLostRules } from '../../../core/raster/infer-lost-rules.js';
import { DEV, faxedTables as tablesOf, shape } from '../../helpers/faxed-page.js';

describe('inferLostRules: rows of a standard-mode fax table whose row rules fell between scan lines', () => {
  it('gives the 表二 of a v2019 report the rows the fine-mode fax of the same page has', async () => {
    const fine = await tablesOf('synth-2019-2', 1, 196, false);
    expect(shape(fine)).toEqual(['10x4']);
    // At 98 lines an inch the thin row rules are gone: the lattice is a few tall bands.
    const lost = await tablesOf('synth-2019-2', 1, 98, false);
    expect(lost[0]!.rows).toBeLessThan(fine[0]!.rows);
    const standard = await tablesOf('synth-2019-2', 1, 98, true);
    expect(shape(standard)).toEqual(shape(fine));
    // The caption rows span the table as on the fine page.
    const spans = (t: Table): string[] => t.cells.map((c) => `${c.row},${c.col}:${c.rowSpan}x${c.colSpan}`);
    expect(spans(standard[0]!)).toEqual(spans(fine[0]!));
  }, 60_000);

  it('does not split the wrapped two-line headers of a 表四: the rows of the born-digital table', async () => {
    const digital = await extractDocument({
      bytes: readFileSync(join(DEV, 'synth-2019-2', 'digital.pdf')),
      name: 'digital.pdf',
    });
    const printed = digital.tables.filter((t) => t.pages.length === 1 && t.pages[0] === 3);
    expect(shape(printed)).toEqual(['4x15']);
    const standard = await tablesOf('synth-2019-2', 3, 98, true);
    expect(shape(standard).slice(-1)).toEqual(shape(printed));
  }, 60_000);
});

describe('inferLostRules: the dashes a lost rule leaves between two rows', () => {
  it('splits the rows of a tightly set 表三 whose every row rule was lost (synth-21x-1, page 2)', async () => {
    const t3 = (tables: Table[]): Table => tables.find((t) => t.cols >= 9)!;
    const fine = t3(await tablesOf('synth-21x-1', 2, 196, false));
    const standard = t3(await tablesOf('synth-21x-1', 2, 98, true));
    // The dashes were taken for writing across the gap: 18 rows; the fine-mode page has all of them.
    expect(standard.rows).toBeGreaterThanOrEqual(21);
    expect(standard.rows).toBeLessThanOrEqual(fine.rows);
  }, 60_000);
});

describe('inferLostRules: a caption line between two clear gaps is a row of its own', () => {
  // A drawn 204-dpi band (no row rule left, as on 淮安市's standard-mode 表二): a label column and three
  // value columns; lines of glyph-sized blobs 28 px tall at the given tops, in the given columns.
  const dpi = 204;
  const [width, height] = [800, 700];
  const cols = [0, 350, 500, 650, 800];
  const pt = (px: number): number => (px * 72) / dpi;
  /** `dashes`: [top, column, rows tall] strokes 24 px long (shorter than a rule piece), the dash a lost rule leaves. */
  const rowsOf = (
    lines: readonly [number, readonly number[]][],
    dashes: readonly (readonly number[])[] = [],
  ): number[] => {
    const data = new Uint8Array(width * height);
    for (const [y, inCols] of lines)
      for (const c of inCols)
        for (let x = cols[c]! + 20; x + 20 < cols[c]! + 200 && x + 20 < cols[c + 1]! - 10; x += 26)
          for (let dy = 0; dy < 28; dy++) data.fill(1, (y + dy) * width + x, (y + dy) * width + x + 20);
    for (const [y, c, h] of dashes)
      for (let dy = 0; dy < h!; dy++)
        data.fill(1, (y! + dy) * width + cols[c!]! + 30, (y! + dy) * width + cols[c!]! + 54);
    const vLines = cols.map((x) => ({ axis: 'v' as const, at: pt(x), from: 0, to: pt(height) }));
    const grid = {
      box: { x0: 0, y0: 0, x1: pt(width), y1: pt(height) },
      rowAnchors: [0, pt(height)],
      colAnchors: cols.map(pt),
      hLines: [],
      vLines,
      openTop: true,
      openBottom: true,
    };
    return inferLostRules({ width, height, data, dpi }, grid, dpi, vLines, true).rowAnchors.map((y) => (y * dpi) / 72);
  };

  it('puts a rule under and over each caption line: five rows (two before)', () => {
    const rows = rowsOf([
      [40, [0]], // 第二十条第（一）项: one cell across
      [140, [0, 1, 2, 3]], // 信息内容 | 本年制发件数 …
      [240, [0, 1, 2, 3]], // 规章 | 1 | 0 | 11
      [340, [0]], // 第二十条第（五）项
      [440, [0, 1]], // 行政许可 | 447228
    ]);
    expect(rows.length - 1).toBe(5);
    // Each rule in the gap between two lines of writing.
    [110, 210, 310, 410].forEach((y, i) => expect(Math.abs(rows[i + 1]! - y)).toBeLessThan(20));
  });

  it('puts a rule through a dash 9 px tall between two rows (淮安市 standard 表二, none before)', () => {
    // 行政处罚 | 398 over 行政强制 | 58: 78 px apart, the rule left as a 9-px dash in the last column
    // — too tall for a blip, and the two gaps beside it each left too little writing between them.
    const rows = rowsOf(
      [
        [40, [0, 1, 2, 3]],
        [146, [0, 1, 2, 3]],
      ],
      [[104, 3, 9]],
    );
    expect(rows.length - 1).toBe(2);
    expect(Math.abs(rows[1]! - 108)).toBeLessThan(10);
  });

  it("keeps a wrapped label's first line in its row: 24 px over its second line (淮安市 fine, 表三)", () => {
    const rows = rowsOf([
      [40, [0]], // 1、申请人无正当理由逾期不补
      [92, [0, 1, 2, 3]], // 正、行政机关不再处理… | 67 | 3 | 0
      [192, [0, 1, 2, 3]],
    ]);
    expect(rows.map(Math.round)).toEqual([0, 156, 700]);
  });
});
