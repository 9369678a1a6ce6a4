import type { Limits } from '../intake/limits.js';
import type { Page, Problem, Table } from '../model/index.js';
import type { ColourRaster } from '../raster/line-channel.js';

/** What the page reader's thread is asked: open a document, a page's text layer, a page's pixels, close. */
export type ReaderRequest =
  | { readonly op: 'open'; readonly bytes: Uint8Array; readonly limits: Limits }
  | { readonly op: 'text'; readonly page: number }
  | { readonly op: 'raster'; readonly page: number }
  | { readonly op: 'close' };

/** The thread's answer: a result, a Problem for bad input, or the message of an unexpected error. */
export type ReaderReply =
  | { readonly ok: true; readonly numPages: number }
  /** The answer to `close`: the thread's V8 heap in use once the document is dropped (memory diagnostics). */
  | { readonly ok: true; readonly closed: true; readonly heapUsedBytes: number }
  | { readonly ok: true; readonly page: Page; readonly tables: readonly Table[] }
  | { readonly ok: true; readonly raster: ColourRaster; readonly rotate: number }
  | { readonly ok: false; readonly problem: Problem }
  | { readonly ok: false; readonly error: string };
