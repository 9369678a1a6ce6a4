import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The content-addressed blob store for downloads: `<blobDir>/<sha256>`. Bytes stream into a
 * temporary file while they are hashed and counted; past `maxBytes` the stream is cancelled and
 * nothing is kept. The finished file is renamed into place, so a blob is either whole or absent,
 * and two crawls downloading the same content end with one file.
 */

/** How many leading bytes are kept for sniffing (a PDF header may sit anywhere in the first KiB). */
export const SNIFF_HEAD_BYTES = 2048;

export interface StoredBlob {
  readonly kind: 'stored';
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
  /** The first SNIFF_HEAD_BYTES bytes, for content sniffing. */
  readonly head: Uint8Array;
}

export interface BlobTooLarge {
  readonly kind: 'too-large';
  /** Bytes received before the download was cut off. */
  readonly received: number;
}

/** `DOCQ_BLOB_DIR`, else `.docq/blobs` under the working directory (shared by every worker that reads crawled files). */
export function defaultBlobDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['DOCQ_BLOB_DIR']?.trim();
  return resolve(fromEnv !== undefined && fromEnv !== '' ? fromEnv : '.docq/blobs');
}

export function blobPath(blobDir: string, sha256: string): string {
  return join(blobDir, sha256);
}

export async function storeBlob(
  body: ReadableStream<Uint8Array>,
  blobDir: string,
  maxBytes: number,
): Promise<StoredBlob | BlobTooLarge> {
  await mkdir(blobDir, { recursive: true });
  const tmpPath = join(blobDir, `.incoming-${randomUUID()}`);
  const file = await open(tmpPath, 'wx');
  const hash = createHash('sha256');
  const head = new Uint8Array(SNIFF_HEAD_BYTES);
  let size = 0;
  let kept = false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        await reader.cancel('size limit reached');
        return { kind: 'too-large', received: size + value.byteLength };
      }
      if (size < SNIFF_HEAD_BYTES) head.set(value.subarray(0, SNIFF_HEAD_BYTES - size), size);
      hash.update(value);
      await file.write(value);
      size += value.byteLength;
    }
    await file.sync();
    await file.close();
    const sha256 = hash.digest('hex');
    const path = blobPath(blobDir, sha256);
    if (await exists(path)) await rm(tmpPath, { force: true });
    else await rename(tmpPath, path);
    kept = true;
    return { kind: 'stored', sha256, size, path, head: head.slice(0, Math.min(size, SNIFF_HEAD_BYTES)) };
  } finally {
    if (!kept) {
      await file.close().catch(() => undefined);
      await rm(tmpPath, { force: true });
    }
  }
}

/** Removes a stored blob that turned out not to be a document (an HTML page named .pdf). */
export async function discardBlob(blob: StoredBlob): Promise<void> {
  await rm(blob.path, { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
