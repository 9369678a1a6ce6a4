import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
// @ts-expect-error the package ships no types: parse(text) → [{ name, type, metrics: [{ value, labels }] }]
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build-api.js';
import { PIPELINE_VERSION } from '../../core/version.js';
import { addUser } from '../../models/users.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { watchRun } from '../../producers/watch-run.js';
import { createExtractQueue } from '../../queue/index.js';
import { freePort } from '../helpers/redis.js';
import { startWorkerStack, type WorkerStack } from '../integration/fixtures/worker-stack.js';

const DEV = new URL('../../../shared/corpus/dev/', import.meta.url).pathname;

interface Family {
  name: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}

function metric(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample === undefined ? undefined : Number(sample.value);
}

/** The operations surface of `docq serve` against real Redis, the embedded server and a real worker run. */
describe('ops routes: health, readiness, metrics, OpenAPI, queues dashboard, archive dashboard', () => {
  let stack: WorkerStack;

  beforeAll(async () => {
    stack = await startWorkerStack({ concurrency: 1 });
  }, 60_000);
  afterAll(async () => stack?.cleanup());

  it('answers /health, and /ready only while Redis and MongoDB answer', async () => {
    const app = buildApi({ models: stack.mongo.db.models, queue: stack.queue });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', redis: 'ok', mongodb: 'ok' });
    await app.close();

    // The same API over a queue whose Redis is down.
    const dead = createExtractQueue({ url: `redis://127.0.0.1:${await freePort()}`, prefix: 'down' });
    dead.on('error', () => undefined);
    const down = buildApi({ models: stack.mongo.db.models, queue: dead });
    const notReady = await down.inject({ url: '/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({
      status: 'not ready',
      redis: expect.stringMatching(/^unreachable/),
      mongodb: 'ok',
    });
    expect((await down.inject({ url: '/health' })).statusCode).toBe(200);
    await down.close();
    await dead.close();
  }, 30_000);

  it('serves Prometheus metrics whose figures move after a run, and the dashboard data naming failed files', async () => {
    const app = buildApi({ models: stack.mongo.db.models, queue: stack.queue });
    const before = parsePrometheusTextFormat((await app.inject({ url: '/metrics' })).body) as Family[];
    expect(metric(before, 'docq_documents', { status: 'done' }) ?? 0).toBe(0);

    const folder = join(stack.dir, 'in');
    await mkdir(folder);
    await copyFile(join(DEV, 'synth-1-2/digital.pdf'), join(folder, 'flagged.pdf'));
    await copyFile(join(DEV, 'synth-1-0/digital.pdf'), join(folder, 'clean.pdf'));
    await writeFile(join(folder, 'empty.pdf'), '');
    const queued = await ingestFolder({
      roots: [folder],
      models: stack.mongo.db.models,
      queue: stack.queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect(await watchRun(stack.mongo.db.models, queued.runId, { pollMs: 200 })).toMatchObject({ complete: true });
    // The run counts a document once its record is written; its job completes a moment later (the
    // cross-report step runs after the save): wait for both jobs before reading the queue's figures.
    const until = Date.now() + 15_000;
    while (((await stack.queue.getJobCounts('completed'))['completed'] ?? 0) < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));

    // A fresh app: the metrics cache of the first one would hold the old figures for a few seconds.
    const after = buildApi({ models: stack.mongo.db.models, queue: stack.queue });
    const res = await after.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const families = parsePrometheusTextFormat(res.body) as Family[];
    const finished =
      (metric(families, 'docq_documents', { status: 'done' }) ?? 0) +
      (metric(families, 'docq_documents', { status: 'needs_review' }) ?? 0);
    expect(finished).toBe(2);
    expect(metric(families, 'docq_documents_failed', { code: 'EMPTY' })).toBe(1);
    expect(metric(families, 'docq_queue_jobs', { state: 'completed' })).toBeGreaterThanOrEqual(2);
    expect(metric(families, 'docq_review_backlog')).toBe(
      metric(families, 'docq_documents', { status: 'needs_review' }) ?? 0,
    );
    expect(metric(families, 'docq_flagged_cell_ratio')).toBeGreaterThan(0);
    expect(metric(families, 'docq_pages_per_second', { method: 'text-layer' })).toBeGreaterThan(0);
    expect(metric(families, 'docq_seconds_per_page', { method: 'text-layer' })).toBeGreaterThan(0);
    expect(families.some((f) => f.name === 'docq_crawl_fetches')).toBe(true);

    const data = (await after.inject({ url: '/dashboard/data' })).json();
    expect(data.failures).toEqual([
      expect.objectContaining({
        code: 'EMPTY',
        count: 1,
        files: [expect.objectContaining({ source: join(folder, 'empty.pdf') })],
      }),
    ]);
    expect(data.rates.docsPerMin).toBeGreaterThan(0);
    expect(data.documentsByYear.find((y: { year: string }) => y.year === '2023')).toBeDefined();
    const page = await after.inject({ url: '/dashboard' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/dashboard/data');
    await app.close();
    await after.close();
  }, 180_000);

  it('publishes a valid OpenAPI document generated from the route schemas', async () => {
    const app = buildApi({ models: stack.mongo.db.models, queue: stack.queue });
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const api = await SwaggerParser.validate(structuredClone(doc));
    expect(api.info.title).toBe('docq API');
    const paths = Object.keys(doc.paths);
    for (const path of ['/health', '/ready', '/metrics', '/status', '/documents/{sha256}/review'])
      expect(paths).toContain(path);
    expect(paths.some((p) => p.startsWith('/queues'))).toBe(false);
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
    await app.close();
  }, 30_000);

  it('serves the BullMQ dashboard at /queues, admin-only once accounts exist', async () => {
    const app = buildApi({ models: stack.mongo.db.models, queue: stack.queue });
    expect((await app.inject({ url: '/queues' })).statusCode).toBe(200);
    const admin = await addUser(stack.mongo.db.models, 'root', 'admin');
    const reviewer = await addUser(stack.mongo.db.models, 'ann', 'reviewer');
    if (!('token' in admin) || !('token' in reviewer)) throw new Error('users not created');
    expect((await app.inject({ url: '/queues' })).statusCode).toBe(401);
    const asReviewer = await app.inject({ url: '/queues', headers: { authorization: `Bearer ${reviewer.token}` } });
    expect(asReviewer.statusCode).toBe(403);
    const asAdmin = await app.inject({ url: '/queues', headers: { authorization: `Bearer ${admin.token}` } });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.body).toContain('<html');
    const api = await app.inject({ url: '/queues/api/queues', headers: { authorization: `Bearer ${admin.token}` } });
    expect(api.json().queues[0].name).toBe('extract');
    await app.close();
  }, 30_000);
});
