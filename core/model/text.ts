import type { Box } from './geometry.js';

/** Where a piece of text or a number came from. */
export type Origin = 'text-layer' | 'ocr';

/** One line of text in reading order. `text` is as read (NFC); matching uses a normalised copy. */
export interface TextLine {
  readonly box: Box;
  readonly text: string;
  readonly origin: Origin;
  /** 0…1: 1 for a clean text layer, the recogniser's confidence for OCR. */
  readonly confidence: number;
}

/** Lines that belong together (a paragraph, a heading, a caption). */
export interface TextBlock {
  readonly box: Box;
  readonly text: string;
  readonly lines: readonly TextLine[];
  readonly origin: Origin;
  readonly confidence: number;
}

/** Verdict on a page's text layer, so the OCR path can take exactly the pages that need it. */
export type TextLayerVerdict =
  | { readonly usable: true; readonly reason: 'ok' }
  | {
      readonly usable: false;
      readonly reason: 'none' | 'garbled' | 'unmapped-glyphs' | 'private-use' | 'hidden' | 'off-page';
      readonly detail: string;
    };
