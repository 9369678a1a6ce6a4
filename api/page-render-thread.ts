/**
 * The review page renderer's thread (page-renderer.ts): renders or prepares one page image per
 * request, apart from the API's event loop — preparing a scan as the OCR read it takes a second of
 * CPU, which on the server's own thread would hold up every other request meanwhile.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { renderReviewPage, type StoredPage } from './page-raster.js';

export interface RenderRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly page: StoredPage;
  /** The document's hash: a file at the source path with other content is not rendered. */
  readonly sha256: string;
}

parentPort!.on('message', (req: RenderRequest) => {
  // Hashing a source of several MB here too, not on the thread that answers requests.
  if (createHash('sha256').update(req.bytes).digest('hex') !== req.sha256) {
    const message = 'the file at the source path has other content now';
    parentPort!.postMessage({ id: req.id, result: { status: 'failed', code: 'SOURCE_CHANGED', message } });
    return;
  }
  void renderReviewPage(req.bytes, req.page)
    .then((result) => {
      if (result.status !== 'ok') return parentPort!.postMessage({ id: req.id, result });
      // The pixels move to the API's thread; a view into a larger buffer (poppler's output) is copied first.
      const { gray } = result;
      const own = gray.byteOffset === 0 && gray.byteLength === gray.buffer.byteLength ? gray : gray.slice();
      parentPort!.postMessage({ id: req.id, result: { ...result, gray: own } }, [own.buffer as ArrayBuffer]);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({ id: req.id, result: { status: 'failed', code: 'PAGE_FAILED', message } });
    });
});
parentPort!.postMessage({ ready: true });
