import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { homographyFromPoints } from '../../core/raster/homography.js';
import type { Raster } from '../../core/raster/raster.js';
import { parsePgm } from '../../api/poppler-render.js';

/** How a phone photographs a printed page lying on a desk. */
export interface PhotoProfile {
  /** Pixels per inch of the page in the photo (phones give ≈ 150–250 at arm's length). */
  readonly dpi: number;
  /** Keystone: how far (share of the page width) the top corners move in towards each other. */
  readonly keystone: number;
  /** Turn of the whole page in the frame, degrees clockwise. */
  readonly tiltDeg: number;
  /** Light falls off across the page to this share of the brightest corner. */
  readonly light: number;
  /** A soft shadow (a hand, the phone) darkens this share of the page width from the left to this level. */
  readonly shadow: { readonly width: number; readonly level: number };
  /** Curl: the page bows by this share of its height (a sine across the width). */
  readonly curl: number;
  /** Paper tint multipliers (R, G, B): warm paper under indoor light. */
  readonly paper: readonly [number, number, number];
  readonly jpegQuality: number;
  /** Peak-to-peak gray noise of the sensor. */
  readonly noise: number;
}

/** A typical photo: 200 dpi, a 5 % keystone, 3° turn, light falling to 70 %, a shadow on the left fifth, 0.4 % curl, warm paper, JPEG 70. */
export const PHONE: PhotoProfile = {
  dpi: 200,
  keystone: 0.05,
  tiltDeg: 3,
  light: 0.7,
  shadow: { width: 0.2, level: 0.6 },
  curl: 0.004,
  paper: [1, 0.94, 0.8],
  jpegQuality: 70,
  noise: 12,
};

/** A harder photo: 8 % keystone, 5° turn, light falling to 55 %, a dark shadow over the left third, 0.8 % curl, JPEG 60. */
export const PHONE_HARD: PhotoProfile = {
  dpi: 170,
  keystone: 0.08,
  tiltDeg: 5,
  light: 0.55,
  shadow: { width: 0.33, level: 0.45 },
  curl: 0.008,
  paper: [1, 0.92, 0.75],
  jpegQuality: 60,
  noise: 16,
};

/** Renders page `page` (1-based) of `pdf` flat, gray, at `dpi` — the flat-bed reference of a photo. */
export function renderFlat(pdf: string, page: number, dpi: number): Raster {
  const dir = mkdtempSync(join(tmpdir(), 'docq-photo-'));
  try {
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-gray',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      pdf,
      join(dir, 'p'),
    ]);
    const pgm = readFileSync(join(dir, 'p.pgm'));
    const raster = parsePgm(pgm, dpi);
    if (!raster) throw new Error(`pdftoppm wrote no 8-bit PGM for page ${page} of ${pdf}`);
    return raster;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A phone photo of a flat page (gray `flat`, as renderFlat gives it): placed on a darker desk with a
 * margin, keystoned and turned by a homography, bowed by the curl, lit unevenly with a shadow, tinted
 * as warm paper, with sensor noise, as colour JPEG bytes (no dpi in the file: phones write 72).
 * Seeded: the same input gives the same photo.
 */
export async function makePhoto(flat: Raster, profile: PhotoProfile = PHONE, seed = 7): Promise<Uint8Array> {
  const k = profile.dpi / flat.dpi;
  const pw = Math.round(flat.width * k);
  const ph = Math.round(flat.height * k);
  const margin = Math.round(0.08 * Math.max(pw, ph));
  const w = pw + 2 * margin;
  const h = ph + 2 * margin;
  // Where the page's corners land in the photo: keystone pulls the top in, then the whole turns.
  const inset = profile.keystone * pw;
  const t = (profile.tiltDeg * Math.PI) / 180;
  const turn = ([x, y]: [number, number]): [number, number] => {
    const cx = w / 2;
    const cy = h / 2;
    return [cx + (x - cx) * Math.cos(t) - (y - cy) * Math.sin(t), cy + (x - cx) * Math.sin(t) + (y - cy) * Math.cos(t)];
  };
  const corners: [number, number][] = [
    turn([margin + inset, margin]),
    turn([margin + pw - inset, margin]),
    turn([margin + pw, margin + ph]),
    turn([margin, margin + ph]),
  ];
  const pageCorners: [number, number][] = [
    [0, 0],
    [flat.width - 1, 0],
    [flat.width - 1, flat.height - 1],
    [0, flat.height - 1],
  ];
  const toSource = homographyFromPoints(corners, pageCorners);
  if (!toSource) throw new Error('degenerate photo corners');
  // Sampled by hand rather than with warpRaster: the frame is larger than the page, and the curl bends the rows.
  const canvas: Raster = { width: w, height: h, dpi: flat.dpi, data: new Uint8Array(w * h) };
  const warped = warpInto(flat, canvas, toSource, profile.curl * ph);
  let s = seed;
  const random = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = warped[i]!;
      const light = 1 - (1 - profile.light) * ((x / w + y / h) / 2);
      const sx = x / w;
      const shade =
        sx < profile.shadow.width
          ? profile.shadow.level + (1 - profile.shadow.level) * Math.pow(sx / profile.shadow.width, 2)
          : 1;
      const n = (random() - 0.5) * profile.noise;
      for (let c = 0; c < 3; c++)
        rgb[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v * profile.paper[c]! * light * shade + n)));
    }
  }
  return new Uint8Array(
    await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: profile.jpegQuality })
      .toBuffer(),
  );
}

/** Samples `src` into a w × h frame through an output→source homography, rows bowed by `bow` pixels (sine across the width); desk outside the page. */
function warpInto(src: Raster, frame: Raster, toSource: readonly number[], bow: number): Uint8Array {
  const DESK = 90;
  const out = new Uint8Array(frame.width * frame.height).fill(DESK);
  const [a, b, c, d, e, f, g, kk, l] = toSource as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const yy = y + bow * Math.sin((Math.PI * x) / frame.width);
      const dw = g * x + kk * yy + l;
      const sx = (a * x + b * yy + c) / dw;
      const sy = (d * x + e * yy + f) / dw;
      if (sx < 0 || sy < 0 || sx >= src.width - 1 || sy >= src.height - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * src.width + x0;
      const top = src.data[i]! * (1 - fx) + src.data[i + 1]! * fx;
      const bottom = src.data[i + src.width]! * (1 - fx) + src.data[i + src.width + 1]! * fx;
      out[y * frame.width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}
