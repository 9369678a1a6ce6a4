import type { GrayRaster, PixelBox } from './gray-raster.js';

/** What a cell crop is expected to hold: a number (digits-only setup) or a label (Chinese text). */
export type LineKind = 'digits' | 'label';

/** One recognised word with its box in the pixels of the image that was read. */
export interface OcrWord {
  readonly text: string;
  /** 0…1. */
  readonly confidence: number;
  /** The weakest symbol's confidence 0…1. */
  readonly weakest: number;
  readonly box: PixelBox;
}

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  readonly box: PixelBox;
  readonly words: readonly OcrWord[];
}

export interface OcrParagraph {
  readonly box: PixelBox;
  readonly confidence: number;
  readonly lines: readonly OcrLine[];
}

/** Full-page reading (layout analysis on, PSM 3). */
export interface PageReading {
  readonly paragraphs: readonly OcrParagraph[];
  /** Mean word confidence 0…1, null when nothing was read. */
  readonly confidence: number | null;
}

/** Reading of one cell crop (one line, PSM 7; a wrapped label as one block, PSM 6). */
export interface LineReading {
  readonly text: string;
  /** Mean symbol confidence 0…1 (0 when nothing was read). */
  readonly confidence: number;
  /** The weakest symbol's confidence 0…1: one doubtful digit makes the whole number doubtful. */
  readonly weakest: number;
}

/** Options of every read: `signal` cancels it (queued: never run; running: no longer waited for). */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

export interface LineOptions extends ReadOptions {
  /**
   * Read a number with the second recogniser: the CJK model held to the digits whitelist. The digits
   * setup (eng) returns nothing for a lone thin glyph such as the 1 of Song-style report fonts, which
   * the CJK model reads; it is asked only when the first readings and the ink disagree.
   */
  readonly second?: boolean;
}

export interface PageOptions extends ReadOptions {
  /** Share of the page's area outside its tables (0…1): how much prose the pass has to read. */
  readonly proseShare?: number;
}

export interface OcrStats {
  /** Recognise calls asked for so far (each is one tesseract run unless cancelled first). */
  readonly calls: number;
  /** Calls a tesseract worker ran (or is running). */
  readonly started: number;
  /** Calls cancelled before a worker took them (a page or document deadline passed): never run. */
  readonly dropped: number;
  /** Calls a worker is running now (a cancelled one runs to its end, unwaited for). */
  readonly running: number;
  /** Milliseconds spent waiting for the recogniser, summed over calls. */
  readonly busyMs: number;
}

/**
 * The recogniser port the core receives through its options (`{ ocr?: OcrEngine }`): created once,
 * shared by every document, terminated by its owner. Implementations may throw when the recogniser
 * itself breaks (a crashed worker); callers turn that into an OCR_FAILED problem.
 */
export interface OcrEngine {
  /** Parallel workers per setup. */
  readonly workers: number;
  /** Which traineddata files are loaded, for the record (e.g. `debian-4.1.0`). */
  readonly traineddata: string;
  readPage(image: GrayRaster, dpi: number, opts?: PageOptions): Promise<PageReading>;
  readLine(image: GrayRaster, kind: LineKind, dpi: number, rows?: number, opts?: LineOptions): Promise<LineReading>;
  /** One line of text (PSM 7) with a box and confidences per word. */
  readWords(image: GrayRaster, kind: LineKind, dpi: number, opts?: ReadOptions): Promise<readonly OcrWord[]>;
  stats(): OcrStats;
  terminate(): Promise<void>;
}
