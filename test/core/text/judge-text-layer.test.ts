import { describe, expect, it } from 'vitest';
import { judgeTextLayer } from '../../../core/text/judge-text-layer.js';
import { glyph, glyphsOf, rawPage } from '../../helpers/glyphs.js';

const prose = glyphsOf('政府信息公开工作年度报告本报告统计数据', 50, 100);

describe('judgeTextLayer', () => {
  it('accepts ordinary CJK and Latin text', () => {
    expect(judgeTextLayer(rawPage({ glyphs: [...prose, glyph('Report 2023', 50, 200)] }))).toEqual({
      usable: true,
      reason: 'ok',
    });
  });

  it('calls a page without text, or a scan with only a page number, "none"', () => {
    expect(judgeTextLayer(rawPage({}))).toMatchObject({ usable: false, reason: 'none' });
    expect(
      judgeTextLayer(
        rawPage({ imageCoverage: 0.98, glyphs: [glyph('- 3 -', 280, 800), ...glyphsOf('页眉页眉', 50, 20)] }),
      ),
    ).toMatchObject({
      reason: 'none',
    });
  });

  it('detects private-use, replacement and symbol garbage', () => {
    expect(
      judgeTextLayer(rawPage({ glyphs: glyphsOf('\uE001\uE002\uE003\uE004\uE005\uE006\uE007\uE008\uE009', 50, 100) })),
    ).toMatchObject({
      reason: 'private-use',
    });
    expect(
      judgeTextLayer(rawPage({ glyphs: glyphsOf('\uFFFD\uFFFD\uFFFD\u0394\u03A3\u0416\u0416\u0416abc', 50, 100) })),
    ).toMatchObject({
      reason: 'garbled',
    });
  });

  it('detects CJK text decoded with the wrong encoding (Latin-1 mojibake)', () => {
    expect(judgeTextLayer(rawPage({ glyphs: glyphsOf('Õþ¸®ÐÅÏ¢¹«¿ª¹¤×÷Äê¶È±¨¸æ', 50, 100) }))).toMatchObject({
      usable: false,
      reason: 'garbled',
    });
    expect(judgeTextLayer(rawPage({ glyphs: glyphsOf('Résumé of the café année', 50, 100) }))).toEqual({
      usable: true,
      reason: 'ok',
    });
  });

  it('detects hidden text, unmapped glyphs and text placed off the page', () => {
    expect(judgeTextLayer(rawPage({ glyphs: prose, textStats: { shown: 19, hidden: 19, unmapped: 0 } }))).toMatchObject(
      { reason: 'hidden' },
    );
    expect(judgeTextLayer(rawPage({ glyphs: prose, textStats: { shown: 19, hidden: 0, unmapped: 12 } }))).toMatchObject(
      {
        reason: 'unmapped-glyphs',
      },
    );
    expect(judgeTextLayer(rawPage({ glyphs: glyphsOf('政府信息公开工作年度报告', 50, -400) }))).toMatchObject({
      reason: 'off-page',
    });
  });
});
