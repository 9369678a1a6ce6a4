import type { TemplateVersion } from '../model/index.js';
import type { NumberKind } from './parse-number.js';

/** Table 三 columns in printed order (domain.md §4.1). */
export const T3_COLUMNS = [
  'natural_person',
  'commercial_enterprise',
  'research_institution',
  'public_welfare_org',
  'legal_service_org',
  'other_org',
  'total',
] as const;
export type T3Column = (typeof T3_COLUMNS)[number];
export const T3_ORG_COLUMNS: readonly T3Column[] = T3_COLUMNS.slice(1, 6);

export interface T3RowSpec {
  readonly key: string;
  /** Normalised label fragments (a second one survives a misread character); the first hit decides. */
  readonly anchors: readonly string[];
  readonly versions: readonly TemplateVersion[];
}

const BOTH: readonly TemplateVersion[] = ['v2019', 'v2021'];

/** Table 三 data rows in printed order (domain.md §4.2). */
export const T3_ROWS: readonly T3RowSpec[] = [
  { key: 'new_received', anchors: ['本年新收'], versions: BOTH },
  { key: 'carried_over', anchors: ['上年结转'], versions: BOTH },
  { key: 'granted', anchors: ['予以公开'], versions: BOTH },
  { key: 'partially_granted', anchors: ['部分公开', '区分处理'], versions: BOTH },
  { key: 'denied_state_secret', anchors: ['国家秘密', '家秘密'], versions: BOTH },
  { key: 'denied_law_prohibited', anchors: ['禁止公开', '其他法律'], versions: BOTH },
  { key: 'denied_three_safety_one_stability', anchors: ['三安全', '一稳定'], versions: BOTH },
  { key: 'denied_third_party', anchors: ['第三方', '合法权益'], versions: BOTH },
  { key: 'denied_internal_affairs', anchors: ['内部事务', '三类内部'], versions: BOTH },
  { key: 'denied_process_info', anchors: ['过程性', '四类过程'], versions: BOTH },
  { key: 'denied_enforcement_file', anchors: ['执法案卷', '案卷'], versions: BOTH },
  { key: 'denied_admin_query', anchors: ['行政查询', '查询事项'], versions: BOTH },
  { key: 'unable_not_held', anchors: ['不掌握', '本机关不'], versions: BOTH },
  { key: 'unable_needs_creation', anchors: ['另行制作', '没有现成'], versions: BOTH },
  { key: 'unable_unclear', anchors: ['仍不明确', '补正后'], versions: BOTH },
  { key: 'np_petition', anchors: ['信访', '举报投诉'], versions: BOTH },
  { key: 'np_duplicate', anchors: ['重复申请', '重复'], versions: BOTH },
  { key: 'np_publication', anchors: ['出版物'], versions: BOTH },
  { key: 'np_excessive', anchors: ['大量反复', '无正当理由大量'], versions: BOTH },
  { key: 'np_confirm_reissue', anchors: ['确认或重新', '重新出具'], versions: BOTH },
  { key: 'other_handling', anchors: ['其他处理'], versions: ['v2019'] },
  { key: 'other_no_correction', anchors: ['逾期不补正', '不补正'], versions: ['v2021'] },
  { key: 'other_unpaid_fee', anchors: ['缴纳费用', '收费通知'], versions: ['v2021'] },
  { key: 'other_other', anchors: [], versions: ['v2021'] },
  { key: 'total_processed', anchors: ['总计'], versions: BOTH },
  { key: 'carried_forward', anchors: ['结转下年', '继续办理'], versions: BOTH },
];

/** Header words that open table 三: its 申请人情况 header and the printed 勾稽 note. */
export const T3_HEADER_ANCHORS: readonly string[] = ['申请人情况', '勾稽'];

/** Table 三's printed note under its header, as the template prints it (its 勾稽 is a header anchor). */
export const T3_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

/** The first anchor of a table-三 row (`其他处理`, `逾期不补正`): the one home of the row labels. */
export function t3Anchor(key: string): string {
  const anchor = T3_ROWS.find((r) => r.key === key)?.anchors[0];
  if (anchor === undefined) throw new Error(`no table-三 anchor for ${key}`);
  return anchor;
}

/**
 * One anchor per table-三 row that no other table prints (总计 heads table 四's columns too), and the
 * header words: what tells table 三 apart from the others.
 */
export const T3_TABLE_ANCHORS: readonly string[] = [
  ...T3_ROWS.filter((r) => r.key !== 'total_processed' && r.anchors.length > 0).map((r) => r.anchors[0]!),
  ...T3_HEADER_ANCHORS,
];

export function t3Rows(version: TemplateVersion): readonly T3RowSpec[] {
  return T3_ROWS.filter((r) => r.versions.includes(version));
}

/** The v2021 sub-rows of （六）其他处理; some v2021 reports still print the single v2019 row instead. */
export const T3_OTHER_SUBROWS: readonly string[] = ['other_no_correction', 'other_unpaid_fee', 'other_other'];

/** Table 三 row keys as printed: v2021 with a single （六） row swaps the three sub-rows for `other_handling`. */
export function t3RowKeys(version: TemplateVersion, singleOtherRow: boolean): string[] {
  const keys = t3Rows(version).map((r) => r.key);
  if (version !== 'v2021' || !singleOtherRow) return keys;
  const at = keys.indexOf('other_no_correction');
  return [...keys.slice(0, at), 'other_handling', ...keys.slice(at + T3_OTHER_SUBROWS.length)];
}

export interface T2ItemSpec {
  readonly key: string;
  /** Normalised label fragments of the item row. */
  readonly anchors: readonly string[];
  /** Column keys in printed order; used when the header row is lost. */
  readonly columns: readonly string[];
}

/** Table 二 items per version (domain.md §3). Order matters: 行政规范性文件 before 规章-like fragments. */
export const T2_ITEMS: Readonly<Record<TemplateVersion, readonly T2ItemSpec[]>> = {
  v2021: [
    { key: 'normative_docs', anchors: ['规范性文件'], columns: ['issued', 'repealed', 'in_force'] },
    { key: 'regulations', anchors: ['规章'], columns: ['issued', 'repealed', 'in_force'] },
    { key: 'admin_licensing', anchors: ['行政许可'], columns: ['decisions'] },
    { key: 'admin_penalty', anchors: ['行政处罚'], columns: ['decisions'] },
    { key: 'admin_compulsion', anchors: ['行政强制'], columns: ['decisions'] },
    { key: 'admin_fees', anchors: ['事业性收费', '行政事业'], columns: ['fee_amount_wan'] },
  ],
  v2019: [
    { key: 'normative_docs', anchors: ['规范性文件'], columns: ['new_made', 'new_published', 'total_published'] },
    { key: 'regulations', anchors: ['规章'], columns: ['new_made', 'new_published', 'total_published'] },
    { key: 'admin_licensing', anchors: ['行政许可'], columns: ['prev_year_items', 'items_change', 'decisions'] },
    {
      key: 'other_external_services',
      anchors: ['对外管理服务', '其他对外'],
      columns: ['prev_year_items', 'items_change', 'decisions'],
    },
    { key: 'admin_penalty', anchors: ['行政处罚'], columns: ['prev_year_items', 'items_change', 'decisions'] },
    { key: 'admin_compulsion', anchors: ['行政强制'], columns: ['prev_year_items', 'items_change', 'decisions'] },
    { key: 'admin_fees', anchors: ['事业性收费', '行政事业'], columns: ['prev_year_items', 'items_change'] },
    {
      key: 'gov_central_procurement',
      anchors: ['集中采购', '政府采购'],
      columns: ['procurement_items', 'procurement_amount'],
    },
  ],
};

/** Table 二 header labels → column keys (normalised fragments; both versions). */
export const T2_COLUMN_ANCHORS: readonly { readonly key: string; readonly anchors: readonly string[] }[] = [
  { key: 'issued', anchors: ['制发'] },
  { key: 'repealed', anchors: ['废止'] },
  { key: 'in_force', anchors: ['现行有效', '现有有效', '有效件数'] },
  { key: 'new_made', anchors: ['新制作'] },
  { key: 'new_published', anchors: ['新公开'] },
  { key: 'total_published', anchors: ['公开总数', '对外公开总'] },
  { key: 'prev_year_items', anchors: ['上一年', '上年项目'] },
  { key: 'items_change', anchors: ['增/减', '增减', '增/减'] },
  { key: 'decisions', anchors: ['处理决定'] },
  { key: 'fee_amount_wan', anchors: ['收费金额'] },
  { key: 'procurement_items', anchors: ['采购项目'] },
  { key: 'procurement_amount', anchors: ['采购总金额', '采购金额'] },
];

/** Table 四 keys in printed order (domain.md §5). */
export const T4_KEYS: readonly string[] = ['review', 'lit_direct', 'lit_after_review'].flatMap((group) =>
  ['upheld', 'corrected', 'other', 'pending', 'total'].map((outcome) => `${group}_${outcome}`),
);

/** How a schema value is written (H1): counts, signed changes, decimals. */
export function numberKindOf(key: string): NumberKind {
  if (key.endsWith('.items_change')) return 'signed';
  if (key.endsWith('.fee_amount_wan') || key.endsWith('.procurement_amount')) return 'decimal';
  return 'count';
}

/** Every schema key of one version, as export paths (`applications.granted.total`). */
const SCHEMA_KEYS = new Map<TemplateVersion, readonly string[]>();

export function schemaKeys(version: TemplateVersion): readonly string[] {
  const cached = SCHEMA_KEYS.get(version);
  if (cached) return cached;
  const keys = computeSchemaKeys(version);
  SCHEMA_KEYS.set(version, keys);
  return keys;
}

function computeSchemaKeys(version: TemplateVersion): readonly string[] {
  const t2 = T2_ITEMS[version].flatMap((item) => item.columns.map((c) => `active_disclosure.${item.key}.${c}`));
  const t3 = t3Rows(version).flatMap((row) => T3_COLUMNS.map((c) => `applications.${row.key}.${c}`));
  const t4 = T4_KEYS.map((k) => `review_litigation.${k}`);
  return [...t2, ...t3, ...t4];
}
