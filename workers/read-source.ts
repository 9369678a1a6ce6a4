import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';

export type SourceError = {
  readonly code: 'SOURCE_MISSING' | 'SOURCE_CHANGED' | 'TOO_LARGE';
  readonly message: string;
  readonly stage: 'intake';
};

/**
 * Reads the job's file and checks it is still the content that was queued: a file replaced since
 * queueing must not be stored under the old hash.
 */
export async function readSource(
  path: string,
  sha256: string,
  maxBytes: number = DEFAULT_LIMITS.maxBytes,
): Promise<Uint8Array | SourceError> {
  let bytes: Buffer;
  try {
    // The size is checked before the file is read: a 40 GB file must not be loaded to learn it is too large.
    const { size } = await stat(path);
    if (size > maxBytes)
      return {
        code: 'TOO_LARGE',
        message: `${path} has ${size} bytes, more than the limit of ${maxBytes}`,
        stage: 'intake',
      };
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      return { code: 'SOURCE_MISSING', message: `cannot read ${path} (${code})`, stage: 'intake' };
    }
    throw error; // EIO, EMFILE …: transient, let the job retry
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256)
    return {
      code: 'SOURCE_CHANGED',
      message: `${path} changed since it was queued (sha256 ${actual.slice(0, 12)}…)`,
      stage: 'intake',
    };
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function isSourceError(value: Uint8Array | SourceError): value is SourceError {
  return !(value instanceof Uint8Array);
}
