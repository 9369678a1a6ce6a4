import { describe, expect, it } from 'vitest';
import type { RunWork } from '../../models/run-work.js';
import { runEta, workDone } from '../../producers/page-eta.js';

const read = (over: Partial<RunWork> = {}): RunWork => ({
  finishedDocs: 2,
  pages: 10,
  bytesDone: 200,
  left: 2,
  bytesLeft: 200,
  leftWithoutSize: 0,
  processingSizes: new Map(),
  ...over,
});

describe('runEta', () => {
  it('divides the bytes left by the bytes a minute and reports pages a minute', () => {
    const eta = runEta({ queued: 4, finished: 2, work: read(), start: { bytes: 0, pages: 0 }, minutes: 1 });
    expect(eta).toEqual({ pagesPerMin: 10, etaSeconds: 60 });
  });

  it('has no ETA before anything was measured', () => {
    expect(
      runEta({ queued: 4, finished: 2, work: read(), start: { bytes: 200, pages: 10 }, minutes: 1 }).etaSeconds,
    ).toBeNull();
    expect(
      runEta({ queued: 4, finished: 0, work: read(), start: { bytes: 0, pages: 0 }, minutes: 0 }).etaSeconds,
    ).toBeNull();
  });

  it('projects documents finished since the last read at the mean size and pages', () => {
    // Read at 2 finished; the counts now say 3: the third is credited 100 bytes (mean of 4 × 100) and 5 pages.
    expect(workDone(3, read())).toEqual({ bytes: 300, pages: 15 });
    const eta = runEta({ queued: 4, finished: 3, work: read(), start: { bytes: 0, pages: 0 }, minutes: 1 });
    expect(eta.pagesPerMin).toBe(15);
    expect(eta.etaSeconds).toBeCloseTo(20); // 100 bytes left at 300 a minute
  });

  it('credits active documents as their pages go, and no longer counts that part as left', () => {
    const eta = runEta({
      queued: 4,
      finished: 2,
      work: read(),
      start: { bytes: 0, pages: 0 },
      minutes: 1,
      active: { bytes: 50, pages: 3 },
    });
    expect(eta.pagesPerMin).toBe(13);
    expect(eta.etaSeconds).toBeCloseTo((150 / 250) * 60);
  });

  it('guesses documents without a size at the run’s mean size', () => {
    const work = read({ left: 2, bytesLeft: 100, leftWithoutSize: 1 });
    // Mean of the 3 sized documents: 100; left: 100 + 100 bytes over 200 a minute.
    expect(runEta({ queued: 4, finished: 2, work, start: { bytes: 0, pages: 0 }, minutes: 1 }).etaSeconds).toBeCloseTo(
      60,
    );
  });
});

/**
 * One worker takes documents in order, page by page. Every second the three ETAs are sampled:
 * by documents, by pages (pages left = documents left × mean pages, the rate in pages with the
 * active document's progress), and runEta (size, with page progress). Born-digital pages take
 * 0.25 s and 50 kB; scanned pages 3 s and 300 kB (OCR): assumed figures, the shape is what matters.
 */
interface SimDoc {
  readonly pages: number;
  readonly bytes: number;
  readonly secPerPage: number;
}
const born = (pages: number): SimDoc => ({ pages, bytes: pages * 50_000, secPerPage: 0.25 });
const scan = (pages: number): SimDoc => ({ pages, bytes: pages * 300_000, secPerPage: 3 });
const runWith = (middle: SimDoc): SimDoc[] => {
  const side = Array.from({ length: 20 }, (_, i) => born(4 + (i % 5) * 3));
  return [...side, middle, ...side];
};

interface Quality {
  /** Largest change of the ETA between two samples a second apart, beyond the second that passed. */
  readonly maxJump: number;
  readonly meanError: number;
}

function simulate(docs: readonly SimDoc[]): Record<'docs' | 'pages' | 'size', Quality> {
  const ends: number[] = [];
  let clock = 0;
  for (const d of docs) ends.push((clock += d.pages * d.secPerPage));
  const total = clock;
  const series = { docs: [] as number[], pages: [] as number[], size: [] as number[] };
  const truth: number[] = [];
  for (let t = 30; t < total; t += 1) {
    let finished = 0;
    while (finished < docs.length && (ends[finished] ?? Infinity) <= t) finished += 1;
    const done = docs.slice(0, finished);
    const left = docs.slice(finished);
    const current = docs[finished];
    const activePages = current ? Math.floor((t - (ends[finished - 1] ?? 0)) / current.secPerPage) : 0;
    const pages = done.reduce((a, d) => a + d.pages, 0);
    const minutes = t / 60;
    series.docs.push(((docs.length - finished) / (finished / minutes)) * 60);
    const pagesLeft = (docs.length - finished) * (pages / finished) - activePages;
    series.pages.push((pagesLeft / ((pages + activePages) / minutes)) * 60);
    const work: RunWork = {
      finishedDocs: finished,
      pages,
      bytesDone: done.reduce((a, d) => a + d.bytes, 0),
      left: left.length,
      bytesLeft: left.reduce((a, d) => a + d.bytes, 0),
      leftWithoutSize: 0,
      processingSizes: new Map(),
    };
    const active = current
      ? { pages: activePages, bytes: (current.bytes * activePages) / current.pages }
      : { pages: 0, bytes: 0 };
    const eta = runEta({ queued: docs.length, finished, work, start: { bytes: 0, pages: 0 }, minutes, active });
    series.size.push(eta.etaSeconds ?? NaN);
    truth.push(total - t);
  }
  const quality = (s: number[]): Quality => ({
    maxJump: Math.max(...s.slice(1).map((v, i) => Math.abs(v - (s[i] ?? 0) + 1))),
    meanError: s.reduce((a, v, i) => a + Math.abs(v - (truth[i] ?? 0)), 0) / s.length,
  });
  return { docs: quality(series.docs), pages: quality(series.pages), size: quality(series.size) };
}

describe('a long document in the middle of a run', () => {
  it.each([
    ['a 6-page scan', scan(6)],
    ['a 60-page scan', scan(60)],
    ['a 200-page born-digital report', born(200)],
  ])('%s jumps the ETA less than counting documents and is closer to the truth', (_name, middle) => {
    const q = simulate(runWith(middle));
    expect(q.size.maxJump).toBeLessThan(q.docs.maxJump);
    expect(q.size.meanError).toBeLessThan(q.docs.meanError);
  });

  it('counting pages instead would jump the ETA more than counting documents on a long scan', () => {
    // Why runEta weighs by size (page-eta.ts): a scanned page costs 12× a born-digital one here.
    const q = simulate(runWith(scan(60)));
    expect(q.pages.maxJump).toBeGreaterThan(q.docs.maxJump);
  });
});
