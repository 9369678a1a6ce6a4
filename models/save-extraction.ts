import type { AnyBulkWriteOperation, mongo } from 'mongoose';
import type { Document } from '../core/model/index.js';
import type { Models } from './models.js';
import type { TableRecord } from './table.model.js';
import { reviewItems } from './review-items.js';
import { toDocumentFields, toPageRecord, toReportFields, toTableRecord, type SaveContext } from './to-records.js';

export type { SaveContext } from './to-records.js';

export interface SaveResult {
  readonly sha256: string;
  readonly status: string;
  readonly pages: number;
  readonly tables: number;
}

/**
 * Writes a whole extraction idempotently: every record is an upsert ($set of every field, so a replay rewrites it whole) keyed by sha256 (and page
 * number / table id), stale pages and tables of an earlier pass are removed, and the report's
 * human corrections are never touched. Replaying the same job gives the same state; the
 * document record is written last, so `done` implies its pages, tables and report are there.
 * Pages, tables and report are independent records and go to the server together (one round
 * trip instead of three); on a first pass (`context.firstPass`) the deletes of stale records and
 * the clearing of an absent report are skipped: nothing of an earlier pass can exist.
 *
 * Pages and the document record, written for every document, go through the driver rather than
 * mongoose: their fields are built whole from the typed core model (to-records.ts), so mongoose's
 * update casting had nothing to change, and it cost more than everything else a no-op job does
 * (bench/queue: 5.1 → 3.5 ms a job). The schema's timestamps and insert defaults are set here;
 * test/models/save-extraction.test.ts holds the stored records to what the schema would store.
 */
export async function saveExtraction(models: Models, doc: Document, context: SaveContext = {}): Promise<SaveResult> {
  const { sha256, pipelineVersion } = doc;
  const firstPass = context.firstPass === true;
  const now = new Date();

  const pageOps: mongo.AnyBulkWriteOperation[] = doc.pages.map((page) => ({
    updateOne: {
      filter: { sha256, number: page.number },
      update: {
        $set: { ...toPageRecord(sha256, pipelineVersion, page), updatedAt: now },
        $setOnInsert: { createdAt: now },
      },
      upsert: true,
    },
  }));
  if (!firstPass) pageOps.push({ deleteMany: { filter: { sha256, number: { $gt: doc.pages.length } } } });

  const tableIds = doc.tables.map((t) => t.id);
  const tableOps: AnyBulkWriteOperation<TableRecord>[] = doc.tables.map((table) => ({
    updateOne: {
      filter: { sha256, tableId: table.id },
      update: { $set: toTableRecord(sha256, pipelineVersion, table) },
      upsert: true,
    },
  }));
  if (!firstPass) tableOps.push({ deleteMany: { filter: { sha256, tableId: { $nin: tableIds } } } });

  const writes: Promise<unknown>[] = [];
  if (pageOps.length > 0) writes.push(models.Page.collection.bulkWrite(pageOps, { ordered: false }));
  if (tableOps.length > 0) writes.push(models.Table.bulkWrite(tableOps, { ordered: false }));
  const report = toReportFields(doc);
  if (report) {
    writes.push(
      models.Report.updateOne({ sha256 }, { $set: report, $setOnInsert: { corrections: {} } }, { upsert: true }),
    );
  } else if (!firstPass) {
    // A failed pass leaves no report values behind but keeps the record (and its corrections) if one exists.
    writes.push(
      models.Report.updateOne(
        { sha256 },
        {
          $set: {
            pipelineVersion,
            cells: [],
            checks: [],
            failedChecks: [],
            recheckStamp: null,
            flags: [],
            flagCount: 0,
            missing: [],
            sections: [],
            unmappedTableIds: [],
          },
        },
      ),
    );
  }
  // Every write must have landed before the document record says the extraction is there.
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  const fields = toDocumentFields(doc, context);
  // The queue's count is the review view's (cells and metadata fields to decide: review-items.ts);
  // decisions kept from an earlier pass and copies are recounted by the cross-report step that follows.
  if (report) fields.flagsLeft = reviewItems({ ...report, corrections: {} }, fields).open.length;
  await models.Document.collection.updateOne(
    { sha256 },
    {
      $set: {
        ...fields,
        ...(context.startedAt ? { startedAt: context.startedAt } : {}),
        finishedAt: now,
        updatedAt: now,
      },
      // The schema's only default not covered by `fields` (a record normally exists: the producer's).
      $setOnInsert: { sha256, review: null, createdAt: now },
    },
    { upsert: true },
  );
  return { sha256, status: fields.status, pages: doc.pages.length, tables: doc.tables.length };
}
