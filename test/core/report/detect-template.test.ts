import { describe, expect, it } from 'vitest';
import { detectTemplate } from '../../../core/report/detect-template.js';
import { buildTable } from '../../helpers/table-builder.js';

describe('detectTemplate', () => {
  it('reads the template from a label with one character misread, as a standard-mode fax prints it', () => {
    const t = buildTable([
      ['信息内容', '丨一年项目数量', '本年增/减', '处理决定数量'],
      ['行政许可', '73', '-8', '75'],
    ]);
    expect(detectTemplate([t], '', null).version).toBe('v2019');
  });

  it('takes no short label on one misread character: 有效件数 read 有效牛数 is no evidence', () => {
    const t = buildTable([
      ['信息内容', '本年制发牛数', '本年废止件敬', '现行有效牛数'],
      ['规章', '1', '0', '3'],
    ]);
    expect(detectTemplate([t], '', null)).toMatchObject({ version: null, evidence: [] });
  });

  it('falls back to the year before a misread title when a standard-mode fax left no label, notice or year', () => {
    const t = buildTable([
      ['人人', '48', '2', '全外'],
      ['|时，', '11', '0', '0'],
    ]);
    // The opening of synth-2019-2 faxed at 98 lines an inch, as the prose pass read it.
    const text =
      'J02403 1310 10 FROM 0511 83901008政作汉公全 PPO0UV003\n红王供区党乐锁2020年政府信息公开王作年度报告\n本报吕根据';
    const d = detectTemplate([t], text, null);
    expect(d.version).toBe('v2019');
    expect(d.evidence).toEqual(['year 2020 before the misread title words → v2019']);
    // A year in running text is no title, and a readable label still wins over the title's year.
    expect(detectTemplate([t], '2022年政府采购金额', null).version).toBeNull();
    const labelled = buildTable([['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']]);
    expect(detectTemplate([labelled], text, null).version).toBe('v2021');
  });
});
