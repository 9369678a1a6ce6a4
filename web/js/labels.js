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

export const FLAG_KINDS = {
  'check-failed': 'rule fails',
  'likely-culprit': 'likely culprit',
  'low-confidence': 'low OCR confidence',
  'ambiguous-parse': 'ambiguous parse',
  unverified: 'unverified',
  'blank-cell': 'blank cell',
};

export const METADATA_FIELDS = [
  ['issuer', '发布机关 issuer'],
  ['year', '年度 year'],
  ['region', '地区 region'],
  ['template', '模板 template'],
];
