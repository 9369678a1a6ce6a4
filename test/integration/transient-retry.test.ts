import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { documentJobId } from '../../queue/index.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { callsPerDocument, ingestFiles, startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

describe('a transient fault is retried with backoff', () => {
  let stack: WorkerStack;
  beforeAll(async () => {
    stack = await startWorkerStack({
      env: (dir) => ({
        DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
        DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
        DOCQ_FLAKY_MARKER: join(dir, 'flaky'),
      }),
    });
  });
  afterAll(async () => stack?.cleanup());

  it('fails the first attempt, succeeds on the second, and stores the document once', async () => {
    const { dir, mongo, queue, lines } = stack;
    const final = await ingestFiles(stack, { 'a.pdf': '/work/shared/corpus/dev/synth-2019-2/digital.pdf' });
    expect(final).toMatchObject({ complete: true, queued: 1, failed: 0 });
    expect(lines.some((l) => /failed \(attempt 1, will retry\): simulated transient fault/.test(l))).toBe(true);
    const doc = await mongo.db.models.Document.findOne({}).lean();
    expect(doc?.attempts).toBe(2);
    expect(['done', 'needs_review']).toContain(doc?.status);
    // The run counts the document once its record is written; the job completes a moment later (the
    // cross-report step runs after the save), and BullMQ counts the attempt then.
    const jobId = documentJobId(doc?.sha256 ?? '', PIPELINE_VERSION);
    const until = Date.now() + 15_000;
    while ((await queue.getJobState(jobId)) !== 'completed' && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    const job = await queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(2);
    expect([...(await callsPerDocument(join(dir, 'calls.txt'))).values()]).toEqual([2]);
  });
});
