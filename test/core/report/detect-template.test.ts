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
});
