import type { TextLayerVerdict } from '../model/index.js';
import type { RawPage } from '../pdf/raw-page.js';

/** Fewer visible characters than this on a page is "no text layer" (page numbers, a stray mark). */
const MIN_CHARS = 8;
/** An image-covered page (a scan) needs real text on top to count as a text layer, not just a header. */
const SCAN_COVERAGE = 0.5;
const SCAN_MIN_CHARS = 40;
/** Above this share of invisible characters (render mode 3/7) the text is an OCR overlay or hidden junk. */
const HIDDEN_SHARE = 0.5;
/** Above this share of glyphs without a Unicode mapping the extracted text is meaningless. */
const UNMAPPED_SHARE = 0.2;
/** Above this share of private-use code points the font's ToUnicode is missing or custom. */
const PRIVATE_USE_SHARE = 0.1;
/** Above this share of characters that are neither CJK, Latin text nor ordinary punctuation the layer is garbled. */
const GARBLED_SHARE = 0.25;
/** Above this share of characters placed off the page the visible text is elsewhere. */
const OFF_PAGE_SHARE = 0.5;

/** Above this share of Latin-1 letters and signs the text is CJK decoded with the wrong encoding (mojibake). */
const MOJIBAKE_SHARE = 0.3;

const PRIVATE_USE = /[\uE000-\uF8FF]/u;
const LATIN1_EXTRA = /[\u00A1-\u00FF]/u;
/** Text we expect in these documents: CJK, Latin, digits, ordinary and CJK punctuation, full-width forms. */
const ORDINARY =
  /[\u0020-\u007E\u00A0-\u00FF\u2000-\u206F\u2100-\u214F\u2160-\u218F\u2190-\u21FF\u2460-\u24FF\u25A0-\u25FF\u2E80-\u2FDF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE10-\uFE4F\uFF00-\uFFEF]/u;

function unusable(reason: Exclude<TextLayerVerdict['reason'], 'ok'>, detail: string): TextLayerVerdict {
  return { usable: false, reason, detail };
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** Decides whether a page's text layer can be read as is, or the page needs OCR (and why). */
export function judgeTextLayer(raw: RawPage): TextLayerVerdict {
  let chars = 0;
  let privateUse = 0;
  let odd = 0;
  let offPage = 0;
  let latin1 = 0;
  for (const g of raw.glyphs) {
    const cx = (g.box.x0 + g.box.x1) / 2;
    const cy = (g.box.y0 + g.box.y1) / 2;
    const outside = cx < 0 || cy < 0 || cx > raw.size.width || cy > raw.size.height;
    for (const ch of g.text) {
      if (ch.trim() === '') continue;
      chars++;
      if (outside) offPage++;
      if (LATIN1_EXTRA.test(ch)) latin1++;
      if (PRIVATE_USE.test(ch)) privateUse++;
      else if (ch === '\uFFFD' || !ORDINARY.test(ch)) odd++;
    }
  }
  const { shown, hidden, unmapped } = raw.textStats;
  if (shown > 0 && hidden / shown > HIDDEN_SHARE) {
    return unusable('hidden', `${pct(hidden / shown)} of the characters are drawn invisibly (render mode 3/7)`);
  }
  if (shown > 0 && unmapped / shown > UNMAPPED_SHARE) {
    return unusable('unmapped-glyphs', `${pct(unmapped / shown)} of the glyphs have no Unicode mapping`);
  }
  if (chars < MIN_CHARS) return unusable('none', `${chars} characters of text on the page`);
  if (raw.imageCoverage >= SCAN_COVERAGE && chars < SCAN_MIN_CHARS) {
    return unusable(
      'none',
      `images cover ${pct(raw.imageCoverage)} of the page and it has ${chars} characters of text`,
    );
  }
  if (offPage / chars > OFF_PAGE_SHARE)
    return unusable('off-page', `${pct(offPage / chars)} of the characters lie outside the page`);
  if (privateUse / chars > PRIVATE_USE_SHARE) {
    return unusable('private-use', `${pct(privateUse / chars)} of the characters are private-use code points`);
  }
  if (latin1 / chars > MOJIBAKE_SHARE) {
    return unusable(
      'garbled',
      `${pct(latin1 / chars)} of the characters are Latin-1 signs (text decoded with the wrong encoding)`,
    );
  }
  if (odd / chars > GARBLED_SHARE) {
    return unusable(
      'garbled',
      `${pct(odd / chars)} of the characters are replacement characters or unexpected symbols`,
    );
  }
  return { usable: true, reason: 'ok' };
}
