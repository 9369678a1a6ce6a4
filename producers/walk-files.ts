import { opendir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Extensions docq reads; the core still sniffs the bytes, so a mislabelled file fails with its own code. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff']);

export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

/** Walks files and directories depth-first in name order (stable across re-runs), yielding files to ingest and skipped ones with the reason. */
export async function* walkFiles(roots: readonly string[]): AsyncGenerator<WalkEntry> {
  for (const root of roots) yield* walkOne(resolve(root));
}

async function* walkOne(path: string): AsyncGenerator<WalkEntry> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    yield { kind: 'skipped', path, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    return;
  }
  if (info.isDirectory()) {
    const names: string[] = [];
    try {
      for await (const entry of await opendir(path)) if (!entry.name.startsWith('.')) names.push(entry.name);
    } catch (error) {
      yield {
        kind: 'skipped',
        path,
        reason: `cannot list directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      };
      return;
    }
    names.sort();
    for (const name of names) yield* walkOne(join(path, name));
    return;
  }
  if (!info.isFile()) {
    yield { kind: 'skipped', path, reason: 'not a regular file' };
    return;
  }
  const ext = extname(path).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.has(ext)) {
    yield {
      kind: 'skipped',
      path,
      reason: `unsupported type (${ext === '' ? 'no extension' : ext}); docq reads PDF, JPEG, PNG and TIFF`,
    };
    return;
  }
  yield { kind: 'file', path, size: info.size };
}
