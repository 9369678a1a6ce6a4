/**
 * Links on an HTML page, resolved against the page's URL (or its <base href>). A small attribute
 * scanner rather than a DOM: index pages of report archives are plain lists of <a href>, and a
 * scanner never executes or fetches anything. <img src> is left out on purpose — on these pages it
 * is logos and icons; scanned reports are published as links.
 */

/** Elements whose attribute points at a document or a page a reader could open. */
const LINK_ATTRIBUTES: Readonly<Record<string, string>> = {
  a: 'href',
  area: 'href',
  iframe: 'src',
  frame: 'src',
  embed: 'src',
  object: 'data',
};

const TAG = /<(a|area|iframe|frame|embed|object|base)\b([^>]*)>/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
/** Comments, scripts and styles can hold markup-looking text that is not a link. */
const INERT = /<!--[\s\S]*?-->|<script\b[\s\S]*?<\/script\s*>|<style\b[\s\S]*?<\/style\s*>/gi;
const NON_NAVIGABLE = /^(?:javascript|mailto|tel|data):/i;

export function extractLinks(html: string, pageUrl: URL): URL[] {
  const text = html.replace(INERT, ' ');
  let base = pageUrl;
  const seen = new Set<string>();
  const links: URL[] = [];
  for (const match of text.matchAll(TAG)) {
    const tag = (match[1] ?? '').toLowerCase();
    const attributes = readAttributes(match[2] ?? '');
    if (tag === 'base') {
      const href = attributes.get('href');
      const resolved = href === undefined ? null : resolve(href, pageUrl);
      if (resolved !== null) base = resolved;
      continue;
    }
    const name = LINK_ATTRIBUTES[tag];
    const raw = name === undefined ? undefined : attributes.get(name);
    if (raw === undefined || raw === '' || raw.startsWith('#') || NON_NAVIGABLE.test(raw)) continue;
    const url = resolve(raw, base);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    url.hash = '';
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    links.push(url);
  }
  return links;
}

function readAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities((match[2] ?? match[3] ?? match[4] ?? '').trim()));
  }
  return attributes;
}

function resolve(href: string, base: URL): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
