import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../core/index.js';
import { bombContent, hugeMediaBoxPdf, pagesPdf, textContent } from '../../bench/fuzz/traps.js';

describe('deadlines and bounds in the production path (analyzePages)', () => {
  it('a page that never finishes is stopped with PAGE_TIMEOUT; the pages around it are kept', async () => {
    const bytes = pagesPdf([textContent('first'), bombContent(200), textContent('third')]);
    const doc = await extractDocument({ bytes, name: 'trap.pdf' }, { limits: { pageTimeoutMs: 2_000 } });
    expect(doc.pages.map((p) => p.method)).toEqual(['text-layer', 'failed', 'text-layer']);
    expect(doc.pages[0]?.text).toContain('first line 1');
    expect(doc.pages[2]?.text).toContain('third line 12');
    expect(doc.problems).toEqual([expect.objectContaining({ code: 'PAGE_TIMEOUT', page: 2, stage: 'parse' })]);
    expect(doc.status).toBe('needs_review');
  }, 60_000);

  it('a page whose parse outgrows the memory budget fails alone with PAGE_TOO_LARGE', async () => {
    const bytes = pagesPdf([bombContent(200), textContent('second')]);
    const doc = await extractDocument({ bytes }, { limits: { pageTimeoutMs: 120_000, memoryBudgetMb: 160 } });
    expect(doc.problems).toEqual([expect.objectContaining({ code: 'PAGE_TOO_LARGE', page: 1 })]);
    expect(doc.problems[0]?.message).toContain('memory budget of 160 MB');
    expect(doc.pages[1]?.text).toContain('second line 1');
  }, 120_000);

  it('a MediaBox of 14,400,000 pt ends at once with PAGE_TOO_LARGE', async () => {
    const doc = await extractDocument({ bytes: hugeMediaBoxPdf() }, {});
    expect(doc.problems).toEqual([expect.objectContaining({ code: 'PAGE_TOO_LARGE', page: 1 })]);
  });

  it('the document deadline leaves the pages after it unread, with TIMEOUT', async () => {
    const bytes = pagesPdf([textContent('a'), bombContent(200), textContent('c')]);
    const doc = await extractDocument({ bytes }, { limits: { pageTimeoutMs: 60_000, documentTimeoutMs: 2_000 } });
    expect(doc.problems.map((p) => [p.code, p.page])).toEqual([
      ['PAGE_TIMEOUT', 2],
      ['TIMEOUT', 3],
    ]);
    expect(doc.pages[0]?.text).toContain('a line 1');
  }, 60_000);
});
