import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { ingestFiles, startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const DEV = '/work/shared/corpus/dev';
const SCANS = ['synth-1-0', 'synth-1-1', 'synth-2019-0']; // 3 image-only pages each

describe('page-range jobs of a started scan go ahead of the documents still waiting', () => {
  let stack: WorkerStack;
  beforeAll(async () => {
    stack = await startWorkerStack({
      concurrency: 1,
      env: (dir) => ({ DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR, DOCQ_COUNT_FILE: join(dir, 'calls.txt') }),
    });
  });
  afterAll(async () => stack?.cleanup());

  it(
    'each scan’s pages 2–3 are read right after its page 1, before the next document starts',
    { timeout: 600_000 },
    async () => {
      const final = await ingestFiles(
        stack,
        Object.fromEntries(SCANS.map((d) => [`${d}.pdf`, `${DEV}/${d}/scan-light.pdf`])),
        540_000,
      );
      expect(final).toMatchObject({ complete: true, queued: 3, failed: 0 });
      const calls = (await readFile(join(stack.dir, 'calls.txt'), 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ').slice(0, 2).join(' '));
      // One job at a time: page 1 of a document (its fan-out), then its child, then the next document.
      expect(calls).toHaveLength(6);
      for (let i = 0; i < calls.length; i += 2) {
        const [sha, range] = (calls[i] ?? '').split(' ');
        expect(range).toBe('1-1');
        expect(calls[i + 1]).toBe(`${sha} 2-3`);
      }
    },
  );
});
