import { opendir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Extensions docq reads; the core still sniffs the bytes, so a mislabelled file fails with its own code. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff']);

const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff']);
/** `page-1.jpg`, `heavy-2.jpg`, `001.png`, `scan_12.tif`: a name that ends in a page number. */
const NUMBERED_PAGE = /^(.*?)(\d+)\.(jpe?g|png|tiff?)$/i;

export type WalkEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  /** A folder of page images read as one document: the file names in page order. */
  | { readonly kind: 'pages'; readonly path: string; readonly pages: readonly string[] }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

export interface WalkOptions {
  /** Every folder holding only page images is one document (`ingest --pages-as-document`). */
  readonly pagesAsDocument?: boolean;
}

/**
 * Walks files and directories depth-first in name order (stable across re-runs), yielding files to
 * ingest, folders of page images that are one document, and skipped files with the reason.
 */
export async function* walkFiles(roots: readonly string[], opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  for (const root of roots) yield* walkOne(resolve(root), opts);
}

/**
 * The page order of a folder that is one document, or null: only image files (no other document,
 * no subfolder), and either `pagesAsDocument` or at least two names numbered in one series
 * (`heavy-1.jpg … heavy-3.jpg`, `001.png …`), ordered by that number.
 */
export function pageSeries(names: readonly string[], hasSubfolder: boolean, pagesAsDocument: boolean): string[] | null {
  if (hasSubfolder || names.length === 0) return null;
  if (!names.every((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()))) return null;
  const numbered = names.map((n) => NUMBERED_PAGE.exec(n));
  const series = numbered.every((m) => m !== null) && new Set(numbered.map((m) => m?.[1]?.toLowerCase())).size === 1;
  if (series && names.length >= 2)
    return [...names].sort((a, b) => Number(NUMBERED_PAGE.exec(a)?.[2]) - Number(NUMBERED_PAGE.exec(b)?.[2]));
  return pagesAsDocument ? [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : null;
}

async function* walkOne(path: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    yield { kind: 'skipped', path, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    return;
  }
  if (info.isDirectory()) {
    const names: string[] = [];
    let hasSubfolder = false;
    try {
      for await (const entry of await opendir(path)) {
        if (entry.name.startsWith('.')) continue;
        names.push(entry.name);
        if (entry.isDirectory()) hasSubfolder = true;
      }
    } catch (error) {
      yield {
        kind: 'skipped',
        path,
        reason: `cannot list directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      };
      return;
    }
    const pages = pageSeries(names, hasSubfolder, opts.pagesAsDocument === true);
    if (pages) {
      yield { kind: 'pages', path, pages };
      return;
    }
    names.sort();
    for (const name of names) yield* walkOne(join(path, name), opts);
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
