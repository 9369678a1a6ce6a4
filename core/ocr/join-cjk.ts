/** Han ideographs, CJK punctuation and full-width forms: no spaces belong between them. */
const CJK = '[\\u2E80-\\u2FDF\\u3000-\\u303F\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF]';
const SPACE_BETWEEN_CJK = new RegExp(`(${CJK})\\s+(?=${CJK})`, 'gu');
const SPACE_CJK_DIGIT = new RegExp(`(${CJK})\\s+(?=[0-9])|([0-9])\\s+(?=${CJK})`, 'gu');

/** Tesseract separates every CJK character with a space; drop spaces between CJK characters (and beside digits in CJK text). */
export function joinCjk(text: string): string {
  return text
    .replace(SPACE_BETWEEN_CJK, '$1')
    .replace(SPACE_CJK_DIGIT, (_m: string, a: string | undefined, b: string | undefined) => a ?? b ?? '')
    .normalize('NFC');
}
