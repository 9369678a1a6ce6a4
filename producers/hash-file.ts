import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams the file through sha256, so a 200 MB scan is never held in memory. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
