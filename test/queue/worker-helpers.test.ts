import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrEngine } from '../../core/index.js';
import { hashFile } from '../../producers/hash-file.js';
import { runInputKey } from '../../producers/open-run.js';
import { compareVersions } from '../../producers/pipeline-versions.js';
import { walkFiles, type WalkEntry } from '../../producers/walk-files.js';
import { lazyOcrEngine } from '../../workers/lazy-ocr-engine.js';
import { planPageRanges } from '../../workers/plan-page-ranges.js';
import { probeScan } from '../../workers/probe-scan.js';
import { readSource } from '../../workers/read-source.js';

const DEV = '/work/shared/corpus/dev/synth-2019-0';

describe('page ranges and versions', () => {
  it('splits pages into ranges of at most n', () => {
    expect(planPageRanges(2, 7, 2)).toEqual([
      { from: 2, to: 3 },
      { from: 4, to: 5 },
      { from: 6, to: 7 },
    ]);
    expect(planPageRanges(2, 2, 3)).toEqual([{ from: 2, to: 2 }]);
    expect(planPageRanges(3, 2, 2)).toEqual([]);
  });

  it('compares dotted versions numerically', () => {
    expect(compareVersions('0.10.0', '0.9.3')).toBeGreaterThan(0);
    expect(compareVersions('0.1.0', '0.1')).toBe(0);
    expect(compareVersions('1.2.0', '1.10.0')).toBeLessThan(0);
  });

  it('keys a run by its inputs in any order', () => {
    expect(runInputKey('ingest', ['/b', '/a'], '1')).toBe(runInputKey('ingest', ['/a', '/b'], '1'));
    expect(runInputKey('ingest', ['/a'], '1')).not.toBe(runInputKey('ingest', ['/a'], '2'));
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-files-'));
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'b', 'x.PDF'), '%PDF-1.4 x');
    await writeFile(join(dir, 'a.tiff'), 'II*\u0000');
    await writeFile(join(dir, 'c.docx'), 'zip');
    await writeFile(join(dir, '.hidden.pdf'), 'skip me silently');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('walks in name order, keeps supported types, gives the reason for others', async () => {
    const seen: WalkEntry[] = [];
    for await (const entry of walkFiles([dir, join(dir, 'missing.pdf')])) seen.push(entry);
    expect(seen.map((e) => [e.kind, e.path.replace(dir, '')])).toEqual([
      ['file', '/a.tiff'],
      ['file', '/b/x.PDF'],
      ['skipped', '/c.docx'],
      ['skipped', '/missing.pdf'],
    ]);
    expect(seen[2]).toMatchObject({ reason: expect.stringMatching(/unsupported type \(\.docx\)/) });
    expect(seen[3]).toMatchObject({ reason: 'cannot read (ENOENT)' });
  });

  it('streams the sha256 and refuses a file that changed since it was queued', async () => {
    const path = join(dir, 'b', 'x.PDF');
    const sha = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    expect(await hashFile(path)).toBe(sha);
    expect(await readSource(path, sha)).toBeInstanceOf(Uint8Array);
    expect(await readSource(path, '0'.repeat(64))).toMatchObject({ code: 'SOURCE_CHANGED', stage: 'intake' });
    expect(await readSource(join(dir, 'gone.pdf'), sha)).toMatchObject({ code: 'SOURCE_MISSING' });
    expect(await readSource(path, sha, 3)).toMatchObject({ code: 'TOO_LARGE', stage: 'intake' });
  });

  it('probes scans: image-only PDF and TIFF yes, born-digital PDF and other bytes no', async () => {
    const probe = async (path: string): Promise<boolean> => probeScan(path, new Uint8Array(await readFile(path)));
    expect(await probe(join(DEV, 'scan-light.pdf'))).toBe(true);
    expect(await probe(join(DEV, 'digital.pdf'))).toBe(false);
    expect(await probe(join(dir, 'a.tiff'))).toBe(true);
    expect(await probe(join(dir, 'c.docx'))).toBe(false);
  });
});

describe('lazyOcrEngine', () => {
  it('starts the engine on first use only, once, and again after a failed start', async () => {
    let starts = 0;
    let failNext = true;
    const fake = {
      readPage: async () => ({ paragraphs: [], confidence: 0.5 }),
      stats: () => ({ calls: 7, busyMs: 1, started: 7, dropped: 0, running: 0 }),
      terminate: async () => undefined,
    } as unknown as OcrEngine;
    const engine = lazyOcrEngine(
      async () => {
        starts++;
        if (failNext) {
          failNext = false;
          throw new Error('worker crashed');
        }
        return fake;
      },
      { workers: 1, traineddata: 'test' },
    );
    expect(starts).toBe(0);
    expect(engine.stats()).toEqual({ calls: 0, busyMs: 0, started: 0, dropped: 0, running: 0 });
    const raster = { width: 1, height: 1, data: new Uint8Array(1) } as unknown as Parameters<OcrEngine['readPage']>[0];
    await expect(engine.readPage(raster, 300)).rejects.toThrow('worker crashed');
    await engine.readPage(raster, 300);
    await engine.readPage(raster, 300);
    expect(starts).toBe(2);
    expect(engine.stats()).toEqual({ calls: 7, busyMs: 1, started: 7, dropped: 0, running: 0 });
    await engine.terminate();
  });
});
