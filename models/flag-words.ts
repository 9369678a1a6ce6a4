import type { Check, TemplateVersion } from '../core/model/index.js';
import { keyLabel, t2ItemLabel, t3Label, t4GroupLabel } from '../core/report/labels.js';

/**
 * Why a cell is flagged, in words a reviewer reads against the printed page: the rule written out
 * with the Chinese labels and the values (`自然人：（七）总计 ≠ 各项之和：236 ≠ 234`), the OCR
 * confidence, the text as read. The one place that turns flags and checks into words (API, exports).
 */

export interface FlagText {
  readonly kind: string;
  readonly text: string;
}

/** The part of a check the words need (stored checks are plain JSON of core's Check). */
export type CheckLike = Pick<Check, 'rule' | 'scope' | 'status' | 'keys' | 'expected' | 'actual' | 'message'> & {
  readonly hard?: boolean;
  readonly culprit?: string;
  readonly suggestion?: number;
};

function fmt(n: number | null | undefined): string {
  return n === null || n === undefined ? '?' : String(n);
}

/** `column natural_person` → 自然人, `row granted` → （一）予以公开, `group review` → 行政复议, `item regulations` → 规章. */
function scopeLabel(scope: string, version: TemplateVersion | null): string {
  const [kind = '', key = ''] = scope.split(' ');
  if (kind === 'column') return t3Label('column', key);
  if (kind === 'row') return t3Label('row', key);
  if (kind === 'group') return t4GroupLabel(key);
  if (kind === 'item') return t2ItemLabel(key, version);
  if (kind === 'table')
    return { active_disclosure: '表二', applications: '表三', review_litigation: '表四' }[key] ?? key;
  return scope;
}

const SUM_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  H2: ['本年新收 + 上年结转', '办理结果总计 + 结转下年度'],
  H3: ['总计', '各列之和'],
  H4: ['（七）总计', '各项之和'],
  H5: ['总计', '各项之和'],
  H6: ['总计', '各项之和'],
  H7: ['总计', '各项之和'],
};

const BOUND_WORDS: Readonly<Record<string, string>> = {
  H8: '不能大于 本年新收 + 上年结转',
  H9: '不能大于本行总计',
  H10: '不能大于（七）总计',
  S1: '不能大于对外公开总数量',
  S2: '不能大于 现行有效 + 本年废止',
};

/**
 * A check in words with its values: `自然人：（七）总计 ≠ 各项之和：236 ≠ 234` for a failed sum,
 * `…：（七）总计 = 各项之和 = 234` for one that holds. `values` (key → value) names the offending
 * values of H1 and bound rules.
 */
export function describeCheck(
  check: CheckLike,
  version: TemplateVersion | null,
  values: Readonly<Record<string, number | null | undefined>> = {},
): string {
  const where = scopeLabel(check.scope, version);
  if (check.status === 'skipped') return `${where}：${check.rule} 未能核对（缺少数值）`;
  const sum = SUM_WORDS[check.rule];
  if (sum) {
    const [total, parts] = sum;
    return check.status === 'fail'
      ? `${where}：${total} ≠ ${parts}：${fmt(check.actual)} ≠ ${fmt(check.expected)}`
      : `${where}：${total} = ${parts} = ${fmt(check.actual)}`;
  }
  if (check.rule === 'H1')
    return check.status === 'fail'
      ? `${where}：不是有效数值（计数须为非负整数）：${check.keys.map((k) => `${keyLabel(k, version)} = ${fmt(values[k])}`).join('，')}`
      : `${where}：数值均合规`;
  const bound = BOUND_WORDS[check.rule];
  if (bound && check.status === 'fail') {
    const over = check.keys[0];
    const value = over !== undefined ? (values[over] ?? check.actual) : check.actual;
    return `${where}：${over !== undefined ? keyLabel(over, version) : '某项'} = ${fmt(value)} ${bound}（${fmt(check.expected)}）`;
  }
  if (bound) return `${where}：各项均不大于 ${fmt(check.expected)}`;
  if (check.rule === 'S1' && check.status === 'fail')
    return `${where}：上一年项目数量 + 本年增/减 < 0：${fmt(check.actual)}`;
  return `${where}：${check.rule} ${check.status === 'fail' ? '不成立' : '成立'}：${check.message}`;
}

export interface FlaggedCell {
  readonly key: string;
  readonly raw: string | null;
  readonly value: number | null;
  readonly confidence: number;
  readonly flags: readonly string[];
  readonly suggestion?: number;
}

/** Every flag of a cell in words; `checks` are the extraction's checks the flags came from. */
export function describeCellFlags(
  cell: FlaggedCell,
  checks: readonly CheckLike[],
  version: TemplateVersion | null,
  values: Readonly<Record<string, number | null | undefined>> = {},
): FlagText[] {
  const out: FlagText[] = [];
  for (const flag of cell.flags) {
    if (flag.startsWith('check-failed:') || flag.startsWith('soft-check:')) {
      const rule = flag.slice(flag.indexOf(':') + 1);
      const kind = flag.startsWith('check-failed:') ? 'check-failed' : 'text-table-mismatch';
      const failing = checks.filter((c) => c.rule === rule && c.status === 'fail' && c.keys.includes(cell.key));
      if (failing.length === 0) out.push({ kind, text: `未通过 ${rule}` });
      for (const c of failing) out.push({ kind, text: describeCheck(c, version, values) });
      continue;
    }
    out.push({ kind: flag, text: describeFlag(flag, cell) });
  }
  return out;
}

/** A flag that is not a rule, in words. */
function describeFlag(flag: string, cell: FlaggedCell): string {
  const raw = `“${cell.raw ?? ''}”`;
  switch (flag) {
    case 'likely-culprit':
      return cell.suggestion !== undefined
        ? `很可能是这一格读错：按表中其他数字应为 ${cell.suggestion}`
        : '很可能是这一格读错';
    case 'low-confidence':
      return `识别置信度低：${Math.round(cell.confidence * 100) / 100}`;
    case 'ambiguous-parse':
      return `解析有歧义：读作 ${raw} → ${fmt(cell.value)}（数字形式或所在行列不确定，行可能未按标签定位）`;
    case 'unparsable':
      return `无法读作数字：${raw}`;
    case 'unverified':
      return `未经核验：OCR 读数 ${fmt(cell.value)}，相关的和式都缺少其他数值，没有规则能核对它`;
    case 'blank-among-zeros':
      return '读作空白，但本报告以 0 表示无：可能漏读了一个数字';
    case 'missing-value':
      return '报告中未找到此项';
    default:
      return flag;
  }
}
