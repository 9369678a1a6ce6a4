import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';

/** Streams the file through sha256, so a 200 MB scan is never held in memory. */
export async function hashFile(path: string): Promise<string> {
  return hashFiles([path]);
}

/** Streams the files one after another through one sha256 (a page set is identified as the core does: its bytes in page order). */
async function hashFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The identity of a folder of page images read as one document: the sha256 the core gives those pages. */
export function hashPageSet(dir: string, pages: readonly string[]): Promise<string> {
  return hashFiles(pages.map((p) => join(dir, p)));
}
