import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetadata } from '../../../core/report/read-metadata.js';

const SEEDS = join(import.meta.dirname, '../../../../shared/seeds');

describe('readMetadata', () => {
  it('reads a year-first title, an approximate total and narrative zeros', () => {
    const m = readMetadata(
      [
        '2020年东宁镇政府信息公开工作年度报告',
        '截止 2020 年 12 月末，我镇主动公开政府信息数量 80 余条。',
        '本单位 2020 年未收到政府信息公开申请，未发生行政复议、行政诉讼的情况。',
      ].join('\n'),
    );
    expect(m).toMatchObject({
      reportYear: 2020,
      issuer: '东宁镇',
      proactiveTotal: { value: 80, approx: true },
      applicationsReceivedText: 0,
      noReviewLitigationText: true,
      statPeriod: null,
      formatNoticeCited: null,
    });
  });

  it('reads a spaced title, the period, the notice, channels across line breaks and the signature', () => {
    const m = readMetadata(
      [
        '沙坡头区东园镇 2021 年政府信息公开工作',
        '年度报告',
        '（国办公开办函〔2021〕30号）要求，本报告统计数据从 2021 年 1 月 1 日至 12 月 31 日。',
        '（一）主动公开。2021 年，东园镇主动公开政府信息 1928 余条。通过政府网站发布政府信息共 42 条，通过微',
        '信公众号发布政府信息 234 条。',
        '全年共收到政府信息公开申请 3 件。',
        '中卫市沙坡头区东园镇人民政府',
        '2022年1月27日',
      ].join('\n'),
    );
    expect(m).toMatchObject({
      reportYear: 2021,
      issuer: '沙坡头区东园镇',
      issuerFull: '中卫市沙坡头区东园镇人民政府',
      statPeriod: { start: '2021-01-01', end: '2021-12-31' },
      publicationDate: '2022-01-27',
      formatNoticeCited: '国办公开办函〔2021〕30号',
      proactiveTotal: { value: 1928, approx: true },
      applicationsReceivedText: 3,
    });
    expect(m.proactiveByChannel).toEqual({ 政府网站: 42, 微信公众号: 234 });
  });

  it.skipIf(!existsSync(SEEDS))('reads year and issuer from every seed report', () => {
    const want: Record<string, [number, string]> = {
      '000': [2021, '沙坡头区东园镇'],
      '001': [2021, '盐池县冯记沟乡'],
      '002': [2020, '沙坡头区宣和镇人民政府'],
      '003': [2022, '沙坡头区常乐镇'],
      '004': [2020, '东宁镇'],
    };
    for (const file of seedFiles()) {
      const m = readMetadata(readFileSync(join(SEEDS, file), 'utf8'));
      const [year, issuer] = want[file.slice(0, 3)] ?? [0, ''];
      expect(`${file}: ${m.reportYear} ${m.issuer}`).toBe(`${file}: ${year} ${issuer}`);
    }
  });
});

function seedFiles(): string[] {
  return [
    '000_5132a1eae64ad717.txt',
    '001_0ca4ef7a0840804f.txt',
    '002_eebf944336d263cb.txt',
    '003_f0d5aaeb41c6e798.txt',
    '004_bbc32dee6d9bf6c2.txt',
  ].filter((f) => existsSync(join(SEEDS, f)));
}
