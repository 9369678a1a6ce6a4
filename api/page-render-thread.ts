/**
 * The review page renderer's thread (page-renderer.ts): renders or prepares one page image per
 * request, apart from the API's event loop — preparing a scan as the OCR read it takes a second of
 * CPU, which on the server's own thread would hold up every other request meanwhile.
 */
import { parentPort } from 'node:worker_threads';
import { renderReviewPage, type StoredPage } from './page-raster.js';

export interface RenderRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly page: StoredPage;
}

parentPort!.on('message', (req: RenderRequest) => {
  void renderReviewPage(req.bytes, req.page)
    .then((result) => {
      const transfer = result.status === 'ok' ? [result.gray.buffer as ArrayBuffer] : [];
      parentPort!.postMessage({ id: req.id, result }, transfer);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({ id: req.id, result: { status: 'failed', code: 'PAGE_FAILED', message } });
    });
});
parentPort!.postMessage({ ready: true });
