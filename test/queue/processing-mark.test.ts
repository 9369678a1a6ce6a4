import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Models } from '../../models/index.js';
import { deferProcessingMark } from '../../workers/processing-mark.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the deferred processing mark, against the embedded server', () => {
  let mongo: TestMongo;
  let models: Models;
  let n = 0;
  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
  });
  afterAll(async () => {
    await mongo.cleanup();
  });

  /** A document the producer queued: its record exists, no pass has started. */
  async function queued(
    fresh: boolean,
  ): Promise<{ sha256: string; path: string; runId: string; pipelineVersion: string; fresh?: boolean }> {
    const sha256 = (++n).toString(16).padStart(64, '0');
    await models.Document.updateOne({ sha256 }, { $set: { status: 'queued' } }, { upsert: true });
    return { sha256, path: `/in/${n}.pdf`, runId: 'run-m', pipelineVersion: '1', ...(fresh ? { fresh } : {}) };
  }
  const status = async (sha256: string): Promise<unknown> =>
    (await models.Document.findOne({ sha256 }, { status: 1 }).lean())?.status;

  it("a job done before the delay writes no mark; the producer's word makes its first run a first pass", async () => {
    const data = await queued(true);
    const mark = deferProcessingMark(models, data, { attemptsMade: 0, stalledCounter: 0 }, 200);
    await sleep(20);
    expect(await mark.settle()).toBe(true);
    await sleep(250);
    expect(await status(data.sha256)).toBe('queued');
  });

  it('a retried or stalled job, or one the producer did not vouch for, is not a first pass', async () => {
    for (const [fresh, job] of [
      [true, { attemptsMade: 1, stalledCounter: 0 }],
      [true, { attemptsMade: 0, stalledCounter: 1 }],
      [false, { attemptsMade: 0, stalledCounter: 0 }],
    ] as const) {
      const data = await queued(fresh);
      expect(await deferProcessingMark(models, data, job, 200).settle()).toBe(false);
    }
  });

  it("a job outlasting the delay is marked processing; the mark's before-image decides the first pass", async () => {
    const data = await queued(false); // without the producer's word, only the mark can tell
    const mark = deferProcessingMark(models, data, { attemptsMade: 0 }, 30);
    await sleep(150);
    expect(await status(data.sha256)).toBe('processing');
    expect(await mark.settle()).toBe(true);

    // The next pass finds the startedAt the first one left: not a first pass.
    const again = deferProcessingMark(models, data, { attemptsMade: 0 }, 0);
    expect(await again.now()).toBe(false);
  });

  it('a job that threw (cancel) leaves no mark behind', async () => {
    const data = await queued(true);
    const mark = deferProcessingMark(models, data, { attemptsMade: 0 }, 50);
    mark.cancel();
    await sleep(150);
    expect(await status(data.sha256)).toBe('queued');
  });
});
