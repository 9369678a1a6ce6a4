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
  const byYear: TemplateVersion | null = year === null ? null : year >= 2021 ? 'v2021' : year >= 2019 ? 'v2019' : null;
  if (byYear) evidence.push(`report year ${year} → ${byYear}`);
  const byLabels: TemplateVersion | null =
    votes.v2019 > votes.v2021 ? 'v2019' : votes.v2021 > votes.v2019 ? 'v2021' : null;
  const version = byLabels ?? notice ?? byYear;
  const conflict = version !== null && [notice, byYear].some((v) => v !== null && v !== version);
  return { version, evidence, conflict };
}
