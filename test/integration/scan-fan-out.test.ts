import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { watchRun } from '../../producers/watch-run.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const SCAN = '/work/shared/corpus/dev/synth-2019-0/scan-light.pdf'; // 3 image-only pages

describe('a multi-page scan fans out into page-range jobs', () => {
  let stack: WorkerStack;
  beforeAll(async () => {
    stack = await startWorkerStack({
      concurrency: 2,
      // One page per child; page 3's child fails for good (an unreadable page).
      env: (dir) => ({
        DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
        DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
        DOCQ_PAGES_PER_CHILD: '1',
        DOCQ_FAIL_PAGE: '3',
      }),
    });
  });
  afterAll(async () => stack?.cleanup());

  it(
    'reads pages in children, records a failed child as a failed page, and completes the document as needs_review',
    { timeout: 240_000 },
    async () => {
      const { dir, mongo, queue, lines } = stack;
      const input = join(dir, 'in');
      await mkdir(input);
      await copyFile(SCAN, join(input, 'scan.pdf'));
      const queued = await ingestFolder({
        roots: [input],
        models: mongo.db.models,
        queue,
        pipelineVersion: PIPELINE_VERSION,
      });
      const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 250 });
      expect(final).toMatchObject({ complete: true, queued: 1, needsReview: 1 });

      const { Document, Page, PagePartial } = mongo.db.models;
      const doc = await Document.findOne({}).lean();
      expect(doc).toMatchObject({ status: 'needs_review', pageCount: 3 });
      expect(doc?.problems.some((p) => p.code === 'PAGE_FAILED' && p.page === 3)).toBe(true);
      const pages = await Page.find({ sha256: doc?.sha256 }).sort({ number: 1 }).lean();
      expect(pages.map((p) => p.method)).toEqual(['ocr', 'ocr', 'failed']);
      expect(doc?.flagKinds).toContain('page-failed');
      // Partials are cleaned up once assembled: right after the document record is written (which is
      // what the run counts), so give the assembling job a moment to finish.
      const until = Date.now() + 15_000;
      while ((await PagePartial.countDocuments({})) > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect(await PagePartial.countDocuments({})).toBe(0);
      // Page 1 in the parent, pages 2 and 3 in their own children (3 failed without retries).
      const calls = (await readFile(join(dir, 'calls.txt'), 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ')[1]);
      expect(calls.sort()).toEqual(['1-1', '2-2', '3-3']);
      expect(lines.some((l) => /^pages .* failed \(attempt 1, final\)/.test(l))).toBe(true);
      // The parent job completed (not stuck waiting for its failed child). Its completion is recorded
      // after the document's last write, so on a loaded machine give it the same moment.
      const counts = () => queue.getJobCounts('waiting-children', 'active', 'waiting');
      const settled = Date.now() + 15_000;
      while (Object.values(await counts()).some((n) => n > 0) && Date.now() < settled)
        await new Promise((r) => setTimeout(r, 100));
      expect(await counts()).toEqual({
        'waiting-children': 0,
        active: 0,
        waiting: 0,
      });
    },
  );
});
