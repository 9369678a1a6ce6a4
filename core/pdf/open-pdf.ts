import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, PagesMapper, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { MAX_IMAGE_PIXELS } from '../intake/decode-image.js';
import type { Limits } from '../intake/limits.js';
import type { Problem } from '../model/index.js';
import { errorName } from './error-name.js';

/** An open PDF. Callers must call `destroy()` in a `finally`. */
export interface OpenedPdf {
  readonly numPages: number;
  /** 1-based. */
  getPage(pageNumber: number): Promise<PDFPageProxy>;
  destroy(): Promise<void>;
  /** The underlying pdf.js document (for embedded-image extraction and rendering). */
  readonly proxy: PDFDocumentProxy;
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** pdf.js in Node reads these with fs when the path ends with a separator; no network. */
const CMAP_URL = join(pdfjsRoot, 'cmaps') + '/';
const STANDARD_FONT_DATA_URL = join(pdfjsRoot, 'standard_fonts') + '/';

/**
 * pdf.js 5.4 adds every document's transport to a list of listeners held by its static PagesMapper
 * and never removes it, so every document a process (or a reader thread, which reads one document
 * after another) ever opened stays reachable after `destroy()`: a leak without bound over a long run
 * (issue 14; pdf.js 5.5 gives each document its own mapper). The listener only follows pages moved
 * in pdf.js's editor, which docq never does, so it is not registered. Replacing the method is the
 * one way in: the list and the bound listener are private to pdf.js.
 */
if (typeof PagesMapper.prototype.addListener === 'function') PagesMapper.prototype.addListener = () => undefined;

/** pdf.js exception names (stable `name` fields) that mean the file itself is unreadable. */
const CORRUPT_EXCEPTIONS = new Set([
  'InvalidPDFException',
  'UnknownErrorException',
  'FormatError',
  'MissingPDFException',
]);

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function problemFromError(error: unknown): Problem {
  const name = errorName(error);
  if (name === 'PasswordException') {
    return { code: 'ENCRYPTED', message: 'the PDF is encrypted and needs a password', stage: 'open' };
  }
  if (CORRUPT_EXCEPTIONS.has(name)) {
    return { code: 'CORRUPT', message: `the PDF cannot be parsed (${name}: ${errorMessage(error)})`, stage: 'open' };
  }
  // Anything else pdf.js throws while loading the document structure is damage too, but keep its name visible.
  return { code: 'CORRUPT', message: `the PDF failed to load (${name}: ${errorMessage(error)})`, stage: 'open' };
}

/**
 * Opens a PDF with pdf.js (legacy build; cMaps and standard fonts from node_modules, no eval, no font faces).
 * `stopAtErrors` makes damaged page content fail that page instead of yielding silently partial text.
 * The bytes are copied: pdf.js transfers (detaches) the buffer it is given.
 */
export async function openPdf(bytes: Uint8Array, limits: Limits): Promise<OpenedPdf | Problem> {
  const task = getDocument({
    // A plain Uint8Array copy: pdf.js detaches what it is given and rejects a Node Buffer.
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_DATA_URL,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    // Images past the decode limit (a 30,000 × 30,000 trap) are skipped instead of decoded into GBs.
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: 0,
  });
  let proxy: PDFDocumentProxy;
  try {
    proxy = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    return problemFromError(error);
  }
  const numPages = proxy.numPages;
  const fail = async (problem: Problem): Promise<Problem> => {
    await proxy.destroy().catch(() => undefined);
    return problem;
  };
  if (numPages === 0) return fail({ code: 'EMPTY', message: 'the PDF has no pages', stage: 'open' });
  if (numPages > limits.maxPages) {
    return fail({
      code: 'TOO_LARGE',
      message: `the PDF has ${numPages} pages, more than the limit of ${limits.maxPages}`,
      stage: 'open',
    });
  }
  return {
    numPages,
    proxy,
    getPage: (pageNumber: number) => proxy.getPage(pageNumber),
    destroy: () => proxy.destroy(),
  };
}
