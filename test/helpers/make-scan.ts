import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

export interface ScanProfile {
  readonly dpi: number;
  /** Skew in degrees. */
  readonly angle: number;
  readonly blur: number;
  /** Peak-to-peak gray noise. */
  readonly noise: number;
  readonly jpegQuality: number;
}

/** The corpus's scan-heavy profile (corpus/README.md): 200 dpi, ≈ 1.7° skew, blur and noise, JPEG quality 50. */
export const HEAVY: ScanProfile = { dpi: 200, angle: 1.7, blur: 0.8, noise: 40, jpegQuality: 50 };

/**
 * An image-only PDF of `pdf` as a flatbed scanner would give it: each page rendered by pdftoppm in
 * gray, skewed, blurred, with seeded noise, one JPEG per page. The text layer of the source is the
 * ground truth of the scan.
 */
export async function makeScan(pdf: string, profile: ScanProfile = HEAVY): Promise<Uint8Array> {
  const work = mkdtempSync(join(tmpdir(), 'docq-scan-'));
  try {
    execFileSync('pdftoppm', ['-r', String(profile.dpi), '-gray', '-png', pdf, join(work, 'p')]);
    const out = await PDFDocument.create();
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const file of readdirSync(work)
      .filter((f) => f.endsWith('.png'))
      .sort()) {
      const { data, info } = await sharp(join(work, file))
        .rotate(profile.angle, { background: '#ffffff' })
        .blur(profile.blur)
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (let i = 0; i < data.length; i++)
        data[i] = Math.max(0, Math.min(255, data[i]! + (random() - 0.5) * profile.noise));
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .toColourspace('b-w')
        .jpeg({ quality: profile.jpegQuality })
        .toBuffer();
      const image = await out.embedJpg(jpeg);
      const width = (info.width * 72) / profile.dpi;
      const height = (info.height * 72) / profile.dpi;
      out.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
    }
    return await out.save();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
