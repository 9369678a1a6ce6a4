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
  /** The whole sheet turned as it came off the scanner (degrees clockwise): 180 upside-down, 90/270 sideways. */
  readonly turn?: 0 | 90 | 180 | 270;
  /** Keep colour (RGB JPEG) instead of gray. */
  readonly colour?: boolean;
}

/** A page image in raw pixels, 1 (gray) or 3 (RGB) channels. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

export interface ScanOptions {
  /** Seed of the noise (the same seed gives the same bytes). */
  readonly seed?: number;
  /** Paints on each rendered page before skew and noise (a seal, a photo's geometry and light); page from 0. */
  readonly paint?: (page: RawImage, index: number) => Promise<RawImage>;
}

/** The corpus's scan-heavy profile (corpus/README.md): 200 dpi, ≈ 1.7° skew, blur and noise, JPEG quality 50. */
export const HEAVY: ScanProfile = { dpi: 200, angle: 1.7, blur: 0.8, noise: 40, jpegQuality: 50 };

/**
 * An image-only PDF of `pdf` as a flatbed scanner would give it: each page rendered by pdftoppm in
 * gray (or colour), optionally painted on, skewed, blurred, with seeded noise, one JPEG per page. The
 * text layer of the source is the ground truth of the scan.
 */
export async function makeScan(
  pdf: string,
  profile: ScanProfile = HEAVY,
  options: ScanOptions = {},
): Promise<Uint8Array> {
  const work = mkdtempSync(join(tmpdir(), 'docq-scan-'));
  try {
    execFileSync('pdftoppm', [
      '-r',
      String(profile.dpi),
      ...(profile.colour ? [] : ['-gray']),
      '-png',
      pdf,
      join(work, 'p'),
    ]);
    const out = await PDFDocument.create();
    let seed = options.seed ?? 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const files = readdirSync(work)
      .filter((f) => f.endsWith('.png'))
      .sort();
    for (const [index, file] of files.entries()) {
      const rendered = await sharp(join(work, file))
        .removeAlpha()
        .toColourspace(profile.colour ? 'srgb' : 'b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      let page: RawImage = {
        data: rendered.data,
        width: rendered.info.width,
        height: rendered.info.height,
        channels: profile.colour ? 3 : 1,
      };
      if (options.paint) page = await options.paint(page, index);
      // sharp keeps one rotation per pipeline: the sheet's turn goes first, on its own. It hands a
      // turned gray page back as RGB unless told otherwise; read as gray, that was three interleaved
      // copies of the page, and the matrix's upside-down and sideways sheets were stripes nobody could read.
      if (profile.turn) {
        const turned = sharp(page.data, { raw: page })
          .rotate(profile.turn)
          .toColourspace(page.channels === 1 ? 'b-w' : 'srgb');
        page = { ...page, data: await turned.raw().toBuffer() };
      }
      if (profile.turn === 90 || profile.turn === 270) page = { ...page, width: page.height, height: page.width };
      const { data, info } = await sharp(page.data, { raw: page })
        .rotate(profile.angle, { background: '#ffffff' })
        .blur(profile.blur > 0.3 ? profile.blur : false)
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (let i = 0; i < data.length; i++)
        data[i] = Math.max(0, Math.min(255, data[i]! + (random() - 0.5) * profile.noise));
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .toColourspace(profile.colour ? 'srgb' : 'b-w')
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
