import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The file written beside the built core by `npm run build` (scripts/stamp-pipeline-version.mjs). */
export const STAMP_FILE = 'pipeline-stamp.json';

export interface PipelineStamp {
  /** sha256 (hex) of the extraction code: every core source file, path and content. */
  readonly hash: string;
}

function listSources(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(path, ext));
    else if (entry.name.endsWith(ext) && !entry.name.endsWith(`.d${ext}`)) out.push(path);
  }
  return out;
}

/**
 * sha256 over every `ext` file under `dir` (relative path and bytes, in path order): any edit,
 * added or removed file of the extraction code gives another hash.
 */
export function hashCodeTree(dir: string, ext = '.ts'): string {
  const hash = createHash('sha256');
  for (const path of listSources(dir, ext).sort()) {
    hash.update(relative(dir, path).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** `<package version>+<first 12 hex of the code hash>`: readable, and different for different code. */
export function formatPipelineVersion(packageVersion: string, codeHash: string): string {
  return `${packageVersion}+${codeHash.slice(0, 12)}`;
}
