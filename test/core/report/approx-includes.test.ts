import { describe, expect, it } from 'vitest';
import { approxIncludes } from '../../../core/report/approx-includes.js';

describe('approxIncludes', () => {
  const title = '政府信息公开工作年度报告';

  it('finds the words anywhere in the text, exactly', () => {
    expect(approxIncludes('海原县常乐镇2023年政府信息公开工作年度报告', title, 0)).toBe(true);
  });

  it('allows as many misread, dropped or added characters as asked (a fax title line)', () => {
    // 公玫 for 公开 and a stray 人: two edits.
    const read = '海原县常乐镇2023年政府信息公玫工作人年度报告，';
    expect(approxIncludes(read, title, 1)).toBe(false);
    expect(approxIncludes(read, title, 2)).toBe(true);
    // 工作 left out is two dropped characters.
    expect(approxIncludes('2023年政府信息公开年度报告', title, 2)).toBe(true);
  });

  it('does not match text that merely shares a few of the words', () => {
    expect(approxIncludes('政府信息公开申请办理情况统计表', title, 2)).toBe(false);
    expect(approxIncludes('二〇二三年度工作报告', title, 2)).toBe(false);
    expect(approxIncludes('', title, 2)).toBe(false);
  });
});
