import type { Page } from './model/index.js';

/** The placeholder kept for a page that could not be read, so page numbers stay dense and the failure visible. */
export function failedPage(number: number): Page {
  return {
    number,
    size: { width: 0, height: 0 },
    rotation: 0,
    method: 'failed',
    textLayer: { usable: false, reason: 'none', detail: 'the page could not be read' },
    lines: [],
    blocks: [],
    text: '',
    ocrConfidence: null,
    image: null,
    tableIds: [],
  };
}
