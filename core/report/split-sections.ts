import type { Page, SectionSpan } from '../model/index.js';
import { foldText, normalizeLabel } from './normalize-label.js';

type SectionKey = SectionSpan['key'];

/** Section headings: a number 一…六 with 、 and a keyword (domain.md §1). */
const HEADINGS: readonly {
  readonly key: SectionKey;
  readonly numeral: string;
  readonly keywords: readonly string[];
}[] = [
  { key: 's1_overview', numeral: '一', keywords: ['总体情况'] },
  { key: 's2_proactive', numeral: '二', keywords: ['主动公开'] },
  { key: 's3_applications', numeral: '三', keywords: ['收到和处理', '依申请公开'] },
  { key: 's4_review_litigation', numeral: '四', keywords: ['行政复议', '行政诉讼'] },
  { key: 's5_problems', numeral: '五', keywords: ['存在的主要问题', '存在问题', '主要问题'] },
  { key: 's6_other', numeral: '六', keywords: ['其他需要报告', '其他事项'] },
];

/** Longer lines are paragraphs that happen to start with a numeral, not headings. */
const MAX_HEADING_LENGTH = 40;

interface Hit {
  readonly key: SectionKey;
  readonly heading: string;
  readonly page: number;
  readonly line: number;
}

/**
 * Finds the six sections by their headings. Sections whose heading is missing are returned as
 * `inferred` with empty text when a table proves they exist (`inferredFromTables`), so a lost
 * heading does not lose the section.
 */
export function splitSections(pages: readonly Page[], inferredFromTables: ReadonlySet<SectionKey>): SectionSpan[] {
  const lines = pages.flatMap((p) => p.text.split('\n').map((text) => ({ page: p.number, text })));
  const hits: Hit[] = [];
  lines.forEach((line, i) => {
    const label = normalizeLabel(line.text);
    if (label.length > MAX_HEADING_LENGTH) return;
    const h = HEADINGS.find((s) => label.startsWith(`${s.numeral}、`) && s.keywords.some((k) => label.includes(k)));
    if (h && !hits.some((x) => x.key === h.key))
      hits.push({ key: h.key, heading: foldText(line.text).trim(), page: line.page, line: i });
  });
  hits.sort((a, b) => a.line - b.line);
  const spans: SectionSpan[] = hits.map((h, i) => {
    const end = hits[i + 1]?.line ?? lines.length;
    const text = lines
      .slice(h.line + 1, end)
      .map((l) => l.text)
      .join('\n');
    return { key: h.key, heading: h.heading, page: h.page, found: 'heading', text };
  });
  for (const key of inferredFromTables) {
    if (!spans.some((s) => s.key === key)) spans.push({ key, heading: null, page: null, found: 'inferred', text: '' });
  }
  const order = HEADINGS.map((h) => h.key);
  return spans.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}
