import type { Document, Page, ReportCell, Table } from '../../core/model/index.js';

/** A small, fully typed Document built in code: `pages` pages, one table on page 1, two report cells. */
export function makeDocument(opts: {
  sha256: string;
  pages?: number;
  value?: number;
  tables?: number;
  status?: Document['status'];
}): Document {
  const pageCount = opts.pages ?? 2;
  const pages: Page[] = Array.from({ length: pageCount }, (_, i) => ({
    number: i + 1,
    size: { width: 595, height: 842 },
    rotation: 0,
    method: 'text-layer',
    textLayer: { usable: true, reason: 'ok' },
    lines: [{ box: { x0: 10, y0: 10, x1: 100, y1: 20 }, text: `第${i + 1}页`, origin: 'text-layer', confidence: 1 }],
    blocks: [
      {
        box: { x0: 10, y0: 10, x1: 100, y1: 20 },
        text: `第${i + 1}页`,
        lines: [
          { box: { x0: 10, y0: 10, x1: 100, y1: 20 }, text: `第${i + 1}页`, origin: 'text-layer', confidence: 1 },
        ],
        origin: 'text-layer',
        confidence: 1,
      },
    ],
    text: `第${i + 1}页`,
    ocrConfidence: null,
    image: null,
    tableIds: i === 0 ? ['p1-t1'] : [],
  }));
  const tables: Table[] = Array.from({ length: opts.tables ?? 1 }, (_, t) => ({
    id: `p1-t${t + 1}`,
    pages: [1],
    rows: 1,
    cols: 2,
    cells: [
      {
        row: 0,
        col: 0,
        rowSpan: 1,
        colSpan: 1,
        page: 1,
        box: { x0: 0, y0: 0, x1: 50, y1: 10 },
        text: '自然人',
        origin: 'text-layer',
        confidence: 1,
        shaded: false,
        vertical: false,
      },
      {
        row: 0,
        col: 1,
        rowSpan: 1,
        colSpan: 1,
        page: 1,
        box: { x0: 50, y0: 0, x1: 90, y1: 10 },
        text: String(opts.value ?? 7),
        origin: 'text-layer',
        confidence: 1,
        shaded: false,
        vertical: false,
      },
    ],
    detection: 'ruled',
    confidence: 0.9,
    box: { x0: 0, y0: 0, x1: 90, y1: 10 },
  }));
  const cell = (key: string, value: number): ReportCell => ({
    key,
    raw: String(value),
    value,
    confidence: 0.95,
    flags: [],
    source: { tableId: 'p1-t1', row: 0, col: 1, page: 1 },
  });
  const status = opts.status ?? 'ok';
  return {
    sha256: opts.sha256,
    size: 1234,
    kind: 'pdf',
    mime: 'application/pdf',
    status,
    error: status === 'failed' ? { code: 'CORRUPT', message: 'broken xref', stage: 'open' } : null,
    problems: [],
    pages: status === 'failed' ? [] : pages,
    tables: status === 'failed' ? [] : tables,
    report:
      status === 'failed'
        ? null
        : {
            template: { version: 'v2021', evidence: ['labels'], conflict: false },
            metadata: {
              reportYear: 2021,
              issuer: '东园镇',
              issuerFull: '中卫市沙坡头区东园镇人民政府',
              statPeriod: null,
              publicationDate: null,
              contact: null,
              formatNoticeCited: null,
              proactiveTotal: null,
              proactiveByChannel: {},
              applicationsReceivedText: null,
              noReviewLitigationText: false,
            },
            sections: [],
            cells: {
              'applications.new_received.natural_person': cell(
                'applications.new_received.natural_person',
                opts.value ?? 7,
              ),
              'applications.new_received.total': cell('applications.new_received.total', opts.value ?? 7),
            },
            missing: [],
            mappedTableIds: { active_disclosure: [], applications: ['p1-t1'], review_litigation: [] },
            unmappedTableIds: [],
            checks: [],
          },
    flags: [],
    summary: {
      pages: pageCount,
      pagesOcr: 0,
      pagesFailed: 0,
      tables: 1,
      cells: 2,
      flagged: 0,
      checksFailed: 0,
      meanConfidence: 0.95,
    },
    timings: { open: 12, layout: 30 },
    pipelineVersion: '0.1.0',
  };
}

/** makeDocument in review: its new_received total read `value` and flagged (`flags`, optional suggestion). */
export function withFlaggedTotal(
  doc: Document,
  value: number,
  flags: readonly string[],
  extra: { suggestion?: number; issuer?: string } = {},
): Document {
  const report = doc.report!;
  const key = 'applications.new_received.total';
  return {
    ...doc,
    report: {
      ...report,
      metadata: extra.issuer !== undefined ? { ...report.metadata, issuer: extra.issuer } : report.metadata,
      cells: {
        ...report.cells,
        [key]: {
          ...report.cells[key]!,
          value,
          raw: String(value),
          flags,
          ...(extra.suggestion !== undefined ? { suggestion: extra.suggestion } : {}),
        },
      },
    },
  };
}
