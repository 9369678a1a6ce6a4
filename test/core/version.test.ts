import { execFileSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { olderVersions } from '../../producers/pipeline-versions.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Loads core/version.ts of a copied checkout in a fresh process, as a worker would. */
function versionOf(root: string): string {
  const script = `import(${JSON.stringify(join(root, 'core', 'version.ts'))}).then((m) => process.stdout.write(m.PIPELINE_VERSION))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
}

describe('the pipeline version is derived from the extraction code', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'docq-version-'));
    await cp(join(ROOT, 'core'), join(copy, 'core'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(copy, 'package.json'));
  });
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it('names the package version and a hash of core/', () => {
    expect(PIPELINE_VERSION).toMatch(/^0\.1\.0\+[0-9a-f]{12}$/);
    expect(versionOf(copy)).toBe(PIPELINE_VERSION);
  });

  it('a changed, added or removed core file changes it', async () => {
    const before = versionOf(copy);
    await appendFile(join(copy, 'core', 'report', 'schema.ts'), '\n// a changed rule\n');
    const changed = versionOf(copy);
    expect(changed).not.toBe(before);
    await writeFile(join(copy, 'core', 'extra-stage.ts'), 'export const x = 1;\n');
    const added = versionOf(copy);
    expect(added).not.toBe(changed);
    await rm(join(copy, 'core', 'extra-stage.ts'));
    expect(versionOf(copy)).toBe(changed);
  });

  it('the built pipeline reports the version of the sources it was built from', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--outDir', join(copy, 'dist'), '--rootDir', copy, '--module', 'NodeNext', '--target', 'ES2023'];
    execFileSync(process.execPath, [tsc, ...options, '--types', 'node', join(copy, 'core', 'version.ts')], {
      cwd: ROOT,
    });
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'stamp-pipeline-version.mjs'), copy]);
    const script = `import(${JSON.stringify(join(copy, 'dist', 'core', 'version.js'))}).then((m) => process.stdout.write(m.PIPELINE_VERSION))`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe(versionOf(copy));
  });
});

describe('older pipeline versions', () => {
  const day = (d: number): Date => new Date(Date.UTC(2026, 0, d));
  const uses = [
    { version: '0.1.0', documents: 5, firstFinished: day(1) },
    { version: '0.1.0+aaaaaaaaaaaa', documents: 3, firstFinished: day(2) },
    { version: '0.1.0+bbbbbbbbbbbb', documents: 2, firstFinished: day(3) },
    { version: '0.2.0+cccccccccccc', documents: 1, firstFinished: day(4) },
  ];
  it('orders builds of one package version by when they first finished a document', () => {
    expect(olderVersions(uses, '0.1.0+bbbbbbbbbbbb').sort()).toEqual(['0.1.0', '0.1.0+aaaaaaaaaaaa']);
    expect(olderVersions(uses, '0.1.0+aaaaaaaaaaaa')).toEqual(['0.1.0']);
  });
  it('the running version with no result yet is newer than every build of its package version', () => {
    expect(olderVersions(uses, '0.1.0+dddddddddddd').sort()).toEqual([
      '0.1.0',
      '0.1.0+aaaaaaaaaaaa',
      '0.1.0+bbbbbbbbbbbb',
    ]);
    expect(olderVersions(uses, '0.2.0').sort()).toEqual(['0.1.0', '0.1.0+aaaaaaaaaaaa', '0.1.0+bbbbbbbbbbbb']);
  });
});
