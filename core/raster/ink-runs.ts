/** Lines at least this long are scanned a word at a time (rowInkRuns); shorter ones byte by byte. */
const MIN_WORD_SCAN = 64;

/**
 * Calls `visit(from, to)` (positions along the line, `to` inclusive) for each run of ink (non-zero
 * pixels) along a line of `len` pixels at `first`, `first + step`, …, gaps of up to `gap` paper
 * pixels bridged. The one scan behind rule finding, rule masks and rule clearing in cell crops:
 * rows are `step` 1, columns `step` = width. With `inkBelow` > 0 the line is gray and ink is any
 * pixel darker than it (no page-sized mask needed for one scan over a gray page).
 */
export function forEachInkRun(
  data: Uint8Array,
  first: number,
  step: number,
  len: number,
  gap: number,
  visit: (from: number, to: number) => void,
  inkBelow = 0,
): void {
  if (step === 1 && inkBelow === 0 && len >= MIN_WORD_SCAN) {
    rowInkRuns(data, first, len, gap, visit);
    return;
  }
  let start = -1;
  let last = -1;
  for (let p = 0, i = first; p <= len; p++, i += step) {
    if (p < len && (inkBelow > 0 ? data[i]! < inkBelow : data[i] !== 0)) {
      if (start < 0) start = p;
      last = p;
    } else if (start >= 0 && (p - last > gap || p === len)) {
      visit(start, last);
      start = -1;
    }
  }
}

/**
 * The index of the first non-zero byte of `data` in [i, end), or `end`. Paper (0) is skipped four
 * bytes at a time through `words`, a Uint32Array over the same (4-aligned) buffer: a binary page is
 * mostly paper, and this scan is what rule finding spends its time on.
 */
export function nextInk(data: Uint8Array, words: Uint32Array | null, i: number, end: number): number {
  if (words !== null) {
    for (; i < end && (i & 3) !== 0; i++) if (data[i] !== 0) return i;
    const wordEnd = (end >> 2) << 2;
    let k = i >> 2;
    while (k << 2 < wordEnd && words[k] === 0) k++;
    i = Math.max(i, k << 2);
  }
  for (; i < end; i++) if (data[i] !== 0) return i;
  return end;
}

/** A Uint32Array over `data`'s bytes for nextInk, or null when its buffer offset is not 4-aligned. */
export function wordsOf(data: Uint8Array): Uint32Array | null {
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
}

/**
 * forEachInkRun along a row of a binary image (step 1): the same runs in the same order, with the
 * paper between them skipped a word at a time (nextInk).
 */
function rowInkRuns(
  data: Uint8Array,
  first: number,
  len: number,
  gap: number,
  visit: (from: number, to: number) => void,
): void {
  const words = wordsOf(data);
  const end = first + len;
  let i = nextInk(data, words, first, end);
  while (i < end) {
    let last = i;
    let j = i + 1;
    // A run ends at the first paper pixel more than `gap` past its last ink.
    for (; j < end; j++) {
      if (data[j] !== 0) last = j;
      else if (j - last > gap) break;
    }
    visit(i - first, last - first);
    i = nextInk(data, words, j, end);
  }
}

/** Length of the longest ink run along the line (see forEachInkRun). */
export function longestInkRun(data: Uint8Array, first: number, step: number, len: number, gap: number): number {
  let best = 0;
  forEachInkRun(data, first, step, len, gap, (from, to) => {
    best = Math.max(best, to - from + 1);
  });
  return best;
}

/**
 * The longest run a line holding `ink` ink pixels can have when gaps up to `bridge` are bridged: each
 * gap between two of its pixels adds at most `bridge`. A line whose bound falls short of a rule's
 * length needs no run scan (find-ink: most rows and columns of a cell).
 */
export function longestRunBound(ink: number, bridge: number): number {
  return ink === 0 ? 0 : ink + (ink - 1) * bridge;
}
