import type { Rotation, Size } from './geometry.js';
import type { TextBlock, TextLayerVerdict, TextLine } from './text.js';

export type PageMethod = 'text-layer' | 'ocr' | 'failed';

export interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  /**
   * How the page was made upright after `rotation` (OCR pages): the deskew turn applied (degrees,
   * as prepareScan undid it; 0 when none was) and whether the raster read was rectified (a keystoned
   * photo). The review page applies these to the source image instead of finding them again.
   */
  readonly deskewDeg?: number;
  readonly rectified?: boolean;
  /** The coarser axis' lines an inch when the scan was stretched from it (fax standard mode: 98). */
  readonly lineDpi?: number;
}

/** How a scanned page's rotation was decided (OCR pages). */
export interface PageOrientation {
  /** Rows-vs-columns score (ln ratio of glyph evidence): > 0 text runs horizontally as scanned, < 0 the page lay sideways. */
  readonly evidence: number;
  /** 0-vs-180: the upright scorer's result for the chosen candidate minus the other's (null when not scored, or when the page's prose or the first strip read was sure enough that the other was not read). */
  readonly uprightMargin: number | null;
  /** One of the two decisions was within its low margin: the page may be turned wrong. */
  readonly uncertain: boolean;
}

export interface Page {
  /** 1-based. */
  readonly number: number;
  /** Size in points after rotation (as seen upright). */
  readonly size: Size;
  /** Rotation applied to make the page upright (PDF /Rotate or the detected scan orientation). */
  readonly rotation: Rotation;
  /** OCR pages: the evidence behind `rotation` (absent on text-layer and failed pages). */
  readonly orientation?: PageOrientation;
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
