import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkReport, saveExtraction } from '../../models/index.js';
import { buildYear, extractOnce } from '../cross-reports/timeline.js';
import { DIGITAL_PDF, startReviewServer, type ReviewServer } from '../helpers/review-server.js';
import { launchChromium } from './browser.js';

/** `DOCQ_SCREENSHOTS=docs npx vitest run test/web/issuer-timeline.test.ts` writes docs/review-timeline.png. */
const SHOTS = process.env['DOCQ_SCREENSHOTS'];
const CARRIED_OVER = 'applications.carried_over.total';
const CARRIED_FORWARD = 'applications.carried_forward.total';

interface Timeline {
  years: {
    year: number;
    sha256: string;
    carriedOver: number | null;
    carriedForward: number | null;
    links: { strength: string; settled: boolean; message: string; other: { year: number } }[];
  }[];
}

describe('issuer timeline on the document page in Chromium (the same issuer’s other years, S3 links)', () => {
  let server: ReviewServer;
  let browser: Browser;
  let page: Page;
  let year = 0;
  let lastYear = '';
  /** This year's report: the one opened. */
  let sha = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startReviewServer({ scan: false }), launchChromium()]);
    // This year, last year's whose 结转下年 misses this year's 上年结转 by 5, and one three years back
    // (a gap of a year between): all of one issuer, linked as the worker links them.
    const base = await extractOnce(DIGITAL_PDF);
    const issuer = base.report!.metadata.issuer!;
    year = base.report!.metadata.reportYear!;
    const current = buildYear({ base, year, issuer, set: { [CARRIED_OVER]: 12, [CARRIED_FORWARD]: 7 } });
    const last = buildYear({ base, year: year - 1, issuer, set: { [CARRIED_OVER]: 3, [CARRIED_FORWARD]: 17 } });
    const older = buildYear({ base, year: year - 3, issuer, set: { [CARRIED_FORWARD]: 3 } });
    sha = current.sha256;
    lastYear = last.sha256;
    for (const doc of [older, last, current]) {
      await saveExtraction(server.models, doc, { source: { path: DIGITAL_PDF } });
      await linkReport(server.models, doc.sha256);
    }
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.fill('#token', server.reviewerToken);
    await page.keyboard.press('Enter');
    await page.locator('.queue-table').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws each year with its carried counts, the gap, and the failing link named with its values', async () => {
    const api = (await (await fetch(`${server.url}/documents/${sha}/timeline`)).json()) as Timeline;
    expect(api.years.map((y) => y.year)).toEqual([year - 3, year - 1, year]);
    const self = api.years.find((y) => y.sha256 === sha)!;
    const failing = self.links.find((l) => l.strength === 'strong' && !l.settled)!;
    expect(failing.other.year).toBe(year - 1);

    await page.goto(`${server.url}/documents/${sha}`);
    const strip = page.locator('.timeline');
    await strip.waitFor();
    expect(
      await strip.locator('.tl-year').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.year)),
    ).toEqual([year - 3, year - 1, year].map(String));
    expect(await strip.locator('.tl-gap').innerText()).toContain(String(year - 2));
    const mine = strip.locator('.tl-year.tl-self');
    expect([self.carriedOver, self.carriedForward]).toEqual([12, 7]);
    expect(await mine.locator('.tl-carry').innerText()).toBe('12 → 7');
    const badge = mine.locator('.tl-link.tl-strong');
    expect(await badge.innerText()).toBe(`≠ ${year - 1}`);
    expect(await badge.getAttribute('title')).toBe(failing.message);
    expect(await strip.locator('.tl-open li').allInnerTexts()).toContain(failing.message);
    if (SHOTS) await strip.screenshot({ path: `${SHOTS}/review-timeline.png` });
    expect(pageErrors).toEqual([]);
  });

  it('opens another year from the strip, which then marks that year as the one shown', async () => {
    await page.locator(`.timeline a.tl-label[href="/documents/${lastYear}"]`).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/documents/${lastYear}`);
    await expect
      .poll(() => page.locator('.timeline .tl-year.tl-self').getAttribute('data-year'))
      .toBe(String(year - 1));
    expect(await page.locator('.doc-title').innerText()).toContain(String(year - 1));
    expect(pageErrors).toEqual([]);
  });
});
