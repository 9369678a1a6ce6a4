import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRobots, parseRobots } from '../../producers/read-robots.js';
import { allowTestServer } from '../helpers/allow-crawl.js';

const allowed = (robots: string, path: string, agent?: string): boolean =>
  parseRobots(robots, agent).isAllowed(new URL(path, 'https://example.org'));

describe('parseRobots (RFC 9309)', () => {
  it('uses the group naming docq, else the * group, else allows everything', () => {
    const text = 'User-agent: *\nDisallow: /\n\nUser-agent: Docq\nDisallow: /private/\n';
    expect(allowed(text, '/reports/a.pdf')).toBe(true);
    expect(allowed(text, '/private/a.pdf')).toBe(false);
    expect(allowed(text, '/reports/a.pdf', 'otherbot')).toBe(false);
    expect(allowed('', '/anything')).toBe(true);
    expect(allowed('User-agent: otherbot\nDisallow: /\n', '/anything')).toBe(true);
  });

  it('merges groups for the same agent and reads consecutive user-agent lines as one group', () => {
    const text = 'User-agent: a\nUser-agent: docq\nDisallow: /x/\n\nUser-agent: docq\nDisallow: /y/\n';
    expect(allowed(text, '/x/1')).toBe(false);
    expect(allowed(text, '/y/1')).toBe(false);
    expect(allowed(text, '/z/1')).toBe(true);
  });

  it('lets the longest match win, Allow on a tie; supports * and $; ignores comments and empty Disallow', () => {
    const text = [
      'user-agent: *   # everyone',
      'Disallow: /gk/',
      'Allow: /gk/ndbg/',
      'Disallow: /*.php$',
      'Disallow: /tmp',
      'Allow: /tmp',
      'Disallow:',
    ].join('\n');
    expect(allowed(text, '/gk/other.pdf')).toBe(false);
    expect(allowed(text, '/gk/ndbg/2023.pdf')).toBe(true);
    expect(allowed(text, '/index.php')).toBe(false);
    expect(allowed(text, '/index.php?id=1')).toBe(true);
    expect(allowed(text, '/tmp/x')).toBe(true);
    expect(allowed(text, '/robots.txt')).toBe(true);
  });

  it('matches raw UTF-8 rules against percent-encoded paths and reads Crawl-delay', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /年报/\nCrawl-delay: 2.5\n');
    expect(rules.isAllowed(new URL('https://example.org/年报/a.pdf'))).toBe(false);
    expect(rules.crawlDelayMs).toBe(2_500);
    expect(parseRobots('User-agent: *\nDisallow: /x\n').crawlDelayMs).toBeNull();
  });
});

describe('fetchRobots', () => {
  let server: Server;
  let status = 200;
  let base = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('User-agent: *\nDisallow: /no/\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    allowTestServer(server);
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const read = () => fetchRobots(new URL(base), { timeoutMs: 2_000, userAgent: 'docq-test' });

  it('2xx: the rules apply; 4xx: no rules; 5xx: nothing allowed and a failure says why', async () => {
    status = 200;
    const ok = await read();
    expect(ok.failure).toBeUndefined();
    expect(ok.rules.isAllowed(new URL(`${base}no/x.pdf`))).toBe(false);
    expect(ok.rules.isAllowed(new URL(`${base}yes/x.pdf`))).toBe(true);

    status = 404;
    const missing = await read();
    expect(missing.failure).toBeUndefined();
    expect(missing.rules.isAllowed(new URL(`${base}no/x.pdf`))).toBe(true);

    status = 503;
    const down = await read();
    expect(down.failure).toMatchObject({ url: `${base}robots.txt`, reason: 'http-status', status: 503 });
    expect(down.rules.isAllowed(new URL(`${base}yes/x.pdf`))).toBe(false);
  });
});
