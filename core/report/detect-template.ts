import type { Table, TemplateDecision, TemplateVersion } from '../model/index.js';
import { approxIncludes } from './approx-includes.js';
import { tableText } from './read-rows.js';
import { t3Anchor } from './schema.js';

/** Label fragments that only one template prints (domain.md §6). */
const LABEL_SIGNALS: readonly { readonly anchor: string; readonly version: TemplateVersion; readonly what: string }[] =
  [
    { anchor: '制发件数', version: 'v2021', what: '表二 本年制发件数' },
    { anchor: '废止件数', version: 'v2021', what: '表二 本年废止件数' },
    { anchor: '有效件数', version: 'v2021', what: '表二 现行有效件数' },
    { anchor: '收费金额', version: 'v2021', what: '表二 本年收费金额' },
    { anchor: t3Anchor('other_no_correction'), version: 'v2021', what: '表三 （六）1 逾期不补正' },
    { anchor: t3Anchor('other_unpaid_fee'), version: 'v2021', what: '表三 （六）2 缴纳费用' },
    { anchor: '新制作数量', version: 'v2019', what: '表二 本年新制作数量' },
    { anchor: '对外公开总数量', version: 'v2019', what: '表二 对外公开总数量' },
    { anchor: '上一年项目数量', version: 'v2019', what: '表二 上一年项目数量' },
    { anchor: '其他对外管理服务', version: 'v2019', what: '表二 其他对外管理服务事项' },
    { anchor: '集中采购', version: 'v2019', what: '表二 政府集中采购' },
  ];

/**
 * Anchors this long match with one character wrong: a fax at 98 lines an inch read 上一年项目数量
 * as 丨一年项目数量 and left a report with no template (every 表二 and 表三 cell missing).
 */
const APPROX_MIN_LENGTH = 5;

/** The title's words after its year, as OCR reads them off a fax: up to TITLE_EDITS characters wrong. */
const TITLE_WORDS = '政府信息公开工作年度报告';
const TITLE_EDITS = 2;
/** The title is looked for in this many characters of the opening text (whitespace removed). */
const TITLE_REACH = 400;

/**
 * The report year from an approximately read title (…2020年政府信息公开王作年度报告): the year
 * right before the title words, a few of them misread. Only a last resort for the template, when a
 * standard-mode fax left neither a readable label, a notice nor a metadata year.
 */
function titleYear(compact: string): number | null {
  const head = compact.slice(0, TITLE_REACH);
  for (const m of head.matchAll(/(20[1-3]\d)年/g)) {
    const after = head.slice(m.index + m[0].length, m.index + m[0].length + TITLE_WORDS.length + TITLE_EDITS);
    if (approxIncludes(after, TITLE_WORDS, TITLE_EDITS)) return Number(m[1]);
  }
  return null;
}

const versionOfYear = (year: number | null): TemplateVersion | null =>
  year === null ? null : year >= 2021 ? 'v2021' : year >= 2019 ? 'v2019' : null;

/**
 * Template version from the labels of the standard tables; the cited notice and the report year
 * are fallbacks. When they disagree with the labels, the labels win and `conflict` is set.
 */
export function detectTemplate(tables: readonly Table[], text: string, year: number | null): TemplateDecision {
  const labelText = tables.map(tableText).join('');
  const votes = { v2019: 0, v2021: 0 };
  const evidence: string[] = [];
  for (const s of LABEL_SIGNALS) {
    if (approxIncludes(labelText, s.anchor, s.anchor.length >= APPROX_MIN_LENGTH ? 1 : 0)) {
      votes[s.version]++;
      evidence.push(`labels: ${s.what} → ${s.version}`);
    }
  }
  const compact = text.replace(/\s+/g, '');
  const notice: TemplateVersion | null = /[〔[(（]2021[〕\])）]30号/.test(compact)
    ? 'v2021'
    : /[〔[(（]2019[〕\])）]60号/.test(compact)
      ? 'v2019'
      : null;
  if (notice) evidence.push(`notice cited → ${notice}`);
  const byYear = versionOfYear(year);
  if (byYear) evidence.push(`report year ${year} → ${byYear}`);
  const byLabels: TemplateVersion | null =
    votes.v2019 > votes.v2021 ? 'v2019' : votes.v2021 > votes.v2019 ? 'v2021' : null;
  const read = byLabels ?? notice ?? byYear;
  const misreadYear = read === null ? titleYear(compact) : null;
  const byTitle = versionOfYear(misreadYear);
  if (byTitle) evidence.push(`year ${misreadYear} before the misread title words → ${byTitle}`);
  const version = read ?? byTitle;
  const conflict = version !== null && [notice, byYear].some((v) => v !== null && v !== version);
  return { version, evidence, conflict };
}
