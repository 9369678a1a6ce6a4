import { execFile, spawnSync } from 'node:child_process';

/** Fewer printable characters than this on page 1 and the PDF is treated as a scan (OCR, worth fanning out). */
const SCAN_MAX_CHARS = 20;
/** pdftotext reads one page in 2–14 ms (field-notes.md); anything slower is a damaged file the core will judge. */
const PROBE_TIMEOUT_MS = 5_000;

/** Probes answered "not a scan" because pdftotext is not installed (this process). */
let probeFallbacks = 0;

export function probeFallbackCount(): number {
  return probeFallbacks;
}

/** A startup warning when poppler's pdftotext is missing (the scan probe then never fans a PDF out), else null. */
export function pdftotextMissing(): string | null {
  const ok = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;
  return ok
    ? null
    : 'pdftotext (Debian poppler-utils) is not installed: scanned PDFs are read in one job each instead of fanned out over the workers';
}

const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const PDF = [0x25, 0x50, 0x44, 0x46];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Will this document be read by OCR, page after page? Decides whether to fan it out. Asking the
 * core would mean opening the PDF twice (25–30 % slower on born-digital reports, measured), so
 * page 1's text layer is probed with poppler's pdftotext instead. Multi-page TIFFs are always scans.
 * Without pdftotext the answer is "no": the document is read in one job, which is always correct,
 * but slower for a long scan; the worker says so at start (pdftotextMissing) and counts each such probe.
 */
export async function probeScan(path: string, bytes: Uint8Array): Promise<boolean> {
  if (startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE)) return true;
  if (!startsWith(bytes, PDF)) return false;
  return new Promise((resolve) => {
    execFile(
      'pdftotext',
      ['-f', '1', '-l', '1', '-q', path, '-'],
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') probeFallbacks++;
          resolve(false);
          return;
        }
        resolve(stdout.replace(/\s+/g, '').length < SCAN_MAX_CHARS);
      },
    );
  });
}
