import { describe, expect, it } from 'vitest';
import { isLabelText, parseNumber, regroupCount, unitFromHeader } from '../../../core/report/parse-number.js';
import { foldText, normalizeLabel } from '../../../core/report/normalize-label.js';

describe('parseNumber', () => {
  it('reads the digits some faces come back as from a CJK recogniser (O, 〇, 口 for 0; l, I for 1)', () => {
    const ocr = { lookalikes: true };
    expect(parseNumber('O', ocr)).toMatchObject({ ok: true, value: 0, lookalike: true });
    expect(parseNumber('〇', ocr)).toMatchObject({ ok: true, value: 0, lookalike: true });
    expect(parseNumber('口', ocr)).toMatchObject({ ok: true, value: 0, lookalike: true });
    expect(parseNumber('1O', ocr)).toMatchObject({ ok: true, value: 10, lookalike: true });
    expect(parseNumber('lO5', ocr)).toMatchObject({ ok: true, value: 105, lookalike: true });
    // A lone stroke is as often a rule remnant; letters mixed with anything else stay unparsable.
    expect(parseNumber('l', ocr)).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(parseNumber('Ox', ocr)).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(parseNumber('10', ocr)).not.toHaveProperty('lookalike');
    // A text layer's glyphs are exact: 〇 there is no guess to make.
    expect(parseNumber('〇')).toMatchObject({ ok: false, reason: 'unparsable' });
  });

  it('reads plain, full-width and separated digits', () => {
    expect(parseNumber('182')).toEqual({ ok: true, value: 182, cleaned: false });
    expect(parseNumber('３１')).toMatchObject({ ok: true, value: 31, cleaned: true });
    expect(parseNumber('3,397,603')).toMatchObject({ ok: true, value: 3397603 });
    expect(parseNumber('２,９５３')).toMatchObject({ ok: true, value: 2953 });
  });

  it('keeps explicit signs and decimals', () => {
    expect(parseNumber('+1036')).toMatchObject({ ok: true, value: 1036 });
    expect(parseNumber('-6')).toMatchObject({ ok: true, value: -6 });
    expect(parseNumber('－2')).toMatchObject({ ok: true, value: -2 });
    expect(parseNumber('25.50')).toMatchObject({ ok: true, value: 25.5 });
    expect(parseNumber('-0')).toMatchObject({ ok: true, value: 0 });
  });

  it('strips and records units', () => {
    expect(parseNumber('251000元')).toMatchObject({ ok: true, value: 251000, unit: '元' });
    expect(parseNumber('16.25 万元')).toMatchObject({ ok: true, value: 16.25, unit: '万元' });
  });

  it('reads blank markers as blank and anything else as unparsable', () => {
    for (const blank of ['', '  ', '—', '-', '/', '无', '——'])
      expect(parseNumber(blank)).toEqual({ ok: false, value: null, reason: 'blank' });
    for (const bad of ['l2', '1O', '十二', '12.3.4', '1,23'])
      expect(parseNumber(bad)).toEqual({ ok: false, value: null, reason: 'unparsable' });
  });

  it('tells labels from values', () => {
    expect(isLabelText('1.属于国家秘密')).toBe(true);
    expect(isLabelText('无')).toBe(false);
    expect(isLabelText('251000元')).toBe(false);
    expect(isLabelText('12')).toBe(false);
  });

  it('finds the unit named in a header', () => {
    expect(unitFromHeader('本年收费金额（单位：万元）')).toBe('万元');
    expect(unitFromHeader('采购总金额(万元)')).toBe('万元');
    expect(unitFromHeader('采购总金额')).toBeUndefined();
  });
});

describe('regroupCount', () => {
  it('reads thousands separators that OCR took for decimal points', () => {
    expect(regroupCount('4.597')).toBe(4597);
    expect(regroupCount('3.397.603')).toBe(3397603);
    expect(regroupCount('3.397603')).toBe(3397603);
    expect(regroupCount('3397.603')).toBe(3397603);
    expect(regroupCount('1，095')).toBe(1095);
  });

  it('leaves anything else alone', () => {
    expect(regroupCount('4.5')).toBeNull();
    expect(regroupCount('16.25')).toBeNull();
    expect(regroupCount('4597')).toBeNull();
    expect(regroupCount('4..597')).toBeNull();
    expect(regroupCount('4.59a')).toBeNull();
  });
});

describe('normalizeLabel', () => {
  it('removes whitespace and folds width, brackets and quotes', () => {
    expect(normalizeLabel('三、 本年 度办 理结 果')).toBe('三、本年度办理结果');
    expect(normalizeLabel('（三）不予 公开')).toBe(normalizeLabel('(三)不予公开'));
    expect(normalizeLabel('3.危及“三安全一稳定”')).toBe('3.危及"三安全一稳定"');
    expect(normalizeLabel('## **六、其他需要报告的事项**')).toBe('六、其他需要报告的事项');
  });

  it('maps Kangxi and supplement radicals onto unified ideographs', () => {
    // ⾏ U+2F8F KANGXI RADICAL WALK ENCLOSURE, ⽂ U+2F42 KANGXI RADICAL SCRIPT, ⻅ U+2EC5 (supplement) → 见
    expect(normalizeLabel('\u2F8F政规范性\u2F42件')).toBe('行政规范性文件');
    expect(foldText('\u2EC5')).toBe('见');
    expect(normalizeLabel('政府\u2ED4\u2F3E\u2F79站')).toBe('政府门户网站');
  });
});
