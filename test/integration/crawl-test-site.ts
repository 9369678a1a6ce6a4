import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { allowTestServer } from '../helpers/allow-crawl.js';

/**
 * A small publishing site on 127.0.0.1 for the crawl tests: an index linking real PDFs, an image,
 * a 404, a response slower than any sane timeout, a download that stalls half way, an HTML page named .pdf, an oversized file, a
 * PDF behind a script URL, a deeper page, an off-site link, and one file whose content changes.
 */

export const SLOW_RESPONSE_MS = 4_000;
/** What a first crawl at depth 2 must queue: every distinct document within reach, nothing else. */
export const FIRST_CRAWL_DOCUMENTS: readonly string[] = [
  '/download',
  '/reports/a.pdf',
  '/reports/b.pdf',
  '/reports/changing.pdf',
  '/reports/corpus.pdf',
  '/reports/deep.pdf',
  '/reports/scan.png',
];
export const BIG_FILE_BYTES = 3 * 1024 * 1024;

export interface TestSite {
  readonly url: string;
  /** Requests seen, in order: path, conditional headers, arrival time. */
  readonly requests: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string; at: number }>;
  /** Bytes of each document the site serves, by path. */
  readonly documents: ReadonlyMap<string, Uint8Array>;
  /** Publishes a new version of /reports/changing.pdf (new bytes, new ETag). */
  changeFile(): Promise<void>;
  close(): Promise<void>;
}

export async function makePdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates keep the bytes deterministic, so "same content" means the same hash.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([300, 200]).drawText(text, { x: 20, y: 100, size: 12, font });
  return pdf.save();
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const INDEX = `<!doctype html><html><head><title>年度报告</title></head><body>
<ul>
  <li><a href="/reports/a.pdf">2023 年度报告</a></li>
  <li><a href='reports/b.pdf'>2022 年度报告 (relative)</a></li>
  <li><a href="/reports/changing.pdf#page=2">changes between crawls</a></li>
  <li><a href="/reports/corpus.pdf">real report</a></li>
  <li><a href="/reports/scan.png">scanned page</a></li>
  <li><a href="/reports/missing.pdf">gone</a></li>
  <li><a href="/reports/slow.pdf">slow</a></li>
  <li><a href="/reports/stalled.pdf">starts, then stalls</a></li>
  <li><a href="/reports/fake.pdf">not really a PDF</a></li>
  <li><a href="/reports/big.pdf">too big</a></li>
  <li><a href="/download?id=7&amp;type=pdf">attachment behind a script</a></li>
  <li><a href="/reports/a.pdf">duplicate link</a></li>
  <li><a href="/reports/copy-of-a.pdf">same bytes, other URL</a></li>
  <li><a href="/sub/page.html">more reports</a></li>
  <li><a href="http://example.invalid/elsewhere.pdf">off-site</a></li>
  <li><a href="mailto:office@example.invalid">mail</a></li>
  <li><a href="/files/notes.docx">not followed</a></li>
  <li><a href="/private/secret.pdf">robots.txt says no</a></li>
</ul>
<!-- <a href="/reports/commented-out.pdf">old</a> -->
</body></html>`;

const SUB_PAGE = `<html><body><a href="/reports/deep.pdf">deep</a> <a href="/sub/deeper.html">deeper</a></body></html>`;
const DEEPER_PAGE = `<html><body><a href="/reports/too-deep.pdf">beyond the depth limit</a></body></html>`;
const LAST_MODIFIED = 'Mon, 06 Jan 2025 08:00:00 GMT';
/** Everything is closed to other robots; docq's own group only closes /private/ (the longest group match decides). */
const ROBOTS_TXT = `# test site
User-agent: *
Disallow: /

User-agent: otherbot
User-agent: docq
Disallow: /private/
Crawl-delay: 0.01
`;

export async function startTestSite(corpusPdf: string): Promise<TestSite> {
  let version = 1;
  const docs = new Map<string, Uint8Array>();
  const a = await makePdf('report A');
  docs.set('/reports/a.pdf', a);
  docs.set('/reports/copy-of-a.pdf', a);
  docs.set('/reports/b.pdf', await makePdf('report B'));
  docs.set('/reports/changing.pdf', await makePdf('changing, version 1'));
  docs.set('/reports/corpus.pdf', new Uint8Array(await readFile(corpusPdf)));
  docs.set('/reports/deep.pdf', await makePdf('deep report'));
  docs.set('/reports/too-deep.pdf', await makePdf('too deep'));
  docs.set('/download', await makePdf('attachment 7'));
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  docs.set('/reports/scan.png', new Uint8Array(png));

  const requests: TestSite['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({
      path,
      at: Date.now(),
      ...(req.headers['if-none-match'] !== undefined ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
      ...(req.headers['if-modified-since'] !== undefined ? { ifModifiedSince: req.headers['if-modified-since'] } : {}),
    });
    route(path, req, res);
  });

  function route(path: string, req: IncomingMessage, res: ServerResponse): void {
    if (path === '/robots.txt') return send(res, 200, 'text/plain', ROBOTS_TXT);
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', INDEX);
    if (path === '/sub/page.html') return send(res, 200, 'text/html', SUB_PAGE);
    if (path === '/sub/deeper.html') return send(res, 200, 'text/html', DEEPER_PAGE);
    if (path === '/reports/missing.pdf') return send(res, 404, 'text/html', '<h1>Not Found</h1>');
    if (path === '/reports/fake.pdf')
      return send(res, 200, 'text/html', '<!DOCTYPE html><html><body>登录后下载</body></html>');
    if (path === '/reports/slow.pdf') {
      const timer = setTimeout(() => send(res, 200, 'application/pdf', '%PDF-1.4 late'), SLOW_RESPONSE_MS);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (path === '/reports/stalled.pdf') {
      // Headers and the first bytes arrive at once; the rest never does (a half-open download).
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write('%PDF-1.7\n%stalled\n');
      return;
    }
    if (path === '/reports/big.pdf') return sendBig(res);
    const body = docs.get(path);
    if (body === undefined) return send(res, 404, 'text/plain', 'no such file');
    const type = path.endsWith('.png') ? 'image/png' : 'application/pdf';
    if (path === '/reports/a.pdf' || path === '/reports/changing.pdf') {
      // Validators: an ETag from the content, and a Last-Modified; 304 when the client has them.
      const etag = `"${sha256(body).slice(0, 16)}"`;
      const lastModified = path === '/reports/a.pdf' ? LAST_MODIFIED : `Tue, 0${version} Jul 2025 08:00:00 GMT`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'last-modified': lastModified }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': type,
        etag,
        'last-modified': lastModified,
        'content-length': body.byteLength,
      });
      res.end(body);
      return;
    }
    // Everything else is served without validators: the crawl must compare content hashes.
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  allowTestServer(server);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    documents: docs,
    async changeFile() {
      version++;
      docs.set('/reports/changing.pdf', await makePdf(`changing, version ${version}`));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** Streams a "PDF" larger than the test's limit, chunked, so only counting the bytes can stop it. */
function sendBig(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/pdf' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk.write('%PDF-1.7\n');
  let sent = 0;
  const pump = (): void => {
    while (sent < BIG_FILE_BYTES) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}
