// Words for the states, statuses and flag kinds the API sends as codes.

export const STATES = {
  trusted: 'trusted',
  flagged: 'flagged',
  corrected: 'corrected',
  confirmed: 'confirmed',
  'printed-inconsistent': 'printed so',
};

export const STATE_HELP = {
  trusted: 'read and checked, no flag',
  flagged: 'needs a decision',
  corrected: 'a person typed the value',
  confirmed: 'a person confirmed the value as read',
  'printed-inconsistent': 'the report itself prints it so',
};

export const STATUSES = {
  needs_review: 'needs review',
  done: 'done',
  ok: 'ok',
  failed: 'failed',
  queued: 'queued',
  processing: 'processing',
};

/** Flag kinds of core/model/flag.ts, in words (the queue's flag-kind filter). */
export const FLAG_KINDS = {
  'check-failed': 'a rule fails',
  'likely-culprit': 'likely culprit',
  'low-confidence': 'low OCR confidence',
  'ambiguous-parse': 'ambiguous parse',
  unverified: 'unverified (sums skipped)',
  'blank-cell': 'blank cell',
  inferred: 'inferred, not read',
  'missing-value': 'missing value',
  'text-table-mismatch': 'text and table disagree',
  'weak-evidence': 'weak evidence (metadata)',
  'template-conflict': 'template conflicts with year',
  'template-unknown': 'template unknown',
  'page-failed': 'failed page',
  'missing-section': 'missing section',
  'unmapped-table': 'unmapped table',
  'garbled-text-layer': 'garbled text layer',
};

export const METADATA_FIELDS = [
  ['issuer', '发布机关 issuer'],
  ['year', '年度 year'],
  ['region', '地区 region'],
  ['template', '模板 template'],
];
