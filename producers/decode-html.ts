/**
 * Decodes an HTML page in its declared character set. Many Chinese government sites still serve
 * GBK/GB2312 pages; read as UTF-8, a link such as `2023年报.pdf` would be garbled into a 404.
 * Order as in the HTML standard, simplified: BOM, Content-Type charset, <meta> in the first KiB, UTF-8.
 */

/** Browsers look for <meta charset> in the first 1024 bytes; so do we. */
const META_PRESCAN_BYTES = 1024;
const HEADER_CHARSET = /charset\s*=\s*["']?([\w.:-]+)/i;
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i;

export function decodeHtml(bytes: Uint8Array, contentType: string): string {
  const label = bomCharset(bytes) ?? HEADER_CHARSET.exec(contentType)?.[1] ?? metaCharset(bytes) ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    // An unknown label (a typo on the site): UTF-8 keeps every ASCII link intact.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function metaCharset(bytes: Uint8Array): string | undefined {
  // latin1 maps bytes one to one, so the ASCII markup of any ASCII-compatible charset reads as is.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, META_PRESCAN_BYTES));
  return META_CHARSET.exec(head)?.[1];
}
