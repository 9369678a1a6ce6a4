import type { Connection, Model } from 'mongoose';
import { correctionModel, type CorrectionRecord } from './correction.model.js';
import { documentModel, type DocumentRecord } from './document.model.js';
import { ingestRunModel, type IngestRunRecord } from './ingest-run.model.js';
import { pageModel, type PageRecord } from './page.model.js';
import { pagePartialModel, type PagePartialRecord } from './page-partial.model.js';
import { reportFactsModel, type ReportFactsRecord } from './report-facts.model.js';
import { reportModel, type ReportRecord } from './report.model.js';
import { tableModel, type TableRecord } from './table.model.js';
import { userModel, type UserRecord } from './user.model.js';

/** Every model bound to one connection (tests and workers may hold several connections). */
export interface Models {
  readonly connection: Connection;
  readonly Document: Model<DocumentRecord>;
  readonly Page: Model<PageRecord>;
  readonly Table: Model<TableRecord>;
  readonly Report: Model<ReportRecord>;
  /** What the archive queries read of each report (report-facts.model.ts). */
  readonly ReportFacts: Model<ReportFactsRecord>;
  readonly Correction: Model<CorrectionRecord>;
  readonly IngestRun: Model<IngestRunRecord>;
  readonly PagePartial: Model<PagePartialRecord>;
  readonly User: Model<UserRecord>;
}

export function bindModels(connection: Connection): Models {
  return {
    connection,
    Document: documentModel(connection),
    Page: pageModel(connection),
    Table: tableModel(connection),
    Report: reportModel(connection),
    ReportFacts: reportFactsModel(connection),
    Correction: correctionModel(connection),
    IngestRun: ingestRunModel(connection),
    PagePartial: pagePartialModel(connection),
    User: userModel(connection),
  };
}

/** Builds the indexes of every model (idempotent; run at worker and producer start). */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of [
    models.Document,
    models.Page,
    models.Table,
    models.Report,
    models.ReportFacts,
    models.Correction,
    models.IngestRun,
    models.PagePartial,
    models.User,
  ]) {
    await model.createIndexes();
  }
}
