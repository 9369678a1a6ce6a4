/**
 * Page orientation on real pages, turned every way: dev scan pages and pages of the real annual
 * reports (rendered with pdftoppm), each upright, sideways both ways and upside down, must come back
 * upright through prepareScan with the real upright scorer; and the real timetable that a ruling-line
 * cue had turned sideways is read upright through the whole core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../core/index.js';
import { decodeImage } from '../../core/intake/decode-image.js';
import { scoreUpright } from '../../core/ocr/score-upright.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { rotateRightAngle, type Raster } from '../../core/raster/raster.js';
import { renderFlat } from '../helpers/make-photo.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const DEV = join(SHARED, 'corpus', 'dev');
const REAL = join(SHARED, 'corpus', 'real');
const present = existsSync(join(REAL, 'PROVENANCE.md')) && existsSync(DEV);

/** Dev scan pages not looked at while the orientation cues were weighed (a prose page, a table page). */
const DEV_PAGES = ['synth-2019-1/pages/heavy-1.jpg', 'synth-21x-2/pages/heavy-3.jpg'];
/**
 * Real report pages (1-based page of the PDF, render dpi): the opening prose and 表三. 淮安市 2024's
 * 表三 at 200 dpi: its thin 仿宋 table text breaks into specks under the strict glyph binarisation,
 * which had made the upright scorer's strip half a line high, and it came back upside down.
 */
const REPORT_PAGES: readonly [string, number, number][] = [
  ['gov_annual_reports/huaian_hongze_2023_gov_info_disclosure_annual_report.pdf', 1, 150],
  ['gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf', 4, 150],
  ['gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf', 4, 200],
];
const TURNS = [0, 90, 180, 270] as const;

async function decodeFirst(bytes: Uint8Array): Promise<Raster> {
  const d = await decodeImage(bytes);
  if (d.status === 'failed') throw new Error(d.problem.message);
  return d.pages[0]!;
}

describe.skipIf(!present)('page orientation on real pages turned every way', () => {
  const ocr = useOcrEngine({ workers: 1 });

  async function expectUprightEveryWay(page: Raster): Promise<void> {
    for (const turn of TURNS) {
      const p = await prepareScan(rotateRightAngle(page, turn), { scoreUpright: scoreUpright(ocr()) });
      // The rotation found must undo the turn given; the decision on a clean page is not a close call.
      expect({ turn, undone: (turn + p.rotation) % 360 }).toEqual({ turn, undone: 0 });
      expect(p.orientation.uncertain).toBe(false);
    }
  }

  it.each(DEV_PAGES)(
    'dev scan %s: upright, sideways and upside down all come back upright',
    async (file) => {
      await expectUprightEveryWay(await decodeFirst(new Uint8Array(readFileSync(join(DEV, file)))));
    },
    120_000,
  );

  it.each(REPORT_PAGES)(
    'real report %s page %i at %i dpi: upright, sideways and upside down all come back upright',
    async (file, n, dpi) => {
      await expectUprightEveryWay(renderFlat(join(REAL, file), n, dpi));
    },
    120_000,
  );

  // Eight day columns of two-line cells under many vertical rules: a ruling/run-length cue read it
  // as sideways (docs/real-scans.md); glyph spacing and shape read it upright.
  it('rapidai_tsr/wired__table1.png (upright timetable, dense grid): read upright, its grid 9 columns wide', async () => {
    const bytes = new Uint8Array(readFileSync(join(REAL, 'rapidai_tsr/wired__table1.png')));
    const doc = await extractDocument({ bytes, name: 'wired__table1.png' }, { ocr: ocr() });
    expect(doc.pages[0]!.rotation).toBe(0);
    expect(doc.pages[0]!.orientation?.evidence).toBeGreaterThan(0);
    expect(doc.flags.filter((f) => f.kind === 'orientation-uncertain')).toEqual([]);
    const big = doc.tables.reduce((a, b) => (a.rows * a.cols >= b.rows * b.cols ? a : b));
    expect(big.cols).toBeGreaterThanOrEqual(7);
    expect(big.cells.map((c) => c.text).join(' ')).toMatch(/星期/);
  }, 120_000);

  it('a page whose orientation rests on a close call carries the decision and an orientation-uncertain flag', async () => {
    // Square blobs on an even lattice, nothing for the recogniser: neither direction nor side can be read.
    const w = 600;
    const data = new Uint8Array(w * w).fill(250);
    for (let y = 60; y < 540; y += 36)
      for (let x = 60; x < 540; x += 36) for (let yy = y; yy < y + 16; yy++) data.fill(30, yy * w + x, yy * w + x + 16);
    const sharp = (await import('sharp')).default;
    const png = await sharp(Buffer.from(data), { raw: { width: w, height: w, channels: 1 } })
      .png()
      .toBuffer();
    const doc = await extractDocument({ bytes: new Uint8Array(png), name: 'lattice.png' }, { ocr: ocr() });
    expect(doc.pages[0]!.orientation?.uncertain).toBe(true);
    expect(doc.flags.map((f) => f.kind)).toContain('orientation-uncertain');
    expect(doc.status).toBe('needs_review');
  }, 120_000);
});
