/**
 * Label normalisation for anchor matching (domain.md §8.1): NFKC folds full-width forms,
 * Kangxi radicals (U+2F00–U+2FD5) and compatibility ideographs onto unified ideographs;
 * the CJK Radicals Supplement is not covered by NFKC, so the radicals seen in extracted
 * text are mapped by hand. All whitespace is removed because wrapped cells split labels.
 */

/**
 * Radical code points that fonts emit for common ideographs. NFKC leaves the CJK Radicals
 * Supplement alone, and folds Kangxi ⼾ (U+2F3E) to the traditional 戶 where zh-Hans fonts draw 户.
 */
const RADICAL_SUPPLEMENT: Readonly<Record<string, string>> = {
  '\u2F3E': '户',
  '\u2E9F': '母',
  '\u2EA6': '丬',
  '\u2EC1': '虎',
  '\u2EC9': '贝',
  '\u2ECA': '足',
  '\u2ED3': '长',
  '\u2ED7': '雨',
  '\u2ED8': '青',
  '\u2ED9': '韦',
  '\u2EDA': '页',
  '\u2EDC': '飞',
  '\u2EE3': '骨',
  '\u2EE5': '鱼',
  '\u2EE6': '鸟',
  '\u2EE7': '卤',
  '\u2EE8': '麦',
  '\u2E8C': '小',
  '\u2E8D': '小',
  '\u2E94': '彑',
  '\u2E9D': '月',
  '\u2EA0': '民',
  '\u2EA4': '爪',
  '\u2EA5': '爪',
  '\u2EA7': '牛',
  '\u2EAA': '疋',
  '\u2EAE': '竹',
  '\u2EB3': '网',
  '\u2EB6': '羊',
  '\u2EB7': '羊',
  '\u2EBC': '肉',
  '\u2EC3': '西',
  '\u2EC4': '西',
  '\u2EC5': '见',
  '\u2EC6': '角',
  '\u2EC8': '讠',
  '\u2ECB': '车',
  '\u2ED4': '门',
  '\u2ED6': '阝',
  '\u2EDB': '风',
  '\u2EDD': '食',
  '\u2EE0': '饣',
  '\u2EE2': '马',
  '\u2EE4': '鬼',
  '\u2EE9': '黄',
  '\u2EEB': '齐',
  '\u2EEC': '齐',
  '\u2EEE': '齿',
  '\u2EF0': '龙',
  '\u2EF3': '龟',
};

/** Punctuation NFKC keeps distinct but the templates use interchangeably. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '〔': '[',
  '〕': ']',
  '【': '[',
  '】': ']',
  '、': '、',
  '。': '.',
  '—': '-',
  '–': '-',
  '－': '-',
  '·': '.',
};

const RADICAL_RE = /[\u2E80-\u2EFF\u2F3E]/g;
const PUNCT_RE = /[“”‘’〔〕【】。—–－·]/g;
const SPACE_RE = /\s+/g;

/** NFKC + radicals + punctuation folding, whitespace kept (for regexes over running text). */
export function foldText(text: string): string {
  return text
    .replace(RADICAL_RE, (ch) => RADICAL_SUPPLEMENT[ch] ?? ch)
    .normalize('NFKC')
    .replace(PUNCT_RE, (ch) => PUNCTUATION[ch] ?? ch);
}

/** The form every label anchor is matched against: folded, no whitespace, markdown markers removed. */
export function normalizeLabel(text: string): string {
  return foldText(text).replace(SPACE_RE, '').replace(/[#*|]/g, '');
}
