import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import { collectFlags } from '../../../core/flags/collect-flags.js';
import type { Report } from '../../../core/model/index.js';
import { readMetadata } from '../../../core/report/read-metadata.js';

const REAL = join(import.meta.dirname, '../../../../shared/corpus/real/gov_annual_reports');

const report = (title: string, opening: string, signature: string): string[] => [
  title,
  `本报告统计数据从 2021 年 1 月 1 日至 12 月 31 日。如有疑问，请与${opening}联系。`,
  '全年共收到政府信息公开申请 3 件。',
  signature,
  '2022年1月27日',
];

describe('metadata confidence: the issuer and year cross-checked against their repetitions and the division data', () => {
  it('a clean title, repeated in the contact sentence and the signature, is trusted and resolved', () => {
    const m = readMetadata(
      report(
        '沙坡头区东园镇2021年政府信息公开工作年度报告',
        '中卫市沙坡头区东园镇人民政府综合办公室',
        '中卫市沙坡头区东园镇人民政府',
      ).join('\n'),
    );
    const issuer = m.checks?.find((c) => c.field === 'issuer');
    expect(issuer).toMatchObject({ value: '沙坡头区东园镇', flagged: false });
    expect(issuer!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(m.issuerMatch?.townCode).toBe('640502102');
    expect(m.checks?.find((c) => c.field === 'reportYear')).toMatchObject({ value: '2021', flagged: false });
  });

  it('an OCR-garbled issuer (吉池县 for 盐池县, 红土代区 for 红寺堡区) is flagged with the name the report repeats', () => {
    for (const [title, right, code] of [
      ['吉池县人民政府2021年政府信息公开工作年度报告', '盐池县人民政府办公室', '640323'],
      ['红土代区人民政府2021年政府信息公开工作年度报告', '吴忠市红寺堡区人民政府办公室', '640303'],
    ] as const) {
      const m = readMetadata(report(title, right, `${right.replace('办公室', '')}`).join('\n'));
      const issuer = m.checks?.find((c) => c.field === 'issuer');
      expect(issuer?.flagged, title).toBe(true);
      expect(issuer?.confidence, title).toBeLessThan(0.8);
      expect(issuer?.message, title).toMatch(/near-miss/);
      expect(m.issuerMatch?.code, title).toBe(code);
    }
  });

  it('a title naming one place and a signature naming another is flagged', () => {
    const m = readMetadata(
      report('盐池县人民政府2021年政府信息公开工作年度报告', '淮安市洪泽区人民政府办公室', '淮安市洪泽区人民政府').join(
        '\n',
      ),
    );
    const issuer = m.checks?.find((c) => c.field === 'issuer');
    expect(issuer?.flagged).toBe(true);
    expect(issuer?.message).toMatch(/disagrees/);
  });

  it('a year that disagrees with the statistics period is flagged', () => {
    const lines = report(
      '沙坡头区东园镇2027年政府信息公开工作年度报告',
      '中卫市沙坡头区东园镇人民政府',
      '中卫市沙坡头区东园镇人民政府',
    );
    const m = readMetadata(lines.join('\n'));
    expect(m.checks?.find((c) => c.field === 'reportYear')).toMatchObject({ value: '2027', flagged: true });
  });

  it('flagged metadata surfaces as a warn flag keyed metadata.<field>, a note when only the division data doubts it', async () => {
    const doc = await extractDocument({
      bytes: await readFile(join(REAL, 'huaian_hongze_2024_gov_info_disclosure_annual_report.pdf')),
    });
    expect(doc.report?.metadata.issuerMatch?.code).toBe('320813');
    expect(doc.flags.filter((f) => f.kind === 'metadata-uncertain')).toEqual([]);
    const garbled = readMetadata(
      report('吉池县人民政府2021年政府信息公开工作年度报告', '盐池县人民政府办公室', '盐池县人民政府').join('\n'),
    );
    const withGarbled: Report = { ...doc.report!, metadata: garbled };
    const flags = collectFlags(doc.pages, doc.tables, withGarbled, []);
    const meta = flags.filter((f) => f.kind === 'metadata-uncertain');
    expect(meta).toEqual([expect.objectContaining({ severity: 'warn', at: { key: 'metadata.issuer' } })]);
    const placed = readMetadata(
      report('红寺堡区永康镇2021年政府信息公开工作年度报告', '红寺堡区永康镇人民政府', '红寺堡区永康镇人民政府').join(
        '\n',
      ),
    );
    const note = collectFlags(doc.pages, doc.tables, { ...doc.report!, metadata: placed }, []).filter(
      (f) => f.kind === 'metadata-uncertain',
    );
    expect(note).toEqual([expect.objectContaining({ severity: 'info', at: { key: 'metadata.issuer' } })]);
  });
});
