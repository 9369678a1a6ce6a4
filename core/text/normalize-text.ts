/** CJK ideographs, radicals (incl. Kangxi), CJK punctuation, kana and full-width forms: set without spaces. */
const CJK_CHAR = /[\u2E80-\u2FDF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/;
const SPACE_BETWEEN_CJK =
  /([\u2E80-\u2FDF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF])[ \t\u00A0\u3000]+(?=[\u2E80-\u2FDF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF])/g;

export function isCjk(char: string): boolean {
  return CJK_CHAR.test(char);
}

/** Removes spaces a producer put between CJK characters (letter-spacing, justification); keeps Latin word spaces. */
export function collapseCjkSpaces(text: string): string {
  return text.replace(SPACE_BETWEEN_CJK, '$1');
}

/**
 * The copy of a text used for matching labels: NFKC (Kangxi radicals U+2F00–U+2FDF → unified ideographs,
 * full-width digits and brackets → ASCII), whitespace collapsed. The original text is kept beside it.
 */
export function normalizeText(text: string): string {
  return collapseCjkSpaces(text.normalize('NFKC').replace(/\s+/g, ' ').trim());
}
