import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { pageSeries } from '../../producers/walk-files.js';
import { watchRun } from '../../producers/watch-run.js';
import { startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const REPORT = new URL('../../../shared/corpus/dev/synth-1-0/', import.meta.url).pathname;

describe('a folder of page images is one document', () => {
  it('recognises numbered page series, and any image folder with --pages-as-document', () => {
    expect(pageSeries(['heavy-2.jpg', 'heavy-10.jpg', 'heavy-1.jpg'], false, false)).toEqual([
      'heavy-1.jpg',
      'heavy-2.jpg',
      'heavy-10.jpg',
    ]);
    expect(pageSeries(['001.png', '002.png'], false, false)).toEqual(['001.png', '002.png']);
    // Not a series: another document beside the images, a subfolder, two series, a lone page, unnumbered names.
    expect(pageSeries(['page-1.jpg', 'page-2.jpg', 'report.pdf'], false, false)).toBeNull();
    expect(pageSeries(['page-1.jpg', 'page-2.jpg'], true, false)).toBeNull();
    expect(pageSeries(['heavy-1.jpg', 'light-1.jpg'], false, false)).toBeNull();
    expect(pageSeries(['page-1.jpg'], false, false)).toBeNull();
    expect(pageSeries(['front.jpg', 'back.jpg'], false, false)).toBeNull();
    expect(pageSeries(['front.jpg', 'back.jpg'], false, true)).toEqual(['back.jpg', 'front.jpg']);
    expect(pageSeries(['front.jpg', 'notes.txt'], false, true)).toBeNull();
  });

  describe('through the queue (real Redis, embedded server, real OCR)', () => {
    let stack: WorkerStack;
    beforeAll(async () => {
      stack = await startWorkerStack({ concurrency: 1 });
    }, 60_000);
    afterAll(async () => stack?.cleanup());

    it("ingests the README's report folder as the report and its scanned pages as one more document, not one per page", async () => {
      const folder = join(stack.dir, 'synth-1-0');
      await mkdir(join(folder, 'pages'), { recursive: true });
      await copyFile(join(REPORT, 'digital.pdf'), join(folder, 'digital.pdf'));
      for (const n of [1, 2, 3])
        await copyFile(join(REPORT, `pages/heavy-${n}.jpg`), join(folder, `pages/heavy-${n}.jpg`));
      const models = stack.mongo.db.models;
      const queued = await ingestFolder({
        roots: [folder],
        models,
        queue: stack.queue,
        pipelineVersion: PIPELINE_VERSION,
      });
      expect(queued).toMatchObject({ files: 4, queuedNow: 2 });
      const final = await watchRun(models, queued.runId, { pollMs: 500 });
      expect(final).toMatchObject({ complete: true, queued: 2, failed: 0 });
      const pages = await models.Document.findOne({ 'source.path': join(folder, 'pages') }).lean();
      expect(pages).toMatchObject({ pageCount: 3, status: expect.stringMatching(/^(done|needs_review)$/) });
      const report = await models.Report.findOne({ sha256: pages?.sha256 }).lean();
      expect(report?.templateVersion).toBe('v2021');
      expect(report?.cells.filter((c) => c.value !== null).length).toBeGreaterThan(100);
    }, 300_000);
  });
});
