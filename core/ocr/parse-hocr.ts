import { joinCjk } from './join-cjk.js';
import type { LineReading } from './ocr-engine.js';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? '');
}

/** One hOCR element we read: a page starts, a word starts, or a symbol with its confidence (0–100). */
const TOKEN = /class='ocr_page'|class='ocrx_word'|class='ocrx_cinfo' title='[^']*x_conf ([\d.]+)'>([^<]*)</g;

/**
 * Tesseract's hOCR of a multi-page input with `hocr_char_boxes` on, as one reading per page: the
 * words joined as tesseract.js joins a page's text (spaces, then CJK spacing dropped), with the mean
 * and the weakest symbol confidence as the tesseract.js readings of one crop carry them. Pages
 * with no words read as empty; `pages` is how many were sent (any other count throws).
 */
export function parseHocrLines(hocr: string, pages: number): LineReading[] {
  const words: string[][][] = [];
  const confs: number[][] = [];
  for (const m of hocr.matchAll(TOKEN)) {
    if (m[0] === "class='ocr_page'") {
      words.push([]);
      confs.push([]);
    } else if (m[0] === "class='ocrx_word'") words.at(-1)?.push([]);
    else {
      words
        .at(-1)
        ?.at(-1)
        ?.push(unescape(m[2] ?? ''));
      confs.at(-1)?.push(Number(m[1]) / 100);
    }
  }
  // Readings are matched to crops by page order: a count that does not match matches nothing.
  if (words.length !== pages) throw new Error(`hOCR holds ${words.length} pages, ${pages} were sent`);
  return Array.from({ length: pages }, (_, i): LineReading => {
    const text = joinCjk(
      (words[i] ?? [])
        .map((w) => w.join(''))
        .filter((w) => w.trim() !== '')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    const c = confs[i] ?? [];
    if (c.length === 0 || text === '') return { text, confidence: 0, weakest: 0 };
    return { text, confidence: c.reduce((a, b) => a + b, 0) / c.length, weakest: Math.min(...c) };
  });
}
