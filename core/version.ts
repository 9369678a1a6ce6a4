import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPipelineVersion, hashCodeTree, STAMP_FILE, type PipelineStamp } from './version-hash.js';

/**
 * The pipeline version stored on every document: the package version plus a hash of the extraction
 * code itself, so any change of core/ gives another version without anyone remembering to bump it.
 * From the sources (tsx, vitest) the .ts files are hashed as they are now; from dist/ the hash the
 * build stamped beside it is read (the same sources hashed at build time), so both agree.
 */
function derive(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSource = import.meta.url.endsWith('.ts');
  const root = fromSource ? join(here, '..') : join(here, '..', '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const stamp = join(here, STAMP_FILE);
  if (!fromSource && existsSync(stamp)) {
    return formatPipelineVersion(pkg.version, (JSON.parse(readFileSync(stamp, 'utf8')) as PipelineStamp).hash);
  }
  // A dist/ built without the stamp step: hash the sources when they are there, else the built files.
  const sources = join(root, 'core');
  return fromSource || existsSync(sources)
    ? formatPipelineVersion(pkg.version, hashCodeTree(sources, '.ts'))
    : formatPipelineVersion(pkg.version, hashCodeTree(here, '.js'));
}

export const PIPELINE_VERSION: string = derive();
