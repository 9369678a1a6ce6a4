import type { ReportSection, TemplateVersion } from '../model/index.js';
import { T2_ITEMS, T3_COLUMNS, T4_KEYS, t3RowKeys } from './schema.js';

/**
 * The Chinese labels of ../shared/domain.md §3–§5 for every schema key, and the printed layout of the
 * three tables: the one label table (the review page, flag texts and summaries read it from here).
 */

export const TABLE_TITLES: Readonly<Record<ReportSection, string>> = {
  active_disclosure: '表二 主动公开政府信息情况',
  applications: '表三 收到和处理政府信息公开申请情况',
  review_litigation: '表四 政府信息公开行政复议、行政诉讼情况',
};

const T2_ITEM_LABELS: Readonly<Record<string, string>> = {
  regulations: '规章',
  normative_docs: '行政规范性文件',
  admin_licensing: '行政许可',
  other_external_services: '其他对外管理服务事项',
  admin_penalty: '行政处罚',
  admin_compulsion: '行政强制',
  admin_fees: '行政事业性收费',
  gov_central_procurement: '政府集中采购',
};

/** 第二十条 item captions (the mini-tables of 表二). */
const T2_CAPTIONS: Readonly<Record<string, string>> = {
  regulations: '第二十条第（一）项',
  normative_docs: '第二十条第（一）项',
  admin_licensing: '第二十条第（五）项',
  other_external_services: '第二十条第（五）项',
  admin_penalty: '第二十条第（六）项',
  admin_compulsion: '第二十条第（六）项',
  admin_fees: '第二十条第（八）项',
  gov_central_procurement: '第二十条第（九）项',
};

const T2_COLUMN_LABELS: Readonly<Record<string, string>> = {
  issued: '本年制发件数',
  repealed: '本年废止件数',
  in_force: '现行有效件数',
  decisions: '处理决定数量',
  fee_amount_wan: '本年收费金额（单位：万元）',
  new_made: '本年新制作数量',
  new_published: '本年新公开数量',
  total_published: '对外公开总数量',
  prev_year_items: '上一年项目数量',
  items_change: '本年增/减',
  procurement_items: '采购项目数量',
  procurement_amount: '采购总金额',
};

export const T3_COLUMN_LABELS: Readonly<Record<string, string>> = {
  natural_person: '自然人',
  commercial_enterprise: '商业企业',
  research_institution: '科研机构',
  public_welfare_org: '社会公益组织',
  legal_service_org: '法律服务机构',
  other_org: '其他',
  total: '总计',
};

/** Table 三 rows: label and indentation level (domain.md §4.2). */
const T3_ROW_LABELS: Readonly<Record<string, readonly [string, number]>> = {
  new_received: ['一、本年新收政府信息公开申请数量', 0],
  carried_over: ['二、上年结转政府信息公开申请数量', 0],
  granted: ['（一）予以公开', 1],
  partially_granted: ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1],
  denied_state_secret: ['1.属于国家秘密', 2],
  denied_law_prohibited: ['2.其他法律行政法规禁止公开', 2],
  denied_three_safety_one_stability: ['3.危及“三安全一稳定”', 2],
  denied_third_party: ['4.保护第三方合法权益', 2],
  denied_internal_affairs: ['5.属于三类内部事务信息', 2],
  denied_process_info: ['6.属于四类过程性信息', 2],
  denied_enforcement_file: ['7.属于行政执法案卷', 2],
  denied_admin_query: ['8.属于行政查询事项', 2],
  unable_not_held: ['1.本机关不掌握相关政府信息', 2],
  unable_needs_creation: ['2.没有现成信息需要另行制作', 2],
  unable_unclear: ['3.补正后申请内容仍不明确', 2],
  np_petition: ['1.信访举报投诉类申请', 2],
  np_duplicate: ['2.重复申请', 2],
  np_publication: ['3.要求提供公开出版物', 2],
  np_excessive: ['4.无正当理由大量反复申请', 2],
  np_confirm_reissue: ['5.要求行政机关确认或重新出具已获取信息', 2],
  other_handling: ['（六）其他处理', 1],
  other_no_correction: ['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 2],
  other_unpaid_fee: ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 2],
  other_other: ['3.其他', 2],
  total_processed: ['（七）总计', 1],
  carried_forward: ['四、结转下年度继续办理', 0],
};

/** Table 三 heading rows printed before a data row; they carry no numbers. */
const T3_GROUP_ROWS: Readonly<Record<string, readonly [string, string, number]>> = {
  granted: ['results', '三、本年度办理结果', 0],
  denied_state_secret: ['denied', '（三）不予公开', 1],
  unable_not_held: ['unable', '（四）无法提供', 1],
  np_petition: ['not_processed', '（五）不予处理', 1],
  other_no_correction: ['other', '（六）其他处理', 1],
};

const T4_GROUP_LABELS: Readonly<Record<string, string>> = {
  review: '行政复议',
  lit_direct: '行政诉讼·未经复议直接起诉',
  lit_after_review: '行政诉讼·复议后起诉',
};

const T4_OUTCOME_LABELS: Readonly<Record<string, string>> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
  total: '总计',
};

export interface LayoutRow {
  readonly key: string;
  readonly label: string;
  readonly level: number;
  /** The cell key in each column, null where the printed table has no cell. */
  readonly cells: readonly (string | null)[];
}

export interface TableLayout {
  readonly id: ReportSection;
  readonly title: string;
  readonly columns: readonly { readonly key: string; readonly label: string }[];
  readonly columnGroups?: readonly { readonly label: string; readonly span: number }[];
  /** A header row above the groups, as printed (表三: 申请人情况 over all seven columns). */
  readonly columnBands?: readonly { readonly label: string; readonly span: number }[];
  readonly rows: readonly LayoutRow[];
}

function t4Group(key: string): [string, string] {
  const outcome = Object.keys(T4_OUTCOME_LABELS).find((o) => key.endsWith(`_${o}`)) ?? '';
  return [key.slice(0, key.length - outcome.length - 1), outcome];
}

/** The three tables as printed for a template version (`singleOtherRow`: a v2021 report with one （六） row). */
export function reportLayout(version: TemplateVersion, singleOtherRow = false): TableLayout[] {
  const t2Columns = [...new Set(T2_ITEMS[version].flatMap((i) => i.columns))];
  const t2: TableLayout = {
    id: 'active_disclosure',
    title: TABLE_TITLES.active_disclosure,
    columns: t2Columns.map((key) => ({ key, label: T2_COLUMN_LABELS[key] ?? key })),
    rows: T2_ITEMS[version].map((item) => ({
      key: item.key,
      label: `${T2_CAPTIONS[item.key] ?? ''} ${itemLabel(item.key, version)}`.trim(),
      level: 0,
      cells: t2Columns.map((c) => (item.columns.includes(c) ? `active_disclosure.${item.key}.${c}` : null)),
    })),
  };
  const t3Rows: LayoutRow[] = [];
  for (const row of t3RowKeys(version, singleOtherRow)) {
    const group = T3_GROUP_ROWS[row];
    if (group) t3Rows.push({ key: group[0], label: group[1], level: group[2], cells: T3_COLUMNS.map(() => null) });
    const [label, level] = T3_ROW_LABELS[row] ?? [row, 1];
    t3Rows.push({ key: row, label, level, cells: T3_COLUMNS.map((c) => `applications.${row}.${c}`) });
  }
  const t3: TableLayout = {
    id: 'applications',
    title: TABLE_TITLES.applications,
    columns: T3_COLUMNS.map((key) => ({ key, label: T3_COLUMN_LABELS[key] ?? key })),
    columnBands: [{ label: '申请人情况', span: T3_COLUMNS.length }],
    columnGroups: [
      { label: '', span: 1 },
      { label: '法人或其他组织', span: 5 },
      { label: '', span: 1 },
    ],
    rows: t3Rows,
  };
  const t4: TableLayout = {
    id: 'review_litigation',
    title: TABLE_TITLES.review_litigation,
    columns: T4_KEYS.map((key) => ({ key, label: T4_OUTCOME_LABELS[t4Group(key)[1]] ?? key })),
    columnGroups: Object.values(T4_GROUP_LABELS).map((label) => ({ label, span: 5 })),
    rows: [{ key: 'review_litigation', label: '', level: 0, cells: T4_KEYS.map((k) => `review_litigation.${k}`) }],
  };
  return [t2, t3, t4];
}

function itemLabel(item: string, version: TemplateVersion): string {
  if (item === 'normative_docs' && version === 'v2019') return '规范性文件';
  return T2_ITEM_LABELS[item] ?? item;
}

/**
 * A report key in words, e.g. `（七）总计 · 自然人`, `行政复议 · 总计`, `规章 · 本年制发件数`;
 * the key itself when it is not a schema key.
 */
export function keyLabel(key: string, version: TemplateVersion | null = 'v2021'): string {
  const [section, a = '', b = ''] = key.split('.');
  if (section === 'applications') {
    const row = T3_ROW_LABELS[a]?.[0];
    const col = T3_COLUMN_LABELS[b];
    if (row && col) return `${row} · ${col}`;
  } else if (section === 'active_disclosure') {
    const col = T2_COLUMN_LABELS[b];
    if (T2_ITEM_LABELS[a] && col) return `${itemLabel(a, version ?? 'v2021')} · ${col}`;
  } else if (section === 'review_litigation') {
    const [group, outcome] = t4Group(a);
    const g = T4_GROUP_LABELS[group];
    const o = T4_OUTCOME_LABELS[outcome];
    if (g && o) return `${g} · ${o}`;
  }
  return key;
}

/** A row or column of table 三 in words (`column total` → 总计, `row granted` → （一）予以公开). */
export function t3Label(kind: 'row' | 'column', key: string): string {
  return (kind === 'row' ? T3_ROW_LABELS[key]?.[0] : T3_COLUMN_LABELS[key]) ?? key;
}

/**
 * The sub-item number a table-三 row prints before its label (`1.属于国家秘密` → 1, `3.其他` → 3), or
 * null for rows numbered otherwise (一、…, （一）…).
 */
export function t3SubItem(key: string): number | null {
  const m = /^(\d)\./.exec(T3_ROW_LABELS[key]?.[0] ?? '');
  return m ? Number(m[1]) : null;
}

/** A table 四 group in words (`review` → 行政复议). */
export function t4GroupLabel(group: string): string {
  return T4_GROUP_LABELS[group] ?? group;
}

/**
 * Table 二's mini-tables as printed, in order: the 第二十条 item number of each caption (一, 五, …) and
 * the version's items under it in printed order (规章 before 行政规范性文件).
 */
export function t2Groups(version: TemplateVersion): { readonly item: string; readonly keys: readonly string[] }[] {
  const keys = Object.keys(T2_ITEM_LABELS).filter((k) => T2_ITEMS[version].some((i) => i.key === k));
  const groups: { item: string; keys: string[] }[] = [];
  for (const key of keys) {
    const item = /（(.)）/.exec(T2_CAPTIONS[key] ?? '')?.[1] ?? '';
    const last = groups[groups.length - 1];
    if (last?.item === item) last.keys.push(key);
    else groups.push({ item, keys: [key] });
  }
  return groups;
}

/** A table 二 item in words. */
export function t2ItemLabel(item: string, version: TemplateVersion | null = 'v2021'): string {
  return itemLabel(item, version ?? 'v2021');
}
