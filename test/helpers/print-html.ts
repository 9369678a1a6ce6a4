import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, HEADLESS_FLAGS } from './chromium.js';

/** Printing as the dev corpus was printed: no header or footer lines. */
const FLAGS = [...HEADLESS_FLAGS, '--no-pdf-header-footer'];

/** Prints an HTML document to PDF bytes with the real browser. */
export function printHtml(html: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'docq-print-'));
  try {
    writeFileSync(join(dir, 'doc.html'), html);
    const pdf = join(dir, 'doc.pdf');
    execFileSync(CHROMIUM, [...FLAGS, `--print-to-pdf=${pdf}`, `file://${join(dir, 'doc.html')}`], { stdio: 'ignore' });
    return readFileSync(pdf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
