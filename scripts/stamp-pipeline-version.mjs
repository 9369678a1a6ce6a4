// Run by `npm run build` after tsc: hashes the core/ sources into dist/core/pipeline-stamp.json, so the
// built pipeline reports the same version as the sources it was built from (core/version.ts).
// Usage: node scripts/stamp-pipeline-version.mjs [checkout root, default: this script's checkout]
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const { hashCodeTree, STAMP_FILE } = await import(pathToFileURL(join(root, 'dist', 'core', 'version-hash.js')).href);
const stamp = { hash: hashCodeTree(join(root, 'core'), '.ts') };
writeFileSync(join(root, 'dist', 'core', STAMP_FILE), `${JSON.stringify(stamp)}\n`);
