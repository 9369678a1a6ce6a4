import { describe, expect, it } from 'vitest';
import { doubtfulReadings } from '../../../core/checks/doubtful-readings.js';
import type { ReportCell } from '../../../core/model/index.js';

const cell = (key: string, raw: string, value: number, unit?: string): ReportCell => ({
  key,
  raw,
  value,
  confidence: 0.95,
  flags: [],
  source: null,
  ...(unit ? { unit } : {}),
});
const FEE = 'active_disclosure.admin_fees.fee_amount_wan';
const AMOUNT = 'active_disclosure.gov_central_procurement.procurement_amount';
const CHANGE = 'active_disclosure.admin_licensing.items_change';
const doubts = (cells: ReportCell[], text = '', ocr = true): Map<string, string> =>
  doubtfulReadings(Object.fromEntries(cells.map((c) => [c.key, c])), () => ocr, text);

describe('doubtfulReadings: OCR readings no exact rule checks and a misread would pass', () => {
  it('a 万元 amount read without its point (4.16 → 416) or implausible for the unit', () => {
    expect(doubts([cell(FEE, '416', 416, '万元')]).get(FEE)).toMatch(/without a decimal point/);
    expect(doubts([cell(AMOUNT, '22431.5', 22431.5)]).get(AMOUNT)).toBeUndefined();
    expect(doubts([cell(AMOUNT, '2243150.5', 2243150.5, '万元')]).get(AMOUNT)).toMatch(/implausible/);
    expect(doubts([cell(FEE, '4.16', 4.16, '万元'), cell(FEE.replace('fee', 'x'), '0', 0)]).size).toBe(0);
    expect(doubts([cell(FEE, '0', 0, '万元')]).size).toBe(0);
  });

  it('an amount in 元 is a whole number as printed; the narrative stating the figure settles it', () => {
    expect(doubts([cell(AMOUNT, '251000', 251000, '元')]).size).toBe(0);
    expect(doubts([cell(FEE, '16', 16, '万元')], '全年收取行政事业性收费16万元。').size).toBe(0);
    expect(doubts([cell(FEE, '416', 416, '万元')], '全年收取行政事业性收费4.16万元。').get(FEE)).toBeDefined();
  });

  it('a non-zero change read without a sign is doubtful unless the narrative says which way it went', () => {
    expect(doubts([cell(CHANGE, '2', 2)]).get(CHANGE)).toMatch(/sign/);
    expect(doubts([cell(CHANGE, '-2', -2)]).size).toBe(0);
    expect(doubts([cell(CHANGE, '+15', 15)]).size).toBe(0);
    expect(doubts([cell(CHANGE, '0', 0)]).size).toBe(0);
    expect(doubts([cell(CHANGE, '2', 2)], '行政许可事项增加2项。').size).toBe(0);
    expect(doubts([cell(CHANGE, '2', 2)], '行政许可事项减少2项。').get(CHANGE)).toMatch(/fall/);
  });

  it('an unsigned change is a rise when nothing is printed where its sign would be; the narrative still overrules', () => {
    const signless = (cells: ReportCell[], text = ''): Map<string, string> =>
      doubtfulReadings(
        Object.fromEntries(cells.map((c) => [c.key, c])),
        () => true,
        text,
        (k) => k === CHANGE,
      );
    expect(signless([cell(CHANGE, '2', 2)]).size).toBe(0);
    expect(signless([cell(CHANGE, '2', 2)], '行政许可事项减少2项。').get(CHANGE)).toMatch(/fall/);
  });

  it('text-layer values are exact: nothing is doubtful', () => {
    expect(doubts([cell(FEE, '416', 416, '万元'), cell(CHANGE, '2', 2)], '', false).size).toBe(0);
  });
});
