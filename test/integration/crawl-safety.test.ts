import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, type CrawledDocument } from '../../producers/crawl-site.js';
import type { FetchFailure } from '../../producers/fetch-document.js';
import { createHostRateLimit } from '../../producers/host-rate-limit.js';
import { refusedRange } from '../../producers/safe-address.js';
import { allowTestServer } from '../helpers/allow-crawl.js';
import { makePdf } from './crawl-test-site.js';

async function listen(handler: Parameters<typeof createServer>[0]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('a crawl cannot be turned on the network it runs in', () => {
  let site: { server: Server; url: string };
  let inside: { server: Server; url: string };
  let insideHits = 0;
  let blobDir: string;
  let pdf: Uint8Array;

  beforeAll(async () => {
    pdf = await makePdf('the real report');
    blobDir = await mkdtemp(join(tmpdir(), 'docq-crawl-safety-'));
    // A service on the crawler's own machine, not allow-listed: it must never be reached.
    inside = await listen((_req, res) => {
      insideHits++;
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
    });
    const redirects: Record<string, string> = {
      '/loopback.pdf': `${inside.url}/secret.pdf`,
      '/metadata.pdf': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      '/private.pdf': 'http://10.1.2.3/admin.pdf',
      '/other-site.pdf': 'http://example.org/report.pdf',
      '/robots-blocked.pdf': '/private/report.pdf',
      '/loop.pdf': '/loop.pdf',
      '/moved.pdf': '/real.pdf',
    };
    site = await listen((req, res) => {
      const path = req.url ?? '/';
      if (path === '/') {
        const links = [...Object.keys(redirects), '/fake.pdf'].map((p) => `<a href="${p}">x</a>`).join('');
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${links}</body></html>`);
      } else if (path === '/robots.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
      } else if (redirects[path] !== undefined) {
        res.writeHead(302, { location: redirects[path] }).end();
      } else if (path === '/real.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      } else if (path === '/fake.pdf') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>session-token-5f3a9 internal page</html>');
      } else res.writeHead(404).end();
    });
    allowTestServer(site.server); // the crawled site only, by its port
  });
  afterAll(async () => {
    await close(site.server);
    await close(inside.server);
    await rm(blobDir, { recursive: true, force: true });
  });

  it('refuses redirects to loopback, metadata, private addresses, other sites and robots-disallowed paths, and records each', async () => {
    const failures: FetchFailure[] = [];
    const queued: CrawledDocument[] = [];
    const summary = await crawlSite(
      { name: 'safety', url: `${site.url}/`, depth: 1, max: 20, minIntervalMs: 0, timeoutMs: 5_000, maxBytes: 1 << 20 },
      {
        blobDir,
        state: { get: async () => null, save: async () => undefined },
        rateLimit: createHostRateLimit(0),
        queueDocument: async (doc) => void queued.push(doc),
        recordFailure: async (failure) => void failures.push(failure),
      },
    );
    const byPath = Object.fromEntries(failures.map((f) => [new URL(f.url).pathname, f]));
    expect(byPath['/loopback.pdf']).toMatchObject({ reason: 'refused' });
    expect(byPath['/loopback.pdf']?.message).toMatch(/127\.0\.0\.1.*loopback/);
    expect(byPath['/metadata.pdf']).toMatchObject({ reason: 'refused' });
    expect(byPath['/metadata.pdf']?.message).toMatch(/169\.254\.169\.254.*linkLocal/);
    expect(byPath['/private.pdf']?.message).toMatch(/10\.1\.2\.3.*private/);
    expect(byPath['/other-site.pdf']?.message).toContain('not the crawled site');
    expect(byPath['/robots-blocked.pdf']?.message).toContain('robots.txt disallows');
    expect(byPath['/loop.pdf']).toMatchObject({ reason: 'too-many-redirects' });
    expect(insideHits).toBe(0);
    // A same-site redirect is followed; the document is queued under the link it was found by.
    expect(queued.map((d) => new URL(d.url).pathname)).toEqual(['/moved.pdf']);
    expect(summary.queuedNew).toBe(1);
    // The answer's bytes never reach a record (the API serves them).
    expect(byPath['/fake.pdf']).toMatchObject({ reason: 'not-a-document' });
    expect(JSON.stringify(failures)).not.toContain('session-token');
  });

  it('names the ranges it refuses and lets public addresses through', () => {
    expect(refusedRange('127.0.0.1')).toBe('loopback');
    expect(refusedRange('169.254.169.254')).toBe('linkLocal');
    expect(refusedRange('::ffff:10.0.0.1')).toBe('private');
    expect(refusedRange('fd00::1')).toBe('uniqueLocal');
    expect(refusedRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(refusedRange('0.0.0.0')).toBe('unspecified');
    expect(refusedRange('93.184.216.34')).toBeNull();
    expect(refusedRange('2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
  });

  it('a directly linked loopback address is refused like a redirect to it', async () => {
    const failures: FetchFailure[] = [];
    await crawlSite(
      {
        name: 'direct',
        url: `${inside.url}/`,
        depth: 1,
        max: 5,
        minIntervalMs: 0,
        timeoutMs: 5_000,
        maxBytes: 1 << 20,
      },
      {
        blobDir,
        state: { get: async () => null, save: async () => undefined },
        rateLimit: createHostRateLimit(0),
        queueDocument: async () => expect.fail('nothing may be queued'),
        recordFailure: async (failure) => void failures.push(failure),
      },
    );
    expect(failures.some((f) => f.reason === 'refused' && /loopback/.test(f.message))).toBe(true);
    expect(insideHits).toBe(0);
  });
});
