import { spawn } from 'node:child_process';
import type { Raster } from '../core/raster/raster.js';

/** A render that takes longer is given up (the caller falls back to pdf.js, which has its own limits). */
const TIMEOUT_MS = 20_000;

/**
 * One page of a PDF rendered in gray by poppler's `pdftoppm` (Debian poppler-utils, installed by
 * scripts/setup.sh and the Dockerfile), the bytes on its stdin and a PGM on its stdout. Measured on
 * the dev corpus's born-digital reports (Type 3 CJK fonts), 150 dpi: 0.03–0.06 s of CPU a page
 * against 0.36–0.46 s for pdf.js onto @napi-rs/canvas — the difference between a first crop of a page
 * in a tenth of a second and in most of one. Both place the page's crop box at dpi / 72 pixels a point,
 * so the stored boxes line up. Null when pdftoppm is missing, fails or times out: the caller renders
 * with pdf.js instead.
 */
let missingReported = false;

export function renderWithPoppler(bytes: Uint8Array, pageNumber: number, dpi: number): Promise<Raster | null> {
  return new Promise((resolve) => {
    const args = ['-r', String(dpi), '-gray', '-f', String(pageNumber), '-l', String(pageNumber), '-'];
    const child = spawn('pdftoppm', args, { stdio: ['pipe', 'pipe', 'ignore'], timeout: TIMEOUT_MS });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', (error: NodeJS.ErrnoException) => {
      // A deployment gap, said once: every born-digital page then costs pdf.js's render.
      if (error.code === 'ENOENT' && !missingReported) {
        missingReported = true;
        process.stderr.write(
          'docq: pdftoppm not found (Debian poppler-utils): review pages render with pdf.js, slower\n',
        );
      }
      resolve(null);
    });
    child.stdin.once('error', () => undefined);
    child.once('close', (code) => resolve(code === 0 ? parsePgm(Buffer.concat(chunks), dpi) : null));
    child.stdin.end(bytes);
  });
}

/** A binary PGM (`P5 <w> <h> 255`, one byte a pixel), as pdftoppm -gray writes it; null if it is not one. */
export function parsePgm(pgm: Buffer, dpi: number): Raster | null {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) return null;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  if (pgm.length - start < width * height) return null;
  const data = new Uint8Array(pgm.buffer, pgm.byteOffset + start, width * height);
  return { width, height, data, dpi };
}
