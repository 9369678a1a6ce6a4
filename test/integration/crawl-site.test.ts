import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { crawlSite, type CrawledDocument, type CrawlSpec, type CrawlStateRecord } from '../../producers/crawl-site.js';
import { decodeHtml } from '../../producers/decode-html.js';
import { extractLinks } from '../../producers/extract-links.js';
import type { FetchFailure } from '../../producers/fetch-document.js';
import { createHostRateLimit, type HostRateLimit } from '../../producers/host-rate-limit.js';
import {
  BIG_FILE_BYTES,
  FIRST_CRAWL_DOCUMENTS,
  makePdf,
  sha256,
  startTestSite,
  type TestSite,
} from './crawl-test-site.js';
import { allowTestServer } from '../helpers/allow-crawl.js';

const CORPUS_PDF = new URL('../../../shared/corpus/dev/synth-2019-0/digital.pdf', import.meta.url).pathname;
const MIN_INTERVAL_MS = 30;
/** Far below the slow link's delay, far above a local fetch on a busy two-core machine. */
const FETCH_TIMEOUT_MS = 1_500;
/** Node timers may fire up to a millisecond early; performance.now and Date.now round differently. */
const TIMER_SLACK_MS = 2;

describe('extractLinks', () => {
  it('resolves relative links against <base href>, decodes entities, skips comments, scripts and non-web schemes', () => {
    const html = `<base href="https://example.org/gk/"><a href="a.pdf">a</a><A HREF='../b.pdf?x=1&amp;y=2#p3'>b</A>
      <a href=c.pdf>c</a><a href="a.pdf">again</a><a href="javascript:void(0)">js</a><a href="mailto:x@y">m</a>
      <!-- <a href="old.pdf"> --><script>var s='<a href="s.pdf">'</script><iframe src="/viewer.html"></iframe><img src="logo.png">`;
    const links = extractLinks(html, new URL('https://example.org/index.html')).map((u) => u.href);
    expect(links).toEqual([
      'https://example.org/gk/a.pdf',
      'https://example.org/b.pdf?x=1&y=2',
      'https://example.org/gk/c.pdf',
      'https://example.org/viewer.html',
    ]);
  });
});

describe('decodeHtml and GBK pages', () => {
  /** `<a href="2023年报.pdf">年度报告</a>` as a GB2312 page writes it. */
  const GBK_LINK = Buffer.concat([
    Buffer.from('<a href="2023'),
    Buffer.from([0xc4, 0xea, 0xb1, 0xa8]),
    Buffer.from('.pdf">'),
    Buffer.from([0xc4, 0xea, 0xb6, 0xc8, 0xb1, 0xa8, 0xb8, 0xe6]),
    Buffer.from('</a>'),
  ]);
  const META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">';

  it('honours the BOM, then the Content-Type charset, then <meta>, else UTF-8', () => {
    const page = Buffer.concat([Buffer.from(`<html><head>${META}</head><body>`), GBK_LINK]);
    expect(decodeHtml(page, 'text/html')).toContain('<a href="2023年报.pdf">年度报告</a>');
    expect(decodeHtml(GBK_LINK, 'text/html; charset=GBK')).toContain('年报');
    expect(decodeHtml(Buffer.from('\ufeff<a href="年报.pdf">', 'utf8'), 'text/html; charset=gbk')).toContain('年报');
    expect(decodeHtml(Buffer.from('<a href="x.pdf">'), 'text/html; charset=no-such-charset')).toBe('<a href="x.pdf">');
  });

  it('follows a GB2312-encoded link to the right (UTF-8 percent-encoded) URL', async () => {
    const pdf = await makePdf('GBK site report');
    const server = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          Buffer.concat([Buffer.from(`<html><head>${META}</head><body>`), GBK_LINK, Buffer.from('</body></html>')]),
        );
      } else if (req.url === '/2023%E5%B9%B4%E6%8A%A5.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end(pdf);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    allowTestServer(server);
    const address = server.address();
    const root = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
    const blobDir = await mkdtemp(join(tmpdir(), 'docq-gbk-'));
    const queued: CrawledDocument[] = [];
    try {
      const summary = await crawlSite(
        { name: 'gbk', url: root, depth: 1, max: 5, minIntervalMs: 0, timeoutMs: 2_000, maxBytes: 1 << 20 },
        {
          blobDir,
          state: { get: async () => null, save: async () => undefined },
          rateLimit: createHostRateLimit(0),
          queueDocument: async (doc) => void queued.push(doc),
          recordFailure: async (failure) => expect.fail(`unexpected failure ${failure.url}: ${failure.message}`),
        },
      );
      expect(summary).toMatchObject({ pages: 1, queuedNew: 1, failed: 0 });
      expect(queued[0]?.url).toBe(`${root}2023%E5%B9%B4%E6%8A%A5.pdf`);
      expect(queued[0]?.sha256).toBe(sha256(pdf));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(blobDir, { recursive: true, force: true });
    }
  });
});

describe('createHostRateLimit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets concurrent callers to one host through one interval apart, other hosts at once', async () => {
    vi.useFakeTimers({ now: 0 });
    const limit = createHostRateLimit(100);
    const at: Array<[string, number]> = [];
    const go = (href: string): Promise<void> => limit.wait(new URL(href)).then(() => void at.push([href, Date.now()]));
    const all = Promise.all([
      go('http://a.test/1'),
      go('http://a.test/2'),
      go('http://b.test/1'),
      go('http://A.test/3'),
    ]);
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(at).toEqual([
      ['http://a.test/1', 0],
      ['http://b.test/1', 0],
      ['http://a.test/2', 100],
      ['http://A.test/3', 200],
    ]);
  });

  it('stops waiting when the signal aborts', async () => {
    const limit = createHostRateLimit(60_000);
    await limit.wait(new URL('http://a.test/'));
    const controller = new AbortController();
    const waiting = limit.wait(new URL('http://a.test/x'), controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});

describe('crawlSite against a local site', () => {
  let site: TestSite;
  let blobDir: string;
  const state = new Map<string, CrawlStateRecord>();
  /** When each request was let through by the rate limit (client side, before the fetch). */
  const released: number[] = [];

  beforeAll(async () => {
    site = await startTestSite(CORPUS_PDF);
    blobDir = await mkdtemp(join(tmpdir(), 'docq-blobs-'));
  });
  afterAll(async () => {
    await site.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  async function crawl(overrides: Partial<CrawlSpec> = {}): Promise<{
    summary: Awaited<ReturnType<typeof crawlSite>>;
    queued: CrawledDocument[];
    failures: FetchFailure[];
  }> {
    const queued: CrawledDocument[] = [];
    const failures: FetchFailure[] = [];
    const spec: CrawlSpec = {
      name: 'test',
      url: site.url,
      depth: 2,
      max: 50,
      minIntervalMs: MIN_INTERVAL_MS,
      timeoutMs: FETCH_TIMEOUT_MS,
      maxBytes: 2 * 1024 * 1024,
      ...overrides,
    };
    const summary = await crawlSite(spec, {
      blobDir,
      state: { get: async (url) => state.get(url) ?? null, save: async (url, record) => void state.set(url, record) },
      rateLimit: recording(createHostRateLimit(spec.minIntervalMs)),
      queueDocument: async (doc) => void queued.push(doc),
      recordFailure: async (failure) => void failures.push(failure),
    });
    return { summary, queued, failures };
  }

  function recording(limit: HostRateLimit): HostRateLimit {
    return {
      slowDown: (url, ms) => limit.slowDown(url, ms),
      pause: (url, ms) => limit.pause(url, ms),
      wait: async (url, signal) => {
        await limit.wait(url, signal);
        released.push(performance.now());
      },
    };
  }

  it('first crawl: queues every new document once, records each failure, and keeps going', async () => {
    const { summary, queued, failures } = await crawl();
    const byPath = new Map(queued.map((d) => [new URL(d.url).pathname, d]));
    expect([...byPath.keys()].sort()).toEqual(FIRST_CRAWL_DOCUMENTS);
    expect(queued.every((d) => d.change === 'new')).toBe(true);
    expect(byPath.get('/reports/scan.png')?.sourceKind).toBe('png');
    expect(byPath.get('/download')?.sourceKind).toBe('pdf');
    // Content-addressed: the blob is named by the hash of exactly the bytes the site served.
    for (const [path, doc] of byPath) {
      const served = site.documents.get(path);
      expect(doc.sha256).toBe(sha256(served ?? new Uint8Array()));
      expect(doc.path).toBe(join(blobDir, doc.sha256));
      expect(sha256(await readFile(doc.path))).toBe(doc.sha256);
    }
    const reasons = Object.fromEntries(failures.map((f) => [new URL(f.url).pathname, f.reason]));
    expect(reasons).toEqual({
      '/reports/missing.pdf': 'http-status',
      '/reports/slow.pdf': 'timeout',
      '/reports/stalled.pdf': 'timeout',
      '/reports/fake.pdf': 'not-a-document',
      '/reports/big.pdf': 'too-large',
    });
    expect(failures.find((f) => f.reason === 'http-status')?.status).toBe(404);
    // The type and size say what came back; the answer's own bytes are never quoted into a record.
    const notDocument = failures.find((f) => f.reason === 'not-a-document')?.message;
    expect(notDocument).toMatch(/not a PDF.*text\/html, \d+ bytes/);
    expect(notDocument).not.toContain('DOCTYPE');
    expect(summary).toMatchObject({
      pages: 2,
      queuedNew: 7,
      queuedChanged: 0,
      duplicates: 1,
      failed: 5,
      unchanged: 0,
      skipped: 0,
      robotsDisallowed: 1,
    });
    // Nothing off-site, past the depth limit, or of another type was requested.
    const paths = site.requests.map((r) => r.path);
    expect(paths).not.toContain('/reports/too-deep.pdf');
    expect(paths).not.toContain('/sub/deeper.html'); // its links would be past the depth limit
    expect(paths).not.toContain('/files/notes.docx');
    expect(paths).not.toContain('/private/secret.pdf');
    expect(paths.filter((p) => p === '/robots.txt')).toHaveLength(1);
    expect(paths.filter((p) => p === '/reports/a.pdf')).toHaveLength(1);
    // Only whole documents are kept: no partial big.pdf or stalled.pdf, no HTML from fake.pdf.
    const blobs = await readdir(blobDir);
    expect(blobs.sort()).toEqual([...new Set(queued.map((d) => d.sha256))].sort());
    expect(BIG_FILE_BYTES).toBeGreaterThan(2 * 1024 * 1024);
  });

  it('spreads the requests to one host over at least the minimum interval each', () => {
    // Slots are reserved one interval apart; timers may fire late, but never early for the crawl as a whole.
    expect(released.length).toBe(site.requests.length);
    const span = (released.at(-1) ?? 0) - (released[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual((released.length - 1) * MIN_INTERVAL_MS - TIMER_SLACK_MS);
  });

  it('second crawl: sends the remembered validators, queues only the changed file', async () => {
    await site.changeFile();
    const before = site.requests.length;
    const { summary, queued, failures } = await crawl();
    expect(queued.map((d) => [new URL(d.url).pathname, d.change])).toEqual([['/reports/changing.pdf', 'changed']]);
    expect(queued[0]?.sha256).toBe(sha256(site.documents.get('/reports/changing.pdf') ?? new Uint8Array()));
    expect(failures).toHaveLength(5);
    expect(summary).toMatchObject({ queuedNew: 0, queuedChanged: 1, unchanged: 7, failed: 5 });
    const second = site.requests.slice(before);
    const a = second.find((r) => r.path === '/reports/a.pdf');
    expect(a?.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect(a?.ifModifiedSince).toBe('Mon, 06 Jan 2025 08:00:00 GMT');
  });

  it('records an unreachable server as a network failure instead of throwing', async () => {
    const closed = await startTestSite(CORPUS_PDF);
    const url = closed.url;
    await closed.close();
    const { summary, failures } = await crawl({ url });
    // robots.txt is the first request; unreadable, it closes the host (RFC 9309), and says why.
    expect(summary).toMatchObject({ pages: 0, failed: 1, robotsDisallowed: 1 });
    expect(failures[0]).toMatchObject({ url: `${url}robots.txt`, reason: 'network' });
    expect(failures[0]?.message).toMatch(/ECONNREFUSED.*robots\.txt unreadable/);
    const ignoring = await crawl({ url, respectRobots: false });
    expect(ignoring.failures).toEqual([expect.objectContaining({ url, reason: 'network' })]);
  });

  it('applies the allow pattern and the max limit to documents', async () => {
    state.clear();
    const allowed = await crawl({ allow: '/reports/(a|b)\\.pdf$', depth: 1 });
    expect(allowed.queued.map((d) => new URL(d.url).pathname).sort()).toEqual(['/reports/a.pdf', '/reports/b.pdf']);
    state.clear();
    const capped = await crawl({ max: 2, depth: 1 });
    expect(capped.queued).toHaveLength(2);
    expect(capped.summary.skipped).toBeGreaterThan(0);
  });
});
