import type { CellSpec } from '../../helpers/table-builder.js';

type Row = readonly (string | CellSpec)[];

const v = (text: string, extra: Partial<CellSpec> = {}): CellSpec => ({ text, ...extra });

/** The seven numbers of a table-三 row plus its total. */
export function t3Numbers(nums: readonly (number | string)[]): string[] {
  const numeric = nums.filter((n): n is number => typeof n === 'number');
  return [...nums.map(String), String(numeric.reduce((a, b) => a + b, 0))];
}

/** Table 二 of v2021 as one ruled table holding every mini-table (captions span all columns). */
export function t2V2021(opts: { inForceLabel?: string; fee?: string } = {}): Row[] {
  return [
    [v('第二十条第（一）项', { colSpan: 4 })],
    ['信息内容', '本年制发件数', '本年废止件数', opts.inForceLabel ?? '现行有效件数'],
    ['规章', '1', '0', '4'],
    ['行政规范性文件', '6', '2', '15'],
    [v('第二十条第（五）项', { colSpan: 4 })],
    ['信息内容', v('本年处理决定数量', { colSpan: 3 })],
    ['行政许可', v('182', { colSpan: 3 })],
    [v('第二十条第（六）项', { colSpan: 4 })],
    ['信息内容', v('本年处理决定数量', { colSpan: 3 })],
    ['行政处罚', v('66', { colSpan: 3 })],
    ['行政强制', v('2', { colSpan: 3 })],
    [v('第二十条第（八）项', { colSpan: 4 })],
    ['信息内容', v('本年收费金额（单位：万元）', { colSpan: 3 })],
    ['行政事业性收费', v(opts.fee ?? '16.25', { colSpan: 3 })],
  ];
}

/** Header rows of table 三 (3 label columns + 7 value columns). */
export function t3Header(orgLabel = '社会公益组织'): Row[] {
  return [
    [
      v('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { colSpan: 3, rowSpan: 3 }),
      v('申请人情况', { colSpan: 7 }),
    ],
    [v('自然人', { rowSpan: 2 }), v('法人或其他组织', { colSpan: 5 }), v('总计', { rowSpan: 2 })],
    ['商业企业', '科研机构', orgLabel, '法律服务机构', '其他'],
  ];
}

export interface T3Data {
  readonly [row: string]: readonly (number | string)[];
}

/** Data rows of a v2021 table 三 with merged vertical and group labels, values from `data` (zeros otherwise). */
export function t3BodyV2021(data: T3Data, opts: { brackets?: 'full' | 'half'; damage?: boolean } = {}): Row[] {
  const b = (n: string): string => (opts.brackets === 'half' ? `(${n})` : `（${n}）`);
  const nums = (key: string): string[] => t3Numbers(data[key] ?? [0, 0, 0, 0, 0, 0]);
  const sub = (label: string, key: string): Row => [label, ...nums(key)];
  return [
    [v('一、本年新收政府信息公开申请数量', { colSpan: 3 }), ...nums('new_received')],
    [v('二、上年结转政府信息公开申请数量', { colSpan: 3 }), ...nums('carried_over')],
    [
      v(opts.damage ? '三、 本年 度办 理结 果' : '三、本年度办理结果', { rowSpan: 22, vertical: true }),
      v(`${b('一')}予以公开`, { colSpan: 2 }),
      ...nums('granted'),
    ],
    [v(`${b('二')}部分公开（区分处理的，只计这一情形，不计其他情形）`, { colSpan: 2 }), ...nums('partially_granted')],
    [
      v(opts.damage ? `${b('三')}不予 公开` : `${b('三')}不予公开`, { rowSpan: 8 }),
      ...sub('1.属于国家秘密', 'denied_state_secret'),
    ],
    sub(opts.damage ? '2.其他法律行政法规禁止 公开' : '2.其他法律行政法规禁止公开', 'denied_law_prohibited'),
    sub('3.危及“三安全一稳定”', 'denied_three_safety_one_stability'),
    sub('4.保护第三方合法权益', 'denied_third_party'),
    sub('5.属于三类内部事务信息', 'denied_internal_affairs'),
    sub('6.属于四类过程性信息', 'denied_process_info'),
    sub('7.属于行政执法案卷', 'denied_enforcement_file'),
    sub('8.属于行政查询事项', 'denied_admin_query'),
    [v(`${b('四')}无法提供`, { rowSpan: 3 }), ...sub('1.本机关不掌握相关政府信息', 'unable_not_held')],
    sub('2.没有现成信息需要另行制作', 'unable_needs_creation'),
    sub(opts.damage ? '3.补正后申请内容仍不明 确' : '3.补正后申请内容仍不明确', 'unable_unclear'),
    [v(opts.damage ? b('五') : `${b('五')}不予处理`, { rowSpan: 5 }), ...sub('1.信访举报投诉类申请', 'np_petition')],
    sub('2.重复申请', 'np_duplicate'),
    sub('3.要求提供公开出版物', 'np_publication'),
    sub('4.无正当理由大量反复申请', 'np_excessive'),
    sub('5.要求行政机关确认或重新出具已获取信息', 'np_confirm_reissue'),
    [
      v(`${b('六')}其他处理`, { rowSpan: 3 }),
      ...sub('1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other_no_correction'),
    ],
    sub('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'other_unpaid_fee'),
    sub('3.其他', 'other_other'),
    [v(`${b('七')}总计`, { colSpan: 2 }), ...nums('total_processed')],
    [v('四、结转下年度继续办理', { colSpan: 3 }), ...nums('carried_forward')],
  ];
}

/** A consistent set of table-三 numbers (six columns each; totals are added by t3Numbers). */
export const T3_SAMPLE: T3Data = {
  new_received: [120, 70, 139, 217, 98, 46],
  carried_over: [5, 1, 1, 5, 0, 3],
  granted: [60, 40, 100, 150, 60, 30],
  partially_granted: [20, 10, 10, 30, 10, 5],
  denied_state_secret: [5, 0, 0, 0, 0, 0],
  unable_not_held: [10, 5, 10, 12, 8, 4],
  np_duplicate: [5, 2, 0, 0, 0, 0],
  other_other: [1, 0, 0, 0, 0, 0],
  total_processed: [101, 57, 120, 192, 78, 39],
  carried_forward: [24, 14, 20, 30, 20, 10],
};

/** Table 四 with vertical sub-headers and one data row of 15 numbers. */
export function t4Table(values: readonly string[], opts: { dropLastHeader?: boolean } = {}): Row[] {
  const heads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  const sub = [...heads, ...heads, ...heads].map((h) => v(h, { vertical: true }));
  return [
    [v('行政复议', { colSpan: 5, rowSpan: 2 }), v('行政诉讼', { colSpan: 10 })],
    [v('未经复议直接起诉', { colSpan: 5 }), v('复议后起诉', { colSpan: 5 })],
    opts.dropLastHeader ? [...sub.slice(0, 14), ''] : sub,
    values,
  ];
}

/** A narrative budget table that must stay unmapped. */
export const BUDGET_TABLE: Row[] = [
  ['项目', '预算数（万元）', '支出数（万元）', '执行率'],
  ['政务公开栏更新维护', '1.09', '0.96', '88.1%'],
  ['政务新媒体运营', '28.64', '23.17', '80.9%'],
  ['合计', '29.73', '24.13', '81.2%'],
];

export const REPORT_TEXT_V2021 = [
  '海原县常乐镇 2023 年政府信息公开工作年度报告',
  '本报告根据《条例》和（国办公开办函〔2021〕30号）要求编制。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。',
  '一、总体情况',
  '（一）主动公开。全年主动公开政府信息1308条，其中通过政府门户网站发布600',
  '条，政务新媒体发布708条。',
  '（二）依申请公开。全年共收到政府信息公开申请690件。',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
  '本年度未收取信息处理费。如有疑问，请与海原县常乐镇人民政府党政办公室联系（地址：海原县常乐镇政府路1号；邮编：755200；联系电话：0955—1234567；电子邮箱：cl@example.cn）。',
  '海原县常乐镇人民政府',
  '2024年1月27日',
].join('\n');
