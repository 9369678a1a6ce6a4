import { describe, expect, it } from 'vitest';
import { corpusIssuers } from '../../../bench/corpus-issuers.js';
import { normalizeIssuerName, resolveIssuer } from '../../../core/issuer/resolve-issuer.js';

describe('resolveIssuer: printed names to GB/T 2260 divisions', () => {
  it('full and short forms, ± 人民政府 / 办公室 / 管委会, region prefixes and full-width text are one issuer', () => {
    const forms = [
      '洪泽区人民政府',
      '淮安市洪泽区人民政府',
      '江苏省淮安市洪泽区人民政府办公室',
      '淮安市洪泽区',
      '洪泽区 人民政府',
      '（淮安市洪泽区）人民政府',
      '洪泽区管委会',
    ];
    const ids = new Set(forms.map((f) => resolveIssuer(f).issuerId));
    expect([...ids]).toEqual(['320813:']);
    const m = resolveIssuer('淮安市洪泽区人民政府');
    expect(m).toMatchObject({ code: '320813', province: '江苏省', city: '淮安市', county: '洪泽区', body: null });
    expect(m.confidence).toBeGreaterThanOrEqual(0.9);
    expect(normalizeIssuerName('ＡＢ淮安市 （人民政府）')).toBe('淮安市人民政府');
  });

  it('a department keeps its body: 中卫市生态环境局 is not 中卫市人民政府', () => {
    const dept = resolveIssuer('中卫市生态环境局');
    expect(dept.code).toBe('640500');
    expect(dept.body).toBe('生态环境局');
    expect(dept.issuerId).not.toBe(resolveIssuer('中卫市人民政府').issuerId);
  });

  it('a town needs its county: 东园镇 alone is ambiguous, the report context picks it', () => {
    expect(resolveIssuer('东园镇').method).toBe('unresolved');
    expect(resolveIssuer('东园镇').reason).toMatch(/ambiguous/);
    const m = resolveIssuer('东园镇', '请与中卫市沙坡头区东园镇人民政府综合办公室联系');
    expect(m).toMatchObject({ townCode: '640502102', method: 'context' });
    // Unique nationwide but unconfirmed: a guess, below the trusted level.
    expect(resolveIssuer('东宁镇').confidence).toBeLessThan(0.8);
    expect(resolveIssuer('东宁镇', '东宁市人民政府办公室').confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('OCR near-misses resolve only with support and stay doubtful (吉池县, 红土代区)', () => {
    const bare = resolveIssuer('吉池县人民政府');
    expect(bare.issuerId).toBeNull();
    expect(bare.reason).toMatch(/one glyph off/);
    const ctx = resolveIssuer('吉池县人民政府', '如有疑问请与盐池县人民政府办公室联系');
    expect(ctx).toMatchObject({ code: '640323', method: 'near-miss' });
    expect(ctx.confidence).toBeLessThan(0.8);
    expect(resolveIssuer('吴忠市红土代区人民政府')).toMatchObject({ code: '640303', method: 'near-miss' });
    expect(resolveIssuer('红土代区', '吴忠市红寺堡区人民政府').code).toBe('640303');
  });

  it('a real town placed under another county keeps its printed name and a low confidence', () => {
    const m = resolveIssuer('红寺堡区永康镇');
    expect(m).toMatchObject({ code: '640303', method: 'partial', unresolvedPart: '永康镇', issuerId: '640303:永康镇' });
    expect(m.confidence).toBeLessThanOrEqual(0.5);
    // Printed with a wrong city, the county still decides, so both repetitions are one issuer.
    expect(resolveIssuer('中卫市红寺堡区常乐镇人民政府').issuerId).toBe(resolveIssuer('红寺堡区常乐镇').issuerId);
  });

  it('every issuer name in ../shared/corpus resolves to a division code or says why not', async () => {
    const names = await corpusIssuers();
    expect(names.length).toBeGreaterThanOrEqual(29);
    const expected: Record<string, string> = {
      沙坡头区东园镇: '640502102',
      盐池县冯记沟乡: '640323201',
      沙坡头区宣和镇人民政府: '640502105',
      沙坡头区常乐镇: '640502107',
      东宁镇: '231086100',
      淮安市人民政府: '320800',
      洪泽区人民政府: '320813',
      淮安市洪泽区人民政府: '320813',
      中卫市生态环境局: '640500',
      海原县人民政府: '640522',
      盐池县人民政府: '640323',
    };
    for (const n of names) {
      const m = resolveIssuer(n.printed, n.context);
      if (m.issuerId === null) expect(m.reason, n.source).toBeTruthy();
      else expect(m.code, n.source).toMatch(/^\d{6}$/);
      if (m.method !== 'exact') expect(m.reason, n.source).toBeTruthy();
      const want = expected[n.printed];
      if (want) expect(m.townCode ?? m.code, n.source).toBe(want);
    }
    // Every name of the corpus lands on a county or deeper, or on a city department.
    expect(names.filter((n) => resolveIssuer(n.printed, n.context).code === null)).toEqual([]);
  });
});
