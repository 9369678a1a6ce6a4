import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { correctCell, effectiveValue } from '../../models/index.js';
import { gatherStatus, readerOfModels } from '../../producers/gather-status.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { reprocess } from '../../producers/reprocess.js';
import { watchRun } from '../../producers/watch-run.js';
import { startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const DEV = '/work/shared/corpus/dev';

async function encryptedPdf(): Promise<Uint8Array> {
  // pdf-lib cannot encrypt; qpdf (a Debian package on CI) can.
  const { execFileSync } = await import('node:child_process');
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('secret');
  const dir = await mkdtemp(join(tmpdir(), 'docq-enc-'));
  await writeFile(join(dir, 'plain.pdf'), await doc.save());
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', join(dir, 'plain.pdf'), join(dir, 'enc.pdf')]);
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(join(dir, 'enc.pdf')));
  await rm(dir, { recursive: true, force: true });
  return bytes;
}

describe('ingest → worker → MongoDB, end to end (real Redis, embedded MongoDB, real core)', () => {
  let stack: WorkerStack;
  let folder: string;

  beforeAll(async () => {
    stack = await startWorkerStack({ concurrency: 2 });
    folder = join(stack.dir, 'in');
    await mkdir(folder);
    await mkdir(join(folder, 'sub'));
    await copyFile(join(DEV, 'synth-2019-0/digital.pdf'), join(folder, 'a.pdf'));
    await copyFile(join(DEV, 'synth-1-0/digital.pdf'), join(folder, 'sub/b.pdf'));
    await copyFile(join(DEV, 'synth-1-0/digital.pdf'), join(folder, 'sub/b-copy.pdf')); // same content: one document
    await writeFile(join(folder, 'corrupt.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref');
    await writeFile(join(folder, 'encrypted.pdf'), await encryptedPdf());
    await writeFile(join(folder, 'empty.pdf'), '');
    await writeFile(join(folder, 'not-a-pdf.pdf'), 'just some text, not a PDF at all');
    await writeFile(join(folder, 'notes.txt'), 'skipped by extension');
  });
  afterAll(async () => stack?.cleanup());

  it('stores every good document with its report and every bad one with its error code', async () => {
    const { mongo, queue, lines } = stack;
    const queued = await ingestFolder({
      roots: [folder],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect(queued).toMatchObject({ files: 7, skipped: 1, alreadyDone: 0, queuedNow: 6, resumed: false });
    expect(queued.skippedSamples[0]?.reason).toMatch(/unsupported type \(\.txt\)/);

    // Without a terminal the watcher writes plain lines; the last one has the rates and the ETA.
    const plain: string[] = [];
    const stream = { isTTY: false, write: (line: string) => plain.push(line) > 0 } as unknown as NodeJS.WriteStream;
    const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 200, stream, queue });
    expect(final).toMatchObject({ complete: true, queued: 6, failed: 4 });
    const rates = /^6\/6 finished · .* · ([\d.]+) docs\/min · (\d+) pages\/min · ETA 0s\n$/.exec(plain.at(-1) ?? '');
    expect(rates, plain.join('')).not.toBeNull();
    expect(Number(rates?.[2])).toBeGreaterThan(0);
    expect((final?.done ?? 0) + (final?.needsReview ?? 0)).toBe(2);

    const { Document, Report, Page } = mongo.db.models;
    const docs = await Document.find({}).lean();
    expect(docs).toHaveLength(6);
    const byPath = new Map(docs.map((d) => [d.source.path?.replace(`${folder}/`, ''), d]));
    expect(byPath.get('corrupt.pdf')?.error?.code).toBe('CORRUPT');
    expect(byPath.get('encrypted.pdf')?.error?.code).toBe('ENCRYPTED');
    expect(byPath.get('empty.pdf')?.error?.code).toBe('EMPTY');
    expect(byPath.get('not-a-pdf.pdf')?.error?.code).toBe('UNSUPPORTED_TYPE');
    for (const name of ['a.pdf']) {
      const doc = byPath.get(name);
      expect(['done', 'needs_review']).toContain(doc?.status);
      expect(doc?.pageCount).toBe(3);
      const report = await Report.findOne({ sha256: doc?.sha256 }).lean();
      expect(report?.cells.length).toBeGreaterThan(100);
      expect(await Page.countDocuments({ sha256: doc?.sha256 })).toBe(3);
    }
    // Bad input fails at once: one attempt, no retries.
    expect(byPath.get('corrupt.pdf')?.attempts).toBe(1);
    expect(lines.some((l) => /failed \(attempt 1, final\): CORRUPT/.test(l))).toBe(true);

    const status = await gatherStatus(readerOfModels(mongo.db.models), queue);
    expect(status.failuresByCode.map((f) => f.code).sort()).toEqual([
      'CORRUPT',
      'EMPTY',
      'ENCRYPTED',
      'UNSUPPORTED_TYPE',
    ]);
    expect(status.runs[0]).toMatchObject({ runId: queued.runId, status: 'complete' });
    expect(status.workers).toBeGreaterThanOrEqual(1);

    // A second ingest of the same folder finds everything done.
    const again = await ingestFolder({
      roots: [folder],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect(again).toMatchObject({ queuedNow: 0, alreadyDone: 6, resumed: false });

    // Reprocessing the failed ones re-queues exactly those four, attempts reset.
    const re = await reprocess(mongo.db.models, queue, { kind: 'failed' }, PIPELINE_VERSION);
    expect(re).toMatchObject({ selected: 4, queued: 4, noSource: 0 });
    const reFinal = await watchRun(mongo.db.models, re.runId, { pollMs: 200 });
    expect(reFinal).toMatchObject({ complete: true, queued: 4, failed: 4 });
    expect(await Document.countDocuments({})).toBe(6);

    // A human correction survives reprocessing the document through the worker.
    const aSha = byPath.get('a.pdf')?.sha256 ?? '';
    const aReport = await Report.findOne({ sha256: aSha }).lean();
    const key = aReport?.cells.find((c) => c.value !== null)?.key ?? '';
    const corrected = await correctCell(mongo.db.models, { sha256: aSha, key, value: 424242, by: 'reviewer' });
    expect(corrected).toMatchObject({ key, value: 424242 });
    const one = await reprocess(mongo.db.models, queue, { kind: 'doc', sha256: aSha }, PIPELINE_VERSION);
    expect(one).toMatchObject({ selected: 1, queued: 1 });

    expect(await watchRun(mongo.db.models, one.runId, { pollMs: 200 })).toMatchObject({
      complete: true,
      queued: 1,
      failed: 0,
    });
    // A new job for the new run: its attempts start again from one.
    expect(await Document.findOne({ sha256: aSha }, { attempts: 1, runId: 1 }).lean()).toMatchObject({
      attempts: 1,
      runId: one.runId,
    });
    const after = await Report.findOne({ sha256: aSha }).lean();
    if (!after) throw new Error('report lost on reprocessing');
    expect(effectiveValue(after, key)).toBe(424242);
    expect(after.cells.find((c) => c.key === key)?.value).toBe(aReport?.cells.find((c) => c.key === key)?.value);
    expect(await mongo.db.models.Correction.countDocuments({ sha256: aSha })).toBe(1);

    // A record lost from the database while Redis still retains its completed job: queued afresh, not folded into the old job.
    await Document.deleteOne({ sha256: byPath.get('a.pdf')?.sha256 });
    const lost = await ingestFolder({
      roots: [folder],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect(lost).toMatchObject({ queuedNow: 1, alreadyDone: 5 });
    expect(await watchRun(mongo.db.models, lost.runId, { pollMs: 200 })).toMatchObject({
      complete: true,
      queued: 1,
      failed: 0,
    });
    expect(await Document.countDocuments({})).toBe(6);
  });
});
