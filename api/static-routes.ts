import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** `web/` from the source tree (`api/`) or from the build (`dist/api/`). */
const WEB_ROOTS = [new URL('../web/', import.meta.url), new URL('../../web/', import.meta.url)].map((u) =>
  fileURLToPath(u),
);

/** Paths of the page's own router (history API): a reload or a shared link must get the page back. */
const PAGE_PATHS = [/^\/$/, /^\/documents\/[0-9a-f]{64}\/?$/];

/**
 * The page is strict: scripts, styles and images from this origin only (crops arrive as blob: URLs,
 * fetched with the reviewer's token), no inline script, no framing.
 */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A browser navigating (not the page's own fetch, which asks for JSON). */
function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return request.method === 'GET' && accept.includes('text/html');
}

/**
 * The review page (`web/`): static ES modules and CSS under `/web/`, and `index.html` for every path
 * the page's router owns. `/documents/<sha256>` is also the JSON document route, so the page is
 * served there only to a navigation that asks for HTML; the page's own requests ask for JSON.
 */
export function registerStaticRoutes(app: FastifyInstance): void {
  const root = WEB_ROOTS.find((dir) => existsSync(`${dir}index.html`));
  if (root === undefined) {
    app.get('/', async (_request, reply) =>
      reply.code(404).send({ code: 'NOT_FOUND', message: 'the review page (web/index.html) is not installed' }),
    );
    return;
  }
  // Loaded with the other plugins when the server starts (ready/listen/inject).
  void app.register(fastifyStatic, { root, prefix: '/web/', index: false, cacheControl: true, maxAge: 0 });

  const sendPage = (reply: FastifyReply): FastifyReply =>
    reply.header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').sendFile('index.html');

  app.get('/', async (_request, reply) => sendPage(reply));
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (path !== '/' && wantsPage(request) && PAGE_PATHS.some((re) => re.test(path))) return sendPage(reply);
  });
}
