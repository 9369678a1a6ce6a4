import type { Rotation, Size } from './geometry.js';
import type { TextBlock, TextLayerVerdict, TextLine } from './text.js';

export type PageMethod = 'text-layer' | 'ocr' | 'failed';

export interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
}

export interface Page {
  /** 1-based. */
  readonly number: number;
  /** Size in points after rotation (as seen upright). */
  readonly size: Size;
  /** Rotation applied to make the page upright (PDF /Rotate or the detected scan orientation). */
  readonly rotation: Rotation;
  readonly method: PageMethod;
  readonly textLayer: TextLayerVerdict;
  readonly lines: readonly TextLine[];
  readonly blocks: readonly TextBlock[];
  /** Plain text in reading order, lines joined with \n. */
  readonly text: string;
  /** Mean OCR confidence (0…1) for OCR pages, null for text-layer pages. */
  readonly ocrConfidence: number | null;
  /** The raster the page was read from (OCR pages), null otherwise. */
  readonly image: PageImage | null;
  readonly tableIds: readonly string[];
}
